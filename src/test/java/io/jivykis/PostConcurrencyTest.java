package io.jivykis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jivykis.internal.Linux;
import io.jivykis.internal.Native;
import io.jivykis.testing.Descriptors;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * The concurrency contract: no lost wake-up, no write to a closed descriptor when a post
 * races unregister or close, coalescing without a system call. Stress tests with an
 * invariant checked at the end; each is bounded in time.
 */
class PostConcurrencyTest extends BackendCase {

    /** Starts {@code count} daemon threads named {@code name-i} running {@code body(i)}. */
    private static List<Thread> startThreads(String name, int count, java.util.function.IntConsumer body) {
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int index = i;
            Thread t = new Thread(() -> body.accept(index), name + "-" + i);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
        return threads;
    }

    private static void joinAll(List<Thread> threads) throws InterruptedException {
        for (Thread t : threads) {
            t.join(20_000);
            assertTrue(!t.isAlive(), t.getName() + " did not finish");
        }
    }

    // No lost wake-up: posters bump a counter and then post; the loop's last handler call
    // must see the final count. Posters pause now and then so the loop often goes to sleep,
    // which is when a wake-up can be lost.
    @OnBothBackends
    void noLostWakeupTheLastCallSeesTheFinalCount(Backend backend) throws Exception {
        use(backend);
        int posters = 4;
        int rounds = 40;
        int postsPerRound = 500;
        for (int round = 0; round < rounds; round++) {
            AtomicLong counter = new AtomicLong();
            AtomicLong calls = new AtomicLong();
            AtomicLong lastSeen = new AtomicLong();
            long total = (long) posters * postsPerRound;
            AtomicReference<EventRaw> ev = new AtomicReference<>();
            LoopThread recipient = LoopThread.start("recipient", loop -> {
                EventRaw raw = new EventRaw(() -> {
                    calls.incrementAndGet();
                    long seen = counter.get();
                    lastSeen.set(seen);
                    if (seen == total) {
                        ev.get().unregister();
                    }
                });
                raw.register();
                ev.set(raw);
            });
            List<Thread> threads = startThreads("poster", posters, i -> {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                for (int n = 0; n < postsPerRound; n++) {
                    counter.incrementAndGet();
                    ev.get().post();
                    if (random.nextInt(64) == 0) {
                        LockSupport.parkNanos(random.nextInt(50_000));
                    }
                }
            });
            joinAll(threads);
            recipient.join(5_000);
            if (recipient.isAlive()) {
                // Rescue the loop through the descriptor path so it does not linger, then fail.
                long seen = lastSeen.get();
                ForeignWrite.write(ev.get());
                recipient.join(5_000);
                throw new AssertionError("lost wake-up in round " + round + ": after all " + total
                        + " posts the last handler call saw " + seen);
            }
            recipient.finish(1, "");
            assertEquals(total, lastSeen.get(), "round " + round);
            assertTrue(calls.get() >= 1 && calls.get() <= total, calls + " calls for " + total + " posts");
        }
    }

    // Posts from many threads coalesce: never more calls than posts, at least one after the
    // last, and every poster's writes are visible to the call that follows its post.
    @OnBothBackends
    void postsFromManyThreadsCoalesceAndTheLastCallSeesEveryPostersWrites(Backend backend) throws Exception {
        use(backend);
        int posters = 8;
        int postsEach = 10_000;
        long[] written = new long[posters]; // plain writes, published by post()
        AtomicLong calls = new AtomicLong();
        AtomicInteger finished = new AtomicInteger();
        AtomicReference<String> failure = new AtomicReference<>();
        EventRaw[] ev = new EventRaw[1];
        LoopThread recipient = LoopThread.start("recipient", loop -> {
            ev[0] = new EventRaw(() -> {
                calls.incrementAndGet();
                if (finished.get() == posters) {
                    for (int i = 0; i < posters; i++) {
                        if (written[i] != postsEach) {
                            failure.compareAndSet(null, "poster " + i + " wrote " + postsEach
                                    + " before its last post, the handler saw " + written[i]);
                        }
                    }
                    ev[0].unregister();
                }
            });
            ev[0].register();
        });
        List<Thread> threads = startThreads("poster", posters, i -> {
            for (int n = 1; n <= postsEach; n++) {
                written[i] = n;
                if (n == postsEach) {
                    finished.incrementAndGet();
                }
                ev[0].post();
            }
        });
        joinAll(threads);
        recipient.finish(10_000, "every poster finished and posted after finishing");
        assertNull(failure.get());
        long total = (long) posters * postsEach;
        assertTrue(calls.get() >= 1 && calls.get() <= total, calls + " calls for " + total + " posts");
    }

