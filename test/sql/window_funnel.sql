-- salesplan.window_funnel and window_funnel_times: each rule of doc/window_funnel.md on
-- hand-computed cases.  Events are given as minutes after 2024-01-01 00:00;
-- the window is 10 minutes unless said otherwise.
CREATE EXTENSION salesplan;
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
SET extra_float_digits = 0;

CREATE TEMP TABLE ev (c text, m int, step int);
CREATE TEMP VIEW evt AS
    SELECT c, timestamp '2024-01-01' + m * interval '1 minute' AS ts, step FROM ev;

INSERT INTO ev VALUES
    -- 1@0 2@5 3@10: 10 <= 0 + 10, the boundary is inclusive -> 3
    ('basic', 0, 1), ('basic', 5, 2), ('basic', 10, 3),
    -- 1@0 2@5 3@11: 11 > 10 -> 2
    ('boundary_out', 0, 1), ('boundary_out', 5, 2), ('boundary_out', 11, 3),
    -- 1@0 2@9 3@12: the window runs from step 1, not from step 2: 12 > 10 -> 2
    ('from_start', 0, 1), ('from_start', 9, 2), ('from_start', 12, 3),
    -- all at minute 0: equal timestamps are taken in step order -> 3
    ('equal_ts', 0, 3), ('equal_ts', 0, 2), ('equal_ts', 0, 1),
    -- 1@0 2@5, then a fresher chain 1@20 2@25 3@28 (28 <= 20 + 10) -> 3
    ('fresher', 0, 1), ('fresher', 5, 2), ('fresher', 20, 1), ('fresher', 25, 2), ('fresher', 28, 3),
    -- 1@0 2@5 1@8 3@9: the chain from 0 still holds step 2 (9 <= 10) -> 3
    ('older_kept', 0, 1), ('older_kept', 5, 2), ('older_kept', 8, 1), ('older_kept', 9, 3),
    -- no step 1 -> 0
    ('no_step1', 0, 2), ('no_step1', 1, 3),
    -- step 2 missing: 1@0 3@1 -> 1
    ('gap', 0, 1), ('gap', 1, 3),
    -- steps <= 0 match nothing and are ignored: 1@0 0@1 -5@2 2@3 -> 2
    ('nonpositive', 0, 1), ('nonpositive', 1, 0), ('nonpositive', 2, -5), ('nonpositive', 3, 2),
    -- a step 2 before any step 1 is ignored: 2@0 1@1 2@2 -> 2
    ('two_first', 0, 2), ('two_first', 1, 1), ('two_first', 2, 2),
    -- NULL timestamp or step: the row is skipped: 1@0 2@NULL NULL@1 2@3 -> 2
    ('nulls', 0, 1), ('nulls', NULL, 2), ('nulls', 1, NULL), ('nulls', 3, 2),
    -- only NULL rows: the state exists, no step 1 -> 0
    ('only_nulls', NULL, 1), ('only_nulls', 1, NULL),
    -- strict_deduplication: 1@0 2@1 2@2 3@3 -> default 3, dedup stops at 2@2 -> 2
    ('dedup_repeat', 0, 1), ('dedup_repeat', 1, 2), ('dedup_repeat', 2, 2), ('dedup_repeat', 3, 3),
    -- 1@0 2@1 1@5 2@6 3@7: 2@6 is the first step 2 of the chain from 5, not a
    -- repeat -> 3 in every mode but strict_order (1@5 restarts, then 2, 3 -> 3 too)
    ('dedup_fresh', 0, 1), ('dedup_fresh', 1, 2), ('dedup_fresh', 5, 1), ('dedup_fresh', 6, 2), ('dedup_fresh', 7, 3),
    -- strict_order: 1@0 2@1 4@2 3@3 -> default 3 (4 is ignored), strict_order ends at 4 -> 2
    ('order_skip', 0, 1), ('order_skip', 1, 2), ('order_skip', 2, 4), ('order_skip', 3, 3),
    -- 1@0 2@1 0@2 3@3 -> default 3, strict_order ends at the step-0 event -> 2
    ('order_other', 0, 1), ('order_other', 1, 2), ('order_other', 2, 0), ('order_other', 3, 3),
    -- 1@0 2@1 1@2 3@3 -> default 3 (3@3 extends the chain from 0, 3 <= 10);
    -- strict_order: 1@2 starts a fresher chain, 3 is not its next step -> 2
    ('order_restart', 0, 1), ('order_restart', 1, 2), ('order_restart', 2, 1), ('order_restart', 3, 3),
    -- events before the first step 1 do not count: 3@0 0@1 1@2 2@3 -> 2 everywhere
    ('order_before', 0, 3), ('order_before', 1, 0), ('order_before', 2, 1), ('order_before', 3, 2),
    -- 1@0 2@20 (next step but outside the window: no extension, no stop)
    -- 1@30 2@31 3@32 -> 3 everywhere
    ('order_late', 0, 1), ('order_late', 20, 2), ('order_late', 30, 1), ('order_late', 31, 2), ('order_late', 32, 3),
    -- strict_increase: 1@0 2@0 3@1 -> default 3; strict_increase: 2@0 is not
    -- after 1@0, so step 2 is never reached -> 1
    ('inc_equal', 0, 1), ('inc_equal', 0, 2), ('inc_equal', 1, 3),
    -- 1@0 2@1 3@1 -> strict_increase 2
    ('inc_equal3', 0, 1), ('inc_equal3', 1, 2), ('inc_equal3', 1, 3),
    -- 1@0 2@1 2@3 3@3: step 2 counts as reached at its first time (1) -> 3
    ('inc_first', 0, 1), ('inc_first', 1, 2), ('inc_first', 3, 2), ('inc_first', 3, 3),
    -- 1@0 1@1 2@1: only the latest start (1) is extended; 1 is not > 1 -> 1
    ('inc_latest', 0, 1), ('inc_latest', 1, 1), ('inc_latest', 1, 2);

