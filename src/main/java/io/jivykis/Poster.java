package io.jivykis;

import io.jivykis.internal.Announcement;
import io.jivykis.internal.Errors;
import io.jivykis.internal.EventDescriptor;
import io.jivykis.internal.Linux;
import io.jivykis.internal.Native;
import io.jivykis.internal.OfferSocket;
import io.jivykis.internal.PostTarget;
import io.jivykis.internal.WriterGate;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Posts, from another process, to an {@link EventRaw} registered elsewhere: the handle a
 * child process or an unrelated process holds on someone else's event.
 *
 * <p>A process gets one of two ways:
 * <ul>
 * <li>{@link #inherited(String)} in a process started by {@link ChildProcessBuilder}, which
 *     announces each passed event in the environment as {@code JIVYKIS_FD_<NAME>=<backend>:<fd>}
 *     (the rules for names and values are stated once, in the C header {@code jivykis.h}, and
 *     applied by the same code for Java, the C API and the {@code jivykis-post} tool);
 * <li>{@link #connect(Path)} to a Unix socket where the event's owner offers it
 *     ({@link EventOffer}).
 * </ul>
 *
 * <p>{@link #post()} makes the event's handler run in the owner's thread, exactly as
 * {@link EventRaw#post()} does there: posts may coalesce, none is lost. It is one write to the
 * descriptor (8 bytes to an eventfd, 1 byte to a pipe); any thread may call it.
 *
 * <p><b>What a poster is.</b> The descriptor a {@link ChildProcessBuilder} child or an
 * {@link EventOffer} peer receives is the write end of a pipe made for that holder alone
 * (whatever the event's backend): it can post and nothing else, and nothing done with it
 * reaches the owner's loop or any other holder.
 *
 * <p><b>When the receiver is gone</b> (its event unregistered, this holder revoked by
 * {@link EventOffer#revoke()}, or its process exited), {@code post()} returns normally and
 * has no effect, like a post to an unregistered {@code EventRaw}: the pipe's write fails with
 * EPIPE, which is absorbed, and SIGPIPE is never fatal (the JVM ignores it; the C library
 * blocks it around the write). An eventfd announced by other means cannot tell (this
 * process's descriptor keeps the counter alive; a full counter is "already woken"). No post
 * ever blocks.
 */
public final class Poster implements AutoCloseable {
    /** Inherited descriptor numbers held by an open Poster: a second one would close it under the first. */
    private static final Set<Integer> CLAIMED = ConcurrentHashMap.newKeySet();
    /**
     * Names taken from the environment, for good: once its poster is closed, the number the
     * variable announces may belong to another file of this process.
     */
    private static final Set<String> TAKEN_NAMES = ConcurrentHashMap.newKeySet();

    private final int fd;
    private final Backend backend;
    private final String origin;
    private final boolean claimed;

    /** Keeps posts off the descriptor once close() has begun (close waits for those in flight). */
    private final WriterGate gate = new WriterGate();

    private Poster(PostTarget target, boolean claimed) {
        this.fd = target.fd();
        this.backend = target.backend();
        this.origin = target.origin();
        this.claimed = claimed;
    }

    /**
     * The poster for the event this process was passed under {@code name}, read from the
     * environment variable {@code JIVYKIS_FD_<name>}. The value must follow the rules stated in
     * {@code jivykis.h} (exactly {@code eventfd:<fd>} or {@code pipe:<fd>}, the number in
     * decimal digits, never 0, 1 or 2), and the descriptor is checked: it must be open,
     * writable, and of the announced kind (an eventfd, or a pipe's write end). The C function
     * {@code jivykis_inherited()} and the {@code jivykis-post} tool apply the same rules with
     * the same code, so they accept and refuse exactly the same values.
     *
     * <p>A name can be taken once per process: the poster owns the descriptor and closes it.
     *
     * @param name {@code [A-Z0-9_]+}, as given to {@link ChildProcessBuilder#pass(EventRaw, String)}
     * @return a poster that owns the inherited descriptor; close it when done
     * @throws IllegalArgumentException if the name is not {@code [A-Z0-9_]+}
     * @throws IllegalStateException if the variable is missing or malformed, names a standard
     *     stream, the descriptor is not what it announces, or it is already taken; the message
     *     says which and what to do
     */
    public static Poster inherited(String name) {
        Native.ensureLoaded(); // first: the same clear error on every use where it cannot load
        Announcement.checkName(name);
        if (!TAKEN_NAMES.add(name)) {
            throw new IllegalStateException(Announcement.PREFIX + name + " was already taken by Poster.inherited(\"" + name
                    + "\") in this process: share that Poster (once closed, its descriptor number may belong to"
                    + " another file)");
        }
        try {
            return inherited(name, System.getenv(Announcement.PREFIX + name));
        } catch (RuntimeException e) {
            TAKEN_NAMES.remove(name);
            throw e;
        }
    }

    /** {@link #inherited(String)} with the variable's value given (null: unset). */
    static Poster inherited(String name, String value) {
        PostTarget target = Announcement.resolve(name, value);
        if (!CLAIMED.add(target.fd())) {
            throw new IllegalStateException(target.origin() + ": descriptor " + target.fd() + " is already taken by"
                    + " another Poster in this process; share that one (each Poster closes its descriptor)");
        }
        return new Poster(target, true);
    }

    /**
     * Connects to the event offered at {@code socket} ({@link EventOffer}), waiting at most
     * ten seconds for the owner to answer.
     *
     * @param socket the path of the Unix socket the owner offers the event at; not null
     * @return a poster holding a descriptor of its own for the event; close it when done
     * @throws UncheckedIOException naming the path and the reason (no such socket, nobody
     *     offering, permission denied, the owner's loop not answering in time)
     */
    public static Poster connect(Path socket) {
        return connect(socket, Duration.ofSeconds(10));
    }

    /**
     * Connects to the event offered at {@code socket}, waiting at most {@code timeout} for
     * the owner's event loop to answer.
     *
     * @param socket the path of the Unix socket the owner offers the event at; not null
     * @param timeout the longest wait for the owner's answer; positive
     * @return a poster holding a descriptor of its own for the event; close it when done
     * @throws IllegalArgumentException if the timeout is not positive
     * @throws UncheckedIOException naming the path and the reason
     */
    public static Poster connect(Path socket, Duration timeout) {
        Native.ensureLoaded(); // first: the same clear error on every use where it cannot load
        Objects.requireNonNull(socket, "socket");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, not " + timeout);
        }
        return new Poster(OfferSocket.connect(socket, timeout), false);
    }

    /**
     * Posts the event: its handler will run in the owner's thread. Any thread; never blocks.
     * Returns normally, without effect, when the receiver is gone (see the class description).
     *
     * @throws IllegalStateException if this poster is closed
     * @throws UncheckedIOException if the write fails for another reason
     */
    public void post() {
        if (!gate.enter()) {
            throw new IllegalStateException("Poster (" + origin + ") is closed");
        }
        int rc;
        try {
            rc = EventDescriptor.write(fd, backend);
        } finally {
            gate.exit();
        }
        // EAGAIN: a saturated counter or a full pipe, the receiver is already woken.
        // EPIPE: no reader left; a post to a receiver that is gone has no effect.
        if (rc < 0 && rc != -Linux.EAGAIN && rc != -Linux.EPIPE) {
            throw Errors.failure("write to descriptor " + fd + " (" + origin + ")", -rc);
        }
    }

    /**
     * The descriptor posts are written to; owned by this poster, closed by {@link #close()}.
     *
     * @return the descriptor number; after {@link #close()} it may name another file of this
     *     process
     */
    public int fd() {
        return fd;
    }

    /**
     * The kind of the descriptor.
     *
     * @return {@link Backend#PIPE} for a descriptor from {@link ChildProcessBuilder} or
     *     {@link EventOffer}, or whatever kind the announcement names
     */
    public Backend backend() {
        return backend;
    }

    /**
     * Closes the descriptor, once no post is in flight; posts afterwards throw. Idempotent.
     * Closing does not unregister the receiver's event; it only drops this handle.
     */
    @Override
    public void close() {
        if (!gate.close()) {
            return; // closed already
        }
        int rc = EventDescriptor.closeWriter(fd);
        if (claimed) {
            CLAIMED.remove(fd);
        }
        Errors.check("close(" + origin + ", fd " + fd + ")", rc);
    }

    @Override
    public String toString() {
        return "Poster[" + backend.name().toLowerCase(java.util.Locale.ROOT) + " fd " + fd + ", " + origin + "]";
    }
}
