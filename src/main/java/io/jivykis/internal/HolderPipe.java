package io.jivykis.internal;

/**
 * One holder's own way to post to an event: a fresh pipe whose write end goes to exactly one
 * holder (a child started with the event passed, or one process that connected to an offer)
 * and whose read end only the owner keeps, watched in the event's loop. When it is readable
 * the loop drains it, then runs the event's handler, in the ready step, as it does for a
 * write to the event's own descriptor.
 *
 * <p>Why a pipe per holder rather than the event's own descriptor: a holder then shares no
 * open file description with the owner. Clearing O_NONBLOCK on its end, blocking in a read
 * (a write end cannot be read), flooding or closing it reaches only this pipe. The owner's
 * read end stays non-blocking whatever the holder does, a flood is drained under
 * {@link #DRAIN_READS} per iteration (level-triggered epoll reports the rest next time), and
 * every other holder has a pipe of its own that the same iteration serves.
 *
 * <p>Revoking is detaching: the read end is closed, so the holder's next write fails with
 * EPIPE, which every poster of this project treats as "no effect". The holder closing its
 * end (or exiting) shows as end-of-file, and the pipe then detaches itself, so a holder that
 * is gone costs the owner nothing. Loop thread only, like every {@link Source}.
 */
public final class HolderPipe extends WatchedSource {
    /**
     * Reads of {@link Linux#PIPE_DRAIN_BYTES} one readiness report makes at most: 16 of 4096
     * bytes empty a default 64 KiB pipe, so an honest holder is drained at once, and a holder
     * writing as fast as the owner reads cannot hold the loop thread in this step.
     */
    static final int DRAIN_READS = 16;

    private final DescriptorSource event;
    private final int readFd;
    /** The holder's end until {@link #releaseWriteEnd()}; -1 afterwards. */
    private int writeFd;

    private HolderPipe(DescriptorSource event, int readFd, int writeFd) {
        super(event.loop());
        this.event = event;
        this.readFd = readFd;
        this.writeFd = writeFd;
    }

    /**
     * A new pipe for one holder of {@code event}, its read end watched in the event's loop.
     * The caller hands {@link #writeFd()} out, then calls {@link #releaseWriteEnd()}: the
     * owner must not keep a writer of its own, or it would never see the holder go.
     * Loop thread only.
     *
     * @throws java.io.UncheckedIOException if the kernel refuses a pipe or the epoll entry;
     *     nothing is then left open
     */
    static HolderPipe open(DescriptorSource event) {
        long ends = Errors.check("pipe2 (a holder's own descriptor)", Native.pipe());
        HolderPipe pipe = new HolderPipe(event, (int) (ends >>> 32), (int) ends);
        int rc = pipe.watch(pipe.readFd, Linux.EPOLLIN);
        if (rc != 0) {
            throw Errors.failure("epoll_ctl(ADD, holder pipe fd " + pipe.readFd + ")", -rc);
        }
        return pipe;
    }

    /** The end to hand to the holder (announced as {@code pipe:N}); -1 once released. */
    public int writeFd() {
        return writeFd;
    }

    /** Closes the owner's copy of the holder's end, once it has been handed out (or not). */
    public void releaseWriteEnd() {
        if (writeFd >= 0) {
            int fd = writeFd;
            writeFd = -1;
            Native.close(fd);
        }
    }

    /** Makes the holder powerless: its writes fail with EPIPE from now on. Idempotent. Loop thread only. */
    public void revoke() {
        detach();
    }

    /** Whether the holder can still post (not revoked, not gone). */
    public boolean isLive() {
        return isAttached();
    }

    @Override
    protected void ready(int epollFlags) {
        int drained = EventDescriptor.drainPipe(readFd, DRAIN_READS);
        if (drained > 0) {
            event.foreignPostDrained();
        } else if (drained < 0) {
            // End of file: no writer is left (the holder closed its end or exited). A
            // readable-for-ever read end must not stay in a level-triggered set.
            detach();
        }
    }

    /** Part of its event's registration, not an object of its own. */
    @Override
    boolean countsAsObject() {
        return false;
    }

    @Override
    protected void unwatched() {
        releaseWriteEnd();
        Native.close(readFd);
        event.forgetHolder(this);
    }
}
