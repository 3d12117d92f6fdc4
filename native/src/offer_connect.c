/*
 * The receiving end of an event offer: connect to the owner's Unix domain socket and take
 * the event's descriptor out of the one message it sends (SCM_RIGHTS). The owner's side is
 * in offer.c; the wire format is described in offer_wire.h.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include "jivykis.h"
#include "offer_wire.h"

#define PUBLIC __attribute__((visibility("default")))
#define DEFAULT_TIMEOUT_MS 10000

/* Receives the message; returns the descriptor or a negative errno. */
static int receive_descriptor(int sock)
{
	struct jivykis_offer_message m;
	jivykis_offer_message_init(&m);
	struct msghdr *msg = &m.msg;
	ssize_t n;
	do {
		n = recvmsg(sock, msg, MSG_CMSG_CLOEXEC);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return (errno == EAGAIN || errno == EWOULDBLOCK) ? -ETIMEDOUT : -errno;
	int fd = -1;
	for (struct cmsghdr *c = CMSG_FIRSTHDR(msg); c != NULL; c = CMSG_NXTHDR(msg, c)) {
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS &&
		    c->cmsg_len == CMSG_LEN(sizeof(int)))
			memcpy(&fd, CMSG_DATA(c), sizeof(int));
	}
	if (fd >= 0 && (n != 1 || (msg->msg_flags & MSG_CTRUNC) ||
			(m.payload != JIVYKIS_OFFER_EVENTFD && m.payload != JIVYKIS_OFFER_PIPE))) {
		close(fd);
		return -EPROTO;
	}
	return fd >= 0 ? fd : -EPROTO;
}

PUBLIC int jivykis_offer_connect(const char *path, int timeout_ms)
{
	int saved = errno;
	int rc;
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	size_t len = path == NULL ? 0 : strlen(path);
	if (len == 0) {
		rc = -EINVAL;
		goto out;
	}
	if (len >= sizeof(addr.sun_path)) {
		rc = -ENAMETOOLONG;
		goto out;
	}
	memcpy(addr.sun_path, path, len + 1);
	int sock = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (sock < 0) {
		rc = -errno;
		goto out;
	}
	if (timeout_ms <= 0)
		timeout_ms = DEFAULT_TIMEOUT_MS;
	struct timeval tv = { .tv_sec = timeout_ms / 1000, .tv_usec = (timeout_ms % 1000) * 1000 };
	/* Bounds both connect (a full backlog) and the wait for the owner's answer. */
	if (setsockopt(sock, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) < 0 ||
	    setsockopt(sock, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)) < 0) {
		rc = -errno;
		close(sock);
		goto out;
	}
	int c;
	do {
		c = connect(sock, (struct sockaddr *)&addr, sizeof(addr));
	} while (c < 0 && errno == EINTR);
	if (c < 0) {
		rc = (errno == EAGAIN || errno == EINPROGRESS) ? -ETIMEDOUT : -errno;
		close(sock);
		goto out;
	}
	rc = receive_descriptor(sock);
	close(sock);
out:
	errno = saved;
	return rc;
}
