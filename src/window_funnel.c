/*-------------------------------------------------------------------------
 *
 * window_funnel.c
 *	  Ordered funnel per entity: salesplan.window_funnel, its companion
 *	  salesplan.window_funnel_times, and their state type
 *	  salesplan.funnel_events.
 *
 * The model is ClickHouse windowFunnel(window)(ts, step = 1, step = 2, ...),
 * with the points its versions disagree on settled as follows (the full
 * rules, modes included, are in doc/window_funnel.md):
 *
 *	- the entity's events are taken in (ts, step) order, whatever order they
 *	  arrive in;
 *	- a step-1 event starts a chain; a step-k event (k >= 2) extends the
 *	  chain with the latest start that has reached step k - 1, when its
 *	  timestamp is <= that start + window (inclusive, measured from the
 *	  step-1 event);
 *	- for each step we keep the latest start that reached it (a later start
 *	  has a later deadline, so it dominates: the scan is exact and linear);
 *	- the result is the highest step reached, 0 without a step-1 event.
 *
 * The state is a real varlena type so that parallel workers and Citus can
 * split the aggregate.  It holds the window, the mode flags and the events
 * as (int64 timestamp, int32 step) pairs, appended in place with geometric
 * capacity growth.  The final functions (funnel_level, funnel_step_times)
 * sort a copy of the events (unless they already arrive in order) and scan
 * them once: O(n log n + n), with memory bounded by WF_MAX_EVENTS events and
 * WF_MAX_STEP steps.
 *
 *-------------------------------------------------------------------------
 */
#include "salesplan.h"

#include <ctype.h>

#include "catalog/pg_type.h"
#include "common/int.h"
#include "datatype/timestamp.h"
#include "fmgr.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/timestamp.h"

/* Format version of the stored varlena (text and binary forms too). */
#define WF_VERSION			1

/* Mode flags, and whether the events are timestamptz. */
#define WF_DEDUP			0x01	/* strict_deduplication */
#define WF_ORDER			0x02	/* strict_order */
#define WF_INCREASE			0x04	/* strict_increase */
#define WF_TZ				0x08	/* events are timestamptz */
#define WF_ALL_FLAGS		(WF_DEDUP | WF_ORDER | WF_INCREASE | WF_TZ)

/* Documented bounds (doc/window_funnel.md). */
#define WF_MAX_STEP			10000
#define WF_MAX_EVENTS		10000000
/*
 * 6 events make a 128-byte state, one small allocation chunk (a CRM
 * opportunity has a handful of stage changes); growth keeps states at
 * powers of two too (256 bytes = 14 events, 512 = 30, ...).
 */
#define WF_INITIAL_CAPACITY 6

/* Funnels with fewer steps than this scan with arrays on the stack. */
#define WF_SMALL_STEPS		32

#define WF_TYPE_NAME		"salesplan.funnel_events"

typedef struct WfEvent
{
	int64		ts;				/* Timestamp or TimestampTz */
	int32		step;			/* 0 = matches no step (kept for strict_order) */
	int32		pad;
} WfEvent;

/*
 * The in-memory and stored form.  VARSIZE always covers "capacity" events,
 * so a copy made by the executor (datumCopy) can still be appended to in
 * place; only the first "nevents" are meaningful.  States made by the
 * input functions and by funnel_events_agg/rollup have no slack.
 */
typedef struct FunnelEvents
{
	int32		vl_len_;		/* varlena header (do not touch directly) */
	uint8		version;
	uint8		flags;
	uint8		mark;			/* SP_STATE_AGG or 0 (never printed or sent) */
	uint8		pad;
	int32		months;			/* the window */
	int32		days;
	int64		usecs;
	int32		nevents;
	int32		capacity;
	WfEvent		events[FLEXIBLE_ARRAY_MEMBER];
} FunnelEvents;

#define WF_HEADER_SIZE		offsetof(FunnelEvents, events)
#define WF_SIZE(cap)		(WF_HEADER_SIZE + (Size) (cap) * sizeof(WfEvent))

/* Binary form: version, flags, months, days, usecs, n, n x (ts, step). */
#define WF_BIN_HEADER		(1 + 1 + 4 + 4 + 8 + 4)
#define WF_BIN_EVENT		(8 + 4)

/* Parsed mode text cached across rows in fn_extra. */
typedef struct WfModeCache
{
	int			len;
	uint8		flags;
	char		text[FLEXIBLE_ARRAY_MEMBER];
} WfModeCache;

static inline int
wf_event_cmp(const WfEvent *a, const WfEvent *b)
{
	if (a->ts != b->ts)
		return a->ts < b->ts ? -1 : 1;
	if (a->step != b->step)
		return a->step < b->step ? -1 : 1;
	return 0;
}

