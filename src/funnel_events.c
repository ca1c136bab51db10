/*-------------------------------------------------------------------------
 *
 * funnel_events.c
 *	  The state type of salesplan.window_funnel: salesplan.funnel_events,
 *	  its lifecycle descriptor, text and binary forms, the transition and
 *	  combine functions of window_funnel and funnel_event_agg, and
 *	  funnel_events_compact.
 *
 * The state is a real varlena type so that parallel workers and Citus can
 * split the aggregate.  It holds the window, the mode flags and the events
 * as (int64 timestamp, int32 step) pairs, appended in place with geometric
 * capacity growth, bounded by WF_MAX_EVENTS events and WF_MAX_STEP steps.
 * What the events mean (the funnel walk and the accessors that run it) is
 * in window_funnel.c; the struct both files read is in funnel_events.h.
 *
 *-------------------------------------------------------------------------
 */
#include "salesplan.h"

#include <ctype.h>

#include "datatype/timestamp.h"
#include "fmgr.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "access/genam.h"
#include "catalog/index.h"
#include "catalog/pg_am.h"
#include "catalog/pg_type.h"
#include "commands/defrem.h"
#include "executor/nodeAgg.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "nodes/execnodes.h"
#include "nodes/nodeFuncs.h"
#include "nodes/plannodes.h"
#include "optimizer/optimizer.h"
#include "parser/parse_clause.h"
#include "utils/typcache.h"
#include "utils/builtins.h"
#include "utils/timestamp.h"

#include "funnel_events.h"

/* Format version of the stored varlena (text and binary forms too). */
#define WF_VERSION			1

/*
 * 6 events make a 128-byte state, one small allocation chunk (a CRM
 * opportunity has a handful of stage changes); growth keeps states at
 * powers of two too (256 bytes = 14 events, 512 = 30, ...).
 */
#define WF_INITIAL_CAPACITY 6

/*
 * Binary form: version, flags, months, days, usecs, [zone], n,
 * n x (ts, step); the zone (WF_ZONE only) is a length byte and the name.
 */
#define WF_BIN_HEADER		(1 + 1 + 4 + 4 + 8 + 4)
#define WF_BIN_EVENT		(8 + 4)

/*
 * A new state of an aggregate starts with room for the planner's estimate
 * of events per group (rows into the Agg node / groups out of it), rounded
 * up to a size class and capped at WF_MAX_INITIAL_CAPACITY events (512
 * bytes, so that a misestimate costs little): long histories then grow
 * fewer times.
 */
#define WF_MAX_INITIAL_CAPACITY 30

/*
 * Parsed mode and time zone arguments, and the first capacity of a new
 * state, cached across rows in fn_extra.
 */
typedef struct WfArgCache
{
	int32		initial;		/* capacity of a new state, 0 until known */
	int8		stream;			/* wf_streams: 1 yes, -1 no, 0 not known */
	char	   *mode;			/* the mode text last parsed, or NULL */
	int			mode_len;
	uint8		mode_flags;
	char	   *zone;			/* the zone text last looked up, or NULL */
	int			zone_len;
	int			zone_words;		/* of the canonical name with its NUL */
	char		canonical[TZ_STRLEN_MAX + 1];
} WfArgCache;

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
		st->zone_words <= WF_MAX_ZONE_WORDS &&
		VARSIZE(st) == WF_FULL_SIZE(st->capacity, st->zone_words);
}

/*
 * agg: for a transition or combine function (marked), else for output.
 * zone_words: room for the time zone name (0 without one), which the
 * caller writes with wf_set_zone.
 */
static FunnelEvents *
wf_alloc(int32 capacity, int zone_words, bool agg)
{
	FunnelEvents *st;

	StaticAssertStmt(WF_HEADER_SIZE == 32, "funnel_events header is 32 bytes");
	Assert(capacity >= 0 && capacity <= WF_MAX_EVENTS);
	Assert(zone_words >= 0 && zone_words <= WF_MAX_ZONE_WORDS);
	st = (FunnelEvents *) sp_state_alloc(WF_FULL_SIZE(capacity, zone_words), &wf_state, agg);
	st->capacity = capacity;
	st->zone_words = (uint8) zone_words;
	return st;
}

/* 8-byte words that hold a zone name and its NUL */
static int
wf_zone_words(const char *zone)
{
	return (int) ((strlen(zone) + 1 + 7) / 8);
}

