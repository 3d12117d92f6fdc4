/*
 * ctest: the grace period of the signal table (jivykis_signal_quiesce) waits for every
 * handler that may still write a cleared slot, including one that read the epoch before
 * an earlier quiesce. Real handlers are held at the dangerous points by the test hook that
 * this build compiles into signal_table.c (JIVYKIS_SIGNAL_TEST_HOOK), so the interleavings
 * are forced, not hoped for.
 *
 * 1. A handler has read a slot and not yet written it; the slot is cleared and quiesce
 *    called: quiesce must not return before that write has landed.
 * 2. A handler read the epoch, then a first clear + quiesce ran (and rightly did not wait:
 *    the handler was not counted yet), then the handler read a second slot; that slot is
 *    cleared and quiesce called: it must wait for the handler, although the handler counted
 *    itself under an epoch older than the previous flip. A single flip would not wait.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include "signal_table.h"

static atomic_int held[2];
static atomic_int release_stage[2];
static atomic_int quiesced;
static int failures;

static void pause_briefly(void)
{
	struct timespec ts = { 0, 1000000 };
	nanosleep(&ts, NULL);
}

/* Called from the real handler (async-signal-safe: atomics and nanosleep only). */
void jivykis_signal_test_hook(int stage)
{
	if (atomic_exchange(&held[stage], 1) != 0)
		return; /* hold only the first time each stage is reached */
	while (!atomic_load(&release_stage[stage]))
		pause_briefly();
}

static void check(int ok, const char *what)
{
	if (ok) {
		printf("ok: %s\n", what);
	} else {
		fprintf(stderr, "FAILED: %s\n", what);
		failures++;
	}
}

static long long drain(int efd)
{
	uint64_t value;
	ssize_t n = read(efd, &value, sizeof(value));
	return n == (ssize_t)sizeof(value) ? (long long)value : -errno;
}

static void wait_for(atomic_int *flag)
{
	while (!atomic_load(flag))
		pause_briefly();
}

static void *raiser(void *arg)
{
	(void)arg;
	raise(SIGUSR1); /* handled on this thread */
	return NULL;
}

static void *quiescer(void *arg)
{
	(void)arg;
	jivykis_signal_quiesce();
	atomic_store(&quiesced, 1);
	return NULL;
}

static void reset(void)
{
	for (int i = 0; i < 2; i++) {
		atomic_store(&held[i], 0);
		atomic_store(&release_stage[i], 0);
	}
	atomic_store(&quiesced, 0);
}

/* Starts quiesce on another thread; reports whether it was still waiting after 200 ms. */
static int quiesce_waits(pthread_t *thread)
{
	pthread_create(thread, NULL, quiescer, NULL);
	struct timespec ts = { 0, 200000000 };
	nanosleep(&ts, NULL);
	return !atomic_load(&quiesced);
}

int main(void)
{
	int a = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	int b = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	check(a >= 0 && b >= 0, "eventfds");
	check(jivykis_signal_install(SIGUSR1) == 0, "install");

	/* 1: held between reading slot 0 and writing it. */
	reset();
	atomic_store(&release_stage[0], 1);
	jivykis_signal_publish(SIGUSR1, 0, a, 0);
	pthread_t handler_thread, quiesce_thread;
	pthread_create(&handler_thread, NULL, raiser, NULL);
	wait_for(&held[1]);
	jivykis_signal_clear(SIGUSR1, 0);
	check(quiesce_waits(&quiesce_thread), "quiesce waits for a handler that read the slot before the clear");
	atomic_store(&release_stage[1], 1);
	pthread_join(quiesce_thread, NULL);
	check(drain(a) == 1, "the held handler's write landed before quiesce returned");
	pthread_join(handler_thread, NULL);

	/* 2: the handler read the epoch before a first flip and was counted after it. */
	reset();
	jivykis_signal_publish(SIGUSR1, 0, a, 0);
	jivykis_signal_publish(SIGUSR1, 1, b, 0);
	pthread_create(&handler_thread, NULL, raiser, NULL);
	wait_for(&held[0]);
	jivykis_signal_clear(SIGUSR1, 0);
	jivykis_signal_quiesce(); /* returns at once: the handler has not counted itself yet */
	check(1, "a quiesce while the handler is not yet counted returns");
	atomic_store(&release_stage[0], 1);
	wait_for(&held[1]); /* it skipped cleared slot 0 and read slot 1 */
	jivykis_signal_clear(SIGUSR1, 1);
	check(quiesce_waits(&quiesce_thread), "quiesce waits for a handler counted under an older epoch");
	atomic_store(&release_stage[1], 1);
	pthread_join(quiesce_thread, NULL);
	check(drain(b) == 1, "its write landed before quiesce returned");
	check(drain(a) == -EAGAIN, "the slot cleared before the handler counted itself was not written");
	pthread_join(handler_thread, NULL);

	check(jivykis_signal_restore(SIGUSR1) == 0, "restore");
	close(a);
	close(b);
	return failures;
}
