/*-------------------------------------------------------------------------
 *
 * funnel.c
 *	  The stage funnel (probability paradigm): type salesplan.funnel, the
 *	  aggregates salesplan.funnel_agg and salesplan.rollup, and its text and
 *	  binary forms.  The accessors are in funnel_accessors.c, through
 *	  funnel.h.
 *
 * One input row per entity (lead or opportunity) gives the deepest stage
 * it reached: 0 = in the population only, 1 = entered the funnel, the last
 * stage = won.  The state keeps, per stage k = 0..n, the number of
 * entities whose deepest stage is exactly k, how many of those had an
 * amount, and the exact sum of their amounts.  Exact-level counts keep the
 * transition at O(1) (one increment, one 128-bit add); the cumulative
 * "entered stage k" counts (counting rule: an entity that reached k
 * entered every stage before k) are computed by the accessors.
 *
 * Memory per group: FUNNEL_HEADER_SIZE + 32 bytes per stage (0..n), at
 * most FUNNEL_MAX_STAGES stages, i.e. about 32 kB.
 *
 * Text form (version 1), every field required, in this order:
 *
 *	 v1;stages=N;declared=D;scale=S;population=P;s0=C/Q/A;s1=C/Q/A;...;sN=C/Q/A
 *
 * N = stage count (0..1000), D = declared stage count (0 = not declared,
 * else equal to N), S = display scale of amounts (0..8), P = population
 * (sum of all C), and for each stage k: C = entities whose deepest stage is
 * k, Q = of those with a non-NULL amount, A = sum of their amounts.
 *
 *-------------------------------------------------------------------------
 */
#include "salesplan.h"

#include "catalog/pg_type.h"
#include "common/int.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/numeric.h"

#include "funnel.h"

static bool funnel_fits(const void *state);
static void funnel_validate_state(void *state);

static const SpStateType funnel_state = {
	.name = FUNNEL_TYPE_NAME,
	.version = FUNNEL_VERSION,
	.mark_offset = offsetof(Funnel, flags),
	.header_size = FUNNEL_HEADER_SIZE,
	.fits = funnel_fits,
	.validate = funnel_validate_state,
};

/* a funnel Datum as a checked, detoasted pointer (read only) */
Funnel *
funnel_get(Datum d)
{
	return (Funnel *) sp_state_read(d, &funnel_state);
}

/* ---- construction and validation ---- */

static bool
funnel_fits(const void *state)
{
	const Funnel *f = (const Funnel *) state;

	return f->nstages >= 0 && f->nstages <= FUNNEL_MAX_STAGES &&
		VARSIZE(f) == FUNNEL_SIZE(f->nstages);
}

/* agg: for a transition or combine function (marked), else for input */
static Funnel *
funnel_alloc(int nstages, int declared, bool agg)
{
	Funnel	   *f = (Funnel *) sp_state_alloc(FUNNEL_SIZE(nstages), &funnel_state, agg);

	f->declared = declared;
	f->nstages = nstages;
	return f;
}

/* A copy of f with room for nstages stages (nstages >= f->nstages). */
static Funnel *
funnel_widen(const Funnel *f, int nstages)
{
	Funnel	   *r = funnel_alloc(nstages, f->declared, true);

	memcpy(r, f, FUNNEL_SIZE(f->nstages));
	SET_VARSIZE(r, FUNNEL_SIZE(nstages));
	r->nstages = nstages;
	return r;
}

/*
 * Check every invariant of a state read from outside (text or binary);
 * errcode is ERRCODE_INVALID_TEXT_REPRESENTATION or ERRCODE_DATA_CORRUPTED.
 * The header fields version, nstages have been checked by the reader
 * before allocating.
 */
