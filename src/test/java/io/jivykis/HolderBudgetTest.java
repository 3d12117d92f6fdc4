package io.jivykis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jivykis.testing.Descriptors;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.io.TempDir;

/**
 * Budgets (docs/RELIABILITY.md, "Holders"): one iteration of the loop drains at most a
 * budget of a flooded pipe and answers at most a budget of waiting connections, like it
 * dispatches at most a budget of posts; what is left is served by the next iterations, so one
 * flooding holder cannot hold the loop thread. Checked by what one iteration did, not by
 * timing: its in-process post runs after that iteration's ready descriptors.
 */
class HolderBudgetTest extends BackendCase {
    /** EventOffer.ACCEPT_BUDGET: more waiting connections than that. */
    private static final int CONNECTORS = EventOffer.ACCEPT_BUDGET + 24;

    @TempDir
    Path tmp;

    /** A holder that filled a 1 MiB pipe is drained over several iterations, each running the handler once. */
    @OnBothBackends
    void aFilledPipeIsDrainedOverSeveralIterations(Backend backend) throws Exception {
        use(backend);
        try (EventLoop loop = EventLoop.open()) {
            AtomicLong calls = new AtomicLong();
            EventRaw event = new EventRaw(calls::incrementAndGet);
            event.register();
            Map<Integer, String> before = Descriptors.libraryKinds();
            ChildProcess filler = new ChildProcessBuilder(Children.nativeProgram("jivykis-test-hostile-holder").toString(),
                    "fill", "EV", "0").pass(event, "EV").redirectOutput(tmp.resolve("fill.txt")).start();
            // Filled and gone before the loop runs: 1 MiB and the end of file wait in the pipe.
            assertEquals(0, filler.waitFor(), Children.read(tmp.resolve("fill.txt")));
            assertTrue(Children.read(tmp.resolve("fill.txt")).startsWith("posted=1048576 "),
                    "the holder filled 1 MiB: " + Children.read(tmp.resolve("fill.txt")));
            HostileHolderTest.runUntil(loop, () -> Descriptors.libraryKinds().equals(before), Duration.ofSeconds(20));
            Descriptors.assertNoneLeaked(before, "the filled pipe was drained");
            assertTrue(calls.get() >= 2, "1 MiB was drained in " + calls.get() + " iteration(s): a flood must be"
                    + " drained under a budget per iteration");
            event.unregister();
        }
    }

    /** More waiting connections than the budget: the first iteration answers the budget's worth, the rest later. */
    @OnBothBackends
    void waitingConnectionsAreAnsweredUnderABudget(Backend backend) throws Exception {
        use(backend);
        Path socket = tmp.resolve("b.sock");
        try (EventLoop loop = EventLoop.open()) {
            EventRaw event = new EventRaw(() -> {});
            event.register();
            EventOffer offer = EventOffer.open(event, socket);
            AtomicInteger connected = new AtomicInteger();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            List<Thread> connectors = new ArrayList<>();
            for (int i = 0; i < CONNECTORS; i++) {
                Thread t = new Thread(() -> {
                    try (Poster poster = Poster.connect(socket, Duration.ofSeconds(20))) {
                        connected.incrementAndGet();
                    } catch (Throwable e) {
                        failure.set(e);
                    }
                });
                t.start();
                connectors.add(t);
            }
            // Let the connections reach the listen backlog while the loop does not run (if
            // some come later, the first iteration answers fewer still).
            Thread.sleep(500);
            long[] firstIteration = {-1};
            Event probe = new Event(() -> firstIteration[0] = offer.handedOut());
            probe.register();
            probe.post(); // dispatched after the first iteration's ready descriptors
            HostileHolderTest.runUntil(loop, () -> connected.get() + (failure.get() == null ? 0 : CONNECTORS) >= CONNECTORS,
                    Duration.ofSeconds(30));
            for (Thread t : connectors) {
                t.join();
            }
            assertNull(failure.get());
            assertEquals(CONNECTORS, connected.get());
            assertTrue(firstIteration[0] >= 1 && firstIteration[0] <= EventOffer.ACCEPT_BUDGET, "the first iteration"
                    + " answered " + firstIteration[0] + " connections; the budget is " + EventOffer.ACCEPT_BUDGET);
            probe.unregister();
            offer.close();
            event.unregister();
        }
    }
}
