/*-------------------------------------------------------------------------
 *
 * coverage.c
 *	  Behavior paradigm, team level: target-account coverage, the
 *	  salesplan.coverage type (coverage_agg, rollup, accessors).
 *
 * The state is a fixed-size varlena that starts with a format version and
 * follows the shared state lifecycle (state.c): the first row creates the
 * state, later rows update it in place once sp_state_arg() has vouched for
 * it, combine merges into the first state, and the text and binary forms
 * are validated by the same checks.  Presales proposal rates, the other
 * team-level type, are in proposals.c.
 *
 *-------------------------------------------------------------------------
 */
#include "salesplan.h"

#include "common/int.h"
#include "datatype/timestamp.h"
#include "fmgr.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"
#include "utils/timestamp.h"

#define COVERAGE_VERSION	1
#define COVERAGE_LEVELS		6	/* ladder levels 0 .. 5 */
#define COVERAGE_TYPE		"salesplan.coverage"

typedef struct CoverageState
{
	int32		vl_len_;		/* varlena header (do not touch directly) */
	uint8		version;		/* COVERAGE_VERSION */
	uint8		dscale;			/* max display scale of won/potential inputs */
	uint16		reserved;		/* SP_STATE_AGG or 0 (never printed or sent) */
	int64		count[COVERAGE_LEVELS]; /* target accounts per deepest level */
	int64		known;			/* accounts whose potential is known */
	SpMoney		won;			/* won value over all accounts */
	SpMoney		won_known;		/* won value over accounts with known potential */
	SpMoney		potential;		/* potential over accounts with known potential */
} CoverageState;

static bool coverage_fits(const void *state);
static void coverage_validate_state(void *state);

static const SpStateType coverage_state = {
	.name = COVERAGE_TYPE,
	.version = COVERAGE_VERSION,
	.mark_offset = offsetof(CoverageState, reserved),
	.header_size = sizeof(CoverageState),
	.fits = coverage_fits,
	.validate = coverage_validate_state,
};

static bool
coverage_fits(const void *state)
{
	return VARSIZE(state) == sizeof(CoverageState);
}

/* agg: for a transition or combine function (marked), else for input */
static CoverageState *
coverage_new(bool agg)
{
	return (CoverageState *) sp_state_alloc(sizeof(CoverageState), &coverage_state, agg);
}

/*
 * Consistency checks shared by text input, binary input and every read of
 * a stored value.  "code" is the SQLSTATE to raise.
 */
static void
coverage_validate(const CoverageState *s, int code)
{
	int64		total = 0;
	int			i;
	const char *why = NULL;

	if (s->dscale > SP_MONEY_SCALE)
		why = "The display scale is out of range.";
	for (i = 0; why == NULL && i < COVERAGE_LEVELS; i++)
	{
		if (s->count[i] < 0)
			why = "A level count is negative.";
		else if (pg_add_s64_overflow(total, s->count[i], &total))
			why = "The number of target accounts is out of range.";
	}
	if (why == NULL)
	{
		if (s->known < 0 || s->known > total)
			why = "The number of accounts with known potential is not between 0 and the number of target accounts.";
		else if (s->won < 0 || s->won_known < 0 || s->potential < 0)
			why = "A money sum is negative.";
		else if (s->won_known > s->won)
			why = "The won value over accounts with known potential exceeds the total won value.";
		else if (s->known == 0 && (s->won_known != 0 || s->potential != 0))
			why = "Money over accounts with known potential is non-zero while no account has a known potential.";
	}
	if (why)
		ereport(ERROR,
				(errcode(code),
				 errmsg("invalid %s value", COVERAGE_TYPE),
				 errdetail("%s", why)));
}

static void
coverage_validate_state(void *state)
{
	coverage_validate((const CoverageState *) state, ERRCODE_DATA_CORRUPTED);
}

/* A stored or passed coverage value to read. */
static CoverageState *
coverage_get(Datum d)
{
	return (CoverageState *) sp_state_read(d, &coverage_state);
}

static void
coverage_merge(CoverageState *dst, const CoverageState *src)
{
	int			i;

	for (i = 0; i < COVERAGE_LEVELS; i++)
		if (pg_add_s64_overflow(dst->count[i], src->count[i], &dst->count[i]))
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("too many target accounts in one salesplan.coverage value")));
	if (pg_add_s64_overflow(dst->known, src->known, &dst->known))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("too many target accounts in one salesplan.coverage value")));
	sp_money_add(&dst->won, src->won, "won value");
	sp_money_add(&dst->won_known, src->won_known, "won value");
	sp_money_add(&dst->potential, src->potential, "potential value");
	dst->dscale = Max(dst->dscale, src->dscale);
}

