/*-------------------------------------------------------------------------
 *
 * money.c
 *	  Exact money in fixed-point 128-bit form, and strict text parsing
 *	  helpers shared by the state types.
 *
 * Why not numeric: a state type must be fixed-size per stage so that the
 * aggregate can update it in place (no palloc per row) and ship it between
 * parallel workers and Citus nodes as plain text.  A 128-bit count of
 * 10^-8 units is exact for every amount a CRM holds and adds in one
 * instruction.
 *
 * Decoding reads numeric's on-disk format directly (it is part of the
 * on-disk format, so stable across major versions and pg_upgrade): sign,
 * weight and base-10000 digits.  This avoids the two numeric operations
 * per row (scale, convert) that the public API would need.
 *
 *-------------------------------------------------------------------------
 */
#include "salesplan.h"

#include <limits.h>

#include "libpq/pqformat.h"
#include "utils/builtins.h"
#include "utils/numeric.h"

/* numeric's header bits (numeric.c); stable because they are on disk */
#define NUM_SIGN_MASK			0xC000
#define NUM_NEG					0x4000
#define NUM_SHORT				0x8000
#define NUM_SPECIAL				0xC000
#define NUM_SHORT_SIGN_MASK		0x2000
#define NUM_SHORT_DSCALE_MASK	0x1F80
#define NUM_SHORT_DSCALE_SHIFT	7
#define NUM_SHORT_WEIGHT_SIGN	0x0040
#define NUM_SHORT_WEIGHT_MASK	0x003F
#define NUM_DSCALE_MASK			0x3FFF
#define NUM_NBASE				10000

/* money units per base-10000 digit position: scale 8 = two positions */
#define SP_MONEY_FRAC_DIGITS	(SP_MONEY_SCALE / 4)

static const SpMoney sp_money_max = (SpMoney) (((uint128) 1 << 127) - 1);

static void
money_out_of_range(const char *what)
{
	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 errmsg("%s is out of range for salesplan's exact money sums", what),
			 errdetail("Money is summed exactly up to about 1.7e30 with %d decimal places.",
					   SP_MONEY_SCALE)));
}

SpMoney
sp_money_from_numeric(Datum num, const char *what, int *dscale)
{
	struct varlena *v = pg_detoast_datum_packed((struct varlena *) DatumGetPointer(num));
	const char *p = VARDATA_ANY(v);
	Size		len = VARSIZE_ANY_EXHDR(v);
	uint16		header;
	int			weight;
	int			scale;
	bool		negative;
	const char *digits;
	int			ndigits;
	int			pos;
	SpMoney		acc = 0;

	if (len < sizeof(uint16))
		elog(ERROR, "invalid numeric datum");
	memcpy(&header, p, sizeof(uint16));

	if ((header & NUM_SIGN_MASK) == NUM_SPECIAL)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("%s must be a finite number, not %s", what,
						DatumGetCString(DirectFunctionCall1(numeric_out, PointerGetDatum(v))))));

	if (header & NUM_SHORT)
	{
		negative = (header & NUM_SHORT_SIGN_MASK) != 0;
		scale = (header & NUM_SHORT_DSCALE_MASK) >> NUM_SHORT_DSCALE_SHIFT;
		weight = (header & NUM_SHORT_WEIGHT_MASK);
		if (header & NUM_SHORT_WEIGHT_SIGN)
			weight |= ~NUM_SHORT_WEIGHT_MASK;
		digits = p + sizeof(uint16);
		ndigits = (len - sizeof(uint16)) / sizeof(int16);
	}
	else
	{
		int16		w;

		if (len < 2 * sizeof(uint16))
			elog(ERROR, "invalid numeric datum");
		negative = (header & NUM_SIGN_MASK) == NUM_NEG;
		scale = header & NUM_DSCALE_MASK;
		memcpy(&w, p + sizeof(uint16), sizeof(int16));
		weight = w;
		digits = p + 2 * sizeof(uint16);
		ndigits = (len - 2 * sizeof(uint16)) / sizeof(int16);
	}

	/*
	 * Digit i is worth NBASE^(weight - i); in money units it is worth
	 * NBASE^(weight - i + SP_MONEY_FRAC_DIGITS).  Horner's rule over the
	 * positions weight .. -SP_MONEY_FRAC_DIGITS; any non-zero digit below
	 * that would be lost, so it is an error.
	 */
	if (ndigits > 0)
	{
		for (pos = 0; pos <= weight + SP_MONEY_FRAC_DIGITS; pos++)
		{
			int16		d = 0;

			if (pos < ndigits)
				memcpy(&d, digits + pos * sizeof(int16), sizeof(int16));
			/* constant bound: no 128-bit division per digit */
			if (acc > (sp_money_max - (NUM_NBASE - 1)) / NUM_NBASE)
				money_out_of_range(what);
			acc = acc * NUM_NBASE + d;
		}
		for (; pos < ndigits; pos++)
		{
			int16		d;

			memcpy(&d, digits + pos * sizeof(int16), sizeof(int16));
			if (d != 0)
				ereport(ERROR,
						(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
						 errmsg("%s %s has more than %d decimal places", what,
								DatumGetCString(DirectFunctionCall1(numeric_out, PointerGetDatum(v))),
								SP_MONEY_SCALE),
						 errhint("Round it first, for example round(%s, %d).", what, SP_MONEY_SCALE)));
		}
	}

	if ((Pointer) v != DatumGetPointer(num))
		pfree(v);
	if (dscale)
		*dscale = Min(scale, SP_MONEY_SCALE);
	return negative ? -acc : acc;
}

