package io.jivykis.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jivykis.EventLoop;
import io.jivykis.EventRaw;
import io.jivykis.testing.Descriptors;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A thread that ends with its loop still open: once the loop is unreachable, the Cleaner
 * closes it, unregisters what was registered and closes every descriptor.
 */
class AbandonedLoopTest {
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void descriptorsOfALoopWhoseThreadEndedAreReclaimed() throws Exception {
        // Load the library and the Cleaner thread first, so the baseline holds what stays.
        Thread warm = new Thread(() -> EventLoop.open().close());
        warm.start();
        warm.join();
        int baseline = baselineAfterCollections();

        AtomicInteger calls = new AtomicInteger();
        List<EventRaw> kept = new ArrayList<>();
        Thread owner = new Thread(() -> {
            EventLoop.open();
            for (int i = 0; i < 10; i++) {
                EventRaw ev = new EventRaw(calls::incrementAndGet);
                ev.register();
                kept.add(ev);
            }
            // Ends without close(): the leak under test.
        }, "abandons-its-loop");
        owner.start();
        owner.join();
        // Until the loop is collected its objects stay registered, their descriptors open.
        for (EventRaw ev : kept) {
            assertTrue(ev.isRegistered());
            String target = Descriptors.snapshot().getOrDefault(ev.fd(), "");
            assertTrue(target.startsWith("anon_inode:[eventfd]") || target.startsWith("pipe:"),
                    "descriptor " + ev.fd() + " of a registered event is not open");
        }

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (Descriptors.count() > baseline && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(20);
        }
        // At most the baseline: collections may also close what earlier tests dropped.
        assertTrue(Descriptors.count() <= baseline, "descriptors of the abandoned loop were not reclaimed: "
                + Descriptors.snapshot());
        for (EventRaw ev : kept) {
            assertFalse(ev.isRegistered(), "an object of the reclaimed loop still reports registered");
            assertEquals(-1, ev.fd());
            ev.post(); // a defined no-op
        }
        assertEquals(0, calls.get());
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void aClosedLoopIsNotClosedAgainByTheCleaner() throws Exception {
        // NIO keeps one descriptor for good once its first channel is used: open one first.
        java.nio.channels.Pipe warm = java.nio.channels.Pipe.open();
        warm.sink().close();
        warm.source().close();
        int baseline = baselineAfterCollections();
        Thread owner = new Thread(() -> {
            try (EventLoop loop = EventLoop.open()) {
                new EventRaw(() -> { }).register();
            }
        });
        owner.start();
        owner.join();
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(20);
        }
        // A second close of the same numbers would close someone else's descriptors: open two
        // now and check they survive the collections above and below.
        java.nio.channels.Pipe pipe = java.nio.channels.Pipe.open();
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(20);
        }
        assertTrue(pipe.sink().isOpen() && pipe.source().isOpen());
        pipe.sink().write(java.nio.ByteBuffer.wrap(new byte[] {1}));
        java.nio.ByteBuffer one = java.nio.ByteBuffer.allocate(1);
        assertEquals(1, pipe.source().read(one), "the pipe's descriptors were closed behind its back");
        pipe.sink().close();
        pipe.source().close();
        assertTrue(Descriptors.count() <= baseline, "descriptors leaked: " + Descriptors.snapshot());
    }

    /**
     * The descriptor count once garbage collection has closed whatever earlier tests left
     * unreachable (their Cleaners would otherwise close it in the middle of this test).
     */
    private static int baselineAfterCollections() throws InterruptedException {
        int previous = -1;
        int now = Descriptors.baseline();
        for (int i = 0; i < 20 && now != previous; i++) {
            System.gc();
            Thread.sleep(50);
            previous = now;
            now = Descriptors.count();
        }
        return now;
    }
}