#define ST_SORT wf_sort_events
#define ST_ELEMENT_TYPE WfEvent
#define ST_COMPARE(a, b) wf_event_cmp(a, b)
#define ST_SCOPE static
#define ST_DECLARE
#define ST_DEFINE
#include "lib/sort_template.h"

/*
 * A new state with room for "capacity" events.  It is allocated in the
 * current (per-call) memory context on purpose: whenever a transition or
 * combine function returns a pointer other than the one it was given, the
 * executor copies the value into the aggregate context and frees the old
 * one (ExecAggTransReparent; nodeWindowAgg and Citus do the same), so an
 * allocation made directly in the aggregate context would be copied again
 * and leak there until the group ends.  This happens only on the first row
 * and on each (geometric) growth; every other row appends in place.
 */
static bool wf_fits(const void *state);
static void wf_validate_state(void *state);

static const SpStateType wf_state = {
	.name = WF_TYPE_NAME,
	.version = WF_VERSION,
	.mark_offset = offsetof(FunnelEvents, mark),
	.header_size = WF_HEADER_SIZE,
	.fits = wf_fits,
	.validate = wf_validate_state,
};

static bool
wf_fits(const void *state)
{
	const FunnelEvents *st = (const FunnelEvents *) state;

	return st->capacity >= 0 && st->capacity <= WF_MAX_EVENTS &&
		st->nevents >= 0 && st->nevents <= st->capacity &&
		VARSIZE(st) == WF_SIZE(st->capacity);
}

/* agg: for a transition or combine function (marked), else for output */
static FunnelEvents *
wf_alloc(int32 capacity, bool agg)
{
	FunnelEvents *st;

	StaticAssertStmt(WF_HEADER_SIZE == 32, "funnel_events header is 32 bytes");
	Assert(capacity >= 0 && capacity <= WF_MAX_EVENTS);
	st = (FunnelEvents *) sp_state_alloc(WF_SIZE(capacity), &wf_state, agg);
	st->capacity = capacity;
	return st;
}

/* A copy of src with room for at least "need" events. */
static FunnelEvents *
wf_copy(const FunnelEvents *src, int32 capacity, bool agg)
{
	FunnelEvents *st = wf_alloc(capacity, agg);

	Assert(capacity >= src->nevents);
	st->flags = src->flags;
	st->months = src->months;
	st->days = src->days;
	st->usecs = src->usecs;
	st->nevents = src->nevents;
	if (src->nevents > 0)
		memcpy(st->events, src->events, sizeof(WfEvent) * src->nevents);
	return st;
}

static void
wf_too_many_events(int64 n)
{
	ereport(ERROR,
			(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
			 errmsg("window_funnel cannot hold " INT64_FORMAT " events for one entity; the limit is %d",
					n, WF_MAX_EVENTS),
			 errhint("Group by a finer entity, or filter the events (for example by period or by step) before aggregating.")));
}

/* Grow so that "need" events fit: geometric, capped at WF_MAX_EVENTS. */
static FunnelEvents *
wf_grow(FunnelEvents *st, int64 need)
{
	int64		cap;

	if (need > WF_MAX_EVENTS)
		wf_too_many_events(need);
	cap = WF_INITIAL_CAPACITY;
	while (cap < need || cap <= st->capacity)
		cap = ((int64) WF_SIZE(cap) * 2 - WF_HEADER_SIZE) / sizeof(WfEvent);
	cap = Min(cap, WF_MAX_EVENTS);
	return wf_copy(st, (int32) cap, true);
}

static void
wf_check_window(const Interval *w)
{
	if (w->month < 0 || w->day < 0 || w->time < 0 ||
		(w->month == 0 && w->day == 0 && w->time == 0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("window_funnel window must be positive, got \"%s\"",
						DatumGetCString(DirectFunctionCall1(interval_out,
															IntervalPGetDatum(w)))),
				 errdetail("Every part of the window (months, days, time) must be zero or positive, and at least one positive."),
				 errhint("Write a mixed window such as '1 day -1 hour' as '23 hours'.")));
}

