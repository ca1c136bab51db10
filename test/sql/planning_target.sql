-- From target to behavior: plan, working_days, plan_activities, pacing.
SET extra_float_digits = 0;
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS salesplan;
RESET client_min_messages;
CREATE SCHEMA test_plan;
SET search_path = test_plan, public;

-- A three-stage funnel: 200 leads, 50 reach stage 2, 20 won at 250.00 each:
-- revenue 5000.00, aov 250, conversions 50/200 = 0.25 and 20/50 = 0.4.
CREATE TABLE opp AS
SELECT CASE WHEN i <= 20 THEN 3 WHEN i <= 50 THEN 2 ELSE 1 END AS reached,
       CASE WHEN i <= 20 THEN 250.00 END AS amount
FROM generate_series(1, 200) AS i;
CREATE TABLE fun AS SELECT salesplan.funnel_agg(reached, amount, 3) AS f FROM opp;

-- target 12000: won 12000 / 250 = 48; stage 2: 48 / 0.4 = 120;
-- stage 1: 120 / 0.25 = 480.  gap = required - actual.
SELECT p.* FROM fun, salesplan.plan(f, 12000) AS p ORDER BY stage;
-- target 10000.01: exact requirements 40.00004, 100.0001, 400.0004, each
-- rounded up on its own: 41, 101, 401 (chaining rounded values would give
-- ceil(41 / 0.4) = 103 and ceil(103 / 0.25) = 412).
SELECT p.* FROM fun, salesplan.plan(f, 10000.01) AS p ORDER BY stage;
-- zero target: nothing required
SELECT p.* FROM fun, salesplan.plan(f, 0) AS p ORDER BY stage;
-- won entities without amount: 20 won, 16 priced (4000.00), aov still 250,
-- so the requirements for 12000 are unchanged: 48, 120, 480
CREATE TABLE opp_unpriced AS
SELECT CASE WHEN i <= 20 THEN 3 WHEN i <= 50 THEN 2 ELSE 1 END AS reached,
       CASE WHEN i <= 16 THEN 250.00 END AS amount
FROM generate_series(1, 200) AS i;
SELECT p.* FROM (SELECT salesplan.funnel_agg(reached, amount, 3) AS f FROM opp_unpriced) x,
    salesplan.plan(x.f, 12000) AS p ORDER BY stage;

-- Zero rates: unreachable at current rates, NULL required and gap.
-- (a) nobody won: conversion 2 -> 3 is 0, aov unknown
SELECT p.* FROM (SELECT salesplan.funnel_agg(r, NULL, 3) AS f FROM (VALUES (1), (2), (2)) v(r)) x,
    salesplan.plan(x.f, 1000) AS p ORDER BY stage;
-- (b) won deals worth 0: aov 0
SELECT p.* FROM (SELECT salesplan.funnel_agg(r, a, 2) AS f FROM (VALUES (1, NULL::numeric), (2, 0)) v(r, a)) x,
    salesplan.plan(x.f, 1000) AS p ORDER BY stage;
-- (c) won deals without amounts: aov unknown
SELECT p.* FROM (SELECT salesplan.funnel_agg(r, NULL, 2) AS f FROM (VALUES (1), (2)) v(r)) x,
    salesplan.plan(x.f, 1000) AS p ORDER BY stage;
-- (d) a funnel with no stage (only never-entered population): no rows
SELECT count(*) FROM (SELECT salesplan.funnel_agg(0, NULL) AS f) x, salesplan.plan(x.f, 1000) AS p;
-- NULL target: no rows
SELECT count(*) FROM fun, salesplan.plan(f, NULL) AS p;

-- working_days: Q1 2026 (1 January is a Thursday) has 22 + 20 + 22 = 64
-- weekdays; checked against counting the days one by one.
SELECT salesplan.working_days('2026-01-01', '2026-03-31') AS q1,
       (SELECT count(*) FROM generate_series('2026-01-01'::date, '2026-03-31', '1 day') d
        WHERE extract(isodow FROM d) < 6) AS q1_counted;
-- holidays: 1 Jan (Thu) counts once though listed twice, 3 Jan is a
-- Saturday, 2025-12-25 is outside, NULL is ignored: 64 - 1 = 63
SELECT salesplan.working_days('2026-01-01', '2026-03-31',
    ARRAY['2026-01-01', '2026-01-01', '2026-01-03', '2025-12-25', NULL]::date[]) AS q1_with_holidays;
-- every start weekday and length 1..15 against a day-by-day count
SELECT count(*) AS mismatches
FROM generate_series('2026-03-02'::date, '2026-03-08', '1 day') AS s,
     generate_series(0, 14) AS len
WHERE salesplan.working_days(s::date, s::date + len) <>
      (SELECT count(*) FROM generate_series(s, s + len * interval '1 day', '1 day') d WHERE extract(isodow FROM d) < 6);
