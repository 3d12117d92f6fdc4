package io.jivykis;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import io.jivykis.internal.Native;
import io.jivykis.internal.Sentinels;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * The in-process {@link Event}: a post from another thread racing unregister() and then the
 * loop's close, while the loop looks asleep (so the post tries to write the loop's wake-up
 * descriptor, which the close frees). A sentinel pipe opened right after the close takes the
 * freed numbers. Result: (bytes found on the sentinel, handler calls).
 */
@JCStressTest
@Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "the post was a no-op or woke the loop before it closed")
@Outcome(expect = FORBIDDEN, desc = "a post wrote to a closed descriptor, or the handler ran after unregister")
@State
public class EventPostVsUnregisterStress {
    int calls;
    volatile Event event;
    volatile boolean posted;

    @Actor
    public void loopThread(II_Result r) {
        EventLoop loop = EventLoop.open();
        Event ev = new Event(() -> calls++);
        ev.register();
        LoopInternals.markAsleep(loop);
        event = ev;
        ev.unregister();
        LoopInternals.dispatchPosted(loop);
        loop.close();
        long sentinel = Native.pipe();
        while (!posted) {
            Thread.onSpinWait();
        }
        r.r1 = Sentinels.strayBytes(sentinel);
        r.r2 = calls;
    }

    @Actor
    public void poster() {
        Event ev;
        while ((ev = event) == null) {
            Thread.onSpinWait();
        }
        ev.post();
        posted = true;
    }
}
