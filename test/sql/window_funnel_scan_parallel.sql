-- window_funnel_scan and window_funnel_levels in parallel: with workers
-- allowed (max_parallel_workers_per_gather) and a table at least
-- min_parallel_table_scan_size large, the function scans with workers (the
-- DEBUG line says how many are planned), and its answers equal the serial
-- path's row for row, over integer and text keys, a partitioned table, a
-- filter column, every mode and without the leader's participation; the
-- serial answers are checked against the aggregate grouped by the entity.
-- Temporary tables, small tables and workers disallowed stay serial.
CREATE EXTENSION salesplan;
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;

-- 4000 entities with 2..24 events each over 3 days, steps -1..5, about 2%
-- NULL steps, 1% NULL timestamps, equal timestamps (minutes), an entity
-- whose rows are all NULL steps (level 0) and a NULL entity; "keep" is
-- false on about a third of the rows.
CREATE TABLE wfp_int (e bigint, ts timestamp, step int, keep boolean);
INSERT INTO wfp_int
SELECT e,
       CASE WHEN (hashint4(e * 1000 + j + 3) & 2147483647) % 100 = 0 THEN NULL
            ELSE timestamp '2024-01-01' + ((hashint4(e * 1000 + j) & 2147483647) % 4320) * interval '1 minute' END,
       CASE WHEN (hashint4(e * 1000 + j + 7) & 2147483647) % 50 = 0 THEN NULL
            ELSE (hashint4(e * 7919 + j) & 2147483647) % 7 - 1 END,
       (hashint4(e * 31 + j) & 2147483647) % 3 <> 0
FROM generate_series(1, 4000) e,
     generate_series(1, 2 + (hashint4(e) & 2147483647) % 23) j;
INSERT INTO wfp_int VALUES (5000, '2024-01-01', NULL, true), (5000, '2024-01-02', NULL, true),
                           (NULL, '2024-01-01', 1, true), (NULL, '2024-01-01 00:10', 2, true);
SELECT count(*) AS events, count(DISTINCT e) AS entities,
       pg_relation_size('wfp_int') >= 8 * 8192 AS several_blocks
FROM wfp_int;

-- The same rows with text keys; every 500th entity's key is 3000 characters
-- long and stored compressed in line.
CREATE TABLE wfp_text (e text, ts timestamp, step int, keep boolean);
INSERT INTO wfp_text
SELECT CASE WHEN e % 500 = 0 THEN repeat('k' || e, 600) ELSE 'deal-' || e END, ts, step, keep
FROM wfp_int;
SELECT count(*) FILTER (WHERE pg_column_compression(e) IS NOT NULL) > 0 AS some_compressed
FROM wfp_text;

-- Partitioned: three leaves, one with another column order and a dropped
-- column, plus the default leaf (entities >= 3000 and the NULL entity).
CREATE TABLE wfp_part (e bigint, ts timestamp, step int, keep boolean) PARTITION BY RANGE (e);
CREATE TABLE wfp_part_1 PARTITION OF wfp_part FOR VALUES FROM (1) TO (1000);
CREATE TABLE wfp_part_2 (junk int, step int, keep boolean, ts timestamp, e bigint);
ALTER TABLE wfp_part_2 DROP COLUMN junk;
ALTER TABLE wfp_part ATTACH PARTITION wfp_part_2 FOR VALUES FROM (1000) TO (3000);
CREATE TABLE wfp_part_d PARTITION OF wfp_part DEFAULT;
INSERT INTO wfp_part SELECT * FROM wfp_int;

