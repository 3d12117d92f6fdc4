package io.jivykis.internal;

/**
 * Deadlines on the {@link System#nanoTime()} clock, which are compared by difference as that
 * clock requires: the bound that keeps that arithmetic from overflowing, in one place for
 * timers and the loop's timed wait.
 */
public final class Deadlines {
    /**
     * The longest delay or wait, in nanoseconds (about 73 years). A deadline is now plus at
     * most this, and two deadlines differ by at most twice this: a quarter of the long range
     * leaves both far from overflow.
     */
    public static final long MAX_NANOS = Long.MAX_VALUE >> 2;

    private Deadlines() {}
}
