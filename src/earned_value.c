/*-------------------------------------------------------------------------
 *
 * earned_value.c
 *	  Project paradigm: what a milestone schedule says at a date.  Earned
 *	  value (planned_value, earned_value, schedule_variance, spi), earned
 *	  schedule on the milestone plan (earned_schedule_days, spi_t,
 *	  schedule_variance_t, forecast_finish), milestone punctuality
 *	  (on_time_rate, slip_days, late_milestones), and Lipke's
 *	  earned_schedule over a planned-value series.
 *
 * Every accessor takes (schedule, as_of) and reads the schedule through
 * schedule.h (schedule.c holds the type); none modifies its input.
 * earned_schedule(pv numeric[], ev numeric) reads no schedule: it is the
 * same measure over periods rather than milestones.
 *
 *-------------------------------------------------------------------------
 */
#include "salesplan.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/lsyscache.h"

#include "schedule.h"

/*
 * Date on which the last milestone was reached, if every milestone had
 * been reached by as_of; else DATEVAL_NOEND.
 */
static DateADT
schedule_actual_finish(const ScheduleData *s, DateADT as_of)
{
	DateADT		finish = DATEVAL_NOBEGIN;
	int			i;

	for (i = 0; i < s->count; i++)
	{
		if (s->m[i].actual > as_of)
			return DATEVAL_NOEND;
		if (s->m[i].actual > finish)
			finish = s->m[i].actual;
	}
	return finish;
}

static SpMoney
schedule_pv(const ScheduleData *s, DateADT as_of)
{
	SpMoney		pv = 0;
	int			i;

	for (i = 0; i < s->count; i++)
		if (s->m[i].planned <= as_of)
			pv += s->m[i].weight;	/* <= total, cannot overflow */
	return pv;
}

static SpMoney
schedule_ev(const ScheduleData *s, DateADT as_of)
{
	SpMoney		ev = 0;
	int			i;

	for (i = 0; i < s->count; i++)
		if (s->m[i].actual <= as_of)
			ev += s->m[i].weight;
	return ev;
}

/*
 * Earned schedule on the milestone plan, in days since start, at actual
 * time "at" (days since start).  Planned value is a step function (the
 * weights of the milestones planned on or before a date) and earned value
 * moves only when a milestone is reached, so ES is read off the same steps:
 * t_first is the earliest date at which PV >= EV (the start when EV = 0),
 * t_next the earliest planned date at which PV > EV, and ES is AT clamped
 * to [t_first, t_next].  On plan ES = AT; behind, ES = the due date of the
 * first milestone the plan expected beyond EV; ahead, ES = the planned date
 * of the last milestone EV covers.  With EV the whole plan (no t_next) ES is
 * t_first, as in Lipke's flat-tail rule, so a finished project keeps
 * planned / actual duration.  s must be sorted; 0 <= ev <= total.
 */
static double
schedule_es_days(const ScheduleData *s, DateADT start, SpMoney ev, double at)
{
	SpMoney		c = 0;
	double		t_first = 0;
	bool		have_first = (ev <= 0);
	int			i = 0;

	while (i < s->count)
	{
		DateADT		p = s->m[i].planned;
		double		t = (double) p - (double) start;

		while (i < s->count && s->m[i].planned == p)
			c += s->m[i++].weight;
		if (!have_first && c >= ev)
		{
			t_first = t;
			have_first = true;
		}
		if (c > ev)
			return Min(Max(at, t_first), t);	/* t is t_next */
	}
	if (!have_first)
		elog(ERROR, "earned value exceeds the schedule's total weight");
	return t_first;
}

/*
 * The time-based quantities at as_of: start, planned duration, earned
 * schedule, actual time (frozen at the actual finish once every milestone
 * is reached).  Returns false when SPI(t) = ES / AT cannot be computed as a
 * ratio: actual time <= 0 or planned duration 0.
 */
