/*
 * The receiving end of an event offer: connect to the owner's Unix domain socket and take
 * this holder's descriptor (the write end of a pipe the owner made for it) out of the one
 * message it sends (SCM_RIGHTS). The owner's side is
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
#include "announcement.h"
#include "offer_wire.h"

#define PUBLIC __attribute__((visibility("default")))
#define DEFAULT_TIMEOUT_MS 10000

/*
 * Closes every descriptor of every SCM_RIGHTS block of `msg` except `keep` (-1: all), and
 * returns how many descriptors there were in all.
 */
static int close_received(struct msghdr *msg, int keep)
{
	int count = 0;
	for (struct cmsghdr *c = CMSG_FIRSTHDR(msg); c != NULL; c = CMSG_NXTHDR(msg, c)) {
		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS || c->cmsg_len < CMSG_LEN(0))
			continue;
		size_t n = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (size_t i = 0; i < n; i++) {
			int fd;
			memcpy(&fd, CMSG_DATA(c) + i * sizeof(int), sizeof(int));
			count++;
			if (fd != keep && fd >= 0)
				close(fd);
		}
	}
	return count;
}

/* The first descriptor of the first SCM_RIGHTS block of `msg`, or -1. */
static int first_received(struct msghdr *msg)
{
	for (struct cmsghdr *c = CMSG_FIRSTHDR(msg); c != NULL; c = CMSG_NXTHDR(msg, c)) {
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS &&
		    c->cmsg_len >= CMSG_LEN(sizeof(int))) {
			int fd;
			memcpy(&fd, CMSG_DATA(c), sizeof(int));
			return fd;
		}
	}
	return -1;
}

/*
 * Receives the message; returns the descriptor or a negative errno. The peer may be anybody
 * who could put a socket at the path, so nothing it sends is trusted: the answer is taken
 * only when it is exactly one payload byte naming a kind, exactly one descriptor, no
 * truncated control data, and the descriptor really is that kind's write end. Anything else
 * is -EBADMSG (or -EPROTO for the owner's "no descriptor" answer), and every descriptor
 * received is closed first: the connecting process keeps nothing a hostile peer sent.
 */
static int receive_descriptor(int sock)
{
	struct jivykis_offer_message m;
	jivykis_offer_message_init(&m);
	struct msghdr *msg = &m.msg;
	ssize_t n;
	do {
		/* MSG_CMSG_CLOEXEC: no received descriptor reaches a child this process starts. */
		n = recvmsg(sock, msg, MSG_CMSG_CLOEXEC);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return (errno == EAGAIN || errno == EWOULDBLOCK) ? -ETIMEDOUT : -errno;
	int fd = first_received(msg);
	int count = close_received(msg, fd);
	int kind = m.payload == JIVYKIS_OFFER_PIPE ? JIVYKIS_KIND_PIPE :
		   m.payload == JIVYKIS_OFFER_EVENTFD ? JIVYKIS_KIND_EVENTFD : -1;
	if (count == 0 && n == 0 && !(msg->msg_flags & MSG_CTRUNC))
		return -EPROTO; /* the owner hung up unanswered: its event is not registered */
	if (count != 1 || n != 1 || kind < 0 || (msg->msg_flags & MSG_CTRUNC) ||
	    jivykis_check_descriptor(fd, kind) != kind) {
		if (fd >= 0)
			close(fd);
		return -EBADMSG;
	}
	return fd;
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
