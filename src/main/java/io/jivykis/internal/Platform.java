package io.jivykis.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Locale;

/**
 * Which of the jar's native libraries fits this JVM: the operating system and processor it
 * reports, and the C library it runs on.
 */
final class Platform {
    private Platform() {}

    /**
     * The jar's directory name for this JVM's platform ({@code linux-x86_64} or
     * {@code linux-aarch64}), read from {@code os.name} and {@code os.arch}.
     *
     * @throws UnsupportedOperationException naming what the JVM reports, on any other platform
     */
    static String current() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        String cpu = null;
        if (arch.equals("amd64") || arch.equals("x86_64")) {
            cpu = "x86_64";
        } else if (arch.equals("aarch64") || arch.equals("arm64")) {
            cpu = "aarch64";
        }
        if (!os.startsWith("linux") || cpu == null) {
            throw new UnsupportedOperationException("jivykis supports Linux on x86_64 and aarch64"
                    + " (it needs epoll and eventfd); this JVM reports os.name=" + System.getProperty("os.name")
                    + " os.arch=" + System.getProperty("os.arch"));
        }
        return "linux-" + cpu;
    }

    /**
     * The musl dynamic loader this process runs with (for instance {@code /lib/ld-musl-x86_64.so.1}
     * on Alpine), or null on glibc. Read from the process's own mappings, which name the C
     * library actually in use, unlike a file that merely exists on disk.
     */
    static String muslLoader() {
        try {
            return muslLoaderIn(Files.readString(Paths.get("/proc/self/maps"), StandardCharsets.ISO_8859_1));
        } catch (IOException | RuntimeException e) {
            // No /proc: nothing to add to the account of the failure.
            return null;
        }
    }

    /** The musl loader named in the text of a {@code /proc/PID/maps} file, or null. */
    static String muslLoaderIn(String maps) {
        for (String line : maps.split("\n")) {
            int slash = line.indexOf('/');
            if (slash < 0) {
                continue;
            }
            String path = line.substring(slash).trim();
            String name = Path.of(path).getFileName().toString();
            if (name.startsWith("ld-musl-") || name.startsWith("libc.musl-")) {
                return path;
            }
        }
        return null;
    }
}
