package io.jivykis.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jivykis.EventLoop;
import io.jivykis.EventRaw;
import io.jivykis.internal.EventDescriptor;
import io.jivykis.internal.Native;
import io.jivykis.testing.Descriptors;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An EINTR storm: thousands of signals sent with tgkill(2) at the loop's own thread while it
 * sleeps in epoll_wait and posts keep coming. Each signal runs a handler on that thread, so
 * epoll_wait returns EINTR (it is never restarted); the loop must go back to sleep, lose no
 * post, make no spurious call and throw nothing.
 *
 * <p>SIGWINCH is harmless and unused by the JVM; a JVM-level handler is installed for it
 * (sun.misc.Signal, through reflection) so that delivery interrupts the system call instead of
 * being ignored. The native helper jivykis-test-tgkill (built by CMake) sends the signals.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EintrStormTest {
    private static final int SIGWINCH = 28;
    private static final int SIGNALS = 5000;
    private static final int POSTS = 300;
    private static final AtomicInteger delivered = new AtomicInteger();
    private static volatile boolean handlerInstalled;

    @AfterEach
    void resetBackend() {
        System.clearProperty(EventDescriptor.BACKEND_PROPERTY);
    }

    @ParameterizedTest
    @ValueSource(strings = {"eventfd", "pipe"})
    void signalsAtALoopBlockedInEpollWaitLoseNoPost(String backend) throws Exception {
        Path tgkill = Paths.get(System.getProperty("jivykis.test.nativeDir", "target/native"), "jivykis-test-tgkill");
        Assumptions.assumeTrue(Files.isExecutable(tgkill), "the CMake-built helper " + tgkill
                + " is missing (run the tests through Maven, which builds it)");
        installWinchHandler();
        System.setProperty(EventDescriptor.BACKEND_PROPERTY, backend);
        int baseline = Descriptors.baseline();

        Semaphore handled = new Semaphore(0);
        AtomicInteger calls = new AtomicInteger();
        AtomicReference<Throwable> loopFailure = new AtomicReference<>();
        AtomicReference<String> tid = new AtomicReference<>();
        EventRaw[] ev = new EventRaw[1];
        EventRaw[] stop = new EventRaw[1];
        Thread loopThread = new Thread(() -> {
            try (EventLoop loop = EventLoop.open()) {
                ev[0] = new EventRaw(() -> {
                    calls.incrementAndGet();
                    handled.release();
                });
                stop[0] = new EventRaw(() -> {
                    ev[0].unregister();
                    stop[0].unregister();
                });
                ev[0].register();
                stop[0].register();
                // "/proc/thread-self" names this thread's kernel task: pid/task/tid.
                tid.set(Files.readSymbolicLink(Paths.get("/proc/thread-self")).getFileName().toString());
                loop.run();
            } catch (Throwable t) {
                loopFailure.set(t);
            }
        }, "eintr-storm-loop");
        loopThread.start();
        while (tid.get() == null && loopThread.isAlive()) {
            Thread.sleep(1);
        }
        awaitSleeping(tid.get());

        long pid = ProcessHandle.current().pid();
        int before = delivered.get();
        Process storm = new ProcessBuilder(tgkill.toString(), Long.toString(pid), tid.get(),
                Integer.toString(SIGWINCH), Integer.toString(SIGNALS), "20").redirectErrorStream(true).start();
        // Posts during the storm, each awaited, from another thread and through the descriptor.
        for (int i = 0; i < POSTS; i++) {
            if (i % 2 == 0) {
                ev[0].post();
            } else {
                int rc = backend.equals("pipe") ? Native.pipePost(ev[0].fd()) : Native.eventfdPost(ev[0].fd());
                assertEquals(0, rc, "foreign post failed");
            }
            assertTrue(handled.tryAcquire(10, TimeUnit.SECONDS),
                    "post " + i + " was not handled within 10 s during the signal storm (lost wake-up?)");
            Thread.sleep(0, 200_000);
        }
        String stormOut = new String(storm.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue(storm.waitFor(60, TimeUnit.SECONDS));
        storm.getInputStream().close();
        storm.getOutputStream().close();
        storm.getErrorStream().close();
        assertEquals(0, storm.exitValue(), stormOut);
        stop[0].post();
        loopThread.join(10_000);
        assertNull(loopFailure.get(), () -> "run() failed under signals: " + loopFailure.get());
        assertEquals(POSTS, calls.get(), "spurious or missing handler calls under signals");
        int seen = delivered.get() - before;
        System.out.println("EINTR storm (" + backend + "): " + stormOut + " signals at the loop thread, "
                + seen + " seen by the JVM's handler, " + POSTS + " posts, " + calls.get() + " calls");
        assertEquals("sent " + SIGNALS, stormOut);
        assertTrue(seen > 0, "no signal reached the handler: the storm tested nothing");
        assertTrue(Descriptors.settledCount(baseline) <= baseline, "descriptors leaked: " + Descriptors.snapshot());
    }

    /**
     * The same storm handled by the library's own {@link io.jivykis.SignalHandler}, registered
     * on the loop that the signals interrupt: every delivery is answered by a handler call
     * (coalesced, never more calls than signals), and the last signal, sent after the storm,
     * is followed by one more call.
     */
    @org.junit.jupiter.api.Test
    void aSignalHandlerOnTheInterruptedLoopSeesTheStorm() throws Exception {
        Path tgkill = Paths.get(System.getProperty("jivykis.test.nativeDir", "target/native"), "jivykis-test-tgkill");
        Assumptions.assumeTrue(Files.isExecutable(tgkill), "the CMake-built helper " + tgkill + " is missing");
        int baseline = Descriptors.baseline();
        AtomicInteger signalCalls = new AtomicInteger();
        Semaphore called = new Semaphore(0);
        AtomicReference<Throwable> loopFailure = new AtomicReference<>();
        AtomicReference<String> tid = new AtomicReference<>();
        io.jivykis.Event[] stop = new io.jivykis.Event[1];
        io.jivykis.SignalHandler[] winch = new io.jivykis.SignalHandler[1];
        Thread loopThread = new Thread(() -> {
            try (EventLoop loop = EventLoop.open()) {
                winch[0] = new io.jivykis.SignalHandler(io.jivykis.Signals.SIGWINCH, () -> {
                    signalCalls.incrementAndGet();
                    called.release();
                });
                winch[0].register();
                stop[0] = new io.jivykis.Event(() -> {
                    winch[0].unregister();
                    stop[0].unregister();
                });
                stop[0].register();
                tid.set(Files.readSymbolicLink(Paths.get("/proc/thread-self")).getFileName().toString());
                loop.run();
            } catch (Throwable t) {
                loopFailure.set(t);
            }
        }, "eintr-signal-handler-loop");
        loopThread.start();
        while (tid.get() == null && loopThread.isAlive()) {
            Thread.sleep(1);
        }
        awaitSleeping(tid.get());
        String pid = Long.toString(ProcessHandle.current().pid());
        String sent = runTgkill(tgkill, pid, tid.get(), SIGNALS, 20);
        assertEquals("sent " + SIGNALS, sent);
        Thread.sleep(100); // let the storm's last calls land, so the next one answers the last signal
        called.drainPermits();
        int before = signalCalls.get();
        assertEquals("sent 1", runTgkill(tgkill, pid, tid.get(), 1, 0));
        assertTrue(called.tryAcquire(10, TimeUnit.SECONDS), "the signal sent after the storm was not handled");
        stop[0].post();
        loopThread.join(10_000);
        assertNull(loopFailure.get(), () -> "run() failed under signals: " + loopFailure.get());
        int calls = signalCalls.get();
        System.out.println("EINTR storm (SignalHandler): " + (SIGNALS + 1) + " signals at the loop thread, "
                + calls + " handler calls");
        assertTrue(calls > before && calls <= SIGNALS + 1, "handler calls " + calls + " for " + (SIGNALS + 1) + " signals");
        assertTrue(Descriptors.settledCount(baseline) <= baseline, "descriptors leaked: " + Descriptors.snapshot());
    }

    private static String runTgkill(Path tool, String pid, String tid, int count, int intervalUs) throws Exception {
        Process p = new ProcessBuilder(tool.toString(), pid, tid, Integer.toString(SIGWINCH), Integer.toString(count),
                Integer.toString(intervalUs)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        p.getInputStream().close();
        p.getOutputStream().close();
        p.getErrorStream().close();
        return out;
    }

    /** Waits until the thread sleeps (state S), which for the loop thread means epoll_wait. */
    private static void awaitSleeping(String tid) throws Exception {
        Path stat = Paths.get("/proc/self/task", tid, "stat");
        for (int i = 0; i < 5000; i++) {
            String s = Files.readString(stat);
            if (s.substring(s.lastIndexOf(')') + 2).startsWith("S")) {
                return;
            }
            Thread.sleep(1);
        }
        throw new AssertionError("the loop thread never went to sleep");
    }

    /** Installs a JVM signal handler for SIGWINCH that counts deliveries (once per JVM). */
    private static synchronized void installWinchHandler() throws Exception {
        if (handlerInstalled) {
            return;
        }
        Class<?> signalClass;
        Class<?> handlerClass;
        try {
            signalClass = Class.forName("sun.misc.Signal");
            handlerClass = Class.forName("sun.misc.SignalHandler");
        } catch (ClassNotFoundException e) {
            Assumptions.abort("sun.misc.Signal is not available in this JVM, so no signal handler can be installed");
            return;
        }
        Constructor<?> ctor = signalClass.getConstructor(String.class);
        Object winch = ctor.newInstance("WINCH");
        InvocationHandler counting = (proxy, method, args) -> {
            if (method.getName().equals("handle")) {
                delivered.incrementAndGet();
            }
            return null;
        };
        Object handler = Proxy.newProxyInstance(handlerClass.getClassLoader(), new Class<?>[] {handlerClass}, counting);
        Method handle = signalClass.getMethod("handle", signalClass, handlerClass);
        handle.invoke(null, winch, handler);
        handlerInstalled = true;
    }
}
