/*-------------------------------------------------------------------------
 *
 * schedule.c
 *	  Project paradigm: the salesplan.schedule type, its lifecycle,
 *	  schedule_agg and rollup, and the accessors that read back what it
 *	  holds (total_weight, milestone_count, project_start, planned_finish,
 *	  milestones).  Its text and binary forms are in schedule_io.c.
 *
 * salesplan.schedule is the state of schedule_agg(planned, actual, weight
 * [, start]) and of rollup(schedule): a versioned varlena holding one
 * (planned, actual, weight) triple per milestone plus the explicit project
 * start, the exact total of the known weights and the largest weight
 * display scale.  A NULL weight is kept as unknown (SCHEDULE_WEIGHT_UNKNOWN)
 * and counts, when read, as the mean of the schedule's known weights (1 when
 * none is known), so one unweighted milestone among shares of 0.1 does not
 * count ten times a normal one.  Format version 2 added unknown weights; a
 * version 1 value (0.1) has none and is read as it is (schedule_upgrade).
 *
 * Memory: 24 bytes per milestone plus a 32-byte header, at most
 * SCHEDULE_MAX_MILESTONES (100,000, about 2.4 MB) milestones per state;
 * past that the aggregate raises an error.  The transition and combine
 * functions append in place and grow the buffer geometrically; the final
 * function returns a trimmed copy sorted by (planned, actual, weight), so a
 * stored schedule has a canonical text form.  Accessors sort a copy only if
 * given an unsorted state (they never modify their input).
 *
 * What a schedule says at a date (earned value, earned schedule,
 * punctuality) is in earned_value.c, through schedule.h; the slip trend,
 * a type of its own, is in slip_trend.c.
 *
 *-------------------------------------------------------------------------
 */
#include "salesplan.h"

#include "funcapi.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"

#include "schedule.h"

#define SP_MONEY_ONE		((SpMoney) 100000000)

/* ---------------------------------------------------------------------
 * helpers
 * ---------------------------------------------------------------------
 */

static bool schedule_fits(const void *state);
static void schedule_validate_state(void *state);
static void *schedule_upgrade(const void *state);

static const SpStateType schedule_state = {
	.name = "salesplan.schedule",
	.version = SCHEDULE_VERSION,
	.mark_offset = offsetof(ScheduleData, flags),
	.header_size = offsetof(ScheduleData, m),
	.fits = schedule_fits,
	.validate = schedule_validate_state,
	.upgrade = schedule_upgrade,
};

/* the milestones in use fit the value; the rest of it is free slots */
static bool
schedule_fits(const void *state)
{
	const ScheduleData *s = (const ScheduleData *) state;

	return (VARSIZE(s) - offsetof(ScheduleData, m)) % sizeof(Milestone) == 0 &&
		SCHEDULE_SLOTS(s) <= SCHEDULE_MAX_MILESTONES &&
		s->count >= 1 && s->count <= SCHEDULE_SLOTS(s);
}

/* version 1 (0.1): the same layout without unknown weights */
static void *
schedule_upgrade(const void *state)
{
	ScheduleData *s;

	if (SP_STATE_VERSION(state) != 1)
		return NULL;
	s = (ScheduleData *) palloc(VARSIZE(state));
	memcpy(s, state, VARSIZE(state));
	s->version = SCHEDULE_VERSION;
	return s;
}

/* a schedule Datum as a checked, detoasted pointer (read only) */
ScheduleData *
schedule_get(Datum d)
{
	return (ScheduleData *) sp_state_read(d, &schedule_state);
}

/*
 * The weight an unknown weight counts as: the mean of the known weights,
 * rounded half away from zero to the money scale, or 1 when none is known.
 * Also widens *dscale when the mean needs more decimal places.
 */
