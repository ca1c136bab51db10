-- salesplan.coverage: target-account coverage, penetration, levels
SET extra_float_digits = 0;
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
CREATE EXTENSION IF NOT EXISTS salesplan;
-- everything in its own schema, dropped at the end so later tests start clean
CREATE SCHEMA test_coverage;
SET search_path = test_coverage, public;

-- Seven accounts, six of them targets; the period is 2026-10-01 .. 2026-11-27.
--   a1: reached then connected in the period            -> level 2, won 100.00, potential 1000.00
--   a2: qualified, then signed                           -> level 5, won 300.50, potential 500
--   a3: touched only in September (outside the period)   -> NULL -> 0, won 50.00, potential unknown
--   a4: never touched at all                             -> NULL -> 0, won NULL, potential 2000
--   a5: only opportunity lost after a proposal           -> level 4, won 0, potential unknown
--   a6: one touch                                        -> level 1, won NULL, potential 0 (known)
--   a7: not a target: must not count although signed
CREATE TABLE acct (id int PRIMARY KEY, is_target bool, won numeric, potential numeric);
INSERT INTO acct VALUES
    (1, true, 100.00, 1000.00), (2, true, 300.50, 500), (3, true, 50.00, NULL),
    (4, true, NULL, 2000), (5, true, 0, NULL), (6, true, NULL, 0), (7, false, 999, 999);
CREATE TABLE ev (account_id int, level int, at date);
INSERT INTO ev VALUES
    (1, 1, '2026-10-05'), (1, 2, '2026-10-20'),
    (2, 3, '2026-10-02'), (2, 5, '2026-11-01'),
    (3, 4, '2026-09-15'),
    (5, 4, '2026-11-10'),
    (6, 1, '2026-10-10'),
    (7, 5, '2026-10-10');

-- The query pattern: target list LEFT JOIN evidence, period filter in the ON clause.
CREATE TABLE cov AS
WITH lvl AS (
    SELECT a.id, max(e.level) AS level
    FROM acct a
    LEFT JOIN ev e ON e.account_id = a.id AND e.at >= '2026-10-01' AND e.at < '2026-11-28'
    WHERE a.is_target
    GROUP BY a.id
)
SELECT salesplan.coverage_agg(l.level, a.won, a.potential) AS c
FROM lvl l JOIN acct a USING (id);

-- levels: 0 = a3, a4 (2); 1 = a6; 2 = a1; 3 = none; 4 = a5; 5 = a2
-- won = 100.00 + 300.50 + 50.00 + 0 = 450.50 (a4, a6 NULL = 0)
-- known potential: a1, a2, a4, a6 = 4 accounts, 1000.00 + 500 + 2000 + 0 = 3500.00
-- won over those: 100.00 + 300.50 = 400.50; scale 2 (from 1000.00 and 300.50)
SELECT c::text FROM cov;
-- targets 6; coverage (>= 1) 4/6; (>= 2) 3/6; (>= 3) 2/6; (>= 0) 6/6; (>= 5) 1/6
-- signing 1/6; penetration 400.50 / 3500.00 = 0.114428571428571
SELECT salesplan.targets(c) AS targets,
       salesplan.coverage_rate(c) AS reached,
       salesplan.coverage_rate(c, 2) AS connected,
       salesplan.coverage_rate(c, 3) AS qualified,
       salesplan.coverage_rate(c, 0) AS all_levels,
       salesplan.coverage_rate(c, 5) = salesplan.signing_rate(c) AS five_is_signing,
       salesplan.signing_rate(c) AS signing,
       salesplan.penetration_rate(c) AS penetration,
       salesplan.penetration_rate(c) = 400.50 / 3500.00::float8 AS penetration_exact,
       salesplan.won_value(c) AS won,
       salesplan.potential_value(c) AS potential,
       salesplan.known_potential_accounts(c) AS known
FROM cov;
-- all six levels, zeros included; shares 2/6, 1/6, 1/6, 0, 1/6, 1/6
SELECT l.* FROM cov, salesplan.levels(c) l ORDER BY l.level;

