package io.jivykis.tools.bench;

import io.jivykis.EventLoop;
import io.jivykis.EventRaw;
import io.jivykis.Poster;
import java.io.IOException;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * scale: N registered EventRaws in one loop; each handler posts a randomly chosen object, so
 * the loop keeps dispatching across the whole set. ops = handler calls, with in-process
 * posts ({@code EventRaw.post()} on the loop thread). The extra {@code fd_ns_per_op} is the
 * same chain with foreign posts instead: each handler posts the next object through a
 * {@link Poster} connected to it as another process would ({@link OfferedPosters}), which
 * writes the holder pipe the offer made for it, so every call goes through epoll_wait and a drain.
 * A poster costs two descriptors more per object, so where the descriptor limit does not
 * allow that for all N, the foreign chain runs over the first {@code fd_objects} of them
 * while all N stay registered. Also measured: the
 * time to register and unregister one object (over rounds of N new objects, as the C twin
 * {@code jivykis-raw-scale} does with the same system calls), and the heap each registered object retains
 * (the object, its registration and descriptor record, its slot in the loop's table; the
 * handler is shared, as it is the user's, not the library's). {@code walk_ns_per_op} and
 * {@code dependent_walk_ns_per_op} are the same random walk over N objects without the library
 * ({@link PlainChain}), with the misses of successive steps overlapping or not: what the cache
 * charges for N, for comparison.
 */
final class ScaleBench {
    /** The sizes the case runs at. */
    static final int[] SIZES = {1, 1_000, 100_000};

    private final EventLoop loop;
    private final EventRaw[] events;
    /** How many of the objects the chain picks from: all of them, or those with a poster. */
    private int targets;
    private long calls;
    private long deadline;
    private long random = 0x9E3779B97F4A7C15L;
    /** The posters to post through in foreign-post mode, else null. */
    private Poster[] posters;