static SpMoney
schedule_mean_weight(const ScheduleData *s, int *dscale)
{
	int64		known = 0;
	SpMoney		mean;
	SpMoney		unit = 1;
	int			i;

	for (i = 0; i < s->count; i++)
		if (s->m[i].weight != SCHEDULE_WEIGHT_UNKNOWN)
			known++;
	if (known == 0)
		return SP_MONEY_ONE;
	mean = (s->total + known / 2) / known;	/* total >= 0 */
	for (i = *dscale; i < SP_MONEY_SCALE; i++)
		unit *= 10;
	while (*dscale < SP_MONEY_SCALE && mean % unit != 0)
	{
		unit /= 10;
		(*dscale)++;
	}
	return mean;
}

/*
 * The schedule to compute with: s itself when every weight is known, else a
 * copy whose unknown weights count as the mean weight (and whose total and
 * display scale include them).  Sorted.
 */
const ScheduleData *
schedule_weighted(Datum d)
{
	const ScheduleData *s = schedule_sorted(schedule_get(d));
	ScheduleData *r;
	SpMoney		mean;
	int			dscale;
	int			i;

	for (i = 0; i < s->count; i++)
		if (s->m[i].weight == SCHEDULE_WEIGHT_UNKNOWN)
			break;
	if (i == s->count)
		return s;
	r = (ScheduleData *) palloc(SCHEDULE_SIZE(s->count));
	memcpy(r, s, SCHEDULE_SIZE(s->count));
	SET_VARSIZE(r, SCHEDULE_SIZE(s->count));
	dscale = r->dscale;
	mean = schedule_mean_weight(s, &dscale);
	for (i = 0; i < r->count; i++)
		if (r->m[i].weight == SCHEDULE_WEIGHT_UNKNOWN)
		{
			r->m[i].weight = mean;
			sp_money_add(&r->total, mean, "total milestone weight");
		}
	r->dscale = (int16) dscale;
	return r;
}

static int
milestone_cmp(const void *a, const void *b)
{
	const Milestone *x = (const Milestone *) a;
	const Milestone *y = (const Milestone *) b;

	if (x->planned != y->planned)
		return x->planned < y->planned ? -1 : 1;
	if (x->actual != y->actual)
		return x->actual < y->actual ? -1 : 1;
	if (x->weight != y->weight)
		return x->weight < y->weight ? -1 : 1;
	return 0;
}

/* a trimmed, sorted copy in the current memory context */
static ScheduleData *
schedule_sorted_copy(const ScheduleData *s)
{
	Size		size = SCHEDULE_SIZE(s->count);
	ScheduleData *r = (ScheduleData *) palloc(size);

	memcpy(r, s, size);
	SET_VARSIZE(r, size);
	if (!(r->flags & SCHEDULE_FLAG_SORTED))
		qsort(r->m, r->count, sizeof(Milestone), milestone_cmp);
	r->flags |= SCHEDULE_FLAG_SORTED;
	return r;
}

/* s itself when it is sorted, else a sorted copy; never modifies s */
const ScheduleData *
schedule_sorted(const ScheduleData *s)
{
	if (s->flags & SCHEDULE_FLAG_SORTED)
		return s;
	return schedule_sorted_copy(s);
}

/*
 * A copy of s with room for at least "need" milestones, in the current
 * memory context.  Used when an aggregate state is full: the caller
 * returns the new pointer, and PostgreSQL then copies it into the
 * aggregate context and frees the old state (ExecAggTransReparent), so
 * allocating this intermediate copy in the short-lived per-call context
 * leaks nothing.  Doubling keeps the copies amortised O(1) per milestone.
 */
static ScheduleData *
schedule_grow(const ScheduleData *s, int64 need)
{
	int64		slots = SCHEDULE_SLOTS(s);
	ScheduleData *r;

	if (need > SCHEDULE_MAX_MILESTONES)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("a salesplan.schedule holds at most %d milestones",
						SCHEDULE_MAX_MILESTONES),
				 errdetail("Adding more would make %lld milestones.", (long long) need),
				 errhint("Aggregate one project (or a smaller portfolio) per group.")));
	if (slots < SCHEDULE_INITIAL_SLOTS)
		slots = SCHEDULE_INITIAL_SLOTS;
	while (slots < need)
		slots *= 2;
	if (slots > SCHEDULE_MAX_MILESTONES)
		slots = SCHEDULE_MAX_MILESTONES;

	r = (ScheduleData *) palloc(SCHEDULE_SIZE(slots));
	memcpy(r, s, SCHEDULE_SIZE(s->count));
	SET_VARSIZE(r, SCHEDULE_SIZE(slots));
	return r;
}

