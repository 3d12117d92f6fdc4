package io.jivykis.internal;

import io.jivykis.Backend;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Paths;

/**
 * Whether a descriptor number of this process really is what it is said to be, before
 * anything is written to it: it came from outside (an environment variable, a socket), and
 * a wrong or stale number must never make jivykis write to someone else's file. The check is
 * the shim's ({@link AnnouncementNative#check}), shared with the C API; this class only puts
 * its answer into words.
 */
public final class DescriptorKind {
    /** The shim's kind codes (announcement.h), as {@link AnnouncementNative} takes and returns them. */
    static final int KIND_EVENTFD = Linux.named("JIVYKIS_KIND_EVENTFD");
    static final int KIND_PIPE = Linux.named("JIVYKIS_KIND_PIPE");
    static final int KIND_ANY = Linux.named("JIVYKIS_KIND_ANY");

    private DescriptorKind() {}

    /**
     * Checks that {@code fd} is open for writing and is an eventfd or a pipe; returns which.
     *
     * @param expected the announced backend, or null to accept either
     * @param origin where the number came from, for messages ("JIVYKIS_FD_WAKE=pipe:3")
     * @throws IllegalStateException saying precisely what the descriptor is instead
     */
    public static Backend checkWritable(int fd, Backend expected, String origin) {
        int rc = AnnouncementNative.check(fd, code(expected));
        if (rc >= 0) {
            return backend(rc);
        }
        if (rc == -Linux.EBADF) {
            throw new IllegalStateException(origin + ": descriptor " + fd + " is not open in this process"
                    + " (was the process started without it, or has it been closed?)");
        }
        Backend actual = kindOf(fd);
        if (rc == -Linux.ENOTSUP && actual == null) {
            throw new IllegalStateException(origin + ": descriptor " + fd + " is " + target(fd)
                    + ", not an eventfd or a pipe: the variable does not describe this process's descriptors");
        }
        if (rc == -Linux.ENOTSUP) {
            throw new IllegalStateException(origin + ": descriptor " + fd + " is " + describe(actual)
                    + ", but it is announced as " + describe(expected));
        }
        if (rc == -Linux.EACCES) {
            throw new IllegalStateException(origin + ": descriptor " + fd + " is "
                    + (actual == Backend.PIPE ? "the read end of a pipe" : "open read-only")
                    + "; posting needs the write end");
        }
        throw Errors.failure("checking descriptor " + fd + " (" + origin + ")", -rc);
    }

    /**
     * The kind of {@code fd} whatever its access mode, or null when it is neither: asked of
     * the shim kind by kind, since a read-only descriptor of the kind asked is -EACCES there.
     */
    private static Backend kindOf(int fd) {
        for (Backend backend : Backend.values()) {
            int rc = AnnouncementNative.check(fd, code(backend));
            if (rc >= 0 || rc == -Linux.EACCES) {
                return backend;
            }
        }
        return null;
    }

    /** The shim's kind code for a backend; null: either. */
    static int code(Backend backend) {
        if (backend == null) {
            return KIND_ANY;
        }
        return backend == Backend.EVENTFD ? KIND_EVENTFD : KIND_PIPE;
    }

    /** The backend of a kind code the shim returned. */
    static Backend backend(int code) {
        return code == KIND_PIPE ? Backend.PIPE : Backend.EVENTFD;
    }

    private static String describe(Backend backend) {
        return backend == Backend.EVENTFD ? "an eventfd" : "a pipe";
    }

    /** What /proc says the descriptor is, for the message only (the decision is the shim's). */
    private static String target(int fd) {
        try {
            return Files.readSymbolicLink(Paths.get("/proc/self/fd/" + fd)).toString();
        } catch (IOException | UnsupportedOperationException e) {
            return "of another kind";
        }
    }
}
