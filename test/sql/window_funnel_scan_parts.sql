-- window_funnel_scan / window_funnel_levels, serial path over an integer
-- key on a table of 65,536 rows or more (by the planner's estimate): the
-- rows go to 256 partitions by the key's hash, each partition then runs
-- the serial steps with a hash of its own entities (the DEBUG line says
-- so).  The answers are the aggregate's, entity by entity, in every mode,
-- with a filter column, with rows that are no event (NULL ts or step, step
-- <= 0) and with the NULL entity; smaller or text-keyed tables keep one
-- hash.
CREATE EXTENSION salesplan;
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
SET max_parallel_workers_per_gather = 0;

-- 20,000 entities with 1..11 events each over 3 days, steps -1..5, about
-- 2% NULL steps, 1% NULL timestamps, a NULL entity (3 rows) and an entity
-- of NULL steps only; "keep" is false on about a third of the rows.
CREATE TABLE wfq (e bigint, ts timestamp, step int, keep boolean);
INSERT INTO wfq
SELECT e,
       CASE WHEN (hashint4(e * 1000 + j + 3) & 2147483647) % 100 = 0 THEN NULL
            ELSE timestamp '2024-01-01' + ((hashint4(e * 1000 + j) & 2147483647) % 4320) * interval '1 minute' END,
       CASE WHEN (hashint4(e * 1000 + j + 7) & 2147483647) % 50 = 0 THEN NULL
            ELSE (hashint4(e * 7919 + j) & 2147483647) % 7 - 1 END,
       (hashint4(e * 31 + j) & 2147483647) % 3 <> 0
FROM generate_series(1, 20000) e,
     generate_series(1, 1 + (hashint4(e) & 2147483647) % 11) j;
INSERT INTO wfq VALUES (30000, '2024-01-01', NULL, true), (30000, '2024-01-02', NULL, true),
                       (NULL, '2024-01-01', 1, true), (NULL, '2024-01-01 00:10', 2, true),
                       (NULL, '2024-01-01 00:20', 3, false);
ANALYZE wfq;
SELECT count(*) >= 65536 AS rows_over_65536, count(DISTINCT e) AS entities,
       count(*) FILTER (WHERE e IS NULL) AS null_entity_rows
FROM wfq;

-- every mode, with and without the filter: rows and levels as the
-- aggregate's (grouped by the entity, NULL entity included)
CREATE TEMP TABLE scan_rows (run text, e bigint, level int);
SET client_min_messages = debug1;
INSERT INTO scan_rows
SELECT m, entity, level
FROM unnest(ARRAY['', 'strict_order', 'strict_deduplication', 'strict_increase']) m,
     salesplan.window_funnel_scan('wfq', 'e', NULL::bigint, 'ts', 'step', '1 day', m);
INSERT INTO scan_rows
SELECT 'filter', entity, level
FROM salesplan.window_funnel_scan('wfq', 'e', NULL::bigint, 'ts', 'step', '1 day', '', 'keep');
RESET client_min_messages;
CREATE TEMP TABLE agg_rows AS
SELECT m AS run, e, salesplan.window_funnel('1 day', ts, step, m) AS level
FROM unnest(ARRAY['', 'strict_order', 'strict_deduplication', 'strict_increase']) m, wfq
GROUP BY m, e
UNION ALL
SELECT 'filter', e, salesplan.window_funnel('1 day', ts, step)
FROM wfq WHERE keep GROUP BY e;
SELECT coalesce(s.run, a.run) AS run, count(*) AS entities,
       count(*) FILTER (WHERE s.e IS NULL AND s.run IS NOT NULL AND a.run IS NOT NULL) AS null_entity_in_both,
       count(*) FILTER (WHERE s.level IS DISTINCT FROM a.level) AS differ
FROM scan_rows s
FULL JOIN agg_rows a ON a.run = s.run AND a.e IS NOT DISTINCT FROM s.e
GROUP BY 1 ORDER BY 1;

-- the histogram
SET client_min_messages = debug1;
CREATE TEMP TABLE scan_levels AS
SELECT * FROM salesplan.window_funnel_levels('wfq', 'e', 'ts', 'step', '1 day', 'strict_order', 'keep');
RESET client_min_messages;
SELECT level, s.entities, s.entities = a.entities AS as_aggregate
FROM scan_levels s
FULL JOIN (SELECT level, count(*) AS entities
           FROM (SELECT salesplan.window_funnel('1 day', ts, step, 'strict_order') AS level
                 FROM wfq WHERE keep GROUP BY e) x
           GROUP BY level) a USING (level)
ORDER BY level;

-- one hash: a table under 65,536 rows, and a text key (no DEBUG line)
CREATE TABLE wfq_small AS SELECT * FROM wfq WHERE e <= 1000;
ANALYZE wfq_small;
CREATE TABLE wfq_text AS SELECT e::text AS e, ts, step, keep FROM wfq;
ANALYZE wfq_text;
CREATE TEMP TABLE one_hash (run text, level int, entities bigint);
SET client_min_messages = debug1;
INSERT INTO one_hash
SELECT 'small', * FROM salesplan.window_funnel_levels('wfq_small', 'e', 'ts', 'step', '1 day')
UNION ALL
SELECT 'text', * FROM salesplan.window_funnel_levels('wfq_text', 'e', 'ts', 'step', '1 day');
RESET client_min_messages;
SELECT run, sum(entities) AS entities FROM one_hash GROUP BY run ORDER BY run;

-- memory: a row that is no event keeps only its entity's key, and a
-- repeat of the key just kept adds nothing.  100,000 rows of 1,000
-- entities stored entity by entity, 1 row in 100 a funnel event (step
-- 1..3), the others step NULL; plus the NULL entity on rows without an
-- event only, and an entity whose rows are all filtered out.  The DEBUG
-- line counts what the partitions hold: the events, and one key per
-- entity with rows that are no event (computed below by plain SQL); the
-- levels are the aggregate's.
CREATE TABLE wfs_sparse (e int, ts timestamp, step int, keep boolean);
INSERT INTO wfs_sparse
SELECT e, timestamp '2024-01-01' + j * interval '1 minute',
       CASE WHEN j % 100 = 0 THEN 1 + (e + j / 100) % 3 END, e <> 7
FROM generate_series(1, 1000) e, generate_series(1, 100) j
ORDER BY e, j;
INSERT INTO wfs_sparse VALUES (NULL, '2024-01-01', NULL, true), (NULL, '2024-01-02', 0, true);
ANALYZE wfs_sparse;
SELECT count(*) FILTER (WHERE step >= 1) AS events,
       count(DISTINCT e) FILTER (WHERE step IS NULL OR step < 1) AS keys_without_event,
       count(*) FILTER (WHERE step IS NULL OR step < 1) AS rows_without_event
FROM wfs_sparse;
SET client_min_messages = debug1;
CREATE TEMP TABLE sparse_levels AS
SELECT * FROM salesplan.window_funnel_levels('wfs_sparse', 'e', 'ts', 'step', '1 hour');
CREATE TEMP TABLE sparse_rows AS
SELECT * FROM salesplan.window_funnel_scan('wfs_sparse', 'e', NULL::int, 'ts', 'step', '1 hour', '', 'keep');
RESET client_min_messages;
SELECT level, s.entities, s.entities = a.entities AS as_aggregate
FROM sparse_levels s
FULL JOIN (SELECT level, count(*) AS entities
           FROM (SELECT salesplan.window_funnel('1 hour', ts, step) AS level
                 FROM wfs_sparse GROUP BY e) x
           GROUP BY level) a USING (level)
ORDER BY level;
SELECT count(*) AS entities,
       count(*) FILTER (WHERE s.entity IS NULL) AS null_entity,
       count(*) FILTER (WHERE s.level IS DISTINCT FROM a.level) AS differ
FROM sparse_rows s
FULL JOIN (SELECT e, salesplan.window_funnel('1 hour', ts, step) AS level
           FROM wfs_sparse WHERE keep GROUP BY e) a ON coalesce(a.e, -1) = coalesce(s.entity, -1);

-- keys crafted against the hash: the partition comes from bits the
-- partition's own hash table does not use.  pg_temp.unhash inverts the
-- scan's integer hash (MurmurHash3's 64-bit finaliser; multiplicative
-- inverses of its constants mod 2^64), so key i gets the hash
-- (i % 256) << 56 | i: bits 24..31 are zero for every key (all in one
-- partition, were the partition taken from the low 32 bits the table
-- uses) and the top byte is i % 256.  1,000 keys of 66 events each: keys
-- i and i + 256k share a partition, so the largest partition holds 4
-- keys (i % 256 = 1..232 occur 4 times in 1..1,000), 264 records.
CREATE FUNCTION pg_temp.u64(x bit(64)) RETURNS numeric LANGUAGE sql AS
$$ SELECT x::int8::numeric + CASE WHEN x::int8 < 0 THEN 18446744073709551616 ELSE 0 END $$;
CREATE FUNCTION pg_temp.b64(u numeric) RETURNS bit(64) LANGUAGE sql AS
$$ SELECT (CASE WHEN u >= 9223372036854775808 THEN u - 18446744073709551616 ELSE u END)::int8::bit(64) $$;
CREATE FUNCTION pg_temp.unhash(h numeric) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    x bit(64) := pg_temp.b64(h);
BEGIN
    x := x # (x >> 33);
    x := pg_temp.b64(mod(pg_temp.u64(x) * 11291846944257947611, 18446744073709551616)); -- 0x9cb4b2f8129337db
    x := x # (x >> 33);
    x := pg_temp.b64(mod(pg_temp.u64(x) * 5725274745694666757, 18446744073709551616));  -- 0x4f74430c22a54005
    x := x # (x >> 33);
    RETURN x::int8;
