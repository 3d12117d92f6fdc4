/*
 * Private: the wire format of an event offer. The owner accepts a connection and sends one
 * message: one payload byte naming the backend, carrying the event's descriptor as
 * SCM_RIGHTS ancillary data; then it closes the connection. The receiver needs to send
 * nothing, so a C or Java receiver is a connect and one recvmsg.
 */
#ifndef JIVYKIS_OFFER_WIRE_H
#define JIVYKIS_OFFER_WIRE_H

#define JIVYKIS_OFFER_EVENTFD 'e'
#define JIVYKIS_OFFER_PIPE 'p'

#endif
