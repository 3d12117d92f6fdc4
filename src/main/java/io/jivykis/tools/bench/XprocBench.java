package io.jivykis.tools.bench;

import io.jivykis.ChildProcess;
import io.jivykis.ChildProcessBuilder;
import io.jivykis.EventLoop;
import io.jivykis.EventRaw;
import io.jivykis.Poster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * xproc: this process and a child JVM ping-pong through passed descriptors. The child
 * inherits this process's event ({@link ChildProcessBuilder#pass}) and offers its own at a
 * Unix socket ({@link io.jivykis.EventOffer}), which this process connects to. Every post is
 * a write to the other side's descriptor, which its loop drains before the handler runs.
 * ops = round trips.
 */
final class XprocBench {
    private final EventLoop loop;
    private final EventRaw ping;
    private Poster pong;
    private long rounds;
    private long deadline;

    private XprocBench(EventLoop loop, Impl impl) {
        this.loop = loop;
        this.ping = new EventRaw(this::onPing);
        impl.register(ping);
    }

    private void onPing() {
        if ((++rounds & 63) == 0 && System.nanoTime() >= deadline) {
            loop.quit();
        } else {
            pong.post();
        }
    }

    private long runFor(long nanos) {
        long before = rounds;
        deadline = System.nanoTime() + nanos;
        pong.post();
        loop.run();
        return rounds - before;
    }

    static BenchResult run(Impl impl, Timing timing) throws IOException, InterruptedException {
        Path directory = Files.createTempDirectory("jivykis-xproc");
        Path socket = directory.resolve("pong.sock");
        try (EventLoop loop = EventLoop.open()) {
            XprocBench bench = new XprocBench(loop, impl);
            List<String> command = impl.withBackend(() -> childCommand(socket));
            ChildProcess child = new ChildProcessBuilder(command).pass(bench.ping, "PING").start();
            try {
                bench.pong = connect(socket, child);
                bench.runFor(timing.warmupNanos());
                long start = System.nanoTime();
                long ops = bench.runFor(timing.measureNanos());
                long elapsed = System.nanoTime() - start;
                return new BenchResult("xproc", impl.label(), ops, elapsed);
            } finally {
                child.destroyForcibly();
                child.waitFor(Duration.ofSeconds(10));
                if (bench.pong != null) {
                    bench.pong.close();
                }
                bench.ping.unregister();
            }
        } finally {
            Files.deleteIfExists(socket);
            Files.deleteIfExists(directory);
        }
    }

    /**
     * {@code java -Xmx64m -XX:+UseSerialGC -cp <this class path> --enable-native-access=ALL-UNNAMED
     * [-Djivykis.backend=...] XprocChild SOCKET}: the same java executable and class path as
     * this JVM, and the backend in force now, so the child's event is of the impl measured.
     */
    private static List<String> childCommand(Path socket) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java"));
        command.addAll(List.of("-Xmx64m", "-XX:+UseSerialGC"));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("--enable-native-access=ALL-UNNAMED");
        String backend = System.getProperty(Impl.BACKEND_PROPERTY);
        if (backend != null) {
            command.add("-D" + Impl.BACKEND_PROPERTY + "=" + backend);
        }
        command.add(XprocChild.class.getName());
        command.add(socket.toString());
        return command;
    }

    /** Connects once the child has opened its offer (a JVM takes a moment to start). */
    private static Poster connect(Path socket, ChildProcess child) throws InterruptedException {
        long giveUp = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            if (Files.exists(socket)) {
                return Poster.connect(socket, Duration.ofSeconds(10));
            }
            if (!child.isAlive()) {
                throw new IllegalStateException("the xproc child exited before offering its event: " + child);
            }
            if (System.nanoTime() > giveUp) {
                throw new UncheckedIOException(new IOException("the xproc child did not offer its event at "
                        + socket + " within 30 s"));
            }
            Thread.sleep(10);
        }
    }
}
