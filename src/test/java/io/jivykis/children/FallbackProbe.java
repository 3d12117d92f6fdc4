package io.jivykis.children;

import io.jivykis.EventLoop;
import io.jivykis.EventRaw;
import io.jivykis.testing.Descriptors;

import io.jivykis.testing.Descriptors;
import io.jivykis.testing.OneShotEvent;

/**
 * A child JVM's main, run where the kernel refuses eventfd(2): asks for the eventfd backend,
 * registers an object, posts it from another thread, and prints the backend it got and
 * whether the handler ran.
 */
public final class FallbackProbe {
    private FallbackProbe() {}

    public static void main(String[] args) throws Exception {
        try (EventLoop loop = EventLoop.open()) {
            OneShotEvent oneShot = new OneShotEvent();
            EventRaw ev = oneShot.event;
            ev.register();
            System.out.println("backend: " + ev.backend());
            System.out.println("fd-kind: " + Descriptors.target(ev.fd()).replaceAll("\\[\\d+\\]", "[]"));
            Thread poster = new Thread(ev::post, "poster");
            poster.start();
            poster.join();
            loop.run();
            System.out.println("handler-calls: " + oneShot.calls());
        } catch (Throwable t) {
            System.out.println("failure: " + t);
        }
    }
}
