package io.jivykis.internal;

/**
 * The fields of a {@link Source} that a post and a dispatch touch, declared in a superclass
 * so that HotSpot lays them out first, right after the object header: a post and its dispatch
 * then read and write one cache line of the source (two when the object straddles a line),
 * not the two or three its other fields span. With many registered objects every post lands
 * on a source that is cold in the cache, so each line saved is one miss less per post (the
 * bench's scale case).
 */
abstract class SourceDispatchFields {
    /** The loop this source is registered with. */
    protected final Loop loop;

    /** That loop's thread, held here too so a post makes one dependent load less. */
    final Thread owner;

    /** What a post (or a drained foreign write, or the deadline) runs; null for sources that dispatch otherwise. */
    final Runnable handler;

    /**
     * The post made by other threads: idle, queued (on the loop's remote stack, to run), or
     * spent (still on it, but a run from the owner FIFO has taken the post). Set by a CAS from
     * other threads; see {@link Source#post()} for every transition.
     */
    @SuppressWarnings("unused") // accessed through Source.REMOTE
    volatile int remoteState;

    /**
     * The post made by the loop's own thread: the same states for the owner FIFO, and
     * running / running-and-posted-again while the handler runs. Loop thread only, so a post
     * and a run from that thread need no atomic instruction.
     */
    byte ownerState;

    /** True once detached; the loop then drops queued posts and epoll results for it. Loop thread only. */
    boolean detached;

    /** Link in the owner FIFO. Loop thread only. */
    Source nextOwner;

    /** Link in the remote stack; written before the push's CAS, read after the loop's getAndSet. */
    Source nextRemote;

    SourceDispatchFields(Loop loop, Runnable handler) {
        this.loop = loop;
        this.owner = loop.owner();
        this.handler = handler;
    }
}
