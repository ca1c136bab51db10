
-- ---------------------------------------------------------------------------
-- Probability paradigm: from target to behaviour (plan, activities, pacing),
-- why the number moved (explain_gap), velocity, pipeline, charts.
-- Reference: doc/planning.md
-- ---------------------------------------------------------------------------

CREATE FUNCTION salesplan.shapley_product(actual numeric[], baseline numeric[], scale integer DEFAULT 2)
RETURNS numeric[]
AS 'MODULE_PATHNAME', 'salesplan_gap_shapley'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION salesplan.shapley_product(numeric[], numeric[], integer) IS
    'exact Shapley decomposition of the change of a product of factors from baseline to actual: one effect per factor, rounded to scale, summing exactly to round(product(actual)) - round(product(baseline)); a NULL factor takes the other side''s value';

CREATE FUNCTION salesplan.explain_gap_check(leads numeric, conversions numeric[], aov numeric, side text)
RETURNS void
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    c numeric;
    i integer := 0;
BEGIN
    IF leads < 0 OR leads = 'NaN'::numeric OR leads = 'Infinity'::numeric THEN
        RAISE EXCEPTION '% leads must be a finite number >= 0, not %', side, leads
            USING ERRCODE = '22023';
    END IF;
    IF aov < 0 OR aov = 'NaN'::numeric OR aov = 'Infinity'::numeric THEN
        RAISE EXCEPTION '% aov must be a finite number >= 0, not %', side, aov
            USING ERRCODE = '22023';
    END IF;
    FOREACH c IN ARRAY coalesce(conversions, '{}'::numeric[]) LOOP
        i := i + 1;
        IF c < 0 OR c > 1 THEN
            RAISE EXCEPTION '% conversion % must be between 0 and 1, not %', side, i, c
                USING ERRCODE = '22023',
                      HINT = 'A conversion is the share of entities entering a stage that advance to the next one.';
        END IF;
    END LOOP;
END
$$;

COMMENT ON FUNCTION salesplan.explain_gap_check(numeric, numeric[], numeric, text) IS
    'validates one side of explain_gap given as numbers (leads >= 0, conversions in [0, 1], aov >= 0; NULL conversion or aov means undefined); raises 22023 otherwise';

