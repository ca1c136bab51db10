/*-------------------------------------------------------------------------
 *
 * touches.c
 *	  Behavior paradigm, account level: per-account touch metrics, the
 *	  salesplan.touches type (touch_agg, rollup and accessors).
 *
 * salesplan.touches keeps the touch count, the first and last touch and
 * the sorted distinct ids of the contacts engaged.  The contact list is
 * bounded by TOUCHES_MAX_CONTACTS (800 kB per account at the bound); past
 * it touch_agg raises ERRCODE_PROGRAM_LIMIT_EXCEEDED rather than give an
 * approximate count.
 *
 * The other per-account functions of the former account.c, ladder_level
 * and penetration, have no state type: they compute the level and the
 * share of wallet that coverage_agg summarises, and live in coverage.c.
 *
 *-------------------------------------------------------------------------
 */
#include "salesplan.h"

#include "common/int.h"
#include "datatype/timestamp.h"
#include "fmgr.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"
#include "utils/timestamp.h"

#define TOUCHES_VERSION			1
#define TOUCHES_TYPE			"salesplan.touches"
#define TOUCHES_MAX_CONTACTS	100000
#define TOUCHES_MIN_CAPACITY	8

typedef struct TouchesState
{
	int32		vl_len_;		/* varlena header (do not touch directly) */
	uint8		version;		/* TOUCHES_VERSION */
	uint8		reserved[3];	/* [0]: SP_STATE_AGG or 0 (never printed or
								 * sent); others zero */
	int32		ncontacts;		/* distinct contacts in contacts[] */
	int32		reserved2;		/* zero */
	int64		touches;		/* touches counted */
	TimestampTz first;			/* first touch (0 when touches = 0) */
	TimestampTz last;			/* last touch (0 when touches = 0) */
	int64		contacts[FLEXIBLE_ARRAY_MEMBER];	/* ascending, distinct;
													 * capacity from VARSIZE */
} TouchesState;

#define TOUCHES_HDRSZ			offsetof(TouchesState, contacts)
#define TOUCHES_SIZE(n)			(TOUCHES_HDRSZ + (Size) (n) * sizeof(int64))
#define TOUCHES_CAPACITY(s)		((int) ((VARSIZE(s) - TOUCHES_HDRSZ) / sizeof(int64)))

static bool touches_fits(const void *state);
static void touches_validate_state(void *state);

static const SpStateType touches_state = {
	.name = TOUCHES_TYPE,
	.version = TOUCHES_VERSION,
	.mark_offset = offsetof(TouchesState, reserved),
	.header_size = TOUCHES_HDRSZ,
	.fits = touches_fits,
	.validate = touches_validate_state,
};

/* the contact list fits the value's size; capacity is the rest of it */
static bool
touches_fits(const void *state)
{
	const TouchesState *s = (const TouchesState *) state;

	return (VARSIZE(s) - TOUCHES_HDRSZ) % sizeof(int64) == 0 &&
		TOUCHES_CAPACITY(s) <= TOUCHES_MAX_CONTACTS &&
		s->ncontacts >= 0 && s->ncontacts <= TOUCHES_CAPACITY(s);
}

/* agg: for a transition or combine function (marked), else for input */
static TouchesState *
touches_new(int capacity, bool agg)
{
	return (TouchesState *) sp_state_alloc(TOUCHES_SIZE(capacity), &touches_state, agg);
}

static void
touches_too_many(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
			 errmsg("more than %d distinct contacts engaged in one account", TOUCHES_MAX_CONTACTS),
			 errdetail("salesplan.touches keeps the exact list of contacts engaged, bounded to keep memory per account small."),
			 errhint("Check the grouping: touch_agg is meant to be grouped by account.")));
}

