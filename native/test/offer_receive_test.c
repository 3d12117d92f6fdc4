/*
 * The receiving end of an event offer against hostile peers: jivykis_offer_connect refuses
 * every malformed answer (none, two or 200 descriptors, truncated control data, garbage
 * bytes, a descriptor of the wrong kind) with the documented errno, and this process holds
 * exactly the descriptors it held before, whatever the peer sent. The honest answer is
 * taken, close-on-exec.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "hostile_answer.h"
#include "jivykis.h"

static int failures;

static int count_fds(void)
{
	DIR *dir = opendir("/proc/self/fd");
	if (dir == NULL)
		return -1;
	int n = 0;
	struct dirent *e;
	while ((e = readdir(dir)) != NULL) {
		if (e->d_name[0] != '.')
			n++;
	}
	closedir(dir);
	return n - 1; /* the directory's own descriptor */
}

/* Serves one connection at `path` in a child process, answering as `mode`; the child's pid. */
static pid_t serve_once(const char *path, const char *mode)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	snprintf(addr.sun_path, sizeof(addr.sun_path), "%s", path);
	unlink(path);
	int sock = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (sock < 0 || bind(sock, (struct sockaddr *)&addr, sizeof(addr)) < 0 || listen(sock, 4) < 0) {
		perror("listen");
		exit(2);
	}
	pid_t pid = fork();
	if (pid == 0) {
		int conn = accept(sock, NULL, NULL);
		_exit(conn < 0 || hostile_answer(conn, mode) < 0 ? 1 : 0);
	}
	close(sock);
	return pid;
}

static void expect(const char *mode, int expected)
{
	char path[64];
	snprintf(path, sizeof(path), "/tmp/jivykis-receive-%d.sock", (int)getpid());
	pid_t server = serve_once(path, mode);
	int before = count_fds();
	int rc = jivykis_offer_connect(path, 5000);
	int cloexec = rc >= 0 ? fcntl(rc, F_GETFD) & FD_CLOEXEC : 1;
	if (rc >= 0)
		close(rc);
	int after = count_fds();
	int status;
	waitpid(server, &status, 0);
	unlink(path);
	int ok = (expected >= 0 ? rc >= 0 : rc == expected) && before == after && cloexec;
	printf("%s %s: rc %d (%s), descriptors %d before, %d after%s\n", ok ? "ok" : "FAIL", mode, rc,
	       rc < 0 ? strerror(-rc) : "a descriptor", before, after, cloexec ? "" : ", not close-on-exec");
	if (!ok)
		failures++;
}

int main(void)
{
	expect("good", 0);
	expect("hangup", -EPROTO);
	expect("none", -EBADMSG);
	expect("two", -EBADMSG);
	expect("many", -EBADMSG);
	expect("oversized", -EBADMSG);
	expect("garbage", -EBADMSG);
	expect("wrongkind", -EBADMSG);
	expect("readend", -EBADMSG);
	return failures == 0 ? 0 : 1;
}
