/*
 * ctest: the native signal handler leaves errno as it found it, writes only what is
 * published, ignores deliveries in a forked child, and restores the previous disposition.
 *
 * It raises real signals against the handler table linked on its own (no JVM). Each
 * check prints what went wrong; the exit status is the number of failed checks.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include "signal_table.h"

static int failures;

static void check(int ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "FAILED: %s\n", what);
		failures++;
	} else {
		printf("ok: %s\n", what);
	}
}

/* The eventfd counter, or -errno (-EAGAIN: nothing was written since the last read). */
static long long drain(int efd)
{
	uint64_t value;
	ssize_t n = read(efd, &value, sizeof(value));
	return n == (ssize_t)sizeof(value) ? (long long)value : -errno;
}

int main(void)
{
	int sig = SIGUSR1;
	int efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	check(efd >= 0, "eventfd");

	check(jivykis_signal_disposition(sig) == JIVYKIS_DISPOSITION_DEFAULT, "SIGUSR1 starts at SIG_DFL");
	check(jivykis_signal_install(sig) == 0, "install");
	check(jivykis_signal_disposition(sig) == JIVYKIS_DISPOSITION_JIVYKIS, "the jivykis handler is installed");

	/* A successful write: errno untouched, one post. */
	jivykis_signal_publish(sig, 0, efd, 0);
	errno = EDOM;
	raise(sig);
	check(errno == EDOM, "errno preserved across a handler whose write succeeds");
	check(drain(efd) == 1, "the published eventfd was written once");

	/* Writes that fail inside the handler (EPIPE, EBADF) must not leak their errno. */
	signal(SIGPIPE, SIG_IGN);
	int ends[2];
	check(pipe2(ends, O_CLOEXEC | O_NONBLOCK) == 0, "pipe2");
	close(ends[0]);
	jivykis_signal_publish(sig, 1, ends[1], 1);
	int closed = dup(efd);
	close(closed);
	jivykis_signal_publish(sig, 2, closed, 0);
	errno = ERANGE;
	raise(sig);
	check(errno == ERANGE, "errno preserved across a handler whose writes fail (EPIPE, EBADF)");
	check(drain(efd) == 1, "the good descriptor was still written");
	jivykis_signal_clear(sig, 1);
	jivykis_signal_clear(sig, 2);
	jivykis_signal_quiesce();
	close(ends[1]);

	/* A forked child that has not exec'd shares the eventfd but must not post to it. */
	pid_t child = fork();
	if (child == 0) {
		raise(SIGUSR1);
		_exit(0);
	}
	int status = 0;
	check(child > 0 && waitpid(child, &status, 0) == child && WIFEXITED(status), "the child ran");
	check(drain(efd) == -EAGAIN, "a delivery in a forked child posts nothing");

	/* A cleared slot is never written again. */
	jivykis_signal_clear(sig, 0);
	jivykis_signal_quiesce();
	raise(sig);
	check(drain(efd) == -EAGAIN, "a cleared slot is not written");

	check(jivykis_signal_restore(sig) == 0, "restore");
	check(jivykis_signal_disposition(sig) == JIVYKIS_DISPOSITION_DEFAULT, "SIGUSR1 is back at SIG_DFL");

	/* Someone else's handler installed over ours is left in place on restore. */
	check(jivykis_signal_install(SIGUSR2) == 0, "install SIGUSR2");
	signal(SIGUSR2, SIG_IGN);
	check(jivykis_signal_restore(SIGUSR2) == 1, "restore reports a foreign handler");
	check(jivykis_signal_disposition(SIGUSR2) == JIVYKIS_DISPOSITION_IGNORE, "the foreign disposition stays");

	close(efd);
	return failures;
}