static void
touches_validate(const TouchesState *s, int code)
{
	const char *why = NULL;
	int			i;

	if (s->touches < 0)
		why = "The touch count is negative.";
	else if (s->ncontacts < 0 || s->ncontacts > TOUCHES_MAX_CONTACTS)
		why = "The number of contacts is out of range.";
	else if (s->ncontacts > s->touches)
		why = "More contacts engaged than touches.";
	else if (s->touches == 0 && (s->first != 0 || s->last != 0))
		why = "First and last touch are set without any touch.";
	else if (s->touches > 0 &&
			 (TIMESTAMP_NOT_FINITE(s->first) || TIMESTAMP_NOT_FINITE(s->last) ||
			  !IS_VALID_TIMESTAMP(s->first) || !IS_VALID_TIMESTAMP(s->last) ||
			  s->first > s->last))
		why = "First and last touch are not valid timestamps in order.";
	for (i = 1; why == NULL && i < s->ncontacts; i++)
		if (s->contacts[i - 1] >= s->contacts[i])
			why = "Contact ids are not strictly ascending.";
	if (why)
		ereport(ERROR,
				(errcode(code),
				 errmsg("invalid %s value", TOUCHES_TYPE),
				 errdetail("%s", why)));
}

static void
touches_validate_state(void *state)
{
	touches_validate((const TouchesState *) state, ERRCODE_DATA_CORRUPTED);
}

/* A stored or passed touches value to read. */
static TouchesState *
touches_get(Datum d)
{
	return (TouchesState *) sp_state_read(d, &touches_state);
}

/*
 * Text form: "v1;touches=N;first=T;last=T;contacts=C,C,..." with T the
 * timestamp in microseconds since 2000-01-01 00:00 UTC (empty when there is
 * no touch) and the contact ids ascending (empty list allowed).
 */

/* salesplan.touches_in(cstring) -> salesplan.touches */
PG_FUNCTION_INFO_V1(salesplan_touches_in);
Datum
salesplan_touches_in(PG_FUNCTION_ARGS)
{
	const char *input = PG_GETARG_CSTRING(0);
	const char *p = input;
	const char *q;
	TouchesState *s;
	int			n = 0;
	int			i;
	bool		has_first;
	bool		has_last;

	/* count the contacts first: one more than the commas after "contacts=" */
	q = strstr(input, ";contacts=");
	if (q != NULL && q[10] != '\0')
	{
		n = 1;
		for (q += 10; *q; q++)
			if (*q == ',' && ++n > TOUCHES_MAX_CONTACTS)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
						 errmsg("invalid input syntax for type %s", TOUCHES_TYPE),
						 errdetail("More than %d contacts.", TOUCHES_MAX_CONTACTS)));
	}
	s = touches_new(n, false);

	sp_text_version(&p, TOUCHES_VERSION, TOUCHES_TYPE, input);
	sp_text_expect_word(&p, ";touches=", TOUCHES_TYPE, input);
	s->touches = sp_text_int64(&p, TOUCHES_TYPE, input);
	sp_text_expect_word(&p, ";first=", TOUCHES_TYPE, input);
	has_first = (*p != ';');
	if (has_first)
		s->first = sp_text_int64(&p, TOUCHES_TYPE, input);
	sp_text_expect_word(&p, ";last=", TOUCHES_TYPE, input);
	has_last = (*p != ';');
	if (has_last)
		s->last = sp_text_int64(&p, TOUCHES_TYPE, input);
	if (has_first != (s->touches > 0) || has_last != (s->touches > 0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid input syntax for type %s: \"%s\"", TOUCHES_TYPE, input),
				 errdetail("First and last touch must be given exactly when there is a touch.")));
	sp_text_expect_word(&p, ";contacts=", TOUCHES_TYPE, input);
	for (i = 0; i < n; i++)
	{
		if (i > 0)
			sp_text_expect(&p, ',', TOUCHES_TYPE, input);
		s->contacts[i] = sp_text_int64(&p, TOUCHES_TYPE, input);
	}
	sp_text_end(&p, TOUCHES_TYPE, input);
	s->ncontacts = n;
	touches_validate(s, ERRCODE_INVALID_TEXT_REPRESENTATION);
	PG_RETURN_POINTER(s);
}

