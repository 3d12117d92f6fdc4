package io.jivykis.internal;

import io.jivykis.Backend;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.Set;

/**
 * The Unix domain socket of an event offer, both ends: the owner's listening socket and the
 * one message it answers each connection with, and the receiver's connect. Wraps
 * {@link OfferNative} and says, for each refusal, what happened and what to do.
 */
public final class OfferSocket {
    private OfferSocket() {}

    /** A listening socket and the identity of the file it made, which alone its close may remove. */
    public static final class Listening {
        /** The listening socket's descriptor. */
        public final int fd;
        private final Path path;
        private final long dev;
        private final long ino;

        private Listening(int fd, Path path, long dev, long ino) {
            this.fd = fd;
            this.path = path;
            this.dev = dev;
            this.ino = ino;
        }

        /**
         * Removes the socket file if it is still the one this offer made (someone may have
         * removed it and put another there, another offer's perhaps), then closes the
         * socket; in that order, because the open socket keeps the file's inode number from
         * being given to a new file.
         *
         * @throws UncheckedIOException if the file is ours but cannot be removed (the socket is closed all the same)
         */
        public void close() {
            int rc;
            try {
                rc = OfferNative.remove(CStrings.bytes(path.toString()), dev, ino);
            } finally {
                Native.close(fd);
            }
            if (rc < 0) {
                throw new UncheckedIOException(new IOException("closing the event offer: cannot remove " + path
                        + ": " + Errors.describe(-rc)));
            }
        }
    }

    /**
     * A listening socket bound at {@code path} (absolute), its file created with exactly
     * {@code permissions}, by steps that follow no symlink and change no file but the one
     * made (native/src/offer_path.c).
     *
     * @throws UncheckedIOException naming the path, the errno text and the likely remedy
     */
    public static Listening listen(Path path, Set<PosixFilePermission> permissions) {
        Native.ensureLoaded();
        long[] identity = new long[2];
        int fd = OfferNative.listen(CStrings.bytes(path.toString()), modeBits(permissions), identity);
        if (fd < 0) {
            throw new UncheckedIOException(new IOException("cannot offer an event at " + path + ": "
                    + Errors.describe(-fd) + listenAdvice(-fd, path)));
        }
        return new Listening(fd, path, identity[0], identity[1]);
    }

    private static String listenAdvice(int errno, Path path) {
        if (errno == Linux.EADDRINUSE) {
            return ": a file already exists there (a stale socket from a process that died?); remove it or choose another path";
        }
        if (errno == Linux.ENAMETOOLONG) {
            return ": a Unix socket path holds at most 107 bytes; choose a shorter one";
        }
        if (errno == Linux.ENOENT) {
            return ": the directory " + path.getParent() + " does not exist";
        }
        if (errno == Linux.EBUSY) {
            return ": another process renamed or replaced the offer's private directory in " + path.getParent()
                    + " while the offer was made; nothing was published. Try again, and keep offers in a"
                    + " directory only their intended users can write";
        }
        if (errno == Linux.ENOSYS) {
            return ": the socket is bound through /proc/self/fd, and /proc is not mounted in this process";
        }
        return "";
    }

    private static int modeBits(Set<PosixFilePermission> mode) {
        int bits = 0;
        for (PosixFilePermission p : mode) {
            bits |= 1 << (8 - p.ordinal()); // OWNER_READ is 0400 ... OTHERS_EXECUTE is 0001
        }
        return bits;
    }

    /**
     * The next waiting connection on {@code listenFd}, or -1 when nobody is waiting. Peers
     * that gave up before being accepted are skipped.
     *
     * @throws UncheckedIOException for any other failure (EMFILE...): a level-triggered socket
     *     that stays readable would otherwise make the loop spin on it
     */
    public static int accept(int listenFd, Path path) {
        for (;;) {
            int conn = OfferNative.accept(listenFd);
            if (conn >= 0) {
                return conn;
            }
            if (conn == -Linux.EAGAIN) {
                return -1;
            }
            if (conn != -Linux.ECONNABORTED && conn != -Linux.EPROTO) {
                throw Errors.failure("accept(event offer " + path + ")", -conn);
            }
        }
    }

    /** Sends {@code eventFd} on connection {@code conn}; whether it was sent (a peer gone is not an error). */
    public static boolean send(int conn, int eventFd, Backend backend) {
        return OfferNative.send(conn, eventFd, backend == Backend.PIPE) == 0;
    }

    /** Closes a connection or the listening socket; a failure to close is of no consequence to the offer. */
    public static void close(int fd) {
        Native.close(fd);
    }

    /**
     * Connects to the offer at {@code socket} and receives its event's descriptor, checked to
     * be an eventfd or a pipe's write end.
     *
     * @throws UncheckedIOException naming the path and the reason
     * @throws IllegalStateException if what was received is not an event's write end
     */
    public static PostTarget connect(Path socket, Duration timeout) {
        Native.ensureLoaded();
        int millis = (int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis()));
        int fd = OfferNative.connect(CStrings.bytes(socket.toString()), millis);
        if (fd < 0) {
            throw new UncheckedIOException(new IOException("no event from the offer at " + socket + ": "
                    + Errors.describe(-fd) + connectAdvice(-fd)));
        }
        String origin = "event offered at " + socket;
        try {
            return new PostTarget(fd, DescriptorKind.checkWritable(fd, null, origin), origin);
        } catch (RuntimeException e) {
            Native.close(fd);
            throw e;
        }
    }

    private static String connectAdvice(int errno) {
        if (errno == Linux.ENOENT) {
            return ": no socket exists at that path (is the owner's EventOffer open?)";
        }
        if (errno == Linux.ECONNREFUSED) {
            return ": nobody offers there any more (the EventOffer was closed or its process exited)";
        }
        if (errno == Linux.EACCES) {
            return ": the socket's file permissions exclude this user";
        }
        if (errno == Linux.ETIMEDOUT) {
            return ": the owner did not answer in time (is its event loop running?)";
        }
        if (errno == Linux.EPROTO) {
            return ": the owner sent no descriptor (its event is no longer registered, or the offer has as many"
                    + " live posters as it allows)";
        }
        if (errno == Linux.EBADMSG) {
            return ": the answer is not an event offer's (no descriptor or more than one, truncated control data,"
                    + " a wrong kind byte, or a descriptor that is not an event's write end); every descriptor"
                    + " received was closed. Is the socket at that path really an EventOffer?";
        }
        return "";
    }
}
