package io.jivykis.internal;

/**
 * The JNI binding of epoll_pwait2(2), bound by the shim's {@code JNI_OnLoad} like
 * {@link Native}. No static initialiser: the class is found (and initialised) while the
 * library is being loaded. Call {@link Native#ensureLoaded()} before using it. Not public: it
 * writes to a raw address, which only {@link Epoll} may hand it.
 */
final class TimedWaitNative {
    private TimedWaitNative() {}

    /**
     * epoll_pwait2 into native memory at {@code address}, waiting up to {@code timeoutNanos}
     * (negative: forever): the count, or a negative errno (EINTR returned; ENOSYS or EPERM
     * when the kernel or a seccomp filter refuses the call).
     */
    static native int epollWaitNanos(int epfd, long address, int maxEvents, long timeoutNanos);
}
