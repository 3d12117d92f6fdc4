package io.jivykis.internal;

/**
 * JNI binding of the {@code JIVYKIS_FD_<NAME>=<kind>:<fd>} rules (native/src/announcement.c),
 * the one implementation that the C post library and the jivykis-post tool use as well, so
 * Java accepts and refuses exactly what C does. Thin natives, a negative errno on failure;
 * the messages are {@link Announcement}'s and {@link DescriptorKind}'s.
 */
final class AnnouncementNative {
    // No static state: JNI_OnLoad's FindClass initializes this class before any native is bound.
    private AnnouncementNative() {}

    /** 0 if {@code name} is a valid event name ({@code [A-Z0-9_]+}), else -EINVAL. */
    static native int checkName(String name);

    /**
     * Parses {@code "<kind>:<fd>"}: the kind code in the high 32 bits and the descriptor in
     * the low ones, or -EINVAL (malformed, or null) or -ERANGE (descriptor 0, 1 or 2).
     */
    static native long parse(String value);

    /**
     * Checks that {@code fd} is open, of {@code kind} (a kind code of {@link DescriptorKind},
     * {@code KIND_ANY} for either), and open for writing, in that order: the kind code it
     * is, or -EBADF (not open), -ENOTSUP (not of that kind), -EACCES (not open for writing).
     */
    static native int check(int fd, int kind);
}
