-- Canonical state text (issue 13): equal states print equal text, for every
-- state type, whatever order the rows came in and however the partial
-- states were combined (Citus and parallel workers combine the partial
-- states of their workers in the order these finish; a stored state's text
-- is what pg_dump, Citus and binary-less clients see).
--
-- For each type, the same 300 rows are aggregated 8 ways: in id order and
-- in reverse, and as 3 partial states (id % 3) merged by rollup in the 6
-- orders of the 3 parts, one of them with an empty state (an aggregate over
-- no rows) among them.  Each type must give exactly 1 distinct text, and
-- that text must read back to itself.
CREATE EXTENSION salesplan;
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';

CREATE TEMP TABLE r AS
SELECT g AS id,
       g % 6 AS reached,                                       -- funnel and coverage level 0..5
       CASE WHEN g % 7 = 0 THEN NULL ELSE (g * 37 % 1000) / 8.0 END AS amount,   -- scales 1..4 mixed
       CASE WHEN g % 5 = 0 THEN NULL ELSE g * 100.25 END AS potential,
       timestamptz '2026-01-01 00:00+00' + (g * 7919 % 5000) * interval '1 hour' AS at,
       CASE WHEN g % 4 = 0 THEN NULL ELSE g % 17 END::bigint AS contact,
       date '2026-01-01' + g % 90 AS planned,
       CASE WHEN g % 3 = 0 THEN NULL ELSE date '2026-01-01' + g % 90 + g % 11 - 3 END AS actual,
       CASE WHEN g % 8 = 0 THEN NULL ELSE (g % 9) / 4.0 END AS weight,
       g % 3 + 1 AS version,
       g % 2 = 0 AS accepted,
       CASE WHEN g % 6 = 0 THEN NULL ELSE g % 20 END AS due_days
FROM generate_series(1, 300) AS g;

-- the state of each type over a set of rows, by name
CREATE FUNCTION pg_temp.texts(kind text)
RETURNS TABLE (how text, t text)
LANGUAGE plpgsql AS $fn$
DECLARE
    agg text;          -- the aggregate call over rows of r, {ORDER} for its ORDER BY
    typ text;
BEGIN
    CASE kind
    WHEN 'funnel' THEN
        agg := 'salesplan.funnel_agg(reached, amount, 5 {ORDER})'; typ := 'salesplan.funnel';
    WHEN 'coverage' THEN
        agg := 'salesplan.coverage_agg(reached, abs(amount), potential {ORDER})'; typ := 'salesplan.coverage';
    WHEN 'proposals' THEN
        agg := 'salesplan.proposal_agg(version, accepted, at, CASE WHEN id % 5 <> 0 THEN at + (id % 30) * interval ''1 day'' END, due_days {ORDER})';
        typ := 'salesplan.proposals';
    WHEN 'touches' THEN
        agg := 'salesplan.touch_agg(CASE WHEN id % 10 <> 0 THEN at END, contact {ORDER})'; typ := 'salesplan.touches';
    WHEN 'schedule' THEN
        agg := 'salesplan.schedule_agg(planned, actual, weight {ORDER})'; typ := 'salesplan.schedule';
    WHEN 'outcomes' THEN
        agg := 'salesplan.outcome_agg(planned, actual, accepted, date ''2026-04-15'' {ORDER})'; typ := 'salesplan.outcomes';
    WHEN 'funnel_events' THEN
        agg := 'salesplan.funnel_event_agg(''3 days'', at, reached {ORDER})'; typ := 'salesplan.funnel_events';
    WHEN 'funnel_events_zone' THEN
        agg := 'salesplan.funnel_event_agg(''3 days'', at, reached, ''strict_increase'', ''America/New_York'' {ORDER})';
        typ := 'salesplan.funnel_events';
    WHEN 'slip_trend_state' THEN
        agg := 'pg_temp.trend_state(planned, actual {ORDER})'; typ := 'salesplan.slip_trend_state';
    END CASE;
    RETURN QUERY EXECUTE format($q$
        WITH parts AS (
            SELECT id %% 3 AS p, %1$s AS s FROM r GROUP BY id %% 3
            UNION ALL
            SELECT 3, %1$s FROM r WHERE false
        )
        SELECT 'rows in id order', (%2$s)::text FROM r
        UNION ALL SELECT 'rows in reverse', (%3$s)::text FROM r
        UNION ALL SELECT 'parts ' || o, (SELECT %4$s(s ORDER BY array_position(o::int[], p))::text FROM parts WHERE p = ANY (o::int[]) OR p = 3)
        FROM unnest(ARRAY['{0,1,2}', '{0,2,1}', '{1,0,2}', '{1,2,0}', '{2,0,1}', '{2,1,0}']) AS o
    $q$, replace(agg, '{ORDER}', ''), replace(agg, '{ORDER}', 'ORDER BY id'), replace(agg, '{ORDER}', 'ORDER BY id DESC'),
       CASE WHEN kind = 'slip_trend_state' THEN 'pg_temp.trend_rollup' ELSE 'salesplan.rollup' END);
