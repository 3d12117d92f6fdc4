/* Private: the post primitive for callers that already know the descriptor's kind. */
#ifndef JIVYKIS_POST_PRIVATE_H
#define JIVYKIS_POST_PRIVATE_H

/*
 * One exact write to `fd`: one byte when is_pipe, else an 8-byte 1 for an eventfd.
 * EINTR retried, EAGAIN is success, errno preserved. Returns 0 or a negative errno.
 * Async-signal-safe.
 */
__attribute__((visibility("hidden"))) int jivykis_post_kind(int fd, int is_pipe);

#endif
