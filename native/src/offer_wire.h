/*
 * Private: the wire format of an event offer. The owner accepts a connection and sends one
 * message: one payload byte naming the backend, carrying the event's descriptor as
 * SCM_RIGHTS ancillary data; then it closes the connection. The receiver needs to send
 * nothing, so a C or Java receiver is a connect and one recvmsg.
 */
#ifndef JIVYKIS_OFFER_WIRE_H
#define JIVYKIS_OFFER_WIRE_H

#include <string.h>
#include <sys/socket.h>

#define JIVYKIS_OFFER_EVENTFD 'e'
#define JIVYKIS_OFFER_PIPE 'p'

/* The one message of an offer: a payload byte and room for one SCM_RIGHTS descriptor. */
struct jivykis_offer_message {
	char payload;
	struct iovec iov;
	union {
		struct cmsghdr align;
		char buf[CMSG_SPACE(sizeof(int))];
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

#endif
