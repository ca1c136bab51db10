-- salesplan.funnel_events: text and binary forms, validation of hostile input.
CREATE EXTENSION salesplan;
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';

-- Text form: "version;flags;months,days,usecs;n;ts:step,..." with timestamps
-- in microseconds since 2000-01-01.  2024-01-01 00:00 is 8766 days after
-- 2000-01-01 (24 years, 6 of them leap: 2000..2020), 8766 * 86400e6 =
-- 757382400000000.  The window 600000000 us = 10 minutes; events at +0, +5
-- and +10 minutes (300000000 us apart), steps 1, 2, 3: level 3 (inclusive).
SELECT s::text AS text_form,
       s::text::salesplan.funnel_events::text = s::text AS round_trips,
       salesplan.funnel_level(s) AS level,
       salesplan.funnel_step_times(s) AS times
FROM (SELECT '1;0;0,0,600000000;3;757382400000000:1,757382700000000:2,757383000000000:3'::salesplan.funnel_events AS s) v;
-- flags 8 = timestamptz events, 2 = strict_order; a step-0 event ends the
-- scan after the start: 1@0 0@+5 2@+10 -> 1
SELECT salesplan.funnel_level(s) AS level, salesplan.funnel_step_times_tz(s) AS times
FROM (SELECT '1;10;0,0,600000000;3;757382400000000:1,757382700000000:0,757383000000000:2'::salesplan.funnel_events AS s) v;
-- the same events without strict_order (flags 8): the step-0 event is ignored -> 2
SELECT salesplan.funnel_level(s) AS level
FROM (SELECT '1;8;0,0,600000000;3;757382400000000:1,757382700000000:0,757383000000000:2'::salesplan.funnel_events AS s) v;
-- empty state (a group of NULL rows), infinities
SELECT s::text, salesplan.funnel_level(s) AS level, salesplan.funnel_step_times(s) AS times
FROM (VALUES ('1;0;0,1,0;0;'::salesplan.funnel_events),
             ('1;0;1,2,3;3;-infinity:1,-infinity:2,infinity:3'),
             ('1;5;0,0,1;1;-211813488000000000:1')) v(s)
ORDER BY 1;

-- The state an aggregate builds: text and binary forms round-trip, in the
-- aggregate's own output and after a table round trip
CREATE TEMP TABLE st AS
SELECT g, salesplan.funnel_event_agg('1 hour', timestamp '2024-01-01' + (g * 7 + k * 13 % 50) * interval '1 minute',
                                      (g + k) % 5 - 1, 'strict_order') AS s
FROM generate_series(1, 20) g, generate_series(1, g) k
GROUP BY g;
SELECT count(*) AS states,
       count(*) FILTER (WHERE s::text::salesplan.funnel_events::text = s::text) AS text_round_trips,
       count(*) FILTER (WHERE salesplan.funnel_level(s::text::salesplan.funnel_events)
                            = salesplan.funnel_level(s)) AS same_level
FROM st;
SELECT s::text FROM st WHERE g = 3;

-- Binary: send gives the documented layout (1 version byte, 1 flags byte,
-- int32 months, int32 days, int64 usecs, int32 n, n x (int64 ts, int32 step)):
-- flags 2, window 3600000000 us = 0xd693a400
SELECT salesplan.funnel_events_send(s) FROM st WHERE g = 1;
-- recv through COPY (FORMAT binary): write bytea fields, read them back as
-- funnel_events (the field bytes are the same).
CREATE TEMP TABLE bin_src (id int, b bytea);
INSERT INTO bin_src SELECT g, salesplan.funnel_events_send(s) FROM st;
CREATE TEMP TABLE bin_dst (id int, s salesplan.funnel_events);
CREATE FUNCTION pg_temp.copy_bin(lo int, hi int) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    f text := '/tmp/salesplan_wf_regress_' || pg_backend_pid() || '.bin';
    n bigint;
BEGIN
    EXECUTE format('COPY (SELECT id, b FROM bin_src WHERE id BETWEEN %s AND %s ORDER BY id) TO %L (FORMAT binary)', lo, hi, f);
    EXECUTE format('COPY bin_dst FROM %L (FORMAT binary)', f);
    GET DIAGNOSTICS n = ROW_COUNT;
    RETURN n;
END $$;
SELECT pg_temp.copy_bin(1, 20) AS copied;
SELECT count(*) AS states, count(*) FILTER (WHERE d.s::text = st.s::text) AS binary_round_trips
FROM bin_dst d JOIN st ON st.g = d.id;