static void
funnel_validate(const Funnel *f, int errcode_, const char *input)
{
	int64		population = 0;
	SpMoney		unit;
	int			k;
	int			i;

#define FUNNEL_BAD(...) \
	ereport(ERROR, \
			(errcode(errcode_), \
			 input ? errmsg("invalid input syntax for type %s: \"%s\"", FUNNEL_TYPE_NAME, input) \
			 : errmsg("invalid binary state for type %s", FUNNEL_TYPE_NAME), \
			 errdetail(__VA_ARGS__)))

	if (f->flags != 0 || f->reserved != 0)
		FUNNEL_BAD("Unknown flags %d.", (int) f->flags);
	if (f->nstages < 0 || f->nstages > FUNNEL_MAX_STAGES)
		FUNNEL_BAD("Stage count %d is outside 0..%d.", f->nstages, FUNNEL_MAX_STAGES);
	if (f->declared != 0 && f->declared != f->nstages)
		FUNNEL_BAD("Declared stage count %d differs from the stage count %d.",
				   f->declared, f->nstages);
	if (f->dscale > SP_MONEY_SCALE)
		FUNNEL_BAD("Scale %d is outside 0..%d.", (int) f->dscale, SP_MONEY_SCALE);

	unit = 1;
	for (i = f->dscale; i < SP_MONEY_SCALE; i++)
		unit *= 10;

	for (k = 0; k <= f->nstages; k++)
	{
		const FunnelStage *s = &f->stage[k];

		if (s->count < 0)
			FUNNEL_BAD("Stage %d has a negative count.", k);
		if (s->priced < 0 || s->priced > s->count)
			FUNNEL_BAD("Stage %d has %lld entities with an amount out of %lld.",
					   k, (long long) s->priced, (long long) s->count);
		if (s->amount < 0)
			FUNNEL_BAD("Stage %d has a negative amount.", k);
		if (s->priced == 0 && s->amount != 0)
			FUNNEL_BAD("Stage %d has an amount but no entity with an amount.", k);
		if (s->amount % unit != 0)
			FUNNEL_BAD("Stage %d has an amount with more than %d decimal places.",
					   k, (int) f->dscale);
		if (pg_add_s64_overflow(population, s->count, &population))
			FUNNEL_BAD("The population is out of range.");
	}
	if (population != f->population)
		FUNNEL_BAD("Population %lld is not the sum of the stage counts (%lld).",
				   (long long) f->population, (long long) population);
	if (f->declared == 0 && f->stage[f->nstages].count == 0)
		FUNNEL_BAD("A funnel without declared stages must have entities at its last stage %d.",
				   f->nstages);
#undef FUNNEL_BAD
}

static void
funnel_validate_state(void *state)
{
	funnel_validate((const Funnel *) state, ERRCODE_DATA_CORRUPTED, NULL);
}

/* ---- aggregate ---- */

static void
funnel_bad_stages(int32 stages)
{
	if (stages < 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("funnel stages must be at least 1, not %d", stages)));
	ereport(ERROR,
			(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
			 errmsg("funnel stages %d exceeds the maximum of %d", stages, FUNNEL_MAX_STAGES),
			 errdetail("A funnel keeps 32 bytes per stage; the bound keeps each group's state under 33 kB.")));
}

/*
 * Everything the transition's fast path does not handle: the first row of
 * a group, a change of the stages argument, a reached outside 0..n (an
 * error, or a deeper stage of a funnel without declared stages, which
 * grows the state).
 *
 * A new or grown state is allocated in the current (per-row) memory
 * context, not in the aggregate context: the executor copies any state
 * whose pointer changed into the aggregate context and frees the previous
 * one, so allocating there ourselves would leave an orphan copy per group.
 */
static pg_noinline Funnel *
funnel_trans_slow(Funnel *f, int32 reached, int32 declared, bool has_stages)
{
	if (has_stages && (declared < 1 || declared > FUNNEL_MAX_STAGES))
		funnel_bad_stages(declared);
	if (reached < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("funnel reached stage must not be negative: %d", reached),
				 errhint("Use 0 for an entity of the population that never entered the funnel.")));
	if (declared != 0 && reached > declared)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("funnel reached stage %d exceeds the funnel's %d stages", reached, declared)));
	if (reached > FUNNEL_MAX_STAGES)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("funnel reached stage %d exceeds the maximum of %d stages",
						reached, FUNNEL_MAX_STAGES),
				 errdetail("A funnel keeps 32 bytes per stage; the bound keeps each group's state under 33 kB.")));

	if (f == NULL)
		return funnel_alloc(declared != 0 ? declared : reached, declared, true);

	if (f->declared != declared)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("funnel stages must not vary within a group: %d, then %d",
						f->declared, declared)));
	if (reached > f->nstages)
		return funnel_widen(f, reached);
	return f;
}

