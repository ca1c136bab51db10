-- salesplan.window_funnel_scan and window_funnel_levels: the table-level
-- path gives the aggregate's answers (hand-computed cases, a plain-SQL
-- oracle, and the aggregate on seeded random data with ties, NULLs, window
-- edges and every mode), honours the snapshot, privileges, row-level
-- security, partitions and the filter column, and rejects bad input.
CREATE EXTENSION salesplan;
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';

-- 1. Hand-computed: the example of doc/window_funnel.md (levels 3, 2, 0, 3;
-- with strict_order 3, 1, 0, 3), plus an entity whose rows all have a NULL
-- step (level 0, as the aggregate gives a group of skipped rows) and the
-- NULL entity (its own group, level 1).
CREATE TABLE wfs_doc (opportunity_id int, stage_seq int, entered_at timestamptz);
INSERT INTO wfs_doc VALUES
  (1, 1, '2024-03-01 09:00'), (1, 2, '2024-03-04 10:00'), (1, 3, '2024-03-20 16:00'), (1, 4, '2024-04-15 11:00'),
  (2, 1, '2024-03-02 09:00'), (2, 3, '2024-03-05 12:00'), (2, 2, '2024-03-09 15:00'),
  (3, 2, '2024-03-03 08:00'), (3, 3, '2024-03-06 08:00'),
  (4, 1, '2024-01-10 09:00'), (4, 2, '2024-03-01 09:00'), (4, 1, '2024-03-02 09:00'), (4, 2, '2024-03-05 09:00'), (4, 3, '2024-03-06 09:00'),
  (5, NULL, '2024-03-01 09:00'), (5, 2, NULL),
  (NULL, 1, '2024-03-01 09:00');
SELECT entity, level
FROM salesplan.window_funnel_scan('wfs_doc', 'opportunity_id', NULL::int, 'entered_at', 'stage_seq', '30 days')
ORDER BY entity;
SELECT entity, level
FROM salesplan.window_funnel_scan('wfs_doc', 'opportunity_id', NULL::int, 'entered_at', 'stage_seq', '30 days', 'strict_order')
ORDER BY entity;
-- the histogram: level 0 twice (3 and 5), 1 once (NULL), 2 once, 3 twice
SELECT * FROM salesplan.window_funnel_levels('wfs_doc', 'opportunity_id', 'entered_at', 'stage_seq', '30 days')
ORDER BY level;
-- window edge: opportunity 1's stage 3 (03-20 16:00) is 19 days 7 hours
-- after its start; a window of exactly that keeps it, one microsecond less
-- does not
SELECT entity, level
FROM salesplan.window_funnel_scan('wfs_doc', 'opportunity_id', NULL::int, 'entered_at', 'stage_seq', '19 days 7 hours')
WHERE entity = 1;
SELECT entity, level
FROM salesplan.window_funnel_scan('wfs_doc', 'opportunity_id', NULL::int, 'entered_at', 'stage_seq', '19 days 06:59:59.999999')
WHERE entity = 1;

-- 2. Seeded random events: 3,000 entities, 0..23 events each, steps -1..5
-- (some NULL), timestamps on a 10-minute grid over 5 hours (many ties;
-- some NULL), in random physical order; a timestamp and a timestamptz copy.
SELECT setseed(0.15);
CREATE TABLE wfs_ev AS
SELECT e AS entity, (e % 7 = 0) AS keep,
       CASE WHEN random() < 0.03 THEN NULL
            ELSE timestamp '2024-01-01' + (floor(random() * 30) * 10) * interval '1 minute' END AS ts,
       CASE WHEN random() < 0.03 THEN NULL ELSE floor(random() * 7)::int - 1 END AS step
FROM generate_series(1, 3000) e, generate_series(1, (e * 7919) % 24) i
ORDER BY random();
ALTER TABLE wfs_ev ADD COLUMN tstz timestamptz;
UPDATE wfs_ev SET tstz = ts AT TIME ZONE 'UTC';
CREATE INDEX ON wfs_ev (entity, step, ts);
SELECT count(*) AS events, count(DISTINCT entity) AS entities FROM wfs_ev;

