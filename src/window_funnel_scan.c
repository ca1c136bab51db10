/*-------------------------------------------------------------------------
 *
 * window_funnel_scan.c
 *	  The table-level path of the ordered funnel: salesplan.window_funnel_scan
 *	  (entity, level per entity) and salesplan.window_funnel_levels (the
 *	  histogram of levels), which read a table themselves instead of going
 *	  through the executor's grouping.
 *
 * One pass over the heap (every leaf of a partitioned or inherited table)
 * with the query's snapshot deforms the entity, ts, step and optional
 * filter columns.  An open-addressing hash (simplehash) maps each entity to
 * a dense number, and its key is copied once; the events go to one array of
 * 16-byte WfEvent, the entity number riding in the event's pad.  After the
 * scan an in-place counting sort (American flag sort) puts each entity's
 * events together, each slice is sorted by (ts, step) unless it already is,
 * and the walk of the aggregate (funnel_events_walk, window_funnel.c) gives
 * its level: the same code, so the same answers.
 *
 * Memory (doc/window_funnel.md): 16 bytes per event that passes the filter
 * (the array grows by doubling, so up to 2x while the scan runs), plus
 * about 48 bytes and a copy of the key per entity; the events are bounded
 * by WFS_MAX_EVENTS (54000 past it).  Integer keys on large tables are
 * first partitioned by hash, 24 bytes per row (wfs_run_parts).
 *
 * With workers allowed and a table large enough, the scan and the rest run
 * in parallel (see "The parallel path" below); the answers are the same.
 *
 * Security: SELECT on the table or on every column read (42501), no
 * row-level security active for the caller (0A000: the executor path, the
 * aggregate, applies the policies), the relation locked AccessShare and
 * read with the active snapshot, as the executor would.
 *
 *-------------------------------------------------------------------------
 */
#include "salesplan.h"

#include "access/parallel.h"
#include "access/relation.h"
#include "access/table.h"
#include "access/tableam.h"
#include "access/xact.h"
#include "catalog/pg_class.h"
#include "catalog/pg_inherits.h"
#include "catalog/pg_proc.h"
#include "catalog/pg_statistic.h"
#include "catalog/pg_type.h"
#include "common/hashfn.h"
#include "executor/tuptable.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "optimizer/cost.h"
#include "optimizer/optimizer.h"
#include "optimizer/paths.h"
#include "optimizer/plancat.h"
#include "pgstat.h"
#include "port/atomics.h"
#include "storage/barrier.h"
#include "storage/bufmgr.h"
#include "storage/dsm_impl.h"
#include "storage/lwlock.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/dsa.h"
#include "utils/guc.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/resowner.h"
#include "utils/rls.h"
#include "utils/snapmgr.h"
#include "utils/syscache.h"
#include "utils/tuplestore.h"

#include "funnel_events.h"

#ifdef __linux__
#include <sys/statvfs.h>
#endif

/* Events held at once (16 bytes each: 4 GB). */
#define WFS_MAX_EVENTS		((int64) 1 << 28)

/* Initial size of the event array when the table has no statistics. */
#define WFS_MIN_EVENTS		1024

/* How the entity key is hashed and compared. */
typedef enum WfsKeyKind
{
	WFS_KEY_INT,				/* int2, int4, int8: the value as int64 */
	WFS_KEY_VARLENA,			/* text, varchar, bytea: the bytes */
	WFS_KEY_FIXED				/* uuid: typlen bytes */
} WfsKeyKind;

/* Integer keys: 16-byte entries, so that 100,000 entities fit in cache. */
typedef struct WfsIntEntry
{
	int64		key;
	int32		idx;			/* dense entity number */
	char		status;
} WfsIntEntry;

static inline uint64
wfs_hash_int64(int64 k)
{
	uint64		h = (uint64) k;

	/* the 64-bit finaliser of MurmurHash3 */
	h ^= h >> 33;
	h *= UINT64CONST(0xff51afd7ed558ccd);
	h ^= h >> 33;
	h *= UINT64CONST(0xc4ceb9fe1a85ec53);
	h ^= h >> 33;
	return h;
}

/* The hash tables' hash: the low 32 bits. */
static inline uint32
wfs_hash_int(int64 k)
{
	return (uint32) wfs_hash_int64(k);
}

#define SH_PREFIX wfs_ihash
#define SH_ELEMENT_TYPE WfsIntEntry
#define SH_KEY_TYPE int64
#define SH_KEY key
#define SH_HASH_KEY(tb, k) wfs_hash_int(k)
#define SH_EQUAL(tb, a, b) ((a) == (b))
#define SH_SCOPE static inline
#define SH_DECLARE
#define SH_DEFINE
#include "lib/simplehash.h"

/* Other keys: their bytes (pointing into the tuple until copied). */
typedef struct WfsBytes
{
	const char *p;
	int32		len;
} WfsBytes;

typedef struct WfsBytesEntry
{
	WfsBytes	key;
	uint32		hash;
	int32		idx;
	char		status;
} WfsBytesEntry;

#define SH_PREFIX wfs_bhash
#define SH_ELEMENT_TYPE WfsBytesEntry
#define SH_KEY_TYPE WfsBytes
#define SH_KEY key
#define SH_HASH_KEY(tb, k) hash_bytes((const unsigned char *) (k).p, (k).len)
#define SH_EQUAL(tb, a, b) ((a).len == (b).len && memcmp((a).p, (b).p, (a).len) == 0)
#define SH_STORE_HASH
#define SH_GET_HASH(tb, a) ((a)->hash)
#define SH_SCOPE static inline
#define SH_DECLARE
#define SH_DEFINE
#include "lib/simplehash.h"

/* The columns read, by name, and their numbers in one leaf. */
typedef struct WfsColumns
{
	AttrNumber	entity;
	AttrNumber	ts;
	AttrNumber	step;
	AttrNumber	filter;			/* InvalidAttrNumber without a filter */
} WfsColumns;

typedef struct WfsScan
{
	MemoryContext cxt;			/* everything below */
	FunnelEvents *hdr;			/* window and flags (no events) */
	pg_tz	   *zone;			/* timestamptz: the zone of the call */
	pg_tz	   *calendar;		/* of the walk (funnel_events_calendar) */
	Oid			entity_type;
	Oid			ts_type;
	Oid			step_type;
	WfsKeyKind	kind;
	int16		typlen;
	const char *entity_name;
	const char *ts_name;
	const char *step_name;
	const char *filter_name;

	wfs_ihash_hash *ihash;		/* WFS_KEY_INT */
	wfs_bhash_hash *bhash;		/* otherwise */
	Datum	   *keys;			/* per entity: the key as a Datum */
	int32	   *counts;			/* per entity: its events */
	int32		nentities;
	int32		maxentities;
	int32		null_idx;		/* the NULL entity, or -1 */

	WfEvent    *events;			/* pad = entity number until sorted */
	int64		nevents;
	int64		maxevents;
} WfsScan;

/* A new entity number (its key is filled in by the caller). */
static int32
wfs_new_entity(WfsScan *s)
{
	int32		idx;

	if (s->nentities >= s->maxentities)
	{
		int32		newmax;

		if (s->maxentities >= MaxAllocSize / sizeof(Datum) / 2)
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("window_funnel_scan cannot hold more than %d entities",
							s->maxentities),
					 errhint("Filter the rows, or use the aggregate salesplan.window_funnel.")));
		newmax = s->maxentities * 2;
		s->keys = repalloc(s->keys, sizeof(Datum) * newmax);
		s->counts = repalloc(s->counts, sizeof(int32) * newmax);
		s->maxentities = newmax;
	}
	idx = s->nentities++;
	s->counts[idx] = 0;
	s->keys[idx] = (Datum) 0;
	return idx;
}

/* The entity's dense number, adding it when new. */
static inline int32
wfs_entity(WfsScan *s, Datum value, bool isnull, MemoryContext rowcxt,
		   bool *used_rowcxt)
{
	bool		found;
	int32		idx;

	if (isnull)
	{
		if (s->null_idx < 0)
			s->null_idx = wfs_new_entity(s);
		return s->null_idx;
	}

	if (s->kind == WFS_KEY_INT)
	{
		int64		k;
		WfsIntEntry *e;

		if (s->entity_type == INT2OID)
			k = DatumGetInt16(value);
		else if (s->entity_type == INT4OID)
			k = DatumGetInt32(value);
		else
			k = DatumGetInt64(value);
		e = wfs_ihash_insert(s->ihash, k, &found);
		if (found)
			return e->idx;
		idx = e->idx = wfs_new_entity(s);
		if (s->entity_type == INT2OID)
			s->keys[idx] = Int16GetDatum((int16) k);
		else if (s->entity_type == INT4OID)
			s->keys[idx] = Int32GetDatum((int32) k);
		else
			s->keys[idx] = Int64GetDatum(k);	/* allocates where int8 is by reference */
		return idx;
	}
	else
	{
		WfsBytes	k;
		WfsBytesEntry *e;

		if (s->kind == WFS_KEY_VARLENA)
		{
			struct varlena *v = (struct varlena *) DatumGetPointer(value);

			/* out of line or compressed: its value, not its TOAST form */
			if (VARATT_IS_EXTERNAL(v) || VARATT_IS_COMPRESSED(v))
			{
				MemoryContext old = MemoryContextSwitchTo(rowcxt);

				v = pg_detoast_datum_packed(v);
				MemoryContextSwitchTo(old);
				*used_rowcxt = true;
			}
			k.p = VARDATA_ANY(v);
			k.len = VARSIZE_ANY_EXHDR(v);
		}
		else
		{
			k.p = DatumGetPointer(value);
			k.len = s->typlen;
		}
		e = wfs_bhash_insert(s->bhash, k, &found);
		if (found)
			return e->idx;
		idx = e->idx = wfs_new_entity(s);
		if (s->kind == WFS_KEY_VARLENA)
		{
			/* one copy per entity, with a 4-byte header */
			struct varlena *copy = MemoryContextAlloc(s->cxt, VARHDRSZ + k.len);

			SET_VARSIZE(copy, VARHDRSZ + k.len);
			memcpy(VARDATA(copy), k.p, k.len);
			s->keys[idx] = PointerGetDatum(copy);
			e->key.p = VARDATA(copy);
		}
		else
		{
			char	   *copy = MemoryContextAlloc(s->cxt, k.len);

			memcpy(copy, k.p, k.len);
			s->keys[idx] = PointerGetDatum(copy);
			e->key.p = copy;
		}
		return idx;
	}
}

static void
wfs_add_event(WfsScan *s, int32 idx, int64 ts, int32 step)
{
	WfEvent    *ev;

	if (s->nevents >= s->maxevents)
	{
		int64		newmax;

		if (s->maxevents >= WFS_MAX_EVENTS)
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("window_funnel_scan cannot hold more than " INT64_FORMAT " events",
							WFS_MAX_EVENTS),
					 errhint("Filter the rows (filter_column), scan one partition at a time, or use the aggregate salesplan.window_funnel.")));
		newmax = Min(s->maxevents * 2, WFS_MAX_EVENTS);
		s->events = repalloc_huge(s->events, sizeof(WfEvent) * newmax);
		s->maxevents = newmax;
	}
	ev = &s->events[s->nevents++];
	ev->ts = ts;
	ev->step = step;
	ev->pad = idx;
	s->counts[idx]++;
}

