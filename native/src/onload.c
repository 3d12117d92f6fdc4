/*
 * JNI_OnLoad: binds every native method with RegisterNatives.
 *
 * It looks up only the library's own Native class, through the class loader that is
 * loading the library, and no application classes: finding classes by name from
 * JNI_OnLoad is a known class-loader deadlock elsewhere.
 */
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

JNIEXPORT jint JNI_OnLoad(JavaVM *vm, void *reserved)
{
	(void)reserved;
	JNIEnv *env;
	if ((*vm)->GetEnv(vm, (void **)&env, JNI_VERSION_10) != JNI_OK)
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
