/*-------------------------------------------------------------------------
 *
 * coverage.c
 *	  Behavior paradigm, team level: target-account coverage
 *	  (salesplan.coverage, coverage_agg, rollup and accessors) and presales
 *	  proposal rates (salesplan.proposals, proposal_agg, rollup and
 *	  accessors).
 *
 * Both states are fixed-size varlenas that start with a format version and
 * follow the shared state lifecycle (state.c): the first row creates the
 * state, later rows update it in place once sp_state_arg() has vouched for
 * it, combine merges into the first state, and the text and binary forms
 * are validated by the same checks.
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

/* ---------------------------------------------------------------------
 * salesplan.coverage
 * ---------------------------------------------------------------------
 */

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

/* corrupt binary input: the length must be exactly the encoding's */
static void
binary_length_check(StringInfo msg, int expected, const char *type_name)
{
	if (msg->len - msg->cursor != expected)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("invalid binary %s value", type_name),
				 errdetail("The value has %d bytes; expected %d.", msg->len - msg->cursor, expected)));
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

	binary_length_check(msg, 2 + (COVERAGE_LEVELS + 1) * 8 + 3 * 16, COVERAGE_TYPE);
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

/* ---------------------------------------------------------------------
 * salesplan.proposals
 * ---------------------------------------------------------------------
 */

#define PROPOSALS_VERSION	1
#define PROPOSALS_TYPE		"salesplan.proposals"
#define PROPOSALS_NFIELDS	7

typedef struct ProposalsState
{
	int32		vl_len_;		/* varlena header (do not touch directly) */
	uint8		version;		/* PROPOSALS_VERSION */
	uint8		reserved[3];	/* [0]: SP_STATE_AGG or 0 (never printed or
								 * sent); others zero */
	/* the counts, in the order of proposals_fields[] */
	int64		requested;		/* submissions requested (input rows) */
	int64		delivered;		/* submissions with delivered_at */
	int64		with_due;		/* requests with requested_at and due_days */
	int64		on_time;		/* of those, delivered within due_days */
	int64		chains;			/* version-1 submissions delivered */
	int64		first_pass;		/* version-1 submissions delivered and accepted */
	int64		accepted;		/* delivered submissions accepted, any version */
} ProposalsState;

static const char *const proposals_fields[PROPOSALS_NFIELDS] = {
	"requested", "delivered", "with_due", "on_time", "chains", "first_pass", "accepted"
};

static inline int64 *
proposals_counts(ProposalsState *s)
{
	return &s->requested;
}

StaticAssertDecl(offsetof(ProposalsState, accepted) - offsetof(ProposalsState, requested) ==
				 (PROPOSALS_NFIELDS - 1) * sizeof(int64),
				 "ProposalsState counts must be contiguous");

static bool proposals_fits(const void *state);
static void proposals_validate_state(void *state);

static const SpStateType proposals_state = {
	.name = PROPOSALS_TYPE,
	.version = PROPOSALS_VERSION,
	.mark_offset = offsetof(ProposalsState, reserved),
	.header_size = sizeof(ProposalsState),
	.fits = proposals_fits,
	.validate = proposals_validate_state,
};

static bool
proposals_fits(const void *state)
{
	return VARSIZE(state) == sizeof(ProposalsState);
}

/* agg: for a transition or combine function (marked), else for input */
static ProposalsState *
proposals_new(bool agg)
{
	return (ProposalsState *) sp_state_alloc(sizeof(ProposalsState), &proposals_state, agg);
}

static void
proposals_validate(const ProposalsState *s, int code)
{
	const char *why = NULL;
	const int64 *c = &s->requested;
	int			i;

	for (i = 0; i < PROPOSALS_NFIELDS; i++)
		if (c[i] < 0)
			why = "A count is negative.";
	if (why == NULL)
	{
		if (s->delivered > s->requested)
			why = "More submissions delivered than requested.";
		else if (s->with_due > s->requested)
			why = "More requests with a due date than requests.";
		else if (s->on_time > s->with_due || s->on_time > s->delivered)
			why = "More submissions on time than delivered with a due date.";
		else if (s->chains > s->delivered)
			why = "More first submissions than delivered submissions.";
		else if (s->accepted > s->delivered)
			why = "More submissions accepted than delivered.";
		else if (s->first_pass > s->chains || s->first_pass > s->accepted)
			why = "More first-pass acceptances than first submissions or acceptances.";
	}
	if (why)
		ereport(ERROR,
				(errcode(code),
				 errmsg("invalid %s value", PROPOSALS_TYPE),
				 errdetail("%s", why)));
}

static void
proposals_validate_state(void *state)
{
	proposals_validate((const ProposalsState *) state, ERRCODE_DATA_CORRUPTED);
}

/* A stored or passed proposals value to read. */
static ProposalsState *
proposals_get(Datum d)
{
	return (ProposalsState *) sp_state_read(d, &proposals_state);
}