/* Text form: "v1;levels=N,N,N,N,N,N;known=N;won=M;won_known=M;potential=M;scale=N" */

/* salesplan.coverage_in(cstring) -> salesplan.coverage */
PG_FUNCTION_INFO_V1(salesplan_coverage_in);
Datum
salesplan_coverage_in(PG_FUNCTION_ARGS)
{
	const char *input = PG_GETARG_CSTRING(0);
	const char *p = input;
	CoverageState *s = coverage_new(false);
	int64		v;
	int			i;

	sp_text_version(&p, COVERAGE_VERSION, COVERAGE_TYPE, input);
	sp_text_expect_word(&p, ";levels=", COVERAGE_TYPE, input);
	for (i = 0; i < COVERAGE_LEVELS; i++)
	{
		if (i > 0)
			sp_text_expect(&p, ',', COVERAGE_TYPE, input);
		s->count[i] = sp_text_int64(&p, COVERAGE_TYPE, input);
	}
	sp_text_expect_word(&p, ";known=", COVERAGE_TYPE, input);
	s->known = sp_text_int64(&p, COVERAGE_TYPE, input);
	sp_text_expect_word(&p, ";won=", COVERAGE_TYPE, input);
	s->won = sp_text_money(&p, COVERAGE_TYPE, input);
	sp_text_expect_word(&p, ";won_known=", COVERAGE_TYPE, input);
	s->won_known = sp_text_money(&p, COVERAGE_TYPE, input);
	sp_text_expect_word(&p, ";potential=", COVERAGE_TYPE, input);
	s->potential = sp_text_money(&p, COVERAGE_TYPE, input);
	sp_text_expect_word(&p, ";scale=", COVERAGE_TYPE, input);
	v = sp_text_int64(&p, COVERAGE_TYPE, input);
	sp_text_end(&p, COVERAGE_TYPE, input);
	if (v < 0 || v > SP_MONEY_SCALE)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid input syntax for type %s: \"%s\"", COVERAGE_TYPE, input),
				 errdetail("The scale must be between 0 and %d.", SP_MONEY_SCALE)));
	s->dscale = (uint8) v;
	coverage_validate(s, ERRCODE_INVALID_TEXT_REPRESENTATION);
	PG_RETURN_POINTER(s);
}

/* salesplan.coverage_out(salesplan.coverage) -> cstring */
PG_FUNCTION_INFO_V1(salesplan_coverage_out);
Datum
salesplan_coverage_out(PG_FUNCTION_ARGS)
{
	CoverageState *s = coverage_get(PG_GETARG_DATUM(0));
	StringInfoData buf;
	int			i;

	initStringInfo(&buf);
	appendStringInfo(&buf, "v%d;levels=", COVERAGE_VERSION);
	for (i = 0; i < COVERAGE_LEVELS; i++)
		appendStringInfo(&buf, "%s" INT64_FORMAT, i > 0 ? "," : "", s->count[i]);
	appendStringInfo(&buf, ";known=" INT64_FORMAT ";won=", s->known);
	sp_money_append(&buf, s->won, s->dscale);
	appendStringInfoString(&buf, ";won_known=");
	sp_money_append(&buf, s->won_known, s->dscale);
	appendStringInfoString(&buf, ";potential=");
	sp_money_append(&buf, s->potential, s->dscale);
	appendStringInfo(&buf, ";scale=%d", (int) s->dscale);
	PG_RETURN_CSTRING(buf.data);
}

/* salesplan.coverage_recv(internal) -> salesplan.coverage */
PG_FUNCTION_INFO_V1(salesplan_coverage_recv);
Datum
salesplan_coverage_recv(PG_FUNCTION_ARGS)
{
	StringInfo	msg = (StringInfo) PG_GETARG_POINTER(0);
	CoverageState *s = coverage_new(false);
	int			dscale;
	int			i;

	sp_getmsg_check_length(msg, 2 + (COVERAGE_LEVELS + 1) * 8 + 3 * 16, COVERAGE_TYPE);
	sp_getmsg_version(msg, COVERAGE_VERSION, COVERAGE_TYPE);
	dscale = pq_getmsgbyte(msg);
	for (i = 0; i < COVERAGE_LEVELS; i++)
		s->count[i] = pq_getmsgint64(msg);
	s->known = pq_getmsgint64(msg);
	s->won = sp_getmsg_money(msg);
	s->won_known = sp_getmsg_money(msg);
	s->potential = sp_getmsg_money(msg);
	pq_getmsgend(msg);
	if (dscale > SP_MONEY_SCALE)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("invalid binary %s value", COVERAGE_TYPE),
				 errdetail("The display scale %d is out of range.", dscale)));
	s->dscale = (uint8) dscale;
	coverage_validate(s, ERRCODE_DATA_CORRUPTED);
	PG_RETURN_POINTER(s);
}