-- The wrong pattern (period filter in WHERE) loses the untouched accounts:
-- only a1, a2, a5, a6 survive, 4 targets instead of 6.
SELECT salesplan.targets(salesplan.coverage_agg(level, NULL, NULL)) AS targets_lost
FROM (SELECT a.id, max(e.level) AS level
      FROM acct a LEFT JOIN ev e ON e.account_id = a.id
      WHERE a.is_target AND e.at >= '2026-10-01' AND e.at < '2026-11-28'
      GROUP BY a.id) s;

-- NULL level, NULL won, NULL potential: one account at level 0, nothing known
SELECT salesplan.coverage_agg(NULL, NULL, NULL)::text;
-- no potential known at all: penetration and potential_value are NULL
SELECT salesplan.penetration_rate(c) IS NULL AS pen_null, salesplan.potential_value(c) IS NULL AS pot_null,
       salesplan.won_value(c) AS won
FROM (SELECT salesplan.coverage_agg(l, 10.5, NULL) AS c FROM generate_series(0, 5) l) s;
-- known potential summing to 0: penetration NULL
SELECT salesplan.penetration_rate(salesplan.coverage_agg(1, 0, 0)) IS NULL AS pen_null;
-- empty input: the aggregate is NULL (like sum), so are the accessors
SELECT salesplan.coverage_agg(1, 1, 1) IS NULL AS empty_is_null,
       salesplan.targets(salesplan.coverage_agg(1, 1, 1)) IS NULL AS targets_null
FROM generate_series(1, 0);
-- a hand-written empty summary: 0 targets, rates NULL, levels all 0 with NULL share
SELECT salesplan.targets(c), salesplan.coverage_rate(c) IS NULL AS rate_null,
       salesplan.signing_rate(c) IS NULL AS sign_null
FROM (SELECT 'v1;levels=0,0,0,0,0,0;known=0;won=0;won_known=0;potential=0;scale=0'::salesplan.coverage AS c) s;
SELECT * FROM salesplan.levels('v1;levels=0,0,0,0,0,0;known=0;won=0;won_known=0;potential=0;scale=0');
-- money display follows the input scale, like sum(numeric); 8 decimals are exact
SELECT salesplan.won_value(salesplan.coverage_agg(1, w, NULL)) AS won, sum(w)
FROM (VALUES (1.5), (2.25000000), (0.00000001)) v(w);

-- ---- errors ----
\set VERBOSITY sqlstate
SELECT salesplan.coverage_agg(6, 0, 0);
SELECT salesplan.coverage_agg(-1, 0, 0);
SELECT salesplan.coverage_agg(1, -0.01, 0);
SELECT salesplan.coverage_agg(1, 0, -5);
SELECT salesplan.coverage_agg(1, 'NaN', 0);
SELECT salesplan.coverage_agg(1, 0, 'Infinity');
SELECT salesplan.coverage_agg(1, 0.000000001, 0);
SELECT salesplan.coverage_rate(c, 6) FROM cov;
SELECT salesplan.coverage_rate(c, -1) FROM cov;
-- overflow while merging: counts beyond bigint, money beyond the exact range
SELECT salesplan.rollup(c) FROM (VALUES ('v1;levels=9223372036854775807,0,0,0,0,0;known=0;won=0;won_known=0;potential=0;scale=0'::salesplan.coverage),
                                        ('v1;levels=1,0,0,0,0,0;known=0;won=0;won_known=0;potential=0;scale=0')) v(c);
SELECT salesplan.rollup(c) FROM (VALUES ('v1;levels=1,0,0,0,0,0;known=1;won=1000000000000000000000000000000;won_known=0;potential=1;scale=0'::salesplan.coverage),
                                        ('v1;levels=1,0,0,0,0,0;known=1;won=1000000000000000000000000000000;won_known=0;potential=1;scale=0')) v(c);
SELECT salesplan.coverage_trans(NULL, 1, 0, 0);
SELECT salesplan.coverage_combine(NULL, NULL);
\set VERBOSITY default
SELECT salesplan.coverage_agg(6, 0, 0);
SELECT salesplan.coverage_agg(1, -0.01, 0);
SELECT salesplan.coverage_rate(c, 6) FROM cov;

-- ---- text I/O ----
-- round trip: text -> state -> text is the identity, and equal results
SELECT c::text::salesplan.coverage::text = c::text AS round_trip,
       salesplan.penetration_rate(c::text::salesplan.coverage) = salesplan.penetration_rate(c) AS same_rate
