-- The state lifecycle, tried as a hostile role with only the default
-- privileges (CONNECT and TEMP) would: its own aggregates built on
-- salesplan's transition and combine functions, whose moving-aggregate
-- inverse (MINVFUNC, written in SQL) hands back a value the transition
-- function did not build: a value read from a table (1-byte header), a
-- compressed one, an INITCOND.  Before the shared lifecycle (state.c) these
-- crashed the server (schedule), returned targets = 16777217 for 2 accounts
-- (coverage, proposals) or wrote past their allocation (touches).
--
-- Every frame below is ROWS BETWEEN 1 PRECEDING AND CURRENT ROW over rows
-- g = 1, 2, 3, so row 1 aggregates r1, row 2 aggregates r1 + r2, and row 3
-- aggregates inverse(...) + r3, where the inverse returns the stashed
-- constant C.  The expected values are worked out by hand in the comments.
CREATE EXTENSION salesplan;
SET extra_float_digits = 0;
CREATE ROLE regress_salesplan_hostile;
SET ROLE regress_salesplan_hostile;

-- ---- salesplan.funnel --------------------------------------------------
-- C: one entity that reached stage 1 with amount 3.  Rows reach stage 1
-- with amount g.  Row 3: C + (1, 3) = 2 leads, revenue 3 + 3 = 6.
CREATE TEMP TABLE stash_funnel (s salesplan.funnel);
INSERT INTO stash_funnel VALUES ('v1;stages=1;declared=0;scale=0;population=1;s0=0/0/0;s1=1/1/3');
CREATE FUNCTION pg_temp.funnel_inv(salesplan.funnel, integer, numeric) RETURNS salesplan.funnel
    LANGUAGE sql AS $$SELECT s FROM pg_temp.stash_funnel$$;
CREATE AGGREGATE pg_temp.funnel_mov(integer, numeric) (
    SFUNC = salesplan.funnel_trans, STYPE = salesplan.funnel,
    MSFUNC = salesplan.funnel_trans, MINVFUNC = pg_temp.funnel_inv, MSTYPE = salesplan.funnel);
SELECT g, salesplan.leads(f), salesplan.revenue(f)
FROM (SELECT g, pg_temp.funnel_mov(1, g::numeric) OVER w AS f
      FROM generate_series(1, 3) g
      WINDOW w AS (ORDER BY g ROWS BETWEEN 1 PRECEDING AND CURRENT ROW)) x
ORDER BY g;
-- combine as the transition: C + C = 2 leads, revenue 6, on every row
-- after the inverse; rows 1 and 2 add stored C values: 1 and 2 leads.
CREATE FUNCTION pg_temp.funnel_inv2(salesplan.funnel, salesplan.funnel) RETURNS salesplan.funnel
    LANGUAGE sql AS $$SELECT s FROM pg_temp.stash_funnel$$;
CREATE AGGREGATE pg_temp.funnel_roll(salesplan.funnel) (
    SFUNC = salesplan.funnel_combine, STYPE = salesplan.funnel,
    MSFUNC = salesplan.funnel_combine, MINVFUNC = pg_temp.funnel_inv2, MSTYPE = salesplan.funnel);
SELECT g, salesplan.leads(f), salesplan.revenue(f)
FROM (SELECT g, pg_temp.funnel_roll(s) OVER w AS f
      FROM generate_series(1, 3) g, stash_funnel
      WINDOW w AS (ORDER BY g ROWS BETWEEN 1 PRECEDING AND CURRENT ROW)) x
ORDER BY g;

-- ---- salesplan.coverage ------------------------------------------------
-- C: 2 target accounts, one at level 0 and one signed (5).  Rows: level g.
-- Row 3: 3 targets, reached (level >= 1): the signed one and level 3, 2/3.
CREATE TEMP TABLE stash_coverage (s salesplan.coverage);
INSERT INTO stash_coverage VALUES ('v1;levels=1,0,0,0,0,1;known=0;won=0;won_known=0;potential=0;scale=0');
CREATE FUNCTION pg_temp.coverage_inv(salesplan.coverage, integer, numeric, numeric) RETURNS salesplan.coverage
    LANGUAGE sql AS $$SELECT s FROM pg_temp.stash_coverage$$;
