package io.jivykis.tools.bench;

import io.jivykis.EventLoop;
import io.jivykis.EventRaw;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * burst: a plain thread posts one object as fast as it can while the loop handles it. Most
 * posts find the object already pending, so this measures the coalesced post. ops = posts;
 * {@code handled_per_sec} says how often the handler ran.
 */
final class BurstBench {
    /** Handler calls; written by the loop thread only (a release store is enough for the poster's reads). */
    private final AtomicLong handled = new AtomicLong();
    private final Runnable count = () -> handled.lazySet(handled.get() + 1);
    /** Written by the loop thread before the poster starts (Thread.start publishes it). */
    private Target target;
    private final EventRaw stop = new EventRaw(() -> EventLoop.current().quit());

    private long posts;
    private long elapsed;
    private long handledDuringMeasure;

    /** The poster: warm up, then post for the measured time, then stop the loop. */
    private void post(Timing timing, AllocationProbe allocation) {
        try {
            postFor(timing.warmupNanos());
            long bytes = AllocationProbe.currentThreadBytes();
            long handledBefore = handled.get();
            long start = System.nanoTime();
            posts = postFor(timing.measureNanos());
            elapsed = System.nanoTime() - start;
            handledDuringMeasure = handled.get() - handledBefore;
            if (allocation != null) {
                allocation.record(AllocationProbe.currentThreadBytes() - bytes, posts);
            }
        } finally {
            stop.post();
        }
    }

    private long postFor(long nanos) {
        Target event = target;
        long deadline = System.nanoTime() + nanos;
        long count = 0;
        do {
            for (int i = 0; i < 1024; i++) {
                event.post();
            }
            count += 1024;
        } while (System.nanoTime() < deadline);
        return count;
    }

    static BenchResult run(Impl impl, Timing timing) throws InterruptedException {
        return measure(impl, timing, null, null);
    }

    /**
     * Runs the case; the probes, when given, record the poster's bytes per post and the loop
     * thread's bytes per handler call.
     */
    static BenchResult measure(Impl impl, Timing timing, AllocationProbe perPost, AllocationProbe perDispatch)
            throws InterruptedException {
        try (EventLoop loop = EventLoop.open()) {
            BurstBench bench = new BurstBench();
            bench.target = impl.open(bench.count);
            bench.stop.register();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread poster = new Thread(() -> bench.post(timing, perPost), "bench-poster");
            poster.setUncaughtExceptionHandler((t, e) -> failure.set(e));
            long bytes = AllocationProbe.currentThreadBytes();
            long handledBefore = bench.handled.get();
            poster.start();
            loop.run();
            if (perDispatch != null) {
                perDispatch.record(AllocationProbe.currentThreadBytes() - bytes, bench.handled.get() - handledBefore);
            }
            poster.join();
            if (failure.get() != null) {
                throw new IllegalStateException("the posting thread failed", failure.get());
            }
            bench.target.unregister();
            bench.stop.unregister();
            return new BenchResult("burst", impl.label(), bench.posts, bench.elapsed)
                    .with("handled_per_sec", Math.round(bench.perSecond(bench.handledDuringMeasure)));
        }
    }

    private double perSecond(long count) {
        return elapsed == 0 ? 0 : count * 1e9 / elapsed;
    }
}
