/*
 * The C twin of the scale case's registration figure: what registering and then
 * unregistering N EventRaws on the eventfd backend asks of the kernel, and nothing else.
 * Registering is eventfd(EFD_CLOEXEC | EFD_NONBLOCK) and EPOLL_CTL_ADD (EPOLLIN); unregistering
 * is EPOLL_CTL_DEL and close, all N of one, then all N of the other, as the bench does.
 * One operation is one object registered and unregistered; the line has no ns_per_op, since
 * the scale case's ns_per_op is a handler call, only register_unregister_ns.
 * Usage: jivykis-raw-scale SECONDS N [N...]
 */
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "bench_report.h"

/* One round: N registered, then N unregistered. Returns the nanoseconds it took. */
static long long round_of(int epfd, int *fds, long count)
{
	long long start = bench_now_ns();
	for (long i = 0; i < count; i++) {
		fds[i] = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
		if (fds[i] < 0)
			bench_die("eventfd");
		struct epoll_event ev = { .events = EPOLLIN, .data.u64 = (uint64_t)i };
		if (epoll_ctl(epfd, EPOLL_CTL_ADD, fds[i], &ev) < 0)
			bench_die("epoll_ctl(ADD)");
	}
	for (long i = 0; i < count; i++) {
		if (epoll_ctl(epfd, EPOLL_CTL_DEL, fds[i], NULL) < 0)
			bench_die("epoll_ctl(DEL)");
		if (close(fds[i]) < 0)
			bench_die("close");
	}
	return bench_now_ns() - start;
}

/* Rounds until the deadline (at least one); returns the objects done, adds their time to *elapsed. */
static long long rounds_until(int epfd, int *fds, long count, long long deadline_ns, long long *elapsed)
{
	long long objects = 0;
	do {
		*elapsed += round_of(epfd, fds, count);
		objects += count;
	} while (bench_now_ns() < deadline_ns);
	return objects;
}

int main(int argc, char **argv)
{
	double seconds = bench_seconds(argc, argv);
	if (argc < 3) {
		fprintf(stderr, "usage: %s SECONDS N [N...] (how many objects a round registers)\n", argv[0]);
		return 2;
	}
	int epfd = epoll_create1(EPOLL_CLOEXEC);
	if (epfd < 0)
		bench_die("epoll_create1");
	for (int a = 2; a < argc; a++) {
		char *end;
		long count = strtol(argv[a], &end, 10);
		if (*end != '\0' || count < 1 || count > 10000000) {
			fprintf(stderr, "%s: '%s' is not an object count from 1 to 10000000\n", argv[0], argv[a]);
			return 2;
		}
		int *fds = malloc(sizeof(int) * (size_t)count);
		if (fds == NULL)
			bench_die("malloc");
		/* Each size gets a share of the time, a quarter of it more to warm up. */
		double share = seconds / (argc - 2);
		long long ignored = 0, elapsed = 0;
		rounds_until(epfd, fds, count, bench_now_ns() + (long long)(share * 0.25e9), &ignored);
		long long objects = rounds_until(epfd, fds, count, bench_now_ns() + (long long)(share * 1e9), &elapsed);
		printf("name=scale impl=c-raw objects=%ld ops=%lld register_unregister_ns=%.0f\n", count, objects,
		       (double)elapsed / (double)objects);
		fflush(stdout);
		free(fds);
	}
	close(epfd);
	return 0;
}
