package io.jivykis;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A SignalHandler that stays registered in a loop on its own thread while a test sends a
 * signal to the process from other threads.
 *
 * <p>Why tests need it: kill(2) returning does not mean the signal has been delivered. A
 * process-directed signal stays pending until a thread takes it (in a JVM, usually the
 * launcher's idle first thread, which the kernel must wake first). If the last SignalHandler
 * of that signal unregistered in between, the previous disposition (for SIGUSR1: terminate
 * the process) would be back when the signal is finally delivered. That is the documented
 * behaviour, and what a program must mind too: it unregisters the last handler only once
 * nobody sends the signal any more. The keeper is that last handler, and {@link #close()}
 * waits until the signal is no longer pending before unregistering it.
 */
final class SignalKeeper implements AutoCloseable {
    private final int signum;
    private final Thread thread;
    private final AtomicInteger calls = new AtomicInteger();
    private final CountDownLatch ready = new CountDownLatch(1);
    private volatile EventRaw stop;
    private volatile Throwable failure;

    SignalKeeper(int signum) throws InterruptedException {
        this.signum = signum;
        thread = new Thread(this::loop, "signal-keeper");
        thread.setDaemon(true);
        thread.start();
        assertTrue(ready.await(10, TimeUnit.SECONDS), "the keeper's loop did not start");
        assertTrue(failure == null, "the keeper failed: " + failure);
    }

    private void loop() {
        try (EventLoop loop = EventLoop.open()) {
            SignalHandler handler = new SignalHandler(signum, calls::incrementAndGet);
            handler.register();
            EventRaw quit = new EventRaw(() -> {
                handler.unregister();
                stop.unregister();
            });
            quit.register();
            stop = quit;
            ready.countDown();
            loop.run();
        } catch (Throwable e) {
            failure = e;
            ready.countDown();
        }
    }

    /** How often the keeper's handler ran. */
    int calls() {
        return calls.get();
    }

    /** Waits until no thread and not the process has the signal pending, then unregisters. */
    @Override
    public void close() throws InterruptedException {
        awaitNotPending(signum);
        stop.post();
        thread.join(10_000);
        assertFalse(thread.isAlive(), "the keeper's loop did not stop");
        assertTrue(failure == null, "the keeper failed: " + failure);
    }

    /** Waits (at most 10 s) until {@code signum} is pending neither for the process nor for any thread. */
    static void awaitNotPending(int signum) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (isPending(signum)) {
            assertTrue(System.nanoTime() < deadline, Signals.name(signum) + " stayed pending for 10 s");
            Thread.sleep(1);
        }
    }

    /** Whether {@code signum} is pending, from ShdPnd (process) and each thread's SigPnd. */
    static boolean isPending(int signum) {
        long bit = 1L << (signum - 1);
        if ((mask(Paths.get("/proc/self/status"), "ShdPnd:") & bit) != 0) {
            return true;
        }
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Paths.get("/proc/self/task"))) {
            for (Path task : tasks) {
                if ((mask(task.resolve("status"), "SigPnd:") & bit) != 0) {
                    return true;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return false;
    }

    private static long mask(Path status, String field) {
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith(field)) {
                    return Long.parseUnsignedLong(line.substring(field.length()).trim(), 16);
                }
            }
            return 0;
        } catch (IOException e) {
            return 0; // a thread that exited while we looked has nothing pending
        }
    }
}