/* Parse a mode list: comma-separated names, whitespace and case tolerant. */
static uint8
wf_parse_mode(const char *s, int len)
{
	static const struct
	{
		const char *name;
		uint8		flag;
	}			modes[] =
	{
		{"strict_deduplication", WF_DEDUP},
		{"strict_order", WF_ORDER},
		{"strict_increase", WF_INCREASE}
	};
	uint8		flags = 0;
	int			i = 0;
	bool		blank = true;

	for (i = 0; i < len; i++)
		if (!isspace((unsigned char) s[i]))
			blank = false;
	if (blank)
		return 0;

	i = 0;
	while (i <= len)
	{
		int			start,
					end,
					j;
		bool		found = false;

		start = i;
		while (i < len && s[i] != ',')
			i++;
		end = i;
		i++;					/* skip the comma (or step past the end) */
		while (start < end && isspace((unsigned char) s[start]))
			start++;
		while (end > start && isspace((unsigned char) s[end - 1]))
			end--;
		for (j = 0; j < lengthof(modes); j++)
		{
			if (strlen(modes[j].name) == (size_t) (end - start) &&
				pg_strncasecmp(modes[j].name, s + start, end - start) == 0)
			{
				flags |= modes[j].flag;
				found = true;
				break;
			}
		}
		if (!found)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("unknown window_funnel mode \"%.*s\"",
							end - start, s + start),
					 errhint("Valid modes are strict_deduplication, strict_order and strict_increase; several can be combined, separated by commas.")));
	}
	return flags;
}

/* Mode flags of the text argument, parsed once per distinct text. */
static uint8
wf_mode_flags(FunctionCallInfo fcinfo, int argno)
{
	text	   *mode;
	const char *s;
	int			len;
	WfModeCache *cache = (WfModeCache *) fcinfo->flinfo->fn_extra;
	uint8		flags;

	if (PG_ARGISNULL(argno))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("window_funnel mode must not be null"),
				 errhint("Pass '' for no mode.")));
	mode = PG_GETARG_TEXT_PP(argno);
	s = VARDATA_ANY(mode);
	len = VARSIZE_ANY_EXHDR(mode);
	if (cache != NULL && cache->len == len && memcmp(cache->text, s, len) == 0)
		return cache->flags;

	flags = wf_parse_mode(s, len);
	cache = (WfModeCache *) MemoryContextAlloc(fcinfo->flinfo->fn_mcxt,
											   offsetof(WfModeCache, text) + len + 1);
	cache->len = len;
	cache->flags = flags;
	memcpy(cache->text, s, len);
	if (fcinfo->flinfo->fn_extra != NULL)
		pfree(fcinfo->flinfo->fn_extra);
	fcinfo->flinfo->fn_extra = cache;
	return flags;
}

static void
wf_varies(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("window_funnel window and mode must be the same for every row of a group"),
			 errhint("Pass the window and the mode as constants.")));
}

/* A stored or passed funnel_events value to read. */
static FunnelEvents *
wf_detoast(Datum d)
{
	return (FunnelEvents *) sp_state_read(d, &wf_state);
}

/*
 * Transition: (state, window, ts, step [, mode]).  Non-strict: the first
 * row creates the state even when its ts or step is NULL, so a group of
 * NULL rows gives 0 (not NULL).
 */
static Datum
wf_trans(FunctionCallInfo fcinfo, bool tz)
{
	MemoryContext aggctx;
	FunnelEvents *st;
	Interval   *window;
	uint8		flags = tz ? WF_TZ : 0;
	int32		step;

	if (!AggCheckCallContext(fcinfo, &aggctx))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("salesplan.window_funnel_trans can only be called as an aggregate transition function")));
	if (PG_ARGISNULL(1))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("window_funnel window must not be null")));
	window = PG_GETARG_INTERVAL_P(1);
	if (PG_NARGS() > 4)
		flags |= wf_mode_flags(fcinfo, 4);

	if (PG_ARGISNULL(0))
	{
		wf_check_window(window);
		st = wf_alloc(WF_INITIAL_CAPACITY, true);
		st->flags = flags;
		st->months = window->month;
		st->days = window->day;
		st->usecs = window->time;
	}
	else
	{
		st = (FunnelEvents *) sp_state_arg(fcinfo, 0, &wf_state);
		if (st->flags != flags || st->months != window->month ||
			st->days != window->day || st->usecs != window->time)
			wf_varies();
	}

	if (PG_ARGISNULL(2) || PG_ARGISNULL(3))
		PG_RETURN_POINTER(st);

	step = PG_GETARG_INT32(3);
	if (step > WF_MAX_STEP)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("window_funnel step %d is out of range; the largest step is %d",
						step, WF_MAX_STEP),
				 errhint("Number the funnel's steps 1, 2, 3, ... (a step of 0 or less is an event that matches no step).")));
	if (step <= 0)
	{
		/* An event that matches no step matters only to strict_order. */
		if (!(flags & WF_ORDER))
			PG_RETURN_POINTER(st);
		step = 0;
	}

	if (st->nevents >= st->capacity)
		st = wf_grow(st, (int64) st->nevents + 1);
	st->events[st->nevents].ts = PG_GETARG_INT64(2);
	st->events[st->nevents].step = step;
	st->events[st->nevents].pad = 0;
	st->nevents++;

	PG_RETURN_POINTER(st);
}

