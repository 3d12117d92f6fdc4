package io.jivykis.tools.bench;

import java.lang.invoke.MethodHandle;

/**
 * The calling thread's CPU time (user and system). On a machine shared with other work, a
 * single-threaded case's CPU time per operation leaves out the time the thread spent waiting
 * for a CPU, which wall-clock time includes.
 */
final class ThreadClock {
    private static final MethodHandle CPU_NANOS = ManagementHandles.currentThreadCpuTime();

    private ThreadClock() {}

    /** Nanoseconds of CPU the calling thread has used, or -1 when the JVM cannot tell. */
    static long cpuNanos() {
        if (CPU_NANOS == null) {
            return -1;
        }
        try {
            return (long) CPU_NANOS.invokeExact();
        } catch (Throwable e) {
            throw new IllegalStateException("reading the thread's CPU time failed", e);
        }
    }

    /** CPU nanoseconds per op between two readings, or 0 when unknown. */
    static double perOp(long startCpu, long endCpu, long ops) {
        return startCpu < 0 || ops == 0 ? 0 : (double) (endCpu - startCpu) / ops;
    }
}
