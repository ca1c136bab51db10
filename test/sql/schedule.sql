-- salesplan.schedule: milestone schedules, hand-computed cases.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS salesplan;
RESET client_min_messages;
SET extra_float_digits = 0;
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';

CREATE TEMP TABLE ms(project text, planned date, actual date, weight numeric, start date);
INSERT INTO ms VALUES
  -- A: start 2026-01-01; on time, early by 2, late by 5, unreached
  ('A', '2026-01-11', '2026-01-11', 10, '2026-01-01'),
  ('A', '2026-01-21', '2026-01-19', 20, '2026-01-01'),
  ('A', '2026-01-31', '2026-02-05', 30, '2026-01-01'),
  ('A', '2026-02-10', NULL,         40, '2026-01-01'),
  -- B: finished late; weights NULL (unknown; none known, so each counts 1)
  ('B', '2026-01-11', '2026-01-15', NULL, '2026-01-01'),
  ('B', '2026-01-21', '2026-01-31', NULL, '2026-01-01'),
  -- C: single milestone reached 10 days early
  ('C', '2026-01-21', '2026-01-11', 1, '2026-01-01'),
  -- D: zero weights, no explicit start
  ('D', '2026-01-11', '2026-01-20', 0, NULL),
  ('D', '2026-01-21', NULL,         0, NULL),
  -- E: a single milestone, no explicit start (planned duration 0)
  ('E', '2026-02-01', '2026-02-03', 5, NULL),
  -- F: all milestones on one date, explicit start
  ('F', '2026-01-31', '2026-01-31', 1, '2026-01-01'),
  ('F', '2026-01-31', '2026-02-05', 2, '2026-01-01'),
  ('F', '2026-01-31', NULL,         3, '2026-01-01');

CREATE TEMP TABLE s AS
SELECT project, salesplan.schedule_agg(planned, actual, weight, start) AS s
FROM ms GROUP BY project;

SELECT project, s FROM s ORDER BY project;

SELECT project, salesplan.total_weight(s), salesplan.milestone_count(s),
       salesplan.project_start(s), salesplan.planned_finish(s)
FROM s ORDER BY project;

SELECT * FROM salesplan.milestones((SELECT s FROM s WHERE project = 'A'));