/* salesplan.window_funnel_trans(salesplan.funnel_events, interval, timestamp, int [, text]) -> salesplan.funnel_events */
PG_FUNCTION_INFO_V1(salesplan_window_funnel_trans);
Datum
salesplan_window_funnel_trans(PG_FUNCTION_ARGS)
{
	return wf_trans(fcinfo, false);
}

/* salesplan.window_funnel_trans(salesplan.funnel_events, interval, timestamptz, int [, text]) -> salesplan.funnel_events */
PG_FUNCTION_INFO_V1(salesplan_window_funnel_trans_tz);
Datum
salesplan_window_funnel_trans_tz(PG_FUNCTION_ARGS)
{
	return wf_trans(fcinfo, true);
}

/* salesplan.window_funnel_combine(salesplan.funnel_events, salesplan.funnel_events) -> salesplan.funnel_events */
PG_FUNCTION_INFO_V1(salesplan_window_funnel_combine);
Datum
salesplan_window_funnel_combine(PG_FUNCTION_ARGS)
{
	MemoryContext aggctx;
	FunnelEvents *a;
	FunnelEvents *b;
	int64		need;

	if (!AggCheckCallContext(fcinfo, &aggctx))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("salesplan.window_funnel_combine can only be called as an aggregate combine function")));
	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	b = wf_detoast(PG_GETARG_DATUM(1));
	if (PG_ARGISNULL(0))
	{
		/* Our own copy (never the other state's pointer); see wf_alloc. */
		PG_RETURN_POINTER(wf_copy(b, b->nevents, true));
	}
	a = (FunnelEvents *) sp_state_arg(fcinfo, 0, &wf_state);
	if (a->flags != b->flags || a->months != b->months ||
		a->days != b->days || a->usecs != b->usecs)
		wf_varies();
	if (b->nevents == 0)
		PG_RETURN_POINTER(a);
	need = (int64) a->nevents + b->nevents;
	if (need > a->capacity)
		a = wf_grow(a, need);
	memcpy(a->events + a->nevents, b->events, sizeof(WfEvent) * b->nevents);
	a->nevents = (int32) need;
	PG_RETURN_POINTER(a);
}

/* salesplan.funnel_events_compact(salesplan.funnel_events) -> salesplan.funnel_events */
PG_FUNCTION_INFO_V1(salesplan_funnel_events_compact);
Datum
salesplan_funnel_events_compact(PG_FUNCTION_ARGS)
{
	FunnelEvents *st = wf_detoast(PG_GETARG_DATUM(0));

	PG_RETURN_POINTER(wf_copy(st, st->nevents, false));
}

/*
 * start + window with timestamp + interval semantics: months first (day of
 * month clamped to the month's length), then days, then the time part, as
 * timestamp_pl_interval does; for timestamptz the months and days are added
 * on the local calendar of the session time zone, as
 * timestamptz_pl_interval does.  Infinite starts give themselves, as in
 * PostgreSQL.  A deadline past the last representable timestamp is clamped
 * to it (PostgreSQL would raise "timestamp out of range"): every finite
 * event is then within the window, which is exact.  "tz" says whether
 * months and days are counted on the session time zone's calendar.
 */
static int64
wf_deadline(const FunnelEvents *st, bool tz, int64 start)
{
	const int64 clamp = END_TIMESTAMP - 1;
	int64		r = start;
	int64		span;

	if (TIMESTAMP_NOT_FINITE(start))
		return start;

	if (st->months != 0 || (st->days != 0 && tz))
	{
		struct pg_tm tt,
				   *tm = &tt;
		fsec_t		fsec;
		int			tzoff;

		if (st->months != 0)
		{
			int64		mon;

			if (timestamp2tm(r, tz ? &tzoff : NULL, tm, &fsec, NULL, NULL) != 0)
				return clamp;
			mon = (int64) tm->tm_mon - 1 + st->months;
			if ((int64) tm->tm_year + mon / MONTHS_PER_YEAR > 300000)
				return clamp;
			tm->tm_year += (int) (mon / MONTHS_PER_YEAR);
			tm->tm_mon = (int) (mon % MONTHS_PER_YEAR) + 1;
			if (tm->tm_mday > day_tab[isleap(tm->tm_year)][tm->tm_mon - 1])
				tm->tm_mday = day_tab[isleap(tm->tm_year)][tm->tm_mon - 1];
			if (tz)
				tzoff = DetermineTimeZoneOffset(tm, session_timezone);
			if (tm2timestamp(tm, fsec, tz ? &tzoff : NULL, &r) != 0 ||
				!IS_VALID_TIMESTAMP(r))
				return clamp;
		}
		if (st->days != 0 && tz)
		{
			int64		julian;

			if (timestamp2tm(r, &tzoff, tm, &fsec, NULL, NULL) != 0)
				return clamp;
			julian = (int64) date2j(tm->tm_year, tm->tm_mon, tm->tm_mday) + st->days;
			if (julian > TIMESTAMP_END_JULIAN)
				return clamp;
			j2date((int) julian, &tm->tm_year, &tm->tm_mon, &tm->tm_mday);
			tzoff = DetermineTimeZoneOffset(tm, session_timezone);
			if (tm2timestamp(tm, fsec, &tzoff, &r) != 0 ||
				!IS_VALID_TIMESTAMP(r))
				return clamp;
		}
	}

	/* Days on timestamp without time zone are exactly 24 hours. */
	span = 0;
	if (!tz && pg_mul_s64_overflow((int64) st->days, USECS_PER_DAY, &span))
		return clamp;

	if (pg_add_s64_overflow(span, st->usecs, &span) ||
		pg_add_s64_overflow(r, span, &r) ||
		!IS_VALID_TIMESTAMP(r))
		return clamp;
	return r;
}

