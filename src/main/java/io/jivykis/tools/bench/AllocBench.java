package io.jivykis.tools.bench;

/**
 * alloc: bytes allocated in steady state, counted per thread by the JVM. A posting thread
 * bursts cross-thread posts at one object ({@code bytes_per_post}: the poster's bytes per
 * post; {@code bytes_per_dispatch}: the loop thread's bytes per handler call, including its
 * epoll waits), and a handler re-posts itself ({@code bytes_per_self_post}: the loop
 * thread's bytes per same-thread post and dispatch). ops = cross-thread posts.
 */
final class AllocBench {
    private AllocBench() {}

    static BenchResult run(Impl impl, Timing timing) throws InterruptedException {
        if (!AllocationProbe.supported()) {
            throw new IllegalStateException("this JVM does not count allocated bytes per thread"
                    + " (com.sun.management.ThreadMXBean); run the bench on a HotSpot-based JDK");
        }
        AllocationProbe perPost = new AllocationProbe();
        AllocationProbe perDispatch = new AllocationProbe();
        AllocationProbe perSelfPost = new AllocationProbe();
        BenchResult burst = BurstBench.measure(impl, timing, perPost, perDispatch);
        SelfPostBench.measure(impl, timing, perSelfPost);
        return burst.renamed("alloc")
                .with("bytes_per_post", perPost.bytesPerOp(), 3)
                .with("bytes_per_dispatch", perDispatch.bytesPerOp(), 3)
                .with("bytes_per_self_post", perSelfPost.bytesPerOp(), 3);
    }
}