/* salesplan.proposals_in(cstring) -> salesplan.proposals */
PG_FUNCTION_INFO_V1(salesplan_proposals_in);
Datum
salesplan_proposals_in(PG_FUNCTION_ARGS)
{
	const char *input = PG_GETARG_CSTRING(0);
	const char *p = input;
	ProposalsState *s = proposals_new(false);
	int64	   *c = proposals_counts(s);
	int			i;

	sp_text_version(&p, PROPOSALS_VERSION, PROPOSALS_TYPE, input);
	for (i = 0; i < PROPOSALS_NFIELDS; i++)
	{
		sp_text_expect(&p, ';', PROPOSALS_TYPE, input);
		sp_text_expect_word(&p, proposals_fields[i], PROPOSALS_TYPE, input);
		sp_text_expect(&p, '=', PROPOSALS_TYPE, input);
		c[i] = sp_text_int64(&p, PROPOSALS_TYPE, input);
	}
	sp_text_end(&p, PROPOSALS_TYPE, input);
	proposals_validate(s, ERRCODE_INVALID_TEXT_REPRESENTATION);
	PG_RETURN_POINTER(s);
}

/* salesplan.proposals_out(salesplan.proposals) -> cstring */
PG_FUNCTION_INFO_V1(salesplan_proposals_out);
Datum
salesplan_proposals_out(PG_FUNCTION_ARGS)
{
	ProposalsState *s = proposals_get(PG_GETARG_DATUM(0));
	int64	   *c = proposals_counts(s);
	StringInfoData buf;
	int			i;

	initStringInfo(&buf);
	appendStringInfo(&buf, "v%d", PROPOSALS_VERSION);
	for (i = 0; i < PROPOSALS_NFIELDS; i++)
		appendStringInfo(&buf, ";%s=" INT64_FORMAT, proposals_fields[i], c[i]);
	PG_RETURN_CSTRING(buf.data);
}

/* salesplan.proposals_recv(internal) -> salesplan.proposals */
PG_FUNCTION_INFO_V1(salesplan_proposals_recv);
Datum
salesplan_proposals_recv(PG_FUNCTION_ARGS)
{
	StringInfo	msg = (StringInfo) PG_GETARG_POINTER(0);
	ProposalsState *s = proposals_new(false);
	int64	   *c = proposals_counts(s);
	int			i;

	binary_length_check(msg, 1 + PROPOSALS_NFIELDS * 8, PROPOSALS_TYPE);
	sp_getmsg_version(msg, PROPOSALS_VERSION, PROPOSALS_TYPE);
	for (i = 0; i < PROPOSALS_NFIELDS; i++)
		c[i] = pq_getmsgint64(msg);
	pq_getmsgend(msg);
	proposals_validate(s, ERRCODE_DATA_CORRUPTED);
	PG_RETURN_POINTER(s);
}

/* salesplan.proposals_send(salesplan.proposals) -> bytea */
PG_FUNCTION_INFO_V1(salesplan_proposals_send);
Datum
salesplan_proposals_send(PG_FUNCTION_ARGS)
{
	ProposalsState *s = proposals_get(PG_GETARG_DATUM(0));
	int64	   *c = proposals_counts(s);
	StringInfoData buf;
	int			i;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, PROPOSALS_VERSION);
	for (i = 0; i < PROPOSALS_NFIELDS; i++)
		pq_sendint64(&buf, c[i]);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

static void
proposals_bump(int64 *counter)
{
	if (pg_add_s64_overflow(*counter, 1, counter))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("too many proposals in one salesplan.proposals value")));
}

/*
 * proposal_agg's transition (version, accepted, requested_at, delivered_at,
 * due_days).  One row per proposal submission.
 */
/* salesplan.proposals_trans(salesplan.proposals, int, bool, timestamptz, timestamptz, int) -> salesplan.proposals */
PG_FUNCTION_INFO_V1(salesplan_proposals_trans);
Datum
salesplan_proposals_trans(PG_FUNCTION_ARGS)
{
	ProposalsState *s;
	bool		has_version = !PG_ARGISNULL(1);
	int32		version = has_version ? PG_GETARG_INT32(1) : 0;
	bool		accepted = !PG_ARGISNULL(2) && PG_GETARG_BOOL(2);
	bool		has_requested = !PG_ARGISNULL(3);
	bool		delivered = !PG_ARGISNULL(4);
	bool		has_due = !PG_ARGISNULL(5);
	TimestampTz requested_at = 0;
	TimestampTz delivered_at = 0;
	int32		due_days = has_due ? PG_GETARG_INT32(5) : 0;

	if (!AggCheckCallContext(fcinfo, NULL))
		sp_not_aggregate_context("salesplan.proposals_trans");
	if (has_version && version < 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("proposal version %d is out of range", version),
				 errdetail("Versions count a proposal's submissions from 1 (the first submission).")));
	if (has_due && due_days < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("due_days must not be negative: %d", due_days)));
	if (has_requested)
		requested_at = sp_finite_timestamp_arg(fcinfo, 3, "requested_at");
	if (delivered)
		delivered_at = sp_finite_timestamp_arg(fcinfo, 4, "delivered_at");

	s = (ProposalsState *) sp_state_arg(fcinfo, 0, &proposals_state);
	if (s == NULL)
		s = proposals_new(true);

	proposals_bump(&s->requested);
	if (has_requested && has_due)
	{
		s->with_due++;			/* bounded by requested */
		if (delivered &&
			(int128) delivered_at - (int128) requested_at <= (int128) due_days * USECS_PER_DAY)
			s->on_time++;
	}
	if (delivered)
	{
		s->delivered++;
		if (accepted)
			s->accepted++;
		if (has_version && version == 1)
		{
			s->chains++;
			if (accepted)
				s->first_pass++;
		}
	}
	PG_RETURN_POINTER(s);
}

