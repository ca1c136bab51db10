/*-------------------------------------------------------------------------
 *
 * funnel_events.h
 *	  The salesplan.funnel_events state type, shared by the two files of
 *	  the window funnel family and by nothing else: funnel_events.c (the
 *	  type: lifecycle, I/O, transition, combine, compact) and
 *	  window_funnel.c (the funnel walk and its accessors).
 *
 *-------------------------------------------------------------------------
 */
#ifndef SALESPLAN_FUNNEL_EVENTS_H
#define SALESPLAN_FUNNEL_EVENTS_H

#include "salesplan.h"

/* Mode flags, and whether the events are timestamptz. */
#define WF_DEDUP			0x01	/* strict_deduplication */
#define WF_ORDER			0x02	/* strict_order */
#define WF_INCREASE			0x04	/* strict_increase */
#define WF_TZ				0x08	/* events are timestamptz */
#define WF_ZONE				0x10	/* timestamptz with an explicit time zone */
#define WF_ALL_FLAGS		(WF_DEDUP | WF_ORDER | WF_INCREASE | WF_TZ | WF_ZONE)

/* Documented bounds (doc/window_funnel.md). */
#define WF_MAX_STEP			10000
#define WF_MAX_EVENTS		10000000

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
 * input functions and by funnel_event_agg/rollup have no slack.
 *
 * A state of the explicit-zone forms (WF_ZONE) carries the canonical name
 * of its time zone after the "capacity" events: zone_words 8-byte words,
 * NUL-terminated and zero-padded.  Without WF_ZONE zone_words is 0 and the
 * layout is that of 0.1 (the byte was reserved and zero).
 */
typedef struct FunnelEvents
{
	int32		vl_len_;		/* varlena header (do not touch directly) */
	uint8		version;
	uint8		flags;
	uint8		mark;			/* SP_STATE_AGG or 0 (never printed or sent) */
	uint8		zone_words;		/* 8-byte words of time zone name (WF_ZONE) */
	int32		months;			/* the window */
	int32		days;
	int64		usecs;
	int32		nevents;
	int32		capacity;
	WfEvent		events[FLEXIBLE_ARRAY_MEMBER];
} FunnelEvents;

#define WF_HEADER_SIZE		offsetof(FunnelEvents, events)
#define WF_SIZE(cap)		(WF_HEADER_SIZE + (Size) (cap) * sizeof(WfEvent))
#define WF_FULL_SIZE(cap, zw)	(WF_SIZE(cap) + (Size) (zw) * 8)
/* a zone name of TZ_STRLEN_MAX (255) bytes and its NUL */
#define WF_MAX_ZONE_WORDS	32

/*
 * A streaming state (window_funnel.c): set in "mark" beside SP_STATE_AGG,
 * never printed, sent or stored.  window_funnel's transition makes one only
 * when the executor guarantees the rows of a group in timestamp order (the
 * call says ORDER BY ts) and the state can reach nothing but funnel_level
 * (no combine, no other final function); see wf_streams in funnel_events.c.
 * Its "events" slots then hold, instead of events, a WfStreamHead (2
 * slots), one WfLevel per step 1..nsteps (2 slots each) and the events of
 * the latest timestamp not yet walked (1 slot each); nevents counts the
 * slots in use.
 */
#define WF_STREAM			0x40

typedef struct WfStreamHead
{
	int64		tie_ts;			/* timestamp of the events waiting in ties */
	int32		ntie;			/* events at tie_ts not yet walked */
	int32		nsteps;			/* levels 1..nsteps have room */
	int32		level;			/* highest step reached so far */
	int32		cur;			/* strict_order: level of the newest chain */
	uint8		started;		/* a step-1 event was walked */
	uint8		done;			/* the walk stopped (strict modes) */
	uint8		pad[6];
} WfStreamHead;

typedef struct WfLevel			/* per step: as funnel_events_walk's arrays */
{
	int64		start;			/* latest start that reached the step */
	int64		deadline;		/* that start + window */
	int64		reached;		/* when that chain first reached the step */
	int32		has;
	int32		pad;
} WfLevel;

#define WF_STREAM_HEAD(st)	((WfStreamHead *) (st)->events)
/* level k (1..nsteps) sits in slots 2k and 2k + 1 */
#define WF_STREAM_LEVEL(st, k)	((WfLevel *) ((st)->events + 2 * (k)))
#define WF_STREAM_TIES(st)	((st)->events + 2 + 2 * WF_STREAM_HEAD(st)->nsteps)
#define WF_STREAM_SLOTS(nsteps, ntie)	(2 + 2 * (int64) (nsteps) + (ntie))

/* the time zone name of a WF_ZONE state */
#define WF_ZONE_NAME(st)	((char *) (st) + WF_SIZE((st)->capacity))

/*
 * A stored or passed funnel_events value to read (funnel_events.c); _any
 * also returns a streaming state (for funnel_level only).
 */
extern FunnelEvents *funnel_events_read(Datum d);
extern FunnelEvents *funnel_events_read_any(Datum d);

/* The time zone whose calendar a timestamptz state's window is counted on. */
extern pg_tz *funnel_events_zone(const FunnelEvents *st);

/* events in (ts, step) order: the walk's order and the canonical form */
static inline int
wf_event_cmp(const WfEvent *a, const WfEvent *b)
{
	if (a->ts != b->ts)
		return a->ts < b->ts ? -1 : 1;
	if (a->step != b->step)
		return a->step < b->step ? -1 : 1;
	return 0;
}

/*
 * Sort events by (ts, step); interruptible from WF_SORT_CFI_MIN events on.
 * sp_debug_cancel_in_sort: salesplan.debug_cancel_in_sort, a test hook
 * that raises a cancel as such a sort starts.
 */
#define WF_SORT_CFI_MIN		4096
extern void wf_sort_events(WfEvent *begin, size_t n);
extern bool sp_debug_cancel_in_sort;

/* The window (22023 unless positive) and the mode list (22023 if unknown). */
extern void funnel_events_check_window(const Interval *w);
extern uint8 funnel_events_parse_mode(const char *s, int len);

/*
 * The funnel walk (window_funnel.c): the level reached by the n events,
 * with the window and flags of st (its own events are not looked at).  The
 * aggregate's final functions and the table-level path share it.
 */
extern int	funnel_events_walk(const FunnelEvents *st, const WfEvent *events,
							   int n, int64 **times);

/*
 * The calendar on which the walk adds st's window: NULL when it needs none
 * (timestamp events, a window without days or months, days in a zone of
 * fixed offset), else zone, or st's own zone or the session's when zone is
 * NULL.  funnel_events_walk_in walks on a calendar found once so (the
 * table-level path, with its time_zone argument).
 */
extern pg_tz *funnel_events_calendar(const FunnelEvents *st, pg_tz *zone);
extern int	funnel_events_walk_in(const FunnelEvents *st, pg_tz *calendar,
								  const WfEvent *events, int n, int64 **times);

/*
 * Streaming (window_funnel.c): walk the events waiting in a streaming
 * state's ties (they share a timestamp: in step order, as the walk takes
 * them) and empty the ties; the level of a streaming state, its ties walked
 * on a copy (the state is not modified).
 */
extern void funnel_stream_flush(FunnelEvents *st);
extern PGDLLEXPORT Datum salesplan_funnel_level(PG_FUNCTION_ARGS);
extern int	funnel_stream_level(const FunnelEvents *st);

/* st itself when its events are in order, else a sorted copy */
extern const FunnelEvents *funnel_events_sorted(const FunnelEvents *st);

#endif							/* SALESPLAN_FUNNEL_EVENTS_H */
