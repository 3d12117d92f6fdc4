package io.jivykis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jivykis.LoopObjectsSupport.Pipe;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The documented order of one iteration, now(), and objects of different kinds meeting. */
@Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class IterationOrderTest {
    @Test
    void oneIterationRunsTimersThenTasksThenDescriptorsThenPosts() throws Exception {
        List<String> ran = new ArrayList<>();
        try (EventLoop loop = EventLoop.open(); Pipe pipe = new Pipe()) {
            // Registered in the reverse of the documented order, all due in the first iteration.
            Event[] event = new Event[1];
            event[0] = new Event(() -> {
                ran.add("posted event");
                event[0].unregister();
            });
            event[0].register();
            event[0].post();
            pipe.write();
            FdWatch watch = new FdWatch(pipe.readFd);
            watch.onReadable(() -> {
                ran.add("ready descriptor");
                watch.unregister();
            }).register();
            new Task(() -> ran.add("task")).register();
            new Timer(() -> ran.add("expired timer")).expiresAt(System.nanoTime() - 1).register();
            loop.run();
        }
        assertEquals(List.of("expired timer", "task", "ready descriptor", "posted event"), ran);
    }

    @Test
    void aTimerUnregisteringAPostedEventAndADescriptorWatchInTheSameIterationStopsThem() throws Exception {
        List<String> ran = new ArrayList<>();
        try (EventLoop loop = EventLoop.open(); Pipe pipe = new Pipe()) {
            Event event = new Event(() -> ran.add("event"));
            event.register();
            event.post();
            pipe.write();
            FdWatch watch = new FdWatch(pipe.readFd).onReadable(() -> ran.add("watch"));
            watch.register();
            Task task = new Task(() -> ran.add("task"));
            task.register();
            new Timer(() -> {
                ran.add("timer");
                event.unregister();
                watch.unregister();
                task.unregister();
            }).expiresAt(System.nanoTime() - 1).register();
            loop.run();
        }
        assertEquals(List.of("timer"), ran);
    }

    @Test
    void nowIsCachedPerIterationAndMovesOnAfterAWait() throws Exception {
        List<Long> seen = new ArrayList<>();
        try (EventLoop loop = EventLoop.open()) {
            long before = loop.now();
            assertTrue(loop.now() - before >= 0);
            new Task(() -> seen.add(loop.now())).register();
            new Task(() -> seen.add(loop.now())).register();
            Timer timer = new Timer(() -> seen.add(loop.now()));
            timer.expiresAfter(Duration.ofMillis(3)).register();
            loop.run();
            assertEquals(seen.get(0), seen.get(1), "handlers of one step see the same now()");
            assertTrue(seen.get(2) - timer.deadline() >= 0, "a timer's now() is at or past its deadline");
            assertTrue(seen.get(0) - before >= 0);

            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread other = new Thread(() -> {
                try {
                    loop.now();
                } catch (Throwable e) {
                    failure.set(e);
                }
            });
            other.start();
            other.join();
            assertTrue(failure.get() instanceof IllegalStateException, String.valueOf(failure.get()));
        }
    }

    @Test
    void quitInATimerStopsTheIterationAndTheRestRunsOnTheNextRun() throws Exception {
        List<String> ran = new ArrayList<>();
        try (EventLoop loop = EventLoop.open()) {
            long deadline = System.nanoTime() - 1;
            new Timer(() -> {
                ran.add("first");
                loop.quit();
            }).expiresAt(deadline).register();
            new Timer(() -> ran.add("second")).expiresAt(deadline).register();
            new Task(() -> ran.add("task")).register();
            loop.run();
            assertEquals(List.of("first"), ran);
            loop.run();
        }
        assertEquals(List.of("first", "second", "task"), ran);
        assertThrows(IllegalStateException.class, () -> EventLoop.current());
    }
}
