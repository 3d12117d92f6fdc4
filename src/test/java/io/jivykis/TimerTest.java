package io.jivykis;

import static io.jivykis.LoopObjectsSupport.assertCollectable;
import static io.jivykis.LoopObjectsSupport.assertNoDescriptorLeak;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jivykis.internal.Epoll;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Timer (iv_timer): one-shot, never early, ordered by deadline then registration. */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class TimerTest {
    /** A fired timer: which one, its deadline, and System.nanoTime() when its handler started. */
    private record Firing(int id, long deadline, long firedAt) { }

    @Test
    void aTimerFiresOnceAfterItsDeadlineAndIsUnregisteredFirst() throws Exception {
        assertNoDescriptorLeak(() -> {
            List<Firing> fired = new ArrayList<>();
            List<Boolean> registeredInHandler = new ArrayList<>();
            try (EventLoop loop = EventLoop.open()) {
                Timer[] timer = new Timer[1];
                timer[0] = new Timer(() -> {
                    fired.add(new Firing(0, timer[0].deadline(), System.nanoTime()));
                    registeredInHandler.add(timer[0].isRegistered());
                });
                timer[0].expiresAfter(Duration.ofMillis(5)).register();
                assertTrue(timer[0].isRegistered());
                loop.run(); // returns once the timer has fired: nothing else is registered
                assertFalse(timer[0].isRegistered());
            }
            assertEquals(1, fired.size());
            assertTrue(fired.get(0).firedAt - fired.get(0).deadline >= 0, "fired early");
            assertEquals(List.of(false), registeredInHandler);
        });
    }

    @Test
    void aPastDeadlineFiresOnTheNextIterationBeforeItsTasks() throws Exception {
        List<String> ran = new ArrayList<>();
        try (EventLoop loop = EventLoop.open()) {
            Event[] setUp = new Event[1];
            setUp[0] = new Event(() -> {
                // The posted step ends the iteration: both objects belong to the next one,
                // where timers come before tasks.
                setUp[0].unregister();
                new Task(() -> ran.add("task")).register();
                new Timer(() -> ran.add("past timer")).expiresAt(System.nanoTime() - 1_000_000_000L).register();
                ran.add("registered");
            });
            setUp[0].register();
            setUp[0].post();
            loop.run();
        }
        assertEquals(List.of("registered", "past timer", "task"), ran);
    }

    @Test
    void aZeroDelayFires() throws Exception {
        int[] fired = new int[1];
        try (EventLoop loop = EventLoop.open()) {
            new Timer(() -> fired[0]++).expiresAfter(Duration.ZERO).register();
            new Timer(() -> fired[0]++).expiresAfter(Duration.ofMillis(-5)).register();
            new Timer(() -> fired[0]++).expiresAt(loop.now()).register();
            loop.run();
        }
        assertEquals(3, fired[0]);
    }

    @Test
    void timersWithOneDeadlineFireInRegistrationOrder() throws Exception {
        List<Integer> order = new ArrayList<>();
        try (EventLoop loop = EventLoop.open()) {
            long deadline = System.nanoTime() + 2_000_000L;
            for (int i = 0; i < 200; i++) {
                int id = i;
                new Timer(() -> order.add(id)).expiresAt(deadline).register();
            }
            loop.run();
        }
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            expected.add(i);
        }
        assertEquals(expected, order);
    }

    @Test
    void aThousandTimersAcrossAHundredDeadlinesFireInDeadlineThenRegistrationOrderNeverEarly() throws Exception {
        assertNoDescriptorLeak(() -> {
            List<Firing> fired = new ArrayList<>();
            List<Firing> expected = new ArrayList<>();
            try (EventLoop loop = EventLoop.open()) {
                long base = System.nanoTime() + 1_000_000L;
                Random random = new Random(5);
                for (int i = 0; i < 1000; i++) {
                    // 100 deadlines 150 µs apart, registered in a shuffled order.
                    long deadline = base + random.nextInt(100) * 150_000L;
                    int id = i;
                    new Timer(() -> fired.add(new Firing(id, deadline, System.nanoTime()))).expiresAt(deadline).register();
                    expected.add(new Firing(id, deadline, 0));
                }
                loop.run();
            }
            expected.sort(Comparator.comparingLong(Firing::deadline).thenComparingInt(Firing::id));
            assertEquals(expected.stream().map(Firing::id).toList(), fired.stream().map(Firing::id).toList());
            for (Firing firing : fired) {
                assertTrue(firing.firedAt - firing.deadline >= 0, "timer " + firing.id + " fired "
                        + (firing.deadline - firing.firedAt) + " ns early");
            }
        });
    }

    @Test
    void neverEarlyWithNanosecondWaits() throws Exception {
        assertNeverEarly();
    }

    @Test
    void neverEarlyWithMillisecondWaitsRoundedUp() throws Exception {
        System.setProperty(Epoll.PRECISE_WAIT_PROPERTY, "false");
        try {
            assertNeverEarly();
        } finally {
            System.clearProperty(Epoll.PRECISE_WAIT_PROPERTY);
        }
    }

    /** Chains 200 timers, each due 0-2 ms after the previous handler, with odd sub-millisecond parts. */
    private static void assertNeverEarly() {
        List<Firing> fired = new ArrayList<>();
        boolean precise;
        try (EventLoop loop = EventLoop.open()) {
            precise = LoopPeek.preciseWaits(loop);
            Random random = new Random(7);
            Timer[] timer = new Timer[1];
            timer[0] = new Timer(() -> {
                long now = System.nanoTime();
                fired.add(new Firing(fired.size(), timer[0].deadline(), now));
                if (fired.size() < 200) {
                    timer[0].expiresAt(now + random.nextInt(2_000_000)).register();
                }
            });
            timer[0].expiresAfter(Duration.ofNanos(123_457)).register();
            loop.run();
        }
        assertEquals(200, fired.size());
        long[] late = new long[fired.size()];
        for (int i = 0; i < late.length; i++) {
            Firing firing = fired.get(i);
            late[i] = firing.firedAt - firing.deadline;
            assertTrue(late[i] >= 0, "timer " + i + " fired " + -late[i] + " ns before its deadline");
        }
        java.util.Arrays.sort(late);
        System.out.printf("timer lateness (%s): median %d µs, p99 %d µs, max %d µs%n",
                precise ? "epoll_pwait2" : "epoll_wait, ms rounded up",
                late[late.length / 2] / 1000, late[late.length * 99 / 100] / 1000, late[late.length - 1] / 1000);
    }

    @Test
    void unregisteredBeforeItsDeadlineItNeverFires() throws Exception {
        List<String> ran = new ArrayList<>();
        try (EventLoop loop = EventLoop.open()) {
            Timer late = new Timer(() -> ran.add("cancelled timer"));
            late.expiresAfter(Duration.ofMillis(20)).register();
            new Timer(() -> {
                ran.add("canceller");
                late.unregister();
            }).expiresAfter(Duration.ofMillis(2)).register();
            loop.run(); // returns as soon as the cancelled timer is gone: nothing is registered
            assertFalse(late.isRegistered());
            Thread.sleep(25); // past the cancelled deadline

            new Task(() -> ran.add("later iteration")).register();
            loop.run();
        }
        assertEquals(List.of("canceller", "later iteration"), ran);
    }

    @Test
    void unregisteredByAnotherHandlerOfTheSameIterationItDoesNotRun() throws Exception {
        List<String> ran = new ArrayList<>();
        try (EventLoop loop = EventLoop.open()) {
            long deadline = System.nanoTime() + 1_000_000L;
            Timer second = new Timer(() -> ran.add("second"));
            Timer first = new Timer(() -> {
                ran.add("first");
                second.unregister();
            });
            first.expiresAt(deadline).register();
            second.expiresAt(deadline).register();
            Event posted = new Event(() -> ran.add("event"));
            posted.register();
            posted.post();
            Timer third = new Timer(() -> {
                ran.add("third");
                posted.unregister(); // posted earlier, unregistered before its step: not called
            });
            third.expiresAt(deadline - 1_000_000_000L).register();
            loop.run();
        }
        assertEquals(List.of("third", "first"), ran);
    }

    @Test
    void aPeriodicTimerReRegistersFromItsOwnHandlerWithoutDrift() throws Exception {
        List<Long> deadlines = new ArrayList<>();
        try (EventLoop loop = EventLoop.open()) {
            long period = 1_000_000L;
            Timer[] timer = new Timer[1];
            timer[0] = new Timer(() -> {
                deadlines.add(timer[0].deadline());
                if (deadlines.size() < 10) {
                    timer[0].expiresAt(timer[0].deadline() + period).register();
                }
            });
            timer[0].expiresAt(loop.now() + period).register();
            loop.run();
        }
        assertEquals(10, deadlines.size());
        for (int i = 1; i < deadlines.size(); i++) {
            assertEquals(1_000_000L, deadlines.get(i) - deadlines.get(i - 1));
        }
    }

    @Test
    void aTimerRearmedInThePastFromItsOwnHandlerWaitsForTheNextIteration() throws Exception {
        // Were it run again in the same timer step, the loop would never reach the task.
        List<String> ran = new ArrayList<>();
        try (EventLoop loop = EventLoop.open()) {
            Timer[] timer = new Timer[1];
            int[] firings = new int[1];
            timer[0] = new Timer(() -> {
                ran.add("timer");
                if (++firings[0] < 5) {
                    timer[0].expiresAt(System.nanoTime() - 1).register();
                }
            });
            timer[0].expiresAt(System.nanoTime() - 1).register();
            Task[] task = new Task[1];
            task[0] = new Task(() -> {
                ran.add("task");
                if (timer[0].isRegistered()) {
                    task[0].register();
                }
            });
            task[0].register();
            loop.run();
        }
        assertEquals(List.of("timer", "task", "timer", "task", "timer", "task", "timer", "task", "timer", "task"), ran);
    }

    @Test
    void droppedInItsOwnHandlerItIsCollectable() throws Exception {
        WeakReference<Timer> reference;
        try (EventLoop loop = EventLoop.open()) {
            reference = registerSelfDroppingTimer();
            loop.run();
        }
        assertCollectable(reference, "a Timer");
    }

    private static WeakReference<Timer> registerSelfDroppingTimer() {
        Timer[] holder = new Timer[1];
        holder[0] = new Timer(() -> holder[0] = null);
        holder[0].expiresAfter(Duration.ofMillis(1)).register();
        return new WeakReference<>(holder[0]);
    }

    @Test
    void misuseIsRefusedWithAMessage() throws Exception {
        try (EventLoop loop = EventLoop.open()) {
            Timer timer = new Timer(() -> { });
            IllegalStateException noDeadline = assertThrows(IllegalStateException.class, timer::register);
            assertTrue(noDeadline.getMessage().contains("expiresAt"), noDeadline.getMessage());
            assertThrows(IllegalStateException.class, timer::deadline);
            timer.expiresAfter(Duration.ofDays(365 * 1000)).register(); // capped, not overflowed
            assertTrue(timer.deadline() - System.nanoTime() > 0);
            assertThrows(IllegalStateException.class, () -> timer.expiresAfter(Duration.ofSeconds(1)));
            assertThrows(IllegalStateException.class, timer::register);
            java.util.concurrent.atomic.AtomicReference<Throwable> failure = new java.util.concurrent.atomic.AtomicReference<>();
            Thread other = new Thread(() -> {
                try {
                    timer.unregister();
                } catch (Throwable e) {
                    failure.set(e);
                }
            });
            other.start();
            other.join();
            assertTrue(failure.get() instanceof IllegalStateException, String.valueOf(failure.get()));
            assertTrue(timer.isRegistered());
            timer.unregister();
            assertThrows(IllegalStateException.class, timer::unregister);
            assertThrows(NullPointerException.class, () -> timer.expiresAfter(null));
        }
    }
}
