/*
 * eventfd-pingpong: the raw C baseline for a cross-process round trip.
 *
 *   eventfd-pingpong [ROUNDS] [WARMUP]
 *
 * Two eventfds, one per direction, shared by fork(). Each side blocks in epoll_wait on its
 * own eventfd, reads it, and writes the other side's: the same shape as a jivykis parent
 * loop posting a child's event and waiting for the child's post back. Every round is timed
 * on its own (CLOCK_MONOTONIC); prints the median and mean in microseconds on one line:
 *   eventfd-pingpong rounds=N median_us=X mean_us=Y
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void wait_and_read(int ep, int fd)
{
	struct epoll_event ev;
	uint64_t value;
	while (epoll_wait(ep, &ev, 1, -1) != 1)
		;
	if (read(fd, &value, sizeof(value)) != sizeof(value))
		exit(1);
}

static void post(int fd)
{
	uint64_t one = 1;
	if (write(fd, &one, sizeof(one)) != sizeof(one))
		exit(1);
}

static int watch(int fd)
{
	int ep = epoll_create1(EPOLL_CLOEXEC);
	struct epoll_event ev = { .events = EPOLLIN, .data.fd = fd };
	if (ep < 0 || epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) < 0)
		exit(1);
	return ep;
}

static int compare(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	long rounds = argc > 1 ? atol(argv[1]) : 20000;
	long warmup = argc > 2 ? atol(argv[2]) : 2000;
	int ping = eventfd(0, EFD_CLOEXEC);
	int pong = eventfd(0, EFD_CLOEXEC);
	if (ping < 0 || pong < 0 || rounds < 1)
		return 1;
	pid_t child = fork();
	if (child < 0)
		return 1;
	if (child == 0) {
		int ep = watch(ping);
		for (long i = 0; i < rounds + warmup; i++) {
			wait_and_read(ep, ping);
			post(pong);
		}
		_exit(0);
	}
	int ep = watch(pong);
	double *us = malloc(sizeof(double) * (size_t)rounds);
	double sum = 0;
	for (long i = 0; i < rounds + warmup; i++) {
		struct timespec t0, t1;
		clock_gettime(CLOCK_MONOTONIC, &t0);
		post(ping);
		wait_and_read(ep, pong);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		if (i >= warmup) {
			double d = (t1.tv_sec - t0.tv_sec) * 1e6 + (t1.tv_nsec - t0.tv_nsec) / 1e3;
			us[i - warmup] = d;
			sum += d;
		}
	}
	waitpid(child, NULL, 0);
	qsort(us, (size_t)rounds, sizeof(double), compare);
	printf("eventfd-pingpong rounds=%ld median_us=%.2f mean_us=%.2f\n", rounds, us[rounds / 2], sum / rounds);
	free(us);
	return 0;
}