static void
wfs_no_column(const char *name, Oid relid)
{
	ereport(ERROR,
			(errcode(ERRCODE_UNDEFINED_COLUMN),
			 errmsg("column \"%s\" of relation \"%s\" does not exist",
					name, get_rel_name(relid))));
}

/* The number of a user column of relid, by name. */
static AttrNumber
wfs_attnum(Oid relid, const char *name)
{
	AttrNumber	att = get_attnum(relid, name);

	if (att == InvalidAttrNumber || att < 0)
		wfs_no_column(name, relid);
	return att;
}

/* SELECT on the table, or else on each column read: 42501. */
static void
wfs_check_select(Oid relid, const AttrNumber *atts, const char *const *names, int n)
{
	Oid			user = GetUserId();
	int			i;

	if (pg_class_aclcheck(relid, user, ACL_SELECT) == ACLCHECK_OK)
		return;
	for (i = 0; i < n; i++)
	{
		if (atts[i] == InvalidAttrNumber)
			continue;
		if (pg_attribute_aclcheck(relid, atts[i], user, ACL_SELECT) != ACLCHECK_OK)
			ereport(ERROR,
					(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
					 errmsg("permission denied for column \"%s\" of relation \"%s\"",
							names[i], get_rel_name(relid)),
					 errdetail("window_funnel_scan reads the columns entity, ts, step and filter; the current user needs SELECT on each of them or on the table.")));
	}
}

/*
 * The columns of one leaf, checked against the parent's types; false when
 * the leaf has no storage (a partitioned table).
 */
static bool
wfs_leaf_columns(WfsScan *s, Relation rel, WfsColumns *c)
{
	Oid			relid = RelationGetRelid(rel);

	if (rel->rd_rel->relkind == RELKIND_FOREIGN_TABLE)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("window_funnel_scan cannot read foreign table \"%s\"",
						RelationGetRelationName(rel)),
				 errhint("Use the aggregate salesplan.window_funnel, which reads foreign tables through the executor.")));
	if (rel->rd_rel->relkind != RELKIND_RELATION &&
		rel->rd_rel->relkind != RELKIND_MATVIEW)
		return false;			/* no storage (a partitioned table) */
	if (!RelationIsPopulated(rel))
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("materialized view \"%s\" has not been populated",
						RelationGetRelationName(rel)),
				 errhint("Use the REFRESH MATERIALIZED VIEW command.")));

	/* Column numbers differ between leaves (dropped or reordered columns). */
	c->entity = wfs_attnum(relid, s->entity_name);
	c->ts = wfs_attnum(relid, s->ts_name);
	c->step = wfs_attnum(relid, s->step_name);
	c->filter = s->filter_name ? wfs_attnum(relid, s->filter_name) : InvalidAttrNumber;
	if (get_atttype(relid, c->entity) != s->entity_type ||
		get_atttype(relid, c->ts) != s->ts_type ||
		get_atttype(relid, c->step) != s->step_type ||
		(c->filter != InvalidAttrNumber && get_atttype(relid, c->filter) != BOOLOID))
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("window_funnel_scan: the columns of \"%s\" do not have the types of its parent's",
						RelationGetRelationName(rel))));
	return true;
}

/*
 * The event of a row that passed the filter: false when it is none (NULL
 * ts or step, or a step <= 0 outside strict_order), which still makes its
 * entity's group.
 */
static inline bool
wfs_row_event(Oid step_type, bool order, const Datum *values, const bool *isnull,
			  const WfsColumns *c, int64 *ts, int32 *stepp)
{
	int64		step;

	if (isnull[c->ts - 1] || isnull[c->step - 1])
		return false;
	if (step_type == INT2OID)
		step = DatumGetInt16(values[c->step - 1]);
	else if (step_type == INT4OID)
		step = DatumGetInt32(values[c->step - 1]);
	else
		step = DatumGetInt64(values[c->step - 1]);
	if (step > WF_MAX_STEP)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("window_funnel step " INT64_FORMAT " is out of range; the largest step is %d",
						step, WF_MAX_STEP),
				 errhint("Number the funnel's steps 1, 2, 3, ... (a step of 0 or less is an event that matches no step).")));
	if (step <= 0)
	{
		/* matters only to strict_order, as in the aggregate */
		if (!order)
			return false;
		step = 0;
	}
	*ts = DatumGetInt64(values[c->ts - 1]);
	*stepp = (int32) step;
	return true;
}

/* Scan one leaf into s. */
static void
wfs_scan_leaf(WfsScan *s, Relation rel)
{
	WfsColumns	c;
	TupleTableSlot *slot;
	TableScanDesc scan;
	AttrNumber	maxatt;
	MemoryContext rowcxt;
	bool		used_rowcxt = false;
	bool		order = (s->hdr->flags & WF_ORDER) != 0;

	if (!wfs_leaf_columns(s, rel, &c))
		return;
	maxatt = Max(Max(c.entity, c.ts), Max(c.step, c.filter));

	rowcxt = AllocSetContextCreate(CurrentMemoryContext, "window_funnel_scan row",
								   ALLOCSET_SMALL_SIZES);
	slot = table_slot_create(rel, NULL);
	scan = table_beginscan(rel, GetActiveSnapshot(), 0, NULL);
	while (table_scan_getnextslot(scan, ForwardScanDirection, slot))
	{
		Datum	   *values;
		bool	   *isnull;
		int32		idx;
		int64		ts;
		int32		step;

		CHECK_FOR_INTERRUPTS();
		slot_getsomeattrs(slot, maxatt);
		values = slot->tts_values;
		isnull = slot->tts_isnull;

		if (c.filter != InvalidAttrNumber &&
			(isnull[c.filter - 1] || !DatumGetBool(values[c.filter - 1])))
			continue;

		/* A row that passes the filter makes its entity's group. */
		idx = wfs_entity(s, values[c.entity - 1], isnull[c.entity - 1],
						 rowcxt, &used_rowcxt);
		if (used_rowcxt)
		{
			MemoryContextReset(rowcxt);
			used_rowcxt = false;
		}
		if (wfs_row_event(s->step_type, order, values, isnull, &c, &ts, &step))
			wfs_add_event(s, idx, ts, step);
	}
	table_endscan(scan);
	ExecDropSingleTupleTableSlot(slot);
	MemoryContextDelete(rowcxt);
}

/*
 * One in-place counting-sort pass (an American flag sort): the events of
 * ev[start[0] .. start[nb]) go to nb buckets, event x to bucket
 * (x.pad - base) >> shift, bucket i being ev[start[i] .. start[i + 1]).
 * next is scratch space for nb offsets.
 */
static void
wfs_flag_pass(WfEvent *ev, const int64 *start, int32 nb, int32 base, int shift,
			  int64 *next)
{
	int32		i;

	uint32		moved = 0;

	memcpy(next, start, sizeof(int64) * nb);
	for (i = 0; i < nb; i++)
	{
		int64		end = start[i + 1];

		while (next[i] < end)
		{
			WfEvent		x = ev[next[i]];
			int32		b = (x.pad - base) >> shift;

			if ((++moved & 0xFFFF) == 0)
				CHECK_FOR_INTERRUPTS();

			/* follow the cycle until an event of bucket i turns up */
			while (b != i)
			{
				WfEvent		y = ev[next[b]];

				ev[next[b]++] = x;
				x = y;
				b = (y.pad - base) >> shift;
			}
			ev[next[i]++] = x;
		}
	}
}

/*
 * Put each entity's events together, in place, the entity number being in
 * the events' pad.  Two passes keep the memory traffic in cache: first
 * into at most WFS_RADIX buckets of consecutive entity numbers, then each
 * bucket (a few thousand events) by entity.  Returns the start of each
 * entity's slice (nentities + 1 offsets).
 */
#define WFS_RADIX_BITS		10

static int64 *
wfs_bucket(WfsScan *s)
{
	int32		n = s->nentities;
	int64	   *start = MemoryContextAllocHuge(s->cxt, sizeof(int64) * ((Size) n + 1));
	int64	   *top;
	int64	   *next;
	int			shift = 0;
	int32		nb;
	int32		b;
	int32		e;

	start[0] = 0;
	for (e = 0; e < n; e++)
		start[e + 1] = start[e] + s->counts[e];
	if (n <= 1)
		return start;

	while (((int64) (n - 1) >> shift) >= (1 << WFS_RADIX_BITS))
		shift++;
	nb = ((n - 1) >> shift) + 1;
	top = MemoryContextAlloc(s->cxt, sizeof(int64) * (nb + 1));
	next = MemoryContextAlloc(s->cxt, sizeof(int64) * Max(nb, 1 << shift));
	for (b = 0; b <= nb; b++)
		top[b] = start[Min((int64) b << shift, n)];

	wfs_flag_pass(s->events, top, nb, 0, shift, next);
	if (shift > 0)
	{
		for (b = 0; b < nb; b++)
		{
			int32		first = b << shift;
			int32		count = Min(1 << shift, n - first);

			CHECK_FOR_INTERRUPTS();
			wfs_flag_pass(s->events, start + first, count, first, 0, next);
		}
	}
	pfree(top);
	pfree(next);
	return start;
}

/*
 * The sort of a large slice checks for interrupts at every partitioning
 * step (sort_template's ST_CHECK_FOR_INTERRUPTS, as qsort_interruptible),
 * so a cancel or statement_timeout is seen within one partitioning pass,
 * about 40 ms per million events.  Smaller slices (under 0.5 ms of work)
 * take the aggregate's sort, as before.
 */
#define ST_SORT wfs_sort_interruptible
#define ST_ELEMENT_TYPE WfEvent
#define ST_COMPARE(a, b) wf_event_cmp(a, b)
#define ST_CHECK_FOR_INTERRUPTS
#define ST_SCOPE static
#define ST_DEFINE
#include "lib/sort_template.h"

#define WFS_SORT_CFI_MIN	WF_SORT_CFI_MIN

/* CONTEXT of an error (a cancel) raised while sorting one entity's events */
static void
wfs_sort_context(void *arg)
{
	errcontext("window_funnel_scan sorting the %d events of one entity",
			   *(int *) arg);
}

/* One entity's level: its slice sorted by (ts, step), then the walk. */
static int
wfs_level(WfsScan *s, int64 *start, int32 e)
{
	WfEvent    *ev = s->events + start[e];
	int			n = (int) (start[e + 1] - start[e]);
	int			i;

	for (i = 1; i < n; i++)
		if (wf_event_cmp(&ev[i - 1], &ev[i]) > 0)
			break;
	if (i < n && n < WFS_SORT_CFI_MIN)
		wf_sort_events(ev, n);
	else if (i < n)
	{
		ErrorContextCallback cb;

		cb.callback = wfs_sort_context;
		cb.arg = &n;
		cb.previous = error_context_stack;
		error_context_stack = &cb;
		if (sp_debug_cancel_in_sort)
		{
			/* a cancel arriving while the sort runs (test only) */
			QueryCancelPending = true;
			InterruptPending = true;
		}
		wfs_sort_interruptible(ev, n);
		error_context_stack = cb.previous;
	}
	return funnel_events_walk_in(s->hdr, s->calendar, ev, n, NULL);
}

