/*-------------------------------------------------------------------------
 *
 * salesplan.h
 *	  Declarations shared by every salesplan family: exact money in
 *	  fixed-point 128-bit form, and helpers for the versioned binary and
 *	  text forms of the state types.
 *
 *-------------------------------------------------------------------------
 */
#ifndef SALESPLAN_H
#define SALESPLAN_H

#include "compat.h"

#include "datatype/timestamp.h"
#include "fmgr.h"
#include "lib/stringinfo.h"
#include "pgtime.h"
#include "utils/date.h"
#include "utils/numeric.h"

/*
 * Money (amounts, won value, potential value, weights) is summed exactly as
 * a signed 128-bit count of 10^-SP_MONEY_SCALE units.  Eight decimal places
 * cover every currency and most computed amounts; an input with a non-zero
 * digit past the eighth decimal place is an error (never silently rounded),
 * and so is a sum beyond +/-1.7e30.
 */
#define SP_MONEY_SCALE		8
typedef int128 SpMoney;

/*
 * Decode a numeric Datum (possibly toasted or with a short header) into
 * money units without allocating for the common case.  "what" names the
 * argument in error messages ("amount", "potential", ...).  NaN and
 * infinities are errors.  If dscale is not NULL it receives the input's
 * display scale, capped at SP_MONEY_SCALE, so results can be shown with the
 * scale the user's data has (as sum(numeric) does).
 */
extern SpMoney sp_money_from_numeric(Datum num, const char *what, int *dscale);

/* Numeric from money units, shown with dscale decimal places (0..8). */
extern Numeric sp_money_to_numeric(SpMoney value, int dscale);
extern Datum sp_money_to_datum(SpMoney value, int dscale);

/* *acc += value, with ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE on overflow. */
extern void sp_money_add(SpMoney *acc, SpMoney value, const char *what);

/*
 * Text form of money in state types: "-123.45" with dscale decimals.
 * sp_money_append writes it; sp_money_parse reads one from *p (advancing
 * it) and returns false if the text there is not a valid amount.
 */
extern void sp_money_append(StringInfo buf, SpMoney value, int dscale);
extern bool sp_money_parse(const char **p, SpMoney *value);

/* Binary form: two 64-bit halves, high first. */
extern void sp_send_money(StringInfo buf, SpMoney value);
extern SpMoney sp_getmsg_money(StringInfo msg);

/* Convert to float8 for rates. */
static inline double
sp_money_to_double(SpMoney value)
{
	return (double) value / 1e8;
}

/*
 * Text I/O helpers for state types.  A state's text form is
 * "(<version>,<field>,<field>,...)"-like but each family defines its own;
 * these read the common pieces strictly and raise
 * ERRCODE_INVALID_TEXT_REPRESENTATION naming the type and the input.
 * sp_text_bad raises that error with "why" (a full sentence) as detail,
 * for the checks a family makes itself.
 */
sp_noreturn extern void sp_text_bad(const char *type_name, const char *input, const char *why);
extern void sp_text_expect(const char **p, char c, const char *type_name, const char *input);
extern int64 sp_text_int64(const char **p, const char *type_name, const char *input);
extern SpMoney sp_text_money(const char **p, const char *type_name, const char *input);
extern void sp_text_end(const char **p, const char *type_name, const char *input);

/*
 * 128-bit integers (sums of products in state types) as plain decimal text:
 * sp_int128_append writes one, sp_text_int128 reads one with the errors of
 * sp_text_int64.  Not money: no scale.
 */
extern void sp_int128_append(StringInfo buf, int128 value);
extern int128 sp_text_int128(const char **p, const char *type_name, const char *input);

/*
 * Helpers several families had each kept a static copy of (state_io.c).
 *
 * sp_text_expect_word: sp_text_expect for every character of a literal
 * word ("v", ";touches=", ...) of a state's text form, with the same error.
 *
 * sp_not_aggregate_context: ERRCODE_FEATURE_NOT_SUPPORTED, "<fname> can
 * only be called as part of an aggregate"; for a support function whose
 * AggCheckCallContext failed.  Does not return.
 *
 * sp_finite_timestamp_arg: timestamptz argument argno (the caller has
 * checked it is not NULL); an infinite value is an
 * ERRCODE_DATETIME_VALUE_OUT_OF_RANGE error naming the argument "what".
 *
 * sp_finite_date: d itself when finite; -infinity or infinity is an
 * ERRCODE_DATETIME_VALUE_OUT_OF_RANGE error naming the date "what".
 *
 * sp_text_version: read "v<N>" that starts a state's text form; another
 * version than "expected" is ERRCODE_INVALID_TEXT_REPRESENTATION with the
 * detail "Only format version <expected> is supported."
 *
 * sp_getmsg_version: read the format version byte that starts a binary
 * state; another version than "expected" is ERRCODE_DATA_CORRUPTED,
 * "invalid binary <type_name> value".
 *
 * sp_getmsg_check_length: for a fixed-size binary form, the bytes left in
 * msg must be exactly "expected"; otherwise the same error, with the
 * lengths as detail.
 */
