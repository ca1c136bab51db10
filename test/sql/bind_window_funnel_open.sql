-- Bound window funnels say which windows are still open (review MEDIUM
-- bind_window_funnel_open_windows): an entity that reached a step less than
-- `within` ago may still advance, so the naive conversion reads low on a
-- recent period.  The view adds open_in_window (reached this step, not the
-- next, window still open), reached_closed (reached this step, window
-- closed) and conversion_probability (advanced / reached over closed
-- windows); _entities adds window_open.  Checked by hand and against plain
-- SQL over the same rows.  "Now" is the real clock: the data are placed
-- days away from any window's end.
CREATE EXTENSION salesplan;
SET DateStyle = 'ISO, YMD';
SET TimeZone = 'UTC';
SET extra_float_digits = 0;
SET jit = off;
CREATE SCHEMA wo;
CREATE SCHEMA worep;
CREATE TABLE wo.opp (id int PRIMARY KEY, created date);
CREATE TABLE wo.hist (opp int, at timestamp, stage int);
-- cohort A (created 40 days ago): 1-10 with history, 25 without; cohort B
-- (3 days ago): 21-24; cohort C (2 days ago): 11-20
INSERT INTO wo.opp SELECT g, CASE WHEN g <= 10 OR g = 25 THEN current_date - 40 WHEN g >= 21 THEN current_date - 3 ELSE current_date - 2 END
FROM generate_series(1, 25) AS g;
-- step 1 at 09:00 on the created day for 1-24
INSERT INTO wo.hist SELECT o.id, o.created + time '09:00', 1 FROM wo.opp o WHERE o.id <= 24;
-- A: 1-5 reach step 2 after 10 days, 1-2 step 3 after 20 days (windows closed)
INSERT INTO wo.hist SELECT g, (current_date - 40) + time '09:00' + interval '10 days', 2 FROM generate_series(1, 5) AS g;
INSERT INTO wo.hist SELECT g, (current_date - 40) + time '09:00' + interval '20 days', 3 FROM generate_series(1, 2) AS g;
-- B: 21 and 22 reach step 2 the next day, 21 step 3 the day after (windows open)
-- A: 26 reached step 2 after 10 days (closed), then came back to step 1
-- yesterday: a fresh chain, so its window is open again (it may still reach
-- step 3)
INSERT INTO wo.opp VALUES (26, current_date - 40);
INSERT INTO wo.hist VALUES (26, (current_date - 40) + time '09:00', 1), (26, (current_date - 30) + time '09:00', 2),
                           (26, (current_date - 1) + time '09:00', 1);
INSERT INTO wo.hist VALUES (21, (current_date - 3) + time '09:00' + interval '1 day', 2),
                           (22, (current_date - 3) + time '09:00' + interval '1 day', 2),
                           (21, (current_date - 3) + time '09:00' + interval '2 days', 3);

SELECT * FROM salesplan.bind_window_funnel('wof', 'worep', 'wo.hist', 'opp', 'at', 'stage', within => '30 days', stages => 3,
    entity_table => 'wo.opp', entity_key => 'id', period_column => 'created', period => 'day');

-- by hand, per cohort (days before today) and step:
--   A: step 1 reached 11, advanced 6, open 0, closed 10 (26 open), 5/10;
--      step 2 reached 6, advanced 2, open 1 (26), closed 5, 2/5; step 3 2
--   B: step 1 reached 4, advanced 2, open 2 (23, 24), closed 0, NULL;
--      step 2 reached 2, advanced 1, open 1 (22), closed 0, NULL; step 3 1
--   C: step 1 reached 10, advanced 0, open 10, closed 0, NULL;
--      step 2 reached 0, open 0, closed 0; step 3 reached 0
SELECT current_date - v.period AS days_ago, v.step, v.entities, v.reached, v.advanced, v.conversion,
       v.open_in_window, v.reached_closed, v.conversion_probability
FROM worep.wof v ORDER BY v.period, v.step;
SELECT (current_date - v.period, v.step, v.reached, v.advanced, v.open_in_window, v.reached_closed, v.conversion_probability)
       IS NOT DISTINCT FROM (h.days_ago, h.step, h.reached, h.advanced, h.open_in_window, h.reached_closed, h.conversion_probability) AS as_by_hand,
       count(*)
FROM worep.wof v
JOIN (VALUES (40, 1, 11::int8, 6::int8, 0::int8, 10::int8, 0.5::float8), (40, 2, 6, 2, 1, 5, 0.4), (40, 3, 2, NULL, NULL, NULL, NULL),
             (3, 1, 4, 2, 2, 0, NULL), (3, 2, 2, 1, 1, 0, NULL), (3, 3, 1, NULL, NULL, NULL, NULL),
             (2, 1, 10, 0, 10, 0, NULL), (2, 2, 0, 0, 0, 0, NULL), (2, 3, 0, NULL, NULL, NULL, NULL))
     AS h (days_ago, step, reached, advanced, open_in_window, reached_closed, conversion_probability)
  ON h.days_ago = current_date - v.period AND h.step = v.step
