package io.jivykis.children;

import io.jivykis.EventLoop;

/**
 * A child JVM's main for the loader tests: opens a loop (which loads the native library) and
 * prints "loaded" or "failure: <class>: <message>".
 */
public final class LoaderProbe {
    private LoaderProbe() {}

    public static void main(String[] args) {
        try {
            EventLoop.open().close();
            System.out.println("loaded");
        } catch (Throwable t) {
            System.out.println("failure: " + t.getClass().getName() + ": " + t.getMessage());
        }
    }
}
