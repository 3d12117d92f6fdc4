package io.jivykis.jmh;

import io.jivykis.EventLoop;
import io.jivykis.EventRaw;
import java.io.IOException;
import java.nio.channels.Selector;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * burst: the benchmark thread posts as fast as it can to a loop running on another thread.
 * One operation is one post. jivykis: {@code EventRaw.post()} or {@code Event.post()} (mostly coalesced: the object
 * is already pending). Netty: {@code execute()} of a no-op task (its wake-up is coalesced by
 * a flag; the task is queued every time). NIO: {@code Selector.wakeup()} while another
 * thread selects (coalesced under the selector's lock).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class BurstBenchmark {
    /** jivykis: a loop thread with one object whose handler counts. */
    @State(Scope.Benchmark)
    public static class Jivykis {
        @Param({"eventraw", "event"})
        public String kind;
        Posted target;
        EventRaw stop;
        Thread loopThread;
        long handled;

        @Setup(Level.Trial)
        public void open() {
            CompletableFuture<Posted> ready = new CompletableFuture<>();
            stop = new EventRaw(() -> EventLoop.current().quit());
            loopThread = new Thread(() -> {
                try (EventLoop loop = EventLoop.open()) {
                    Posted counter = Posted.register(kind, () -> handled++);
                    stop.register();
                    ready.complete(counter);
                    loop.run();
                }
            }, "jivykis-burst-loop");
            loopThread.setDaemon(true);
            loopThread.start();
            target = ready.join();
        }

        @TearDown(Level.Trial)
        public void close() throws InterruptedException {
            stop.post();
            loopThread.join();
        }
    }

    @Benchmark
    public void jivykis(Jivykis s) {
        s.target.post();
    }

    /** Netty: one epoll loop and a reused no-op task. */
    @State(Scope.Benchmark)
    public static class Netty {
        NettyLoop netty;
        long handled;
        final Runnable task = () -> handled++;

        @Setup(Level.Trial)
        public void open() {
            netty = new NettyLoop();
        }

        @TearDown(Level.Trial)
        public void close() throws InterruptedException {
            netty.close();
        }
    }

    @Benchmark
    public void nettyExecute(Netty s) {
        s.netty.loop.execute(s.task);
    }

    /** NIO: a thread that selects forever on a selector the benchmark thread wakes. */
    @State(Scope.Benchmark)
    public static class Nio {
        Selector selector;
        Thread selecting;
        volatile boolean stop;

        @Setup(Level.Trial)
        public void open() throws IOException {
            selector = Selector.open();
            selecting = new Thread(() -> {
                try {
                    while (!stop) {
                        selector.select();
                    }
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }, "nio-burst-selector");
            selecting.setDaemon(true);
            selecting.start();
        }

        @TearDown(Level.Trial)
        public void close() throws IOException, InterruptedException {
            stop = true;
            selector.wakeup();
            selecting.join();
            selector.close();
        }
    }

    @Benchmark
    public void nioSelectorWakeup(Nio s) {
        s.selector.wakeup();
    }
}
