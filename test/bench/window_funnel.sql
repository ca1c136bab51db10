-- Benchmark: salesplan.window_funnel against the scan floor and the best
-- plain SQL giving the same answer, over crm.opportunity_stage_history
-- (opportunity_id, stage_id, entered_at) of the sample CRM.
--
-- The funnel: an opportunity's stages in order, each within 30 days of
-- entering stage 1; stage_seq is the stage's ordinal, crm.stage.sequence
-- (stages without a sequence, such as "lost", give NULL: skipped).
--
-- Setup (not timed): the events with their ordinal, in one table that all
-- three queries read, with the index the plain-SQL version needs to be
-- anywhere near fast (window_funnel needs none).
\set ON_ERROR_STOP on
SET max_parallel_workers_per_gather = 0;	-- single-core ratios
SET work_mem = '256MB';
SET temp_buffers = '1GB';				-- wf_events stays in memory

DROP TABLE IF EXISTS wf_events;
CREATE TEMP TABLE wf_events AS
SELECT h.opportunity_id, h.entered_at, s.sequence AS stage_seq
FROM crm.opportunity_stage_history h
JOIN crm.stage s ON s.id = h.stage_id;
CREATE INDEX ON wf_events (opportunity_id, stage_seq, entered_at);
VACUUM ANALYZE wf_events;
SELECT count(*) AS events, count(DISTINCT opportunity_id) AS opportunities FROM wf_events;

-- (a) scan floor: the same rows and grouping, no funnel; (b) the
-- aggregate; (b2) the table-level path, per opportunity and the histogram
-- of levels.  They take turns (bench.run_rounds), so a change of load on
-- the machine hits them alike.
SELECT bench.run_rounds('window_funnel',
    ARRAY['floor: count(*) per opportunity',
          'salesplan.window_funnel',
          'table path: window_funnel_scan',
          'table path: window_funnel_levels'],
    ARRAY[$q$SELECT opportunity_id, count(*) FROM wf_events GROUP BY 1$q$,
          $q$SELECT opportunity_id, salesplan.window_funnel('30 days', entered_at, stage_seq)
             FROM wf_events GROUP BY 1$q$,
          $q$SELECT * FROM salesplan.window_funnel_scan('wf_events', 'opportunity_id', NULL::int,
                                                       'entered_at', 'stage_seq', '30 days')$q$,
          $q$SELECT * FROM salesplan.window_funnel_levels('wf_events', 'opportunity_id',
                                                         'entered_at', 'stage_seq', '30 days')$q$],
    :runs);

-- (b3) ordered input: a GroupAggregate over an index on (opportunity_id,
-- entered_at) hands each opportunity's rows over in time order, and
-- window_funnel keeps a streaming state (no events, no final sort).  Its
-- floor is count(*) with the same plan shape (an index scan that reads the
-- table, not an index-only scan).
CREATE INDEX wf_events_by_time ON wf_events (opportunity_id, entered_at);
VACUUM ANALYZE wf_events;
SET enable_hashagg = off;
SET enable_sort = off;
SET enable_seqscan = off;
SET enable_bitmapscan = off;
SET enable_indexonlyscan = off;
EXPLAIN (COSTS OFF)
SELECT opportunity_id, salesplan.window_funnel('30 days', entered_at, stage_seq) FROM wf_events GROUP BY 1;
SELECT bench.run_rounds('window_funnel',
    ARRAY['ordered input: floor, count(*) per opportunity',
          'ordered input: salesplan.window_funnel (streaming)'],
    ARRAY[$q$SELECT opportunity_id, count(*) FROM wf_events GROUP BY 1$q$,
          $q$SELECT opportunity_id, salesplan.window_funnel('30 days', entered_at, stage_seq)
             FROM wf_events GROUP BY 1$q$],
    :runs);
