/*-------------------------------------------------------------------------
 *
 * schedule.c
 *	  Project paradigm: milestone schedules, earned value and earned
 *	  schedule, and milestone trend analysis.
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
 * slip_trend_state is the state of slip_trend(reported, forecast): exact
 * 128-bit sums of day numbers (days since 2000-01-01) for a least-squares
 * slope.
 *
 *-------------------------------------------------------------------------
 */
#include "salesplan.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "common/int.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"
#include "utils/lsyscache.h"

#define SCHEDULE_VERSION		2
/* a NULL weight: negative, which no known weight can be */
#define SCHEDULE_WEIGHT_UNKNOWN ((SpMoney) -1)
#define SCHEDULE_MAX_MILESTONES 100000
#define SCHEDULE_INITIAL_SLOTS	4
#define SCHEDULE_FLAG_SORTED	0x01

/* one milestone */
typedef struct Milestone
{
	DateADT		planned;		/* baseline date, always finite */
	DateADT		actual;			/* reached on; DATEVAL_NOEND while not
								 * reached */
	SpMoney		weight;			/* share of value, >= 0, 1e-8 units, or
								 * SCHEDULE_WEIGHT_UNKNOWN */
} Milestone;

typedef struct ScheduleData
{
	int32		vl_len_;		/* varlena header (do not touch directly) */
	uint8		version;		/* SCHEDULE_VERSION */
	uint8		flags;			/* SCHEDULE_FLAG_SORTED, SP_STATE_AGG */
	int16		dscale;			/* largest weight display scale, 0..8 */
	int32		count;			/* milestones in use */
	DateADT		start;			/* explicit start, DATEVAL_NOBEGIN if none */
	SpMoney		total;			/* exact sum of the known weights */
	Milestone	m[FLEXIBLE_ARRAY_MEMBER];	/* count used, rest free */
} ScheduleData;

StaticAssertDecl(sizeof(Milestone) == 24, "Milestone must be 24 bytes");
StaticAssertDecl(offsetof(ScheduleData, m) == 32, "schedule header must be 32 bytes");

#define SCHEDULE_SIZE(n)	(offsetof(ScheduleData, m) + (Size) (n) * sizeof(Milestone))
#define SCHEDULE_SLOTS(s)	((int) ((VARSIZE(s) - offsetof(ScheduleData, m)) / sizeof(Milestone)))

#define SP_MONEY_ONE		((SpMoney) 100000000)

static const char *const schedule_type = "salesplan.schedule";
static const char *const trend_type = "salesplan.slip_trend_state";

/* ---------------------------------------------------------------------
 * helpers
 * ---------------------------------------------------------------------
 */

/* a date argument that must be finite */
static DateADT
finite_date(DateADT d, const char *what)
{
	if (DATE_NOT_FINITE(d))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("%s must be a finite date, not %s", what,
						DATE_IS_NOBEGIN(d) ? "-infinity" : "infinity")));
	return d;
}

/* validity of a stored (finite) date */
static bool
valid_date(DateADT d)
{
	return !DATE_NOT_FINITE(d) && IS_VALID_DATE(d);
}

static bool schedule_fits(const void *state);
static void schedule_validate_state(void *state);
static void *schedule_upgrade(const void *state);
static const ScheduleData *schedule_sorted(const ScheduleData *s);

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
static ScheduleData *
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
static const ScheduleData *
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
static const ScheduleData *
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
static DateADT
schedule_start(const ScheduleData *s)
{
	DateADT		start = s->start;
	int			i;

	for (i = 0; i < s->count; i++)
		if (s->m[i].planned < start || DATE_IS_NOBEGIN(start))
			start = s->m[i].planned;
	return start;
}

static DateADT
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

/* ---- text form of dates: ISO YYYY-MM-DD, astronomical year numbering ---- */

static void
date_append(StringInfo buf, DateADT d)
{
	int			y,
				m,
				dd;

	j2date(d + POSTGRES_EPOCH_JDATE, &y, &m, &dd);
	appendStringInfo(buf, "%04d-%02d-%02d", y, m, dd);
}