/* salesplan.funnel_trans(salesplan.funnel, int, numeric [, int]) -> salesplan.funnel */
PG_FUNCTION_INFO_V1(salesplan_funnel_trans);
Datum
salesplan_funnel_trans(PG_FUNCTION_ARGS)
{
	Funnel	   *f;
	FunnelStage *s;
	int32		reached;
	int32		declared = 0;

	if (unlikely(!AggCheckCallContext(fcinfo, NULL)))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("salesplan.funnel_trans can only be called as an aggregate transition function")));

	/* NULL reached: the row is ignored */
	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	reached = PG_GETARG_INT32(1);
	if (PG_NARGS() > 3)
	{
		if (unlikely(PG_ARGISNULL(3)))
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("funnel stages must not be NULL"),
					 errhint("Use salesplan.funnel_agg(reached, amount) for a funnel as deep as the data.")));
		declared = PG_GETARG_INT32(3);
	}

	f = (Funnel *) sp_state_arg(fcinfo, 0, &funnel_state);
	if (unlikely(f == NULL || f->declared != declared ||
				 (uint32) reached > (uint32) f->nstages))
		f = funnel_trans_slow(f, reached, declared, PG_NARGS() > 3);

	if (unlikely(f->population == PG_INT64_MAX))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("funnel population is out of range")));

	s = &f->stage[reached];
	if (!PG_ARGISNULL(2))
	{
		int			dscale;
		SpMoney		v = sp_money_from_numeric(PG_GETARG_DATUM(2), "amount", &dscale);

		if (unlikely(v < 0))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("funnel amount must not be negative: %s",
							DatumGetCString(DirectFunctionCall1(numeric_out, PG_GETARG_DATUM(2))))));
		sp_money_add(&s->amount, v, "funnel amount sum");
		s->priced++;
		if (unlikely(dscale > f->dscale))
			f->dscale = dscale;
	}
	s->count++;
	f->population++;

	PG_RETURN_POINTER(f);
}

/* Add b into a (a has at least b's stages); counts overflow-checked. */
static void
funnel_add(Funnel *a, const Funnel *b)
{
	int			k;

	for (k = 0; k <= b->nstages; k++)
	{
		if (pg_add_s64_overflow(a->stage[k].count, b->stage[k].count, &a->stage[k].count) ||
			pg_add_s64_overflow(a->stage[k].priced, b->stage[k].priced, &a->stage[k].priced))
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("funnel count is out of range")));
		sp_money_add(&a->stage[k].amount, b->stage[k].amount, "funnel amount sum");
	}
	if (pg_add_s64_overflow(a->population, b->population, &a->population))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("funnel population is out of range")));
	a->dscale = Max(a->dscale, b->dscale);
}

/*
 * Merge compatibility: two funnels with declared stages must declare the
 * same number; a funnel without declared stages merges into one that has
 * them if it is not deeper (the result keeps the declared count); two
 * funnels without declared stages give one as deep as the deeper.
 */
static int
funnel_merge_shape(const Funnel *a, const Funnel *b, int *declared)
{
	if (a->declared != 0 && b->declared != 0)
	{
		if (a->declared != b->declared)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("cannot merge funnels with %d and %d declared stages",
							a->declared, b->declared)));
		*declared = a->declared;
		return a->declared;
	}
	if (a->declared != 0 || b->declared != 0)
	{
		const Funnel *d = a->declared != 0 ? a : b;
		const Funnel *u = a->declared != 0 ? b : a;

		if (u->nstages > d->declared)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("cannot merge a funnel %d stages deep into one with %d declared stages",
							u->nstages, d->declared)));
		*declared = d->declared;
		return d->declared;
	}
	*declared = 0;
	return Max(a->nstages, b->nstages);
}