/* effective project start: the explicit start or the earliest baseline */
DateADT
schedule_start(const ScheduleData *s)
{
	DateADT		start = s->start;
	int			i;

	for (i = 0; i < s->count; i++)
		if (s->m[i].planned < start || DATE_IS_NOBEGIN(start))
			start = s->m[i].planned;
	return start;
}

DateADT
schedule_planned_finish(const ScheduleData *s)
{
	DateADT		finish = s->m[0].planned;
	int			i;

	for (i = 1; i < s->count; i++)
		if (s->m[i].planned > finish)
			finish = s->m[i].planned;
	return finish;
}

/*
 * Shared checks of a decoded schedule (text or binary input), then sort.
 * "code" is the errcode to raise.
 */
void
schedule_validate(ScheduleData *s, int code, const char *input)
{
	/* the caller has checked count against the value's size */
	SpMoney		total = 0;
	int			i;

	if (s->dscale < 0 || s->dscale > SP_MONEY_SCALE)
		ereport(ERROR,
				(errcode(code),
				 errmsg("invalid salesplan.schedule: display scale %d is outside 0..%d",
						s->dscale, SP_MONEY_SCALE),
				 input ? errdetail("Input: \"%s\".", input) : 0));
	if (!DATE_IS_NOBEGIN(s->start) && !valid_date(s->start))
		ereport(ERROR,
				(errcode(code),
				 errmsg("invalid salesplan.schedule: start date out of range"),
				 input ? errdetail("Input: \"%s\".", input) : 0));
	for (i = 0; i < s->count; i++)
	{
		Milestone  *m = &s->m[i];

		if (!valid_date(m->planned) ||
			!(DATE_IS_NOEND(m->actual) || valid_date(m->actual)))
			ereport(ERROR,
					(errcode(code),
					 errmsg("invalid salesplan.schedule: milestone %d has a date out of range", i + 1),
					 input ? errdetail("Input: \"%s\".", input) : 0));
		if (m->weight == SCHEDULE_WEIGHT_UNKNOWN)
			continue;			/* the readers allow it in version 2 only */
		if (m->weight < 0)
			ereport(ERROR,
					(errcode(code),
					 errmsg("invalid salesplan.schedule: milestone %d has a negative weight", i + 1),
					 input ? errdetail("Input: \"%s\".", input) : 0));
		sp_money_add(&total, m->weight, "total milestone weight");
	}
	s->total = total;
	qsort(s->m, s->count, sizeof(Milestone), milestone_cmp);
	s->flags = SCHEDULE_FLAG_SORTED;
}

/* sp_state_adopt's check of a private copy: validates, and normalises it */
static void
schedule_validate_state(void *state)
{
	schedule_validate((ScheduleData *) state, ERRCODE_DATA_CORRUPTED, NULL);
}

/* ---------------------------------------------------------------------
 * aggregates
 * ---------------------------------------------------------------------
 */

/*
 * An error naming the aggregate support function fname when it is called
 * outside an aggregate.
 */
static void
schedule_agg_check(FunctionCallInfo fcinfo, const char *fname)
{
	if (!AggCheckCallContext(fcinfo, NULL))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("%s called in non-aggregate context", fname)));
}