typedef struct ScheduleTime
{
	DateADT		start;
	DateADT		finish;			/* actual finish or DATEVAL_NOEND */
	double		pd;
	double		es;
	double		at;
} ScheduleTime;

static bool
schedule_time(const ScheduleData *s, DateADT as_of, ScheduleTime *st)
{
	st->start = schedule_start(s);
	st->finish = schedule_actual_finish(s, as_of);
	st->pd = (double) schedule_planned_finish(s) - (double) st->start;
	st->at = (double) (DATE_IS_NOEND(st->finish) ? as_of : st->finish) - (double) st->start;
	st->es = schedule_es_days(s, st->start, schedule_ev(s, as_of), st->at);
	return st->at > 0 && st->pd > 0;
}

/* ---------------------------------------------------------------------
 * accessors
 * ---------------------------------------------------------------------
 */

/* a schedule to compute with: sorted, unknown weights counted as the mean */
#define GET_SCHEDULE(n)		schedule_weighted(PG_GETARG_DATUM(n))
#define GET_AS_OF(n)		sp_finite_date(PG_GETARG_DATEADT(n), "as_of")

/* salesplan.planned_value(salesplan.schedule, date) -> numeric */
PG_FUNCTION_INFO_V1(salesplan_schedule_planned_value);
Datum
salesplan_schedule_planned_value(PG_FUNCTION_ARGS)
{
	const ScheduleData *s = GET_SCHEDULE(0);

	PG_RETURN_DATUM(sp_money_to_datum(schedule_pv(s, GET_AS_OF(1)), s->dscale));
}

/* salesplan.earned_value(salesplan.schedule, date) -> numeric */
PG_FUNCTION_INFO_V1(salesplan_schedule_earned_value);
Datum
salesplan_schedule_earned_value(PG_FUNCTION_ARGS)
{
	const ScheduleData *s = GET_SCHEDULE(0);

	PG_RETURN_DATUM(sp_money_to_datum(schedule_ev(s, GET_AS_OF(1)), s->dscale));
}

/* salesplan.schedule_variance(salesplan.schedule, date) -> numeric */
PG_FUNCTION_INFO_V1(salesplan_schedule_variance);
Datum
salesplan_schedule_variance(PG_FUNCTION_ARGS)
{
	const ScheduleData *s = GET_SCHEDULE(0);
	DateADT		as_of = GET_AS_OF(1);

	PG_RETURN_DATUM(sp_money_to_datum(schedule_ev(s, as_of) - schedule_pv(s, as_of),
									  s->dscale));
}

/* salesplan.spi(salesplan.schedule, date) -> float8 */
PG_FUNCTION_INFO_V1(salesplan_schedule_spi);
Datum
salesplan_schedule_spi(PG_FUNCTION_ARGS)
{
	const ScheduleData *s = GET_SCHEDULE(0);
	DateADT		as_of = GET_AS_OF(1);
	SpMoney		pv = schedule_pv(s, as_of);

	if (pv == 0)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8((double) schedule_ev(s, as_of) / (double) pv);
}

/* salesplan.earned_schedule_days(salesplan.schedule, date) -> float8 */
PG_FUNCTION_INFO_V1(salesplan_schedule_earned_schedule_days);
Datum
salesplan_schedule_earned_schedule_days(PG_FUNCTION_ARGS)
{
	const ScheduleData *s = GET_SCHEDULE(0);
	ScheduleTime st;

	(void) schedule_time(s, GET_AS_OF(1), &st);
	PG_RETURN_FLOAT8(st.es);
}

/* salesplan.spi_t(salesplan.schedule, date) -> float8 */
PG_FUNCTION_INFO_V1(salesplan_schedule_spi_t);
Datum
salesplan_schedule_spi_t(PG_FUNCTION_ARGS)
{
	const ScheduleData *s = GET_SCHEDULE(0);
	ScheduleTime st;

	if (!schedule_time(s, GET_AS_OF(1), &st))
	{
		/* on the start day, on plan (ES = AT = 0) is SPI(t) = 1 */
		if (st.at == 0 && st.es == 0 && st.pd > 0)
			PG_RETURN_FLOAT8(1.0);
		PG_RETURN_NULL();
	}
	PG_RETURN_FLOAT8(st.es / st.at);
}

