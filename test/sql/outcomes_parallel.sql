-- salesplan.outcomes on 100k opportunities: forced parallel plans give the
-- same states as serial ones; rollup of stored states, hash aggregation
-- that spills, and counts against plain SQL.
CREATE EXTENSION IF NOT EXISTS salesplan;
SET extra_float_digits = 0;
SET TimeZone = 'UTC';

-- 100,000 opportunities in 10 teams, entered over 2025; a fifth still open,
-- won for one in three closed, won NULL (lost) for one in eleven; one in
-- 997 ended before it started (invalid); started NULL for one in 1000.
CREATE TABLE opp_t AS
SELECT i AS id, i % 10 AS team,
       CASE WHEN i % 1000 = 0 THEN NULL ELSE timestamptz '2025-01-01' + (i::bigint * 7919 % 525600) * interval '1 minute' END AS started,
       CASE WHEN i % 5 = 0 THEN NULL
            WHEN i % 997 = 0 THEN timestamptz '2024-12-31'
            ELSE timestamptz '2025-01-01' + (i::bigint * 7919 % 525600) * interval '1 minute'
                 + (i::bigint * 104729 % 400000) * interval '1 minute' END AS ended,
       CASE WHEN i % 11 = 0 THEN NULL ELSE i % 3 = 0 END AS won
FROM generate_series(1, 100000) AS i;
ANALYZE opp_t;

CREATE TEMP TABLE serial_o AS
SELECT team, salesplan.outcome_agg(started, ended, won, timestamptz '2025-10-01')::text AS o,
       salesplan.outcome_agg(started::date, ended::date, won, date '2025-10-01')::text AS od
FROM opp_t GROUP BY team;

-- counts against plain SQL
SELECT count(*) AS teams,
       count(*) FILTER (WHERE salesplan.entered(s.o::salesplan.outcomes) = p.cohort - p.invalid
                          AND salesplan.won_count(s.o::salesplan.outcomes) = p.won
                          AND salesplan.lost_count(s.o::salesplan.outcomes) = p.lost
                          AND salesplan.invalid_rows(s.o::salesplan.outcomes) = p.invalid) AS same_as_plain_sql
FROM serial_o s
JOIN (SELECT team,
             count(*) FILTER (WHERE started <= '2025-10-01') AS cohort,
             count(*) FILTER (WHERE started <= '2025-10-01' AND ended < started) AS invalid,
             count(*) FILTER (WHERE started <= '2025-10-01' AND ended >= started AND ended <= '2025-10-01' AND won) AS won,
             count(*) FILTER (WHERE started <= '2025-10-01' AND ended >= started AND ended <= '2025-10-01'
                              AND NOT coalesce(won, false)) AS lost
      FROM opp_t GROUP BY team) p USING (team);

-- ---- forced parallel plan: Partial Aggregate under Gather ----
ALTER TABLE opp_t SET (parallel_workers = 2);
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;
EXPLAIN (COSTS OFF)
SELECT team, salesplan.outcome_agg(started, ended, won, timestamptz '2025-10-01')
FROM opp_t GROUP BY team;
SELECT count(*) AS teams,
       count(*) FILTER (WHERE p.o::text = s.o AND p.od::text = s.od) AS same_as_serial
FROM (SELECT team, salesplan.outcome_agg(started, ended, won, timestamptz '2025-10-01') AS o,
             salesplan.outcome_agg(started::date, ended::date, won, date '2025-10-01') AS od
      FROM opp_t GROUP BY team) p
JOIN serial_o s USING (team);
EXPLAIN (COSTS OFF) SELECT salesplan.outcome_agg(started, ended, won, timestamptz '2025-10-01') FROM opp_t;
SELECT salesplan.outcome_agg(started, ended, won, timestamptz '2025-10-01')::text
       = (SELECT salesplan.rollup(o::salesplan.outcomes)::text FROM serial_o) AS parallel_total_ok
FROM opp_t;

-- rollup in parallel over stored per-day states equals the raw rows
CREATE TABLE per_day AS
SELECT team, started::date AS day, salesplan.outcome_agg(started, ended, won, timestamptz '2025-10-01') AS o
FROM opp_t GROUP BY team, started::date;
ALTER TABLE per_day SET (parallel_workers = 2);
ANALYZE per_day;
EXPLAIN (COSTS OFF) SELECT team, salesplan.rollup(o) FROM per_day GROUP BY team;
SELECT count(*) AS teams, count(*) FILTER (WHERE r.o::text = s.o) AS parallel_rollup_equals_raw
FROM (SELECT team, salesplan.rollup(o) AS o FROM per_day GROUP BY team) r
JOIN serial_o s USING (team);
SET max_parallel_workers_per_gather = 0;
SELECT count(*) AS teams, count(*) FILTER (WHERE r.o::text = s.o) AS serial_rollup_equals_raw
FROM (SELECT team, salesplan.rollup(o) AS o FROM per_day GROUP BY team) r
JOIN serial_o s USING (team);
DROP TABLE per_day;

-- Hash aggregation that spills to disk (tiny work_mem, 5,000 groups) gives
-- the same states as sorted group aggregation.
SET work_mem = '64kB';
SET enable_sort = off;
CREATE TEMP TABLE spilled AS
SELECT id % 5000 AS k, salesplan.outcome_agg(started, ended, won, timestamptz '2025-10-01')::text AS o
FROM opp_t GROUP BY 1;
RESET enable_sort;
SET enable_hashagg = off;
CREATE TEMP TABLE sorted AS
SELECT id % 5000 AS k, salesplan.outcome_agg(started, ended, won, timestamptz '2025-10-01')::text AS o
FROM opp_t GROUP BY 1;
RESET enable_hashagg;
RESET work_mem;
SELECT count(*) AS groups, count(*) FILTER (WHERE a.o IS NOT DISTINCT FROM b.o) AS spilled_equals_sorted
FROM spilled a JOIN sorted b USING (k);

-- As a window aggregate (running state per team, final function read-only)
SELECT count(*) AS rows_checked,
       count(*) FILTER (WHERE salesplan.entered(o) = n) AS running_entered_ok
FROM (SELECT salesplan.outcome_agg(started, ended, won, timestamptz '2026-01-01') OVER w AS o,
             count(*) FILTER (WHERE started IS NOT NULL AND NOT (ended < started)) OVER w
             + count(*) FILTER (WHERE started IS NOT NULL AND ended IS NULL) OVER w AS n
      FROM opp_t WHERE team = 3 AND id < 5000
      WINDOW w AS (ORDER BY id)) x;

DROP TABLE opp_t;

-- leave the database as found: every test creates the extension itself
DROP EXTENSION salesplan CASCADE;
