package io.jivykis.tools.bench;

import io.jivykis.EventLoop;

/**
 * selfpost: a handler re-posts its own object, so every post comes from the loop's own
 * thread. ops = handler calls.
 */
final class SelfPostBench {
    private final EventLoop loop;
    private final Target event;
    private long calls;
    private long deadline;

    private SelfPostBench(EventLoop loop, Impl impl) {
        this.loop = loop;
        this.event = impl.open(this::handle);
    }

    private void handle() {
        // The clock is read every 4096 calls so that it stays out of the measurement.
        if ((++calls & 4095) == 0 && System.nanoTime() >= deadline) {
            loop.quit();
        } else {
            event.post();
        }
    }

    /** Posts and runs the loop for {@code nanos}; returns the handler calls made. */
    private long runFor(long nanos) {
        long before = calls;
        deadline = System.nanoTime() + nanos;
        event.post();
        loop.run();
        return calls - before;
    }

    static BenchResult run(Impl impl, Timing timing) {
        return measure(impl, timing, null);
    }

    /** Runs the case; when {@code allocation} is given, it records the loop thread's allocations. */
    static BenchResult measure(Impl impl, Timing timing, AllocationProbe allocation) {
        try (EventLoop loop = EventLoop.open()) {
            SelfPostBench bench = new SelfPostBench(loop, impl);
            bench.runFor(timing.warmupNanos());
            long bytes = AllocationProbe.currentThreadBytes();
            long startCpu = ThreadClock.cpuNanos();
            long start = System.nanoTime();
            long ops = bench.runFor(timing.measureNanos());
            long elapsed = System.nanoTime() - start;
            double cpuPerOp = ThreadClock.perOp(startCpu, ThreadClock.cpuNanos(), ops);
            if (allocation != null) {
                allocation.record(AllocationProbe.currentThreadBytes() - bytes, ops);
            }
            bench.event.unregister();
            return new BenchResult("selfpost", impl.label(), ops, elapsed).with("cpu_ns_per_op", cpuPerOp, 1);
        }
    }
}
