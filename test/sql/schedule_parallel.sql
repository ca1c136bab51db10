-- salesplan.schedule at scale: plain-SQL cross-checks, parallel plans,
-- rollup of per-day states.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS salesplan;
RESET client_min_messages;
SET extra_float_digits = 0;
SET DateStyle = 'ISO, YMD';

-- 2,000 projects x 50 milestones; every 5th milestone not reached, some
-- early, some late; weights 0..12 with some NULL and some decimals.  A NULL
-- weight counts as the mean of the project's known weights, rounded to 8
-- places (1 when none is known): the view w below.
CREATE TABLE sched_big(project int, planned date, actual date, weight numeric, start date);
INSERT INTO sched_big
SELECT i % 2000,
       '2026-01-01'::date + (i * 7) % 365,
       CASE WHEN i % 5 = 0 THEN NULL ELSE '2026-01-01'::date + (i * 7) % 365 + i % 11 - 3 END,
       CASE WHEN i % 17 = 0 THEN NULL WHEN i % 3 = 0 THEN (i % 13) / 4.0 ELSE i % 13 END,
       '2025-12-01'::date + i % 2000 % 30
FROM generate_series(1, 100000) i;
ANALYZE sched_big;
CREATE TEMP VIEW w AS
SELECT b.project, b.planned, b.actual, b.start,
       coalesce(b.weight, m.mean) AS weight
FROM sched_big b
JOIN (SELECT project, coalesce(round(avg(weight), 8), 1) AS mean FROM sched_big GROUP BY project) m
  USING (project);
-- PV, EV, on-time rate, late count and slip against plain SQL, per project,
-- at three dates.
WITH agg AS (
  SELECT project, salesplan.schedule_agg(planned, actual, weight, start) s
  FROM sched_big GROUP BY project
), plain AS (
  SELECT project, as_of,
         coalesce(sum(weight) FILTER (WHERE planned <= as_of), 0) pv,
         coalesce(sum(weight) FILTER (WHERE actual <= as_of), 0) ev,
         count(*) FILTER (WHERE planned <= as_of AND actual <= planned)::float8
           / nullif(count(*) FILTER (WHERE planned < as_of OR (planned = as_of AND actual <= as_of)), 0) on_time,
         count(*) FILTER (WHERE planned <= as_of
                          AND CASE WHEN actual <= as_of THEN actual ELSE as_of END > planned)::int late,
         sum(weight * (CASE WHEN actual <= as_of THEN actual ELSE as_of END - planned))
           FILTER (WHERE planned <= as_of)
           / nullif(sum(weight) FILTER (WHERE planned <= as_of), 0) slip
  FROM w, unnest('{2026-03-01,2026-07-01,2027-02-01}'::date[]) as_of
  GROUP BY project, as_of
)
SELECT count(*) AS checked,
       bool_and(salesplan.planned_value(s, as_of) = pv) AS pv_same,
       bool_and(salesplan.earned_value(s, as_of) = ev) AS ev_same,
       bool_and(salesplan.schedule_variance(s, as_of) = ev - pv) AS sv_same,
       bool_and(salesplan.on_time_rate(s, as_of) IS NOT DISTINCT FROM on_time) AS on_time_same,
       bool_and(salesplan.late_milestones(s, as_of) = late) AS late_same,
       bool_and(abs(salesplan.slip_days(s, as_of) - slip) < 1e-9
                OR (salesplan.slip_days(s, as_of) IS NULL AND slip IS NULL)) AS slip_same
