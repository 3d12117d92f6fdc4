package io.jivykis.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The posted sources of one loop, in post order: a plain FIFO for posts made on the loop's
 * own thread (no atomic, no fence), and a lock-free Treiber stack for posts made by other
 * threads, which the loop takes whole and reverses into post order.
 *
 * <p>{@link Loop} extends this class rather than holding an instance: the queue's code stays
 * here, its fields live in the loop object itself, and the self-post path (post, dispatch,
 * post again) makes no extra dependent load. Measured with the bench's selfpost case, the
 * separate object cost 1.2 ns of 15 per post (8%).
 *
 * <p>The stack's head is the only field posters write. It sits alone between padding
 * (see {@link PostQueueRemoteHead}) so that a poster's CAS does not take the cache line of
 * the fields the loop writes on every dispatch ({@link #ownerHead}, {@link #takenHead}).
 *
 * <p>A source is at most once in each queue, and may be in both: each queue has its own link
 * and its own state in the source (see {@link Source#post()}), which admits it once until the
 * loop takes it out.
 */
abstract class PostQueue extends PostQueueTrailingPad {
    /** Posts made on the loop thread, FIFO. Loop thread only (plain). */
    private Source ownerHead;
    private Source ownerTail;
    /** Posts taken from the remote stack, already reversed into post order. Loop thread only. */
    private Source takenHead;

    /** Appends a post made on the loop's thread. Loop thread only. */
    final void enqueueFromOwner(Source source) {
        if (ownerTail == null) {
            ownerHead = source;
        } else {
            ownerTail.nextOwner = source;
        }
        ownerTail = source;
    }

    /**
     * Pushes a post made by another thread. The CAS releases the source's link; the loop's
     * getAndSet acquires it. The caller then wakes the loop if it sleeps.
     */
    final void pushFromOtherThread(Source source) {
        Source head;
        do {
            head = (Source) REMOTE_HEAD.getOpaque(this);
            source.nextRemote = head;
        } while (!REMOTE_HEAD.compareAndSet(this, head, source));
    }

    /** Whether posts wait on the loop's side (owner FIFO or already taken). Loop thread only. */
    final boolean hasLocalPosts() {
        return ownerHead != null || takenHead != null;
    }

    /**
     * Whether any post is queued. The remote head is read opaquely: a post that lands just
     * after this read is found by the sleep protocol ({@link #hasRemotePostVolatile()}).
     */
    final boolean hasNoPosts() {
        return !hasLocalPosts() && REMOTE_HEAD.getOpaque(this) == null;
    }

    /**
     * Whether another thread has pushed a post, read with a volatile load: the loop's half of
     * the Dekker pair with {@link WakeUp} (store "sleeping", then load this; a poster pushes,
     * then loads "sleeping").
     */
    final boolean hasRemotePostVolatile() {
        return REMOTE_HEAD.getVolatile(this) != null;
    }

    /**
     * The next source posted by other threads, in post order, or null. Its link is cleared
     * here, before {@link Source#takeRemoteRun()} lets posters push it again. Loop thread only.
     */
    final Source pollRemote() {
        if (takenHead == null && REMOTE_HEAD.getOpaque(this) != null) {
            takenHead = reverse((Source) REMOTE_HEAD.getAndSet(this, (Source) null));
        }
        Source source = takenHead;
        if (source != null) {
            takenHead = source.nextRemote;
            source.nextRemote = null;
        }
        return source;
    }

    /** The next source posted on the loop's thread, or null. Loop thread only. */
    final Source pollOwner() {
        Source source = ownerHead;
        if (source != null) {
            ownerHead = source.nextOwner;
            if (ownerHead == null) {
                ownerTail = null;
            }
            source.nextOwner = null;
        }
        return source;
    }

    /** Forgets every queued post (the loop is closing). */
    final void clearPosts() {
        ownerHead = ownerTail = takenHead = null;
        REMOTE_HEAD.setVolatile(this, (Source) null);
    }

    private static Source reverse(Source head) {
        Source reversed = null;
        while (head != null) {
            Source next = head.nextRemote;
            head.nextRemote = reversed;
            reversed = head;
            head = next;
        }
        return reversed;
    }
}

/**
 * Padding before the posters' field. HotSpot lays out a superclass's fields before its
 * subclass's, so these 64 bytes keep {@link PostQueueRemoteHead#remoteHead} off the line of
 * the object header and of whatever the allocator put just before this object.
 */
@SuppressWarnings("unused")
abstract class PostQueueLeadingPad {
    private long p00, p01, p02, p03, p04, p05, p06, p07;
}

/** The field other threads write: the head of the remote stack. */
abstract class PostQueueRemoteHead extends PostQueueLeadingPad {
    static final VarHandle REMOTE_HEAD;

    static {
        try {
            REMOTE_HEAD = MethodHandles.lookup().findVarHandle(PostQueueRemoteHead.class, "remoteHead", Source.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Pushed with a CAS by posters, taken with getAndSet by the loop. */
    @SuppressWarnings("unused") // accessed through REMOTE_HEAD
    private volatile Source remoteHead;
}

/** Padding after the posters' field, so the loop's fields start on another cache line. */
@SuppressWarnings("unused")
abstract class PostQueueTrailingPad extends PostQueueRemoteHead {
    private long p10, p11, p12, p13, p14, p15, p16, p17;
}
