-- salesplan.funnel on 100k entities: values against plain SQL over the same
-- rows, the revenue identity, forced parallel plans, rollup of daily funnels.
CREATE EXTENSION IF NOT EXISTS salesplan;
SET extra_float_digits = 0;
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';

-- 100,000 entities in 10 segments over 30 days.  reached 0..5 from a
-- multiplicative hash (about 40% population only, 1% won); amounts
-- numeric(14,2) from another hash, NULL for one entity in 7; reached NULL
-- for one in 1000 (ignored by funnel_agg).
CREATE TABLE leads_t AS
SELECT i AS id,
       i % 10 AS segment,
       date '2026-01-01' + (i / 10) % 30 AS day,
       CASE WHEN i % 1000 = 0 THEN NULL
            ELSE CASE WHEN h < 400 THEN 0 WHEN h < 700 THEN 1 WHEN h < 850 THEN 2
                      WHEN h < 950 THEN 3 WHEN h < 990 THEN 4 ELSE 5 END
       END AS reached,
       CASE WHEN i % 7 = 0 THEN NULL
            ELSE ((i::bigint * 104729) % 1000000 / 100.0)::numeric(14, 2) END AS amount
FROM (SELECT i, (i::bigint * 7919) % 1009 AS h FROM generate_series(1, 100000) AS i) s;
ANALYZE leads_t;

CREATE TEMP TABLE seg_f AS
SELECT segment, salesplan.funnel_agg(reached, amount, 5) AS f
FROM leads_t GROUP BY segment;

-- Per segment, every stage against count(*) FILTER / sum(amount) FILTER.
CREATE TEMP TABLE plain AS
SELECT segment, k AS stage,
       count(*) FILTER (WHERE reached >= k) AS entered,
       count(*) FILTER (WHERE reached >= k + 1) AS advanced,
       coalesce(sum(amount) FILTER (WHERE reached = k), 0) AS amount
FROM leads_t CROSS JOIN generate_series(1, 5) AS k
WHERE reached IS NOT NULL
GROUP BY segment, k;
SELECT count(*) AS stage_rows,
       count(*) FILTER (WHERE s.entered = p.entered
                          AND s.advanced IS NOT DISTINCT FROM CASE WHEN p.stage < 5 THEN p.advanced END
                          AND s.conversion IS NOT DISTINCT FROM
                              CASE WHEN p.stage < 5 THEN p.advanced::float8 / p.entered END
                          AND s.amount = p.amount) AS same_as_plain_sql
FROM seg_f, salesplan.stages(f) AS s
JOIN plain p ON p.stage = s.stage
WHERE p.segment = seg_f.segment;
-- cumulative = entered / entered at stage 1
SELECT bool_and(s.cumulative = s.entered::float8 / salesplan.leads(f)) AS cumulative_ok
FROM seg_f, salesplan.stages(f) AS s;

-- Totals per segment against plain SQL.
SELECT q.segment, salesplan.population(f) AS population, salesplan.leads(f) AS leads,
       salesplan.won(f) AS won, salesplan.priced_won(f) AS priced_won,
       salesplan.revenue(f) AS revenue,
       salesplan.population(f) = p.population AND salesplan.leads(f) = p.leads
       AND salesplan.won(f) = p.won AND salesplan.priced_won(f) = p.priced_won
       AND salesplan.revenue(f) = p.revenue AND salesplan.aov(f) = p.aov
       AND salesplan.overall_conversion(f) = p.won::float8 / p.leads AS same_as_plain_sql
FROM seg_f q
JOIN (SELECT segment, count(reached) AS population,
             count(*) FILTER (WHERE reached >= 1) AS leads,
             count(*) FILTER (WHERE reached = 5) AS won,
             count(amount) FILTER (WHERE reached = 5) AS priced_won,
             sum(amount) FILTER (WHERE reached = 5) AS revenue,
             sum(amount) FILTER (WHERE reached = 5) / count(amount) FILTER (WHERE reached = 5) AS aov
      FROM leads_t GROUP BY segment) p ON p.segment = q.segment
