package io.jivykis.tools;

import io.jivykis.ChildProcess;
import io.jivykis.ChildProcessBuilder;
import io.jivykis.EventLoop;
import io.jivykis.EventRaw;
import io.jivykis.SignalHandler;
import io.jivykis.Signals;
import io.jivykis.Timer;
import java.io.PrintStream;
import java.time.Duration;
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

            childProcessPosts(loop);

            signal(loop);

            timerBoundsTheRun(loop);

            EventRaw[] holder = new EventRaw[1];
            holder[0] = new EventRaw(() -> {
                holder[0].unregister();
                say("a handler unregistered its own object");
            });
            holder[0].register();
            holder[0].post();
            loop.run();
            say("run() returned: nothing left registered");
            say("the loop's metrics: " + loop.metrics());
        }
        say("closed the loop: every descriptor it owned is closed");
        out.printf("tour finished in %.1f ms%n", (System.nanoTime() - start) / 1e6);
    }

    /**
     * A child process posts to this one through the descriptor it inherited. The child is a
     * plain /bin/sh whose printf writes the eventfd's 8 bytes (or a pipe's one byte) to the
     * descriptor named by JIVYKIS_FD_WAKE: always present and fast to start, and it shows
     * that posting needs no library at all.
     */
    private void childProcessPosts(EventLoop loop) throws InterruptedException {
        String script = "case $JIVYKIS_FD_WAKE in"
                + " eventfd:*) printf '\\001\\000\\000\\000\\000\\000\\000\\000' ;;"
                + " pipe:*) printf '\\001' ;; esac >&\"${JIVYKIS_FD_WAKE#*:}\"";
        long[] startedAt = new long[1];
        boolean[] posted = new boolean[1];
        EventRaw fromChild = new EventRaw(() -> {
            posted[0] = true;
            say("handler ran on \"" + Thread.currentThread().getName() + "\", "
                    + (System.nanoTime() - startedAt[0]) / 1_000 + " µs after starting the child that posted it");
            EventLoop.current().quit();
        });
        fromChild.register();
        // If the child exits without posting, this ends the wait instead of hanging.
        EventRaw childExited = new EventRaw(() -> {
            if (!posted[0]) {
                say("the child exited without posting");
            }
            EventLoop.current().quit();
        });
        childExited.register();
        startedAt[0] = System.nanoTime();
        ChildProcess child = new ChildProcessBuilder("/bin/sh", "-c", script).pass(fromChild, "WAKE").start();
        Thread watcher = new Thread(() -> {
            try {
                child.waitFor();
                childExited.post();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "child-watcher");
        watcher.start();
        say("started child process " + child.pid() + " (/bin/sh -c printf ...) with JIVYKIS_FD_WAKE="
                + fromChild.backend().name().toLowerCase() + ":3");
        loop.run();
        int status = child.waitFor();
        watcher.join();
        fromChild.unregister();
        childExited.unregister();
        say("the child exited with status " + status + " and was reaped");
    }

    /** A real signal sent to this process by another thread runs a SignalHandler on this one. */
    private void signal(EventLoop loop) throws InterruptedException {
        AtomicLong killedAt = new AtomicLong();
        SignalHandler[] usr1 = new SignalHandler[1];
        usr1[0] = new SignalHandler(Signals.SIGUSR1, () -> {
            long micros = (System.nanoTime() - killedAt.get()) / 1_000;
            say("SignalHandler for SIGUSR1 ran on \"" + Thread.currentThread().getName() + "\", " + micros
                    + " µs after thread \"killer\" sent kill(pid, SIGUSR1)");
            usr1[0].unregister();
        });
        usr1[0].register();
        say("registered a SignalHandler for SIGUSR1: a native handler now writes its descriptor");
        Thread killer = new Thread(() -> {
            killedAt.set(System.nanoTime());
            Signals.sendToThisProcess(Signals.SIGUSR1);
        }, "killer");
        killer.start();
        loop.run();
        killer.join();
        say("unregistered it: SIGUSR1 has its previous disposition back");
    }

    /** As ivykis's own tests do: a timer ends a run that would otherwise wait forever. */
    private void timerBoundsTheRun(EventLoop loop) {
        EventRaw neverPosted = new EventRaw(() -> { });
        neverPosted.register();
        Timer[] bound = new Timer[1];
        bound[0] = new Timer(() -> {
            long lateMicros = (System.nanoTime() - bound[0].deadline()) / 1_000;
            neverPosted.unregister();
            say("a 20 ms Timer fired " + lateMicros + " µs after its deadline and unregistered the EventRaw"
                    + " nobody posts");
        });
        bound[0].expiresAfter(Duration.ofMillis(20)).register();
        loop.run();
        say("run() returned: the timer bounded a run that would otherwise have waited forever");
    }

    private void say(String what) {
        long now = System.nanoTime();
        out.printf("%2d. %-90s %8.3f ms%n", ++step, what, (now - stepStart) / 1e6);
        stepStart = now;
    }
}
