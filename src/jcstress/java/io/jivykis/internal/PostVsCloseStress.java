package io.jivykis.internal;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.I_Result;

/**
 * A post from another thread racing the loop's close while the loop is (as far as posters can
 * tell) asleep, so the post tries to write the loop's wake-up descriptor. Right after the
 * close, the loop thread opens a sentinel pipe, which takes the lowest free descriptor
 * numbers: those the close just freed. Result: bytes found on the sentinel.
 */
@JCStressTest
@Outcome(id = "0", expect = ACCEPTABLE, desc = "nothing was written to the descriptor that took a closed number")
@Outcome(expect = FORBIDDEN, desc = "a post wrote to a descriptor after the loop closed it")
@State
public class PostVsCloseStress {
    static final class Probe extends Source {
        Probe(Loop loop) {
            super(loop);
            attach();
        }

        @Override
        protected void released() {}
    }

    volatile Probe probe;
    volatile boolean posted;

    @Actor
    public void loopThread(I_Result r) {
        Loop loop = Loop.open();
        Probe p = new Probe(loop);
        // As if blocked in epoll_wait: a post from another thread writes the wake-up descriptor.
        LoopSeams.markAsleep(loop);
        probe = p;
        loop.close();
        long sentinel = Native.pipe();
        while (!posted) {
            Thread.onSpinWait();
        }
        r.r1 = Sentinels.strayBytes(sentinel);
    }

    @Actor
    public void poster() {
        Probe p;
        while ((p = probe) == null) {
            Thread.onSpinWait();
        }
        p.post();
        posted = true;
    }
}
