/*-------------------------------------------------------------------------
 *
 * funnel_accessors.c
 *	  What a salesplan.funnel says: population, leads, won, conversion
 *	  rates, revenue and average order value, and the per-stage table
 *	  (salesplan.stages).  The type itself is in funnel.c, through
 *	  funnel.h; none of these modifies its input.
 *
 * The state keeps exact-level counts (entities whose deepest stage is
 * exactly k); "entered stage k" (reached k or deeper) is computed here.
 *
 *-------------------------------------------------------------------------
 */
#include "salesplan.h"

#include "catalog/pg_type.h"
#include "funcapi.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/numeric.h"

#include "funnel.h"

/* entities that entered stage k (reached >= k), 0 <= k <= n + 1 */
static int64
funnel_entered(const Funnel *f, int k)
{
	int64		n = 0;
	int			j;

	for (j = k; j <= f->nstages; j++)
		n += f->stage[j].count;
	return n;
}

/* entered[k] for k = 0..n + 1, in a palloc'd array */
static int64 *
funnel_entered_all(const Funnel *f)
{
	int64	   *e = palloc((f->nstages + 2) * sizeof(int64));
	int			k;

	e[f->nstages + 1] = 0;
	for (k = f->nstages; k >= 0; k--)
		e[k] = e[k + 1] + f->stage[k].count;
	return e;
}

/* salesplan.population(salesplan.funnel) -> bigint */
PG_FUNCTION_INFO_V1(salesplan_funnel_population);
Datum
salesplan_funnel_population(PG_FUNCTION_ARGS)
{
	Funnel	   *f = PG_GETARG_FUNNEL_P(0);

	PG_RETURN_INT64(f->population);
}

/* salesplan.stage_count(salesplan.funnel) -> int */
PG_FUNCTION_INFO_V1(salesplan_funnel_stage_count);
Datum
salesplan_funnel_stage_count(PG_FUNCTION_ARGS)
{
	Funnel	   *f = PG_GETARG_FUNNEL_P(0);

	PG_RETURN_INT32(f->nstages);
}

/* salesplan.declared_stages(salesplan.funnel) -> int */
PG_FUNCTION_INFO_V1(salesplan_funnel_declared_stages);
Datum
salesplan_funnel_declared_stages(PG_FUNCTION_ARGS)
{
	Funnel	   *f = PG_GETARG_FUNNEL_P(0);

	if (f->declared == 0)
		PG_RETURN_NULL();
	PG_RETURN_INT32(f->declared);
}

/* salesplan.leads(salesplan.funnel) -> bigint */
PG_FUNCTION_INFO_V1(salesplan_funnel_leads);
Datum
salesplan_funnel_leads(PG_FUNCTION_ARGS)
{
	Funnel	   *f = PG_GETARG_FUNNEL_P(0);

	PG_RETURN_INT64(funnel_entered(f, 1));
}

/* salesplan.won(salesplan.funnel) -> bigint */
PG_FUNCTION_INFO_V1(salesplan_funnel_won);
Datum
salesplan_funnel_won(PG_FUNCTION_ARGS)
{
	Funnel	   *f = PG_GETARG_FUNNEL_P(0);

	PG_RETURN_INT64(f->nstages > 0 ? f->stage[f->nstages].count : 0);
}

/* salesplan.priced_won(salesplan.funnel) -> bigint */
PG_FUNCTION_INFO_V1(salesplan_funnel_priced_won);
Datum
salesplan_funnel_priced_won(PG_FUNCTION_ARGS)
{
	Funnel	   *f = PG_GETARG_FUNNEL_P(0);

	PG_RETURN_INT64(f->nstages > 0 ? f->stage[f->nstages].priced : 0);
}

/* salesplan.revenue(salesplan.funnel) -> numeric */
PG_FUNCTION_INFO_V1(salesplan_funnel_revenue);
Datum
salesplan_funnel_revenue(PG_FUNCTION_ARGS)
{
	Funnel	   *f = PG_GETARG_FUNNEL_P(0);

	return sp_money_to_datum(f->nstages > 0 ? f->stage[f->nstages].amount : 0,
							 f->dscale);
}