/* salesplan.schedule_trans(salesplan.schedule, date, date, numeric [, date]) -> salesplan.schedule */
PG_FUNCTION_INFO_V1(salesplan_schedule_trans);
Datum
salesplan_schedule_trans(PG_FUNCTION_ARGS)
{
	ScheduleData *s;
	DateADT		planned;
	DateADT		actual = DATEVAL_NOEND;
	DateADT		start = DATEVAL_NOBEGIN;
	SpMoney		weight = SCHEDULE_WEIGHT_UNKNOWN;
	int			dscale = 0;
	Milestone  *m;

	schedule_agg_check(fcinfo, "salesplan.schedule_trans");
	s = (ScheduleData *) sp_state_arg(fcinfo, 0, &schedule_state);

	if (PG_ARGISNULL(1))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("milestone planned date must not be null"),
				 errdetail("A milestone without a baseline date cannot be scheduled."),
				 errhint("Filter such milestones out (WHERE planned IS NOT NULL) or give them a baseline.")));
	planned = sp_finite_date(PG_GETARG_DATEADT(1), "milestone planned date");
	if (!PG_ARGISNULL(2))
		actual = sp_finite_date(PG_GETARG_DATEADT(2), "milestone actual date");
	if (!PG_ARGISNULL(3))
	{
		weight = sp_money_from_numeric(PG_GETARG_DATUM(3), "weight", &dscale);
		if (weight < 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("milestone weight must not be negative: %s",
							DatumGetCString(DirectFunctionCall1(numeric_out, PG_GETARG_DATUM(3)))),
					 errhint("A weight is the milestone's share of the project value; use 0 for a milestone that carries no value.")));
	}
	if (PG_NARGS() > 4 && !PG_ARGISNULL(4))
		start = sp_finite_date(PG_GETARG_DATEADT(4), "project start date");

	if (s == NULL)
	{
		s = (ScheduleData *) sp_state_alloc(SCHEDULE_SIZE(SCHEDULE_INITIAL_SLOTS),
											&schedule_state, true);
		s->start = DATEVAL_NOBEGIN;
	}
	else if (s->count >= SCHEDULE_SLOTS(s))
		s = schedule_grow(s, (int64) s->count + 1);

	if (weight != SCHEDULE_WEIGHT_UNKNOWN)
		sp_money_add(&s->total, weight, "total milestone weight");
	m = &s->m[s->count++];
	m->planned = planned;
	m->actual = actual;
	m->weight = weight;
	if (dscale > s->dscale)
		s->dscale = (int16) dscale;
	if (!DATE_IS_NOBEGIN(start) && (DATE_IS_NOBEGIN(s->start) || start < s->start))
		s->start = start;
	s->flags &= ~SCHEDULE_FLAG_SORTED;
	PG_RETURN_POINTER(s);
}

/* salesplan.schedule_combine(salesplan.schedule, salesplan.schedule) -> salesplan.schedule */
PG_FUNCTION_INFO_V1(salesplan_schedule_combine);
Datum
salesplan_schedule_combine(PG_FUNCTION_ARGS)
{
	ScheduleData *s;
	ScheduleData *o;
	SpMoney		total;

	schedule_agg_check(fcinfo, "salesplan.schedule_combine");
	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	o = schedule_get(PG_GETARG_DATUM(1));
	s = (ScheduleData *) sp_state_arg(fcinfo, 0, &schedule_state);
	if (s == NULL)
	{
		/* a private copy: never hand back the other state's pointer */
		Size		size = SCHEDULE_SIZE(o->count);

		s = (ScheduleData *) palloc(size);
		memcpy(s, o, size);
		SET_VARSIZE(s, size);
		s->flags |= SP_STATE_AGG;
		PG_RETURN_POINTER(s);
	}
	total = s->total;
	sp_money_add(&total, o->total, "total milestone weight");
	if ((int64) s->count + o->count > SCHEDULE_SLOTS(s))
		s = schedule_grow(s, (int64) s->count + o->count);
	memcpy(&s->m[s->count], o->m, (Size) o->count * sizeof(Milestone));
	s->count += o->count;
	s->total = total;
	if (o->dscale > s->dscale)
		s->dscale = o->dscale;
	if (!DATE_IS_NOBEGIN(o->start) && (DATE_IS_NOBEGIN(s->start) || o->start < s->start))
		s->start = o->start;
	s->flags &= ~SCHEDULE_FLAG_SORTED;
	PG_RETURN_POINTER(s);
}

