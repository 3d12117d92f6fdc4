package io.jivykis.internal;

import io.jivykis.Backend;
import java.util.Locale;
import java.util.Objects;

/**
 * The Java side of {@code JIVYKIS_FD_<NAME>=<kind>:<fd>}, the variable that announces a
 * passed event's descriptor to a child process. The rules (which names, values and
 * descriptors are accepted) are stated in native/include/jivykis.h and implemented once, in
 * the shim ({@link AnnouncementNative}), shared with the C API and the jivykis-post tool;
 * this class writes the variable for {@code ChildProcessBuilder} and turns a refusal into a
 * message that says what was wrong and what to do.
 */
public final class Announcement {
    /** The prefix of the environment variables that announce passed descriptors. */
    public static final String PREFIX = "JIVYKIS_FD_";

    private Announcement() {}

    /**
     * Throws unless {@code name} is a valid event name ({@code [A-Z0-9_]+}).
     *
     * @throws IllegalArgumentException naming the rule
     */
    public static void checkName(String name) {
        Objects.requireNonNull(name, "name");
        Native.ensureLoaded();
        if (AnnouncementNative.checkName(name) != 0) {
            throw new IllegalArgumentException("\"" + name + "\" is not a valid event name: use upper-case letters,"
                    + " digits and '_' ([A-Z0-9_]+), since it becomes part of the variable " + PREFIX + "<NAME>");
        }
    }

    /** The value announcing {@code fd} of {@code backend}, as the child will read it ("pipe:3"). */
    public static String value(Backend backend, int fd) {
        return backend.name().toLowerCase(Locale.ROOT) + ":" + fd;
    }

    /**
     * The descriptor {@code JIVYKIS_FD_<name>=<value>} announces, checked by the rules of
     * jivykis.h: the value well formed, the descriptor not a standard stream, open for
     * writing and of the announced kind.
     *
     * @param value the variable's value; null when it is not set
     * @throws IllegalArgumentException if the name is invalid
     * @throws IllegalStateException if the variable is unset or refused; the message says why
     */
    public static PostTarget resolve(String name, String value) {
        checkName(name);
        String variable = PREFIX + name;
        if (value == null) {
            throw new IllegalStateException("environment variable " + variable + " is not set: this process was not"
                    + " started with an event passed as \"" + name + "\" (ChildProcessBuilder.pass(event, \"" + name
                    + "\") in the parent), or the name differs");
        }
        String origin = variable + "=" + value;
        long parsed = AnnouncementNative.parse(value);
        if (parsed == -Linux.ERANGE) {
            throw new IllegalStateException("environment variable " + origin + " names a standard stream (descriptor"
                    + " 0, 1 or 2 is standard input, output or error), never an event's descriptor: it was not set by"
                    + " ChildProcessBuilder, which passes events from 3 up; unset it or correct the number");
        }
        if (parsed < 0) {
            throw new IllegalStateException("environment variable " + origin + " is malformed: expected"
                    + " <backend>:<fd> with backend eventfd or pipe and fd in decimal digits (no sign or spaces),"
                    + " e.g. pipe:3, as ChildProcessBuilder writes it");
        }
        int fd = (int) parsed;
        Backend announced = DescriptorKind.backend((int) (parsed >>> 32));
        return new PostTarget(fd, DescriptorKind.checkWritable(fd, announced, origin), origin);
    }
}