void
sp_money_add(SpMoney *acc, SpMoney value, const char *what)
{
	SpMoney		r;

	if (__builtin_add_overflow(*acc, value, &r) || r > sp_money_max || r < -sp_money_max)
		money_out_of_range(what);
	*acc = r;
}

void
sp_money_append(StringInfo buf, SpMoney value, int dscale)
{
	char		digits[64];
	int			n = 0;
	uint128		u;
	int			keep;
	int			i;

	Assert(dscale >= 0 && dscale <= SP_MONEY_SCALE);
	u = value < 0 ? (uint128) (-value) : (uint128) value;
	/* least significant first, at least SP_MONEY_SCALE + 1 digits */
	do
	{
		digits[n++] = '0' + (int) (u % 10);
		u /= 10;
	} while (u != 0 || n <= SP_MONEY_SCALE);

	/* show dscale decimals, more only if non-zero digits need them */
	keep = dscale;
	for (i = 0; i < SP_MONEY_SCALE - keep; i++)
	{
		if (digits[i] != '0')
		{
			keep = SP_MONEY_SCALE - i;
			break;
		}
	}

	if (value < 0)
		appendStringInfoChar(buf, '-');
	for (i = n - 1; i >= SP_MONEY_SCALE; i--)
		appendStringInfoChar(buf, digits[i]);
	if (keep > 0)
	{
		appendStringInfoChar(buf, '.');
		for (i = SP_MONEY_SCALE - 1; i >= SP_MONEY_SCALE - keep; i--)
			appendStringInfoChar(buf, digits[i]);
	}
}

Numeric
sp_money_to_numeric(SpMoney value, int dscale)
{
	return DatumGetNumeric(sp_money_to_datum(value, dscale));
}

Datum
sp_money_to_datum(SpMoney value, int dscale)
{
	StringInfoData buf;
	Datum		result;

	initStringInfo(&buf);
	sp_money_append(&buf, value, dscale);
	result = DirectFunctionCall3(numeric_in, CStringGetDatum(buf.data),
								 ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1));
	pfree(buf.data);
	return result;
}

bool
sp_money_parse(const char **p, SpMoney *value)
{
	const char *s = *p;
	bool		negative = false;
	SpMoney		acc = 0;
	int			intdigits = 0;
	int			fracdigits = 0;

	if (*s == '-')
	{
		negative = true;
		s++;
	}
	while (*s >= '0' && *s <= '9')
	{
		if (acc > (sp_money_max - 9) / 10)
			return false;
		acc = acc * 10 + (*s - '0');
		s++;
		intdigits++;
	}
	if (intdigits == 0)
		return false;
	if (*s == '.')
	{
		s++;
		while (*s >= '0' && *s <= '9')
		{
			if (fracdigits == SP_MONEY_SCALE)
				return false;
			if (acc > (sp_money_max - 9) / 10)
				return false;
			acc = acc * 10 + (*s - '0');
			s++;
			fracdigits++;
		}
		if (fracdigits == 0)
			return false;
	}
	for (; fracdigits < SP_MONEY_SCALE; fracdigits++)
	{
		if (acc > sp_money_max / 10)
			return false;
		acc *= 10;
	}
	*value = negative ? -acc : acc;
	*p = s;
	return true;
}