/*
 * The scan.  Returns the level reached; when times is not NULL it receives
 * a palloc'd array of the timestamps at which the best chain (highest
 * level, ties to the latest start) reached steps 1..level.
 */
static int
wf_scan(const FunnelEvents *st, int64 **times)
{
	const WfEvent *ev = st->events;
	int			n = st->nevents;
	int			maxstep = 0;
	bool		sorted = true;
	bool		dedup = (st->flags & WF_DEDUP) != 0;
	bool		order = (st->flags & WF_ORDER) != 0;
	bool		increase = (st->flags & WF_INCREASE) != 0;
	bool		tz = (st->flags & WF_TZ) != 0;	/* local calendar days? */
	bool		started = false;
	int			cur = 0;		/* strict_order: level of the newest chain */
	int			level = 0;
	int			i;
	bool	   *has;
	int64	   *start;			/* per step: latest start that reached it */
	int64	   *deadline;		/* ... that start + window */
	int64	   *reached;		/* ... when that chain first reached it */
	int32	   *idx;			/* ... index of that event (times only) */
	int32	   *parent = NULL;	/* per event: index of the previous step */
	bool		has_buf[WF_SMALL_STEPS];
	int64		start_buf[WF_SMALL_STEPS];
	int64		deadline_buf[WF_SMALL_STEPS];
	int64		reached_buf[WF_SMALL_STEPS];
	int32		idx_buf[WF_SMALL_STEPS];

	/*
	 * In a time zone with a fixed offset (UTC, say) calendar days are 24
	 * hours: timestamptz days then need no calendar arithmetic (months
	 * still do, on the local calendar).
	 */
	if (tz && st->months == 0 && st->days != 0)
	{
		long		gmtoff;

		tz = !pg_get_timezone_offset(session_timezone, &gmtoff);
	}

	for (i = 0; i < n; i++)
	{
		if (ev[i].step > maxstep)
			maxstep = ev[i].step;
		if (i > 0 && sorted && wf_event_cmp(&ev[i - 1], &ev[i]) > 0)
			sorted = false;
	}
	if (maxstep == 0)
	{
		if (times)
			*times = NULL;
		return 0;
	}
	if (!sorted)
	{
		WfEvent    *copy = palloc(sizeof(WfEvent) * (Size) n);

		memcpy(copy, ev, sizeof(WfEvent) * (Size) n);
		wf_sort_events(copy, n);
		ev = copy;
	}

	if (maxstep < WF_SMALL_STEPS)
	{
		/* The usual funnel of a few steps: no allocation per group. */
		memset(has_buf, 0, sizeof(bool) * (maxstep + 1));
		has = has_buf;
		start = start_buf;
		deadline = deadline_buf;
		reached = reached_buf;
		idx = idx_buf;
	}
	else
	{
		has = palloc0(sizeof(bool) * (maxstep + 1));
		start = palloc(sizeof(int64) * (maxstep + 1));
		deadline = palloc(sizeof(int64) * (maxstep + 1));
		reached = palloc(sizeof(int64) * (maxstep + 1));
		idx = palloc(sizeof(int32) * (maxstep + 1));
	}
	if (times)
		parent = palloc(sizeof(int32) * (Size) n);

	for (i = 0; i < n; i++)
	{
		int64		t = ev[i].ts;
		int			k = ev[i].step;

		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();

		if (k <= 0)
		{
			/* Kept only for strict_order: ends the scan once started. */
			if (order && started)
				break;
			continue;
		}
		if (k == 1)
		{
			if (!has[1] || start[1] != t)
			{
				start[1] = t;
				deadline[1] = wf_deadline(st, tz, t);
				reached[1] = t;
				if (times)
					idx[1] = i;
			}
			has[1] = true;
			started = true;
			cur = 1;
			if (level < 1)
				level = 1;
			if (level == maxstep && times == NULL)
				break;
			continue;
		}

		/* k >= 2 */
		if (order)
		{
			if (!started)
				continue;
			if (k != cur + 1)
				break;
		}
		if (!has[k - 1])
			continue;
		if (dedup && has[k] && start[k] == start[k - 1])
			break;
		if (t > deadline[k - 1])
			continue;
		if (increase && t <= reached[k - 1])
			continue;
		if (!has[k] || start[k] != start[k - 1])
		{
			has[k] = true;
			start[k] = start[k - 1];
			deadline[k] = deadline[k - 1];
			reached[k] = t;
			if (times)
			{
				idx[k] = i;
				parent[i] = idx[k - 1];
			}
		}
		cur = k;
		if (k > level)
			level = k;

		/*
		 * Nothing can beat the last step; only the times still need the
		 * latest start that reaches it.
		 */
		if (level == maxstep && times == NULL)
			break;
	}

	if (times)
	{
		int64	   *out = NULL;

		if (level > 0)
		{
			int			j = idx[level];
			int			k;

			out = palloc(sizeof(int64) * level);
			for (k = level; k >= 1; k--)
			{
				Assert(ev[j].step == k);
				out[k - 1] = ev[j].ts;
				if (k > 1)
					j = parent[j];
			}
		}
		*times = out;
	}

	/* Large groups: give the memory back before the next group. */
	if (ev != st->events)
		pfree((void *) ev);
	if (parent)
		pfree(parent);
	if (has != has_buf)
	{
		pfree(has);
		pfree(start);
		pfree(deadline);
		pfree(reached);
		pfree(idx);
	}
	return level;
}

