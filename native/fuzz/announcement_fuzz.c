/*
 * libFuzzer target: the JIVYKIS_FD_<NAME>=<kind>:<fd> parser (native/src/announcement.c).
 * The input is a variable's value (up to its first NUL, as the environment holds it). What
 * must hold for every input, beyond no crash and no undefined behaviour: an accepted value
 * is exactly "eventfd:" or "pipe:" and decimal digits naming 3 to INT_MAX, and its kind is
 * the one named; the descriptor check answers one of its documented results.
 */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "announcement.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char value[256];
	size_t n = size < sizeof(value) - 1 ? size : sizeof(value) - 1;
	memcpy(value, data, n);
	value[n] = '\0';

	(void)jivykis_valid_name(value);
	int kind = -1;
	int fd = jivykis_parse_announcement(value, &kind);
	if (fd < 0) {
		if (fd != -EINVAL && fd != -ERANGE)
			abort();
		return 0;
	}
	const char *prefix = kind == JIVYKIS_KIND_EVENTFD ? "eventfd:" : kind == JIVYKIS_KIND_PIPE ? "pipe:" : NULL;
	if (prefix == NULL || fd < 3 || strncmp(value, prefix, strlen(prefix)) != 0)
		abort();
	const char *digits = value + strlen(prefix);
	while (*digits == '0' && digits[1] != '\0')
		digits++; /* leading zeros are accepted: compare the number they spell */
	char again[32];
	snprintf(again, sizeof(again), "%d", fd);
	if (strcmp(again, digits) != 0)
		abort();
	int checked = jivykis_check_descriptor(fd, kind);
	if (checked < 0 && checked != -EBADF && checked != -ENOTSUP && checked != -EACCES)
		abort();
	return 0;
}
