package io.jivykis.tools.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How many descriptors this process may open: the soft RLIMIT_NOFILE, read from
 * {@code /proc/self/limits}. HotSpot raises the soft limit to the hard one when it starts
 * (-XX:+MaxFDLimit, the default), so this is as far as an unprivileged process can go.
 */
final class DescriptorLimit {
    private static final String LINE = "Max open files";

    private DescriptorLimit() {}

    /** The soft limit, {@link Long#MAX_VALUE} when unlimited. */
    static long soft() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
                if (line.startsWith(LINE)) {
                    // "Max open files   <soft>   <hard>   files"
                    String soft = line.substring(LINE.length()).trim().split("\\s+")[0];
                    return soft.equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(soft);
                }
            }
            throw new IllegalStateException("/proc/self/limits has no \"" + LINE + "\" line");
        } catch (IOException e) {
            throw new UncheckedIOException("reading /proc/self/limits failed", e);
        }
    }
}
