/*
 * epoll(7): create, control, wait. epoll_wait writes its results into native memory that
 * Java reads through a direct buffer, so the hot path makes no upcall and no allocation.
 * The token in epoll_event.data is an opaque 64-bit value chosen by Java.
 */
#include <errno.h>
#include <stddef.h>
#include <sys/epoll.h>

#include "shim.h"

static jint epoll_new(JNIEnv *env, jclass cls)
{
	(void)env; (void)cls;
	int fd = epoll_create1(EPOLL_CLOEXEC);
	return fd >= 0 ? fd : -errno;
}

static jint epoll_control(JNIEnv *env, jclass cls, jint epfd, jint op, jint fd,
			  jint events, jlong token)
{
	(void)env; (void)cls;
	struct epoll_event ev = { .events = (uint32_t)events, .data.u64 = (uint64_t)token };
	return epoll_ctl(epfd, op, fd, &ev) == 0 ? 0 : -errno;
}

/*
 * EINTR is returned, not retried: the loop recomputes its timeout and calls again.
 * The kernel writes up to max_events entries at `address`, so the Java side keeps this
 * native package-private and passes only the address and capacity of its own buffer.
 */
static jint epoll_wait_into(JNIEnv *env, jclass cls, jint epfd, jlong address,
			    jint max_events, jint timeout_ms)
{
	(void)env; (void)cls;
	struct epoll_event *events = (struct epoll_event *)(intptr_t)address;
	int n = epoll_wait(epfd, events, max_events, timeout_ms);
	return n >= 0 ? n : -errno;
}

/* The address of a direct buffer; -EINVAL for null or a heap buffer (which has none). */
static jlong buffer_address(JNIEnv *env, jclass cls, jobject buffer)
{
	(void)cls;
	/* GetDirectBufferAddress dereferences its argument: null must not reach it. */
	if (buffer == NULL)
		return -EINVAL;
	void *address = (*env)->GetDirectBufferAddress(env, buffer);
	return address == NULL ? -EINVAL : (jlong)(intptr_t)address;
}

int jivykis_register_epoll(JNIEnv *env)
{
	static const JNINativeMethod methods[] = {
		{ "epollCreate", "()I", (void *)epoll_new },
		{ "epollCtl", "(IIIIJ)I", (void *)epoll_control },
		{ "epollWait", "(IJII)I", (void *)epoll_wait_into },
		{ "bufferAddress", "(Ljava/nio/ByteBuffer;)J", (void *)buffer_address },
	};
	return jivykis_bind(env, JIVYKIS_NATIVE_CLASS, methods, ARRAY_LENGTH(methods));
}