/*
 * The state's context, window and calendar (zone: the time zone of
 * timestamptz events, else NULL); the events come with wfs_state_alloc.
 */
static void
wfs_state_init(WfsScan *s, uint8 flags, int32 months, int32 days, int64 usecs,
			   pg_tz *zone)
{
	s->cxt = AllocSetContextCreate(CurrentMemoryContext, "window_funnel_scan",
								   ALLOCSET_DEFAULT_SIZES);
	s->hdr = MemoryContextAllocZero(s->cxt, WF_SIZE(0));
	s->hdr->flags = flags;
	s->hdr->months = months;
	s->hdr->days = days;
	s->hdr->usecs = usecs;
	s->null_idx = -1;
	s->calendar = zone ? funnel_events_calendar(s->hdr, zone) : NULL;
}

/* The event array (room for "events" to start with), the entities, the hash. */
static void
wfs_state_alloc(WfsScan *s, int64 events)
{
	MemoryContext old = MemoryContextSwitchTo(s->cxt);

	s->maxevents = Min(Max(events, WFS_MIN_EVENTS), WFS_MAX_EVENTS);
	s->events = MemoryContextAllocHuge(s->cxt, sizeof(WfEvent) * s->maxevents);
	s->nevents = 0;
	s->maxentities = 1024;
	s->nentities = 0;
	s->keys = palloc(sizeof(Datum) * s->maxentities);
	s->counts = palloc(sizeof(int32) * s->maxentities);
	if (s->kind == WFS_KEY_INT)
		s->ihash = wfs_ihash_create(s->cxt, 1024, NULL);
	else
		s->bhash = wfs_bhash_create(s->cxt, 1024, NULL);
	MemoryContextSwitchTo(old);
}

/* After the scan: the hash's memory back, then the events bucketed. */
static int64 *
wfs_finish(WfsScan *s)
{
	if (s->ihash)
		wfs_ihash_destroy(s->ihash);
	if (s->bhash)
		wfs_bhash_destroy(s->bhash);
	s->ihash = NULL;
	s->bhash = NULL;
	return wfs_bucket(s);
}

/* One row of the histogram. */
static void
wfs_put_level(ReturnSetInfo *rsinfo, int level, int64 entities)
{
	Datum		values[2];
	bool		nulls[2] = {false, false};

	values[0] = Int32GetDatum(level);
	values[1] = Int64GetDatum(entities);
	tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
}

/*
 * Each entity's level.  With "levels", counted in hist (when given; else
 * the histogram goes to the tuplestore of rsinfo); otherwise an (entity,
 * level) row in the tuplestore, or given to "put" (a parallel participant),
 * which returns false to stop.
 */
typedef bool (*WfsPut) (void *arg, WfsScan *s, int32 e, int level);

static void
wfs_emit(WfsScan *s, int64 *start, ReturnSetInfo *rsinfo, bool levels,
		 int64 *hist, WfsPut put, void *arg)
{
	bool		own_hist = (levels && hist == NULL);
	int32		e;
	int			level;

	if (own_hist)
		hist = MemoryContextAllocZero(s->cxt, sizeof(int64) * (WF_MAX_STEP + 1));
	for (e = 0; e < s->nentities; e++)
	{
		if ((e & 0x3FF) == 0)
			CHECK_FOR_INTERRUPTS();
		level = wfs_level(s, start, e);
		if (levels)
			hist[level]++;
		else if (put)
		{
			if (!put(arg, s, e, level))
				break;
		}
		else
		{
			Datum		values[2];
			bool		nulls[2] = {false, false};

			values[0] = s->keys[e];
			nulls[0] = (e == s->null_idx);
			values[1] = Int32GetDatum(level);
			tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
		}
	}
	if (own_hist)
	{
		for (level = 0; level <= WF_MAX_STEP; level++)
			if (hist[level] != 0)
				wfs_put_level(rsinfo, level, hist[level]);
	}
}

/*
 * The parallel path.
 *
 * The leader, after the checks, creates a parallel context whose dynamic
 * shared memory holds a WfsShared, one parallel heap scan descriptor per
 * leaf (table_parallelscan_initialize, with the query's snapshot) and a
 * DSA area.  Every participant (the workers, and the leader unless
 * parallel_leader_participation is off) takes the leaves in turn and reads
 * the blocks the parallel scans hand it; each row that passes the filter
 * becomes a record (its entity key, ts, step) appended to one of nparts
 * partitions chosen by the entity's hash, in chunks of the DSA area that
 * only that participant writes.  After a barrier the participants claim
 * whole partitions (an atomic counter) and run the serial machinery on
 * each: hash, counting sort, per-entity sort, walk.  Every entity lives
 * in exactly one partition, so the levels are the serial path's.  The
 * histogram is summed in shared atomics; (entity, level) rows go to a
 * list of DSA chunks per participant, which the leader copies into the
 * tuplestore after the workers have finished.
 *
 * Shared memory is bounded (doc/window_funnel.md, "Memory of the parallel
 * scan"): before launching, the leader estimates the records' size from
 * the leaves' sizes (the planner's row estimate, the key's width) and
 * stays serial when it exceeds the budget (wfs_shared_budget); the DSA
 * area is limited to that budget and allocated without erroring
 * (DSA_ALLOC_NO_OOM), so when the estimate was low a participant that
 * cannot get a chunk raises "overflow", every participant stops, and the
 * leader runs the serial path instead.  A partition's records are freed
 * once loaded, so the (entity, level) results reuse their room.  When
 * /dev/shm itself runs out (calls started together, each within its own
 * budget), creating or growing a segment raises an error, in the leader
 * or in a worker: wfs_parallel runs the attempt in an internal
 * subtransaction and turns that error into the serial path.
 */
/*
 * salesplan.debug_shm_full (superuser only, for tests): raises the error
 * PostgreSQL raises when /dev/shm is full, 53100, where the parallel
 * context's segment is created ('create', in the leader) or where a
 * worker's DSA area grows ('grow': at a worker's first new chunk, or at
 * the end of its part if it needed none, so that every launched worker
 * raises it).
 */
typedef enum WfsDebugShm
{
	WFS_DEBUG_SHM_OFF,
	WFS_DEBUG_SHM_CREATE,
	WFS_DEBUG_SHM_GROW
} WfsDebugShm;

static const struct config_enum_entry wfs_debug_shm_options[] = {
	{"off", WFS_DEBUG_SHM_OFF, false},
	{"create", WFS_DEBUG_SHM_CREATE, false},
	{"grow", WFS_DEBUG_SHM_GROW, false},
	{NULL, 0, false}
};

static int	sp_debug_shm_full = WFS_DEBUG_SHM_OFF;

static void
wfs_debug_shm_full(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_DISK_FULL),
			 errmsg("could not resize shared memory segment: No space left on device"),
			 errdetail("Raised by the test setting salesplan.debug_shm_full = '%s'.",
					   sp_debug_shm_full == WFS_DEBUG_SHM_CREATE ? "create" : "grow")));
}

#define WFS_PKEY_SHARED		UINT64CONST(0x5A1E5F4E00000001)
#define WFS_PKEY_DSA		UINT64CONST(0x5A1E5F4E00000002)

/* Partitions per participant (work is claimed a partition at a time). */
#define WFS_PARTS_PER_PARTICIPANT	4

/*
 * DSA chunk sizes for records: a writer's first chunk is small (there are
 * 4 x participants^2 writers, each with one chunk partly filled), the
 * next ones double up to the largest.
 */
#define WFS_CHUNK_MIN		((Size) 16 * 1024)
#define WFS_CHUNK_MAX		((Size) 64 * 1024)

/* No event: the row only makes its entity's group (step of the record). */
#define WFS_NO_EVENT		PG_INT32_MIN

typedef struct WfsLeaf
{
	Oid			relid;
	WfsColumns	c;
	Size		pscan_off;		/* from the start of WfsShared */
} WfsLeaf;

typedef struct WfsShared
{
	/* set by the leader before launching */
	uint8		flags;
	int32		months;
	int32		days;
	int64		usecs;
	char		zone[TZ_STRLEN_MAX + 1];	/* timestamptz: the leader's zone */
	Oid			entity_type;
	Oid			step_type;
	WfsKeyKind	kind;
	int16		typlen;
	bool		levels;
	int			nleaves;
	int			nparts;
	int			maxparticipants;
	Size		leaves_off;		/* WfsLeaf[nleaves] */
	Size		heads_off;		/* dsa_pointer[maxparticipants * nparts] */
	Size		results_off;	/* dsa_pointer[maxparticipants] */

	/* the work */
	Barrier		barrier;		/* phase 0: scan; 1: partitions */
	pg_atomic_uint32 nattached; /* participant numbers */
	pg_atomic_uint32 next_part; /* partitions claimed */
	pg_atomic_uint64 nevents;	/* events written, flushed per chunk */
	pg_atomic_uint32 overflow;	/* the DSA area is full: stop, go serial */
	pg_atomic_uint64 hist[WF_MAX_STEP + 1];
} WfsShared;

#define WFS_LEAVES(sh)	((WfsLeaf *) ((char *) (sh) + (sh)->leaves_off))
#define WFS_HEADS(sh)	((dsa_pointer *) ((char *) (sh) + (sh)->heads_off))
#define WFS_RESULTS(sh)	((dsa_pointer *) ((char *) (sh) + (sh)->results_off))

/* A chunk of records in the DSA area; chunks of a list are linked. */
typedef struct WfsChunk
{
	dsa_pointer next;
	Size		used;			/* bytes of data */
	int64		nrec;
	char		data[FLEXIBLE_ARRAY_MEMBER];
} WfsChunk;

/*
 * An event record, MAXALIGNed, followed by the key: the int64 for integer
 * keys, a varlena with a 4-byte header for text/varchar/bytea, the bytes
 * of a uuid; keylen -1 for the NULL entity (no key).  A result record is
 * the same with the level in "step" (and ts unused).
 */
typedef struct WfsRec
{
	int64		ts;
	int32		step;			/* WFS_NO_EVENT: no event */
	int32		keylen;
} WfsRec;

/* One participant's writer of one chunk list. */
typedef struct WfsWriter
{
	dsa_pointer head;
	WfsChunk   *chunk;
	Size		cap;
	Size		size;			/* of the last chunk (0: none yet) */
} WfsWriter;

/* The bound of the serial path (WFS_MAX_EVENTS), over all participants. */
static void
wfs_count_events(WfsShared *sh, int64 *pending)
{
	if (*pending > 0 &&
		pg_atomic_add_fetch_u64(&sh->nevents, (uint64) *pending) > (uint64) WFS_MAX_EVENTS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("window_funnel_scan cannot hold more than " INT64_FORMAT " events",
						WFS_MAX_EVENTS),
				 errhint("Filter the rows (filter_column), scan one partition at a time, or use the aggregate salesplan.window_funnel.")));
	*pending = 0;
}

/*
 * Room for len bytes in w's chunk, or in a new one; NULL when the DSA area
 * is at its size limit (wfs_parallel sets it) or cannot grow.
 */
