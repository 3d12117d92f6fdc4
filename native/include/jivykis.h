/*
 * jivykis.h: the C side of jivykis, for native code that posts to a jivykis event.
 *
 * An event's descriptor (EventRaw.fd() in Java) is an eventfd or the write end of a pipe.
 * Posting makes it readable, which makes the event's handler run in the Java thread that
 * registered it.
 */
#ifndef JIVYKIS_H
#define JIVYKIS_H

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Posts to the event whose descriptor is `fd`: one exact write (8 bytes holding 1 to an
 * eventfd, one byte to a pipe, told apart with fstat). EINTR is retried; EAGAIN (a
 * saturated counter or a full pipe) means the reader is already woken and counts as
 * success. Async-signal-safe: it takes no lock, allocates nothing and leaves errno as it
 * found it, so it may be called from a signal handler.
 *
 * Returns 0, or a negative errno (-EBADF for a closed descriptor, -EINVAL for a descriptor
 * that is neither an eventfd nor a pipe, -EPIPE when a pipe has no reader left).
 */
int jivykis_post(int fd);

#ifdef __cplusplus
}
#endif

#endif
