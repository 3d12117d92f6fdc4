package io.jivykis;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * The in-process {@link Event}: a post from another thread racing the loop's drain-and-clear
 * of the same, already pending, event. Result: (handler calls, what the last call saw of the
 * poster's write).
 */
@JCStressTest
@Outcome(id = {"1, 1", "2, 1"}, expect = ACCEPTABLE,
        desc = "the post was handled: coalesced into the racing call, or by a call of its own")
@Outcome(expect = FORBIDDEN, desc = "posted but never handled: no call after the post saw its write")
@State
public class EventPostVsDrainStress {
    int data;
    int calls;
    int seen;
    volatile Event event;
    volatile boolean posted;

    @Actor
    public void loopThread(II_Result r) {
        EventLoop loop = EventLoop.open();
        Event ev = new Event(() -> {
            calls++;
            seen = data;
        });
        ev.register();
        ev.post(); // from the owner: pending, queued
        event = ev;
        LoopInternals.dispatchPosted(loop); // drain and clear, racing the post
        while (!posted) {
            Thread.onSpinWait();
        }
        LoopInternals.dispatchPosted(loop);
        r.r1 = calls;
        r.r2 = seen;
        loop.close();
    }

    @Actor
    public void poster() {
        Event ev;
        while ((ev = event) == null) {
            Thread.onSpinWait();
        }
        data = 1;
        ev.post();
        posted = true;
    }
}
