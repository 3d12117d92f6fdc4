/*
 * RLIMIT_NOFILE: read and set the per-process descriptor limit, so a program that registers
 * many events (the bench's scale case) can raise its soft limit to the hard one. One system
 * call per native; failures come back as a negative errno.
 */
#include <errno.h>
#include <stdint.h>
#include <sys/resource.h>

#include "shim.h"

#define RLIMIT_NATIVE_CLASS "io/jivykis/internal/ResourceLimitNative"

/* getrlimit(RLIMIT_NOFILE): the hard limit when `hard`, else the soft one (RLIM_INFINITY clamped). */
static jlong nofile_limit(JNIEnv *env, jclass cls, jboolean hard)
{
	(void)env; (void)cls;
	struct rlimit limit;
	if (getrlimit(RLIMIT_NOFILE, &limit) < 0)
		return -errno;
	rlim_t value = hard ? limit.rlim_max : limit.rlim_cur;
	return value == RLIM_INFINITY || value > (rlim_t)INT64_MAX ? INT64_MAX : (jlong)value;
}

/* setrlimit(RLIMIT_NOFILE, {soft, hard}): 0 or a negative errno (EPERM to raise the hard one unprivileged). */
static jint set_nofile_limit(JNIEnv *env, jclass cls, jlong soft, jlong hard)
{
	(void)env; (void)cls;
	if (soft < 0 || hard < 0 || soft > hard)
		return -EINVAL;
	struct rlimit limit = { .rlim_cur = (rlim_t)soft, .rlim_max = (rlim_t)hard };
	return setrlimit(RLIMIT_NOFILE, &limit) == 0 ? 0 : -errno;
}

int jivykis_register_rlimit(JNIEnv *env)
{
	static const JNINativeMethod methods[] = {
		{ "nofileLimit", "(Z)J", (void *)nofile_limit },
		{ "setNofileLimit", "(JJ)I", (void *)set_nofile_limit },
	};
	return jivykis_bind(env, RLIMIT_NATIVE_CLASS, methods, ARRAY_LENGTH(methods));
}
