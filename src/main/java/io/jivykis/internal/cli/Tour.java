package io.jivykis.internal.cli;

import io.jivykis.EventLoop;
import io.jivykis.EventRaw;
import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The guided tour: each step registers or posts something, says what happened on which
 * thread, and how long it took.
 */
final class Tour {
    private final PrintStream out;
    private final long start = System.nanoTime();
    private long stepStart = start;
    private int step;

    private Tour(PrintStream out) {
        this.out = out;
    }

    static void run(PrintStream out) throws InterruptedException {
        new Tour(out).all();
    }

    private void all() throws InterruptedException {
        out.println("jivykis tour: an EventRaw's handler runs on the thread that registered it, whoever posts it.");
        try (EventLoop loop = EventLoop.open()) {
            say("opened this thread's event loop (\"" + Thread.currentThread().getName() + "\")");

            EventRaw selfPosted = new EventRaw(() -> {
                say("handler ran on \"" + Thread.currentThread().getName() + "\" after a post from the same thread");
                EventLoop.current().quit();
            });
            selfPosted.register();
            say("registered an EventRaw: " + selfPosted.backend().name().toLowerCase() + " fd " + selfPosted.fd());
            selfPosted.post();
            loop.run();
            selfPosted.unregister();

            AtomicLong postedAt = new AtomicLong();
            EventRaw crossThread = new EventRaw(() -> {
                long micros = (System.nanoTime() - postedAt.get()) / 1_000;
                say("handler ran on \"" + Thread.currentThread().getName() + "\", " + micros
                        + " µs after thread \"poster\" posted");
                EventLoop.current().quit();
            });
            crossThread.register();
            Thread poster = new Thread(() -> {
                postedAt.set(System.nanoTime());
                crossThread.post();
            }, "poster");
            poster.start();
            loop.run();
            poster.join();
            crossThread.unregister();

            EventRaw[] holder = new EventRaw[1];
            holder[0] = new EventRaw(() -> {
                holder[0].unregister();
                say("a handler unregistered its own object");
            });
            holder[0].register();
            holder[0].post();
            loop.run();
            say("run() returned: nothing left registered");
        }
        say("closed the loop: every descriptor it owned is closed");
        out.printf("tour finished in %.1f ms%n", (System.nanoTime() - start) / 1e6);
    }

    private void say(String what) {
        long now = System.nanoTime();
        out.printf("%2d. %-90s %8.3f ms%n", ++step, what, (now - stepStart) / 1e6);
        stepStart = now;
    }
}
