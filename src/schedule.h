/*-------------------------------------------------------------------------
 *
 * schedule.h
 *	  The salesplan.schedule state type, shared by the three files of the
 *	  schedule family and by nothing else: schedule.c (the type: lifecycle,
 *	  aggregates, what the state holds), schedule_io.c (its text and binary
 *	  forms) and earned_value.c (what a schedule says at a date: earned
 *	  value, earned schedule, punctuality).
 *
 *-------------------------------------------------------------------------
 */
#ifndef SALESPLAN_SCHEDULE_H
#define SALESPLAN_SCHEDULE_H

#include "salesplan.h"

#include "utils/date.h"

#define SCHEDULE_VERSION		2
#define SCHEDULE_MAX_MILESTONES 100000
#define SCHEDULE_INITIAL_SLOTS	4
#define SCHEDULE_FLAG_SORTED	0x01

/* a NULL weight: negative, which no known weight can be */
#define SCHEDULE_WEIGHT_UNKNOWN ((SpMoney) -1)

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

/*
 * Reading a schedule (schedule.c).  schedule_get: a schedule Datum as a
 * checked, detoasted pointer, read only.  schedule_weighted: the schedule
 * to compute with, sorted, its unknown weights counted as the mean of the
 * known ones.  schedule_start: the explicit start or the earliest
 * baseline.  schedule_planned_finish: the latest baseline.
 */
extern ScheduleData *schedule_get(Datum d);
extern const ScheduleData *schedule_weighted(Datum d);
extern DateADT schedule_start(const ScheduleData *s);
extern DateADT schedule_planned_finish(const ScheduleData *s);

/* s itself when it is sorted, else a sorted copy; never modifies s */
extern const ScheduleData *schedule_sorted(const ScheduleData *s);

/*
 * Checks of a decoded schedule (text or binary input, or a private copy of
 * a stored one), raising "code"; recomputes the total and sorts in place.
 */
extern void schedule_validate(ScheduleData *s, int code, const char *input);

/* validity of a stored (finite) date */
static inline bool
valid_date(DateADT d)
{
	return !DATE_NOT_FINITE(d) && IS_VALID_DATE(d);
}

#endif							/* SALESPLAN_SCHEDULE_H */
