/*
 * jivykis.h: the C side of jivykis, for native code that posts to a jivykis event.
 *
 * An event's descriptor (EventRaw.fd() in Java, for native code of the owning process) is an
 * eventfd or the write end of a pipe. Another process holds a descriptor of its own: the write
 * end of a pipe made for it alone (ChildProcessBuilder.pass, EventOffer), which posts to the
 * event and can do nothing else to its owner. Posting makes the descriptor readable, which
 * makes the event's handler run in the Java thread that registered it.
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

/*
 * Descriptors handed to another process. A process started by ChildProcessBuilder finds each
 * descriptor it was passed announced in its environment as JIVYKIS_FD_<NAME>=<kind>:<fd>,
 * for example JIVYKIS_FD_WAKE=pipe:3 (ChildProcessBuilder hands each child a pipe of its own).
 *
 * The rules, applied by one implementation that the C post library, the jivykis-post tool,
 * io.jivykis.Poster.inherited and `java -jar jivykis.jar post` all share:
 *   - NAME is one or more of A-Z, 0-9 and '_', of any length;
 *   - kind is exactly "eventfd" or "pipe" (lower case);
 *   - fd is the descriptor number in decimal: ASCII digits only (leading zeros allowed),
 *     no sign, no white space before or after, at most INT_MAX; nothing follows it;
 *   - fd is not 0, 1 or 2: standard input, output and error are never an event's
 *     descriptor (ChildProcessBuilder passes events from 3 up);
 *   - the descriptor is open, of the announced kind, and open for writing. An eventfd is
 *     the anonymous inode /proc/self/fd names "anon_inode:[eventfd]" (without /proc, any
 *     anonymous inode passes this test); a pipe is any FIFO (fstat S_ISFIFO), a named FIFO
 *     included, and must be its write end.
 * Anything else is refused; nothing is ever written to a refused descriptor.
 *
 * When the receiver is gone (its EventRaw unregistered, this holder revoked by
 * EventOffer.revoke(), or its process exited), a post to a holder's pipe returns -EPIPE. (A
 * post to an eventfd still succeeds: the kernel keeps the counter while this process holds
 * it, and cannot tell that nobody reads it; jivykis hands no eventfd to other processes.) In both cases
 * jivykis_post never raises SIGPIPE and never blocks: a C program posting to a pipe whose
 * reader is gone sees -EPIPE and lives on, whatever its SIGPIPE disposition.
 */

/*
 * The descriptor announced as JIVYKIS_FD_<name>, after checking it by the rules above.
 * Parse once, then post with jivykis_post(fd). Not async-signal-safe (it reads the
 * environment); call it before installing handlers. errno is left as it was.
 *
 * Returns the descriptor, or a negative errno: -EINVAL for a name that is not [A-Z0-9_]+ or
 * a malformed value, -ENOENT when the variable is not set, -ERANGE when it names descriptor
 * 0, 1 or 2, -EBADF when the descriptor is not open (or not open for writing), -ENOTSUP
 * when it is not the announced kind. jivykis_inherited_error() turns each into a sentence
 * for the user.
 */
int jivykis_inherited(const char *name);

/*
 * jivykis_inherited(name), then jivykis_post on the result: 0 or a negative errno as above.
 * Not async-signal-safe; a signal handler posts with jivykis_post on a descriptor found earlier.
 */
int jivykis_post_inherited(const char *name);

/* A static English sentence saying what a negative result of jivykis_inherited means. */
const char *jivykis_inherited_error(int rc);

/*
 * The receiving end of an event offer: connects to the Unix domain socket at `path`, where
 * a Java program offers one of its events (io.jivykis.EventOffer), and receives a
 * descriptor of its own that posts to the event (SCM_RIGHTS), opened close-on-exec. Post
 * to it with jivykis_post, close it when done. Waits at most `timeout_ms` milliseconds for the offer to answer (0 or a
 * negative value: 10 seconds).
 *
 * Returns the descriptor, or a negative errno: -ENOENT (no socket at path), -ECONNREFUSED
 * (nobody offers there any more), -EACCES (the socket's permissions exclude this user),
 * -ENAMETOOLONG (path longer than a socket address holds), -ETIMEDOUT (the owner did not
 * answer in time, e.g. its event loop is not running), -EPROTO (the peer sent no descriptor:
 * the offered event is not registered at the moment, or the offer has as many live posters
 * as it allows), -EBADMSG (the answer is not an offer's: not exactly one descriptor, truncated
 * control data, a wrong byte, or a descriptor that is not an event's write end). On every
 * failure each descriptor the peer sent has been closed again: a hostile peer leaks nothing
 * into the calling process.
 *
 * The descriptor received is the write end of a pipe made for this caller alone: it can post
 * and nothing else. When the owner revokes it (EventOffer.revoke(), or unregistering the
 * event) jivykis_post on it returns -EPIPE.
 */
int jivykis_offer_connect(const char *path, int timeout_ms);

/*
 * Posting from a signal handler in native code loaded into the JVM. The JVM loads the
 * jivykis JNI library with RTLD_LOCAL, so a JNI library of your own cannot link to its
 * jivykis_post symbol by name. Either link the C post library (libjivykis-post, static or
 * shared: the same jivykis_post), or take the function from the copy the JVM has already
 * loaded, once, before installing your handler:
 *
 *     void *shim = dlopen("libjivykis.so", RTLD_NOLOAD | RTLD_NOW);  // matched by soname
 *     int (*post)(int) = shim ? (int (*)(int))dlsym(shim, "jivykis_post") : NULL;
 *
 * RTLD_NOLOAD never loads a second copy; it fails (NULL) when jivykis is not loaded yet,
 * i.e. before the first EventLoop.open(). Then, in the handler: post(fd) with the
 * descriptor of a registered EventRaw (EventRaw.fd()). To run Java code on a signal
 * without native code of your own, use io.jivykis.SignalHandler.
 */

/*
 * The JNI library also exports the data symbol jivykis_shim_copy_marker. It is no API: each
 * copy of the library looks for it in the objects already loaded, to refuse being a second
 * copy in one JVM (native/src/single_copy.c says why).
 */

#ifdef __cplusplus
}
#endif

#endif