/* salesplan.schedule_variance_t(salesplan.schedule, date) -> float8 */
PG_FUNCTION_INFO_V1(salesplan_schedule_variance_t);
Datum
salesplan_schedule_variance_t(PG_FUNCTION_ARGS)
{
	const ScheduleData *s = GET_SCHEDULE(0);
	ScheduleTime st;

	(void) schedule_time(s, GET_AS_OF(1), &st);
	if (st.at < 0)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(st.es - st.at);
}

/* salesplan.forecast_finish(salesplan.schedule, date) -> date */
PG_FUNCTION_INFO_V1(salesplan_schedule_forecast_finish);
Datum
salesplan_schedule_forecast_finish(PG_FUNCTION_ARGS)
{
	const ScheduleData *s = GET_SCHEDULE(0);
	ScheduleTime st;
	double		days;

	if (!schedule_time(s, GET_AS_OF(1), &st))
	{
		if (!DATE_IS_NOEND(st.finish))
			PG_RETURN_DATEADT(st.finish);
		/* on the start day, on plan: the planned finish */
		if (st.at == 0 && st.es == 0 && st.pd > 0)
			PG_RETURN_DATEADT(schedule_planned_finish(s));
		PG_RETURN_NULL();
	}
	if (!DATE_IS_NOEND(st.finish))
		PG_RETURN_DATEADT(st.finish);
	if (st.es <= 0)
		PG_RETURN_NULL();
	/* IEAC(t) = PD / SPI(t) = PD * AT / ES, rounded to the nearest day */
	days = floor(st.pd * st.at / st.es + 0.5) + (double) st.start;
	if (!(days < (double) (DATEVAL_NOEND - 1)) || !IS_VALID_DATE((DateADT) days))
		PG_RETURN_DATEADT(DATEVAL_NOEND);
	PG_RETURN_DATEADT((DateADT) days);
}

/* salesplan.on_time_rate(salesplan.schedule, date) -> float8 */
PG_FUNCTION_INFO_V1(salesplan_schedule_on_time_rate);
Datum
salesplan_schedule_on_time_rate(PG_FUNCTION_ARGS)
{
	const ScheduleData *s = schedule_get(PG_GETARG_DATUM(0));
	DateADT		as_of = GET_AS_OF(1);
	int			due = 0;
	int			on_time = 0;
	int			i;

	for (i = 0; i < s->count; i++)
	{
		if (s->m[i].planned > as_of)
			continue;
		/* due on as_of and not reached: still open, it may yet be met */
		if (s->m[i].planned == as_of && s->m[i].actual > as_of)
			continue;
		due++;
		if (s->m[i].actual <= s->m[i].planned)
			on_time++;
	}
	if (due == 0)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8((double) on_time / (double) due);
}

/* salesplan.slip_days(salesplan.schedule, date) -> float8 */
PG_FUNCTION_INFO_V1(salesplan_schedule_slip_days);
Datum
salesplan_schedule_slip_days(PG_FUNCTION_ARGS)
{
	const ScheduleData *s = GET_SCHEDULE(0);
	DateADT		as_of = GET_AS_OF(1);
	SpMoney		wsum = 0;
	double		acc = 0;
	int			i;

	for (i = 0; i < s->count; i++)
	{
		const Milestone *m = &s->m[i];
		DateADT		eff;

		if (m->planned > as_of || m->weight == 0)
			continue;
		eff = m->actual <= as_of ? m->actual : as_of;
		acc += (double) m->weight * ((double) eff - (double) m->planned);
		wsum += m->weight;
	}
	if (wsum == 0)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(acc / (double) wsum);
}

