package io.jivykis;

import io.jivykis.internal.DescriptorKind;
import io.jivykis.internal.Errors;
import io.jivykis.internal.Linux;
import io.jivykis.internal.Native;
import io.jivykis.internal.OfferNative;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Posts, from another process, to an {@link EventRaw} registered elsewhere: the handle a
 * child process or an unrelated process holds on someone else's event.
 *
 * <p>A process gets one of two ways:
 * <ul>
 * <li>{@link #inherited(String)} in a process started by {@link ChildProcessBuilder}, which
 *     announces each passed event in the environment as {@code JIVYKIS_FD_<NAME>=<backend>:<fd>};
 * <li>{@link #connect(Path)} to a Unix socket where the event's owner offers it
 *     ({@link EventOffer}).
 * </ul>
 *
 * <p>{@link #post()} makes the event's handler run in the owner's thread, exactly as
 * {@link EventRaw#post()} does there: posts may coalesce, none is lost. It is one write to the
 * descriptor (8 bytes to an eventfd, 1 byte to a pipe); any thread may call it.
 *
 * <p><b>When the receiver is gone</b> (its event unregistered, or its process exited),
 * {@code post()} returns normally and has no effect, on both backends, like a post to an
 * unregistered {@code EventRaw}. With an eventfd the kernel cannot tell (this process's
 * descriptor keeps the counter alive; a full counter is "already woken"); with a pipe the
 * write fails with EPIPE, which is absorbed, and SIGPIPE is never fatal (the JVM ignores it;
 * the C library blocks it around the write). No post ever blocks.
 */
public final class Poster implements AutoCloseable {
    /** The prefix of the environment variables that announce passed descriptors. */
    static final String ENV_PREFIX = "JIVYKIS_FD_";
    private static final Pattern NAME = Pattern.compile("[A-Z0-9_]+");
    private static final Pattern VALUE = Pattern.compile("(eventfd|pipe):([0-9]{1,9})");
    private static final int CLOSED_BIT = Integer.MIN_VALUE;
    private static final VarHandle USERS;
    /** Inherited descriptor numbers held by an open Poster: a second one would close it under the first. */
    private static final Set<Integer> CLAIMED = ConcurrentHashMap.newKeySet();
    /**
     * Names taken from the environment, for good: once its poster is closed, the number the
     * variable announces may belong to another file of this process.
     */
    private static final Set<String> TAKEN_NAMES = ConcurrentHashMap.newKeySet();

    static {
        try {
            USERS = MethodHandles.lookup().findVarHandle(Poster.class, "users", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final int fd;
    private final Backend backend;
    private final String origin;
    private final boolean claimed;

    /**
     * Posts in flight, plus CLOSED_BIT once closed. close() sets the bit and waits for the
     * count to drain before closing the descriptor, so no post writes to a number the kernel
     * may have given to another file.
     */
    @SuppressWarnings("unused") // accessed through USERS
    private volatile int users;

    private Poster(int fd, Backend backend, String origin, boolean claimed) {
        this.fd = fd;
        this.backend = backend;
        this.origin = origin;
        this.claimed = claimed;
    }

    /**
     * The poster for the event this process was passed under {@code name}, read from the
     * environment variable {@code JIVYKIS_FD_<name>}. The descriptor is checked: it must be
     * open, writable, and of the announced kind (an eventfd, or a pipe's write end).
     *
     * <p>A name can be taken once per process: the poster owns the descriptor and closes it.
     *
     * @param name {@code [A-Z0-9_]+}, as given to {@link ChildProcessBuilder#pass(EventRaw, String)}
     * @throws IllegalArgumentException if the name is not {@code [A-Z0-9_]+}
     * @throws IllegalStateException if the variable is missing or malformed, the descriptor is
     *     not what it announces, or it is already taken; the message says which
     */
    public static Poster inherited(String name) {
        Native.ensureLoaded(); // first: the same clear error on every use where it cannot load
        checkName(name);
        if (!TAKEN_NAMES.add(name)) {
            throw new IllegalStateException(ENV_PREFIX + name + " was already taken by Poster.inherited(\"" + name
                    + "\") in this process: share that Poster (once closed, its descriptor number may belong to"
                    + " another file)");
        }
        try {
            return inherited(name, System.getenv(ENV_PREFIX + name));
        } catch (RuntimeException e) {
            TAKEN_NAMES.remove(name);
            throw e;
        }
    }

    /** {@link #inherited(String)} with the variable's value given (null: unset). */
    static Poster inherited(String name, String value) {
        checkName(name);
        String variable = ENV_PREFIX + name;
        if (value == null) {
            throw new IllegalStateException("environment variable " + variable + " is not set: this process was not"
                    + " started with an event passed as \"" + name + "\" (ChildProcessBuilder.pass(event, \"" + name
                    + "\") in the parent), or the name differs");
        }
        var matcher = VALUE.matcher(value);
        if (!matcher.matches()) {
            throw new IllegalStateException("environment variable " + variable + "=" + value
                    + " is malformed: expected <backend>:<fd> with backend eventfd or pipe, e.g. eventfd:3");
        }
        Backend announced = matcher.group(1).equals("eventfd") ? Backend.EVENTFD : Backend.PIPE;
        int fd = Integer.parseInt(matcher.group(2));
        String origin = variable + "=" + value;
        Native.ensureLoaded();
        DescriptorKind.checkWritable(fd, announced, origin);
        if (!CLAIMED.add(fd)) {
            throw new IllegalStateException(origin + ": descriptor " + fd + " is already taken by another Poster"
                    + " in this process; share that one (each Poster closes its descriptor)");
        }
        return new Poster(fd, announced, origin, true);
    }

    /** Throws unless {@code name} is {@code [A-Z0-9_]+}. */
    static void checkName(String name) {
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("\"" + name + "\" is not a valid event name: use upper-case letters,"
                    + " digits and '_' ([A-Z0-9_]+), since it becomes part of the variable " + ENV_PREFIX + "<NAME>");
        }
    }

    /**
     * Connects to the event offered at {@code socket} ({@link EventOffer}), waiting at most
     * ten seconds for the owner to answer.
     *
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
     * @throws IllegalArgumentException if the timeout is not positive
     * @throws UncheckedIOException naming the path and the reason
     */
    public static Poster connect(Path socket, Duration timeout) {
        Native.ensureLoaded(); // first: the same clear error on every use where it cannot load
        Objects.requireNonNull(socket, "socket");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, not " + timeout);
        }
        int millis = (int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis()));
        byte[] path = socket.toString().getBytes(jnuCharset());
        int fd = OfferNative.connect(path, millis);
        if (fd < 0) {
            throw new UncheckedIOException(new IOException("no event from the offer at " + socket + ": "
                    + Errors.describe(-fd) + connectAdvice(-fd)));
        }
        String origin = "event offered at " + socket;
        try {
            return new Poster(fd, DescriptorKind.checkWritable(fd, null, origin), origin, false);
        } catch (RuntimeException e) {
            Native.close(fd);
            throw e;
        }
    }

    private static String connectAdvice(int errno) {
        if (errno == Linux.ENOENT) {
            return ": no socket exists at that path (is the owner's EventOffer open?)";
        }
        if (errno == Linux.ECONNREFUSED) {
            return ": nobody offers there any more (the EventOffer was closed or its process exited)";
        }
        if (errno == Linux.EACCES) {
            return ": the socket's file permissions exclude this user";
        }
        if (errno == Linux.ETIMEDOUT) {
            return ": the owner did not answer in time (is its event loop running?)";
        }
        if (errno == Linux.EPROTO) {
            return ": the owner sent no descriptor (its event is no longer registered)";
        }
        return "";
    }

    static Charset jnuCharset() {
        String name = System.getProperty("sun.jnu.encoding");
        try {
            return name == null ? Charset.defaultCharset() : Charset.forName(name);
        } catch (RuntimeException e) {
            return Charset.defaultCharset();
        }
    }

    /**
     * Posts the event: its handler will run in the owner's thread. Any thread; never blocks.
     * Returns normally, without effect, when the receiver is gone (see the class description).
     *
     * @throws IllegalStateException if this poster is closed
     * @throws UncheckedIOException if the write fails for another reason
     */
    public void post() {
        if ((int) USERS.getAndAdd(this, 1) < 0) {
            USERS.getAndAdd(this, -1);
            throw new IllegalStateException("Poster (" + origin + ") is closed");
        }
        int rc;
        try {
            rc = backend == Backend.EVENTFD ? Native.eventfdPost(fd) : Native.pipePost(fd);
        } finally {
            USERS.getAndAdd(this, -1);
        }
        // EAGAIN: a saturated counter or a full pipe, the receiver is already woken.
        // EPIPE: no reader left; a post to a receiver that is gone has no effect.
        if (rc < 0 && rc != -Linux.EAGAIN && rc != -Linux.EPIPE) {
            throw Errors.failure("write to descriptor " + fd + " (" + origin + ")", -rc);
        }
    }

    /** The descriptor posts are written to; owned by this poster, closed by {@link #close()}. */
    public int fd() {
        return fd;
    }

    /** The kind of the descriptor. */
    public Backend backend() {
        return backend;
    }

    /**
     * Closes the descriptor, once no post is in flight; posts afterwards throw. Idempotent.
     * Closing does not unregister the receiver's event; it only drops this handle.
     */
    @Override
    public void close() {
        int seen;
        do {
            seen = (int) USERS.getVolatile(this);
            if (seen < 0) {
                return;
            }
        } while (!USERS.compareAndSet(this, seen, seen | CLOSED_BIT));
        while ((int) USERS.getVolatile(this) != CLOSED_BIT) {
            Thread.onSpinWait();
        }
        int rc = Native.close(fd);
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