static DateADT
date_parse(const char **p, const char *type_name, const char *input)
{
	const char *at = *p;
	int64		y = sp_text_int64(p, type_name, input);
	int64		m;
	int64		d;
	int			y2,
				m2,
				d2;
	DateADT		r = 0;
	bool		ok;

	sp_text_expect(p, '-', type_name, input);
	m = sp_text_int64(p, type_name, input);
	sp_text_expect(p, '-', type_name, input);
	d = sp_text_int64(p, type_name, input);

	ok = y >= -4713 && y <= 5874898 && m >= 1 && m <= 12 && d >= 1 && d <= 31 &&
		IS_VALID_JULIAN(y, m, d);
	if (ok)
	{
		int			j = date2j((int) y, (int) m, (int) d);

		j2date(j, &y2, &m2, &d2);
		r = j - POSTGRES_EPOCH_JDATE;
		ok = y2 == y && m2 == m && d2 == d && valid_date(r);
	}
	if (!ok)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid input syntax for type %s: \"%s\"", type_name, input),
				 errdetail("Invalid date at character %d.", (int) (at - input) + 1)));
	return r;
}

/*
 * Shared checks of a decoded schedule (text or binary input), then sort.
 * "code" is the errcode to raise.
 */
static void
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
 * salesplan.schedule I/O
 * ---------------------------------------------------------------------
 */

/*
 * Text form:
 *   (1,<dscale>,<start or ->,{<planned> <actual or -> <weight>,...})
 * e.g. (1,2,2026-01-05,{2026-02-01 2026-02-03 1.00,2026-03-01 - 2.50})
 */
/* salesplan.schedule_in(cstring) -> salesplan.schedule */
PG_FUNCTION_INFO_V1(salesplan_schedule_in);
Datum
salesplan_schedule_in(PG_FUNCTION_ARGS)
{
	const char *input = PG_GETARG_CSTRING(0);
	const char *p = input;
	int64		version;
	int64		dscale;
	DateADT		start = DATEVAL_NOBEGIN;
	ScheduleData *s;
	int			slots = SCHEDULE_INITIAL_SLOTS;

	sp_text_expect(&p, '(', schedule_type, input);
	version = sp_text_int64(&p, schedule_type, input);
	if (version != 1 && version != SCHEDULE_VERSION)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid input syntax for type %s: \"%s\"", schedule_type, input),
				 errdetail("Unsupported format version %lld; this build reads versions 1 and %d.",
						   (long long) version, SCHEDULE_VERSION)));
	sp_text_expect(&p, ',', schedule_type, input);
	dscale = sp_text_int64(&p, schedule_type, input);
	if (dscale < 0 || dscale > SP_MONEY_SCALE)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid input syntax for type %s: \"%s\"", schedule_type, input),
				 errdetail("The display scale must be between 0 and %d.", SP_MONEY_SCALE)));
	sp_text_expect(&p, ',', schedule_type, input);
	if (*p == '-' && p[1] == ',')
		p++;
	else
		start = date_parse(&p, schedule_type, input);
	sp_text_expect(&p, ',', schedule_type, input);
	sp_text_expect(&p, '{', schedule_type, input);

	s = (ScheduleData *) palloc0(SCHEDULE_SIZE(slots));
	SET_VARSIZE(s, SCHEDULE_SIZE(slots));
	s->version = SCHEDULE_VERSION;
	s->dscale = (int16) dscale;
	s->start = start;

	for (;;)
	{
		Milestone  *m;

		CHECK_FOR_INTERRUPTS();
		if (s->count == SCHEDULE_MAX_MILESTONES)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
					 errmsg("invalid input syntax for type %s: more than %d milestones",
							schedule_type, SCHEDULE_MAX_MILESTONES)));
		if (s->count == slots)
		{
			slots = Min(slots * 2, SCHEDULE_MAX_MILESTONES);
			s = (ScheduleData *) repalloc(s, SCHEDULE_SIZE(slots));
			SET_VARSIZE(s, SCHEDULE_SIZE(slots));
		}
		m = &s->m[s->count];
		m->planned = date_parse(&p, schedule_type, input);
		sp_text_expect(&p, ' ', schedule_type, input);
		if (*p == '-' && p[1] == ' ')
		{
			m->actual = DATEVAL_NOEND;
			p++;
		}
		else
			m->actual = date_parse(&p, schedule_type, input);
		sp_text_expect(&p, ' ', schedule_type, input);
		/* "-": unknown weight (version 2; 0.1 wrote NULL weights as 1) */
		if (version >= 2 && *p == '-' && (p[1] == ',' || p[1] == '}'))
		{
			m->weight = SCHEDULE_WEIGHT_UNKNOWN;
			p++;
		}
		else
		{
			m->weight = sp_text_money(&p, schedule_type, input);
			if (m->weight < 0)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
						 errmsg("invalid salesplan.schedule: milestone %d has a negative weight",
								s->count + 1),
						 errdetail("Input: \"%s\".", input)));
		}
		s->count++;
		if (*p != ',')
			break;
		p++;
	}
	sp_text_expect(&p, '}', schedule_type, input);
	sp_text_expect(&p, ')', schedule_type, input);
	sp_text_end(&p, schedule_type, input);

	schedule_validate(s, ERRCODE_INVALID_TEXT_REPRESENTATION, input);
	SET_VARSIZE(s, SCHEDULE_SIZE(s->count));
	PG_RETURN_POINTER(s);
}

