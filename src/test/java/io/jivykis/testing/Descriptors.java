package io.jivykis.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.jivykis.EventLoop;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Paths;
import java.util.Map;
import java.util.TreeMap;

/**
 * What /proc/self/fd says: which descriptors this process holds and what each refers to.
 *
 * <p>Every count and snapshot here leaves out the descriptor the listing itself opens, so a
 * count taken before and one taken after a body of code compare like with like.
 */
public final class Descriptors {
    private Descriptors() {}

    /** Every open descriptor and what it refers to ("anon_inode:[eventfd]", "pipe:[123]", a path). */
    public static Map<Integer, String> snapshot() {
        // The directory descriptor of the listing is closed once list() returns, so reading
        // the links afterwards drops it (or finds whatever took its number since, which is open).
        String[] names = new File("/proc/self/fd").list();
        if (names == null) {
            throw new IllegalStateException("/proc/self/fd cannot be listed");
        }
        Map<Integer, String> fds = new TreeMap<>();
        for (String name : names) {
            int fd = Integer.parseInt(name);
            String target = target(fd);
            if (target != null) {
                fds.put(fd, target);
            }
        }
        return fds;
    }

    /** How many descriptors this process has open. */
    public static int count() {
        return snapshot().size();
    }

    /** What descriptor {@code fd} refers to, or null if it is not open. */
    public static String target(int fd) {
        try {
            return Files.readSymbolicLink(Paths.get("/proc/self/fd/" + fd)).toString();
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The fdinfo text of descriptor {@code fd} (for an epoll descriptor: one "tfd:" line per watched descriptor). */
    public static String info(int fd) {
        try {
            return Files.readString(Paths.get("/proc/self/fdinfo/" + fd));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The descriptors of the kinds the library creates: eventfds, epoll instances and pipes.
     * The JVM opens files and sockets lazily on its own (the first SecureRandom, class path
     * jars), which would make a plain count flaky; it does not open these kinds and keep them.
     */
    public static Map<Integer, String> libraryKinds() {
        Map<Integer, String> fds = snapshot();
        fds.values().removeIf(t -> !(t.startsWith("anon_inode:[eventfd]") || t.startsWith("anon_inode:[eventpoll]")
                || t.startsWith("pipe:[")));
        return fds;
    }

    /** Fails, listing the difference, unless the library's kinds of descriptors are as in {@code before}. */
    public static void assertNoneLeaked(Map<Integer, String> before, String after) {
        Map<Integer, String> now = libraryKinds();
        if (!now.equals(before)) {
            fail("descriptors differ after " + after + ": left open " + minus(now, before) + ", closed "
                    + minus(before, now) + " (count before " + before.size() + ", after " + now.size() + ")");
        }
    }

    /**
     * Fails unless every descriptor of the library's kinds open now was already open at
     * {@code before}. Descriptors closed meanwhile are not a leak: the JVM's cleaner may close
     * another test's process pipes at any moment.
     */
    public static void assertNoneOpenedSince(Map<Integer, String> before) {
        Map<Integer, String> opened = minus(libraryKinds(), before);
        assertTrue(opened.isEmpty(), "descriptors left open: " + opened);
    }

    private static Map<Integer, String> minus(Map<Integer, String> these, Map<Integer, String> those) {
        Map<Integer, String> rest = new TreeMap<>(these);
        rest.entrySet().removeAll(those.entrySet());
        return rest;
    }

    /**
     * The descriptor count once the library is loaded and a loop has been opened and closed,
     * so that what the JVM keeps open for good (the library, class files) is in the baseline.
     */
    public static int baseline() {
        Thread warm = new Thread(() -> EventLoop.open().close(), "descriptor-baseline");
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
    public static int settledCount(int baseline) {
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
}