SELECT salesplan.working_days('2026-01-03', '2026-01-03') AS saturday,
       salesplan.working_days('2026-01-05', '2026-01-05') AS monday,
       salesplan.working_days(NULL, '2026-01-05') AS null_day;

-- plan_activities: 1234 leads needed; last period 410 leads took 5200 calls
-- and 640 visits; 12 reps, 62 working days (744 rep-days).
-- calls: 1234 * 5200 / 410 = 15650.73 -> 15651; per rep 15651 / 12 = 1304.25
-- -> 1305; per rep-day 15651 / 744 = 21.036 -> 21.04.
-- visits: 1234 * 640 / 410 = 1926.24 -> 1927; / 12 = 160.58 -> 161;
-- / 744 = 2.5900.. -> 2.60.
SELECT * FROM salesplan.plan_activities(1234, ARRAY['call', 'visit'], ARRAY[5200, 640], 410, 12, 62);
-- straight from plan() and working_days(): stage 1 of the 12000 plan (480)
SELECT a.* FROM fun, salesplan.plan(f, 12000) AS p,
    salesplan.plan_activities(p.required, ARRAY['call'], ARRAY[1000], 200, 2,
                              salesplan.working_days('2026-04-01', '2026-04-30')) AS a
WHERE p.stage = 1;
-- 480 * 1000 / 200 = 2400 calls, 1200 per rep, 2400 / (2 * 22) = 54.545 -> 54.55
-- reps as a count(*) (bigint), in named notation: 12 reps give the numbers
-- of the 12-rep call above (15651 calls, 1305 per rep, 21.04 per rep-day).
CREATE TABLE rep AS SELECT generate_series(1, 12) AS id;
SELECT a.* FROM (SELECT count(*) AS n FROM rep) AS r,
    salesplan.plan_activities(required_leads => 1234, kinds => ARRAY['call'], observed_activities => ARRAY[5200],
                              observed_leads => 410, reps => r.n, working_days => 62) AS a;
-- past the integer range: 3e9 reps need ceil(15651 / 3e9) = 1 call each,
-- and ceil(1565100 / (3e9 * 62)) / 100 = 0.01 a day
SELECT per_rep, per_rep_per_day
FROM salesplan.plan_activities(1234, ARRAY['call'], ARRAY[5200], 410, 3000000000, 62::bigint);
-- one function, so smallint, integer, quoted and NULL arguments all resolve
-- to it (STRICT: a NULL gives no row); integer calls work as before
SELECT p.oid::regprocedure AS plan_activities FROM pg_proc p
WHERE p.proname = 'plan_activities' AND p.pronamespace = 'salesplan'::regnamespace;
SELECT per_rep FROM salesplan.plan_activities(1234, ARRAY['call'], ARRAY[5200], 410, 12::smallint, 62::smallint);
SELECT per_rep FROM salesplan.plan_activities(1234, ARRAY['call'], ARRAY[5200], 410, '12', '62');
SELECT count(*) AS null_reps FROM salesplan.plan_activities(1234, ARRAY['call'], ARRAY[5200], 410, NULL, 62);
SELECT count(*) AS null_both FROM salesplan.plan_activities(1234, ARRAY['call'], ARRAY[5200], 410, NULL, NULL);
SELECT count(*) AS null_named
FROM salesplan.plan_activities(required_leads => 1234, kinds => ARRAY['call'], observed_activities => ARRAY[5200],
                               observed_leads => 410, reps => NULL, working_days => NULL);

-- pacing, linear: Q1 2026 (90 days), target 900000, 310000 attained by
-- 10 Feb (41 days elapsed): expected 900000 * 41 / 90 = 410000, gap -100000,
-- attainment 310000 / 410000 = 0.756..., run rate 310000 * 90 / 41 =
-- 680487.80, required per remaining day 590000 / 49 = 12040.82.
SELECT * FROM salesplan.pacing(900000, 310000, '2026-01-01', '2026-03-31', '2026-02-10');
-- seasonal: March weighs double, weekends nothing.  A day weighs its month's
-- weight / days in month, times its weekday's weight.  Jan has 22 weekdays
-- (31 days), Feb 20 (28), Mar 22 (31, weight 2); 2-10 Feb holds 7 weekdays.
-- expected = 900000 * (22/31 + 7/28) / (22/31 + 20/28 + 44/31); remaining
-- selling days: 13 in Feb + 22 in Mar = 35; required 590000 / 35 = 16857.14.
SELECT p.*,
       round(900000 * (22/31::numeric + 7/28::numeric) / (22/31::numeric + 20/28::numeric + 44/31::numeric), 2) AS expected_by_hand,
       round(310000 * (22/31::numeric + 20/28::numeric + 44/31::numeric) / (22/31::numeric + 7/28::numeric), 2) AS run_rate_by_hand
