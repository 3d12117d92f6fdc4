package io.jivykis.reliability;

import io.jivykis.EventLoop;
import io.jivykis.EventRaw;
import io.jivykis.internal.Errors;
import io.jivykis.internal.EventDescriptor;
import io.jivykis.testing.Descriptors;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A child-JVM program run under a low RLIMIT_NOFILE: registers events until the kernel
 * refuses a descriptor, then checks that the refusal is a clear exception, that nothing
 * leaked, that the loop still works, and that a loop cannot be opened at the limit either.
 * Prints "emfile ..." lines and "emfile ok" at the end; exits 1 on any failed check.
 *
 * <p>Argument: the backend (eventfd or pipe).
 */
public final class EmfileProbe {
    private EmfileProbe() {}

    public static void main(String[] args) throws Exception {
        System.setProperty(EventDescriptor.BACKEND_PROPERTY, args[0]);
        int baseline = Descriptors.baseline();
        // Load what the failure path needs now: at the limit, loading a class from a directory
        // of the class path needs a descriptor too.
        Errors.failure("warm-up", 24).getMessage();
        String.valueOf(new UncheckedIOException(new java.io.IOException("x")));
        List<EventRaw> events = new ArrayList<>();
        EventLoop loop = EventLoop.open();
        int atOpen = Descriptors.count();
        String refusal = null;
        try {
            for (int i = 0; i < 100_000; i++) {
                EventRaw ev = new EventRaw(() -> { });
                ev.register();
                events.add(ev);
            }
        } catch (UncheckedIOException e) {
            refusal = e.getMessage();
        }
        check(refusal != null, "the kernel never refused a descriptor");
        System.out.println("emfile refused after " + events.size() + " registrations: " + refusal);
        check(refusal.contains("Too many open files") && refusal.contains("errno 24"),
                "the refusal does not say EMFILE: " + refusal);
        check(refusal.contains(args[0].equals("pipe") ? "pipe2" : "eventfd"), "the refusal does not name the call: " + refusal);

        // At the limit, opening another loop fails cleanly on another thread.
        String[] openRefusal = new String[1];
        Thread other = new Thread(() -> {
            try {
                EventLoop.open().close();
                openRefusal[0] = "opened";
            } catch (UncheckedIOException e) {
                openRefusal[0] = e.getMessage();
            }
        });
        other.start();
        other.join();
        System.out.println("emfile EventLoop.open at the limit: " + openRefusal[0]);
        check(openRefusal[0] != null && openRefusal[0].contains("Too many open files"),
                "EventLoop.open at the limit did not fail with EMFILE: " + openRefusal[0]);

        // One unregister frees room for exactly one more registration, and it works.
        events.remove(events.size() - 1).unregister();
        EventRaw again = new EventRaw(() -> { });
        again.register();
        events.add(again);
        int[] calls = {0};
        EventRaw[] probe = new EventRaw[1];
        probe[0] = new EventRaw(() -> {
            calls[0]++;
            probe[0].unregister();
        });
        events.remove(events.size() - 1).unregister();
        probe[0].register();
        Thread poster = new Thread(probe[0]::post);
        poster.start();
        for (EventRaw ev : events) {
            ev.unregister();
        }
        loop.run();
        poster.join();
        check(calls[0] == 1, "the loop did not dispatch after the refusal");
        check(Descriptors.count() == atOpen, "descriptors after unregistering everything: " + Descriptors.count()
                + ", expected " + atOpen);
        loop.close();
        int after = Descriptors.settledCount(baseline);
        System.out.println("emfile descriptors baseline=" + baseline + " after=" + after);
        check(after == baseline, "descriptors leaked: " + Descriptors.snapshot());
        System.out.println("emfile ok");
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            System.out.println("emfile FAILED: " + message);
            System.exit(1);
        }
    }
}