/* salesplan.touches_out(salesplan.touches) -> cstring */
PG_FUNCTION_INFO_V1(salesplan_touches_out);
Datum
salesplan_touches_out(PG_FUNCTION_ARGS)
{
	TouchesState *s = touches_get(PG_GETARG_DATUM(0));
	StringInfoData buf;
	int			i;

	initStringInfo(&buf);
	appendStringInfo(&buf, "v%d;touches=" INT64_FORMAT ";first=", TOUCHES_VERSION, s->touches);
	if (s->touches > 0)
		appendStringInfo(&buf, INT64_FORMAT, (int64) s->first);
	appendStringInfoString(&buf, ";last=");
	if (s->touches > 0)
		appendStringInfo(&buf, INT64_FORMAT, (int64) s->last);
	appendStringInfoString(&buf, ";contacts=");
	for (i = 0; i < s->ncontacts; i++)
		appendStringInfo(&buf, "%s" INT64_FORMAT, i > 0 ? "," : "", s->contacts[i]);
	PG_RETURN_CSTRING(buf.data);
}

/* salesplan.touches_recv(internal) -> salesplan.touches */
PG_FUNCTION_INFO_V1(salesplan_touches_recv);
Datum
salesplan_touches_recv(PG_FUNCTION_ARGS)
{
	StringInfo	msg = (StringInfo) PG_GETARG_POINTER(0);
	TouchesState *s;
	int64		touches;
	TimestampTz first;
	TimestampTz last;
	int32		n;
	int			i;

	if (msg->len - msg->cursor < 1 + 3 * 8 + 4)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("invalid binary %s value", TOUCHES_TYPE),
				 errdetail("The value is truncated.")));
	sp_getmsg_version(msg, TOUCHES_VERSION, TOUCHES_TYPE);
	touches = pq_getmsgint64(msg);
	first = pq_getmsgint64(msg);
	last = pq_getmsgint64(msg);
	n = pq_getmsgint(msg, 4);
	if (n < 0 || n > TOUCHES_MAX_CONTACTS ||
		msg->len - msg->cursor != (int) (n * sizeof(int64)))
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("invalid binary %s value", TOUCHES_TYPE),
				 errdetail("The contact count %d does not match the data.", n)));
	s = touches_new(n, false);
	s->touches = touches;
	s->first = first;
	s->last = last;
	s->ncontacts = n;
	for (i = 0; i < n; i++)
		s->contacts[i] = pq_getmsgint64(msg);
	pq_getmsgend(msg);
	touches_validate(s, ERRCODE_DATA_CORRUPTED);
	PG_RETURN_POINTER(s);
}

/* salesplan.touches_send(salesplan.touches) -> bytea */
PG_FUNCTION_INFO_V1(salesplan_touches_send);
Datum
salesplan_touches_send(PG_FUNCTION_ARGS)
{
	TouchesState *s = touches_get(PG_GETARG_DATUM(0));
	StringInfoData buf;
	int			i;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, TOUCHES_VERSION);
	pq_sendint64(&buf, s->touches);
	pq_sendint64(&buf, s->first);
	pq_sendint64(&buf, s->last);
	pq_sendint32(&buf, s->ncontacts);
	for (i = 0; i < s->ncontacts; i++)
		pq_sendint64(&buf, s->contacts[i]);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/*
 * touch_agg's transition (occurred_at, contact_id).  The state is created on
 * the first row even when occurred_at is NULL, so that an account reached
 * through a LEFT JOIN without any activity gets a state with 0 touches.
 */
