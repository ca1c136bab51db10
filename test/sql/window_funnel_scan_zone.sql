-- window_funnel_scan / window_funnel_levels with an explicit time zone
-- (issue 13): a timestamptz window's days are counted on the calendar of
-- time_zone, as the aggregate's 5-argument window_funnel does, whatever the
-- session's TimeZone, serially and in parallel (the leader passes the zone
-- to the workers).  NULL is the session's zone.
CREATE EXTENSION salesplan;
SET DateStyle = 'ISO, YMD';
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;

-- Two shapes around New York's DST changes, with a '1 day' window:
--   spring (1,500 entities, e % 4 <> 0): step 1 at 2024-03-09 17:00 UTC (12:00 EST),
--     step 2 at 2024-03-10 16:30 UTC (12:30 EDT).  New York's day after
--     12:00 EST ends at 12:00 EDT = 16:00 UTC (23 hours): step 2 is late,
--     level 1.  In UTC or Tokyo (no DST) a day is 24 hours, to 17:00 UTC:
--     level 2.
--   fall (500 entities, e % 4 = 0): step 1 at 2024-11-02 16:00 UTC (12:00 EDT),
--     step 2 at 2024-11-03 16:30 UTC (11:30 EST).  New York's day ends at
--     12:00 EST = 17:00 UTC (25 hours): level 2.  In UTC or Tokyo it ends at
--     16:00 UTC: level 1.
-- So New York: 1,500 entities at level 1 (spring) and 500 at level 2
-- (fall); UTC and Tokyo: 500 at level 1 and 1,500 at level 2.
CREATE TABLE wfz (e int, ts timestamptz, step int);
INSERT INTO wfz
SELECT e, CASE WHEN e % 4 <> 0 THEN timestamptz '2024-03-09 17:00+00' ELSE timestamptz '2024-11-02 16:00+00' END, 1
FROM generate_series(1, 2000) e
UNION ALL
SELECT e, CASE WHEN e % 4 <> 0 THEN timestamptz '2024-03-10 16:30+00' ELSE timestamptz '2024-11-03 16:30+00' END, 2
FROM generate_series(1, 2000) e;
SELECT pg_relation_size('wfz') / 8192 >= 9 AS enough_pages_for_two_workers;

-- By hand: level 1 for spring entities and 2 for fall ones in New York;
-- the other way round in UTC and Tokyo.
CREATE TEMP TABLE by_hand AS
SELECT e, CASE WHEN e % 4 <> 0 THEN 1 ELSE 2 END AS ny, CASE WHEN e % 4 <> 0 THEN 2 ELSE 1 END AS utc
FROM generate_series(1, 2000) e;

-- The aggregate agrees with the hand values (session in Tokyo).
SET TimeZone = 'Asia/Tokyo';
SELECT count(*) FILTER (WHERE a.ny = h.ny) AS ny_as_by_hand,
       count(*) FILTER (WHERE a.session = h.utc) AS tokyo_session_as_utc
FROM (SELECT e, salesplan.window_funnel('1 day', ts, step, '', 'America/New_York') AS ny,
             salesplan.window_funnel('1 day', ts, step) AS session
      FROM wfz GROUP BY e) a
JOIN by_hand h USING (e);

-- Serial, session in UTC then Tokyo: New York's levels with the zone, the
-- session's without.
SET max_parallel_workers_per_gather = 0;
CREATE TEMP TABLE runs (run text, e int, level int);
SET TimeZone = 'UTC';
INSERT INTO runs
SELECT 'serial utc ny', entity, level
FROM salesplan.window_funnel_scan('wfz', 'e', NULL::int, 'ts', 'step', '1 day', '', NULL, 'America/New_York')
UNION ALL
SELECT 'serial utc session', entity, level
FROM salesplan.window_funnel_scan('wfz', 'e', NULL::int, 'ts', 'step', '1 day');
SET TimeZone = 'Asia/Tokyo';
INSERT INTO runs
SELECT 'serial tokyo ny', entity, level
FROM salesplan.window_funnel_scan('wfz', 'e', NULL::int, 'ts', 'step', '1 day', time_zone => 'America/New_York')
UNION ALL
SELECT 'serial tokyo session', entity, level
FROM salesplan.window_funnel_scan('wfz', 'e', NULL::int, 'ts', 'step', '1 day');

