/*
 * ctest for the C post library (libjivykis-post): jivykis_inherited's checks, posting to an
 * inherited eventfd and pipe, surviving a pipe whose reader is gone with SIGPIPE at its
 * default action, and every answer of jivykis_offer_connect, against real descriptors and a
 * real Unix socket served by a thread of this program. Exits 0 when every check holds.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/stat.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "jivykis.h"

static int failures;

#define CHECK(cond, ...)                                                        \
	do {                                                                    \
		if (!(cond)) {                                                  \
			failures++;                                             \
			fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__);    \
			fprintf(stderr, __VA_ARGS__);                           \
			fprintf(stderr, "\n");                                  \
		}                                                               \
	} while (0)

static void announce(const char *name, const char *value)
{
	char variable[400];
	snprintf(variable, sizeof(variable), "JIVYKIS_FD_%s", name);
	setenv(variable, value, 1);
}

static void test_inherited(void)
{
	int efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	int pipefd[2];
	if (efd < 0 || pipe2(pipefd, O_CLOEXEC | O_NONBLOCK) < 0)
		exit(2);
	char value[32];

	CHECK(jivykis_inherited("lower") == -EINVAL, "a lower-case name");
	CHECK(jivykis_inherited("") == -EINVAL, "an empty name");
	CHECK(jivykis_inherited(NULL) == -EINVAL, "a null name");
	CHECK(jivykis_inherited("T_UNSET") == -ENOENT, "an unset variable");
	const char *malformed[] = { "", "3", "eventfd", "eventfd:", "eventfd:x", "socket:3", "pipe:-1",
				    "eventfd:3 ", "eventfd:99999999999", "eventfd:+3", "eventfd: 3", " eventfd:3",
				    "EVENTFD:3", "eventfd:2147483648", "pipe:3:", "pipe:0x3", "eventfd:3\n" };
	for (size_t i = 0; i < sizeof(malformed) / sizeof(malformed[0]); i++) {
		announce("T_BAD", malformed[i]);
		CHECK(jivykis_inherited("T_BAD") == -EINVAL, "malformed value \"%s\"", malformed[i]);
	}
	/* Standard input, output and error are refused by number, whatever they are now. */
	const char *stdio[] = { "eventfd:0", "pipe:1", "pipe:2", "eventfd:00", "pipe:0001" };
	for (size_t i = 0; i < sizeof(stdio) / sizeof(stdio[0]); i++) {
		announce("T_STDIO", stdio[i]);
		CHECK(jivykis_inherited("T_STDIO") == -ERANGE, "standard stream \"%s\"", stdio[i]);
	}
	CHECK(strstr(jivykis_inherited_error(-ERANGE), "standard input, output or error") != NULL,
	      "the stdio refusal is explained");

	/*
	 * Where the C and Java parsers used to disagree, both now follow jivykis.h: a number
	 * with leading zeros is still decimal, and a name has no length limit.
	 */
	snprintf(value, sizeof(value), "eventfd:0000000000%d", efd);
	announce("T_ZEROS", value);
	CHECK(jivykis_inherited("T_ZEROS") == efd, "leading zeros (\"%s\")", value);
	char long_name[301];
	memset(long_name, 'L', sizeof(long_name) - 1);
	long_name[sizeof(long_name) - 1] = '\0';
	snprintf(value, sizeof(value), "eventfd:%d", efd);
	announce(long_name, value);
	CHECK(jivykis_inherited(long_name) == efd, "a 300-character name");

	/* A named FIFO is a pipe to the kernel, and to jivykis_post: announced as pipe, accepted. */
	char fifo_dir[] = "/tmp/jivykis-fifo-XXXXXX";
	char fifo[64];
	if (mkdtemp(fifo_dir) == NULL)
		exit(2);
	snprintf(fifo, sizeof(fifo), "%s/fifo", fifo_dir);
	int fifo_fd = mkfifo(fifo, 0600) == 0 ? open(fifo, O_RDWR | O_NONBLOCK | O_CLOEXEC) : -1;
	CHECK(fifo_fd >= 0, "a FIFO to test with");
	snprintf(value, sizeof(value), "pipe:%d", fifo_fd);
	announce("T_FIFO", value);
	CHECK(jivykis_inherited("T_FIFO") == fifo_fd, "a named FIFO announced as a pipe");
	snprintf(value, sizeof(value), "eventfd:%d", fifo_fd);
	announce("T_FIFO2", value);
	CHECK(jivykis_inherited("T_FIFO2") == -ENOTSUP, "a named FIFO announced as an eventfd");
	close(fifo_fd);
	unlink(fifo);
	rmdir(fifo_dir);

	announce("T_CLOSED", "eventfd:1000");
	CHECK(jivykis_inherited("T_CLOSED") == -EBADF, "a descriptor that is not open");
	snprintf(value, sizeof(value), "pipe:%d", pipefd[0]);
	announce("T_READ_END", value);
	CHECK(jivykis_inherited("T_READ_END") == -EBADF, "a pipe's read end");
	snprintf(value, sizeof(value), "pipe:%d", efd);
	announce("T_KIND", value);
	CHECK(jivykis_inherited("T_KIND") == -ENOTSUP, "an eventfd announced as a pipe");
	snprintf(value, sizeof(value), "eventfd:%d", pipefd[1]);
	announce("T_KIND2", value);
	CHECK(jivykis_inherited("T_KIND2") == -ENOTSUP, "a pipe announced as an eventfd");
	int devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);
	snprintf(value, sizeof(value), "eventfd:%d", devnull);
	announce("T_NULL", value);
	CHECK(jivykis_inherited("T_NULL") == -ENOTSUP, "/dev/null announced as an eventfd");

	snprintf(value, sizeof(value), "eventfd:%d", efd);
	announce("T_EVENTFD", value);
	errno = 1234;
	CHECK(jivykis_inherited("T_EVENTFD") == efd, "the announced eventfd");
	CHECK(jivykis_post_inherited("T_EVENTFD") == 0 && jivykis_post_inherited("T_EVENTFD") == 0, "two posts");
	CHECK(errno == 1234, "errno preserved (%d)", errno);
	uint64_t count = 0;
	CHECK(read(efd, &count, sizeof(count)) == sizeof(count) && count == 2, "counter %llu", (unsigned long long)count);

	snprintf(value, sizeof(value), "pipe:%d", pipefd[1]);
	announce("T_PIPE", value);
	CHECK(jivykis_post_inherited("T_PIPE") == 0, "a post to a pipe");
	char byte = 0;
	CHECK(read(pipefd[0], &byte, 1) == 1 && byte == 1, "one byte written");

	/* The reader gone, SIGPIPE at its default action: -EPIPE, and this process lives on. */
	signal(SIGPIPE, SIG_DFL);
	close(pipefd[0]);
	errno = 4321;
	CHECK(jivykis_post_inherited("T_PIPE") == -EPIPE, "EPIPE without a reader");
	CHECK(errno == 4321, "errno preserved after EPIPE (%d)", errno);
	sigset_t pending;
	sigpending(&pending);
	CHECK(!sigismember(&pending, SIGPIPE), "no SIGPIPE left pending");
	sigset_t mask;
	pthread_sigmask(SIG_SETMASK, NULL, &mask);
	CHECK(!sigismember(&mask, SIGPIPE), "the signal mask restored");

	close(pipefd[1]);
	close(efd);
	close(devnull);
}