GROUP BY 1 ORDER BY 1;

-- plain SQL: each entity's level (from its first step-1 event: 26's later
-- one reaches no further; step k + 1 counts when after step k and within 30
-- days of step 1) and whether its window is open: its LATEST step-1 event +
-- 30 days later than now in UTC (the binding's zone); then per period and
-- step
CREATE TEMP VIEW plain AS
WITH e AS MATERIALIZED (
    SELECT o.id, o.created AS period, s1.at AS t1,
           CASE WHEN s1.at IS NULL THEN 0
                WHEN s2.at IS NULL THEN 1
                WHEN EXISTS (SELECT FROM wo.hist h WHERE h.opp = o.id AND h.stage = 3 AND h.at >= s2.at AND h.at <= s1.at + interval '30 days') THEN 3
                ELSE 2 END AS level,
           s1.at IS NOT NULL AND s1.last + interval '30 days' > (now() AT TIME ZONE 'UTC') AS open
    FROM wo.opp o
    LEFT JOIN LATERAL (SELECT min(h.at) AS at, max(h.at) AS last FROM wo.hist h WHERE h.opp = o.id AND h.stage = 1) s1 ON true
    LEFT JOIN LATERAL (SELECT min(h.at) AS at FROM wo.hist h WHERE h.opp = o.id AND h.stage = 2 AND h.at >= s1.at
                       AND h.at <= s1.at + interval '30 days') s2 ON true)
SELECT e.period, k AS step,
       count(*) FILTER (WHERE e.level >= k) AS reached,
       CASE WHEN k < 3 THEN count(*) FILTER (WHERE e.level >= k + 1) END AS advanced,
       CASE WHEN k < 3 THEN count(*) FILTER (WHERE e.level = k AND e.open) END AS open_in_window,
       CASE WHEN k < 3 THEN count(*) FILTER (WHERE e.level >= k AND NOT e.open) END AS reached_closed,
       CASE WHEN k < 3 THEN (count(*) FILTER (WHERE e.level >= k + 1 AND NOT e.open))::float8
                            / NULLIF(count(*) FILTER (WHERE e.level >= k AND NOT e.open), 0) END AS conversion_probability
FROM e CROSS JOIN generate_series(1, 3) AS k
GROUP BY e.period, k;
SELECT 'view - plain' AS diff, count(*) FROM (
    SELECT period, step, reached, advanced, open_in_window, reached_closed, conversion_probability FROM worep.wof
    EXCEPT SELECT * FROM plain) d
UNION ALL
SELECT 'plain - view', count(*) FROM (
    SELECT * FROM plain
    EXCEPT SELECT period, step, reached, advanced, open_in_window, reached_closed, conversion_probability FROM worep.wof) d;

-- the entities: window_open against plain SQL (23 and 24 reached step 1
-- three days ago: open; 25 has no history: false; 26 came back yesterday:
-- open)
SELECT count(*) AS entities,
       count(*) FILTER (WHERE v.window_open IS DISTINCT FROM coalesce(
           (SELECT max(h.at) + interval '30 days' > (now() AT TIME ZONE 'UTC') FROM wo.hist h WHERE h.opp = v.id AND h.stage = 1),
           false)) AS differ
FROM worep.wof_entities v;
SELECT id, level, window_open FROM worep.wof_entities WHERE id IN (1, 21, 23, 25, 26) ORDER BY id;

-- the comments say which rates are naive and which censoring-aware
SELECT a.attname, split_part(col_description(a.attrelid, a.attnum), ':', 1) AS kind
FROM pg_attribute a
WHERE a.attrelid = 'worep.wof'::regclass AND a.attname IN ('conversion', 'cumulative', 'open_in_window', 'reached_closed', 'conversion_probability')
ORDER BY a.attnum;

-- materialized: the same numbers (as of the refresh)
SELECT * FROM salesplan.bind_window_funnel('wom', 'worep', 'wo.hist', 'opp', 'at', 'stage', within => '30 days', stages => 3,
    entity_table => 'wo.opp', entity_key => 'id', period_column => 'created', period => 'day', materialized => true);
SELECT count(*) AS rows_differing FROM (
    SELECT period, step, reached, advanced, open_in_window, reached_closed, conversion_probability FROM worep.wom
    EXCEPT SELECT period, step, reached, advanced, open_in_window, reached_closed, conversion_probability FROM worep.wof) d;

SELECT * FROM salesplan.unbind('wof');
SELECT * FROM salesplan.unbind('wom');
DROP SCHEMA worep CASCADE;
DROP SCHEMA wo CASCADE;
-- leave the database as found: every test creates the extension itself
SET client_min_messages = warning;
DROP EXTENSION salesplan CASCADE;
