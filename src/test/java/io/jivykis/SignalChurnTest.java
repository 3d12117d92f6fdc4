package io.jivykis;

import static io.jivykis.SignalTesting.killSelf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jivykis.internal.Linux;
import io.jivykis.internal.Native;
import io.jivykis.testing.Descriptors;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Register/unregister churn while signals keep arriving: the native handler must never
 * write a descriptor after its SignalHandler was unregistered.
 *
 * <p>The invariant is checked with sentinels: right after each unregister the test opens a
 * fresh eventfd, which the kernel gives the lowest free number, usually the one just
 * closed. A handler that still wrote the old number would make the sentinel readable. Each
 * sentinel stays open for a few more rounds (so a late write has time to land) and must be
 * unread when it is closed.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SignalChurnTest {
    private static final int SIG = Signals.SIGUSR1;
    private static final int ROUNDS = 3_000;
    private static final int SENTINEL_WINDOW = 8;

    @Test
    void unregisteringWhileSignalsArriveNeverWritesAClosedDescriptor() throws Exception {
        Map<Integer, String> descriptorsBefore = Descriptors.libraryKinds();
        String dispositionBefore = SignalTesting.disposition(SIG);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong kills = new AtomicLong();
        // Stays registered throughout, so the native handler has something to write on every
        // delivery and SIGUSR1 stays handled until the last kill has been delivered.
        SignalKeeper keeper = new SignalKeeper(SIG);

        Thread killer = new Thread(() -> {
            while (!stop.get()) {
                killSelf(SIG);
                kills.incrementAndGet();
            }
        }, "killer");
        killer.start();

        int written = 0;
        ArrayDeque<Integer> sentinels = new ArrayDeque<>();
        AtomicInteger churnCalls = new AtomicInteger();
        try (EventLoop loop = EventLoop.open()) {
            for (int round = 0; round < ROUNDS; round++) {
                SignalHandler handler = new SignalHandler(SIG, round % 3 == 0, churnCalls::incrementAndGet);
                handler.register();
                if (round % 50 == 0) {
                    // Now and then let the loop dispatch, so the churned handlers really run.
                    EventRaw stopHere = new EventRaw(() -> EventLoop.current().quit());
                    stopHere.register();
                    stopHere.post();
                    loop.run();
                    stopHere.unregister();
                }
                handler.unregister();
                int sentinel = Native.eventfd();
                assertTrue(sentinel >= 0, "eventfd: " + sentinel);
                sentinels.addLast(sentinel);
                if (sentinels.size() > SENTINEL_WINDOW) {
                    written += closeSentinel(sentinels.removeFirst());
                }
            }
            while (!sentinels.isEmpty()) {
                written += closeSentinel(sentinels.removeFirst());
            }
        } finally {
            stop.set(true);
            killer.join(10_000);
            keeper.close();
        }
        assertFalse(killer.isAlive(), "the killer thread did not finish");
        assertEquals(0, written, "sentinel descriptors written by a signal handler after unregister");
        assertTrue(kills.get() > 0 && keeper.calls() > 0,
                "signals were sent (" + kills.get() + ") and handled (" + keeper.calls() + ")");
        Descriptors.assertNoneOpenedSince(descriptorsBefore);
        assertEquals(dispositionBefore, SignalTesting.disposition(SIG), "SIGUSR1 disposition after the test");
    }

    /** Closes a sentinel; returns 1 if something wrote to it, else 0. */
    private static int closeSentinel(int fd) {
        long drained = Native.eventfdDrain(fd);
        assertEquals(0, Native.close(fd), "close(" + fd + ")");
        if (drained == -Linux.EAGAIN) {
            return 0;
        }
        assertTrue(drained > 0, "read(sentinel " + fd + "): " + drained);
        return 1;
    }
}
