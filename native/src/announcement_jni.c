/*
 * JNI binding of announcement.c, so Java applies the very rules the C API does. Strings
 * arrive as modified UTF-8, where a NUL character is two non-zero bytes: it can never cut a
 * name or a value short, and is refused like any other character outside the rules.
 */
#include <errno.h>

#include "announcement.h"
#include "shim.h"

#define ANNOUNCEMENT_NATIVE_CLASS "io/jivykis/internal/AnnouncementNative"

static jint check_name(JNIEnv *env, jclass cls, jstring name)
{
	(void)cls;
	if (name == NULL)
		return -EINVAL;
	const char *chars = (*env)->GetStringUTFChars(env, name, NULL);
	if (chars == NULL)
		return -ENOMEM; /* OutOfMemoryError pending */
	jint rc = jivykis_valid_name(chars) ? 0 : -EINVAL;
	(*env)->ReleaseStringUTFChars(env, name, chars);
	return rc;
}

/* The kind in the high 32 bits and the descriptor in the low ones, or a negative errno. */
static jlong parse(JNIEnv *env, jclass cls, jstring value)
{
	(void)cls;
	if (value == NULL)
		return -EINVAL;
	const char *chars = (*env)->GetStringUTFChars(env, value, NULL);
	if (chars == NULL)
		return -ENOMEM;
	int kind = 0;
	int fd = jivykis_parse_announcement(chars, &kind);
	(*env)->ReleaseStringUTFChars(env, value, chars);
	return fd < 0 ? (jlong)fd : ((jlong)kind << 32) | (jlong)fd;
}

static jint check(JNIEnv *env, jclass cls, jint fd, jint kind)
{
	(void)env; (void)cls;
	return jivykis_check_descriptor(fd, kind);
}

int jivykis_register_announcement(JNIEnv *env)
{
	static const JNINativeMethod methods[] = {
		{ "checkName", "(Ljava/lang/String;)I", (void *)check_name },
		{ "parse", "(Ljava/lang/String;)J", (void *)parse },
		{ "check", "(II)I", (void *)check },
	};
	return jivykis_bind(env, ANNOUNCEMENT_NATIVE_CLASS, methods, ARRAY_LENGTH(methods));
}
