package io.jivykis.internal;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * A post from another thread racing the loop's run of the same source (take its posts, then
 * call the handler). The source is already queued by its loop's thread when the race
 * starts, so the post may be coalesced into the call being made; then that call must see the
 * poster's write. Result: (handler calls, what the last call saw of the poster's write).
 */
@JCStressTest
@Outcome(id = {"1, 1", "2, 1"}, expect = ACCEPTABLE,
        desc = "the post was handled: coalesced into the racing call, or by a call of its own")
@Outcome(expect = FORBIDDEN, desc = "posted but never handled: no call after the post saw its write")
@State
public class PostVsDrainStress extends PostRace {
    @Actor
    public void loopThread(II_Result r) {
        loopSide(r, false);
    }

    @Actor
    public void poster() {
        posterSide();
    }
}