END
$fn$;

-- slip_trend returns a number, not its state: two aggregates over its
-- support functions show the state (as Citus ships it between nodes)
CREATE AGGREGATE pg_temp.trend_state(date, date) (
    SFUNC = salesplan.slip_trend_trans, STYPE = salesplan.slip_trend_state,
    COMBINEFUNC = salesplan.slip_trend_combine
);
CREATE AGGREGATE pg_temp.trend_rollup(salesplan.slip_trend_state) (
    SFUNC = salesplan.slip_trend_combine, STYPE = salesplan.slip_trend_state,
    COMBINEFUNC = salesplan.slip_trend_combine
);

CREATE FUNCTION pg_temp.round_trips(kind text, t text) RETURNS boolean
LANGUAGE plpgsql AS $fn$
DECLARE
    back text;
BEGIN
    EXECUTE format('SELECT ($1::%s)::text',
                   CASE WHEN kind LIKE 'funnel_events%' THEN 'salesplan.funnel_events'
                        ELSE 'salesplan.' || kind END)
        INTO back USING t;
    RETURN back = t;
END
$fn$;

SELECT k AS state_type, count(*) AS ways, count(DISTINCT x.t) AS distinct_texts,
       bool_and(x.t IS NOT NULL) AS all_built,
       bool_and(pg_temp.round_trips(k, x.t)) AS round_trip
FROM unnest(ARRAY['funnel', 'coverage', 'proposals', 'touches', 'schedule', 'outcomes',
                  'funnel_events', 'funnel_events_zone', 'slip_trend_state']) AS k,
     LATERAL pg_temp.texts(k) AS x
GROUP BY k ORDER BY k;

-- A parallel plan combines the workers' states in whatever order they
-- finish: the text equals the serial one.
CREATE TABLE state_text_big AS SELECT g AS id, g % 6 AS reached, (g % 97) / 4.0 AS amount,
       timestamptz '2026-01-01 00:00+00' + (g * 7919 % 50000) * interval '1 minute' AS at,
       (g % 101)::bigint AS contact, date '2026-01-01' + g % 200 AS planned
FROM generate_series(1, 200000) AS g;
ANALYZE state_text_big;
CREATE TEMP TABLE serial AS
SELECT salesplan.funnel_agg(reached, amount)::text AS f, salesplan.touch_agg(at, contact)::text AS t,
       salesplan.schedule_agg(planned, planned + 1, amount) FILTER (WHERE id % 4 = 0)::text AS s,
       salesplan.outcome_agg(planned, planned + reached, reached = 5, date '2026-06-01')::text AS o
FROM state_text_big;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
CREATE FUNCTION pg_temp.partial_plan() RETURNS boolean LANGUAGE plpgsql AS $fn$
DECLARE
    line text;
    partial boolean := false;
    gather boolean := false;
BEGIN
    FOR line IN EXPLAIN (COSTS OFF)
        SELECT salesplan.funnel_agg(reached, amount), salesplan.touch_agg(at, contact) FROM state_text_big
    LOOP
        partial := partial OR line LIKE '%Partial Aggregate%';
        gather := gather OR line LIKE '%Gather%';
    END LOOP;
    RETURN partial AND gather;
END
$fn$;
SELECT pg_temp.partial_plan() AS parallel_partial_aggregation;
SELECT p.f = serial.f AS funnel_equal, p.t = serial.t AS touches_equal,
       p.s = serial.s AS schedule_equal, p.o = serial.o AS outcomes_equal
FROM serial,
     (SELECT salesplan.funnel_agg(reached, amount)::text AS f, salesplan.touch_agg(at, contact)::text AS t,
             salesplan.schedule_agg(planned, planned + 1, amount) FILTER (WHERE id % 4 = 0)::text AS s,
             salesplan.outcome_agg(planned, planned + reached, reached = 5, date '2026-06-01')::text AS o
      FROM state_text_big) AS p;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
DROP TABLE state_text_big;

-- leave the database as found: every test creates the extension itself
SET client_min_messages = warning;
DROP EXTENSION salesplan CASCADE;