CREATE AGGREGATE pg_temp.coverage_mov(integer, numeric, numeric) (
    SFUNC = salesplan.coverage_trans, STYPE = salesplan.coverage,
    MSFUNC = salesplan.coverage_trans, MINVFUNC = pg_temp.coverage_inv, MSTYPE = salesplan.coverage);
SELECT g, salesplan.targets(c), salesplan.coverage_rate(c)
FROM (SELECT g, pg_temp.coverage_mov(g, NULL, NULL) OVER w AS c
      FROM generate_series(1, 3) g
      WINDOW w AS (ORDER BY g ROWS BETWEEN 1 PRECEDING AND CURRENT ROW)) x
ORDER BY g;
CREATE FUNCTION pg_temp.coverage_inv2(salesplan.coverage, salesplan.coverage) RETURNS salesplan.coverage
    LANGUAGE sql AS $$SELECT s FROM pg_temp.stash_coverage$$;
CREATE AGGREGATE pg_temp.coverage_roll(salesplan.coverage) (
    SFUNC = salesplan.coverage_combine, STYPE = salesplan.coverage,
    MSFUNC = salesplan.coverage_combine, MINVFUNC = pg_temp.coverage_inv2, MSTYPE = salesplan.coverage);
-- rows: C, C + C, inverse (C) + C: 2, 4, 4 targets, half of them reached
SELECT g, salesplan.targets(c), salesplan.coverage_rate(c)
FROM (SELECT g, pg_temp.coverage_roll(s) OVER w AS c
      FROM generate_series(1, 3) g, stash_coverage
      WINDOW w AS (ORDER BY g ROWS BETWEEN 1 PRECEDING AND CURRENT ROW)) x
ORDER BY g;
-- an INITCOND is a value from outside too: 2 accounts + 1 row at level 2
CREATE AGGREGATE pg_temp.coverage_init(integer, numeric, numeric) (
    SFUNC = salesplan.coverage_trans, STYPE = salesplan.coverage,
    INITCOND = 'v1;levels=1,0,0,0,0,1;known=0;won=0;won_known=0;potential=0;scale=0');
SELECT salesplan.targets(pg_temp.coverage_init(2, NULL, NULL)),
       salesplan.coverage_rate(pg_temp.coverage_init(2, NULL, NULL));

-- ---- salesplan.proposals -----------------------------------------------
-- C: one first submission, delivered and accepted.  Rows: a first
-- submission delivered, not accepted.  Row 3: first_pass 1 of 2 chains.
CREATE TEMP TABLE stash_proposals (s salesplan.proposals);
INSERT INTO stash_proposals VALUES ('v1;requested=1;delivered=1;with_due=0;on_time=0;chains=1;first_pass=1;accepted=1');
CREATE FUNCTION pg_temp.proposals_inv(salesplan.proposals, integer, boolean, timestamptz, timestamptz, integer)
    RETURNS salesplan.proposals LANGUAGE sql AS $$SELECT s FROM pg_temp.stash_proposals$$;
CREATE AGGREGATE pg_temp.proposals_mov(integer, boolean, timestamptz, timestamptz, integer) (
    SFUNC = salesplan.proposals_trans, STYPE = salesplan.proposals,
    MSFUNC = salesplan.proposals_trans, MINVFUNC = pg_temp.proposals_inv, MSTYPE = salesplan.proposals);
SELECT g, salesplan.proposals_requested(p), salesplan.first_pass_rate(p)
FROM (SELECT g, pg_temp.proposals_mov(1, false, NULL, '2026-01-01 00:00+00', NULL) OVER w AS p
      FROM generate_series(1, 3) g
      WINDOW w AS (ORDER BY g ROWS BETWEEN 1 PRECEDING AND CURRENT ROW)) x
ORDER BY g;

-- ---- salesplan.touches -------------------------------------------------
-- C: 2 touches from contacts 5 and 7.  Rows: a touch from contact g.
-- Row 3: 3 touches, contacts {3, 5, 7}.
CREATE TEMP TABLE stash_touches (s salesplan.touches);
INSERT INTO stash_touches VALUES ('v1;touches=2;first=0;last=86400000000;contacts=5,7');
CREATE FUNCTION pg_temp.touches_inv(salesplan.touches, timestamptz, bigint) RETURNS salesplan.touches
    LANGUAGE sql AS $$SELECT s FROM pg_temp.stash_touches$$;
