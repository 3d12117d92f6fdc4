package io.jivykis.tools.bench;

import io.jivykis.EventLoop;
import io.jivykis.EventRaw;
import io.jivykis.SignalHandler;
import io.jivykis.Signals;
import io.jivykis.internal.EventDescriptor;
import io.jivykis.internal.SignalNative;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Arrays;
import java.util.Locale;
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
 * wake-up). {@link #main(String[])} runs all of them in one run:
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -cp target/classes \
 *     io.jivykis.internal.bench.SignalBench --seconds 2 --native-dir target/native
 * </pre>
 */
public final class SignalBench {
    /** Latencies beyond this many rounds are not kept (the percentiles use the first ones). */
    private static final int MAX_SAMPLES = 1 << 21;
    private static final int PID = (int) ProcessHandle.current().pid();

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
            int rc = SignalNative.kill(PID, signum);
            if (rc != 0) {
                throw new IllegalStateException("kill(" + PID + ", " + Signals.name(signum) + ") failed: " + rc);
            }
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
                registerWithBackend(handler, impl);
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

    private static void registerWithBackend(SignalHandler handler, Impl impl) {
        String previous = System.getProperty(EventDescriptor.BACKEND_PROPERTY);
        System.setProperty(EventDescriptor.BACKEND_PROPERTY, impl == Impl.JIVYKIS_PIPE ? "pipe" : "eventfd");
        try {
            handler.register();
        } finally {
            if (previous == null) {
                System.clearProperty(EventDescriptor.BACKEND_PROPERTY);
            } else {
                System.setProperty(EventDescriptor.BACKEND_PROPERTY, previous);
            }
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

    /**
     * Runs jivykis (both backends), sun.misc.Signal and the raw C program in one run and
     * prints their lines, then the ratios to C.
     * Options: {@code --seconds S} (default 2), {@code --native-dir DIR} (where CMake built
     * {@code jivykis-raw-signal}; default: the {@code jivykis.test.nativeDir} property).
     */
    public static void main(String[] args) throws Exception {
        double seconds = 2;
        String nativeDir = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--seconds") && i + 1 < args.length) {
                seconds = Double.parseDouble(args[++i]);
            } else if (args[i].equals("--native-dir") && i + 1 < args.length) {
                nativeDir = args[++i];
            } else {
                System.err.println("usage: SignalBench [--seconds S] [--native-dir DIR]");
                System.exit(2);
            }
        }
        Timing timing = new Timing(seconds, new int[0]);
        String jivykis = run(Impl.JIVYKIS_EVENTFD, timing).line();
        System.out.println(jivykis);
        System.out.println(run(Impl.JIVYKIS_PIPE, timing).line());
        String sunMisc = runSunMisc(timing).line();
        System.out.println(sunMisc);
        RawPrograms raw = RawPrograms.find(nativeDir);
        if (raw == null || !raw.has("signal")) {
            System.out.println("# no jivykis-raw-signal program found: pass --native-dir <the CMake build directory>");
            return;
        }
        String c = raw.run("signal", timing).get(0);
        System.out.println(c);
        System.out.println(rawWithLoopOnMainThread(raw, timing));
        System.out.printf(Locale.ROOT, "# median kill->handler: jivykis-eventfd %.2fx of c-raw, sun-misc-signal %.2fx%n",
                field(jivykis, "kill_to_handler_ns") / field(c, "kill_to_handler_ns"),
                field(sunMisc, "kill_to_handler_ns") / field(c, "kill_to_handler_ns"));
        System.out.printf(Locale.ROOT, "# p99 kill->handler:    jivykis-eventfd %.2fx of c-raw, sun-misc-signal %.2fx%n",
                field(jivykis, "kill_to_handler_p99_ns") / field(c, "kill_to_handler_p99_ns"),
                field(sunMisc, "kill_to_handler_p99_ns") / field(c, "kill_to_handler_p99_ns"));
    }

    /**
     * The raw C program with its loop on the process's main thread, where a process-directed
     * signal interrupts epoll_wait directly: one wake-up fewer than any JVM program gets,
     * since in a JVM that thread is the launcher's, idle in pthread_join. Shown for reference.
     */
    private static String rawWithLoopOnMainThread(RawPrograms raw, Timing timing) throws Exception {
        java.io.File program = new java.io.File(raw.directory(), "jivykis-raw-signal");
        Process process = new ProcessBuilder(program.getPath(), String.format(Locale.ROOT, "%.3f", timing.seconds()),
                "main-loop").redirectError(ProcessBuilder.Redirect.INHERIT).start();
        process.getOutputStream().close();
        String line;
        try (java.io.BufferedReader reader = new java.io.BufferedReader(new java.io.InputStreamReader(
                process.getInputStream(), java.nio.charset.StandardCharsets.UTF_8))) {
            line = reader.readLine();
        }
        process.waitFor();
        return line == null ? "# " + program + " main-loop printed nothing" : line.replace("impl=c-raw", "impl=c-raw-main-loop");
    }

    private static double field(String line, String key) {
        for (String part : line.split(" ")) {
            if (part.startsWith(key + "=")) {
                return Double.parseDouble(part.substring(key.length() + 1));
            }
        }
        return Double.NaN;
    }
}