/* salesplan.funnel_level(salesplan.funnel_events) -> int */
PG_FUNCTION_INFO_V1(salesplan_funnel_level);
Datum
salesplan_funnel_level(PG_FUNCTION_ARGS)
{
	FunnelEvents *st = wf_detoast(PG_GETARG_DATUM(0));

	PG_RETURN_INT32(wf_scan(st, NULL));
}

static Datum
wf_times(FunctionCallInfo fcinfo, bool tz)
{
	FunnelEvents *st = wf_detoast(PG_GETARG_DATUM(0));
	Oid			elemtype = tz ? TIMESTAMPTZOID : TIMESTAMPOID;
	int64	   *times;
	int			level;
	Datum	   *elems;
	int			i;

	if (((st->flags & WF_TZ) != 0) != tz)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("funnel_events state holds %s events, not %s",
						(st->flags & WF_TZ) ? "timestamptz" : "timestamp",
						tz ? "timestamptz" : "timestamp"),
				 errhint("Use salesplan.window_funnel_times_%sfinal.",
						 (st->flags & WF_TZ) ? "tz_" : "")));
	level = wf_scan(st, &times);
	if (level == 0)
		PG_RETURN_ARRAYTYPE_P(construct_empty_array(elemtype));
	elems = palloc(sizeof(Datum) * level);
	for (i = 0; i < level; i++)
		elems[i] = Int64GetDatum(times[i]);
	PG_RETURN_ARRAYTYPE_P(construct_array(elems, level, elemtype, 8,
										  FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
}

/* salesplan.funnel_step_times(salesplan.funnel_events) -> timestamp[] */
PG_FUNCTION_INFO_V1(salesplan_funnel_step_times);
Datum
salesplan_funnel_step_times(PG_FUNCTION_ARGS)
{
	return wf_times(fcinfo, false);
}

/* salesplan.funnel_step_times_tz(salesplan.funnel_events) -> timestamptz[] */
PG_FUNCTION_INFO_V1(salesplan_funnel_step_times_tz);
Datum
salesplan_funnel_step_times_tz(PG_FUNCTION_ARGS)
{
	return wf_times(fcinfo, true);
}

/*
 * Validation shared by text and binary input: everything but the events,
 * then each event with wf_check_event.  "errcode" is
 * ERRCODE_INVALID_TEXT_REPRESENTATION or ERRCODE_DATA_CORRUPTED.
 */
static void
wf_bad(int errcode_, const char *input, const char *why)
{
	if (input)
		ereport(ERROR,
				(errcode(errcode_),
				 errmsg("invalid input syntax for type %s: \"%s\"", WF_TYPE_NAME, input),
				 errdetail("%s", why)));
	ereport(ERROR,
			(errcode(errcode_),
			 errmsg("invalid binary %s value", WF_TYPE_NAME),
			 errdetail("%s", why)));
}

static void
wf_check_header(int version, int64 flags, int64 months, int64 days,
				int64 usecs, int64 n, int errcode_, const char *input)
{
	if (version != WF_VERSION)
		wf_bad(errcode_, input, "Unsupported format version.");
	if (flags < 0 || (flags & ~WF_ALL_FLAGS) != 0)
		wf_bad(errcode_, input, "Unknown mode flags.");
	if (months < 0 || months > PG_INT32_MAX || days < 0 || days > PG_INT32_MAX ||
		usecs < 0 || (months == 0 && days == 0 && usecs == 0))
		wf_bad(errcode_, input, "The window must be positive.");
	if (n < 0 || n > WF_MAX_EVENTS)
		wf_bad(errcode_, input, "The event count is out of range.");
}

static void
wf_check_event(int64 ts, int64 step, int errcode_, const char *input)
{
	if (!TIMESTAMP_NOT_FINITE(ts) && !IS_VALID_TIMESTAMP(ts))
		wf_bad(errcode_, input, "An event timestamp is out of range.");
	if (step < 0 || step > WF_MAX_STEP)
		wf_bad(errcode_, input, "An event step is out of range.");
}

/* sp_state_adopt's check of a value from outside, as the input functions do */
static void
wf_validate_state(void *state)
{
	const FunnelEvents *st = (const FunnelEvents *) state;
	int			i;

	wf_check_header(st->version, st->flags, st->months, st->days, st->usecs,
					st->nevents, ERRCODE_DATA_CORRUPTED, NULL);
	if (st->pad != 0)
		wf_bad(ERRCODE_DATA_CORRUPTED, NULL, "Reserved header bytes are not zero.");
	for (i = 0; i < st->nevents; i++)
	{
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		wf_check_event(st->events[i].ts, st->events[i].step, ERRCODE_DATA_CORRUPTED, NULL);
	}
}

/* Text helpers local to this type (infinite timestamps as words). */
static bool
wf_text_word(const char **p, const char *word)
{
	size_t		len = strlen(word);

	if (strncmp(*p, word, len) == 0)
	{
		*p += len;
		return true;
	}
	return false;
}

static int64
wf_text_ts(const char **p, const char *input)
{
	if (wf_text_word(p, "-infinity"))
		return DT_NOBEGIN;
	if (wf_text_word(p, "infinity"))
		return DT_NOEND;
	return sp_text_int64(p, WF_TYPE_NAME, input);
}

/*
 * Text form: "1;<flags>;<months>,<days>,<usecs>;<n>;<ts>:<step>,..." with
 * timestamps as microseconds since 2000-01-01 (or -infinity/infinity).
 */
/* salesplan.funnel_events_in(cstring) -> salesplan.funnel_events */
PG_FUNCTION_INFO_V1(salesplan_funnel_events_in);
Datum
salesplan_funnel_events_in(PG_FUNCTION_ARGS)
{
	const char *input = PG_GETARG_CSTRING(0);
	const char *p = input;
	int64		version,
				flags,
				months,
				days,
				usecs,
				n;
	FunnelEvents *st;
	int64		i;

	version = sp_text_int64(&p, WF_TYPE_NAME, input);
	if (version != WF_VERSION)
		wf_bad(ERRCODE_INVALID_TEXT_REPRESENTATION, input, "Unsupported format version.");
	sp_text_expect(&p, ';', WF_TYPE_NAME, input);
	flags = sp_text_int64(&p, WF_TYPE_NAME, input);
	sp_text_expect(&p, ';', WF_TYPE_NAME, input);
	months = sp_text_int64(&p, WF_TYPE_NAME, input);
	sp_text_expect(&p, ',', WF_TYPE_NAME, input);
	days = sp_text_int64(&p, WF_TYPE_NAME, input);
	sp_text_expect(&p, ',', WF_TYPE_NAME, input);
	usecs = sp_text_int64(&p, WF_TYPE_NAME, input);
	sp_text_expect(&p, ';', WF_TYPE_NAME, input);
	n = sp_text_int64(&p, WF_TYPE_NAME, input);
	sp_text_expect(&p, ';', WF_TYPE_NAME, input);
	wf_check_header((int) version, flags, months, days, usecs, n,
					ERRCODE_INVALID_TEXT_REPRESENTATION, input);

	/* Each event takes at least 4 characters: don't trust n before that. */
	if ((int64) strlen(p) < n * 4 - 1)
		wf_bad(ERRCODE_INVALID_TEXT_REPRESENTATION, input,
			   "The event count does not match the events.");

	st = wf_alloc((int32) n, false);
	st->flags = (uint8) flags;
	st->months = (int32) months;
	st->days = (int32) days;
	st->usecs = usecs;
	for (i = 0; i < n; i++)
	{
		int64		ts,
					step;

		CHECK_FOR_INTERRUPTS();
		if (i > 0)
			sp_text_expect(&p, ',', WF_TYPE_NAME, input);
		ts = wf_text_ts(&p, input);
		sp_text_expect(&p, ':', WF_TYPE_NAME, input);
		step = sp_text_int64(&p, WF_TYPE_NAME, input);
		wf_check_event(ts, step, ERRCODE_INVALID_TEXT_REPRESENTATION, input);
		st->events[i].ts = ts;
		st->events[i].step = (int32) step;
	}
	st->nevents = (int32) n;
	sp_text_end(&p, WF_TYPE_NAME, input);
	PG_RETURN_POINTER(st);
}

/* salesplan.funnel_events_out(salesplan.funnel_events) -> cstring */
PG_FUNCTION_INFO_V1(salesplan_funnel_events_out);
Datum
salesplan_funnel_events_out(PG_FUNCTION_ARGS)
{
	FunnelEvents *st = wf_detoast(PG_GETARG_DATUM(0));
	StringInfoData buf;
	int32		i;

	initStringInfo(&buf);
	appendStringInfo(&buf, "%d;%d;%d,%d," INT64_FORMAT ";%d;",
					 st->version, st->flags, st->months, st->days,
					 st->usecs, st->nevents);
	for (i = 0; i < st->nevents; i++)
	{
		int64		ts = st->events[i].ts;

		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		if (i > 0)
			appendStringInfoChar(&buf, ',');
		if (ts == DT_NOBEGIN)
			appendStringInfoString(&buf, "-infinity");
		else if (ts == DT_NOEND)
			appendStringInfoString(&buf, "infinity");
		else
			appendStringInfo(&buf, INT64_FORMAT, ts);
		appendStringInfo(&buf, ":%d", st->events[i].step);
	}
	PG_RETURN_CSTRING(buf.data);
}

/* salesplan.funnel_events_send(salesplan.funnel_events) -> bytea */
PG_FUNCTION_INFO_V1(salesplan_funnel_events_send);
Datum
salesplan_funnel_events_send(PG_FUNCTION_ARGS)
{
	FunnelEvents *st = wf_detoast(PG_GETARG_DATUM(0));
	StringInfoData buf;
	int32		i;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, st->version);
	pq_sendbyte(&buf, st->flags);
	pq_sendint32(&buf, st->months);
	pq_sendint32(&buf, st->days);
	pq_sendint64(&buf, st->usecs);
	pq_sendint32(&buf, st->nevents);
	for (i = 0; i < st->nevents; i++)
	{
		pq_sendint64(&buf, st->events[i].ts);
		pq_sendint32(&buf, st->events[i].step);
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* salesplan.funnel_events_recv(internal) -> salesplan.funnel_events */
PG_FUNCTION_INFO_V1(salesplan_funnel_events_recv);
Datum
salesplan_funnel_events_recv(PG_FUNCTION_ARGS)
{
	StringInfo	msg = (StringInfo) PG_GETARG_POINTER(0);
	int			version,
				flags;
	int32		months,
				days,
				n;
	int64		usecs;
	FunnelEvents *st;
	int32		i;

	if (msg->len - msg->cursor < WF_BIN_HEADER)
		wf_bad(ERRCODE_DATA_CORRUPTED, NULL, "The value is truncated.");
	version = pq_getmsgbyte(msg);
	flags = pq_getmsgbyte(msg);
	months = pq_getmsgint(msg, 4);
	days = pq_getmsgint(msg, 4);
	usecs = pq_getmsgint64(msg);
	n = pq_getmsgint(msg, 4);
	wf_check_header(version, flags, months, days, usecs, n,
					ERRCODE_DATA_CORRUPTED, NULL);
	if ((int64) (msg->len - msg->cursor) != (int64) n * WF_BIN_EVENT)
		wf_bad(ERRCODE_DATA_CORRUPTED, NULL,
			   "The event count does not match the value's length.");

	st = wf_alloc(n, false);
	st->flags = (uint8) flags;
	st->months = months;
	st->days = days;
	st->usecs = usecs;
	for (i = 0; i < n; i++)
	{
		int64		ts = pq_getmsgint64(msg);
		int32		step = pq_getmsgint(msg, 4);

		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		wf_check_event(ts, step, ERRCODE_DATA_CORRUPTED, NULL);
		st->events[i].ts = ts;
		st->events[i].step = step;
	}
	st->nevents = n;
	pq_getmsgend(msg);
	PG_RETURN_POINTER(st);
}
