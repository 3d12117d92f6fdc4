package io.jivykis;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A thread that opens its own loop, sets objects up on it, runs it until it returns, and
 * closes it. Tests post to its objects from elsewhere and then wait for it to finish.
 */
final class LoopThread extends Thread {
    /** What the thread does on its loop before running it. */
    interface Setup {
        void on(EventLoop loop) throws Exception;
    }

    private final Setup setup;
    private final CountDownLatch ready = new CountDownLatch(1);
    private volatile Throwable failure;
    private volatile boolean runReturned;

    private LoopThread(String name, Setup setup) {
        super(name);
        this.setup = setup;
        setDaemon(true); // a test that fails must not keep the JVM alive
    }

    /** Starts the thread and waits until its objects are registered and it is about to run. */
    static LoopThread start(String name, Setup setup) throws InterruptedException {
        LoopThread thread = new LoopThread(name, setup);
        thread.start();
        assertTrue(thread.ready.await(10, TimeUnit.SECONDS), "loop thread did not get ready");
        thread.rethrow();
        return thread;
    }

    @Override
    public void run() {
        try (EventLoop loop = EventLoop.open()) {
            setup.on(loop);
            ready.countDown();
            loop.run();
            runReturned = true;
        } catch (Throwable t) {
            failure = t;
        } finally {
            ready.countDown();
        }
    }

    /** Whether run() has returned. */
    boolean runReturned() {
        return runReturned;
    }

    /** Waits for run() to return and the loop to close; fails if it does not, or if the thread threw. */
    void finish(long timeoutMillis, String whatShouldHaveHappened) throws InterruptedException {
        join(timeoutMillis);
        rethrow();
        if (isAlive()) {
            fail("the loop of thread \"" + getName() + "\" is still running after " + timeoutMillis
                    + " ms: " + whatShouldHaveHappened);
        }
    }

    private void rethrow() {
        Throwable t = failure;
        if (t != null) {
            throw new AssertionError("loop thread \"" + getName() + "\" failed: " + t, t);
        }
    }
}
