/*
 * Private: the wire format of an event offer. The owner accepts a connection and sends one
 * message: one payload byte naming the kind of the descriptor it carries as SCM_RIGHTS
 * ancillary data (always a pipe's write end made for this connection, see HolderPipe);
 * then it closes the connection. The receiver needs to send
 * nothing, so a C or Java receiver is a connect and one recvmsg.
 */
#ifndef JIVYKIS_OFFER_WIRE_H
#define JIVYKIS_OFFER_WIRE_H

#include <string.h>
#include <sys/socket.h>

#define JIVYKIS_OFFER_EVENTFD 'e'
#define JIVYKIS_OFFER_PIPE 'p'

/*
 * Descriptors the receive buffer has room for. The message carries one; a hostile peer may
 * attach more. Every descriptor that fits is installed and then closed by the receiver;
 * those that do not fit are discarded by the kernel (which reports MSG_CTRUNC). The room is
 * larger than one so that "several" is seen and refused, never taken for "one".
 */
#define JIVYKIS_OFFER_MAX_FDS 16

/* The one message of an offer: a payload byte and room for the SCM_RIGHTS data. */
struct jivykis_offer_message {
	char payload;
	struct iovec iov;
	union {
		struct cmsghdr align;
		char buf[CMSG_SPACE(sizeof(int) * JIVYKIS_OFFER_MAX_FDS)];
	} control;
	struct msghdr msg;
};

/* Zeroes `m` and points its msghdr at its own payload byte and control buffer. */
static inline void jivykis_offer_message_init(struct jivykis_offer_message *m)
{
	memset(m, 0, sizeof(*m));
	m->iov.iov_base = &m->payload;
	m->iov.iov_len = 1;
	m->msg.msg_iov = &m->iov;
	m->msg.msg_iovlen = 1;
	m->msg.msg_control = m->control.buf;
	m->msg.msg_controllen = sizeof(m->control.buf);
}

/* The room for exactly one descriptor, for the sender (sendmsg sends all of msg_controllen). */
static inline void jivykis_offer_message_one_fd(struct jivykis_offer_message *m)
{
	m->msg.msg_controllen = CMSG_SPACE(sizeof(int));
}

#endif