FROM cov;
SELECT 'v1;levels=1,2,3,4,5,6;known=3;won=12.345;won_known=0.5;potential=7;scale=1'::salesplan.coverage::text;
\set VERBOSITY sqlstate
SELECT ''::salesplan.coverage;
SELECT 'v2;levels=0,0,0,0,0,0;known=0;won=0;won_known=0;potential=0;scale=0'::salesplan.coverage;
SELECT 'v1;levels=0,0,0,0,0;known=0;won=0;won_known=0;potential=0;scale=0'::salesplan.coverage;
SELECT 'v1;levels=0,0,0,0,0,0,0;known=0;won=0;won_known=0;potential=0;scale=0'::salesplan.coverage;
SELECT 'v1;levels=0,0,0,0,0,0;known=0;won=0;won_known=0;potential=0;scale=0;'::salesplan.coverage;
SELECT 'v1;levels=0,0,0,0,0,0;known=0;won=0;won_known=0;potential=0'::salesplan.coverage;
SELECT 'v1;levels=-1,0,0,0,0,0;known=0;won=0;won_known=0;potential=0;scale=0'::salesplan.coverage;
SELECT 'v1;levels=1,0,0,0,0,0;known=2;won=0;won_known=0;potential=0;scale=0'::salesplan.coverage;
SELECT 'v1;levels=1,0,0,0,0,0;known=1;won=1;won_known=2;potential=0;scale=0'::salesplan.coverage;
SELECT 'v1;levels=1,0,0,0,0,0;known=0;won=1;won_known=0;potential=5;scale=0'::salesplan.coverage;
SELECT 'v1;levels=1,0,0,0,0,0;known=0;won=-1;won_known=0;potential=0;scale=0'::salesplan.coverage;
SELECT 'v1;levels=1,0,0,0,0,0;known=0;won=0;won_known=0;potential=0;scale=9'::salesplan.coverage;
SELECT 'v1;levels=1,0,0,0,0,0;known=0;won=0.123456789;won_known=0;potential=0;scale=0'::salesplan.coverage;
SELECT 'v1;levels=9223372036854775807,1,0,0,0,0;known=0;won=0;won_known=0;potential=0;scale=0'::salesplan.coverage;
SELECT 'v1;levels=99999999999999999999,0,0,0,0,0;known=0;won=0;won_known=0;potential=0;scale=0'::salesplan.coverage;
SELECT 'v1;levels=1,0,0,0,0,0;known=0;won=abc;won_known=0;potential=0;scale=0'::salesplan.coverage;
SELECT ' v1;levels=1,0,0,0,0,0;known=0;won=0;won_known=0;potential=0;scale=0'::salesplan.coverage;
\set VERBOSITY default
SELECT 'v1;levels=1,0,0,0,0,0;known=2;won=0;won_known=0;potential=0;scale=0'::salesplan.coverage;
SELECT 'v1;levels=1,0,0,0,0,0;known=0;won=x;won_known=0;potential=0;scale=0'::salesplan.coverage;

-- ---- binary I/O (COPY BINARY calls send and recv) ----
CREATE TABLE cov_bin (c salesplan.coverage);
COPY cov TO '/tmp/salesplan_test_coverage.bin' (FORMAT binary);
COPY cov_bin FROM '/tmp/salesplan_test_coverage.bin' (FORMAT binary);
SELECT b.c::text = c.c::text AS binary_round_trip FROM cov_bin b, cov c;
-- hostile binary: write raw bytes as a bytea field, read them back as coverage
CREATE FUNCTION pg_temp.try_recv(b bytea) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('COPY (SELECT %L::bytea) TO %L (FORMAT binary)', b, '/tmp/salesplan_test_coverage.bin');
    TRUNCATE cov_bin;
    EXECUTE format('COPY cov_bin FROM %L (FORMAT binary)', '/tmp/salesplan_test_coverage.bin');
    RETURN (SELECT c::text FROM cov_bin);
EXCEPTION WHEN OTHERS THEN
    RETURN 'ERROR ' || SQLSTATE || ': ' || SQLERRM;
