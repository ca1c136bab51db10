-- plan at rates given as numbers (issue 11): censoring-aware rates from
-- salesplan.outcomes, feeding plan and explain_gap.  Every expected value is
-- worked out by hand in the comments.
SET extra_float_digits = 0;
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS salesplan;
RESET client_min_messages;
\set SHOW_CONTEXT never
CREATE SCHEMA test_plan_rates;
SET search_path = test_plan_rates, public;

-- Conversions 0.25 and 0.4, aov 250, target 12000: won 12000 / 250 = 48;
-- stage 2: 12000 / (250 * 0.4) = 120; stage 1: 12000 / (250 * 0.4 * 0.25)
-- = 480.  No funnel: actual and gap are NULL.
SELECT * FROM salesplan.plan('{0.25,0.4}', 250, 12000);
-- 10000.01: exact 40.00004, 100.0001, 400.0004, each rounded up on its own
SELECT * FROM salesplan.plan('{0.25,0.4}', 250, 10000.01);
-- the array's lower bound does not matter: the first element is stage 1 -> 2
SELECT * FROM salesplan.plan('[0:1]={0.25,0.4}', 250, 12000);
-- no transition: one stage, ceil(1000 / 300) = 4
SELECT * FROM salesplan.plan('{}', 300, 1000);

-- Against a funnel: 200 leads, 50 reach stage 2, 20 won at 250.00 (the
-- funnel of planning_target): actual 200, 50, 20; gap 280, 70, 28.
CREATE TABLE fun AS
SELECT salesplan.funnel_agg(CASE WHEN i <= 20 THEN 3 WHEN i <= 50 THEN 2 ELSE 1 END,
                            CASE WHEN i <= 20 THEN 250.00 END, 3) AS f
FROM generate_series(1, 200) AS i;
SELECT p.* FROM fun, salesplan.plan(f, 12000, '{0.25,0.4}', 250) AS p ORDER BY stage;
-- at the funnel's own rates (0.25 and 0.4 are exact as float8) it is plan(f, target)
SELECT t, count(*) AS stages,
       bool_and(a.required IS NOT DISTINCT FROM b.required AND a.actual = b.actual
                AND a.gap IS NOT DISTINCT FROM b.gap) AS same
FROM fun, unnest(ARRAY[0, 1, 4999.99, 12000, 10000.01, 123456.78]) AS t,
     LATERAL salesplan.plan(f, t, salesplan.conversions(f)::numeric[], salesplan.aov(f)) AS a
     JOIN LATERAL salesplan.plan(f, t) AS b USING (stage)
GROUP BY t ORDER BY t;
-- rates of a plan for a funnel nobody entered: actual 0
SELECT p.* FROM (SELECT salesplan.funnel_agg(0, NULL) AS f) x,
    salesplan.plan(x.f, 1000, '{0.5}', 100) AS p ORDER BY stage;

-- A cohort of 5 leads followed to a status date, durations in days:
--   won on day 1; open, censored on day 2; won on day 4; lost on day 4;
--   open, censored on day 6.
-- Aalen-Johansen by hand: day 1: at risk 5, 1 won: F_won = 1/5, still open
-- S = 4/5.  Day 2: one censored (leaves the risk set after day 2).  Day 4:
-- at risk 3 (durations 4, 4, 6), 1 won and 1 lost: F_won = 1/5 + 4/5 * 1/3
-- = 7/15, F_lost = 4/15, S = 4/15.  Day 6: censored, no event.  Eventual
-- win probability 7/15 = 0.4667; naive won / entered = 2/5 = 0.4.
CREATE TABLE cohort AS
SELECT salesplan.outcome_agg(started, ended, won, date '2026-03-01') AS o
FROM (VALUES (date '2026-02-01', date '2026-02-02', true),
             (date '2026-02-27', NULL, NULL),
             (date '2026-02-01', date '2026-02-05', true),
             (date '2026-02-01', date '2026-02-05', false),
             (date '2026-02-23', NULL, NULL)) AS v(started, ended, won);
SELECT round(salesplan.win_probability(o)::numeric, 12) = round(7 / 15.0, 12) AS aj_is_7_15,
       salesplan.naive_win_rate(o) AS naive
