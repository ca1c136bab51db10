/*-------------------------------------------------------------------------
 *
 * slip_trend.c
 *	  Project paradigm: milestone trend analysis, the
 *	  salesplan.slip_trend_state type (slip_trend and its I/O).
 *
 * slip_trend_state is the state of slip_trend(reported, forecast): exact
 * 128-bit sums of day numbers (days since 2000-01-01) for a least-squares
 * slope.
 *
 * slip_trend reads no schedule: it is a family of its own, which shares
 * only the core (state.c, state_io.c, money.c) with schedule.c.
 *
 *-------------------------------------------------------------------------
 */
#include "salesplan.h"

#include "common/int.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"
#include "utils/date.h"

#define TREND_VERSION	1

static const char *const trend_type = "salesplan.slip_trend_state";

/*
 * An error naming the aggregate support function fname when it is called
 * outside an aggregate (the wording of schedule.c's check).
 */
static void
trend_agg_check(FunctionCallInfo fcinfo, const char *fname)
{
	if (!AggCheckCallContext(fcinfo, NULL))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("%s called in non-aggregate context", fname)));
}

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

	trend_agg_check(fcinfo, "salesplan.slip_trend_trans");
	t = (TrendData *) sp_state_arg(fcinfo, 0, &trend_state);
	if (t == NULL)
		t = (TrendData *) sp_state_alloc(sizeof(TrendData), &trend_state, true);

	/* a report without a date or without a forecast says nothing: skip */
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
		PG_RETURN_POINTER(t);
	x = sp_finite_date(PG_GETARG_DATEADT(1), "reported date");
	y = sp_finite_date(PG_GETARG_DATEADT(2), "forecast date");

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

	trend_agg_check(fcinfo, "salesplan.slip_trend_combine");
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