/* Write the (canonical) zone name into a state allocated with room for it. */
static void
wf_set_zone(FunnelEvents *st, const char *zone)
{
	Assert(st->zone_words == wf_zone_words(zone));
	memset(WF_ZONE_NAME(st), 0, (Size) st->zone_words * 8);
	strcpy(WF_ZONE_NAME(st), zone);
}

/* A copy of src with room for at least "need" events. */
static FunnelEvents *
wf_copy(const FunnelEvents *src, int32 capacity, bool agg)
{
	FunnelEvents *st = wf_alloc(capacity, src->zone_words, agg);

	Assert(capacity >= src->nevents);
	if (src->zone_words > 0)
		memcpy(WF_ZONE_NAME(st), WF_ZONE_NAME(src), (Size) src->zone_words * 8);
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
	FunnelEvents *copy;

	if (need > WF_MAX_EVENTS)
		wf_too_many_events(need);
	cap = WF_INITIAL_CAPACITY;
	while (cap < need || cap <= st->capacity)
		cap = ((int64) WF_SIZE(cap) * 2 - WF_HEADER_SIZE) / sizeof(WfEvent);
	cap = Min(cap, WF_MAX_EVENTS);
	copy = wf_copy(st, (int32) cap, true);
	copy->mark |= st->mark & WF_STREAM;
	return copy;
}

void
funnel_events_check_window(const Interval *w)
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
uint8
funnel_events_parse_mode(const char *s, int len)
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

static WfArgCache *
wf_arg_cache(FunctionCallInfo fcinfo)
{
	if (fcinfo->flinfo->fn_extra == NULL)
		fcinfo->flinfo->fn_extra = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt,
														  sizeof(WfArgCache));
	return (WfArgCache *) fcinfo->flinfo->fn_extra;
}

/* The capacity of a new state; see WF_MAX_INITIAL_CAPACITY. */
static int32
wf_initial_capacity(FunctionCallInfo fcinfo)
{
	WfArgCache *cache = wf_arg_cache(fcinfo);
	int64		cap = WF_INITIAL_CAPACITY;

	if (cache->initial > 0)
		return cache->initial;
	if (fcinfo->context && IsA(fcinfo->context, AggState))
	{
		Plan	   *agg = ((AggState *) fcinfo->context)->ss.ps.plan;

		if (agg && IsA(agg, Agg) && outerPlan(agg) &&
			((Agg *) agg)->numGroups > 0)
		{
			double		per_group = outerPlan(agg)->plan_rows /
				(double) ((Agg *) agg)->numGroups;

			while (cap < per_group && cap < WF_MAX_INITIAL_CAPACITY)
				cap = ((int64) WF_SIZE(cap) * 2 - WF_HEADER_SIZE) / sizeof(WfEvent);
		}
	}
	cache->initial = (int32) cap;
	return cache->initial;
}

/* A copy of len bytes at s in fn_mcxt, replacing *old. */
static char *
wf_cache_text(FunctionCallInfo fcinfo, char *old, const char *s, int len)
{
	char	   *copy = MemoryContextAlloc(fcinfo->flinfo->fn_mcxt, len + 1);

	memcpy(copy, s, len);
	copy[len] = '\0';
	if (old)
		pfree(old);
	return copy;
}

/* Mode flags of the text argument, parsed once per distinct text. */
static uint8
wf_mode_flags(FunctionCallInfo fcinfo, int argno)
{
	text	   *mode;
	const char *s;
	int			len;
	WfArgCache *cache;
	uint8		flags;

	if (PG_ARGISNULL(argno))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("window_funnel mode must not be null"),
				 errhint("Pass '' for no mode.")));
	mode = PG_GETARG_TEXT_PP(argno);
	s = VARDATA_ANY(mode);
	len = VARSIZE_ANY_EXHDR(mode);
	cache = wf_arg_cache(fcinfo);
	if (cache->mode != NULL && cache->mode_len == len && memcmp(cache->mode, s, len) == 0)
		return cache->mode_flags;

	flags = funnel_events_parse_mode(s, len);
	cache->mode = wf_cache_text(fcinfo, cache->mode, s, len);
	cache->mode_len = len;
	cache->mode_flags = flags;
	return flags;
}

/*
 * The canonical name of the time zone argument, looked up once per
 * distinct text (an unknown zone is an error at the first row).
 */
