/*
 * The native signal handler and the lock-free table it reads.
 *
 * For each signal there is a row of JIVYKIS_SIGNAL_SLOTS slots. A slot holds 0 (empty) or
 * one published event descriptor, encoded as ((fd + 1) << 1) | is_pipe in 64 bits (any fd fits). When the signal
 * arrives, the handler writes every published descriptor of its row with the one post
 * primitive (jivykis_post_kind) and does nothing else: no lock, no allocation, errno saved
 * and restored. Which descriptors are published (all registrations of the signal up to
 * and including the first exclusive one) is decided in Java; C only writes.
 *
 * Unpublishing must never let a handler write a descriptor that has been closed (its
 * number may already belong to someone else). A handler may have loaded a slot just before
 * it was cleared and be about to write it. So a descriptor is closed only after a grace
 * period in which every such handler has finished:
 *
 *   - Each handler, before it reads any slot, increments active[epoch & 1] (reading epoch
 *     first) and decrements the same counter when it is done.
 *   - jivykis_signal_quiesce, called after clearing slots, twice: advances epoch and waits
 *     until the counter of the old parity drops to zero.
 *
 * Why twice: a handler that loaded the old slot value incremented one of the two counters
 * before that load, hence before the clear; both counters are waited on after the clear,
 * so whichever one it used is seen non-zero until it is done. Why flip at all instead of
 * waiting on one counter: new handlers go to the other counter, so the one being waited on
 * only drains (it holds handlers that were already running, plus at most those that read
 * epoch just before the flip) and a storm of signals cannot starve the waiter.
 *
 * All these atomics are sequentially consistent and lock-free (checked below), which is
 * what makes them usable in a signal handler and what the argument above relies on.
 * Sequential consistency, not release/acquire, is needed and enough on every CPU: both sides
 * store then load (the handler: counter, then slot; the clearer: slot, then counter), a
 * store-load pattern that only seq_cst orders. On aarch64, which is weakly ordered, seq_cst
 * loads and stores compile to LDAR/STLR, and an STLR followed by an LDAR is never reordered,
 * so the argument holds there as written; nothing here leans on x86's TSO (which would not
 * order store-then-load either). previous[] and installed[] are plain: only install and
 * restore touch them, and Java calls both under SignalTable's lock, whose acquire and
 * release order native memory too.
 *
 * A forked child that has not exec'd inherits the handler and the descriptors (they are
 * close-on-exec, not close-on-fork). Its deliveries are ignored: the handler compares
 * getpid() with the pid recorded at install, so a child never wakes its parent's loop.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>
#include <unistd.h>

#include "post_private.h"
#include "signal_table.h"

/*
 * Test builds only (native/test/signal_quiesce_test.c): the handler calls a hook at the two
 * points where a slow handler matters, so the test can hold a real handler there while
 * another thread clears and quiesces. Stage 0: epoch read, counter not yet incremented.
 * Stage 1: a slot read, its descriptor not yet written. Compiled out of the shim.
 */
#ifdef JIVYKIS_SIGNAL_TEST_HOOK
void jivykis_signal_test_hook(int stage);
#define TEST_HOOK(stage) jivykis_signal_test_hook(stage)
#else
#define TEST_HOOK(stage) ((void)0)
#endif

_Static_assert(ATOMIC_INT_LOCK_FREE == 2, "the signal handler needs lock-free atomic int");
_Static_assert(ATOMIC_LLONG_LOCK_FREE == 2, "the signal handler needs lock-free atomic long long");

static _Atomic long long slots[NSIG][JIVYKIS_SIGNAL_SLOTS];
/* Per signal, one past the highest slot ever published: the handler scans no further. */
static _Atomic int used[NSIG];
static _Atomic unsigned epoch;
static _Atomic int active[2];
static _Atomic pid_t owner_pid;

/* Touched only by the serialised callers, never by the handler. */
static struct sigaction previous[NSIG];
static int installed[NSIG];

static void handle(int signum)
{
	int saved = errno;
	unsigned parity = atomic_load(&epoch) & 1u;
	TEST_HOOK(0);
	atomic_fetch_add(&active[parity], 1);
	if (getpid() == atomic_load(&owner_pid)) {
		int n = atomic_load(&used[signum]);
		for (int i = 0; i < n; i++) {
			long long value = atomic_load(&slots[signum][i]);
			if (value != 0) {
				TEST_HOOK(1);
				(void)jivykis_post_kind((int)((value >> 1) - 1), (int)(value & 1));
			}
		}
	}
	atomic_fetch_sub(&active[parity], 1);
	errno = saved;
}

int jivykis_signal_install(int signum)
{
	if (installed[signum])
		return 0;
	struct sigaction action;
	memset(&action, 0, sizeof(action));
	action.sa_handler = handle;
	action.sa_flags = SA_RESTART;
	sigfillset(&action.sa_mask);
	atomic_store(&owner_pid, getpid());
	if (sigaction(signum, &action, &previous[signum]) < 0)
		return -errno;
	installed[signum] = 1;
	return 0;
}

int jivykis_signal_restore(int signum)
{
	if (!installed[signum])
		return 0;
	struct sigaction current;
	if (sigaction(signum, NULL, &current) < 0)
		return -errno;
	installed[signum] = 0;
	if ((current.sa_flags & SA_SIGINFO) || current.sa_handler != handle)
		return 1;
	if (sigaction(signum, &previous[signum], NULL) < 0)
		return -errno;
	return 0;
}

void jivykis_signal_publish(int signum, int slot, int fd, int is_pipe)
{
	/* Grow the scan limit before the slot is filled, so the handler cannot miss it. */
	if (atomic_load(&used[signum]) <= slot)
		atomic_store(&used[signum], slot + 1);
	atomic_store(&slots[signum][slot], (((long long)fd + 1) << 1) | (is_pipe ? 1 : 0));
}

void jivykis_signal_clear(int signum, int slot)
{
	atomic_store(&slots[signum][slot], 0);
}

void jivykis_signal_quiesce(void)
{
	for (int round = 0; round < 2; round++) {
		unsigned old = atomic_fetch_add(&epoch, 1u) & 1u;
		/* Handlers are a few writes long; yield rather than burn the CPU they may need. */
		while (atomic_load(&active[old]) != 0)
			sched_yield();
	}
}

int jivykis_signal_disposition(int signum)
{
	struct sigaction current;
	if (sigaction(signum, NULL, &current) < 0)
		return -errno;
	if (current.sa_flags & SA_SIGINFO)
		return JIVYKIS_DISPOSITION_OTHER;
	if (current.sa_handler == SIG_DFL)
		return JIVYKIS_DISPOSITION_DEFAULT;
	if (current.sa_handler == SIG_IGN)
		return JIVYKIS_DISPOSITION_IGNORE;
	return current.sa_handler == handle ? JIVYKIS_DISPOSITION_JIVYKIS : JIVYKIS_DISPOSITION_OTHER;
}
