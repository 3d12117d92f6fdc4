/*
 * Inherited descriptors, the C API: finding the descriptor a parent announced as
 * JIVYKIS_FD_<NAME>=<kind>:<fd>. The rules themselves are announcement.c's, shared with Java.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "announcement.h"
#include "jivykis.h"

#define PUBLIC __attribute__((visibility("default")))

/*
 * The value of JIVYKIS_FD_<name>, or NULL. Read from environ directly, as getenv would, so
 * that no buffer limits the length of a name (Java accepts any length; so must C).
 */
static const char *announced_value(const char *name)
{
	size_t prefix = strlen(JIVYKIS_ENV_PREFIX);
	size_t length = strlen(name);
	for (char **entry = environ; entry != NULL && *entry != NULL; entry++) {
		const char *e = *entry;
		if (strncmp(e, JIVYKIS_ENV_PREFIX, prefix) == 0 && strncmp(e + prefix, name, length) == 0 &&
		    e[prefix + length] == '=')
			return e + prefix + length + 1;
	}
	return NULL;
}

PUBLIC int jivykis_inherited(const char *name)
{
	int saved = errno;
	int rc;
	const char *value;
	if (!jivykis_valid_name(name)) {
		rc = -EINVAL;
	} else if ((value = announced_value(name)) == NULL) {
		rc = -ENOENT;
	} else {
		int kind;
		int fd = jivykis_parse_announcement(value, &kind);
		rc = fd < 0 ? fd : jivykis_check_descriptor(fd, kind);
		if (rc >= 0)
			rc = fd;
		else if (rc == -EACCES)
			rc = -EBADF; /* open but not for writing: documented as -EBADF, like not open */
	}
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
		return "the name is not [A-Z0-9_]+, or the variable's value is not <eventfd|pipe>:<fd>"
		       " (<fd> in decimal digits, no sign or space): unset it, or set it as ChildProcessBuilder"
		       " does, e.g. pipe:3";
	case -ENOENT:
		return "the variable is not set: this process was not started with the event passed under that name";
	case -ERANGE:
		return "the announced descriptor is 0, 1 or 2 (standard input, output or error), never an event's:"
		       " the variable was not set by ChildProcessBuilder; unset it or correct the number";
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
