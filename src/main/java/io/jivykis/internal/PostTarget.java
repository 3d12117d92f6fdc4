package io.jivykis.internal;

import io.jivykis.Backend;

/**
 * A descriptor of this process checked to be an event's write end ({@link DescriptorKind}),
 * and where it came from: what a {@code Poster} is made of.
 */
public final class PostTarget {
    private final int fd;
    private final Backend backend;
    private final String origin;

    PostTarget(int fd, Backend backend, String origin) {
        this.fd = fd;
        this.backend = backend;
        this.origin = origin;
    }

    /** The descriptor. */
    public int fd() {
        return fd;
    }

    /** Its kind, as checked. */
    public Backend backend() {
        return backend;
    }

    /** Where the descriptor came from, for messages ("JIVYKIS_FD_WAKE=pipe:3"). */
    public String origin() {
        return origin;
    }
}