CREATE AGGREGATE pg_temp.touches_mov(timestamptz, bigint) (
    SFUNC = salesplan.touches_trans, STYPE = salesplan.touches,
    MSFUNC = salesplan.touches_trans, MINVFUNC = pg_temp.touches_inv, MSTYPE = salesplan.touches);
SELECT g, salesplan.touches(t), salesplan.contacts_engaged(t)
FROM (SELECT g, pg_temp.touches_mov('2026-01-01 00:00+00', g) OVER w AS t
      FROM generate_series(1, 3) g
      WINDOW w AS (ORDER BY g ROWS BETWEEN 1 PRECEDING AND CURRENT ROW)) x
ORDER BY g;
-- the same with many contacts, so that the transition must grow the list:
-- C has contacts 1000..1999 (1000 touches); each row adds 20 new ones.
TRUNCATE stash_touches;
INSERT INTO stash_touches
SELECT ('v1;touches=1000;first=0;last=0;contacts=' || string_agg(c::text, ',' ORDER BY c))::salesplan.touches
FROM generate_series(1000, 1999) c;
SELECT g, salesplan.touches(t), salesplan.contacts_engaged(t)
FROM (SELECT g, pg_temp.touches_mov('2000-01-01 00:00+00', c) OVER w AS t
      FROM generate_series(1, 3) g, generate_series(g * 100, g * 100 + 19) c
      WINDOW w AS (ORDER BY g, c ROWS BETWEEN 1 PRECEDING AND CURRENT ROW)) x
WHERE (g, t IS NOT NULL) = (3, true)
ORDER BY g, salesplan.touches(t) DESC LIMIT 1;
-- a contact id of -2^63 reads back from its text (pg_restore needs it)
SELECT 'v1;touches=1;first=0;last=0;contacts=-9223372036854775808'::salesplan.touches::text;