-- A at 2026-02-15.  PV = 10+20+30+40 = 100; EV = 10+20+30 = 60; SV = -40;
-- SPI = 0.6.  PV steps (days after 2026-01-01, cumulative weight): 10 on
-- day 10, 30 on day 20, 60 on day 30, 100 on day 40.  EV 60: t_first = 30
-- (PV reaches 60), t_next = 40 (PV exceeds 60); AT = 45 (not finished), so
-- ES = 40 (the due date of the open milestone).  SPI(t) = 40/45 = 0.888889;
-- SV(t) = -5 (5 days past 02-10).  IEAC(t) = PD / SPI(t) = 40 * 45 / 40 =
-- 45 days -> 2026-02-15.
-- Due: all 4; on time: the on-time and the early one -> 2/4 = 0.5.
-- Slip: (0*10 + (-2)*20 + 5*30 + (02-15 - 02-10 = 5)*40) / 100 = 310/100
-- = 3.1.  Late: the one reached 5 days late and the open one -> 2.
-- A at 2026-01-25.  PV = 30 (01-11, 01-21); EV = 30; SPI = 1.  t_first =
-- 20, t_next = 30, AT = 24: ES = 24, SPI(t) = 1, SV(t) = 0 (on plan between
-- milestones; 0.1's linear curve said 0.833333).  IEAC(t) = 40 * 24 / 24 =
-- 40 days -> 2026-02-10.  Due 2, both on time -> 1;
-- slip (0*10 + (-2)*20) / 30 = -1.333333; late 0.
-- A at 2026-01-21, a milestone date: PV = EV = 30, ES = AT = 20, SPI(t) = 1;
-- forecast = 2026-01-01 + 40 = 2026-02-10.
-- A at 2026-01-01 (the start): PV = EV = 0, SPI NULL, ES = AT = 0: on
-- plan, SPI(t) = 1, SV(t) = 0, forecast = the planned finish 2026-02-10;
-- nothing due.
-- A at 2025-12-25 (before the start): everything NULL or 0; ES = t_first =
-- 0; AT < 0 -> SPI(t), SV(t) and forecast NULL.
SELECT as_of,
       salesplan.planned_value(s, as_of) AS pv,
       salesplan.earned_value(s, as_of) AS ev,
       salesplan.schedule_variance(s, as_of) AS sv,
       salesplan.spi(s, as_of),
       salesplan.earned_schedule_days(s, as_of) AS es,
       salesplan.spi_t(s, as_of),
       salesplan.schedule_variance_t(s, as_of) AS sv_t,
       salesplan.forecast_finish(s, as_of),
       salesplan.on_time_rate(s, as_of),
       salesplan.slip_days(s, as_of),
       salesplan.late_milestones(s, as_of) AS late
FROM s, unnest('{2025-12-25,2026-01-01,2026-01-21,2026-01-25,2026-02-15}'::date[]) AS as_of
WHERE project = 'A'
ORDER BY as_of;

-- B (finished late) at 2026-03-01: PV = EV = 2, SPI = 1, SV = 0: EVM says
-- "on schedule".  ES = PD = 20; AT frozen at the actual finish 2026-01-31 =
-- 30 days; SPI(t) = 20/30 = 0.666667, SV(t) = -10; forecast = the actual
-- finish.  On time 0/2; slip (4 + 10)/2 = 7; late 2.
-- C (early) at 2026-01-11: PV = 0 -> SPI NULL; EV = 1; ES = 20 (curve
-- (0,0)-(20,1)); finished, AT = 10; SPI(t) = 2; forecast = 2026-01-11;
-- nothing due yet -> on-time and slip NULL.
-- D (zero weights) at 2026-01-25: start = 2026-01-11 (earliest planned),
-- PD = 10, PV = EV = 0, SPI NULL, ES = 0, AT = 14, SPI(t) = 0, forecast
-- NULL (no schedule earned); on time 0/2 = 0; slip NULL (no weight due);
-- late 2 (reached 9 days late; open 4 days past plan).
-- E (single milestone, start = its planned date, PD = 0) at 2026-02-02:
-- PV = 5, EV = 0, SPI = 0, SV = -5, ES = 0, AT = 1, SV(t) = -1, SPI(t) NULL
-- (no planned duration), forecast NULL; on time 0/1; slip 02-02 - 02-01 =
-- 1; late 1.  At 2026-02-10 finished: AT frozen at 02-03 = 2, SV(t) = -2;
-- forecast = the actual finish 2026-02-03; slip 2; late 1.
-- F (one date) at 2026-02-10: PV = 6, EV = 1+2 = 3, SPI 0.5; PV steps to 6
-- on day 30, so t_first = t_next = 30, ES = 30, AT = 40, SPI(t) = 0.75,
-- SV(t) = -10 (10 days past 01-31), forecast = 30 * 40 / 30 = 40 days ->
-- 2026-02-10; on time 1/3; slip (0*1 + 5*2 + 10*3)/6 = 6.666667; late 2.
SELECT project, as_of,
       salesplan.planned_value(s, as_of) AS pv,
       salesplan.earned_value(s, as_of) AS ev,
       salesplan.schedule_variance(s, as_of) AS sv,
       salesplan.spi(s, as_of),
       salesplan.earned_schedule_days(s, as_of) AS es,
       salesplan.spi_t(s, as_of),
       salesplan.schedule_variance_t(s, as_of) AS sv_t,
       salesplan.forecast_finish(s, as_of),
       salesplan.on_time_rate(s, as_of),
       salesplan.slip_days(s, as_of),
       salesplan.late_milestones(s, as_of) AS late
FROM s JOIN (VALUES ('B', date '2026-03-01'), ('C', '2026-01-11'), ('D', '2026-01-25'),
                    ('E', '2026-02-02'), ('E', '2026-02-10'), ('F', '2026-02-10')) AS v(p, as_of)
     ON v.p = s.project
ORDER BY project, as_of;

-- Without an explicit start, A starts at its first milestone (2026-01-11):
-- PD = 30; PV steps to 10 at t = 0, 30 at 10, 60 at 20, 100 at 30.  At
-- 2026-02-15 EV = 60 -> t_first = 20, t_next = 30; AT = 35 -> ES = 30,
-- SPI(t) = 30/35 = 0.857143.
SELECT salesplan.project_start(s), salesplan.earned_schedule_days(s, '2026-02-15'),
       salesplan.spi_t(s, '2026-02-15')
FROM (SELECT salesplan.schedule_agg(planned, actual, weight) AS s FROM ms WHERE project = 'A') x;

-- An explicit start later than a planned date is ignored (earliest wins);
-- differing starts within a group: the earliest.
SELECT salesplan.project_start(salesplan.schedule_agg(p, NULL, 1, st))
FROM (VALUES (date '2026-03-01', date '2026-04-01'), ('2026-05-01', '2026-02-01')) v(p, st);

-- Portfolio: rollup of A..F; start = earliest (2026-01-01).  B's unknown
-- weights now count as the mean of the portfolio's known weights:
-- (10+20+30+40 + 1 + 0+0 + 5 + 1+2+3) / 11 = 112/11 = 10.18181818 each.
-- PV at 2026-02-15 = 100 + 2 * 10.18181818 + 1 + 0 + 5 + 6 = 132.36363636,
-- EV = 60 + 20.36363636 + 1 + 0 + 5 + 3 = 89.36363636.
SELECT salesplan.planned_value(r, '2026-02-15') AS pv,
       salesplan.earned_value(r, '2026-02-15') AS ev,
       salesplan.milestone_count(r), salesplan.project_start(r),
       salesplan.late_milestones(r, '2026-02-15')
FROM (SELECT salesplan.rollup(s ORDER BY project) AS r FROM s) x;
-- rollup equals the aggregate over the raw rows
SELECT (SELECT salesplan.rollup(s)::text FROM s)
     = (SELECT salesplan.schedule_agg(planned, actual, weight, start)::text FROM ms) AS same;

-- Empty input and NULL input
SELECT salesplan.schedule_agg(planned, actual, weight) IS NULL AS empty_is_null FROM ms WHERE false;
SELECT salesplan.rollup(NULL::salesplan.schedule) IS NULL AS rollup_of_null;
SELECT salesplan.spi(NULL, '2026-01-01'), salesplan.spi_t(s, NULL) FROM s WHERE project = 'A';

-- Weights keep their scale and are exact
SELECT salesplan.total_weight(salesplan.schedule_agg('2026-01-01', NULL, w))
FROM (VALUES (0.1), (0.2), (0.00000001)) v(w);

-- Window use: the schedule as milestones are added
SELECT planned, salesplan.planned_value(
         salesplan.schedule_agg(planned, actual, weight) OVER (ORDER BY planned), '2026-12-31')
FROM ms WHERE project = 'A' ORDER BY planned;

-- Errors
\set VERBOSITY default
SELECT salesplan.schedule_agg(NULL, NULL, 1);
SELECT salesplan.schedule_agg('2026-01-01', NULL, -1);
\set VERBOSITY sqlstate
SELECT salesplan.schedule_agg('2026-01-01', NULL, 'NaN');
SELECT salesplan.schedule_agg('2026-01-01', NULL, 'Infinity');
SELECT salesplan.schedule_agg('2026-01-01', NULL, 0.000000001);
SELECT salesplan.schedule_agg('infinity', NULL, 1);
SELECT salesplan.schedule_agg('2026-01-01', '-infinity', 1);
SELECT salesplan.schedule_agg('2026-01-01', NULL, 1, 'infinity');
SELECT salesplan.schedule_agg('2026-01-01', NULL, w) FROM (VALUES (1e30), (1e30)) v(w);
SELECT salesplan.spi(s, 'infinity') FROM s WHERE project = 'A';
SELECT salesplan.schedule_trans(NULL, '2026-01-01', NULL, 1);
SELECT salesplan.schedule_combine(NULL, NULL);
\set VERBOSITY default
-- the bound: 100,000 milestones per schedule
SELECT salesplan.milestone_count(salesplan.schedule_agg('2026-01-01'::date + i % 1000, NULL, 1))
FROM generate_series(1, 100000) i;
SELECT salesplan.schedule_agg('2026-01-01'::date + i % 1000, NULL, 1)
FROM generate_series(1, 100001) i;
-- two projects of 60,000 milestones each: the rollup would hold 120,000
SELECT salesplan.milestone_count(salesplan.rollup(x)) FROM (
  SELECT salesplan.schedule_agg('2026-01-01'::date + i % 1000, NULL, 1) x
  FROM generate_series(1, 120000) i GROUP BY i % 2) y;

-- A milestone due on the status date and not yet reached is still open
-- (review): milestones due 03-01 (weight 10) and 04-01 (weight 20).
--   open at 03-01: on_time_rate leaves it out, nothing else is due -> NULL;
--     late 0; slip (03-01 - 03-01) = 0.
--   open at 03-02: missed -> on time 0/1 = 0; late 1; slip 1 day.
--   reached 03-01, at 03-01: on time 1/1 = 1; late 0; slip 0.
--   reached 03-05, at 03-05: late -> 0/1 = 0; late 1; slip 4.
SELECT label, salesplan.on_time_rate(s, d) AS on_time_rate, salesplan.late_milestones(s, d) AS late,
       salesplan.slip_days(s, d) AS slip
FROM (VALUES ('open at 03-01', NULL::date, date '2026-03-01'), ('open at 03-02', NULL, '2026-03-02'),
             ('reached 03-01', '2026-03-01', '2026-03-01'), ('reached 03-05', '2026-03-05', '2026-03-05')) v(label, a, d),
     LATERAL (SELECT salesplan.schedule_agg(p, x, w) AS s
              FROM (VALUES (date '2026-03-01', v.a, 10), ('2026-04-01', NULL, 20)) m(p, x, w)) agg
ORDER BY label;

-- leave the database as found: every test creates the extension itself
DROP EXTENSION salesplan CASCADE;