-- The serial answers (and the aggregate's, for the integer table).
SET max_parallel_workers_per_gather = 0;
CREATE TEMP TABLE ser AS
SELECT 'int ' || m AS run, entity::text AS entity, level
FROM unnest(ARRAY['', 'strict_order', 'strict_deduplication', 'strict_increase']) m,
     salesplan.window_funnel_scan('wfp_int', 'e', NULL::bigint, 'ts', 'step', '1 day', m)
UNION ALL
SELECT 'int filter', entity::text, level
FROM salesplan.window_funnel_scan('wfp_int', 'e', NULL::bigint, 'ts', 'step', '1 day', '', 'keep')
UNION ALL
SELECT 'text', entity, level
FROM salesplan.window_funnel_scan('wfp_text', 'e', NULL::text, 'ts', 'step', '1 day')
UNION ALL
SELECT 'part', entity::text, level
FROM salesplan.window_funnel_scan('wfp_part', 'e', NULL::bigint, 'ts', 'step', '1 day');
CREATE TEMP TABLE ser_levels AS
SELECT 'int' AS run, * FROM salesplan.window_funnel_levels('wfp_int', 'e', 'ts', 'step', '1 day')
UNION ALL
SELECT 'text filter', * FROM salesplan.window_funnel_levels('wfp_text', 'e', 'ts', 'step', '1 day', 'strict_order', 'keep')
UNION ALL
SELECT 'part', * FROM salesplan.window_funnel_levels('wfp_part', 'e', 'ts', 'step', '1 day');
-- serial = aggregate
SELECT count(*) AS rows,
       count(*) FILTER (WHERE s.level IS DISTINCT FROM a.level) AS differ
FROM (SELECT entity, level FROM ser WHERE run = 'int ') s
FULL JOIN (SELECT e::text AS entity, salesplan.window_funnel('1 day', ts, step) AS level
           FROM wfp_int GROUP BY e) a
  ON coalesce(s.entity, 'null') = coalesce(a.entity, 'null');
SELECT count(*) AS rows,
       count(*) FILTER (WHERE s.level IS DISTINCT FROM a.level) AS differ
FROM (SELECT entity, level FROM ser WHERE run = 'int filter') s
FULL JOIN (SELECT e::text AS entity, salesplan.window_funnel('1 day', ts, step) AS level
           FROM wfp_int WHERE keep GROUP BY e) a
  ON coalesce(s.entity, 'null') = coalesce(a.entity, 'null');

-- Forced parallel: two workers planned (the DEBUG line), the same rows.
SET max_parallel_workers_per_gather = 2;
SET min_parallel_table_scan_size = 0;
CREATE TEMP TABLE agg_levels AS
SELECT level, count(*) AS entities
FROM (SELECT salesplan.window_funnel('1 day', ts, step) AS level FROM wfp_int GROUP BY e) a
GROUP BY level;
SET client_min_messages = debug1;
SELECT p.level, p.entities, p.entities = a.entities AS as_aggregate
FROM salesplan.window_funnel_levels('wfp_int', 'e', 'ts', 'step', '1 day') p
FULL JOIN agg_levels a USING (level) ORDER BY level;
RESET client_min_messages;
CREATE TEMP TABLE par AS
SELECT 'int ' || m AS run, entity::text AS entity, level
FROM unnest(ARRAY['', 'strict_order', 'strict_deduplication', 'strict_increase']) m,
     salesplan.window_funnel_scan('wfp_int', 'e', NULL::bigint, 'ts', 'step', '1 day', m)
UNION ALL
SELECT 'int filter', entity::text, level
FROM salesplan.window_funnel_scan('wfp_int', 'e', NULL::bigint, 'ts', 'step', '1 day', '', 'keep')
UNION ALL
SELECT 'text', entity, level
FROM salesplan.window_funnel_scan('wfp_text', 'e', NULL::text, 'ts', 'step', '1 day')
UNION ALL
SELECT 'part', entity::text, level
FROM salesplan.window_funnel_scan('wfp_part', 'e', NULL::bigint, 'ts', 'step', '1 day');
CREATE TEMP TABLE par_levels AS
SELECT 'int' AS run, * FROM salesplan.window_funnel_levels('wfp_int', 'e', 'ts', 'step', '1 day')
UNION ALL
SELECT 'text filter', * FROM salesplan.window_funnel_levels('wfp_text', 'e', 'ts', 'step', '1 day', 'strict_order', 'keep')
UNION ALL
SELECT 'part', * FROM salesplan.window_funnel_levels('wfp_part', 'e', 'ts', 'step', '1 day');
SELECT run, count(*) AS rows, count(*) FILTER (WHERE entity IS NULL) AS null_entity,
       (SELECT count(*) FROM (SELECT * FROM ser WHERE ser.run = p.run EXCEPT ALL
                              SELECT * FROM par WHERE par.run = p.run) x) AS only_serial,
       (SELECT count(*) FROM (SELECT * FROM par WHERE par.run = p.run EXCEPT ALL
                              SELECT * FROM ser WHERE ser.run = p.run) x) AS only_parallel
FROM par p GROUP BY run ORDER BY run;
SELECT run, sum(entities) AS entities,
       (SELECT count(*) FROM (SELECT * FROM ser_levels s WHERE s.run = p.run EXCEPT ALL
                              SELECT * FROM par_levels q WHERE q.run = p.run) x) AS only_serial,
       (SELECT count(*) FROM (SELECT * FROM par_levels q WHERE q.run = p.run EXCEPT ALL
                              SELECT * FROM ser_levels s WHERE s.run = p.run) x) AS only_parallel
FROM par_levels p GROUP BY run ORDER BY run;

-- Without the leader's participation: the workers alone, the same rows.
SET parallel_leader_participation = off;
CREATE TEMP TABLE par_workers AS
SELECT * FROM salesplan.window_funnel_scan('wfp_text', 'e', NULL::text, 'ts', 'step', '1 day');
SELECT (SELECT count(*) FROM par_workers) AS rows,
       (SELECT count(*) FROM (SELECT entity, level FROM ser WHERE run = 'text' EXCEPT ALL
                              SELECT entity, level FROM par_workers) x) AS only_serial,
       (SELECT count(*) FROM (SELECT entity, level FROM par_workers EXCEPT ALL
                              SELECT entity, level FROM ser WHERE run = 'text') x) AS only_parallel;
RESET parallel_leader_participation;

-- Rows inserted by the transaction itself are seen by the workers too
-- (they share its snapshot): entity 6000 reaches 3.
BEGIN;
INSERT INTO wfp_int VALUES (6000, '2024-01-01 00:00', 1, true), (6000, '2024-01-01 00:01', 2, true),
                           (6000, '2024-01-01 00:02', 3, true);
SET LOCAL client_min_messages = debug1;
SELECT * FROM salesplan.window_funnel_scan('wfp_int', 'e', NULL::bigint, 'ts', 'step', '1 day') WHERE entity = 6000;
ROLLBACK;

-- Serial: a temporary table (workers cannot read it), a table smaller than
-- min_parallel_table_scan_size, and no workers allowed: no DEBUG line.
SET client_min_messages = debug1;
CREATE TEMP TABLE wfp_temp AS SELECT * FROM wfp_int WHERE e <= 100;
SELECT sum(entities) FROM salesplan.window_funnel_levels('wfp_temp', 'e', 'ts', 'step', '1 day');
RESET min_parallel_table_scan_size;
SELECT sum(entities) FROM salesplan.window_funnel_levels('wfp_int', 'e', 'ts', 'step', '1 day');
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 0;
SELECT sum(entities) FROM salesplan.window_funnel_levels('wfp_int', 'e', 'ts', 'step', '1 day');
RESET client_min_messages;

-- Shared memory is bounded (doc/window_funnel.md, "Memory of the parallel
-- scan"): work_mem x hash_mem_multiplier per participant.  With work_mem
-- 64kB the budget (3 x 128 kB) is far below what the 50,000-odd records of
-- wfp_text need, so the function stays serial (the DEBUG line says why) and
-- gives the serial rows.
SET max_parallel_workers_per_gather = 2;
SET work_mem = '64kB';
CREATE TEMP TABLE small_budget (entity text, level int);
SET client_min_messages = debug1;
INSERT INTO small_budget
SELECT * FROM salesplan.window_funnel_scan('wfp_text', 'e', NULL::text, 'ts', 'step', '1 day');
RESET client_min_messages;
SELECT (SELECT count(*) FROM small_budget) AS rows,
       (SELECT count(*) FROM (SELECT entity, level FROM ser WHERE run = 'text' EXCEPT ALL
                              SELECT entity, level FROM small_budget) x) AS only_serial,
       (SELECT count(*) FROM (SELECT entity, level FROM small_budget EXCEPT ALL
                              SELECT entity, level FROM ser WHERE run = 'text') x) AS only_parallel;
RESET work_mem;

-- The estimate comes from the table's statistics; when they are stale the
-- shared memory area itself is limited to the budget: the participants stop
-- when it is full and the function scans serially.  wfp_stale was analyzed
-- with 1,000 live rows in 64 pages (9,000 deleted, not vacuumed), then grew
-- to 71,000 rows in about 8 times the pages: estimated at 1000 / 64 rows
-- per page, the records seem to fit in the budget of 3 x 600 kB, while the
-- 71,000 records take 71,000 x 24 bytes = 1.7 MB.  Levels = the aggregate's.
CREATE TABLE wfp_stale (e int, ts timestamp, step int) WITH (autovacuum_enabled = off);
INSERT INTO wfp_stale
SELECT i % 2000, timestamp '2024-01-01' + ((hashint4(i) & 2147483647) % 4320) * interval '1 minute',
       (hashint4(i + 7) & 2147483647) % 6 - 1
FROM generate_series(1, 10000) i;
DELETE FROM wfp_stale WHERE e >= 200;
ANALYZE wfp_stale;
INSERT INTO wfp_stale
SELECT i % 2000, timestamp '2024-01-01' + ((hashint4(i) & 2147483647) % 4320) * interval '1 minute',
       (hashint4(i + 7) & 2147483647) % 6 - 1
FROM generate_series(10001, 80000) i;
SELECT c.reltuples AS analyzed_rows, c.relpages AS analyzed_pages,
       (SELECT count(*) FROM wfp_stale) AS rows, pg_relation_size('wfp_stale') / 8192 AS pages
FROM pg_class c WHERE c.oid = 'wfp_stale'::regclass;
CREATE TEMP TABLE stale_agg AS
SELECT level, count(*) AS entities
FROM (SELECT salesplan.window_funnel('1 day', ts, step) AS level FROM wfp_stale GROUP BY e) a
GROUP BY level;
SET work_mem = '300kB';
SET client_min_messages = debug1;
SELECT p.level, p.entities, p.entities = a.entities AS as_aggregate
FROM salesplan.window_funnel_levels('wfp_stale', 'e', 'ts', 'step', '1 day') p
FULL JOIN stale_agg a USING (level) ORDER BY level;
CREATE TEMP TABLE stale_scan (entity int, level int);
INSERT INTO stale_scan
SELECT * FROM salesplan.window_funnel_scan('wfp_stale', 'e', NULL::int, 'ts', 'step', '1 day');
RESET client_min_messages;
RESET work_mem;
SELECT count(*) AS rows, count(*) FILTER (WHERE s.level IS DISTINCT FROM a.level) AS differ
FROM stale_scan s
FULL JOIN (SELECT e, salesplan.window_funnel('1 day', ts, step) AS level FROM wfp_stale GROUP BY e) a
  ON a.e = s.entity;

-- Shared memory running out after the budget check (calls started at the
-- same moment on a small /dev/shm each see the same free space; the
-- parallel context's segment cannot be created, or the DSA area cannot
-- grow, in the leader or in a worker: PostgreSQL raises 53100 disk_full):
-- the parallel attempt is rolled back (an internal subtransaction) and the
-- serial path answers, with a DEBUG line naming the fallback.  The
-- superuser-only test setting salesplan.debug_shm_full raises that error
-- where the leader creates the segment ('create') or where a worker's area
-- grows ('grow').  Levels = the aggregate's histogram (agg_levels); rows =
-- the aggregate grouped by the entity.
SET max_parallel_workers_per_gather = 2;
CREATE TEMP TABLE shm_text (entity text, level int);
CREATE TEMP TABLE shm_part (entity bigint, level int);
SET salesplan.debug_shm_full = 'create';
SET client_min_messages = debug1;
SELECT p.level, p.entities, p.entities = a.entities AS as_aggregate
FROM salesplan.window_funnel_levels('wfp_int', 'e', 'ts', 'step', '1 day') p
FULL JOIN agg_levels a USING (level) ORDER BY level;
SET salesplan.debug_shm_full = 'grow';
SELECT p.level, p.entities, p.entities = a.entities AS as_aggregate
FROM salesplan.window_funnel_levels('wfp_int', 'e', 'ts', 'step', '1 day') p
FULL JOIN agg_levels a USING (level) ORDER BY level;
INSERT INTO shm_text
SELECT * FROM salesplan.window_funnel_scan('wfp_text', 'e', NULL::text, 'ts', 'step', '1 day');
SET parallel_leader_participation = off;
INSERT INTO shm_part
SELECT * FROM salesplan.window_funnel_scan('wfp_part', 'e', NULL::bigint, 'ts', 'step', '1 day', '', 'keep');
RESET parallel_leader_participation;
RESET client_min_messages;
SELECT count(*) AS rows, count(*) FILTER (WHERE s.level IS DISTINCT FROM a.level) AS differ
FROM shm_text s
FULL JOIN (SELECT e, salesplan.window_funnel('1 day', ts, step) AS level FROM wfp_text GROUP BY e) a
  ON coalesce(a.e, 'null') = coalesce(s.entity, 'null');
SELECT count(*) AS rows, count(*) FILTER (WHERE s.level IS DISTINCT FROM a.level) AS differ
FROM shm_part s
FULL JOIN (SELECT e, salesplan.window_funnel('1 day', ts, step) AS level FROM wfp_part WHERE keep GROUP BY e) a
  ON coalesce(a.e, -1) = coalesce(s.entity, -1);

-- In a transaction block, after a savepoint: the fallback rolls back only
-- its own subtransaction.  The rows the transaction inserted stay, and the
-- serial path sees them (entity 6000 reaches 3), and the transaction goes
-- on to its savepoint and its end.
BEGIN;
INSERT INTO wfp_int VALUES (6000, '2024-01-01 00:00', 1, true), (6000, '2024-01-01 00:01', 2, true),
                           (6000, '2024-01-01 00:02', 3, true);
SAVEPOINT before_scan;
SET LOCAL client_min_messages = debug1;
SELECT * FROM salesplan.window_funnel_scan('wfp_int', 'e', NULL::bigint, 'ts', 'step', '1 day') WHERE entity = 6000;
RESET client_min_messages;
SELECT count(*) AS inserted FROM wfp_int WHERE e = 6000;
ROLLBACK TO SAVEPOINT before_scan;
SELECT count(*) AS inserted FROM wfp_int WHERE e = 6000;
ROLLBACK;
RESET salesplan.debug_shm_full;

-- The estimate counts only the rows the filter keeps (the share of true in
-- the filter column's statistics).  wfp_rare: the rows of wfp_int, keep
-- true on entities divisible by 10 (about 10%).  With work_mem 350kB the
-- budget is 3 x 700 kB = 2.1 MB: the records of all its ~52,000 rows
-- (24 bytes each, with integer keys) plus the writers' chunks (about
-- 1.25 MB) are over it, a tenth of them is not: the call without the
-- filter stays serial, the one with it runs in parallel; levels = the
-- aggregate over the kept rows.
CREATE TABLE wfp_rare AS SELECT e, ts, step, e % 10 = 0 AS keep FROM wfp_int;
ANALYZE wfp_rare;
CREATE TEMP TABLE rare_agg AS
SELECT level, count(*) AS entities
FROM (SELECT salesplan.window_funnel('1 day', ts, step) AS level FROM wfp_rare WHERE keep GROUP BY e) a
GROUP BY level;
SET work_mem = '350kB';
SET client_min_messages = debug1;
SELECT sum(entities) AS entities FROM salesplan.window_funnel_levels('wfp_rare', 'e', 'ts', 'step', '1 day');
SELECT p.level, p.entities, p.entities = a.entities AS as_aggregate
FROM salesplan.window_funnel_levels('wfp_rare', 'e', 'ts', 'step', '1 day', '', 'keep') p
FULL JOIN rare_agg a USING (level) ORDER BY level;
RESET client_min_messages;
RESET work_mem;

-- Any other error of the parallel attempt is the query's, unchanged: a
-- cancel noticed while an entity of 5000 scrambled events is sorted (in the
-- leader or in a worker, the same message) is not turned into a serial
-- scan.
CREATE TABLE wfp_sort (e int, ts timestamp, step int);
INSERT INTO wfp_sort
SELECT 1, timestamp '2024-01-01' + i * interval '1 minute', i % 4 + 1
FROM generate_series(0, 4999) i ORDER BY hashint4(i);
SET salesplan.debug_cancel_in_sort = on;
SET client_min_messages = debug1;
\set VERBOSITY terse
SELECT * FROM salesplan.window_funnel_levels('wfp_sort', 'e', 'ts', 'step', '1 day');
\set VERBOSITY default
RESET client_min_messages;
RESET salesplan.debug_cancel_in_sort;

DROP TABLE wfp_int, wfp_text, wfp_part, wfp_temp, wfp_stale, wfp_sort, wfp_rare;
DROP EXTENSION salesplan;