-- Parallel (two workers planned: the DEBUG lines), the same.
SET max_parallel_workers_per_gather = 2;
SET client_min_messages = debug1;
SET TimeZone = 'UTC';
INSERT INTO runs
SELECT 'parallel utc ny', entity, level
FROM salesplan.window_funnel_scan('wfz', 'e', NULL::int, 'ts', 'step', '1 day', '', NULL, 'America/New_York');
SET TimeZone = 'Asia/Tokyo';
INSERT INTO runs
SELECT 'parallel tokyo ny', entity, level
FROM salesplan.window_funnel_scan('wfz', 'e', NULL::int, 'ts', 'step', '1 day', time_zone => 'America/New_York');
INSERT INTO runs
SELECT 'parallel tokyo session', entity, level
FROM salesplan.window_funnel_scan('wfz', 'e', NULL::int, 'ts', 'step', '1 day');
-- a New York session without the argument: the session's zone, read by the
-- leader, is the workers' calendar too
SET TimeZone = 'America/New_York';
INSERT INTO runs
SELECT 'parallel ny session', entity, level
FROM salesplan.window_funnel_scan('wfz', 'e', NULL::int, 'ts', 'step', '1 day');
RESET client_min_messages;

SELECT r.run, count(*) AS entities,
       count(*) FILTER (WHERE r.level = h.ny) AS as_new_york,
       count(*) FILTER (WHERE r.level = h.utc) AS as_utc
FROM runs r JOIN by_hand h USING (e)
GROUP BY r.run ORDER BY r.run;

-- window_funnel_levels: the histogram, serial and parallel, session in
-- Tokyo: New York's 1,500 and 500 at levels 1 and 2; a '24 hours' window
-- needs no zone (500 and 1,500, as in UTC).
SET TimeZone = 'Asia/Tokyo';
SET max_parallel_workers_per_gather = 0;
SELECT 'serial' AS run, * FROM salesplan.window_funnel_levels('wfz', 'e', 'ts', 'step', '1 day', '', NULL, 'America/New_York')
ORDER BY level;
SET max_parallel_workers_per_gather = 2;
SET client_min_messages = debug1;
SELECT 'parallel' AS run, * FROM salesplan.window_funnel_levels('wfz', 'e', 'ts', 'step', '1 day', '', NULL, 'America/New_York')
ORDER BY level;
RESET client_min_messages;
SELECT * FROM salesplan.window_funnel_levels('wfz', 'e', 'ts', 'step', '24 hours', '', NULL, 'America/New_York')
ORDER BY level;

-- The zone is checked as the aggregate checks it: an unknown name or
-- 'localtime' is 22023; on a timestamp column it is validated and not
-- needed (days of timestamp are 24 hours).
CREATE TABLE wfz_naive (e int, ts timestamp, step int);
INSERT INTO wfz_naive SELECT e, ts AT TIME ZONE 'UTC', step FROM wfz;
\set VERBOSITY sqlstate
SELECT * FROM salesplan.window_funnel_levels('wfz', 'e', 'ts', 'step', '1 day', '', NULL, 'Mars/Olympus');
SELECT * FROM salesplan.window_funnel_levels('wfz', 'e', 'ts', 'step', '1 day', '', NULL, 'localtime');
SELECT * FROM salesplan.window_funnel_levels('wfz_naive', 'e', 'ts', 'step', '1 day', '', NULL, 'Mars/Olympus');
\set VERBOSITY default
SELECT * FROM salesplan.window_funnel_levels('wfz', 'e', 'ts', 'step', '1 day', '', NULL, 'Mars/Olympus');
SELECT * FROM salesplan.window_funnel_levels('wfz_naive', 'e', 'ts', 'step', '1 day', '', NULL, 'America/New_York')
ORDER BY level;

DROP TABLE wfz, wfz_naive;
DROP EXTENSION salesplan;
