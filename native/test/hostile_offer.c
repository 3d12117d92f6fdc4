/*
 * hostile-offer: a fake event offer for the Java tests of the receiving side.
 *
 *   hostile-offer PATH MODE
 *
 * Listens at PATH (a Unix socket it creates), prints "listening", and answers every
 * connection as MODE says (hostile_answer.h) until it is killed.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "hostile_answer.h"

int main(int argc, char **argv)
{
	if (argc != 3 || strlen(argv[1]) >= sizeof(((struct sockaddr_un *)0)->sun_path)) {
		fprintf(stderr, "usage: hostile-offer PATH MODE\n");
		return 2;
	}
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	strcpy(addr.sun_path, argv[1]);
	int sock = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (sock < 0 || bind(sock, (struct sockaddr *)&addr, sizeof(addr)) < 0 || listen(sock, 16) < 0) {
		perror("hostile-offer: listen");
		return 1;
	}
	printf("listening\n");
	fflush(stdout);
	for (;;) {
		int conn = accept4(sock, NULL, NULL, SOCK_CLOEXEC);
		if (conn < 0)
			continue;
		if (hostile_answer(conn, argv[2]) < 0)
			fprintf(stderr, "hostile-offer: mode %s failed\n", argv[2]);
		close(conn);
	}
}