/* salesplan.touches_trans(salesplan.touches, timestamptz, bigint) -> salesplan.touches */
PG_FUNCTION_INFO_V1(salesplan_touches_trans);
Datum
salesplan_touches_trans(PG_FUNCTION_ARGS)
{
	TouchesState *s;
	TimestampTz at;
	int64		contact;
	int			lo;
	int			hi;

	if (!AggCheckCallContext(fcinfo, NULL))
		sp_not_aggregate_context("salesplan.touches_trans");
	s = (TouchesState *) sp_state_arg(fcinfo, 0, &touches_state);
	if (s == NULL)
		s = touches_new(TOUCHES_MIN_CAPACITY, true);
	if (PG_ARGISNULL(1))
		PG_RETURN_POINTER(s);

	at = sp_finite_timestamp_arg(fcinfo, 1, "occurred_at");
	if (s->touches == 0)
		s->first = s->last = at;
	else
	{
		if (at < s->first)
			s->first = at;
		if (at > s->last)
			s->last = at;
	}
	if (pg_add_s64_overflow(s->touches, 1, &s->touches))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("too many touches in one salesplan.touches value")));
	if (PG_ARGISNULL(2))
		PG_RETURN_POINTER(s);

	/* binary search for the contact; insert it if new */
	contact = PG_GETARG_INT64(2);
	lo = 0;
	hi = s->ncontacts;
	while (lo < hi)
	{
		int			mid = lo + (hi - lo) / 2;

		if (s->contacts[mid] < contact)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < s->ncontacts && s->contacts[lo] == contact)
		PG_RETURN_POINTER(s);

	if (s->ncontacts == TOUCHES_CAPACITY(s))
	{
		/*
		 * Grow geometrically into a new value; the executor copies a
		 * returned state whose pointer changed into the aggregate context
		 * and frees the old one, so the new one lives in the per-call
		 * context.
		 */
		TouchesState *grown;
		int			cap;

		if (s->ncontacts >= TOUCHES_MAX_CONTACTS)
			touches_too_many();
		cap = Min(Max(2 * s->ncontacts, TOUCHES_MIN_CAPACITY), TOUCHES_MAX_CONTACTS);
		grown = touches_new(cap, true);
		memcpy(grown, s, TOUCHES_SIZE(s->ncontacts));
		SET_VARSIZE(grown, TOUCHES_SIZE(cap));
		s = grown;
	}
	memmove(&s->contacts[lo + 1], &s->contacts[lo], (s->ncontacts - lo) * sizeof(int64));
	s->contacts[lo] = contact;
	s->ncontacts++;
	PG_RETURN_POINTER(s);
}

/* Combine function of touch_agg and rollup, and rollup's transition. */
/* salesplan.touches_combine(salesplan.touches, salesplan.touches) -> salesplan.touches */
PG_FUNCTION_INFO_V1(salesplan_touches_combine);
Datum
salesplan_touches_combine(PG_FUNCTION_ARGS)
{
	TouchesState *s;
	TouchesState *o;
	int			i,
				j,
				k,
				u;

	if (!AggCheckCallContext(fcinfo, NULL))
		sp_not_aggregate_context("salesplan.touches_combine");
	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	o = touches_get(PG_GETARG_DATUM(1));
	s = (TouchesState *) sp_state_arg(fcinfo, 0, &touches_state);
	if (s == NULL)
	{
		/* a private copy: never hand back the other state's pointer */
		int			cap = Max(o->ncontacts, TOUCHES_MIN_CAPACITY);

		s = touches_new(cap, true);
		memcpy(s, o, TOUCHES_SIZE(o->ncontacts));
		SET_VARSIZE(s, TOUCHES_SIZE(cap));
		s->reserved[0] = SP_STATE_AGG;
		PG_RETURN_POINTER(s);
	}

	if (o->touches > 0)
	{
		if (s->touches == 0)
		{
			s->first = o->first;
			s->last = o->last;
		}
		else
		{
			s->first = Min(s->first, o->first);
			s->last = Max(s->last, o->last);
		}
		if (pg_add_s64_overflow(s->touches, o->touches, &s->touches))
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("too many touches in one salesplan.touches value")));
	}

	/* size of the union of the two sorted contact lists */
	u = s->ncontacts;
	for (i = 0, j = 0; j < o->ncontacts; j++)
	{
		while (i < s->ncontacts && s->contacts[i] < o->contacts[j])
			i++;
		if (!(i < s->ncontacts && s->contacts[i] == o->contacts[j]))
			u++;
	}
	if (u == s->ncontacts)
		PG_RETURN_POINTER(s);
	if (u > TOUCHES_MAX_CONTACTS)
		touches_too_many();
	if (u > TOUCHES_CAPACITY(s))
	{
		/* new value, see touches_trans */
		TouchesState *grown = touches_new(u, true);

		memcpy(grown, s, TOUCHES_SIZE(s->ncontacts));
		SET_VARSIZE(grown, TOUCHES_SIZE(u));
		s = grown;
	}
	/* merge backwards in place: positions >= u - 1 are free or consumed */
	i = s->ncontacts - 1;
	j = o->ncontacts - 1;
	k = u - 1;
	while (j >= 0)
	{
		if (i >= 0 && s->contacts[i] > o->contacts[j])
			s->contacts[k--] = s->contacts[i--];
		else
		{
			if (i >= 0 && s->contacts[i] == o->contacts[j])
				i--;
			s->contacts[k--] = o->contacts[j--];
		}
	}
	Assert(k == i);
	s->ncontacts = u;
	PG_RETURN_POINTER(s);
}