static const WfArgCache *
wf_zone_arg(FunctionCallInfo fcinfo, int argno)
{
	text	   *zone;
	const char *s;
	int			len;
	WfArgCache *cache;

	if (PG_ARGISNULL(argno))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("window_funnel time zone must not be null"),
				 errhint("Pass a zone name such as 'America/New_York', or use the form without a time zone to follow the session's TimeZone.")));
	zone = PG_GETARG_TEXT_PP(argno);
	s = VARDATA_ANY(zone);
	len = VARSIZE_ANY_EXHDR(zone);
	cache = wf_arg_cache(fcinfo);
	if (cache->zone != NULL && cache->zone_len == len && memcmp(cache->zone, s, len) == 0)
		return cache;

	(void) sp_zone_arg(zone, cache->canonical);
	cache->zone_words = wf_zone_words(cache->canonical);
	cache->zone = wf_cache_text(fcinfo, cache->zone, s, len);
	cache->zone_len = len;
	return cache;
}

/* the zone names of two states are the same (both WF_ZONE, or neither) */
static bool
wf_same_zone(const FunnelEvents *a, const FunnelEvents *b)
{
	if (a->zone_words != b->zone_words)
		return false;
	return a->zone_words == 0 || strcmp(WF_ZONE_NAME(a), WF_ZONE_NAME(b)) == 0;
}

static void
wf_varies(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("window_funnel window, mode and time zone must be the same for every row of a group"),
			 errhint("Pass the window, the mode and the time zone as constants.")));
}

/* A stored or passed funnel_events value to read (also for window_funnel.c). */
FunnelEvents *
funnel_events_read_any(Datum d)
{
	return (FunnelEvents *) sp_state_read(d, &wf_state);
}

/*
 * The same, for every reader but funnel_level: a streaming state holds no
 * events, and wf_streams makes one only where funnel_level is its sole
 * reader, so meeting one here is a bug.
 */
FunnelEvents *
funnel_events_read(Datum d)
{
	FunnelEvents *st = funnel_events_read_any(d);

	if (st->mark & WF_STREAM)
		elog(ERROR, "streaming funnel_events state passed to a function other than funnel_level");
	return st;
}

/*
 * Whether this call of window_funnel's transition may keep a streaming
 * state (WF_STREAM in funnel_events.h: the chain of each step, no events,
 * no final sort).  All of these must hold, checked once per call site:
 *
 *	- it runs in an Agg node, not split (AGGSPLIT_SIMPLE: no partial
 *	  aggregation, so no combine and no serialisation will see the state);
 *	- the rows of each group arrive in timestamp order, because either
 *	  (a) the call orders its input by its timestamp argument first with
 *	  the type's default "<" (window_funnel(w, ts, step ORDER BY ts [, ...]))
 *	  and has no DISTINCT: the executor then sorts each group's rows itself
 *	  or (PostgreSQL 16 and later) takes them from input the planner made
 *	  sorted; or (b) the plan guarantees it (wf_input_ordered): a
 *	  GroupAggregate right above a sort, or a forward btree index scan, on
 *	  the grouping columns and then ts.  Rows sharing a timestamp come in
 *	  any order: the state holds them until a later timestamp arrives;
 *	- every aggregate sharing this transition state (the executor shares
 *	  one between aggregates with the same arguments, transition and
 *	  ORDER BY) has funnel_level as its final function, the only reader
 *	  that understands a streaming state: window_funnel_times,
 *	  funnel_event_agg and user aggregates over this transition get events.
 *
 * Anything else keeps the event list.  A row out of order in a streaming
 * state is an error (wf_trans), never a silent wrong level.
 */
/* whether pos is one of the n positions cols */
static bool
wf_col_in(AttrNumber pos, const AttrNumber *cols, int n)
{
	int			i;

	for (i = 0; i < n; i++)
		if (cols[i] == pos)
			return true;
	return false;
}

/*
 * A node that outputs its rows sorted on keys (sortColIdx, sortOperators:
 * Sort, IncrementalSort, MergeAppend, GatherMerge): sorted on the grouping
 * columns first (in any order) and on ts next, with lt.
 */
static bool
wf_sort_keys_fit(const Agg *agg, int nkeys, const AttrNumber *keys,
				 const Oid *ops, AttrNumber ts, Oid lt)
{
	int			i;

	if (nkeys <= agg->numCols)
		return false;
	for (i = 0; i < agg->numCols; i++)
		if (!wf_col_in(keys[i], agg->grpColIdx, agg->numCols) ||
			!wf_col_in(agg->grpColIdx[i], keys, agg->numCols))
			return false;
	return keys[agg->numCols] == ts && ops[agg->numCols] == lt;
}