/* salesplan.schedule_out(salesplan.schedule) -> cstring */
PG_FUNCTION_INFO_V1(salesplan_schedule_out);
Datum
salesplan_schedule_out(PG_FUNCTION_ARGS)
{
	const ScheduleData *s = schedule_sorted(schedule_get(PG_GETARG_DATUM(0)));
	StringInfoData buf;
	int			i;

	initStringInfo(&buf);
	appendStringInfo(&buf, "(%d,%d,", SCHEDULE_VERSION, s->dscale);
	if (DATE_IS_NOBEGIN(s->start))
		appendStringInfoChar(&buf, '-');
	else
		date_append(&buf, s->start);
	appendStringInfoString(&buf, ",{");
	for (i = 0; i < s->count; i++)
	{
		if (i > 0)
			appendStringInfoChar(&buf, ',');
		date_append(&buf, s->m[i].planned);
		appendStringInfoChar(&buf, ' ');
		if (DATE_IS_NOEND(s->m[i].actual))
			appendStringInfoChar(&buf, '-');
		else
			date_append(&buf, s->m[i].actual);
		appendStringInfoChar(&buf, ' ');
		if (s->m[i].weight == SCHEDULE_WEIGHT_UNKNOWN)
			appendStringInfoChar(&buf, '-');
		else
			sp_money_append(&buf, s->m[i].weight, s->dscale);
	}
	appendStringInfoString(&buf, "})");
	PG_RETURN_CSTRING(buf.data);
}

/*
 * Binary form: version byte, dscale int16, start int32 (INT32_MIN for
 * none), count int32, then per milestone planned int32, actual int32
 * (INT32_MAX while not reached), weight as two int64 halves.
 */
/* salesplan.schedule_send(salesplan.schedule) -> bytea */
PG_FUNCTION_INFO_V1(salesplan_schedule_send);
Datum
salesplan_schedule_send(PG_FUNCTION_ARGS)
{
	const ScheduleData *s = schedule_sorted(schedule_get(PG_GETARG_DATUM(0)));
	StringInfoData buf;
	int			i;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, SCHEDULE_VERSION);
	pq_sendint16(&buf, s->dscale);
	pq_sendint32(&buf, s->start);
	pq_sendint32(&buf, s->count);
	for (i = 0; i < s->count; i++)
	{
		pq_sendint32(&buf, s->m[i].planned);
		pq_sendint32(&buf, s->m[i].actual);
		sp_send_money(&buf, s->m[i].weight);
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* salesplan.schedule_recv(internal) -> salesplan.schedule */
PG_FUNCTION_INFO_V1(salesplan_schedule_recv);
Datum
salesplan_schedule_recv(PG_FUNCTION_ARGS)
{
	StringInfo	msg = (StringInfo) PG_GETARG_POINTER(0);
	int			version;
	int			dscale;
	DateADT		start;
	int32		count;
	ScheduleData *s;
	int			i;

	if (msg->len - msg->cursor < 11)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("truncated salesplan.schedule binary value")));
	version = pq_getmsgbyte(msg);
	if (version != 1 && version != SCHEDULE_VERSION)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("unsupported salesplan.schedule binary format version %d", version)));
	dscale = (int16) pq_getmsgint(msg, 2);
	start = (DateADT) pq_getmsgint(msg, 4);
	count = (int32) pq_getmsgint(msg, 4);
	if (count < 1 || count > SCHEDULE_MAX_MILESTONES ||
		(int64) count * 24 != (int64) (msg->len - msg->cursor))
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("invalid milestone count %d in salesplan.schedule binary value", count),
				 errdetail("Each milestone takes 24 bytes; %d bytes follow the header.",
						   msg->len - msg->cursor)));
	s = (ScheduleData *) palloc0(SCHEDULE_SIZE(count));
	SET_VARSIZE(s, SCHEDULE_SIZE(count));
	s->version = SCHEDULE_VERSION;
	s->dscale = (int16) dscale;
	s->start = start;
	s->count = count;
	for (i = 0; i < count; i++)
	{
		s->m[i].planned = (DateADT) pq_getmsgint(msg, 4);
		s->m[i].actual = (DateADT) pq_getmsgint(msg, 4);
		s->m[i].weight = sp_getmsg_money(msg);
		/* an unknown weight exists from version 2 on */
		if (s->m[i].weight < 0 && (version < 2 || s->m[i].weight != SCHEDULE_WEIGHT_UNKNOWN))
			ereport(ERROR,
					(errcode(ERRCODE_DATA_CORRUPTED),
					 errmsg("invalid salesplan.schedule: milestone %d has a negative weight", i + 1)));
	}
	pq_getmsgend(msg);
	schedule_validate(s, ERRCODE_DATA_CORRUPTED, NULL);
	PG_RETURN_POINTER(s);
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
	planned = finite_date(PG_GETARG_DATEADT(1), "milestone planned date");
	if (!PG_ARGISNULL(2))
		actual = finite_date(PG_GETARG_DATEADT(2), "milestone actual date");
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
		start = finite_date(PG_GETARG_DATEADT(4), "project start date");

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
 * accessors
 * ---------------------------------------------------------------------
 */

