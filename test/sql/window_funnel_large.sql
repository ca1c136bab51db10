-- window_funnel on 20,000 pseudo-random entities, checked against an
-- independent plain-SQL implementation of the documented rules; parallel plans
-- against serial ones; rollup of per-day states against the raw rows.
CREATE EXTENSION salesplan;
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';

-- 2..10 events per entity, over 20000 minutes (~14 days), steps -1..5,
-- about 2% NULL steps and 1% NULL timestamps.
CREATE TABLE wf_big (e int, ts timestamp, step int);
INSERT INTO wf_big
SELECT e,
       CASE WHEN (hashint4(e * 1000 + j + 3) & 2147483647) % 100 = 0 THEN NULL
            ELSE timestamp '2024-01-01' + ((hashint4(e * 1000 + j) & 2147483647) % 20000) * interval '1 minute' END,
       CASE WHEN (hashint4(e * 1000 + j + 7) & 2147483647) % 50 = 0 THEN NULL
            ELSE (hashint4(e * 7919 + j) & 2147483647) % 7 - 1 END
FROM generate_series(1, 20000) e,
     generate_series(1, 2 + (hashint4(e) & 2147483647) % 9) j;
SELECT count(*) AS events, count(DISTINCT e) AS entities FROM wf_big;
CREATE INDEX ON wf_big (e, step, ts);
ANALYZE wf_big;

-- Reference, written from doc/window_funnel.md: for each step-1 event (a chain start s),
-- follow the chain step by step, taking each time the earliest event of the
-- next step that comes at or after the previous one and no later than
-- s + 3 days (for a fixed start the earliest choice is never worse).  An
-- entity's level is its best chain's; the times are those of the chain with
-- the latest start among the best.
CREATE TEMP TABLE chains AS
WITH RECURSIVE c AS (
    SELECT DISTINCT e, ts AS start, ts AS last, 1 AS lvl
    FROM wf_big WHERE step = 1 AND ts IS NOT NULL
  UNION ALL
    SELECT c.e, c.start, n.ts, c.lvl + 1
    FROM c CROSS JOIN LATERAL (
        SELECT b.ts FROM wf_big b
        WHERE b.e = c.e AND b.step = c.lvl + 1
          AND b.ts >= c.last AND b.ts <= c.start + interval '3 days'
        ORDER BY b.ts LIMIT 1) n
)
SELECT * FROM c;
CREATE TEMP TABLE ref AS
SELECT b.e, b.lvl, t.times
FROM (SELECT DISTINCT ON (e) e, start, max(lvl) AS lvl
      FROM chains GROUP BY e, start ORDER BY e, max(lvl) DESC, start DESC) b,
     LATERAL (SELECT array_agg(last ORDER BY lvl) AS times
              FROM chains c WHERE c.e = b.e AND c.start = b.start) t;

CREATE TEMP TABLE got AS
SELECT e, salesplan.window_funnel('3 days', ts, step) AS lvl,
       salesplan.window_funnel_times('3 days', ts, step) AS times,
       salesplan.window_funnel('3 days', ts, step ORDER BY ts DESC, step DESC) AS lvl_reversed
FROM wf_big GROUP BY e;

SELECT count(*) AS entities,
       count(*) FILTER (WHERE g.lvl = coalesce(r.lvl, 0)) AS same_level,
       count(*) FILTER (WHERE g.times = coalesce(r.times, '{}')) AS same_times,
       count(*) FILTER (WHERE g.lvl_reversed = g.lvl) AS order_independent
FROM got g LEFT JOIN ref r USING (e);
-- every level occurs (the data is not trivial)
SELECT lvl, count(*) AS entities FROM got GROUP BY lvl ORDER BY lvl;

