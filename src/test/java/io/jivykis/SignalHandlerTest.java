package io.jivykis;

import static io.jivykis.SignalTesting.killSelf;
import static io.jivykis.SignalTesting.raise;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jivykis.testing.Descriptors;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * SignalHandler with real signals: raise(3) on the loop thread, kill(2) from another thread
 * and from another process, storms, several loops, exclusivity. Every test checks that it
 * leaves no eventfd, epoll or pipe descriptor open, and that SIGUSR1 is back at the
 * disposition it had.
 */
@Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SignalHandlerTest {
    private static final int SIG = Signals.SIGUSR1;
    private Map<Integer, String> descriptorsBefore;
    private String dispositionBefore;

    @BeforeAll
    static void warmUp() {
        // Loads the library and the classes once, so the counts below see only the test.
        try (EventLoop loop = EventLoop.open()) {
            SignalHandler handler = new SignalHandler(SIG, () -> {});
            handler.register();
            handler.unregister();
        }
    }

    @BeforeEach
    void countBefore() {
        descriptorsBefore = Descriptors.libraryKinds();
        dispositionBefore = SignalTesting.disposition(SIG);
    }

    @AfterEach
    void countAfter() {
        Descriptors.assertNoneOpenedSince(descriptorsBefore);
        assertEquals(dispositionBefore, SignalTesting.disposition(SIG), "SIGUSR1 disposition after the test");
    }

    @Test
    void raiseOnTheLoopThreadRunsTheHandlerOnTheLoopThread() {
        AtomicReference<Thread> ranOn = new AtomicReference<>();
        try (EventLoop loop = EventLoop.open()) {
            SignalHandler[] handler = new SignalHandler[1];
            handler[0] = new SignalHandler(SIG, () -> {
                ranOn.set(Thread.currentThread());
                handler[0].unregister();
            });
            handler[0].register();
            assertTrue(handler[0].isRegistered());
            assertEquals("jivykis", SignalTesting.disposition(SIG));
            raise(SIG);
            loop.run();
            assertFalse(handler[0].isRegistered());
        }
        assertEquals(Thread.currentThread(), ranOn.get());
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void killFromAnotherThreadRunsTheHandlerOnTheRegisteringThread(Backend backend) throws Exception {
        SignalTesting.withBackend(backend, () -> {
            AtomicReference<Thread> ranOn = new AtomicReference<>();
            try (EventLoop loop = EventLoop.open()) {
                SignalHandler[] handler = new SignalHandler[1];
                handler[0] = new SignalHandler(SIG, () -> {
                    ranOn.set(Thread.currentThread());
                    handler[0].unregister();
                });
                handler[0].register();
                Thread killer = new Thread(() -> killSelf(SIG), "killer");
                killer.start();
                loop.run();
                join(killer);
            }
            assertEquals(Thread.currentThread(), ranOn.get());
        });
    }

    @Test
    void killFromAnotherProcessRunsTheHandler() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        try (EventLoop loop = EventLoop.open()) {
            SignalHandler[] handler = new SignalHandler[1];
            handler[0] = new SignalHandler(SIG, () -> {
                calls.incrementAndGet();
                handler[0].unregister();
            });
            handler[0].register();
            Process kill = new ProcessBuilder("sh", "-c", "kill -USR1 " + SignalTesting.PID)
                    .inheritIO().start();
            assertEquals(0, kill.waitFor(), "exit status of kill -USR1");
            loop.run();
        }
        assertEquals(1, calls.get());
    }

    @Test
    void aDeliveryWhileTheHandlerRunsCallsItAgainAfterItReturns() {
        List<String> events = new ArrayList<>();
        try (EventLoop loop = EventLoop.open()) {
            SignalHandler[] handler = new SignalHandler[1];
            handler[0] = new SignalHandler(SIG, () -> {
                events.add("call " + (events.size() + 1));
                if (events.size() == 1) {
                    raise(SIG); // the native handler runs now, while this handler is running
                    events.add("raised inside");
                } else {
                    handler[0].unregister();
                }
            });
            handler[0].register();
            raise(SIG);
            loop.run();
        }
        assertEquals(List.of("call 1", "raised inside", "call 3"), events);
    }

    @Test
    void aStormOfTenThousandSignalsEndsWithAHandlerCallAfterTheLast() throws Exception {
        int total = 10_000;
        AtomicInteger sent = new AtomicInteger();
        AtomicInteger calls = new AtomicInteger();
        // The keeper keeps SIGUSR1 handled until the last kill has been delivered (see SignalKeeper).
        try (SignalKeeper keeper = new SignalKeeper(SIG); EventLoop loop = EventLoop.open()) {
            SignalHandler[] handler = new SignalHandler[1];
            handler[0] = new SignalHandler(SIG, () -> {
                calls.incrementAndGet();
                // A call that sees the last count started after the last kill was made:
                // only such a call ends the test, so a lost final wake-up hangs it (and fails).
                if (sent.get() == total) {
                    handler[0].unregister();
                }
            });
            handler[0].register();
            Thread killer = new Thread(() -> {
                for (int i = 0; i < total; i++) {
                    sent.incrementAndGet();
                    killSelf(SIG);
                }
            }, "killer");
            killer.start();
            loop.run();
            join(killer);
        }
        assertTrue(calls.get() >= 1 && calls.get() <= total, "calls: " + calls.get());
    }

    @Test
    void twoLoopsInTwoThreadsBothRunTheirHandlers() throws Exception {
        int total = 2_000;
        AtomicInteger sent = new AtomicInteger();
        CountDownLatch registered = new CountDownLatch(2);
        List<Thread> threads = new ArrayList<>();
        List<AtomicInteger> calls = List.of(new AtomicInteger(), new AtomicInteger());
        AtomicReference<Throwable> failure = new AtomicReference<>();
        SignalKeeper keeper = new SignalKeeper(SIG); // see SignalKeeper: the kills are process-directed
        for (int t = 0; t < 2; t++) {
            AtomicInteger mine = calls.get(t);
            Thread thread = new Thread(() -> {
                try (EventLoop loop = EventLoop.open()) {
                    SignalHandler[] handler = new SignalHandler[1];
                    handler[0] = new SignalHandler(SIG, () -> {
                        mine.incrementAndGet();
                        if (sent.get() == total) {
                            handler[0].unregister();
                        }
                    });
                    handler[0].register();
                    registered.countDown();
                    loop.run();
                } catch (Throwable e) {
                    failure.set(e);
                }
            }, "loop-" + t);
            thread.start();
            threads.add(thread);
        }
        assertTrue(registered.await(10, TimeUnit.SECONDS));
        for (int i = 0; i < total; i++) {
            sent.incrementAndGet();
            killSelf(SIG);
        }
        for (Thread thread : threads) {
            join(thread);
        }
        keeper.close();
        assertEquals(null, failure.get());
        assertTrue(calls.get(0).get() >= 1 && calls.get(1).get() >= 1, "calls: " + calls);
    }

    @Test
    void invocationStopsAtTheFirstExclusiveHandlerInRegistrationOrder() {
        AtomicInteger a = new AtomicInteger();
        AtomicInteger b = new AtomicInteger();
        AtomicInteger c = new AtomicInteger();
        try (EventLoop loop = EventLoop.open()) {
            SignalHandler first = new SignalHandler(SIG, a::incrementAndGet);
            SignalHandler exclusive = new SignalHandler(SIG, true, b::incrementAndGet);
            SignalHandler behind = new SignalHandler(SIG, c::incrementAndGet);
            first.register();
            exclusive.register();
            behind.register();
            assertTrue(exclusive.isExclusive());

            raiseAndDispatch(loop);
            assertEquals(List.of(1, 1, 0), List.of(a.get(), b.get(), c.get()), "calls of first, exclusive, behind");

            exclusive.unregister();
            raiseAndDispatch(loop);
            assertEquals(List.of(2, 1, 1), List.of(a.get(), b.get(), c.get()), "after the exclusive one left");

            exclusive.register(); // now last in the order: it shadows no one
            raiseAndDispatch(loop);
            assertEquals(List.of(3, 2, 2), List.of(a.get(), b.get(), c.get()), "exclusive registered last");
            first.unregister();
            exclusive.unregister();
            behind.unregister();
        }
    }

    @Test
    void anExclusiveHandlerInAnotherLoopShadowsLaterOnesHere() throws Exception {
        AtomicInteger theirs = new AtomicInteger();
        AtomicInteger mine = new AtomicInteger();
        CountDownLatch registered = new CountDownLatch(1);
        CountDownLatch handled = new CountDownLatch(1);
        EventRaw[] stopOther = new EventRaw[1];
        Thread other = new Thread(() -> {
            try (EventLoop loop = EventLoop.open()) {
                SignalHandler exclusive = new SignalHandler(SIG, true, () -> {
                    theirs.incrementAndGet();
                    handled.countDown();
                });
                exclusive.register();
                stopOther[0] = new EventRaw(() -> EventLoop.current().quit());
                stopOther[0].register();
                registered.countDown();
                loop.run();
            }
        }, "exclusive-loop");
        other.start();
        assertTrue(registered.await(10, TimeUnit.SECONDS));
        try (EventLoop loop = EventLoop.open()) {
            SignalHandler later = new SignalHandler(SIG, mine::incrementAndGet);
            later.register();
            raiseAndDispatch(loop);
            assertTrue(handled.await(10, TimeUnit.SECONDS));
            assertEquals(0, mine.get(), "a handler registered after an exclusive one was called");
            stopOther[0].post();
            join(other);
            // The exclusive one is gone with its loop: this one is called again.
            raiseAndDispatch(loop);
            assertEquals(1, mine.get());
            later.unregister();
        }
        assertEquals(1, theirs.get());
    }

    @Test
    void closingTheLoopUnregistersAndRestoresTheDisposition() {
        SignalHandler handler = new SignalHandler(SIG, () -> {});
        try (EventLoop loop = EventLoop.open()) {
            handler.register();
            assertEquals("jivykis", SignalTesting.disposition(SIG));
        }
        assertFalse(handler.isRegistered());
    }

    @Test
    void aSignalWhoseDefaultIsToIgnoreGoesBackToTheDefault() {
        int winch = Signals.SIGWINCH;
        String before = SignalTesting.disposition(winch);
        try (EventLoop loop = EventLoop.open()) {
            SignalHandler handler = new SignalHandler(winch, () -> {});
            handler.register();
            assertEquals("jivykis", SignalTesting.disposition(winch));
            handler.unregister();
        }
        assertEquals(before, SignalTesting.disposition(winch));
    }

    @Test
    void realTimeSignalsWork() {
        int rt = Signals.rt(5);
        AtomicInteger calls = new AtomicInteger();
        try (EventLoop loop = EventLoop.open()) {
            SignalHandler handler = new SignalHandler(rt, calls::incrementAndGet);
            handler.register();
            raise(rt);
            EventRaw stop = new EventRaw(() -> EventLoop.current().quit());
            stop.register();
            stop.post();
            loop.run();
            stop.unregister();
            assertEquals(1, calls.get());
            handler.unregister();
        }
    }

    /**
     * Raises SIG on this (the loop) thread, which writes every published descriptor before
     * raise returns, then runs the loop for exactly one round: the stop event is posted from
     * the owner, so it is dispatched after the descriptors that are ready now.
     */
    private static void raiseAndDispatch(EventLoop loop) {
        raise(SIG);
        EventRaw stop = new EventRaw(() -> EventLoop.current().quit());
        stop.register();
        stop.post();
        loop.run();
        stop.unregister();
    }

    private static void join(Thread thread) {
        try {
            thread.join(TimeUnit.SECONDS.toMillis(15));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        assertFalse(thread.isAlive(), thread.getName() + " did not finish");
    }
}
