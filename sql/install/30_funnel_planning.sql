
-- ---------------------------------------------------------------------------
-- Probability paradigm: from target to behavior (plan, activities, pacing),
-- why the number moved (explain_gap), velocity, pipeline, charts.
-- Reference: doc/planning.md
-- ---------------------------------------------------------------------------

CREATE FUNCTION salesplan.shapley_product(actual numeric[], baseline numeric[], scale integer DEFAULT 2)
RETURNS numeric[]
AS 'MODULE_PATHNAME', 'salesplan_shapley_product'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION salesplan.shapley_product(numeric[], numeric[], integer) IS
    'exact Shapley decomposition of the change of a product of factors from baseline to actual: one effect per factor, rounded to scale, summing exactly to round(product(actual)) - round(product(baseline)); a NULL factor takes the other side''s value';

CREATE FUNCTION salesplan_internal.explain_gap_check(leads numeric, conversions numeric[], aov numeric, side text)
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

COMMENT ON FUNCTION salesplan_internal.explain_gap_check(numeric, numeric[], numeric, text) IS
    'internal: validates one side of explain_gap given as numbers (leads >= 0, conversions in [0, 1], aov >= 0; NULL conversion or aov means undefined); raises 22023 otherwise';

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

CREATE FUNCTION salesplan_internal.explain_gap_factors(actual numeric[], baseline numeric[], scale integer)
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

COMMENT ON FUNCTION salesplan_internal.explain_gap_factors(numeric[], numeric[], integer) IS
    'internal to explain_gap: names and decomposes two factor arrays laid out as {leads, conversions..., priced_share, aov}';

CREATE FUNCTION salesplan.explain_gap(actual salesplan.funnel, baseline salesplan.funnel)
RETURNS TABLE (factor text, effect numeric)
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
SECURITY DEFINER
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
    IF ka = 0 AND kb > 0 THEN
        fa := ARRAY[0::numeric] || pg_catalog.array_fill(NULL::numeric, ARRAY[kb + 1]);
    ELSIF kb = 0 AND ka > 0 THEN
        fb := ARRAY[0::numeric] || pg_catalog.array_fill(NULL::numeric, ARRAY[ka + 1]);
    END IF;
    RETURN QUERY SELECT * FROM salesplan_internal.explain_gap_factors(fa, fb,
        LEAST(8, GREATEST(2, pg_catalog.scale(salesplan.revenue(actual)), pg_catalog.scale(salesplan.revenue(baseline)))));
END
$$;

COMMENT ON FUNCTION salesplan.explain_gap(salesplan.funnel, salesplan.funnel) IS
    'why revenue moved from baseline to actual: exact Shapley effects of leads, each stage conversion (conversion_k_k+1), the share of won with an amount (priced_share, only when some lack one) and aov; they sum exactly to revenue(actual) - revenue(baseline)';

CREATE FUNCTION salesplan.explain_gap(actual salesplan.funnel, baseline_leads numeric,
                                      baseline_conversions numeric[], baseline_aov numeric)
