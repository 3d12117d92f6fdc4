package io.jivykis;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import java.util.TreeMap;

/** The process's open descriptors, read from /proc/self. */
final class Fds {
    private Fds() {}

    /** Every open descriptor and what it refers to ("anon_inode:[eventfd]", "pipe:[123]", a path). */
    static Map<Integer, String> snapshot() {
        Map<Integer, String> fds = new TreeMap<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(Paths.get("/proc/self/fd"))) {
            for (Path entry : dir) {
                String target = target(Integer.parseInt(entry.getFileName().toString()));
                if (target != null) { // null: the listing's own descriptor, closed since
                    fds.put(Integer.parseInt(entry.getFileName().toString()), target);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return fds;
    }

    /** How many descriptors this process has open. */
    static int count() {
        return snapshot().size();
    }

    /**
     * The descriptors of the kinds the library creates: eventfds, epoll instances and pipes.
     * The JVM opens files and sockets lazily on its own (the first SecureRandom, class path
     * jars), which would make a plain count flaky; it does not open these kinds and keep them.
     */
    static Map<Integer, String> libraryKinds() {
        Map<Integer, String> fds = snapshot();
        fds.values().removeIf(t -> !(t.startsWith("anon_inode:[eventfd]") || t.startsWith("anon_inode:[eventpoll]")
                || t.startsWith("pipe:[")));
        return fds;
    }

    /** Fails, listing the difference, unless the library's kinds of descriptors are as in {@code before}. */
    static void assertNoneLeaked(Map<Integer, String> before, String after) {
        Map<Integer, String> now = libraryKinds();
        if (!now.equals(before)) {
            Map<Integer, String> opened = new TreeMap<>(now);
            opened.entrySet().removeAll(before.entrySet());
            Map<Integer, String> closed = new TreeMap<>(before);
            closed.entrySet().removeAll(now.entrySet());
            fail("descriptors differ after " + after + ": left open " + opened + ", closed " + closed
                    + " (count before " + before.size() + ", after " + now.size() + ")");
        }
    }

    /** What descriptor {@code fd} refers to, or null if it is not open. */
    static String target(int fd) {
        try {
            return Files.readSymbolicLink(Paths.get("/proc/self/fd/" + fd)).toString();
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The fdinfo text of descriptor {@code fd} (for an epoll descriptor: one "tfd:" line per watched descriptor). */
    static String info(int fd) {
        try {
            return Files.readString(Paths.get("/proc/self/fdinfo/" + fd));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
