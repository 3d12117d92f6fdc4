/*
 * The owner's side of an event offer (io.jivykis.EventOffer): a listening Unix domain
 * socket whose file permissions are the access control, and the one message that carries
 * the event's descriptor to each connecting process (see offer_wire.h). The receiving side
 * is jivykis_offer_connect (offer_connect.c), bound here for Java too.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "jivykis.h"
#include "offer_wire.h"
#include "shim.h"

#define OFFER_NATIVE_CLASS "io/jivykis/internal/OfferNative"

/*
 * A short name in the directory of `path` ("<dir>/.jv<hex>") to bind first; 0 or -errno.
 * It is no longer than `path` whenever the final file name has 11 bytes or more.
 */
static int temporary_name(const char *path, char *out, size_t size, unsigned attempt)
{
	const char *slash = strrchr(path, '/');
	int dir_len = slash == NULL ? 0 : (int)(slash - path + 1);
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	unsigned noise = (unsigned)getpid() * 2654435761u ^ (unsigned)now.tv_nsec ^ attempt * 40503u;
	int n = snprintf(out, size, "%.*s.jv%08x", dir_len, path, noise);
	return (n < 0 || (size_t)n >= size) ? -ENAMETOOLONG : 0;
}

/*
 * Copies a socket path from Java bytes into `path` (sun_path sized), NUL-terminated: 0, or
 * -EINVAL (null, empty, or an embedded NUL, which would name an abstract or truncated
 * address rather than a file) or -ENAMETOOLONG.
 */
static int copy_path(JNIEnv *env, jbyteArray path_bytes,
		     char path[sizeof(((struct sockaddr_un *)0)->sun_path)])
{
	if (path_bytes == NULL)
		return -EINVAL;
	jint len = (*env)->GetArrayLength(env, path_bytes);
	if (len < 1)
		return -EINVAL;
	if ((size_t)len >= sizeof(((struct sockaddr_un *)0)->sun_path))
		return -ENAMETOOLONG;
	(*env)->GetByteArrayRegion(env, path_bytes, 0, len, (jbyte *)path);
	path[len] = '\0';
	return strlen(path) == (size_t)len ? 0 : -EINVAL;
}

/*
 * A listening Unix socket at `path` (NUL-terminated in `path_bytes`' first `len` bytes),
 * O_CLOEXEC | O_NONBLOCK, with file mode exactly `mode`; the descriptor or a negative errno,
 * with nothing left open or bound on failure.
 *
 * The file must appear at `path` only once it is listening with its final mode: a process
 * that sees the file and connects must never get ECONNREFUSED, nor find it with wider
 * permissions. So the socket is bound under a temporary name in the same directory, set to
 * `mode` and put to listen there, then hard-linked to `path` (link fails with EEXIST rather
 * than replace a file someone else put there) and the temporary name removed. On Linux
 * bind() creates the file with the socket inode's mode minus the umask, so the socket is
 * made 0600 before bind: even the temporary name is never wider than that.
 */
static jint offer_listen(JNIEnv *env, jclass cls, jbyteArray path_bytes, jint mode)
{
	(void)cls;
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	int copied = copy_path(env, path_bytes, path);
	if (copied < 0)
		return copied;
	if (access(path, F_OK) == 0)
		return -EADDRINUSE; /* the usual case of a taken path, reported before any work */

	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -errno;
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	int rc = fchmod(fd, 0600) < 0 ? -errno : -EADDRINUSE;
	for (unsigned attempt = 0; rc == -EADDRINUSE && attempt < 16; attempt++) {
		rc = temporary_name(path, addr.sun_path, sizeof(addr.sun_path), attempt);
		if (rc == 0 && bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0)
			rc = -errno;
	}
	if (rc < 0) {
		close(fd);
		return rc;
	}
	if (chmod(addr.sun_path, (mode_t)mode) < 0 || listen(fd, 64) < 0 || link(addr.sun_path, path) < 0) {
		rc = errno == EEXIST ? -EADDRINUSE : -errno;
		unlink(addr.sun_path);
		close(fd);
		return rc;
	}
	unlink(addr.sun_path);
	return fd;
}

/* accept4: a connection (O_CLOEXEC | O_NONBLOCK) or a negative errno (-EAGAIN: none waiting). */
static jint offer_accept(JNIEnv *env, jclass cls, jint listen_fd)
{
	(void)env; (void)cls;
	int fd;
	do {
		fd = accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
	} while (fd < 0 && errno == EINTR);
	return fd >= 0 ? fd : -errno;
}

/*
 * One sendmsg: the backend byte with `event_fd` attached as SCM_RIGHTS. A fresh connection's
 * send buffer always holds one byte, so the non-blocking send does not meet EAGAIN.
 * MSG_NOSIGNAL: a receiver that hung up already costs an EPIPE, not a signal.
 */
static jint offer_send(JNIEnv *env, jclass cls, jint conn, jint event_fd, jboolean is_pipe)
{
	(void)env; (void)cls;
	if (event_fd < 0)
		return -EBADF;
	struct jivykis_offer_message m;
	jivykis_offer_message_init(&m);
	jivykis_offer_message_one_fd(&m);
	m.payload = is_pipe ? JIVYKIS_OFFER_PIPE : JIVYKIS_OFFER_EVENTFD;
	struct cmsghdr *c = CMSG_FIRSTHDR(&m.msg);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	int fd = event_fd;
	memcpy(CMSG_DATA(c), &fd, sizeof(int));
	ssize_t n;
	do {
		n = sendmsg(conn, &m.msg, MSG_NOSIGNAL);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	return n == 1 ? 0 : -EIO;
}

/* jivykis_offer_connect for Java: the received descriptor or a negative errno. */
static jint offer_connect(JNIEnv *env, jclass cls, jbyteArray path_bytes, jint timeout_ms)
{
	(void)cls;
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	int copied = copy_path(env, path_bytes, path);
	return copied < 0 ? copied : jivykis_offer_connect(path, timeout_ms);
}

int jivykis_register_offer(JNIEnv *env)
{
	static const JNINativeMethod methods[] = {
		{ "listen", "([BI)I", (void *)offer_listen },
		{ "accept", "(I)I", (void *)offer_accept },
		{ "send", "(IIZ)I", (void *)offer_send },
		{ "connect", "([BI)I", (void *)offer_connect },
	};
	return jivykis_bind(env, OFFER_NATIVE_CLASS, methods, ARRAY_LENGTH(methods));
}
