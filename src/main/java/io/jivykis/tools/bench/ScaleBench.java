package io.jivykis.tools.bench;

import io.jivykis.EventLoop;
import io.jivykis.EventRaw;
import io.jivykis.Poster;
import java.io.IOException;

/**
 * scale: N registered EventRaws in one loop; each handler posts a randomly chosen object, so
 * the loop keeps dispatching across the whole set. ops = handler calls, with in-process
 * posts ({@code EventRaw.post()} on the loop thread). The extra {@code fd_ns_per_op} is the
 * same chain with foreign posts instead: each handler posts the next object through a
 * {@link Poster} connected to it as another process would ({@link OfferedPosters}), which
 * writes the holder pipe the offer made for it, so every call goes through epoll_wait and a drain. Also measured: the
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
    /** The posters to post through in foreign-post mode, else null. */
    private Poster[] posters;

    private ScaleBench(EventLoop loop, int count) {
        this.loop = loop;
        this.events = new EventRaw[count];
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
        int next = (int) ((x >>> 1) % events.length);
        if (posters == null) {
            events[next].post();
        } else {
            posters[next].post();
        }
    }

    private long runFor(long nanos) {
        long before = calls;
        deadline = System.nanoTime() + nanos;
        events[0].post();
        loop.run();
        return calls - before;
    }

    /**
     * The number of objects to register for {@code wanted}: all of them when the descriptor
     * limit allows, else the largest whole thousand that fits, with a note saying so. Each
     * object holds its own descriptors (an eventfd, or a pipe's two ends), the read end of
     * the pipe its offer hands the connected poster (a holder's own pipe), and that poster's
     * write end.
     */
    static int fit(Impl impl, int wanted, java.util.function.Consumer<String> note) {
        int perObject = impl == Impl.JIVYKIS_PIPE ? 4 : 3;
        long reserve = 512; // the JVM's own descriptors, the loop's, the offers', the raw programs' pipes
        long limit = DescriptorLimit.soft();
        if (limit >= wanted * (long) perObject + reserve) {
            return wanted;
        }
        int fits = (int) Math.max(1, (limit - reserve) / perObject / 1_000 * 1_000);
        note.accept("scale " + impl.label() + ": " + wanted + " objects need " + (wanted * (long) perObject + reserve)
                + " descriptors but this process may open " + limit + " (RLIMIT_NOFILE); measuring " + fits
                + " objects instead");
        return fits;
    }

    static BenchResult run(Impl impl, Timing timing, int count) throws IOException, InterruptedException {
        try (EventLoop loop = EventLoop.open()) {
            warmUpRegistration(impl, Math.min(count, 2_000));
            ScaleBench bench = new ScaleBench(loop, count);
            long heapBefore = settledHeap();
            // Each object is made and registered in turn, as an application would.
            Runnable handler = bench::handle;
            long registerStart = System.nanoTime();
            for (int i = 0; i < count; i++) {
                bench.events[i] = new EventRaw(handler);
                impl.register(bench.events[i]);
            }
            long registerNanos = System.nanoTime() - registerStart;
            long heapPerObject = (settledHeap() - heapBefore) / count;

            bench.runFor(timing.warmupNanos());
            long startCpu = ThreadClock.cpuNanos();
            long start = System.nanoTime();
            long ops = bench.runFor(timing.measureNanos());
            long elapsed = System.nanoTime() - start;
            double cpuPerOp = ThreadClock.perOp(startCpu, ThreadClock.cpuNanos(), ops);

            // Unregistering is timed on objects nobody else holds, as registering was: an
            // object that another process holds (below) also revokes that holder's pipe.
            long unregisterStart = System.nanoTime();
            for (EventRaw event : bench.events) {
                event.unregister();
            }
            long unregisterNanos = System.nanoTime() - unregisterStart;
            for (EventRaw event : bench.events) {
                impl.register(event);
            }

            // The same chain through the descriptors, for half the time (each call is a
            // write, an epoll_wait and a read, so fewer calls are needed to measure it).
            bench.posters = OfferedPosters.connect(loop, bench.events);
            long fdOps;
            long fdElapsed;
            double fdCpuPerOp;
            try {
                bench.runFor(timing.warmupNanos() / 2);
                long fdStartCpu = ThreadClock.cpuNanos();
                long fdStart = System.nanoTime();
                fdOps = bench.runFor(timing.measureNanos() / 2);
                fdElapsed = System.nanoTime() - fdStart;
                fdCpuPerOp = ThreadClock.perOp(fdStartCpu, ThreadClock.cpuNanos(), fdOps);
            } finally {
                OfferedPosters.close(bench.posters);
            }

            for (EventRaw event : bench.events) {
                event.unregister();
            }
            BenchResult result = new BenchResult("scale", impl.label(), ops, elapsed)
                    .with("objects", count)
                    .with("cpu_ns_per_op", cpuPerOp, 1)
                    .with("fd_ns_per_op", fdOps == 0 ? 0 : (double) fdElapsed / fdOps, 1)
                    .with("fd_cpu_ns_per_op", fdCpuPerOp, 1);
            // One object's registration time and retained heap are below the noise of
            // their measurement (a single timed call, a heap reading); they are given from 1,000 up.
            return count < 1_000 ? result : result
                    .with("register_unregister_ns", (registerNanos + unregisterNanos) / count)
                    .with("heap_bytes_per_object", heapPerObject);
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
    private static long settledHeap() {
        Runtime runtime = Runtime.getRuntime();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            used = Math.min(used, runtime.totalMemory() - runtime.freeMemory());
        }
        return used;
    }
}
