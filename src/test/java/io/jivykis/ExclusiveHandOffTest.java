package io.jivykis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jivykis.testing.Descriptors;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An exclusive SignalHandler that unregisters while a delivery is pending for it hands that
 * delivery to the handlers registered behind it (ivykis's iv_signal does the same): a real
 * signal that arrived reaches someone who still listens.
 */
@Timeout(20)
class ExclusiveHandOffTest {

    @OnBothBackends
    void aPendingDeliveryGoesToTheHandlersBehindAnExclusiveOneThatLeaves(Backend backend) throws Exception {
        SignalTesting.withBackend(backend, () -> {
            try (SignalKeeper keeper = new SignalKeeper(Signals.SIGUSR1)) {
                handOff();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        });
    }

    private static void handOff() {
        Map<Integer, String> before = Descriptors.libraryKinds();
        AtomicInteger exclusiveCalls = new AtomicInteger();
        AtomicInteger behindCalls = new AtomicInteger();
        AtomicInteger otherBehindCalls = new AtomicInteger();
        try (EventLoop loop = EventLoop.open()) {
            // The keeper (registered first, in its own loop) is called as always; the
            // exclusive one comes next and shadows the two registered after it.
            SignalHandler exclusive = new SignalHandler(Signals.SIGUSR1, true, exclusiveCalls::incrementAndGet);
            SignalHandler behind = new SignalHandler(Signals.SIGUSR1, behindCalls::incrementAndGet);
            SignalHandler otherBehind = new SignalHandler(Signals.SIGUSR1, otherBehindCalls::incrementAndGet);
            exclusive.register();
            behind.register();
            otherBehind.register();
            // raise(3) runs the native handler on this thread before it returns: the
            // exclusive handler's descriptor is written, its Java handler not yet run.
            Signals.raise(Signals.SIGUSR1);
            exclusive.unregister();
            Timer stop = new Timer(() -> EventLoop.current().quit()).expiresAfter(Duration.ofMillis(500));
            stop.register();
            loop.run();
            behind.unregister();
            otherBehind.unregister();
        }
        assertEquals(0, exclusiveCalls.get(), "the exclusive handler had left");
        assertEquals(1, behindCalls.get(), "the handler behind it received the pending delivery");
        assertEquals(1, otherBehindCalls.get(), "so did every other handler behind it");
        Descriptors.assertNoneLeaked(before, "the hand-off");
    }
}