-- ---- salesplan.schedule ------------------------------------------------
-- C: one milestone of weight 1 and an explicit start 2001-01-25 (the
-- issue's reproduction).  Rows: a milestone of weight 1.  Row 3: 2
-- milestones, total weight 2, start 2001-01-25.
CREATE TEMP TABLE stash_schedule (s salesplan.schedule);
INSERT INTO stash_schedule VALUES ('(1,0,2001-01-25,{2024-01-01 - 1})');
CREATE FUNCTION pg_temp.schedule_inv(salesplan.schedule, date, date, numeric) RETURNS salesplan.schedule
    LANGUAGE sql AS $$SELECT s FROM pg_temp.stash_schedule$$;
CREATE AGGREGATE pg_temp.schedule_mov(date, date, numeric) (
    SFUNC = salesplan.schedule_trans, STYPE = salesplan.schedule,
    MSFUNC = salesplan.schedule_trans, MINVFUNC = pg_temp.schedule_inv, MSTYPE = salesplan.schedule);
SELECT g, salesplan.milestone_count(s), salesplan.total_weight(s), salesplan.project_start(s)
FROM (SELECT g, pg_temp.schedule_mov(date '2026-01-01' + g, NULL, 1) OVER w AS s
      FROM generate_series(1, 3) g
      WINDOW w AS (ORDER BY g ROWS BETWEEN 1 PRECEDING AND CURRENT ROW)) x
ORDER BY g;
-- the issue's one-liner, with a literal instead of a stored value
CREATE FUNCTION pg_temp.inv(salesplan.schedule, date, date, numeric) RETURNS salesplan.schedule
    LANGUAGE sql AS $$SELECT '(1,0,2001-01-25,{2024-01-01 - 1})'::salesplan.schedule$$;
CREATE AGGREGATE pg_temp.mov(date, date, numeric) (
    SFUNC = salesplan.schedule_trans, STYPE = salesplan.schedule,
    MSFUNC = salesplan.schedule_trans, MINVFUNC = pg_temp.inv, MSTYPE = salesplan.schedule);
SELECT salesplan.milestone_count(pg_temp.mov('2026-06-01', NULL, 1) OVER (ROWS BETWEEN 1 PRECEDING AND CURRENT ROW))
FROM generate_series(1, 3);

-- ---- salesplan.slip_trend_state ----------------------------------------
-- C: one report on 2000-01-01 (day 0) forecasting day 10.  Rows: reported
-- on day g - 1; forecasts day 10, 10, 12.  Row 1: one point, no slope
-- (NULL); row 2: (0, 10), (1, 10): slope 0; row 3: C + (2, 12): (0, 10),
-- (2, 12): slope 1.
CREATE TEMP TABLE stash_trend (s salesplan.slip_trend_state);
INSERT INTO stash_trend VALUES ('(1,1,0,10,0,0)');
CREATE FUNCTION pg_temp.trend_inv(salesplan.slip_trend_state, date, date) RETURNS salesplan.slip_trend_state
    LANGUAGE sql AS $$SELECT s FROM pg_temp.stash_trend$$;
CREATE AGGREGATE pg_temp.trend_mov(date, date) (
    SFUNC = salesplan.slip_trend_trans, STYPE = salesplan.slip_trend_state,
    MSFUNC = salesplan.slip_trend_trans, MINVFUNC = pg_temp.trend_inv, MSTYPE = salesplan.slip_trend_state,
    FINALFUNC = salesplan.slip_trend_final, MFINALFUNC = salesplan.slip_trend_final);
SELECT g, pg_temp.trend_mov(date '2000-01-01' + (g - 1), date '2000-01-11' + CASE WHEN g = 3 THEN 2 ELSE 0 END) OVER w
FROM generate_series(1, 3) g
WINDOW w AS (ORDER BY g ROWS BETWEEN 1 PRECEDING AND CURRENT ROW)
ORDER BY g;

-- ---- salesplan.funnel_events -------------------------------------------
-- C: steps 1, 2, 3 at 00:00, 00:05, 00:10 of 2024-01-01 in a 10-minute
-- window.  Rows: step 1 at 00:00, step 2 at 00:01, step 4 at 00:10.
-- Row 1: level 1; row 2: level 2; row 3: C + step 4 at 00:10, inside the
-- window of the chain that started at 00:00: level 4.
CREATE TEMP TABLE stash_events (s salesplan.funnel_events);
INSERT INTO stash_events VALUES ('1;0;0,0,600000000;3;757382400000000:1,757382700000000:2,757383000000000:3');
CREATE FUNCTION pg_temp.events_inv(salesplan.funnel_events, interval, timestamp, integer) RETURNS salesplan.funnel_events
    LANGUAGE sql AS $$SELECT s FROM pg_temp.stash_events$$;
CREATE AGGREGATE pg_temp.events_mov(interval, timestamp, integer) (
    SFUNC = salesplan.window_funnel_trans, STYPE = salesplan.funnel_events,
    MSFUNC = salesplan.window_funnel_trans, MINVFUNC = pg_temp.events_inv, MSTYPE = salesplan.funnel_events,
    FINALFUNC = salesplan.funnel_level, MFINALFUNC = salesplan.funnel_level);
SELECT g, pg_temp.events_mov(interval '10 minutes', ts, step) OVER w
FROM (VALUES (1, timestamp '2024-01-01 00:00', 1), (2, '2024-01-01 00:01', 2), (3, '2024-01-01 00:10', 4)) v(g, ts, step)
WINDOW w AS (ORDER BY g ROWS BETWEEN 1 PRECEDING AND CURRENT ROW)
ORDER BY g;
-- a compressed stored value: C plus 4,000 events of step 0 a day earlier
-- (an event that matches no step, ignored outside strict_order): the
-- levels are still 1, 2, 4.
TRUNCATE stash_events;
INSERT INTO stash_events
SELECT ('1;0;0,0,600000000;4003;'
        || string_agg((757382400000000 - 86400000000 + i)::text || ':0', ',')
        || ',757382400000000:1,757382700000000:2,757383000000000:3')::salesplan.funnel_events
FROM generate_series(1, 4000) i;
SELECT pg_column_compression(s) IS NOT NULL AS compressed FROM stash_events;
SELECT g, pg_temp.events_mov(interval '10 minutes', ts, step) OVER w
FROM (VALUES (1, timestamp '2024-01-01 00:00', 1), (2, '2024-01-01 00:01', 2), (3, '2024-01-01 00:10', 4)) v(g, ts, step)
WINDOW w AS (ORDER BY g ROWS BETWEEN 1 PRECEDING AND CURRENT ROW)
ORDER BY g;

RESET ROLE;
DROP OWNED BY regress_salesplan_hostile;
DROP ROLE regress_salesplan_hostile;
DROP EXTENSION salesplan;