void
sp_send_money(StringInfo buf, SpMoney value)
{
	pq_sendint64(buf, (int64) (value >> 64));
	pq_sendint64(buf, (int64) (uint64) value);
}

SpMoney
sp_getmsg_money(StringInfo msg)
{
	int64		hi = pq_getmsgint64(msg);
	uint64		lo = (uint64) pq_getmsgint64(msg);
	SpMoney		v = (SpMoney) (((uint128) (uint64) hi << 64) | lo);

	if (v < -sp_money_max)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("invalid money value in salesplan binary state")));
	return v;
}

/* ---- strict text parsing helpers for state types ---- */

void
sp_text_bad(const char *type_name, const char *input, const char *why)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
			 errmsg("invalid input syntax for type %s: \"%s\"", type_name, input),
			 errdetail("%s", why)));
}

void
sp_text_expect(const char **p, char c, const char *type_name, const char *input)
{
	if (**p != c)
	{
		char		why[64];

		snprintf(why, sizeof(why), "Expected \"%c\" at character %d.", c,
				 (int) (*p - input) + 1);
		sp_text_bad(type_name, input, why);
	}
	(*p)++;
}

/*
 * An optionally negative decimal integer whose magnitude is at most max:
 * the one reader behind sp_text_int64 and sp_text_int128.
 */
static int128
text_integer(const char **p, int128 max, bool twos_complement,
			 const char *type_name, const char *input)
{
	const char *s = *p;
	bool		negative = false;
	int128		acc = 0;

	if (*s == '-')
	{
		negative = true;
		s++;
		/* a two's complement type has one more negative value: -2^63 */
		if (twos_complement)
			max += 1;
	}
	if (!(*s >= '0' && *s <= '9'))
	{
		char		why[64];

		snprintf(why, sizeof(why), "Expected an integer at character %d.",
				 (int) (*p - input) + 1);
		sp_text_bad(type_name, input, why);
	}
	while (*s >= '0' && *s <= '9')
	{
		if (acc > (max - (*s - '0')) / 10)
			sp_text_bad(type_name, input, "An integer is out of range.");
		acc = acc * 10 + (*s - '0');
		s++;
	}
	*p = s;
	return negative ? -acc : acc;
}

int64
sp_text_int64(const char **p, const char *type_name, const char *input)
{
	return (int64) text_integer(p, PG_INT64_MAX, true, type_name, input);
}

int128
sp_text_int128(const char **p, const char *type_name, const char *input)
{
	return text_integer(p, sp_money_max, false, type_name, input);
}

void
sp_int128_append(StringInfo buf, int128 value)
{
	char		digits[48];
	int			n = 0;
	uint128		u = value < 0 ? -(uint128) value : (uint128) value;

	do
	{
		digits[n++] = '0' + (int) (u % 10);
		u /= 10;
	} while (u != 0);
	if (value < 0)
		appendStringInfoChar(buf, '-');
	while (n > 0)
		appendStringInfoChar(buf, digits[--n]);
}

SpMoney
sp_text_money(const char **p, const char *type_name, const char *input)
{
	SpMoney		v;

	if (!sp_money_parse(p, &v))
	{
		char		why[96];

		snprintf(why, sizeof(why),
				 "Expected an amount with at most %d decimal places at character %d.",
				 SP_MONEY_SCALE, (int) (*p - input) + 1);
		sp_text_bad(type_name, input, why);
	}
	return v;
}

void
sp_text_end(const char **p, const char *type_name, const char *input)
{
	if (**p != '\0')
	{
		char		why[64];

		snprintf(why, sizeof(why), "Unexpected text at character %d.",
				 (int) (*p - input) + 1);
		sp_text_bad(type_name, input, why);
	}
}
