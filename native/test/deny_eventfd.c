/*
 * jivykis-test-deny-eventfd: runs a program in which the kernel refuses eventfd(2).
 *
 *   jivykis-test-deny-eventfd ENOSYS|EINVAL PROGRAM [ARGS...]
 *
 * Installs a seccomp filter that makes eventfd and eventfd2 fail with the given errno (what
 * an old kernel, or one built without eventfd, answers), then executes PROGRAM. The filter
 * is inherited across execve, so the program (a JVM) sees a kernel without eventfd. Every
 * other system call is allowed. Exit 2 on usage, 77 when seccomp is not available.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

/* The architecture whose system call numbers the filter below uses: the one it is built for. */
#if defined(__x86_64__)
#define JIVYKIS_AUDIT_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define JIVYKIS_AUDIT_ARCH AUDIT_ARCH_AARCH64
#else
#error "jivykis-test-deny-eventfd: no seccomp architecture constant for this target"
#endif
/* aarch64 has only eventfd2; the old eventfd number exists on x86_64 alone. */
#ifndef SYS_eventfd
#define SYS_eventfd SYS_eventfd2
#endif

int main(int argc, char **argv)
{
	if (argc < 3 || (strcmp(argv[1], "ENOSYS") != 0 && strcmp(argv[1], "EINVAL") != 0)) {
		fprintf(stderr, "usage: jivykis-test-deny-eventfd ENOSYS|EINVAL PROGRAM [ARGS...]\n");
		return 2;
	}
	unsigned int err = strcmp(argv[1], "ENOSYS") == 0 ? ENOSYS : EINVAL;
	struct sock_filter filter[] = {
		/* Any other architecture's calls pass untouched (the numbers below are this build's). */
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, JIVYKIS_AUDIT_ARCH, 0, 4),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_eventfd2, 3, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_eventfd, 2, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (err & SECCOMP_RET_DATA)),
	};
	struct sock_fprog prog = { .len = sizeof(filter) / sizeof(filter[0]), .filter = filter };
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
	    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) < 0) {
		fprintf(stderr, "jivykis-test-deny-eventfd: seccomp unavailable: %s\n", strerror(errno));
		return 77;
	}
	execvp(argv[2], argv + 2);
	fprintf(stderr, "jivykis-test-deny-eventfd: %s: %s\n", argv[2], strerror(errno));
	return 127;
}
