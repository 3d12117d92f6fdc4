/*
 * hostile-holder: a process that holds a posting descriptor and misuses it, for the
 * holder-isolation tests (the owner must not notice beyond this holder's own posts).
 *
 *   hostile-holder MODE NAME SECONDS            the descriptor announced as JIVYKIS_FD_NAME
 *   hostile-holder MODE --socket PATH SECONDS   the descriptor an EventOffer at PATH answers
 *
 * MODE:
 *   steal    clears O_NONBLOCK on the descriptor, blocks four threads reading it (taking
 *            what others post, if they could), posts once, then holds it for SECONDS
 *   flood    clears O_NONBLOCK and posts as fast as it can for SECONDS
 *   fill     grows the pipe to 1 MiB (F_SETPIPE_SZ), fills it, then exits
 *   close    closes the descriptor at once, then lives on for SECONDS
 *   passon   forks a grandchild that posts every 10 ms for SECONDS, and exits at once
 *   honest   posts every 10 ms for SECONDS
 *   revoked  posts every 10 ms until a post reports EPIPE (exit 0) or SECONDS pass (exit 4)
 *   pester   (--socket only) for SECONDS, connects again and again, writes garbage bytes and
 *            a descriptor to the offer and hangs up without reading its answer
 *
 * Prints "posted=N epipe=N fds=B/A" at the end: B and A are how many descriptors it held
 * before taking the descriptor and after closing it (the grandchild of passon prints nothing).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "jivykis.h"

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int count_fds(void)
{
	int n = 0;
	for (int fd = 0; fd < 4096; fd++)
		n += fcntl(fd, F_GETFD) >= 0;
	return n;
}

/* Connects to the offer at `path` raw, sends garbage and a descriptor, hangs up unanswered. */
static int pester_once(const char *path)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	snprintf(addr.sun_path, sizeof(addr.sun_path), "%s", path);
	int sock = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (sock < 0)
		return -1;
	int rc = connect(sock, (struct sockaddr *)&addr, sizeof(addr));
	if (rc == 0) {
		union {
			struct cmsghdr align;
			char buf[CMSG_SPACE(sizeof(int))];
		} control;
		memset(&control, 0, sizeof(control));
		struct iovec iov = { .iov_base = "garbage", .iov_len = 7 };
		struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = control.buf,
				      .msg_controllen = sizeof(control.buf) };
		struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(c), &sock, sizeof(int));
		sendmsg(sock, &msg, MSG_NOSIGNAL | MSG_DONTWAIT);
	}
	close(sock);
	return rc;
}

static void *thief(void *arg)
{
	int fd = *(int *)arg;
	char buf[4096];
	for (;;) {
		/* Blocks on a shared eventfd or read end; a write end refuses at once (EBADF). */
		if (read(fd, buf, sizeof(buf)) < 0 && errno != EINTR)
			return NULL;
	}
}

static void clear_nonblock(int fd)
{
	int flags = fcntl(fd, F_GETFL);
	if (flags >= 0)
		fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
}

/* Posts every 10 ms for `seconds` (or until EPIPE when `until_epipe`); counts in *posted, *epipe. */
static void post_steadily(int fd, double seconds, int until_epipe, long *posted, long *epipe)
{
	double end = now() + seconds;
	while (now() < end) {
		int rc = jivykis_post(fd);
		if (rc == 0)
			(*posted)++;
		else if (rc == -EPIPE && ((*epipe)++, until_epipe))
			return;
		usleep(10000);
	}
}

int main(int argc, char **argv)
{
	int socket_form = argc == 5 && strcmp(argv[2], "--socket") == 0;
	if (argc != 4 && !socket_form) {
		fprintf(stderr, "usage: hostile-holder MODE NAME|--socket PATH SECONDS\n");
		return 2;
	}
	const char *mode = argv[1];
	double seconds = atof(argv[argc - 1]);
	int fds_before = count_fds();
	if (strcmp(mode, "pester") == 0 && socket_form) {
		long connections = 0;
		for (double end = now() + seconds; now() < end;)
			connections += pester_once(argv[3]) == 0;
		printf("connections=%ld\n", connections);
		return 0;
	}
	int fd = socket_form ? jivykis_offer_connect(argv[3], 10000) : jivykis_inherited(argv[2]);
	if (fd < 0) {
		fprintf(stderr, "hostile-holder: no descriptor: %s\n", strerror(-fd));
		return 1;
	}
	long posted = 0, epipe = 0;
	if (strcmp(mode, "steal") == 0) {
		clear_nonblock(fd);
		/* Four readers: on a shared descriptor they would take most posts from the owner. */
		for (int i = 0; i < 4; i++) {
			pthread_t t;
			pthread_create(&t, NULL, thief, &fd);
		}
		usleep(20000);
		if (jivykis_post(fd) == 0)
			posted++;
		usleep((useconds_t)(seconds * 1e6));
	} else if (strcmp(mode, "flood") == 0) {
		clear_nonblock(fd);
		double end = now() + seconds;
		while (now() < end) {
			int rc = jivykis_post(fd);
			posted += rc == 0;
			epipe += rc == -EPIPE;
		}
	} else if (strcmp(mode, "fill") == 0) {
		fcntl(fd, F_SETPIPE_SZ, 1 << 20);
		static char block[65536];
		memset(block, 1, sizeof(block));
		fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
		ssize_t n;
		while ((n = write(fd, block, sizeof(block))) > 0)
			posted += n;
	} else if (strcmp(mode, "close") == 0) {
		close(fd);
		usleep((useconds_t)(seconds * 1e6));
	} else if (strcmp(mode, "passon") == 0) {
		if (fork() == 0) {
			post_steadily(fd, seconds, 0, &posted, &epipe);
			_exit(0);
		}
		return 0;
	} else if (strcmp(mode, "honest") == 0) {
		post_steadily(fd, seconds, 0, &posted, &epipe);
		close(fd);
	} else if (strcmp(mode, "revoked") == 0) {
		post_steadily(fd, seconds, 1, &posted, &epipe);
		printf("posted=%ld epipe=%ld\n", posted, epipe);
		return epipe > 0 ? 0 : 4;
	} else {
		fprintf(stderr, "hostile-holder: unknown mode %s\n", mode);
		return 2;
	}
	printf("posted=%ld epipe=%ld fds=%d/%d\n", posted, epipe, fds_before, count_fds());
	return 0;
}
