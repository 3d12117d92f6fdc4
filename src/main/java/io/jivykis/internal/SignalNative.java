package io.jivykis.internal;

/**
 * The JNI binding of the native signal handler (native/src/signal.c, signal_table.c):
 * thin natives returning 0 or a negative errno. The policy (which signals, which
 * descriptors, when to restore) is in {@link SignalTable}.
 */
public final class SignalNative {
    static {
        Native.ensureLoaded();
    }

    private SignalNative() {}

    /** Installs the jivykis handler (SA_RESTART, full mask), saving the previous disposition. */
    static native int install(int signum);

    /** Restores the saved disposition: 0, 1 when a foreign handler replaced ours (left alone), or a negative errno. */
    static native int restore(int signum);

    /** Publishes {@code fd} in a slot: the handler writes it from now on. */
    static native int publish(int signum, int slot, int fd, boolean isPipe);

    /** Empties a slot; a handler already running may still write it until {@link #quiesce()} returns. */
    static native int clear(int signum, int slot);

    /** Waits until no handler that may have read a cleared slot is still running. */
    static native void quiesce();

    /** The current disposition: one of the {@link SignalDisposition} codes, or a negative errno. */
    public static native int disposition(int signum);

    /** How many descriptors one signal can have published at once. */
    static native int slotCount();

    /** SIGRTMIN as the C library computes it at run time. */
    static native int rtMin();

    /** SIGRTMAX as the C library computes it at run time. */
    static native int rtMax();

    /** kill(2): 0 or a negative errno. For {@link SignalSender}, which passes this process's pid. */
    static native int kill(int pid, int signum);

    /** raise(3): the signal is handled on the calling thread before this returns. 0 or a negative errno. */
    static native int raise(int signum);
}
