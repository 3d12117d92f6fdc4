package io.jivykis.tools.bench;

import java.lang.invoke.MethodHandle;

/**
 * Bytes allocated by a thread, from {@code com.sun.management.ThreadMXBean}: the JVM counts
 * every TLAB and outside-TLAB allocation per thread, so a steady-state hot path that
 * allocates nothing shows 0.
 */
final class AllocationProbe {
    private static final MethodHandle ALLOCATED = ManagementHandles.currentThreadAllocatedBytes();

    private long bytes;
    private long ops;

    /** Whether this JVM counts allocated bytes per thread. */
    static boolean supported() {
        return ALLOCATED != null;
    }

    /** The bytes the calling thread has allocated so far (0 when not supported). */
    static long currentThreadBytes() {
        if (ALLOCATED == null) {
            return 0;
        }
        try {
            return (long) ALLOCATED.invokeExact();
        } catch (Throwable e) {
            throw new IllegalStateException("reading the thread's allocated bytes failed", e);
        }
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
