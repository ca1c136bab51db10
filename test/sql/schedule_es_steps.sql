-- Earned schedule on the milestone plan (since 0.2): planned value is a
-- step function and earned value moves only when a milestone is reached,
-- so ES is read off the same steps: t_first = the earliest date with
-- PV >= EV (the start when EV = 0), t_next = the earliest planned date with
-- PV > EV, ES = AT clamped to [t_first, t_next] (t_first when EV is the
-- whole plan).  Every expected value below is worked out by hand.
--
-- The plan, start 2026-01-01 (day 0):
--   M1 due 2026-01-11 (day 10) weight 1
--   M2 due 2026-01-21 (day 20) weight 1
--   M3 due 2026-01-31 (day 30) weight 2
-- PV: 0 before day 10, 1 on days 10..19, 2 on days 20..29, 4 from day 30.
-- Planned duration PD = 30 days.
CREATE EXTENSION salesplan;
SET extra_float_digits = 0;
SET DateStyle = 'ISO, YMD';
CREATE TEMP TABLE plan (m text, planned date, weight numeric);
INSERT INTO plan VALUES ('M1', '2026-01-11', 1), ('M2', '2026-01-21', 1), ('M3', '2026-01-31', 2);
CREATE TEMP TABLE run (scenario text, m text, actual date);
-- A: every milestone met on its due date
INSERT INTO run VALUES ('A on plan', 'M1', '2026-01-11'), ('A on plan', 'M2', '2026-01-21'), ('A on plan', 'M3', '2026-01-31');
-- B: M1 three days late (2026-01-14), the rest on time
INSERT INTO run VALUES ('B late', 'M1', '2026-01-14'), ('B late', 'M2', '2026-01-21'), ('B late', 'M3', '2026-01-31');
-- C: M2 six days early (2026-01-15)
INSERT INTO run VALUES ('C ahead', 'M1', '2026-01-11'), ('C ahead', 'M2', '2026-01-15'), ('C ahead', 'M3', '2026-01-31');
-- E: M3 nine days late (2026-02-09)
INSERT INTO run VALUES ('E late finish', 'M1', '2026-01-11'), ('E late finish', 'M2', '2026-01-21'), ('E late finish', 'M3', '2026-02-09');
CREATE TEMP TABLE sched AS
SELECT r.scenario, salesplan.schedule_agg(p.planned, r.actual, p.weight, date '2026-01-01') AS s
FROM plan p JOIN run r USING (m) GROUP BY r.scenario;

-- A, on plan at every date: SPI(t) = 1 and SV(t) = 0 from the start day
-- (ES = AT = 0: on plan) through the finish and after it (AT freezes at
-- the actual finish, ES = t_first = day 30 = PD), and the forecast finish is
-- the planned finish every day.
SELECT count(*) AS days,
       count(*) FILTER (WHERE salesplan.spi_t(s, d::date) = 1) AS spi_t_1,
       count(*) FILTER (WHERE salesplan.schedule_variance_t(s, d::date) = 0) AS sv_t_0,
       count(*) FILTER (WHERE salesplan.forecast_finish(s, d::date) = '2026-01-31') AS on_time_forecast
FROM sched, generate_series(date '2026-01-01', date '2026-02-15', interval '1 day') d
WHERE scenario = 'A on plan';

-- B, M1 late, day by day:
--   01-10  AT  9  EV 0: t_first 0, t_next 10, ES  9   SV  0  SPI(t) 1
--   01-11  AT 10  EV 0: ES 10 (due today)             SV  0  SPI(t) 1
--   01-12  AT 11  EV 0: ES 10                          SV -1  SPI(t) 10/11
--   01-13  AT 12  EV 0: ES 10                          SV -2  SPI(t) 10/12, forecast 1-1 + 30*12/10 = day 36 = 02-06
--   01-14  AT 13  EV 1: t_first 10, t_next 20, ES 13  SV  0  SPI(t) 1
--   01-20  AT 19  EV 1: ES 19                          SV  0  SPI(t) 1
SELECT d::date AS as_of, salesplan.earned_schedule_days(s, d::date) AS es,
       salesplan.schedule_variance_t(s, d::date) AS sv_t, salesplan.spi_t(s, d::date) AS spi_t,
       salesplan.forecast_finish(s, d::date) AS forecast
FROM sched, generate_series(date '2026-01-10', date '2026-01-14', interval '1 day') d
WHERE scenario = 'B late'
UNION ALL
SELECT date '2026-01-20', salesplan.earned_schedule_days(s, '2026-01-20'), salesplan.schedule_variance_t(s, '2026-01-20'),
       salesplan.spi_t(s, '2026-01-20'), salesplan.forecast_finish(s, '2026-01-20')
FROM sched WHERE scenario = 'B late'
ORDER BY as_of;