FROM agg JOIN plain USING (project);
-- Earned schedule on the milestone plan against plain SQL for every project
-- at 2026-07-01: with cumulative PV per distinct planned date, t_first is
-- the first date at which PV >= EV (the start when EV = 0), t_next the
-- first at which PV > EV, and ES = AT clamped to [t_first, t_next] (t_first
-- when there is no t_next).
WITH agg AS (
  SELECT project, salesplan.schedule_agg(planned, actual, weight, start) s,
         min(start) st,
         -- actual time: to as_of, or to the actual finish once all are reached
         CASE WHEN coalesce(bool_and(actual <= '2026-07-01'), false) THEN max(actual)
              ELSE '2026-07-01' END - min(start) AS at
  FROM sched_big GROUP BY project
), pts AS (
  SELECT project, planned, sum(sum(weight)) OVER (PARTITION BY project ORDER BY planned) AS c
  FROM w GROUP BY project, planned
), ev AS (
  SELECT project, coalesce(sum(weight) FILTER (WHERE actual <= '2026-07-01'), 0) ev
  FROM w GROUP BY project
), es AS (
  SELECT a.project, a.at,
         CASE WHEN e.ev = 0 THEN 0 ELSE min(p.planned) FILTER (WHERE p.c >= e.ev) - a.st END AS t_first,
         min(p.planned) FILTER (WHERE p.c > e.ev) - a.st AS t_next
  FROM agg a JOIN ev e USING (project) JOIN pts p USING (project)
  GROUP BY a.project, a.at, a.st, e.ev
), expected AS (
  SELECT project, at,
         CASE WHEN t_next IS NULL THEN t_first ELSE least(greatest(at, t_first), t_next) END::float8 AS es
  FROM es
)
SELECT count(*) AS checked,
       bool_and(salesplan.earned_schedule_days(a.s, '2026-07-01') = x.es) AS es_same,
       bool_and(abs(salesplan.spi_t(a.s, '2026-07-01') - x.es / x.at) < 1e-12) AS spi_t_same
FROM agg a JOIN expected x USING (project);

-- Parallel plan equals serial
ALTER TABLE sched_big SET (parallel_workers = 2);
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;
EXPLAIN (COSTS OFF)
SELECT salesplan.schedule_agg(planned, actual, weight, start) FROM sched_big;
SELECT md5(salesplan.schedule_agg(planned, actual, weight, start)::text) AS whole
FROM sched_big \gset par_
EXPLAIN (COSTS OFF)
SELECT project, salesplan.schedule_agg(planned, actual, weight, start) FROM sched_big GROUP BY project;
SELECT md5(string_agg(s::text, '|' ORDER BY project)) AS per_project
FROM (SELECT project, salesplan.schedule_agg(planned, actual, weight, start) s
      FROM sched_big GROUP BY project) g \gset par_
SET max_parallel_workers_per_gather = 0;
EXPLAIN (COSTS OFF)
SELECT salesplan.schedule_agg(planned, actual, weight, start) FROM sched_big;
SELECT md5(salesplan.schedule_agg(planned, actual, weight, start)::text) = :'par_whole' AS whole_same
FROM sched_big;
SELECT md5(string_agg(s::text, '|' ORDER BY project)) = :'par_per_project' AS per_project_same
FROM (SELECT project, salesplan.schedule_agg(planned, actual, weight, start) s
      FROM sched_big GROUP BY project) g;

-- Rollup of per-day states (stored, as a materialized view would) equals the
-- aggregate over the raw rows, per project and for the whole portfolio; and
-- in a parallel plan too.
CREATE TABLE sched_daily AS
SELECT project, planned AS day, salesplan.schedule_agg(planned, actual, weight, start) s
FROM sched_big GROUP BY project, planned;
ANALYZE sched_daily;
SELECT count(*) AS projects,
       bool_and(r.s::text = d.s::text) AS rollup_same
FROM (SELECT project, salesplan.rollup(s) s FROM sched_daily GROUP BY project) r
JOIN (SELECT project, salesplan.schedule_agg(planned, actual, weight, start) s
      FROM sched_big GROUP BY project) d USING (project);
ALTER TABLE sched_daily SET (parallel_workers = 2);
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF)
SELECT salesplan.rollup(s) FROM sched_daily;
SELECT md5(salesplan.rollup(s)::text) = :'par_whole' AS portfolio_rollup_same
FROM sched_daily;
RESET ALL;

DROP TABLE sched_big, sched_daily;
-- leave the database as found: every test creates the extension itself
DROP EXTENSION salesplan CASCADE;
