package io.jivykis.tools.bench;

import io.jivykis.EventLoop;
import io.jivykis.EventRaw;
import io.jivykis.SignalHandler;
import io.jivykis.Signals;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * signal: kill(2) → handler rounds. A killer thread takes the time, sends SIGUSR1 to this
 * process and blocks until the handler has acknowledged; the handler takes the time on its
 * side. ops = rounds; the extras {@code kill_to_handler_ns} and {@code kill_to_handler_p99_ns}
 * are the median and 99th percentile of that latency over the measured rounds.
 *
 * <p>{@link #run(Impl, Timing)} measures jivykis's {@link SignalHandler} (the handler runs
 * on the loop thread), {@link #runSunMisc(Timing)} the JDK's {@code sun.misc.Signal} (a new
 * Java thread per delivery), and the raw C program {@code jivykis-raw-signal} (sigaction +
 * eventfd + epoll) does the same without a JVM, its main thread idle as the java launcher's
 * is (a process-directed signal goes first to that thread, so both pay the same extra
 * wake-up). {@code bench --only signal --native-dir DIR} runs all three in one run.
 */
final class SignalBench {
    /** Latencies beyond this many rounds are not kept (the percentiles use the first ones). */
    private static final int MAX_SAMPLES = 1 << 21;

    private final long[] samples = new long[MAX_SAMPLES];
    private final AtomicLong acks = new AtomicLong();
    /** Written by the killer before each kill, read by the handler (volatile: publishes the time). */
    private volatile long sentAt;
    /** Whether handlers record their latency (false during warm-up). */
    private volatile boolean measuring;
    private int recorded;
    private volatile Thread killer;

    private SignalBench() {}

    /** Called by the handler under test on whatever thread runs it. */
    private void handled() {
        long latency = System.nanoTime() - sentAt;
        if (measuring && recorded < MAX_SAMPLES) {
            samples[recorded++] = latency;
        }
        acks.incrementAndGet();
        LockSupport.unpark(killer);
    }

    /** Kill rounds until {@code deadline}; returns the rounds made. */
    private long killUntil(long deadline, int signum) {
        long rounds = 0;
        do {
            long expected = acks.get() + 1;
            sentAt = System.nanoTime();
            Signals.sendToThisProcess(signum);
            while (acks.get() < expected) {
                LockSupport.park(this);
            }
            rounds++;
        } while (System.nanoTime() < deadline);
        return rounds;
    }

    /** Runs warm-up and measured rounds on the calling (killer) thread. */
    private BenchResult killRounds(String impl, Timing timing, int signum) {
        killer = Thread.currentThread();
        killUntil(System.nanoTime() + timing.warmupNanos(), signum);
        measuring = true;
        long start = System.nanoTime();
        long rounds = killUntil(start + timing.measureNanos(), signum);
        long elapsed = System.nanoTime() - start;
        measuring = false;
        long[] sorted = Arrays.copyOf(samples, recorded);
        Arrays.sort(sorted);
        return new BenchResult("signal", impl, rounds, elapsed)
                .with("kill_to_handler_ns", sorted.length == 0 ? 0 : sorted[sorted.length / 2])
                .with("kill_to_handler_p99_ns", sorted.length == 0 ? 0 : sorted[(int) (sorted.length * 99L / 100)]);
    }

    /**
     * Measures a jivykis {@link SignalHandler} for SIGUSR1 registered with {@code impl}'s
     * backend in a loop on a thread of its own; the calling thread sends the signals.
     */
    static BenchResult run(Impl impl, Timing timing) throws InterruptedException {
        SignalBench bench = new SignalBench();
        int signum = Signals.SIGUSR1;
        EventRaw[] stop = new EventRaw[1];
        Throwable[] failure = new Throwable[1];
        java.util.concurrent.CountDownLatch ready = new java.util.concurrent.CountDownLatch(1);
        Thread loopThread = new Thread(() -> {
            try (EventLoop loop = EventLoop.open()) {
                SignalHandler handler = new SignalHandler(signum, bench::handled);
                impl.withBackend(() -> {
                    handler.register();
                    return null;
                });
                stop[0] = new EventRaw(() -> {
                    handler.unregister();
                    stop[0].unregister();
                });
                stop[0].register();
                ready.countDown();
                loop.run();
            } catch (Throwable e) {
                failure[0] = e;
                ready.countDown();
            }
        }, "signal-bench-loop");
        loopThread.start();
        ready.await();
        if (failure[0] != null) {
            throw new IllegalStateException("the signal bench loop failed to start", failure[0]);
        }
        try {
            return bench.killRounds(impl.label(), timing, signum);
        } finally {
            stop[0].post();
            loopThread.join();
        }
    }

    /**
     * Measures the JDK's {@code sun.misc.Signal} for SIGUSR1 (reached by reflection, so the
     * library does not depend on jdk.unsupported), restoring the previous handler afterwards.
     */
    static BenchResult runSunMisc(Timing timing) throws ReflectiveOperationException {
        SignalBench bench = new SignalBench();
        Class<?> signalClass = Class.forName("sun.misc.Signal");
        Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
        Constructor<?> newSignal = signalClass.getConstructor(String.class);
        Method handle = signalClass.getMethod("handle", signalClass, handlerClass);
        Object signal = newSignal.newInstance("USR1");
        Object handler = Proxy.newProxyInstance(SignalBench.class.getClassLoader(), new Class<?>[] {handlerClass},
                (proxy, method, args) -> {
                    if (method.getName().equals("handle")) {
                        bench.handled();
                        return null;
                    }
                    return method.invoke(bench, args); // toString, hashCode, equals
                });
        Object previous = handle.invoke(null, signal, handler);
        try {
            return bench.killRounds("sun-misc-signal", timing, Signals.SIGUSR1);
        } finally {
            handle.invoke(null, signal, previous);
        }
    }
}