ORDER BY q.segment;
-- Arrays agree with stages() and with conversion(f, k, k + 1).
SELECT bool_and(salesplan.entered(f) = (SELECT array_agg(entered ORDER BY stage) FROM salesplan.stages(f))
            AND salesplan.amounts(f) = (SELECT array_agg(amount ORDER BY stage) FROM salesplan.stages(f))
            AND salesplan.conversions(f) = (SELECT array_agg(conversion ORDER BY stage) FROM salesplan.stages(f) WHERE stage < 5)
            AND salesplan.conversions(f) = ARRAY[salesplan.conversion(f, 1, 2), salesplan.conversion(f, 2, 3),
                                                 salesplan.conversion(f, 3, 4), salesplan.conversion(f, 4, 5)])
       AS arrays_ok
FROM seg_f;

-- Identity: revenue = leads x product of conversions x aov.  It is exact
-- when every won entity has an amount (aov divides by priced won
-- entities), so it is checked over the entities that are not an unpriced
-- win; in general revenue = won x aov x priced_won / won.
SELECT segment,
       abs(salesplan.revenue(f)::float8
           - salesplan.leads(f) * (SELECT exp(sum(ln(c))) FROM unnest(salesplan.conversions(f)) c)
             * salesplan.aov(f)::float8) < 1e-6 * salesplan.revenue(f)::float8 AS identity_holds
FROM (SELECT segment, salesplan.funnel_agg(reached, amount, 5) AS f
      FROM leads_t WHERE NOT (reached = 5 AND amount IS NULL)
      GROUP BY segment) q
ORDER BY segment;
SELECT bool_and(abs(salesplan.revenue(f)::float8
                    - salesplan.won(f) * salesplan.aov(f)::float8 * salesplan.priced_won(f) / salesplan.won(f))
                < 1e-6 * salesplan.revenue(f)::float8) AS general_identity_holds
FROM seg_f;

-- Without declared stages: as deep as the deepest reached (5 here); same
-- counts and sums, only the declared flag differs.
SELECT bool_and(replace(u.fu::text, 'declared=0', 'declared=5') = f::text) AS same_as_declared
FROM (SELECT segment, salesplan.funnel_agg(reached, amount) AS fu FROM leads_t GROUP BY segment) u
JOIN seg_f USING (segment);

-- ---- forced parallel plan: Partial Aggregate under Gather ----
ALTER TABLE leads_t SET (parallel_workers = 2);
CREATE TEMP TABLE serial_f AS
SELECT segment, salesplan.funnel_agg(reached, amount, 5)::text AS f,
       salesplan.funnel_agg(reached, amount)::text AS fu
FROM leads_t GROUP BY segment;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;
EXPLAIN (COSTS OFF)
SELECT segment, salesplan.funnel_agg(reached, amount, 5), salesplan.funnel_agg(reached, amount)
FROM leads_t GROUP BY segment;
SELECT count(*) AS segments,
       count(*) FILTER (WHERE p.f::text = s.f AND p.fu::text = s.fu) AS same_as_serial
FROM (SELECT segment, salesplan.funnel_agg(reached, amount, 5) AS f,
             salesplan.funnel_agg(reached, amount) AS fu
      FROM leads_t GROUP BY segment) p
JOIN serial_f s USING (segment);
-- whole-table aggregate in parallel
EXPLAIN (COSTS OFF) SELECT salesplan.funnel_agg(reached, amount, 5) FROM leads_t;
SELECT salesplan.funnel_agg(reached, amount, 5)::text
       = (SELECT salesplan.rollup(f::salesplan.funnel)::text FROM serial_f) AS parallel_total_ok
FROM leads_t;

-- ---- rollup of per-day funnels equals funnel_agg over the raw rows ----
CREATE TEMP TABLE daily AS
SELECT segment, day, salesplan.funnel_agg(reached, amount, 5) AS f,
       salesplan.funnel_agg(reached, amount) AS fu
FROM leads_t GROUP BY segment, day;
SELECT count(*) AS segments,
       count(*) FILTER (WHERE r.f::text = s.f AND r.fu::text = s.fu) AS rollup_equals_raw