/* a schedule to compute with: sorted, unknown weights counted as the mean */
#define GET_SCHEDULE(n)		schedule_weighted(PG_GETARG_DATUM(n))
#define GET_AS_OF(n)		finite_date(PG_GETARG_DATEADT(n), "as_of")

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

/* ---------------------------------------------------------------------
 * slip_trend(reported date, forecast date): milestone trend analysis
 * ---------------------------------------------------------------------
 */

#define TREND_VERSION	1

/*
 * 0.1 declared "int32 version" here; on little-endian machines the layout
 * below has the same bytes (version 1, then zeros), and trend_upgrade
 * reads a 0.1 value written on a big-endian one.
 */
typedef struct TrendData
{
	int32		vl_len_;
	uint8		version;
	uint8		flags;			/* SP_STATE_AGG or 0 (never printed or sent) */
	uint16		reserved;
	int64		n;
	int128		sx;				/* sums of day numbers (days since 2000-01-01) */
	int128		sy;
	int128		sxy;
	int128		sxx;
} TrendData;

static bool trend_fits(const void *state);
static void trend_validate_state(void *state);
static void *trend_upgrade(const void *state);

static const SpStateType trend_state = {
	.name = "salesplan.slip_trend_state",
	.version = TREND_VERSION,
	.mark_offset = offsetof(TrendData, flags),
	.header_size = sizeof(TrendData),
	.fits = trend_fits,
	.validate = trend_validate_state,
	.upgrade = trend_upgrade,
};

static bool
trend_fits(const void *state)
{
	return VARSIZE(state) == sizeof(TrendData);
}

/* a 0.1 value whose int32 version 1 was written big-endian */
static void *
trend_upgrade(const void *state)
{
	int32		old_version;
	TrendData  *t;

	if (VARSIZE(state) != sizeof(TrendData))
		return NULL;
	memcpy(&old_version, (const char *) state + VARHDRSZ, sizeof(int32));
	if (old_version != TREND_VERSION)
		return NULL;
	t = (TrendData *) palloc(sizeof(TrendData));
	memcpy(t, state, sizeof(TrendData));
	t->version = TREND_VERSION;
	t->flags = 0;
	t->reserved = 0;
	return t;
}

static TrendData *
trend_get(Datum d)
{
	return (TrendData *) sp_state_read(d, &trend_state);
}

static void
trend_overflow(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 errmsg("slip_trend sums are out of range"),
			 errdetail("Too many reports, or dates too far from 2000-01-01, for exact 128-bit sums.")));
}

static void
trend_add(TrendData *t, const TrendData *o)
{
	if (pg_add_s64_overflow(t->n, o->n, &t->n) ||
		__builtin_add_overflow(t->sx, o->sx, &t->sx) ||
		__builtin_add_overflow(t->sy, o->sy, &t->sy) ||
		__builtin_add_overflow(t->sxy, o->sxy, &t->sxy) ||
		__builtin_add_overflow(t->sxx, o->sxx, &t->sxx))
		trend_overflow();
}