FROM cohort;
-- Target 7100 at aov 300: won ceil(7100 / 300) = ceil(23.67) = 24.
-- At the censoring-aware rate: leads ceil(7100 / (300 * 7/15)) =
-- ceil(7100 / 140) = ceil(50.71) = 51.  At the naive rate: ceil(7100 / 120)
-- = ceil(59.17) = 60.
SELECT 'censoring-aware' AS rates, p.*
FROM cohort, salesplan.plan(ARRAY[salesplan.win_probability(o)]::numeric[], 300, 7100) AS p
UNION ALL
SELECT 'naive', p.*
FROM cohort, salesplan.plan(ARRAY[salesplan.naive_win_rate(o)]::numeric[], 300, 7100) AS p
ORDER BY rates DESC, stage;

-- Why revenue moved with censoring-aware rates: a young cohort of 4 leads
-- (won day 1; open day 2; won day 3; lost day 3).  AJ: day 1: 1 of 4 won,
-- F = 1/4, S = 3/4; day 3: at risk 2, 1 won, 1 lost: F = 1/4 + 3/4 * 1/2 =
-- 5/8 = 0.625 (naive 2/4 = 0.5).  Against a mature baseline of 4 leads at
-- 0.625 and the same aov 100: expected revenue 4 * 0.625 * 100 = 250 on
-- both sides, no effect anywhere.  The naive rate would show a drop of
-- 4 * (0.5 - 0.625) * 100 = -50.00, all of it conversion.
CREATE TABLE young AS
SELECT salesplan.outcome_agg(started, ended, won, date '2026-03-10') AS o
FROM (VALUES (date '2026-03-01', date '2026-03-02', true),
             (date '2026-03-08', NULL, NULL),
             (date '2026-03-01', date '2026-03-04', true),
             (date '2026-03-01', date '2026-03-04', false)) AS v(started, ended, won);
SELECT salesplan.win_probability(o) AS aware, salesplan.naive_win_rate(o) AS naive FROM young;
SELECT 'censoring-aware' AS rates, g.*
FROM young, salesplan.explain_gap(salesplan.entered(o), ARRAY[salesplan.win_probability(o)]::numeric[], 100,
                                  4, '{0.625}', 100) WITH ORDINALITY AS g
UNION ALL
SELECT 'naive', g.*
FROM young, salesplan.explain_gap(salesplan.entered(o), ARRAY[salesplan.naive_win_rate(o)]::numeric[], 100,
                                  4, '{0.625}', 100) WITH ORDINALITY AS g
ORDER BY rates DESC, ordinality;

-- Zero and unknown rates: NULL required from that stage back (unreachable
-- at these rates); stages after it are still computed.
-- {0.5, 0}, aov 100, target 1000: won 10; stages 1 and 2 NULL.
SELECT * FROM salesplan.plan('{0.5,0}', 100, 1000);
-- {NULL, 0.5}: won 10; stage 2: 1000 / 50 = 20; stage 1 NULL.
SELECT * FROM salesplan.plan('{NULL,0.5}', 100, 1000);
-- aov unknown or 0: all NULL; target 0: 0 everywhere even so
SELECT * FROM salesplan.plan('{0.5}', NULL, 1000);
SELECT * FROM salesplan.plan('{0.5}', 0, 1000);
SELECT * FROM salesplan.plan('{0,NULL}', NULL, 0);
-- NULL conversions or target: no rows
SELECT count(*) FROM salesplan.plan(NULL::numeric[], 100, 1000);
SELECT count(*) FROM salesplan.plan('{0.5}', 100, NULL);
SELECT count(*) FROM fun, salesplan.plan(f, 1000, NULL, 100);

-- Errors: SQLSTATE, then one message in full
\set VERBOSITY sqlstate
SELECT * FROM salesplan.plan('{0.5,1.5}', 100, 1000);
SELECT * FROM salesplan.plan('{-0.1}', 100, 1000);
SELECT * FROM salesplan.plan('{NaN}', 100, 1000);
SELECT * FROM salesplan.plan('{0.5}', -1, 1000);
SELECT * FROM salesplan.plan('{0.5}', 'Infinity', 1000);
SELECT * FROM salesplan.plan('{0.5}', 100, -1);
SELECT * FROM salesplan.plan('{{0.5},{0.5}}', 100, 1000);
SELECT p.* FROM fun, salesplan.plan(f, 1000, '{0.5}', 100) AS p;
SELECT p.* FROM fun, salesplan.plan(f, 1000, '{{0.5},{0.5}}', 100) AS p;
\set VERBOSITY default
SELECT * FROM salesplan.plan('{0.5,1.5}', 100, 1000);
SELECT p.* FROM fun, salesplan.plan(f, 1000, '{0.5}', 100) AS p;

RESET search_path;
SET client_min_messages = warning;
DROP SCHEMA test_plan_rates CASCADE;
-- leave the database as a fresh one: later tests create the extension themselves
DROP EXTENSION salesplan;
