/*-------------------------------------------------------------------------
 *
 * outcomes.c
 *	  Censoring-aware conversion (probability paradigm): the type
 *	  salesplan.outcomes, the aggregates salesplan.outcome_agg (date and
 *	  timestamptz) and salesplan.rollup, and its text and binary forms.
 *	  The accessors that read the Aalen-Johansen estimate of winning and
 *	  losing out of it are in outcomes_estimate.c, through outcomes.h.
 *
 * One input row per entity (a lead, an opportunity, an entity in a stage):
 * when it started, when it ended, whether it was won, and the status date
 * as_of.  The entity is followed from started until it is won, lost (the
 * competing outcome) or still open at as_of (censored there).  The state is
 * a histogram of whole-day durations: one bin per distinct duration, with
 * the entities won, lost and still open after that many days.  Bins are
 * kept sorted by duration and merged, so equal states print equal text.
 *
 * Memory per group: OUTCOMES_HDRSZ (32 bytes) + 32 bytes per distinct
 * duration.  The transition grows the bin array geometrically; at most
 * OUTCOMES_MAX_BINS distinct durations (100 years of days: 1.2 MB per
 * group at the bound).  Past it outcome_agg and rollup raise
 * ERRCODE_PROGRAM_LIMIT_EXCEEDED rather than give an approximate answer.
 * The final function returns a copy without the spare room.
 *
 * Text form (version 1): "v1;invalid=I;days=D:W/L/O,D:W/L/O,..." with the
 * durations D strictly ascending, W/L/O the entities won, lost and open at
 * D (not all zero), and I the rows excluded because they ended before they
 * started.  The list may be empty ("days=").
 *
 *-------------------------------------------------------------------------
 */
#include "salesplan.h"

#include <math.h>

#include "common/int.h"
#include "datatype/timestamp.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/float.h"
#include "utils/timestamp.h"

#include "outcomes.h"

static bool outcomes_fits(const void *state);
static void outcomes_validate_state(void *state);

static const SpStateType outcomes_state = {
	.name = OUTCOMES_TYPE,
	.version = OUTCOMES_VERSION,
	.mark_offset = offsetof(OutcomesState, flags),
	.header_size = OUTCOMES_HDRSZ,
	.fits = outcomes_fits,
	.validate = outcomes_validate_state,
};

/* ---- construction and validation ---- */

/* the bins in use fit the value's size; capacity is the rest of it */
static bool
outcomes_fits(const void *state)
{
	const OutcomesState *s = (const OutcomesState *) state;

	return (VARSIZE(s) - OUTCOMES_HDRSZ) % sizeof(OutcomesBin) == 0 &&
		OUTCOMES_CAPACITY(s) <= OUTCOMES_MAX_BINS &&
		s->nbins >= 0 && s->nbins <= OUTCOMES_CAPACITY(s);
}

/* agg: for a transition or combine function (marked), else for input */
static OutcomesState *
outcomes_new(int capacity, bool agg)
{
	return (OutcomesState *) sp_state_alloc(OUTCOMES_SIZE(capacity), &outcomes_state, agg);
}

/* A copy of s with room for capacity bins (>= s->nbins), marked. */
static OutcomesState *
outcomes_widen(const OutcomesState *s, int capacity)
{
	OutcomesState *r = outcomes_new(capacity, true);

	memcpy(r, s, OUTCOMES_SIZE(s->nbins));
	SET_VARSIZE(r, OUTCOMES_SIZE(capacity));
	r->flags = SP_STATE_AGG;
	return r;
}

static void
outcomes_too_many(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
			 errmsg("more than %d distinct durations in one salesplan.outcomes value",
					OUTCOMES_MAX_BINS),
			 errdetail("salesplan.outcomes keeps one bin per distinct whole-day duration, at most %d (100 years of days).",
					   OUTCOMES_MAX_BINS),
			 errhint("Check started, ended and as_of for dates far apart, or split the group.")));
}

static void
outcomes_overflow(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 errmsg("too many entities in one salesplan.outcomes value")));
}

