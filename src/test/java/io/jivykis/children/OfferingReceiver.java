package io.jivykis.children;

import io.jivykis.EventLoop;
import io.jivykis.EventOffer;
import io.jivykis.EventRaw;
import java.nio.file.Path;

/**
 * A receiver in a process of its own: {@code OfferingReceiver SOCKET}. Registers an event,
 * offers it at SOCKET, prints "offering" and runs its loop until killed; prints "handled"
 * each time its handler runs.
 */
public final class OfferingReceiver {
    private OfferingReceiver() {}

    public static void main(String[] args) {
        try (EventLoop loop = EventLoop.open()) {
            EventRaw event = new EventRaw(() -> System.out.println("handled"));
            event.register();
            EventOffer.open(event, Path.of(args[0]));
            System.out.println("offering");
            loop.run();
        }
    }
}
