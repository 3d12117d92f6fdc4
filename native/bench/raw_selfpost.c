/*
 * The raw C self-post loop: what C ivykis does for each iv_event_raw_post from the loop's
 * own thread. Each operation is write(eventfd) + epoll_wait + read(eventfd): three system
 * calls. Usage: jivykis-raw-selfpost SECONDS
 */
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "bench_report.h"

static long long run(int efd, int epfd, long long deadline_ns)
{
	uint64_t one = 1, value;
	struct epoll_event ev;
	long long ops = 0;
	for (;;) {
		if (write(efd, &one, sizeof(one)) != sizeof(one))
			bench_die("write(eventfd)");
		if (epoll_wait(epfd, &ev, 1, -1) != 1)
			bench_die("epoll_wait");
		if (read(efd, &value, sizeof(value)) != sizeof(value))
			bench_die("read(eventfd)");
		/* Reading the clock every 256 operations keeps it out of the measurement. */
		if ((++ops & 255) == 0 && bench_now_ns() >= deadline_ns)
			return ops;
	}
}

int main(int argc, char **argv)
{
	double seconds = bench_seconds(argc, argv);
	int efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	int epfd = epoll_create1(EPOLL_CLOEXEC);
	if (efd < 0 || epfd < 0)
		bench_die("eventfd/epoll_create1");
	struct epoll_event ev = { .events = EPOLLIN, .data.u64 = 0 };
	if (epoll_ctl(epfd, EPOLL_CTL_ADD, efd, &ev) < 0)
		bench_die("epoll_ctl");

	run(efd, epfd, bench_now_ns() + (long long)(seconds * 0.25e9));
	long long start_cpu = bench_thread_cpu_ns();
	long long start = bench_now_ns();
	long long ops = run(efd, epfd, start + (long long)(seconds * 1e9));
	long long elapsed = bench_now_ns() - start;
	bench_report_cpu("selfpost", ops, elapsed, bench_thread_cpu_ns() - start_cpu);
	close(efd);
	close(epfd);
	return 0;
}