/*
 * Every invariant of a value from outside (text, binary, a stored value).
 * "code" is the SQLSTATE to raise; "input" the text input, if any.
 */
static void
outcomes_validate(const OutcomesState *s, int code, const char *input)
{
	const char *why = NULL;
	int64		entered = 0;
	int			i;
	int			k;

	if (s->flags != 0 || s->reserved != 0 || s->reserved2 != 0)
		why = "Reserved fields are not zero.";
	else if (s->nbins < 0 || s->nbins > OUTCOMES_MAX_BINS)
		why = "The number of durations is out of range.";
	else if (s->invalid < 0)
		why = "The number of invalid rows is negative.";
	for (i = 0; why == NULL && i < s->nbins; i++)
	{
		const OutcomesBin *b = &s->bin[i];

		if (b->days < 0)
			why = "A duration is negative.";
		else if (b->reserved != 0)
			why = "Reserved fields are not zero.";
		else if (i > 0 && s->bin[i - 1].days >= b->days)
			why = "Durations are not strictly ascending.";
		else if (b->count[0] == 0 && b->count[1] == 0 && b->count[2] == 0)
			why = "A duration has no entity.";
		for (k = 0; why == NULL && k < 3; k++)
		{
			if (b->count[k] < 0)
				why = "A count is negative.";
			else if (pg_add_s64_overflow(entered, b->count[k], &entered))
				why = "The number of entities is out of range.";
		}
	}
	if (why == NULL && entered != s->entered)
		why = "The number of entities is not the sum of the counts.";
	if (why == NULL)
		return;
	if (input != NULL)
		sp_text_bad(OUTCOMES_TYPE, input, why);
	ereport(ERROR,
			(errcode(code),
			 errmsg("invalid %s value", OUTCOMES_TYPE),
			 errdetail("%s", why)));
}

static void
outcomes_validate_state(void *state)
{
	outcomes_validate((const OutcomesState *) state, ERRCODE_DATA_CORRUPTED, NULL);
}

/* A stored or passed outcomes value to read (read only). */
const OutcomesState *
outcomes_get(Datum d)
{
	return (const OutcomesState *) sp_state_read(d, &outcomes_state);
}

/* ---- aggregate ---- */

/*
 * Index of the first bin with days >= days (nbins if none).  This runs for
 * every input row, over bins in no relation to the previous row's, so the
 * search is branch-free (the comparison picks the next base with a
 * conditional move): a branching binary search mispredicts about half of
 * its steps, which made it most of outcome_agg's own time.  What remains
 * is the latency of one load per step, partly hidden by prefetching.
 */
static inline int
outcomes_search(const OutcomesState *s, int32 days)
{
	const OutcomesBin *base = s->bin;
	int			n = s->nbins;

	if (n == 0)
		return 0;
	while (n > 1)
	{
		int			half = n / 2;

		/*
		 * the answer is in base[0 .. n]; keep the half that holds it.  Both
		 * candidates for the next step are fetched meanwhile: the bins of a
		 * group with a thousand durations do not fit in L1.
		 */
#ifdef __GNUC__
		__builtin_prefetch(&base[half / 2].days);
		__builtin_prefetch(&base[half + half / 2].days);
#endif
		base = base[half].days < days ? base + half : base;
		n -= half;
	}
	return (int) (base - s->bin) + (base->days < days);
}

/*
 * Count one entity with the given outcome after "days" whole days.  s is a
 * state the aggregate owns (or NULL); returns it, or a new, larger one
 * built in the current (per-call) memory context: the executor copies a
 * returned state whose pointer changed into the aggregate context and frees
 * the old one.
 */
