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
public class SelfRepostVsPostStress extends PostRace {
    @Actor
    public void loopThread(II_Result r) {
        loopSide(r, true);
    }

    @Actor
    public void poster() {
        posterSide();
    }
}
