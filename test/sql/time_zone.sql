-- Explicit time zones (issue 13): window_funnel, window_funnel_times,
-- funnel_event_agg and is_cold with a time zone argument give the same
-- answer whatever the session's TimeZone (as on a Citus worker), while the
-- forms without one follow the session.  Cases are around the 2026 DST
-- changes of America/New_York (EST -05 -> EDT -04 on Sunday 2026-03-08 at
-- 02:00 local; back on Sunday 2026-11-01 at 02:00 local) and a month end;
-- every expected level is worked out in the comments.
CREATE EXTENSION salesplan;
SET DateStyle = 'ISO, YMD';
SET TimeZone = 'UTC';

CREATE TEMP TABLE ev (entity text, w interval, ts timestamptz, step int);
INSERT INTO ev VALUES
    -- step 1 at Sat 03-07 12:00 EST (17:00 UTC), step 2 at Sun 03-08 12:30 EDT
    -- (16:30 UTC).  New York: + 1 day = 03-08 12:00 EDT = 16:00 UTC, only 23
    -- hours, and 16:30 > 16:00 -> 1.  UTC (and Asia/Kolkata, a fixed
    -- +05:30): + 24 hours = 03-08 17:00 UTC >= 16:30 -> 2.
    ('spring', '1 day', '2026-03-07 17:00+00', 1), ('spring', '1 day', '2026-03-08 16:30+00', 2),
    -- step 1 at Sat 10-31 12:00 EDT (16:00 UTC), step 2 at Sun 11-01 11:30
    -- EST (16:30 UTC).  New York: + 1 day = 11-01 12:00 EST = 17:00 UTC, 25
    -- hours -> 2.  UTC and Kolkata: 11-01 16:00 UTC < 16:30 -> 1.
    ('fall', '1 day', '2026-10-31 16:00+00', 1), ('fall', '1 day', '2026-11-01 16:30+00', 2),
    -- window 1 month; step 1 at 01-31 03:30 UTC = 01-30 22:30 EST, step 2 at
    -- 02-28 12:00 UTC.  New York: 01-30 + 1 month = 02-28 (30 clamped to the
    -- month's 28 days) 22:30 EST = 03-01 03:30 UTC -> 2.  UTC: 01-31 03:30 +
    -- 1 month = 02-28 03:30 < 12:00 -> 1.  Kolkata: 01-31 09:00 IST -> 02-28
    -- 09:00 IST = 03:30 UTC -> 1.
    ('month_end', '1 month', '2026-01-31 03:30+00', 1), ('month_end', '1 month', '2026-02-28 12:00+00', 2),
    -- step 1 at Sat 03-07 02:30 EST (07:30 UTC); + 1 day is Sun 03-08 02:30,
    -- a local time that does not exist, read in standard time (as
    -- PostgreSQL does): 03:30 EDT = 07:30 UTC, 24 hours in every zone; step 2
    -- exactly then (the window is inclusive) -> 2 everywhere.
    ('dst_gap', '1 day', '2026-03-07 07:30+00', 1), ('dst_gap', '1 day', '2026-03-08 07:30+00', 2);

-- per entity: the explicit New York and UTC forms, and the form without a
-- zone (the session's)
CREATE FUNCTION pg_temp.levels()
RETURNS TABLE (session text, entity text, new_york int, utc int, session_form int)
LANGUAGE sql AS $$
    SELECT current_setting('TimeZone'), entity,
           salesplan.window_funnel(w, ts, step, '', 'America/New_York'),
           salesplan.window_funnel(w, ts, step, '', 'UTC'),
           salesplan.window_funnel(w, ts, step)
    FROM ev GROUP BY entity ORDER BY entity
$$;
SET TimeZone = 'UTC';
SELECT * FROM pg_temp.levels();
SET TimeZone = 'America/New_York';
SELECT * FROM pg_temp.levels();
SET TimeZone = 'Asia/Kolkata';
SELECT * FROM pg_temp.levels();

-- window_funnel_times with the zone: the steps of "fall" (both reached in
-- New York), shown in UTC
SELECT entity,
       ARRAY(SELECT t AT TIME ZONE 'UTC'
             FROM unnest(salesplan.window_funnel_times(w, ts, step, '', 'America/New_York')) AS t) AS reached_utc
FROM ev WHERE entity = 'fall' GROUP BY entity, w;

-- The same on 400 entities (one step 1 and one step 2 each, spread over the
-- two DST weeks): the explicit New York form under a UTC, a Tokyo and a New
-- York session against plain SQL evaluated in a New York session (PostgreSQL's
-- own timestamptz + interval: level 2 when step 2 <= step 1 + 1 day), and
-- the form without a zone against the same plain SQL evaluated in its own
-- session.
CREATE TEMP TABLE many AS
SELECT e, s.step,
       CASE WHEN e % 2 = 0 THEN timestamptz '2026-03-04 00:00+00' ELSE timestamptz '2026-10-28 00:00+00' END
         + (e * 37) * interval '1 minute'
         + CASE WHEN s.step = 2 THEN (e * 13 % 10 + 19) * interval '1 hour' + (e * 7 % 60) * interval '1 minute'
                ELSE interval '0' END AS ts
FROM generate_series(1, 400) AS e, (VALUES (1), (2)) AS s(step);
CREATE TEMP TABLE expected (session text, e int, level int);
CREATE FUNCTION pg_temp.plain_sql() RETURNS void LANGUAGE sql AS $$
    INSERT INTO expected
    SELECT current_setting('TimeZone'), e,
           CASE WHEN max(ts) FILTER (WHERE step = 2) <= max(ts) FILTER (WHERE step = 1) + interval '1 day'
                THEN 2 ELSE 1 END
    FROM many GROUP BY e
$$;
SET TimeZone = 'America/New_York';
SELECT pg_temp.plain_sql();
SET TimeZone = 'UTC';
SELECT pg_temp.plain_sql();
SET TimeZone = 'Asia/Tokyo';
SELECT pg_temp.plain_sql();
CREATE TEMP TABLE got (session text, e int, explicit_zone int, session_form int);
SET TimeZone = 'UTC';
INSERT INTO got SELECT 'UTC', e, salesplan.window_funnel('1 day', ts, step, '', 'America/New_York'),
                       salesplan.window_funnel('1 day', ts, step) FROM many GROUP BY e;
SET TimeZone = 'Asia/Tokyo';
INSERT INTO got SELECT 'Asia/Tokyo', e, salesplan.window_funnel('1 day', ts, step, '', 'America/New_York'),
                       salesplan.window_funnel('1 day', ts, step) FROM many GROUP BY e;
SET TimeZone = 'America/New_York';
INSERT INTO got SELECT 'America/New_York', e, salesplan.window_funnel('1 day', ts, step, '', 'America/New_York'),
                       salesplan.window_funnel('1 day', ts, step) FROM many GROUP BY e;
-- explicit_equal_new_york and session_form_equal_own are 400 in every
-- session; plain SQL in UTC and Tokyo differs from New York's on some
-- entities (the DST weeks make 23- and 25-hour days in New York)
SELECT g.session, count(*) AS entities,
       count(*) FILTER (WHERE g.explicit_zone = ny.level) AS explicit_equal_new_york,
       count(*) FILTER (WHERE g.session_form = own.level) AS session_form_equal_own,
       count(*) FILTER (WHERE own.level <> ny.level) AS own_differs_from_new_york,
       count(*) FILTER (WHERE ny.level = 2) AS level_2_in_new_york
FROM got g
JOIN expected ny ON ny.e = g.e AND ny.session = 'America/New_York'
JOIN expected own ON own.e = g.e AND own.session = g.session
GROUP BY g.session ORDER BY g.session;

-- The state records the zone's canonical name (text form "1;flags;window;
-- zone;n;events", flags 24 = timestamptz 8 + zone 16); a name in another
-- case is the same zone.
SET TimeZone = 'UTC';
CREATE TEMP TABLE st AS
SELECT entity, salesplan.funnel_event_agg(w, ts, step, '', 'america/new_york') AS s
FROM ev GROUP BY entity;
SELECT entity, s::text, salesplan.funnel_level(s) AS level FROM st ORDER BY entity;
-- read in another session zone, from text: the same levels
SET TimeZone = 'Asia/Kolkata';
SELECT entity, salesplan.funnel_level(s::text::salesplan.funnel_events) AS level,
       s::text::salesplan.funnel_events::text = s::text AS round_trips
FROM st ORDER BY entity;
-- text input canonicalises the zone; an unknown zone is rejected
SELECT '1;24;0,1,0;america/new_york;0;'::salesplan.funnel_events::text AS canonical;
\set VERBOSITY default
SELECT '1;24;0,1,0;Mars/Olympus;0;'::salesplan.funnel_events;
SELECT '1;16;0,1,0;UTC;0;'::salesplan.funnel_events;     -- a zone on timestamp events
SELECT '1;24;0,1,0;UTC'::salesplan.funnel_events;        -- no ";" after the zone
\set VERBOSITY terse
-- binary: after usecs a length byte and the name, then n and the events:
-- 01 | 18 | 00000000 | 00000001 | 0000000000000000 | 03 "UTC" = 555443 |
-- 00000001 | 2026-03-07 17:00 UTC = 826218000000000 us = 0x0002ef70de65a400 | 00000001
SELECT salesplan.funnel_events_send(salesplan.funnel_event_agg('1 day', ts, step, '', 'UTC'))
FROM (VALUES (timestamptz '2026-03-07 17:00+00', 1)) AS v(ts, step);

-- rollup keeps the zone; states of different zones do not mix
SET TimeZone = 'UTC';
SELECT salesplan.funnel_level(salesplan.rollup(s)) AS level
FROM (SELECT salesplan.funnel_event_agg(w, ts, step, '', 'America/New_York') AS s
      FROM ev WHERE entity = 'spring' GROUP BY ts) AS per_event;
\set VERBOSITY sqlstate
SELECT salesplan.rollup(s)
FROM (SELECT salesplan.funnel_event_agg('1 day', ts, step, '', 'America/New_York') AS s FROM ev
      UNION ALL
      SELECT salesplan.funnel_event_agg('1 day', ts, step, '', 'UTC') FROM ev) AS v;
SELECT salesplan.rollup(s)
FROM (SELECT salesplan.funnel_event_agg('1 day', ts, step, '', 'UTC') AS s FROM ev
      UNION ALL
      SELECT salesplan.funnel_event_agg('1 day', ts, step) FROM ev) AS v;
\set VERBOSITY terse

-- timestamp events take the zone too (validated; their days are 24 hours),
-- so a timestamp column is not cast to timestamptz in the session's zone:
-- 03-07 12:00 + 1 day = 03-08 12:00 >= 12:00 -> 2 with or without the zone
SELECT salesplan.window_funnel('1 day', ts, step, '', 'America/New_York') AS with_zone,
       salesplan.window_funnel('1 day', ts, step) AS without,
       salesplan.funnel_event_agg('1 day', ts, step, '', 'America/New_York')::text AS state
FROM (VALUES (timestamp '2026-03-07 12:00', 1), (timestamp '2026-03-08 12:00', 2)) AS v(ts, step);

-- errors: an unknown zone, an abbreviation (its meaning depends on the
-- timezone_abbreviations setting), "localtime", odd characters, NULL, a
-- zone that varies within a group: 22023 (22004 for NULL), then the
-- messages of the first and third
\set VERBOSITY sqlstate
SELECT salesplan.window_funnel('1 day', ts, step, '', 'Mars/Olympus') FROM ev;
SELECT salesplan.window_funnel('1 day', ts, step, '', 'PST') FROM ev;
SELECT salesplan.window_funnel('1 day', ts, step, '', 'localtime') FROM ev;
SELECT salesplan.window_funnel('1 day', ts, step, '', 'UTC;1') FROM ev;
SELECT salesplan.window_funnel('1 day', ts, step, '', NULL) FROM ev;
SELECT salesplan.window_funnel('1 day', ts, step, '', CASE WHEN step = 1 THEN 'UTC' ELSE 'Europe/Paris' END) FROM ev;
\set VERBOSITY default
SELECT salesplan.window_funnel('1 day', ts, step, '', 'Mars/Olympus') FROM ev;
SELECT salesplan.window_funnel('1 day', ts, step, '', 'localtime') FROM ev;
\set VERBOSITY terse

-- is_cold with the zone: last touch 03-07 17:00 UTC, as of 03-08 16:30 UTC
-- (12:30 EDT), keep warm 1 day.  New York: as_of - 1 day = 03-07 12:30 EST
-- = 17:30 UTC, after the last touch -> cold.  UTC: 03-07 16:30, before it
-- -> warm.  Fall: last touch 10-31 16:00 UTC, as of 11-01 16:30 UTC (11:30
-- EST); New York: 10-31 11:30 EDT = 15:30 UTC -> warm; UTC: 10-31 16:30 ->
-- cold.
CREATE TEMP TABLE tt AS
SELECT 'spring' AS c, salesplan.touch_agg(timestamptz '2026-03-07 17:00+00', 1) AS t, timestamptz '2026-03-08 16:30+00' AS as_of
UNION ALL
SELECT 'fall', salesplan.touch_agg(timestamptz '2026-10-31 16:00+00', 1), timestamptz '2026-11-01 16:30+00';
SET TimeZone = 'UTC';
SELECT c, salesplan.is_cold(t, as_of, '1 day', 'America/New_York') AS new_york,
       salesplan.is_cold(t, as_of, '1 day', 'UTC') AS utc,
       salesplan.is_cold(t, as_of, '1 day') AS session_form
FROM tt ORDER BY c;
SET TimeZone = 'America/New_York';
SELECT c, salesplan.is_cold(t, as_of, '1 day', 'America/New_York') AS new_york,
       salesplan.is_cold(t, as_of, '1 day', 'UTC') AS utc,
       salesplan.is_cold(t, as_of, '1 day') AS session_form
FROM tt ORDER BY c;
-- NULL zone: unknown (NULL); never touched: cold; unknown zone: 22023
SELECT salesplan.is_cold(t, as_of, '1 day', NULL) AS null_zone,
       salesplan.is_cold(NULL, as_of, '1 day', 'UTC') AS never_touched
FROM tt WHERE c = 'fall';
\set VERBOSITY sqlstate
SELECT salesplan.is_cold(t, as_of, '1 day', 'Nowhere/Land') FROM tt;
-- leave the database as found: every test creates the extension itself
SET client_min_messages = warning;
DROP EXTENSION salesplan CASCADE;
