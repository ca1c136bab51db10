-- salesplan.slip_trend(reported date, forecast date): milestone trend analysis.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS salesplan;
RESET client_min_messages;
SET extra_float_digits = 0;
SET DateStyle = 'ISO, YMD';

-- Weekly reviews of four milestones (x = days after 2026-01-01):
--   hold:  forecast stays 2026-03-01            -> slope 0
--   slip:  forecast moves a week per week       -> slope 1
--   drift: x = 0, 7, 14, 21; y = 0, 3, 7, 10 days after 2026-03-01:
--          mean x 10.5, mean y 5; Sxy = (-10.5)(-5) + (-3.5)(-2) + (3.5)(2)
--          + (10.5)(5) = 119; Sxx = 2 * (110.25 + 12.25) = 245;
--          slope = 119 / 245 = 0.485714
--   pull:  forecast pulled in 2 days per weekly review: slope -2/7 = -0.285714
CREATE TEMP TABLE fh(milestone text, reported date, forecast date);
INSERT INTO fh
SELECT m, '2026-01-01'::date + 7 * k,
       '2026-03-01'::date + CASE m WHEN 'hold' THEN 0 WHEN 'slip' THEN 7 * k
                                   WHEN 'drift' THEN (ARRAY[0, 3, 7, 10])[k + 1]
                                   ELSE -2 * k END
FROM unnest('{hold,slip,drift,pull}'::text[]) m, generate_series(0, 3) k;
SELECT milestone, salesplan.slip_trend(reported, forecast) AS slope
FROM fh GROUP BY milestone ORDER BY milestone;

-- Order of rows does not matter; cross-check with regr_slope over day numbers.
SELECT milestone,
       abs(salesplan.slip_trend(reported, forecast ORDER BY forecast DESC)
           - regr_slope(forecast - date '2000-01-01', reported - date '2000-01-01')) < 1e-12 AS same
FROM fh GROUP BY milestone ORDER BY milestone;

-- Fewer than two distinct report dates: NULL.  NULL dates: the row is
-- skipped.  No rows: NULL.
SELECT salesplan.slip_trend(r, f) IS NULL AS one_report
FROM (VALUES (date '2026-01-01', date '2026-03-01')) v(r, f);
SELECT salesplan.slip_trend(r, f) IS NULL AS same_day_twice
FROM (VALUES (date '2026-01-01', date '2026-03-01'), ('2026-01-01', '2026-03-09')) v(r, f);
-- (01-01, 03-01) and (01-11, 03-06) with a NULL row in between: 5 / 10 = 0.5
SELECT salesplan.slip_trend(r, f) AS skip_nulls
FROM (VALUES (date '2026-01-01', date '2026-03-01'), (NULL, '2026-09-01'),
             ('2026-01-06', NULL), ('2026-01-11', '2026-03-06')) v(r, f);
SELECT salesplan.slip_trend(r, f) IS NULL AS no_rows
FROM (VALUES (date '2026-01-01', date '2026-03-01')) v(r, f) WHERE false;

-- Dates far from 2000-01-01 stay exact (int128 sums): slope 1 in year 200000
SELECT salesplan.slip_trend(r, r + 30) AS far_future
FROM (SELECT date '200000-01-01' + k AS r FROM generate_series(0, 9) k) x;

-- The state type: text form, round trip, and the final function
SELECT '(1,2,1,2,2,1)'::salesplan.slip_trend_state AS state,
       salesplan.slip_trend_final('(1,2,1,2,2,1)') AS slope_2;
-- x = {0, 1}, y = {0, 2}: n 2, sx 1, sy 2, sxy 2, sxx 1 -> (4 - 2) / (2 - 1) = 2
SELECT s::text::salesplan.slip_trend_state::text = s::text AS round_trip
FROM (VALUES ('(1,3,-5,123456789012345678901234567890,0,100)'::salesplan.slip_trend_state)) v(s);

-- Malformed state text
\set VERBOSITY default
SELECT '(2,0,0,0,0,0)'::salesplan.slip_trend_state;
SELECT '(1,2,10,0,0,1)'::salesplan.slip_trend_state;
\set VERBOSITY sqlstate
SELECT ''::salesplan.slip_trend_state;
SELECT '(1,0,1,0,0,0)'::salesplan.slip_trend_state;
SELECT '(1,-1,0,0,0,0)'::salesplan.slip_trend_state;
SELECT '(1,1,0,0,0,-1)'::salesplan.slip_trend_state;
SELECT '(1,1,0,0,0,0) '::salesplan.slip_trend_state;
SELECT '(1,1,0,0,0)'::salesplan.slip_trend_state;
SELECT '(1,1,0,0,0,999999999999999999999999999999999999999999)'::salesplan.slip_trend_state;
SELECT '(1,1,x,0,0,0)'::salesplan.slip_trend_state;
-- errors of the aggregate
SELECT salesplan.slip_trend('infinity', '2026-01-01');
SELECT salesplan.slip_trend('2026-01-01', '-infinity');
SELECT salesplan.slip_trend_trans(NULL, '2026-01-01', '2026-01-01');
\set VERBOSITY default

