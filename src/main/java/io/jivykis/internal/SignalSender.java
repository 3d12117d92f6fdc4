package io.jivykis.internal;

/**
 * Sends signals to this process for {@link io.jivykis.Signals#raise(int)} and
 * {@link io.jivykis.Signals#sendToThisProcess(int)}: the refusal check, the one system call,
 * and the errno turned into an exception.
 */
public final class SignalSender {
    private static final int PID = (int) ProcessHandle.current().pid();
    /**
     * Which signal numbers may be sent, worked out once: SignalRefusals looks each name up in
     * the native constant table, which costs more than the kill(2) a signal bench times.
     */
    private static final boolean[] ALLOWED = allowed();

    private static boolean[] allowed() {
        boolean[] allowed = new boolean[Linux.named("NSIG")];
        for (int signum = 1; signum < allowed.length; signum++) {
            allowed[signum] = SignalRefusals.reason(signum) == null;
        }
        return allowed;
    }

    private SignalSender() {}

    /** raise(3): to the calling thread, whose handler has run when this returns. */
    public static void raise(int signum) {
        check("Signals.raise", signum);
        int rc = SignalNative.raise(signum);
        if (rc < 0) { // the message is built only on failure: a signal bench times this call
            throw Errors.failure("raise(" + SignalNames.name(signum) + ")", -rc);
        }
    }

    /** kill(2) with this process's pid: to whichever thread does not block the signal. */
    public static void sendToThisProcess(int signum) {
        check("Signals.sendToThisProcess", signum);
        int rc = SignalNative.kill(PID, signum);
        if (rc < 0) {
            throw Errors.failure("kill(" + PID + ", " + SignalNames.name(signum) + ")", -rc);
        }
    }

    /**
     * The signals a SignalHandler may not take are the ones whose delivery would crash the
     * JVM, stop it, dump its threads or confuse its own use of them; none of them is something
     * to send to a handler, so sending is refused for the same reasons.
     */
    private static void check(String method, int signum) {
        if (signum <= 0 || signum >= ALLOWED.length || !ALLOWED[signum]) {
            String why = SignalRefusals.reason(signum);
            throw new IllegalArgumentException(method + " cannot send " + SignalNames.name(signum) + ": " + why);
        }
    }
}
