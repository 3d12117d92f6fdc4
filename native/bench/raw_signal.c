/*
 * The raw C signal round: what jivykis's SignalHandler does, minus the JVM. A sigaction
 * handler (SA_RESTART, full mask) writes an eventfd; a loop thread waits in epoll_wait,
 * reads the eventfd, takes the time and acknowledges. A killer thread takes the time, calls
 * kill(getpid(), SIGUSR1) and blocks until the acknowledgement. ops = rounds; the extras
 * are the kill -> handler latency (median and 99th percentile) over the measured rounds.
 *
 * Two layouts, both printed by the bench's signal case:
 *  - impl=c-raw-jvm-layout (the default): the main thread only waits for the other two, as
 *    the java launcher's first thread does in a JVM. A signal sent to the process goes first
 *    to the thread whose id is the process id when it does not block it, so, as in a JVM,
 *    the kernel wakes that idle thread to run the handler, which then wakes the loop thread.
 *  - impl=c-raw ("main-loop" as the second argument): the loop runs on the main thread, as
 *    in a C ivykis program, so the handler interrupts epoll_wait directly, one wake-up fewer.
 * Usage: jivykis-raw-signal SECONDS [main-loop]
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "bench_report.h"

#define MAX_SAMPLES (1 << 21)

static int signal_fd;
static int ack_fd;
static int epfd;
static _Atomic long long sent_at;
static atomic_int stop;
static long long samples[MAX_SAMPLES];

static void on_signal(int signum)
{
	(void)signum;
	int saved = errno;
	uint64_t one = 1;
	ssize_t n;
	do {
		n = write(signal_fd, &one, sizeof(one));
	} while (n < 0 && errno == EINTR);
	errno = saved;
}

/* The killer: one signal per round, then wait for the main thread's acknowledgement. */
static void *killer_main(void *arg)
{
	(void)arg;
	while (!atomic_load(&stop)) {
		uint64_t value;
		atomic_store(&sent_at, bench_now_ns());
		if (kill(getpid(), SIGUSR1) < 0)
			bench_die("kill");
		while (read(ack_fd, &value, sizeof(value)) < 0) {
			if (errno != EINTR)
				bench_die("read(ack)");
		}
	}
	return NULL;
}

/* One round on the main thread: wait for the signal's eventfd; returns the latency. */
static long long await_signal(void)
{
	for (;;) {
		struct epoll_event ev;
		uint64_t value;
		int n = epoll_wait(epfd, &ev, 1, -1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n != 1)
			bench_die("epoll_wait");
		if (read(signal_fd, &value, sizeof(value)) == (ssize_t)sizeof(value))
			return bench_now_ns() - atomic_load(&sent_at);
	}
}

static void acknowledge(void)
{
	uint64_t one = 1;
	if (write(ack_fd, &one, sizeof(one)) != (ssize_t)sizeof(one))
		bench_die("write(ack)");
}

static int compare(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;
	return (x > y) - (x < y);
}

static double seconds;
static const char *impl_name = "c-raw-jvm-layout";

/* The rounds, warm-up then measured, with the killer thread; prints the result line. */
static void *loop_main(void *arg)
{
	(void)arg;
	pthread_t thread;
	if (pthread_create(&thread, NULL, killer_main, NULL) != 0)
		bench_die("pthread_create");

	long long warm_until = bench_now_ns() + (long long)(seconds * 0.25e9);
	while (bench_now_ns() < warm_until) {
		await_signal();
		acknowledge();
	}
	long long start = bench_now_ns();
	long long deadline = start + (long long)(seconds * 1e9);
	long long rounds = 0;
	for (;;) {
		long long latency = await_signal();
		if (rounds < MAX_SAMPLES)
			samples[rounds] = latency;
		rounds++;
		if (bench_now_ns() >= deadline)
			atomic_store(&stop, 1);
		acknowledge();
		if (atomic_load(&stop))
			break;
	}
	long long elapsed = bench_now_ns() - start;
	pthread_join(thread, NULL);

	long long n = rounds < MAX_SAMPLES ? rounds : MAX_SAMPLES;
	qsort(samples, (size_t)n, sizeof(samples[0]), compare);
	printf("name=signal impl=%s ops=%lld ns_per_op=%.1f ops_per_sec=%.0f kill_to_handler_ns=%lld"
	       " kill_to_handler_p99_ns=%lld\n",
	       impl_name, rounds, (double)elapsed / (double)rounds, (double)rounds * 1e9 / (double)elapsed,
	       samples[n / 2], samples[n * 99 / 100]);
	return NULL;
}

int main(int argc, char **argv)
{
	seconds = bench_seconds(argc, argv);
	int loop_on_main = argc > 2 && strcmp(argv[2], "main-loop") == 0;
	signal_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	ack_fd = eventfd(0, EFD_CLOEXEC);
	epfd = epoll_create1(EPOLL_CLOEXEC);
	if (signal_fd < 0 || ack_fd < 0 || epfd < 0)
		bench_die("eventfd/epoll_create1");
	struct epoll_event ev = { .events = EPOLLIN, .data.u64 = 0 };
	if (epoll_ctl(epfd, EPOLL_CTL_ADD, signal_fd, &ev) < 0)
		bench_die("epoll_ctl");
	struct sigaction action;
	memset(&action, 0, sizeof(action));
	action.sa_handler = on_signal;
	action.sa_flags = SA_RESTART;
	sigfillset(&action.sa_mask);
	if (sigaction(SIGUSR1, &action, NULL) < 0)
		bench_die("sigaction");

	if (loop_on_main) {
		impl_name = "c-raw";
		loop_main(NULL);
		return 0;
	}
	pthread_t loop;
	if (pthread_create(&loop, NULL, loop_main, NULL) != 0)
		bench_die("pthread_create");
	pthread_join(loop, NULL);
	return 0;
}
