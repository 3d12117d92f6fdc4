package io.jivykis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jivykis.LoopObjectsSupport.Pipe;
import io.jivykis.testing.Descriptors;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * EventLoop.metrics(): each counter checked against what the test made the loop do. Time is
 * checked only against generous sanity bounds.
 */
class LoopMetricsTest {
    private static final int POSTS = 2000;

    @Test
    void aFreshLoopHasCountedNothing() {
        try (EventLoop loop = EventLoop.open()) {
            LoopMetrics m = loop.metrics();
            assertEquals(0, m.iterations());
            assertEquals(0, m.handlerCalls());
            assertEquals(0, m.waits());
            assertEquals(0, m.blockedNanos());
            assertEquals(0, m.wakeUpWrites());
            assertEquals(0, m.registered());
        }
    }

    @Test
    void registeredFollowsRegisterAndUnregister() {
        try (EventLoop loop = EventLoop.open()) {
            Event a = new Event(() -> {});
            EventRaw b = new EventRaw(() -> {});
            a.register();
            b.register();
            assertEquals(2, loop.metrics().registered());
            a.unregister();
            assertEquals(1, loop.metrics().registered());
            b.unregister();
            assertEquals(0, loop.metrics().registered());
        }
    }

    @Test
    void postsFromAnotherThreadCoalesceAndWakeTheLoopAtMostOncePerPost() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        LoopMetrics after;
        try (EventLoop loop = EventLoop.open()) {
            Event counted = new Event(runs::incrementAndGet);
            Event stop = new Event(loop::quit);
            counted.register();
            stop.register();
            // Every post of `counted` is made before the post of `stop`, so it is queued before
            // it, and its run (coalesced or not) comes first: when stop runs, all have run.
            Thread poster = new Thread(() -> {
                for (int i = 0; i < POSTS; i++) {
                    counted.post();
                }
                stop.post();
            }, "poster");
            poster.start();
            loop.run();
            poster.join();
            after = loop.metrics();
        }
        int handled = runs.get();
        assertTrue(handled >= 1 && handled <= POSTS, "runs of the posted event: " + handled);
        assertEquals(handled + 1, after.postedRuns(), "posted runs: the event's and stop's");
        assertEquals(after.postedRuns(), after.handlerCalls(), "only posted objects ran");
        assertEquals(0, after.timersFired() + after.tasksRun() + after.descriptorReports());
        assertTrue(after.wakeUpWrites() <= POSTS + 1, "at most one wake-up write per post: " + after);
        // No timer and no descriptor but the wake-up one: every wait was ended by a wake-up write.
        assertTrue(after.waits() <= after.wakeUpWrites(), "waits ended by wake-up writes: " + after);
        assertTrue(after.iterations() >= 1, after.toString());
    }

    @Test
    void onePostAtATimeRunsOncePerPostAndWritesAtMostOncePerPost() throws Exception {
        Semaphore ran = new Semaphore(0);
        LoopMetrics after;
        try (EventLoop loop = EventLoop.open()) {
            Event counted = new Event(ran::release);
            Event stop = new Event(loop::quit);
            counted.register();
            stop.register();
            Thread poster = new Thread(() -> {
                for (int i = 0; i < 200; i++) {
                    counted.post();
                    ran.acquireUninterruptibly();
                }
                stop.post();
            }, "poster");
            poster.start();
            loop.run();
            poster.join();
            after = loop.metrics();
        }
        assertEquals(201, after.postedRuns(), "each post waited for its run, so none coalesced");
        assertTrue(after.wakeUpWrites() <= 201, after.toString());
        assertTrue(after.waits() <= after.wakeUpWrites(), after.toString());
        assertTrue(after.waits() == 0 || after.blockedNanos() > 0, after.toString());
    }

    @Test
    void aFiftyMillisecondTimerIsAboutFiftyMillisecondsOfBlockedTime() {
        try (EventLoop loop = EventLoop.open()) {
            AtomicReference<LoopMetrics> inHandler = new AtomicReference<>();
            new Timer(() -> inHandler.set(loop.metrics())).expiresAfter(Duration.ofMillis(50)).register();
            loop.run();
            LoopMetrics m = loop.metrics();
            assertEquals(1, m.timersFired());
            assertEquals(1, m.handlerCalls());
            assertTrue(m.waits() >= 1, m.toString());
            // Generous: the wait ends at the deadline or later, never much earlier; a loaded machine may be late.
            long blockedMs = TimeUnit.NANOSECONDS.toMillis(m.blockedNanos());
            assertTrue(blockedMs >= 40 && blockedMs < 5_000, "blocked " + blockedMs + " ms for a 50 ms timer: " + m);
            assertTrue(m.maxTimerLatenessNanos() >= 0 && m.timerLatenessNanos() == m.maxTimerLatenessNanos(), m.toString());
            assertEquals(1, inHandler.get().timersFired(), "a run is counted as it starts");
        }
    }

    @Test
    void aTaskCountsAsOneTaskRun() {
        try (EventLoop loop = EventLoop.open()) {
            new Task(() -> {}).register();
            loop.run();
            LoopMetrics m = loop.metrics();
            assertEquals(1, m.tasksRun());
            assertEquals(1, m.handlerCalls());
            assertEquals(0, m.waits(), "a task is run before the wait, which then has nothing to wait for");
        }
    }

    @Test
    void anFdWatchReportIsOneMoreDescriptorReportAndNoForeignDrain() {
        try (EventLoop loop = EventLoop.open(); Pipe pipe = new Pipe()) {
            FdWatch watch = new FdWatch(pipe.readFd);
            watch.onReadable(() -> {
                pipe.read();
                watch.unregister();
            });
            watch.register();
            LoopMetrics before = loop.metrics();
            pipe.write();
            loop.run();
            LoopMetrics after = loop.metrics();
            assertEquals(before.descriptorReports() + 1, after.descriptorReports());
            assertEquals(before.foreignDrains(), after.foreignDrains(), "the watch's descriptor is the caller's, not drained");
            assertEquals(1, after.handlerCalls());
        }
    }

    @Test
    void aForeignWriteToAnEventRawIsOneForeignDrain() throws Exception {
        try (EventLoop loop = EventLoop.open()) {
            EventRaw[] ev = new EventRaw[1];
            ev[0] = new EventRaw(() -> ev[0].unregister());
            ev[0].register();
            ForeignWrite.write(ev[0]);
            loop.run();
            LoopMetrics m = loop.metrics();
            assertEquals(1, m.descriptorReports());
            assertEquals(1, m.foreignDrains());
            assertEquals(0, m.signalsDelivered());
            assertEquals(0, m.postedRuns());
        }
    }

    @Test
    void aSignalIsOneSignalDeliveredAndOneForeignDrain() {
        try (EventLoop loop = EventLoop.open()) {
            SignalHandler[] handler = new SignalHandler[1];
            handler[0] = new SignalHandler(Signals.SIGUSR1, () -> handler[0].unregister());
            handler[0].register();
            SignalTesting.raise(Signals.SIGUSR1);
            loop.run();
            LoopMetrics m = loop.metrics();
            assertEquals(1, m.signalsDelivered());
            assertEquals(1, m.foreignDrains());
        }
    }

    @Test
    void anotherThreadReadsGrowingValuesWhileTheLoopRuns() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        AtomicReference<EventLoop> shared = new AtomicReference<>();
        Thread owner = new Thread(() -> {
            try (EventLoop loop = EventLoop.open()) {
                shared.set(loop);
                Event[] self = new Event[1];
                self[0] = new Event(() -> {
                    running.countDown();
                    self[0].post();
                });
                self[0].register();
                self[0].post();
                loop.run();
                self[0].unregister();
            }
        }, "busy-loop");
        owner.start();
        running.await();
        EventLoop loop = shared.get();
        long previous = 0;
        for (int i = 0; i < 100; i++) {
            long calls = loop.metrics().handlerCalls();
            assertTrue(calls >= previous, "handlerCalls went from " + previous + " to " + calls);
            previous = calls;
        }
        assertTrue(previous >= 1);
        loop.executor().execute(loop::quit);
        owner.join();
        assertTrue(loop.metrics().handlerCalls() >= previous, "after the loop closed");
    }

    @Test
    void metricsOpenNoDescriptor() {
        try (EventLoop loop = EventLoop.open()) {
            int before = Descriptors.count();
            for (int i = 0; i < 100; i++) {
                loop.metrics();
            }
            assertEquals(before, Descriptors.count());
        }
    }

    @Test
    void toStringNamesEveryCounterOnOneLine() {
        try (EventLoop loop = EventLoop.open()) {
            String line = loop.metrics().toString();
            assertTrue(line.startsWith("iterations=0 handlerCalls=0 waits=0 blockedNanos=0 wakeUpWrites=0 registered=0"), line);
            assertTrue(!line.contains("\n"), line);
        }
    }

    @Test
    void aChildsPostIsOneForeignDrainAndItsPipeIsNoRegisteredObject() throws Exception {
        try (EventLoop loop = EventLoop.open()) {
            EventRaw[] ev = new EventRaw[1];
            ev[0] = new EventRaw(() -> {
                ev[0].unregister();
                loop.quit(); // the bounding timer below would keep run() going
            });
            ev[0].register();
            ChildProcess child = new ChildProcessBuilder(Children.nativeProgram("jivykis-post").toString(), "WAKE")
                    .pass(ev[0], "WAKE").start();
            // The child's pipe is part of the event's registration, not an object of its own.
            assertEquals(1, loop.metrics().registered());
            Timer bound = new Timer(loop::quit).expiresAfter(Duration.ofSeconds(20));
            bound.register();
            loop.run();
            assertTrue(!ev[0].isRegistered(), "the child's post ran the handler");
            bound.unregister();
            assertEquals(0, child.waitFor());
            LoopMetrics m = loop.metrics();
            assertEquals(1, m.foreignDrains(), "a write from another process is a foreign drain");
            assertEquals(0, m.registered());
        }
    }
}
