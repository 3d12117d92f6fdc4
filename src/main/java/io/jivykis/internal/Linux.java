package io.jivykis.internal;

/**
 * C constants the Java side needs, read from the system headers (and the shim's own headers,
 * for its codes and buffer sizes) through the shim once the library is loaded, so no value is
 * guessed, or written a second time, in Java.
 */
public final class Linux {
    public static final int EAGAIN = named("EAGAIN");
    public static final int EINTR = named("EINTR");
    public static final int EINVAL = named("EINVAL");
    public static final int ENOSYS = named("ENOSYS");
    public static final int EBADF = named("EBADF");
    public static final int EMFILE = named("EMFILE");
    public static final int ENOENT = named("ENOENT");
    public static final int EPIPE = named("EPIPE");
    public static final int EPERM = named("EPERM");
    public static final int EEXIST = named("EEXIST");
    public static final int ELOOP = named("ELOOP");

    // Across processes: spawning, reaping, event offers.
    public static final int ECHILD = named("ECHILD");
    public static final int ESRCH = named("ESRCH");
    public static final int ETIMEDOUT = named("ETIMEDOUT");
    public static final int ECONNREFUSED = named("ECONNREFUSED");
    public static final int EADDRINUSE = named("EADDRINUSE");
    public static final int ENAMETOOLONG = named("ENAMETOOLONG");
    public static final int EACCES = named("EACCES");
    public static final int EPROTO = named("EPROTO");
    public static final int ENOTDIR = named("ENOTDIR");
    public static final int ECONNABORTED = named("ECONNABORTED");
    public static final int EBUSY = named("EBUSY");
    public static final int EBADMSG = named("EBADMSG");
    // Refusals of an inherited descriptor (announcement.c): a standard stream, a wrong kind.
    public static final int ERANGE = named("ERANGE");
    public static final int ENOTSUP = named("ENOTSUP");

    public static final int EPOLLIN = named("EPOLLIN");
    public static final int EPOLLOUT = named("EPOLLOUT");
    public static final int EPOLLERR = named("EPOLLERR");
    public static final int EPOLLHUP = named("EPOLLHUP");
    public static final int EPOLLRDHUP = named("EPOLLRDHUP");
    public static final int EPOLLET = named("EPOLLET");
    public static final int EPOLLONESHOT = named("EPOLLONESHOT");
    public static final int EPOLL_CTL_ADD = named("EPOLL_CTL_ADD");
    public static final int EPOLL_CTL_MOD = named("EPOLL_CTL_MOD");
    public static final int EPOLL_CTL_DEL = named("EPOLL_CTL_DEL");
    public static final int EPOLL_EVENT_SIZE = named("EPOLL_EVENT_SIZE");
    public static final int EPOLL_EVENT_DATA_OFFSET = named("EPOLL_EVENT_DATA_OFFSET");

    /** The most one pipe drain reads (the shim's buffer): a shorter read means the pipe is empty. */
    public static final int PIPE_DRAIN_BYTES = named("JIVYKIS_PIPE_DRAIN_BYTES");

    private Linux() {}

    /**
     * The value of a named constant.
     *
     * @throws IllegalStateException if the shim does not know the name (a build mismatch)
     */
    public static int named(String name) {
        Native.ensureLoaded();
        long value = Native.constant(name);
        if (value == Long.MIN_VALUE) {
            throw new IllegalStateException("the native library does not define " + name
                    + "; the jar and its native library come from different builds");
        }
        // Flags such as EPOLLET (1u << 31) keep their bit pattern in an int.
        return (int) value;
    }
}
