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
 * This file also holds the two per-account functions that feed the
 * summary and have no state type of their own: ladder_level, which turns
 * one piece of CRM evidence into the ladder level coverage_agg counts, and
 * penetration, one account's share of wallet (won / potential), the
 * per-account form of penetration_rate.  Their C symbols keep the family
 * "account" (salesplan_account_*) that the SQL catalog records.
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
#include "utils/jsonb.h"
#include "utils/memutils.h"
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

/* ---------------------------------------------------------------------
 * Per-account inputs of the summary: penetration and the ladder mapping
 * ---------------------------------------------------------------------
 */

/*
 * penetration(won, potential): one account's share of wallet.  NULL won
 * counts as 0; NULL or 0 potential gives NULL.
 */
/* salesplan.penetration(numeric, numeric) -> float8 */
PG_FUNCTION_INFO_V1(salesplan_account_penetration);
Datum
salesplan_account_penetration(PG_FUNCTION_ARGS)
{
	SpMoney		won = 0;
	SpMoney		potential;

	if (!PG_ARGISNULL(0))
	{
		won = sp_money_from_numeric(PG_GETARG_DATUM(0), "won value", NULL);
		if (won < 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("won value must not be negative: %s",
							DatumGetCString(DirectFunctionCall1(numeric_out, PG_GETARG_DATUM(0))))));
	}
	if (PG_ARGISNULL(1))
		PG_RETURN_NULL();
	potential = sp_money_from_numeric(PG_GETARG_DATUM(1), "potential value", NULL);
	if (potential < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("potential value must not be negative: %s",
						DatumGetCString(DirectFunctionCall1(numeric_out, PG_GETARG_DATUM(1))))));
	if (potential == 0)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8((double) won / (double) potential);
}

/* ---------------------------------------------------------------------
 * The account ladder mapping
 * ---------------------------------------------------------------------
 */

/*
 * Per-call-site cache: the last mapping seen, validated and turned into a
 * sorted (key, level) table, so that a constant mapping is validated once
 * per query and each lookup is a binary search without jsonb or numeric
 * work.  The table lives in its own memory context, reset when the mapping
 * changes.
 */
typedef struct LadderKey
{
	const char *key;
	int			len;
	int32		level;
} LadderKey;

typedef struct LadderCache
{
	MemoryContext cxt;			/* holds everything below */
	Jsonb	   *mapping;		/* copy of the mapping the table was built from */
	LadderKey  *keys;			/* sorted by (len, bytes) */
	int			nkeys;
	char	   *buf;			/* key buffer */
	int			bufsize;
} LadderCache;

static int
ladder_key_cmp(const void *a, const void *b)
{
	const LadderKey *x = (const LadderKey *) a;
	const LadderKey *y = (const LadderKey *) b;

	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	return memcmp(x->key, y->key, x->len);
}

/* Validate mapping and build cache's table from it (in cache->cxt). */
static void
ladder_build(LadderCache *cache, Jsonb *mapping)
{
	JsonbIterator *it;
	JsonbValue	v;
	JsonbIteratorToken tok;
	MemoryContext old;
	int			n = 0;
	int			cap;

	cache->mapping = NULL;
	MemoryContextReset(cache->cxt);
	cache->buf = NULL;
	cache->bufsize = 0;

	if (!JB_ROOT_IS_OBJECT(mapping) || JB_ROOT_IS_SCALAR(mapping))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("ladder mapping must be a JSON object"),
				 errdetail("Keys are \"kind:outcome\", \"*:outcome\", \"kind\" or \"*\"; values are ladder levels 0 to 5."),
				 errhint("See salesplan.default_ladder_mapping() for an example.")));

	old = MemoryContextSwitchTo(cache->cxt);
	cap = Max(JB_ROOT_COUNT(mapping), 1);
	cache->keys = palloc(cap * sizeof(LadderKey));
	it = JsonbIteratorInit(&mapping->root);
	while ((tok = JsonbIteratorNext(&it, &v, true)) != WJB_DONE)
	{
		if (tok == WJB_KEY)
		{
			Assert(n < cap);
			cache->keys[n].key = pnstrdup(v.val.string.val, v.val.string.len);
			cache->keys[n].len = v.val.string.len;
		}
		else if (tok == WJB_VALUE)
		{
			double		d = -1;

			if (v.type == jbvNumeric)
				d = DatumGetFloat8(DirectFunctionCall1(numeric_float8_no_overflow,
													   NumericGetDatum(v.val.numeric)));
			if (!(d >= 0 && d <= 5 && d == (double) (int) d))
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("ladder mapping value for key \"%s\" is not a level from 0 to 5",
								cache->keys[n].key),
						 errdetail("Ladder levels: 0 not reached, 1 reached, 2 connected, 3 qualified, 4 proposal delivered, 5 signed.")));
			cache->keys[n].level = (int32) d;
			n++;
		}
	}
	qsort(cache->keys, n, sizeof(LadderKey), ladder_key_cmp);
	cache->nkeys = n;
	cache->mapping = palloc(VARSIZE(mapping));
	memcpy(cache->mapping, mapping, VARSIZE(mapping));
	MemoryContextSwitchTo(old);
}

