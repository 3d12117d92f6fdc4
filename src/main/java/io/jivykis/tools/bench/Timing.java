package io.jivykis.tools.bench;

/**
 * How long a case runs: a warm-up (a quarter of the measured time, so the JIT has compiled
 * the hot path) and the measured time itself; and how many objects the scale case registers.
 */
final class Timing {
    private final long measureNanos;
    private final int[] scaleSizes;

    Timing(double seconds, int[] scaleSizes) {
        this.scaleSizes = scaleSizes.clone();
        if (!(seconds > 0) || seconds > 3600) {
            throw new IllegalArgumentException("--seconds must be a number above 0 and at most 3600, got " + seconds);
        }
        this.measureNanos = (long) (seconds * 1e9);
    }

    int[] scaleSizes() {
        return scaleSizes.clone();
    }

    long warmupNanos() {
        return measureNanos / 4;
    }

    long measureNanos() {
        return measureNanos;
    }

    /** The measured time in seconds, as passed on to the raw C programs. */
    double seconds() {
        return measureNanos / 1e9;
    }
}
