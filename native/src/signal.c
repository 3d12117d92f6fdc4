/*
 * Signals, the JNI side: thin natives over the handler table (signal_table.c) plus the
 * system calls Signals.raise and Signals.sendToThisProcess need (raise, kill), and
 * SIGRTMIN/SIGRTMAX, which glibc computes at run time and so cannot sit in the constant
 * table. Argument checks return -EINVAL; every policy (which signals are allowed, which
 * descriptors to publish, when to restore) lives in Java.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <sys/types.h>

#include "shim.h"
#include "signal_table.h"

#define SIGNAL_NATIVE_CLASS "io/jivykis/internal/SignalNative"

static int valid_signal(jint signum)
{
	return signum > 0 && signum < NSIG;
}

static jint install(JNIEnv *env, jclass cls, jint signum)
{
	(void)env; (void)cls;
	return valid_signal(signum) ? jivykis_signal_install(signum) : -EINVAL;
}

static jint restore(JNIEnv *env, jclass cls, jint signum)
{
	(void)env; (void)cls;
	return valid_signal(signum) ? jivykis_signal_restore(signum) : -EINVAL;
}

static jint publish(JNIEnv *env, jclass cls, jint signum, jint slot, jint fd, jboolean is_pipe)
{
	(void)env; (void)cls;
	if (!valid_signal(signum) || slot < 0 || slot >= JIVYKIS_SIGNAL_SLOTS || fd < 0)
		return -EINVAL;
	jivykis_signal_publish(signum, slot, fd, is_pipe == JNI_TRUE);
	return 0;
}

static jint clear(JNIEnv *env, jclass cls, jint signum, jint slot)
{
	(void)env; (void)cls;
	if (!valid_signal(signum) || slot < 0 || slot >= JIVYKIS_SIGNAL_SLOTS)
		return -EINVAL;
	jivykis_signal_clear(signum, slot);
	return 0;
}

static void quiesce(JNIEnv *env, jclass cls)
{
	(void)env; (void)cls;
	jivykis_signal_quiesce();
}

static jint disposition(JNIEnv *env, jclass cls, jint signum)
{
	(void)env; (void)cls;
	return valid_signal(signum) ? jivykis_signal_disposition(signum) : -EINVAL;
}

static jint slot_count(JNIEnv *env, jclass cls)
{
	(void)env; (void)cls;
	return JIVYKIS_SIGNAL_SLOTS;
}

static jint rt_min(JNIEnv *env, jclass cls)
{
	(void)env; (void)cls;
	return SIGRTMIN;
}

static jint rt_max(JNIEnv *env, jclass cls)
{
	(void)env; (void)cls;
	return SIGRTMAX;
}

static jint send_signal(JNIEnv *env, jclass cls, jint pid, jint signum)
{
	(void)env; (void)cls;
	return kill((pid_t)pid, signum) == 0 ? 0 : -errno;
}

static jint raise_signal(JNIEnv *env, jclass cls, jint signum)
{
	(void)env; (void)cls;
	/* raise(3) returns nonzero on failure and sets errno. */
	return raise(signum) == 0 ? 0 : -errno;
}

int jivykis_register_signal(JNIEnv *env)
{
	static const JNINativeMethod methods[] = {
		{ "install", "(I)I", (void *)install },
		{ "restore", "(I)I", (void *)restore },
		{ "publish", "(IIIZ)I", (void *)publish },
		{ "clear", "(II)I", (void *)clear },
		{ "quiesce", "()V", (void *)quiesce },
		{ "disposition", "(I)I", (void *)disposition },
		{ "slotCount", "()I", (void *)slot_count },
		{ "rtMin", "()I", (void *)rt_min },
		{ "rtMax", "()I", (void *)rt_max },
		{ "kill", "(II)I", (void *)send_signal },
		{ "raise", "(I)I", (void *)raise_signal },
	};
	return jivykis_bind(env, SIGNAL_NATIVE_CLASS, methods, ARRAY_LENGTH(methods));
}