static char *
wfs_write(dsa_area *area, WfsWriter *w, Size len)
{
	char	   *p;

	if (w->chunk == NULL || w->chunk->used + len > w->cap)
	{
		Size		size = w->size == 0 ? WFS_CHUNK_MIN : Min(w->size * 2, WFS_CHUNK_MAX);
		dsa_pointer dp;
		WfsChunk   *c;

		size = Max(size, offsetof(WfsChunk, data) + len);
		if (unlikely(sp_debug_shm_full == WFS_DEBUG_SHM_GROW) && IsParallelWorker())
			wfs_debug_shm_full();
		dp = dsa_allocate_extended(area, size, DSA_ALLOC_HUGE | DSA_ALLOC_NO_OOM);
		if (!DsaPointerIsValid(dp))
			return NULL;
		w->size = size;
		c = dsa_get_address(area, dp);

		c->next = w->head;
		c->used = 0;
		c->nrec = 0;
		w->head = dp;
		w->chunk = c;
		w->cap = size - offsetof(WfsChunk, data);
	}
	p = w->chunk->data + w->chunk->used;
	w->chunk->used += len;
	w->chunk->nrec++;
	return p;
}

/*
 * A record with the key of entity value (keylen -1 when NULL); false when
 * the DSA area is full.
 */
static bool
wfs_write_rec(dsa_area *area, WfsWriter *w, WfsKeyKind kind, Oid entity_type,
			  int16 typlen, Datum value, bool isnull, int64 ts, int32 step)
{
	int32		keylen;
	const void *key = NULL;
	int64		k = 0;
	WfsRec	   *r;

	if (isnull)
		keylen = -1;
	else if (kind == WFS_KEY_INT)
	{
		if (entity_type == INT2OID)
			k = DatumGetInt16(value);
		else if (entity_type == INT4OID)
			k = DatumGetInt32(value);
		else
			k = DatumGetInt64(value);
		key = &k;
		keylen = sizeof(int64);
	}
	else if (kind == WFS_KEY_VARLENA)
	{
		/* untoasted by the caller; written with a 4-byte header */
		struct varlena *v = (struct varlena *) DatumGetPointer(value);

		key = VARDATA_ANY(v);
		keylen = VARHDRSZ + VARSIZE_ANY_EXHDR(v);
	}
	else
	{
		key = DatumGetPointer(value);
		keylen = typlen;
	}
	r = (WfsRec *) wfs_write(area, w, MAXALIGN(sizeof(WfsRec) + Max(keylen, 0)));
	if (r == NULL)
		return false;
	r->ts = ts;
	r->step = step;
	r->keylen = keylen;
	if (kind == WFS_KEY_VARLENA && keylen >= 0)
	{
		SET_VARSIZE((char *) (r + 1), keylen);
		memcpy((char *) (r + 1) + VARHDRSZ, key, keylen - VARHDRSZ);
	}
	else if (keylen > 0)
		memcpy(r + 1, key, keylen);
	return true;
}

/* The key of a record as a Datum of the entity's type. */
static inline Datum
wfs_rec_key(const WfsShared *sh, WfsRec *r)
{
	if (sh->kind == WFS_KEY_INT)
	{
		int64		k;

		memcpy(&k, r + 1, sizeof(int64));
		if (sh->entity_type == INT2OID)
			return Int16GetDatum((int16) k);
		if (sh->entity_type == INT4OID)
			return Int32GetDatum((int32) k);
		return Int64GetDatum(k);
	}
	return PointerGetDatum(r + 1);
}

/* Phase 0: this participant's share of the blocks, into partitions. */
static void
wfs_parallel_scan(WfsShared *sh, dsa_area *area, int me)
{
	WfsLeaf    *leaves = WFS_LEAVES(sh);
	dsa_pointer *heads = WFS_HEADS(sh) + (Size) me * sh->nparts;
	WfsWriter  *w = palloc0(sizeof(WfsWriter) * sh->nparts);
	MemoryContext rowcxt;
	bool		order = (sh->flags & WF_ORDER) != 0;
	bool		full = false;
	int64		pending = 0;
	int			i;
	int			p;

	for (p = 0; p < sh->nparts; p++)
		w[p].head = InvalidDsaPointer;
	rowcxt = AllocSetContextCreate(CurrentMemoryContext, "window_funnel_scan row",
								   ALLOCSET_SMALL_SIZES);
	for (i = 0; i < sh->nleaves && !full; i++)
	{
		WfsColumns *c = &leaves[i].c;
		AttrNumber	maxatt = Max(Max(c->entity, c->ts), Max(c->step, c->filter));
		Relation	rel = table_open(leaves[i].relid, AccessShareLock);
		ParallelTableScanDesc pscan =
			(ParallelTableScanDesc) ((char *) sh + leaves[i].pscan_off);
		TableScanDesc scan = table_beginscan_parallel(rel, pscan);
		TupleTableSlot *slot = table_slot_create(rel, NULL);

		while (!full && table_scan_getnextslot(scan, ForwardScanDirection, slot))
		{
			Datum	   *values;
			bool	   *isnull;
			Datum		key;
			bool		keynull;
			uint32		h = 0;
			int64		ts = 0;
			int32		step;
			bool		used_rowcxt = false;

			CHECK_FOR_INTERRUPTS();
			/* another participant found the area full: nothing to gain */
			if (pg_atomic_read_u32(&sh->overflow) != 0)
			{
				full = true;
				break;
			}
			slot_getsomeattrs(slot, maxatt);
			values = slot->tts_values;
			isnull = slot->tts_isnull;
			if (c->filter != InvalidAttrNumber &&
				(isnull[c->filter - 1] || !DatumGetBool(values[c->filter - 1])))
				continue;
			if (!wfs_row_event(sh->step_type, order, values, isnull, c, &ts, &step))
			{
				ts = 0;
				step = WFS_NO_EVENT;
			}

			key = values[c->entity - 1];
			keynull = isnull[c->entity - 1];
			if (!keynull)
			{
				if (sh->kind == WFS_KEY_INT)
				{
					int64		k;

					if (sh->entity_type == INT2OID)
						k = DatumGetInt16(key);
					else if (sh->entity_type == INT4OID)
						k = DatumGetInt32(key);
					else
						k = DatumGetInt64(key);
					h = wfs_hash_int(k);
				}
				else if (sh->kind == WFS_KEY_VARLENA)
				{
					struct varlena *v = (struct varlena *) DatumGetPointer(key);

					if (VARATT_IS_EXTERNAL(v) || VARATT_IS_COMPRESSED(v))
					{
						MemoryContext old = MemoryContextSwitchTo(rowcxt);

						v = pg_detoast_datum_packed(v);
						MemoryContextSwitchTo(old);
						key = PointerGetDatum(v);
						used_rowcxt = true;
					}
					h = hash_bytes((const unsigned char *) VARDATA_ANY(v),
								   VARSIZE_ANY_EXHDR(v));
				}
				else
					h = hash_bytes((const unsigned char *) DatumGetPointer(key),
								   sh->typlen);
			}
			/* the high bits: the partitions' hashes use the low ones */
			p = (int) (((uint64) h * (uint64) sh->nparts) >> 32);
			if (step != WFS_NO_EVENT && ++pending >= 65536)
				wfs_count_events(sh, &pending);
			if (!wfs_write_rec(area, &w[p], sh->kind, sh->entity_type, sh->typlen,
							   key, keynull, ts, step))
			{
				pg_atomic_write_u32(&sh->overflow, 1);
				full = true;
			}
			if (used_rowcxt)
				MemoryContextReset(rowcxt);
		}
		table_endscan(scan);
		ExecDropSingleTupleTableSlot(slot);
		table_close(rel, NoLock);
	}
	MemoryContextDelete(rowcxt);
	wfs_count_events(sh, &pending);
	for (p = 0; p < sh->nparts; p++)
		heads[p] = w[p].head;
	pfree(w);
}

/* A (entity, level) result record of a participant; false when full. */
static bool
wfs_put_result(void *arg, WfsScan *s, int32 e, int level)
{
	void	  **a = (void **) arg;
	dsa_area   *area = (dsa_area *) a[0];
	WfsWriter  *w = (WfsWriter *) a[1];
	WfsShared  *sh = (WfsShared *) a[2];

	if (wfs_write_rec(area, w, s->kind, s->entity_type, s->typlen, s->keys[e],
					  e == s->null_idx, 0, level))
		return true;
	pg_atomic_write_u32(&sh->overflow, 1);
	return false;
}

/* Phase 1: one partition, with the serial machinery. */
static void
wfs_parallel_partition(WfsShared *sh, dsa_area *area, pg_tz *zone, int p,
					   int64 *hist, WfsWriter *results)
{
	WfsScan		s;
	dsa_pointer *heads = WFS_HEADS(sh);
	MemoryContext rowcxt;
	int64		nrec = 0;
	int64	   *start;
	int			q;
	void	   *arg[3];

	memset(&s, 0, sizeof(s));
	s.entity_type = sh->entity_type;
	s.step_type = sh->step_type;
	s.kind = sh->kind;
	s.typlen = sh->typlen;
	wfs_state_init(&s, sh->flags, sh->months, sh->days, sh->usecs, zone);
	for (q = 0; q < sh->maxparticipants; q++)
	{
		dsa_pointer dp;

		for (dp = heads[(Size) q * sh->nparts + p]; DsaPointerIsValid(dp);)
		{
			WfsChunk   *c = dsa_get_address(area, dp);

			nrec += c->nrec;
			dp = c->next;
		}
	}
	wfs_state_alloc(&s, nrec);
	rowcxt = AllocSetContextCreate(s.cxt, "window_funnel_scan row",
								   ALLOCSET_SMALL_SIZES);
	for (q = 0; q < sh->maxparticipants; q++)
	{
		dsa_pointer dp;

		for (dp = heads[(Size) q * sh->nparts + p]; DsaPointerIsValid(dp);)
		{
			WfsChunk   *c = dsa_get_address(area, dp);
			char	   *r = c->data;
			char	   *end = c->data + c->used;
			dsa_pointer next = c->next;

			CHECK_FOR_INTERRUPTS();
			while (r < end)
			{
				WfsRec	   *rec = (WfsRec *) r;
				bool		used_rowcxt = false;
				int32		idx;

				idx = wfs_entity(&s, rec->keylen < 0 ? (Datum) 0 : wfs_rec_key(sh, rec),
								 rec->keylen < 0, rowcxt, &used_rowcxt);
				if (rec->step != WFS_NO_EVENT)
					wfs_add_event(&s, idx, rec->ts, rec->step);
				r += MAXALIGN(sizeof(WfsRec) + Max(rec->keylen, 0));
			}
			/* the keys were copied: its room goes to the results */
			dsa_free(area, dp);
			dp = next;
		}
		heads[(Size) q * sh->nparts + p] = InvalidDsaPointer;
	}
	start = wfs_finish(&s);
	arg[0] = area;
	arg[1] = results;
	arg[2] = sh;
	wfs_emit(&s, start, NULL, sh->levels, hist, wfs_put_result, arg);
	MemoryContextDelete(s.cxt);
}

