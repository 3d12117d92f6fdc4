package io.jivykis.internal;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * A post from another thread racing the loop's drain-and-clear of the same source (clear the
 * pending flag, then call the handler). The source is already pending when the race starts,
 * so the post may be coalesced into the call being made; then that call must see the
 * poster's write. Result: (handler calls, what the last call saw of the poster's write).
 */
@JCStressTest
@Outcome(id = {"1, 1", "2, 1"}, expect = ACCEPTABLE,
        desc = "the post was handled: coalesced into the racing call, or by a call of its own")
@Outcome(expect = FORBIDDEN, desc = "posted but never handled: no call after the post saw its write")
@State
public class PostVsDrainStress {
    /** A source whose handler records what it saw; loop thread only. */
    static final class Probe extends Source {
        private final PostVsDrainStress test;
        int calls;
        int seen;

        Probe(Loop loop, PostVsDrainStress test) {
            super(loop);
            this.test = test;
            attach();
        }

        @Override
        protected void posted() {
            calls++;
            seen = test.data;
        }

        @Override
        protected void released() {}
    }

    /** Written by the poster before it posts (plain: the post must publish it). */
    int data;
    volatile Probe probe;
    volatile boolean posted;

    @Actor
    public void loopThread(II_Result r) {
        Loop loop = Loop.open();
        Probe p = new Probe(loop, this);
        p.post(); // from the owner: pending, queued
        probe = p; // the poster starts now
        dispatch(loop); // drain and clear, racing the post
        while (!posted) {
            Thread.onSpinWait();
        }
        dispatch(loop); // whatever the post queued
        r.r1 = p.calls;
        r.r2 = p.seen;
        loop.close();
    }

    @Actor
    public void poster() {
        Probe p;
        while ((p = probe) == null) {
            Thread.onSpinWait();
        }
        data = 1;
        p.post();
        posted = true;
    }

    private static void dispatch(Loop loop) {
        LoopSeams.dispatchPosted(loop);
    }
}