-- corrupt binary values: each is rejected with XX001.  Byte offsets (from
-- 0): version 0, flags 1, months 2-5, days 6-9, usecs 10-17, count 18-21,
-- first event's ts 22-29 and step 30-33.  State 5 holds 5 events (82 bytes).
INSERT INTO bin_src
SELECT 101, substr(b, 1, length(b) - 1) FROM bin_src WHERE id = 5        -- last event cut
UNION ALL SELECT 102, substr(b, 1, 10) FROM bin_src WHERE id = 5         -- header cut
UNION ALL SELECT 103, set_byte(b, 0, 2) FROM bin_src WHERE id = 5        -- version 2
UNION ALL SELECT 104, set_byte(b, 1, 64) FROM bin_src WHERE id = 5       -- unknown flag
UNION ALL SELECT 105, set_byte(b, 18, 127) FROM bin_src WHERE id = 5     -- huge count
UNION ALL SELECT 106, set_byte(b, 21, 1) FROM bin_src WHERE id = 5       -- count 1, five events
UNION ALL SELECT 107, b || '\x00'::bytea FROM bin_src WHERE id = 5       -- trailing byte
UNION ALL SELECT 108, set_byte(b, 32, 40) FROM bin_src WHERE id = 5      -- 1st step >= 40 * 256
UNION ALL SELECT 109, set_byte(b, 22, 128) FROM bin_src WHERE id = 5     -- 1st ts < year 4713 BC
UNION ALL SELECT 110, overlay(b PLACING '\x0000000000000000'::bytea FROM 11 FOR 8) FROM bin_src WHERE id = 5; -- zero window
SELECT id, length(b) FROM bin_src WHERE id > 100 ORDER BY id;
\set VERBOSITY sqlstate
SELECT pg_temp.copy_bin(101, 101);
SELECT pg_temp.copy_bin(102, 102);
SELECT pg_temp.copy_bin(103, 103);
SELECT pg_temp.copy_bin(104, 104);
SELECT pg_temp.copy_bin(105, 105);
SELECT pg_temp.copy_bin(106, 106);
SELECT pg_temp.copy_bin(107, 107);
SELECT pg_temp.copy_bin(108, 108);
SELECT pg_temp.copy_bin(109, 109);
SELECT pg_temp.copy_bin(110, 110);

-- malformed text: each is rejected with 22P02
SELECT ''::salesplan.funnel_events;
SELECT 'garbage'::salesplan.funnel_events;
SELECT '2;0;0,0,1;0;'::salesplan.funnel_events;                      -- version
SELECT '1;16;0,0,1;0;'::salesplan.funnel_events;                     -- unknown flag
SELECT '1;-1;0,0,1;0;'::salesplan.funnel_events;                     -- negative flags
SELECT '1;0;0,0,0;0;'::salesplan.funnel_events;                      -- zero window
SELECT '1;0;-1,0,1;0;'::salesplan.funnel_events;                     -- negative window part
SELECT '1;0;0,2147483648,1;0;'::salesplan.funnel_events;             -- days beyond int32
SELECT '1;0;0,0,1;1;'::salesplan.funnel_events;                      -- count 1, no event
SELECT '1;0;0,0,1;2;0:1'::salesplan.funnel_events;                   -- count 2, one event
SELECT '1;0;0,0,1;1;0:1,5:2'::salesplan.funnel_events;               -- count 1, two events
SELECT '1;0;0,0,1;10000001;'::salesplan.funnel_events;               -- count beyond the limit
SELECT '1;0;0,0,1;1;0:10001'::salesplan.funnel_events;               -- step beyond 10000
SELECT '1;0;0,0,1;1;0:-1'::salesplan.funnel_events;                  -- negative step
SELECT '1;0;0,0,1;1;99999999999999999999:1'::salesplan.funnel_events; -- int64 overflow
SELECT '1;0;0,0,1;1;9223372036854775806:1'::salesplan.funnel_events; -- timestamp out of range
SELECT '1;0;0,0,1;1;0:1 '::salesplan.funnel_events;                  -- trailing text
SELECT '1;0;0,0,1;1;0;1'::salesplan.funnel_events;                   -- wrong separator
SELECT '1;0;0,0,1;1;infinityx:1'::salesplan.funnel_events;
-- rollup of states with different windows
SELECT salesplan.rollup(s) FROM (VALUES ('1;0;0,0,1;0;'::salesplan.funnel_events), ('1;0;0,0,2;0;')) v(s);
\set VERBOSITY default
SELECT '1;0;0,0,1;2;0:1'::salesplan.funnel_events;
SELECT '1;0;0,0,0;0;'::salesplan.funnel_events;
SELECT salesplan.rollup(s) FROM (VALUES ('1;0;0,0,1;0;'::salesplan.funnel_events), ('1;2;0,0,1;0;')) v(s);
-- Canonical text: equal events print equal text whatever order they
-- arrived in (a distributed combine concatenates the workers' lists in the
-- order they finish).  Events sorted by (ts, step): 0:2, 0:3, 60000000:1.
CREATE TEMP TABLE ev_order (ts timestamp, step int);
INSERT INTO ev_order VALUES ('2000-01-01 00:01', 1), ('2000-01-01 00:00', 3), ('2000-01-01 00:00', 2);
SELECT (SELECT salesplan.funnel_event_agg(interval '1 hour', ts, step ORDER BY ts, step)::text FROM ev_order) AS ascending,
       (SELECT salesplan.funnel_event_agg(interval '1 hour', ts, step ORDER BY ts DESC, step DESC)::text FROM ev_order) AS descending;
-- the text and binary forms of a state built in arrival order are sorted too
SELECT s::text, salesplan.funnel_events_send(s) = salesplan.funnel_events_send(s::text::salesplan.funnel_events) AS send_sorted
FROM (SELECT '1;0;0,0,3600000000;3;60000000:1,0:3,0:2'::salesplan.funnel_events AS s) x;

-- leave the database as found: every test creates the extension itself
SET client_min_messages = warning;
DROP EXTENSION salesplan CASCADE;