/* salesplan.late_milestones(salesplan.schedule, date) -> int */
PG_FUNCTION_INFO_V1(salesplan_schedule_late_milestones);
Datum
salesplan_schedule_late_milestones(PG_FUNCTION_ARGS)
{
	const ScheduleData *s = schedule_get(PG_GETARG_DATUM(0));
	DateADT		as_of = GET_AS_OF(1);
	int32		late = 0;
	int			i;

	for (i = 0; i < s->count; i++)
	{
		const Milestone *m = &s->m[i];

		if (m->planned <= as_of &&
			(m->actual <= as_of ? m->actual : as_of) > m->planned)
			late++;
	}
	PG_RETURN_INT32(late);
}

/* ---------------------------------------------------------------------
 * earned_schedule(pv numeric[], ev numeric): Lipke's earned schedule
 * ---------------------------------------------------------------------
 */

/* salesplan.earned_schedule(numeric[], numeric) -> float8 */
PG_FUNCTION_INFO_V1(salesplan_schedule_earned_schedule);
Datum
salesplan_schedule_earned_schedule(PG_FUNCTION_ARGS)
{
	ArrayType  *arr = PG_GETARG_ARRAYTYPE_P(0);
	Datum		evd = PG_GETARG_DATUM(1);
	SpMoney		ev;
	SpMoney		prev = 0;
	Datum	   *elems;
	bool	   *nulls;
	int			n;
	int			i;
	int16		typlen;
	bool		typbyval;
	char		typalign;

	if (ARR_NDIM(arr) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("pv must be a one-dimensional array, not %d-dimensional", ARR_NDIM(arr))));
	ev = sp_money_from_numeric(evd, "ev", NULL);
	if (ev < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("ev must not be negative: %s",
						DatumGetCString(DirectFunctionCall1(numeric_out, evd)))));
	get_typlenbyvalalign(NUMERICOID, &typlen, &typbyval, &typalign);
	deconstruct_array(arr, NUMERICOID, typlen, typbyval, typalign, &elems, &nulls, &n);
	if (n == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("pv must have at least one period"),
				 errhint("pv[i] is the cumulative planned value at the end of period i.")));

	for (i = 0; i < n; i++)
	{
		SpMoney		pv;

		CHECK_FOR_INTERRUPTS();
		if (nulls[i])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("pv[%d] must not be null", i + 1)));
		pv = sp_money_from_numeric(elems[i], "pv", NULL);
		if (pv < 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("pv[%d] must not be negative: %s", i + 1,
							DatumGetCString(DirectFunctionCall1(numeric_out, elems[i])))));
		if (pv < prev)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("pv must not decrease: pv[%d] = %s is less than pv[%d]", i + 1,
							DatumGetCString(DirectFunctionCall1(numeric_out, elems[i])), i),
					 errhint("pv holds cumulative planned values, not per-period ones.")));
		prev = pv;
	}
	if (ev > prev)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("ev %s is above the last planned value %s",
						DatumGetCString(DirectFunctionCall1(numeric_out, evd)),
						DatumGetCString(DirectFunctionCall1(numeric_out, elems[n - 1]))),
				 errdetail("Earned value cannot exceed the budget at completion."),
				 errhint("Re-baseline pv, or cap ev at the last planned value.")));
	if (ev == 0)
		PG_RETURN_FLOAT8(0.0);

	/* C = periods with PV_C < EV; ES = C + (EV - PV_C) / (PV_{C+1} - PV_C) */
	prev = 0;
	for (i = 0; i < n; i++)
	{
		SpMoney		pv = sp_money_from_numeric(elems[i], "pv", NULL);

		if (pv >= ev)
			PG_RETURN_FLOAT8((double) i + (double) (ev - prev) / (double) (pv - prev));
		prev = pv;
	}
	elog(ERROR, "earned value not reached by the planned-value series");
	PG_RETURN_NULL();
}
