/*
 * Private header of the JNI shim: what the per-concern source files share.
 *
 * Each concern (descriptors, epoll, errno text) lives in its own .c file and exposes one
 * registration function that binds its native methods with RegisterNatives. JNI_OnLoad
 * (onload.c) calls them in turn. Every native is one system call with primitive arguments
 * and returns a negative errno on failure; all policy lives in Java.
 */
#ifndef JIVYKIS_SHIM_H
#define JIVYKIS_SHIM_H

#include <jni.h>
#include <stddef.h>

#define JIVYKIS_HIDDEN __attribute__((visibility("hidden")))
#define JIVYKIS_NATIVE_CLASS "io/jivykis/internal/Native"
#define ARRAY_LENGTH(a) ((jint)(sizeof(a) / sizeof((a)[0])))

/* The most one pipe drain reads; Java reads again only after a read this size. */
#define JIVYKIS_PIPE_DRAIN_BYTES 4096

/* Binds `count` methods on the class `class_name`; returns JNI_OK or JNI_ERR. */
JIVYKIS_HIDDEN int jivykis_bind(JNIEnv *env, const char *class_name,
				const JNINativeMethod *methods, jint count);

/*
 * Whether another copy of this library is loaded in the process (single_copy.c): 1 with
 * its file name in `where`, or 0.
 */
JIVYKIS_HIDDEN int jivykis_find_other_copy(char *where, size_t size);

/* One registration function per concern; each returns JNI_OK or JNI_ERR. */
JIVYKIS_HIDDEN int jivykis_register_announcement(JNIEnv *env);
JIVYKIS_HIDDEN int jivykis_register_descriptors(JNIEnv *env);
JIVYKIS_HIDDEN int jivykis_register_epoll(JNIEnv *env);
JIVYKIS_HIDDEN int jivykis_register_errors(JNIEnv *env);
JIVYKIS_HIDDEN int jivykis_register_spawn(JNIEnv *env);
JIVYKIS_HIDDEN int jivykis_register_offer(JNIEnv *env);
JIVYKIS_HIDDEN int jivykis_register_signal(JNIEnv *env);
JIVYKIS_HIDDEN int jivykis_register_timed_wait(JNIEnv *env);

#endif
