package io.jivykis;

import io.jivykis.internal.Epoll;
import io.jivykis.internal.Loop;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * What tests read of a loop's epoll instance, which the library does not expose: its
 * descriptor (to read the epoll set from /proc/self/fdinfo) and whether its timed waits have
 * nanosecond precision. Reached by reflection, so the library keeps no accessor for tests.
 */
final class LoopPeek {
    private static final VarHandle EPOLL;

    static {
        try {
            EPOLL = MethodHandles.privateLookupIn(Loop.class, MethodHandles.lookup())
                    .findVarHandle(Loop.class, "epoll", Epoll.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private LoopPeek() {}

    /** The loop's epoll descriptor. */
    static int epollFd(EventLoop loop) {
        return epoll(loop).fd();
    }

    /** Whether the loop's timed waits use epoll_pwait2 (nanoseconds) rather than epoll_wait. */
    static boolean preciseWaits(EventLoop loop) {
        return epoll(loop).isPrecise();
    }

    private static Epoll epoll(EventLoop loop) {
        return (Epoll) EPOLL.get(loop.core());
    }
}