/* Combine function of funnel_agg, and transition function of rollup. */
/* salesplan.funnel_combine(salesplan.funnel, salesplan.funnel) -> salesplan.funnel */
PG_FUNCTION_INFO_V1(salesplan_funnel_combine);
Datum
salesplan_funnel_combine(PG_FUNCTION_ARGS)
{
	Funnel	   *a;
	Funnel	   *b;
	int			nstages;
	int			declared;

	if (!AggCheckCallContext(fcinfo, NULL))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("salesplan.funnel_combine can only be called as an aggregate support function")));

	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	b = PG_GETARG_FUNNEL_P(1);

	if (PG_ARGISNULL(0))
	{
		/*
		 * A private copy (the executor then moves it into the aggregate
		 * context): never hand back the other state's pointer.
		 */
		a = (Funnel *) palloc(VARSIZE(b));
		memcpy(a, b, VARSIZE(b));
		a->flags |= SP_STATE_AGG;
		PG_RETURN_POINTER(a);
	}
	a = (Funnel *) sp_state_arg(fcinfo, 0, &funnel_state);

	nstages = funnel_merge_shape(a, b, &declared);
	if (nstages > a->nstages)
		a = funnel_widen(a, nstages);
	a->declared = declared;
	funnel_add(a, b);
	PG_RETURN_POINTER(a);
}

/* ---- text and binary I/O ---- */

static int64
text_field(const char **p, const char *key, const char *input)
{
	sp_text_expect_word(p, key, FUNNEL_TYPE_NAME, input);
	sp_text_expect(p, '=', FUNNEL_TYPE_NAME, input);
	return sp_text_int64(p, FUNNEL_TYPE_NAME, input);
}

/* salesplan.funnel_in(cstring) -> salesplan.funnel */
PG_FUNCTION_INFO_V1(salesplan_funnel_in);
Datum
salesplan_funnel_in(PG_FUNCTION_ARGS)
{
	const char *input = PG_GETARG_CSTRING(0);
	const char *p = input;
	int64		nstages;
	int64		declared;
	int64		scale;
	int64		population;
	Funnel	   *f;
	int			k;

	sp_text_expect(&p, 'v', FUNNEL_TYPE_NAME, input);
	if (sp_text_int64(&p, FUNNEL_TYPE_NAME, input) != FUNNEL_VERSION)
		sp_text_bad(FUNNEL_TYPE_NAME, input, "Only version 1 is supported.");
	sp_text_expect(&p, ';', FUNNEL_TYPE_NAME, input);
	nstages = text_field(&p, "stages", input);
	if (nstages < 0 || nstages > FUNNEL_MAX_STAGES)
		sp_text_bad(FUNNEL_TYPE_NAME, input, "The stage count is outside 0..1000.");
	sp_text_expect(&p, ';', FUNNEL_TYPE_NAME, input);
	declared = text_field(&p, "declared", input);
	if (declared != 0 && declared != nstages)
		sp_text_bad(FUNNEL_TYPE_NAME, input, "The declared stage count must be 0 or the stage count.");
	sp_text_expect(&p, ';', FUNNEL_TYPE_NAME, input);
	scale = text_field(&p, "scale", input);
	if (scale < 0 || scale > SP_MONEY_SCALE)
		sp_text_bad(FUNNEL_TYPE_NAME, input, "The scale is outside 0..8.");
	sp_text_expect(&p, ';', FUNNEL_TYPE_NAME, input);
	population = text_field(&p, "population", input);

	f = funnel_alloc((int) nstages, (int) declared, false);
	f->dscale = (uint16) scale;
	f->population = population;
	for (k = 0; k <= nstages; k++)
	{
		FunnelStage *s = &f->stage[k];

		sp_text_expect(&p, ';', FUNNEL_TYPE_NAME, input);
		sp_text_expect(&p, 's', FUNNEL_TYPE_NAME, input);
		if (!(*p >= '0' && *p <= '9') || sp_text_int64(&p, FUNNEL_TYPE_NAME, input) != k)
			sp_text_bad(FUNNEL_TYPE_NAME, input, psprintf("Expected stage s%d.", k));
		sp_text_expect(&p, '=', FUNNEL_TYPE_NAME, input);
		s->count = sp_text_int64(&p, FUNNEL_TYPE_NAME, input);
		sp_text_expect(&p, '/', FUNNEL_TYPE_NAME, input);
		s->priced = sp_text_int64(&p, FUNNEL_TYPE_NAME, input);
		sp_text_expect(&p, '/', FUNNEL_TYPE_NAME, input);
		s->amount = sp_text_money(&p, FUNNEL_TYPE_NAME, input);
	}
	sp_text_end(&p, FUNNEL_TYPE_NAME, input);

	funnel_validate(f, ERRCODE_INVALID_TEXT_REPRESENTATION, input);
	PG_RETURN_POINTER(f);
}

