package io.jivykis;

import io.jivykis.internal.Linux;
import io.jivykis.internal.Native;
import io.jivykis.internal.SignalNames;
import io.jivykis.internal.SignalSender;

/**
 * Signal numbers for {@link SignalHandler}, read from the C headers of the system the
 * library was built for (through the native library), not written down in Java.
 *
 * <p>Loading this class loads the native library. Where it cannot be loaded (see
 * {@link EventLoop#isAvailable()}), every constant is 0, which is no signal, and every method
 * throws what {@link EventLoop#ensureAvailability()} throws: reading a constant must not make
 * this class unusable, which a failing initialiser would.
 *
 * <p>The JVM-owned signals listed at the end are here so that code can name them; a
 * {@link SignalHandler} refuses them, saying why.
 */
public final class Signals {
    /** Hangup; the JVM runs its shutdown hooks on it. Allowed: see {@link SignalHandler}. */
    public static final int SIGHUP = number("SIGHUP");
    /** Interrupt (Ctrl-C); the JVM runs its shutdown hooks on it. Allowed: see {@link SignalHandler}. */
    public static final int SIGINT = number("SIGINT");
    /** Termination request; the JVM runs its shutdown hooks on it. Allowed: see {@link SignalHandler}. */
    public static final int SIGTERM = number("SIGTERM");
    /** User-defined signal 1. */
    public static final int SIGUSR1 = number("SIGUSR1");
    /** A child process stopped or terminated. */
    public static final int SIGCHLD = number("SIGCHLD");
    /** The terminal window changed size. */
    public static final int SIGWINCH = number("SIGWINCH");
    /** Timer expired (alarm(2), setitimer(2)). */
    public static final int SIGALRM = number("SIGALRM");
    /** Continue a stopped process. */
    public static final int SIGCONT = number("SIGCONT");
    /** Urgent condition on a socket. */
    public static final int SIGURG = number("SIGURG");
    /** I/O possible on a descriptor (F_SETOWN). */
    public static final int SIGIO = number("SIGIO");
    /** Profiling timer expired; profilers and the JDK's CPU-time sampling use it, so a SignalHandler refuses it. */
    public static final int SIGPROF = number("SIGPROF");
    /** Virtual timer expired. */
    public static final int SIGVTALRM = number("SIGVTALRM");

    /** Owned by the JVM (stack overflow, null checks): refused. */
    public static final int SIGSEGV = number("SIGSEGV");
    /** Owned by the JVM (memory faults): refused. */
    public static final int SIGBUS = number("SIGBUS");
    /** Owned by the JVM (arithmetic traps): refused. */
    public static final int SIGFPE = number("SIGFPE");
    /** Owned by the JVM (illegal instruction traps): refused. */
    public static final int SIGILL = number("SIGILL");
    /** Ignored by the JVM so failed writes become exceptions: refused. */
    public static final int SIGPIPE = number("SIGPIPE");
    /** Ignored by the JVM so oversize writes become exceptions: refused. */
    public static final int SIGXFSZ = number("SIGXFSZ");
    /** Owned by the JVM (thread dumps): refused. */
    public static final int SIGQUIT = number("SIGQUIT");
    /** Owned by HotSpot (thread suspend and resume): refused. */
    public static final int SIGUSR2 = number("SIGUSR2");

    private Signals() {}

    /** A number from the C headers, or 0 where the library cannot load (see the class comment). */
    private static int number(String name) {
        return Native.loadFailure() == null ? Linux.named(name) : 0;
    }

    /**
     * The real-time signal {@code SIGRTMIN + n}, as the C library computes SIGRTMIN at run
     * time. Real-time signals are queued by the kernel rather than merged, but a
     * {@link SignalHandler} still coalesces deliveries that arrive before it runs.
     * {@code SIGRTMAX - 2} is the JDK's NIO interrupt signal and is refused by SignalHandler.
     *
     * @param n 0 to {@link #rtCount()} - 1
     * @return the signal number, to give to {@link SignalHandler}, {@link #raise(int)} and the like
     * @throws IllegalArgumentException if {@code n} is out of that range
     */
    public static int rt(int n) {
        Native.ensureLoaded();
        int count = rtCount();
        if (n < 0 || n >= count) {
            throw new IllegalArgumentException("Signals.rt(" + n + "): there are " + count
                    + " real-time signals on this system (SIGRTMIN=" + SignalNames.RTMIN + " to SIGRTMAX="
                    + SignalNames.RTMAX + "), so n must be 0 to " + (count - 1));
        }
        return SignalNames.RTMIN + n;
    }

    /**
     * How many real-time signals there are: SIGRTMAX - SIGRTMIN + 1.
     *
     * @return the count on this system, as the C library reports it at run time
     */
    public static int rtCount() {
        Native.ensureLoaded();
        return SignalNames.RTMAX - SignalNames.RTMIN + 1;
    }

    /**
     * Raises {@code signum} in the calling thread, as raise(3) does: the signal is delivered to
     * this thread, so its native handler has run by the time this method returns (unless the
     * thread blocks the signal). With a {@link SignalHandler} registered for it, the handler's
     * descriptor is therefore already written: the handler will run in its loop's next
     * iteration, on the loop's thread, whichever thread raised. This is what
     * {@code sun.misc.Signal.raise} does, without the JDK-internal API. Use it to test a
     * handler deterministically, or to signal yourself from the loop thread.
     *
     * <p>A signal with no handler and no jivykis handler takes its default action: SIGTERM,
     * SIGINT and SIGHUP start the JVM's shutdown, SIGUSR1 or a real-time signal ends the
     * process.
     *
     * @param signum one a {@link SignalHandler} may take (the signals it refuses are refused
     *     here too, for the same reasons: the JVM relies on them)
     * @throws IllegalArgumentException if the signal is refused; the message says why
     * @throws java.io.UncheckedIOException if raise(3) fails
     */
    public static void raise(int signum) {
        SignalSender.raise(signum);
    }

    /**
     * Sends {@code signum} to this process, as {@code kill -<signal> <this pid>} from a shell
     * would (kill(2) with this process's pid): the kernel delivers it to one thread that does
     * not block it, perhaps after this method returns. This is the path a signal from another
     * process takes; {@link #raise(int)} is the deterministic one.
     *
     * <p>As with {@link #raise(int)}, a signal nobody handles takes its default action.
     *
     * @param signum one a {@link SignalHandler} may take (the others are refused)
     * @throws IllegalArgumentException if the signal is refused; the message says why
     * @throws java.io.UncheckedIOException if kill(2) fails
     */
    public static void sendToThisProcess(int signum) {
        SignalSender.sendToThisProcess(signum);
    }

    /**
     * The name of a signal number: {@code "SIGUSR1"}, {@code "SIGRTMIN+3"}, or
     * {@code "signal 32"} for a number with no name.
     *
     * @param signum any int; a number that is no signal gets the {@code "signal N"} form
     * @return the name, never null
     */
    public static String name(int signum) {
        Native.ensureLoaded();
        return SignalNames.name(signum);
    }
}
