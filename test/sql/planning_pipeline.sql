-- Velocity, pipeline coverage, weighted pipeline, time in stage, charts.
SET extra_float_digits = 0;
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS salesplan;
RESET client_min_messages;
CREATE SCHEMA test_pipe;
SET search_path = test_pipe, public;

-- sales velocity: 40 opportunities * 0.25 * 12000 / 60 days = 2000.00 a day
SELECT salesplan.sales_velocity(40, 0.25, 12000, 60) AS per_day,
       salesplan.sales_velocity(7, 0.3, 999.999, 45.5) AS odd,   -- 7 * 0.3 * 999.999 / 45.5 = 46.1538, shown with avg_deal's 3 decimals
       salesplan.sales_velocity(0, 0, 0, 1) AS nothing;

-- pipeline coverage: 2400000 open / (900000 - 310000) = 4.0678
SELECT salesplan.pipeline_coverage(2400000, 900000, 310000) AS coverage,
       salesplan.pipeline_coverage(0, 100, 50) AS empty_pipeline,
       salesplan.pipeline_coverage(500, 100, 100) AS target_met,       -- NULL: nothing left
       salesplan.pipeline_coverage(500, 100, 120) AS target_beaten;    -- NULL

-- weighted pipeline: 1000 * 0.1 + 2000.50 * 0.35 + 40 * 1 = 100 + 700.175 + 40
-- = 840.175 -> 840.18; NULL amount or probability rows add nothing
SELECT salesplan.weighted_pipeline(amount, p)
FROM (VALUES (1000, 0.1), (2000.50, 0.35), (40, 1), (NULL, 0.5), (77, NULL)) v(amount, p);
SELECT salesplan.weighted_pipeline(amount, p) IS NULL AS empty_is_null
FROM (VALUES (1000::numeric, 0.1::float8)) v(amount, p) WHERE false;

-- parallel plan vs serial, and vs plain SQL over the same rows
CREATE TABLE opps AS
SELECT i % 7 AS stage, round((i * 7919 % 100000) / 3.0, 2) AS amount, (i % 7) / 7.0 AS probability
FROM generate_series(1, 100000) AS i;
ALTER TABLE opps SET (parallel_workers = 2);
ANALYZE opps;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF) SELECT salesplan.weighted_pipeline(amount, probability) FROM opps;
CREATE TABLE par AS SELECT salesplan.weighted_pipeline(amount, probability) AS w FROM opps;
EXPLAIN (COSTS OFF) SELECT stage, salesplan.weighted_pipeline(amount, probability) FROM opps GROUP BY stage;
CREATE TABLE par_g AS SELECT stage, salesplan.weighted_pipeline(amount, probability) AS w FROM opps GROUP BY stage;
SET max_parallel_workers_per_gather = 0;
SELECT par.w AS parallel, s.w AS serial, par.w = s.w AS same,
       round(p.x, 2) AS plain_sql, round(p.x, 2) = s.w AS same_as_plain
FROM par,
     (SELECT salesplan.weighted_pipeline(amount, probability) AS w FROM opps) s,
     (SELECT sum(amount * probability::numeric) AS x FROM opps) p;
SELECT count(*) AS groups, count(*) FILTER (WHERE par_g.w = s.w) AS same
FROM par_g JOIN (SELECT stage, salesplan.weighted_pipeline(amount, probability) AS w FROM opps GROUP BY stage) s USING (stage);
RESET max_parallel_workers_per_gather;
-- many distinct probabilities (more than the 16 the transition caches),
-- in an order that keeps replacing cache entries: same as plain SQL
SELECT salesplan.weighted_pipeline(amount, p) AS weighted, round(sum(amount * p::numeric), 2) AS plain_sql,
       salesplan.weighted_pipeline(amount, p) = round(sum(amount * p::numeric), 2) AS same
FROM (SELECT (i % 997)::numeric + 0.25 AS amount, ((i * 37) % 1000) / 1000.0::float8 AS p
      FROM generate_series(1, 20000) AS i) s;

-- stage history of one opportunity with a regression 2 -> 1:
-- 1 (Jan 1) -> 2 (Jan 3) -> 1 (Jan 4) -> 2 (Jan 10) -> 3 (Jan 11 12:00), as of Jan 20
-- stage 1: 2 visits, 2 + 6 = 8 days; stage 2: 2 visits, 1 + 1.5 days;
-- stage 3: open since Jan 11 12:00, 8.5 days to as_of.
SELECT * FROM salesplan.stage_durations(
    ARRAY[1, 2, 1, 2, 3],
    ARRAY['2026-01-01', '2026-01-03', '2026-01-04', '2026-01-10', '2026-01-11 12:00']::timestamptz[],
    '2026-01-20');
-- the same rows in another order, without as_of (the last visit is untimed)
SELECT * FROM salesplan.stage_durations(
    ARRAY[3, 2, 1, 1, 2],
    ARRAY['2026-01-11 12:00', '2026-01-10', '2026-01-04', '2026-01-01', '2026-01-03']::timestamptz[]);
-- cycle length to stage 3: Jan 11 12:00 - Jan 1 = 10 days 12 hours; never reached stage 4: NULL
SELECT salesplan.cycle_length(ARRAY[1, 2, 1, 2, 3],
           ARRAY['2026-01-01', '2026-01-03', '2026-01-04', '2026-01-10', '2026-01-11 12:00']::timestamptz[], 3) AS to_won,
       salesplan.cycle_length(ARRAY[1, 2], ARRAY['2026-01-01', '2026-01-03']::timestamptz[], 4) AS never;
