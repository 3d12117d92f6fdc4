/*
 * Shared by the raw C comparison programs: a monotonic clock, the argument parsing and the
 * result line, printed in the same format as `java -jar jivykis.jar bench` so one run can
 * show both and the ratios come from the same conditions.
 */
#ifndef JIVYKIS_BENCH_REPORT_H
#define JIVYKIS_BENCH_REPORT_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static inline long long bench_now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* argv[1]: measured seconds (a decimal number); the warm-up is a quarter of it. */
static inline double bench_seconds(int argc, char **argv)
{
	double seconds = argc > 1 ? strtod(argv[1], NULL) : 1.0;
	if (!(seconds > 0)) {
		fprintf(stderr, "usage: %s SECONDS (a positive number)\n", argv[0]);
		exit(2);
	}
	return seconds;
}

static inline void bench_die(const char *call)
{
	fprintf(stderr, "%s failed: %s (errno %d)\n", call, strerror(errno), errno);
	exit(1);
}

/* CPU time of the calling thread: leaves out time spent waiting for a CPU on a busy machine. */
static inline long long bench_thread_cpu_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* The result line plus cpu_ns_per_op, for single-threaded cases. */
static inline void bench_report_cpu(const char *name, long long ops, long long elapsed_ns, long long cpu_ns)
{
	double ns_per_op = ops > 0 ? (double)elapsed_ns / (double)ops : 0.0;
	double ops_per_sec = elapsed_ns > 0 ? (double)ops * 1e9 / (double)elapsed_ns : 0.0;
	printf("name=%s impl=c-raw ops=%lld ns_per_op=%.1f ops_per_sec=%.0f cpu_ns_per_op=%.1f\n",
	       name, ops, ns_per_op, ops_per_sec, ops > 0 ? (double)cpu_ns / (double)ops : 0.0);
	fflush(stdout);
}

static inline void bench_report(const char *name, long long ops, long long elapsed_ns)
{
	double ns_per_op = ops > 0 ? (double)elapsed_ns / (double)ops : 0.0;
	double ops_per_sec = elapsed_ns > 0 ? (double)ops * 1e9 / (double)elapsed_ns : 0.0;
	printf("name=%s impl=c-raw ops=%lld ns_per_op=%.1f ops_per_sec=%.0f\n",
	       name, ops, ns_per_op, ops_per_sec);
	fflush(stdout);
}

#endif
