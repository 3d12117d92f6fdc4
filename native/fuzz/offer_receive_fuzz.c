/*
 * libFuzzer target: the receiving side of an event offer (jivykis_offer_connect in
 * native/src/offer_connect.c) against a hostile owner. A thread of this program plays the
 * owner at a real listening socket and answers each connection with what the input says:
 *
 *   byte 0   bits 0-2: descriptors in a first SCM_RIGHTS message (0-7),
 *            bits 3-5: descriptors in a second one (0-7), bit 6: split the payload in two
 *            writes, bit 7: hang up without sending anything
 *   byte 1   which kinds to send, two bits per descriptor (eventfd, pipe write end, pipe
 *            read end, /dev/null)
 *   rest     the payload bytes (at most 64)
 *
 * The kernel builds the control messages the receiver parses, so this drives every shape a
 * real peer can produce. What must hold: no crash, no undefined behaviour, an answer from
 * the documented set, and no descriptor left behind: the receiver closes every descriptor
 * it was sent except the one it returns (the owner's side closes all of its own before it
 * signals `answered`, so anything new after an input is the receiver's leak).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "jivykis.h"

static char path[108];
static int listener = -1;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static const uint8_t *input;
static size_t input_size;
static sem_t answered;

static int descriptor_of_kind(int kind, int ends[2])
{
	switch (kind & 3) {
	case 0:
		return eventfd(0, EFD_CLOEXEC);
	case 1:
		return ends[1];
	case 2:
		return ends[0];
	default:
		return open("/dev/null", O_RDONLY | O_CLOEXEC);
	}
}

static void send_rights(int conn, const char *bytes, size_t len, int count, uint8_t kinds, int ends[2])
{
	union {
		struct cmsghdr align;
		char buf[CMSG_SPACE(7 * sizeof(int))];
	} control;
	int fds[7];
	for (int i = 0; i < count; i++)
		fds[i] = descriptor_of_kind(kinds >> (2 * (i % 4)), ends);
	struct iovec iov = { .iov_base = (void *)bytes, .iov_len = len };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
	if (count > 0) {
		memset(&control, 0, sizeof(control));
		msg.msg_control = control.buf;
		msg.msg_controllen = CMSG_SPACE((size_t)count * sizeof(int));
		struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN((size_t)count * sizeof(int));
		memcpy(CMSG_DATA(c), fds, (size_t)count * sizeof(int));
	}
	(void)sendmsg(conn, &msg, MSG_NOSIGNAL);
	for (int i = 0; i < count; i++)
		if (fds[i] != ends[0] && fds[i] != ends[1] && fds[i] >= 0)
			close(fds[i]);
}

/* The hostile owner: answers each connection with the current input. */
static void *owner(void *unused)
{
	(void)unused;
	for (;;) {
		int conn = accept4(listener, NULL, NULL, SOCK_CLOEXEC);
		if (conn < 0)
			continue;
		pthread_mutex_lock(&lock);
		uint8_t head = input_size > 0 ? input[0] : 0;
		uint8_t kinds = input_size > 1 ? input[1] : 0;
		const char *payload = input_size > 2 ? (const char *)input + 2 : "";
		size_t len = input_size > 2 ? input_size - 2 : 0;
		if (len > 64)
			len = 64;
		if (!(head & 0x80)) {
			int ends[2];
			if (pipe2(ends, O_CLOEXEC) == 0) {
				size_t first = (head & 0x40) && len > 1 ? 1 : len;
				send_rights(conn, payload, first, head & 7, kinds, ends);
				if (first < len || ((head >> 3) & 7) != 0)
					send_rights(conn, payload + first, len - first, (head >> 3) & 7, kinds >> 1, ends);
				close(ends[0]);
				close(ends[1]);
			}
		}
		pthread_mutex_unlock(&lock);
		close(conn);
		sem_post(&answered);
	}
	return NULL;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc; (void)argv;
	char dir[] = "/tmp/jivykis-fuzz-XXXXXX";
	if (mkdtemp(dir) == NULL)
		abort();
	snprintf(path, sizeof(path), "%s/offer", dir);
	listener = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	memcpy(addr.sun_path, path, strlen(path) + 1);
	if (listener < 0 || bind(listener, (struct sockaddr *)&addr, sizeof(addr)) < 0 || listen(listener, 8) < 0)
		abort();
	sem_init(&answered, 0, 0);
	pthread_t thread;
	if (pthread_create(&thread, NULL, owner, NULL) != 0)
		abort();
	return 0;
}

/* Marks the open descriptors below 1024 in `open_fds`. */
static void snapshot(unsigned char open_fds[1024])
{
	memset(open_fds, 0, 1024);
	DIR *d = opendir("/proc/self/fd");
	if (d == NULL)
		abort();
	for (struct dirent *e; (e = readdir(d)) != NULL;) {
		int fd = atoi(e->d_name);
		if (e->d_name[0] != '.' && fd >= 0 && fd < 1024 && fd != dirfd(d))
			open_fds[fd] = 1;
	}
	closedir(d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned char before[1024], after[1024];
	snapshot(before);
	pthread_mutex_lock(&lock);
	input = data;
	input_size = size;
	pthread_mutex_unlock(&lock);
	int fd = jivykis_offer_connect(path, 2000);
	if (fd < 0 && fd != -EPROTO && fd != -EBADMSG && fd != -ETIMEDOUT && fd != -ECONNRESET && fd != -EMFILE)
		abort();
	if (fd >= 0 && fd <= 2)
		abort();
	while (sem_wait(&answered) < 0 && errno == EINTR)
		;
	pthread_mutex_lock(&lock);
	input = NULL;
	input_size = 0;
	pthread_mutex_unlock(&lock);
	if (fd >= 0)
		close(fd);
	snapshot(after);
	for (int other = 0; other < 1024; other++)
		if (after[other] && !before[other])
			abort(); /* a descriptor the answer carried was left installed */
	return 0;
}