/* Combine function of proposal_agg and rollup, and rollup's transition. */
/* salesplan.proposals_combine(salesplan.proposals, salesplan.proposals) -> salesplan.proposals */
PG_FUNCTION_INFO_V1(salesplan_proposals_combine);
Datum
salesplan_proposals_combine(PG_FUNCTION_ARGS)
{
	ProposalsState *s;
	ProposalsState *other;
	int64	   *c;
	int64	   *oc;
	int			i;

	if (!AggCheckCallContext(fcinfo, NULL))
		sp_not_aggregate_context("salesplan.proposals_combine");
	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	other = proposals_get(PG_GETARG_DATUM(1));
	s = (ProposalsState *) sp_state_arg(fcinfo, 0, &proposals_state);
	if (s == NULL)
	{
		/* a private copy: never hand back the other state's pointer */
		s = proposals_new(true);
		memcpy(proposals_counts(s), proposals_counts(other), PROPOSALS_NFIELDS * sizeof(int64));
		PG_RETURN_POINTER(s);
	}
	c = proposals_counts(s);
	oc = proposals_counts(other);
	for (i = 0; i < PROPOSALS_NFIELDS; i++)
		if (pg_add_s64_overflow(c[i], oc[i], &c[i]))
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("too many proposals in one salesplan.proposals value")));
	PG_RETURN_POINTER(s);
}

static Datum
ratio_or_null(FunctionCallInfo fcinfo, int64 num, int64 den)
{
	if (den == 0)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8((double) num / (double) den);
}

/* salesplan.first_pass_rate(salesplan.proposals) -> float8 */
PG_FUNCTION_INFO_V1(salesplan_proposals_first_pass_rate);
Datum
salesplan_proposals_first_pass_rate(PG_FUNCTION_ARGS)
{
	ProposalsState *s = proposals_get(PG_GETARG_DATUM(0));

	return ratio_or_null(fcinfo, s->first_pass, s->chains);
}

/* salesplan.response_rate(salesplan.proposals) -> float8 */
PG_FUNCTION_INFO_V1(salesplan_proposals_response_rate);
Datum
salesplan_proposals_response_rate(PG_FUNCTION_ARGS)
{
	ProposalsState *s = proposals_get(PG_GETARG_DATUM(0));

	return ratio_or_null(fcinfo, s->on_time, s->with_due);
}

/* salesplan.acceptance_rate(salesplan.proposals) -> float8 */
PG_FUNCTION_INFO_V1(salesplan_proposals_acceptance_rate);
Datum
salesplan_proposals_acceptance_rate(PG_FUNCTION_ARGS)
{
	ProposalsState *s = proposals_get(PG_GETARG_DATUM(0));

	return ratio_or_null(fcinfo, s->accepted, s->delivered);
}

/* salesplan.proposals_requested(salesplan.proposals) -> bigint */
PG_FUNCTION_INFO_V1(salesplan_proposals_requested);
Datum
salesplan_proposals_requested(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(proposals_get(PG_GETARG_DATUM(0))->requested);
}

/* salesplan.proposals_delivered(salesplan.proposals) -> bigint */
PG_FUNCTION_INFO_V1(salesplan_proposals_delivered);
Datum
salesplan_proposals_delivered(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(proposals_get(PG_GETARG_DATUM(0))->delivered);
}

/* salesplan.proposals_due(salesplan.proposals) -> bigint */
PG_FUNCTION_INFO_V1(salesplan_proposals_due);
Datum
salesplan_proposals_due(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(proposals_get(PG_GETARG_DATUM(0))->with_due);
}

/* salesplan.proposals_on_time(salesplan.proposals) -> bigint */
PG_FUNCTION_INFO_V1(salesplan_proposals_on_time);
Datum
salesplan_proposals_on_time(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(proposals_get(PG_GETARG_DATUM(0))->on_time);
}

/* salesplan.proposal_chains(salesplan.proposals) -> bigint */
PG_FUNCTION_INFO_V1(salesplan_proposal_chains);
Datum
salesplan_proposal_chains(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(proposals_get(PG_GETARG_DATUM(0))->chains);
}

/* salesplan.proposals_first_pass(salesplan.proposals) -> bigint */
PG_FUNCTION_INFO_V1(salesplan_proposals_first_pass);
Datum
salesplan_proposals_first_pass(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(proposals_get(PG_GETARG_DATUM(0))->first_pass);
}

/* salesplan.proposals_accepted(salesplan.proposals) -> bigint */
PG_FUNCTION_INFO_V1(salesplan_proposals_accepted);
Datum
salesplan_proposals_accepted(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(proposals_get(PG_GETARG_DATUM(0))->accepted);
}