/* salesplan.coverage_send(salesplan.coverage) -> bytea */
PG_FUNCTION_INFO_V1(salesplan_coverage_send);
Datum
salesplan_coverage_send(PG_FUNCTION_ARGS)
{
	CoverageState *s = coverage_get(PG_GETARG_DATUM(0));
	StringInfoData buf;
	int			i;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, COVERAGE_VERSION);
	pq_sendbyte(&buf, s->dscale);
	for (i = 0; i < COVERAGE_LEVELS; i++)
		pq_sendint64(&buf, s->count[i]);
	pq_sendint64(&buf, s->known);
	sp_send_money(&buf, s->won);
	sp_send_money(&buf, s->won_known);
	sp_send_money(&buf, s->potential);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

static SpMoney
coverage_money_arg(FunctionCallInfo fcinfo, int argno, const char *what, int *dscale)
{
	SpMoney		v = sp_money_from_numeric(PG_GETARG_DATUM(argno), what, dscale);

	if (v < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must not be negative: %s", what,
						DatumGetCString(DirectFunctionCall1(numeric_out, PG_GETARG_DATUM(argno))))));
	return v;
}

/* salesplan.coverage_trans(salesplan.coverage, int, numeric, numeric) -> salesplan.coverage */
PG_FUNCTION_INFO_V1(salesplan_coverage_trans);
Datum
salesplan_coverage_trans(PG_FUNCTION_ARGS)
{
	CoverageState *s;
	int32		level = 0;
	SpMoney		won = 0;
	SpMoney		potential = 0;
	bool		known = !PG_ARGISNULL(3);
	int			dscale_won = 0;
	int			dscale_pot = 0;

	if (!AggCheckCallContext(fcinfo, NULL))
		sp_not_aggregate_context("salesplan.coverage_trans");

	if (!PG_ARGISNULL(1))
	{
		level = PG_GETARG_INT32(1);
		if (level < 0 || level >= COVERAGE_LEVELS)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("account level %d is out of range", level),
					 errdetail("Account ladder levels run from 0 (not reached) to 5 (signed)."),
					 errhint("A NULL level counts as 0, so a target account without any touch is still counted.")));
	}
	if (!PG_ARGISNULL(2))
		won = coverage_money_arg(fcinfo, 2, "won value", &dscale_won);
	if (known)
		potential = coverage_money_arg(fcinfo, 3, "potential value", &dscale_pot);

	s = (CoverageState *) sp_state_arg(fcinfo, 0, &coverage_state);
	if (s == NULL)
		s = coverage_new(true);

	if (pg_add_s64_overflow(s->count[level], 1, &s->count[level]))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("too many target accounts in one salesplan.coverage value")));
	sp_money_add(&s->won, won, "won value");
	if (known)
	{
		s->known++;				/* cannot overflow before the count above */
		sp_money_add(&s->won_known, won, "won value");
		sp_money_add(&s->potential, potential, "potential value");
	}
	s->dscale = Max(s->dscale, Max(dscale_won, dscale_pot));
	PG_RETURN_POINTER(s);
}

/* Combine function of coverage_agg and rollup, and rollup's transition. */
/* salesplan.coverage_combine(salesplan.coverage, salesplan.coverage) -> salesplan.coverage */
PG_FUNCTION_INFO_V1(salesplan_coverage_combine);
Datum
salesplan_coverage_combine(PG_FUNCTION_ARGS)
{
	CoverageState *s;
	CoverageState *other;

	if (!AggCheckCallContext(fcinfo, NULL))
		sp_not_aggregate_context("salesplan.coverage_combine");
	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	other = coverage_get(PG_GETARG_DATUM(1));
	s = (CoverageState *) sp_state_arg(fcinfo, 0, &coverage_state);
	if (s == NULL)
	{
		/* a private copy: never hand back the other state's pointer */
		s = coverage_new(true);
		memcpy(&s->count, &other->count, sizeof(CoverageState) - offsetof(CoverageState, count));
		s->dscale = other->dscale;
		PG_RETURN_POINTER(s);
	}
	coverage_merge(s, other);
	PG_RETURN_POINTER(s);
}