/* n * sxx - sx^2 and n * sxy - sx * sy, exactly; false on overflow */
static bool
trend_moments(const TrendData *t, int128 *den, int128 *num)
{
	int128		a,
				b;

	if (__builtin_mul_overflow((int128) t->n, t->sxx, &a) ||
		__builtin_mul_overflow(t->sx, t->sx, &b) ||
		__builtin_sub_overflow(a, b, den))
		return false;
	if (__builtin_mul_overflow((int128) t->n, t->sxy, &a) ||
		__builtin_mul_overflow(t->sx, t->sy, &b) ||
		__builtin_sub_overflow(a, b, num))
		return false;
	return true;
}

static void
trend_validate(const TrendData *t, int code, const char *input)
{
	int128		den,
				num;

	if (t->n < 0 ||
		(t->n == 0 && (t->sx != 0 || t->sy != 0 || t->sxy != 0 || t->sxx != 0)) ||
		t->sxx < 0 ||
		!trend_moments(t, &den, &num) || den < 0)
		ereport(ERROR,
				(errcode(code),
				 errmsg("invalid salesplan.slip_trend_state: inconsistent sums"),
				 input ? errdetail("Input: \"%s\".", input) : 0));
}

static void
trend_validate_state(void *state)
{
	trend_validate((const TrendData *) state, ERRCODE_DATA_CORRUPTED, NULL);
}

/* Text form: (1,<n>,<sum x>,<sum y>,<sum xy>,<sum xx>) */
/* salesplan.slip_trend_state_in(cstring) -> salesplan.slip_trend_state */
PG_FUNCTION_INFO_V1(salesplan_slip_trend_state_in);
Datum
salesplan_slip_trend_state_in(PG_FUNCTION_ARGS)
{
	const char *input = PG_GETARG_CSTRING(0);
	const char *p = input;
	TrendData  *t = (TrendData *) palloc0(sizeof(TrendData));
	int64		version;

	SET_VARSIZE(t, sizeof(TrendData));
	sp_text_expect(&p, '(', trend_type, input);
	version = sp_text_int64(&p, trend_type, input);
	if (version != TREND_VERSION)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid input syntax for type %s: \"%s\"", trend_type, input),
				 errdetail("Unsupported format version %lld; this build reads version %d.",
						   (long long) version, TREND_VERSION)));
	t->version = TREND_VERSION;
	sp_text_expect(&p, ',', trend_type, input);
	t->n = sp_text_int64(&p, trend_type, input);
	sp_text_expect(&p, ',', trend_type, input);
	t->sx = sp_text_int128(&p, trend_type, input);
	sp_text_expect(&p, ',', trend_type, input);
	t->sy = sp_text_int128(&p, trend_type, input);
	sp_text_expect(&p, ',', trend_type, input);
	t->sxy = sp_text_int128(&p, trend_type, input);
	sp_text_expect(&p, ',', trend_type, input);
	t->sxx = sp_text_int128(&p, trend_type, input);
	sp_text_expect(&p, ')', trend_type, input);
	sp_text_end(&p, trend_type, input);
	trend_validate(t, ERRCODE_INVALID_TEXT_REPRESENTATION, input);
	PG_RETURN_POINTER(t);
}

/* salesplan.slip_trend_state_out(salesplan.slip_trend_state) -> cstring */
PG_FUNCTION_INFO_V1(salesplan_slip_trend_state_out);
Datum
salesplan_slip_trend_state_out(PG_FUNCTION_ARGS)
{
	const TrendData *t = trend_get(PG_GETARG_DATUM(0));
	StringInfoData buf;

	initStringInfo(&buf);
	appendStringInfo(&buf, "(%d,%lld,", TREND_VERSION, (long long) t->n);
	sp_int128_append(&buf, t->sx);
	appendStringInfoChar(&buf, ',');
	sp_int128_append(&buf, t->sy);
	appendStringInfoChar(&buf, ',');
	sp_int128_append(&buf, t->sxy);
	appendStringInfoChar(&buf, ',');
	sp_int128_append(&buf, t->sxx);
	appendStringInfoChar(&buf, ')');
	PG_RETURN_CSTRING(buf.data);
}