-- Parallel plans give the same results as serial ones
ALTER TABLE wf_big SET (parallel_workers = 2);
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
-- one group of all events (partial states of ~65k events each, combined)
EXPLAIN (COSTS OFF)
SELECT salesplan.window_funnel('3 days', ts, step, 'strict_increase') FROM wf_big;
CREATE TEMP TABLE par_all AS
SELECT salesplan.window_funnel('3 days', ts, step, 'strict_increase') AS lvl,
       salesplan.window_funnel_times('3 days', ts, step) AS times,
       salesplan.funnel_event_agg('3 days', ts, step)::text AS state_level
FROM wf_big;
-- many small groups (6 events each): gathering the raw rows and aggregating
-- per worker then combining cost nearly the same, and which one the planner
-- takes differs between versions and cost settings; both are parallel plans,
-- and either must give the serial results
CREATE FUNCTION pg_temp.gathers(query text) RETURNS boolean
LANGUAGE plpgsql AS $f$
DECLARE
    plan text;
BEGIN
    EXECUTE 'EXPLAIN (COSTS OFF, FORMAT JSON) ' || query INTO plan;
    RETURN position('"Node Type": "Gather"' IN plan) > 0;
END
$f$;
SELECT pg_temp.gathers($q$SELECT e, salesplan.window_funnel('3 days', ts, step) FROM wf_big GROUP BY e$q$) AS parallel_plan;
CREATE TEMP TABLE par_grouped AS
SELECT e, salesplan.window_funnel('3 days', ts, step) AS lvl,
       salesplan.window_funnel('3 days', ts, step, 'strict_order,strict_deduplication') AS lvl_modes,
       salesplan.window_funnel_times('3 days', ts::timestamptz, step) AS times
FROM wf_big GROUP BY e;
-- few large groups: partial states per group from each worker, combined
-- (a table without an index, so that the planner does not prefer sorted
-- input; with free tuple transfer it would rather gather the raw rows).
-- The statistics tell the planner there are 10 buckets (it would guess
-- 5000, and then partial aggregation saves too little for its plan to be
-- chosen reliably: PostgreSQL 18 picks the serial one); without sorts, the
-- finalize step is a HashAggregate on every version.
CREATE TABLE wf_par AS SELECT e % 5000 AS e, ts, step FROM wf_big;
CREATE STATISTICS wf_par_bucket ON (e % 10) FROM wf_par;
ANALYZE wf_par;
ALTER TABLE wf_par SET (parallel_workers = 2);
SET parallel_tuple_cost = 0.1;
SET enable_sort = off;
EXPLAIN (COSTS OFF)
SELECT e % 10 AS bucket, salesplan.window_funnel('1 day', ts, step) FROM wf_par GROUP BY 1;
CREATE TEMP TABLE par_buckets AS
SELECT e % 10 AS bucket, salesplan.window_funnel('1 day', ts, step) AS lvl,
       salesplan.window_funnel_times('1 day', ts, step, 'strict_increase') AS times
FROM wf_par GROUP BY 1;
RESET enable_sort;
SET parallel_tuple_cost = 0;
SET max_parallel_workers_per_gather = 0;
EXPLAIN (COSTS OFF)
SELECT salesplan.window_funnel('3 days', ts, step, 'strict_increase') FROM wf_big;
SELECT (SELECT lvl FROM par_all) = salesplan.window_funnel('3 days', ts, step, 'strict_increase') AS same_level,
       (SELECT times FROM par_all) = salesplan.window_funnel_times('3 days', ts, step) AS same_times,
       salesplan.funnel_level((SELECT state_level FROM par_all)::salesplan.funnel_events)
         = salesplan.window_funnel('3 days', ts, step) AS same_state_level
FROM wf_big;
SELECT count(*) AS entities,
       count(*) FILTER (WHERE p.lvl = s.lvl AND p.lvl_modes = s.lvl_modes AND p.times = s.times) AS same
