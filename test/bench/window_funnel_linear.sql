-- make bench: is window_funnel linear in the events?  The long-history
-- shape of window_funnel_long.sql (50..150 events per entity, about 100 on
-- average, over 90 days, steps 0..5 with the lower ones more frequent,
-- stored in time order) at three sizes: :linear_entities entities
-- (default 300,000: about 30 million events), a tenth and a hundredth of
-- them (about 10 and 1 million).  Generated from hashes of the entity and
-- event numbers, so the rows do not depend on the plan or on random().
--
-- Per-event cost (median time / events) of the scan floor, the aggregate,
-- and the table path serial and with 2 workers; goal: within +-20 % of
-- the 1M cost at 10M and 30M.  Only make bench runs this (never make test).
\set ON_ERROR_STOP on
SET client_min_messages = warning;
SET max_parallel_workers_per_gather = 0;
SET work_mem = '256MB';

-- h(e, i, k): a hash in [0, 1) of entity e, event i and salt k
CREATE FUNCTION bench.lin_h(e int, i int, k int) RETURNS float8
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT (hashint8(e::int8 * 1000003 + i * 7 + k) & 2147483647)::float8 / 2147483648 $$;

DROP TABLE IF EXISTS bench.lin_events;
CREATE TABLE bench.lin_events AS
SELECT e AS entity_id,
       timestamp '2024-01-01' + floor(bench.lin_h(e, i, 1) * 90 * 86400) * interval '1 second' AS ts,
       (ARRAY[0, 0, 0, 0, 1, 1, 1, 2, 2, 3, 3, 4, 5])[1 + floor(bench.lin_h(e, i, 2) * 13)::int] AS step
FROM generate_series(1, :linear_entities) e,
     generate_series(1, 50 + ((e::int8 * 7919) % 101)::int) i
ORDER BY ts;
CREATE TABLE bench.lin_10 AS SELECT * FROM bench.lin_events WHERE entity_id <= :linear_entities / 3 ORDER BY ts;
CREATE TABLE bench.lin_1 AS SELECT * FROM bench.lin_events WHERE entity_id <= :linear_entities / 30 ORDER BY ts;
VACUUM ANALYZE bench.lin_events;
VACUUM ANALYZE bench.lin_10;
VACUUM ANALYZE bench.lin_1;
CREATE TABLE bench.lin_size AS
SELECT 'lin_1' AS tab, count(*) AS events FROM bench.lin_1
UNION ALL SELECT 'lin_10', count(*) FROM bench.lin_10
UNION ALL SELECT 'lin_events', count(*) FROM bench.lin_events;
SELECT tab, events FROM bench.lin_size ORDER BY events;

-- bench.lin_run(case, query with %I for the table): the case at the three
-- sizes, taking turns (bench.run_rounds), so that a change of load hits the
-- three alike; medians of runs - 2 rounds (at least 3), as a 30M round is long
CREATE FUNCTION bench.lin_run(name text, query text, runs int) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM bench.run_rounds('window_funnel_linear',
        ARRAY[name || ' @1', name || ' @10', name || ' @30'],
        ARRAY[format(query, 'lin_1'), format(query, 'lin_10'), format(query, 'lin_events')],
        greatest(runs - 2, 3));
END $$;

SELECT bench.lin_run('floor: count(*) per entity',
    $q$SELECT entity_id, count(*) FROM bench.%I GROUP BY 1$q$, :runs);
SELECT bench.lin_run('aggregate: window_funnel',
    $q$SELECT entity_id, salesplan.window_funnel('1 day', ts, step) FROM bench.%I GROUP BY 1$q$, :runs);
SELECT bench.lin_run('table path: window_funnel_levels',
    $q$SELECT * FROM salesplan.window_funnel_levels('bench.%I', 'entity_id', 'ts', 'step', '1 day')$q$, :runs);
SELECT bench.lin_run('table path: window_funnel_scan',
    $q$SELECT * FROM salesplan.window_funnel_scan('bench.%I', 'entity_id', NULL::int, 'ts', 'step', '1 day')$q$, :runs);
SET max_parallel_workers_per_gather = 2;
SELECT bench.lin_run('aggregate, 2 workers',
    $q$SELECT entity_id, salesplan.window_funnel('1 day', ts, step) FROM bench.%I GROUP BY 1$q$, :runs);
SELECT bench.lin_run('table path: window_funnel_levels, 2 workers',
    $q$SELECT * FROM salesplan.window_funnel_levels('bench.%I', 'entity_id', 'ts', 'step', '1 day')$q$, :runs);
SELECT bench.lin_run('table path: window_funnel_scan, 2 workers',
    $q$SELECT * FROM salesplan.window_funnel_scan('bench.%I', 'entity_id', NULL::int, 'ts', 'step', '1 day')$q$, :runs);

-- (untimed) the parallel and serial table paths agree at 30M, level by level
CREATE TABLE bench.lin_par AS
SELECT * FROM salesplan.window_funnel_levels('bench.lin_events', 'entity_id', 'ts', 'step', '1 day');
SET max_parallel_workers_per_gather = 0;
SELECT level, s.entities, p.entities = s.entities AS parallel_same
FROM salesplan.window_funnel_levels('bench.lin_events', 'entity_id', 'ts', 'step', '1 day') s
FULL JOIN bench.lin_par p USING (level) ORDER BY level;

\echo '== window_funnel linearity: ns per event at 1M, 10M, 30M events; ratio to the 1M cost (goal 0.8 .. 1.2) =='
WITH r AS (
    SELECT split_part(r.name, ' @', 1) AS name,
           split_part(r.name, ' @', 2) AS size,
           r.median_ms * 1e6 / s.events AS ns
    FROM bench.result r
    JOIN bench.lin_size s ON s.tab = CASE split_part(r.name, ' @', 2)
                                        WHEN '1' THEN 'lin_1' WHEN '10' THEN 'lin_10' ELSE 'lin_events' END
    WHERE r.suite = 'window_funnel_linear'
)
SELECT name,
       round(max(ns) FILTER (WHERE size = '1')::numeric, 1) AS ns_1m,
       round(max(ns) FILTER (WHERE size = '10')::numeric, 1) AS ns_10m,
       round(max(ns) FILTER (WHERE size = '30')::numeric, 1) AS ns_30m,
       round((max(ns) FILTER (WHERE size = '10') / max(ns) FILTER (WHERE size = '1'))::numeric, 2) AS ratio_10m,
       round((max(ns) FILTER (WHERE size = '30') / max(ns) FILTER (WHERE size = '1'))::numeric, 2) AS ratio_30m
FROM r GROUP BY name ORDER BY ns_10m;

DROP TABLE bench.lin_events, bench.lin_10, bench.lin_1, bench.lin_size, bench.lin_par;
DROP FUNCTION bench.lin_run(text, text, int), bench.lin_h(int, int, int);
