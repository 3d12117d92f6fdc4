/*
 * Inherited descriptors: finding the descriptor a parent announced as
 * JIVYKIS_FD_<NAME>=<backend>:<fd>, and refusing anything that is not what was announced,
 * so a wrong or stale variable never makes a program write to someone else's file.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "jivykis.h"

#define PUBLIC __attribute__((visibility("default")))
#define ENV_PREFIX "JIVYKIS_FD_"

static int valid_name(const char *name)
{
	if (name == NULL || *name == '\0')
		return 0;
	for (const char *p = name; *p; p++) {
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '_'))
			return 0;
	}
	return 1;
}

/* "<backend>:<fd>" → the fd and whether the backend is a pipe; -1 when malformed. */
static int parse_value(const char *value, int *is_pipe)
{
	const char *digits;
	if (strncmp(value, "eventfd:", 8) == 0) {
		*is_pipe = 0;
		digits = value + 8;
	} else if (strncmp(value, "pipe:", 5) == 0) {
		*is_pipe = 1;
		digits = value + 5;
	} else {
		return -1;
	}
	if (*digits < '0' || *digits > '9')
		return -1;
	char *end;
	errno = 0;
	long fd = strtol(digits, &end, 10);
	if (errno != 0 || *end != '\0' || fd < 0 || fd > INT_MAX)
		return -1;
	return (int)fd;
}

/*
 * Whether `fd` is the kind announced. A pipe is a FIFO; an eventfd is an anonymous inode
 * (no file type bits), and /proc, where mounted, names it exactly: that tells it apart from
 * the other anonymous inodes (epoll, timerfd, signalfd).
 */
static int is_announced_kind(int fd, int is_pipe)
{
	struct stat st;
	if (fstat(fd, &st) < 0)
		return 0;
	if (is_pipe)
		return S_ISFIFO(st.st_mode);
	if ((st.st_mode & S_IFMT) != 0)
		return 0;
	char link[64], target[64];
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	ssize_t n = readlink(link, target, sizeof(target) - 1);
	if (n < 0)
		return 1; /* no /proc: the file-type test above is all we can do */
	target[n] = '\0';
	return strcmp(target, "anon_inode:[eventfd]") == 0;
}

PUBLIC int jivykis_inherited(const char *name)
{
	int saved = errno;
	int rc;
	if (!valid_name(name)) {
		rc = -EINVAL;
		goto out;
	}
	char variable[256];
	if (snprintf(variable, sizeof(variable), ENV_PREFIX "%s", name) >= (int)sizeof(variable)) {
		rc = -EINVAL;
		goto out;
	}
	const char *value = getenv(variable);
	if (value == NULL) {
		rc = -ENOENT;
		goto out;
	}
	int is_pipe;
	int fd = parse_value(value, &is_pipe);
	if (fd < 0) {
		rc = -EINVAL;
		goto out;
	}
	int flags = fcntl(fd, F_GETFL);
	if (flags < 0 || (flags & O_ACCMODE) == O_RDONLY) {
		rc = -EBADF;
		goto out;
	}
	rc = is_announced_kind(fd, is_pipe) ? fd : -ENOTSUP;
out:
	errno = saved;
	return rc;
}

PUBLIC int jivykis_post_inherited(const char *name)
{
	int fd = jivykis_inherited(name);
	return fd < 0 ? fd : jivykis_post(fd);
}

PUBLIC const char *jivykis_inherited_error(int rc)
{
	switch (rc) {
	case -EINVAL:
		return "the name is not [A-Z0-9_]+, or the variable's value is not <eventfd|pipe>:<fd>";
	case -ENOENT:
		return "the variable is not set: this process was not started with the event passed under that name";
	case -EBADF:
		return "the announced descriptor is not open for writing in this process";
	case -ENOTSUP:
		return "the announced descriptor is not of the announced kind (an eventfd, or a pipe's write end)";
	case -EPIPE:
		return "the receiver is gone: no process reads the pipe any more";
	default:
		return rc < 0 ? "the post failed" : "no error";
	}
}