static int64
coverage_targets(const CoverageState *s)
{
	int64		total = 0;
	int			i;

	for (i = 0; i < COVERAGE_LEVELS; i++)
		total += s->count[i];	/* validated: cannot overflow */
	return total;
}

/* salesplan.targets(salesplan.coverage) -> bigint */
PG_FUNCTION_INFO_V1(salesplan_coverage_targets);
Datum
salesplan_coverage_targets(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(coverage_targets(coverage_get(PG_GETARG_DATUM(0))));
}

/* salesplan.coverage_rate(salesplan.coverage, int) -> float8 */
PG_FUNCTION_INFO_V1(salesplan_coverage_rate);
Datum
salesplan_coverage_rate(PG_FUNCTION_ARGS)
{
	CoverageState *s = coverage_get(PG_GETARG_DATUM(0));
	int32		min_level = PG_GETARG_INT32(1);
	int64		total = coverage_targets(s);
	int64		reached = 0;
	int			i;

	if (min_level < 0 || min_level >= COVERAGE_LEVELS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("min_level %d is out of range", min_level),
				 errdetail("Account ladder levels run from 0 (not reached) to 5 (signed).")));
	if (total == 0)
		PG_RETURN_NULL();
	for (i = min_level; i < COVERAGE_LEVELS; i++)
		reached += s->count[i];
	PG_RETURN_FLOAT8((double) reached / (double) total);
}

/* salesplan.signing_rate(salesplan.coverage) -> float8 */
PG_FUNCTION_INFO_V1(salesplan_coverage_signing_rate);
Datum
salesplan_coverage_signing_rate(PG_FUNCTION_ARGS)
{
	CoverageState *s = coverage_get(PG_GETARG_DATUM(0));
	int64		total = coverage_targets(s);

	if (total == 0)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8((double) s->count[COVERAGE_LEVELS - 1] / (double) total);
}

/* salesplan.penetration_rate(salesplan.coverage) -> float8 */
PG_FUNCTION_INFO_V1(salesplan_coverage_penetration_rate);
Datum
salesplan_coverage_penetration_rate(PG_FUNCTION_ARGS)
{
	CoverageState *s = coverage_get(PG_GETARG_DATUM(0));

	if (s->potential == 0)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8((double) s->won_known / (double) s->potential);
}

/* salesplan.won_value(salesplan.coverage) -> numeric */
PG_FUNCTION_INFO_V1(salesplan_coverage_won_value);
Datum
salesplan_coverage_won_value(PG_FUNCTION_ARGS)
{
	CoverageState *s = coverage_get(PG_GETARG_DATUM(0));

	PG_RETURN_DATUM(sp_money_to_datum(s->won, s->dscale));
}

/* salesplan.potential_value(salesplan.coverage) -> numeric */
PG_FUNCTION_INFO_V1(salesplan_coverage_potential_value);
Datum
salesplan_coverage_potential_value(PG_FUNCTION_ARGS)
{
	CoverageState *s = coverage_get(PG_GETARG_DATUM(0));

	if (s->known == 0)
		PG_RETURN_NULL();
	PG_RETURN_DATUM(sp_money_to_datum(s->potential, s->dscale));
}

/* salesplan.known_potential_accounts(salesplan.coverage) -> bigint */
PG_FUNCTION_INFO_V1(salesplan_coverage_known_potential_accounts);
Datum
salesplan_coverage_known_potential_accounts(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(coverage_get(PG_GETARG_DATUM(0))->known);
}

/* salesplan.levels(salesplan.coverage) -> TABLE(level int, accounts bigint, share float8) */
PG_FUNCTION_INFO_V1(salesplan_coverage_levels);
Datum
salesplan_coverage_levels(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	CoverageState *s = coverage_get(PG_GETARG_DATUM(0));
	int64		total = coverage_targets(s);
	int			i;

	InitMaterializedSRF(fcinfo, 0);
	for (i = 0; i < COVERAGE_LEVELS; i++)
	{
		Datum		values[3];
		bool		nulls[3] = {false, false, false};

		values[0] = Int32GetDatum(i);
		values[1] = Int64GetDatum(s->count[i]);
		if (total == 0)
		{
			values[2] = (Datum) 0;
			nulls[2] = true;
		}
		else
			values[2] = Float8GetDatum((double) s->count[i] / (double) total);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}