FROM par_grouped p
JOIN (SELECT e, salesplan.window_funnel('3 days', ts, step) AS lvl,
             salesplan.window_funnel('3 days', ts, step, 'strict_order,strict_deduplication') AS lvl_modes,
             salesplan.window_funnel_times('3 days', ts::timestamptz, step) AS times
      FROM wf_big GROUP BY e) s USING (e);
SELECT count(*) AS buckets,
       count(*) FILTER (WHERE p.lvl = s.lvl AND p.times = s.times) AS same
FROM par_buckets p
JOIN (SELECT e % 10 AS bucket, salesplan.window_funnel('1 day', ts, step) AS lvl,
             salesplan.window_funnel_times('1 day', ts, step, 'strict_increase') AS times
      FROM wf_par GROUP BY 1) s USING (bucket);
RESET max_parallel_workers_per_gather;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;

-- rollup of per-day states equals the aggregate over the raw rows
CREATE TEMP TABLE daily AS
SELECT e, ts::date AS d, salesplan.funnel_event_agg('3 days', ts, step) AS s
FROM wf_big GROUP BY e, ts::date;
SELECT count(*) AS entities,
       count(*) FILTER (WHERE r.lvl = g.lvl AND r.times = g.times) AS same
FROM (SELECT e, salesplan.funnel_level(salesplan.rollup(s)) AS lvl,
             salesplan.funnel_step_times(salesplan.rollup(s)) AS times
      FROM daily GROUP BY e) r
JOIN got g USING (e);

-- window_funnel as a window function (running level per entity) agrees with
-- the aggregate over each prefix, for a few entities
SELECT count(*) AS rows_checked,
       count(*) FILTER (WHERE running = (SELECT salesplan.window_funnel('3 days', b2.ts, b2.step)
                                         FROM wf_big b2
                                         WHERE b2.e = w.e AND (b2.ts, b2.step) <= (w.ts, w.step))) AS same
FROM (SELECT e, ts, step,
             salesplan.window_funnel('3 days', ts, step) OVER (PARTITION BY e ORDER BY ts, step
                                                               RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS running
      FROM wf_big WHERE e <= 200 AND ts IS NOT NULL AND step IS NOT NULL) w;

-- The final sort of a large group notices a cancel.  Entity 1 has 5000
-- events, event i at minute i with step i % 4 + 1, stored in a scrambled
-- order (so the final function sorts a copy); entity 2 has 100 such events.
-- With a 1-day window both reach level 4 (1@0, 2@1, 3@2, 4@3).  The debug
-- setting raises a query cancel as a sort of 4096 events or more starts:
-- the cancel is reported from inside the sort (the CONTEXT line), not
-- after it, in window_funnel's final function and in the text output of a
-- funnel_events state (printed in sorted order); a small group is not
-- affected.
CREATE TABLE wf_sort (e int, ts timestamp, step int);
INSERT INTO wf_sort
SELECT 1, timestamp '2024-01-01' + i * interval '1 minute', i % 4 + 1
FROM generate_series(0, 4999) i ORDER BY hashint4(i);
INSERT INTO wf_sort
SELECT 2, timestamp '2024-01-01' + i * interval '1 minute', i % 4 + 1
FROM generate_series(0, 99) i ORDER BY hashint4(i);
SET salesplan.debug_cancel_in_sort = on;
SELECT salesplan.window_funnel('1 day', ts, step) FROM wf_sort WHERE e = 1;
SELECT length(salesplan.funnel_event_agg('1 day', ts, step)::text) > 0 AS printed FROM wf_sort WHERE e = 1;
SELECT salesplan.window_funnel('1 day', ts, step) FROM wf_sort WHERE e = 2;
RESET salesplan.debug_cancel_in_sort;
SELECT e, salesplan.window_funnel('1 day', ts, step) FROM wf_sort GROUP BY e ORDER BY e;

DROP TABLE wf_big, wf_par, wf_sort;
-- leave the database as found: every test creates the extension itself
SET client_min_messages = warning;
DROP EXTENSION salesplan CASCADE;