SELECT c,
       salesplan.window_funnel('10 minutes', ts, step) AS plain,
       salesplan.window_funnel('10 minutes', ts, step, '') AS no_mode,
       salesplan.window_funnel('10 minutes', ts, step, 'strict_deduplication') AS dedup,
       salesplan.window_funnel('10 minutes', ts, step, 'strict_order') AS "order",
       salesplan.window_funnel('10 minutes', ts, step, 'strict_increase') AS increase,
       salesplan.window_funnel('10 minutes', ts, step, 'strict_order,strict_increase') AS order_inc,
       salesplan.window_funnel('10 minutes', ts, step, ' Strict_Deduplication , strict_order,strict_increase ') AS all_three
FROM evt GROUP BY c ORDER BY c;

-- the same in reverse input order (events are sorted whatever order they come in)
SELECT c,
       salesplan.window_funnel('10 minutes', ts, step ORDER BY ts DESC, step DESC) AS plain,
       salesplan.window_funnel('10 minutes', ts, step, 'strict_order' ORDER BY ts DESC, step DESC) AS "order"
FROM evt GROUP BY c ORDER BY c;

-- modes combined: 1@0 2@0 3@1 with strict_order,strict_increase: 2@0 is the
-- next step but not later than step 1 (no extension, no stop), then 3 is not
-- the next step of a chain at level 1 -> 1 (the order_inc column above).

-- no rows at all: NULL, like other aggregates; a group of NULL rows: 0 (above)
SELECT salesplan.window_funnel('10 minutes', ts, step) AS no_rows,
       salesplan.window_funnel_times('10 minutes', ts, step) AS no_rows_times
FROM evt WHERE false;

-- more than 32 steps: a 40-step chain, step k at minute k - 1, window 39
-- minutes -> 40; window 38 minutes -> step 40 at minute 39 is late -> 39
SELECT salesplan.window_funnel('39 minutes', timestamp '2024-01-01' + (k - 1) * interval '1 minute', k) AS w39,
       salesplan.window_funnel('38 minutes', timestamp '2024-01-01' + (k - 1) * interval '1 minute', k) AS w38
FROM generate_series(1, 40) k;
-- the largest step, 10000, in a chain 1..10000 one second apart
SELECT salesplan.window_funnel('3 hours', timestamp '2024-01-01' + k * interval '1 second', k) AS level
FROM generate_series(1, 10000) k;

-- timestamptz gives the same levels
SELECT c, salesplan.window_funnel('10 minutes', ts::timestamptz, step) AS plain,
       salesplan.window_funnel('10 minutes', ts::timestamptz, step, 'strict_order') AS "order"
FROM evt GROUP BY c ORDER BY c;

-- window_funnel_times: when the best chain reached each step
SELECT c, salesplan.window_funnel_times('10 minutes', ts, step) AS times
FROM evt WHERE c IN ('basic', 'fresher', 'older_kept', 'equal_ts', 'no_step1', 'only_nulls', 'inc_first')
GROUP BY c ORDER BY c;
-- ties go to the latest start: 1@0 2@1 1@2 2@3 -> level 2 reached by the
-- chains from 0 and from 2; the latest is {00:02, 00:03}
-- a step reached twice by the same chain counts at its first time:
-- 1@0 2@1 2@2 3@3 -> {00:00, 00:01, 00:03}
SELECT salesplan.window_funnel_times('10 minutes', timestamp '2024-01-01' + m * interval '1 minute', s) AS tie,
       salesplan.window_funnel_times('10 minutes', (timestamp '2024-01-01' + m * interval '1 minute')::timestamptz, s) AS tie_tz
