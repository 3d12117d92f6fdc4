package io.jivykis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.jivykis.testing.Descriptors;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The holder contract (docs/RELIABILITY.md, "Holders"): a process that holds a posting
 * descriptor, given by {@link ChildProcessBuilder#pass} or by an {@link EventOffer}, can post
 * and hurt only itself. Each case runs a hostile holder (the C program hostile-holder: it
 * clears O_NONBLOCK and blocks a reader on its descriptor, floods it, fills a 1 MiB pipe,
 * closes it, passes it on to a grandchild, or pesters the offer's socket) beside an honest
 * holder of the same event, while the owner keeps a 20 ms timer. Checked, as progress
 * counts rather than timings: the owner's loop thread never blocks (it finishes, under a
 * watchdog), the timer kept ticking, the honest holder's posts were answered, and once every
 * holder is gone both the owner and the honest holder hold exactly the descriptors they
 * held before.
 */
class HostileHolderTest extends BackendCase {
    /** How long the hostile holder keeps at it: it outlasts the honest one, so nothing it left undone hides. */
    private static final String HOSTILE_SECONDS = "2";
    /** How long the honest holder posts (every 10 ms). */
    private static final String HONEST_SECONDS = "1";
    /** Ticks of the 20 ms timer in 2 s are 100; a fifth of that proves it was not held up for long. */
    private static final long MIN_TICKS = 20;
    private static final Pattern HONEST = Pattern.compile("posted=(\\d+) epipe=(\\d+) fds=(\\d+)/(\\d+)");

    @TempDir
    Path tmp;

    static Stream<Arguments> childModes() {
        return cases("steal", "flood", "fill", "close", "passon");
    }

    static Stream<Arguments> peerModes() {
        return cases("steal", "flood", "fill", "close", "passon", "pester");
    }

    private static Stream<Arguments> cases(String... modes) {
        List<Arguments> all = new ArrayList<>();
        for (Backend backend : Backend.values()) {
            for (String mode : modes) {
                all.add(Arguments.of(backend, mode));
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("childModes")
    void aHostileChildHurtsOnlyItself(Backend backend, String mode) throws Exception {
        use(backend);
        underWatchdog(() -> ownerWithHolders(mode, false));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("peerModes")
    void aHostileOfferPeerHurtsOnlyItself(Backend backend, String mode) throws Exception {
        use(backend);
        underWatchdog(() -> ownerWithHolders(mode, true));
    }

    /**
     * Runs {@code body} on its own thread: on main's shared eventfd, a holder that blocks a
     * reader made the owner's loop thread block for ever in its drain, and this says so
     * instead of hanging the test run.
     */
    private static void underWatchdog(ThrowingRunnable body) throws Exception {
        FutureTask<Void> task = new FutureTask<>(() -> {
            body.run();
            return null;
        });
        Thread owner = new Thread(task, "hostile-holder-owner");
        owner.setDaemon(true);
        owner.start();
        try {
            task.get(25, TimeUnit.SECONDS); // under JUnit's own 30 s, so that this message is the one seen
        } catch (TimeoutException e) {
            StringBuilder stack = new StringBuilder();
            for (StackTraceElement frame : owner.getStackTrace()) {
                stack.append("\n\tat ").append(frame);
            }
            fail("the owner's loop thread is stuck (a holder must never block it):" + stack);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception) {
                throw (Exception) e.getCause();
            }
            throw new AssertionError(e.getCause());
        }
    }

    private void ownerWithHolders(String mode, boolean viaOffer) throws Exception {
        Path socket = tmp.resolve("offer.sock");
        String holder = Children.nativeProgram("jivykis-test-hostile-holder").toString();
        try (EventLoop loop = EventLoop.open()) {
            AtomicLong calls = new AtomicLong();
            AtomicLong ticks = new AtomicLong();
            EventRaw event = new EventRaw(calls::incrementAndGet);
            event.register();
            Timer[] timer = new Timer[1];
            timer[0] = new Timer(() -> {
                ticks.incrementAndGet();
                timer[0].expiresAfter(Duration.ofMillis(20)).register();
            });
            timer[0].expiresAfter(Duration.ofMillis(20)).register();
            EventOffer offer = viaOffer ? EventOffer.open(event, socket) : null;
            Map<Integer, String> before = ownerKinds();

            Path hostileOut = tmp.resolve("hostile.txt");
            Path honestOut = tmp.resolve("honest.txt");
            ChildProcess hostile = start(holder, mode, HOSTILE_SECONDS, viaOffer, socket, event, hostileOut);
            ChildProcess honest = start(holder, "honest", HONEST_SECONDS, viaOffer, socket, event, honestOut);
            Children.runUntilQuitOrExit(loop, () -> {
                try {
                    hostile.waitFor();
                    honest.waitFor();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            String report = mode + ": hostile said " + Children.read(hostileOut) + ", honest said "
                    + Children.read(honestOut) + "; " + calls.get() + " handler calls, " + ticks.get() + " ticks";
            assertEquals(0, hostile.waitFor(), report);
            assertEquals(0, honest.waitFor(), report);

            // Every holder is gone (passon's grandchild lives SECONDS longer): the owner keeps
            // serving until its descriptors are back to what they were.
            runUntil(loop, () -> ownerKinds().equals(before), Duration.ofSeconds(20));
            assertEquals(before, ownerKinds(), "the owner's descriptors once every holder is gone: " + report);
            assertTrue(ticks.get() >= MIN_TICKS, "the 20 ms timer was held up: " + report);

            Matcher m = HONEST.matcher(Children.read(honestOut));
            assertTrue(m.find(), report);
            long honestPosts = Long.parseLong(m.group(1));
            assertEquals("0", m.group(2), "the honest holder was revoked: " + report);
            // An offer peer holds after closing what it held before connecting; a child held
            // its passed descriptor from the start, and has closed it.
            assertEquals(Integer.parseInt(m.group(3)) - (viaOffer ? 0 : 1), Integer.parseInt(m.group(4)),
                    "the honest holder's descriptors before and after: " + report);
            assertTrue(honestPosts > 0, report);
            // The handler runs for most honest posts, 10 ms apart, however much the hostile
            // holder posts itself (posts may coalesce, when the loop is late; none is swallowed).
            assertTrue(calls.get() >= honestPosts / 2, "the honest holder's posts were swallowed: " + report);
            if (offer != null) {
                offer.close();
            }
            timer[0].unregister();
            event.unregister();
        }
    }

    private static ChildProcess start(String holder, String mode, String seconds, boolean viaOffer, Path socket,
            EventRaw event, Path out) {
        ChildProcessBuilder builder = viaOffer
                ? new ChildProcessBuilder(holder, mode, "--socket", socket.toString(), seconds)
                : new ChildProcessBuilder(holder, mode, "EV", seconds).pass(event, "EV");
        return builder.redirectOutput(out).redirectError(out.resolveSibling(out.getFileName() + ".err")).start();
    }

    /** The owner's descriptors of the kinds a holder could make it keep: the library's, and sockets. */
    private static Map<Integer, String> ownerKinds() {
        Map<Integer, String> fds = Descriptors.snapshot();
        fds.values().removeIf(t -> !(t.startsWith("anon_inode:[eventfd]") || t.startsWith("anon_inode:[eventpoll]")
                || t.startsWith("pipe:[") || t.startsWith("socket:[")));
        return fds;
    }

    /** Runs the loop, checking {@code done} every 20 ms, until it holds or {@code limit} passes. */
    static void runUntil(EventLoop loop, java.util.function.BooleanSupplier done, Duration limit) {
        long giveUp = System.nanoTime() + limit.toNanos();
        Timer[] check = new Timer[1];
        check[0] = new Timer(() -> {
            if (done.getAsBoolean() || System.nanoTime() > giveUp) {
                loop.quit();
            } else {
                check[0].expiresAfter(Duration.ofMillis(20)).register();
            }
        });
        check[0].expiresAfter(Duration.ZERO).register();
        loop.run();
        if (check[0].isRegistered()) {
            check[0].unregister();
        }
    }

    /** A test body that may throw. */
    interface ThrowingRunnable {
        void run() throws Exception;
    }
}
