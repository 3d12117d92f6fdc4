/*
 * The raw C cross-process ping-pong: a parent and a forked child, each with its own epoll
 * instance and eventfd (both created before the fork, so each side holds the other's).
 * One leg is write(peer's eventfd) + epoll_wait + read(own eventfd), as C ivykis does per
 * iv_event_raw post across processes. ops = round trips.
 * Usage: jivykis-raw-xproc SECONDS
 */
#include <signal.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench_report.h"

static int open_eventfd(void)
{
	int fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (fd < 0)
		bench_die("eventfd");
	return fd;
}

static int open_epoll(int fd)
{
	int epfd = epoll_create1(EPOLL_CLOEXEC);
	struct epoll_event ev = { .events = EPOLLIN, .data.u64 = 0 };
	if (epfd < 0 || epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev) < 0)
		bench_die("epoll_create1/epoll_ctl");
	return epfd;
}

static void post(int fd)
{
	uint64_t one = 1;
	if (write(fd, &one, sizeof(one)) != sizeof(one))
		bench_die("write(eventfd)");
}

static void await(int epfd, int fd)
{
	struct epoll_event ev;
	uint64_t value;
	int n;
	do {
		n = epoll_wait(epfd, &ev, 1, -1);
	} while (n < 0 && errno == EINTR);
	if (n != 1 || read(fd, &value, sizeof(value)) != sizeof(value))
		bench_die("epoll_wait/read(eventfd)");
}

static long long rounds_until(int ping_ep, int ping, int pong, long long deadline_ns)
{
	long long rounds = 0;
	do {
		for (int i = 0; i < 64; i++) {
			post(pong);
			await(ping_ep, ping);
		}
		rounds += 64;
	} while (bench_now_ns() < deadline_ns);
	return rounds;
}

int main(int argc, char **argv)
{
	double seconds = bench_seconds(argc, argv);
	int ping = open_eventfd();
	int pong = open_eventfd();
	pid_t child = fork();
	if (child < 0)
		bench_die("fork");
	if (child == 0) {
		/* The child answers every post until its parent kills it. */
		int pong_ep = open_epoll(pong);
		for (;;) {
			await(pong_ep, pong);
			post(ping);
		}
	}
	int ping_ep = open_epoll(ping);
	rounds_until(ping_ep, ping, pong, bench_now_ns() + (long long)(seconds * 0.25e9));
	long long start = bench_now_ns();
	long long rounds = rounds_until(ping_ep, ping, pong, start + (long long)(seconds * 1e9));
	long long elapsed = bench_now_ns() - start;
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	bench_report("xproc", rounds, elapsed);
	return 0;
}
