package io.jivykis;

import io.jivykis.internal.Errors;
import io.jivykis.internal.HolderPipe;
import io.jivykis.internal.Linux;
import io.jivykis.internal.Loop;
import io.jivykis.internal.Native;
import io.jivykis.internal.OfferSocket;
import io.jivykis.internal.WatchedSource;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Offers an {@link EventRaw} to processes that did not start from this one: a Unix domain
 * socket at a path, where each process that connects receives a descriptor of its own
 * (SCM_RIGHTS: the write end of a pipe made for that connection, whose read end this
 * process watches in the event's loop) and can post to the event through it. The receiving side is {@link Poster#connect(Path)} in
 * Java, {@code jivykis_offer_connect()} in C (jivykis.h), and
 * {@code jivykis-post --socket PATH} in the shell.
 *
 * <pre>{@code
 * EventRaw wake = new EventRaw(() -> System.out.println("posted from afar"));
 * wake.register();
 * try (EventOffer offer = EventOffer.open(wake, Path.of("/run/user/1000/app.wake"))) {
 *     EventLoop.current().run();   // another process: Poster.connect(path).post()
 * }
 * }</pre>
 *
 * <p><b>Access control</b> is the socket file's permissions: 0600 by default, so only this
 * user's processes can connect; choose others with {@link #open(EventRaw, Path, Set)}.
 * The file never exists with wider permissions than asked for. Opening is safe in a
 * directory that others can write: the socket is made in a fresh private directory, given
 * its mode there and hard-linked into place, so no step follows a symlink or changes a file
 * someone else put in the way (such a race makes {@code open} fail, never succeed wrongly).
 * Still, put the socket in a directory that only the intended users can reach.
 *
 * <p><b>What a process that connected can do: post, and nothing else.</b> It shares no open
 * file with this process, so whatever it does with its descriptor (clear O_NONBLOCK, flood
 * it, close it, pass it on, send malformed messages to the socket) it cannot block this
 * loop, swallow or delay the posts of anyone else, keep posting after {@link #revoke()} or
 * the event's unregistering, or make this process leak: a descriptor every holder closed is
 * closed here too. Each live holder costs this process one descriptor; at most
 * 1,024 per offer are live at once, and further connections are answered
 * without a descriptor until one is gone. Connections and floods are served under a budget
 * per loop iteration, like posts.
 *
 * <p><b>Loop integration.</b> An offer belongs to the loop of the thread that opens it,
 * which must be the thread that registered the event; connections are answered by that
 * loop, inside {@link EventLoop#run()}, so a connecting process waits while the loop is
 * not running. An open offer counts as a registered object: it keeps {@code run()} going,
 * like any other; close it (from a handler, for instance) to let {@code run()} return.
 * Closing it, or closing the loop, removes the socket file, if it is still the one this
 * offer made: a file someone else put at the path meanwhile (another offer's) is left alone. A process that connected keeps
 * its {@link Poster} after the offer is closed. While the event is not registered, the
 * offer answers connections without a descriptor, and receivers report that. If this
 * process runs out of descriptors while accepting (EMFILE), {@code run()} throws that error
 * rather than spinning on a socket that stays readable.
 */
public final class EventOffer implements AutoCloseable {
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    /** Connections one readiness report answers at most; the rest wait for the next iteration. */
    static final int ACCEPT_BUDGET = 16;
    /**
     * Posters of one offer that may be live at once. Each costs this process one descriptor
     * (its pipe's read end) until its holder closes it, so a peer that connects without end
     * cannot exhaust this process's descriptors through the offer: past this many, the
     * offer answers with no descriptor until some holder is gone or revoked.
     */
    static final int MAX_HOLDERS = 1024;

    private final Listener listener;

    private EventOffer(Listener listener) {
        this.listener = listener;
    }

    /**
     * Offers {@code event} at {@code socket}, a path that must not exist yet, readable and
     * writable by this user only (mode 0600).
     *
     * @param event the event to offer; not null, registered by the calling thread
     * @param socket where to make the socket file; not null, must not exist yet, and its
     *     directory must
     * @return the open offer; it keeps {@link EventLoop#run()} going until closed
     * @throws IllegalStateException if the event is not registered, or registered by another thread
     * @throws UncheckedIOException if the socket cannot be made (the path exists, its
     *     directory does not, it is too long for a socket address...); the message says which
     */
    public static EventOffer open(EventRaw event, Path socket) {
        return open(event, socket, OWNER_ONLY);
    }

    /**
     * Offers {@code event} at {@code socket} with the given file permissions (for instance
     * owner and group read/write to let a group post).
     *
     * @param event the event to offer; not null, registered by the calling thread
     * @param socket where to make the socket file; not null, must not exist yet, and its
     *     directory must
     * @param permissions the socket file's mode; not null, empty for none at all. Write
     *     permission is what lets a process connect
     * @return the open offer; it keeps {@link EventLoop#run()} going until closed
     * @throws IllegalStateException if the event is not registered, or registered by another thread
     * @throws UncheckedIOException if the socket cannot be made; the message says why
     */
    public static EventOffer open(EventRaw event, Path socket, Set<PosixFilePermission> permissions) {
        Native.ensureLoaded(); // first: the same clear error on every use where it cannot load
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(socket, "socket");
        Set<PosixFilePermission> mode = permissions.isEmpty()
                ? EnumSet.noneOf(PosixFilePermission.class) : EnumSet.copyOf(permissions);
        Loop loop = event.registeredLoop();
        if (loop == null) {
            throw new IllegalStateException("EventOffer.open() with an event that is not registered: register it first");
        }
        loop.checkOwner("EventOffer.open()");
        Path path = socket.toAbsolutePath();
        OfferSocket.Listening socketFile = OfferSocket.listen(path, mode);
        Listener listener = new Listener(loop, event, path, socketFile);
        listener.start();
        return new EventOffer(listener);
    }

    /**
     * The socket's path (absolute).
     *
     * @return the path given to {@code open}, made absolute; also after the offer is closed
     */
    public Path path() {
        return listener.path;
    }

    /**
     * How many connecting processes have received a poster from this offer so far.
     *
     * @return the count since the offer opened, revoked and closed posters included
     */
    public long handedOut() {
        return listener.handedOut;
    }

    /**
     * Whether the offer is open.
     *
     * @return false once {@link #close()} or {@link #revoke()} has run, or the loop was closed
     */
    public boolean isOpen() {
        return listener.isAttached();
    }

    /**
     * How many posters this offer handed out can still post (not revoked, and not closed by
     * every process that held them). Only on the thread that opened the offer.
     *
     * @return the number of posters that can still post, at most 1,024
     * @throws IllegalStateException on another thread
     */
    public int liveHolders() {
        listener.loop().checkOwner("EventOffer.liveHolders()");
        return (int) listener.holders.stream().filter(HolderPipe::isLive).count();
    }

    /**
     * Closes the offer ({@link #close()}) and makes every poster it handed out powerless: from
     * now on their posts have no effect ({@link Poster#post()} returns normally,
     * {@code jivykis_post} returns -EPIPE). The event stays registered, and its other holders
     * (children, other offers) keep their power. Idempotent. Only on the thread that opened
     * the offer.
     *
     * @throws IllegalStateException on another thread
     */
    public void revoke() {
        listener.loop().checkOwner("EventOffer.revoke()");
        close();
        listener.revokeAll();
    }

    /**
     * Stops offering: removes the socket file (if it is still the one this offer made) and
     * closes the socket. Posters already handed out keep working (until {@link #revoke()}, or
     * the event is unregistered). Idempotent. Only on the thread that opened the offer.
     *
     * @throws IllegalStateException on another thread
     */
    @Override
    public void close() {
        if (!listener.isAttached()) {
            return;
        }
        listener.loop().checkOwner("EventOffer.close()");
        listener.detach();
    }

    @Override
    public String toString() {
        return "EventOffer[" + listener.path + (isOpen() ? "" : ", closed") + "]";
    }

    /** The listening socket in the loop: answers each connection with the write end of a holder pipe made for it. */
    private static final class Listener extends WatchedSource {
        private final EventRaw event;
        private final Path path;
        private final OfferSocket.Listening socketFile;
        private final int fd;
        /** Written on the loop thread only; read by {@link EventOffer#handedOut()} (plain: a statistic). */
        private long handedOut;
        /** The pipes handed out, for {@link EventOffer#revoke()}; some may be gone already. Loop thread only. */
        private final List<HolderPipe> holders = new ArrayList<>();

        Listener(Loop loop, EventRaw event, Path path, OfferSocket.Listening socketFile) {
            super(loop);
            this.event = event;
            this.path = path;
            this.socketFile = socketFile;
            this.fd = socketFile.fd;
        }

        /** Watches the socket; on failure the socket is closed and its file removed. */
        void start() {
            int rc = watch(fd, Linux.EPOLLIN);
            if (rc != 0) {
                throw Errors.failure("epoll_ctl(ADD, event offer socket fd " + fd + ")", -rc);
            }
        }

        @Override
        protected void ready(int epollFlags) {
            // Budgeted like posts: a peer connecting in a tight loop cannot hold the loop
            // thread here; level-triggered epoll reports the waiting rest next iteration.
            for (int n = 0; n < ACCEPT_BUDGET; n++) {
                int conn = OfferSocket.accept(fd, path);
                if (conn < 0) {
                    return;
                }
                try {
                    answer(conn);
                } finally {
                    OfferSocket.close(conn);
                }
            }
        }

        /**
         * Sends the connecting process a pipe of its own (HolderPipe) on the event's current
         * registration; the owner's copy of the write end is closed once sent. Read at each
         * connection, on the loop thread that alone can unregister the event: if the event
         * is not registered in this loop, or this offer has {@link #MAX_HOLDERS} live
         * holders, the peer is answered with nothing (its receive reports no descriptor).
         */
        private void answer(int conn) {
            if (event.registeredLoop() != loop || !roomForHolder()) {
                return;
            }
            HolderPipe holder;
            try {
                holder = event.newHolder();
            } catch (UncheckedIOException outOfDescriptors) {
                return; // EMFILE and the like: this peer goes without, the offer stays open
            }
            try {
                if (OfferSocket.send(conn, holder.writeFd(), Backend.PIPE)) {
                    holders.add(holder);
                    handedOut++;
                } else {
                    holder.revoke(); // the peer hung up first: nobody holds the write end
                }
            } finally {
                holder.releaseWriteEnd();
            }
        }

        /** Whether another holder may be added; forgets the holders that are gone first. */
        private boolean roomForHolder() {
            if (holders.size() < MAX_HOLDERS) {
                return true;
            }
            holders.removeIf(h -> !h.isLive());
            return holders.size() < MAX_HOLDERS;
        }

        /** Makes every poster this offer handed out powerless. */
        void revokeAll() {
            for (HolderPipe holder : holders) {
                holder.revoke();
            }
            holders.clear();
        }

        @Override
        protected void unwatched() {
            // Removes the file only if it is still the one this offer made, then closes.
            socketFile.close();
        }
    }
}
