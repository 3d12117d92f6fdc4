/*
 * jivykis-test-signal-poster: posts to an inherited jivykis event from a signal handler.
 *
 *   jivykis-test-signal-poster NAME COUNT
 *
 * Finds the descriptor passed as JIVYKIS_FD_NAME (before any handler is installed, since
 * that lookup reads the environment), installs a SIGUSR1 handler whose only work is
 * jivykis_post(fd), then sends itself SIGUSR1 COUNT times with kill(2), waiting for each to
 * be handled. Exit 0 when every post from the handler succeeded; 1 otherwise; 2 on usage.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "jivykis.h"

static int event_fd = -1;
static volatile sig_atomic_t handled;
static volatile sig_atomic_t failed;

static void on_signal(int sig)
{
	(void)sig;
	/* jivykis_post is async-signal-safe and preserves errno. */
	if (jivykis_post(event_fd) < 0)
		failed = 1;
	handled++;
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: jivykis-test-signal-poster NAME COUNT\n");
		return 2;
	}
	long count = atol(argv[2]);
	event_fd = jivykis_inherited(argv[1]);
	if (event_fd < 0) {
		fprintf(stderr, "JIVYKIS_FD_%s: %s\n", argv[1], jivykis_inherited_error(event_fd));
		return 1;
	}
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGUSR1, &sa, NULL) < 0) {
		perror("sigaction");
		return 1;
	}
	sigset_t usr1, old;
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	sigprocmask(SIG_BLOCK, &usr1, &old);
	for (long i = 0; i < count; i++) {
		sig_atomic_t before = handled;
		kill(getpid(), SIGUSR1);
		while (handled == before)
			sigsuspend(&old); /* the handler runs here, on a real signal delivery */
	}
	printf("signals=%ld failed=%d\n", (long)handled, (int)failed);
	return failed ? 1 : 0;
}
