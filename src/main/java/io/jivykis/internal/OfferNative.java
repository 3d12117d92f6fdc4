package io.jivykis.internal;

/**
 * JNI binding for event offers over Unix domain sockets (native/src/offer.c): one native
 * per concern, a negative errno on failure. Only {@link OfferSocket} calls it.
 */
final class OfferNative {
    private OfferNative() {}

    /**
     * A listening Unix socket bound at {@code path} (bytes without a terminator), its file
     * made in a private directory, set to exactly {@code mode} there and linked into place;
     * O_CLOEXEC | O_NONBLOCK. The file's st_dev and st_ino go to {@code identity[0..1]}. The
     * descriptor or a negative errno; on failure nothing is left open or bound.
     */
    static native int listen(byte[] path, int mode, long[] identity);

    /**
     * Removes {@code path} if it is still the socket file {@code dev}/{@code ino}: 0 removed,
     * 1 left alone (gone, or another file is there), or a negative errno. Call it before
     * closing the listening socket, which keeps that inode number from being reused.
     */
    static native int remove(byte[] path, long dev, long ino);

    /** accept4(O_CLOEXEC | O_NONBLOCK): a connection or a negative errno (-EAGAIN: none waiting). */
    static native int accept(int listenFd);

    /** Sends one backend byte carrying {@code eventFd} (SCM_RIGHTS) on {@code conn}: 0 or a negative errno. */
    static native int send(int conn, int eventFd, boolean isPipe);

    /**
     * jivykis_offer_connect: connects to {@code path} (bytes without a terminator) and
     * receives the offered descriptor (close-on-exec), waiting at most {@code timeoutMs}.
     * The descriptor or a negative errno.
     */
    static native int connect(byte[] path, int timeoutMs);
}