/*
 * A btree index scanned forward: its first key columns are the grouping
 * columns (in any order), its next one the ts column, ascending, in the
 * default operator class of ts's type.  attno maps a position of the
 * scan's target list to an index column (IndexOnlyScan) or a table column
 * (IndexScan), 0 when it is not a plain column; "of_index" says which.
 */
static bool
wf_index_fits(const Agg *agg, Scan *scan, Oid indexid, ScanDirection dir,
			  bool of_index, AttrNumber ts, Oid tstype)
{
	Relation	index;
	bool		fits = true;
	int			i;
	AttrNumber	col[INDEX_MAX_KEYS + 1];	/* grouping columns, then ts */

	if (dir != ForwardScanDirection || agg->numCols >= INDEX_MAX_KEYS)
		return false;
	for (i = 0; i <= agg->numCols; i++)
	{
		AttrNumber	pos = i < agg->numCols ? agg->grpColIdx[i] : ts;
		TargetEntry *tle;
		Var		   *var;

		if (pos < 1 || pos > list_length(scan->plan.targetlist))
			return false;
		tle = list_nth_node(TargetEntry, scan->plan.targetlist, pos - 1);
		var = (Var *) tle->expr;
		if (!IsA(var, Var) || var->varlevelsup != 0 || var->varattno < 1 ||
			var->varno != (of_index ? INDEX_VAR : (int) scan->scanrelid))
			return false;
		col[i] = var->varattno;
	}

	index = index_open(indexid, NoLock);
	if (index->rd_rel->relam != BTREE_AM_OID ||
		index->rd_index->indnkeyatts <= agg->numCols)
		fits = false;
	for (i = 0; fits && i <= agg->numCols; i++)
	{
		/* index column i (0-based) as IndexOnlyScan's Vars number it */
		AttrNumber	key = of_index ? i + 1 : index->rd_index->indkey.values[i];

		if (key == 0)
			fits = false;		/* an expression */
		else if (i < agg->numCols)
			fits = wf_col_in(key, col, agg->numCols);
		else
			fits = key == col[agg->numCols] &&
				(index->rd_indoption[i] & INDOPTION_DESC) == 0 &&
				index->rd_opcintype[i] == tstype &&
				index->rd_opfamily[i] ==
				get_opclass_family(GetDefaultOpClass(tstype, BTREE_AM_OID));
	}
	/* the grouping columns are distinct, so numCols of them cover them all */
	for (i = 0; fits && i < agg->numCols; i++)
	{
		int			j;
		bool		found = false;

		for (j = 0; j < agg->numCols; j++)
		{
			AttrNumber	key = of_index ? j + 1 : index->rd_index->indkey.values[j];

			if (key == col[i])
				found = true;
		}
		fits = found;
	}
	index_close(index, NoLock);
	return fits;
}

/*
 * Whether the Agg node sorts its groups from input that the plan itself
 * hands over in (grouping columns, ts) order: a GroupAggregate right above
 * a sort on those keys or a forward btree index scan on them.  Anything
 * else (a projection in between, an expression, another operator) is "no".
 */
static bool
wf_input_ordered(AggState *as, Aggref *aggref, Oid tstype)
{
	Agg		   *agg = (Agg *) as->ss.ps.plan;
	Plan	   *child;
	TargetEntry *tle;
	AttrNumber	ts;
	Oid			lt = lookup_type_cache(tstype, TYPECACHE_LT_OPR)->lt_opr;

	if (agg == NULL || !IsA(agg, Agg) || agg->aggstrategy != AGG_SORTED ||
		agg->groupingSets != NIL || agg->numCols < 1 ||
		(child = outerPlan(agg)) == NULL)
		return false;
	tle = list_nth_node(TargetEntry, aggref->args, 1);
	if (!IsA(tle->expr, Var) || ((Var *) tle->expr)->varno != OUTER_VAR ||
		exprType((Node *) tle->expr) != tstype)
		return false;
	ts = ((Var *) tle->expr)->varattno;

	switch (nodeTag(child))
	{
		case T_Sort:
			{
				Sort	   *n = (Sort *) child;

				return wf_sort_keys_fit(agg, n->numCols, n->sortColIdx, n->sortOperators, ts, lt);
			}
		case T_IncrementalSort:
			{
				Sort	   *n = &((IncrementalSort *) child)->sort;

				return wf_sort_keys_fit(agg, n->numCols, n->sortColIdx, n->sortOperators, ts, lt);
			}
		case T_MergeAppend:
			{
				MergeAppend *n = (MergeAppend *) child;

				return wf_sort_keys_fit(agg, n->numCols, n->sortColIdx, n->sortOperators, ts, lt);
			}
		case T_GatherMerge:
			{
				GatherMerge *n = (GatherMerge *) child;

				return wf_sort_keys_fit(agg, n->numCols, n->sortColIdx, n->sortOperators, ts, lt);
			}
		case T_IndexScan:
			{
				IndexScan  *n = (IndexScan *) child;

				return n->indexorderby == NIL &&
					wf_index_fits(agg, &n->scan, n->indexid, n->indexorderdir, false, ts, tstype);
			}
		case T_IndexOnlyScan:
			{
				IndexOnlyScan *n = (IndexOnlyScan *) child;

				return n->indexorderby == NIL &&
					wf_index_fits(agg, &n->scan, n->indexid, n->indexorderdir, true, ts, tstype);
			}
		default:
			return false;
	}
}

