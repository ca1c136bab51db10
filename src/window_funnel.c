/*-------------------------------------------------------------------------
 *
 * window_funnel.c
 *	  Ordered funnel per entity: the funnel walk over a
 *	  salesplan.funnel_events state, and the accessors that run it,
 *	  salesplan.funnel_level (the final function of window_funnel) and
 *	  salesplan.funnel_step_times (that of window_funnel_times).
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
 * The final functions sort a copy of the events (unless they already arrive
 * in order) and scan them once: O(n log n + n), with memory bounded by
 * WF_MAX_EVENTS events and WF_MAX_STEP steps.  The state type itself (its
 * lifecycle, I/O, transition and combine) is in funnel_events.c.
 *
 *-------------------------------------------------------------------------
 */
#include "salesplan.h"

#include "catalog/pg_type.h"
#include "common/int.h"
#include "datatype/timestamp.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/datetime.h"
#include "utils/timestamp.h"

#include "funnel_events.h"

/* Funnels with fewer steps than this scan with arrays on the stack. */
#define WF_SMALL_STEPS		32


/*
 * start + window with timestamp + interval semantics: months first (day of
 * month clamped to the month's length), then days, then the time part, as
 * timestamp_pl_interval does; for timestamptz (zone not NULL) the months
 * and days are added on the local calendar of zone, as
 * timestamptz_pl_interval does on the session time zone's.  Infinite
 * starts give themselves, as in PostgreSQL.  A deadline past the last
 * representable timestamp is clamped to it (PostgreSQL would raise
 * "timestamp out of range"): every finite event is then within the window,
 * which is exact.
 */
static int64
wf_deadline(const FunnelEvents *st, pg_tz *zone, int64 start)
{
	const int64 clamp = END_TIMESTAMP - 1;
	int64		r = start;
	int64		span;

	if (TIMESTAMP_NOT_FINITE(start))
		return start;

	if (zone != NULL)
	{
		if (!sp_timestamptz_add(start, st->months, st->days, st->usecs, zone, &r))
			return clamp;
		return r;
	}

	if (st->months != 0)
	{
		struct pg_tm tt,
				   *tm = &tt;
		fsec_t		fsec;
		int64		mon;

		if (timestamp2tm(r, NULL, tm, &fsec, NULL, NULL) != 0)
			return clamp;
		mon = (int64) tm->tm_mon - 1 + st->months;
		if ((int64) tm->tm_year + mon / MONTHS_PER_YEAR > 300000)
			return clamp;
		tm->tm_year += (int) (mon / MONTHS_PER_YEAR);
		tm->tm_mon = (int) (mon % MONTHS_PER_YEAR) + 1;
		if (tm->tm_mday > day_tab[isleap(tm->tm_year)][tm->tm_mon - 1])
			tm->tm_mday = day_tab[isleap(tm->tm_year)][tm->tm_mon - 1];
		if (tm2timestamp(tm, fsec, NULL, &r) != 0 || !IS_VALID_TIMESTAMP(r))
			return clamp;
	}

	/* Days on timestamp without time zone are exactly 24 hours. */
	if (pg_mul_s64_overflow((int64) st->days, USECS_PER_DAY, &span) ||
		pg_add_s64_overflow(span, st->usecs, &span) ||
		pg_add_s64_overflow(r, span, &r) ||
		!IS_VALID_TIMESTAMP(r))
		return clamp;
	return r;
}

/*
 * The calendar on which the walk adds the window to a start: NULL for
 * timestamp events (days of 24 hours).  A timestamptz window counts its
 * days and months on the calendar of zone when the caller gives one
 * (window_funnel_scan), else of the state's explicit time zone, else of
 * the session's.  In a zone with a fixed offset (UTC, say) calendar days
 * are 24 hours: days then need no calendar arithmetic (months still do).
 */