-- (untimed) the same levels as the hash-aggregated event lists
CREATE TEMP TABLE wf_streamed AS
SELECT opportunity_id, salesplan.window_funnel('30 days', entered_at, stage_seq) AS level
FROM wf_events GROUP BY 1;
RESET enable_hashagg;
RESET enable_sort;
RESET enable_seqscan;
RESET enable_bitmapscan;
RESET enable_indexonlyscan;
SELECT count(*) AS opportunities, count(*) FILTER (WHERE s.level = h.level) AS same_level_streaming
FROM wf_streamed s
JOIN (SELECT opportunity_id, salesplan.window_funnel('30 days', entered_at, stage_seq) AS level
      FROM wf_events GROUP BY 1) h USING (opportunity_id);
DROP TABLE wf_streamed;

-- (c) plain SQL: from each stage-1 entry, follow the chain taking the
-- earliest entry of the next stage at or after the previous one and within
-- 30 days of the start (index lookups); an opportunity's level is its best
-- chain's (0 without a stage-1 entry).
SELECT bench.run('window_funnel', 'hand-written recursive CTE', $q$
WITH RECURSIVE c AS (
    SELECT DISTINCT opportunity_id, entered_at AS start, entered_at AS last, 1 AS lvl
    FROM wf_events WHERE stage_seq = 1
  UNION ALL
    SELECT c.opportunity_id, c.start, n.entered_at, c.lvl + 1
    FROM c CROSS JOIN LATERAL (
        SELECT e.entered_at FROM wf_events e
        WHERE e.opportunity_id = c.opportunity_id AND e.stage_seq = c.lvl + 1
          AND e.entered_at >= c.last AND e.entered_at <= c.start + interval '30 days'
        ORDER BY e.entered_at LIMIT 1) n
)
SELECT o.opportunity_id, coalesce(max(c.lvl), 0) AS level
FROM (SELECT DISTINCT opportunity_id FROM wf_events) o
LEFT JOIN c USING (opportunity_id)
GROUP BY o.opportunity_id$q$, greatest(:runs - 2, 1)) IS NOT NULL AS measured;


-- (untimed) the two answers agree opportunity by opportunity
WITH RECURSIVE c AS (
    SELECT DISTINCT opportunity_id, entered_at AS start, entered_at AS last, 1 AS lvl
    FROM wf_events WHERE stage_seq = 1
  UNION ALL
    SELECT c.opportunity_id, c.start, n.entered_at, c.lvl + 1
    FROM c CROSS JOIN LATERAL (
        SELECT e.entered_at FROM wf_events e
        WHERE e.opportunity_id = c.opportunity_id AND e.stage_seq = c.lvl + 1
          AND e.entered_at >= c.last AND e.entered_at <= c.start + interval '30 days'
        ORDER BY e.entered_at LIMIT 1) n
), by_sql AS (
    SELECT opportunity_id, max(lvl) AS level FROM c GROUP BY opportunity_id
), by_wf AS (
    SELECT opportunity_id, salesplan.window_funnel('30 days', entered_at, stage_seq) AS level
    FROM wf_events GROUP BY opportunity_id
)
SELECT count(*) AS opportunities,
       count(*) FILTER (WHERE w.level = coalesce(s.level, 0)) AS same_level,
       count(*) FILTER (WHERE w.level = t.level) AS same_level_table_path
FROM by_wf w LEFT JOIN by_sql s USING (opportunity_id)
LEFT JOIN salesplan.window_funnel_scan('wf_events', 'opportunity_id', NULL::int,
                                       'entered_at', 'stage_seq', '30 days') t
    ON t.entity = w.opportunity_id;

\echo '== window_funnel: ratio to the scan floor and to hand-written SQL (goal: <= 0.1, 10x faster) =='
SELECT * FROM bench.report('window_funnel', 'floor: count(*) per opportunity');
\echo '== window_funnel, ordered input: ratio to the floor with the same plan shape (goal <= 1.5) =='
SELECT * FROM bench.report('window_funnel', 'ordered input: floor, count(*) per opportunity')
WHERE name LIKE 'ordered input:%';
SELECT * FROM bench.report('window_funnel', 'hand-written recursive CTE');