FROM salesplan.pacing(900000, 310000, '2026-01-01', '2026-03-31', '2026-02-10',
                      '{1,1,2,1,1,1,1,1,1,1,1,1}', '{1,1,1,1,1,0,0}') AS p;
-- before the period: nothing expected yet
SELECT * FROM salesplan.pacing(900000, 5000, '2026-01-01', '2026-03-31', '2025-12-15');
-- after the period: everything expected, nothing remaining, no daily rate
SELECT * FROM salesplan.pacing(900000, 950000, '2026-01-01', '2026-03-31', '2026-04-15');
-- one-day period, on the day
SELECT * FROM salesplan.pacing(1000, 400, '2026-01-05', '2026-01-05', '2026-01-05');
-- target already beaten mid-period: required rate 0
SELECT required_daily_rate FROM salesplan.pacing(100, 150, '2026-01-01', '2026-01-31', '2026-01-10');
-- NULL input: no row
SELECT count(*) FROM salesplan.pacing(NULL, 150, '2026-01-01', '2026-01-31', '2026-01-10');

-- Errors
\set VERBOSITY sqlstate
SELECT * FROM fun, salesplan.plan(f, -1);
SELECT * FROM fun, salesplan.plan(f, 'NaN');
SELECT * FROM fun, salesplan.plan(f, 'Infinity');
SELECT salesplan.working_days('2026-02-01', '2026-01-01');
SELECT salesplan.working_days('2026-01-01', 'infinity');
SELECT * FROM salesplan.plan_activities(-1, ARRAY['call'], ARRAY[1], 1, 1, 1);
SELECT * FROM salesplan.plan_activities(1, ARRAY['call'], ARRAY[1], 0, 1, 1);
SELECT * FROM salesplan.plan_activities(1, ARRAY['call'], ARRAY[1], 1, 0, 1);
SELECT * FROM salesplan.plan_activities(1, ARRAY['call'], ARRAY[1], 1, 1, 0);
SELECT * FROM salesplan.plan_activities(1, ARRAY['call'], ARRAY[1], 1, -3000000000, 1);
SELECT * FROM salesplan.plan_activities(1, ARRAY['call', 'visit'], ARRAY[1], 1, 1, 1);
SELECT * FROM salesplan.plan_activities(1, '{}', '{}', 1, 1, 1);
SELECT * FROM salesplan.plan_activities(1, ARRAY[NULL], ARRAY[1], 1, 1, 1);
SELECT * FROM salesplan.plan_activities(1, ARRAY['call'], ARRAY[-1], 1, 1, 1);
SELECT * FROM salesplan.plan_activities(1, ARRAY['call'], ARRAY[NULL::numeric], 1, 1, 1);
SELECT * FROM salesplan.plan_activities(1, ARRAY[['call']], ARRAY[[1]], 1, 1, 1);
SELECT * FROM salesplan.pacing(-1, 0, '2026-01-01', '2026-01-31', '2026-01-10');
SELECT * FROM salesplan.pacing(1, 'NaN', '2026-01-01', '2026-01-31', '2026-01-10');
SELECT * FROM salesplan.pacing(1, 0, '2026-01-31', '2026-01-01', '2026-01-10');
SELECT * FROM salesplan.pacing(1, 0, '2026-01-01', '2026-01-31', 'infinity');
SELECT * FROM salesplan.pacing(1, 0, '2026-01-01', '2026-01-31', '2026-01-10', '{1,1}');
SELECT * FROM salesplan.pacing(1, 0, '2026-01-01', '2026-01-31', '2026-01-10', '{1,1,1,1,1,1,1,1,1,1,1,-1}');
SELECT * FROM salesplan.pacing(1, 0, '2026-01-01', '2026-01-31', '2026-01-10', '{1,1,1,1,1,1,1,1,1,1,1,NaN}');
SELECT * FROM salesplan.pacing(1, 0, '2026-01-01', '2026-01-31', '2026-01-10', NULL, '{1,1,1}');
SELECT * FROM salesplan.pacing(1, 0, '2026-01-01', '2026-01-31', '2026-01-10', NULL, '{1,1,1,1,1,Infinity,0}');
SELECT * FROM salesplan.pacing(1, 0, '2026-01-03', '2026-01-04', '2026-01-03', NULL, '{1,1,1,1,1,0,0}');
\set VERBOSITY default
SELECT * FROM fun, salesplan.plan(f, -1);
SELECT * FROM salesplan.plan_activities(1, ARRAY['call'], ARRAY[1], 0, 1, 1);
SELECT * FROM salesplan.pacing(1, 0, '2026-01-03', '2026-01-04', '2026-01-03', NULL, '{1,1,1,1,1,0,0}');

RESET search_path;
SET client_min_messages = warning;
DROP SCHEMA test_plan CASCADE;
-- leave the database as a fresh one: later tests create the extension themselves
DROP EXTENSION salesplan;
