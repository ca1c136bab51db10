/*-------------------------------------------------------------------------
 *
 * outcomes_estimate.c
 *	  What a salesplan.outcomes says: the counts, the naive win rate, and
 *	  the Aalen-Johansen estimate of winning and losing (win_probability,
 *	  loss_probability, time_to_win, outcome_curve).  The type itself is in
 *	  outcomes.c, through outcomes.h; none of these modifies its input.
 *
 * The estimator (doc/outcomes.md).  With t_1 < t_2 < ... the distinct
 * durations, n_j the entities at risk at t_j (duration >= t_j), dw_j and
 * dl_j those won and lost at t_j, d_j = dw_j + dl_j:
 *
 *	 S(t)	   = prod_{t_j <= t} (1 - d_j / n_j)			  (still open)
 *	 F_won(t)  = sum_{t_j <= t} S(t_{j-1}) dw_j / n_j	  (Aalen-Johansen)
 *	 F_lost(t) = sum_{t_j <= t} S(t_{j-1}) dl_j / n_j
 *
 * Ties: entities won or lost at t_j leave the risk set at t_j; those
 * censored at t_j are still at risk at t_j (the Kaplan-Meier convention).
 *
 *-------------------------------------------------------------------------
 */
#include "salesplan.h"

#include <math.h>

#include "datatype/timestamp.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/float.h"
#include "utils/timestamp.h"

#include "outcomes.h"

/* the two-sided 95 % normal quantile, qnorm(0.975) */
#define OUTCOMES_Z95			1.959963984540054

/*
 * The estimate after the bins up to a horizon.  Between two durations at
 * which someone is censored the product of S telescopes: with n0 at risk
 * at the start of such a run and S = base just before it, S before a bin
 * of the run with n at risk is base n / n0, so the run's increments of F
 * are base dw / n0.  Summing the run's counts as integers and dividing
 * once keeps the estimate exact where it should be: with no censoring,
 * F_won is won / entered with a single rounding.
 */
typedef struct OutcomesEstimate
{
	double		survival;		/* S: share neither won nor lost */
	double		won;			/* F_won */
	double		lost;			/* F_lost */
	/* the current censoring-free run */
	double		base;			/* S before the run */
	double		won_before;		/* F_won before the run */
	double		lost_before;	/* F_lost before the run */
	int64		n0;				/* at risk at the start of the run */
	int64		run_won;		/* won in the run so far */
	int64		run_lost;		/* lost in the run so far */
} OutcomesEstimate;

static inline void
outcomes_estimate_init(OutcomesEstimate *e, int64 entered)
{
	memset(e, 0, sizeof(OutcomesEstimate));
	e->survival = 1.0;
	e->base = 1.0;
	e->n0 = entered;
}

/*
 * One Aalen-Johansen step over bin b, with *at_risk entities at risk at its
 * duration (updated to those at risk after it).
 */
static inline void
outcomes_step(const OutcomesBin *b, int64 *at_risk, OutcomesEstimate *e)
{
	double		n0 = (double) e->n0;

	e->run_won += b->count[OUTCOME_WON];
	e->run_lost += b->count[OUTCOME_LOST];
	e->won = e->won_before + e->base * (double) e->run_won / n0;
	e->lost = e->lost_before + e->base * (double) e->run_lost / n0;
	e->survival = e->base * (double) (e->n0 - e->run_won - e->run_lost) / n0;
	*at_risk -= b->count[0] + b->count[1] + b->count[2];
	if (b->count[OUTCOME_OPEN] > 0 && *at_risk > 0)
	{
		/* censored here: the next bin starts a new run */
		e->base = e->survival;
		e->won_before = e->won;
		e->lost_before = e->lost;
		e->n0 = *at_risk;
		e->run_won = e->run_lost = 0;
	}
}