static OutcomesState *
outcomes_count(OutcomesState *s, int64 days, int outcome)
{
	int			i;

	if (days > PG_INT32_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("duration of " INT64_FORMAT " days is out of range", days),
				 errdetail("A duration must be at most %d days.", PG_INT32_MAX)));
	if (s == NULL)
		s = outcomes_new(OUTCOMES_MIN_CAPACITY, true);
	if (unlikely(s->entered == PG_INT64_MAX))
		outcomes_overflow();

	i = outcomes_search(s, (int32) days);
	if (i == s->nbins || s->bin[i].days != days)
	{
		int			capacity = OUTCOMES_CAPACITY(s);

		if (s->nbins == capacity)
		{
			if (s->nbins >= OUTCOMES_MAX_BINS)
				outcomes_too_many();
			s = outcomes_widen(s, Min(Max(2 * capacity, OUTCOMES_MIN_CAPACITY),
									  OUTCOMES_MAX_BINS));
		}
		memmove(&s->bin[i + 1], &s->bin[i], (s->nbins - i) * sizeof(OutcomesBin));
		memset(&s->bin[i], 0, sizeof(OutcomesBin));
		s->bin[i].days = (int32) days;
		s->nbins++;
	}
	s->bin[i].count[outcome]++;	/* <= entered: cannot overflow */
	s->entered++;
	return s;
}

/* Count one row excluded because it ended before it started. */
static OutcomesState *
outcomes_count_invalid(OutcomesState *s)
{
	if (s == NULL)
		s = outcomes_new(OUTCOMES_MIN_CAPACITY, true);
	if (pg_add_s64_overflow(s->invalid, 1, &s->invalid))
		outcomes_overflow();
	return s;
}

static void
outcomes_null_as_of(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
			 errmsg("as_of must not be NULL"),
			 errdetail("as_of is the status date: entities not ended by then are open, censored at as_of."),
			 errhint("Pass the date the data was taken, for example current_date.")));
}

/*
 * outcome_agg's transition for dates (started, ended, won, as_of).  Rows
 * with a NULL started or started later than as_of are not in the cohort
 * and leave the state as it is.  Infinite dates are ordered as PostgreSQL
 * orders them: ended = infinity is later than any as_of (open), ended =
 * -infinity is before started (invalid), started = infinity is later than
 * as_of (ignored); as_of must be finite and started = -infinity is an
 * error (its duration has no number of days).
 */
/* salesplan.outcomes_trans(salesplan.outcomes, date, date, boolean, date) -> salesplan.outcomes */
PG_FUNCTION_INFO_V1(salesplan_outcomes_trans);
Datum
salesplan_outcomes_trans(PG_FUNCTION_ARGS)
{
	OutcomesState *s;
	DateADT		started;
	DateADT		as_of;

	if (unlikely(!AggCheckCallContext(fcinfo, NULL)))
		sp_not_aggregate_context("salesplan.outcomes_trans");
	if (unlikely(PG_ARGISNULL(4)))
		outcomes_null_as_of();
	as_of = PG_GETARG_DATEADT(4);
	if (unlikely(DATE_NOT_FINITE(as_of)))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("as_of must be finite, not %s",
						DatumGetCString(DirectFunctionCall1(date_out, PG_GETARG_DATUM(4))))));

	if (PG_ARGISNULL(1) || (started = PG_GETARG_DATEADT(1)) > as_of)
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	if (unlikely(DATE_IS_NOBEGIN(started)))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("started must be finite, not -infinity")));

	s = (OutcomesState *) sp_state_arg(fcinfo, 0, &outcomes_state);
	if (PG_ARGISNULL(2) || PG_GETARG_DATEADT(2) > as_of)
		s = outcomes_count(s, (int64) as_of - started, OUTCOME_OPEN);
	else if (PG_GETARG_DATEADT(2) < started)
		s = outcomes_count_invalid(s);
	else
		s = outcomes_count(s, (int64) PG_GETARG_DATEADT(2) - started,
						   !PG_ARGISNULL(3) && PG_GETARG_BOOL(3) ? OUTCOME_WON : OUTCOME_LOST);
	PG_RETURN_POINTER(s);
}

/* whole days from a to b (b >= a): elapsed time / 24 h, rounded down */
static inline int64
outcomes_days_between(TimestampTz a, TimestampTz b)
{
	/* 128-bit: the span of the timestamptz range exceeds int64 */
	return (int64) (((int128) b - (int128) a) / USECS_PER_DAY);
}

