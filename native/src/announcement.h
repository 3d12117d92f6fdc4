/*
 * Private: the one implementation of the JIVYKIS_FD_<NAME>=<kind>:<fd> contract (its rules
 * are stated in jivykis.h). The C API (inherited.c) and the JNI shim (announcement_jni.c)
 * both call these, so C programs, the jivykis-post tool and Java accept and refuse exactly
 * the same names, values and descriptors. No JNI here: the C post library links it alone.
 */
#ifndef JIVYKIS_ANNOUNCEMENT_H
#define JIVYKIS_ANNOUNCEMENT_H

#define JIVYKIS_ENV_PREFIX "JIVYKIS_FD_"

/* The kinds a descriptor can be announced as; JIVYKIS_KIND_ANY accepts either. */
#define JIVYKIS_KIND_EVENTFD 0
#define JIVYKIS_KIND_PIPE 1
#define JIVYKIS_KIND_ANY 2

/* Whether `name` is a valid event name: one or more of [A-Z0-9_]. NULL is not. */
__attribute__((visibility("hidden"))) int jivykis_valid_name(const char *name);

/*
 * Parses a value "<kind>:<fd>": the descriptor number, with its kind in *kind. Returns
 * -EINVAL when the value is malformed (NULL included), -ERANGE when it names 0, 1 or 2.
 */
__attribute__((visibility("hidden"))) int jivykis_parse_announcement(const char *value, int *kind);

/*
 * Checks that `fd` is open, of `kind` (or either kind for JIVYKIS_KIND_ANY), and open for
 * writing, in that order. Returns the kind the descriptor is, or -EBADF (not open), -ENOTSUP
 * (not of that kind), -EACCES (open, but not for writing: a pipe's read end, say).
 */
__attribute__((visibility("hidden"))) int jivykis_check_descriptor(int fd, int kind);

#endif
