package io.jivykis;

import io.jivykis.internal.Loop;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;

/**
 * What the jcstress tests of the public objects reach inside a loop: one pass over the posted
 * queue (no epoll_wait, so the race is tight), and the "asleep" flag posters read.
 */
final class LoopInternals {
    private static final MethodHandle DISPATCH_POSTED;
    private static final VarHandle SLEEPING;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(Loop.class, MethodHandles.lookup());
            DISPATCH_POSTED = lookup.findVirtual(Loop.class, "dispatchPosted", MethodType.methodType(void.class));
            SLEEPING = lookup.findVarHandle(Loop.class, "sleeping", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private LoopInternals() {}

    /** Dispatches what is queued, as one loop iteration does after epoll_wait. Loop thread only. */
    static void dispatchPosted(EventLoop loop) {
        try {
            DISPATCH_POSTED.invokeExact(loop.core());
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Makes posters believe the loop is blocked in epoll_wait, so they write its wake-up descriptor. */
    static void markAsleep(EventLoop loop) {
        SLEEPING.setVolatile(loop.core(), 1);
    }
}
