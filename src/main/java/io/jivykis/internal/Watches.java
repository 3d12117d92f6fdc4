package io.jivykis.internal;

import java.util.Arrays;

/**
 * Every descriptor a loop's epoll set watches, and who watches it: the one path by which a
 * descriptor enters a loop and leaves it before it is closed.
 *
 * <p>epoll keys its entries by descriptor number and open file, and a number is reused by
 * the kernel as soon as it is closed. A caller's descriptor ({@code FdWatch}) may be closed
 * while still watched, and its number given to a descriptor that another object of this
 * loop then adds; an epoll_ctl(DEL) by number for the old watch would remove the new
 * object's entry. So each number remembers its current watcher, and only that watcher can
 * change or remove the entry: a stale watcher's removal does nothing.
 *
 * <p>The table is indexed by descriptor number, like the kernel's own descriptor table, and
 * grows to the highest number watched. Loop thread only; no synchronisation.
 */
final class Watches {
    private final Epoll epoll;
    private Object[] watchers = new Object[64];

    Watches(Epoll epoll) {
        this.epoll = epoll;
    }

    /**
     * epoll_ctl(ADD) of {@code fd} with {@code token}, recorded as {@code watcher}'s.
     *
     * @return 0, or the negative errno of the refusal (nothing is then recorded)
     */
    int add(int fd, int events, long token, Object watcher) {
        int rc = epoll.control(Linux.EPOLL_CTL_ADD, fd, events, token);
        if (rc == 0) {
            if (fd >= watchers.length) {
                watchers = Arrays.copyOf(watchers, Math.max(fd + 1, watchers.length * 2));
            }
            // A number still recorded for another watcher was closed by its owner while
            // watched (the kernel dropped that entry): the new ADD succeeding proves it.
            watchers[fd] = watcher;
        }
        return rc;
    }

    /**
     * epoll_ctl(MOD) of {@code watcher}'s entry for {@code fd}.
     *
     * @return 0; -ENOENT when the entry is not {@code watcher}'s any more (its descriptor was
     *     closed while watched); or the negative errno of the kernel's refusal
     */
    int modify(int fd, int events, long token, Object watcher) {
        if (!isWatchedBy(fd, watcher)) {
            return -Linux.ENOENT;
        }
        return epoll.control(Linux.EPOLL_CTL_MOD, fd, events, token);
    }

    /**
     * Removes {@code watcher}'s entry for {@code fd}, before its descriptor is closed (a copy
     * held by a child process would otherwise keep the entry alive). Does nothing when the
     * entry is another watcher's. A descriptor that was closed while watched has left the set
     * already (EBADF, or ENOENT when its number is open again elsewhere): that is not an
     * error, because removing the entry is what the caller is cleaning up with.
     *
     * @throws java.io.UncheckedIOException for any other refusal
     */
    void remove(int fd, Object watcher) {
        if (!isWatchedBy(fd, watcher)) {
            return;
        }
        watchers[fd] = null;
        int rc = epoll.control(Linux.EPOLL_CTL_DEL, fd, 0, 0);
        if (rc != 0 && rc != -Linux.EBADF && rc != -Linux.ENOENT) {
            throw Errors.failure("epoll_ctl(DEL, fd " + fd + ")", -rc);
        }
    }

    private boolean isWatchedBy(int fd, Object watcher) {
        return fd >= 0 && fd < watchers.length && watchers[fd] == watcher;
    }
}