    private ScaleBench(EventLoop loop, int count) {
        this.loop = loop;
        this.events = new EventRaw[count];
        this.targets = count;
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
        int next = (int) ((x >>> 1) % targets);
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

    /** One timed stretch of the chain: its handler calls, wall time and the loop thread's CPU time per call. */
    private static final class Stretch {
        final long ops;
        final long elapsedNanos;
        final double cpuNanosPerOp;

        Stretch(long ops, long elapsedNanos, double cpuNanosPerOp) {
            this.ops = ops;
            this.elapsedNanos = elapsedNanos;
            this.cpuNanosPerOp = cpuNanosPerOp;
        }
    }

    /** Runs the chain for {@code warmupNanos}, then times it for {@code nanos}. */
    private Stretch measure(long warmupNanos, long nanos) {
        runFor(warmupNanos);
        long startCpu = ThreadClock.cpuNanos();
        long start = System.nanoTime();
        long ops = runFor(nanos);
        long elapsed = System.nanoTime() - start;
        return new Stretch(ops, elapsed, ThreadClock.perOp(startCpu, ThreadClock.cpuNanos(), ops));
    }

    /**
     * The number of objects to register for {@code wanted}: all of them when the descriptor
     * limit allows, else the largest whole thousand (or hundred, below a thousand) that fits,
     * with a note saying so. Each
     * object holds its own descriptors: an eventfd, or a pipe's two ends.
     */
    static int fit(Impl impl, int wanted, Consumer<String> note) {
        return fit(impl.label() + ": " + wanted + " objects", wanted, descriptorsPerObject(impl), DescriptorLimit.soft(),
                note);
    }

    private static int descriptorsPerObject(Impl impl) {
        return impl == Impl.JIVYKIS_PIPE ? 2 : 1;
    }

    /**
     * How many of {@code count} registered objects can also have a connected poster: each
     * adds the read end of the pipe its offer hands the poster (a holder's own pipe), and that
     * poster's write end.
     */
    private static int fitPosters(Impl impl, int count, Consumer<String> note) {
        long limit = DescriptorLimit.soft() - (long) count * descriptorsPerObject(impl);
        return Math.min(count, fit(impl.label() + ": posters for " + count + " objects", count, 2, limit, note));
    }

    private static int fit(String what, int wanted, int perObject, long limit, Consumer<String> note) {
        long reserve = 512; // the JVM's own descriptors, the loop's, the offers', the raw programs' pipes
        if (limit >= wanted * (long) perObject + reserve) {
            return wanted;
        }
        // The largest whole thousand that fits, or whole hundred below a thousand.
        long room = Math.max(1, (limit - reserve) / perObject);
        int fits = (int) (room >= 1_000 ? room / 1_000 * 1_000 : Math.max(1, room / 100 * 100));
        note.accept("scale " + what + " need " + (wanted * (long) perObject + reserve)
                + " descriptors, but RLIMIT_NOFILE leaves room for " + limit + "; measuring " + fits + " instead");
        return fits;
    }

    static BenchResult run(Impl impl, Timing timing, int count, Consumer<String> note)
            throws IOException, InterruptedException {
        try (EventLoop loop = EventLoop.open()) {
            // Registering is timed first, over rounds of its own, so the chain's objects need
            // not be registered twice (the descriptor limit would not allow it at large N).
            double registerUnregisterNs = 0;
            if (count >= 1_000) {
                registrationRounds(impl, count, timing.warmupNanos() / 4);
                registerUnregisterNs = registrationRounds(impl, count, timing.measureNanos() / 4);
            }
            double walkNs = PlainChain.nanosPerStep(count, false, timing.warmupNanos() / 8, timing.measureNanos() / 8);
            double dependentWalkNs = PlainChain.nanosPerStep(count, true, timing.warmupNanos() / 8,
                    timing.measureNanos() / 8);
            ScaleBench bench = new ScaleBench(loop, count);
            long heapBefore = settledHeap();
            Runnable handler = bench::handle;
            for (int i = 0; i < count; i++) {
                bench.events[i] = new EventRaw(handler);
                impl.register(bench.events[i]);
            }
            long heapPerObject = (settledHeap() - heapBefore) / count;

            Stretch inProcess = bench.measure(timing.warmupNanos(), timing.measureNanos());

            // The same chain through the descriptors, for half the time (each call is a
            // write, an epoll_wait and a read, so fewer calls are needed to measure it).
            int fdTargets = fitPosters(impl, count, note);
            bench.posters = OfferedPosters.connect(loop, Arrays.copyOf(bench.events, fdTargets));
            bench.targets = fdTargets;
            Stretch foreign;
            try {
                foreign = bench.measure(timing.warmupNanos() / 2, timing.measureNanos() / 2);
            } finally {
                OfferedPosters.close(bench.posters);
            }

            for (EventRaw event : bench.events) {
                event.unregister();
            }
            BenchResult result = new BenchResult("scale", impl.label(), inProcess.ops, inProcess.elapsedNanos)
                    .with("objects", count)
                    .with("cpu_ns_per_op", inProcess.cpuNanosPerOp, 1)
                    .with("walk_ns_per_op", walkNs, 1)
                    .with("dependent_walk_ns_per_op", dependentWalkNs, 1)
                    .with("fd_objects", fdTargets)
                    .with("fd_ns_per_op", foreign.ops == 0 ? 0 : (double) foreign.elapsedNanos / foreign.ops, 1)
                    .with("fd_cpu_ns_per_op", foreign.cpuNanosPerOp, 1);
            // Registration is timed, and the heap read, from 1,000 objects up: one object's
            // retained heap is below the noise of a heap reading, and the C twin repeats
            // exactly the sizes given here.
            return count < 1_000 ? result : result
                    .with("register_unregister_ns", registerUnregisterNs, 0)
                    .with("heap_bytes_per_object", heapPerObject);
        }
    }

    /**
     * Rounds of {@code count} new objects, each made and registered in turn as an application
     * would, then all unregistered, for at least {@code nanos} (one round at least): the same
     * rounds as the C twin ({@code native/bench/raw_scale.c}). Returns nanoseconds per object
     * registered and unregistered.
     */
    private static double registrationRounds(Impl impl, int count, long nanos) {
        EventRaw[] events = new EventRaw[count];
        Runnable handler = () -> {};
        long objects = 0;
        long start = System.nanoTime();
        long elapsed;
        do {
            for (int i = 0; i < count; i++) {
                events[i] = new EventRaw(handler);
                impl.register(events[i]);
            }
            for (EventRaw event : events) {
                event.unregister();
            }
            objects += count;
            elapsed = System.nanoTime() - start;
        } while (elapsed < nanos);
        return (double) elapsed / objects;
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
