package io.jivykis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Signals.raise and Signals.sendToThisProcess reach a SignalHandler, and refuse the JVM's signals. */
class SignalsSendTest {
    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void raiseAndSendToThisProcessEachRunTheHandler() {
        try (EventLoop loop = EventLoop.open()) {
            AtomicInteger calls = new AtomicInteger();
            SignalHandler usr1 = new SignalHandler(Signals.SIGUSR1, () -> {
                calls.incrementAndGet();
                EventLoop.current().quit();
            });
            usr1.register();
            try {
                Signals.raise(Signals.SIGUSR1); // handled on this thread before it returns
                loop.run();
                assertEquals(1, calls.get(), "handler calls after Signals.raise");
                Signals.sendToThisProcess(Signals.SIGUSR1); // delivered to some thread, later
                loop.run();
                assertEquals(2, calls.get(), "handler calls after Signals.sendToThisProcess");
            } finally {
                usr1.unregister();
            }
        }
    }

    @Test
    void theSignalsSignalHandlerRefusesAreRefusedWithTheReason() {
        IllegalArgumentException segv = assertThrows(IllegalArgumentException.class,
                () -> Signals.sendToThisProcess(Signals.SIGSEGV));
        assertTrue(segv.getMessage().contains("SIGSEGV") && segv.getMessage().contains("JVM"), segv.getMessage());
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class, () -> Signals.raise(0));
        assertTrue(zero.getMessage().contains("not a signal number"), zero.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Signals.raise(Signals.SIGQUIT));
    }
}
