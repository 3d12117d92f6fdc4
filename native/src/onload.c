/*
 * JNI_OnLoad: binds every native method with RegisterNatives.
 *
 * It looks up only the library's own Native class, through the class loader that is
 * loading the library, and no application classes: finding classes by name from
 * JNI_OnLoad is a known class-loader deadlock elsewhere.
 */
#include <stdio.h>

#include "shim.h"

int jivykis_bind(JNIEnv *env, const char *class_name,
		 const JNINativeMethod *methods, jint count)
{
	jclass cls = (*env)->FindClass(env, class_name);
	if (cls == NULL)
		return JNI_ERR;
	int rc = (*env)->RegisterNatives(env, cls, methods, count);
	(*env)->DeleteLocalRef(env, cls);
	return rc == 0 ? JNI_OK : JNI_ERR;
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
		return JNI_ERR;
	return JNI_VERSION_10;
}
