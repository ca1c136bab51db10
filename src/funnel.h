/*-------------------------------------------------------------------------
 *
 * funnel.h
 *	  The salesplan.funnel state type, shared by the two files of the
 *	  funnel family and by nothing else: funnel.c (the type: lifecycle,
 *	  funnel_agg and rollup, text and binary forms) and funnel_accessors.c
 *	  (what a funnel says: counts, conversion rates, amounts, stages).
 *
 *-------------------------------------------------------------------------
 */
#ifndef SALESPLAN_FUNNEL_H
#define SALESPLAN_FUNNEL_H

#include "salesplan.h"

#define FUNNEL_VERSION		1
#define FUNNEL_MAX_STAGES	1000
#define FUNNEL_TYPE_NAME	"salesplan.funnel"

typedef struct FunnelStage
{
	int64		count;			/* entities whose deepest stage is exactly k */
	int64		priced;			/* of those, with a non-NULL amount */
	SpMoney		amount;			/* sum of their amounts */
} FunnelStage;

typedef struct Funnel
{
	int32		vl_len_;		/* varlena header (do not touch directly) */
	uint8		version;		/* FUNNEL_VERSION */
	uint8		flags;			/* SP_STATE_AGG or 0 (never sent) */
	uint16		dscale;			/* display scale of amounts, 0..8 */
	int32		declared;		/* declared stage count, 0 if not declared */
	int32		nstages;		/* stage count n; stage[] has n + 1 entries */
	int32		reserved;		/* 0, keeps population 8-aligned */
	int64		population;		/* sum of stage[k].count, k = 0..n */
	FunnelStage stage[FLEXIBLE_ARRAY_MEMBER];
} Funnel;

#define FUNNEL_HEADER_SIZE	offsetof(Funnel, stage)
#define FUNNEL_SIZE(n)		(FUNNEL_HEADER_SIZE + ((Size) (n) + 1) * sizeof(FunnelStage))

StaticAssertDecl(sizeof(FunnelStage) == 32, "FunnelStage must be 32 bytes");

/* A stored or passed funnel to read: checked and detoasted (funnel.c). */
extern Funnel *funnel_get(Datum d);

#define PG_GETARG_FUNNEL_P(n)	funnel_get(PG_GETARG_DATUM(n))

#endif							/* SALESPLAN_FUNNEL_H */
