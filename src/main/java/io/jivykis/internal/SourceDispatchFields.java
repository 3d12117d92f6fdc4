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
     * Where the source is in the post cycle: idle, queued (in a post queue, or its handler
     * running), or dirty (queued, and another thread has posted since the loop last looked).
     * See {@link Source#post()} for the transitions.
     */
    @SuppressWarnings("unused") // accessed through Source.PENDING
    volatile int pending;

    /**
     * Set by a post on the loop's thread while the source is queued or running; cleared
     * before each run. Set after a run, it makes the loop queue the source again, with no
     * atomic instruction (the self-post path). Loop thread only.
     */
    boolean postedByOwner;

    /** True once detached; the loop then drops queued posts and epoll results for it. Loop thread only. */
    boolean detached;

    /** Link in a post queue; written before the queue's publishing CAS, read after its acquire. */
    Source nextPosted;

    SourceDispatchFields(Loop loop, Runnable handler) {
        this.loop = loop;
        this.owner = loop.owner();
        this.handler = handler;
    }
}
