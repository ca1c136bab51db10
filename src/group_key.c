/*-------------------------------------------------------------------------
 *
 * group_key.c
 *	  salesplan.group_key: the text key of a row of a bound view, the same
 *	  whatever the reader's settings.
 *
 * A bound view's group_key was ROW(period, dimensions...)::text, which
 * renders every value with its type's output function and so follows the
 * reader's DateStyle, IntervalStyle, extra_float_digits, TimeZone,
 * bytea_output and lc_monetary: the same row had other keys for other
 * readers, and a materialized view froze its refresher's.  group_key
 * writes the same record literal as ROW(...)::text ("(2026-03-01,north)",
 * quoted and NULL-safe the same way) from a fixed rendering of each value:
 *
 *	- date, timestamp, time: ISO ("2026-03-01", "2026-03-05 10:00:00");
 *	- timestamptz: ISO in UTC ("2026-03-05 09:00:00+00");
 *	- timetz: ISO with its own offset;
 *	- interval: justified (equal lengths, one text: '24:00:00' is "1 day"),
 *	  IntervalStyle postgres ("1 day 02:00:00");
 *	- real, double precision: the shortest text that reads back as the
 *	  same value (as with extra_float_digits >= 1), -0 as 0;
 *	- numeric: without insignificant trailing zeros (1.50 = 1.5 is one
 *	  group; its key does not depend on which row GROUP BY kept);
 *	- bytea: hex;
 *	- text-like, integer, boolean, uuid, enum and other types whose output
 *	  reads no setting: their output function;
 *	- any other type (arrays, ranges, composites, money, extension types):
 *	  its output function under fixed settings (DateStyle ISO, IntervalStyle
 *	  postgres, extra_float_digits 1, TimeZone UTC, bytea_output hex,
 *	  lc_monetary C, search_path pg_catalog: regclass and the other reg*
 *	  types schema-qualified), set for this call only as a function's SET
 *	  clause would.  Values inside such types (the elements of an array,
 *	  the numbers of a jsonb) are written as their output functions write
 *	  them: {1.50} and {1.5} are equal arrays with two texts.
 *
 * A domain is rendered as its base type.  Distinct values of these types
 * get distinct text, so the key stays unique wherever ROW(...)::text was.
 *
 *-------------------------------------------------------------------------
 */
#include "salesplan.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "common/shortest_dec.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/guc.h"
#include "utils/lsyscache.h"
#include "utils/timestamp.h"

/* settings under which a value of any other type is rendered */
static const char *const sp_key_settings[][2] = {
	{"DateStyle", "ISO, YMD"},
	{"IntervalStyle", "postgres"},
	{"extra_float_digits", "1"},
	{"TimeZone", "UTC"},
	{"bytea_output", "hex"},
	{"lc_monetary", "C"},
	{"search_path", "pg_catalog, pg_temp"},	/* regclass & co. */
};

/* per-argument rendering, cached in fn_extra */
typedef enum SpKeyKind
{
	SP_KEY_OUTPUT,				/* output function, no setting read */
	SP_KEY_PINNED,				/* output function under fixed settings */
	SP_KEY_DATE,
	SP_KEY_TIMESTAMP,
	SP_KEY_TIMESTAMPTZ,
	SP_KEY_TIME,
	SP_KEY_TIMETZ,
	SP_KEY_INTERVAL,
	SP_KEY_FLOAT4,
	SP_KEY_FLOAT8,
	SP_KEY_NUMERIC,
	SP_KEY_BYTEA
} SpKeyKind;

typedef struct SpKeyArg
{
	Oid			type;			/* argument type as called */
	SpKeyKind	kind;
	FmgrInfo	output;			/* for SP_KEY_OUTPUT and SP_KEY_PINNED */
} SpKeyArg;

typedef struct SpKeyCache
{
	int			nargs;
	SpKeyArg	args[FLEXIBLE_ARRAY_MEMBER];
} SpKeyCache;

/*
 * How a value of type typid is rendered.  Types whose output function reads
 * no setting are listed; everything else is rendered under fixed settings.
 */
static SpKeyKind
sp_key_kind(Oid typid)
{
	Oid			base = getBaseType(typid);

	switch (base)
	{
		case DATEOID:
			return SP_KEY_DATE;
		case TIMESTAMPOID:
			return SP_KEY_TIMESTAMP;
		case TIMESTAMPTZOID:
			return SP_KEY_TIMESTAMPTZ;
		case TIMEOID:
			return SP_KEY_TIME;
		case TIMETZOID:
			return SP_KEY_TIMETZ;
		case INTERVALOID:
			return SP_KEY_INTERVAL;
		case FLOAT4OID:
			return SP_KEY_FLOAT4;
		case FLOAT8OID:
			return SP_KEY_FLOAT8;
		case NUMERICOID:
			return SP_KEY_NUMERIC;
		case BYTEAOID:
			return SP_KEY_BYTEA;
		case BOOLOID:
		case CHAROID:
		case NAMEOID:
		case INT2OID:
		case INT4OID:
		case INT8OID:
		case OIDOID:
		case TEXTOID:
		case BPCHAROID:
		case VARCHAROID:
		case UUIDOID:
		case JSONOID:
		case JSONBOID:
		case UNKNOWNOID:
			return SP_KEY_OUTPUT;
		default:
			break;
	}
	if (type_is_enum(base))
		return SP_KEY_OUTPUT;
	return SP_KEY_PINNED;
}