FROM (SELECT segment, salesplan.rollup(f) AS f, salesplan.rollup(fu) AS fu
      FROM daily GROUP BY segment) r
JOIN serial_f s USING (segment);
RESET max_parallel_workers_per_gather;
SET max_parallel_workers_per_gather = 0;
SELECT count(*) AS segments,
       count(*) FILTER (WHERE r.f::text = s.f AND r.fu::text = s.fu) AS rollup_equals_raw_serial
FROM (SELECT segment, salesplan.rollup(f) AS f, salesplan.rollup(fu) AS fu
      FROM daily GROUP BY segment) r
JOIN serial_f s USING (segment);
-- rollup of rollups (days -> weeks -> all) is the same again
SELECT (SELECT salesplan.rollup(w)
        FROM (SELECT salesplan.rollup(f) AS w FROM daily
              GROUP BY (day - date '2026-01-01') / 7) weeks)::text
       = (SELECT salesplan.funnel_agg(reached, amount, 5) FROM leads_t)::text AS rollup_of_rollups;

-- rollup in parallel, over 100k stored one-entity funnels (small ones are
-- stored with short varlena headers, unaligned on disk)
SET max_parallel_workers_per_gather = 2;
CREATE TABLE per_entity AS
SELECT segment, salesplan.funnel_agg(reached, amount) AS fu
FROM leads_t WHERE reached IS NOT NULL GROUP BY id, segment;
ALTER TABLE per_entity SET (parallel_workers = 2);
ANALYZE per_entity;
EXPLAIN (COSTS OFF) SELECT segment, salesplan.rollup(fu) FROM per_entity GROUP BY segment;
SELECT count(*) AS segments,
       count(*) FILTER (WHERE r.fu::text = s.fu) AS parallel_rollup_equals_raw
FROM (SELECT segment, salesplan.rollup(fu) AS fu FROM per_entity GROUP BY segment) r
JOIN serial_f s USING (segment);
SET max_parallel_workers_per_gather = 0;
DROP TABLE per_entity;

-- Hash aggregation that spills to disk (tiny work_mem, 20,000 groups)
-- gives the same funnels as sorted group aggregation.  The 20 groups
-- k = 0, 1000, ..., 19000 hold only ids that are multiples of 1000, whose
-- reached is NULL: their funnel is NULL.
SET work_mem = '64kB';
SET enable_sort = off;
CREATE TEMP TABLE spilled AS
SELECT id % 20000 AS k, salesplan.funnel_agg(reached, amount)::text AS f
FROM leads_t GROUP BY 1;
RESET enable_sort;
SET enable_hashagg = off;
CREATE TEMP TABLE sorted AS
SELECT id % 20000 AS k, salesplan.funnel_agg(reached, amount)::text AS f
FROM leads_t GROUP BY 1;
RESET enable_hashagg;
RESET work_mem;
SELECT count(*) AS groups, count(*) FILTER (WHERE a.f IS NOT DISTINCT FROM b.f) AS spilled_equals_sorted,
       count(*) FILTER (WHERE a.f IS NULL) AS only_null_reached
FROM spilled a JOIN sorted b USING (k);

-- Stored in a table and reloaded through text and binary COPY.
CREATE TEMP TABLE daily_copy (LIKE daily);
SELECT '/tmp/salesplan_funnel_copy_' || pg_backend_pid() AS copyfile,
       'cat > /dev/null; rm -f /tmp/salesplan_funnel_copy_' || pg_backend_pid() AS removefile \gset
COPY daily TO :'copyfile' WITH (FORMAT binary);
COPY daily_copy FROM :'copyfile' WITH (FORMAT binary);
COPY daily TO :'copyfile';
COPY daily_copy FROM :'copyfile';
COPY (SELECT) TO PROGRAM :'removefile';
SELECT count(*) AS copied,
       count(*) FILTER (WHERE c.f::text = d.f::text AND c.fu::text = d.fu::text) AS identical
FROM daily_copy c JOIN daily d USING (segment, day);

DROP TABLE leads_t;

-- leave the database as found (the install test creates the extension)
SET client_min_messages = warning;
DROP EXTENSION salesplan CASCADE;
