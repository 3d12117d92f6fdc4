package io.jivykis.internal;

import java.nio.ByteBuffer;

/**
 * The JNI binding: one static native per system call, primitive arguments, and a negative
 * errno on failure. No policy lives here; {@link Errors} turns failures into exceptions.
 *
 * <p>The methods are bound by {@code RegisterNatives} from the library's {@code JNI_OnLoad}.
 * Call {@link #ensureLoaded()} before any of them: it reports why loading failed instead of
 * a bare {@code UnsatisfiedLinkError}.
 *
 * <p>This class's initialisation never fails: the loader returns its failure instead of
 * throwing it, so the class stays usable and every later call gets a fresh error with the
 * same account. A failure in a static initialiser would instead leave the class erroneous,
 * and every use after the first would get a bare {@code NoClassDefFoundError}. Classes whose
 * initialisers call natives ({@link Linux}, {@link SignalNative}) must therefore be reached
 * only after {@link #ensureLoaded()} has returned.
 */
public final class Native {
    private static final Throwable LOAD_FAILURE = NativeLoader.load();

    private Native() {}

    /**
     * Ensures the native library is loaded.
     *
     * @throws UnsatisfiedLinkError with the full account of what was tried and why it failed
     * @throws UnsupportedOperationException on a platform jivykis has no library for
     */
    public static void ensureLoaded() {
        if (LOAD_FAILURE != null) {
            throwLoadFailure();
        }
    }

    /** Why the library could not be loaded (the loader's own account), or null once it is loaded. */
    public static Throwable loadFailure() {
        return LOAD_FAILURE;
    }

    /**
     * Throws a fresh error carrying the load failure: an {@code UnsupportedOperationException} on a
     * platform jivykis does not support, else an {@code UnsatisfiedLinkError}. Fresh, so that
     * each caller's stack trace shows its own call.
     */
    private static void throwLoadFailure() {
        if (LOAD_FAILURE instanceof UnsupportedOperationException) {
            throw new UnsupportedOperationException(LOAD_FAILURE.getMessage(), LOAD_FAILURE);
        }
        UnsatisfiedLinkError error = new UnsatisfiedLinkError(LOAD_FAILURE.getMessage());
        error.initCause(LOAD_FAILURE);
        throw error;
    }

    /** eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK): the descriptor or a negative errno. */
    public static native int eventfd();

    /** pipe2(O_CLOEXEC | O_NONBLOCK): read end in the high 32 bits, write end in the low, or a negative errno. */
    public static native long pipe();

    /** close(2): 0 or a negative errno. */
    public static native int close(int fd);

    /** One 8-byte write of 1 to an eventfd: 0 or a negative errno (EINTR retried). */
    public static native int eventfdPost(int fd);

    /** One 8-byte read of an eventfd: the counter or a negative errno (EINTR retried). */
    public static native long eventfdDrain(int fd);

    /** One 1-byte write to a pipe: 0 or a negative errno (EINTR retried). */
    public static native int pipePost(int fd);

    /** One read of up to {@link Linux#PIPE_DRAIN_BYTES} from a pipe: the count or a negative errno (EINTR retried). */
    public static native int pipeDrain(int fd);

    /** epoll_create1(EPOLL_CLOEXEC): the descriptor or a negative errno. */
    public static native int epollCreate();

    /** epoll_ctl(2) with {@code data.u64 = token}: 0 or a negative errno. */
    public static native int epollCtl(int epfd, int op, int fd, int events, long token);

    /**
     * epoll_wait(2) into native memory at {@code address}: the count or a negative errno (EINTR
     * returned). Package-private: the kernel writes {@code maxEvents} entries at
     * {@code address}, so only {@link Epoll}, which owns the buffer, may call it.
     */
    static native int epollWait(int epfd, long address, int maxEvents, int timeoutMs);

    /** The native address of a direct buffer, or -EINVAL for null or a heap buffer. */
    static native long bufferAddress(ByteBuffer buffer);

    /** The value of a named C constant from the system headers, or {@code Long.MIN_VALUE} if unknown or null. */
    public static native long constant(String name);

    /** strerror(3) text for an errno value. */
    public static native String strerror(int errno);
}
