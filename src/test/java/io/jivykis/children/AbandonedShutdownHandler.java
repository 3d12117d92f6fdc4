package io.jivykis.children;

import io.jivykis.EventLoop;
import io.jivykis.SignalHandler;
import io.jivykis.Signals;

/**
 * A child JVM's main: a thread registers a SIGTERM handler and ends without closing its loop.
 * Prints "ended" once that thread has ended, then idles (allocating nothing, so no garbage
 * collection comes to run the loop's Cleaner). A shutdown hook prints "hook ran": SIGTERM
 * must reach the JVM again within a second.
 */
public final class AbandonedShutdownHandler {
    private AbandonedShutdownHandler() {}

    public static void main(String[] args) throws Exception {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.println("hook ran")));
        Thread careless = new Thread(() -> {
            EventLoop.open();
            new SignalHandler(Signals.SIGTERM, () -> System.out.println("jivykis handler ran")).register();
        }, "careless");
        careless.start();
        careless.join();
        System.out.println("ended");
        System.out.flush();
        Thread.sleep(60_000);
        System.out.println("still running");
    }
}
