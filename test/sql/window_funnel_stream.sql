-- window_funnel with its input ordered by timestamp (window_funnel(w, ts,
-- step ORDER BY ts)): the aggregate then keeps a streaming state (each
-- step's chain, no events; doc/window_funnel.md).  Its levels must be
-- those of the event-list path: hand-computed cases first, then the two
-- paths over the same generated rows, for every mode, several windows,
-- timestamp and timestamptz (session zone and explicit zone), with many
-- events sharing a timestamp, steps past 32, and rows of step 0 or NULL.
CREATE EXTENSION salesplan;
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
SET max_parallel_workers_per_gather = 0;

-- 1. Hand-computed (minutes after 2024-01-01, window 10 minutes); the
-- events of an entity are inserted out of order on purpose.
CREATE TEMP TABLE hand (c text, m int, step int, want int, want_dedup int,
                        want_order int, want_inc int);
INSERT INTO hand VALUES
    -- 3@0 2@0 1@0: one timestamp, taken in step order -> 3; strict_increase 1
    ('equal_ts', 0, 3, 3, 3, 3, 1), ('equal_ts', 0, 2, 3, 3, 3, 1), ('equal_ts', 0, 1, 3, 3, 3, 1),
    -- 3@5 1@0 2@4: arrives out of order -> 3 everywhere
    ('shuffled', 5, 3, 3, 3, 3, 3), ('shuffled', 0, 1, 3, 3, 3, 3), ('shuffled', 4, 2, 3, 3, 3, 3),
    -- 1@0 2@1 2@2 3@3: strict_deduplication stops at the second 2 -> 2, and
    -- strict_order there too (2 is not the step after 2) -> 2
    ('dedup', 3, 3, 3, 2, 2, 3), ('dedup', 2, 2, 3, 2, 2, 3), ('dedup', 1, 2, 3, 2, 2, 3), ('dedup', 0, 1, 3, 2, 2, 3),
    -- 1@0 2@1 0@2 3@3: strict_order stops at the step-0 event -> 2
    ('order0', 3, 3, 3, 3, 2, 3), ('order0', 2, 0, 3, 3, 2, 3), ('order0', 1, 2, 3, 3, 2, 3), ('order0', 0, 1, 3, 3, 2, 3),
    -- 1@0 2@1 3@11: 11 > 0 + 10 -> 2
    ('late', 11, 3, 2, 2, 2, 2), ('late', 1, 2, 2, 2, 2, 2), ('late', 0, 1, 2, 2, 2, 2),
    -- 1@0 2@5 1@20 2@25 3@28: a fresher chain -> 3
    ('fresher', 28, 3, 3, 3, 3, 3), ('fresher', 0, 1, 3, 3, 3, 3), ('fresher', 25, 2, 3, 3, 3, 3),
    ('fresher', 5, 2, 3, 3, 3, 3), ('fresher', 20, 1, 3, 3, 3, 3),
    -- NULL step or minute: skipped; 2@1 1@1 -> 2 (strict_increase 1)
    ('nulls', NULL, 1, 2, 2, 2, 1), ('nulls', 1, NULL, 2, 2, 2, 1), ('nulls', 1, 2, 2, 2, 2, 1), ('nulls', 1, 1, 2, 2, 2, 1);
SELECT c,
       salesplan.window_funnel('10 minutes', ts, step ORDER BY ts) = min(want) AS plain,
       salesplan.window_funnel('10 minutes', ts, step, 'strict_deduplication' ORDER BY ts) = min(want_dedup) AS dedup,
       salesplan.window_funnel('10 minutes', ts, step, 'strict_order' ORDER BY ts) = min(want_order) AS "order",
       salesplan.window_funnel('10 minutes', ts, step, 'strict_increase' ORDER BY ts) = min(want_inc) AS inc,
       salesplan.window_funnel('10 minutes', ts::timestamptz, step, 'strict_order' ORDER BY ts::timestamptz) = min(want_order) AS order_tz
FROM (SELECT *, timestamp '2024-01-01' + m * interval '1 minute' AS ts FROM hand) h
GROUP BY c ORDER BY c;

-- 2. Generated rows (a fixed linear congruential sequence, no random()):
-- 200 entities, 0..40 events each over 600 minutes (many shared
-- minutes), steps -1..6 with NULLs; entity 0 has 60 events in one minute,
-- entity 1 steps up to 40.
CREATE TEMP TABLE gen AS
WITH RECURSIVE r(i, x) AS (
    SELECT 0, 12345::bigint
  UNION ALL
    SELECT i + 1, (x * 1103515245 + 12345) % 2147483648 FROM r WHERE i < 12000
)
SELECT (x / 7) % 200 AS e,
       CASE WHEN (x / 11) % 97 = 0 THEN NULL
            ELSE timestamp '2024-03-09 12:00' + ((x / 13) % 600) * interval '1 minute' END AS ts,
       CASE WHEN (x / 17) % 41 = 0 THEN NULL
            ELSE (ARRAY[-1, 0, 1, 1, 1, 2, 2, 2, 3, 3, 4, 5, 6])[1 + (x / 19) % 13] END AS step
FROM r WHERE (x / 23) % 3 > 0
UNION ALL
SELECT 0, timestamp '2024-03-10 06:00', 1 + (g * 7) % 5 FROM generate_series(1, 60) g
UNION ALL
SELECT 1, timestamp '2024-03-09 12:00' + g * interval '1 minute', g FROM generate_series(1, 40) g;
SELECT sum(n) AS rows, count(DISTINCT e) AS entities, max(n) FILTER (WHERE ts IS NOT NULL) AS most_at_one_ts
FROM (SELECT e, ts, count(*) AS n FROM gen GROUP BY e, ts) c;

CREATE TEMP TABLE modes (m text);
INSERT INTO modes VALUES (''), ('strict_deduplication'), ('strict_order'), ('strict_increase'),
    ('strict_deduplication,strict_order'), ('strict_deduplication,strict_increase'),
    ('strict_order,strict_increase'), ('strict_deduplication,strict_order,strict_increase');
CREATE TEMP TABLE windows (w interval);
INSERT INTO windows VALUES ('5 minutes'), ('1 hour'), ('1 day'), ('1 day 2 hours'), ('1 mon');

-- timestamp: streaming (ORDER BY ts) against the event list, and the same
-- call ordered otherwise (no streaming: ORDER BY ts DESC, ORDER BY step)
SELECT count(*) AS groups,
       count(*) FILTER (WHERE streamed IS DISTINCT FROM listed) AS stream_differs,
       count(*) FILTER (WHERE streamed2 IS DISTINCT FROM listed) AS stream_ts_step_differs,
       count(*) FILTER (WHERE desc_order IS DISTINCT FROM listed) AS desc_differs,
       count(*) FILTER (WHERE by_step IS DISTINCT FROM listed) AS by_step_differs,
       count(*) FILTER (WHERE listed > 1) AS groups_past_step_1
FROM (SELECT e, w, m,
             salesplan.window_funnel(w, ts, step, m) AS listed,
             salesplan.window_funnel(w, ts, step, m ORDER BY ts) AS streamed,
             salesplan.window_funnel(w, ts, step, m ORDER BY ts, step) AS streamed2,
             salesplan.window_funnel(w, ts, step, m ORDER BY ts DESC) AS desc_order,
             salesplan.window_funnel(w, ts, step, m ORDER BY step) AS by_step
      FROM gen CROSS JOIN modes CROSS JOIN windows
      GROUP BY e, w, m) g;

-- timestamptz on the session's calendar (a day across the DST change of
-- 2024-03-10 is 23 hours) and on an explicit zone's
SET TimeZone = 'America/New_York';
SELECT count(*) AS groups,
       count(*) FILTER (WHERE streamed IS DISTINCT FROM listed) AS stream_differs,
       count(*) FILTER (WHERE zone_streamed IS DISTINCT FROM zone_listed) AS zone_stream_differs