    // A post to an object that is already pending, or made while the loop is busy, makes no
    // system call; a post from the loop's own thread makes none either. Counted exactly on
    // the eventfd backend, whose wake-up descriptor is never read: its counter is the number
    // of wake-up writes.
    @OnBothBackends
    void postsToAPendingObjectOrABusyLoopMakeNoSystemCall(Backend backend) throws Exception {
        use(backend);
        CountDownLatch busy = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger coalescedCalls = new AtomicInteger();
        EventRaw[] blocker = new EventRaw[1];
        EventRaw[] coalesced = new EventRaw[1];
        AtomicReference<long[]> wakeCounts = new AtomicReference<>();
        int[] wakeFd = {-1};
        LoopThread recipient = LoopThread.start("recipient", loop -> {
            blocker[0] = new EventRaw(() -> {
                busy.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                blocker[0].unregister();
            });
            coalesced[0] = new EventRaw(() -> {
                coalescedCalls.incrementAndGet();
                long before = wakeCount(wakeFd[0]);
                for (int i = 0; i < 1000; i++) {
                    coalesced[0].post(); // from the loop's own thread
                }
                wakeCounts.set(new long[] {before, wakeCount(wakeFd[0])});
                coalesced[0].unregister();
            });
            blocker[0].register();
            coalesced[0].register();
            wakeFd[0] = wakeUpDescriptor(loop, blocker[0].fd(), coalesced[0].fd());
        });
        Thread.sleep(50); // let the loop go to sleep in epoll_wait
        long atStart = wakeCount(wakeFd[0]);
        blocker[0].post(); // wakes the sleeping loop: one write
        assertTrue(busy.await(10, TimeUnit.SECONDS));
        long whileBusy = wakeCount(wakeFd[0]);
        for (int i = 0; i < 1000; i++) {
            coalesced[0].post(); // loop busy: the first queues, the rest find it pending
        }
        long afterPosts = wakeCount(wakeFd[0]);
        release.countDown();
        recipient.finish(10_000, "both objects unregister after their first call");
        assertEquals(1, coalescedCalls.get(), "1000 posts made while the loop was busy");
        if (backend == Backend.EVENTFD) {
            assertEquals(1, whileBusy - atStart, "one write wakes the sleeping loop");
            assertEquals(0, afterPosts - whileBusy, "posts while the loop is busy write nothing");
            assertEquals(0, wakeCounts.get()[1] - wakeCounts.get()[0], "posts from the loop's own thread write nothing");
        }
    }