/* salesplan.aov(salesplan.funnel) -> numeric */
PG_FUNCTION_INFO_V1(salesplan_funnel_aov);
Datum
salesplan_funnel_aov(PG_FUNCTION_ARGS)
{
	Funnel	   *f = PG_GETARG_FUNNEL_P(0);
	const FunnelStage *s;

	if (f->nstages == 0 || f->stage[f->nstages].priced == 0)
		PG_RETURN_NULL();
	s = &f->stage[f->nstages];
	return DirectFunctionCall2(numeric_div,
							   sp_money_to_datum(s->amount, f->dscale),
							   DirectFunctionCall1(int8_numeric, Int64GetDatum(s->priced)));
}

/* salesplan.overall_conversion(salesplan.funnel) -> float8 */
PG_FUNCTION_INFO_V1(salesplan_funnel_overall_conversion);
Datum
salesplan_funnel_overall_conversion(PG_FUNCTION_ARGS)
{
	Funnel	   *f = PG_GETARG_FUNNEL_P(0);
	int64		leads = funnel_entered(f, 1);

	if (leads == 0)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8((double) f->stage[f->nstages].count / (double) leads);
}

/* salesplan.conversion(salesplan.funnel, int, int) -> float8 */
PG_FUNCTION_INFO_V1(salesplan_funnel_conversion);
Datum
salesplan_funnel_conversion(PG_FUNCTION_ARGS)
{
	Funnel	   *f = PG_GETARG_FUNNEL_P(0);
	int32		from = PG_GETARG_INT32(1);
	int32		to = PG_GETARG_INT32(2);
	int64		efrom;

	if (from < 1 || to > f->nstages || from > to)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("funnel conversion from stage %d to stage %d is out of range", from, to),
				 errdetail("The stages must satisfy 1 <= from_stage <= to_stage <= %d, the funnel's stage count.",
						   f->nstages)));
	efrom = funnel_entered(f, from);
	if (efrom == 0)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8((double) funnel_entered(f, to) / (double) efrom);
}

