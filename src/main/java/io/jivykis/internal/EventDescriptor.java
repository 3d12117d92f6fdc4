package io.jivykis.internal;

import io.jivykis.Backend;
import java.util.Locale;

/**
 * The descriptor that makes an event readable: an eventfd(2), or a pipe(2) when eventfd is
 * not available or not wanted. Writes are exact (8 bytes to an eventfd, 1 byte to a pipe);
 * EAGAIN on a saturated counter or a full pipe means the reader is already woken.
 */
public final class EventDescriptor {
    /** The system property that chooses the backend at each register. */
    public static final String BACKEND_PROPERTY = "jivykis.backend";

    private final Backend backend;
    private final int readFd;
    private final int writeFd;

    private EventDescriptor(Backend backend, int readFd, int writeFd) {
        this.backend = backend;
        this.readFd = readFd;
        this.writeFd = writeFd;
    }

    /** The backend named by {@value #BACKEND_PROPERTY}, default eventfd. */
    public static Backend configuredBackend() {
        String value = System.getProperty(BACKEND_PROPERTY, "eventfd").trim().toLowerCase(Locale.ROOT);
        switch (value) {
            case "eventfd":
                return Backend.EVENTFD;
            case "pipe":
                return Backend.PIPE;
            default:
                throw new IllegalArgumentException("system property " + BACKEND_PROPERTY + "=" + value
                        + " is not a backend: use eventfd (the default) or pipe");
        }
    }

    /**
     * Opens a descriptor of the configured backend, falling back from eventfd to pipe when
     * the kernel answers ENOSYS or EINVAL.
     *
     * @throws java.io.UncheckedIOException when the kernel refuses (EMFILE, ENFILE...); nothing is left open
     */
    public static EventDescriptor open() {
        if (configuredBackend() == Backend.EVENTFD) {
            int fd = Native.eventfd();
            if (fd >= 0) {
                return new EventDescriptor(Backend.EVENTFD, fd, fd);
            }
            if (fd != -Linux.ENOSYS && fd != -Linux.EINVAL) {
                throw Errors.failure("eventfd", -fd);
            }
        }
        long ends = Errors.check("pipe2", Native.pipe());
        return new EventDescriptor(Backend.PIPE, (int) (ends >>> 32), (int) ends);
    }

    /** The backend in use. */
    public Backend backend() {
        return backend;
    }

    /** The descriptor the loop polls for readability. */
    public int readFd() {
        return readFd;
    }

    /** The descriptor a poster writes to (the same as {@link #readFd()} for eventfd). */
    public int writeFd() {
        return writeFd;
    }

    /**
     * Makes the descriptor readable: 0, or a negative errno other than EAGAIN (which means
     * the reader is already woken and is reported as success).
     */
    public int signal() {
        int rc = write(writeFd, backend);
        return rc == -Linux.EAGAIN ? 0 : rc;
    }

    /**
     * The one exact write that posts to an event's descriptor {@code fd} of {@code backend}
     * (8 bytes holding 1, or one byte), EINTR retried: 0 or a negative errno, EAGAIN included
     * (the caller decides what a full pipe or a saturated counter means to it).
     */
    public static int write(int fd, Backend backend) {
        return backend == Backend.EVENTFD ? Native.eventfdPost(fd) : Native.pipePost(fd);
    }

    /** close(2) of a posting descriptor held on its own (a Poster's): 0 or a negative errno. */
    public static int closeWriter(int fd) {
        return Native.close(fd);
    }

    /**
     * Empties the descriptor, or drains a pipe under {@link HolderPipe#DRAIN_READS} reads
     * (what a writer adds meanwhile stays for the next iteration: level-triggered epoll
     * reports it again, so a flood cannot hold the loop thread here). The read end is this
     * process's alone (no holder shares its file description), so O_NONBLOCK holds and the
     * read never blocks.
     *
     * @return whether anything was read, that is whether someone wrote since the last drain
     */
    public boolean drain() {
        if (backend == Backend.EVENTFD) {
            long rc = Native.eventfdDrain(readFd);
            if (rc < 0 && rc != -Linux.EAGAIN) {
                Errors.check("read(eventfd " + readFd + ")", rc);
            }
            return rc > 0;
        }
        // This pipe's write end is the owner's own, so it never reads end-of-file.
        return drainPipe(readFd, HolderPipe.DRAIN_READS) > 0;
    }

    /**
     * Reads a pipe's read end {@code fd} (non-blocking) until it is empty or {@code maxReads}
     * reads of {@link Linux#PIPE_DRAIN_BYTES} were made.
     *
     * @return the bytes read; 0 when there was nothing; -1 at end of file with nothing read
     *     (no writer is left)
     */
    static int drainPipe(int fd, int maxReads) {
        int total = 0;
        for (int i = 0; i < maxReads; i++) {
            int n = Native.pipeDrain(fd);
            if (n == -Linux.EAGAIN) {
                return total;
            }
            if (n < 0) {
                Errors.check("read(pipe " + fd + ")", n);
            }
            if (n == 0) {
                return total > 0 ? total : -1;
            }
            total += n;
            if (n < Linux.PIPE_DRAIN_BYTES) {
                return total; // a shorter read emptied the pipe
            }
        }
        return total;
    }

    /** Closes every descriptor held; reports the first failure after trying all. */
    public void close() {
        int rc = Native.close(readFd);
        if (writeFd != readFd) {
            int rcWrite = Native.close(writeFd);
            if (rc == 0) {
                rc = rcWrite;
            }
        }
        Errors.check("close(" + backend.name().toLowerCase(Locale.ROOT) + " fd " + readFd + ")", rc);
    }
}