FROM (VALUES (0, 1), (1, 2), (2, 1), (3, 2)) v(m, s);
SELECT salesplan.window_funnel_times('10 minutes', timestamp '2024-01-01' + m * interval '1 minute', s, 'strict_increase') AS first_time
FROM (VALUES (0, 1), (1, 2), (2, 2), (3, 3)) v(m, s);
-- modes apply to the times too: strict_order on order_restart -> {00:00, 00:01}
SELECT salesplan.window_funnel_times('10 minutes', ts, step, 'strict_order') AS order_times
FROM evt WHERE c = 'order_restart';

-- time to convert per step (the documented example): minutes from step 1 and
-- from the previous step
SELECT c, k AS step,
       extract(epoch FROM t[k] - t[1]) / 60 AS minutes_from_start,
       extract(epoch FROM t[k] - t[greatest(k - 1, 1)]) / 60 AS minutes_from_previous
FROM (SELECT c, salesplan.window_funnel_times('10 minutes', ts, step) AS t
      FROM evt WHERE c IN ('basic', 'fresher') GROUP BY c) f,
     generate_subscripts(t, 1) k
ORDER BY c, k;

-- Windows with months and days: start + window as timestamp + interval.
-- 2024-01-31 + 1 month = 2024-02-29 (end of month clamped): inclusive -> 2;
-- an event on 2024-03-01 is late -> 1
SELECT salesplan.window_funnel('1 month', ts, s) AS feb29,
       salesplan.window_funnel('1 month', ts, s) FILTER (WHERE ts <> '2024-02-29 10:00') AS mar01
FROM (VALUES (timestamp '2024-01-31 10:00', 1), ('2024-02-29 10:00', 2), ('2024-03-01 10:00', 2)) v(ts, s);
-- '1 month 1 day 1 hour' on timestamp: 2024-01-31 10:00 + 1 month = 02-29 10:00,
-- + 1 day = 03-01 10:00, + 1 hour = 03-01 11:00 -> step 2 at 11:00 is in, at 11:01 not
SELECT salesplan.window_funnel('1 month 1 day 1 hour', ts, s) FILTER (WHERE ts <> '2024-03-01 11:01') AS at_1100,
       salesplan.window_funnel('1 month 1 day 1 hour', ts, s) FILTER (WHERE ts <> '2024-03-01 11:00') AS at_1101
FROM (VALUES (timestamp '2024-01-31 10:00', 1), ('2024-03-01 11:00', 2), ('2024-03-01 11:01', 2)) v(ts, s);
-- timestamptz: days are calendar days in the session time zone.  New York
-- moved to daylight time on 2024-03-10, so 2024-03-09 12:00 + 1 day is
-- 2024-03-10 12:00 local, 23 hours later.  An event at 12:30 local (23.5 h):
-- outside '1 day', inside '24 hours'.
SET TimeZone = 'America/New_York';
SELECT salesplan.window_funnel('1 day', ts, s) FILTER (WHERE ts <> '2024-03-10 12:30') AS day_at_1200,
       salesplan.window_funnel('1 day', ts, s) FILTER (WHERE ts <> '2024-03-10 12:00') AS day_at_1230,
       salesplan.window_funnel('24 hours', ts, s) FILTER (WHERE ts <> '2024-03-10 12:00') AS h24_at_1230
FROM (VALUES (timestamptz '2024-03-09 12:00', 1), ('2024-03-10 12:00', 2), ('2024-03-10 12:30', 2)) v(ts, s);
-- In a zone with a fixed offset (here UTC+5), a day is 24 hours, and months
-- are still counted on the local calendar: 2024-01-30 20:00 UTC is
-- 2024-01-31 01:00 local; + 1 month = 2024-02-29 01:00 local (clamped) =
-- 2024-02-28 20:00 UTC.  So an event at 2024-02-28 20:00 UTC is in, one at
-- 20:01 is not (on the UTC calendar the deadline would be 02-29 20:00).
SET TIME ZONE INTERVAL '+05:00' HOUR TO MINUTE;
SELECT timestamptz '2024-01-30 20:00+00' + interval '1 month' AS postgres_says;
SELECT salesplan.window_funnel('1 month', ts, s) FILTER (WHERE ts <> '2024-02-28 20:01+00') AS month_at_2000,
       salesplan.window_funnel('1 month', ts, s) FILTER (WHERE ts <> '2024-02-28 20:00+00') AS month_at_2001
