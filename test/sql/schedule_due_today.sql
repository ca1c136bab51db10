-- schedule_due_today: the rule for a milestone due on as_of and not yet
-- reached (review LOW schedule_due_today), the same on the start day as on
-- any other day.  Planned value counts it (PV = weight planned <= as_of, the
-- spec), so SPI dips on its due day; every time-based and punctuality
-- metric treats it as still open, not yet late: SPI(t) = 1 and SV(t) = 0
-- when nothing else is behind, the forecast unchanged, slip 0, not late,
-- left out of on_time_rate.  From the next day it is late everywhere.
-- Expected values by hand (arithmetic in the comments); PV, EV and SPI also
-- by plain SQL over the rows.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS salesplan;
RESET client_min_messages;
SET extra_float_digits = 0;
SET DateStyle = 'ISO, YMD';
CREATE TEMP TABLE m (case_no int, planned date, actual date, w numeric, start date);
INSERT INTO m VALUES
    -- case 1: no start given, so the first milestone is the kick-off, due on
    -- day 0 (03-01) and open; the second due 04-01
    (1, '2026-03-01', NULL, 10, NULL), (1, '2026-04-01', NULL, 20, NULL),
    -- case 2: start 02-01; 02-11 reached on time, 03-01 open
    (2, '2026-02-11', '2026-02-11', 10, '2026-02-01'), (2, '2026-03-01', NULL, 20, '2026-02-01'),
    -- case 3: as case 1, the kick-off reached on its day
    (3, '2026-03-01', '2026-03-01', 10, NULL), (3, '2026-04-01', NULL, 20, NULL);
CREATE TEMP VIEW s AS SELECT case_no, salesplan.schedule_agg(planned, actual, w, start) AS s FROM m GROUP BY case_no;
CREATE TEMP VIEW metrics AS
SELECT case_no, d AS as_of, salesplan.planned_value(s, d) AS pv, salesplan.earned_value(s, d) AS ev,
       salesplan.spi(s, d) AS spi, round(salesplan.spi_t(s, d)::numeric, 4) AS spi_t,
       salesplan.schedule_variance_t(s, d) AS sv_t, salesplan.forecast_finish(s, d) AS forecast,
       salesplan.late_milestones(s, d) AS late, round(salesplan.slip_days(s, d)::numeric, 4) AS slip,
       salesplan.on_time_rate(s, d) AS on_time
FROM s, (VALUES (date '2026-03-01'), (date '2026-03-02')) AS v(d);
-- by hand:
-- case 1, 03-01 (start and due day): PV 10, EV 0, SPI 0; AT 0, ES 0 (on the
--   due day the plan's next step is today), SPI(t) 1, SV(t) 0, forecast the
--   planned finish 04-01; not late, slip 0, on_time_rate NULL (only the open
--   one is due).
-- case 1, 03-02: ES = AT 1 clamped to [0, 0] = 0: SPI(t) 0, SV(t) -1, no
--   forecast (no pace); 1 late, slip 1 day, on time 0 of 1.
-- case 2, 03-01 (day 28): PV 30, EV 10, SPI 1/3; t_first 10 (EV covers the
--   02-11 step), t_next 28, ES = AT 28: SPI(t) 1, SV(t) 0, forecast 02-01 +
--   28/1 = 03-01; not late, slip (0*10 + 0*20)/30 = 0, on time 1 of 1.
-- case 2, 03-02: ES = 29 clamped to [10, 28] = 28: SPI(t) 28/29 = 0.9655,
--   SV(t) -1, forecast 02-01 + round(28/(28/29)) = 29 days = 03-02; 1 late,
--   slip (0*10 + 1*20)/30 = 0.6667, on time 1 of 2 = 0.5.
-- case 3, 03-01: reached on its day: PV = EV = 10, SPI 1, SPI(t) 1, SV(t) 0,
--   forecast 04-01; not late, slip 0, on time 1 of 1.
-- case 3, 03-02: AT 1, t_first 0 (PV 10 >= EV 10 on day 0), t_next 31
--   (04-01), ES = AT = 1: SPI(t) 1, SV(t) 0, forecast 03-01 + 31 = 04-01.
SELECT * FROM metrics ORDER BY case_no, as_of;
-- PV, EV and SPI by plain SQL over the rows: the due-day milestone is in PV
SELECT m.case_no, v.d AS as_of, sum(w) FILTER (WHERE planned <= v.d) AS pv,
       coalesce(sum(w) FILTER (WHERE actual <= v.d), 0) AS ev,
       (coalesce(sum(w) FILTER (WHERE actual <= v.d), 0) / sum(w) FILTER (WHERE planned <= v.d))::float8 AS spi
FROM m, (VALUES (date '2026-03-01'), (date '2026-03-02')) AS v(d)
GROUP BY m.case_no, v.d ORDER BY 1, 2;
-- the rule, as one statement: on the due day SPI(t) and the punctuality
-- metrics agree that the open milestone is not late (case 1 on its start
-- day like case 2 mid-project); the day after they all count it late
SELECT case_no, as_of, spi_t = 1 AND sv_t = 0 AND late = 0 AND slip = 0 AS not_late_yet,
       spi_t < 1 AND sv_t < 0 AND late > 0 AND slip > 0 AS late_everywhere
FROM metrics WHERE case_no IN (1, 2) ORDER BY 1, 2;
DROP VIEW metrics, s;
DROP EXTENSION salesplan;
