/*
 * jivykis-post: post to a jivykis event from the shell.
 *
 *   jivykis-post [-n COUNT] NAME           the descriptor announced as JIVYKIS_FD_NAME
 *   jivykis-post [-n COUNT] --socket PATH  the event offered at the Unix socket PATH
 *
 * Exit status: 0 when every post was made (a receiver that is gone is not an error: the post
 * just has no effect, as for the Java Poster), 1 when the descriptor cannot be had or a post
 * fails, 2 on a usage error. The same as `java -jar jivykis.jar post`.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "jivykis.h"

static int usage(void)
{
	fprintf(stderr, "usage: jivykis-post [-n COUNT] NAME\n"
			"       jivykis-post [-n COUNT] --socket PATH\n"
			"Posts COUNT times (default 1) to the event passed to this process as\n"
			"JIVYKIS_FD_NAME, or offered at the Unix socket PATH.\n");
	return 2;
}

int main(int argc, char **argv)
{
	long count = 1;
	const char *socket_path = NULL;
	const char *name = NULL;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-n") == 0 && i + 1 < argc) {
			const char *text = argv[++i];
			char *end;
			errno = 0;
			count = strtol(text, &end, 10);
			/* strtol clamps an overflow to LONG_MAX (ERANGE): refused, never taken for "very many". */
			if (errno == ERANGE || end == text || *end != '\0' || count < 1) {
				fprintf(stderr, "jivykis-post: -n %s: COUNT must be a whole number from 1 to %ld\n",
					text, LONG_MAX);
				return usage();
			}
		} else if (strcmp(argv[i], "--socket") == 0 && i + 1 < argc) {
			socket_path = argv[++i];
		} else if (argv[i][0] != '-' && name == NULL) {
			name = argv[i];
		} else {
			return usage();
		}
	}
	if ((name == NULL) == (socket_path == NULL))
		return usage();

	int fd;
	if (socket_path != NULL) {
		fd = jivykis_offer_connect(socket_path, 0);
		if (fd < 0) {
			fprintf(stderr, "jivykis-post: no event from the offer at %s: %s\n",
				socket_path, strerror(-fd));
			return 1;
		}
	} else {
		fd = jivykis_inherited(name);
		if (fd < 0) {
			/* Sized to the name: no buffer limits its length, as none limits the rule. */
			size_t size = strlen("JIVYKIS_FD_") + strlen(name) + 1;
			char *variable = malloc(size);
			const char *value = NULL;
			if (variable != NULL) {
				snprintf(variable, size, "JIVYKIS_FD_%s", name);
				value = getenv(variable);
				free(variable);
			}
			fprintf(stderr, "jivykis-post: JIVYKIS_FD_%s%s%s: %s\n", name, value ? "=" : "",
				value ? value : "", jivykis_inherited_error(fd));
			return 1;
		}
	}
	for (long i = 0; i < count; i++) {
		int rc = jivykis_post(fd);
		if (rc == -EPIPE)
			break; /* the receiver is gone: nothing more to post to */
		if (rc < 0) {
			fprintf(stderr, "jivykis-post: write to descriptor %d failed: %s\n", fd, strerror(-rc));
			return 1;
		}
	}
	return 0;
}
