/*-------------------------------------------------------------------------
 *
 * planning.c
 *	  Weighted pipeline: the transition function of
 *	  salesplan.weighted_pipeline(amount numeric, probability float8).
 *
 * The state is a plain numeric (a real type, so the aggregate is split
 * across parallel workers and Citus nodes without serial functions): the
 * exact running sum of amount * probability, where the probability is
 * converted to numeric as float8's text form shows it (0.35 stays 0.35).
 * The combine function is numeric_add.
 *
 *-------------------------------------------------------------------------
 */
#include "salesplan.h"

#include <math.h>

#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/numeric.h"

/*
 * Per-call-site cache (fn_extra): zero, and the numeric form of the last
 * few distinct probabilities (a pipeline has a handful of stage
 * probabilities, and converting float8 to numeric goes through its text
 * form, which costs more than the rest of the row).
 */
#define PIPELINE_CACHE_SIZE 16

typedef struct PipelineCache
{
	Numeric		zero;
	int			used;			/* filled entries */
	int			next;			/* entry to replace when full */
	float8		probability[PIPELINE_CACHE_SIZE];
	Numeric		converted[PIPELINE_CACHE_SIZE];
} PipelineCache;

/* salesplan.weighted_pipeline_trans(numeric, numeric, float8) -> numeric */
PG_FUNCTION_INFO_V1(salesplan_weighted_pipeline_trans);
Datum
salesplan_weighted_pipeline_trans(PG_FUNCTION_ARGS)
{
	Numeric		amount;
	float8		probability;
	Numeric		weighted;
	PipelineCache *cache;
	int			slot;

	if (!AggCheckCallContext(fcinfo, NULL))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("weighted_pipeline_trans called in non-aggregate context")));

	/* a row without amount or probability adds nothing */
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}

	cache = (PipelineCache *) fcinfo->flinfo->fn_extra;
	if (cache == NULL)
	{
		MemoryContext old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);

		cache = (PipelineCache *) palloc0(sizeof(PipelineCache));
		cache->zero = int64_to_numeric(0);
		MemoryContextSwitchTo(old);
		fcinfo->flinfo->fn_extra = cache;
	}

	amount = PG_GETARG_NUMERIC(1);
	probability = PG_GETARG_FLOAT8(2);
	if (numeric_is_nan(amount) || numeric_is_inf(amount))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("pipeline amount must be a finite number, not %s",
						DatumGetCString(DirectFunctionCall1(numeric_out,
															NumericGetDatum(amount))))));
	if (DatumGetBool(DirectFunctionCall2(numeric_lt, NumericGetDatum(amount),
										 NumericGetDatum(cache->zero))))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("pipeline amount must not be negative, not %s",
						DatumGetCString(DirectFunctionCall1(numeric_out,
															NumericGetDatum(amount))))));
	if (isnan(probability) || probability < 0.0 || probability > 1.0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("probability must be between 0 and 1, not %g", probability),
				 errhint("Give stage probabilities as fractions: 0.35, not 35.")));

	for (slot = 0; slot < cache->used; slot++)
		if (cache->probability[slot] == probability)
			break;
	if (slot == cache->used)
	{
		Numeric		converted = DatumGetNumeric(DirectFunctionCall1(float8_numeric,
																	Float8GetDatum(probability)));
		MemoryContext old;

		if (cache->used < PIPELINE_CACHE_SIZE)
			slot = cache->used++;
		else
		{
			slot = cache->next;
			cache->next = (cache->next + 1) % PIPELINE_CACHE_SIZE;
			pfree(cache->converted[slot]);
		}
		old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);
		cache->converted[slot] = DatumGetNumeric(datumCopy(NumericGetDatum(converted), false, -1));
		MemoryContextSwitchTo(old);
		cache->probability[slot] = probability;
	}
	weighted = numeric_mul_opt_error(amount, cache->converted[slot], NULL);
	if (PG_ARGISNULL(0))
		PG_RETURN_NUMERIC(weighted);
	PG_RETURN_NUMERIC(numeric_add_opt_error(PG_GETARG_NUMERIC(0), weighted, NULL));
}
