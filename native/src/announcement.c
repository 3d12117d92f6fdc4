/*
 * The JIVYKIS_FD_<NAME>=<kind>:<fd> contract, implemented once (rules: jivykis.h). A wrong
 * or stale variable must never make a program write to someone else's file, so the value
 * is parsed strictly and the descriptor is checked against what the value says.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "announcement.h"

int jivykis_valid_name(const char *name)
{
	if (name == NULL || *name == '\0')
		return 0;
	for (const char *p = name; *p; p++) {
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '_'))
			return 0;
	}
	return 1;
}

/* The length of `prefix` when `value` starts with it, else 0. */
static size_t starts_with(const char *value, const char *prefix)
{
	size_t n = strlen(prefix);
	return strncmp(value, prefix, n) == 0 ? n : 0;
}

int jivykis_parse_announcement(const char *value, int *kind)
{
	if (value == NULL)
		return -EINVAL;
	size_t skip;
	if ((skip = starts_with(value, "eventfd:")) != 0) {
		*kind = JIVYKIS_KIND_EVENTFD;
	} else if ((skip = starts_with(value, "pipe:")) != 0) {
		*kind = JIVYKIS_KIND_PIPE;
	} else {
		return -EINVAL;
	}
	/*
	 * Digits by hand rather than strtol, which would take a sign and leading white space:
	 * the value is exactly what ChildProcessBuilder writes, or it is refused.
	 */
	const char *p = value + skip;
	if (*p == '\0')
		return -EINVAL;
	long long fd = 0;
	for (; *p; p++) {
		if (*p < '0' || *p > '9')
			return -EINVAL;
		fd = fd * 10 + (*p - '0');
		if (fd > INT_MAX)
			return -EINVAL;
	}
	/*
	 * Standard input, output and error are never an event's descriptor (ChildProcessBuilder
	 * passes events from 3 up); posting to them would write into whatever they are.
	 */
	if (fd <= STDERR_FILENO)
		return -ERANGE;
	return (int)fd;
}

/*
 * What `fd` is: a pipe is a FIFO (named FIFOs included: the kernel treats both alike); an
 * eventfd is an anonymous inode (no file type bits), and /proc, where mounted, names it
 * exactly, which tells it apart from the other anonymous inodes (epoll, timerfd, signalfd).
 * Without /proc the file-type test is all there is; any other anonymous inode refuses the
 * 8-byte write with EINVAL, so a post reports the mistake rather than corrupting anything.
 */
static int kind_of(const struct stat *st, int fd)
{
	if (S_ISFIFO(st->st_mode))
		return JIVYKIS_KIND_PIPE;
	if ((st->st_mode & S_IFMT) != 0)
		return -ENOTSUP;
	char link[64], target[64];
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	ssize_t n = readlink(link, target, sizeof(target) - 1);
	if (n < 0)
		return JIVYKIS_KIND_EVENTFD;
	target[n] = '\0';
	return strcmp(target, "anon_inode:[eventfd]") == 0 ? JIVYKIS_KIND_EVENTFD : -ENOTSUP;
}

int jivykis_check_descriptor(int fd, int kind)
{
	int saved = errno;
	int rc;
	struct stat st;
	if (fd < 0 || fstat(fd, &st) < 0) {
		rc = -EBADF;
		goto out;
	}
	rc = kind_of(&st, fd);
	if (rc < 0 || (kind != JIVYKIS_KIND_ANY && rc != kind)) {
		rc = -ENOTSUP;
		goto out;
	}
	int flags = fcntl(fd, F_GETFL);
	if (flags < 0 || (flags & O_ACCMODE) == O_RDONLY)
		rc = -EACCES;
out:
	errno = saved;
	return rc;
}