-- (a) plain-SQL oracle for the default mode: from every step-1 event,
-- follow the chain taking the earliest next-step event at or after the
-- previous one within the window of the start; an entity's level is its
-- best chain's, 0 without one
CREATE TEMP TABLE wfs_oracle AS
WITH RECURSIVE c AS (
    SELECT DISTINCT entity, ts AS start, ts AS last, 1 AS lvl
    FROM wfs_ev WHERE step = 1 AND ts IS NOT NULL
  UNION ALL
    SELECT c.entity, c.start, n.ts, c.lvl + 1
    FROM c CROSS JOIN LATERAL (
        SELECT min(e.ts) AS ts FROM wfs_ev e
        WHERE e.entity = c.entity AND e.step = c.lvl + 1
          AND e.ts >= c.last AND e.ts <= c.start + interval '2 hours') n
    WHERE n.ts IS NOT NULL
)
SELECT o.entity, coalesce(max(c.lvl), 0) AS level
FROM (SELECT DISTINCT entity FROM wfs_ev) o LEFT JOIN c USING (entity)
GROUP BY o.entity;
SELECT count(*) AS entities,
       count(*) FILTER (WHERE s.level IS DISTINCT FROM o.level) AS differ,
       count(*) FILTER (WHERE o.level >= 3) AS reached_3,
       count(*) FILTER (WHERE o.level >= 4) AS reached_4
FROM wfs_oracle o FULL JOIN
     salesplan.window_funnel_scan('wfs_ev', 'entity', NULL::int, 'ts', 'step', '2 hours') s USING (entity);

-- (b) the aggregate, for every mode and window, timestamp and timestamptz:
-- no entity differs
CREATE FUNCTION pg_temp.differ(tscol name, win interval, mode text) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE n bigint;
BEGIN
    EXECUTE format($q$
        SELECT count(*) FROM (
            SELECT entity, salesplan.window_funnel(%L::interval, %I, step, %L) AS level
            FROM wfs_ev GROUP BY entity) a
        FULL JOIN salesplan.window_funnel_scan('wfs_ev', 'entity', NULL::int, %L, 'step', %L::interval, %L) s
        USING (entity)
        WHERE a.level IS DISTINCT FROM s.level$q$, win, tscol, mode, tscol, win, mode) INTO n;
    RETURN n;
END $$;
SELECT tscol, win, mode, pg_temp.differ(tscol, win, mode) AS differ
FROM unnest(ARRAY['ts', 'tstz']::name[]) tscol,
     unnest(ARRAY['10 minutes', '2 hours', '1 day', '1 month']::interval[]) win,
     unnest(ARRAY['', 'strict_deduplication', 'strict_order', 'strict_increase',
                  'strict_order, strict_increase, strict_deduplication']) mode
ORDER BY 1, 2, 3;

-- (c) the histogram equals the aggregate's, level by level
SELECT count(*) AS levels, bool_and(a.entities = s.entities) AS same
FROM (SELECT level, count(*) AS entities
      FROM (SELECT salesplan.window_funnel('2 hours', ts, step) AS level FROM wfs_ev GROUP BY entity) x
      GROUP BY level) a
FULL JOIN salesplan.window_funnel_levels('wfs_ev', 'entity', 'ts', 'step', '2 hours') s USING (level);

-- 3. Entity types: text, bigint and uuid keys give the same levels
CREATE TABLE wfs_keys AS
SELECT 'opp-' || entity AS t, entity::bigint * 10000000000 AS b,
       md5(entity::text)::uuid AS u, ts, step FROM wfs_ev;
SELECT count(*) AS entities,
       count(*) FILTER (WHERE s.level IS DISTINCT FROM a.level) AS text_differ
FROM (SELECT 'opp-' || entity AS t, salesplan.window_funnel('2 hours', ts, step) AS level
      FROM wfs_ev GROUP BY entity) a
FULL JOIN salesplan.window_funnel_scan('wfs_keys', 't', NULL::text, 'ts', 'step', '2 hours') s ON s.entity = a.t;
SELECT count(*) FILTER (WHERE s.level IS DISTINCT FROM a.level) AS bigint_differ
FROM (SELECT entity::bigint * 10000000000 AS b, salesplan.window_funnel('2 hours', ts, step) AS level
      FROM wfs_ev GROUP BY entity) a
