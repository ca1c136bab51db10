/*-------------------------------------------------------------------------
 *
 * state_io.c
 *	  Small helpers shared by the state types of several families: strict
 *	  reading of a literal word in a state's text form, and the argument
 *	  and call-context checks that the aggregate support functions of
 *	  salesplan.touches, salesplan.coverage and salesplan.proposals share,
 *	  the finite-date check of the schedule and slip trend families,
 *	  and the format version and length checks of their text and binary
 *	  input.
 *
 * Money and the per-character text readers stay in money.c; this file
 * holds what is built on them or is not about money at all, so that each
 * family does not keep its own copy.
 *
 *-------------------------------------------------------------------------
 */
#include "salesplan.h"

#include "libpq/pqformat.h"
#include "utils/builtins.h"
#include "utils/timestamp.h"

void
sp_text_expect_word(const char **p, const char *word, const char *type_name, const char *input)
{
	for (; *word; word++)
		sp_text_expect(p, *word, type_name, input);
}

void
sp_text_version(const char **p, int expected, const char *type_name, const char *input)
{
	sp_text_expect_word(p, "v", type_name, input);
	if (sp_text_int64(p, type_name, input) != expected)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid input syntax for type %s: \"%s\"", type_name, input),
				 errdetail("Only format version %d is supported.", expected)));
}

void
sp_not_aggregate_context(const char *fname)
{
	ereport(ERROR,
			(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
			 errmsg("%s can only be called as part of an aggregate", fname)));
}

TimestampTz
sp_finite_timestamp_arg(FunctionCallInfo fcinfo, int argno, const char *what)
{
	TimestampTz t = PG_GETARG_TIMESTAMPTZ(argno);

	if (TIMESTAMP_NOT_FINITE(t))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("%s must be finite, not %s", what,
						DatumGetCString(DirectFunctionCall1(timestamptz_out, PG_GETARG_DATUM(argno))))));
	return t;
}

DateADT
sp_finite_date(DateADT d, const char *what)
{
	if (DATE_NOT_FINITE(d))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("%s must be a finite date, not %s", what,
						DATE_IS_NOBEGIN(d) ? "-infinity" : "infinity")));
	return d;
}

void
sp_getmsg_version(StringInfo msg, int expected, const char *type_name)
{
	int			version = pq_getmsgbyte(msg);

	if (version != expected)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("invalid binary %s value", type_name),
				 errdetail("Format version %d is not supported; expected %d.", version, expected)));
}

void
sp_getmsg_check_length(StringInfo msg, int expected, const char *type_name)
{
	if (msg->len - msg->cursor != expected)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("invalid binary %s value", type_name),
				 errdetail("The value has %d bytes; expected %d.", msg->len - msg->cursor, expected)));
}