extern void sp_text_expect_word(const char **p, const char *word, const char *type_name, const char *input);
sp_noreturn extern void sp_not_aggregate_context(const char *fname);
extern TimestampTz sp_finite_timestamp_arg(FunctionCallInfo fcinfo, int argno, const char *what);
extern DateADT sp_finite_date(DateADT d, const char *what);
extern void sp_text_version(const char **p, int expected, const char *type_name, const char *input);
extern void sp_getmsg_version(StringInfo msg, int expected, const char *type_name);
extern void sp_getmsg_check_length(StringInfo msg, int expected, const char *type_name);

/*
 * Explicit time zones (time_zone.c; read its header comment).
 *
 * sp_zone_find: the zone named by len bytes at name, with its canonical
 * name copied to canonical (TZ_STRLEN_MAX + 1 bytes); NULL when it is not
 * a zone, with *why set to a full sentence or NULL.
 *
 * sp_zone_arg: the same for a text argument; an unknown zone is an
 * ERRCODE_INVALID_PARAMETER_VALUE error.  canonical may be NULL.
 *
 * sp_timestamptz_add: t + (months, days, usecs) on zone's calendar, as
 * timestamptz_pl_interval on the session zone's; false when out of range.
 */
extern pg_tz *sp_zone_find(const char *name, int len, char *canonical, const char **why);
extern pg_tz *sp_zone_arg(const text *zone, char *canonical);
extern bool sp_timestamptz_add(TimestampTz t, int32 months, int32 days, int64 usecs,
							   pg_tz *zone, TimestampTz *result);

/*
 * The life of an aggregate state (state.c; read its header comment).
 *
 * Every state type starts with the varlena header and a one-byte format
 * version, and reserves one byte (mark_offset) for SP_STATE_AGG: "built by
 * a transition or combine function, safe to update in place".
 *
 * SpStateType describes a type to the shared code:
 *	 fits(state): the header's counts describe exactly VARSIZE(state), so
 *		every read and every in-place write stays inside the value; called
 *		on every transition call, keep it O(1);
 *	 validate(state): every invariant of a value from outside, raising
 *		ERRCODE_DATA_CORRUPTED; it runs on a private copy, which it may
 *		normalise (sort), and the mark byte is clear while it runs;
 *	 upgrade(state): NULL, or a function that returns a new palloc'd value
 *		of the current version for a value of an older version it knows
 *		(NULL if it does not); it never modifies its argument.
 *
 * sp_state_arg(fcinfo, argno, t): the state argument of a transition or
 * combine function, as a value the function may write to (NULL for a SQL
 * NULL).  sp_state_read(datum, t): a value to read only.
 * sp_state_alloc(size, t, agg): a zeroed value in the current memory
 * context with its header set, marked when agg is true (transition and
 * combine), unmarked for input functions.
 */
#define SP_STATE_AGG		0x80
#define SP_STATE_VERSION(state)	(((uint8 *) (state))[VARHDRSZ])

typedef struct SpStateType
{
	const char *name;			/* "salesplan.funnel", for messages */
	uint8		version;		/* format version this build writes */
	uint16		mark_offset;	/* byte that holds SP_STATE_AGG */
	Size		header_size;	/* bytes fits() reads */
	bool		(*fits) (const void *state);
	void		(*validate) (void *state);
	void	   *(*upgrade) (const void *state);
} SpStateType;

/* window_funnel_scan.c: its settings (called by _PG_init). */
extern void sp_window_funnel_scan_init(void);

extern const void *sp_state_read(Datum d, const SpStateType *t);
extern void *sp_state_adopt(Datum d, const SpStateType *t);
extern void *sp_state_alloc(Size size, const SpStateType *t, bool agg);

static inline void *
sp_state_arg(FunctionCallInfo fcinfo, int argno, const SpStateType *t)
{
	Datum		d;
	uint8	   *p;

	if (PG_ARGISNULL(argno))
		return NULL;
	d = PG_GETARG_DATUM(argno);
	p = (uint8 *) DatumGetPointer(d);
	if (likely(VARATT_IS_4B_U(p) &&
			   VARSIZE(p) >= t->header_size &&
			   SP_STATE_VERSION(p) == t->version &&
			   (p[t->mark_offset] & SP_STATE_AGG) != 0 &&
			   t->fits(p)))
		return p;
	return sp_state_adopt(d, t);
}

#endif							/* SALESPLAN_H */