FROM (SELECT e, w, m,
             salesplan.window_funnel(w, ts::timestamptz, step, m) AS listed,
             salesplan.window_funnel(w, ts::timestamptz, step, m ORDER BY ts::timestamptz) AS streamed,
             salesplan.window_funnel(w, ts::timestamptz, step, m, 'Europe/Paris') AS zone_listed,
             salesplan.window_funnel(w, ts::timestamptz, step, m, 'Europe/Paris' ORDER BY ts::timestamptz) AS zone_streamed
      FROM gen CROSS JOIN modes CROSS JOIN windows
      GROUP BY e, w, m) g;
SET TimeZone = 'UTC';

-- 3. Aggregates that share the ordered call's transition state: the times
-- and funnel_event_agg still get the events (no streaming for them).
SELECT count(*) AS groups,
       count(*) FILTER (WHERE lvl IS DISTINCT FROM lvl_listed) AS level_differs,
       count(*) FILTER (WHERE times IS DISTINCT FROM times_listed) AS times_differs,
       count(*) FILTER (WHERE cardinality(times) IS DISTINCT FROM lvl) AS times_not_level,
       count(*) FILTER (WHERE salesplan.funnel_level(st) IS DISTINCT FROM lvl_listed) AS state_differs
FROM (SELECT e,
             salesplan.window_funnel('1 hour', ts, step ORDER BY ts) AS lvl,
             salesplan.window_funnel_times('1 hour', ts, step ORDER BY ts) AS times,
             salesplan.funnel_event_agg('1 hour', ts, step ORDER BY ts) AS st,
             salesplan.window_funnel('1 hour', ts, step) AS lvl_listed,
             salesplan.window_funnel_times('1 hour', ts, step) AS times_listed
      FROM gen GROUP BY e) g;

