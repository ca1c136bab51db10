/*-------------------------------------------------------------------------
 *
 * outcomes.h
 *	  The salesplan.outcomes state type, shared by the two files of the
 *	  outcomes family and by nothing else: outcomes.c (the type: lifecycle,
 *	  outcome_agg and rollup, text and binary forms) and outcomes_estimate.c
 *	  (the Aalen-Johansen estimate and the accessors that read it).
 *
 *-------------------------------------------------------------------------
 */
#ifndef SALESPLAN_OUTCOMES_H
#define SALESPLAN_OUTCOMES_H

#include "salesplan.h"

#define OUTCOMES_VERSION		1
#define OUTCOMES_TYPE			"salesplan.outcomes"
#define OUTCOMES_MAX_BINS		36600	/* 100 years of whole days */
#define OUTCOMES_MIN_CAPACITY	8

/* the outcomes of an entity, indexes into OutcomesBin.count */
#define OUTCOME_WON		0
#define OUTCOME_LOST	1
#define OUTCOME_OPEN	2

typedef struct OutcomesBin
{
	int32		days;			/* whole days from started, >= 0 */
	int32		reserved;		/* zero */
	int64		count[3];		/* won, lost, open (censored) at days */
} OutcomesBin;

typedef struct OutcomesState
{
	int32		vl_len_;		/* varlena header (do not touch directly) */
	uint8		version;		/* OUTCOMES_VERSION */
	uint8		flags;			/* SP_STATE_AGG or 0 (never printed or sent) */
	uint16		reserved;		/* zero */
	int32		nbins;			/* bins in use; capacity from VARSIZE */
	int32		reserved2;		/* zero */
	int64		entered;		/* sum of every bin's counts */
	int64		invalid;		/* rows that ended before they started */
	OutcomesBin bin[FLEXIBLE_ARRAY_MEMBER]; /* ascending days, distinct */
} OutcomesState;

#define OUTCOMES_HDRSZ			offsetof(OutcomesState, bin)
#define OUTCOMES_SIZE(n)		(OUTCOMES_HDRSZ + (Size) (n) * sizeof(OutcomesBin))
#define OUTCOMES_CAPACITY(s)	((int) ((VARSIZE(s) - OUTCOMES_HDRSZ) / sizeof(OutcomesBin)))

StaticAssertDecl(sizeof(OutcomesBin) == 32, "OutcomesBin must be 32 bytes");
StaticAssertDecl(offsetof(OutcomesState, bin) == 32, "OutcomesState header must be 32 bytes");

/* A stored or passed outcomes value to read: checked, detoasted (outcomes.c). */
extern const OutcomesState *outcomes_get(Datum d);

#endif							/* SALESPLAN_OUTCOMES_H */
