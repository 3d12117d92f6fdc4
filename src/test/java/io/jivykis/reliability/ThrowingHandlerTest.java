package io.jivykis.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jivykis.EventLoop;
import io.jivykis.EventRaw;
import io.jivykis.internal.EventDescriptor;
import io.jivykis.internal.Native;
import io.jivykis.testing.Descriptors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A handler that throws: the exception leaves run(), the loop stays consistent (what was
 * posted is still dispatched, the throwing object stays registered), and run() can be called
 * again. Both backends; in-process and foreign posts.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ThrowingHandlerTest {
    @AfterEach
    void resetBackend() {
        System.clearProperty(EventDescriptor.BACKEND_PROPERTY);
    }

    @ParameterizedTest
    @ValueSource(strings = {"eventfd", "pipe"})
    void theExceptionLeavesRunAndRunCanBeCalledAgain(String backend) throws Exception {
        System.setProperty(EventDescriptor.BACKEND_PROPERTY, backend);
        int baseline = Descriptors.baseline();
        RuntimeException boom = new IllegalStateException("handler failure under test");
        AtomicInteger throwingCalls = new AtomicInteger();
        AtomicInteger otherCalls = new AtomicInteger();
        try (EventLoop loop = EventLoop.open()) {
            EventRaw thrower = new EventRaw(() -> {
                if (throwingCalls.incrementAndGet() <= 2) {
                    throw boom;
                }
            });
            EventRaw[] other = new EventRaw[1];
            other[0] = new EventRaw(() -> {
                otherCalls.incrementAndGet();
                other[0].unregister();
            });
            thrower.register();
            other[0].register();
            // Posted together: the first handler throws; the second post must not be lost.
            thrower.post();
            other[0].post();
            assertSame(boom, assertThrows(IllegalStateException.class, loop::run));
            assertEquals(1, throwingCalls.get());
            assertTrue(thrower.isRegistered(), "a throwing handler does not unregister its object");

            // A foreign post (through the descriptor) whose handler throws: the descriptor was
            // drained before the handler ran, so it does not fire again on its own.
            int rc = thrower.backend() == io.jivykis.Backend.PIPE ? Native.pipePost(thrower.fd())
                    : Native.eventfdPost(thrower.fd());
            assertEquals(0, rc);
            assertSame(boom, assertThrows(IllegalStateException.class, loop::run));
            assertEquals(2, throwingCalls.get());

            // run() again: the other object's pending post is still delivered.
            EventRaw stop = new EventRaw(() -> { });
            EventRaw[] quitter = new EventRaw[1];
            int[] rounds = {0};
            quitter[0] = new EventRaw(() -> {
                // Posts from other threads may be dispatched before the loop thread's own:
                // wait (a bounded number of rounds) for the queued post instead of racing it.
                if (otherCalls.get() == 0 && ++rounds[0] < 1000) {
                    quitter[0].post();
                    return;
                }
                quitter[0].unregister();
                loop.quit();
            });
            quitter[0].register();
            Thread poster = new Thread(quitter[0]::post);
            poster.start();
            loop.run();
            poster.join();
            assertEquals(1, otherCalls.get(), "the post made alongside the throwing one was lost");
            assertEquals(2, throwingCalls.get(), "the throwing handler ran again without a post");

            // And the throwing object still works once its handler stops throwing.
            thrower.post();
            EventRaw[] quit2 = new EventRaw[1];
            quit2[0] = new EventRaw(() -> {
                quit2[0].unregister();
                loop.quit();
            });
            quit2[0].register();
            quit2[0].post();
            loop.run();
            assertEquals(3, throwingCalls.get());
            thrower.unregister();
            assertTrue(!stop.isRegistered());
        }
        assertTrue(Descriptors.settledCount(baseline) <= baseline, "descriptors leaked after handler exceptions: " + Descriptors.snapshot());
    }

    @ParameterizedTest
    @ValueSource(strings = {"eventfd", "pipe"})
    void anErrorThrownByAHandlerLeavesTheLoopUsable(String backend) {
        System.setProperty(EventDescriptor.BACKEND_PROPERTY, backend);
        AtomicInteger calls = new AtomicInteger();
        try (EventLoop loop = EventLoop.open()) {
            EventRaw[] ev = new EventRaw[1];
            ev[0] = new EventRaw(() -> {
                if (calls.incrementAndGet() == 1) {
                    throw new AssertionError("an Error under test");
                }
                ev[0].unregister();
            });
            ev[0].register();
            ev[0].post();
            assertThrows(AssertionError.class, loop::run);
            ev[0].post();
            loop.run(); // returns once the handler unregisters
            assertEquals(2, calls.get());
        }
    }
}