RETURNS TABLE (factor text, effect numeric)
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
SECURITY DEFINER
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
    PERFORM salesplan_internal.explain_gap_check(baseline_leads, baseline_conversions, baseline_aov, 'baseline');
    fa := CASE WHEN ka = 0 THEN ARRAY[0::numeric] || pg_catalog.array_fill(NULL::numeric, ARRAY[k + 2])
               ELSE salesplan.revenue_factors(actual) END;
    RETURN QUERY SELECT * FROM salesplan_internal.explain_gap_factors(
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
SECURITY DEFINER
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
    PERFORM salesplan_internal.explain_gap_check(actual_leads, actual_conversions, actual_aov, 'actual');
    PERFORM salesplan_internal.explain_gap_check(baseline_leads, baseline_conversions, baseline_aov, 'baseline');
    RETURN QUERY SELECT * FROM salesplan_internal.explain_gap_factors(
        ARRAY[actual_leads] || actual_conversions || ARRAY[1::numeric, actual_aov],
        ARRAY[baseline_leads] || baseline_conversions || ARRAY[1::numeric, baseline_aov],
        LEAST(8, GREATEST(2, pg_catalog.scale(actual_aov), pg_catalog.scale(baseline_aov))));
END
$$;

COMMENT ON FUNCTION salesplan.explain_gap(numeric, numeric[], numeric, numeric, numeric[], numeric) IS
    'why revenue moved, with both sides given as numbers (leads, conversion per stage transition, aov): exact Shapley effects of leads, each conversion_k_k+1 and aov, summing exactly to the difference of round(leads * product(conversions) * aov)';

-- ---------------------------------------------------------------------------
-- From target to behavior
-- ---------------------------------------------------------------------------

CREATE FUNCTION salesplan.plan(f salesplan.funnel, target numeric)
RETURNS TABLE (stage integer, required numeric, actual bigint, gap numeric)
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    e bigint[];
    k integer;
    priced bigint;
    rev numeric;
BEGIN
    IF target < 0 OR target = 'NaN'::numeric OR target = 'Infinity'::numeric THEN
        RAISE EXCEPTION 'target must be a finite amount >= 0, not %', target
            USING ERRCODE = '22023';
    END IF;
    e := salesplan.entered(f);
    k := coalesce(pg_catalog.cardinality(e), 0);
    priced := salesplan.priced_won(f);
    rev := salesplan.revenue(f);
    -- required(k) = target / aov / (conversions k .. last-1)
    --             = target * priced_won * entered(k) / (revenue * won),
    -- since the conversions telescope; rounded up per stage from the exact
    -- value.  revenue > 0 implies won > 0 and every conversion > 0; otherwise
    -- a rate on the way is zero or undefined and the target is unreachable
    -- at current rates (NULL).
    RETURN QUERY
        SELECT s, r.req, e[s], r.req - e[s]
        FROM pg_catalog.generate_series(1, k) AS s,
             LATERAL (SELECT CASE WHEN target = 0 THEN 0::numeric
                                  WHEN rev = 0 OR e[k] = 0 THEN NULL::numeric
                                  ELSE salesplan_internal.ceil_div(target * priced * e[s], rev * e[k]) END AS req) AS r
        ORDER BY s;
END
$$;

COMMENT ON FUNCTION salesplan.plan(salesplan.funnel, numeric) IS
    'how many entities must enter each stage to reach target revenue at the funnel''s conversions and aov (rounded up to whole entities), against how many did (actual) and the gap = required - actual; NULL required: unreachable at current rates (a zero or undefined conversion, or aov 0 or unknown)';

-- ---------------------------------------------------------------------------
-- plan at rates given as numbers: censoring-aware rates (win_probability of
-- salesplan.outcomes per stage), a mature year's, a plan's.  doc/planning.md
-- ---------------------------------------------------------------------------

CREATE FUNCTION salesplan.plan(conversions numeric[], aov numeric, target numeric)
RETURNS TABLE (stage integer, required numeric, actual bigint, gap numeric)
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    c numeric[];
    k integer;
    d numeric;
    req numeric[];
BEGIN
    IF conversions IS NULL OR target IS NULL THEN
        RETURN;
    END IF;
    IF pg_catalog.array_ndims(conversions) > 1 THEN
        RAISE EXCEPTION 'conversions must be a one-dimensional array'
            USING ERRCODE = '2202E';
    END IF;
    IF target < 0 OR target = 'NaN'::numeric OR target = 'Infinity'::numeric THEN
        RAISE EXCEPTION 'target must be a finite amount >= 0, not %', target
            USING ERRCODE = '22023';
    END IF;
    PERFORM salesplan_internal.explain_gap_check(0, conversions, aov, 'plan');
    -- conversion of transition j (stage j to j + 1), counted from the first
    -- element whatever the array's lower bound
    c := ARRAY(SELECT x FROM pg_catalog.unnest(conversions) WITH ORDINALITY AS u(x, o) ORDER BY o);
    k := coalesce(pg_catalog.cardinality(c), 0);
    -- required(s) = target / (aov * conversion(s) * ... * conversion(k)):
    -- the product exact in numeric (from the last stage back), the quotient
    -- rounded up once; NULL when aov or a conversion from s onwards is 0 or
    -- unknown (unreachable at these rates)
    req := pg_catalog.array_fill(NULL::numeric, ARRAY[k + 1]);
    d := aov;
    FOR s IN REVERSE k + 1 .. 1 LOOP
        IF s <= k THEN
            d := d * c[s];
        END IF;
        req[s] := CASE WHEN target = 0 THEN 0::numeric
                       WHEN d IS NULL OR d = 0 THEN NULL::numeric
                       ELSE salesplan_internal.ceil_div(target, d) END;
    END LOOP;
    RETURN QUERY
        SELECT s, req[s], NULL::bigint, NULL::numeric
        FROM pg_catalog.generate_series(1, k + 1) AS s
        ORDER BY s;
END
$$;

COMMENT ON FUNCTION salesplan.plan(numeric[], numeric, numeric) IS
    'how many entities must enter each stage to reach target revenue at rates given as numbers (one conversion per stage transition, e.g. censoring-aware win_probability per stage, and aov), rounded up to whole entities; actual and gap NULL; NULL required: unreachable at these rates (a conversion from that stage on, or aov, is 0 or NULL)';

CREATE FUNCTION salesplan.plan(f salesplan.funnel, target numeric, conversions numeric[], aov numeric)
RETURNS TABLE (stage integer, required numeric, actual bigint, gap numeric)
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    e bigint[];
    kf integer;
    k integer;
BEGIN
    IF f IS NULL OR target IS NULL OR conversions IS NULL THEN
        RETURN;
    END IF;
    IF pg_catalog.array_ndims(conversions) > 1 THEN
        RAISE EXCEPTION 'conversions must be a one-dimensional array'
            USING ERRCODE = '2202E';
    END IF;
    e := salesplan.entered(f);
    kf := salesplan.stage_count(f);
    k := coalesce(pg_catalog.cardinality(conversions), 0);
    IF kf <> k + 1 AND kf <> 0 THEN
        RAISE EXCEPTION 'funnel has % stages but % conversions were given', kf, k
            USING ERRCODE = '22023',
                  HINT = 'Give one conversion per stage transition (stages - 1 of them).';
    END IF;
    RETURN QUERY
        SELECT p.stage, p.required, coalesce(e[p.stage], 0), p.required - coalesce(e[p.stage], 0)
        FROM salesplan.plan(conversions, aov, target) AS p
        ORDER BY p.stage;
END
$$;

COMMENT ON FUNCTION salesplan.plan(salesplan.funnel, numeric, numeric[], numeric) IS
    'plan(conversions, aov, target) against the funnel''s actual entries: required per stage at the rates given (e.g. censoring-aware), actual = entered(stage) of f, gap = required - actual';

CREATE FUNCTION salesplan_internal.ceil_div(n numeric, d numeric)
RETURNS numeric
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
    -- exact ceiling of n / d: div() truncates toward zero exactly; one more
    -- when a remainder is left and the exact quotient is positive (the
    -- remainder has the sign of d)
    SELECT x.q + CASE WHEN x.r <> 0 AND (x.r > 0) = (d > 0) THEN 1 ELSE 0 END
    FROM (SELECT pg_catalog.div(n, d) AS q, n - pg_catalog.div(n, d) * d AS r) AS x
$$;

COMMENT ON FUNCTION salesplan_internal.ceil_div(numeric, numeric) IS
    'internal: exact ceiling of n / d, any signs (no rounding of the quotient first), used to round requirements up to whole units; division_by_zero (22012) when d = 0';

CREATE FUNCTION salesplan.working_days(first_day date, last_day date, holidays date[] DEFAULT NULL)
RETURNS integer
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    n integer;
    dow0 integer;
    w integer;
BEGIN
    IF first_day IS NULL OR last_day IS NULL THEN
        RETURN NULL;
    END IF;
    IF pg_catalog.isfinite(first_day) IS NOT TRUE OR pg_catalog.isfinite(last_day) IS NOT TRUE THEN
        RAISE EXCEPTION 'working_days needs finite dates, not % and %', first_day, last_day
            USING ERRCODE = '22023';
    END IF;
    IF last_day < first_day THEN
        RAISE EXCEPTION 'last_day % is before first_day %', last_day, first_day
            USING ERRCODE = '22023',
                  HINT = 'Both days are included: a one-day period has first_day = last_day.';
    END IF;
    n := last_day - first_day + 1;
    dow0 := pg_catalog.date_part('isodow', first_day)::integer - 1;   -- Monday = 0
    w := (n / 7) * 5
         + (SELECT pg_catalog.count(*)::integer
            FROM pg_catalog.generate_series(0, n % 7 - 1) AS i
            WHERE (dow0 + i) % 7 < 5);
    w := w - (SELECT pg_catalog.count(DISTINCT h)::integer
              FROM pg_catalog.unnest(holidays) AS h
              WHERE h BETWEEN first_day AND last_day
                AND pg_catalog.date_part('isodow', h) < 6);
    RETURN w;
END
$$;

COMMENT ON FUNCTION salesplan.working_days(date, date, date[]) IS
    'Monday-to-Friday days from first_day to last_day, both included, minus the distinct holidays that fall on one of them';

-- reps and working_days are bigint (0.2; integer in 0.1): a count(*) of reps
-- fits, integer arguments are widened implicitly, and one function (not an
-- integer and a bigint overload) keeps a NULL or quoted literal unambiguous.
CREATE FUNCTION salesplan.plan_activities(required_leads numeric, kinds text[], observed_activities numeric[],
                                          observed_leads numeric, reps bigint, working_days bigint)
RETURNS TABLE (kind text, per_lead numeric, required numeric, per_rep numeric, per_rep_per_day numeric)
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    idx integer;
BEGIN
    IF required_leads < 0 OR required_leads = 'NaN'::numeric OR required_leads = 'Infinity'::numeric THEN
        RAISE EXCEPTION 'required_leads must be a finite number >= 0, not %', required_leads
            USING ERRCODE = '22023';
    END IF;
    IF observed_leads <= 0 OR observed_leads = 'NaN'::numeric OR observed_leads = 'Infinity'::numeric THEN
        RAISE EXCEPTION 'observed_leads must be a finite number > 0, not %', observed_leads
            USING ERRCODE = '22023',
                  HINT = 'Activities per lead are observed activities / observed leads over a past period; that period needs leads.';
    END IF;
    IF reps <= 0 THEN
        RAISE EXCEPTION 'reps must be > 0, not %', reps
            USING ERRCODE = '22023';
    END IF;
    IF working_days <= 0 THEN
        RAISE EXCEPTION 'working_days must be > 0, not %', working_days
            USING ERRCODE = '22023',
                  HINT = 'salesplan.working_days(first_day, last_day, holidays) counts them.';
    END IF;
    IF pg_catalog.array_ndims(kinds) > 1 OR pg_catalog.array_ndims(observed_activities) > 1 THEN
        RAISE EXCEPTION 'kinds and observed_activities must be one-dimensional arrays'
            USING ERRCODE = '2202E';
    END IF;
    IF coalesce(pg_catalog.cardinality(kinds), 0) = 0
       OR pg_catalog.cardinality(kinds) <> coalesce(pg_catalog.cardinality(observed_activities), 0) THEN
        RAISE EXCEPTION 'kinds has % elements but observed_activities has %',
            coalesce(pg_catalog.cardinality(kinds), 0), coalesce(pg_catalog.cardinality(observed_activities), 0)
            USING ERRCODE = '22023',
                  HINT = 'Give one observed count per activity kind, for example ARRAY[''call'', ''visit''] and ARRAY[5200, 640].';
    END IF;
    FOR idx IN 1 .. pg_catalog.cardinality(kinds) LOOP
        IF kinds[idx] IS NULL THEN
            RAISE EXCEPTION 'activity kind % is NULL', idx
                USING ERRCODE = '22004';
        END IF;
        IF observed_activities[idx] IS NULL OR observed_activities[idx] < 0
           OR observed_activities[idx] = 'NaN'::numeric OR observed_activities[idx] = 'Infinity'::numeric THEN
            RAISE EXCEPTION 'observed count of "%" must be a finite number >= 0, not %',
                kinds[idx], coalesce(observed_activities[idx]::text, 'NULL')
                USING ERRCODE = '22023';
        END IF;
    END LOOP;
    RETURN QUERY
        SELECT kinds[g.n],
               pg_catalog.round(observed_activities[g.n] / observed_leads, 2),
               r.req,
               salesplan_internal.ceil_div(r.req, reps),
               pg_catalog.round(salesplan_internal.ceil_div(r.req * 100, reps::numeric * working_days) / 100, 2)
        FROM pg_catalog.generate_series(1, pg_catalog.cardinality(kinds)) AS g(n),
             LATERAL (SELECT salesplan_internal.ceil_div(required_leads * observed_activities[g.n], observed_leads) AS req) AS r
        ORDER BY g.n;
END
$$;

COMMENT ON FUNCTION salesplan.plan_activities(numeric, text[], numeric[], numeric, bigint, bigint) IS
    'turns required leads into required activities of each kind (calls, visits...) from the activities per lead observed in a past period: total (rounded up to whole activities), per rep (rounded up) and per rep per working day (rounded up to 0.01); reps and working_days are bigint so that integer, bigint (count(*)) and NULL arguments all fit one function';

CREATE FUNCTION salesplan.pacing(target numeric, attained numeric, period_start date, period_end date, as_of date,
                                 month_weights double precision[] DEFAULT NULL,
                                 weekday_weights double precision[] DEFAULT NULL)
RETURNS TABLE (expected_to_date numeric, gap_to_date numeric, attainment_to_date double precision,
               run_rate_forecast numeric, required_daily_rate numeric,
               days_elapsed integer, days_remaining integer, selling_days_remaining integer)
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    total_days integer;
    elapsed integer;
    w_total numeric;
    w_elapsed numeric;
    selling_left integer;
    sc integer;
    expected numeric;
    i integer;
BEGIN
    IF target IS NULL OR attained IS NULL OR period_start IS NULL OR period_end IS NULL OR as_of IS NULL THEN
        RETURN;
    END IF;
    IF target < 0 OR target = 'NaN'::numeric OR target = 'Infinity'::numeric THEN
        RAISE EXCEPTION 'target must be a finite amount >= 0, not %', target
            USING ERRCODE = '22023';
    END IF;
    IF attained = 'NaN'::numeric OR attained IN ('Infinity'::numeric, '-Infinity'::numeric) THEN
        RAISE EXCEPTION 'attained must be a finite amount, not %', attained
            USING ERRCODE = '22023';
    END IF;
    IF pg_catalog.isfinite(period_start) IS NOT TRUE OR pg_catalog.isfinite(period_end) IS NOT TRUE
       OR pg_catalog.isfinite(as_of) IS NOT TRUE THEN
        RAISE EXCEPTION 'pacing needs finite dates'
            USING ERRCODE = '22023';
    END IF;
    IF period_end < period_start THEN
        RAISE EXCEPTION 'period_end % is before period_start %', period_end, period_start
            USING ERRCODE = '22023',
                  HINT = 'Both days are included: a one-day period has period_start = period_end.';
    END IF;
    IF month_weights IS NOT NULL THEN
        IF pg_catalog.array_ndims(month_weights) IS DISTINCT FROM 1 OR pg_catalog.cardinality(month_weights) <> 12 THEN
            RAISE EXCEPTION 'month_weights must have 12 elements (January to December), not %',
                coalesce(pg_catalog.cardinality(month_weights), 0)
                USING ERRCODE = '22023';
        END IF;
        month_weights := ARRAY(SELECT x FROM pg_catalog.unnest(month_weights) WITH ORDINALITY AS u(x, o) ORDER BY o);
        FOR i IN 1 .. 12 LOOP
            IF month_weights[i] IS NULL OR NOT month_weights[i] BETWEEN 0 AND 1e300 THEN
                RAISE EXCEPTION 'month weight % must be a finite number >= 0, not %', i,
                    coalesce(month_weights[i]::text, 'NULL')
                    USING ERRCODE = '22023';
            END IF;
        END LOOP;
    END IF;
    IF weekday_weights IS NOT NULL THEN
        IF pg_catalog.array_ndims(weekday_weights) IS DISTINCT FROM 1 OR pg_catalog.cardinality(weekday_weights) <> 7 THEN
            RAISE EXCEPTION 'weekday_weights must have 7 elements (Monday to Sunday), not %',
                coalesce(pg_catalog.cardinality(weekday_weights), 0)
                USING ERRCODE = '22023';
        END IF;
        weekday_weights := ARRAY(SELECT x FROM pg_catalog.unnest(weekday_weights) WITH ORDINALITY AS u(x, o) ORDER BY o);
        FOR i IN 1 .. 7 LOOP
            IF weekday_weights[i] IS NULL OR NOT weekday_weights[i] BETWEEN 0 AND 1e300 THEN
                RAISE EXCEPTION 'weekday weight % must be a finite number >= 0, not %', i,
                    coalesce(weekday_weights[i]::text, 'NULL')
                    USING ERRCODE = '22023';
            END IF;
        END LOOP;
    END IF;

    total_days := period_end - period_start + 1;
    elapsed := LEAST(total_days, GREATEST(0, as_of - period_start + 1));

    -- a day's weight: its month's weight spread evenly over the month's days,
    -- times its weekday's weight (1 when not given); sums in exact numeric
    SELECT pg_catalog.sum(w), coalesce(pg_catalog.sum(w) FILTER (WHERE d <= as_of), 0),
           pg_catalog.count(*) FILTER (WHERE d > as_of AND w > 0)
      INTO w_total, w_elapsed, selling_left
      FROM (SELECT d::date AS d,
                   (CASE WHEN month_weights IS NULL THEN 1::numeric
                         ELSE month_weights[pg_catalog.date_part('month', d)::integer]::numeric
                              / pg_catalog.date_part('day', pg_catalog.date_trunc('month', d) + interval '1 month - 1 day')::numeric END)
                   * (CASE WHEN weekday_weights IS NULL THEN 1::numeric
                           ELSE weekday_weights[pg_catalog.date_part('isodow', d)::integer]::numeric END) AS w
            FROM pg_catalog.generate_series(period_start::timestamp, period_end::timestamp, interval '1 day') AS d) AS days;
    IF w_total = 0 THEN
        RAISE EXCEPTION 'the weights leave no selling day in the period % to %', period_start, period_end
            USING ERRCODE = '22023',
                  HINT = 'At least one day of the period needs a positive month and weekday weight.';
    END IF;

    sc := LEAST(8, GREATEST(2, pg_catalog.scale(target)));
    expected := pg_catalog.round(target * w_elapsed / w_total, sc);
    RETURN QUERY SELECT
        expected,
        attained - expected,
        CASE WHEN expected = 0 THEN NULL ELSE (attained / expected)::double precision END,
        CASE WHEN w_elapsed = 0 THEN NULL ELSE pg_catalog.round(attained * w_total / w_elapsed, sc) END,
        CASE WHEN selling_left = 0 THEN NULL
             ELSE pg_catalog.round(GREATEST(target - attained, 0) / selling_left, sc) END,
        elapsed,
        total_days - elapsed,
        selling_left;
END
$$;

COMMENT ON FUNCTION salesplan.pacing(numeric, numeric, date, date, date, double precision[], double precision[]) IS
    'attainment against target at as_of inside a period (both ends included): expected to date (linear, or along month and weekday weights), attained - expected, attained / expected, run-rate forecast for the period, required rate per remaining selling day, days elapsed and remaining';

-- ---------------------------------------------------------------------------
-- Velocity, pipeline, time in stage, chart
-- ---------------------------------------------------------------------------

CREATE FUNCTION salesplan.sales_velocity(opportunities bigint, win_rate double precision,
                                         avg_deal numeric, cycle_days double precision)
RETURNS numeric
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF opportunities < 0 THEN
        RAISE EXCEPTION 'opportunities must be >= 0, not %', opportunities
            USING ERRCODE = '22023';
    END IF;
    IF NOT win_rate BETWEEN 0 AND 1 THEN
        RAISE EXCEPTION 'win_rate must be between 0 and 1, not %', win_rate
            USING ERRCODE = '22023',
                  HINT = 'A win rate is won / (won + lost) as a fraction: 0.25, not 25.';
    END IF;
    IF avg_deal < 0 OR avg_deal = 'NaN'::numeric OR avg_deal = 'Infinity'::numeric THEN
        RAISE EXCEPTION 'avg_deal must be a finite amount >= 0, not %', avg_deal
            USING ERRCODE = '22023';
    END IF;
    IF NOT cycle_days > 0 OR cycle_days = 'Infinity'::double precision OR cycle_days = 'NaN'::double precision THEN
        RAISE EXCEPTION 'cycle_days must be a finite number > 0, not %', cycle_days
            USING ERRCODE = '22023';
    END IF;
    RETURN pg_catalog.round(opportunities * win_rate::numeric * avg_deal / cycle_days::numeric,
                            LEAST(8, GREATEST(2, pg_catalog.scale(avg_deal))));
END
$$;

COMMENT ON FUNCTION salesplan.sales_velocity(bigint, double precision, numeric, double precision) IS
    'sales velocity: revenue the open pipeline produces per day = opportunities * win_rate * avg_deal / cycle_days';

CREATE FUNCTION salesplan.pipeline_coverage(open_pipeline numeric, target numeric, attained numeric)
RETURNS double precision
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF open_pipeline < 0 OR open_pipeline = 'NaN'::numeric OR open_pipeline = 'Infinity'::numeric THEN
        RAISE EXCEPTION 'open_pipeline must be a finite amount >= 0, not %', open_pipeline
            USING ERRCODE = '22023';
    END IF;
    IF target < 0 OR target = 'NaN'::numeric OR target = 'Infinity'::numeric THEN
        RAISE EXCEPTION 'target must be a finite amount >= 0, not %', target
            USING ERRCODE = '22023';
    END IF;
    IF attained = 'NaN'::numeric OR attained IN ('Infinity'::numeric, '-Infinity'::numeric) THEN
        RAISE EXCEPTION 'attained must be a finite amount, not %', attained
            USING ERRCODE = '22023';
    END IF;
    IF target - attained <= 0 THEN
        RETURN NULL;    -- target already met: nothing left to cover
    END IF;
    RETURN (open_pipeline / (target - attained))::double precision;
END
$$;

COMMENT ON FUNCTION salesplan.pipeline_coverage(numeric, numeric, numeric) IS
    'pipeline coverage: open pipeline / (target - attained); NULL when the target is already met (nothing left to cover)';

CREATE FUNCTION salesplan.weighted_pipeline_trans(numeric, numeric, double precision)
RETURNS numeric
AS 'MODULE_PATHNAME', 'salesplan_weighted_pipeline_trans'
LANGUAGE C IMMUTABLE PARALLEL SAFE;

COMMENT ON FUNCTION salesplan.weighted_pipeline_trans(numeric, numeric, double precision) IS
    'transition function of weighted_pipeline: adds amount * probability exactly';

CREATE FUNCTION salesplan.weighted_pipeline_final(numeric)
RETURNS numeric
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$ SELECT pg_catalog.round($1, 2) $$;

COMMENT ON FUNCTION salesplan.weighted_pipeline_final(numeric) IS
    'final function of weighted_pipeline: the exact sum rounded to cents';

CREATE AGGREGATE salesplan.weighted_pipeline(amount numeric, probability double precision) (
    SFUNC = salesplan.weighted_pipeline_trans,
    STYPE = numeric,
    COMBINEFUNC = pg_catalog.numeric_add,
    FINALFUNC = salesplan.weighted_pipeline_final,
    FINALFUNC_MODIFY = READ_ONLY,
    PARALLEL = SAFE
);

COMMENT ON AGGREGATE salesplan.weighted_pipeline(numeric, double precision) IS
    'weighted (expected) pipeline: sum of amount * stage probability over open opportunities, rounded to cents; rows with a NULL amount or probability add nothing; NULL over no rows';

CREATE FUNCTION salesplan.stage_durations(stages integer[], entered_at timestamp with time zone[],
                                          as_of timestamp with time zone DEFAULT NULL)
RETURNS TABLE (stage integer, visits bigint, time_in_stage interval)
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF stages IS NULL OR entered_at IS NULL THEN
        RETURN;
    END IF;
    IF pg_catalog.array_ndims(stages) > 1 OR pg_catalog.array_ndims(entered_at) > 1 THEN
        RAISE EXCEPTION 'stages and entered_at must be one-dimensional arrays'
            USING ERRCODE = '2202E';
    END IF;
    IF coalesce(pg_catalog.cardinality(stages), 0) <> coalesce(pg_catalog.cardinality(entered_at), 0) THEN
        RAISE EXCEPTION 'stages has % elements but entered_at has %',
            coalesce(pg_catalog.cardinality(stages), 0), coalesce(pg_catalog.cardinality(entered_at), 0)
            USING ERRCODE = '22023',
                  HINT = 'Aggregate both from the same rows: array_agg(stage ORDER BY entered_at), array_agg(entered_at ORDER BY entered_at).';
    END IF;
    IF EXISTS (SELECT FROM pg_catalog.unnest(entered_at) AS t WHERE NOT pg_catalog.isfinite(t))
       OR pg_catalog.isfinite(as_of) IS FALSE THEN
        RAISE EXCEPTION 'stage history timestamps must be finite'
            USING ERRCODE = '22023';
    END IF;
    -- each visit lasts until the next event of the entity (ties: in the
    -- arrays' order); the last visit lasts until as_of, or is not timed
    RETURN QUERY
        WITH ev AS (
            SELECT u.s, u.t, u.o
            FROM ROWS FROM (pg_catalog.unnest(stages), pg_catalog.unnest(entered_at)) WITH ORDINALITY AS u(s, t, o)
            WHERE u.s IS NOT NULL AND u.t IS NOT NULL
        ), timed AS (
            SELECT ev.s, ev.t,
                   coalesce(pg_catalog.lead(ev.t) OVER (ORDER BY ev.t, ev.o),
                            CASE WHEN as_of > ev.t THEN as_of ELSE ev.t END) - ev.t AS d
            FROM ev
        )
        SELECT timed.s, pg_catalog.count(*), pg_catalog.sum(timed.d)
        FROM timed
        GROUP BY timed.s
        ORDER BY timed.s;
END
$$;

COMMENT ON FUNCTION salesplan.stage_durations(integer[], timestamp with time zone[], timestamp with time zone) IS
    'time in stage from one entity''s stage history (stage entered at a time): visits per stage and total time, each visit counted (regressions included) until the next change, the last one until as_of (untimed when as_of is NULL)';

CREATE FUNCTION salesplan.cycle_length(stages integer[], entered_at timestamp with time zone[], closing_stage integer)
RETURNS interval
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT pg_catalog.min(u.t) FILTER (WHERE u.s = closing_stage) - pg_catalog.min(u.t)
    FROM ROWS FROM (pg_catalog.unnest(stages), pg_catalog.unnest(entered_at)) AS u(s, t)
    WHERE u.s IS NOT NULL AND u.t IS NOT NULL
$$;

COMMENT ON FUNCTION salesplan.cycle_length(integer[], timestamp with time zone[], integer) IS
    'sales cycle length of one entity: first entry into closing_stage minus its first event; NULL when it never reached closing_stage';

CREATE FUNCTION salesplan.funnel_chart(f salesplan.funnel, width integer DEFAULT 40, ascii boolean DEFAULT false,
                                       labels text[] DEFAULT NULL)
RETURNS SETOF text
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    e bigint[] := salesplan.entered(f);
    k integer := coalesce(pg_catalog.cardinality(e), 0);
    names text[];
    wnum integer;
    wname integer;
    bar text := CASE WHEN ascii THEN '#' ELSE U&'\2588' END;
    arrow text := CASE WHEN ascii THEN '->' ELSE U&'\2192' END;
BEGIN
    IF f IS NULL OR width IS NULL OR ascii IS NULL THEN
        RETURN;
    END IF;
    IF width < 1 OR width > 500 THEN
        RAISE EXCEPTION 'width must be between 1 and 500, not %', width
            USING ERRCODE = '22023';
    END IF;
    IF pg_catalog.array_ndims(labels) > 1 THEN
        RAISE EXCEPTION 'labels must be a one-dimensional array'
            USING ERRCODE = '2202E';
    END IF;
    IF k = 0 THEN
        RETURN;
    END IF;
    -- stage k's label: labels[k] (counted from the first element), else k
    names := ARRAY(SELECT coalesce((SELECT l FROM pg_catalog.unnest(labels) WITH ORDINALITY AS u(l, o) WHERE o = s), s::text)
                   FROM pg_catalog.generate_series(1, k) AS s ORDER BY s);
    wnum := pg_catalog.length(e[1]::text);
    wname := (SELECT pg_catalog.max(pg_catalog.length(n)) FROM pg_catalog.unnest(names) AS n);
    RETURN QUERY
        SELECT CASE WHEN labels IS NULL THEN pg_catalog.lpad(names[s], wname) ELSE pg_catalog.rpad(names[s], wname) END || ' '
               || pg_catalog.rpad(pg_catalog.repeat(bar,
                      CASE WHEN e[1] = 0 THEN 0
                           ELSE GREATEST(CASE WHEN e[s] > 0 THEN 1 ELSE 0 END,
                                         pg_catalog.round(e[s]::numeric * width / e[1])::integer) END),
                      width)
               || ' ' || pg_catalog.lpad(e[s]::text, wnum)
               || CASE WHEN s = k THEN '  revenue ' || salesplan.revenue(f)::text
                       WHEN e[s] = 0 THEN '  ' || arrow || ' n/a'
                       ELSE '  ' || arrow || ' '
                            || pg_catalog.to_char(pg_catalog.round(e[s + 1]::numeric * 100 / e[s], 1), 'FM990.0') || '%' END
        FROM pg_catalog.generate_series(1, k) AS s
        ORDER BY s;
END
$$;

COMMENT ON FUNCTION salesplan.funnel_chart(salesplan.funnel, integer, boolean, text[]) IS
    'psql-friendly chart of a funnel: one line per stage (its label, or its number) with a bar proportional to entered (width characters for stage 1), the count, and the conversion to the next stage (revenue on the won line); ascii => # and -> instead of block and arrow';