/* What each participant does, the leader included. */
static void
wfs_participate(WfsShared *sh, dsa_area *area)
{
	int			me = (int) pg_atomic_fetch_add_u32(&sh->nattached, 1);
	int64	   *hist = NULL;
	WfsWriter	results;
	pg_tz	   *zone = NULL;
	int			level;

	if (me >= sh->maxparticipants)
		elog(ERROR, "window_funnel_scan: too many parallel participants");
	/* the leader's zone, never this process's own TimeZone */
	if (sh->flags & WF_TZ)
	{
		zone = pg_tzset(sh->zone);
		if (zone == NULL)
			elog(ERROR, "window_funnel_scan: time zone \"%s\" not found", sh->zone);
	}
	if (sh->levels)
		hist = palloc0(sizeof(int64) * (WF_MAX_STEP + 1));
	memset(&results, 0, sizeof(results));
	results.head = InvalidDsaPointer;

	if (BarrierAttach(&sh->barrier) == 0)
	{
		wfs_parallel_scan(sh, area, me);
		BarrierArriveAndWait(&sh->barrier, WAIT_EVENT_PARALLEL_CREATE_INDEX_SCAN);
	}
	for (;;)
	{
		uint32		p;

		if (pg_atomic_read_u32(&sh->overflow) != 0)
			break;
		p = pg_atomic_fetch_add_u32(&sh->next_part, 1);
		if (p >= (uint32) sh->nparts)
			break;
		wfs_parallel_partition(sh, area, zone, (int) p, hist, &results);
	}
	BarrierDetach(&sh->barrier);

	if (sh->levels)
	{
		for (level = 0; level <= WF_MAX_STEP; level++)
			if (hist[level] != 0)
				pg_atomic_fetch_add_u64(&sh->hist[level], (uint64) hist[level]);
		pfree(hist);
	}
	else
		WFS_RESULTS(sh)[me] = results.head;
}

/* The entry point of the workers (CreateParallelContext). */
PGDLLEXPORT void salesplan_window_funnel_scan_worker(dsm_segment *seg, shm_toc *toc);

void
salesplan_window_funnel_scan_worker(dsm_segment *seg, shm_toc *toc)
{
	WfsShared  *sh = shm_toc_lookup(toc, WFS_PKEY_SHARED, false);
	dsa_area   *area = dsa_attach_in_place(shm_toc_lookup(toc, WFS_PKEY_DSA, false), seg);

	wfs_participate(sh, area);
	if (sp_debug_shm_full == WFS_DEBUG_SHM_GROW)
		wfs_debug_shm_full();
	dsa_detach(area);
}

/* The file of this library, for the workers to load (pg_proc.probin). */
static char *
wfs_library(FunctionCallInfo fcinfo)
{
	HeapTuple	tup = SearchSysCache1(PROCOID, ObjectIdGetDatum(fcinfo->flinfo->fn_oid));
	Datum		d;
	bool		isnull;
	char	   *lib;

	if (!HeapTupleIsValid(tup))
		elog(ERROR, "cache lookup failed for function %u", fcinfo->flinfo->fn_oid);
	d = SysCacheGetAttr(PROCOID, tup, Anum_pg_proc_probin, &isnull);
	if (isnull)
		elog(ERROR, "null probin for function %u", fcinfo->flinfo->fn_oid);
	lib = TextDatumGetCString(d);
	ReleaseSysCache(tup);
	return lib;
}

/*
 * The shared memory the parallel scan may use: work_mem x
 * hash_mem_multiplier per participant (the leader and each planned
 * worker), as a parallel hash join may.  Where dynamic shared memory lives
 * in /dev/shm (Linux, dynamic_shared_memory_type = posix: 64 MB in a
 * default Docker container) at most half of its free space, plus
 * min_dynamic_shared_memory (preallocated in the main shared memory, which
 * the area's segments use first).
 */
static double
wfs_shared_budget(int participants)
{
	double		budget = (double) get_hash_memory_limit() * participants;

#ifdef __linux__
	if (dynamic_shared_memory_type == DSM_IMPL_POSIX)
	{
		struct statvfs fs;

		if (statvfs("/dev/shm", &fs) == 0)
		{
			double		room = (double) fs.f_bavail * fs.f_frsize / 2 +
				(double) min_dynamic_shared_memory * 1024 * 1024;

			budget = Min(budget, room);
		}
	}
#endif
	return budget;
}

/*
 * The share of a leaf's rows whose boolean filter column is true, from its
 * statistics as the planner reads them for "WHERE filter" (booltestsel):
 * the most common values' frequency of true, or else what false and NULL
 * leave; 1 without statistics.
 */
static double
wfs_filter_share(Relation leaf, AttrNumber att)
{
	HeapTuple	tup;
	AttStatsSlot sslot;
	double		share;
	double		ftrue = -1;
	double		ffalse = -1;
	int			i;

	tup = SearchSysCache3(STATRELATTINH,
						  ObjectIdGetDatum(RelationGetRelid(leaf)),
						  Int16GetDatum(att), BoolGetDatum(false));
	if (!HeapTupleIsValid(tup))
		return 1.0;
	if (get_attstatsslot(&sslot, tup, STATISTIC_KIND_MCV, InvalidOid,
						 ATTSTATSSLOT_VALUES | ATTSTATSSLOT_NUMBERS))
	{
		for (i = 0; i < sslot.nvalues && i < sslot.nnumbers; i++)
		{
			if (DatumGetBool(sslot.values[i]))
				ftrue = sslot.numbers[i];
			else
				ffalse = sslot.numbers[i];
		}
		free_attstatsslot(&sslot);
	}
	if (ftrue >= 0)
		share = ftrue;
	else if (ffalse >= 0)
		share = 1.0 - ((Form_pg_statistic) GETSTRUCT(tup))->stanullfrac - ffalse;
	else
		share = 1.0 - ((Form_pg_statistic) GETSTRUCT(tup))->stanullfrac;
	ReleaseSysCache(tup);
	return Min(Max(share, 0.0), 1.0);
}

/*
 * The shared memory the records of one leaf take: its rows as the planner
 * estimates them for a sequential scan (its pages now times the rows per
 * page of the last VACUUM or ANALYZE), times the share that passes the
 * filter (wfs_filter_share), each a record with the entity's key (its
 * average width from the statistics, or the type's), plus a tenth for the
 * area's own overhead.
 */
static double
wfs_shared_need(const WfsScan *s, Relation leaf, const WfsColumns *c)
{
	BlockNumber pages;
	double		rows;
	double		allvisfrac;
	int32		width;

	estimate_rel_size(leaf, NULL, &pages, &rows, &allvisfrac);
	if (s->kind == WFS_KEY_INT)
		width = sizeof(int64);
	else if (s->kind == WFS_KEY_FIXED)
		width = s->typlen;
	else
	{
		width = get_attavgwidth(RelationGetRelid(leaf), c->entity);
		if (width <= 0)
			width = get_typavgwidth(s->entity_type, -1);
		width += VARHDRSZ;
	}
	if (c->filter != InvalidAttrNumber)
		rows *= wfs_filter_share(leaf, c->filter);
	return rows * MAXALIGN(sizeof(WfsRec) + width) * 1.1;
}

/*
 * Runs the query in parallel and fills the tuplestore; false (nothing
 * done) when it should run serially: no workers launched, a temporary
 * leaf, a table smaller than the planner would scan in parallel
 * (compute_parallel_worker: at least min_parallel_table_scan_size, one more
 * worker per tripling), records that would not fit in the shared memory
 * budget, or (the estimate was low) the DSA area full before the end.
 * Called by wfs_parallel inside an internal subtransaction; sets *filling
 * as it starts writing to the tuplestore, which it does as outer, the
 * resource owner of the caller (temporary files of the tuplestore must
 * outlive the subtransaction).
 */
