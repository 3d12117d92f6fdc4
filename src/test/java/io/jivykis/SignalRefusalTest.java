package io.jivykis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jivykis.internal.Linux;
import io.jivykis.internal.SignalNative;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Signals a SignalHandler must refuse, misuse, and the Signals constants. */
@Timeout(10)
class SignalRefusalTest {

    @Test
    void everyJvmOwnedSignalIsRefusedWithTheReason() {
        // The NIO interrupt signal is __SIGRTMAX - 2 in the JDK's libnio (62 on Linux).
        int nio = Linux.named("__SIGRTMAX") - 2;
        Map<Integer, String> expected = Map.of(
                Signals.SIGSEGV, "exceptions",
                Signals.SIGBUS, "exceptions",
                Signals.SIGFPE, "exceptions",
                Signals.SIGILL, "exceptions",
                Signals.SIGPIPE, "IOException",
                Signals.SIGXFSZ, "IOException",
                Signals.SIGQUIT, "thread dump",
                Signals.SIGUSR2, "suspends",
                Signals.SIGPROF, "profilers",
                nio, "NIO");
        for (Map.Entry<Integer, String> e : expected.entrySet()) {
            int before = SignalNative.disposition(e.getKey());
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                    () -> new SignalHandler(e.getKey(), () -> {}), Signals.name(e.getKey()));
            String message = refused.getMessage();
            assertTrue(message.contains(Signals.name(e.getKey())) && message.contains(e.getValue()), message);
            assertEquals(before, SignalNative.disposition(e.getKey()), "a refusal changed " + Signals.name(e.getKey()));
        }
        assertEquals("SIGRTMIN+" + (nio - Signals.rt(0)), Signals.name(nio));
    }

    @Test
    void signalsThatCannotBeCaughtOrDoNotExistAreRefused() {
        for (int signum : List.of(Linux.named("SIGKILL"), Linux.named("SIGSTOP"), 0, -1, Linux.named("NSIG"), 1000)) {
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                    () -> new SignalHandler(signum, () -> {}));
            assertTrue(refused.getMessage().contains("signal " + signum), refused.getMessage());
        }
        // glibc keeps the signals just below SIGRTMIN for its threads.
        int reserved = Signals.rt(0) - 1;
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new SignalHandler(reserved, () -> {}))
                .getMessage().contains("SIGRTMIN"));
    }

    @Test
    void shutdownSignalsAndOrdinaryOnesAreAccepted() {
        for (int signum : List.of(Signals.SIGINT, Signals.SIGTERM, Signals.SIGHUP, Signals.SIGUSR1, Signals.SIGCHLD,
                Signals.SIGWINCH, Signals.SIGALRM, Signals.rt(0), Signals.rt(Signals.rtCount() - 1))) {
            assertEquals(signum, new SignalHandler(signum, () -> {}).signum());
        }
    }

    @Test
    void signalNumbersComeFromTheHeaders() {
        // Linux x86-64 values, as signal(7) lists them: the constants must agree.
        assertEquals(List.of(1, 2, 15, 10, 17, 28, 14),
                List.of(Signals.SIGHUP, Signals.SIGINT, Signals.SIGTERM, Signals.SIGUSR1, Signals.SIGCHLD,
                        Signals.SIGWINCH, Signals.SIGALRM));
        assertEquals("SIGUSR1", Signals.name(Signals.SIGUSR1));
        assertEquals("SIGRTMIN+3", Signals.name(Signals.rt(3)));
    }

    @Test
    void rtChecksItsRange() {
        assertTrue(Signals.rtCount() >= 8, "POSIX requires at least 8 real-time signals");
        assertEquals(Signals.rt(0) + 4, Signals.rt(4));
        for (int n : List.of(-1, Signals.rtCount(), Integer.MAX_VALUE)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Signals.rt(n));
            assertTrue(e.getMessage().contains("Signals.rt(" + n + ")"), e.getMessage());
        }
    }

    @Test
    void misuseIsAnIllegalStateExceptionThatSaysWhatToDo() throws Exception {
        SignalHandler handler = new SignalHandler(Signals.SIGUSR1, () -> {});
        IllegalStateException noLoop = assertThrows(IllegalStateException.class, handler::register);
        assertTrue(noLoop.getMessage().contains("EventLoop.open()"), noLoop.getMessage());
        assertThrows(IllegalStateException.class, handler::unregister);
        assertThrows(NullPointerException.class, () -> new SignalHandler(Signals.SIGUSR1, null));
        try (EventLoop loop = EventLoop.open()) {
            handler.register();
            assertThrows(IllegalStateException.class, handler::register);
            Throwable[] fromOther = new Throwable[1];
            Thread other = new Thread(() -> {
                try {
                    handler.unregister();
                } catch (Throwable e) {
                    fromOther[0] = e;
                }
            }, "other");
            other.start();
            other.join();
            assertTrue(fromOther[0] instanceof IllegalStateException
                    && fromOther[0].getMessage().contains("\"other\""), String.valueOf(fromOther[0]));
            assertTrue(handler.isRegistered());
            handler.unregister();
        }
    }
}