-- 4. Input the plan hands over in (entity, ts) order, without ORDER BY in
-- the call: a GroupAggregate over an index on (entity, ts) (forward: the
-- streaming state; backward: the event list), an index-only scan, and a
-- sort on (entity, ts) under a GroupAggregate.  Then as a window aggregate
-- (the event list).  Every mode and window, against the hash-aggregated
-- event lists of part 2.
CREATE TEMP TABLE listed AS
SELECT e, w, m, salesplan.window_funnel(w, ts, step, m) AS lvl
FROM gen CROSS JOIN modes CROSS JOIN windows GROUP BY e, w, m;
CREATE TEMP TABLE gen_idx AS SELECT * FROM gen ORDER BY md5(e::text || ts::text || step::text);
CREATE INDEX gen_idx_e_ts ON gen_idx (e, ts);
VACUUM ANALYZE gen_idx;
SET enable_hashagg = off;
SET enable_seqscan = off;
SET enable_bitmapscan = off;
SET enable_indexonlyscan = off;
EXPLAIN (COSTS OFF)
SELECT e, salesplan.window_funnel('1 hour', ts, step) FROM gen_idx GROUP BY e;
CREATE TEMP TABLE via_index AS
SELECT w, m, x.*
FROM modes CROSS JOIN windows
CROSS JOIN LATERAL (SELECT e, salesplan.window_funnel(w, ts, step, m) AS lvl
                    FROM gen_idx GROUP BY e) x;
SELECT count(*) AS groups, count(*) FILTER (WHERE l.lvl IS DISTINCT FROM x.lvl) AS index_differs
FROM via_index x JOIN listed l USING (e, w, m);
EXPLAIN (COSTS OFF)
SELECT e, salesplan.window_funnel('1 hour', ts, step) FROM gen_idx GROUP BY e ORDER BY e DESC;
SELECT count(*) AS groups, count(*) FILTER (WHERE l.lvl IS DISTINCT FROM x.lvl) AS backward_differs
FROM (SELECT e, salesplan.window_funnel('1 hour', ts, step, 'strict_order') AS lvl
      FROM gen_idx GROUP BY e ORDER BY e DESC) x
JOIN listed l ON l.e = x.e AND l.w = '1 hour' AND l.m = 'strict_order';
-- the ORDER BY form over the same index
SELECT count(*) AS groups, count(*) FILTER (WHERE l.lvl IS DISTINCT FROM x.lvl) AS ordered_call_differs
FROM (SELECT e, salesplan.window_funnel('1 hour', ts, step, 'strict_order' ORDER BY ts) AS lvl
      FROM gen_idx GROUP BY e) x
JOIN listed l ON l.e = x.e AND l.w = '1 hour' AND l.m = 'strict_order';
RESET enable_indexonlyscan;
CREATE INDEX gen_idx_cover ON gen_idx (e, ts) INCLUDE (step);
DROP INDEX gen_idx_e_ts;
VACUUM ANALYZE gen_idx;
EXPLAIN (COSTS OFF)
SELECT e, salesplan.window_funnel('1 hour', ts, step) FROM gen_idx GROUP BY e;
SELECT count(*) AS groups, count(*) FILTER (WHERE l.lvl IS DISTINCT FROM x.lvl) AS index_only_differs
FROM (SELECT e, salesplan.window_funnel('1 day', ts, step, 'strict_deduplication') AS lvl
      FROM gen_idx GROUP BY e) x
JOIN listed l ON l.e = x.e AND l.w = '1 day' AND l.m = 'strict_deduplication';
RESET enable_seqscan;
RESET enable_bitmapscan;
DROP INDEX gen_idx_cover;
EXPLAIN (COSTS OFF)
SELECT e, salesplan.window_funnel('1 hour', ts, step)
FROM (SELECT * FROM gen_idx ORDER BY e, ts OFFSET 0) s GROUP BY e;
SELECT count(*) AS groups, count(*) FILTER (WHERE l.lvl IS DISTINCT FROM x.lvl) AS sorted_differs
FROM (SELECT e, salesplan.window_funnel('1 hour', ts, step, 'strict_increase') AS lvl
      FROM (SELECT * FROM gen_idx ORDER BY e, ts OFFSET 0) s GROUP BY e) x
JOIN listed l ON l.e = x.e AND l.w = '1 hour' AND l.m = 'strict_increase';
RESET enable_hashagg;
SELECT count(*) FILTER (WHERE w IS DISTINCT FROM g.lvl) AS window_differs
FROM (SELECT DISTINCT e, salesplan.window_funnel('1 hour', ts, step) OVER (PARTITION BY e) AS w FROM gen) x
JOIN (SELECT e, salesplan.window_funnel('1 hour', ts, step) AS lvl FROM gen GROUP BY e) g USING (e);

-- leave the database as found: every test creates the extension itself
DROP EXTENSION salesplan CASCADE;
