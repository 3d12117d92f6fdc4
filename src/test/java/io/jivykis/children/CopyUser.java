package io.jivykis.children;

import io.jivykis.EventLoop;
import io.jivykis.SignalHandler;
import io.jivykis.Signals;

/**
 * What each class loader of {@link TwoLoadersProbe} runs with its own copy of jivykis: a
 * SIGUSR1 handler registered, the signal raised and handled, the handler unregistered.
 */
public final class CopyUser {
    private CopyUser() {}

    /** Loads the library (in the calling class's loader), handles one real SIGUSR1; the calls made. */
    public static int handleOneSignal() {
        int[] calls = new int[1];
        try (EventLoop loop = EventLoop.open()) {
            SignalHandler usr1 = new SignalHandler(Signals.SIGUSR1, () -> {
                calls[0]++;
                EventLoop.current().quit();
            });
            usr1.register();
            Signals.raise(Signals.SIGUSR1);
            loop.run();
            usr1.unregister();
        }
        return calls[0];
    }
}