END $$;
-- the valid encoding of the hand example, built by hand: version 1, scale 2,
-- counts 2,1,1,0,1,1, known 4, won 45050000000, won_known 40050000000, potential 350000000000 (1e-8 units)
CREATE TEMP TABLE good AS SELECT
    '\x0102'::bytea
    || int8send(2) || int8send(1) || int8send(1) || int8send(0) || int8send(1) || int8send(1)
    || int8send(4)
    || int8send(0) || int8send(45050000000)
    || int8send(0) || int8send(40050000000)
    || int8send(0) || int8send(350000000000) AS b;
SELECT pg_temp.try_recv(b) = (SELECT c::text FROM cov) AS hand_encoding_matches FROM good;
SELECT salesplan.coverage_send(c) = (SELECT b FROM good) AS send_matches FROM cov;
SELECT pg_temp.try_recv('\x02' || substr(b, 2)) FROM good;            -- wrong version
SELECT pg_temp.try_recv(substr(b, 1, length(b) - 1)) FROM good;       -- truncated
SELECT pg_temp.try_recv(b || '\x00'::bytea) FROM good;                -- trailing byte
SELECT pg_temp.try_recv('\x0109' || substr(b, 3)) FROM good;          -- scale 9
SELECT pg_temp.try_recv(overlay(b placing int8send(-1) from 3)) FROM good;   -- negative count
SELECT pg_temp.try_recv(overlay(b placing int8send(7) from 51)) FROM good;   -- known 7 > 6 targets
SELECT pg_temp.try_recv(overlay(b placing int8send(-1) from 59)) FROM good;  -- negative won
SELECT pg_temp.try_recv('\x01'::bytea) FROM good;                     -- version only
SELECT pg_temp.try_recv(''::bytea) FROM good;                         -- nothing

-- ---- rollup equals the aggregate over the raw rows ----
CREATE TABLE big AS
SELECT i AS account_id,
       'T' || (i % 7) AS territory,
       (DATE '2026-10-01' + (i % 58)) AS day,
       CASE WHEN h % 7 = 6 THEN NULL ELSE (h % 7)::int END AS level,
       CASE WHEN h % 11 = 0 THEN NULL ELSE ((h / 7) % 1000000) / 100.0 END AS won,
       CASE WHEN h % 5 = 0 THEN NULL ELSE ((h / 11) % 10000000) / 100.0 + ((h / 7) % 1000000) / 100.0 END AS potential
FROM (SELECT i, hashint4(i)::bigint + 2147483648 AS h FROM generate_series(1, 50000) i) s;
-- plain SQL over the same rows (the independent computation)
CREATE TABLE big_sql AS
SELECT count(*) AS targets,
       count(*) FILTER (WHERE coalesce(level, 0) >= 1) AS reached,
       count(*) FILTER (WHERE level = 5) AS signed,
       coalesce(sum(won), 0) AS won,
       coalesce(sum(won) FILTER (WHERE potential IS NOT NULL), 0) AS won_known,
       sum(potential) AS potential,
       count(potential) AS known
FROM big;
CREATE TABLE big_agg AS SELECT salesplan.coverage_agg(level, won, potential) AS c FROM big;
SELECT salesplan.targets(c) = s.targets AS targets_ok,
       salesplan.coverage_rate(c) = s.reached::float8 / s.targets AS coverage_ok,
       salesplan.signing_rate(c) = s.signed::float8 / s.targets AS signing_ok,
       salesplan.won_value(c) = s.won AS won_ok,
       salesplan.potential_value(c) = s.potential AS potential_ok,
       salesplan.known_potential_accounts(c) = s.known AS known_ok,
       salesplan.penetration_rate(c) = (s.won_known / s.potential)::float8 AS penetration_ok,
       s.targets, s.reached, s.signed, s.known
