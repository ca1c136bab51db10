
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

CREATE FUNCTION salesplan.explain_gap(
    actual_leads numeric, actual_conversions numeric[], actual_aov numeric,
    baseline_leads numeric, baseline_conversions numeric[], baseline_aov numeric)
RETURNS TABLE (factor text, effect numeric)
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    k integer;
    sc integer;
    effects numeric[];
    names text[];
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
    PERFORM salesplan.explain_gap_check(actual_leads, actual_conversions, actual_aov, 'actual');
    PERFORM salesplan.explain_gap_check(baseline_leads, baseline_conversions, baseline_aov, 'baseline');

    sc := LEAST(8, GREATEST(2, pg_catalog.scale(actual_aov), pg_catalog.scale(baseline_aov)));
    effects := salesplan.shapley_product(
        ARRAY[actual_leads] || actual_conversions || ARRAY[actual_aov],
        ARRAY[baseline_leads] || baseline_conversions || ARRAY[baseline_aov],
        sc);
    names := ARRAY['leads']
        || (SELECT pg_catalog.array_agg('conversion_' || i || '_' || (i + 1) ORDER BY i)
            FROM pg_catalog.generate_series(1, k) AS i)
        || ARRAY['aov'];
    RETURN QUERY
        SELECT names[i], effects[i]
        FROM pg_catalog.generate_series(1, k + 2) AS i
        ORDER BY i;
END
$$;

COMMENT ON FUNCTION salesplan.explain_gap(numeric, numeric[], numeric, numeric, numeric[], numeric) IS
    'why revenue moved, with both sides given as numbers (leads, conversion per stage transition, average order value): exact Shapley effects of leads, each conversion_k_k+1 and aov, summing to the revenue difference';