/* A server thread: accepts one connection and answers as `mode` says. */
enum answer { SEND_EVENTFD, SEND_NOTHING, NEVER_ANSWER };
struct server {
	int listen_fd;
	enum answer answer;
	int event_fd;
};

static void *serve(void *arg)
{
	struct server *s = arg;
	int conn = accept(s->listen_fd, NULL, NULL);
	if (conn < 0)
		return NULL;
	if (s->answer == SEND_EVENTFD) {
		char payload = 'e';
		struct iovec iov = { .iov_base = &payload, .iov_len = 1 };
		union {
			struct cmsghdr align;
			char buf[CMSG_SPACE(sizeof(int))];
		} control;
		memset(&control, 0, sizeof(control));
		struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
				      .msg_control = control.buf, .msg_controllen = sizeof(control.buf) };
		struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(c), &s->event_fd, sizeof(int));
		if (sendmsg(conn, &msg, MSG_NOSIGNAL) != 1)
			failures++;
	} else if (s->answer == NEVER_ANSWER) {
		usleep(500 * 1000);
	}
	close(conn);
	return NULL;
}

static int listen_at(const char *path)
{
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	snprintf(addr.sun_path, sizeof(addr.sun_path), "%s", path);
	if (fd < 0 || bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0 || listen(fd, 4) < 0)
		exit(2);
	return fd;
}

static void test_offer_connect(void)
{
	char dir[] = "/tmp/jivykis-post-lib-test-XXXXXX";
	if (mkdtemp(dir) == NULL)
		exit(2);
	char path[200];
	snprintf(path, sizeof(path), "%s/offer.sock", dir);

	CHECK(jivykis_offer_connect(NULL, 100) == -EINVAL, "a null path");
	CHECK(jivykis_offer_connect("", 100) == -EINVAL, "an empty path");
	char longpath[300];
	memset(longpath, 'x', sizeof(longpath) - 1);
	longpath[sizeof(longpath) - 1] = '\0';
	CHECK(jivykis_offer_connect(longpath, 100) == -ENAMETOOLONG, "a path too long");
	CHECK(jivykis_offer_connect(path, 100) == -ENOENT, "no socket");

	/* A socket file nobody listens on any more. */
	int stale = listen_at(path);
	close(stale);
	CHECK(jivykis_offer_connect(path, 100) == -ECONNREFUSED, "a stale socket");
	unlink(path);

	int efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	struct { enum answer answer; int expect; const char *what; } cases[] = {
		{ SEND_NOTHING, -EPROTO, "an answer without a descriptor" },
		{ NEVER_ANSWER, -ETIMEDOUT, "no answer in time" },
		{ SEND_EVENTFD, 0, "the descriptor" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct server s = { .listen_fd = listen_at(path), .answer = cases[i].answer, .event_fd = efd };
		pthread_t thread;
		pthread_create(&thread, NULL, serve, &s);
		errno = 777;
		int rc = jivykis_offer_connect(path, 200);
		CHECK(errno == 777, "errno preserved by jivykis_offer_connect");
		if (cases[i].expect == 0) {
			CHECK(rc >= 0, "%s: got %d", cases[i].what, rc);
			if (rc >= 0) {
				CHECK((fcntl(rc, F_GETFD) & FD_CLOEXEC) != 0, "received close-on-exec");
				CHECK(jivykis_post(rc) == 0, "post to the received descriptor");
				uint64_t count = 0;
				CHECK(read(efd, &count, sizeof(count)) == sizeof(count) && count == 1,
				      "the post reached the offered eventfd");
				close(rc);
			}
		} else {
			CHECK(rc == cases[i].expect, "%s: got %d", cases[i].what, rc);
		}
		pthread_join(thread, NULL);
		close(s.listen_fd);
		unlink(path);
	}
	close(efd);
	rmdir(dir);
}

int main(void)
{
	test_inherited();
	test_offer_connect();
	if (failures == 0)
		printf("post library: all checks passed\n");
	return failures == 0 ? 0 : 1;
}
