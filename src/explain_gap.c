/*-------------------------------------------------------------------------
 *
 * explain_gap.c
 *	  Exact Shapley decomposition of the change of a product, the core of
 *	  salesplan.explain_gap (why did revenue move: leads, each stage's
 *	  conversion, order value).
 *
 * For a product P(x) = x_1 * ... * x_n moving from the baseline b to the
 * actual a, factor i's Shapley value is
 *
 *	  phi_i = (a_i - b_i) * sum_{S subset of N\{i}} |S|!(n-1-|S|)!/n!
 *								* prod_{j in S} a_j * prod_{j not in S, j != i} b_j
 *
 * The inner sum groups by |S| = s: the coefficient e_s of t^s in
 * prod_{j != i} (b_j + a_j t) is the sum over all S of size s.  So
 *
 *	  phi_i = (a_i - b_i) * (sum_s s!(n-1-s)! e_s) / n!
 *
 * which costs O(n^2) multiplications per factor instead of 2^n terms.
 *
 * Exactness.  Every step before the final division is done in exact
 * numeric arithmetic (additions and multiplications of numeric are exact),
 * so the polynomial does not depend on the order in which factors are
 * multiplied, and swapping a and b only reverses its coefficients, which
 * the symmetric weights s!(n-1-s)! undo: the weighted sum is the very same
 * number and phi_i changes sign exactly.  The single division by n! rounds
 * half away from zero, symmetric in sign.  Each phi_i is then rounded to
 * the requested scale (half away from zero), and the residual
 * round(P(a)) - round(P(b)) - sum(rounded), a few units of the last place,
 * is handed out one unit at a time to the factors whose rounding moved
 * them furthest in the opposite direction (ties: earlier factor first).
 * That keeps the effects' sum exact, keeps them antisymmetric under a swap
 * (the errors negate and the direction flips, so the same factors are
 * chosen), and keeps them deterministic.
 *
 * Inputs are bounded: at most SP_GAP_MAX_FACTORS factors, whose decimal
 * places add up to at most GAP_MAX_PLACES (numeric would round beyond),
 * and whose digits (integer digits and decimal places of the longer side
 * of each factor) add up to at most SP_GAP_MAX_DIGITS.  The exact
 * coefficients are as long as the inputs together, and each step
 * multiplies a long number by one short input, so the work grows as n^2
 * times the total digits times a factor's digits; the digit bound keeps
 * the worst case near 2.5 s (measured: 64 factors of 64 digits) and a
 * cancel is seen between any two multiplications.
 *
 *-------------------------------------------------------------------------
 */
#include "salesplan.h"

#include "catalog/pg_type.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/memutils.h"
#include "utils/numeric.h"

/* at most this many factors (a funnel of 62 stages, plus leads and aov) */
#define SP_GAP_MAX_FACTORS	64
/* effects are rounded to at most this many decimal places */
#define SP_GAP_MAX_SCALE	16
/* numeric keeps at most this many decimal places exactly (NUMERIC_DSCALE_MAX) */
#define GAP_MAX_PLACES		0x3FFF
/* the factors' digits, integer and decimal, add up to at most this */
#define SP_GAP_MAX_DIGITS	4096

typedef struct GapSortArg
{
	Numeric    *err;			/* phi_i - rounded_i */
	int			direction;		/* +1: largest error first; -1: smallest */
} GapSortArg;

static Numeric
gap_add(Numeric x, Numeric y)
{
	return numeric_add_opt_error(x, y, NULL);
}

static Numeric
gap_sub(Numeric x, Numeric y)
{
	return numeric_sub_opt_error(x, y, NULL);
}

static Numeric
gap_mul(Numeric x, Numeric y)
{
	return numeric_mul_opt_error(x, y, NULL);
}

static int
gap_cmp(Numeric x, Numeric y)
{
	return DatumGetInt32(DirectFunctionCall2(numeric_cmp,
											 NumericGetDatum(x),
											 NumericGetDatum(y)));
}

static Numeric
gap_round(Numeric x, int scale)
{
	return DatumGetNumeric(DirectFunctionCall2(numeric_round,
											   NumericGetDatum(x),
											   Int32GetDatum(scale)));
}

static bool
gap_is_zero(Numeric x)
{
	return gap_cmp(x, int64_to_numeric(0)) == 0;
}

/* digits of a finite numeric: integer digits and decimal places */
static int
gap_digits(Numeric x)
{
	char	   *text = DatumGetCString(DirectFunctionCall1(numeric_out, NumericGetDatum(x)));
	int			digits = 0;
	char	   *c;

	for (c = text; *c; c++)
		if (*c >= '0' && *c <= '9')
			digits++;
	pfree(text);
	return digits;
}

/* decimal places shown by a finite numeric */
static int
gap_scale(Numeric x)
{
	return DatumGetInt32(DirectFunctionCall1(numeric_scale, NumericGetDatum(x)));
}