-- C, ahead: on 01-15 (AT 14) EV = 2 (M1, M2): t_first = 20 (PV reaches 2
-- on day 20), t_next = 30; ES = 20, SV(t) = +6, SPI(t) = 20/14.
SELECT salesplan.earned_schedule_days(s, '2026-01-15') AS es, salesplan.schedule_variance_t(s, '2026-01-15') AS sv_t,
       salesplan.spi_t(s, '2026-01-15') AS spi_t, 20.0 / 14 AS expected_spi_t
FROM sched WHERE scenario = 'C ahead';

-- E, late finish: finished on 02-09 (day 39); ES = t_first = 30, so
-- SPI(t) = PD / actual duration = 30/39 and SV(t) = -9, on any later date.
SELECT salesplan.spi_t(s, '2026-03-01') AS spi_t, 30.0 / 39 AS expected, salesplan.schedule_variance_t(s, '2026-03-01') AS sv_t,
       salesplan.forecast_finish(s, '2026-03-01') AS finish
FROM sched WHERE scenario = 'E late finish';

-- D, before the first due date nothing is reached, and that is on plan:
-- on 01-05 (AT 4) EV = 0, t_first = 0, t_next = 10, ES = 4: SPI(t) = 1,
-- forecast = the planned finish (0.1 gave 0 and no forecast).
SELECT salesplan.spi_t(s, '2026-01-05') AS spi_t, salesplan.forecast_finish(s, '2026-01-05') AS forecast
FROM sched WHERE scenario = 'A on plan';
-- A kick-off due on the start day and met that day: on 01-05 EV = 1,
-- PV(day 0) = 1 = EV so t_first = 0, t_next = 10: ES = AT = 4, SPI(t) = 1.
SELECT salesplan.spi_t(s, '2026-01-05') AS spi_t, salesplan.schedule_variance_t(s, '2026-01-05') AS sv_t
FROM (SELECT salesplan.schedule_agg(planned, actual, 1) AS s
      FROM (VALUES (date '2026-01-01', date '2026-01-01'), ('2026-01-11', NULL), ('2026-01-31', NULL)) v(planned, actual)) x;
-- the same kick-off not met: behind from the start day on, by AT days
SELECT salesplan.spi_t(s, '2026-01-05') AS spi_t, salesplan.schedule_variance_t(s, '2026-01-05') AS sv_t
FROM (SELECT salesplan.schedule_agg(planned, NULL, 1) AS s
      FROM (VALUES (date '2026-01-01'), ('2026-01-11'), ('2026-01-31')) v(planned)) x;

-- F, NULL weights count as the mean of the known weights: 0.1, 0.1, NULL,
-- 0.2 -> mean 0.4 / 3 = 0.13333333 (8 places), total 0.53333333; PV on
-- 01-21 covers 0.1 + 0.1 + 0.13333333 = 0.33333333.  (0.1 counted the NULL
-- as 1: total 1.4.)
SELECT salesplan.total_weight(s), salesplan.planned_value(s, '2026-01-21'),
       (SELECT count(*) FROM salesplan.milestones(s) WHERE weight IS NULL) AS unknown_weights,
       s::text
FROM (SELECT salesplan.schedule_agg(planned, NULL, weight) AS s
      FROM (VALUES (date '2026-01-01', 0.1), ('2026-01-11', 0.1), ('2026-01-21', NULL), ('2026-01-31', 0.2)) v(planned, weight)) x;
-- no known weight at all: each counts 1
SELECT salesplan.total_weight(salesplan.schedule_agg(planned, NULL, NULL))
FROM (VALUES (date '2026-01-01'), ('2026-01-11')) v(planned);
-- rollup keeps unknown weights unknown: the mean is of the whole
SELECT salesplan.total_weight(salesplan.rollup(s))
FROM (SELECT salesplan.schedule_agg(planned, NULL, weight) AS s
      FROM (VALUES (1, date '2026-01-01', 0.1), (1, '2026-01-11', NULL), (2, '2026-01-21', 0.3)) v(g, planned, weight)
      GROUP BY g) x;

-- Format: version 2 prints an unknown weight as "-"; version 1 text (0.1,
-- which had no unknown weights) still reads, and "-" is refused there.
SELECT '(2,1,-,{2026-01-01 - -,2026-01-11 - 0.5})'::salesplan.schedule::text;
SELECT '(1,0,-,{2026-01-01 - 1})'::salesplan.schedule::text;
\set VERBOSITY sqlstate
SELECT '(1,0,-,{2026-01-01 - -})'::salesplan.schedule;
SELECT '(3,0,-,{2026-01-01 - 1})'::salesplan.schedule;
\set VERBOSITY default

DROP TABLE sched, plan, run;
DROP EXTENSION salesplan;