static bool
wfs_parallel_run(WfsScan *s, FunctionCallInfo fcinfo, List *leafoids, bool levels,
				 ResourceOwner outer, volatile bool *filling)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	List	   *rels = NIL;
	List	   *cols = NIL;
	ListCell   *lc;
	ListCell   *lc2;
	double		pages = 0;
	double		need = 0;
	double		budget;
	int			nworkers;
	int			nleaves;
	int			nparts;
	int			maxparticipants;
	Snapshot	snapshot = GetActiveSnapshot();
	ParallelContext *pcxt;
	Size		size;
	Size		off;
	WfsShared  *sh;
	void	   *place;
	dsa_area   *area;
	RelOptInfo *dummy;
	ResourceOwner inner = CurrentResourceOwner;
	Size		area_size;
	int			i;

	/* The leaves with storage, checked as the serial scan would. */
	foreach(lc, leafoids)
	{
		Relation	leaf = relation_open(lfirst_oid(lc), NoLock);
		WfsColumns *c = palloc(sizeof(WfsColumns));

		if (RELATION_IS_OTHER_TEMP(leaf) || !wfs_leaf_columns(s, leaf, c))
		{
			relation_close(leaf, NoLock);
			continue;
		}
		if (leaf->rd_rel->relpersistence == RELPERSISTENCE_TEMP)
		{
			/* workers cannot read this session's temporary tables */
			relation_close(leaf, NoLock);
			foreach(lc2, rels)
				relation_close((Relation) lfirst(lc2), NoLock);
			return false;
		}
		pages += RelationGetNumberOfBlocks(leaf);
		need += wfs_shared_need(s, leaf, c);
		rels = lappend(rels, leaf);
		cols = lappend(cols, c);
	}
	nleaves = list_length(rels);

	dummy = makeNode(RelOptInfo);
	dummy->reloptkind = RELOPT_BASEREL;
	dummy->rel_parallel_workers = -1;
	{
		/* the named table's parallel_workers storage parameter, if set */
		Relation	named = relation_open(linitial_oid(leafoids), NoLock);

		if (named->rd_rel->relkind == RELKIND_RELATION ||
			named->rd_rel->relkind == RELKIND_MATVIEW)
			dummy->rel_parallel_workers = RelationGetParallelWorkers(named, -1);
		relation_close(named, NoLock);
	}
	nworkers = nleaves > 0 ?
		compute_parallel_worker(dummy, pages, -1, max_parallel_workers_per_gather) : 0;
	pfree(dummy);
	if (nworkers <= 0)
	{
		foreach(lc, rels)
			relation_close((Relation) lfirst(lc), NoLock);
		return false;
	}
	maxparticipants = nworkers + 1;
	nparts = WFS_PARTS_PER_PARTICIPANT * maxparticipants;

	/*
	 * The records, and a partly filled chunk (two small ones' room) per
	 * writer (each participant's partitions and results), against the
	 * budget, which is also the DSA area's limit below.
	 */
	need += (double) maxparticipants * (nparts + 1) * 2 * WFS_CHUNK_MIN +
		dsa_minimum_size();
	budget = wfs_shared_budget(maxparticipants);
	ereport(DEBUG2,
			(errmsg_internal("window_funnel_scan: the parallel scan needs about %.0f kB of shared memory, its budget is %.0f kB",
							 need / 1024, budget / 1024)));
	if (need > budget)
	{
		ereport(DEBUG1,
				(errmsg_internal("window_funnel_scan: serial scan, the parallel scan would need more shared memory than its budget")));
		foreach(lc, rels)
			relation_close((Relation) lfirst(lc), NoLock);
		return false;
	}

	/*
	 * The DSA area starts with the whole estimate, in the parallel
	 * context's own segment: the leader reserves it before any work is done
	 * (posix_fallocate), so that when /dev/shm cannot hold it the attempt
	 * fails at once (wfs_parallel goes serial), and an area the estimate
	 * covers never grows, in a worker or elsewhere.
	 */
	area_size = Max((Size) need, dsa_minimum_size());

	/* The shared memory: WfsShared, leaves, heads, results, scans. */
	off = MAXALIGN(sizeof(WfsShared));
	off += MAXALIGN(sizeof(WfsLeaf) * nleaves);
	off += MAXALIGN(sizeof(dsa_pointer) * maxparticipants * nparts);
	off += MAXALIGN(sizeof(dsa_pointer) * maxparticipants);
	size = off;
	foreach(lc, rels)
		size += MAXALIGN(table_parallelscan_estimate((Relation) lfirst(lc), snapshot));

	EnterParallelMode();
	pcxt = CreateParallelContext(wfs_library(fcinfo),
								 "salesplan_window_funnel_scan_worker", nworkers);
	shm_toc_estimate_chunk(&pcxt->estimator, size);
	shm_toc_estimate_chunk(&pcxt->estimator, area_size);
	shm_toc_estimate_keys(&pcxt->estimator, 2);
	if (sp_debug_shm_full == WFS_DEBUG_SHM_CREATE)
		wfs_debug_shm_full();
	InitializeParallelDSM(pcxt);
	if (pcxt->seg == NULL)
	{
		/* no dynamic shared memory to be had */
		DestroyParallelContext(pcxt);
		ExitParallelMode();
		foreach(lc, rels)
			relation_close((Relation) lfirst(lc), NoLock);
		return false;
	}

	sh = shm_toc_allocate(pcxt->toc, size);
	memset(sh, 0, off);
	sh->flags = s->hdr->flags;
	sh->months = s->hdr->months;
	sh->days = s->hdr->days;
	sh->usecs = s->hdr->usecs;
	if (s->zone)
		strlcpy(sh->zone, pg_get_timezone_name(s->zone), sizeof(sh->zone));
	sh->entity_type = s->entity_type;
	sh->step_type = s->step_type;
	sh->kind = s->kind;
	sh->typlen = s->typlen;
	sh->levels = levels;
	sh->nleaves = nleaves;
	sh->nparts = nparts;
	sh->maxparticipants = maxparticipants;
	sh->leaves_off = MAXALIGN(sizeof(WfsShared));
	sh->heads_off = sh->leaves_off + MAXALIGN(sizeof(WfsLeaf) * nleaves);
	sh->results_off = sh->heads_off + MAXALIGN(sizeof(dsa_pointer) * maxparticipants * nparts);
	BarrierInit(&sh->barrier, 0);
	pg_atomic_init_u32(&sh->nattached, 0);
	pg_atomic_init_u32(&sh->next_part, 0);
	pg_atomic_init_u64(&sh->nevents, 0);
	pg_atomic_init_u32(&sh->overflow, 0);
	for (i = 0; i <= WF_MAX_STEP; i++)
		pg_atomic_init_u64(&sh->hist[i], 0);
	for (i = 0; i < maxparticipants * nparts; i++)
		WFS_HEADS(sh)[i] = InvalidDsaPointer;
	for (i = 0; i < maxparticipants; i++)
		WFS_RESULTS(sh)[i] = InvalidDsaPointer;
	i = 0;
	forboth(lc, rels, lc2, cols)
	{
		Relation	leaf = (Relation) lfirst(lc);
		WfsLeaf    *l = &WFS_LEAVES(sh)[i++];

		l->relid = RelationGetRelid(leaf);
		l->c = *(WfsColumns *) lfirst(lc2);
		l->pscan_off = off;
		table_parallelscan_initialize(leaf, (ParallelTableScanDesc) ((char *) sh + off),
									  snapshot);
		off += MAXALIGN(table_parallelscan_estimate(leaf, snapshot));
		relation_close(leaf, NoLock);
	}
	shm_toc_insert(pcxt->toc, WFS_PKEY_SHARED, sh);
	place = shm_toc_allocate(pcxt->toc, area_size);
	shm_toc_insert(pcxt->toc, WFS_PKEY_DSA, place);
	area = dsa_create_in_place(place, area_size,
							   LWTRANCHE_PARALLEL_QUERY_DSA, pcxt->seg);
	dsa_set_size_limit(area, (size_t) budget);

	ereport(DEBUG1,
			(errmsg_internal("window_funnel_scan: parallel scan with %d workers planned",
							 nworkers)));
	LaunchParallelWorkers(pcxt);
	ereport(DEBUG2,
			(errmsg_internal("window_funnel_scan: %d workers launched",
							 pcxt->nworkers_launched)));
	if (pcxt->nworkers_launched == 0)
	{
		/* the serial path, from the start */
		dsa_detach(area);
		DestroyParallelContext(pcxt);
		ExitParallelMode();
		return false;
	}
	if (parallel_leader_participation)
		wfs_participate(sh, area);
	WaitForParallelWorkersToFinish(pcxt);

	if (pg_atomic_read_u32(&sh->overflow) != 0)
	{
		/* the estimate was low: the serial path, from the start */
		ereport(DEBUG1,
				(errmsg_internal("window_funnel_scan: the parallel scan ran out of its shared memory budget; scanning serially")));
		dsa_detach(area);
		DestroyParallelContext(pcxt);
		ExitParallelMode();
		return false;
	}

	/*
	 * The results, into the leader's tuplestore, as the caller's resource
	 * owner.  From here on an error is the query's (wfs_parallel re-throws
	 * it): rows already in the tuplestore cannot be taken back.
	 */
	*filling = true;
	CurrentResourceOwner = outer;
	if (levels)
	{
		for (i = 0; i <= WF_MAX_STEP; i++)
		{
			uint64		n = pg_atomic_read_u64(&sh->hist[i]);

			if (n != 0)
				wfs_put_level(rsinfo, i, (int64) n);
		}
	}
	else
	{
		for (i = 0; i < maxparticipants; i++)
		{
			dsa_pointer dp;

			for (dp = WFS_RESULTS(sh)[i]; DsaPointerIsValid(dp);)
			{
				WfsChunk   *c = dsa_get_address(area, dp);
				char	   *r = c->data;
				char	   *end = c->data + c->used;

				CHECK_FOR_INTERRUPTS();
				while (r < end)
				{
					WfsRec	   *rec = (WfsRec *) r;
					Datum		values[2];
					bool		nulls[2] = {false, false};

					nulls[0] = rec->keylen < 0;
					values[0] = nulls[0] ? (Datum) 0 : wfs_rec_key(sh, rec);
					values[1] = Int32GetDatum(rec->step);
					tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
					r += MAXALIGN(sizeof(WfsRec) + Max(rec->keylen, 0));
				}
				dp = c->next;
			}
		}
	}
	CurrentResourceOwner = inner;
	dsa_detach(area);
	DestroyParallelContext(pcxt);
	ExitParallelMode();
	return true;
}

/* An error that says shared memory ran out (dsm_impl.c, dsm.c, dsa.c). */
static bool
wfs_shm_shortage(int sqlerrcode)
{
	return sqlerrcode == ERRCODE_DISK_FULL ||
		sqlerrcode == ERRCODE_OUT_OF_MEMORY ||
		sqlerrcode == ERRCODE_INSUFFICIENT_RESOURCES;
}

/*
 * The parallel path (wfs_parallel_run) inside an internal subtransaction,
 * as a PL/pgSQL block with an EXCEPTION clause runs.  The budget check
 * reads /dev/shm's free space once, before anything is allocated, and the
 * DSA area grows as the records come; calls started at the same moment all
 * see the same free space, and together they can run it out.  PostgreSQL
 * then raises an error where the segment is created (dsm_create, in
 * InitializeParallelDSM or as the area grows) in the leader or in a
 * worker, from which the leader receives it: ENOSPC from posix_fallocate
 * is 53100 (disk_full), ENOMEM or EFBIG 53200 (out_of_memory), too many
 * segments 53000 (insufficient_resources).  Such an error rolls the
 * subtransaction back, which stops the workers and frees the shared memory
 * (AtEOSubXact_Parallel, the resource owner), and the serial path answers
 * instead (false); a DEBUG1 line names the fallback and the error.  Any
 * other error, or one raised once rows are in the tuplestore, is re-thrown
 * unchanged after the rollback.  A plain PG_TRY would not do: the parallel
 * context, the DSM segments and the relations would be left to the
 * transaction's end, in an unknown state.
 *
 * Already in parallel mode the path is serial (and PostgreSQL before 17
 * refuses a subtransaction there), so no subtransaction is begun.
 */
static bool
wfs_parallel(WfsScan *s, FunctionCallInfo fcinfo, List *leafoids, bool levels)
{
	MemoryContext caller = CurrentMemoryContext;
	ResourceOwner owner = CurrentResourceOwner;
	MemoryContext cxt;
	volatile bool filling = false;
	volatile bool done = false;

	if (max_parallel_workers_per_gather <= 0 || IsInParallelMode() ||
		!IsUnderPostmaster)
		return false;

	/* the attempt's own memory: all of it goes if it fails */
	cxt = AllocSetContextCreate(caller, "window_funnel_scan parallel",
								ALLOCSET_DEFAULT_SIZES);
	BeginInternalSubTransaction(NULL);
	MemoryContextSwitchTo(cxt);
	PG_TRY();
	{
		done = wfs_parallel_run(s, fcinfo, leafoids, levels, owner, &filling);
		ReleaseCurrentSubTransaction();
		MemoryContextSwitchTo(caller);
		CurrentResourceOwner = owner;
	}
	PG_CATCH();
	{
		ErrorData  *edata;

		MemoryContextSwitchTo(caller);
		edata = CopyErrorData();
		FlushErrorState();
		RollbackAndReleaseCurrentSubTransaction();
		MemoryContextSwitchTo(caller);
		CurrentResourceOwner = owner;
		MemoryContextDelete(cxt);
		if (filling || !wfs_shm_shortage(edata->sqlerrcode))
			ReThrowError(edata);
		ereport(DEBUG1,
				(errmsg_internal("window_funnel_scan: the parallel scan ran out of shared memory (SQLSTATE %s: %s); scanning serially",
								 unpack_sql_state(edata->sqlerrcode), edata->message)));
		FreeErrorData(edata);
		return false;
	}
	PG_END_TRY();
	MemoryContextDelete(cxt);
	return done;
}

static const char *
wfs_name_arg(FunctionCallInfo fcinfo, int argno, const char *what)
{
	if (PG_ARGISNULL(argno))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("window_funnel_scan %s must not be null", what)));
	return NameStr(*PG_GETARG_NAME(argno));
}

/*
 * The radix-partitioned serial path, for integer keys and tables of
 * WFS_PART_MIN_ROWS rows or more.  With one hash for all entities the
 * per-event cost grows with the table (1.87x from 1M to 30M events: a
 * hash of 300,000 entities no longer fits in the caches, and every event
 * looks its entity up there).  Here the scan appends each row as a
 * (key, ts, step) record to one of 2^WFS_PART_BITS partitions chosen by
 * the key's hash (sequential writes), then each partition in turn runs the
 * serial machinery (hash, counting sort, sort, walk) with a hash of its
 * own entities only, which stays in cache.  Every entity is in exactly one
 * partition, so the answers are the same.  Memory: 24 bytes per event; a
 * row that is no event only makes its entity's group, so it keeps just the
 * key (8 bytes), and not even that when a cache of recently seen keys
 * (WFS_SEEN_SIZE, direct-mapped) says the entity is already there; each
 * partition starts from its share of the estimate, capped by work_mem, and
 * grows by doubling.  Freed partition by partition, plus one partition's
 * serial state.
 */