-- from a stage-history table, per entity, against window functions
CREATE TABLE hist (opp int, stage int, entered_at timestamptz);
INSERT INTO hist VALUES
    (1, 1, '2026-01-01'), (1, 2, '2026-01-03'), (1, 1, '2026-01-04'), (1, 2, '2026-01-10'), (1, 3, '2026-01-11 12:00'),
    (2, 1, '2026-01-02'), (2, 3, '2026-01-05 06:00'),
    (3, 1, '2026-01-07');
SELECT h.opp, d.*
FROM (SELECT opp, array_agg(stage ORDER BY entered_at) AS s, array_agg(entered_at ORDER BY entered_at) AS t
      FROM hist GROUP BY opp) h,
     salesplan.stage_durations(h.s, h.t, '2026-01-20') d
EXCEPT
SELECT opp, stage, count(*), sum(d)
FROM (SELECT opp, stage, coalesce(lead(entered_at) OVER (PARTITION BY opp ORDER BY entered_at), '2026-01-20') - entered_at AS d
      FROM hist) w
GROUP BY opp, stage;
SELECT h.opp, d.*
FROM (SELECT opp, array_agg(stage ORDER BY entered_at) AS s, array_agg(entered_at ORDER BY entered_at) AS t
      FROM hist GROUP BY opp) h,
     salesplan.stage_durations(h.s, h.t, '2026-01-20') d
ORDER BY 1, 2;

-- funnel chart: 1000 leads, 400 at stage 2, 100 won (9123 revenue);
-- bars 40, 40 * 400 / 1000 = 16, 40 * 100 / 1000 = 4 characters
CREATE TABLE leads AS
SELECT CASE WHEN i % 10 = 0 THEN 3 WHEN i % 3 = 0 THEN 2 ELSE 1 END AS reached,
       CASE WHEN i % 7 = 0 THEN NULL ELSE 100 + i % 13 END AS amount
FROM generate_series(1, 1000) AS i;
SELECT salesplan.funnel_chart(salesplan.funnel_agg(reached, amount, 3)) FROM leads;
SELECT salesplan.funnel_chart(salesplan.funnel_agg(reached, amount, 4), 10, true) FROM leads;
SELECT salesplan.funnel_chart(salesplan.funnel_agg(reached, amount, 3), 1, true) FROM leads WHERE reached = 3;
SELECT count(*) FROM salesplan.funnel_chart(NULL);
-- stage names; a missing or NULL label falls back to the stage number
SELECT salesplan.funnel_chart(salesplan.funnel_agg(reached, amount, 3), 20, labels => ARRAY['lead', 'opportunity', 'won'])
FROM leads;
SELECT salesplan.funnel_chart(salesplan.funnel_agg(reached, amount, 3), 20, true, ARRAY['lead', NULL])
FROM leads;

-- Errors
\set VERBOSITY sqlstate
SELECT salesplan.sales_velocity(-1, 0.5, 100, 10);
SELECT salesplan.sales_velocity(1, 1.5, 100, 10);
SELECT salesplan.sales_velocity(1, 'NaN', 100, 10);
SELECT salesplan.sales_velocity(1, 0.5, -100, 10);
SELECT salesplan.sales_velocity(1, 0.5, 'NaN', 10);
SELECT salesplan.sales_velocity(1, 0.5, 100, 0);
SELECT salesplan.sales_velocity(1, 0.5, 100, 'Infinity');
SELECT salesplan.pipeline_coverage(-1, 100, 0);
SELECT salesplan.pipeline_coverage(1, -100, 0);
SELECT salesplan.pipeline_coverage(1, 100, 'NaN');
SELECT salesplan.weighted_pipeline(a, p) FROM (VALUES (100::numeric, 1.5::float8)) v(a, p);
SELECT salesplan.weighted_pipeline(a, p) FROM (VALUES (100::numeric, 'NaN'::float8)) v(a, p);
SELECT salesplan.weighted_pipeline(a, p) FROM (VALUES (-100::numeric, 0.5::float8)) v(a, p);
SELECT salesplan.weighted_pipeline(a, p) FROM (VALUES ('Infinity'::numeric, 0.5::float8)) v(a, p);
SELECT salesplan.weighted_pipeline_trans(NULL, 1, 0.5);
SELECT * FROM salesplan.stage_durations(ARRAY[1, 2], ARRAY['2026-01-01']::timestamptz[]);
SELECT * FROM salesplan.stage_durations(ARRAY[[1, 2]], ARRAY[['2026-01-01', '2026-01-02']]::timestamptz[]);
SELECT * FROM salesplan.stage_durations(ARRAY[1], ARRAY['infinity']::timestamptz[]);
SELECT salesplan.funnel_chart(salesplan.funnel_agg(reached, amount, 3), 0) FROM leads;
SELECT salesplan.funnel_chart(salesplan.funnel_agg(reached, amount, 3), 10, false, ARRAY[['a'], ['b']]) FROM leads;
\set VERBOSITY default
SELECT salesplan.sales_velocity(1, 1.5, 100, 10);
SELECT salesplan.weighted_pipeline(a, p) FROM (VALUES (100::numeric, 35::float8)) v(a, p);

RESET search_path;
SET client_min_messages = warning;
DROP SCHEMA test_pipe CASCADE;
-- leave the database as a fresh one: later tests create the extension themselves
DROP EXTENSION salesplan;
