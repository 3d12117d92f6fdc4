/*
 * The raw C ping-pong: two threads, each with its own epoll instance and eventfd, post each
 * other in turn. One leg is write(peer's eventfd) + epoll_wait + read(own eventfd): three
 * system calls, as C ivykis does per iv_event_raw post and dispatch. ops = round trips.
 * Usage: jivykis-raw-pingpong SECONDS
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "bench_report.h"

struct side {
	int efd;
	int epfd;
};

static struct side ping, pong;
static atomic_int stop;

static void side_open(struct side *s)
{
	s->efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	s->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (s->efd < 0 || s->epfd < 0)
		bench_die("eventfd/epoll_create1");
	struct epoll_event ev = { .events = EPOLLIN, .data.u64 = 0 };
	if (epoll_ctl(s->epfd, EPOLL_CTL_ADD, s->efd, &ev) < 0)
		bench_die("epoll_ctl");
}

static void post(const struct side *to)
{
	uint64_t one = 1;
	if (write(to->efd, &one, sizeof(one)) != sizeof(one))
		bench_die("write(eventfd)");
}

static void await(const struct side *self)
{
	struct epoll_event ev;
	uint64_t value;
	int n;
	do {
		n = epoll_wait(self->epfd, &ev, 1, -1);
	} while (n < 0 && errno == EINTR);
	if (n != 1)
		bench_die("epoll_wait");
	if (read(self->efd, &value, sizeof(value)) != sizeof(value))
		bench_die("read(eventfd)");
}

/* The pong thread answers every post until it is told to stop. */
static void *pong_main(void *arg)
{
	(void)arg;
	for (;;) {
		await(&pong);
		if (atomic_load(&stop))
			return NULL;
		post(&ping);
	}
}

static long long rounds_until(long long deadline_ns)
{
	long long rounds = 0;
	do {
		for (int i = 0; i < 64; i++) {
			post(&pong);
			await(&ping);
		}
		rounds += 64;
	} while (bench_now_ns() < deadline_ns);
	return rounds;
}

int main(int argc, char **argv)
{
	double seconds = bench_seconds(argc, argv);
	side_open(&ping);
	side_open(&pong);
	pthread_t thread;
	if (pthread_create(&thread, NULL, pong_main, NULL) != 0)
		bench_die("pthread_create");

	rounds_until(bench_now_ns() + (long long)(seconds * 0.25e9));
	long long start = bench_now_ns();
	long long rounds = rounds_until(start + (long long)(seconds * 1e9));
	long long elapsed = bench_now_ns() - start;

	atomic_store(&stop, 1);
	post(&pong);
	pthread_join(thread, NULL);
	bench_report("pingpong", rounds, elapsed);
	return 0;
}