/* salesplan.entered(salesplan.funnel) -> bigint[] */
PG_FUNCTION_INFO_V1(salesplan_funnel_entered);
Datum
salesplan_funnel_entered(PG_FUNCTION_ARGS)
{
	Funnel	   *f = PG_GETARG_FUNNEL_P(0);
	int64	   *e = funnel_entered_all(f);
	Datum	   *d = palloc(Max(f->nstages, 1) * sizeof(Datum));
	int			k;

	for (k = 1; k <= f->nstages; k++)
		d[k - 1] = Int64GetDatum(e[k]);
	PG_RETURN_ARRAYTYPE_P(construct_array(d, f->nstages, INT8OID, 8, FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
}

/* salesplan.conversions(salesplan.funnel) -> float8[] */
PG_FUNCTION_INFO_V1(salesplan_funnel_conversions);
Datum
salesplan_funnel_conversions(PG_FUNCTION_ARGS)
{
	Funnel	   *f = PG_GETARG_FUNNEL_P(0);
	int64	   *e = funnel_entered_all(f);
	int			n = Max(f->nstages - 1, 0);
	Datum	   *d = palloc(Max(n, 1) * sizeof(Datum));
	bool	   *nulls = palloc(Max(n, 1) * sizeof(bool));
	int			dims[1];
	int			lbs[1];
	int			k;

	for (k = 1; k <= n; k++)
	{
		nulls[k - 1] = (e[k] == 0);
		d[k - 1] = nulls[k - 1] ? (Datum) 0 :
			Float8GetDatum((double) e[k + 1] / (double) e[k]);
	}
	if (n == 0)
		PG_RETURN_ARRAYTYPE_P(construct_empty_array(FLOAT8OID));
	dims[0] = n;
	lbs[0] = 1;
	PG_RETURN_ARRAYTYPE_P(construct_md_array(d, nulls, 1, dims, lbs, FLOAT8OID, 8,
											 FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
}

/* salesplan.amounts(salesplan.funnel) -> numeric[] */
PG_FUNCTION_INFO_V1(salesplan_funnel_amounts);
Datum
salesplan_funnel_amounts(PG_FUNCTION_ARGS)
{
	Funnel	   *f = PG_GETARG_FUNNEL_P(0);
	Datum	   *d = palloc(Max(f->nstages, 1) * sizeof(Datum));
	int			k;

	for (k = 1; k <= f->nstages; k++)
		d[k - 1] = sp_money_to_datum(f->stage[k].amount, f->dscale);
	PG_RETURN_ARRAYTYPE_P(construct_array(d, f->nstages, NUMERICOID, -1, false, TYPALIGN_INT));
}

/* per-call state of salesplan.stages */
typedef struct FunnelStagesCtx
{
	Funnel	   *f;				/* private copy of the argument */
	int64	   *entered;		/* entered[k], k = 0..n + 1 */
} FunnelStagesCtx;

/* salesplan.stages(salesplan.funnel) -> TABLE(stage int, entered bigint, advanced bigint, conversion float8, cumulative float8, amount numeric) */
PG_FUNCTION_INFO_V1(salesplan_funnel_stages);
Datum
salesplan_funnel_stages(PG_FUNCTION_ARGS)
{
	FuncCallContext *funcctx;
	FunnelStagesCtx *ctx;

	if (SRF_IS_FIRSTCALL())
	{
		MemoryContext oldcontext;
		TupleDesc	tupdesc;
		Funnel	   *f;

		funcctx = SRF_FIRSTCALL_INIT();
		oldcontext = MemoryContextSwitchTo(funcctx->multi_call_memory_ctx);
		if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
			ereport(ERROR,
					(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
					 errmsg("salesplan.stages must be called in a context that accepts a set")));
		funcctx->tuple_desc = BlessTupleDesc(tupdesc);
		f = PG_GETARG_FUNNEL_P(0);
		ctx = palloc(sizeof(FunnelStagesCtx));
		ctx->f = palloc(VARSIZE(f));
		memcpy(ctx->f, f, VARSIZE(f));
		ctx->entered = funnel_entered_all(ctx->f);
		funcctx->user_fctx = ctx;
		funcctx->max_calls = ctx->f->nstages;
		MemoryContextSwitchTo(oldcontext);
	}
	funcctx = SRF_PERCALL_SETUP();
	ctx = (FunnelStagesCtx *) funcctx->user_fctx;

	if (funcctx->call_cntr < funcctx->max_calls)
	{
		const Funnel *f = ctx->f;
		const int64 *e = ctx->entered;
		int			k = (int) funcctx->call_cntr + 1;
		Datum		values[6];
		bool		nulls[6] = {false, false, false, false, false, false};

		values[0] = Int32GetDatum(k);
		values[1] = Int64GetDatum(e[k]);
		values[2] = Int64GetDatum(e[k + 1]);
		values[3] = (Datum) 0;
		values[4] = (Datum) 0;
		if (k == f->nstages)
			nulls[2] = nulls[3] = true;
		else if (e[k] == 0)
			nulls[3] = true;
		else
			values[3] = Float8GetDatum((double) e[k + 1] / (double) e[k]);
		if (e[1] == 0)
			nulls[4] = true;
		else
			values[4] = Float8GetDatum((double) e[k] / (double) e[1]);
		values[5] = sp_money_to_datum(f->stage[k].amount, f->dscale);
		SRF_RETURN_NEXT(funcctx,
						HeapTupleGetDatum(heap_form_tuple(funcctx->tuple_desc, values, nulls)));
	}
	SRF_RETURN_DONE(funcctx);
}
