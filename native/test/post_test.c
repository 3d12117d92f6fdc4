/*
 * post_test: checks the C post primitives (jivykis_post, jivykis_post_kind) against real
 * eventfds, pipes, sockets and files. Built with AddressSanitizer and UndefinedBehaviorSanitizer
 * when CMake is configured with -DJIVYKIS_SANITIZE=ON and run by ctest.
 *
 * Each check prints one line; the program exits non-zero if any check failed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include "jivykis.h"
#include "post_private.h"

static int failures;
static int passes;

static void check(int ok, const char *what, long got)
{
	if (ok) {
		passes++;
		printf("ok   %s\n", what);
	} else {
		failures++;
		printf("FAIL %s (got %ld)\n", what, got);
	}
}

static uint64_t read_counter(int efd)
{
	uint64_t value = 0;
	if (read(efd, &value, sizeof(value)) != (ssize_t)sizeof(value))
		return 0;
	return value;
}

static void eventfd_posts_add_one(void)
{
	int efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	int rc = jivykis_post(efd);
	check(rc == 0, "jivykis_post on an eventfd returns 0", rc);
	rc = jivykis_post_kind(efd, 0);
	check(rc == 0, "jivykis_post_kind(eventfd) returns 0", rc);
	uint64_t value = read_counter(efd);
	check(value == 2, "two posts add 2 to the eventfd counter", (long)value);
	close(efd);
}

static void saturated_eventfd_counts_as_success(void)
{
	int efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	uint64_t almost = UINT64_MAX - 1; /* the largest value an eventfd holds */
	ssize_t n = write(efd, &almost, sizeof(almost));
	check(n == (ssize_t)sizeof(almost), "an eventfd can be filled to its maximum", (long)n);
	int rc = jivykis_post(efd);
	check(rc == 0, "a post to a saturated eventfd (EAGAIN) counts as success", rc);
	close(efd);
}

static void pipe_posts_write_one_byte(void)
{
	int fds[2];
	if (pipe2(fds, O_CLOEXEC | O_NONBLOCK) != 0) {
		check(0, "pipe2", errno);
		return;
	}
	int rc = jivykis_post(fds[1]);
	check(rc == 0, "jivykis_post on a pipe returns 0", rc);
	char buf[8];
	ssize_t n = read(fds[0], buf, sizeof(buf));
	check(n == 1, "a post writes exactly one byte to a pipe", (long)n);
	close(fds[0]);
	close(fds[1]);
}

static void full_pipe_does_not_block(void)
{
	int fds[2];
	if (pipe2(fds, O_CLOEXEC | O_NONBLOCK) != 0) {
		check(0, "pipe2", errno);
		return;
	}
	int bad = 0;
	for (int i = 0; i < 70000; i++) {
		if (jivykis_post(fds[1]) != 0)
			bad++;
	}
	check(bad == 0, "70000 posts to a 64 KiB pipe never block and never fail", bad);
	long total = 0;
	char buf[4096];
	ssize_t n;
	while ((n = read(fds[0], buf, sizeof(buf))) > 0)
		total += n;
	check(total >= 4096 && total <= 70000, "the full pipe holds at most what was posted", total);
	close(fds[0]);
	close(fds[1]);
}

static void pipe_without_reader_is_epipe(void)
{
	int fds[2];
	if (pipe2(fds, O_CLOEXEC | O_NONBLOCK) != 0) {
		check(0, "pipe2", errno);
		return;
	}
	close(fds[0]);
	signal(SIGPIPE, SIG_IGN);
	int rc = jivykis_post(fds[1]);
	check(rc == -EPIPE, "a post to a pipe with no reader returns -EPIPE", rc);
	close(fds[1]);
}

static void bad_descriptors_are_refused(void)
{
	int rc = jivykis_post(-1);
	check(rc == -EBADF, "jivykis_post(-1) returns -EBADF", rc);
	rc = jivykis_post(INT32_MAX);
	check(rc == -EBADF, "jivykis_post(INT_MAX) returns -EBADF", rc);
	int efd = eventfd(0, EFD_CLOEXEC);
	close(efd);
	rc = jivykis_post(efd);
	check(rc == -EBADF, "jivykis_post on a closed descriptor returns -EBADF", rc);
	rc = jivykis_post_kind(-1, 0);
	check(rc == -EBADF, "jivykis_post_kind(-1) returns -EBADF", rc);

	char path[] = "/tmp/jivykis-post-test-XXXXXX";
	int file = mkstemp(path);
	if (file >= 0) {
		unlink(path);
		rc = jivykis_post(file);
		check(rc == -EINVAL, "jivykis_post on a regular file returns -EINVAL", rc);
		off_t size = lseek(file, 0, SEEK_END);
		check(size == 0, "nothing was written to the regular file", (long)size);
		close(file);
	}
	int sv[2];
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) == 0) {
		rc = jivykis_post(sv[0]);
		check(rc == -EINVAL, "jivykis_post on a socket returns -EINVAL", rc);
		close(sv[0]);
		close(sv[1]);
	}
	int devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);
	rc = jivykis_post(devnull);
	check(rc == -EINVAL, "jivykis_post on a character device returns -EINVAL", rc);
	close(devnull);
}

static void errno_is_preserved(void)
{
	int efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	errno = ERANGE;
	jivykis_post(efd);
	check(errno == ERANGE, "a successful post leaves errno alone", errno);
	errno = ERANGE;
	jivykis_post(-1);
	check(errno == ERANGE, "a failed post leaves errno alone", errno);
	close(efd);
}

static int signal_fd = -1;
static volatile sig_atomic_t signal_rc = 1;

static void on_signal(int signo)
{
	(void)signo;
	signal_rc = jivykis_post(signal_fd);
}

static void post_from_signal_handler(void)
{
	signal_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);
	raise(SIGUSR1);
	check(signal_rc == 0, "a post from a signal handler returns 0", signal_rc);
	uint64_t value = read_counter(signal_fd);
	check(value == 1, "the signal handler's post reached the eventfd", (long)value);
	signal(SIGUSR1, SIG_DFL);
	close(signal_fd);
}

#define THREADS 4
#define POSTS_PER_THREAD 100000

static void *poster(void *arg)
{
	int fd = *(int *)arg;
	long bad = 0;
	for (int i = 0; i < POSTS_PER_THREAD; i++) {
		if (jivykis_post(fd) != 0)
			bad++;
	}
	return (void *)bad;
}

static void concurrent_posts_are_all_counted(void)
{
	int efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	pthread_t threads[THREADS];
	for (int i = 0; i < THREADS; i++)
		pthread_create(&threads[i], NULL, poster, &efd);
	long bad = 0;
	for (int i = 0; i < THREADS; i++) {
		void *result;
		pthread_join(threads[i], &result);
		bad += (long)result;
	}
	check(bad == 0, "no concurrent post failed", bad);
	uint64_t value = read_counter(efd);
	check(value == (uint64_t)THREADS * POSTS_PER_THREAD,
	      "every concurrent post is counted by the eventfd", (long)value);
	close(efd);
}

int main(void)
{
	eventfd_posts_add_one();
	saturated_eventfd_counts_as_success();
	pipe_posts_write_one_byte();
	full_pipe_does_not_block();
	pipe_without_reader_is_epipe();
	bad_descriptors_are_refused();
	errno_is_preserved();
	post_from_signal_handler();
	concurrent_posts_are_all_counted();
	printf("%d passed, %d failed\n", passes, failures);
	return failures == 0 ? 0 : 1;
}
