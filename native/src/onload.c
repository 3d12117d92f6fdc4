/*
 * JNI_OnLoad: binds every native method with RegisterNatives, all or nothing.
 *
 * It looks up only the library's own classes, through the class loader that is loading the
 * library, plus java.lang.Throwable (a bootstrap class) to describe a failure, and no
 * application classes: finding classes by name from JNI_OnLoad is a known class-loader
 * deadlock elsewhere.
 *
 * When one class cannot be bound (a jar whose classes and library come from different
 * builds), the classes bound before it are unbound again, so no class is left half-wired,
 * and the load fails with an UnsatisfiedLinkError that names the class and the JVM's reason.
 */
#include <stdio.h>

#include "shim.h"

/*
 * The classes bound so far in this JNI_OnLoad, to undo them on failure. A file-level table
 * is safe: the JVM runs JNI_OnLoad once per load of the library, holding its library lock,
 * so no two calls use it at once. Twelve is more than the shim has classes; one more would fail the load, not overflow.
 */
#define MAX_BOUND 12
static const char *bound[MAX_BOUND];
static int bound_count;
/* The class whose binding failed, for the message. */
static const char *failed_class;

int jivykis_bind(JNIEnv *env, const char *class_name,
		 const JNINativeMethod *methods, jint count)
{
	if (bound_count == MAX_BOUND) {
		failed_class = class_name;
		return JNI_ERR;
	}
	jclass cls = (*env)->FindClass(env, class_name);
	if (cls == NULL) {
		failed_class = class_name;
		return JNI_ERR;
	}
	int rc = (*env)->RegisterNatives(env, cls, methods, count);
	(*env)->DeleteLocalRef(env, cls);
	if (rc != 0) {
		failed_class = class_name;
		return JNI_ERR;
	}
	bound[bound_count++] = class_name;
	return JNI_OK;
}

/* UnregisterNatives on every class bound so far, newest first. */
static void unbind_all(JNIEnv *env)
{
	while (bound_count > 0) {
		jclass cls = (*env)->FindClass(env, bound[--bound_count]);
		if (cls == NULL) {
			(*env)->ExceptionClear(env);
			continue;
		}
		(*env)->UnregisterNatives(env, cls);
		(*env)->DeleteLocalRef(env, cls);
	}
}

/* The pending exception's toString(), cleared, into `out`; "" when none can be had. */
static void take_pending(JNIEnv *env, char *out, size_t size)
{
	out[0] = '\0';
	jthrowable pending = (*env)->ExceptionOccurred(env);
	if (pending == NULL)
		return;
	(*env)->ExceptionClear(env);
	jclass throwable = (*env)->FindClass(env, "java/lang/Throwable");
	jmethodID to_string = throwable == NULL ? NULL
		: (*env)->GetMethodID(env, throwable, "toString", "()Ljava/lang/String;");
	jstring text = to_string == NULL ? NULL
		: (jstring)(*env)->CallObjectMethod(env, pending, to_string);
	if (text != NULL) {
		const char *chars = (*env)->GetStringUTFChars(env, text, NULL);
		if (chars != NULL) {
			snprintf(out, size, "%s", chars);
			(*env)->ReleaseStringUTFChars(env, text, chars);
		}
	}
	(*env)->ExceptionClear(env);
}

/* Undoes the partial binding and leaves an UnsatisfiedLinkError pending, which System.load throws. */
static jint fail(JNIEnv *env)
{
	char reason[512];
	take_pending(env, reason, sizeof(reason));
	unbind_all(env);
	/* The prefix is what NativeLoader.BIND_FAILURE recognises. */
	char message[1024];
	snprintf(message, sizeof(message),
		 "jivykis: JNI_OnLoad could not bind the native methods of %s (%s); no class was left"
		 " bound. The jar's classes and its native library come from different builds:"
		 " use one jivykis jar, or a -Djivykis.library.path library built from the same sources",
		 failed_class == NULL ? "?" : failed_class, reason[0] ? reason : "RegisterNatives failed");
	jclass error = (*env)->FindClass(env, "java/lang/UnsatisfiedLinkError");
	if (error != NULL)
		(*env)->ThrowNew(env, error, message);
	return JNI_ERR;
}

/*
 * Refuses a second copy of the library in the process (single_copy.c says why): throws an
 * UnsatisfiedLinkError that says what to do, which the JVM raises from System.load once
 * JNI_OnLoad returns, and then unloads this copy. Returns whether it refused.
 */
static int refuse_second_copy(JNIEnv *env)
{
	char other[512];
	if (!jivykis_find_other_copy(other, sizeof(other)))
		return 0;
	char message[1024];
	snprintf(message, sizeof(message),
		 "jivykis: another copy of its native library is already loaded in this JVM (%s), by another"
		 " class loader or a shaded copy of jivykis. Two copies would each take the process's signal"
		 " handlers from the other, and could crash the JVM, so this one is refused. Load jivykis from"
		 " one class loader that all its users share (put the jar on the application class path or in"
		 " a common parent loader, and keep it out of the child loaders).", other);
	jclass error = (*env)->FindClass(env, "java/lang/UnsatisfiedLinkError");
	if (error != NULL)
		(*env)->ThrowNew(env, error, message);
	return 1;
}

JNIEXPORT jint JNI_OnLoad(JavaVM *vm, void *reserved)
{
	(void)reserved;
	JNIEnv *env;
	if ((*vm)->GetEnv(vm, (void **)&env, JNI_VERSION_10) != JNI_OK)
		return JNI_ERR;
	bound_count = 0;
	failed_class = NULL;
	if (refuse_second_copy(env))
		return JNI_ERR;
	if (jivykis_register_announcement(env) != JNI_OK ||
	    jivykis_register_descriptors(env) != JNI_OK ||
	    jivykis_register_epoll(env) != JNI_OK ||
	    jivykis_register_errors(env) != JNI_OK ||
	    jivykis_register_spawn(env) != JNI_OK ||
	    jivykis_register_offer(env) != JNI_OK ||
	    jivykis_register_signal(env) != JNI_OK ||
	    jivykis_register_timed_wait(env) != JNI_OK)
		return fail(env);
	return JNI_VERSION_10;
}