static SpKeyCache *
sp_key_cache(FunctionCallInfo fcinfo)
{
	SpKeyCache *cache = (SpKeyCache *) fcinfo->flinfo->fn_extra;
	int			nargs = PG_NARGS();
	int			i;

	if (cache != NULL && cache->nargs == nargs)
	{
		for (i = 0; i < nargs; i++)
			if (cache->args[i].type != get_fn_expr_argtype(fcinfo->flinfo, i))
				break;
		if (i == nargs)
			return cache;
	}
	cache = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt,
								   offsetof(SpKeyCache, args) + sizeof(SpKeyArg) * nargs);
	cache->nargs = nargs;
	for (i = 0; i < nargs; i++)
	{
		SpKeyArg   *arg = &cache->args[i];

		arg->type = get_fn_expr_argtype(fcinfo->flinfo, i);
		if (!OidIsValid(arg->type))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("could not determine the type of argument %d of group_key", i + 1)));
		arg->kind = sp_key_kind(arg->type);
		if (arg->kind == SP_KEY_OUTPUT || arg->kind == SP_KEY_PINNED)
		{
			Oid			func;
			bool		varlena;

			getTypeOutputInfo(arg->type, &func, &varlena);
			fmgr_info_cxt(func, &arg->output, fcinfo->flinfo->fn_mcxt);
		}
	}
	fcinfo->flinfo->fn_extra = cache;
	return cache;
}

/* ISO text of a timestamp (tm in UTC when with_zone), as timestamp_out */
static void
sp_key_timestamp(Timestamp t, bool with_zone, char *buf)
{
	struct pg_tm tt;
	fsec_t		fsec;

	if (TIMESTAMP_NOT_FINITE(t))
		EncodeSpecialTimestamp(t, buf);
	else if (timestamp2tm(t, NULL, &tt, &fsec, NULL, NULL) == 0)
	{
		/* UTC for a timestamptz: offset 0, which tm_isdst >= 0 prints */
		tt.tm_isdst = with_zone ? 0 : -1;
		EncodeDateTime(&tt, fsec, with_zone, 0, NULL, USE_ISO_DATES, buf);
	}
	else
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("timestamp out of range")));
}

/* the text of one value (not NULL) */
static char *
sp_key_value(SpKeyArg *arg, Datum value, char *buf)
{
	struct pg_tm tt;
	fsec_t		fsec;

	switch (arg->kind)
	{
		case SP_KEY_OUTPUT:
		case SP_KEY_PINNED:
			return OutputFunctionCall(&arg->output, value);
		case SP_KEY_DATE:
			{
				DateADT		d = DatumGetDateADT(value);

				if (DATE_NOT_FINITE(d))
					EncodeSpecialDate(d, buf);
				else
				{
					j2date(d + POSTGRES_EPOCH_JDATE, &tt.tm_year, &tt.tm_mon, &tt.tm_mday);
					EncodeDateOnly(&tt, USE_ISO_DATES, buf);
				}
				return buf;
			}
		case SP_KEY_TIMESTAMP:
			sp_key_timestamp(DatumGetTimestamp(value), false, buf);
			return buf;
		case SP_KEY_TIMESTAMPTZ:
			sp_key_timestamp(DatumGetTimestampTz(value), true, buf);
			return buf;
		case SP_KEY_TIME:
			time2tm(DatumGetTimeADT(value), &tt, &fsec);
			EncodeTimeOnly(&tt, fsec, false, 0, USE_ISO_DATES, buf);
			return buf;
		case SP_KEY_TIMETZ:
			{
				int			tz;

				timetz2tm(DatumGetTimeTzADTP(value), &tt, &fsec, &tz);
				EncodeTimeOnly(&tt, fsec, true, tz, USE_ISO_DATES, buf);
				return buf;
			}
		case SP_KEY_INTERVAL:
			{
				Interval   *span = DatumGetIntervalP(value);
				struct pg_itm itm;

				if (!sp_interval_is_finite(span))
					return pstrdup(span->month < 0 ? "-infinity" : "infinity");
				/*
				 * Intervals of equal length are equal ('1 day' = '24:00:00',
				 * '1 mon' = '30 days'): write the one justify_interval gives,
				 * unique for a length (|time| < 24 h, |days| < 30, one sign).
				 */
				span = DatumGetIntervalP(DirectFunctionCall1(interval_justify_interval,
															 IntervalPGetDatum(span)));
				interval2itm(*span, &itm);
				EncodeInterval(&itm, INTSTYLE_POSTGRES, buf);
				return buf;
			}
		case SP_KEY_FLOAT4:
			{
				float4		f = DatumGetFloat4(value);

				if (isnan(f))
					return pstrdup("NaN");
				if (isinf(f))
					return pstrdup(f > 0 ? "Infinity" : "-Infinity");
				if (f == 0)
					return pstrdup("0");
				float_to_shortest_decimal_buf(f, buf);
				return buf;
			}
		case SP_KEY_FLOAT8:
			{
				float8		f = DatumGetFloat8(value);

				if (isnan(f))
					return pstrdup("NaN");
				if (isinf(f))
					return pstrdup(f > 0 ? "Infinity" : "-Infinity");
				if (f == 0)
					return pstrdup("0");
				double_to_shortest_decimal_buf(f, buf);
				return buf;
			}
		case SP_KEY_NUMERIC:
			return numeric_normalize(DatumGetNumeric(value));
		case SP_KEY_BYTEA:
			{
				bytea	   *b = DatumGetByteaPP(value);
				int			len = VARSIZE_ANY_EXHDR(b);
				char	   *out = palloc((Size) len * 2 + 3);

				out[0] = '\\';
				out[1] = 'x';
				hex_encode(VARDATA_ANY(b), len, out + 2);
				out[(Size) len * 2 + 2] = '\0';
				return out;
			}
	}
	elog(ERROR, "unexpected group_key rendering %d", (int) arg->kind);
	return NULL;
}

