package io.jivykis.tools.bench;

import io.jivykis.EventLoop;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * pingpong: two loops on two threads post each other's object in turn. Every post crosses
 * threads and finds the other loop asleep, so each leg is one wake-up. ops = round trips.
 */
final class PingPongBench {
    private final EventLoop loop;
    private final Target ping;
    private final CompletableFuture<Target> pongReady = new CompletableFuture<>();
    /** The pong thread's object, taken from pongReady before the first post (ping thread only). */
    private Target pong;
    private long rounds;
    private long deadline;
    /** Set by the ping thread before its last post; read by the pong thread's handler. */
    private volatile boolean stop;

    private PingPongBench(EventLoop loop, Impl impl) {
        this.loop = loop;
        this.ping = impl.open(this::onPing);
    }

    private void onPing() {
        if ((++rounds & 255) == 0 && System.nanoTime() >= deadline) {
            loop.quit();
        } else {
            pong.post();
        }
    }

    /** The pong side: a loop on its own thread whose handler answers until told to stop. */
    private void pongThread(Impl impl) {
        try (EventLoop pongLoop = EventLoop.open()) {
            Target[] self = new Target[1];
            self[0] = impl.open(() -> {
                if (stop) {
                    self[0].unregister();
                } else {
                    ping.post();
                }
            });
            pongReady.complete(self[0]);
            pongLoop.run();
        } catch (RuntimeException | Error e) {
            pongReady.completeExceptionally(e);
            throw e;
        }
    }

    private long runFor(long nanos) {
        long before = rounds;
        deadline = System.nanoTime() + nanos;
        pong = pongReady.join();
        pong.post();
        loop.run();
        return rounds - before;
    }

    static BenchResult run(Impl impl, Timing timing) throws InterruptedException {
        try (EventLoop loop = EventLoop.open()) {
            PingPongBench bench = new PingPongBench(loop, impl);
            Thread pongThread = new Thread(() -> bench.pongThread(impl), "bench-pong");
            pongThread.setDaemon(true);
            pongThread.start();
            try {
                bench.runFor(timing.warmupNanos());
                long start = System.nanoTime();
                long ops = bench.runFor(timing.measureNanos());
                long elapsed = System.nanoTime() - start;
                return new BenchResult("pingpong", impl.label(), ops, elapsed);
            } finally {
                bench.stop = true;
                if (bench.pongReady.isDone() && !bench.pongReady.isCompletedExceptionally()) {
                    bench.pongReady.join().post();
                }
                pongThread.join(TimeUnit.SECONDS.toMillis(10));
                bench.ping.unregister();
            }
        }
    }
}
