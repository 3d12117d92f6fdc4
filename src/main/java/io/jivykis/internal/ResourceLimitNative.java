package io.jivykis.internal;

/**
 * The JNI binding for RLIMIT_NOFILE (getrlimit/setrlimit), and the one policy built on it:
 * raising the soft limit so a process can hold many descriptors. Bound by
 * {@code RegisterNatives} from the library's {@code JNI_OnLoad}.
 */
public final class ResourceLimitNative {
    static {
        Native.ensureLoaded();
    }

    private ResourceLimitNative() {}

    /** getrlimit(RLIMIT_NOFILE): the hard limit when {@code hard}, else the soft one; or a negative errno. */
    static native long nofileLimit(boolean hard);

    /** setrlimit(RLIMIT_NOFILE): 0 or a negative errno. */
    static native int setNofileLimit(long soft, long hard);

    /** The current soft limit on open descriptors. */
    public static long softNofile() {
        return Errors.check("getrlimit(RLIMIT_NOFILE)", nofileLimit(false));
    }

    /**
     * Raises the soft descriptor limit to at least {@code wanted} if it can: up to the hard
     * limit always, and past it only when the process may raise the hard limit (root or
     * CAP_SYS_RESOURCE). Never lowers anything.
     *
     * @return the soft limit in force afterwards
     * @throws java.io.UncheckedIOException if the limit cannot be read or set for another reason than EPERM
     */
    public static long raiseNofile(long wanted) {
        long soft = softNofile();
        long hard = Errors.check("getrlimit(RLIMIT_NOFILE)", nofileLimit(true));
        if (soft >= wanted) {
            return soft;
        }
        if (hard < wanted && setNofileLimit(wanted, wanted) == 0) {
            return wanted;
        }
        if (soft < hard) {
            Errors.check("setrlimit(RLIMIT_NOFILE, " + hard + ")", setNofileLimit(hard, hard));
        }
        return softNofile();
    }
}
