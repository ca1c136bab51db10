-- salesplan.earned_schedule(pv numeric[], ev numeric): Lipke's earned schedule.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS salesplan;
RESET client_min_messages;
SET extra_float_digits = 0;

-- Published example 1 (shape and formula).  Walt Lipke's introductory
-- figure ("Earned Schedule Concept", after W. Lipke, "Schedule is
-- Different", The Measurable News, March 2003; reproduced at
-- https://www.scribd.com/doc/47929652/Earned-Schedule-Concept): a monthly
-- plan Jan..Nov, status at the end of July (AT = 7), EV past the PV of May
-- but short of June's, so "ES = 5 + (EV - PV(May)) / (PV(June) - PV(May))".
-- The figure gives no dollar figures; the amounts below are ours, chosen to
-- make the arithmetic visible:
--   cumulative PV = 100, 250, 450, 700, 1000 (May), 1300 (June), 1550, 1750,
--   1900, 2000, 2050; EV = 1150.
--   C = 5 (PV_5 = 1000 < 1150 <= PV_6 = 1300); ES = 5 + 150 / 300 = 5.5;
--   SPI(t) = ES / AT = 5.5 / 7 = 0.785714; SV(t) = 5.5 - 7 = -1.5 months.
SELECT es, es / 7 AS spi_t, es - 7 AS sv_t
FROM salesplan.earned_schedule('{100,250,450,700,1000,1300,1550,1750,1900,2000,2050}', 1150) AS es;

-- Published example 2 (numbers).  HKSM, "Earned Schedule (ES)"
-- (https://hksmnow.com/definitions/project-management/earned_schedule_es.php):
-- "A project is at week 20 (AT = 20). The earned value achieved to date
-- equals the planned value that was scheduled for week 18. Therefore,
-- ES = 18 weeks. SV(t) = 18 - 20 = -2 weeks (behind schedule), and
-- SPI(t) = 18 / 20 = 0.90."  With a plan of 100 per week for 30 weeks, the
-- planned value for week 18 is 1800.
SELECT es, es - 20 AS sv_t, es / 20 AS spi_t
FROM (SELECT salesplan.earned_schedule(array_agg(100 * w ORDER BY w), 1800) AS es
      FROM generate_series(1, 30) w) x;

-- Published example 3 (numbers, and the flat tail).  The MPUG article
-- "Earned Schedule Management (ESM)" (mpug.com; refined version at
-- managementyogi.com, 2021-11-11): 10 modules of US$100,000 each planned over 10
-- months (PV rises 100,000 a month to BAC = 1,000,000); the project took 12
-- months.  At completion EV = BAC, so "Schedule variance = US$0.0M,
-- Schedule performance index = 1.0" although "the project is two months
-- behind schedule".  Earned schedule says so: with the plan extended to
-- month 12 (PV flat at 1,000,000 after month 10), ES is the FIRST month at
-- which PV reaches EV, 10, not 12; SV(t) = 10 - 12 = -2 months and
-- SPI(t) = 10 / 12 = 0.833333.
SELECT es, es - 12 AS sv_t, round((es / 12)::numeric, 6) AS spi_t
FROM (SELECT salesplan.earned_schedule(
                 array_agg(least(100000 * m, 1000000) ORDER BY m), 1000000) AS es
      FROM generate_series(1, 12) m) x;

-- Interpolation inside a period and boundaries, pv = {10, 20, 30, 30, 30}
-- (PV_0 = 0; the curve is flat after period 3):
--   ev 0  -> 0 (the curve starts at 0)
--   ev 5  -> 0 + 5/10 = 0.5
--   ev 20 -> 1 + 10/10 = 2 (exactly at the end of period 2)
--   ev 25 -> 2 + 5/10 = 2.5
--   ev 30 -> 3, the FIRST period at which PV reaches 30 (not 4 or 5)
SELECT ev, salesplan.earned_schedule('{10,20,30,30,30}', ev) AS es
FROM unnest('{0,5,20,25,30}'::numeric[]) ev ORDER BY ev;

-- A flat start: pv = {0, 0, 10, 20}: ev 0 -> 0; ev 5 -> 2 + 5/10 = 2.5;
-- ev 10 -> 3.  One period: pv = {100}, ev 40 -> 0.4.  Exact decimals:
-- pv = {0.1, 0.3}, ev 0.2 -> 1 + 0.1/0.2 = 1.5.
SELECT salesplan.earned_schedule('{0,0,10,20}', 0) AS a,
       salesplan.earned_schedule('{0,0,10,20}', 5) AS b,
       salesplan.earned_schedule('{0,0,10,20}', 10) AS c,
       salesplan.earned_schedule('{100}', 40) AS d,
       salesplan.earned_schedule('{0.1,0.3}', 0.2) AS e;

-- All zero plan and zero EV: 0.  NULL arguments: NULL (strict).
SELECT salesplan.earned_schedule('{0,0}', 0) AS zero,
       salesplan.earned_schedule(NULL, 1) IS NULL AS null_pv,
       salesplan.earned_schedule('{1}', NULL) IS NULL AS null_ev;

-- Errors
\set VERBOSITY default
SELECT salesplan.earned_schedule('{10,20,30}', 31);
SELECT salesplan.earned_schedule('{10,20,15}', 5);
\set VERBOSITY sqlstate
SELECT salesplan.earned_schedule('{10,-20,30}', 5);
SELECT salesplan.earned_schedule('{10,20,30}', -1);
SELECT salesplan.earned_schedule('{10,NULL,30}', 5);
SELECT salesplan.earned_schedule('{}', 0);
SELECT salesplan.earned_schedule('{{1,2},{3,4}}', 1);
SELECT salesplan.earned_schedule('{10,NaN}', 5);
SELECT salesplan.earned_schedule('{10,20}', 'Infinity');
SELECT salesplan.earned_schedule('{10,20}', 0.000000001);
\set VERBOSITY default

SET client_min_messages = warning;
DROP EXTENSION salesplan CASCADE;
