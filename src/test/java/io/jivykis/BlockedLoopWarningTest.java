package io.jivykis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jivykis.testing.CapturedLogs;
import io.jivykis.testing.Descriptors;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The blocked-loop warning: one record per blocked step, with the loop thread's stack, on
 * the {@code io.jivykis} System.Logger (captured by the test run's LoggerFinder,
 * {@link CapturedLogs}). Handlers sleep far past or
 * far under the threshold, so the outcome does not depend on the machine's speed.
 */
class BlockedLoopWarningTest {
    private static final String WATCHDOG = "jivykis-watchdog";
    private static final Duration THRESHOLD = Duration.ofMillis(100);

    @BeforeEach
    void forgetEarlierRecords() {
        CapturedLogs.clear();
    }

    private static List<CapturedLogs.Entry> warnings() {
        return CapturedLogs.matching("io.jivykis", System.Logger.Level.WARNING, "blocked threshold");
    }

    @Test
    void aHandlerSleepingPastTheThresholdGivesExactlyOneWarningWithTheStack() throws Exception {
        try (EventLoop loop = EventLoop.open()) {
            loop.setBlockedThreshold(THRESHOLD);
            // Six thresholds long: the warning comes after one (and a quarter at most), and
            // the remaining five must add nothing: one warning per occurrence.
            new Task(BlockedLoopWarningTest::sleepSixHundredMillis).register();
            loop.run();
            List<CapturedLogs.Entry> warnings = warnings();
            assertEquals(1, warnings.size(), "warnings: " + warnings.size());
            CapturedLogs.Entry warning = warnings.get(0);
            String message = warning.message;
            String thread = Thread.currentThread().getName();
            assertTrue(message.contains("thread \"" + thread + "\""), message);
            assertTrue(message.contains("a handler of a Task"), message);
            assertTrue(message.contains("threshold of 100 ms"), message);
            long heldMs = Long.parseLong(message.replaceAll("(?s).*held for at least (\\d+) ms.*", "$1"));
            assertTrue(heldMs >= 100 && heldMs < 600, "held for " + heldMs + " ms");
            Throwable stack = warning.thrown;
            assertTrue(stack != null, "the record carries the loop thread's stack");
            String frames = Arrays.toString(stack.getStackTrace());
            assertTrue(frames.contains("java.lang.Thread.sleep"), frames);
            assertTrue(frames.contains(BlockedLoopWarningTest.class.getName() + ".sleepSixHundredMillis"), frames);
            assertTrue(frames.contains("io.jivykis.internal.Loop.runTasks"), frames);
            LoopMetrics m = loop.metrics();
            assertEquals(1, m.blockedWarnings());
            assertTrue(m.longestStepNanos() >= TimeUnit.MILLISECONDS.toNanos(100), m.toString());
        }
    }

    private static void sleepSixHundredMillis() {
        sleep(600);
    }

    @Test
    void twoBlockedHandlersGiveTwoWarnings() {
        try (EventLoop loop = EventLoop.open()) {
            loop.setBlockedThreshold(THRESHOLD);
            Event[] second = new Event[1];
            second[0] = new Event(() -> {
                sleep(400);
                second[0].unregister();
            });
            second[0].register();
            new Timer(() -> {
                sleep(400);
                second[0].post();
            }).expiresAfter(Duration.ZERO).register();
            loop.run();
            List<CapturedLogs.Entry> warnings = warnings();
            assertEquals(2, warnings.size());
            assertTrue(warnings.get(0).message.contains("a handler of a Timer"), warnings.get(0).message);
            assertTrue(warnings.get(1).message.contains("a handler of an Event"), warnings.get(1).message);
            assertEquals(2, loop.metrics().blockedWarnings());
        }
    }

    @Test
    void aHandlerUnderTheThresholdGivesNone() {
        try (EventLoop loop = EventLoop.open()) {
            loop.setBlockedThreshold(Duration.ofSeconds(5));
            for (int i = 0; i < 5; i++) {
                new Task(() -> sleep(20)).register();
            }
            loop.run();
            assertEquals(0, warnings().size());
            assertEquals(0, loop.metrics().blockedWarnings());
        }
    }