/* the estimate at "horizon" days (every bin with days <= horizon) */
static OutcomesEstimate
outcomes_estimate(const OutcomesState *s, int64 horizon)
{
	OutcomesEstimate e;
	int64		at_risk = s->entered;
	int			i;

	outcomes_estimate_init(&e, s->entered);
	for (i = 0; i < s->nbins && s->bin[i].days <= horizon; i++)
		outcomes_step(&s->bin[i], &at_risk, &e);
	return e;
}

/*
 * The horizon of "within": extract(epoch from within) / 86400 rounded down,
 * computed as PostgreSQL's extract does (a year is 365.25 days, a month
 * beyond whole years 30 days, a day 24 hours).
 */
static int64
outcomes_within_days(FunctionCallInfo fcinfo, int argno)
{
	Interval   *within = PG_GETARG_INTERVAL_P(argno);
	int128		quarter_days;
	int128		usecs;
	int128		days;

	quarter_days = (int128) 1461 * (within->month / MONTHS_PER_YEAR) +
		(int128) 120 * (within->month % MONTHS_PER_YEAR) +
		(int128) 4 * within->day;
	usecs = quarter_days * (USECS_PER_DAY / 4) + within->time;
	if (usecs < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("within must not be negative: %s",
						DatumGetCString(DirectFunctionCall1(interval_out, PG_GETARG_DATUM(argno))))));
	days = usecs / USECS_PER_DAY;
	return days > PG_INT32_MAX ? PG_INT32_MAX : (int64) days;
}

/* ---- accessors ---- */

/* salesplan.entered(salesplan.outcomes) -> bigint */
PG_FUNCTION_INFO_V1(salesplan_outcomes_entered);
Datum
salesplan_outcomes_entered(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(outcomes_get(PG_GETARG_DATUM(0))->entered);
}

static int64
outcomes_total(const OutcomesState *s, int outcome)
{
	int64		n = 0;
	int			i;

	for (i = 0; i < s->nbins; i++)
		n += s->bin[i].count[outcome];	/* validated: cannot overflow */
	return n;
}

/* salesplan.won_count(salesplan.outcomes) -> bigint */
PG_FUNCTION_INFO_V1(salesplan_outcomes_won_count);
Datum
salesplan_outcomes_won_count(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(outcomes_total(outcomes_get(PG_GETARG_DATUM(0)), OUTCOME_WON));
}

/* salesplan.lost_count(salesplan.outcomes) -> bigint */
PG_FUNCTION_INFO_V1(salesplan_outcomes_lost_count);
Datum
salesplan_outcomes_lost_count(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(outcomes_total(outcomes_get(PG_GETARG_DATUM(0)), OUTCOME_LOST));
}

/* salesplan.open_count(salesplan.outcomes) -> bigint */
PG_FUNCTION_INFO_V1(salesplan_outcomes_open_count);
Datum
salesplan_outcomes_open_count(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(outcomes_total(outcomes_get(PG_GETARG_DATUM(0)), OUTCOME_OPEN));
}

/* salesplan.invalid_rows(salesplan.outcomes) -> bigint */
PG_FUNCTION_INFO_V1(salesplan_outcomes_invalid_rows);
Datum
salesplan_outcomes_invalid_rows(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(outcomes_get(PG_GETARG_DATUM(0))->invalid);
}

/* salesplan.naive_win_rate(salesplan.outcomes) -> float8 */
PG_FUNCTION_INFO_V1(salesplan_outcomes_naive_win_rate);
Datum
salesplan_outcomes_naive_win_rate(PG_FUNCTION_ARGS)
{
	const OutcomesState *s = outcomes_get(PG_GETARG_DATUM(0));

	if (s->entered == 0)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8((double) outcomes_total(s, OUTCOME_WON) / (double) s->entered);
}

/*
 * win_probability and loss_probability, with or without "within": the
 * cumulative incidence at that many days, or at the longest observed
 * duration (the eventual rate).  NULL when nobody is at risk at day 0.
 */
