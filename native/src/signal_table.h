/*
 * Private: the process-wide table the native signal handler reads. No JNI here, so the C
 * tests link it on its own (native/test/signal_errno_test.c).
 *
 * Callers other than the handler (install, restore, publish, clear, quiesce) must be
 * serialised by the caller; the Java side does that under one lock.
 */
#ifndef JIVYKIS_SIGNAL_TABLE_H
#define JIVYKIS_SIGNAL_TABLE_H

#include <signal.h>

/* Descriptors one signal can have published at a time. */
#define JIVYKIS_SIGNAL_SLOTS 256

/* Dispositions reported by jivykis_signal_disposition. */
#define JIVYKIS_DISPOSITION_DEFAULT 0
#define JIVYKIS_DISPOSITION_IGNORE 1
#define JIVYKIS_DISPOSITION_JIVYKIS 2
#define JIVYKIS_DISPOSITION_OTHER 3

/*
 * Installs the jivykis handler for `signum` (SA_RESTART, every signal blocked while it
 * runs), remembering the disposition it replaces. A second call while installed does
 * nothing. Returns 0 or a negative errno.
 */
__attribute__((visibility("hidden"))) int jivykis_signal_install(int signum);

/*
 * Puts back the disposition that jivykis_signal_install replaced. When someone else has
 * replaced the jivykis handler meanwhile, theirs is left alone and 1 is returned.
 * Returns 0, 1, or a negative errno.
 */
__attribute__((visibility("hidden"))) int jivykis_signal_restore(int signum);

/* Publishes a descriptor in slot `slot` of `signum`: the handler writes it from now on. */
__attribute__((visibility("hidden"))) void jivykis_signal_publish(int signum, int slot, int fd, int is_pipe);

/* Empties a slot. A handler already running may still write the old descriptor until
 * jivykis_signal_quiesce returns. */
__attribute__((visibility("hidden"))) void jivykis_signal_clear(int signum, int slot);

/* Waits until no handler that may have read a slot before the last clear is still running. */
__attribute__((visibility("hidden"))) void jivykis_signal_quiesce(void);

/* What `signum` does now: one of the JIVYKIS_DISPOSITION_* values, or a negative errno. */
__attribute__((visibility("hidden"))) int jivykis_signal_disposition(int signum);

#endif
