package io.jivykis.internal;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;

/**
 * What the jcstress tests reach inside a loop that its API does not offer: one pass over the
 * posted queue (no epoll_wait, so the race is tight), and making posters believe it sleeps,
 * so a post takes the wake-up write path without the loop blocking.
 */
public final class LoopSeams {
    private static final VarHandle WAKE;
    private static final MethodHandle DISPATCH_POSTED;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(Loop.class, MethodHandles.lookup());
            WAKE = lookup.findVarHandle(Loop.class, "wake", WakeUp.class);
            DISPATCH_POSTED = lookup.findVirtual(Loop.class, "dispatchPosted", MethodType.methodType(void.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private LoopSeams() {}

    /** Dispatches what is queued, as one loop iteration does after epoll_wait. Loop thread only. */
    public static void dispatchPosted(Loop loop) {
        try {
            DISPATCH_POSTED.invokeExact(loop);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** As if the loop were blocked in epoll_wait: the next poster writes its wake-up descriptor. */
    public static void markAsleep(Loop loop) {
        ((WakeUp) WAKE.get(loop)).aboutToSleep();
    }
}
