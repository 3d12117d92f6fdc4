package io.jivykis.children;

import io.jivykis.EventLoop;
import io.jivykis.SignalHandler;
import io.jivykis.SignalTesting;
import io.jivykis.Signals;

/**
 * The child JVM of SignalDispositionTest. It registers a SignalHandler for SIGTERM,
 * reports each step on stdout, and after unregistering waits to be terminated by the
 * parent's second SIGTERM, which must then be handled as it was before (by the JVM's
 * shutdown sequence, or under -Xrs by the default action).
 */
public final class SignalChildMain {
    private SignalChildMain() {}

    /** Runs the child; the parent drives it by sending SIGTERM. */
    public static void main(String[] args) throws Exception {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> say("shutdown hook ran")));
        int term = Signals.SIGTERM;
        say("disposition before: " + SignalTesting.disposition(term));
        try (EventLoop loop = EventLoop.open()) {
            SignalHandler[] handler = new SignalHandler[1];
            handler[0] = new SignalHandler(term, () -> {
                say("handled SIGTERM on " + Thread.currentThread().getName());
                handler[0].unregister();
            });
            handler[0].register();
            say("registered, disposition: " + SignalTesting.disposition(term));
            loop.run();
        }
        say("unregistered, disposition: " + SignalTesting.disposition(term));
        // The parent's next SIGTERM ends this process; the sleep only bounds a broken run.
        Thread.sleep(30_000);
        say("still alive after 30 s");
        System.exit(3);
    }

    private static void say(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