CREATE FUNCTION salesplan.revenue_factors(f salesplan.funnel)
RETURNS numeric[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT ARRAY[coalesce(e[1], 0)::numeric]
        || coalesce((SELECT pg_catalog.array_agg(
                         CASE WHEN e[k] = 0 THEN NULL
                              ELSE pg_catalog.round(e[k + 1]::numeric(60, 40) / e[k], 40) END
                         ORDER BY k)
                     FROM pg_catalog.generate_series(1, pg_catalog.cardinality(e) - 1) AS k),
                    '{}'::numeric[])
        || ARRAY[CASE WHEN coalesce(e[pg_catalog.cardinality(e)], 0) = 0 THEN NULL
                      ELSE pg_catalog.round(salesplan.priced_won(f)::numeric(60, 40) / e[pg_catalog.cardinality(e)], 40) END,
                 CASE WHEN salesplan.priced_won(f) = 0 THEN NULL
                      ELSE pg_catalog.round(salesplan.revenue(f)::numeric(80, 40) / salesplan.priced_won(f), 40) END]
    FROM (SELECT salesplan.entered(f) AS e) AS s
$$;

COMMENT ON FUNCTION salesplan.revenue_factors(salesplan.funnel) IS
    'the factors whose product is the funnel''s revenue: {leads, conversion of each stage transition, priced_share (won with an amount / won), aov}, rates to 40 decimals; NULL for a rate nobody entered';

CREATE FUNCTION salesplan.explain_gap_factors(actual numeric[], baseline numeric[], scale integer)
RETURNS TABLE (factor text, effect numeric)
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
    -- layout of both arrays: leads, conversions 1..k, priced_share, aov;
    -- priced_share is left out when every won entity has an amount on both
    -- sides (it is 1 or undefined everywhere and would only add a zero row)
    WITH l AS (
        SELECT pg_catalog.cardinality(actual) AS n,
               coalesce(actual[pg_catalog.cardinality(actual) - 1], 1) = 1
               AND coalesce(baseline[pg_catalog.cardinality(actual) - 1], 1) = 1 AS drop_share
    ), names AS (
        SELECT i,
               CASE WHEN i = 1 THEN 'leads'
                    WHEN i = l.n THEN 'aov'
                    WHEN i = l.n - 1 THEN 'priced_share'
                    ELSE 'conversion_' || (i - 1) || '_' || i END AS name
        FROM l, pg_catalog.generate_series(1, l.n) AS i
        WHERE NOT (l.drop_share AND i = l.n - 1)
    ), e AS (
        SELECT salesplan.shapley_product(
                   (SELECT pg_catalog.array_agg(actual[i] ORDER BY i) FROM names),
                   (SELECT pg_catalog.array_agg(baseline[i] ORDER BY i) FROM names),
                   scale) AS effects
    )
    SELECT name, e.effects[pos]
    FROM e, (SELECT name, pg_catalog.row_number() OVER (ORDER BY i) AS pos FROM names) AS nn
    ORDER BY pos
$$;

COMMENT ON FUNCTION salesplan.explain_gap_factors(numeric[], numeric[], integer) IS
    'internal to explain_gap: names and decomposes two factor arrays laid out as {leads, conversions..., priced_share, aov}';

CREATE FUNCTION salesplan.explain_gap(actual salesplan.funnel, baseline salesplan.funnel)
RETURNS TABLE (factor text, effect numeric)
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    ka integer := salesplan.stage_count(actual);
    kb integer := salesplan.stage_count(baseline);
    fa numeric[];
    fb numeric[];
BEGIN
    IF ka <> kb AND ka <> 0 AND kb <> 0 THEN
        RAISE EXCEPTION 'actual funnel has % stages but baseline has %', ka, kb
            USING ERRCODE = '22023',
                  HINT = 'Build both funnels with funnel_agg(reached, amount, stages) and the same stages, so an empty last stage still counts.';
    END IF;
    IF GREATEST(ka, kb) + 2 > 64 THEN
        RAISE EXCEPTION 'explain_gap handles funnels of at most 62 stages, not %', GREATEST(ka, kb)
            USING ERRCODE = '54000';
    END IF;
    fa := salesplan.revenue_factors(actual);
    fb := salesplan.revenue_factors(baseline);
    -- a funnel nobody entered has no stages: all its rates are undefined
    IF ka = 0 THEN
        fa := ARRAY[0::numeric] || pg_catalog.array_fill(NULL::numeric, ARRAY[kb + 1]);
    ELSIF kb = 0 THEN
        fb := ARRAY[0::numeric] || pg_catalog.array_fill(NULL::numeric, ARRAY[ka + 1]);
    END IF;
    RETURN QUERY SELECT * FROM salesplan.explain_gap_factors(fa, fb,
        LEAST(8, GREATEST(2, pg_catalog.scale(salesplan.revenue(actual)), pg_catalog.scale(salesplan.revenue(baseline)))));
END
$$;

COMMENT ON FUNCTION salesplan.explain_gap(salesplan.funnel, salesplan.funnel) IS
    'why revenue moved from baseline to actual: exact Shapley effects of leads, each stage conversion (conversion_k_k+1), the share of won with an amount (priced_share, only when some lack one) and aov; they sum exactly to revenue(actual) - revenue(baseline)';

CREATE FUNCTION salesplan.explain_gap(actual salesplan.funnel, baseline_leads numeric,
                                      baseline_conversions numeric[], baseline_aov numeric)
RETURNS TABLE (factor text, effect numeric)
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    ka integer;
    k integer;
    fa numeric[];
BEGIN
    IF actual IS NULL OR baseline_leads IS NULL OR baseline_conversions IS NULL THEN
        RETURN;
    END IF;
    IF pg_catalog.array_ndims(baseline_conversions) > 1 THEN
        RAISE EXCEPTION 'baseline conversions must be a one-dimensional array'
            USING ERRCODE = '2202E';
    END IF;
    ka := salesplan.stage_count(actual);
    k := coalesce(pg_catalog.cardinality(baseline_conversions), 0);
    IF ka <> k + 1 AND ka <> 0 THEN
        RAISE EXCEPTION 'actual funnel has % stages but the baseline gives % conversions', ka, k
            USING ERRCODE = '22023',
                  HINT = 'Give one baseline conversion per stage transition (stages - 1 of them).';
    END IF;
    IF k + 3 > 64 THEN
        RAISE EXCEPTION 'explain_gap handles funnels of at most 62 stages, not %', k + 1
            USING ERRCODE = '54000';
    END IF;
    PERFORM salesplan.explain_gap_check(baseline_leads, baseline_conversions, baseline_aov, 'baseline');
    fa := CASE WHEN ka = 0 THEN ARRAY[0::numeric] || pg_catalog.array_fill(NULL::numeric, ARRAY[k + 2])
               ELSE salesplan.revenue_factors(actual) END;
    RETURN QUERY SELECT * FROM salesplan.explain_gap_factors(
        fa,
        ARRAY[baseline_leads] || baseline_conversions || ARRAY[1::numeric, baseline_aov],
        LEAST(8, GREATEST(2, pg_catalog.scale(salesplan.revenue(actual)), pg_catalog.scale(baseline_aov))));
END
$$;

COMMENT ON FUNCTION salesplan.explain_gap(salesplan.funnel, numeric, numeric[], numeric) IS
    'why revenue differs from a plan given as numbers (leads, conversion per stage transition, aov): exact Shapley effects summing to revenue(actual) - round(leads * product(conversions) * aov)';

CREATE FUNCTION salesplan.explain_gap(
    actual_leads numeric, actual_conversions numeric[], actual_aov numeric,
    baseline_leads numeric, baseline_conversions numeric[], baseline_aov numeric)
RETURNS TABLE (factor text, effect numeric)
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    k integer;
BEGIN
    IF actual_leads IS NULL OR baseline_leads IS NULL
       OR actual_conversions IS NULL OR baseline_conversions IS NULL THEN
        RETURN;
    END IF;
    IF pg_catalog.array_ndims(actual_conversions) > 1 OR pg_catalog.array_ndims(baseline_conversions) > 1 THEN
        RAISE EXCEPTION 'conversions must be one-dimensional arrays'
            USING ERRCODE = '2202E';
    END IF;
    k := coalesce(pg_catalog.cardinality(actual_conversions), 0);
    IF k <> coalesce(pg_catalog.cardinality(baseline_conversions), 0) THEN
        RAISE EXCEPTION 'actual has % conversions but baseline has %',
            k, coalesce(pg_catalog.cardinality(baseline_conversions), 0)
            USING ERRCODE = '22023',
                  HINT = 'Both sides must describe funnels with the same number of stages (one conversion per stage transition).';
    END IF;
    IF k + 3 > 64 THEN
        RAISE EXCEPTION 'explain_gap handles funnels of at most 62 stages, not %', k + 1
            USING ERRCODE = '54000';
    END IF;
    PERFORM salesplan.explain_gap_check(actual_leads, actual_conversions, actual_aov, 'actual');
    PERFORM salesplan.explain_gap_check(baseline_leads, baseline_conversions, baseline_aov, 'baseline');
    RETURN QUERY SELECT * FROM salesplan.explain_gap_factors(
        ARRAY[actual_leads] || actual_conversions || ARRAY[1::numeric, actual_aov],
        ARRAY[baseline_leads] || baseline_conversions || ARRAY[1::numeric, baseline_aov],
        LEAST(8, GREATEST(2, pg_catalog.scale(actual_aov), pg_catalog.scale(baseline_aov))));
END
$$;

COMMENT ON FUNCTION salesplan.explain_gap(numeric, numeric[], numeric, numeric, numeric[], numeric) IS
    'why revenue moved, with both sides given as numbers (leads, conversion per stage transition, aov): exact Shapley effects of leads, each conversion_k_k+1 and aov, summing exactly to the difference of round(leads * product(conversions) * aov)';
