package io.jivykis.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jivykis.Event;
import io.jivykis.EventLoop;
import io.jivykis.Task;
import io.jivykis.Timer;
import io.jivykis.testing.Descriptors;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Handlers of the loop's other objects that throw: the exception leaves run(), the object's
 * state is as documented (a fired timer and a run task are unregistered before their handler,
 * an Event stays registered), the object due with it in the same step still runs when run()
 * is called again, and nothing leaks.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ThrowingLoopObjectsTest {
    private static final RuntimeException BOOM = new IllegalStateException("handler failure under test");

    @Test
    void aThrowingTimerLeavesTheOtherDueTimerToTheNextRun() {
        int baseline = Descriptors.baseline();
        AtomicInteger other = new AtomicInteger();
        try (EventLoop loop = EventLoop.open()) {
            long deadline = System.nanoTime();
            Timer thrower = new Timer(() -> {
                throw BOOM;
            }).expiresAt(deadline);
            Timer next = new Timer(other::incrementAndGet).expiresAt(deadline);
            thrower.register();
            next.register();
            assertSame(BOOM, assertThrows(IllegalStateException.class, loop::run));
            assertFalse(thrower.isRegistered(), "a fired timer is unregistered before its handler runs");
            loop.run(); // the other timer, due in the same step, still fires; then nothing is left
            assertEquals(1, other.get());
            assertFalse(next.isRegistered());
            // The loop is still usable for timers.
            Timer later = new Timer(other::incrementAndGet).expiresAfter(Duration.ofMillis(5));
            later.register();
            loop.run();
            assertEquals(2, other.get());
        }
        assertTrue(Descriptors.settledCount(baseline) <= baseline, "descriptors leaked: " + Descriptors.snapshot());
    }

    @Test
    void aThrowingTaskLeavesTheOtherTaskToTheNextRun() {
        AtomicInteger other = new AtomicInteger();
        try (EventLoop loop = EventLoop.open()) {
            Task thrower = new Task(() -> {
                throw BOOM;
            });
            Task next = new Task(other::incrementAndGet);
            thrower.register();
            next.register();
            assertSame(BOOM, assertThrows(IllegalStateException.class, loop::run));
            assertFalse(thrower.isRegistered(), "a task is unregistered before its handler runs");
            loop.run();
            assertEquals(1, other.get());
        }
    }

    @Test
    void aThrowingEventStaysRegisteredAndTheOtherPostIsKept() throws Exception {
        AtomicInteger throwing = new AtomicInteger();
        AtomicInteger other = new AtomicInteger();
        try (EventLoop loop = EventLoop.open()) {
            Event thrower = new Event(() -> {
                if (throwing.incrementAndGet() == 1) {
                    throw BOOM;
                }
            });
            Event[] next = new Event[1];
            next[0] = new Event(() -> {
                other.incrementAndGet();
                next[0].unregister();
            });
            thrower.register();
            next[0].register();
            thrower.post();
            next[0].post();
            assertSame(BOOM, assertThrows(IllegalStateException.class, loop::run));
            assertTrue(thrower.isRegistered());
            Thread poster = new Thread(thrower::post);
            poster.start();
            poster.join();
            Event[] quit = new Event[1];
            quit[0] = new Event(() -> {
                if (other.get() == 0 || throwing.get() < 2) {
                    quit[0].post(); // wait for the queued posts rather than race them
                    return;
                }
                quit[0].unregister();
                loop.quit();
            });
            quit[0].register();
            quit[0].post();
            loop.run();
            assertEquals(1, other.get(), "the post made alongside the throwing one was lost");
            assertEquals(2, throwing.get(), "the post made after the exception was lost");
            thrower.unregister();
        }
    }
}
