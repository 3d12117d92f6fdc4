/*
 * Event descriptors: eventfd(2) and pipe(2), created O_CLOEXEC | O_NONBLOCK, and the exact
 * writes and reads that post to them and drain them. One system call per native; EINTR is
 * retried; failures come back as a negative errno for Java to report.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "post_private.h"
#include "shim.h"

static jint new_eventfd(JNIEnv *env, jclass cls)
{
	(void)env; (void)cls;
	int fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	return fd >= 0 ? fd : -errno;
}

/* Both ends packed into one long: read end in the high 32 bits, write end in the low. */
static jlong new_pipe(JNIEnv *env, jclass cls)
{
	(void)env; (void)cls;
	int fds[2];
	if (pipe2(fds, O_CLOEXEC | O_NONBLOCK) < 0)
		return -errno;
	return ((jlong)fds[0] << 32) | (jlong)(uint32_t)fds[1];
}

static jint close_fd(JNIEnv *env, jclass cls, jint fd)
{
	(void)env; (void)cls;
	/* close(2) must not be retried on EINTR on Linux: the descriptor is already gone. */
	return close(fd) == 0 ? 0 : -errno;
}

/* Adds 1 to an eventfd counter: exactly one 8-byte write (EAGAIN counts as success). */
static jint eventfd_post(JNIEnv *env, jclass cls, jint fd)
{
	(void)env; (void)cls;
	return jivykis_post_kind(fd, 0);
}

/* Reads and resets an eventfd counter; returns the counter (clamped) or a negative errno. */
static jlong eventfd_drain(JNIEnv *env, jclass cls, jint fd)
{
	(void)env; (void)cls;
	uint64_t value;
	ssize_t n;
	do {
		n = read(fd, &value, sizeof(value));
	} while (n < 0 && errno == EINTR);
	if (n != (ssize_t)sizeof(value))
		return n < 0 ? -errno : -EIO;
	return value > INT64_MAX ? INT64_MAX : (jlong)value;
}

/* Writes exactly one byte to a pipe (EAGAIN on a full pipe counts as success). */
static jint pipe_post(JNIEnv *env, jclass cls, jint fd)
{
	(void)env; (void)cls;
	return jivykis_post_kind(fd, 1);
}

/*
 * One read of up to JIVYKIS_PIPE_DRAIN_BYTES from a pipe's read end; returns the count or a
 * negative errno. A short count means the pipe is empty now, so Java calls again only after a
 * full one (Java reads the size as the constant PIPE_DRAIN_BYTES).
 */
static jint pipe_drain(JNIEnv *env, jclass cls, jint fd)
{
	(void)env; (void)cls;
	char buf[JIVYKIS_PIPE_DRAIN_BYTES];
	ssize_t n;
	do {
		n = read(fd, buf, sizeof(buf));
	} while (n < 0 && errno == EINTR);
	return n >= 0 ? (jint)n : -errno;
}

int jivykis_register_descriptors(JNIEnv *env)
{
	static const JNINativeMethod methods[] = {
		{ "eventfd", "()I", (void *)new_eventfd },
		{ "pipe", "()J", (void *)new_pipe },
		{ "close", "(I)I", (void *)close_fd },
		{ "eventfdPost", "(I)I", (void *)eventfd_post },
		{ "eventfdDrain", "(I)J", (void *)eventfd_drain },
		{ "pipePost", "(I)I", (void *)pipe_post },
		{ "pipeDrain", "(I)I", (void *)pipe_drain },
	};
	return jivykis_bind(env, JIVYKIS_NATIVE_CLASS, methods, ARRAY_LENGTH(methods));
}