    // The loop decides not to sleep when it finds posts from other threads already queued;
    // it must then not look asleep to the next poster, who would pay a needless write.
    @OnBothBackends
    void aLoopThatFindsPostsQueuedBeforeSleepingDoesNotLookAsleep(Backend backend) throws Exception {
        use(backend);
        CountDownLatch busy = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        EventRaw[] first = new EventRaw[1];
        EventRaw[] second = new EventRaw[1];
        int[] wakeFd = {-1};
        LoopThread recipient = LoopThread.start("recipient", loop -> {
            first[0] = new EventRaw(() -> {
                busy.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                first[0].unregister();
            });
            second[0] = new EventRaw(() -> second[0].unregister());
            first[0].register();
            second[0].register();
            wakeFd[0] = wakeUpDescriptor(loop, first[0].fd(), second[0].fd());
            // Queued from another thread before run(): run() finds it instead of sleeping.
            Thread early = new Thread(first[0]::post, "early-poster");
            early.start();
            early.join();
        });
        assertTrue(busy.await(10, TimeUnit.SECONDS));
        long before = wakeCount(wakeFd[0]);
        second[0].post(); // the loop is busy in a handler: no write
        long after = wakeCount(wakeFd[0]);
        release.countDown();
        recipient.finish(10_000, "both objects unregister after their first call");
        assertEquals(0, after - before, "a post to a busy loop wrote its wake-up descriptor");
    }

    // post() allocates nothing, on the loop's thread or another, pending or not, loop asleep
    // or busy: measured with the JVM's per-thread allocation counter, after a warm-up.
    @OnBothBackends
    void postAllocatesNothing(Backend backend) throws Exception {
        use(backend);
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        AtomicLong calls = new AtomicLong();
        AtomicBoolean done = new AtomicBoolean();
        EventRaw[] ev = new EventRaw[2];
        long[] ownThreadBytes = {-1};
        LoopThread recipient = LoopThread.start("recipient", loop -> {
            ev[0] = new EventRaw(() -> {
                calls.incrementAndGet();
                if (done.get()) {
                    // On the loop's own thread, too.
                    for (int i = 0; i < 20_000; i++) {
                        ev[0].post();
                    }
                    long before = threads.getCurrentThreadAllocatedBytes();
                    for (int i = 0; i < 100_000; i++) {
                        ev[0].post();
                    }
                    ownThreadBytes[0] = threads.getCurrentThreadAllocatedBytes() - before;
                    ev[0].unregister();
                }
            });
            ev[0].register();
        });
        long[] bytes = {-1};
        Thread poster = new Thread(() -> {
            // The first round links every path (the first wake-up write links its VarHandle
            // access modes, which allocates once); the last round is measured.
            for (int round = 0; round < 3; round++) {
                long before = threads.getCurrentThreadAllocatedBytes();
                for (int i = 0; i < 100_000; i++) {
                    ev[0].post();
                    if ((i & 1023) == 0) {
                        Thread.yield(); // let the loop go to sleep now and then, so some posts write
                    }
                }
                bytes[0] = threads.getCurrentThreadAllocatedBytes() - before;
            }
            done.set(true);
            ev[0].post();
        }, "poster");
        poster.start();
        poster.join(20_000);
        recipient.finish(10_000, "the last post, made after done, unregisters the object");
        assertTrue(calls.get() >= 1);
        assertEquals(0, bytes[0], "bytes allocated by 100,000 posts from another thread");
        assertEquals(0, ownThreadBytes[0], "bytes allocated by 100,000 posts from the loop's own thread");
    }

    /** The loop's wake-up descriptor: the one in its epoll set that no object owns. */
    private static int wakeUpDescriptor(EventLoop loop, int... objectFds) {
        for (String line : Descriptors.info(LoopPeek.epollFd(loop)).split("\n")) {
            String[] words = line.trim().split("\\s+");
            if (words.length >= 2 && words[0].equals("tfd:")) {
                int fd = Integer.parseInt(words[1]);
                boolean object = false;
                for (int o : objectFds) {
                    object |= o == fd;
                }
                if (!object && !Descriptors.target(fd).startsWith("pipe:")) {
                    return fd;
                }
            }
        }
        return -1; // the pipe backend: its wake-up pipe is drained, so writes cannot be counted
    }

    /** The counter of an eventfd, from /proc/self/fdinfo (0 when fd is -1). */
    private static long wakeCount(int fd) {
        if (fd < 0) {
            return 0;
        }
        for (String line : Descriptors.info(fd).split("\n")) {
            if (line.startsWith("eventfd-count:")) {
                return Long.parseLong(line.substring("eventfd-count:".length()).trim(), 16);
            }
        }
        throw new AssertionError("no eventfd-count in fdinfo of " + fd);
    }