/*
 * The same for timestamptz.  The duration is the elapsed time divided by
 * 24 hours, rounded down, so no time zone enters (IMMUTABLE).
 */
/* salesplan.outcomes_trans(salesplan.outcomes, timestamptz, timestamptz, boolean, timestamptz) -> salesplan.outcomes */
PG_FUNCTION_INFO_V1(salesplan_outcomes_trans_tz);
Datum
salesplan_outcomes_trans_tz(PG_FUNCTION_ARGS)
{
	OutcomesState *s;
	TimestampTz started;
	TimestampTz as_of;

	if (unlikely(!AggCheckCallContext(fcinfo, NULL)))
		sp_not_aggregate_context("salesplan.outcomes_trans");
	if (unlikely(PG_ARGISNULL(4)))
		outcomes_null_as_of();
	as_of = sp_finite_timestamp_arg(fcinfo, 4, "as_of");

	if (PG_ARGISNULL(1) || (started = PG_GETARG_TIMESTAMPTZ(1)) > as_of)
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	started = sp_finite_timestamp_arg(fcinfo, 1, "started");

	s = (OutcomesState *) sp_state_arg(fcinfo, 0, &outcomes_state);
	if (PG_ARGISNULL(2) || PG_GETARG_TIMESTAMPTZ(2) > as_of)
		s = outcomes_count(s, outcomes_days_between(started, as_of), OUTCOME_OPEN);
	else if (PG_GETARG_TIMESTAMPTZ(2) < started)
		s = outcomes_count_invalid(s);
	else
		s = outcomes_count(s, outcomes_days_between(started, PG_GETARG_TIMESTAMPTZ(2)),
						   !PG_ARGISNULL(3) && PG_GETARG_BOOL(3) ? OUTCOME_WON : OUTCOME_LOST);
	PG_RETURN_POINTER(s);
}

/* Combine function of outcome_agg and rollup, and rollup's transition. */
/* salesplan.outcomes_combine(salesplan.outcomes, salesplan.outcomes) -> salesplan.outcomes */
PG_FUNCTION_INFO_V1(salesplan_outcomes_combine);
Datum
salesplan_outcomes_combine(PG_FUNCTION_ARGS)
{
	OutcomesState *s;
	const OutcomesState *o;
	int			i,
				j,
				k,
				u;

	if (!AggCheckCallContext(fcinfo, NULL))
		sp_not_aggregate_context("salesplan.outcomes_combine");
	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	o = outcomes_get(PG_GETARG_DATUM(1));
	s = (OutcomesState *) sp_state_arg(fcinfo, 0, &outcomes_state);
	if (s == NULL)
	{
		/* a private copy: never hand back the other state's pointer */
		PG_RETURN_POINTER(outcomes_widen(o, Max(o->nbins, OUTCOMES_MIN_CAPACITY)));
	}
	if (s == o)
		o = outcomes_widen(o, o->nbins);	/* merging a value into itself */

	if (pg_add_s64_overflow(s->entered, o->entered, &s->entered) ||
		pg_add_s64_overflow(s->invalid, o->invalid, &s->invalid))
		outcomes_overflow();

	/* size of the union of the two sorted duration lists */
	u = s->nbins;
	for (i = 0, j = 0; j < o->nbins; j++)
	{
		while (i < s->nbins && s->bin[i].days < o->bin[j].days)
			i++;
		if (!(i < s->nbins && s->bin[i].days == o->bin[j].days))
			u++;
	}
	if (u > OUTCOMES_MAX_BINS)
		outcomes_too_many();
	if (u > OUTCOMES_CAPACITY(s))
		s = outcomes_widen(s, Min(Max(u, 2 * OUTCOMES_CAPACITY(s)), OUTCOMES_MAX_BINS));

	/*
	 * Merge backwards in place: positions above k are filled, and k >= i
	 * throughout, so no bin of s is overwritten before it is moved.  Counts
	 * cannot overflow: their sum, entered, did not.
	 */
	i = s->nbins - 1;
	j = o->nbins - 1;
	k = u - 1;
	while (j >= 0)
	{
		CHECK_FOR_INTERRUPTS();
		if (i >= 0 && s->bin[i].days > o->bin[j].days)
			s->bin[k--] = s->bin[i--];
		else if (i >= 0 && s->bin[i].days == o->bin[j].days)
		{
			OutcomesBin b = s->bin[i--];

			b.count[0] += o->bin[j].count[0];
			b.count[1] += o->bin[j].count[1];
			b.count[2] += o->bin[j].count[2];
			s->bin[k--] = b;
			j--;
		}
		else
			s->bin[k--] = o->bin[j--];
	}
	Assert(k == i);
	s->nbins = u;
	PG_RETURN_POINTER(s);
}

