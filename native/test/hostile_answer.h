/*
 * What a hostile or broken "offer" answers a connecting process: one function per kind of
 * malformed answer, shared by the hostile-offer program (run by the Java tests) and the
 * offer receive ctest. Test code only.
 */
#ifndef JIVYKIS_HOSTILE_ANSWER_H
#define JIVYKIS_HOSTILE_ANSWER_H

/*
 * Answers the connection `conn` as `mode` says; 0, or -1 for an unknown mode. Modes:
 *   none       the kind byte 'p' and no descriptor
 *   two        'p' and two pipe write ends
 *   many       'p' and 200 descriptors in one SCM_RIGHTS block
 *   oversized  'p' and two SCM_RIGHTS blocks, 1 and 40 descriptors (more than the receiver's room)
 *   garbage    the bytes "garbage" and one pipe write end
 *   wrongkind  'p' and a descriptor that is no pipe (/dev/null)
 *   readend    'p' and a pipe's read end
 *   hangup     nothing: the connection is closed unanswered
 *   good       'p' and one pipe write end (the honest answer, for comparison)
 */
int hostile_answer(int conn, const char *mode);

#endif