    @Test
    void aLoopWaitingForItsNextTimerIsNotBlocked() {
        try (EventLoop loop = EventLoop.open()) {
            loop.setBlockedThreshold(THRESHOLD);
            new Timer(() -> {}).expiresAfter(Duration.ofMillis(500)).register();
            loop.run();
            assertEquals(0, warnings().size(), "waiting in epoll is idle, not blocked");
        }
    }

    @Test
    void theThresholdCanBeTurnedOffAndReadBack() {
        try (EventLoop loop = EventLoop.open()) {
            assertEquals(Duration.ofSeconds(1), loop.blockedThreshold(), "the default");
            loop.setBlockedThreshold(Duration.ZERO);
            assertEquals(Duration.ZERO, loop.blockedThreshold());
            new Task(() -> sleep(300)).register();
            loop.run();
            assertEquals(0, warnings().size());
            assertThrows(IllegalArgumentException.class, () -> loop.setBlockedThreshold(Duration.ofMillis(-1)));
            // Too negative for nanoseconds: still refused, not taken as the longest threshold.
            assertThrows(IllegalArgumentException.class, () -> loop.setBlockedThreshold(Duration.ofSeconds(Long.MIN_VALUE)));
            loop.setBlockedThreshold(Duration.ofSeconds(Long.MAX_VALUE)); // too long for nanoseconds: as good as never
        }
    }

