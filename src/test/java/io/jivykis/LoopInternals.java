package io.jivykis;

/**
 * What child programs, which live in another package, may read of a loop's internals
 * (EventLoop.core() is package-private).
 */
public final class LoopInternals {
    private LoopInternals() {}

    /** How many objects {@code loop} has registered. */
    public static int attachedCount(EventLoop loop) {
        return loop.core().attachedCount();
    }
}