/* salesplan.funnel_out(salesplan.funnel) -> cstring */
PG_FUNCTION_INFO_V1(salesplan_funnel_out);
Datum
salesplan_funnel_out(PG_FUNCTION_ARGS)
{
	Funnel	   *f = PG_GETARG_FUNNEL_P(0);
	StringInfoData buf;
	int			k;

	initStringInfo(&buf);
	appendStringInfo(&buf, "v%d;stages=%d;declared=%d;scale=%d;population=" INT64_FORMAT,
					 (int) f->version, f->nstages, f->declared, (int) f->dscale,
					 f->population);
	for (k = 0; k <= f->nstages; k++)
	{
		appendStringInfo(&buf, ";s%d=" INT64_FORMAT "/" INT64_FORMAT "/",
						 k, f->stage[k].count, f->stage[k].priced);
		sp_money_append(&buf, f->stage[k].amount, f->dscale);
	}
	PG_RETURN_CSTRING(buf.data);
}

/* salesplan.funnel_send(salesplan.funnel) -> bytea */
PG_FUNCTION_INFO_V1(salesplan_funnel_send);
Datum
salesplan_funnel_send(PG_FUNCTION_ARGS)
{
	Funnel	   *f = PG_GETARG_FUNNEL_P(0);
	StringInfoData buf;
	int			k;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, f->version);
	pq_sendbyte(&buf, f->flags & ~SP_STATE_AGG);
	pq_sendbyte(&buf, (uint8) f->dscale);
	pq_sendint32(&buf, f->declared);
	pq_sendint32(&buf, f->nstages);
	pq_sendint64(&buf, f->population);
	for (k = 0; k <= f->nstages; k++)
	{
		pq_sendint64(&buf, f->stage[k].count);
		pq_sendint64(&buf, f->stage[k].priced);
		sp_send_money(&buf, f->stage[k].amount);
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

sp_noreturn static void recv_bad(const char *detail);

static void
recv_bad(const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_DATA_CORRUPTED),
			 errmsg("invalid binary state for type %s", FUNNEL_TYPE_NAME),
			 errdetail("%s", detail)));
}

/* salesplan.funnel_recv(internal) -> salesplan.funnel */
PG_FUNCTION_INFO_V1(salesplan_funnel_recv);
Datum
salesplan_funnel_recv(PG_FUNCTION_ARGS)
{
	StringInfo	msg = (StringInfo) PG_GETARG_POINTER(0);
	int			version;
	int			flags;
	int			dscale;
	int32		declared;
	int32		nstages;
	Funnel	   *f;
	int			k;

	/* header: 1 + 1 + 1 + 4 + 4 + 8 bytes, then 32 bytes per stage */
	if (msg->len - msg->cursor < 19)
		recv_bad("The state is truncated.");
	version = pq_getmsgbyte(msg);
	if (version != FUNNEL_VERSION)
		recv_bad(psprintf("Unknown format version %d.", version));
	flags = pq_getmsgbyte(msg);
	dscale = pq_getmsgbyte(msg);
	declared = (int32) pq_getmsgint(msg, 4);
	nstages = (int32) pq_getmsgint(msg, 4);
	if (nstages < 0 || nstages > FUNNEL_MAX_STAGES)
		recv_bad(psprintf("Stage count %d is outside 0..%d.", nstages, FUNNEL_MAX_STAGES));
	if ((Size) (msg->len - msg->cursor) != 8 + ((Size) nstages + 1) * 32)
		recv_bad("The state's length does not match its stage count.");

	f = funnel_alloc(nstages, declared, false);
	f->flags = (uint8) flags;
	f->dscale = (uint16) dscale;
	f->population = pq_getmsgint64(msg);
	for (k = 0; k <= nstages; k++)
	{
		f->stage[k].count = pq_getmsgint64(msg);
		f->stage[k].priced = pq_getmsgint64(msg);
		f->stage[k].amount = sp_getmsg_money(msg);
	}
	pq_getmsgend(msg);

	funnel_validate(f, ERRCODE_DATA_CORRUPTED, NULL);
	PG_RETURN_POINTER(f);
}
