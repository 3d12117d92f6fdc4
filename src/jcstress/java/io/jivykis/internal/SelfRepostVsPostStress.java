package io.jivykis.internal;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * A handler that re-posts its own source (the loop thread's post of a running source, which
 * only marks it to run again, with no atomic instruction) racing a post from another thread
 * (which pushes it on the remote stack, or is coalesced into a run that has not taken the
 * posts yet). However the two interleave, a call after the poster's post must see its
 * write. Result: (handler calls, what the last call saw).
 */
@JCStressTest
@Outcome(id = {"2, 1", "3, 1"}, expect = ACCEPTABLE,
        desc = "the re-post ran, and the other thread's post was coalesced into a run or had one of its own")
@Outcome(expect = FORBIDDEN, desc = "a post was lost: the re-post did not run, or no call after the post saw its write")
@State
public class SelfRepostVsPostStress {
    /** A source whose first call re-posts it; records what each call saw. Loop thread only. */
    static final class Probe extends Source {
        private final SelfRepostVsPostStress test;
        int calls;
        int seen;

        Probe(Loop loop, SelfRepostVsPostStress test) {
            super(loop);
            this.test = test;
            attach();
        }

        @Override
        protected void posted() {
            calls++;
            seen = test.data;
            if (calls == 1) {
                post();
            }
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
        p.post();
        probe = p; // the poster starts now
        LoopSeams.dispatchPosted(loop); // the first call, its re-post, and whatever the poster queued
        while (!posted) {
            Thread.onSpinWait();
        }
        LoopSeams.dispatchPosted(loop);
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
}
