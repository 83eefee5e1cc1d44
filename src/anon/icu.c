/*-------------------------------------------------------------------------
 *
 * icu.c
 *	  Every use of ICU: transliteration to ASCII, grapheme clusters, and
 *	  the script and case of letters for scramble.
 *
 * The transliterator and the break iterator are opened once per backend
 * and kept for its lifetime (ICU allocates them with malloc; a static
 * pointer is their one owner, set only after a successful open).  All
 * buffers are palloc'd.  Text is UTF-8: seedkit_fake refuses other
 * database encodings (see sk_icu_require_utf8).
 *
 * src/anon/icu.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "mb/pg_wchar.h"
#include "utils/memutils.h"

#include <unicode/ubrk.h>
#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/ustring.h>
#include <unicode/utf8.h>
#include <unicode/utf16.h>
#include <unicode/utrans.h>

#include "anon/icu.h"
#include "anon/prf.h"

static UTransliterator *sk_to_ascii = NULL;
static UBreakIterator *sk_graphemes = NULL;

/*
 * Letters of one script, Unicode block and case, built on first use for
 * scramble; a short list searched linearly (few are ever used).
 */
typedef struct SkLetters
{
	UScriptCode script;
	UBlockCode	block;
	int			cc;
	int			n;
	UChar32    *cp;
	struct SkLetters *next;
} SkLetters;

static SkLetters *sk_letters = NULL;

/*
 * sk_icu_check
 *		Raise an ERROR when an ICU call failed; the string-not-terminated
 *		warning counts as a failure.
 */
static void
sk_icu_check(UErrorCode status, const char *what)
{
	if (U_FAILURE(status) || status == U_STRING_NOT_TERMINATED_WARNING)
		ereport(ERROR,
				(errcode(ERRCODE_EXTERNAL_ROUTINE_EXCEPTION),
				 errmsg("could not %s", what),
				 errdetail("ICU error: %s.", u_errorName(status))));
}

/*
 * sk_icu_require_utf8
 *		Fakes are built from UTF-8 word lists and ICU works on Unicode: the
 *		database must be UTF-8.
 */
void
sk_icu_require_utf8(void)
{
	if (GetDatabaseEncoding() != PG_UTF8)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("seedkit anonymisation requires a UTF-8 database"),
				 errdetail("The database encoding is %s.", GetDatabaseEncodingName()),
				 errhint("Create the database with ENCODING 'UTF8', or take snapshots with anonymise => false and anonymise in a UTF-8 database.")));
}

/*
 * sk_to_utf16
 *		Convert UTF-8 to a palloc'd UTF-16 buffer; when map is not NULL it
 *		receives, for each UTF-16 index (and the end), the UTF-8 offset.
 */
static UChar *
sk_to_utf16(const char *s, int len, int32 *ulen, int **map)
{
	UChar	   *u = palloc(sizeof(UChar) * (len + 1));
	int		   *m = map ? palloc(sizeof(int) * (len + 1)) : NULL;
	int32		i = 0;
	int32		j = 0;

	while (i < len)
	{
		UChar32		c;
		int32		start = i;
		UBool		err = false;

		U8_NEXT((const uint8_t *) s, i, len, c);
		if (c < 0)
			c = 0xFFFD;
		if (m)
		{
			m[j] = start;
			if (U_IS_SUPPLEMENTARY(c))
				m[j + 1] = start;
		}
		U16_APPEND(u, j, len + 1, c, err);
		if (err)
			elog(ERROR, "could not convert text to UTF-16");
	}
	if (m)
		m[j] = len;
	u[j] = 0;
	*ulen = j;
	if (map)
		*map = m;
	return u;
}

/*
 * sk_icu_to_ascii
 *		Lower-case ASCII letters and digits for s ("Müller" -> "muller",
 *		"やまだ" -> "yamada"), via Any-Latin; Latin-ASCII; Lower.  Returns a
 *		palloc'd string, possibly empty.
 */
