package io.jivykis;

import static io.jivykis.LoopObjectsSupport.assertNoDescriptorLeak;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** EventLoop.executor(): Runnables from any thread, run on the loop thread in submission order. */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ExecutorTest {
    @Test
    void aMillionTasksFromFourThreadsAllRunInPerThreadOrder() throws Exception {
        assertNoDescriptorLeak(() -> {
            int threads = 4;
            int perThread = 250_000;
            int[] nextExpected = new int[threads];
            int[] ran = new int[1];
            List<String> disorder = new ArrayList<>();
            Thread loopThread = Thread.currentThread();
            boolean[] offThread = new boolean[1];
            try (EventLoop loop = EventLoop.open()) {
                Executor executor = loop.executor();
                // The executor alone does not keep run() going while its queue is empty for a
                // moment; this event does, until the last task unregisters it.
                Event keepAlive = new Event(() -> { });
                keepAlive.register();
                List<Thread> submitters = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int thread = t;
                    submitters.add(new Thread(() -> {
                        for (int i = 0; i < perThread; i++) {
                            int sequence = i;
                            executor.execute(() -> {
                                if (Thread.currentThread() != loopThread) {
                                    offThread[0] = true;
                                }
                                if (nextExpected[thread] != sequence && disorder.size() < 10) {
                                    disorder.add("thread " + thread + ": expected " + nextExpected[thread] + ", ran " + sequence);
                                }
                                nextExpected[thread] = sequence + 1;
                                if (++ran[0] == threads * perThread) {
                                    keepAlive.unregister();
                                }
                            });
                        }
                    }, "submitter-" + t));
                }
                long start = System.nanoTime();
                submitters.forEach(Thread::start);
                loop.run();
                long elapsed = System.nanoTime() - start;
                for (Thread submitter : submitters) {
                    submitter.join();
                }
                System.out.printf("executor: %,d tasks from %d threads in %.1f ms%n", ran[0], threads, elapsed / 1e6);
            }
            assertEquals(List.of(), disorder);
            assertEquals(threads * perThread, ran[0]);
            assertEquals(false, offThread[0], "every task ran on the loop thread");
        });
    }

    @Test
    void queuedTasksKeepRunGoingButAnIdleExecutorDoesNot() throws Exception {
        List<String> ran = new ArrayList<>();
        try (EventLoop loop = EventLoop.open()) {
            loop.run(); // nothing registered, nothing queued: returns at once
            loop.executor().execute(() -> {
                ran.add("first");
                loop.executor().execute(() -> ran.add("submitted by a task"));
            });
            loop.run(); // nothing registered, but work queued: runs it, then returns
        }
        assertEquals(List.of("first", "submitted by a task"), ran);
    }

    @Test
    void aTaskSubmittedFromAnotherThreadWakesASleepingLoop() throws Exception {
        AtomicReference<Thread> ranOn = new AtomicReference<>();
        try (EventLoop loop = EventLoop.open()) {
            Event keepAlive = new Event(() -> { });
            keepAlive.register();
            Executor executor = loop.executor();
            Thread submitter = new Thread(() -> {
                try {
                    Thread.sleep(20); // let the loop block first
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                executor.execute(() -> {
                    ranOn.set(Thread.currentThread());
                    keepAlive.unregister();
                });
            });
            submitter.start();
            loop.run();
            submitter.join();
        }
        assertSame(Thread.currentThread(), ranOn.get());
    }

    @Test
    void aThrowingTaskLeavesTheRestQueued() throws Exception {
        List<String> ran = new ArrayList<>();
        try (EventLoop loop = EventLoop.open()) {
            loop.executor().execute(() -> {
                throw new IllegalStateException("task failure");
            });
            loop.executor().execute(() -> ran.add("after the failure"));
            IllegalStateException e = assertThrows(IllegalStateException.class, loop::run);
            assertEquals("task failure", e.getMessage());
            loop.run();
        }
        assertEquals(List.of("after the failure"), ran);
    }

    @Test
    void aClosedLoopRejectsTasks() throws Exception {
        List<String> ran = new ArrayList<>();
        Executor executor;
        try (EventLoop loop = EventLoop.open()) {
            executor = loop.executor();
            executor.execute(() -> ran.add("discarded at close"));
        }
        RejectedExecutionException e = assertThrows(RejectedExecutionException.class, () -> executor.execute(() -> { }));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
        assertEquals(List.of(), ran);
    }
}
