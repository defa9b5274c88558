/*
 * labels.c
 *	  The one check every human-readable string passes before it is stored:
 *	  account labels, market descriptions, outcome labels, and the reasons
 *	  of disputes and cancellations.
 *
 * A string is refused (22023) if it holds a control character (U+0000 to
 * U+001F, U+007F, and in UTF8 databases U+0080 to U+009F: tabs and line
 * breaks included) or if it is blank: empty, or nothing but spaces (the
 * ASCII space and, in UTF8 databases, the Unicode space separators, the
 * no-break spaces and the zero-width space and no-break space).
 *
 * In a UTF8 database the string is then normalized to NFC, so the same
 * text typed with composed or decomposed accents is stored, and compared,
 * as one: 'é' (U+00E9) and 'e' + U+0301 are the same outcome label.  In
 * other encodings the text is stored as given.
 */
#include "postgres.h"

#include "fmgr.h"
#include "mb/pg_wchar.h"
#include "utils/builtins.h"

#include "market.h"

/* A space a reader cannot tell from nothing; see the header comment. */
static bool
is_blank(pg_wchar c)
{
	return c == 0x20 || c == 0xA0 || c == 0x1680 ||
		(c >= 0x2000 && c <= 0x200B) || c == 0x2028 || c == 0x2029 ||
		c == 0x202F || c == 0x205F || c == 0x3000 || c == 0xFEFF;
}

static bool
is_control(pg_wchar c)
{
	return c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F);
}

/*
 * Check a label, description or reason; returns it in NFC (UTF8 databases)
 * or unchanged.  "what" names it in the messages ("description", "label of
 * outcome 2").
 */
text *
market_clean_text(text *t, const char *what)
{
	bool		utf8 = GetDatabaseEncoding() == PG_UTF8;
	const char *p = VARDATA_ANY(t);
	const char *end = p + VARSIZE_ANY_EXHDR(t);
	bool		blank = true;
	int			position = 0;

	while (p < end)
	{
		pg_wchar	c;
		int			len;

		position++;
		if (utf8)
		{
			len = pg_utf_mblen((const unsigned char *) p);
			c = utf8_to_unicode((const unsigned char *) p);
		}
		else
		{
			len = pg_mblen(p);
			/* only single bytes can be controls or ASCII spaces here */
			c = len == 1 ? (unsigned char) *p : 0xFFFFFFFF;
			if (c >= 0x80 && c != 0xFFFFFFFF)
				c = 0xFFFFFFFF;
		}
		if (is_control(c))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s must not contain control characters", what),
					 errdetail("Character %d is U+%04X.", position, (unsigned int) c),
					 errhint("Write it on one line, without tabs or other control characters.")));
		if (!(utf8 ? is_blank(c) : c == 0x20))
			blank = false;
		p += len;
	}
	if (blank)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must not be blank", what),
				 errdetail("It is empty or holds nothing but spaces.")));

	if (!utf8)
		return t;
	return DatumGetTextPP(DirectFunctionCall2(unicode_normalize_func,
											  PointerGetDatum(t),
											  CStringGetTextDatum("NFC")));
}
