package io.jivykis.internal.bench;

import io.jivykis.EventLoop;
import io.jivykis.EventRaw;
import io.jivykis.internal.ResourceLimitNative;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/**
 * scale: N registered EventRaws in one loop; each handler posts a randomly chosen object, so
 * the loop keeps dispatching across the whole set. ops = handler calls. Also measured: the
 * time to register and unregister one object, and the heap each registered object retains
 * (the object, its registration and descriptor record, its slot in the loop's table; the
 * handler is shared, as it is the user's, not the library's).
 */
final class ScaleBench {
    /** The sizes the case runs at. */
    static final int[] SIZES = {1, 1_000, 100_000};

    private final EventLoop loop;
    private final EventRaw[] events;
    private long calls;
    private long deadline;
    private long random = 0x9E3779B97F4A7C15L;

    private ScaleBench(EventLoop loop, int count) {
        this.loop = loop;
        this.events = new EventRaw[count];
        Runnable handler = this::handle;
        for (int i = 0; i < count; i++) {
            events[i] = new EventRaw(handler);
        }
    }

    private void handle() {
        if ((++calls & 4095) == 0 && System.nanoTime() >= deadline) {
            loop.quit();
            return;
        }
        // xorshift64: a cheap, allocation-free choice of the next object.
        long x = random;
        x ^= x << 13;
        x ^= x >>> 7;
        x ^= x << 17;
        random = x;
        events[(int) ((x >>> 1) % events.length)].post();
    }

    private long runFor(long nanos) {
        long before = calls;
        deadline = System.nanoTime() + nanos;
        events[0].post();
        loop.run();
        return calls - before;
    }

    /**
     * The number of objects to register for {@code wanted}: all of them when RLIMIT_NOFILE
     * allows (the soft limit is raised to the hard one, and past it where permitted), else the
     * largest whole thousand that fits, with a note saying so.
     */
    static int fit(Impl impl, int wanted, java.util.function.Consumer<String> note) {
        int perObject = impl == Impl.JIVYKIS_PIPE ? 2 : 1;
        long reserve = 512; // the JVM's own descriptors, the loop's, and the raw programs' pipes
        long limit = ResourceLimitNative.raiseNofile(wanted * (long) perObject + reserve);
        if (limit >= wanted * (long) perObject + reserve) {
            return wanted;
        }
        int fits = (int) Math.max(1, (limit - reserve) / perObject / 1_000 * 1_000);
        note.accept("scale " + impl.label() + ": " + wanted + " objects need " + (wanted * (long) perObject + reserve)
                + " descriptors but RLIMIT_NOFILE's hard limit is " + limit
                + " and may not be raised here (no CAP_SYS_RESOURCE); measuring " + fits + " objects instead");
        return fits;
    }

    static BenchResult run(Impl impl, Timing timing, int count) {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        try (EventLoop loop = EventLoop.open()) {
            warmUpRegistration(impl, Math.min(count, 2_000));
            ScaleBench bench = new ScaleBench(loop, count);
            long heapBefore = settledHeap(memory);
            long registerStart = System.nanoTime();
            for (EventRaw event : bench.events) {
                impl.register(event);
            }
            long registerNanos = System.nanoTime() - registerStart;
            long heapPerObject = (settledHeap(memory) - heapBefore) / count;

            bench.runFor(timing.warmupNanos());
            long start = System.nanoTime();
            long ops = bench.runFor(timing.measureNanos());
            long elapsed = System.nanoTime() - start;

            long unregisterStart = System.nanoTime();
            for (EventRaw event : bench.events) {
                event.unregister();
            }
            long unregisterNanos = System.nanoTime() - unregisterStart;
            BenchResult result = new BenchResult("scale", impl.label(), ops, elapsed)
                    .with("objects", count)
                    .with("register_unregister_ns", (registerNanos + unregisterNanos) / count);
            // One object's retained heap is below the noise of a heap measurement.
            return count >= 1_000 ? result.with("heap_bytes_per_object", heapPerObject) : result;
        }
    }

    /** Registers and unregisters throwaway objects so the timed registrations run compiled code. */
    private static void warmUpRegistration(Impl impl, int count) {
        for (int round = 0; round < 5; round++) {
            EventRaw[] events = new EventRaw[count];
            for (int i = 0; i < count; i++) {
                events[i] = new EventRaw(() -> {});
                impl.register(events[i]);
            }
            for (EventRaw event : events) {
                event.unregister();
            }
        }
    }

    /** Heap in use after full collections, so only reachable objects count. */
    private static long settledHeap(MemoryMXBean memory) {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
