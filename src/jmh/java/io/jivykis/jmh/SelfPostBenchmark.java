package io.jivykis.jmh;

import io.jivykis.EventLoop;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * selfpost: the loop's own thread posts work to itself, again and again. One operation is
 * one handler call. jivykis: an EventRaw (or an Event) whose handler re-posts it. Netty: a task that
 * {@code execute()}s itself from inside the event loop (a batch per invocation, handed over
 * once). NIO: {@code Selector.wakeup()} then {@code select()} on the same thread, and a
 * one-byte {@code Pipe} write, {@code select()} and read.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SelfPostBenchmark {
    static final int BATCH = 10_000;

    /** jivykis: the benchmark thread owns the loop; the handler quits after a batch. */
    @State(Scope.Thread)
    public static class Jivykis {
        @Param({"eventraw", "event"})
        public String kind;
        EventLoop loop;
        Posted event;
        int left;

        @Setup(Level.Trial)
        public void open() {
            loop = EventLoop.open();
            event = Posted.register(kind, () -> {
                if (--left == 0) {
                    loop.quit();
                } else {
                    event.post();
                }
            });
        }

        @TearDown(Level.Trial)
        public void close() {
            loop.close();
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void jivykis(Jivykis s) {
        s.left = BATCH;
        s.event.post();
        s.loop.run();
    }

    /** Netty: a task that re-executes itself on its loop, BATCH times, then completes a future. */
    @State(Scope.Thread)
    public static class Netty {
        NettyLoop netty;
        final Runnable task = this::step;
        int left;
        CompletableFuture<Void> done;

        private void step() {
            if (--left == 0) {
                done.complete(null);
            } else {
                netty.loop.execute(task);
            }
        }

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
    @OperationsPerInvocation(BATCH)
    public void nettyExecute(Netty s) {
        s.left = BATCH;
        s.done = new CompletableFuture<>();
        s.netty.loop.execute(s.task);
        s.done.join();
    }

    /** NIO: a selector the benchmark thread wakes and selects itself. */
    @State(Scope.Thread)
    public static class Nio {
        Selector selector;
        Pipe pipe;
        final ByteBuffer one = ByteBuffer.allocateDirect(1);
        final ByteBuffer drain = ByteBuffer.allocateDirect(64);

        @Setup(Level.Trial)
        public void open() throws IOException {
            selector = Selector.open();
            pipe = Pipe.open();
            pipe.source().configureBlocking(false);
            pipe.source().register(selector, SelectionKey.OP_READ);
        }

        @TearDown(Level.Trial)
        public void close() throws IOException {
            selector.close();
            pipe.sink().close();
            pipe.source().close();
        }
    }

    @Benchmark
    public int nioSelectorWakeup(Nio s) throws IOException {
        s.selector.wakeup();
        return s.selector.select();
    }

    @Benchmark
    public int nioPipe(Nio s) throws IOException {
        s.one.clear();
        s.pipe.sink().write(s.one);
        int n = s.selector.select();
        s.selector.selectedKeys().clear();
        s.drain.clear();
        s.pipe.source().read(s.drain);
        return n;
    }
}