char *
sk_icu_to_ascii(const char *s, int len)
{
	UErrorCode status;
	UChar	   *u;
	UChar	   *buf;
	int32		ulen;
	int32		cap;
	int32		limit;
	char	   *out;
	char	   *o;
	int32		i;

	if (sk_to_ascii == NULL)
	{
		static const char id[] = "Any-Latin; Latin-ASCII; Lower";
		UChar		uid[64];

		status = U_ZERO_ERROR;
		u_uastrcpy(uid, id);
		status = U_ZERO_ERROR;
		sk_to_ascii = utrans_openU(uid, -1, UTRANS_FORWARD, NULL, 0, NULL, &status);
		if (U_FAILURE(status))
			sk_to_ascii = NULL;
		sk_icu_check(status, "open the ICU transliterator \"Any-Latin; Latin-ASCII; Lower\"");
	}
	u = sk_to_utf16(s, len, &ulen, NULL);
	cap = ulen * 4 + 16;
	for (;;)
	{
		int32		textlen = ulen;

		buf = palloc(sizeof(UChar) * cap);
		memcpy(buf, u, sizeof(UChar) * ulen);
		limit = ulen;
		status = U_ZERO_ERROR;
		utrans_transUChars(sk_to_ascii, buf, &textlen, cap, 0, &limit, &status);
		if (status == U_BUFFER_OVERFLOW_ERROR && cap < ulen * 64 + 1024)
		{
			pfree(buf);
			cap *= 4;
			continue;
		}
		if (status == U_STRING_NOT_TERMINATED_WARNING)
			status = U_ZERO_ERROR;	/* textlen is explicit, cap is ample */
		sk_icu_check(status, "transliterate text to ASCII");
		ulen = textlen;
		break;
	}
	out = palloc(ulen + 1);
	o = out;
	for (i = 0; i < ulen; i++)
	{
		UChar		c = buf[i];

		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
			*o++ = (char) c;
		else if (c >= 'A' && c <= 'Z')
			*o++ = (char) (c - 'A' + 'a');
	}
	*o = '\0';
	pfree(buf);
	pfree(u);
	return out;
}

/*
 * sk_icu_graphemes
 *		Split s into user-perceived characters; returns their count and sets
 *		*offsets to a palloc'd array of count + 1 byte offsets.  Plain ASCII
 *		without CR takes a fast path.
 */
int
sk_icu_graphemes(const char *s, int len, int **offsets)
{
	int		   *off;
	int			i;
	int			n = 0;
	bool		simple = true;
	UErrorCode	status;
	UChar	   *u;
	int32		ulen;
	int		   *map;
	int32		b;

	for (i = 0; i < len; i++)
		if ((unsigned char) s[i] >= 0x80 || s[i] == '\r')
		{
			simple = false;
			break;
		}
	if (simple)
	{
		off = palloc(sizeof(int) * (len + 1));
		for (i = 0; i <= len; i++)
			off[i] = i;
		*offsets = off;
		return len;
	}

	if (sk_graphemes == NULL)
	{
		UBreakIterator *bi;

		status = U_ZERO_ERROR;
		bi = ubrk_open(UBRK_CHARACTER, "", NULL, 0, &status);
		sk_icu_check(status, "open the ICU character break iterator");
		sk_graphemes = bi;
	}
	u = sk_to_utf16(s, len, &ulen, &map);
	status = U_ZERO_ERROR;
	ubrk_setText(sk_graphemes, u, ulen, &status);
	sk_icu_check(status, "set the text of the ICU break iterator");
	off = palloc(sizeof(int) * (ulen + 1));
	b = ubrk_first(sk_graphemes);
	while (b != UBRK_DONE)
	{
		off[n++] = map[b];
		b = ubrk_next(sk_graphemes);
	}
	/* detach the iterator from the buffer we are about to free */
	{
		static const UChar empty[1] = {0};

		status = U_ZERO_ERROR;
		ubrk_setText(sk_graphemes, empty, 0, &status);
	}
	pfree(u);
	pfree(map);
	if (n == 0)
		off[n++] = 0;
	*offsets = off;
	return n - 1;
}

/*
 * sk_letters_of
 *		The letters of script sc, Unicode block blk and case class cc (0
 *		upper, 1 lower, 2 uncased) in the Basic Multilingual Plane, leaving
 *		out compatibility forms; built once per backend.  Keeping the block
 *		keeps "ü" among Latin-1 letters and "山" among common ideographs.
 */
