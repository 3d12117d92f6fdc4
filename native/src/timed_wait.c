/*
 * epoll_pwait2(2): epoll_wait with a timeout in nanoseconds, so a timer can wake the loop
 * on time rather than rounded to a millisecond. Called through syscall(2) so the shim does
 * not need a C library new enough to wrap it; a kernel without it (or a seccomp filter that
 * refuses it, typically with EPERM) answers with a negative errno and Java falls back to
 * epoll_wait with the timeout rounded up to whole milliseconds.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stddef.h>
#include <linux/time_types.h>
#include <sys/epoll.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "shim.h"

#define TIMED_WAIT_CLASS "io/jivykis/internal/TimedWaitNative"

/* timeout_ns < 0 waits forever. EINTR is returned, not retried, as for epoll_wait. */
static jint epoll_wait_nanos(JNIEnv *env, jclass cls, jint epfd, jlong address,
			     jint max_events, jlong timeout_ns)
{
	(void)env; (void)cls;
#ifdef SYS_epoll_pwait2
	struct epoll_event *events = (struct epoll_event *)(intptr_t)address;
	struct __kernel_timespec timeout = {
		.tv_sec = timeout_ns / 1000000000LL,
		.tv_nsec = timeout_ns % 1000000000LL,
	};
	/* No signal mask: the kernel ignores the size when the mask pointer is NULL. */
	long n = syscall(SYS_epoll_pwait2, epfd, events, max_events,
			 timeout_ns < 0 ? NULL : &timeout, NULL, (size_t)0);
	return n >= 0 ? (jint)n : -errno;
#else
	(void)epfd; (void)address; (void)max_events; (void)timeout_ns;
	return -ENOSYS;
#endif
}

int jivykis_register_timed_wait(JNIEnv *env)
{
	static const JNINativeMethod methods[] = {
		{ "epollWaitNanos", "(IJIJ)I", (void *)epoll_wait_nanos },
	};
	return jivykis_bind(env, TIMED_WAIT_CLASS, methods, ARRAY_LENGTH(methods));
}
