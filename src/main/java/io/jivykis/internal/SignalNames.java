package io.jivykis.internal;

import java.util.HashMap;
import java.util.Map;

/** Signal names and numbers, the numbers read from the C headers through the shim. */
public final class SignalNames {
    private static final String[] NAMES = {
        "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT", "SIGBUS", "SIGFPE", "SIGKILL",
        "SIGUSR1", "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM", "SIGCHLD", "SIGCONT", "SIGSTOP",
        "SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGURG", "SIGXCPU", "SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH",
        "SIGIO", "SIGSYS",
    };
    private static final Map<Integer, String> BY_NUMBER = new HashMap<>();

    static {
        for (String name : NAMES) {
            // Linux aliases (SIGIOT = SIGABRT, SIGPOLL = SIGIO) are not listed: one name each.
            BY_NUMBER.putIfAbsent(Linux.named(name), name);
        }
    }

    /** SIGRTMIN as the C library computes it at run time (glibc reserves the ones below). */
    public static final int RTMIN = SignalNative.rtMin();
    /** SIGRTMAX as the C library computes it at run time. */
    public static final int RTMAX = SignalNative.rtMax();

    private SignalNames() {}

    /** "SIGUSR1", "SIGRTMIN+3", or "signal 32" for a number with no name. */
    public static String name(int signum) {
        String name = BY_NUMBER.get(signum);
        if (name != null) {
            return name;
        }
        if (signum >= RTMIN && signum <= RTMAX) {
            return signum == RTMIN ? "SIGRTMIN" : "SIGRTMIN+" + (signum - RTMIN);
        }
        return "signal " + signum;
    }
}