static bool
wf_streams(FunctionCallInfo fcinfo, bool tz)
{
	AggState   *as;
	Aggref	   *aggref;
	SortGroupClause *first;
	TargetEntry *tle;
	int			transno;
	int			i;

	if (fcinfo->context == NULL || !IsA(fcinfo->context, AggState))
		return false;
	as = (AggState *) fcinfo->context;
	aggref = AggGetAggref(fcinfo);
	if (aggref == NULL || aggref->aggsplit != AGGSPLIT_SIMPLE ||
		aggref->aggdistinct != NIL || list_length(aggref->args) < 3)
		return false;
	if (aggref->aggorder != NIL)
	{
		first = linitial_node(SortGroupClause, aggref->aggorder);
		tle = get_sortgroupclause_tle(first, aggref->args);
		if (tle->resjunk || tle->resno != 2 ||
			exprType((Node *) tle->expr) != (tz ? TIMESTAMPTZOID : TIMESTAMPOID) ||
			first->sortop != lookup_type_cache(exprType((Node *) tle->expr),
											   TYPECACHE_LT_OPR)->lt_opr)
			return false;
	}
	else if (!wf_input_ordered(as, aggref, tz ? TIMESTAMPTZOID : TIMESTAMPOID))
		return false;
	if (as->curpertrans == NULL)
		return false;
	transno = (int) (as->curpertrans - as->pertrans);
	for (i = 0; i < as->numaggs; i++)
		if (as->peragg[i].transno == transno &&
			(!OidIsValid(as->peragg[i].finalfn_oid) ||
			 as->peragg[i].finalfn.fn_addr != salesplan_funnel_level))
			return false;
	return true;
}

/*
 * The time zone on whose calendar a timestamptz state's window days and
 * months are counted: its own (WF_ZONE), else the session's.
 */
pg_tz *
funnel_events_zone(const FunnelEvents *st)
{
	const char *why;
	char		canonical[TZ_STRLEN_MAX + 1];
	pg_tz	   *tz;

	if (!(st->flags & WF_ZONE))
		return session_timezone;
	tz = sp_zone_find(WF_ZONE_NAME(st), (int) strlen(WF_ZONE_NAME(st)), canonical, &why);
	if (tz == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("time zone \"%s\" of a funnel_events state not recognized",
						WF_ZONE_NAME(st)),
				 errhint("The state was built on a server whose time zone database knows this zone; install the same tz database here.")));
	return tz;
}

/*
 * Add an event to a streaming state: walk the waiting events first when
 * this one has a later timestamp, make room (its step's level and a tie
 * slot; levels go before the ties, so those move up), and keep it among
 * the ties.  Returns the state or a larger copy (see wf_alloc).
 */