/* salesplan.slip_trend_state_send(salesplan.slip_trend_state) -> bytea */
PG_FUNCTION_INFO_V1(salesplan_slip_trend_state_send);
Datum
salesplan_slip_trend_state_send(PG_FUNCTION_ARGS)
{
	const TrendData *t = trend_get(PG_GETARG_DATUM(0));
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, TREND_VERSION);
	pq_sendint64(&buf, t->n);
	sp_send_money(&buf, t->sx);
	sp_send_money(&buf, t->sy);
	sp_send_money(&buf, t->sxy);
	sp_send_money(&buf, t->sxx);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* salesplan.slip_trend_state_recv(internal) -> salesplan.slip_trend_state */
PG_FUNCTION_INFO_V1(salesplan_slip_trend_state_recv);
Datum
salesplan_slip_trend_state_recv(PG_FUNCTION_ARGS)
{
	StringInfo	msg = (StringInfo) PG_GETARG_POINTER(0);
	int			version;
	TrendData  *t;

	/* version byte, n, four 16-byte sums */
	if (msg->len - msg->cursor != 1 + 8 + 4 * 16)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("invalid salesplan.slip_trend_state binary value of %d bytes",
						msg->len - msg->cursor)));
	version = pq_getmsgbyte(msg);
	if (version != TREND_VERSION)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("unsupported salesplan.slip_trend_state binary format version %d", version)));
	t = (TrendData *) palloc0(sizeof(TrendData));
	SET_VARSIZE(t, sizeof(TrendData));
	t->version = TREND_VERSION;
	t->n = pq_getmsgint64(msg);
	t->sx = sp_getmsg_money(msg);
	t->sy = sp_getmsg_money(msg);
	t->sxy = sp_getmsg_money(msg);
	t->sxx = sp_getmsg_money(msg);
	pq_getmsgend(msg);
	trend_validate(t, ERRCODE_DATA_CORRUPTED, NULL);
	PG_RETURN_POINTER(t);
}

/* salesplan.slip_trend_trans(salesplan.slip_trend_state, date, date) -> salesplan.slip_trend_state */
PG_FUNCTION_INFO_V1(salesplan_slip_trend_trans);
Datum
salesplan_slip_trend_trans(PG_FUNCTION_ARGS)
{
	TrendData  *t;
	TrendData	one;
	int64		x,
				y;

	schedule_agg_check(fcinfo, "salesplan.slip_trend_trans");
	t = (TrendData *) sp_state_arg(fcinfo, 0, &trend_state);
	if (t == NULL)
		t = (TrendData *) sp_state_alloc(sizeof(TrendData), &trend_state, true);

	/* a report without a date or without a forecast says nothing: skip */
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
		PG_RETURN_POINTER(t);
	x = finite_date(PG_GETARG_DATEADT(1), "reported date");
	y = finite_date(PG_GETARG_DATEADT(2), "forecast date");

	memset(&one, 0, sizeof(one));
	one.n = 1;
	one.sx = x;
	one.sy = y;
	one.sxy = (int128) x * y;
	one.sxx = (int128) x * x;
	trend_add(t, &one);
	PG_RETURN_POINTER(t);
}

/* salesplan.slip_trend_combine(salesplan.slip_trend_state, salesplan.slip_trend_state) -> salesplan.slip_trend_state */
PG_FUNCTION_INFO_V1(salesplan_slip_trend_combine);
Datum
salesplan_slip_trend_combine(PG_FUNCTION_ARGS)
{
	TrendData  *t;
	TrendData  *o;

	schedule_agg_check(fcinfo, "salesplan.slip_trend_combine");
	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	o = trend_get(PG_GETARG_DATUM(1));
	t = (TrendData *) sp_state_arg(fcinfo, 0, &trend_state);
	if (t == NULL)
	{
		/* a private copy: never hand back the other state's pointer */
		t = (TrendData *) palloc(sizeof(TrendData));
		memcpy(t, o, sizeof(TrendData));
		t->flags = SP_STATE_AGG;
		PG_RETURN_POINTER(t);
	}
	trend_add(t, o);
	PG_RETURN_POINTER(t);
}

/* salesplan.slip_trend_final(salesplan.slip_trend_state) -> float8 */
PG_FUNCTION_INFO_V1(salesplan_slip_trend_final);
Datum
salesplan_slip_trend_final(PG_FUNCTION_ARGS)
{
	const TrendData *t;
	int128		den,
				num;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	t = trend_get(PG_GETARG_DATUM(0));
	if (!trend_moments(t, &den, &num))
		trend_overflow();
	/* den = n^2 * variance of the report dates: 0 with < 2 distinct dates */
	if (den <= 0)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8((double) num / (double) den);
}
