/*
 * The owner's side of an event offer (io.jivykis.EventOffer): a listening Unix domain
 * socket whose file permissions are the access control, and the one message that carries
 * the event's descriptor to each connecting process (see offer_wire.h). The receiving side
 * is jivykis_offer_connect (offer_connect.c), bound here for Java too.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "jivykis.h"
#include "offer_wire.h"
#include "shim.h"

#define OFFER_NATIVE_CLASS "io/jivykis/internal/OfferNative"

/*
 * socket + bind + chmod + listen at `path` (NUL-terminated bytes); the listening descriptor
 * (O_CLOEXEC | O_NONBLOCK) or a negative errno, with nothing left open or bound on failure.
 * On Linux bind() creates the file with the socket inode's mode minus the umask, so the
 * socket is made 0600 before bind: the file never exists with wider permissions than asked
 * for; chmod afterwards sets exactly `mode`, whatever the umask.
 */
static jint offer_listen(JNIEnv *env, jclass cls, jbyteArray path_bytes, jint mode)
{
	(void)cls;
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	if (path_bytes == NULL)
		return -EINVAL;
	jint len = (*env)->GetArrayLength(env, path_bytes);
	if (len < 1)
		return -EINVAL;
	if ((size_t)len >= sizeof(addr.sun_path))
		return -ENAMETOOLONG;
	(*env)->GetByteArrayRegion(env, path_bytes, 0, len, (jbyte *)addr.sun_path);
	addr.sun_path[len] = '\0';
	if (strlen(addr.sun_path) != (size_t)len)
		return -EINVAL; /* an embedded NUL: an abstract or truncated address, not a file */
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -errno;
	int rc = 0;
	if (fchmod(fd, 0600) < 0 || bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
		rc = -errno;
	} else if (chmod(addr.sun_path, (mode_t)mode) < 0 || listen(fd, 64) < 0) {
		rc = -errno;
		unlink(addr.sun_path);
	}
	if (rc < 0) {
		close(fd);
		return rc;
	}
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
	char payload = is_pipe ? JIVYKIS_OFFER_PIPE : JIVYKIS_OFFER_EVENTFD;
	struct iovec iov = { .iov_base = &payload, .iov_len = 1 };
	union {
		struct cmsghdr align;
		char buf[CMSG_SPACE(sizeof(int))];
	} control;
	memset(&control, 0, sizeof(control));
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = control.buf, .msg_controllen = sizeof(control.buf),
	};
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	int fd = event_fd;
	memcpy(CMSG_DATA(c), &fd, sizeof(int));
	ssize_t n;
	do {
		n = sendmsg(conn, &msg, MSG_NOSIGNAL);
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
	if (path_bytes == NULL)
		return -EINVAL;
	jint len = (*env)->GetArrayLength(env, path_bytes);
	if (len < 1)
		return -EINVAL;
	if ((size_t)len >= sizeof(path))
		return -ENAMETOOLONG;
	(*env)->GetByteArrayRegion(env, path_bytes, 0, len, (jbyte *)path);
	path[len] = '\0';
	return jivykis_offer_connect(path, timeout_ms);
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
