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

    /** What a post (or a drained foreign write, or the deadline) runs; null for sources that dispatch otherwise. */
    final Runnable handler;

    /**
     * 1 while the source sits in one of the loop's post queues, else 0. Set by a CAS from
     * any thread (so it enters a queue at most once) and cleared by the loop before the
     * handler runs ({@link Source#clearPending()}): a post that finds it set is coalesced
     * into that run.
     */
    @SuppressWarnings("unused") // accessed through Source.PENDING
    volatile int pending;

    /** True once detached; the loop then drops queued posts and epoll results for it. Loop thread only. */
    boolean detached;

    /** Link in a post queue; written before the queue's publishing CAS, read after its acquire. */
    Source nextPosted;

    SourceDispatchFields(Loop loop, Runnable handler) {
        this.loop = loop;
        this.handler = handler;
    }
}
