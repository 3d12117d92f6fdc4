package io.jivykis;

import static io.jivykis.LoopObjectsSupport.assertCollectable;
import static io.jivykis.LoopObjectsSupport.assertNoDescriptorLeak;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jivykis.testing.Descriptors;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Event (iv_event): in-process posts through the loop's one wake-up descriptor. */
@Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class EventTest {
    @Test
    void postFromTheSameThreadRunsTheHandlerOnIt() throws Exception {
        assertNoDescriptorLeak(() -> {
            AtomicReference<Thread> ranOn = new AtomicReference<>();
            try (EventLoop loop = EventLoop.open()) {
                Event[] event = new Event[1];
                event[0] = new Event(() -> {
                    ranOn.set(Thread.currentThread());
                    event[0].unregister();
                });
                event[0].register();
                assertTrue(event[0].isRegistered());
                event[0].post();
                loop.run();
                assertFalse(event[0].isRegistered());
            }
            assertSame(Thread.currentThread(), ranOn.get());
        });
    }

    @Test
    void postFromAnotherThreadRunsTheHandlerOnTheRegisteringThread() throws Exception {
        assertNoDescriptorLeak(() -> {
            List<Thread> ranOn = new ArrayList<>();
            int[] seenByHandler = new int[1];
            int[] written = new int[1];
            try (EventLoop loop = EventLoop.open()) {
                Event[] event = new Event[1];
                event[0] = new Event(() -> {
                    ranOn.add(Thread.currentThread());
                    seenByHandler[0] = written[0];
                    event[0].unregister();
                });
                event[0].register();
                Thread poster = new Thread(() -> {
                    written[0] = 42; // published to the handler by the post
                    event[0].post();
                }, "event-poster");
                poster.start();
                loop.run();
                poster.join();
            }
            assertEquals(List.of(Thread.currentThread()), ranOn);
            assertEquals(42, seenByHandler[0], "the handler sees what the poster wrote before posting");
        });
    }

    @Test
    void postsBeforeTheHandlerRunsCoalesceAndNoPostIsLost() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        try (EventLoop loop = EventLoop.open()) {
            Event[] event = new Event[1];
            event[0] = new Event(() -> {
                if (calls.incrementAndGet() == 2) {
                    event[0].unregister();
                } else {
                    event[0].post(); // a post from inside the handler runs it once more
                }
            });
            event[0].register();
            for (int i = 0; i < 10; i++) {
                event[0].post();
            }
            loop.run();
        }
        assertEquals(2, calls.get(), "ten posts coalesce into one call; the post inside the handler makes a second");
    }

    @Test
    void crossThreadPostsAreNeverLost() throws Exception {
        int posts = 100_000;
        AtomicInteger sent = new AtomicInteger();
        int[] calls = new int[1];
        try (EventLoop loop = EventLoop.open()) {
            Event[] event = new Event[1];
            Timer[] bound = new Timer[1];
            event[0] = new Event(() -> {
                calls[0]++;
                if (sent.get() == posts) {
                    // Every post happened before this call started reading `sent`: done.
                    event[0].unregister();
                    bound[0].unregister();
                }
            });
            event[0].register();
            bound[0] = new Timer(() -> {
                throw new AssertionError("lost post: the last handler call never came");
            });
            bound[0].expiresAfter(java.time.Duration.ofSeconds(10)).register();
            Thread poster = new Thread(() -> {
                for (int i = 0; i < posts; i++) {
                    sent.incrementAndGet();
                    event[0].post();
                }
            });
            poster.start();
            loop.run();
            poster.join();
        }
        assertTrue(calls[0] >= 1 && calls[0] <= posts, "calls: " + calls[0]);
    }

    @Test
    void eventsTakeNoDescriptorOfTheirOwn() throws Exception {
        try (EventLoop loop = EventLoop.open()) {
            int before = Descriptors.count();
            List<Event> events = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                Event event = new Event(() -> { });
                event.register();
                events.add(event);
            }
            assertEquals(before, Descriptors.count(), "1,000 registered Events open no descriptor");
            for (Event event : events) {
                event.unregister();
            }
        }
    }

    @Test
    void postToAnUnregisteredEventDoesNothing() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        try (EventLoop loop = EventLoop.open()) {
            Event event = new Event(calls::incrementAndGet);
            event.post();
            event.register();
            event.post();
            event.unregister();
            event.post();
            Task check = new Task(() -> { });
            check.register();
            loop.run();
        }
        assertEquals(0, calls.get(), "a post dropped by unregister, and posts while unregistered, never run");
    }

    @Test
    void unregisteredByAnotherHandlerOfTheSameIterationItDoesNotRun() throws Exception {
        List<String> ran = new ArrayList<>();
        try (EventLoop loop = EventLoop.open()) {
            Event second = new Event(() -> ran.add("second"));
            Event[] first = new Event[1];
            first[0] = new Event(() -> {
                ran.add("first");
                second.unregister();
                first[0].unregister();
            });
            first[0].register();
            second.register();
            first[0].post();
            second.post(); // queued behind first, dropped when first unregisters it
            loop.run();
            assertFalse(second.isRegistered());
        }
        assertEquals(List.of("first"), ran);
    }

    @Test
    void droppedInItsOwnHandlerItIsCollectable() throws Exception {
        WeakReference<Event> reference;
        try (EventLoop loop = EventLoop.open()) {
            reference = registerSelfDroppingEvent();
            loop.run();
        }
        assertCollectable(reference, "an Event");
    }

    private static WeakReference<Event> registerSelfDroppingEvent() {
        Event[] holder = new Event[1];
        holder[0] = new Event(() -> {
            holder[0].unregister();
            holder[0] = null;
        });
        holder[0].register();
        holder[0].post();
        return new WeakReference<>(holder[0]);
    }

    @Test
    void registerAndUnregisterBelongToTheRegisteringThread() throws Exception {
        try (EventLoop loop = EventLoop.open()) {
            Event event = new Event(() -> { });
            event.register();
            assertThrows(IllegalStateException.class, event::register);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread other = new Thread(() -> {
                try {
                    event.unregister();
                } catch (Throwable e) {
                    failure.set(e);
                }
            }, "not-the-owner");
            other.start();
            other.join();
            assertTrue(failure.get() instanceof IllegalStateException, String.valueOf(failure.get()));
            String message = failure.get().getMessage();
            assertTrue(message.contains("not-the-owner") && message.contains(Thread.currentThread().getName()), message);
            assertTrue(event.isRegistered());
            event.unregister();
            assertThrows(IllegalStateException.class, event::unregister);
        }
        AtomicReference<Throwable> withoutLoop = new AtomicReference<>();
        Thread noLoop = new Thread(() -> {
            try {
                new Event(() -> { }).register();
            } catch (Throwable e) {
                withoutLoop.set(e);
            }
        });
        noLoop.start();
        noLoop.join();
        assertTrue(withoutLoop.get() instanceof IllegalStateException, String.valueOf(withoutLoop.get()));
        assertTrue(withoutLoop.get().getMessage().contains("EventLoop.open()"), withoutLoop.get().getMessage());
    }
}