static SkLetters *
sk_letters_of(UScriptCode sc, UBlockCode blk, int cc)
{
	SkLetters  *l;
	UChar32		c;
	int			n = 0;
	UChar32    *tmp;

	for (l = sk_letters; l != NULL; l = l->next)
		if (l->script == sc && l->block == blk && l->cc == cc)
			return l;
	tmp = palloc(sizeof(UChar32) * 0x10000);
	for (c = 0x20; c < 0x10000; c++)
	{
		UErrorCode	status = U_ZERO_ERROR;
		int8_t		t;
		int			dt;

		if (U_IS_SURROGATE(c) || ublock_getCode(c) != blk)
			continue;
		t = u_charType(c);
		if ((cc == 0 && t != U_UPPERCASE_LETTER) ||
			(cc == 1 && t != U_LOWERCASE_LETTER) ||
			(cc == 2 && t != U_OTHER_LETTER))
			continue;
		if (uscript_getScript(c, &status) != sc || U_FAILURE(status))
			continue;
		dt = u_getIntPropertyValue(c, UCHAR_DECOMPOSITION_TYPE);
		if (dt != U_DT_NONE && dt != U_DT_CANONICAL)
			continue;
		if (u_hasBinaryProperty(c, UCHAR_FULL_COMPOSITION_EXCLUSION))
			continue;
		tmp[n++] = c;
	}
	l = MemoryContextAlloc(TopMemoryContext, sizeof(SkLetters));
	l->script = sc;
	l->block = blk;
	l->cc = cc;
	l->n = n;
	l->cp = MemoryContextAlloc(TopMemoryContext, sizeof(UChar32) * Max(n, 1));
	memcpy(l->cp, tmp, sizeof(UChar32) * n);
	pfree(tmp);
	l->next = sk_letters;
	sk_letters = l;
	return l;
}

/*
 * sk_icu_scramble
 *		Append to out a scramble of s: each letter becomes a letter of the
 *		same script, block and case (ASCII stays ASCII), each digit a digit
 *		of the same digit set, everything else (and letters outside the
 *		Basic Multilingual Plane) is kept.
 */
void
sk_icu_scramble(SkRng *rng, const char *s, int len, StringInfo out)
{
	int32		i = 0;

	while (i < len)
	{
		UChar32		c;
		int32		start = i;
		unsigned char ch = (unsigned char) s[i];

		if (ch < 0x80)
		{
			if (ch >= 'a' && ch <= 'z')
				ch = 'a' + sk_rng_below(rng, 26);
			else if (ch >= 'A' && ch <= 'Z')
				ch = 'A' + sk_rng_below(rng, 26);
			else if (ch >= '0' && ch <= '9')
				ch = '0' + sk_rng_below(rng, 10);
			appendStringInfoChar(out, (char) ch);
			i++;
			continue;
		}
		U8_NEXT((const uint8_t *) s, i, len, c);
		if (c < 0)
		{
			appendBinaryStringInfo(out, s + start, i - start);
			continue;
		}
		if (u_isdigit(c))
		{
			int			v = u_charDigitValue(c);

			if (v >= 0 && v <= 9)
				c = c - v + (UChar32) sk_rng_below(rng, 10);
		}
		else if (u_isalpha(c))
		{
			UErrorCode	status = U_ZERO_ERROR;
			UScriptCode sc = uscript_getScript(c, &status);
			int8_t		t = u_charType(c);
			int			cc = t == U_UPPERCASE_LETTER ? 0 :
				t == U_LOWERCASE_LETTER ? 1 : 2;
			SkLetters  *l;

			if (U_SUCCESS(status) && c < 0x10000 &&
				(l = sk_letters_of(sc, ublock_getCode(c), cc))->n > 0)
				c = l->cp[sk_rng_below(rng, l->n)];
		}
		{
			char		buf[4];
			int32		k = 0;
			UBool		err = false;

			U8_APPEND((uint8_t *) buf, k, 4, c, err);
			if (err)
				appendBinaryStringInfo(out, s + start, i - start);
			else
				appendBinaryStringInfo(out, buf, k);
		}
	}
}
