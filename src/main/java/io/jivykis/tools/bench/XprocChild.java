package io.jivykis.tools.bench;

import io.jivykis.EventLoop;
import io.jivykis.EventOffer;
import io.jivykis.EventRaw;
import io.jivykis.Poster;
import java.nio.file.Paths;

/**
 * The child side of the xproc bench: offers its own event at the socket path given as the
 * only argument, and answers every post to it by posting the parent's event, which it
 * inherited as {@code PING}. Runs until the parent ends it.
 */
public final class XprocChild {
    private XprocChild() {}

    /** Entry point of the child JVM. */
    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: XprocChild SOCKET_PATH (started by the xproc bench)");
            System.exit(2);
        }
        try (EventLoop loop = EventLoop.open(); Poster ping = Poster.inherited("PING")) {
            EventRaw pong = new EventRaw(ping::post);
            pong.register();
            try (EventOffer offer = EventOffer.open(pong, Paths.get(args[0]))) {
                loop.run();
            }
        }
    }
}