-- Binary round trip through COPY
CREATE TEMP TABLE st(s salesplan.slip_trend_state);
INSERT INTO st VALUES ('(1,3,-5,123456789012345678901234567890,0,100)'), ('(1,0,0,0,0,0)');
COPY st TO '/tmp/salesplan_slip_trend_test.bin' WITH (FORMAT binary);
CREATE TEMP TABLE st2(s salesplan.slip_trend_state);
COPY st2 FROM '/tmp/salesplan_slip_trend_test.bin' WITH (FORMAT binary);
SELECT s FROM st2 ORDER BY s::text;
-- corrupt binary: a bytea column written in binary has the same framing,
-- so its bytes reach slip_trend_state_recv
\set VERBOSITY sqlstate
COPY (SELECT '\x02'::bytea) TO '/tmp/salesplan_slip_trend_test.bin' WITH (FORMAT binary);
COPY st2 FROM '/tmp/salesplan_slip_trend_test.bin' WITH (FORMAT binary);
COPY (SELECT '\x010000000000000001'::bytea) TO '/tmp/salesplan_slip_trend_test.bin' WITH (FORMAT binary);
COPY st2 FROM '/tmp/salesplan_slip_trend_test.bin' WITH (FORMAT binary);
-- n = 1 with all sums 0 but one trailing byte
COPY (SELECT ('\x01' || repeat('00', 7) || '01' || repeat('00', 64) || 'ff')::bytea)
  TO '/tmp/salesplan_slip_trend_test.bin' WITH (FORMAT binary);
COPY st2 FROM '/tmp/salesplan_slip_trend_test.bin' WITH (FORMAT binary);
-- n = 0 with a non-zero sum
COPY (SELECT ('\x01' || repeat('00', 8) || repeat('00', 15) || '01' || repeat('00', 48))::bytea)
  TO '/tmp/salesplan_slip_trend_test.bin' WITH (FORMAT binary);
COPY st2 FROM '/tmp/salesplan_slip_trend_test.bin' WITH (FORMAT binary);
\set VERBOSITY default

-- Parallel plan equals serial: 2,000 milestones x 50 reviews
CREATE TABLE trend_big(milestone int, reported date, forecast date);
INSERT INTO trend_big
SELECT m, '2025-01-01'::date + 7 * k,
       '2026-01-01'::date + (m % 7) * k + (m * k) % 5
FROM generate_series(1, 2000) m, generate_series(0, 49) k;
ANALYZE trend_big;
ALTER TABLE trend_big SET (parallel_workers = 2);
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;
EXPLAIN (COSTS OFF)
SELECT salesplan.slip_trend(reported, forecast) FROM trend_big;
SELECT salesplan.slip_trend(reported, forecast)::text AS all_slope FROM trend_big \gset par_
EXPLAIN (COSTS OFF)
SELECT milestone, salesplan.slip_trend(reported, forecast) FROM trend_big GROUP BY milestone;
SELECT string_agg(sl::text, ',' ORDER BY milestone) AS each_slope
FROM (SELECT milestone, salesplan.slip_trend(reported, forecast) sl
      FROM trend_big GROUP BY milestone) g \gset par_
SET max_parallel_workers_per_gather = 0;
EXPLAIN (COSTS OFF)
SELECT salesplan.slip_trend(reported, forecast) FROM trend_big;
SELECT salesplan.slip_trend(reported, forecast)::text = :'par_all_slope' AS same_all
FROM trend_big;
SELECT string_agg(sl::text, ',' ORDER BY milestone) = :'par_each_slope' AS same_each
FROM (SELECT milestone, salesplan.slip_trend(reported, forecast) sl
      FROM trend_big GROUP BY milestone) g;
-- and against regr_slope (floating point: within 1e-9)
SELECT bool_and(abs(sl - rs) < 1e-9) AS matches_regr_slope, count(*)
FROM (SELECT milestone, salesplan.slip_trend(reported, forecast) sl,
             regr_slope(forecast - date '2000-01-01', reported - date '2000-01-01') rs
      FROM trend_big GROUP BY milestone) g;
RESET ALL;

DROP TABLE trend_big;
-- the extension stays installed for the tests that follow "install"
