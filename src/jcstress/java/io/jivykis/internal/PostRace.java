package io.jivykis.internal;

import org.openjdk.jcstress.infra.results.II_Result;

/**
 * The two sides of a post race, shared by the tests that differ only in their source: the
 * loop thread posts a {@link RecordingSource} from its own thread, lets the poster start and
 * dispatches what is queued, racing the poster, then once more after the poster is done; the
 * poster writes {@link #data} and posts. Result: (handler calls, what the last call saw of
 * the poster's write).
 */
abstract class PostRace {
    /** Written by the poster before it posts (plain: the post must publish it). */
    int data;
    private volatile RecordingSource probe;
    private volatile boolean posted;

    /** The loop thread's side; {@code repostFromFirstCall} makes the handler re-post its source once. */
    final void loopSide(II_Result r, boolean repostFromFirstCall) {
        Loop loop = Loop.open();
        RecordingSource p = new RecordingSource(loop, () -> data, repostFromFirstCall);
        p.post(); // from the owner: queued in its FIFO
        probe = p; // the poster starts now
        LoopSeams.dispatchPosted(loop); // racing the post
        while (!posted) {
            Thread.onSpinWait();
        }
        LoopSeams.dispatchPosted(loop); // whatever the post queued
        r.r1 = p.calls;
        r.r2 = p.seen;
        loop.close();
    }

    /** The other thread's side. */
    final void posterSide() {
        RecordingSource p;
        while ((p = probe) == null) {
            Thread.onSpinWait();
        }
        data = 1;
        p.post();
        posted = true;
    }
}
