package io.jivykis.tools.bench;

import java.lang.management.ManagementFactory;

/**
 * Bytes allocated by a thread, from {@code com.sun.management.ThreadMXBean}: the JVM counts
 * every TLAB and outside-TLAB allocation per thread, so a steady-state hot path that
 * allocates nothing shows 0.
 */
final class AllocationProbe {
    private static final com.sun.management.ThreadMXBean THREADS = threads();

    private long bytes;
    private long ops;

    private static com.sun.management.ThreadMXBean threads() {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        if (bean instanceof com.sun.management.ThreadMXBean) {
            com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) bean;
            if (threads.isThreadAllocatedMemorySupported()) {
                threads.setThreadAllocatedMemoryEnabled(true);
                return threads;
            }
        }
        return null;
    }

    /** Whether this JVM counts allocated bytes per thread. */
    static boolean supported() {
        return THREADS != null;
    }

    /** The bytes the calling thread has allocated so far (0 when not supported). */
    static long currentThreadBytes() {
        return THREADS == null ? 0 : THREADS.getThreadAllocatedBytes(Thread.currentThread().getId());
    }

    /** Adds {@code bytes} allocated over {@code ops} operations. */
    synchronized void record(long bytes, long ops) {
        this.bytes += bytes;
        this.ops += ops;
    }

    /** Bytes per operation over everything recorded. */
    synchronized double bytesPerOp() {
        return ops == 0 ? 0 : (double) bytes / ops;
    }
}