FULL JOIN salesplan.window_funnel_scan('wfs_keys', 'b', NULL::bigint, 'ts', 'step', '2 hours') s ON s.entity = a.b;
SELECT count(*) FILTER (WHERE s.level IS DISTINCT FROM a.level) AS uuid_differ
FROM (SELECT md5(entity::text)::uuid AS u, salesplan.window_funnel('2 hours', ts, step) AS level
      FROM wfs_ev GROUP BY entity) a
FULL JOIN salesplan.window_funnel_scan('wfs_keys', 'u', NULL::uuid, 'ts', 'step', '2 hours') s ON s.entity = a.u;
-- long text keys are stored compressed or out of line; they still group
CREATE TABLE wfs_long AS SELECT repeat(md5(entity::text), 200) AS t, ts, step FROM wfs_ev WHERE entity <= 300;
SELECT count(*) AS entities, count(*) FILTER (WHERE s.level IS DISTINCT FROM a.level) AS long_text_differ
FROM (SELECT t, salesplan.window_funnel('2 hours', ts, step) AS level FROM wfs_long GROUP BY t) a
FULL JOIN salesplan.window_funnel_scan('wfs_long', 't', NULL::text, 'ts', 'step', '2 hours') s ON s.entity = a.t;

-- ... and so do keys stored out of line without compression (read by
-- value, not by their TOAST pointer): one entity, level 3, as the aggregate
CREATE TABLE wfs_ext (t text, ts timestamp, step int);
ALTER TABLE wfs_ext ALTER COLUMN t SET STORAGE EXTERNAL;
INSERT INTO wfs_ext VALUES
  (repeat('a', 3000), '2024-01-01 00:00', 1),
  (repeat('a', 3000), '2024-01-01 00:10', 2),
  (repeat('a', 3000), '2024-01-01 00:20', 3),
  (repeat('b', 3000), '2024-01-01 00:20', 1);
SELECT length(t), left(t, 1), salesplan.window_funnel('1 hour', ts, step) FROM wfs_ext GROUP BY t ORDER BY 2;
SELECT length(entity), left(entity, 1), level
FROM salesplan.window_funnel_scan('wfs_ext', 't', NULL::text, 'ts', 'step', '1 hour') ORDER BY 2;

-- 4. Filter column: only rows where it is true, as WHERE keep would
SELECT count(*) AS entities, count(*) FILTER (WHERE s.level IS DISTINCT FROM a.level) AS filter_differ
FROM (SELECT entity, salesplan.window_funnel('2 hours', ts, step) AS level
      FROM wfs_ev WHERE keep GROUP BY entity) a
FULL JOIN salesplan.window_funnel_scan('wfs_ev', 'entity', NULL::int, 'ts', 'step', '2 hours', '', 'keep') s
USING (entity);

-- 5. Partitioned table, partitions with their columns in another order
-- and a dropped column, and a default partition
CREATE TABLE wfs_part (entity int, ts timestamp, step int) PARTITION BY RANGE (entity);
CREATE TABLE wfs_part_1 PARTITION OF wfs_part FOR VALUES FROM (1) TO (1000);
CREATE TABLE wfs_part_2 (junk int, step int, ts timestamp, entity int);
ALTER TABLE wfs_part_2 DROP COLUMN junk;
ALTER TABLE wfs_part ATTACH PARTITION wfs_part_2 FOR VALUES FROM (1000) TO (2000);
CREATE TABLE wfs_part_d PARTITION OF wfs_part DEFAULT;
INSERT INTO wfs_part SELECT entity, ts, step FROM wfs_ev;
SELECT count(*) AS entities, count(*) FILTER (WHERE s.level IS DISTINCT FROM a.level) AS partitioned_differ
FROM (SELECT entity, salesplan.window_funnel('2 hours', ts, step) AS level FROM wfs_ev GROUP BY entity) a
FULL JOIN salesplan.window_funnel_scan('wfs_part', 'entity', NULL::int, 'ts', 'step', '2 hours') s USING (entity);

-- 6. The query's snapshot: rows deleted by this transaction are gone, rows
-- it inserted are there; after the rollback everything is back
BEGIN;
DELETE FROM wfs_doc WHERE opportunity_id = 1 AND stage_seq = 3;
INSERT INTO wfs_doc VALUES (3, 1, '2024-03-02 08:00');
SELECT entity, level
FROM salesplan.window_funnel_scan('wfs_doc', 'opportunity_id', NULL::int, 'entered_at', 'stage_seq', '30 days')
WHERE entity IN (1, 3) ORDER BY entity;
ROLLBACK;
SELECT entity, level
FROM salesplan.window_funnel_scan('wfs_doc', 'opportunity_id', NULL::int, 'entered_at', 'stage_seq', '30 days')
WHERE entity IN (1, 3) ORDER BY entity;

