/*
 * posting-child: a C child for the cross-process tests.
 *
 *   posting-child NAME COUNT ACK_PATH|- [PAUSE_US]
 *
 * First prints "fds:" and the descriptors open in this process (from /proc/self/fd, without
 * the one reading the directory), so the parent can check it received only stdio and the
 * passed descriptors. Then posts COUNT times with jivykis_post_inherited(NAME); with an
 * ACK_PATH (a FIFO) it reads one line from it after each post, the parent's proof that the
 * handler ran; with "-" it pauses PAUSE_US microseconds between posts instead. Finally
 * prints "posted=<n> epipe=<n>" and exits 0; 1 when a post fails otherwise, 3 when the
 * acknowledgements stop early.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "jivykis.h"

static void list_fds(void)
{
	DIR *dir = opendir("/proc/self/fd");
	if (dir == NULL) {
		printf("fds: unavailable\n");
		return;
	}
	int own = dirfd(dir);
	printf("fds:");
	struct dirent *e;
	while ((e = readdir(dir)) != NULL) {
		if (e->d_name[0] == '.' || atoi(e->d_name) == own)
			continue;
		printf(" %s", e->d_name);
	}
	printf("\n");
	closedir(dir);
	fflush(stdout);
}

/* Reads one line; 0 at end of file. */
static int read_ack(int fd)
{
	char c;
	for (;;) {
		ssize_t n = read(fd, &c, 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return 0;
		if (c == '\n')
			return 1;
	}
}

int main(int argc, char **argv)
{
	if (argc < 4) {
		fprintf(stderr, "usage: posting-child NAME COUNT ACK_PATH|- [PAUSE_US]\n");
		return 2;
	}
	list_fds();
	const char *name = argv[1];
	long count = atol(argv[2]);
	int ack = -1;
	if (strcmp(argv[3], "-") != 0) {
		ack = open(argv[3], O_RDONLY | O_CLOEXEC);
		if (ack < 0) {
			perror(argv[3]);
			return 1;
		}
	}
	long pause_us = argc > 4 ? atol(argv[4]) : 0;
	long posted = 0, epipe = 0;
	for (long i = 0; i < count; i++) {
		int rc = jivykis_post_inherited(name);
		if (rc == -EPIPE) {
			epipe++;
		} else if (rc < 0) {
			fprintf(stderr, "posting-child: JIVYKIS_FD_%s: %s (%s)\n", name,
				jivykis_inherited_error(rc), strerror(-rc));
			return 1;
		} else {
			posted++;
		}
		if (ack >= 0 && !read_ack(ack)) {
			printf("posted=%ld epipe=%ld acks-stopped\n", posted, epipe);
			return 3;
		}
		if (ack < 0 && pause_us > 0)
			usleep((useconds_t)pause_us);
	}
	printf("posted=%ld epipe=%ld\n", posted, epipe);
	return 0;
}