/*
 * Final function of touch_agg and rollup.  The aggregate grows the contact
 * list geometrically; the result stored in a table should not carry the
 * spare room, so return a compact copy when there is any (the input is not
 * modified).
 */
/* salesplan.touches_final(salesplan.touches) -> salesplan.touches */
PG_FUNCTION_INFO_V1(salesplan_touches_final);
Datum
salesplan_touches_final(PG_FUNCTION_ARGS)
{
	TouchesState *s = touches_get(PG_GETARG_DATUM(0));
	TouchesState *compact;

	if (TOUCHES_CAPACITY(s) == s->ncontacts)
		PG_RETURN_POINTER(s);
	compact = palloc(TOUCHES_SIZE(s->ncontacts));
	memcpy(compact, s, TOUCHES_SIZE(s->ncontacts));
	SET_VARSIZE(compact, TOUCHES_SIZE(s->ncontacts));
	PG_RETURN_POINTER(compact);
}

/* salesplan.touches(salesplan.touches) -> bigint */
PG_FUNCTION_INFO_V1(salesplan_touches_touches);
Datum
salesplan_touches_touches(PG_FUNCTION_ARGS)
{
	if (PG_ARGISNULL(0))
		PG_RETURN_INT64(0);
	PG_RETURN_INT64(touches_get(PG_GETARG_DATUM(0))->touches);
}

/* salesplan.contacts_engaged(salesplan.touches) -> bigint */
PG_FUNCTION_INFO_V1(salesplan_touches_contacts_engaged);
Datum
salesplan_touches_contacts_engaged(PG_FUNCTION_ARGS)
{
	if (PG_ARGISNULL(0))
		PG_RETURN_INT64(0);
	PG_RETURN_INT64(touches_get(PG_GETARG_DATUM(0))->ncontacts);
}

/* salesplan.contact_coverage(salesplan.touches, int) -> float8 */
PG_FUNCTION_INFO_V1(salesplan_touches_contact_coverage);
Datum
salesplan_touches_contact_coverage(PG_FUNCTION_ARGS)
{
	int32		size;
	int64		n = 0;

	if (PG_ARGISNULL(1))
		PG_RETURN_NULL();
	size = PG_GETARG_INT32(1);
	if (size < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("buying_center_size must not be negative: %d", size),
				 errhint("Use NULL or 0 when the size of the buying center is unknown.")));
	if (size == 0)
		PG_RETURN_NULL();
	if (!PG_ARGISNULL(0))
		n = touches_get(PG_GETARG_DATUM(0))->ncontacts;
	PG_RETURN_FLOAT8((double) n / (double) size);
}

/*
 * The touches value in argument 0, or NULL when that argument is NULL or
 * holds no touch: what first_touch, last_touch, days_since_last_touch and
 * is_cold all read.
 */
static TouchesState *
touches_arg_touched(FunctionCallInfo fcinfo)
{
	TouchesState *s;

	if (PG_ARGISNULL(0))
		return NULL;
	s = touches_get(PG_GETARG_DATUM(0));
	if (s->touches == 0)
		return NULL;
	return s;
}

