/*
 * A stand-in for a user's own native code: it installs its own sigaction handler, and that
 * handler posts to a jivykis event with jivykis_post(fd). Loaded into the test JVM with
 * System.load; its natives are bound by name to io.jivykis.SignalHookTest.
 *
 * The JVM loads the jivykis shim with RTLD_LOCAL, so its jivykis_post is not visible to
 * libraries loaded later. This library therefore does not link against it; it finds the
 * shim the JVM already loaded by its soname (dlopen with RTLD_NOLOAD never loads a second
 * copy: it only returns a handle to a library already in the process) and takes
 * jivykis_post from it with dlsym, once, outside the signal handler.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <jni.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>

#include "jivykis.h"

static int (*_Atomic post_fn)(int fd);
static _Atomic int hook_fd = -1;
static struct sigaction previous;

static void hook_handler(int signum)
{
	(void)signum;
	int (*post)(int) = atomic_load(&post_fn);
	int fd = atomic_load(&hook_fd);
	if (post != NULL && fd >= 0)
		(void)post(fd); /* async-signal-safe, and it leaves errno alone */
}

/* 0, -ENOENT when the jivykis shim is not loaded, or a negative errno from sigaction. */
JNIEXPORT jint JNICALL Java_io_jivykis_SignalHookTest_installHook(JNIEnv *env, jclass cls,
								  jint signum, jint fd)
{
	(void)env; (void)cls;
	void *shim = dlopen("libjivykis.so", RTLD_NOLOAD | RTLD_NOW);
	if (shim == NULL)
		return -ENOENT;
	int (*post)(int) = (int (*)(int))dlsym(shim, "jivykis_post");
	/* The handle only pins the library, which the JVM keeps loaded anyway. */
	dlclose(shim);
	if (post == NULL)
		return -ENOENT;
	atomic_store(&post_fn, post);
	atomic_store(&hook_fd, fd);
	struct sigaction action;
	memset(&action, 0, sizeof(action));
	action.sa_handler = hook_handler;
	action.sa_flags = SA_RESTART;
	sigfillset(&action.sa_mask);
	return sigaction(signum, &action, &previous) == 0 ? 0 : -errno;
}

/* Puts back what installHook replaced. */
JNIEXPORT jint JNICALL Java_io_jivykis_SignalHookTest_removeHook(JNIEnv *env, jclass cls, jint signum)
{
	(void)env; (void)cls;
	atomic_store(&hook_fd, -1);
	return sigaction(signum, &previous, NULL) == 0 ? 0 : -errno;
}

/* Calls jivykis_post once directly (outside a handler): 0 or a negative errno. */
JNIEXPORT jint JNICALL Java_io_jivykis_SignalHookTest_postOnce(JNIEnv *env, jclass cls, jint fd)
{
	(void)env; (void)cls;
	int (*post)(int) = atomic_load(&post_fn);
	return post == NULL ? -ENOENT : post(fd);
}
