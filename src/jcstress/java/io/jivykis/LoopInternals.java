package io.jivykis;

import io.jivykis.internal.Loop;
import io.jivykis.internal.LoopSeams;

/**
 * What the jcstress tests of the public objects reach inside a loop: one pass over the posted
 * queue (no epoll_wait, so the race is tight), and the "asleep" flag posters read.
 */
final class LoopInternals {
    private LoopInternals() {}

    /** Dispatches what is queued, as one loop iteration does after epoll_wait. Loop thread only. */
    static void dispatchPosted(EventLoop loop) {
        LoopSeams.dispatchPosted(loop.core());
    }

    /** Makes posters believe the loop is blocked in epoll_wait, so they write its wake-up descriptor. */
    static void markAsleep(EventLoop loop) {
        LoopSeams.markAsleep(loop.core());
    }
}
