/* The malformed answers of hostile_answer.h. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "hostile_answer.h"

#define MANY 200
#define OVERSIZED 40

/* Sends `len` payload bytes with the descriptors of `blocks` SCM_RIGHTS blocks (counts in `per`). */
static int send_with(int conn, const char *payload, size_t len, const int *fds, const int *per, int blocks)
{
	size_t space = 0;
	for (int b = 0; b < blocks; b++)
		space += CMSG_SPACE(sizeof(int) * (size_t)per[b]);
	char *control = space ? calloc(1, space) : NULL;
	struct iovec iov = { .iov_base = (void *)payload, .iov_len = len };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = control, .msg_controllen = space };
	const int *next = fds;
	for (struct cmsghdr *c = space ? CMSG_FIRSTHDR(&msg) : NULL; c != NULL && blocks > 0;
	     c = CMSG_NXTHDR(&msg, c), blocks--, per++) {
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int) * (size_t)*per);
		memcpy(CMSG_DATA(c), next, sizeof(int) * (size_t)*per);
		next += *per;
	}
	ssize_t n = sendmsg(conn, &msg, MSG_NOSIGNAL);
	free(control);
	return n < 0 ? -1 : 0;
}

int hostile_answer(int conn, const char *mode)
{
	int p[2];
	if (pipe2(p, O_CLOEXEC) < 0)
		return -1;
	int fds[MANY];
	int rc = 0;
	if (strcmp(mode, "none") == 0) {
		rc = send_with(conn, "p", 1, NULL, NULL, 0);
	} else if (strcmp(mode, "two") == 0) {
		int two[2] = { p[1], p[1] };
		int per[1] = { 2 };
		rc = send_with(conn, "p", 1, two, per, 1);
	} else if (strcmp(mode, "many") == 0) {
		for (int i = 0; i < MANY; i++)
			fds[i] = p[1];
		int per[1] = { MANY };
		rc = send_with(conn, "p", 1, fds, per, 1);
	} else if (strcmp(mode, "oversized") == 0) {
		for (int i = 0; i < 1 + OVERSIZED; i++)
			fds[i] = p[1];
		int per[2] = { 1, OVERSIZED };
		rc = send_with(conn, "p", 1, fds, per, 2);
	} else if (strcmp(mode, "garbage") == 0) {
		int per[1] = { 1 };
		rc = send_with(conn, "garbage", 7, &p[1], per, 1);
	} else if (strcmp(mode, "wrongkind") == 0) {
		int null = open("/dev/null", O_WRONLY | O_CLOEXEC);
		int per[1] = { 1 };
		rc = null < 0 ? -1 : send_with(conn, "p", 1, &null, per, 1);
		if (null >= 0)
			close(null);
	} else if (strcmp(mode, "readend") == 0) {
		int per[1] = { 1 };
		rc = send_with(conn, "p", 1, &p[0], per, 1);
	} else if (strcmp(mode, "hangup") == 0) {
		rc = 0;
	} else if (strcmp(mode, "good") == 0) {
		int per[1] = { 1 };
		rc = send_with(conn, "p", 1, &p[1], per, 1);
	} else {
		rc = -1;
	}
	close(p[0]);
	close(p[1]);
	return rc;
}