    @Test
    void theSystemPropertySetsTheThresholdOfNewLoops() {
        String before = System.getProperty("jivykis.blockedThresholdMs");
        try {
            System.setProperty("jivykis.blockedThresholdMs", "250");
            try (EventLoop loop = EventLoop.open()) {
                assertEquals(Duration.ofMillis(250), loop.blockedThreshold());
            }
            System.setProperty("jivykis.blockedThresholdMs", "0");
            try (EventLoop loop = EventLoop.open()) {
                assertEquals(Duration.ZERO, loop.blockedThreshold());
            }
            System.setProperty("jivykis.blockedThresholdMs", "soon");
            int descriptors = Descriptors.count();
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, EventLoop::open);
            assertTrue(refused.getMessage().contains("jivykis.blockedThresholdMs=soon"), refused.getMessage());
            assertEquals(descriptors, Descriptors.count(), "a refused open leaves nothing open");
            assertFalse(EventLoop.isOpen());
        } finally {
            if (before == null) {
                System.clearProperty("jivykis.blockedThresholdMs");
            } else {
                System.setProperty("jivykis.blockedThresholdMs", before);
            }
        }
    }

    @Test
    void theSetterBelongsToTheLoopThread() throws Exception {
        try (EventLoop loop = EventLoop.open()) {
            AtomicBoolean refused = new AtomicBoolean();
            Thread other = new Thread(() -> {
                try {
                    loop.setBlockedThreshold(Duration.ofMillis(5));
                } catch (IllegalStateException e) {
                    refused.set(true);
                }
            });
            other.start();
            other.join();
            assertTrue(refused.get());
        }
    }

    @Test
    void theWatchdogThreadExistsOnlyWhileALoopRunsWithAThreshold() throws Exception {
        awaitWatchdog(false, "before the test (another test's loop may have just finished)");
        int descriptors = Descriptors.count();
        try (EventLoop loop = EventLoop.open()) {
            loop.setBlockedThreshold(THRESHOLD);
            assertFalse(watchdogRuns(), "an open loop that does not run needs no watchdog");
            AtomicBoolean seenInHandler = new AtomicBoolean();
            new Task(() -> seenInHandler.set(watchdogRuns())).register();
            loop.run();
            assertTrue(seenInHandler.get(), "the watchdog runs while the loop runs");
            awaitWatchdog(false, "after run() returned");

            loop.setBlockedThreshold(Duration.ZERO);
            AtomicBoolean seenWithoutThreshold = new AtomicBoolean(true);
            new Task(() -> seenWithoutThreshold.set(watchdogRuns())).register();
            loop.run();
            assertFalse(seenWithoutThreshold.get(), "no watchdog for a loop whose threshold is off");

            // Turned on from a handler: watched at once, and let go when run() returns.
            AtomicBoolean seenAfterTurningOn = new AtomicBoolean();
            new Task(() -> {
                loop.setBlockedThreshold(THRESHOLD);
                seenAfterTurningOn.set(watchdogRuns());
            }).register();
            loop.run();
            assertTrue(seenAfterTurningOn.get());
            awaitWatchdog(false, "after the second run() returned");
        }
        assertEquals(descriptors, Descriptors.count(), "the watchdog opens no descriptor");
    }

    /**
     * A program that calls run() once per request (as a request/response client does) pays
     * the watch for each call: it must allocate nothing for it and must not wake the watchdog
     * thread each time, which on a busy CPU costs the caller a context switch per run().
     * The watchdog's own allocations count its wake-ups: it allocates when it samples, and
     * without being woken it samples once per period (25 ms here), a handful of times in
     * this test however slow the machine, against once per run() if each call woke it.
     */
    @Test
    void runningAgainAndAgainAllocatesNothingAndLetsTheWatchdogSleep() throws Exception {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        // Another loop runs meanwhile (waiting in epoll, watched), so the watchdog thread is
        // the same one throughout and its allocations can be read.
        java.util.concurrent.CompletableFuture<Event> otherQuit = new java.util.concurrent.CompletableFuture<>();
        Thread other = new Thread(() -> {
            try (EventLoop otherLoop = EventLoop.open()) {
                otherLoop.setBlockedThreshold(THRESHOLD);
                Event stop = new Event(otherLoop::quit);
                stop.register();
                new Task(() -> otherQuit.complete(stop)).register();
                otherLoop.run();
                stop.unregister();
            }
        }, "watched-meanwhile");
        other.start();
        Event stopOther = otherQuit.get(10, TimeUnit.SECONDS);
        try (EventLoop loop = EventLoop.open()) {
            loop.setBlockedThreshold(THRESHOLD);
            Event quit = new Event(loop::quit);
            quit.register();
            for (int i = 0; i < 20_000; i++) {
                quit.post();
                loop.run();
            }
            long watchdog = watchdogThreadId();
            long watchdogBefore = threads.getThreadAllocatedBytes(watchdog);
            long before = threads.getCurrentThreadAllocatedBytes();
            long start = System.nanoTime();
            int runs = 20_000;
            for (int i = 0; i < runs; i++) {
                quit.post();
                loop.run();
            }
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            long watchdogAllocated = threads.getThreadAllocatedBytes(watchdog) - watchdogBefore;
            long periods = 1 + (System.nanoTime() - start) / TimeUnit.MILLISECONDS.toNanos(25);
            quit.unregister();
            stopOther.post();
            other.join(10_000);
            // Less than a byte per call: none of them allocates; what the JVM itself may
            // allocate on this thread now and then (a few hundred bytes while compiling
            // and deoptimizing) is not the loop's.
            assertTrue(allocated < runs, allocated + " bytes allocated by " + runs + " calls of run()");
            // 1 KiB per period is far above what one sample allocates (a copy of the set of
            // watched loops), and far below one allocation per run().
            assertTrue(watchdogAllocated <= periods * 1024, "the watchdog allocated " + watchdogAllocated
                    + " bytes during " + runs + " calls of run() lasting " + periods + " sampling periods");
        }
    }

    /** The watchdog thread's id (one runs: a loop runs with a threshold). */
    private static long watchdogThreadId() {
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.getName().equals(WATCHDOG) && thread.isAlive()) {
                return thread.getId();
            }
        }
        throw new AssertionError("no watchdog thread while a loop runs with a threshold");
    }

    private static boolean watchdogRuns() {
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.getName().equals(WATCHDOG) && thread.isAlive()) {
                return true;
            }
        }
        return false;
    }

    /** Waits up to ten seconds (a loaded machine) for the watchdog to be gone. */
    private static void awaitWatchdog(boolean running, String when) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (watchdogRuns() != running) {
            assertTrue(System.nanoTime() < deadline, "the watchdog thread still runs " + when);
            Thread.sleep(10);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