FROM big_agg, big_sql s;
-- levels against count(*) per level
SELECT bool_and(l.accounts = coalesce(q.n, 0)) AS levels_ok, count(*) AS rows
FROM big_agg, salesplan.levels(c) l
LEFT JOIN (SELECT coalesce(level, 0) AS level, count(*) AS n FROM big GROUP BY 1) q USING (level);
-- per territory and day, then rolled up
CREATE TABLE big_daily AS
SELECT territory, day, salesplan.coverage_agg(level, won, potential) AS c FROM big GROUP BY 1, 2;
SELECT (SELECT salesplan.rollup(c)::text FROM big_daily) = (SELECT c::text FROM big_agg) AS rollup_equals_raw;
SELECT bool_and(r.c::text = d.c::text) AS per_territory_rollup_ok, count(*) AS territories
FROM (SELECT territory, salesplan.rollup(c) AS c FROM big_daily GROUP BY 1) r
JOIN (SELECT territory, salesplan.coverage_agg(level, won, potential) AS c FROM big GROUP BY 1) d USING (territory);
-- rollup skips NULL summaries; all-NULL gives NULL
SELECT salesplan.rollup(c)::text = (SELECT c::text FROM cov) AS null_skipped
FROM (SELECT c FROM cov UNION ALL SELECT NULL) s;
SELECT salesplan.rollup(NULL::salesplan.coverage) IS NULL AS all_null;

-- ---- as a window function (running total): each row sees the accounts so far ----
-- ids 1..6 in order, levels 2,5,0,0,4,1: running coverage 1/1, 2/2, 2/3, 2/4, 3/5, 4/6
SELECT l.id, salesplan.targets(salesplan.coverage_agg(l.level, NULL, NULL) OVER w) AS targets,
       salesplan.coverage_rate(salesplan.coverage_agg(l.level, NULL, NULL) OVER w) AS running_coverage
FROM (SELECT a.id, max(e.level) AS level
      FROM acct a LEFT JOIN ev e ON e.account_id = a.id AND e.at >= '2026-10-01' AND e.at < '2026-11-28'
      WHERE a.is_target GROUP BY a.id) l
WINDOW w AS (ORDER BY l.id)
ORDER BY l.id;

-- ---- hash aggregation that spills to disk gives the same states ----
SET work_mem = '64kB';
SET enable_sort = off;
SET max_parallel_workers_per_gather = 0;
CREATE TABLE spill AS
SELECT account_id % 20000 AS g, salesplan.coverage_agg(level, won, potential)::text AS c FROM big GROUP BY 1;
RESET work_mem;
RESET enable_sort;
SET enable_hashagg = off;
SELECT bool_and(s.c = q.c) AS spill_ok, count(*)
FROM spill s JOIN (SELECT account_id % 20000 AS g, salesplan.coverage_agg(level, won, potential)::text AS c
                   FROM big GROUP BY 1) q USING (g);
RESET enable_hashagg;
RESET max_parallel_workers_per_gather;

-- ---- forced parallel plan equals the serial result ----
CREATE TABLE par AS SELECT * FROM big UNION ALL SELECT account_id + 50000, territory, day, level, won, potential FROM big;
ALTER TABLE par SET (parallel_workers = 2);
ANALYZE par;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF) SELECT salesplan.coverage_agg(level, won, potential) FROM par;
CREATE TABLE par_parallel AS SELECT salesplan.coverage_agg(level, won, potential)::text AS c FROM par;
CREATE TABLE par_parallel_t AS
SELECT territory, salesplan.coverage_agg(level, won, potential)::text AS c FROM par GROUP BY territory;
EXPLAIN (COSTS OFF) SELECT salesplan.rollup(c) FROM big_daily;
CREATE TABLE par_rollup AS SELECT salesplan.rollup(c)::text AS c FROM big_daily;
SET max_parallel_workers_per_gather = 0;
SELECT (SELECT c FROM par_parallel) = salesplan.coverage_agg(level, won, potential)::text AS parallel_equals_serial,
       salesplan.targets(salesplan.coverage_agg(level, won, potential)) AS targets
FROM par;
SELECT bool_and(p.c = s.c) AS per_territory_parallel_ok, count(*)
FROM par_parallel_t p
JOIN (SELECT territory, salesplan.coverage_agg(level, won, potential)::text AS c FROM par GROUP BY territory) s USING (territory);
SELECT (SELECT c FROM par_rollup) = salesplan.rollup(c)::text AS parallel_rollup_ok FROM big_daily;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;

-- clean up
RESET search_path;
SET client_min_messages = warning;
DROP SCHEMA test_coverage CASCADE;
DROP EXTENSION salesplan;
