package io.jivykis.children;

import io.jivykis.EventLoop;
import io.jivykis.EventRaw;
import io.jivykis.internal.Errors;
import io.jivykis.internal.EventDescriptor;
import io.jivykis.internal.Linux;
import io.jivykis.internal.Native;
import io.jivykis.testing.Descriptors;
import io.jivykis.testing.OneShotEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A child JVM's main, run under a low RLIMIT_NOFILE: {@code DescriptorLimitProbe BACKEND}
 * (eventfd or pipe). Registers objects until the kernel refuses a descriptor, opens loops at
 * the limit, then frees descriptors and checks that registering, dispatching and the
 * descriptor counts are back to normal. Prints what happened as "key: value" lines for
 * {@code EmfileTest} to check.
 */
public final class DescriptorLimitProbe {
    private DescriptorLimitProbe() {}

    public static void main(String[] args) throws Exception {
        System.setProperty(EventDescriptor.BACKEND_PROPERTY, args[0]);
        int baseline = Descriptors.baseline();
        // Load everything the run needs while descriptors are plentiful: the class path is a
        // directory, and loading a class at the limit would fail for want of a descriptor.
        EventLoop.open().close();
        Errors.describe(Linux.EMFILE);
        Errors.failure("warm-up", Linux.EMFILE).getMessage();
        new AtomicReference<>(new UncheckedIOException(new IOException("warm-up"))).toString();
        Map<Integer, String> libraryBaseline = Descriptors.libraryKinds();

        EventLoop loop = EventLoop.open();
        System.out.println("descriptors-at-open: " + Descriptors.count());
        List<EventRaw> registered = new ArrayList<>();
        UncheckedIOException refused = null;
        EventRaw last = null;
        for (int i = 0; i < 100_000 && refused == null; i++) {
            last = new EventRaw(() -> {});
            try {
                last.register();
                registered.add(last);
            } catch (UncheckedIOException e) {
                refused = e;
            }
        }
        System.out.println("registered: " + registered.size());
        System.out.println("register-failure: " + (refused == null ? "none" : refused.getMessage()));
        System.out.println("half-registered: " + last.isRegistered() + " fd=" + last.fd());

        // At the limit, a thread cannot open a loop either: with no descriptor free, epoll
        // fails; with one free, epoll succeeds and the wake-up descriptor fails, and the epoll
        // descriptor must be closed again. (A failed pipe2 may have left one free: fill it.)
        registered.remove(registered.size() - 1).unregister(); // so at least one filler is had
        List<Integer> fillers = new ArrayList<>();
        for (int fd = Native.eventfd(); fd >= 0; fd = Native.eventfd()) {
            fillers.add(fd);
        }
        System.out.println("open-with-none-free: " + openLoopOnAnotherThread());
        Native.close(fillers.remove(fillers.size() - 1));
        System.out.println("open-with-one-free: " + openLoopOnAnotherThread());
        int probe = Native.eventfd();
        int second = Native.eventfd();
        System.out.println("free-after-failed-open: " + (probe >= 0 ? 1 : 0) + (second >= 0 ? " more" : ""));
        Native.close(probe);
        if (second >= 0) {
            Native.close(second);
        }
        for (int fd : fillers) {
            Native.close(fd);
        }

        // Freed descriptors can be used again. Free a few more first: at the limit the JVM
        // itself may take a descriptor that just became free.
        for (int i = 0; i < 4; i++) {
            registered.remove(registered.size() - 1).unregister();
        }
        EventRaw again = new EventRaw(() -> {});
        again.register();
        System.out.println("register-after-freeing: " + again.backend());
        registered.add(again);

        // The loop still dispatches: a post from another thread runs its handler once, which
        // unregisters the last object, so run() returns (it would wait for ever if a refused
        // register had left something half-registered in the loop).
        OneShotEvent posted = new OneShotEvent();
        posted.event.register();
        Thread poster = new Thread(posted.event::post, "poster");
        poster.start();
        for (EventRaw ev : registered) {
            ev.unregister();
        }
        loop.run();
        poster.join();
        System.out.println("handler-calls-after-the-limit: " + posted.calls());
        System.out.println("descriptors-after-unregistering: " + Descriptors.count());

        loop.close();
        System.out.println("leaked: " + (Descriptors.libraryKinds().equals(libraryBaseline) ? "nothing"
                : Descriptors.libraryKinds() + " vs " + libraryBaseline));
        System.out.println("descriptors-baseline: " + baseline);
        System.out.println("descriptors-after-close: " + Descriptors.settledCount(baseline));
    }

    private static String openLoopOnAnotherThread() throws InterruptedException {
        AtomicReference<String> result = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                EventLoop.open().close();
                result.set("opened");
            } catch (UncheckedIOException e) {
                result.set(e.getMessage() + " isOpen=" + EventLoop.isOpen());
            } catch (Throwable e) {
                result.set("unexpected " + e);
            }
        }, "opener");
        t.start();
        t.join();
        return result.get();
    }
}