    // A post racing unregister() or close() on the loop thread never writes to a closed
    // descriptor. Posters post in a tight loop while the loop thread unregisters, registers
    // again and closes whole loops, and at once opens sentinel eventfds and pipes, which take
    // the descriptor numbers just freed: not one byte may ever reach a sentinel.
    @OnBothBackends
    void postRacingUnregisterOrCloseNeverWritesToAClosedDescriptor(Backend backend) throws Exception {
        use(backend);
        Map<Integer, String> fdsBefore = Descriptors.libraryKinds();
        AtomicReference<EventRaw[]> targets = new AtomicReference<>(new EventRaw[0]);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong posts = new AtomicLong();
        List<long[]> sentinels = new ArrayList<>(); // {kind (0 eventfd, 1 pipe), read fd, write fd}
        List<Thread> posters = startThreads("poster", 3, i -> {
            long n = 0;
            while (!stop.get()) {
                for (EventRaw ev : targets.get()) {
                    ev.post();
                    n++;
                }
                if (n % 64 == 0) {
                    Thread.onSpinWait();
                }
            }
            posts.addAndGet(n);
        });
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread loopThread = new Thread(() -> {
            try {
                for (int loopRound = 0; loopRound < 30; loopRound++) {
                    EventLoop loop = EventLoop.open();
                    EventRaw[] events = new EventRaw[4];
                    AtomicInteger cycles = new AtomicInteger();
                    for (int i = 0; i < events.length; i++) {
                        int index = i;
                        events[i] = new EventRaw(() -> {
                            // Unregister, let the kernel reuse the numbers, register again.
                            events[index].unregister();
                            openSentinels(sentinels);
                            events[index].register();
                            if (cycles.incrementAndGet() >= 40) {
                                loop.quit();
                            }
                        });
                        events[i].register();
                    }
                    targets.set(events);
                    loop.run();
                    // Close with objects registered while posters still post, then take the
                    // numbers of the wake-up and epoll descriptors.
                    loop.close();
                    openSentinels(sentinels);
                    // Sleep now and then so posters find the next loop asleep and write its wake-up descriptor.
                    LockSupport.parkNanos(200_000);
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "recipient");
        loopThread.start();
        loopThread.join(30_000);
        stop.set(true);
        joinAll(posters);
        assertTrue(!loopThread.isAlive(), "the loop thread did not finish");
        assertNull(failure.get());
        assertTrue(posts.get() > 0);
        int stray = 0;
        for (long[] s : sentinels) {
            if (s[0] == 0) {
                long rc = Native.eventfdDrain((int) s[1]);
                if (rc != -Linux.EAGAIN) {
                    stray++;
                }
            } else {
                int rc = Native.pipeDrain((int) s[1]);
                if (rc != -Linux.EAGAIN) {
                    stray++;
                }
                Native.close((int) s[2]);
            }
            Native.close((int) s[1]);
        }
        assertEquals(0, stray, "sentinels that received a stray write, of " + sentinels.size()
                + " (" + posts.get() + " posts raced unregister and close)");
        Descriptors.assertNoneLeaked(fdsBefore, "30 loops of register/unregister/close under posts");
    }

    /** Opens an eventfd and a pipe on the numbers just freed; they must stay empty. */
    private static void openSentinels(List<long[]> sentinels) {
        int efd = Native.eventfd();
        assertTrue(efd >= 0, "eventfd: " + efd);
        long ends = Native.pipe();
        assertTrue(ends >= 0, "pipe: " + ends);
        synchronized (sentinels) {
            sentinels.add(new long[] {0, efd, efd});
            sentinels.add(new long[] {1, ends >>> 32, (int) ends});
        }
    }
}