-- 7. Privileges: SELECT on every column read, or on the table
DROP ROLE IF EXISTS wfs_analyst;
CREATE ROLE wfs_analyst;
GRANT USAGE ON SCHEMA salesplan TO wfs_analyst;
GRANT SELECT (opportunity_id, entered_at) ON wfs_doc TO wfs_analyst;
SET ROLE wfs_analyst;
\set VERBOSITY sqlstate
SELECT * FROM salesplan.window_funnel_levels('wfs_doc', 'opportunity_id', 'entered_at', 'stage_seq', '30 days');
\set VERBOSITY default
SELECT * FROM salesplan.window_funnel_levels('wfs_doc', 'opportunity_id', 'entered_at', 'stage_seq', '30 days');
RESET ROLE;
GRANT SELECT (stage_seq) ON wfs_doc TO wfs_analyst;
SET ROLE wfs_analyst;
SELECT * FROM salesplan.window_funnel_levels('wfs_doc', 'opportunity_id', 'entered_at', 'stage_seq', '30 days')
ORDER BY level;
-- the filter column is read too
RESET ROLE;
GRANT SELECT (entity, ts, step) ON wfs_ev TO wfs_analyst;
SET ROLE wfs_analyst;
SELECT count(*) FROM salesplan.window_funnel_levels('wfs_ev', 'entity', 'ts', 'step', '2 hours');
SELECT * FROM salesplan.window_funnel_levels('wfs_ev', 'entity', 'ts', 'step', '2 hours', '', 'keep');
RESET ROLE;
-- and USAGE on the table's schema, as a SELECT naming it would
CREATE SCHEMA wfs_private;
CREATE TABLE wfs_private.ev AS SELECT * FROM wfs_doc;
GRANT SELECT ON wfs_private.ev TO wfs_analyst;
SELECT 'wfs_private.ev'::regclass::oid AS wfs_private_ev \gset
SET ROLE wfs_analyst;
\set VERBOSITY sqlstate
SELECT * FROM salesplan.window_funnel_levels(:wfs_private_ev::oid::regclass,
    'opportunity_id', 'entered_at', 'stage_seq', '30 days');
\set VERBOSITY default
RESET ROLE;
DROP SCHEMA wfs_private CASCADE;

-- 8. Row-level security active for the caller: refused (the owner, to
-- whom it does not apply, can still use the function)
ALTER TABLE wfs_doc ENABLE ROW LEVEL SECURITY;
CREATE POLICY wfs_doc_some ON wfs_doc FOR SELECT USING (opportunity_id < 3);
SET ROLE wfs_analyst;
\set VERBOSITY sqlstate
SELECT * FROM salesplan.window_funnel_levels('wfs_doc', 'opportunity_id', 'entered_at', 'stage_seq', '30 days');
\set VERBOSITY default
SELECT * FROM salesplan.window_funnel_levels('wfs_doc', 'opportunity_id', 'entered_at', 'stage_seq', '30 days');
-- the aggregate goes through the executor and its policies
SELECT opportunity_id, salesplan.window_funnel('30 days', entered_at, stage_seq)
FROM wfs_doc GROUP BY 1 ORDER BY 1;
RESET ROLE;
SELECT count(*) AS owner_entities
FROM salesplan.window_funnel_scan('wfs_doc', 'opportunity_id', NULL::int, 'entered_at', 'stage_seq', '30 days');
ALTER TABLE wfs_doc DISABLE ROW LEVEL SECURITY;

