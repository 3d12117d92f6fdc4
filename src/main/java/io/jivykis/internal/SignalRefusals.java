package io.jivykis.internal;

/**
 * Which signals a SignalHandler may not take, and why. The JVM relies on these itself;
 * replacing its handler would crash it, hang it or break a JDK feature.
 */
public final class SignalRefusals {
    /**
     * The signal the JDK's NIO sends to a thread blocked in a channel operation when the
     * thread is interrupted or the channel closed asynchronously: {@code __SIGRTMAX - 2}
     * on Linux, fixed when the JDK is compiled (the same in JDK 17 and 25).
     */
    public static final int JDK_NIO_INTERRUPT = Linux.named("__SIGRTMAX") - 2;

    private static final int NSIG = Linux.named("NSIG");

    private SignalRefusals() {}

    /**
     * Throws unless a SignalHandler may take {@code signum}.
     *
     * @throws IllegalArgumentException saying why the signal is refused
     */
    public static void check(int signum) {
        String why = reason(signum);
        if (why != null) {
            throw new IllegalArgumentException("SignalHandler cannot take signal " + signum
                    + (signum > 0 && signum < NSIG ? " (" + SignalNames.name(signum) + ")" : "") + ": " + why);
        }
    }

    /** Why {@code signum} is refused, or null when it is allowed. */
    public static String reason(int signum) {
        if (signum <= 0 || signum >= NSIG) {
            return "not a signal number (signals are 1 to " + (NSIG - 1) + "; use the Signals constants)";
        }
        if (signum == Linux.named("SIGKILL") || signum == Linux.named("SIGSTOP")) {
            return "it cannot be caught by any process (signal(7))";
        }
        if (signum == Linux.named("SIGSEGV") || signum == Linux.named("SIGBUS")) {
            return "the JVM handles it to turn memory faults into exceptions (NullPointerException,"
                    + " StackOverflowError) and crash reports; replacing its handler would crash the JVM";
        }
        if (signum == Linux.named("SIGFPE") || signum == Linux.named("SIGILL")) {
            return "the JVM handles it to turn arithmetic and illegal-instruction traps into exceptions"
                    + " (ArithmeticException) and crash reports; replacing its handler would crash the JVM";
        }
        if (signum == Linux.named("SIGPIPE")) {
            return "the JVM ignores it so that writing to a closed socket or pipe fails with an IOException"
                    + " instead of killing the process";
        }
        if (signum == Linux.named("SIGXFSZ")) {
            return "the JVM ignores it so that writing past the file-size limit fails with an IOException"
                    + " instead of killing the process";
        }
        if (signum == Linux.named("SIGQUIT")) {
            return "the JVM prints its thread dump on it (kill -3, jstack)";
        }
        if (signum == Linux.named("SIGUSR2")) {
            return "HotSpot suspends and resumes threads with it; use SIGUSR1 or Signals.rt(n) instead";
        }
        if (signum == Linux.named("SIGPROF")) {
            return "profilers use it for CPU-time sampling (async-profiler, and the JDK's own JFR CPU-time sampling"
                    + " of JEP 509): taking it would break them silently, and a profiler started later would"
                    + " take it back; use SIGUSR1 or Signals.rt(n) instead";
        }
        if (signum == JDK_NIO_INTERRUPT) {
            return "the JDK's NIO sends it to interrupt threads blocked in channel I/O (Thread.interrupt,"
                    + " asynchronous close); use another Signals.rt(n)";
        }
        if (signum < SignalNames.RTMIN && signum > Linux.named("SIGSYS")) {
            return "the C library reserves it for its own thread management (below SIGRTMIN="
                    + SignalNames.RTMIN + ")";
        }
        return null;
    }
}
