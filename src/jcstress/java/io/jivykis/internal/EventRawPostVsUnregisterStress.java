package io.jivykis.internal;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import io.jivykis.EventLoop;
import io.jivykis.EventRaw;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * EventRaw.post() from another thread racing unregister() on the registering thread, through
 * the public API. Right after unregister closes the event's descriptor, the registering thread
 * opens a sentinel pipe (which takes the freed number). Result: (bytes found on the sentinel,
 * handler calls after unregister).
 */
@JCStressTest
@Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "the post was a no-op or went to the loop; nothing reached a stranger")
@Outcome(expect = FORBIDDEN, desc = "a post wrote to a closed descriptor, or a handler ran after unregister")
@State
public class EventRawPostVsUnregisterStress {
    volatile EventRaw event;
    volatile boolean posted;
    int calls;

    @Actor
    public void registeringThread(II_Result r) {
        EventLoop loop = EventLoop.open();
        EventRaw ev = new EventRaw(() -> calls++);
        ev.register();
        event = ev;
        ev.unregister();
        long sentinel = Native.pipe();
        while (!posted) {
            Thread.onSpinWait();
        }
        r.r1 = Sentinels.strayBytes(sentinel);
        // Run the loop: nothing is registered, so run() returns at once, and no handler may run.
        loop.run();
        r.r2 = calls;
        loop.close();
    }

    @Actor
    public void poster() {
        EventRaw ev;
        while ((ev = event) == null) {
            Thread.onSpinWait();
        }
        ev.post();
        posted = true;
    }
}