static Datum
outcomes_probability(FunctionCallInfo fcinfo, bool won)
{
	const OutcomesState *s = outcomes_get(PG_GETARG_DATUM(0));
	int64		horizon = PG_INT32_MAX;
	OutcomesEstimate e;

	if (PG_NARGS() > 1)
		horizon = outcomes_within_days(fcinfo, 1);
	if (s->entered == 0)
		PG_RETURN_NULL();
	e = outcomes_estimate(s, horizon);
	PG_RETURN_FLOAT8(won ? e.won : e.lost);
}

/* salesplan.win_probability(salesplan.outcomes [, interval]) -> float8 */
PG_FUNCTION_INFO_V1(salesplan_outcomes_win_probability);
Datum
salesplan_outcomes_win_probability(PG_FUNCTION_ARGS)
{
	return outcomes_probability(fcinfo, true);
}

/* salesplan.loss_probability(salesplan.outcomes [, interval]) -> float8 */
PG_FUNCTION_INFO_V1(salesplan_outcomes_loss_probability);
Datum
salesplan_outcomes_loss_probability(PG_FUNCTION_ARGS)
{
	return outcomes_probability(fcinfo, false);
}

/*
 * time_to_win(o, q): the smallest duration t with F_won(t) >= q *
 * F_won(eventual), up to a relative 1e-12 for float rounding in the sum;
 * q = 0.5 is the median time to win among the entities that will be won.
 */
/* salesplan.time_to_win(salesplan.outcomes, float8) -> float8 */
PG_FUNCTION_INFO_V1(salesplan_outcomes_time_to_win);
Datum
salesplan_outcomes_time_to_win(PG_FUNCTION_ARGS)
{
	const OutcomesState *s = outcomes_get(PG_GETARG_DATUM(0));
	float8		q = PG_GETARG_FLOAT8(1);
	OutcomesEstimate e;
	double		eventual;
	double		target;
	int64		at_risk = s->entered;
	int			i;

	if (isnan(q) || q <= 0.0 || q > 1.0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("time_to_win quantile must be in (0, 1], not %s",
						float8out_internal(q)),
				 errhint("Use 0.5 for the median time to win among the entities that will be won.")));
	if (s->entered == 0)
		PG_RETURN_NULL();
	eventual = outcomes_estimate(s, PG_INT32_MAX).won;
	if (eventual <= 0.0)
		PG_RETURN_NULL();
	target = q * eventual - 1e-12 * eventual;
	outcomes_estimate_init(&e, s->entered);
	for (i = 0; i < s->nbins; i++)
	{
		outcomes_step(&s->bin[i], &at_risk, &e);
		if (s->bin[i].count[OUTCOME_WON] > 0 && e.won >= target)
			PG_RETURN_FLOAT8((double) s->bin[i].days);
	}
	/* cannot happen: the last win reaches the eventual value */
	elog(ERROR, "time_to_win found no duration for quantile %g", q);
	PG_RETURN_NULL();
}

/*
 * outcome_curve: one row per distinct duration, with the Aalen-Johansen
 * estimate after it and a 95 % confidence interval for F_won.
 *
 * Variance: the delta-method estimator of Marubini and Valsecchi (1995),
 * "Analysing Survival Data from Clinical Trials and Observational
 * Studies", section 10.3 (also Pintilie 2006, "Competing Risks", 4.2.2):
 *
 *	 Var F(t) = sum_{t_j <= t} [ (F(t) - F(t_j))^2 d_j / (n_j (n_j - d_j))
 *							   + S(t_{j-1})^2 dw_j (n_j - dw_j) / n_j^3
 *							   - 2 (F(t) - F(t_j)) S(t_{j-1}) dw_j / n_j^2 ]
 *
 * with no competing loss it is Greenwood's formula.  The sums are kept as
 * running sums of non-negative terms as t advances (O(1) per row):
 * with D = F(t) and delta = F(t_new) - F(t_old),
 *	 V1 = sum (D - F_j)^2 A_j	 -> V1 + 2 delta W + delta^2 sum A_j
 *	 W	= sum (D - F_j) A_j		 -> W + delta sum A_j
 *	 V2 = sum (D - F_j) C_j		 -> V2 + delta sum C_j
 * and Var = V1 + sum B_j - 2 V2.  A term with n_j = d_j (everyone at risk
 * ended) is skipped: S is 0 after it, so F does not move and its factor
 * (F(t) - F(t_j)) stays 0.
 *
 * Interval: on the complementary log-log scale g(F) = log(-log(1 - F)),
 * F^{+-} = 1 - (1 - F)^exp(-+ z se / ((1 - F) (-log(1 - F)))), z = 1.96;
 * with no competing loss this is the usual log-log interval of the
 * Kaplan-Meier survival 1 - F (Kalbfleisch and Prentice).  Where F is 0 or
 * 1, or its variance is 0, the interval is the point itself.
 */
