/*
 * Private: the file-system steps of an event offer (offer_path.c), without JNI so that a C
 * test can drive them with a hostile process racing each step.
 */
#ifndef JIVYKIS_OFFER_PATH_H
#define JIVYKIS_OFFER_PATH_H

#include <sys/types.h>

/* The socket file an offer made: what its close may remove, and nothing else. */
struct jivykis_offer_file {
	dev_t dev;
	ino_t ino;
};

/*
 * A listening Unix socket (O_CLOEXEC | O_NONBLOCK) whose file appears at `path` only once it
 * listens with exactly `mode`; its identity in `*made`. The descriptor, or a negative errno
 * with nothing left open, bound or changed: -EADDRINUSE when something is at `path` already,
 * -EBUSY when another process swapped names in the directory while the offer was made.
 */
__attribute__((visibility("hidden"))) int jivykis_offer_listen_at(const char *path, mode_t mode,
								  struct jivykis_offer_file *made);

/*
 * Removes `path` if it is still the file `made` describes: 0 removed, 1 left alone (absent,
 * or another file is there now), or a negative errno. Call it while the listening socket is
 * still open (see offer_path.c for why).
 */
__attribute__((visibility("hidden"))) int jivykis_offer_remove(const char *path,
							       const struct jivykis_offer_file *made);

/*
 * Test builds only (-DJIVYKIS_OFFER_TEST_HOOK): called at each step named below, with the
 * directory's descriptor and the names in it (the private directory's, the final one), so
 * that a test can act there as another user would.
 */
enum jivykis_offer_step {
	JIVYKIS_OFFER_MADE_PRIVATE_DIR,  /* mkdirat done, not yet opened */
	JIVYKIS_OFFER_OPENED_PRIVATE_DIR, /* opened and checked, socket not yet bound */
	JIVYKIS_OFFER_BOUND,              /* bound inside it, mode not yet set */
	JIVYKIS_OFFER_MODE_SET,           /* mode set, not yet linked */
	JIVYKIS_OFFER_LINKED,             /* published at the final name, temporary name still there */
	JIVYKIS_OFFER_REMOVING_PRIVATE_DIR, /* private directory empty, checked, not yet removed */
	JIVYKIS_OFFER_REMOVE_CHECKED,     /* close: the final name was checked, not yet unlinked */
	JIVYKIS_OFFER_STEPS
};
#ifdef JIVYKIS_OFFER_TEST_HOOK
void jivykis_offer_test_hook(enum jivykis_offer_step step, int dirfd, const char *private_name,
			     const char *final_name);
#endif

#endif
