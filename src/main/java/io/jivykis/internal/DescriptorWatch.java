package io.jivykis.internal;

/**
 * What FdWatch asks of epoll for a caller's descriptor, and the exceptions that say why a
 * descriptor cannot be watched and what to do (the raw errno text alone does not).
 */
public final class DescriptorWatch {
    private DescriptorWatch() {}

    /**
     * The epoll events for a watch with these handlers. Error and hang-up are always reported
     * by epoll. With no handler at all the entry is parked with EPOLLONESHOT: epoll reports
     * error and hang-up even for an empty mask, level-triggered, which would wake the loop
     * again and again for nobody; one-shot disarms the entry after at most one such report.
     */
    public static int events(boolean readable, boolean writable, boolean error) {
        int events = (readable ? Linux.EPOLLIN : 0) | (writable ? Linux.EPOLLOUT : 0);
        return readable || writable || error ? events : Linux.EPOLLONESHOT;
    }

    /**
     * Throws what a refused epoll_ctl(ADD) of {@code fd} means to an FdWatch user; returns if
     * {@code rc} is 0.
     *
     * @throws IllegalArgumentException if the descriptor is closed or cannot be polled
     * @throws IllegalStateException if the descriptor is already in this loop's epoll set
     * @throws java.io.UncheckedIOException for any other refusal (ENOMEM, ENOSPC...)
     */
    public static void checkAdded(int fd, int rc) {
        if (rc == 0) {
            return;
        }
        int errno = -rc;
        if (errno == Linux.EBADF) {
            throw new IllegalArgumentException("FdWatch.register(): fd " + fd + " is not an open descriptor ("
                    + Errors.describe(errno) + "): register the watch while the descriptor is open");
        }
        if (errno == Linux.EPERM) {
            throw new IllegalArgumentException("FdWatch.register(): fd " + fd + " cannot be watched: epoll does not"
                    + " support this kind of descriptor (" + Errors.describe(errno) + "). Regular files and"
                    + " directories are always ready; read or write them directly instead of watching them");
        }
        if (errno == Linux.EEXIST) {
            throw new IllegalStateException("FdWatch.register(): fd " + fd + " is already watched by this thread's"
                    + " event loop (by another FdWatch, an EventRaw or the loop itself; " + Errors.describe(errno)
                    + "): set several handlers on one FdWatch instead, or unregister the other watch first");
        }
        if (errno == Linux.EINVAL || errno == Linux.ELOOP) {
            throw new IllegalArgumentException("FdWatch.register(): fd " + fd + " cannot be watched by this loop ("
                    + Errors.describe(errno) + "): it is this loop's own epoll descriptor, or an epoll descriptor"
                    + " that would make a loop of epoll sets");
        }
        throw Errors.failure("epoll_ctl(ADD, fd " + fd + ")", errno);
    }

    /** Throws what a refused epoll_ctl(MOD) of a watched {@code fd} means; returns if {@code rc} is 0. */
    public static void checkModified(int fd, int rc) {
        if (rc == -Linux.EBADF || rc == -Linux.ENOENT) {
            throw new IllegalStateException("FdWatch: fd " + fd + " was closed while watched (" + Errors.describe(-rc)
                    + "): unregister the watch before closing its descriptor");
        }
        Errors.check("epoll_ctl(MOD, fd " + fd + ")", rc);
    }
}
