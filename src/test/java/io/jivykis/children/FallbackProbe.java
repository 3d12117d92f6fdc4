package io.jivykis.children;

import io.jivykis.EventLoop;
import io.jivykis.EventRaw;
import io.jivykis.testing.Descriptors;

import io.jivykis.testing.Descriptors;

/**
 * A child JVM's main, run where the kernel refuses eventfd(2): asks for the eventfd backend,
 * registers an object, posts it from another thread, and prints the backend it got and
 * whether the handler ran.
 */
public final class FallbackProbe {
    private FallbackProbe() {}

    public static void main(String[] args) throws Exception {
        try (EventLoop loop = EventLoop.open()) {
            int[] calls = {0};
            EventRaw[] ev = new EventRaw[1];
            ev[0] = new EventRaw(() -> {
                calls[0]++;
                ev[0].unregister();
            });
            ev[0].register();
            System.out.println("backend: " + ev[0].backend());
            System.out.println("fd-kind: " + Descriptors.target(ev[0].fd()).replaceAll("\\[\\d+\\]", "[]"));
            Thread poster = new Thread(ev[0]::post, "poster");
            poster.start();
            poster.join();
            loop.run();
            System.out.println("handler-calls: " + calls[0]);
        } catch (Throwable t) {
            System.out.println("failure: " + t);
        }
    }
}