/* salesplan.schedule_final(salesplan.schedule) -> salesplan.schedule */
PG_FUNCTION_INFO_V1(salesplan_schedule_final);
Datum
salesplan_schedule_final(PG_FUNCTION_ARGS)
{
	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	PG_RETURN_POINTER(schedule_sorted_copy(schedule_get(PG_GETARG_DATUM(0))));
}
/* ---------------------------------------------------------------------
 * what the state holds
 * ---------------------------------------------------------------------
 */

/* a schedule to compute with: sorted, unknown weights counted as the mean */
#define GET_SCHEDULE(n)		schedule_weighted(PG_GETARG_DATUM(n))

/* salesplan.total_weight(salesplan.schedule) -> numeric */
PG_FUNCTION_INFO_V1(salesplan_schedule_total_weight);
Datum
salesplan_schedule_total_weight(PG_FUNCTION_ARGS)
{
	const ScheduleData *s = GET_SCHEDULE(0);

	PG_RETURN_DATUM(sp_money_to_datum(s->total, s->dscale));
}

/* salesplan.milestone_count(salesplan.schedule) -> int */
PG_FUNCTION_INFO_V1(salesplan_schedule_milestone_count);
Datum
salesplan_schedule_milestone_count(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(schedule_get(PG_GETARG_DATUM(0))->count);
}

/* salesplan.project_start(salesplan.schedule) -> date */
PG_FUNCTION_INFO_V1(salesplan_schedule_project_start);
Datum
salesplan_schedule_project_start(PG_FUNCTION_ARGS)
{
	PG_RETURN_DATEADT(schedule_start(schedule_get(PG_GETARG_DATUM(0))));
}

/* salesplan.planned_finish(salesplan.schedule) -> date */
PG_FUNCTION_INFO_V1(salesplan_schedule_planned_finish);
Datum
salesplan_schedule_planned_finish(PG_FUNCTION_ARGS)
{
	PG_RETURN_DATEADT(schedule_planned_finish(schedule_get(PG_GETARG_DATUM(0))));
}

/* salesplan.milestones(salesplan.schedule) -> TABLE(planned date, actual date, weight numeric) */
PG_FUNCTION_INFO_V1(salesplan_schedule_milestones);
Datum
salesplan_schedule_milestones(PG_FUNCTION_ARGS)
{
	FuncCallContext *funcctx;
	const ScheduleData *s;

	if (SRF_IS_FIRSTCALL())
	{
		MemoryContext old;
		TupleDesc	tupdesc;

		funcctx = SRF_FIRSTCALL_INIT();
		old = MemoryContextSwitchTo(funcctx->multi_call_memory_ctx);
		if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
			elog(ERROR, "return type must be a row type");
		funcctx->tuple_desc = BlessTupleDesc(tupdesc);
		s = schedule_sorted_copy(schedule_get(PG_GETARG_DATUM(0)));
		funcctx->user_fctx = (void *) s;
		funcctx->max_calls = s->count;
		MemoryContextSwitchTo(old);
	}
	funcctx = SRF_PERCALL_SETUP();
	s = (const ScheduleData *) funcctx->user_fctx;
	if (funcctx->call_cntr < funcctx->max_calls)
	{
		const Milestone *m = &s->m[funcctx->call_cntr];
		Datum		values[3];
		bool		nulls[3] = {false, false, false};

		values[0] = DateADTGetDatum(m->planned);
		if (DATE_IS_NOEND(m->actual))
			nulls[1] = true;
		else
			values[1] = DateADTGetDatum(m->actual);
		if (m->weight == SCHEDULE_WEIGHT_UNKNOWN)
			nulls[2] = true;
		else
			values[2] = sp_money_to_datum(m->weight, s->dscale);
		SRF_RETURN_NEXT(funcctx,
						HeapTupleGetDatum(heap_form_tuple(funcctx->tuple_desc, values, nulls)));
	}
	SRF_RETURN_DONE(funcctx);
}