#define WFS_PART_BITS		8
#define WFS_PART_MIN_ROWS	65536

typedef struct WfsPRec
{
	int64		key;
	int64		ts;
	int32		step;			/* WFS_NO_EVENT (below): no event */
	int32		isnull;			/* the NULL entity */
} WfsPRec;

typedef struct WfsPart
{
	WfsPRec    *r;				/* the events */
	int64		n;
	int64		cap;
	int64	   *keys;			/* entities of rows that are no event */
	int64		nkeys;
	int64		kcap;
	bool		nullkey;		/* the NULL entity, from such a row */
} WfsPart;

/*
 * The cache of keys of rows that are no event: a repeat of a key already
 * recorded adds nothing (the entity has its group), so a table with many
 * such rows costs about 8 bytes per entity rather than per row.
 */
#define WFS_SEEN_BITS		16
#define WFS_SEEN_SIZE		(1 << WFS_SEEN_BITS)

typedef struct WfsSeen
{
	int64		key[WFS_SEEN_SIZE];
	bool		used[WFS_SEEN_SIZE];
} WfsSeen;

/* An integer key as a Datum of the entity column's type. */
static inline Datum
wfs_int_datum(WfsScan *s, int64 key)
{
	if (s->entity_type == INT2OID)
		return Int16GetDatum((int16) key);
	if (s->entity_type == INT4OID)
		return Int32GetDatum((int32) key);
	return Int64GetDatum(key);
}

/* Scan one leaf into the partitions. */
static void
wfs_scan_leaf_parts(WfsScan *s, Relation rel, WfsPart *parts, WfsSeen *seen,
					int64 *nevents, int64 *nkeys)
{
	WfsColumns	c;
	TupleTableSlot *slot;
	TableScanDesc scan;
	AttrNumber	maxatt;
	bool		order = (s->hdr->flags & WF_ORDER) != 0;

	if (!wfs_leaf_columns(s, rel, &c))
		return;
	maxatt = Max(Max(c.entity, c.ts), Max(c.step, c.filter));
	slot = table_slot_create(rel, NULL);
	scan = table_beginscan(rel, GetActiveSnapshot(), 0, NULL);
	while (table_scan_getnextslot(scan, ForwardScanDirection, slot))
	{
		Datum	   *values;
		bool	   *isnull;
		int64		ts = 0;
		int32		step;
		int64		k = 0;
		uint64		h64 = 0;
		uint32		h = 0;
		bool		knull;
		WfsPart    *pt;
		WfsPRec    *r;

		CHECK_FOR_INTERRUPTS();
		slot_getsomeattrs(slot, maxatt);
		values = slot->tts_values;
		isnull = slot->tts_isnull;
		if (c.filter != InvalidAttrNumber &&
			(isnull[c.filter - 1] || !DatumGetBool(values[c.filter - 1])))
			continue;
		knull = isnull[c.entity - 1];
		if (!knull)
		{
			if (s->entity_type == INT2OID)
				k = DatumGetInt16(values[c.entity - 1]);
			else if (s->entity_type == INT4OID)
				k = DatumGetInt32(values[c.entity - 1]);
			else
				k = DatumGetInt64(values[c.entity - 1]);
			h64 = wfs_hash_int64(k);
			h = (uint32) h64;
		}

		/*
		 * The top bits of the 64-bit hash, which the partition's own hash
		 * table (the low 32 bits) never uses: keys of one partition still
		 * spread over all of its buckets, however many they are.
		 */
		pt = &parts[knull ? 0 : h64 >> (64 - WFS_PART_BITS)];
		if (!wfs_row_event(s->step_type, order, values, isnull, &c, &ts, &step))
		{
			/* no event: the entity's group only, its key once */
			uint32		slot_no = h & (WFS_SEEN_SIZE - 1);

			if (knull)
				pt->nullkey = true;
			else if (!seen->used[slot_no] || seen->key[slot_no] != k)
			{
				seen->used[slot_no] = true;
				seen->key[slot_no] = k;
				if (++(*nkeys) > WFS_MAX_EVENTS)
					ereport(ERROR,
							(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
							 errmsg("window_funnel_scan cannot hold more than " INT64_FORMAT " rows without an event",
									WFS_MAX_EVENTS),
							 errhint("Filter the rows (filter_column), scan one partition at a time, or use the aggregate salesplan.window_funnel.")));
				if (pt->nkeys >= pt->kcap)
				{
					pt->kcap = pt->kcap * 2;
					pt->keys = repalloc_huge(pt->keys, sizeof(int64) * pt->kcap);
				}
				pt->keys[pt->nkeys++] = k;
			}
			continue;
		}
		if (++(*nevents) > WFS_MAX_EVENTS)
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("window_funnel_scan cannot hold more than " INT64_FORMAT " events",
							WFS_MAX_EVENTS),
					 errhint("Filter the rows (filter_column), scan one partition at a time, or use the aggregate salesplan.window_funnel.")));
		if (pt->n >= pt->cap)
		{
			pt->cap = pt->cap * 2;
			pt->r = repalloc_huge(pt->r, sizeof(WfsPRec) * pt->cap);
		}
		r = &pt->r[pt->n++];
		r->key = k;
		r->ts = ts;
		r->step = step;
		r->isnull = knull;
	}
	table_endscan(scan);
	ExecDropSingleTupleTableSlot(slot);
}

/* The serial path over partitions; "rows" is the planner's estimate. */
static void
wfs_run_parts(WfsScan *s, List *leaves, ReturnSetInfo *rsinfo, bool levels,
			  double rows)
{
	int			nparts = 1 << WFS_PART_BITS;
	MemoryContext cxt = AllocSetContextCreate(CurrentMemoryContext,
											  "window_funnel_scan partitions",
											  ALLOCSET_DEFAULT_SIZES);
	WfsPart    *parts = MemoryContextAllocZero(cxt, sizeof(WfsPart) * nparts);
	int64	   *hist = MemoryContextAllocZero(cxt, sizeof(int64) * (WF_MAX_STEP + 1));
	WfsSeen    *seen = MemoryContextAllocZero(cxt, sizeof(WfsSeen));
	int64		init;
	int64		nevents = 0;
	int64		nkeys = 0;
	ListCell   *lc;
	int			p;

	/*
	 * Each partition's share of the estimate (of all rows: a filter or rows
	 * without an event make it high), but together no more than work_mem
	 * up front; past it they grow by doubling.
	 */
	init = (int64) Min(rows * 1.05 / nparts,
					   (double) work_mem * 1024.0 / nparts / sizeof(WfsPRec));
	init = Max(init, 64);
	ereport(DEBUG1,
			(errmsg_internal("window_funnel_scan: serial scan in %d partitions", nparts)));
	for (p = 0; p < nparts; p++)
	{
		parts[p].r = MemoryContextAllocHuge(cxt, sizeof(WfsPRec) * init);
		parts[p].cap = init;
		parts[p].keys = MemoryContextAlloc(cxt, sizeof(int64) * 64);
		parts[p].kcap = 64;
	}
	foreach(lc, leaves)
	{
		Relation	leaf = relation_open(lfirst_oid(lc), NoLock);

		/* as the planner does, another session's temp child is skipped */
		if (!RELATION_IS_OTHER_TEMP(leaf))
			wfs_scan_leaf_parts(s, leaf, parts, seen, &nevents, &nkeys);
		relation_close(leaf, NoLock);
	}
	ereport(DEBUG1,
			(errmsg_internal("window_funnel_scan: partitions hold " INT64_FORMAT " events and " INT64_FORMAT " keys of rows without an event",
							 nevents, nkeys)));
	if (message_level_is_interesting(DEBUG2))
	{
		int64		largest = 0;

		for (p = 0; p < nparts; p++)
			largest = Max(largest, parts[p].n + parts[p].nkeys);
		ereport(DEBUG2,
				(errmsg_internal("window_funnel_scan: the largest partition holds " INT64_FORMAT " records",
								 largest)));
	}
	for (p = 0; p < nparts; p++)
	{
		WfsScan		ps;
		MemoryContext rowcxt;
		int64		i;
		int64	   *start;

		CHECK_FOR_INTERRUPTS();
		memset(&ps, 0, sizeof(ps));
		ps.entity_type = s->entity_type;
		ps.step_type = s->step_type;
		ps.kind = s->kind;
		ps.typlen = s->typlen;
		wfs_state_init(&ps, s->hdr->flags, s->hdr->months, s->hdr->days,
					   s->hdr->usecs, s->zone);
		wfs_state_alloc(&ps, parts[p].n);
		rowcxt = AllocSetContextCreate(ps.cxt, "window_funnel_scan row",
									   ALLOCSET_SMALL_SIZES);
		for (i = 0; i < parts[p].n; i++)
		{
			WfsPRec    *r = &parts[p].r[i];
			bool		used_rowcxt = false;
			int32		idx;

			if ((i & 0xFFFF) == 0)
				CHECK_FOR_INTERRUPTS();
			idx = wfs_entity(&ps, wfs_int_datum(s, r->key), r->isnull, rowcxt,
							 &used_rowcxt);
			wfs_add_event(&ps, idx, r->ts, r->step);
		}
		/* the entities of rows that are no event: their groups */
		for (i = 0; i < parts[p].nkeys; i++)
		{
			bool		used_rowcxt = false;

			if ((i & 0xFFFF) == 0)
				CHECK_FOR_INTERRUPTS();
			(void) wfs_entity(&ps, wfs_int_datum(s, parts[p].keys[i]), false,
							  rowcxt, &used_rowcxt);
		}
		if (parts[p].nullkey)
		{
			bool		used_rowcxt = false;

			(void) wfs_entity(&ps, (Datum) 0, true, rowcxt, &used_rowcxt);
		}
		/* loaded: its records' memory goes back */
		pfree(parts[p].r);
		parts[p].r = NULL;
		pfree(parts[p].keys);
		parts[p].keys = NULL;
		start = wfs_finish(&ps);
		wfs_emit(&ps, start, rsinfo, levels, levels ? hist : NULL, NULL, NULL);
		MemoryContextDelete(ps.cxt);
	}
	if (levels)
	{
		int			level;

		for (level = 0; level <= WF_MAX_STEP; level++)
			if (hist[level] != 0)
				wfs_put_level(rsinfo, level, hist[level]);
	}
	MemoryContextDelete(cxt);
}

/*
 * Checks the arguments and the relation, scans every leaf (in parallel when
 * it pays), and puts the rows of the result in the tuplestore of rsinfo:
 * (entity, level) rows, or the histogram when "levels".  The arguments:
 * rel, entity_column, ts_column, step_column, window, mode, filter_column,
 * time_zone at argno[0..7].  "entity_type" is the type the caller expects for the
 * entity (InvalidOid: any).
 */
