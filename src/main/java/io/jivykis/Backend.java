package io.jivykis;

/**
 * The kind of descriptor behind an {@link EventRaw}.
 *
 * <p>The system property {@code jivykis.backend} chooses it, read at each
 * {@link EventRaw#register()}: {@code eventfd} (the default) or {@code pipe}. When the
 * kernel refuses eventfd(2) with ENOSYS or EINVAL, the library falls back to pipe(2) on its
 * own, as ivykis does.
 */
public enum Backend {
    /** An eventfd(2): one descriptor; a post adds one to its 64-bit counter. */
    EVENTFD,
    /** A pipe(2): two descriptors; a post writes one byte to the write end. */
    PIPE
}
