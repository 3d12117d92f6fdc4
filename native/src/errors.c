/*
 * errno text and the C constants Java needs (errno values, epoll flags, struct layout, and
 * the shim's own codes and buffer sizes), read from the headers at run time rather than
 * guessed, or written a second time, in Java.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <signal.h>
#include <string.h>
#include <sys/epoll.h>

#include "announcement.h"
#include "shim.h"
#include "signal_table.h"

#define CONSTANT(name) { #name, (long long)(name) }

static const struct {
	const char *name;
	long long value;
} constants[] = {
	CONSTANT(EAGAIN), CONSTANT(EINTR), CONSTANT(EINVAL), CONSTANT(ENOSYS),
	CONSTANT(EBADF), CONSTANT(EMFILE), CONSTANT(ENFILE), CONSTANT(ENOMEM),
	CONSTANT(EEXIST), CONSTANT(ENOENT), CONSTANT(EPERM), CONSTANT(EPIPE),
	CONSTANT(EFAULT),
	/* across processes: spawning, reaping, event offers */
	CONSTANT(ECHILD), CONSTANT(ETIMEDOUT), CONSTANT(ECONNREFUSED), CONSTANT(EADDRINUSE),
	CONSTANT(ENAMETOOLONG), CONSTANT(EACCES), CONSTANT(EPROTO), CONSTANT(ENOTDIR),
	CONSTANT(ESRCH), CONSTANT(ENOTSOCK), CONSTANT(ECONNABORTED), CONSTANT(EBUSY), CONSTANT(EBADMSG),
	CONSTANT(ELOOP), CONSTANT(ERANGE), CONSTANT(ENOTSUP),
	CONSTANT(EPOLLIN), CONSTANT(EPOLLOUT), CONSTANT(EPOLLERR), CONSTANT(EPOLLHUP),
	CONSTANT(EPOLLRDHUP), CONSTANT(EPOLLET), CONSTANT(EPOLLONESHOT),
	CONSTANT(EPOLL_CTL_ADD), CONSTANT(EPOLL_CTL_MOD), CONSTANT(EPOLL_CTL_DEL),
	{ "EPOLL_EVENT_SIZE", (long long)sizeof(struct epoll_event) },
	{ "EPOLL_EVENT_DATA_OFFSET", (long long)offsetof(struct epoll_event, data) },
	/* The shim's own: announced descriptor kinds, signal dispositions, the pipe drain size. */
	CONSTANT(JIVYKIS_KIND_EVENTFD), CONSTANT(JIVYKIS_KIND_PIPE), CONSTANT(JIVYKIS_KIND_ANY),
	CONSTANT(JIVYKIS_DISPOSITION_DEFAULT), CONSTANT(JIVYKIS_DISPOSITION_IGNORE),
	CONSTANT(JIVYKIS_DISPOSITION_JIVYKIS), CONSTANT(JIVYKIS_DISPOSITION_OTHER),
	CONSTANT(JIVYKIS_PIPE_DRAIN_BYTES),
	/* Signals (SIGRTMIN and SIGRTMAX are computed at run time: SignalNative has them). */
	CONSTANT(SIGHUP), CONSTANT(SIGINT), CONSTANT(SIGQUIT), CONSTANT(SIGILL), CONSTANT(SIGTRAP),
	CONSTANT(SIGABRT), CONSTANT(SIGBUS), CONSTANT(SIGFPE), CONSTANT(SIGKILL), CONSTANT(SIGUSR1),
	CONSTANT(SIGSEGV), CONSTANT(SIGUSR2), CONSTANT(SIGPIPE), CONSTANT(SIGALRM), CONSTANT(SIGTERM),
	CONSTANT(SIGCHLD), CONSTANT(SIGCONT), CONSTANT(SIGSTOP), CONSTANT(SIGTSTP), CONSTANT(SIGTTIN),
	CONSTANT(SIGTTOU), CONSTANT(SIGURG), CONSTANT(SIGXCPU), CONSTANT(SIGXFSZ), CONSTANT(SIGVTALRM),
	CONSTANT(SIGPROF), CONSTANT(SIGWINCH), CONSTANT(SIGIO), CONSTANT(SIGSYS), CONSTANT(NSIG),
	CONSTANT(__SIGRTMAX),
};

/* The value of a named constant; INT64_MIN when the name is unknown. */
static jlong constant(JNIEnv *env, jclass cls, jstring name)
{
	(void)cls;
	/* GetStringUTFChars(NULL) would crash the JVM: a null name is simply unknown. */
	if (name == NULL)
		return INT64_MIN;
	const char *chars = (*env)->GetStringUTFChars(env, name, NULL);
	if (chars == NULL)
		return INT64_MIN;
	jlong value = INT64_MIN;
	for (jint i = 0; i < ARRAY_LENGTH(constants); i++) {
		if (strcmp(constants[i].name, chars) == 0) {
			value = constants[i].value;
			break;
		}
	}
	(*env)->ReleaseStringUTFChars(env, name, chars);
	return value;
}

static jstring error_text(JNIEnv *env, jclass cls, jint errnum)
{
	(void)cls;
	char buf[256];
	/* GNU strerror_r returns a pointer that may or may not be buf. */
	const char *text = strerror_r(errnum, buf, sizeof(buf));
	return (*env)->NewStringUTF(env, text);
}

int jivykis_register_errors(JNIEnv *env)
{
	static const JNINativeMethod methods[] = {
		{ "constant", "(Ljava/lang/String;)J", (void *)constant },
		{ "strerror", "(I)Ljava/lang/String;", (void *)error_text },
	};
	return jivykis_bind(env, JIVYKIS_NATIVE_CLASS, methods, ARRAY_LENGTH(methods));
}
