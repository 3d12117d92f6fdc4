package io.jivykis.internal;

import io.jivykis.Backend;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Paths;
import java.util.List;

/**
 * What a descriptor number of this process really is, read from /proc/self/fd (the kind)
 * and /proc/self/fdinfo (the access mode). Used before writing to a descriptor that came
 * from outside (an environment variable, a socket), so that a wrong or stale number never
 * makes jivykis write to someone else's file.
 */
public final class DescriptorKind {
    private static final String EVENTFD_LINK = "anon_inode:[eventfd]";
    private static final String PIPE_LINK_PREFIX = "pipe:[";
    /** O_ACCMODE and O_RDONLY, as fixed by the Linux ABI. */
    private static final int O_ACCMODE = 3;
    private static final int O_RDONLY = 0;

    private DescriptorKind() {}

    /**
     * Checks that {@code fd} is open for writing and is an eventfd or a pipe; returns which.
     *
     * @param expected the announced backend, or null to accept either
     * @param origin where the number came from, for messages ("JIVYKIS_FD_WAKE=eventfd:3")
     * @throws IllegalStateException saying precisely what the descriptor is instead
     */
    public static Backend checkWritable(int fd, Backend expected, String origin) {
        String target;
        try {
            target = Files.readSymbolicLink(Paths.get("/proc/self/fd/" + fd)).toString();
        } catch (NoSuchFileException e) {
            throw new IllegalStateException(origin + ": descriptor " + fd + " is not open in this process"
                    + " (was the process started without it, or has it been closed?)");
        } catch (IOException | UnsupportedOperationException e) {
            throw new IllegalStateException(origin + ": cannot check descriptor " + fd
                    + " because /proc/self/fd is not readable: " + e);
        }
        Backend actual;
        if (target.equals(EVENTFD_LINK)) {
            actual = Backend.EVENTFD;
        } else if (target.startsWith(PIPE_LINK_PREFIX)) {
            actual = Backend.PIPE;
        } else {
            throw new IllegalStateException(origin + ": descriptor " + fd + " is " + target
                    + ", not an eventfd or a pipe: the variable does not describe this process's descriptors");
        }
        if (expected != null && expected != actual) {
            throw new IllegalStateException(origin + ": descriptor " + fd + " is " + describe(actual)
                    + ", but it is announced as " + describe(expected));
        }
        if ((accessFlags(fd, origin) & O_ACCMODE) == O_RDONLY) {
            throw new IllegalStateException(origin + ": descriptor " + fd + " is "
                    + (actual == Backend.PIPE ? "the read end of a pipe" : "open read-only")
                    + "; posting needs the write end");
        }
        return actual;
    }

    private static String describe(Backend backend) {
        return backend == Backend.EVENTFD ? "an eventfd" : "a pipe";
    }

    /** The "flags:" line of /proc/self/fdinfo/N (octal). */
    private static int accessFlags(int fd, String origin) {
        try {
            List<String> lines = Files.readAllLines(Paths.get("/proc/self/fdinfo/" + fd));
            for (String line : lines) {
                if (line.startsWith("flags:")) {
                    return Integer.parseInt(line.substring(6).trim(), 8);
                }
            }
        } catch (IOException | NumberFormatException e) {
            throw new IllegalStateException(origin + ": cannot read the access mode of descriptor " + fd + ": " + e);
        }
        throw new IllegalStateException(origin + ": /proc/self/fdinfo/" + fd + " has no flags line");
    }
}
