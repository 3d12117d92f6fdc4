package io.jivykis.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * An epoll instance and the native buffer epoll_wait fills. The loop reads each event's
 * flags and 64-bit token from the buffer; no upcall, no allocation per wait.
 */
public final class Epoll {
    /**
     * The system property that, set to {@code false}, makes new loops wait with epoll_wait and
     * millisecond timeouts instead of epoll_pwait2 (to exercise that path where the kernel
     * offers both).
     */
    public static final String PRECISE_WAIT_PROPERTY = "jivykis.epollPwait2";

    /** Set once epoll_pwait2 was refused (ENOSYS, EPERM): later loops do not try it again. */
    private static volatile boolean preciseRefused;

    private final int fd;
    private final ByteBuffer events;
    private final long address;
    private final int capacity;
    private final int stride = Linux.EPOLL_EVENT_SIZE;
    private final int dataOffset = Linux.EPOLL_EVENT_DATA_OFFSET;
    /** Whether timed waits use epoll_pwait2 (nanoseconds) rather than epoll_wait (milliseconds). */
    private boolean precise = !preciseRefused
            && !"false".equalsIgnoreCase(System.getProperty(PRECISE_WAIT_PROPERTY, "true").trim());

    private Epoll(int fd, int capacity) {
        this.fd = fd;
        this.capacity = capacity;
        this.events = ByteBuffer.allocateDirect(capacity * stride).order(ByteOrder.nativeOrder());
        this.address = Errors.check("GetDirectBufferAddress", Native.bufferAddress(events));
    }

    /** Creates an epoll instance that reports up to {@code capacity} events per wait. */
    public static Epoll open(int capacity) {
        if (capacity <= 0 || capacity > 65536) {
            throw new IllegalArgumentException("epoll capacity " + capacity + " is out of range: use 1 to 65536");
        }
        return new Epoll(Errors.check("epoll_create1", Native.epollCreate()), capacity);
    }

    /** The epoll descriptor. */
    public int fd() {
        return fd;
    }

    /** epoll_ctl(ADD). */
    public void add(int target, int flags, long token) {
        Errors.check("epoll_ctl(ADD, fd " + target + ")",
                Native.epollCtl(fd, Linux.EPOLL_CTL_ADD, target, flags, token));
    }

    /** epoll_ctl(DEL). */
    public void delete(int target) {
        Errors.check("epoll_ctl(DEL, fd " + target + ")",
                Native.epollCtl(fd, Linux.EPOLL_CTL_DEL, target, 0, 0));
    }

    /** Waits up to {@code timeoutMs} (-1: forever); returns the number of events, 0 on EINTR. */
    public int await(int timeoutMs) {
        int n = Native.epollWait(fd, address, capacity, timeoutMs);
        if (n == -Linux.EINTR) {
            return 0;
        }
        return Errors.check("epoll_wait", n);
    }

    /**
     * Waits up to {@code timeoutNanos} (negative: forever; 0: not at all); returns the number
     * of events, 0 on EINTR. Never returns early because of rounding: with epoll_pwait2 the
     * timeout is exact; when the kernel refuses that call (ENOSYS on kernels before 5.11,
     * EPERM from some container seccomp filters) it falls back, for good, to epoll_wait with
     * the timeout rounded up to the next millisecond.
     */
    public int awaitNanos(long timeoutNanos) {
        if (timeoutNanos <= 0) {
            return await(timeoutNanos == 0 ? 0 : -1);
        }
        if (precise) {
            int n = TimedWaitNative.epollWaitNanos(fd, address, capacity, timeoutNanos);
            if (n >= 0) {
                return n;
            }
            if (n == -Linux.EINTR) {
                return 0;
            }
            if (n != -Linux.ENOSYS && n != -Linux.EPERM) {
                return Errors.check("epoll_pwait2", n);
            }
            precise = false;
            preciseRefused = true;
        }
        return await(millisRoundedUp(timeoutNanos));
    }

    /** Whether timed waits have nanosecond precision (epoll_pwait2) on this instance. */
    public boolean isPrecise() {
        return precise;
    }

    /** A positive timeout in whole milliseconds, rounded up so the wait never ends early. */
    static int millisRoundedUp(long timeoutNanos) {
        long millis = timeoutNanos / 1_000_000L + (timeoutNanos % 1_000_000L == 0 ? 0 : 1);
        return (int) Math.min(millis, Integer.MAX_VALUE);
    }

    /** The event flags of result {@code i}. */
    public int flags(int i) {
        return events.getInt(i * stride);
    }

    /** The token of result {@code i}. */
    public long token(int i) {
        return events.getLong(i * stride + dataOffset);
    }

    /** Closes the epoll descriptor. */
    public void close() {
        Errors.check("close(epoll fd " + fd + ")", Native.close(fd));
    }
}
