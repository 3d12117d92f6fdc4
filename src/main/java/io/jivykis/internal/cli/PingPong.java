package io.jivykis.internal.cli;

import io.jivykis.ChildProcess;
import io.jivykis.ChildProcessBuilder;
import io.jivykis.EventLoop;
import io.jivykis.EventOffer;
import io.jivykis.EventRaw;
import io.jivykis.Poster;
import io.jivykis.internal.EventDescriptor;
import io.jivykis.internal.JavaCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.time.Duration;

/**
 * A cross-process round trip between two event loops: this process posts the child's event
 * PING, the child's handler posts this process's event PONG back. PONG reaches the child as
 * a passed descriptor ({@link ChildProcessBuilder#pass}); PING reaches this process through
 * the child's {@link EventOffer}. Each round is timed on its own, from the post of PING to
 * the start of PONG's handler, the same way the raw C program {@code eventfd-pingpong}
 * times its rounds, so the two can be compared.
 *
 * <p>{@code java -cp jivykis.jar io.jivykis.internal.cli.PingPong [ROUNDS [WARMUP [EVENTFD_PINGPONG]]]}
 * prints the jivykis figures and, given the path of the C program, runs it with the same
 * rounds right after and prints its figures.
 */
public final class PingPong {
    private static final String CHILD = "child";

    private PingPong() {}

    /** Round-trip figures in microseconds. */
    public static final class Result {
        /** Timed rounds. */
        public final int rounds;
        /** Median round trip. */
        public final double medianMicros;
        /** Mean round trip. */
        public final double meanMicros;

        Result(int rounds, double medianMicros, double meanMicros) {
            this.rounds = rounds;
            this.medianMicros = medianMicros;
            this.meanMicros = meanMicros;
        }

        @Override
        public String toString() {
            return String.format("rounds=%d median_us=%.2f mean_us=%.2f", rounds, medianMicros, meanMicros);
        }
    }

    /**
     * Runs {@code warmup} untimed rounds, then {@code rounds} timed ones, against a Java child
     * started for the purpose (and stopped afterwards). Call it on a thread without an
     * event loop; it opens and closes one.
     */
    public static Result measure(int rounds, int warmup) throws InterruptedException, IOException {
        Path dir = Files.createTempDirectory("jivykis-pingpong-");
        Path socket = dir.resolve("ping");
        long[] nanos = new long[rounds];
        int total = rounds + warmup;
        ChildProcess child = null;
        try (EventLoop loop = EventLoop.open()) {
            Poster[] ping = new Poster[1];
            long[] sentAt = new long[1];
            int[] done = {-1}; // -1 until the child says it is ready
            EventRaw pong = new EventRaw(() -> {
                long now = System.nanoTime();
                int round = done[0]++;
                if (round >= warmup) {
                    nanos[round - warmup] = now - sentAt[0];
                }
                if (round < 0 || done[0] == total) {
                    EventLoop.current().quit();
                    return;
                }
                sentAt[0] = System.nanoTime();
                ping[0].post();
            });
            pong.register();
            EventRaw childGone = new EventRaw(() -> {
                throw new IllegalStateException("the ping-pong child exited before the end");
            });
            childGone.register();
            child = new ChildProcessBuilder(JavaCommand.forMain(List.of(), PingPong.class, CHILD, socket.toString()))
                    .pass(pong, "PONG").start();
            ChildProcess watched = child;
            Thread watcher = new Thread(() -> {
                try {
                    watched.waitFor();
                    childGone.post();
                } catch (InterruptedException e) {
                    // measurement over
                }
            }, "jivykis-pingpong-watch");
            watcher.setDaemon(true);
            watcher.start();
            loop.run(); // the child's first post: its offer is open
            ping[0] = Poster.connect(socket);
            sentAt[0] = System.nanoTime();
            ping[0].post();
            loop.run();
            watcher.interrupt();
            ping[0].close();
            pong.unregister();
            childGone.unregister();
        } finally {
            if (child != null) {
                child.destroyForcibly();
                child.waitFor(Duration.ofSeconds(5));
            }
            Files.deleteIfExists(socket);
            Files.deleteIfExists(dir);
        }
        Arrays.sort(nanos);
        double sum = 0;
        for (long n : nanos) {
            sum += n;
        }
        return new Result(rounds, nanos[rounds / 2] / 1e3, sum / rounds / 1e3);
    }

    /** The child side: offers PING, posts the inherited PONG from PING's handler, forever. */
    private static void child(Path socket) {
        try (EventLoop loop = EventLoop.open(); Poster pong = Poster.inherited("PONG")) {
            EventRaw ping = new EventRaw(pong::post);
            ping.register();
            try (EventOffer offer = EventOffer.open(ping, socket)) {
                pong.post(); // ready: the offer is open
                loop.run();
            }
        }
    }

    /** See the class description. */
    public static void main(String[] args) throws Exception {
        if (args.length == 2 && args[0].equals(CHILD)) {
            child(Path.of(args[1]));
            return;
        }
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 20000;
        int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 5000;
        Result result = measure(rounds, warmup);
        System.out.println("jivykis-pingpong backend=" + EventDescriptor.configuredBackend().name().toLowerCase(Locale.ROOT)
                + " (Java loop <-> Java child loop, two processes) " + result);
        if (args.length > 2) {
            System.out.flush();
            Process c = new ProcessBuilder(args[2], String.valueOf(rounds), String.valueOf(warmup)).inheritIO().start();
            if (c.waitFor() != 0) {
                throw new UncheckedIOException(new IOException(args[2] + " failed with status " + c.exitValue()));
            }
        }
    }
}