END $$;
-- key 1 (hash 2^56 + 1), inverted independently (Python): 7770197605429316371
SELECT pg_temp.unhash(72057594037927937) = 7770197605429316371 AS unhash_ok;
CREATE TABLE wfs_crafted (e bigint, ts timestamp, step int);
INSERT INTO wfs_crafted
SELECT k.e, timestamp '2024-01-01' + j * interval '1 minute', 1 + j % 3
FROM (SELECT pg_temp.unhash((i % 256)::numeric * 72057594037927936 + i) AS e
      FROM generate_series(1, 1000) i) k,
     generate_series(1, 66) j;
ANALYZE wfs_crafted;
SELECT count(*) AS rows, count(DISTINCT e) AS entities FROM wfs_crafted;
SET client_min_messages = debug2;
CREATE TEMP TABLE crafted_levels AS
SELECT * FROM salesplan.window_funnel_levels('wfs_crafted', 'e', 'ts', 'step', '1 day');
RESET client_min_messages;
SELECT level, s.entities, s.entities = a.entities AS as_aggregate
FROM crafted_levels s
FULL JOIN (SELECT level, count(*) AS entities
           FROM (SELECT salesplan.window_funnel('1 day', ts, step) AS level
                 FROM wfs_crafted GROUP BY e) x
           GROUP BY level) a USING (level)
ORDER BY level;

DROP TABLE wfq, wfq_small, wfq_text, wfs_sparse, wfs_crafted;
DROP EXTENSION salesplan;
