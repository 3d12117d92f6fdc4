package io.jivykis.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The timed wait: millisecond rounding never shortens a wait, and real waits never end early. */
@Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class EpollTimeoutTest {
    @Test
    void millisecondFallbackRoundsUp() {
        assertEquals(1, Epoll.millisRoundedUp(1));
        assertEquals(1, Epoll.millisRoundedUp(999_999));
        assertEquals(1, Epoll.millisRoundedUp(1_000_000));
        assertEquals(2, Epoll.millisRoundedUp(1_000_001));
        assertEquals(Integer.MAX_VALUE, Epoll.millisRoundedUp(Long.MAX_VALUE));
    }

    @Test
    void anEmptyEpollSetWaitsAtLeastTheTimeoutOnBothPaths() {
        Native.ensureLoaded();
        for (String precise : new String[] {"true", "false"}) {
            System.setProperty(Epoll.PRECISE_WAIT_PROPERTY, precise);
            Epoll epoll;
            try {
                epoll = Epoll.open(4);
            } finally {
                System.clearProperty(Epoll.PRECISE_WAIT_PROPERTY);
            }
            try {
                for (long timeout : new long[] {1, 250_000, 1_000_001, 3_500_000}) {
                    long start = System.nanoTime();
                    int n = epoll.awaitNanos(timeout);
                    long waited = System.nanoTime() - start;
                    if (n == 0 && waited < timeout) {
                        // EINTR also returns 0 early; the loop then waits again. Retry once.
                        start = System.nanoTime();
                        n = epoll.awaitNanos(timeout);
                        waited = System.nanoTime() - start;
                    }
                    assertEquals(0, n);
                    assertTrue(waited >= timeout, (epoll.isPrecise() ? "epoll_pwait2" : "epoll_wait")
                            + " returned after " + waited + " ns for a " + timeout + " ns timeout");
                }
            } finally {
                epoll.close();
            }
        }
    }
}
