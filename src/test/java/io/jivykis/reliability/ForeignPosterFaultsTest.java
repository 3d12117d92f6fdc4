package io.jivykis.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jivykis.Backend;
import io.jivykis.EventLoop;
import io.jivykis.EventRaw;
import io.jivykis.internal.EventDescriptor;
import io.jivykis.internal.Linux;
import io.jivykis.internal.Native;
import io.jivykis.testing.Descriptors;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Faults on the foreign-post path, with real child processes (bash) writing the event's pipe
 * through their own open of /proc/PID/fd/N, as any process holding the descriptor would: a
 * child killed in the middle of posting, the receiver closing while children write, and a
 * pipe filled past its 64 KiB capacity.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ForeignPosterFaultsTest {
    private final List<Process> children = new ArrayList<>();

    @AfterEach
    void cleanUp() throws InterruptedException {
        System.clearProperty(EventDescriptor.BACKEND_PROPERTY);
        for (Process p : children) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** A bash child that writes one byte at a time, forever, to its own open of our descriptor. */
    private Process writer(int fd) throws Exception {
        long pid = ProcessHandle.current().pid();
        Process p = new ProcessBuilder("bash", "-c",
                "exec 3>/proc/" + pid + "/fd/" + fd + " || exit 3; while :; do printf x >&3 || exit 4; done")
                .redirectErrorStream(true).start();
        children.add(p);
        return p;
    }

    /** Closes our ends of a finished child's standard streams, so the descriptor count is exact. */
    private static void closeStreams(Process p) throws java.io.IOException {
        p.getOutputStream().close();
        p.getInputStream().close();
        p.getErrorStream().close();
    }

    @Test
    void aChildKilledMidPostLeavesTheLoopWorking() throws Exception {
        System.setProperty(EventDescriptor.BACKEND_PROPERTY, "pipe");
        int baseline = Descriptors.baseline();
        AtomicInteger calls = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch registered = new CountDownLatch(1);
        CountDownLatch manyCalls = new CountDownLatch(50);
        CountDownLatch afterKill = new CountDownLatch(1);
        EventRaw[] ev = new EventRaw[1];
        EventRaw[] marker = new EventRaw[1];
        Thread loopThread = new Thread(() -> {
            try (EventLoop loop = EventLoop.open()) {
                ev[0] = new EventRaw(() -> {
                    calls.incrementAndGet();
                    manyCalls.countDown();
                });
                marker[0] = new EventRaw(() -> {
                    afterKill.countDown();
                    ev[0].unregister();
                    marker[0].unregister();
                });
                ev[0].register();
                marker[0].register();
                registered.countDown();
                loop.run();
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "killed-child-loop");
        loopThread.start();
        assertTrue(registered.await(10, TimeUnit.SECONDS));
        Process child = writer(ev[0].fd());
        assertTrue(manyCalls.await(20, TimeUnit.SECONDS), "the child's posts were not handled");
        child.destroyForcibly(); // SIGKILL, in the middle of its write loop
        assertTrue(child.waitFor(10, TimeUnit.SECONDS));
        assertEquals(137, child.exitValue(), "the child was not killed by SIGKILL while posting");
        closeStreams(child);
        marker[0].post();
        assertTrue(afterKill.await(10, TimeUnit.SECONDS), "the loop stopped dispatching after the child died");
        loopThread.join(10_000);
        assertNull(failure.get(), () -> "the loop failed: " + failure.get());
        assertTrue(Descriptors.settledCount(baseline) <= baseline, "descriptors leaked: " + Descriptors.snapshot());
    }

    @Test
    void receiverClosedWhileForeignPostersWrite() throws Exception {
        System.setProperty(EventDescriptor.BACKEND_PROPERTY, "pipe");
        int baseline = Descriptors.baseline();
        AtomicLong callsAfterClose = new AtomicLong();
        AtomicInteger calls = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch registered = new CountDownLatch(1);
        CountDownLatch manyCalls = new CountDownLatch(50);
        CountDownLatch closeNow = new CountDownLatch(1);
        int[] fds = new int[3];
        EventRaw[] evs = new EventRaw[3];
        long[] sentinels = new long[3];
        Thread loopThread = new Thread(() -> {
            try {
                EventLoop loop = EventLoop.open();
                EventRaw[] closer = new EventRaw[1];
                for (int i = 0; i < evs.length; i++) {
                    evs[i] = new EventRaw(() -> {
                        calls.incrementAndGet();
                        manyCalls.countDown();
                    });
                    evs[i].register();
                    fds[i] = evs[i].fd();
                }
                closer[0] = new EventRaw(() -> loop.quit());
                closer[0].register();
                registered.countDown();
                Thread closerPoster = new Thread(() -> {
                    try {
                        closeNow.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    closer[0].post();
                });
                closerPoster.start();
                loop.run();
                // Close the receiver with everything registered while the children still write.
                loop.close();
                // Sentinel pipes take the freed numbers; nobody may write to them.
                for (int i = 0; i < sentinels.length; i++) {
                    sentinels[i] = Native.pipe();
                }
                // A new loop and a new event in the same numbers: no foreign byte may reach it.
                try (EventLoop second = EventLoop.open()) {
                    EventRaw fresh = new EventRaw(callsAfterClose::incrementAndGet);
                    fresh.register();
                    EventRaw[] timer = new EventRaw[1];
                    timer[0] = new EventRaw(() -> {
                        fresh.unregister();
                        timer[0].unregister();
                    });
                    timer[0].register();
                    Thread later = new Thread(() -> {
                        try {
                            Thread.sleep(300);
                        } catch (InterruptedException e) {
                            return;
                        }
                        timer[0].post();
                    });
                    later.start();
                    second.run();
                    later.join();
                }
                closerPoster.join();
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "receiver-closed-loop");
        loopThread.start();
        assertTrue(registered.await(10, TimeUnit.SECONDS));
        List<Process> writers = new ArrayList<>();
        for (int fd : fds) {
            writers.add(writer(fd));
        }
        assertTrue(manyCalls.await(20, TimeUnit.SECONDS), "the children's posts were not handled");
        closeNow.countDown();
        loopThread.join(20_000);
        assertFalse(loopThread.isAlive(), "the receiver's loop hung");
        assertNull(failure.get(), () -> "the receiver failed: " + failure.get());
        for (Process w : writers) {
            // A writer whose reader is gone gets EPIPE/SIGPIPE and ends; none may hang.
            assertTrue(w.waitFor(10, TimeUnit.SECONDS), "a foreign writer hung after the receiver closed");
            closeStreams(w);
        }
        long stray = 0;
        for (long s : sentinels) {
            assertTrue(s >= 0, "pipe2 failed");
            int n = Native.pipeDrain((int) (s >>> 32));
            stray += Math.max(n, 0);
            assertTrue(n > 0 || n == -Linux.EAGAIN, "sentinel read failed: " + n);
            Native.close((int) (s >>> 32));
            Native.close((int) s);
        }
        assertEquals(0, stray, "bytes reached sentinel pipes that took the closed numbers");
        assertEquals(0, callsAfterClose.get(), "a foreign writer of the closed loop reached a new event");
        assertTrue(Descriptors.settledCount(baseline) <= baseline, "descriptors leaked: " + Descriptors.snapshot());
    }

    @Test
    void moreThan64KiBOfForeignPostsNeitherBlockNorLoseTheWakeUp() throws Exception {
        System.setProperty(EventDescriptor.BACKEND_PROPERTY, "pipe");
        int baseline = Descriptors.baseline();
        AtomicInteger calls = new AtomicInteger();
        try (EventLoop loop = EventLoop.open()) {
            EventRaw[] ev = new EventRaw[1];
            ev[0] = new EventRaw(() -> {
                calls.incrementAndGet();
                loop.quit();
            });
            ev[0].register();
            assertEquals(Backend.PIPE, ev[0].backend());
            int fd = ev[0].fd();
            // 70,000 posts through the descriptor while the loop is not running: the pipe fills
            // at 64 KiB; every post after that must return at once (EAGAIN is success).
            int[] failed = {0};
            long[] elapsed = {0};
            Thread poster = new Thread(() -> {
                long start = System.nanoTime();
                for (int i = 0; i < 70_000; i++) {
                    int rc = Native.pipePost(fd);
                    if (rc != 0 && rc != -Linux.EAGAIN) {
                        failed[0]++;
                    }
                }
                elapsed[0] = System.nanoTime() - start;
            });
            poster.start();
            poster.join(20_000);
            assertFalse(poster.isAlive(), "a poster blocked on the full pipe");
            assertEquals(0, failed[0], "posts to a full pipe failed");
            // The full pipe still wakes the loop, the whole backlog is drained, one call results.
            loop.run();
            assertEquals(1, calls.get(), "65536 queued bytes are one wake-up, coalesced into one call");
            // Drained completely: nothing fires again until the next post, which fires once.
            EventRaw[] idle = new EventRaw[1];
            idle[0] = new EventRaw(() -> {
                idle[0].unregister();
                loop.quit();
            });
            idle[0].register();
            Thread later = new Thread(() -> {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
                idle[0].post();
            });
            later.start();
            loop.run();
            later.join();
            assertEquals(1, calls.get(), "a drained pipe fired again without a post");
            assertEquals(0, Native.pipePost(fd));
            loop.run();
            assertEquals(2, calls.get(), "the post after the backlog was lost");
            System.out.println("full pipe: 70000 posts in " + elapsed[0] / 1_000_000 + " ms, calls " + calls.get());
            ev[0].unregister();
        }
        assertTrue(Descriptors.settledCount(baseline) <= baseline, "descriptors leaked: " + Descriptors.snapshot());
    }
}
