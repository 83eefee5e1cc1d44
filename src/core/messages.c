/*-------------------------------------------------------------------------
 *
 * messages.c
 *	  Values quoted in messages: every value taken from a document or a row
 *	  is cut to SK_MESSAGE_VALUE_MAX bytes on a character boundary, as
 *	  PostgreSQL cuts index keys, so that a huge value never fills a log;
 *	  a flagged column's value is not quoted at all (SK_MESSAGE_HIDDEN).
 *
 * Names quoted in messages lose their identifier quotes (sk_message_name),
 * as PostgreSQL's own messages show relation "MyTable".
 *
 * Uses nothing but palloc and the multibyte helpers: the fuzz target of the
 * document reader links this file alone.
 *
 * src/core/messages.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "mb/pg_wchar.h"

#include "core/messages.h"

/*
 * sk_message_cut
 *		A palloc'd copy of the first len bytes of s (len < 0: all of it) for
 *		a message: at most max bytes, cut on a character boundary, "..."
 *		marking a cut.
 */
char *
sk_message_cut(const char *s, int len, int max)
{
	int			n;

	if (s == NULL)
		return pstrdup("null");
	if (len < 0)
		len = strlen(s);
	if (len <= max)
		return pnstrdup(s, len);
	n = pg_mbcliplen(s, len, max);
	return psprintf("%.*s...", n, s);
}

/*
 * sk_message_value
 *		A value from a document or a row as a message quotes it: at most
 *		SK_MESSAGE_VALUE_MAX bytes (sk_message_cut).
 */
char *
sk_message_value(const char *s, int len)
{
	return sk_message_cut(s, len, SK_MESSAGE_VALUE_MAX);
}

/*
 * sk_message_name
 *		A table or column name as seedkit keeps it, quoted where needed as
 *		PostgreSQL prints it (quote_identifier, quote_qualified_identifier,
 *		the table names of a document or an option), as a message shows it
 *		inside its own double quotes: without the identifier quotes, as
 *		PostgreSQL's messages do, so "Shop"."MyTable" reads table
 *		"Shop.MyTable", not table ""Shop"."MyTable"".  A palloc'd copy.
 */
char *
sk_message_name(const char *name)
{
	char	   *result;
	char	   *out;
	bool		quoted = false;

	if (name == NULL)
		return pstrdup("null");
	result = out = palloc(strlen(name) + 1);
	for (; *name; name++)
	{
		if (*name == '"')
		{
			/* "" inside a quoted part stands for one quote */
			if (quoted && name[1] == '"')
				*out++ = *name++;
			else
				quoted = !quoted;
			continue;
		}
		*out++ = *name;
	}
	*out = '\0';
	return result;
}

/*
 * sk_message_text
 *		A message text of PostgreSQL's that seedkit passes on (an input
 *		function's "invalid input syntax for type integer: "..."", say):
 *		as it is when short; else the span between its first and last double
 *		quote, the value it quotes, cut by sk_message_value, and the whole
 *		cut to SK_MESSAGE_TEXT_MAX bytes.
 */
char *
sk_message_text(const char *text)
{
	int			len = strlen(text);
	const char *first;
	const char *last;

	if (len <= SK_MESSAGE_TEXT_MAX)
		return pstrdup(text);
	first = strchr(text, '"');
	last = strrchr(text, '"');
	if (first != NULL && last > first && first - text < SK_MESSAGE_TEXT_MAX)
		text = psprintf("%.*s%s%s", (int) (first + 1 - text), text,
						sk_message_value(first + 1, last - first - 1), last);
	return sk_message_cut(text, -1, SK_MESSAGE_TEXT_MAX);
}

/*
 * sk_message_key_detail
 *		PostgreSQL's detail of a unique or foreign key violation ("Key
 *		(cols)=(values) already exists." and the like) as seedkit passes it
 *		on: the values cut by sk_message_value, or replaced by
 *		SK_MESSAGE_HIDDEN when hide.  A detail of another shape is cut
 *		whole to SK_MESSAGE_TEXT_MAX bytes (SK_MESSAGE_HIDDEN when hide).
 */
char *
sk_message_key_detail(const char *detail, bool hide)
{
	/* in this order: the first that occurs, at its last occurrence */
	static const char *const tails[] = {
		") already exists.",
		") is not present in table",
		") is still referenced from table",
		") conflicts with existing key",
		")."
	};
	const char *conflicts = tails[3];
	const char *vals;
	const char *tail = NULL;
	char	   *value;
	char	   *rest;
	int			i;

	if (detail == NULL)
		return NULL;
	vals = strncmp(detail, "Key (", 5) == 0 ? strstr(detail, ")=(") : NULL;
	if (vals != NULL)
	{
		vals += 3;
		/* the values may hold any text: the last occurrence is the tail */
		for (i = 0; i < lengthof(tails) && tail == NULL; i++)
		{
			const char *p = vals;
			const char *hit;

			while ((hit = strstr(p, tails[i])) != NULL)
			{
				tail = hit;
				p = hit + 1;
			}
		}
	}
	if (tail == NULL)
		return hide ? pstrdup(SK_MESSAGE_HIDDEN) :
			sk_message_cut(detail, -1, SK_MESSAGE_TEXT_MAX);
	/* "Key (cols)=", the values in parentheses (or the note), the rest */
	value = hide ? pstrdup(SK_MESSAGE_HIDDEN) :
		psprintf("(%s)", sk_message_value(vals, tail - vals));
	if (strncmp(tail, conflicts, strlen(conflicts)) == 0 &&
		tail[strlen(conflicts)] == ' ')
	{
		/* an exclusion violation quotes the other row's key as well */
		rest = sk_message_key_detail(psprintf("Key %s", tail + strlen(conflicts) + 1),
									 hide);
		rest = psprintf("%s %s", conflicts + 1,
						strncmp(rest, "Key ", 4) == 0 ? rest + 4 : rest);
	}
	else
		rest = sk_message_cut(tail + 1, -1, SK_MESSAGE_TEXT_MAX);
	return psprintf("%.*s%s%s", (int) (vals - 1 - detail), detail, value, rest);
}
