package io.jivykis;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jivykis.testing.Descriptors;
import io.jivykis.testing.OneShotEvent;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Misuse gets a clear exception that says what was wrong and what to do, and leaves the
 * loop and the object as they were: never corruption, a hang or a leaked descriptor.
 */
class MisuseTest extends BackendCase {

    /** Runs {@code action} on a fresh thread named {@code name}; returns what it threw. */
    private static Throwable onThread(String name, Executable action) throws InterruptedException {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                action.execute();
            } catch (Throwable e) {
                thrown.set(e);
            }
        }, name);
        t.start();
        t.join(10_000);
        assertFalse(t.isAlive(), "thread " + name + " hangs");
        return thrown.get();
    }

    private static void assertMessage(Throwable e, String... parts) {
        String message = String.valueOf(e.getMessage());
        for (String part : parts) {
            assertTrue(message.contains(part), "message lacks \"" + part + "\": " + message);
        }
    }

    @OnBothBackends
    void registerTwiceIsRefusedAndKeepsTheFirstRegistration(Backend backend) {
        use(backend);
        try (EventLoop loop = EventLoop.open()) {
            EventRaw ev = new EventRaw(() -> {});
            ev.register();
            int fd = ev.fd();
            Map<Integer, String> fds = Descriptors.libraryKinds();
            IllegalStateException e = assertThrows(IllegalStateException.class, ev::register);
            assertMessage(e, "already registered", Thread.currentThread().getName(), "call unregister()");
            assertEquals(fd, ev.fd());
            Descriptors.assertNoneLeaked(fds, "a refused register opens nothing");
            ev.unregister();
        }
    }

    @OnBothBackends
    void unregisterWhenNotRegisteredIsRefused(Backend backend) {
        use(backend);
        try (EventLoop loop = EventLoop.open()) {
            EventRaw ev = new EventRaw(() -> {});
            IllegalStateException never = assertThrows(IllegalStateException.class, ev::unregister);
            assertMessage(never, "not registered", "isRegistered()");
            ev.register();
            ev.unregister();
            IllegalStateException twice = assertThrows(IllegalStateException.class, ev::unregister);
            assertMessage(twice, "not registered");
        }
    }

    @OnBothBackends
    void registerOnAThreadWithNoLoopIsRefused(Backend backend) throws Exception {
        use(backend);
        Map<Integer, String> fds = Descriptors.libraryKinds();
        EventRaw ev = new EventRaw(() -> {});
        Throwable e = onThread("loopless", ev::register);
        assertTrue(e instanceof IllegalStateException, String.valueOf(e));
        assertMessage(e, "\"loopless\"", "has no EventLoop", "EventLoop.open()");
        assertFalse(ev.isRegistered());
        Descriptors.assertNoneLeaked(fds, "the calls above");
    }

    @OnBothBackends
    void registerOfAnObjectOwnedByAnotherThreadNamesBothThreads(Backend backend) throws Exception {
        use(backend);
        try (EventLoop loop = EventLoop.open()) {
            EventRaw ev = new EventRaw(() -> {});
            ev.register();
            Throwable e = onThread("intruder", () -> {
                try (EventLoop own = EventLoop.open()) {
                    ev.register();
                }
            });
            assertTrue(e instanceof IllegalStateException, String.valueOf(e));
            assertMessage(e, "\"intruder\"", "\"" + Thread.currentThread().getName() + "\"", "already registered");
            assertTrue(ev.isRegistered());
            ev.unregister();
        }
    }

    @OnBothBackends
    void unregisterFromAnotherThreadIsRefusedNamingBothThreads(Backend backend) throws Exception {
        use(backend);
        try (EventLoop loop = EventLoop.open()) {
            EventRaw ev = new EventRaw(() -> {});
            ev.register();
            Throwable e = onThread("intruder", ev::unregister);
            assertTrue(e instanceof IllegalStateException, String.valueOf(e));
            assertMessage(e, "EventRaw.unregister()", "\"intruder\"",
                    "\"" + Thread.currentThread().getName() + "\"", "call it on that thread");
            assertTrue(ev.isRegistered(), "a refused unregister changes nothing");
            ev.unregister();
        }
    }

    @OnBothBackends
    void runReenteredFromAHandlerIsRefused(Backend backend) {
        use(backend);
        try (EventLoop loop = EventLoop.open()) {
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            EventRaw[] ev = new EventRaw[1];
            ev[0] = new EventRaw(() -> {
                thrown.set(assertThrows(IllegalStateException.class, loop::run));
                ev[0].unregister();
            });
            ev[0].register();
            ev[0].post();
            loop.run();
            assertMessage(thrown.get(), "EventLoop.run()", "inside a handler", "quit()");
            loop.run(); // the refused nested run() left the loop able to run again (nothing registered: returns)
        }
    }

    @OnBothBackends
    void runQuitAndCloseOnAThreadThatDoesNotOwnTheLoopAreRefusedNamingBothThreads(Backend backend) throws Exception {
        use(backend);
        try (EventLoop loop = EventLoop.open()) {
            String owner = "\"" + Thread.currentThread().getName() + "\"";
            for (String action : new String[] {"run", "quit", "close"}) {
                Throwable e = onThread("stranger", () -> {
                    switch (action) {
                        case "run": loop.run(); break;
                        case "quit": loop.quit(); break;
                        default: loop.close(); break;
                    }
                });
                assertTrue(e instanceof IllegalStateException, action + ": " + e);
                assertMessage(e, "EventLoop." + action + "()", "\"stranger\"", owner);
            }
            assertFalse(loop.core().isClosed());
            assertSame(loop, EventLoop.current());
        }
    }

    @Test
    void openTwiceOnAThreadIsRefused() {
        try (EventLoop loop = EventLoop.open()) {
            Map<Integer, String> fds = Descriptors.libraryKinds();
            IllegalStateException e = assertThrows(IllegalStateException.class, EventLoop::open);
            assertMessage(e, Thread.currentThread().getName(), "already has an open EventLoop", "current()");
            Descriptors.assertNoneLeaked(fds, "the calls above");
            assertSame(loop, EventLoop.current());
        }
    }

    @Test
    void currentWithoutALoopIsRefused() throws Exception {
        Throwable e = onThread("loopless", EventLoop::current);
        assertTrue(e instanceof IllegalStateException, String.valueOf(e));
        assertMessage(e, "\"loopless\"", "has no EventLoop", "EventLoop.open()");
        assertNull(onThread("loopless", () -> assertFalse(EventLoop.isOpen())));
    }

    @Test
    void closeIsIdempotentAndForgetsTheLoop() throws Exception {
        EventLoop loop = EventLoop.open();
        assertTrue(EventLoop.isOpen());
        loop.close();
        assertFalse(EventLoop.isOpen());
        assertDoesNotThrow(loop::close);
        assertNull(onThread("stranger", loop::close), "closing a closed loop is a no-op on any thread");
        IllegalStateException run = assertThrows(IllegalStateException.class, loop::run);
        assertMessage(run, "closed loop", "EventLoop.open()");
        EventLoop next = EventLoop.open();
        next.close();
    }

    @OnBothBackends
    void closeFromAHandlerIsRefused(Backend backend) {
        use(backend);
        try (EventLoop loop = EventLoop.open()) {
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            EventRaw[] ev = new EventRaw[1];
            ev[0] = new EventRaw(() -> {
                thrown.set(assertThrows(IllegalStateException.class, loop::close));
                ev[0].unregister();
            });
            ev[0].register();
            ev[0].post();
            loop.run();
            assertMessage(thrown.get(), "EventLoop.close()", "quit()");
            assertFalse(loop.core().isClosed());
        }
    }

    @Test
    void aBadBackendPropertyIsRefusedAtRegister() {
        System.setProperty(BACKEND_PROPERTY, "kqueue");
        try (EventLoop loop = EventLoop.open()) {
            fail("EventLoop.open() must refuse the bad backend too");
        } catch (IllegalArgumentException e) {
            assertMessage(e, "jivykis.backend=kqueue", "eventfd", "pipe");
        }
        System.clearProperty(BACKEND_PROPERTY);
        try (EventLoop loop = EventLoop.open()) {
            Map<Integer, String> fds = Descriptors.libraryKinds();
            System.setProperty(BACKEND_PROPERTY, "Pipes");
            EventRaw ev = new EventRaw(() -> {});
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, ev::register);
            assertMessage(e, "jivykis.backend=pipes", "use eventfd (the default) or pipe");
            assertFalse(ev.isRegistered());
            Descriptors.assertNoneLeaked(fds, "the calls above");
            System.setProperty(BACKEND_PROPERTY, " PIPE ");
            ev.register();
            assertEquals(Backend.PIPE, ev.backend(), "the value is trimmed and case-insensitive");
            ev.unregister();
        }
    }

    @OnBothBackends
    void quitBeforeRunIsForgotten(Backend backend) {
        use(backend);
        try (EventLoop loop = EventLoop.open()) {
            OneShotEvent oneShot = new OneShotEvent();
            oneShot.event.register();
            loop.quit();
            oneShot.event.post();
            loop.run();
            assertEquals(1, oneShot.calls(), "run() started afresh and dispatched the post");
        }
    }

    @OnBothBackends
    void postAfterTheLoopClosedDoesNothing(Backend backend) throws Exception {
        use(backend);
        EventRaw ev = new EventRaw(() -> {});
        Map<Integer, String> fds = Descriptors.libraryKinds();
        try (EventLoop loop = EventLoop.open()) {
            ev.register();
        }
        assertFalse(ev.isRegistered(), "close() unregisters what is still registered");
        assertEquals(-1, ev.fd());
        Descriptors.assertNoneLeaked(fds, "the calls above");
        ev.post();
        assertNull(onThread("poster", ev::post));
        Descriptors.assertNoneLeaked(fds, "the calls above");
    }

    private static void fail(String message) {
        throw new AssertionError(message);
    }
}
