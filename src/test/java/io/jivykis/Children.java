package io.jivykis;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;

/** What the cross-process tests share: the native programs children run, and the acknowledgement channel. */
final class Children {
    private Children() {}

    /** A program CMake built into {@code jivykis.test.nativeDir} (jivykis-post, posting-child...). */
    static Path nativeProgram(String name) {
        String dir = System.getProperty("jivykis.test.nativeDir");
        Assumptions.assumeTrue(dir != null, "system property jivykis.test.nativeDir is not set:"
                + " run the tests through Maven, which builds the C programs with CMake and sets it");
        Path program = Paths.get(dir, name);
        if (!Files.isExecutable(program)) {
            throw new IllegalStateException(program + " is missing: the CMake build did not produce it");
        }
        return program;
    }

    /** A FIFO at {@code path}, made by mkfifo(1). */
    static Path fifo(Path path) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("mkfifo", "-m", "600", path.toString()).inheritIO().start();
        if (p.waitFor() != 0) {
            throw new IOException("mkfifo " + path + " failed");
        }
        return path;
    }

    /** The whole content of a file a child wrote, or "" if there is none. */
    static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The acknowledgement side of the post protocol: the handler counts each call and writes
     * one line into a FIFO the child reads before posting again. So the child's N-th post is
     * made only after the handler ran for the (N-1)-th, no two posts coalesce, and N handler
     * calls prove that every post led to one. After the expected count the loop quits.
     */
    static final class Acks implements AutoCloseable {
        private final RandomAccessFile fifo;
        private final int expected;
        final AtomicInteger calls = new AtomicInteger();
        /** Threads other than the registering one that ran the handler (must stay null). */
        volatile Thread foreignThread;
        private final Thread registering = Thread.currentThread();

        /** Opens {@code fifo} read-write, which never blocks, unlike a write-only open before a reader. */
        Acks(Path fifo, int expected) throws IOException {
            this.fifo = new RandomAccessFile(fifo.toFile(), "rw");
            this.expected = expected;
        }

        /** The handler to give the EventRaw. */
        Runnable handler() {
            return () -> {
                if (Thread.currentThread() != registering) {
                    foreignThread = Thread.currentThread();
                }
                int n = calls.incrementAndGet();
                try {
                    fifo.write('\n');
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                if (n == expected) {
                    EventLoop.current().quit();
                }
            };
        }

        @Override
        public void close() throws IOException {
            fifo.close();
        }
    }

    /**
     * Runs {@code loop} until a handler quits it, or the child exits first (then the wait ends
     * instead of hanging; the caller's assertions say what was missing).
     */
    static void runUntilQuitOrExit(EventLoop loop, ChildProcess child) throws InterruptedException {
        runUntilQuitOrExit(loop, () -> {
            try {
                child.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    /** The same for a process started otherwise: {@code awaitExit} returns once it has exited. */
    static void runUntilQuitOrExit(EventLoop loop, Runnable awaitExit) throws InterruptedException {
        EventRaw exited = new EventRaw(() -> EventLoop.current().quit());
        exited.register();
        Thread watcher = new Thread(() -> {
            awaitExit.run();
            exited.post();
        }, "child-exit-watcher");
        watcher.setDaemon(true);
        watcher.start();
        try {
            loop.run();
        } finally {
            exited.unregister();
        }
    }
}
