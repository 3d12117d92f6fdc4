/*
 * jivykis-test-tgkill PID TID SIGNO COUNT INTERVAL_US: sends SIGNO to thread TID of process
 * PID, COUNT times, INTERVAL_US microseconds apart. Used by the tests to interrupt one Java
 * thread blocked in epoll_wait over and over (an EINTR storm). Prints how many were sent.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc != 6) {
		fprintf(stderr, "usage: %s PID TID SIGNO COUNT INTERVAL_US\n", argv[0]);
		return 2;
	}
	long pid = strtol(argv[1], NULL, 10);
	long tid = strtol(argv[2], NULL, 10);
	int signo = (int)strtol(argv[3], NULL, 10);
	long count = strtol(argv[4], NULL, 10);
	long interval = strtol(argv[5], NULL, 10);
	long sent = 0;
	for (long i = 0; i < count; i++) {
		if (syscall(SYS_tgkill, pid, tid, signo) != 0) {
			perror("tgkill");
			break;
		}
		sent++;
		if (interval > 0)
			usleep((useconds_t)interval);
	}
	printf("sent %ld\n", sent);
	return sent == count ? 0 : 1;
}
