/*
 * jivykis_post: the one implementation of a foreign post, shared by the JNI shim, the C
 * post library, the jivykis-post tool and the native signal handler. Async-signal-safe.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

#include "jivykis.h"
#include "post_private.h"

int jivykis_post_kind(int fd, int is_pipe)
{
	int saved = errno;
	uint64_t one = 1;
	const void *buf = &one;
	size_t len = sizeof(one);
	if (is_pipe) {
		static const char byte = 1;
		buf = &byte;
		len = 1;
	}
	ssize_t n;
	do {
		n = write(fd, buf, len);
	} while (n < 0 && errno == EINTR);
	int rc = 0;
	if (n < 0 && errno != EAGAIN)
		rc = -errno;
	else if (n >= 0 && (size_t)n != len)
		rc = -EIO;
	errno = saved;
	return rc;
}

/*
 * A write to a pipe whose reader is gone raises SIGPIPE, whose default action kills a C
 * program (the JVM ignores it, a plain C child does not). So SIGPIPE is blocked in this
 * thread around the write, and the one our write raised is consumed before the mask is
 * restored; a SIGPIPE that was already pending is left for its owner. The caller sees
 * -EPIPE. Every call used here is a plain system call, safe in a signal handler.
 */
static int post_pipe_without_sigpipe(int fd)
{
	int saved = errno;
	sigset_t pipe_only, old, pending;
	sigemptyset(&pipe_only);
	sigaddset(&pipe_only, SIGPIPE);
	int was_pending = sigpending(&pending) == 0 && sigismember(&pending, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &pipe_only, &old);
	int rc = jivykis_post_kind(fd, 1);
	if (rc == -EPIPE && !was_pending) {
		static const struct timespec zero = { 0, 0 };
		while (sigtimedwait(&pipe_only, NULL, &zero) < 0 && errno == EINTR)
			;
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	errno = saved;
	return rc;
}

__attribute__((visibility("default"))) int jivykis_post(int fd)
{
	int saved = errno;
	struct stat st;
	if (fstat(fd, &st) < 0) {
		int rc = -errno;
		errno = saved;
		return rc;
	}
	errno = saved;
	/* An eventfd is an anonymous inode: neither a FIFO nor a regular file or socket. */
	if (S_ISFIFO(st.st_mode))
		return post_pipe_without_sigpipe(fd);
	if (S_ISREG(st.st_mode) || S_ISSOCK(st.st_mode) || S_ISDIR(st.st_mode) ||
	    S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode) || S_ISLNK(st.st_mode))
		return -EINVAL;
	return jivykis_post_kind(fd, 0);
}