static FunnelEvents *
wf_stream_add(FunnelEvents *st, int64 ts, int32 step)
{
	WfStreamHead *h = WF_STREAM_HEAD(st);
	int64		need;
	WfEvent    *ties;

	if (h->ntie > 0 && ts != h->tie_ts)
	{
		if (ts < h->tie_ts)
			ereport(ERROR,
					(errcode(ERRCODE_INTERNAL_ERROR),
					 errmsg("window_funnel received its rows out of timestamp order where the query guarantees that order"),
					 errhint("Please report this as a bug of salesplan.")));
		funnel_stream_flush(st);
	}
	need = WF_STREAM_SLOTS(Max(h->nsteps, step), h->ntie + 1);
	if (need > st->capacity)
	{
		st = wf_grow(st, need);
		h = WF_STREAM_HEAD(st);
	}
	if (step > h->nsteps)
	{
		WfEvent    *from = WF_STREAM_TIES(st);

		memmove(from + 2 * (step - h->nsteps), from, sizeof(WfEvent) * h->ntie);
		memset(from, 0, sizeof(WfEvent) * 2 * (step - h->nsteps));
		h->nsteps = step;
	}
	ties = WF_STREAM_TIES(st);
	ties[h->ntie].ts = ts;
	ties[h->ntie].step = step;
	ties[h->ntie].pad = 0;
	h->ntie++;
	h->tie_ts = ts;
	st->nevents = (int32) WF_STREAM_SLOTS(h->nsteps, h->ntie);
	return st;
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
	const WfArgCache *zone = NULL;
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
	if (PG_NARGS() > 5)
	{
		/*
		 * Validated either way; timestamp events need no zone (their days
		 * are 24 hours), so only timestamptz states record it.
		 */
		zone = wf_zone_arg(fcinfo, 5);
		if (tz)
			flags |= WF_ZONE;
		else
			zone = NULL;
	}

	if (PG_ARGISNULL(0))
	{
		WfArgCache *cache = wf_arg_cache(fcinfo);

		funnel_events_check_window(window);
		if (cache->stream == 0)
			cache->stream = wf_streams(fcinfo, tz) ? 1 : -1;
		if (cache->stream > 0)
		{
			/* head, levels 1..5 (a typical funnel), 2 ties: 256 bytes */
			st = wf_alloc((int32) WF_STREAM_SLOTS(5, 2), zone ? zone->zone_words : 0, true);
			st->mark |= WF_STREAM;
			WF_STREAM_HEAD(st)->nsteps = 5;
			st->nevents = (int32) WF_STREAM_SLOTS(5, 0);
		}
		else
			st = wf_alloc(wf_initial_capacity(fcinfo), zone ? zone->zone_words : 0, true);
		if (zone)
			wf_set_zone(st, zone->canonical);
		st->flags = flags;
		st->months = window->month;
		st->days = window->day;
		st->usecs = window->time;
	}
	else
	{
		st = (FunnelEvents *) sp_state_arg(fcinfo, 0, &wf_state);
		if (st->flags != flags || st->months != window->month ||
			st->days != window->day || st->usecs != window->time ||
			(zone && strcmp(WF_ZONE_NAME(st), zone->canonical) != 0))
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

	if (st->mark & WF_STREAM)
		PG_RETURN_POINTER(wf_stream_add(st, PG_GETARG_INT64(2), step));

	if (st->nevents >= st->capacity)
		st = wf_grow(st, (int64) st->nevents + 1);
	st->events[st->nevents].ts = PG_GETARG_INT64(2);
	st->events[st->nevents].step = step;
	st->events[st->nevents].pad = 0;
	st->nevents++;

	PG_RETURN_POINTER(st);
}

/* salesplan.window_funnel_trans(salesplan.funnel_events, interval, timestamp, int [, text [, text]]) -> salesplan.funnel_events */
PG_FUNCTION_INFO_V1(salesplan_window_funnel_trans);
Datum
salesplan_window_funnel_trans(PG_FUNCTION_ARGS)
{
	return wf_trans(fcinfo, false);
}

/* salesplan.window_funnel_trans(salesplan.funnel_events, interval, timestamptz, int [, text [, text]]) -> salesplan.funnel_events */
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
	b = funnel_events_read(PG_GETARG_DATUM(1));
	if (PG_ARGISNULL(0))
	{
		/* Our own copy (never the other state's pointer); see wf_alloc. */
		PG_RETURN_POINTER(wf_copy(b, b->nevents, true));
	}
	a = (FunnelEvents *) sp_state_arg(fcinfo, 0, &wf_state);
	if (a->mark & WF_STREAM)
		elog(ERROR, "streaming funnel_events state passed to window_funnel_combine");
	if (a->flags != b->flags || a->months != b->months ||
		a->days != b->days || a->usecs != b->usecs || !wf_same_zone(a, b))
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

#define ST_SORT wf_sort_events_plain
#define ST_ELEMENT_TYPE WfEvent
#define ST_COMPARE(a, b) wf_event_cmp(a, b)
#define ST_SCOPE static
#define ST_DEFINE
#include "lib/sort_template.h"

/*
 * The same sort checking for interrupts at every partitioning step
 * (sort_template's ST_CHECK_FOR_INTERRUPTS, as qsort_interruptible), for
 * the events of one entity in the final functions, the output functions
 * and compact: a cancel or statement_timeout is seen within one
 * partitioning pass, about 40 ms per million events.
 */
#define ST_SORT wf_sort_events_interruptible
#define ST_ELEMENT_TYPE WfEvent
#define ST_COMPARE(a, b) wf_event_cmp(a, b)
#define ST_CHECK_FOR_INTERRUPTS
#define ST_SCOPE static
#define ST_DEFINE
#include "lib/sort_template.h"

/* salesplan.debug_cancel_in_sort (window_funnel_scan.c defines the setting) */
bool		sp_debug_cancel_in_sort = false;

/* CONTEXT of an error (a cancel) raised while sorting one entity's events */
static void
wf_sort_context(void *arg)
{
	errcontext("window_funnel sorting the %zu events of one entity",
			   *(size_t *) arg);
}

/*
 * Sort events by (ts, step).  From WF_SORT_CFI_MIN events on (under that,
 * less than half a millisecond of work) the sort is interruptible, and a
 * cancel that lands in it says so in its CONTEXT line.
 */
void
wf_sort_events(WfEvent *begin, size_t n)
{
	ErrorContextCallback cb;

	if (n < WF_SORT_CFI_MIN)
	{
		wf_sort_events_plain(begin, n);
		return;
	}
	cb.callback = wf_sort_context;
	cb.arg = &n;
	cb.previous = error_context_stack;
	error_context_stack = &cb;
	if (sp_debug_cancel_in_sort)
	{
		/* a cancel arriving while the sort runs (test only) */
		QueryCancelPending = true;
		InterruptPending = true;
	}
	wf_sort_events_interruptible(begin, n);
	error_context_stack = cb.previous;
}

/*
 * Events arrive in any order (and a distributed combine concatenates the
 * workers' lists in whatever order they finish), but equal states must
 * print equal text: the output, send and compact functions use the events
 * sorted by (ts, step).
 */
const FunnelEvents *
funnel_events_sorted(const FunnelEvents *st)
{
	FunnelEvents *copy;
	int32		i;

	for (i = 1; i < st->nevents; i++)
	{
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		if (wf_event_cmp(&st->events[i - 1], &st->events[i]) > 0)
			break;
	}
	if (i >= st->nevents)
		return st;
	copy = wf_copy(st, st->nevents, false);
	wf_sort_events(copy->events, copy->nevents);
	return copy;
}

/* salesplan.funnel_events_compact(salesplan.funnel_events) -> salesplan.funnel_events */
PG_FUNCTION_INFO_V1(salesplan_funnel_events_compact);
Datum
salesplan_funnel_events_compact(PG_FUNCTION_ARGS)
{
	const FunnelEvents *st = funnel_events_sorted(funnel_events_read(PG_GETARG_DATUM(0)));

	PG_RETURN_POINTER(wf_copy(st, st->nevents, false));
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
	if ((flags & WF_ZONE) && !(flags & WF_TZ))
		wf_bad(errcode_, input, "Only timestamptz events have a time zone.");
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

/*
 * The time zone of a state read from text or binary (len bytes at name):
 * it must be a zone this server knows.  Its canonical name is copied to
 * canonical.
 */
static void
wf_check_zone(const char *name, int len, char *canonical, int errcode_, const char *input)
{
	const char *why;

	if (sp_zone_find(name, len, canonical, &why) == NULL)
		wf_bad(errcode_, input, why ? why : "The time zone is not recognized.");
}

/* sp_state_adopt's check of a value from outside, as the input functions do */
static void
wf_validate_state(void *state)
{
	const FunnelEvents *st = (const FunnelEvents *) state;
	int			i;

	wf_check_header(st->version, st->flags, st->months, st->days, st->usecs,
					st->nevents, ERRCODE_DATA_CORRUPTED, NULL);
	if (((st->flags & WF_ZONE) != 0) != (st->zone_words > 0))
		wf_bad(ERRCODE_DATA_CORRUPTED, NULL, "The time zone does not match the flags.");
	if (st->zone_words > 0)
	{
		const char *zone = WF_ZONE_NAME(st);
		int			len = (int) strnlen(zone, (Size) st->zone_words * 8);
		char		canonical[TZ_STRLEN_MAX + 1];
		int			pad;

		if (len == (int) st->zone_words * 8 || wf_zone_words(zone) != st->zone_words)
			wf_bad(ERRCODE_DATA_CORRUPTED, NULL, "The time zone name is not terminated where its size says.");
		for (pad = len; pad < st->zone_words * 8; pad++)
			if (zone[pad] != '\0')
				wf_bad(ERRCODE_DATA_CORRUPTED, NULL, "The time zone name is not zero-padded.");
		wf_check_zone(zone, len, canonical, ERRCODE_DATA_CORRUPTED, NULL);
		if (strcmp(zone, canonical) != 0)
			wf_bad(ERRCODE_DATA_CORRUPTED, NULL, "The time zone name is not in its canonical form.");
	}
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
 * timestamps as microseconds since 2000-01-01 (or -infinity/infinity);
 * a state with a time zone (flag 16) has "<zone>;" before <n>.
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
	char		zone[TZ_STRLEN_MAX + 1];

	zone[0] = '\0';
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
	if (flags & WF_ZONE)
	{
		const char *end = strchr(p, ';');

		if (end == NULL)
			wf_bad(ERRCODE_INVALID_TEXT_REPRESENTATION, input, "The time zone is not followed by \";\".");
		wf_check_zone(p, (int) (end - p), zone, ERRCODE_INVALID_TEXT_REPRESENTATION, input);
		p = end + 1;
	}
	n = sp_text_int64(&p, WF_TYPE_NAME, input);
	sp_text_expect(&p, ';', WF_TYPE_NAME, input);
	wf_check_header((int) version, flags, months, days, usecs, n,
					ERRCODE_INVALID_TEXT_REPRESENTATION, input);

	/* Each event takes at least 4 characters: don't trust n before that. */
	if ((int64) strlen(p) < n * 4 - 1)
		wf_bad(ERRCODE_INVALID_TEXT_REPRESENTATION, input,
			   "The event count does not match the events.");

	st = wf_alloc((int32) n, zone[0] ? wf_zone_words(zone) : 0, false);
	if (zone[0])
		wf_set_zone(st, zone);
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
	const FunnelEvents *st = funnel_events_sorted(funnel_events_read(PG_GETARG_DATUM(0)));
	StringInfoData buf;
	int32		i;

	initStringInfo(&buf);
	appendStringInfo(&buf, "%d;%d;%d,%d," INT64_FORMAT ";",
					 st->version, st->flags, st->months, st->days, st->usecs);
	if (st->flags & WF_ZONE)
		appendStringInfo(&buf, "%s;", WF_ZONE_NAME(st));
	appendStringInfo(&buf, "%d;", st->nevents);
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
	const FunnelEvents *st = funnel_events_sorted(funnel_events_read(PG_GETARG_DATUM(0)));
	StringInfoData buf;
	int32		i;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, st->version);
	pq_sendbyte(&buf, st->flags);
	pq_sendint32(&buf, st->months);
	pq_sendint32(&buf, st->days);
	pq_sendint64(&buf, st->usecs);
	if (st->flags & WF_ZONE)
	{
		int			len = (int) strlen(WF_ZONE_NAME(st));

		pq_sendbyte(&buf, len);
		pq_sendbytes(&buf, WF_ZONE_NAME(st), len);
	}
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
	char		zone[TZ_STRLEN_MAX + 1];

	zone[0] = '\0';
	if (msg->len - msg->cursor < WF_BIN_HEADER)
		wf_bad(ERRCODE_DATA_CORRUPTED, NULL, "The value is truncated.");
	version = pq_getmsgbyte(msg);
	flags = pq_getmsgbyte(msg);
	months = pq_getmsgint(msg, 4);
	days = pq_getmsgint(msg, 4);
	usecs = pq_getmsgint64(msg);
	if (flags & WF_ZONE)
	{
		int			len = pq_getmsgbyte(msg);

		/* the name, then n (4 bytes) must still be there */
		if (msg->len - msg->cursor < len + 4)
			wf_bad(ERRCODE_DATA_CORRUPTED, NULL, "The value is truncated.");
		wf_check_zone(msg->data + msg->cursor, len, zone, ERRCODE_DATA_CORRUPTED, NULL);
		msg->cursor += len;
	}
	n = pq_getmsgint(msg, 4);
	wf_check_header(version, flags, months, days, usecs, n,
					ERRCODE_DATA_CORRUPTED, NULL);
	if ((int64) (msg->len - msg->cursor) != (int64) n * WF_BIN_EVENT)
		wf_bad(ERRCODE_DATA_CORRUPTED, NULL,
			   "The event count does not match the value's length.");

	st = wf_alloc(n, zone[0] ? wf_zone_words(zone) : 0, false);
	if (zone[0])
		wf_set_zone(st, zone);
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
