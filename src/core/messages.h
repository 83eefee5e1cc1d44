/*-------------------------------------------------------------------------
 *
 * messages.h
 *	  Values quoted in messages, cut to a bounded length, and names without
 *	  their identifier quotes (messages.c); a header of its own, so that the
 *	  document reader, which the fuzz target builds without the rest of the
 *	  backend, can use it too.
 *
 * src/core/messages.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef SEEDKIT_MESSAGES_H
#define SEEDKIT_MESSAGES_H

#include "postgres.h"

/* Longest value a message quotes, in bytes, before "..." marks the cut. */
#define SK_MESSAGE_VALUE_MAX 64

/* Longest message text of PostgreSQL's that seedkit passes on, in bytes. */
#define SK_MESSAGE_TEXT_MAX 256

/* What a message says instead of a value of a flagged column. */
#define SK_MESSAGE_HIDDEN_TEXT "value hidden: the column is flagged as personal data"
#define SK_MESSAGE_HIDDEN "(" SK_MESSAGE_HIDDEN_TEXT ")"

extern char *sk_message_value(const char *s, int len);
extern char *sk_message_cut(const char *s, int len, int max);
extern char *sk_message_name(const char *name);
extern char *sk_message_text(const char *text);
extern char *sk_message_key_detail(const char *detail, bool hide);

#endif							/* SEEDKIT_MESSAGES_H */