/*
 * Final function of outcome_agg and rollup.  The aggregate grows the bins
 * geometrically; a result stored in a table should not carry the spare
 * room, so return a compact copy when there is any (the input is not
 * modified).
 */
/* salesplan.outcomes_final(salesplan.outcomes) -> salesplan.outcomes */
PG_FUNCTION_INFO_V1(salesplan_outcomes_final);
Datum
salesplan_outcomes_final(PG_FUNCTION_ARGS)
{
	const OutcomesState *s = outcomes_get(PG_GETARG_DATUM(0));
	OutcomesState *compact;

	if (OUTCOMES_CAPACITY(s) == s->nbins && s->flags == 0)
		PG_RETURN_POINTER(s);
	compact = palloc(OUTCOMES_SIZE(s->nbins));
	memcpy(compact, s, OUTCOMES_SIZE(s->nbins));
	SET_VARSIZE(compact, OUTCOMES_SIZE(s->nbins));
	compact->flags = 0;
	PG_RETURN_POINTER(compact);
}

/* ---- text and binary I/O ---- */

/* salesplan.outcomes_in(cstring) -> salesplan.outcomes */
PG_FUNCTION_INFO_V1(salesplan_outcomes_in);
Datum
salesplan_outcomes_in(PG_FUNCTION_ARGS)
{
	const char *input = PG_GETARG_CSTRING(0);
	const char *p = input;
	const char *q;
	OutcomesState *s;
	int			n = 0;
	int			i;
	int			k;

	/* count the bins first: one more than the commas after "days=" */
	q = strstr(input, ";days=");
	if (q != NULL && q[6] != '\0')
	{
		n = 1;
		for (q += 6; *q; q++)
			if (*q == ',' && ++n > OUTCOMES_MAX_BINS)
				sp_text_bad(OUTCOMES_TYPE, input,
							psprintf("More than %d durations.", OUTCOMES_MAX_BINS));
	}
	s = outcomes_new(n, false);

	sp_text_version(&p, OUTCOMES_VERSION, OUTCOMES_TYPE, input);
	sp_text_expect_word(&p, ";invalid=", OUTCOMES_TYPE, input);
	s->invalid = sp_text_int64(&p, OUTCOMES_TYPE, input);
	sp_text_expect_word(&p, ";days=", OUTCOMES_TYPE, input);
	for (i = 0; i < n; i++)
	{
		OutcomesBin *b = &s->bin[i];
		int64		days;

		if (i > 0)
			sp_text_expect(&p, ',', OUTCOMES_TYPE, input);
		days = sp_text_int64(&p, OUTCOMES_TYPE, input);
		if (days < 0 || days > PG_INT32_MAX)
			sp_text_bad(OUTCOMES_TYPE, input,
						psprintf("Duration " INT64_FORMAT " is outside 0..%d.", days, PG_INT32_MAX));
		b->days = (int32) days;
		for (k = 0; k < 3; k++)
		{
			sp_text_expect(&p, k == 0 ? ':' : '/', OUTCOMES_TYPE, input);
			b->count[k] = sp_text_int64(&p, OUTCOMES_TYPE, input);
			/* entered is checked against the sum by outcomes_validate */
			if (b->count[k] > 0 &&
				pg_add_s64_overflow(s->entered, b->count[k], &s->entered))
				sp_text_bad(OUTCOMES_TYPE, input, "The number of entities is out of range.");
		}
	}
	sp_text_end(&p, OUTCOMES_TYPE, input);
	s->nbins = n;
	outcomes_validate(s, ERRCODE_INVALID_TEXT_REPRESENTATION, input);
	PG_RETURN_POINTER(s);
}