FROM (VALUES (timestamptz '2024-01-30 20:00+00', 1), ('2024-02-28 20:00+00', 2), ('2024-02-28 20:01+00', 2)) v(ts, s);
-- 2024-03-09 12:00 + 1 day = 2024-03-10 12:00 exactly: in; 12:00:01 is not
SELECT salesplan.window_funnel('1 day', ts, s) FILTER (WHERE ts <> '2024-03-10 12:00:01+00') AS day_at_1200,
       salesplan.window_funnel('1 day', ts, s) FILTER (WHERE ts <> '2024-03-10 12:00+00') AS day_at_120001
FROM (VALUES (timestamptz '2024-03-09 12:00+00', 1), ('2024-03-10 12:00+00', 2), ('2024-03-10 12:00:01+00', 2)) v(ts, s);
SET TimeZone = 'UTC';

-- infinite timestamps are ordinary events; start + window of an infinite
-- start is itself (as in PostgreSQL): -inf, -inf -> 2; 2024, +inf -> 1
SELECT salesplan.window_funnel('1 day', ts, s) AS neg_inf
FROM (VALUES (timestamp '-infinity', 1), ('-infinity', 2)) v(ts, s);
SELECT salesplan.window_funnel('1 day', ts, s) AS pos_inf
FROM (VALUES (timestamp '2024-01-01', 1), ('infinity', 2)) v(ts, s);
-- a deadline beyond the last timestamp (294276 AD) is clamped to it: every
-- finite later event is in.  2024 + 300000 years -> 2 (both kinds);
-- 2024 + 2000000000 days (about 5.5 million years) -> 2; but 2024 + 200000
-- years = 202024 AD is representable and 294276-12-31 is after it -> 1
SELECT salesplan.window_funnel('300000 years', ts, s) AS y300k,
       salesplan.window_funnel('300000 years 100000 days', ts::timestamptz, s) AS y300k_tz,
       salesplan.window_funnel('2000000000 days', ts, s) AS days2e9,
       salesplan.window_funnel('2000000000 days', ts::timestamptz, s) AS days2e9_tz,
       salesplan.window_funnel('200000 years', ts, s) AS y200k
FROM (VALUES (timestamp '2024-01-01', 1), ('294276-12-31', 2)) v(ts, s);

-- Errors, with their SQLSTATE
\set VERBOSITY sqlstate
SELECT salesplan.window_funnel('10 minutes', now(), 1, 'strict_order,bogus');   -- 22023
SELECT salesplan.window_funnel('10 minutes', now(), 1, 'strict_order,');        -- 22023 (empty mode)
SELECT salesplan.window_funnel('10 minutes', now(), 1, NULL);                   -- 22004
SELECT salesplan.window_funnel(NULL, now(), 1);                                 -- 22004
SELECT salesplan.window_funnel('0', now(), 1);                                  -- 22023
SELECT salesplan.window_funnel('-1 hour', now(), 1);                            -- 22023
SELECT salesplan.window_funnel('1 day -1 hour', now(), 1);                      -- 22023
SELECT salesplan.window_funnel('1 day', now(), 10001);                          -- 54000
SELECT salesplan.window_funnel(w, now(), 1)
FROM (VALUES (interval '1 day'), ('2 days')) v(w);                              -- 22023
SELECT salesplan.window_funnel('1 day', now(), 1, mode)
FROM (VALUES ('strict_order'), ('strict_increase')) v(mode);                    -- 22023
SELECT salesplan.window_funnel_trans(NULL, '1 day', now(), 1);                  -- 0A000
SELECT salesplan.window_funnel_combine(NULL, NULL);                             -- 0A000
SELECT salesplan.funnel_step_times(
    salesplan.funnel_event_agg('1 day', now(), 1)) ;                           -- 42804
\set VERBOSITY default
SELECT salesplan.window_funnel('10 minutes', now(), 1, 'strict_order, bogus ');
SELECT salesplan.window_funnel('1 day -1 hour', now(), 1);
SELECT salesplan.window_funnel('1 day', now(), 10001);
SELECT salesplan.window_funnel(w, now(), 1)
FROM (VALUES (interval '1 day'), ('2 days')) v(w);
-- leave the database as found: every test creates the extension itself
SET client_min_messages = warning;
DROP EXTENSION salesplan CASCADE;
