package io.jivykis.jmh;

import io.jivykis.EventLoop;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
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
 * pingpong: two threads, each blocked in its own loop, wake each other in turn. One
 * operation is one round trip. jivykis: two EventLoops posting each other's EventRaw or Event (the
 * benchmark thread owns one). Netty: two epoll event loops {@code execute()}-ing a task on
 * each other (a batch per invocation). NIO: two selectors woken with {@code wakeup()}, and
 * two pipes with a one-byte write each way.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class PingPongBenchmark {
    static final int BATCH = 1_000;

    /** jivykis: ping is the benchmark thread's loop; pong runs on its own thread. */
    @State(Scope.Thread)
    public static class Jivykis {
        @Param({"eventraw", "event"})
        public String kind;
        EventLoop loop;
        Posted ping;
        Posted pong;
        Thread pongThread;
        volatile boolean stop;

        @Setup(Level.Trial)
        public void open() throws InterruptedException {
            loop = EventLoop.open();
            ping = Posted.register(kind, () -> loop.quit());
            CompletableFuture<Posted> ready = new CompletableFuture<>();
            pongThread = new Thread(() -> {
                try (EventLoop pongLoop = EventLoop.open()) {
                    Posted[] self = new Posted[1];
                    self[0] = Posted.register(kind, () -> {
                        if (stop) {
                            self[0].unregister();
                        } else {
                            ping.post();
                        }
                    });
                    ready.complete(self[0]);
                    pongLoop.run();
                }
            }, "jivykis-pong");
            pongThread.setDaemon(true);
            pongThread.start();
            pong = ready.join();
        }

        @TearDown(Level.Trial)
        public void close() throws InterruptedException {
            stop = true;
            pong.post();
            pongThread.join();
            loop.close();
        }
    }

    @Benchmark
    public void jivykis(Jivykis s) {
        s.pong.post();
        s.loop.run();
    }

    /** Netty: loops A and B execute a task on each other BATCH times, then complete a latch. */
    @State(Scope.Thread)
    public static class Netty {
        NettyLoop a;
        NettyLoop b;
        int left;
        CountDownLatch done;
        final Runnable onA = this::onA;
        final Runnable onB = () -> a.loop.execute(onA);

        private void onA() {
            if (--left == 0) {
                done.countDown();
            } else {
                b.loop.execute(onB);
            }
        }

        @Setup(Level.Trial)
        public void open() {
            a = new NettyLoop();
            b = new NettyLoop();
        }

        @TearDown(Level.Trial)
        public void close() throws InterruptedException {
            a.close();
            b.close();
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void nettyExecute(Netty s) throws InterruptedException {
        s.left = BATCH;
        s.done = new CountDownLatch(1);
        s.b.loop.execute(s.onB);
        s.done.await();
    }

    /** NIO selectors: each side blocks in select(); the other sets its flag and wakes it. */
    @State(Scope.Thread)
    public static class NioWakeup {
        Selector ping;
        Selector pong;
        volatile boolean pingFlag;
        volatile boolean pongFlag;
        volatile boolean stop;
        Thread pongThread;

        @Setup(Level.Trial)
        public void open() throws IOException {
            ping = Selector.open();
            pong = Selector.open();
            pongThread = new Thread(() -> {
                try {
                    while (!stop) {
                        pong.select();
                        if (pongFlag) {
                            pongFlag = false;
                            pingFlag = true;
                            ping.wakeup();
                        }
                    }
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }, "nio-pong");
            pongThread.setDaemon(true);
            pongThread.start();
        }

        @TearDown(Level.Trial)
        public void close() throws IOException, InterruptedException {
            stop = true;
            pong.wakeup();
            pongThread.join();
            ping.close();
            pong.close();
        }
    }

    @Benchmark
    public void nioSelectorWakeup(NioWakeup s) throws IOException {
        s.pongFlag = true;
        s.pong.wakeup();
        while (!s.pingFlag) {
            s.ping.select();
        }
        s.pingFlag = false;
    }

    /** NIO pipes: a one-byte write wakes the other side's select(); it reads and answers. */
    @State(Scope.Thread)
    public static class NioPipe {
        Pipe toPing;
        Pipe toPong;
        Selector ping;
        Selector pong;
        volatile boolean stop;
        Thread pongThread;
        final ByteBuffer pingBuffer = ByteBuffer.allocateDirect(64);

        @Setup(Level.Trial)
        public void open() throws IOException {
            toPing = Pipe.open();
            toPong = Pipe.open();
            ping = Selector.open();
            pong = Selector.open();
            toPing.source().configureBlocking(false);
            toPing.source().register(ping, SelectionKey.OP_READ);
            toPong.source().configureBlocking(false);
            toPong.source().register(pong, SelectionKey.OP_READ);
            pongThread = new Thread(() -> {
                ByteBuffer buffer = ByteBuffer.allocateDirect(64);
                try {
                    while (!stop) {
                        pong.select();
                        pong.selectedKeys().clear();
                        buffer.clear();
                        if (toPong.source().read(buffer) > 0 && !stop) {
                            buffer.clear().limit(1);
                            toPing.sink().write(buffer);
                        }
                    }
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }, "nio-pipe-pong");
            pongThread.setDaemon(true);
            pongThread.start();
        }

        @TearDown(Level.Trial)
        public void close() throws IOException, InterruptedException {
            stop = true;
            pong.wakeup();
            pongThread.join();
            for (Pipe pipe : new Pipe[] {toPing, toPong}) {
                pipe.sink().close();
                pipe.source().close();
            }
            ping.close();
            pong.close();
        }
    }

    @Benchmark
    public void nioPipe(NioPipe s) throws IOException {
        s.pingBuffer.clear().limit(1);
        s.toPong.sink().write(s.pingBuffer);
        do {
            s.ping.select();
            s.ping.selectedKeys().clear();
            s.pingBuffer.clear();
        } while (s.toPing.source().read(s.pingBuffer) == 0);
    }
}