pg_tz *
funnel_events_calendar(const FunnelEvents *st, pg_tz *zone)
{
	long		gmtoff;

	if (!(st->flags & WF_TZ) || (st->months == 0 && st->days == 0))
		return NULL;
	if (zone == NULL)
		zone = funnel_events_zone(st);
	if (st->months == 0 && pg_get_timezone_offset(zone, &gmtoff))
		return NULL;
	return zone;
}

static pg_tz *
wf_walk_zone(const FunnelEvents *st)
{
	return funnel_events_calendar(st, NULL);
}

/*
 * The scan.  Returns the level reached; when times is not NULL it receives
 * a palloc'd array of the timestamps at which the best chain (highest
 * level, ties to the latest start) reached steps 1..level.  "st" gives the
 * window and the flags only; the n events are "events" (st->events for a
 * state; the table-level path of window_funnel_scan.c passes one entity's
 * slice of its own array, already sorted).
 */
int
funnel_events_walk(const FunnelEvents *st, const WfEvent *events, int n,
				   int64 **times)
{
	return funnel_events_walk_in(st, wf_walk_zone(st), events, n, times);
}

/* funnel_events_walk on a given calendar (funnel_events_calendar) */
int
funnel_events_walk_in(const FunnelEvents *st, pg_tz *calendar,
					  const WfEvent *events, int n, int64 **times)
{
	const WfEvent *ev = events;
	int			maxstep = 0;
	bool		sorted = true;
	bool		dedup = (st->flags & WF_DEDUP) != 0;
	bool		order = (st->flags & WF_ORDER) != 0;
	bool		increase = (st->flags & WF_INCREASE) != 0;
	pg_tz	   *zone;			/* calendar of a timestamptz window */
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

	zone = calendar;

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
				deadline[1] = wf_deadline(st, zone, t);
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
	if (ev != events)
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

/*
 * The streaming walk: the loop body of funnel_events_walk, one event at a
 * time, on the state's WfStreamHead and WfLevel slots instead of local
 * arrays, for input that arrives in timestamp order (WF_STREAM in
 * funnel_events.h).  It must take every decision the walk takes, in the
 * same order: the tests compare the two over every mode.  What the walk
 * does by "break" sets h->done; its early exits once the highest step is
 * reached only save time there and are left out here.
 */
static inline void
wf_stream_event(const FunnelEvents *st, pg_tz *zone, WfStreamHead *h,
				WfLevel *levels, int64 t, int k)
{
	bool		dedup = (st->flags & WF_DEDUP) != 0;
	bool		order = (st->flags & WF_ORDER) != 0;
	bool		increase = (st->flags & WF_INCREASE) != 0;
	WfLevel    *prev;
	WfLevel    *lv;

	if (h->done)
		return;
	if (k <= 0)
	{
		/* Kept only for strict_order: ends the walk once started. */
		if (order && h->started)
			h->done = true;
		return;
	}
	Assert(k <= h->nsteps);
	if (k == 1)
	{
		lv = &levels[1];
		if (!lv->has || lv->start != t)
		{
			lv->start = t;
			lv->deadline = wf_deadline(st, zone, t);
			lv->reached = t;
		}
		lv->has = true;
		h->started = true;
		h->cur = 1;
		if (h->level < 1)
			h->level = 1;
		return;
	}

	/* k >= 2 */
	if (order)
	{
		if (!h->started)
			return;
		if (k != h->cur + 1)
		{
			h->done = true;
			return;
		}
	}
	prev = &levels[k - 1];
	lv = &levels[k];
	if (!prev->has)
		return;
	if (dedup && lv->has && lv->start == prev->start)
	{
		h->done = true;
		return;
	}
	if (t > prev->deadline)
		return;
	if (increase && t <= prev->reached)
		return;
	if (!lv->has || lv->start != prev->start)
	{
		lv->has = true;
		lv->start = prev->start;
		lv->deadline = prev->deadline;
		lv->reached = t;
	}
	h->cur = k;
	if (k > h->level)
		h->level = k;
}

/*
 * Walk n events of one timestamp (ties, sorted here by step) on a
 * streaming state's head and levels (levels[k] for step k; levels[0] is
 * the head's place), with the window and flags of st.
 */
static void
wf_stream_ties(const FunnelEvents *st, WfStreamHead *h, WfLevel *levels,
			   WfEvent *ties, int n)
{
	pg_tz	   *zone = NULL;
	int			i;

	if (h->done)
		return;
	if (n == 1)
	{
		/* the usual case: one event per timestamp */
		wf_stream_event(st, ties[0].step == 1 && (st->flags & WF_TZ) ? wf_walk_zone(st) : NULL,
						h, levels, ties[0].ts, ties[0].step);
		return;
	}
	wf_sort_events(ties, n);	/* one timestamp: by step */
	/* the calendar is needed only to start a chain */
	for (i = 0; i < n && (st->flags & WF_TZ); i++)
		if (ties[i].step == 1)
		{
			zone = wf_walk_zone(st);
			break;
		}
	for (i = 0; i < n; i++)
		wf_stream_event(st, zone, h, levels, ties[i].ts, ties[i].step);
}

/*
 * Walk the events waiting in the ties of a streaming state and empty the
 * ties.  The funnel_events transition calls it when a later timestamp
 * arrives.
 */
void
funnel_stream_flush(FunnelEvents *st)
{
	WfStreamHead *h = WF_STREAM_HEAD(st);

	Assert(st->mark & WF_STREAM);
	wf_stream_ties(st, h, (WfLevel *) st->events, WF_STREAM_TIES(st), h->ntie);
	h->ntie = 0;
	st->nevents = (int32) WF_STREAM_SLOTS(h->nsteps, 0);
}

/*
 * The level of a streaming state: its last timestamp's events walked on a
 * copy of the head and the levels (on the stack for a funnel of fewer than
 * WF_SMALL_STEPS steps), so the state itself is not modified.
 */
int
funnel_stream_level(const FunnelEvents *st)
{
	const WfStreamHead *h = WF_STREAM_HEAD(st);
	WfLevel		buf[WF_SMALL_STEPS];
	WfLevel    *levels = buf;
	WfEvent		tie_buf[4];
	WfEvent    *ties = tie_buf;
	int			level;

	StaticAssertStmt(sizeof(WfStreamHead) == sizeof(WfLevel),
					 "the head takes the place of level 0");
	Assert(st->mark & WF_STREAM);
	if (h->ntie == 0 || h->done)
		return h->level;
	if (h->nsteps >= WF_SMALL_STEPS)
		levels = palloc(sizeof(WfLevel) * (h->nsteps + 1));
	if (h->ntie > lengthof(tie_buf))
		ties = palloc(sizeof(WfEvent) * h->ntie);
	memcpy(levels, st->events, sizeof(WfLevel) * (h->nsteps + 1));
	memcpy(ties, WF_STREAM_TIES(st), sizeof(WfEvent) * h->ntie);
	wf_stream_ties(st, (WfStreamHead *) levels, levels, ties, h->ntie);
	level = ((WfStreamHead *) levels)->level;
	if (levels != buf)
		pfree(levels);
	if (ties != tie_buf)
		pfree(ties);
	return level;
}

/* salesplan.funnel_level(salesplan.funnel_events) -> int */
PG_FUNCTION_INFO_V1(salesplan_funnel_level);
Datum
salesplan_funnel_level(PG_FUNCTION_ARGS)
{
	FunnelEvents *st = funnel_events_read_any(PG_GETARG_DATUM(0));

	if ((st->mark & (SP_STATE_AGG | WF_STREAM)) == (SP_STATE_AGG | WF_STREAM))
		PG_RETURN_INT32(funnel_stream_level(st));
	PG_RETURN_INT32(funnel_events_walk(st, st->events, st->nevents, NULL));
}

static Datum
wf_times(FunctionCallInfo fcinfo, bool tz)
{
	FunnelEvents *st = funnel_events_read(PG_GETARG_DATUM(0));
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
	level = funnel_events_walk(st, st->events, st->nevents, &times);
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