-- 9. Errors, with their SQLSTATE
CREATE VIEW wfs_view AS SELECT * FROM wfs_doc;
CREATE TABLE wfs_bad (entity numeric, d date, step int, big int, flag int);
INSERT INTO wfs_bad VALUES (1, '2024-01-01', 10001, 1, 1);
ALTER TABLE wfs_bad ADD COLUMN ts timestamp DEFAULT '2024-01-01';
\set VERBOSITY sqlstate
SELECT * FROM salesplan.window_funnel_levels('wfs_view', 'opportunity_id', 'entered_at', 'stage_seq', '30 days');
SELECT * FROM salesplan.window_funnel_levels('wfs_doc', 'nope', 'entered_at', 'stage_seq', '30 days');
SELECT * FROM salesplan.window_funnel_levels('wfs_doc', 'opportunity_id', 'entered_at', 'stage_seq', '30 days', 'bogus');
SELECT * FROM salesplan.window_funnel_levels('wfs_doc', 'opportunity_id', 'entered_at', 'stage_seq', '-1 day');
SELECT * FROM salesplan.window_funnel_levels('wfs_doc', 'opportunity_id', 'entered_at', 'stage_seq', NULL);
SELECT * FROM salesplan.window_funnel_levels('wfs_doc', 'opportunity_id', 'entered_at', NULL, '30 days');
SELECT * FROM salesplan.window_funnel_levels('wfs_doc', 'opportunity_id', 'entered_at', 'stage_seq', '30 days', NULL);
SELECT * FROM salesplan.window_funnel_scan('wfs_doc', 'opportunity_id', NULL::bigint, 'entered_at', 'stage_seq', '30 days');
SELECT * FROM salesplan.window_funnel_levels('wfs_bad', 'entity', 'ts', 'step', '30 days');
SELECT * FROM salesplan.window_funnel_levels('wfs_bad', 'big', 'd', 'step', '30 days');
SELECT * FROM salesplan.window_funnel_levels('wfs_bad', 'big', 'ts', 'step', '30 days');
SELECT * FROM salesplan.window_funnel_levels('wfs_bad', 'big', 'ts', 'big', '30 days', '', 'flag');
SELECT * FROM salesplan.window_funnel_levels(0::oid::regclass, 'big', 'ts', 'big', '30 days');
\set VERBOSITY default
SELECT * FROM salesplan.window_funnel_levels('wfs_view', 'opportunity_id', 'entered_at', 'stage_seq', '30 days');
SELECT * FROM salesplan.window_funnel_scan('wfs_doc', 'opportunity_id', NULL::bigint, 'entered_at', 'stage_seq', '30 days');
SELECT * FROM salesplan.window_funnel_levels('wfs_bad', 'entity', 'ts', 'step', '30 days');

-- 10. Not executable in parallel workers (it scans by itself)
SELECT p.oid::regprocedure, p.proparallel, p.provolatile
FROM pg_proc p WHERE p.proname IN ('window_funnel_scan', 'window_funnel_levels') ORDER BY 1;

-- 11. The sort of one large entity notices a cancel.  Entity 1 has 5000
-- events, event i at minute i with step i % 4 + 1, stored in a scrambled
-- order (so its slice is sorted); entity 2 has 100 such events.  With a
-- 1-day window both reach level 4 (1@0, 2@1, 3@2, 4@3).  The debug
-- setting raises a query cancel as the sort of a slice of 4096 events or
-- more starts: the cancel is reported from inside the sort (the CONTEXT
-- line), not after it; a small slice is not affected.
CREATE TABLE wfs_sort (entity int, ts timestamp, step int,
                       small boolean GENERATED ALWAYS AS (entity = 2) STORED);
INSERT INTO wfs_sort (entity, ts, step)
SELECT 1, timestamp '2024-01-01' + i * interval '1 minute', i % 4 + 1
FROM generate_series(0, 4999) i ORDER BY hashint4(i);
INSERT INTO wfs_sort (entity, ts, step)
SELECT 2, timestamp '2024-01-01' + i * interval '1 minute', i % 4 + 1
FROM generate_series(0, 99) i ORDER BY hashint4(i);
SET salesplan.debug_cancel_in_sort = on;
SELECT * FROM salesplan.window_funnel_levels('wfs_sort', 'entity', 'ts', 'step', '1 day');
SELECT * FROM salesplan.window_funnel_levels('wfs_sort', 'entity', 'ts', 'step', '1 day', '', 'small');
RESET salesplan.debug_cancel_in_sort;
SELECT * FROM salesplan.window_funnel_levels('wfs_sort', 'entity', 'ts', 'step', '1 day');

DROP TABLE wfs_doc, wfs_ev, wfs_keys, wfs_long, wfs_ext, wfs_part, wfs_bad, wfs_sort CASCADE;
DROP OWNED BY wfs_analyst;
DROP ROLE wfs_analyst;
DROP EXTENSION salesplan;