/* salesplan.first_touch(salesplan.touches) -> timestamptz */
PG_FUNCTION_INFO_V1(salesplan_touches_first_touch);
Datum
salesplan_touches_first_touch(PG_FUNCTION_ARGS)
{
	TouchesState *s = touches_arg_touched(fcinfo);

	if (s == NULL)
		PG_RETURN_NULL();
	PG_RETURN_TIMESTAMPTZ(s->first);
}

/* salesplan.last_touch(salesplan.touches) -> timestamptz */
PG_FUNCTION_INFO_V1(salesplan_touches_last_touch);
Datum
salesplan_touches_last_touch(PG_FUNCTION_ARGS)
{
	TouchesState *s = touches_arg_touched(fcinfo);

	if (s == NULL)
		PG_RETURN_NULL();
	PG_RETURN_TIMESTAMPTZ(s->last);
}

/* Whole 24-hour days from the last touch to as_of (floor). */
/* salesplan.days_since_last_touch(salesplan.touches, timestamptz) -> int */
PG_FUNCTION_INFO_V1(salesplan_touches_days_since_last_touch);
Datum
salesplan_touches_days_since_last_touch(PG_FUNCTION_ARGS)
{
	TouchesState *s;
	TimestampTz as_of;
	int64		diff;
	int64		days;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
		PG_RETURN_NULL();
	as_of = sp_finite_timestamp_arg(fcinfo, 1, "as_of");
	s = touches_arg_touched(fcinfo);
	if (s == NULL)
		PG_RETURN_NULL();
	diff = as_of - s->last;		/* both valid timestamps: no overflow */
	days = diff / USECS_PER_DAY;
	if (diff % USECS_PER_DAY < 0)
		days--;
	PG_RETURN_INT32((int32) days);
}

/*
 * is_cold(t, as_of, keep_warm [, time_zone]): no touch in
 * [as_of - keep_warm, as_of]; true for an account never touched (NULL state
 * or 0 touches).  The days and months of keep_warm are counted on the
 * calendar of time_zone when given, else of the session's TimeZone.
 */
/* salesplan.is_cold(salesplan.touches, timestamptz, interval [, text]) -> bool */
PG_FUNCTION_INFO_V1(salesplan_touches_is_cold);
Datum
salesplan_touches_is_cold(PG_FUNCTION_ARGS)
{
	TouchesState *s;
	Interval   *keep_warm;
	Interval	zero;
	TimestampTz as_of;
	TimestampTz since;

	pg_tz	   *zone = NULL;

	if (PG_ARGISNULL(1) || PG_ARGISNULL(2) || (PG_NARGS() > 3 && PG_ARGISNULL(3)))
		PG_RETURN_NULL();
	as_of = sp_finite_timestamp_arg(fcinfo, 1, "as_of");
	keep_warm = PG_GETARG_INTERVAL_P(2);
	if (PG_NARGS() > 3)
		zone = sp_zone_arg(PG_GETARG_TEXT_PP(3), NULL);
	memset(&zero, 0, sizeof(zero));
	if (DatumGetBool(DirectFunctionCall2(interval_lt, IntervalPGetDatum(keep_warm),
										 IntervalPGetDatum(&zero))))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("keep_warm must not be negative: %s",
						DatumGetCString(DirectFunctionCall1(interval_out, PG_GETARG_DATUM(2))))));
	s = touches_arg_touched(fcinfo);
	if (s == NULL)
		PG_RETURN_BOOL(true);
	if (zone == NULL || !sp_interval_is_finite(keep_warm))
		since = DatumGetTimestampTz(DirectFunctionCall2(timestamptz_mi_interval,
														TimestampTzGetDatum(as_of),
														IntervalPGetDatum(keep_warm)));
	else if (keep_warm->month == PG_INT32_MIN || keep_warm->day == PG_INT32_MIN ||
			 keep_warm->time == PG_INT64_MIN ||
			 !sp_timestamptz_add(as_of, -keep_warm->month, -keep_warm->day,
								 -keep_warm->time, zone, &since))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("timestamp out of range")));
	PG_RETURN_BOOL(s->last < since);
}