static bool
ladder_lookup(LadderCache *cache, const char *key, int len, int32 *level)
{
	LadderKey	probe;
	LadderKey  *hit;

	probe.key = key;
	probe.len = len;
	hit = bsearch(&probe, cache->keys, cache->nkeys, sizeof(LadderKey), ladder_key_cmp);
	if (hit == NULL)
		return false;
	*level = hit->level;
	return true;
}

/*
 * ladder_level(kind, outcome, mapping): the ladder level one piece of
 * evidence proves, looked up in mapping as "kind:outcome", then "*:outcome",
 * then "kind", then "*"; NULL when no key matches, and NULL when kind and
 * outcome are both NULL (no evidence: the row a LEFT JOIN makes for an
 * account without activities).
 */
/* salesplan.ladder_level(text, text, jsonb) -> int */
PG_FUNCTION_INFO_V1(salesplan_account_ladder_level);
Datum
salesplan_account_ladder_level(PG_FUNCTION_ARGS)
{
	LadderCache *cache = (LadderCache *) fcinfo->flinfo->fn_extra;
	Jsonb	   *mapping;
	text	   *kind = NULL;
	text	   *outcome = NULL;
	int			klen = 0;
	int			olen = 0;
	int32		level;

	if (PG_ARGISNULL(2))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("ladder mapping must not be NULL"),
				 errhint("Pass salesplan.default_ladder_mapping() or your own mapping.")));
	mapping = PG_GETARG_JSONB_P(2);

	if (cache == NULL)
	{
		cache = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(LadderCache));
		cache->cxt = AllocSetContextCreate(fcinfo->flinfo->fn_mcxt,
										   "salesplan ladder mapping",
										   ALLOCSET_SMALL_SIZES);
		fcinfo->flinfo->fn_extra = cache;
	}
	if (cache->mapping == NULL || VARSIZE(cache->mapping) != VARSIZE(mapping) ||
		memcmp(cache->mapping, mapping, VARSIZE(mapping)) != 0)
		ladder_build(cache, mapping);

	/* no evidence at all (a LEFT JOIN without a match): no level */
	if (PG_ARGISNULL(0) && PG_ARGISNULL(1))
		PG_RETURN_NULL();
	if (!PG_ARGISNULL(0))
	{
		kind = PG_GETARG_TEXT_PP(0);
		klen = VARSIZE_ANY_EXHDR(kind);
	}
	if (!PG_ARGISNULL(1))
	{
		outcome = PG_GETARG_TEXT_PP(1);
		olen = VARSIZE_ANY_EXHDR(outcome);
	}
	if (cache->bufsize < Max(klen, 1) + olen + 1)
	{
		int			need = Max(klen, 1) + olen + 1;

		if (cache->buf)
			pfree(cache->buf);
		cache->buf = MemoryContextAlloc(cache->cxt, Max(need, 64));
		cache->bufsize = Max(need, 64);
	}

	if (outcome)
	{
		/* "kind:outcome", then "*:outcome" */
		if (kind)
		{
			memcpy(cache->buf, VARDATA_ANY(kind), klen);
			cache->buf[klen] = ':';
			memcpy(cache->buf + klen + 1, VARDATA_ANY(outcome), olen);
			if (ladder_lookup(cache, cache->buf, klen + 1 + olen, &level))
				PG_RETURN_INT32(level);
		}
		cache->buf[0] = '*';
		cache->buf[1] = ':';
		memcpy(cache->buf + 2, VARDATA_ANY(outcome), olen);
		if (ladder_lookup(cache, cache->buf, 2 + olen, &level))
			PG_RETURN_INT32(level);
	}
	if (kind && ladder_lookup(cache, VARDATA_ANY(kind), klen, &level))
		PG_RETURN_INT32(level);
	if (ladder_lookup(cache, "*", 1, &level))
		PG_RETURN_INT32(level);
	PG_RETURN_NULL();
}