/* salesplan.outcomes_out(salesplan.outcomes) -> cstring */
PG_FUNCTION_INFO_V1(salesplan_outcomes_out);
Datum
salesplan_outcomes_out(PG_FUNCTION_ARGS)
{
	const OutcomesState *s = outcomes_get(PG_GETARG_DATUM(0));
	StringInfoData buf;
	int			i;

	initStringInfo(&buf);
	appendStringInfo(&buf, "v%d;invalid=" INT64_FORMAT ";days=", OUTCOMES_VERSION, s->invalid);
	for (i = 0; i < s->nbins; i++)
	{
		const OutcomesBin *b = &s->bin[i];

		appendStringInfo(&buf, "%s%d:" INT64_FORMAT "/" INT64_FORMAT "/" INT64_FORMAT,
						 i > 0 ? "," : "", b->days, b->count[0], b->count[1], b->count[2]);
	}
	PG_RETURN_CSTRING(buf.data);
}

/*
 * Binary form (version 1): version byte, int64 invalid rows, int32 number
 * of bins, then per bin int32 days and int64 won, lost, open.
 */

/* salesplan.outcomes_recv(internal) -> salesplan.outcomes */
PG_FUNCTION_INFO_V1(salesplan_outcomes_recv);
Datum
salesplan_outcomes_recv(PG_FUNCTION_ARGS)
{
	StringInfo	msg = (StringInfo) PG_GETARG_POINTER(0);
	OutcomesState *s;
	int64		invalid;
	int32		n;
	int			i;
	int			k;

	if (msg->len - msg->cursor < 1 + 8 + 4)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("invalid binary %s value", OUTCOMES_TYPE),
				 errdetail("The value is truncated.")));
	sp_getmsg_version(msg, OUTCOMES_VERSION, OUTCOMES_TYPE);
	invalid = pq_getmsgint64(msg);
	n = (int32) pq_getmsgint(msg, 4);
	if (n < 0 || n > OUTCOMES_MAX_BINS ||
		msg->len - msg->cursor != n * (4 + 3 * 8))
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("invalid binary %s value", OUTCOMES_TYPE),
				 errdetail("The duration count %d does not match the data.", n)));
	s = outcomes_new(n, false);
	s->invalid = invalid;
	s->nbins = n;
	for (i = 0; i < n; i++)
	{
		s->bin[i].days = (int32) pq_getmsgint(msg, 4);
		for (k = 0; k < 3; k++)
		{
			s->bin[i].count[k] = pq_getmsgint64(msg);
			if (s->bin[i].count[k] > 0 &&
				pg_add_s64_overflow(s->entered, s->bin[i].count[k], &s->entered))
				ereport(ERROR,
						(errcode(ERRCODE_DATA_CORRUPTED),
						 errmsg("invalid binary %s value", OUTCOMES_TYPE),
						 errdetail("The number of entities is out of range.")));
		}
	}
	pq_getmsgend(msg);
	outcomes_validate(s, ERRCODE_DATA_CORRUPTED, NULL);
	PG_RETURN_POINTER(s);
}

/* salesplan.outcomes_send(salesplan.outcomes) -> bytea */
PG_FUNCTION_INFO_V1(salesplan_outcomes_send);
Datum
salesplan_outcomes_send(PG_FUNCTION_ARGS)
{
	const OutcomesState *s = outcomes_get(PG_GETARG_DATUM(0));
	StringInfoData buf;
	int			i;
	int			k;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, OUTCOMES_VERSION);
	pq_sendint64(&buf, s->invalid);
	pq_sendint32(&buf, s->nbins);
	for (i = 0; i < s->nbins; i++)
	{
		pq_sendint32(&buf, s->bin[i].days);
		for (k = 0; k < 3; k++)
			pq_sendint64(&buf, s->bin[i].count[k]);
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}
