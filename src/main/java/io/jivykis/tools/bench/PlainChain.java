package io.jivykis.tools.bench;

/**
 * The scale case's chain without the library: N small objects, each holding a larger one,
 * made in the same order as an EventRaw and its registration (the holder first, then what
 * it holds), and a walk that picks one at random per step, as the scale case's handlers do,
 * and writes a field of the object it holds. Each step makes the two dependent loads a post
 * makes (the object the caller holds, then the library's record of it), so the growth of its
 * cost from 1 to N objects is what the cache and the TLB charge for them, with nothing of
 * jivykis in it. Two walks: in the free one, no step waits for another's loads, so the CPU
 * overlaps the misses of several steps; in the dependent one, each step's choice mixes in
 * the value the step before it loaded, so each waits for the misses before it, as a loop's
 * dispatch waits for the posted object's registration before it can run its handler.
 */
final class PlainChain {
    /** As large as an EventRaw: a header and two references. */
    private static final class Holder {
        final Record record;
        @SuppressWarnings("unused")
        Object handler;

        Holder(Record record) {
            this.record = record;
        }
    }

    /** About as large as a registration (about 96 bytes), with the written field first. */
    @SuppressWarnings("unused")
    private static final class Record {
        int state;
        Object a, b, c, d;
        long e, f, g, h, i, j, k, l, m;
    }

    private final Holder[] holders;
    private long random = 0x9E3779B97F4A7C15L;

    private PlainChain(int count) {
        holders = new Holder[count];
        for (int i = 0; i < count; i++) {
            holders[i] = new Holder(new Record());
        }
    }

    private long steps(long nanos, boolean dependent) {
        long steps = 0;
        long deadline = System.nanoTime() + nanos;
        Holder[] holders = this.holders;
        long x = random;
        do {
            for (int n = 0; n < 4096; n++) {
                // The same xorshift64 and the same choice as ScaleBench's handler.
                x ^= x << 13;
                x ^= x >>> 7;
                x ^= x << 17;
                Record record = holders[(int) ((x >>> 1) % holders.length)].record;
                int state = record.state++;
                if (dependent) {
                    x ^= state & 1; // the next choice waits for this load
                }
            }
            steps += 4096;
        } while (System.nanoTime() < deadline);
        random = x;
        return steps;
    }

    /**
     * Nanoseconds per step over {@code count} objects, after a warm-up of {@code warmupNanos}:
     * the free walk if not {@code dependent}, else the dependent one.
     */
    static double nanosPerStep(int count, boolean dependent, long warmupNanos, long nanos) {
        PlainChain chain = new PlainChain(count);
        chain.steps(warmupNanos, dependent);
        long start = System.nanoTime();
        long steps = chain.steps(nanos, dependent);
        return (double) (System.nanoTime() - start) / steps;
    }
}