/* 10^e exactly, shown with max(0, -e) decimals */
static Numeric
gap_pow10(int e)
{
	return DatumGetNumeric(DirectFunctionCall3(numeric_in,
											   CStringGetDatum(psprintf("1e%d", e)),
											   ObjectIdGetDatum(InvalidOid),
											   Int32GetDatum(-1)));
}

/* order factor indexes for the residual: by error in direction, then index */
static int
gap_residual_cmp(const void *p1, const void *p2, void *arg)
{
	int			i1 = *(const int *) p1;
	int			i2 = *(const int *) p2;
	GapSortArg *sa = (GapSortArg *) arg;
	int			c;

	c = gap_cmp(sa->err[i1], sa->err[i2]);
	if (c != 0)
		return sa->direction > 0 ? -c : c;
	return (i1 > i2) - (i1 < i2);
}

/*
 * Read one side's factors.  NULL elements are kept as NULL pointers;
 * NaN and infinities are errors.
 */
static int
gap_read_array(ArrayType *arr, const char *side, Numeric **values)
{
	Datum	   *elems;
	bool	   *nulls;
	int			n;
	int			i;

	if (ARR_NDIM(arr) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("%s factors must be a one-dimensional array", side)));
	n = ArrayGetNItems(ARR_NDIM(arr), ARR_DIMS(arr));
	if (n <= SP_GAP_MAX_FACTORS)
		deconstruct_array(arr, NUMERICOID, -1, false, TYPALIGN_INT,
						  &elems, &nulls, &n);
	if (n > SP_GAP_MAX_FACTORS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("too many factors: %d", n),
				 errdetail("The exact decomposition handles at most %d factors.",
						   SP_GAP_MAX_FACTORS)));
	*values = (Numeric *) palloc0(sizeof(Numeric) * Max(n, 1));
	for (i = 0; i < n; i++)
	{
		Numeric		v;

		if (nulls[i])
			continue;
		v = DatumGetNumeric(elems[i]);
		if (numeric_is_nan(v) || numeric_is_inf(v))
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("%s factor %d must be a finite number, not %s",
							side, i + 1,
							DatumGetCString(DirectFunctionCall1(numeric_out,
																NumericGetDatum(v))))));
		(*values)[i] = v;
	}
	return n;
}