static void
wfs_run(FunctionCallInfo fcinfo, const int *argno, Oid entity_type,
		bool levels)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	WfsScan    *s;
	Oid			relid;
	Relation	rel;
	Interval   *window;
	text	   *mode;
	uint8		flags = 0;
	Oid			ts_type;
	Oid			collid;
	int32		typmod;
	WfsColumns	c;
	AttrNumber	atts[4];
	const char *names[4];
	List	   *leaves;
	ListCell   *lc;
	double		estimate = 0;
	int64	   *start;
	pg_tz	   *zone = NULL;

	if (PG_ARGISNULL(argno[0]))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("window_funnel_scan relation must not be null")));
	relid = PG_GETARG_OID(argno[0]);

	s = palloc0(sizeof(WfsScan));
	s->entity_name = wfs_name_arg(fcinfo, argno[1], "entity_column");
	s->ts_name = wfs_name_arg(fcinfo, argno[2], "ts_column");
	s->step_name = wfs_name_arg(fcinfo, argno[3], "step_column");
	s->filter_name = PG_ARGISNULL(argno[6]) ? NULL : NameStr(*PG_GETARG_NAME(argno[6]));
	if (PG_ARGISNULL(argno[4]))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("window_funnel window must not be null")));
	window = PG_GETARG_INTERVAL_P(argno[4]);
	funnel_events_check_window(window);
	if (PG_ARGISNULL(argno[5]))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("window_funnel mode must not be null"),
				 errhint("Pass '' for no mode.")));
	mode = PG_GETARG_TEXT_PP(argno[5]);
	flags = funnel_events_parse_mode(VARDATA_ANY(mode), VARSIZE_ANY_EXHDR(mode));
	/* validated whatever the ts column's type, as the aggregate does */
	if (PG_NARGS() > argno[7] && !PG_ARGISNULL(argno[7]))
		zone = sp_zone_arg(PG_GETARG_TEXT_PP(argno[7]), NULL);

	/* The relation: locked as a SELECT would, then the checks. */
	rel = try_relation_open(relid, AccessShareLock);
	if (rel == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_TABLE),
				 errmsg("relation with OID %u does not exist", relid)));
	if (RELATION_IS_OTHER_TEMP(rel))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("cannot access temporary tables of other sessions")));
	/* A SELECT names the table, so it needs USAGE on its schema too. */
	if (sp_namespace_aclcheck(RelationGetNamespace(rel), GetUserId(),
							  ACL_USAGE) != ACLCHECK_OK)
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("permission denied for schema %s",
						get_namespace_name(RelationGetNamespace(rel)))));
	if (rel->rd_rel->relkind != RELKIND_RELATION &&
		rel->rd_rel->relkind != RELKIND_PARTITIONED_TABLE &&
		rel->rd_rel->relkind != RELKIND_MATVIEW)
		ereport(ERROR,
				(errcode(ERRCODE_WRONG_OBJECT_TYPE),
				 errmsg("window_funnel_scan cannot read \"%s\": it is not a table or a materialized view",
						RelationGetRelationName(rel)),
				 errhint("Use the aggregate salesplan.window_funnel over a view or a query.")));

	c.entity = wfs_attnum(relid, s->entity_name);
	c.ts = wfs_attnum(relid, s->ts_name);
	c.step = wfs_attnum(relid, s->step_name);
	c.filter = s->filter_name ? wfs_attnum(relid, s->filter_name) : InvalidAttrNumber;
	atts[0] = c.entity;
	atts[1] = c.ts;
	atts[2] = c.step;
	atts[3] = c.filter;
	names[0] = s->entity_name;
	names[1] = s->ts_name;
	names[2] = s->step_name;
	names[3] = s->filter_name;
	wfs_check_select(relid, atts, names, 4);

	if (check_enable_rls(relid, InvalidOid, false) == RLS_ENABLED)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("window_funnel_scan cannot read \"%s\": row-level security is enabled for the current user",
						RelationGetRelationName(rel)),
				 errdetail("The function reads the table directly and cannot apply the table's policies."),
				 errhint("Use the aggregate salesplan.window_funnel, GROUP BY the entity, which reads the table through the executor and its policies.")));

	/* Types. */
	get_atttypetypmodcoll(relid, c.entity, &s->entity_type, &typmod, &collid);
	switch (s->entity_type)
	{
		case INT2OID:
		case INT4OID:
		case INT8OID:
			s->kind = WFS_KEY_INT;
			break;
		case TEXTOID:
		case VARCHAROID:
		case BYTEAOID:
			s->kind = WFS_KEY_VARLENA;
			if (OidIsValid(collid) && !get_collation_isdeterministic(collid))
				ereport(ERROR,
						(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
						 errmsg("window_funnel_scan cannot group by column \"%s\": its collation is nondeterministic",
								s->entity_name),
						 errhint("Use the aggregate salesplan.window_funnel, GROUP BY the entity.")));
			break;
		case UUIDOID:
			s->kind = WFS_KEY_FIXED;
			s->typlen = 16;
			break;
		default:
			ereport(ERROR,
					(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
					 errmsg("window_funnel_scan cannot group by column \"%s\" of type %s",
							s->entity_name, format_type_be(s->entity_type)),
					 errhint("The entity column must be smallint, integer, bigint, text, varchar, bytea or uuid; for other types use the aggregate salesplan.window_funnel.")));
	}
	if (OidIsValid(entity_type) && entity_type != s->entity_type)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("window_funnel_scan entity_type is %s, but column \"%s\" is %s",
						format_type_be(entity_type), s->entity_name,
						format_type_be(s->entity_type)),
				 errhint("Pass NULL::%s as entity_type.", format_type_be(s->entity_type))));
	s->ts_type = ts_type = get_atttype(relid, c.ts);
	if (ts_type == TIMESTAMPTZOID)
	{
		/*
		 * The window's days and months on the calendar of the given zone,
		 * else of the session's, read here once: parallel workers get its
		 * name, not their own TimeZone.
		 */
		flags |= WF_TZ;
		s->zone = zone ? zone : session_timezone;
	}
	else if (ts_type != TIMESTAMPOID)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("window_funnel_scan ts_column \"%s\" is %s, not timestamp or timestamptz",
						s->ts_name, format_type_be(ts_type))));
	s->step_type = get_atttype(relid, c.step);
	if (s->step_type != INT2OID && s->step_type != INT4OID && s->step_type != INT8OID)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("window_funnel_scan step_column \"%s\" is %s, not an integer",
						s->step_name, format_type_be(s->step_type))));
	if (c.filter != InvalidAttrNumber && get_atttype(relid, c.filter) != BOOLOID)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("window_funnel_scan filter_column \"%s\" is %s, not boolean",
						s->filter_name, format_type_be(get_atttype(relid, c.filter))),
				 errhint("Add a generated boolean column for the condition, or use the aggregate with a WHERE clause.")));

	/* The state, in a context of its own. */
	wfs_state_init(s, flags, window->month, window->day, window->time, s->zone);

	/* Every leaf (the relation itself when it has no children). */
	leaves = find_all_inheritors(relid, AccessShareLock, NULL);

	/* Two or more processes when the table is large enough. */
	if (wfs_parallel(s, fcinfo, leaves, levels))
	{
		relation_close(rel, NoLock);
		MemoryContextDelete(s->cxt);
		return;
	}

	foreach(lc, leaves)
	{
		Relation	leaf = relation_open(lfirst_oid(lc), NoLock);

		if (leaf->rd_rel->reltuples > 0)
			estimate += leaf->rd_rel->reltuples;
		relation_close(leaf, NoLock);
	}
	if (s->kind == WFS_KEY_INT && estimate >= WFS_PART_MIN_ROWS)
	{
		wfs_run_parts(s, leaves, rsinfo, levels, estimate);
		relation_close(rel, NoLock);
		MemoryContextDelete(s->cxt);
		return;
	}
	wfs_state_alloc(s, (int64) Min(estimate * 1.05, (double) WFS_MAX_EVENTS));

	foreach(lc, leaves)
	{
		Relation	leaf = relation_open(lfirst_oid(lc), NoLock);

		/*
		 * As the planner does, another session's temp child is skipped (the
		 * named relation itself was refused above).
		 */
		if (!RELATION_IS_OTHER_TEMP(leaf))
			wfs_scan_leaf(s, leaf);
		relation_close(leaf, NoLock);
	}
	relation_close(rel, NoLock);

	start = wfs_finish(s);
	wfs_emit(s, start, rsinfo, levels, NULL, NULL, NULL);
	MemoryContextDelete(s->cxt);
}

/* salesplan.window_funnel_scan(regclass, name, anyelement, name, name, interval [, text [, name [, text]]]) -> TABLE(entity anyelement, level int) */
PG_FUNCTION_INFO_V1(salesplan_window_funnel_scan);
Datum
salesplan_window_funnel_scan(PG_FUNCTION_ARGS)
{
	static const int argno[8] = {0, 1, 3, 4, 5, 6, 7, 8};
	Oid			entity_type = get_fn_expr_argtype(fcinfo->flinfo, 2);

	if (!OidIsValid(entity_type))
		elog(ERROR, "could not determine the entity type");
	InitMaterializedSRF(fcinfo, 0);
	wfs_run(fcinfo, argno, entity_type, false);
	return (Datum) 0;
}

/* salesplan.window_funnel_levels(regclass, name, name, name, interval [, text [, name [, text]]]) -> TABLE(level int, entities bigint) */
PG_FUNCTION_INFO_V1(salesplan_window_funnel_levels);
Datum
salesplan_window_funnel_levels(PG_FUNCTION_ARGS)
{
	static const int argno[8] = {0, 1, 2, 3, 4, 5, 6, 7};

	InitMaterializedSRF(fcinfo, 0);
	wfs_run(fcinfo, argno, InvalidOid, true);
	return (Datum) 0;
}

/*
 * salesplan.debug_cancel_in_sort: raises a query cancel as the sort of a
 * large slice (window_funnel_scan) or of a large group's events
 * (wf_sort_events: window_funnel's final functions, the text and binary
 * output, compact) starts, so that a test can see the sort itself notice
 * it (the CONTEXT line names the sort).  salesplan.debug_shm_full: see
 * wfs_debug_shm_full.  Superuser only, for tests.
 */
void
sp_window_funnel_scan_init(void)
{
	DefineCustomBoolVariable("salesplan.debug_cancel_in_sort",
							 "Cancels the query when window_funnel_scan or window_funnel starts sorting a large entity (for tests).",
							 NULL,
							 &sp_debug_cancel_in_sort,
							 false,
							 PGC_SUSET,
							 GUC_NOT_IN_SAMPLE | GUC_NO_SHOW_ALL,
							 NULL, NULL, NULL);
	DefineCustomEnumVariable("salesplan.debug_shm_full",
							 "Makes the parallel window_funnel_scan fail as when /dev/shm is full (for tests).",
							 "create: where the leader creates the segment; grow: where a worker's shared memory area grows.",
							 &sp_debug_shm_full,
							 WFS_DEBUG_SHM_OFF,
							 wfs_debug_shm_options,
							 PGC_SUSET,
							 GUC_NOT_IN_SAMPLE | GUC_NO_SHOW_ALL,
							 NULL, NULL, NULL);
}
