package io.jivykis.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jivykis.ChildProcess;
import io.jivykis.ChildProcessBuilder;
import io.jivykis.EventLoop;
import io.jivykis.EventRaw;
import io.jivykis.SignalHandler;
import io.jivykis.Signals;
import io.jivykis.internal.EventDescriptor;
import io.jivykis.internal.Linux;
import io.jivykis.internal.Native;
import io.jivykis.testing.Descriptors;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A bounded soak: 4 poster threads and 1,000 event objects on one loop, with registrations,
 * unregistrations and loop closes made at random while posts (in-process, from the loop's own
 * thread, and foreign writes through each pipe's own reopened write end) keep coming.
 *
 * <p>Invariants, checked and printed as one "SOAK ..." line (also written to
 * target/soak-summary.txt):
 * <ul>
 *   <li>at every quiet epoch end, every object registered then has had a handler call that
 *       saw every post made to it (no lost post);
 *   <li>no handler ran for an object that was not registered, and there were never more calls
 *       than posts;
 *   <li>sentinel pipes, opened right after each unregister (so they take the freed descriptor
 *       numbers), never received a byte (no write after close);
 *   <li>the descriptor count returns to its baseline, and the heap after GC to within 32 MiB.
 * </ul>
 *
 * <p>Runs for {@code -Djivykis.soak.seconds} (default 60) in its own surefire execution (tag
 * {@code soak}).
 */
@Tag("soak")
class SoakTest {
    private static final int OBJECTS = 1000;
    private static final int POSTERS = 4;
    private static final int SENTINEL_RING = 128;
    private static final long HEAP_BOUND = 32L << 20;
    private static final ByteBuffer ONE = ByteBuffer.allocateDirect(1).put(0, (byte) 1).asReadOnlyBuffer();

    /** One registration of one object: what was posted to it and what its handler saw. */
    static final class Reg {
        final AtomicLong posted = new AtomicLong();
        /** The post count the last handler call saw (written on the loop thread). */
        volatile long handledUpTo;
        /** A separately opened write end (pipe backend only): the "foreign" poster's own copy. */
        volatile FileChannel foreign;
    }

    /** One of the 1,000 objects. */
    final class Obj {
        final EventRaw ev;
        /** The current registration: set after register(), cleared before unregister(). */
        volatile Reg reg;

        Obj() {
            ev = new EventRaw(this::handle);
        }

        private void handle() {
            Reg r = reg;
            if (r == null || !ev.isRegistered()) {
                strayCalls.incrementAndGet();
                return;
            }
            calls.incrementAndGet();
            r.handledUpTo = r.posted.get();
        }
    }

    private final Obj[] objects = new Obj[OBJECTS];
    private final AtomicLong calls = new AtomicLong();
    private final AtomicLong strayCalls = new AtomicLong();
    private final AtomicLong inProcessPosts = new AtomicLong();
    private final AtomicLong ownerPosts = new AtomicLong();
    private final AtomicLong foreignPosts = new AtomicLong();
    private final AtomicLong foreignRefused = new AtomicLong();
    private long registrations;
    private long unregistrations;
    private long quietEnds;
    private long abruptCloses;
    private long sentinelsOpened;
    private long strayBytes;
    private long lostPosts;
    private final List<String> violations = new ArrayList<>();
    // Child processes posting through passed descriptors, and signals at the loop thread.
    private final List<ChildProcess> children = new ArrayList<>();
    private long childrenStarted;
    private long childPosts;
    private long childFailures;
    private long signalsSent;
    private long signalCalls;
    private long lostSignals;
    private long signalChecks;
    private Process signaller;
    private String loopTid;
    private Path postTool;
    private Path tgkillTool;
    private final ArrayDeque<long[]> sentinels = new ArrayDeque<>();

    private volatile boolean stop;
    /** The current epoch's control event, posted by the ticker thread every half millisecond. */
    private volatile EventRaw ticked;
    private volatile boolean pauseRequested;
    private final AtomicInteger paused = new AtomicInteger();

    @Test
    void soak() throws Exception {
        int seconds = Integer.getInteger("jivykis.soak.seconds", 60);
        // Warm up: load the library and open/close a loop so the baseline includes what stays.
        Thread warm = new Thread(() -> EventLoop.open().close());
        warm.start();
        warm.join();
        long heapBefore = usedHeapAfterGc();
        int fdsBefore = Descriptors.count();
        Map<Integer, String> fdMapBefore = Descriptors.snapshot();

        for (int i = 0; i < OBJECTS; i++) {
            objects[i] = new Obj();
        }
        List<Thread> posters = new ArrayList<>();
        for (int p = 0; p < POSTERS; p++) {
            Thread t = new Thread(this::postForever, "soak-poster-" + p);
            t.setDaemon(true);
            posters.add(t);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        Throwable[] loopFailure = new Throwable[1];
        Thread loopThread = new Thread(() -> {
            try {
                runEpochs(deadline);
            } catch (Throwable t) {
                loopFailure[0] = t;
            }
        }, "soak-loop");
        Thread ticker = new Thread(() -> {
            while (!stop) {
                EventRaw ev = ticked;
                if (ev != null) {
                    ev.post();
                }
                LockSupport.parkNanos(500_000);
            }
        }, "soak-ticker");
        ticker.setDaemon(true);
        posters.forEach(Thread::start);
        ticker.start();
        loopThread.start();
        loopThread.join(TimeUnit.SECONDS.toMillis(seconds + 60));
        boolean stalled = loopThread.isAlive();
        StringBuilder stack = new StringBuilder();
        for (StackTraceElement e : loopThread.getStackTrace()) {
            stack.append("\n    at ").append(e);
        }
        stop = true;
        for (Thread t : posters) {
            t.join(10_000);
        }
        ticker.join(10_000);
        if (stalled) {
            throw new AssertionError("the soak loop made no progress for 60 s past its deadline"
                    + " (a lost wake-up?); it is at:" + stack);
        }
        if (loopFailure[0] != null) {
            throw new AssertionError("the soak loop failed", loopFailure[0]);
        }
        while (!sentinels.isEmpty()) {
            retireSentinel();
        }
        for (Obj o : objects) {
            assertTrue(!o.ev.isRegistered(), "an object is still registered after its loop closed");
        }

        long heapAfter = usedHeapAfterGc();
        int fdsAfter = Descriptors.settledCount(fdsBefore);
        long posts = inProcessPosts.get() + ownerPosts.get() + foreignPosts.get() + childPosts;
        String summary = String.format("SOAK seconds=%d objects=%d posters=%d posts=%d (other threads %d,"
                        + " loop thread %d, foreign writes %d, foreign refused after close %d) calls=%d"
                        + " registrations=%d unregistrations=%d loopCloses=%d (quiet %d, abrupt %d)"
                        + " children=%d (posts %d, failed %d) signals=%d (calls %d, final-signal checks %d, lost %d)"
                        + " sentinels=%d strayBytes=%d strayCalls=%d lostPosts=%d fds before=%d after=%d"
                        + " heapMiB before=%.1f after=%.1f",
                seconds, OBJECTS, POSTERS, posts, inProcessPosts.get(), ownerPosts.get(), foreignPosts.get(),
                foreignRefused.get(), calls.get(), registrations, unregistrations, quietEnds + abruptCloses,
                quietEnds, abruptCloses, childrenStarted, childPosts, childFailures, signalsSent, signalCalls,
                signalChecks, lostSignals, sentinelsOpened, strayBytes, strayCalls.get(), lostPosts, fdsBefore,
                fdsAfter, heapBefore / 1048576.0, heapAfter / 1048576.0);
        System.out.println(summary);
        Path report = Paths.get("target", "soak-summary.txt");
        if (Files.isDirectory(report.getParent())) {
            Files.writeString(report, summary + System.lineSeparator());
        }

        assertTrue(violations.isEmpty(), "lost posts: " + violations);
        assertEquals(0, lostPosts, summary);
        assertEquals(0, lostSignals, summary);
        assertEquals(0, childFailures, "a posting child failed: " + summary);
        assertTrue(signalCalls <= signalsSent, "more signal handler calls than signals: " + summary);
        assertTrue(childrenStarted > 0 && signalChecks > 0, "no child or no signal was exercised: " + summary);
        assertEquals(0, strayBytes, "bytes arrived on sentinel pipes (a write after close): " + summary);
        assertEquals(0, strayCalls.get(), "handlers ran for unregistered objects: " + summary);
        assertTrue(calls.get() <= posts, "more handler calls than posts: " + summary);
        assertTrue(quietEnds > 0, "no quiet epoch end was checked: " + summary);
        assertEquals(fdsBefore, fdsAfter, "descriptor count not back to baseline: before " + fdMapBefore
                + " after " + Descriptors.snapshot());
        assertTrue(heapAfter <= heapBefore + HEAP_BOUND, "heap grew past the bound: " + summary);
    }

    /** The loop thread: epochs of run() until the deadline, each ending with a loop close. */
    private void runEpochs(long deadline) throws IOException, InterruptedException {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        Path nativeDir = Paths.get(System.getProperty("jivykis.test.nativeDir", "target/native"));
        postTool = nativeDir.resolve("jivykis-post");
        tgkillTool = nativeDir.resolve("jivykis-test-tgkill");
        if (!Files.isExecutable(postTool) || !Files.isExecutable(tgkillTool)) {
            throw new IllegalStateException("the CMake-built tools " + postTool + " and " + tgkillTool
                    + " are missing: run the soak through Maven, which builds them");
        }
        // "/proc/thread-self" names this thread's kernel task: signals are aimed at it, so they
        // also interrupt its epoll_wait.
        loopTid = Files.readSymbolicLink(Paths.get("/proc/thread-self")).getFileName().toString();
        while (System.nanoTime() < deadline) {
            EventLoop loop = EventLoop.open();
            SignalHandler winch = new SignalHandler(Signals.SIGWINCH, () -> signalCalls++);
            winch.register();
            signaller = startSignaller(random.nextInt(10, 200));
            boolean quiet = random.nextBoolean();
            long epochEnd = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100 + random.nextInt(1400));
            for (Obj o : objects) {
                if (random.nextInt(10) < 8) {
                    register(o, random);
                }
            }
            int[] fenceRounds = {0};
            EventRaw[] fence = new EventRaw[1];
            fence[0] = new EventRaw(() -> {
                // Quiet end: posters are paused. The fence is posted through its descriptor, so
                // each round waits for one more epoll_wait, which reports up to 256 more readable
                // pipes; after enough rounds every post made before the pause has been dispatched.
                if (--fenceRounds[0] == 0) {
                    checkNoLostPost();
                    checkNoLostSignal();
                    loop.quit();
                } else {
                    foreignPost(fence[0]);
                }
            });
            fence[0].register();
            EventRaw[] control = new EventRaw[1];
            control[0] = new EventRaw(() -> {
                if (fenceRounds[0] > 0) {
                    return;
                }
                if (System.nanoTime() < epochEnd) {
                    chaos(random);
                    return;
                }
                if (!quiet) {
                    loop.quit();
                    return;
                }
                pauseRequested = true;
                if (paused.get() < POSTERS || signaller.isAlive() || anyChildAlive()) {
                    // Keep dispatching (a poster may be blocked writing a full pipe) until all
                    // posters pause and the children and the signaller are done.
                    Thread.yield();
                    control[0].post();
                    return;
                }
                reapChildren();
                finishSignaller();
                lastSignal();
                fenceRounds[0] = OBJECTS / 256 + 3;
                foreignPost(fence[0]);
            });
            control[0].register();
            ticked = control[0];
            pauseRequested = false;
            loop.run();
            if (quiet) {
                quietEnds++;
            } else {
                abruptCloses++;
                // The signal handler is unregistered with the loop: let the signaller finish
                // first (SIGWINCH is harmless, but its count should be exact).
                signaller.waitFor();
                finishSignaller();
            }
            // Close with objects still registered: close() unregisters them while posters run
            // (in an abrupt end) and write to their own copies of the pipes.
            List<Reg> live = new ArrayList<>();
            for (Obj o : objects) {
                Reg r = o.reg;
                if (r != null) {
                    live.add(r);
                    o.reg = null;
                }
            }
            loop.close();
            if (winch.isRegistered()) {
                throw new IllegalStateException("closing the loop left its SignalHandler registered");
            }
            // Children of an abrupt end may still be posting to descriptors closed here: they
            // hold their own copies, so their posts go nowhere.
            for (ChildProcess child : children) {
                child.waitFor();
            }
            reapChildren();
            unregistrations += live.size();
            for (Reg r : live) {
                closeForeign(r);
                openSentinel();
                while (sentinels.size() > SENTINEL_RING) {
                    retireSentinel();
                }
            }
            pauseRequested = true;
            while (paused.get() < POSTERS) {
                LockSupport.parkNanos(100_000);
            }
        }
        stop = true;
        pauseRequested = false;
    }

    /** A few random unregistrations and registrations, and posts from the loop's own thread. */
    private void chaos(ThreadLocalRandom random) throws UncheckedIOException {
        for (int k = random.nextInt(1, 9); k > 0; k--) {
            Obj o = objects[random.nextInt(OBJECTS)];
            Reg r = o.reg;
            if (r != null) {
                o.reg = null;
                o.ev.unregister();
                unregistrations++;
                closeForeign(r);
                openSentinel();
            } else {
                register(o, random);
            }
        }
        for (int k = random.nextInt(4); k > 0; k--) {
            Obj o = objects[random.nextInt(OBJECTS)];
            Reg r = o.reg;
            if (r != null) {
                r.posted.incrementAndGet();
                ownerPosts.incrementAndGet();
                o.ev.post();
            }
        }
        while (sentinels.size() > SENTINEL_RING) {
            retireSentinel();
        }
        if (random.nextInt(64) == 0) {
            spawnPostingChild(random);
        }
    }

    /** A child (the C tool jivykis-post) that inherits a registered object's descriptor and posts 50 times. */
    private void spawnPostingChild(ThreadLocalRandom random) {
        Obj o = objects[random.nextInt(OBJECTS)];
        Reg r = o.reg;
        if (r == null) {
            return;
        }
        r.posted.addAndGet(50);
        childPosts += 50;
        children.add(new ChildProcessBuilder(postTool.toString(), "-n", "50", "SOAK").pass(o.ev, "SOAK").start());
        childrenStarted++;
    }

    private boolean anyChildAlive() {
        for (ChildProcess child : children) {
            if (child.isAlive()) {
                return true;
            }
        }
        return false;
    }

    /** Collects the exit codes of finished children (all are finished when called). */
    private void reapChildren() {
        try {
            for (ChildProcess child : children) {
                if (child.waitFor() != 0) {
                    childFailures++;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        children.clear();
    }

    /** Starts the helper that sends {@code count} SIGWINCH to the loop thread, 300 µs apart. */
    private Process startSignaller(int count) throws IOException {
        return new ProcessBuilder(tgkillTool.toString(), Long.toString(ProcessHandle.current().pid()), loopTid,
                Integer.toString(Signals.SIGWINCH), Integer.toString(count), "300").redirectErrorStream(true).start();
    }

    /** Adds a finished signaller's count to the total. */
    private void finishSignaller() {
        try {
            String out = new String(signaller.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
            signaller.waitFor();
            signaller.getOutputStream().close();
            signaller.getInputStream().close();
            if (signaller.exitValue() != 0 || !out.startsWith("sent ")) {
                throw new IllegalStateException("the signaller failed: " + out);
            }
            signalsSent += Long.parseLong(out.substring("sent ".length()));
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private long signalCallsBeforeLast;

    /** Quiet end: one more signal, sent after every call so far; a call must follow it. */
    private void lastSignal() {
        signalCallsBeforeLast = signalCalls;
        try {
            signaller = startSignaller(1);
            signaller.waitFor();
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
        finishSignaller();
        signalChecks++;
    }

    private void checkNoLostSignal() {
        if (signalCalls <= signalCallsBeforeLast) {
            lostSignals++;
            if (violations.size() < 10) {
                violations.add("a SIGWINCH delivered at the quiet end was not followed by a handler call");
            }
        }
    }

    private void register(Obj o, ThreadLocalRandom random) {
        boolean pipe = random.nextInt(4) == 0;
        System.setProperty(EventDescriptor.BACKEND_PROPERTY, pipe ? "pipe" : "eventfd");
        Reg r = new Reg();
        try {
            o.ev.register();
        } finally {
            System.clearProperty(EventDescriptor.BACKEND_PROPERTY);
        }
        if (pipe) {
            try {
                // A second, independent open of the write end, as another process would hold.
                r.foreign = FileChannel.open(Paths.get("/proc/self/fd/" + o.ev.fd()), StandardOpenOption.WRITE);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        registrations++;
        o.reg = r;
    }

    private static void closeForeign(Reg r) {
        FileChannel ch = r.foreign;
        if (ch != null) {
            r.foreign = null;
            try {
                // FileChannel.close waits for writes in progress, so its number is never reused under them.
                ch.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** A post through the event's descriptor, as another process makes it. */
    private static void foreignPost(EventRaw ev) {
        int rc = ev.backend() == io.jivykis.Backend.PIPE ? Native.pipePost(ev.fd()) : Native.eventfdPost(ev.fd());
        if (rc < 0 && rc != -Linux.EAGAIN) {
            throw new IllegalStateException("write to the fence descriptor failed: errno " + -rc);
        }
    }

    private void checkNoLostPost() {
        for (int i = 0; i < OBJECTS; i++) {
            Reg r = objects[i].reg;
            if (r != null && r.handledUpTo != r.posted.get()) {
                lostPosts++;
                if (violations.size() < 10) {
                    violations.add("object " + i + ": posted " + r.posted.get() + ", last call saw " + r.handledUpTo);
                }
            }
        }
    }

    /** A pipe opened right after a close, so it likely takes a freed number; nobody may write it. */
    private void openSentinel() {
        long ends = Native.pipe();
        if (ends < 0) {
            throw new IllegalStateException("pipe2 failed: errno " + -ends);
        }
        sentinels.add(new long[] {ends >>> 32, ends & 0xffffffffL});
        sentinelsOpened++;
    }

    private void retireSentinel() {
        long[] s = sentinels.poll();
        int n = Native.pipeDrain((int) s[0]);
        if (n > 0) {
            strayBytes += n;
        } else if (n != -Linux.EAGAIN) {
            throw new IllegalStateException("reading a sentinel pipe failed: errno " + -n);
        }
        Native.close((int) s[0]);
        Native.close((int) s[1]);
    }

    /**
     * A poster: bursts of posts to random objects, mostly in-process, a quarter foreign writes
     * where the object has a pipe; short pauses between bursts let the loop fall asleep, so the
     * sleep/wake-up handshake is exercised too.
     */
    private void postForever() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        ByteBuffer one = ONE.duplicate();
        int burst = 0;
        while (!stop) {
            if (--burst < 0) {
                burst = random.nextInt(1, 200);
                LockSupport.parkNanos(random.nextInt(1, 200_000));
            }
            if (pauseRequested) {
                paused.incrementAndGet();
                while (pauseRequested && !stop) {
                    LockSupport.parkNanos(200_000);
                }
                paused.decrementAndGet();
                continue;
            }
            Obj o = objects[random.nextInt(OBJECTS)];
            Reg r = o.reg;
            if (r == null) {
                continue;
            }
            FileChannel ch = r.foreign;
            if (ch != null && random.nextInt(4) == 0) {
                r.posted.incrementAndGet();
                try {
                    one.rewind();
                    ch.write(one);
                    foreignPosts.incrementAndGet();
                } catch (IOException e) {
                    // Closed copy, or EPIPE once the receiver closed: the post is refused, as it
                    // would be for another process. Counted as posted (the handler may not run).
                    foreignRefused.incrementAndGet();
                }
            } else {
                r.posted.incrementAndGet();
                inProcessPosts.incrementAndGet();
                o.ev.post();
            }
        }
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
        }
        Runtime runtime = Runtime.getRuntime();
        return runtime.totalMemory() - runtime.freeMemory();
    }
}