static void
outcomes_interval(double f, double var, double *low, double *high)
{
	double		l;
	double		sg;

	if (!(f > 0.0 && f < 1.0 && var > 0.0))
	{
		*low = *high = f;
		return;
	}
	l = log1p(-f);				/* log(1 - F) < 0 */
	sg = sqrt(var) / ((1.0 - f) * -l);
	*low = -expm1(l * exp(-OUTCOMES_Z95 * sg));
	*high = -expm1(l * exp(OUTCOMES_Z95 * sg));
	*low = Max(0.0, Min(1.0, *low));
	*high = Max(0.0, Min(1.0, *high));
}

/* salesplan.outcome_curve(salesplan.outcomes) -> TABLE(days int, at_risk bigint, won bigint, lost bigint, open bigint, survival float8, win_probability float8, loss_probability float8, win_low float8, win_high float8) */
PG_FUNCTION_INFO_V1(salesplan_outcomes_outcome_curve);
Datum
salesplan_outcomes_outcome_curve(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	const OutcomesState *s = outcomes_get(PG_GETARG_DATUM(0));
	OutcomesEstimate e;
	int64		at_risk = s->entered;
	double		sum_a = 0.0,
				sum_b = 0.0,
				sum_c = 0.0,
				v1 = 0.0,
				w = 0.0,
				v2 = 0.0;
	int			i;

	outcomes_estimate_init(&e, s->entered);
	InitMaterializedSRF(fcinfo, 0);
	for (i = 0; i < s->nbins; i++)
	{
		const OutcomesBin *b = &s->bin[i];
		double		n = (double) at_risk;
		double		dw = (double) b->count[OUTCOME_WON];
		double		d = dw + (double) b->count[OUTCOME_LOST];
		double		s_before = e.survival;
		double		f_before = e.won;
		double		delta;
		double		var;
		Datum		values[10];
		bool		nulls[10] = {false};

		CHECK_FOR_INTERRUPTS();
		values[0] = Int32GetDatum(b->days);
		values[1] = Int64GetDatum(at_risk);
		values[2] = Int64GetDatum(b->count[OUTCOME_WON]);
		values[3] = Int64GetDatum(b->count[OUTCOME_LOST]);
		values[4] = Int64GetDatum(b->count[OUTCOME_OPEN]);

		outcomes_step(b, &at_risk, &e);

		/* the variance sums, moved to D = F(t_j), then term j added */
		delta = e.won - f_before;
		v1 += 2.0 * delta * w + delta * delta * sum_a;
		w += delta * sum_a;
		v2 += delta * sum_c;
		if (n > d)
			sum_a += d / (n * (n - d));
		sum_b += s_before * s_before * dw * (n - dw) / (n * n * n);
		sum_c += s_before * dw / (n * n);
		var = v1 + sum_b - 2.0 * v2;

		values[5] = Float8GetDatum(e.survival);
		values[6] = Float8GetDatum(e.won);
		values[7] = Float8GetDatum(e.lost);
		{
			double		low;
			double		high;

			outcomes_interval(e.won, var, &low, &high);
			values[8] = Float8GetDatum(low);
			values[9] = Float8GetDatum(high);
		}
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}