/* salesplan.shapley_product(numeric[], numeric[], int) -> numeric[] */
PG_FUNCTION_INFO_V1(salesplan_shapley_product);
Datum
salesplan_shapley_product(PG_FUNCTION_ARGS)
{
	ArrayType  *actual_arr = PG_GETARG_ARRAYTYPE_P(0);
	ArrayType  *baseline_arr = PG_GETARG_ARRAYTYPE_P(1);
	int32		scale = PG_GETARG_INT32(2);
	Numeric    *a;
	Numeric    *b;
	Numeric    *fact;
	Numeric    *weight;
	Numeric    *phi;
	Numeric    *rounded;
	Numeric    *err;
	Numeric    *poly;
	Datum	   *out;
	int		   *order;
	int			n;
	int			nb;
	int			i;
	int			j;
	int			s;
	Numeric		zero = int64_to_numeric(0);
	Numeric		one = int64_to_numeric(1);
	Numeric		prod_a;
	Numeric		prod_b;
	Numeric		total;
	Numeric		sum_rounded;
	Numeric		unit;
	int64		residual;
	MemoryContext outer;
	MemoryContext work;

	if (scale < 0 || scale > SP_GAP_MAX_SCALE)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("scale must be between 0 and %d, not %d",
						SP_GAP_MAX_SCALE, scale)));

	n = gap_read_array(actual_arr, "actual", &a);
	nb = gap_read_array(baseline_arr, "baseline", &b);
	if (n != nb)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("actual has %d factors but baseline has %d", n, nb),
				 errhint("Both sides must list the same factors in the same order.")));
	if (n == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("at least one factor is needed")));

	/*
	 * A factor undefined on one side (NULL: a rate of a stage nobody
	 * entered) takes the other side's value, so it gets no effect; NULL on
	 * both sides counts as 0.
	 */
	for (i = 0; i < n; i++)
	{
		if (a[i] == NULL && b[i] == NULL)
			a[i] = b[i] = zero;
		else if (a[i] == NULL)
			a[i] = b[i];
		else if (b[i] == NULL)
			b[i] = a[i];
	}

	/*
	 * Products of numerics are exact only while their decimal places add up
	 * to at most NUMERIC_DSCALE_MAX (numeric rounds beyond that); the
	 * longest product below is the factor change times n - 1 other factors.
	 */
	{
		int64		places = 0;
		int64		digits = 0;
		int			longest = 0;

		for (i = 0; i < n; i++)
		{
			int			pa = gap_scale(a[i]);
			int			pb = gap_scale(b[i]);

			places += Max(pa, pb);
			longest = Max(longest, Max(pa, pb));
			digits += Max(gap_digits(a[i]), gap_digits(b[i]));
		}
		if (digits > SP_GAP_MAX_DIGITS)
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("factors carry too many digits for an exact decomposition: %lld",
							(long long) digits),
					 errdetail("Their digits (integer digits and decimal places) may add up to at most %d; the work grows with the cube of their length.",
							   SP_GAP_MAX_DIGITS),
					 errhint("Round the factors first, for example rates to 15 decimal places and amounts to cents.")));
		if (places + longest > GAP_MAX_PLACES)
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("factors carry too many decimal places for an exact decomposition: %lld",
							(long long) places),
					 errdetail("Their decimal places may add up to at most %d.",
							   GAP_MAX_PLACES),
					 errhint("Round the factors first, for example to 40 decimal places.")));
	}

	/* exact products and the change the effects must add up to */
	prod_a = one;
	prod_b = one;
	for (i = 0; i < n; i++)
	{
		prod_a = gap_mul(prod_a, a[i]);
		prod_b = gap_mul(prod_b, b[i]);
	}
	total = gap_sub(gap_round(prod_a, scale), gap_round(prod_b, scale));

	/* fact[m] = m!, weight[s] = s!(n-1-s)! */
	fact = (Numeric *) palloc(sizeof(Numeric) * (n + 1));
	fact[0] = one;
	for (i = 1; i <= n; i++)
		fact[i] = gap_mul(fact[i - 1], int64_to_numeric(i));
	weight = (Numeric *) palloc(sizeof(Numeric) * n);
	for (s = 0; s < n; s++)
		weight[s] = gap_mul(fact[s], fact[n - 1 - s]);

	phi = (Numeric *) palloc(sizeof(Numeric) * n);
	rounded = (Numeric *) palloc(sizeof(Numeric) * n);
	err = (Numeric *) palloc(sizeof(Numeric) * n);
	poly = (Numeric *) palloc(sizeof(Numeric) * n);

	outer = CurrentMemoryContext;
	work = AllocSetContextCreate(CurrentMemoryContext,
								 "salesplan explain_gap",
								 ALLOCSET_DEFAULT_SIZES);
	for (i = 0; i < n; i++)
	{
		Numeric		diff;
		Numeric		wsum;
		Numeric		value;
		int			deg;

		CHECK_FOR_INTERRUPTS();
		diff = gap_sub(a[i], b[i]);
		if (gap_is_zero(diff))
		{
			phi[i] = zero;
			continue;
		}

		MemoryContextSwitchTo(work);
		/* poly(t) = prod_{j != i} (b_j + a_j t), exactly */
		poly[0] = one;
		deg = 0;
		for (j = 0; j < n; j++)
		{
			if (j == i)
				continue;
			poly[deg + 1] = gap_mul(poly[deg], a[j]);
			for (s = deg; s >= 1; s--)
			{
				CHECK_FOR_INTERRUPTS();
				poly[s] = gap_add(gap_mul(poly[s], b[j]),
								  gap_mul(poly[s - 1], a[j]));
			}
			poly[0] = gap_mul(poly[0], b[j]);
			deg++;
		}
		wsum = zero;
		for (s = 0; s <= deg; s++)
		{
			CHECK_FOR_INTERRUPTS();
			wsum = gap_add(wsum, gap_mul(weight[s], poly[s]));
		}
		value = numeric_div_opt_error(gap_mul(diff, wsum), fact[n], NULL);
		MemoryContextSwitchTo(outer);
		phi[i] = DatumGetNumeric(datumCopy(NumericGetDatum(value), false, -1));
		MemoryContextReset(work);
	}
	MemoryContextDelete(work);

	/* round, then hand out the residual */
	sum_rounded = zero;
	for (i = 0; i < n; i++)
	{
		rounded[i] = gap_round(phi[i], scale);
		err[i] = gap_sub(phi[i], rounded[i]);
		sum_rounded = gap_add(sum_rounded, rounded[i]);
	}
	residual = DatumGetInt64(DirectFunctionCall1(numeric_int8,
												 NumericGetDatum(gap_mul(gap_sub(total, sum_rounded),
																		 gap_pow10(scale)))));
	if (residual != 0)
	{
		GapSortArg	sa;
		int64		count = residual > 0 ? residual : -residual;
		int64		each = count / n;
		int64		extra = count % n;

		/* one unit of the last place, with the residual's sign */
		unit = gap_pow10(-scale);
		if (residual < 0)
			unit = gap_sub(zero, unit);

		order = (int *) palloc(sizeof(int) * n);
		for (i = 0; i < n; i++)
			order[i] = i;
		sa.err = err;
		sa.direction = residual > 0 ? 1 : -1;
		qsort_arg(order, n, sizeof(int), gap_residual_cmp, &sa);
		for (i = 0; i < n; i++)
		{
			int64		units = each + (i < extra ? 1 : 0);

			if (units != 0)
				rounded[order[i]] = gap_add(rounded[order[i]],
											gap_mul(unit, int64_to_numeric(units)));
		}
	}

	out = (Datum *) palloc(sizeof(Datum) * n);
	for (i = 0; i < n; i++)
		out[i] = NumericGetDatum(gap_round(rounded[i], scale));
	PG_RETURN_ARRAYTYPE_P(construct_array(out, n, NUMERICOID, -1, false,
										  TYPALIGN_INT));
}