/*
 * Append value text s as record_out writes a field: quoted when empty or
 * when it holds a quote, backslash, parenthesis, comma or white space;
 * quotes and backslashes doubled inside.
 */
static void
sp_key_append_field(StringInfo out, const char *s)
{
	const char *p;
	bool		quote = (s[0] == '\0');

	for (p = s; *p && !quote; p++)
		if (*p == '"' || *p == '\\' || *p == '(' || *p == ')' || *p == ',' ||
			isspace((unsigned char) *p))
			quote = true;
	if (!quote)
	{
		appendStringInfoString(out, s);
		return;
	}
	appendStringInfoChar(out, '"');
	for (p = s; *p; p++)
	{
		if (*p == '"' || *p == '\\')
			appendStringInfoChar(out, *p);
		appendStringInfoChar(out, *p);
	}
	appendStringInfoChar(out, '"');
}

/*
 * The record literal of the arguments, as ROW(args)::text would be written
 * with fixed settings.  A VARIADIC array is taken as its elements.
 */
/* salesplan.group_key(VARIADIC "any") -> text */
PG_FUNCTION_INFO_V1(salesplan_group_key);
Datum
salesplan_group_key(PG_FUNCTION_ARGS)
{
	StringInfoData out;
	SpKeyCache *cache;
	SpKeyArg	element;
	Datum	   *values = NULL;
	bool	   *nulls = NULL;
	int			nvalues;
	int			nest_level = -1;
	int			i;
	bool		from_array = get_fn_expr_variadic(fcinfo->flinfo);
	char		buf[MAXDATELEN + 1];

	if (from_array)
	{
		ArrayType  *array;
		int16		typlen;
		bool		typbyval;
		char		typalign;

		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		array = PG_GETARG_ARRAYTYPE_P(0);
		element.type = ARR_ELEMTYPE(array);
		element.kind = sp_key_kind(element.type);
		if (element.kind == SP_KEY_OUTPUT || element.kind == SP_KEY_PINNED)
		{
			Oid			func;
			bool		varlena;

			getTypeOutputInfo(element.type, &func, &varlena);
			fmgr_info(func, &element.output);
		}
		get_typlenbyvalalign(element.type, &typlen, &typbyval, &typalign);
		deconstruct_array(array, element.type, typlen, typbyval, typalign,
						  &values, &nulls, &nvalues);
		cache = NULL;
	}
	else
	{
		cache = sp_key_cache(fcinfo);
		nvalues = PG_NARGS();
	}

	initStringInfo(&out);
	appendStringInfoChar(&out, '(');
	for (i = 0; i < nvalues; i++)
	{
		SpKeyArg   *arg = from_array ? &element : &cache->args[i];
		bool		isnull = from_array ? nulls[i] : PG_ARGISNULL(i);
		Datum		value = from_array ? values[i] : PG_GETARG_DATUM(i);

		if (i > 0)
			appendStringInfoChar(&out, ',');
		if (isnull)
			continue;
		if (arg->kind == SP_KEY_PINNED && nest_level < 0)
		{
			int			s;

			/* as a function's SET clause: undone below, or by the abort */
			nest_level = NewGUCNestLevel();
			for (s = 0; s < lengthof(sp_key_settings); s++)
				(void) set_config_option(sp_key_settings[s][0], sp_key_settings[s][1],
										 PGC_USERSET, PGC_S_SESSION,
										 GUC_ACTION_SAVE, true, 0, false);
		}
		sp_key_append_field(&out, sp_key_value(arg, value, buf));
	}
	appendStringInfoChar(&out, ')');
	if (nest_level >= 0)
		AtEOXact_GUC(true, nest_level);
	PG_RETURN_TEXT_P(cstring_to_text_with_len(out.data, out.len));
}
