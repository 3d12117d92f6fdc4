package io.jivykis.reliability;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** What /proc/self/fd says: how many descriptors this process holds, and what they are. */
final class Descriptors {
    private Descriptors() {}

    /** The number of open descriptors (the listing itself opens one, which is not counted). */
    static int count() {
        String[] names = new File("/proc/self/fd").list();
        return names == null ? -1 : names.length - 1;
    }

    /**
     * The descriptor count once the library is loaded and a loop has been opened and closed,
     * so that what the JVM keeps open for good (the library, class files) is in the baseline.
     */
    static int baseline() {
        Thread warm = new Thread(() -> io.jivykis.EventLoop.open().close(), "descriptor-baseline");
        warm.start();
        try {
            warm.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return count();
    }

    /**
     * The descriptor count, polled for up to two seconds until it is back to {@code baseline}
     * or below: descriptors that other parts of the JVM close asynchronously (a child's
     * standard streams once the process reaper notices its exit) settle; a real leak stays and
     * is returned. Below the baseline is no leak: a collection may have closed what an earlier
     * test dropped.
     */
    static int settledCount(int baseline) {
        int n = count();
        for (int i = 0; i < 100 && n > baseline; i++) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            n = count();
        }
        return n;
    }

    /** Descriptor number to link target, for failure messages. */
    static Map<Integer, String> snapshot() {
        Map<Integer, String> map = new TreeMap<>();
        try (Stream<Path> fds = Files.list(Paths.get("/proc/self/fd"))) {
            fds.forEach(p -> {
                try {
                    map.put(Integer.parseInt(p.getFileName().toString()), Files.readSymbolicLink(p).toString());
                } catch (IOException | RuntimeException e) {
                    // The listing's own descriptor is gone by the time it is read.
                }
            });
        } catch (IOException e) {
            throw new IllegalStateException("cannot list /proc/self/fd", e);
        }
        return map;
    }
}
