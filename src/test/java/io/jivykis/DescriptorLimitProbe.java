package io.jivykis;

import io.jivykis.internal.Errors;
import io.jivykis.internal.Linux;
import io.jivykis.internal.Native;
import io.jivykis.testing.Descriptors;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A child JVM's main, run under a low RLIMIT_NOFILE: registers objects of the backend named by
 * args[0] until the kernel refuses a descriptor, and opens a loop at the limit, printing what
 * happened as "key: value" lines for {@link RegisterAtDescriptorLimitTest} to check.
 */
public final class DescriptorLimitProbe {
    private DescriptorLimitProbe() {}

    public static void main(String[] args) throws Exception {
        System.setProperty("jivykis.backend", args[0]);
        // Load everything the run needs while descriptors are plentiful: the class path is a
        // directory, and loading a class at the limit would fail for want of a descriptor.
        EventLoop.open().close();
        Errors.describe(Linux.EMFILE);
        new AtomicReference<>(new UncheckedIOException(new java.io.IOException("warm-up")));
        Map<Integer, String> baseline = Descriptors.libraryKinds();

        EventLoop loop = EventLoop.open();
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
        System.out.println("attached: " + loop.core().attachedCount());

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

        // Freed descriptors can be used again; then everything goes back. Free a few more
        // first: at the limit the JVM itself may take a descriptor that just became free.
        for (int i = 0; i < 4; i++) {
            registered.remove(registered.size() - 1).unregister();
        }
        EventRaw again = new EventRaw(() -> {});
        again.register();
        System.out.println("register-after-freeing: " + again.backend());
        again.unregister();
        for (EventRaw ev : registered) {
            ev.unregister();
        }
        loop.close();
        System.out.println("leaked: " + (Descriptors.libraryKinds().equals(baseline) ? "nothing" : Descriptors.libraryKinds()
                + " vs " + baseline));
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
