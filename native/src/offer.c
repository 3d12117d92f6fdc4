/*
 * The owner's side of an event offer (io.jivykis.EventOffer): a listening Unix domain
 * socket whose file permissions are the access control (its file-system steps are in
 * offer_path.c), and the one message that carries a holder's descriptor (the write end
 * of a pipe made for that connection) to each connecting process (see offer_wire.h). The receiving side
 * is jivykis_offer_connect (offer_connect.c), bound here for Java too.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "jivykis.h"
#include "offer_path.h"
#include "offer_wire.h"
#include "shim.h"

#define OFFER_NATIVE_CLASS "io/jivykis/internal/OfferNative"

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
 * O_CLOEXEC | O_NONBLOCK, with file mode exactly `mode`: the descriptor or a negative errno,
 * with nothing left open or bound on failure. The file's (st_dev, st_ino) go to
 * `identity[0..1]`, for offer_remove. The file-system steps, and why they are safe in a
 * directory others can write, are in offer_path.c.
 *
 * The file appears at `path` only once it is listening with its final mode: a process that
 * sees the file and connects never gets ECONNREFUSED, nor finds it with wider permissions.
 */
static jint offer_listen(JNIEnv *env, jclass cls, jbyteArray path_bytes, jint mode, jlongArray identity)
{
	(void)cls;
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	int copied = copy_path(env, path_bytes, path);
	if (copied < 0)
		return copied;
	if (identity == NULL || (*env)->GetArrayLength(env, identity) < 2)
		return -EINVAL;
	struct jivykis_offer_file made;
	int fd = jivykis_offer_listen_at(path, (mode_t)mode, &made);
	if (fd >= 0) {
		jlong values[2] = { (jlong)made.dev, (jlong)made.ino };
		(*env)->SetLongArrayRegion(env, identity, 0, 2, values);
	}
	return fd;
}

/* Removes `path` if it is still the socket file `dev`/`ino`: 0 removed, 1 left alone, or -errno. */
static jint offer_remove(JNIEnv *env, jclass cls, jbyteArray path_bytes, jlong dev, jlong ino)
{
	(void)cls;
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	int copied = copy_path(env, path_bytes, path);
	if (copied < 0)
		return copied;
	struct jivykis_offer_file made = { .dev = (dev_t)dev, .ino = (ino_t)ino };
	return jivykis_offer_remove(path, &made);
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
		{ "listen", "([BI[J)I", (void *)offer_listen },
		{ "remove", "([BJJ)I", (void *)offer_remove },
		{ "accept", "(I)I", (void *)offer_accept },
		{ "send", "(IIZ)I", (void *)offer_send },
		{ "connect", "([BI)I", (void *)offer_connect },
	};
	return jivykis_bind(env, OFFER_NATIVE_CLASS, methods, ARRAY_LENGTH(methods));
}
