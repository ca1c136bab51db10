-- make bench: a bound funnel view with a stage history (issue 12 item 5,
-- issue 15 item 3) against the best hand-written SQL giving the same
-- numbers and against the scan floor, with matching and with mismatched key
-- types.
--
-- Data (generated here, deterministic, about 10 s): a Salesforce-like
-- replica of 200,000 opportunities (stage name, amount numeric(14,2), close
-- date, owner among 20, IsWon/IsClosed-like flags) and 784,001 stage-history
-- rows (3 to 5 per opportunity, stored in time order as a replica appends
-- them, not clustered by opportunity) with an index on the history key.
-- The history key is varchar(18); the opportunity id is varchar(18) in
-- bench_bv.opportunity and char(18) in bench_bv.opportunity_c (the same
-- rows), as Salesforce replicas have it.
--
-- Each binding's main view (<prefix>_pipeline, 480 rows: 24 months x 20
-- owners) is read in full.  The hand-written SQL is a plain view giving the
-- same rows (checked with EXCEPT both ways before timing); the floor is
-- count(*) over the same join and grouping.
\set ON_ERROR_STOP on
SET client_min_messages = warning;
SET max_parallel_workers_per_gather = 0;	-- single-core ratios
SET work_mem = '256MB';

DELETE FROM bench.result WHERE suite LIKE 'binding%';
SELECT salesplan.unbind(b.name, true) FROM salesplan.binding b
WHERE b.name IN ('bench_pipeline', 'bench_c_pipeline');
DROP SCHEMA IF EXISTS bench_bv CASCADE;
DROP SCHEMA IF EXISTS bench_bv_rep CASCADE;
CREATE SCHEMA bench_bv;
CREATE SCHEMA bench_bv_rep;

CREATE TABLE bench_bv.opportunity (
    id varchar(18) PRIMARY KEY,
    owner_id text NOT NULL,
    stage_name text,
    amount numeric(14,2),
    close_date date NOT NULL,
    is_won boolean NOT NULL,
    is_closed boolean NOT NULL
);
-- 15 % won, 25 % lost, the rest open at one of the five open stages; 1 %
-- without a stage, 10 % without an amount; owner and close date hashed
-- from the number (hashint4: the same on every platform)
CREATE TEMP TABLE bv_deal AS
SELECT i, CASE WHEN i % 97 = 0 THEN NULL
               WHEN i % 20 < 3 THEN 'Closed Won'
               WHEN i % 20 < 8 THEN 'Closed Lost'
               ELSE (ARRAY['Prospecting', 'Qualification', 'Needs Analysis', 'Proposal/Price Quote',
                           'Negotiation/Review'])[1 + i * 13 % 5] END AS stage_name
FROM generate_series(1, 200000) i;
INSERT INTO bench_bv.opportunity
SELECT '006' || lpad(to_hex(i), 15, '0'),
       'U' || lpad(((hashint4(-i) & 1023) % 20)::text, 2, '0'),
       stage_name,
       CASE WHEN i % 10 = 0 THEN NULL ELSE round((100 + (i * 7919 % 100000) * 1.37)::numeric, 2) END,
       date '2024-01-01' + (hashint4(i) & 65535) % 730,
       i % 20 < 3,
       i % 20 < 8
FROM bv_deal;
CREATE TABLE bench_bv.opportunity_c (LIKE bench_bv.opportunity);
ALTER TABLE bench_bv.opportunity_c ALTER COLUMN id TYPE char(18);
INSERT INTO bench_bv.opportunity_c SELECT * FROM bench_bv.opportunity;
ALTER TABLE bench_bv.opportunity_c ADD PRIMARY KEY (id);

CREATE TABLE bench_bv.opportunity_history (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    opportunity_id varchar(18) NOT NULL,
    stage_name text,
    created_date timestamptz NOT NULL
);
-- one row per stage change, the last one to the current stage: 3 to 5
-- rows, moving up one stage at a time from the first or the second stage,
-- every 11th deal moved back to the first stage once; 2 % of the deals
-- have no history (so a lost one without it maps to no stage)
INSERT INTO bench_bv.opportunity_history (opportunity_id, stage_name, created_date)
SELECT '006' || lpad(to_hex(i), 15, '0'),
       CASE WHEN k = 3 + i % 3 THEN coalesce(stage_name, 'Prospecting')
            WHEN i % 11 = 0 AND k = 2 THEN 'Prospecting'
            ELSE (ARRAY['Prospecting', 'Qualification', 'Needs Analysis', 'Proposal/Price Quote',
                        'Negotiation/Review'])[least(k + i % 2, 5)] END,
       timestamptz '2023-06-01 00:00+00' + (i * 37 % 730) * interval '1 day' + k * interval '5 days'
FROM bv_deal, generate_series(1, 3 + i % 3) k
WHERE i % 50 <> 0
ORDER BY 3, 1;
-- plus one history row of an opportunity that does not exist
INSERT INTO bench_bv.opportunity_history (opportunity_id, stage_name, created_date)
VALUES ('006zzzzzzzzzzzzzzz', 'Closed Won', '2024-01-01');
CREATE INDEX ON bench_bv.opportunity_history (opportunity_id);
VACUUM ANALYZE bench_bv.opportunity;
VACUUM ANALYZE bench_bv.opportunity_c;
VACUUM ANALYZE bench_bv.opportunity_history;
SELECT (SELECT count(*) FROM bench_bv.opportunity) AS opportunities,
       (SELECT count(*) FROM bench_bv.opportunity_history) AS history_rows;

-- the bindings: as a user binds a Salesforce replica (docs' recipe)
SELECT count(*) AS views FROM salesplan.bind_funnel(binding_name => 'bench_pipeline', target_schema => 'bench_bv_rep',
    relation => 'bench_bv.opportunity', stage_column => 'stage_name', amount_column => 'amount',
    period_column => 'close_date', period => 'month', dimensions => '{owner_id}',
    stage_order => ARRAY['Prospecting', 'Qualification', 'Needs Analysis', 'Proposal/Price Quote',
                         'Negotiation/Review', 'Closed Won'],
    history_table => 'bench_bv.opportunity_history', history_key => 'opportunity_id', entity_key => 'id',
    won_column => 'is_won', closed_column => 'is_closed');
SELECT count(*) AS views FROM salesplan.bind_funnel(binding_name => 'bench_c_pipeline', target_schema => 'bench_bv_rep',
    relation => 'bench_bv.opportunity_c', stage_column => 'stage_name', amount_column => 'amount',
    period_column => 'close_date', period => 'month', dimensions => '{owner_id}',
    stage_order => ARRAY['Prospecting', 'Qualification', 'Needs Analysis', 'Proposal/Price Quote',
                         'Negotiation/Review', 'Closed Won'],
    history_table => 'bench_bv.opportunity_history', history_key => 'opportunity_id', entity_key => 'id',
    won_column => 'is_won', closed_column => 'is_closed');

-- The hand-written SQL, as views over each opportunity table.  Written for
-- speed: the history grouped once by its key (one hash aggregation), the
-- stage as its position in the order, a hash join, then the rows counted
-- per (group, reached, won, closed) first and only those few hundred rows
-- per group filtered into the columns (one pass of three aggregates instead
-- of a dozen FILTERed ones over every deal; that plain form is timed too).
-- A deal's depth is the deepest of its current stage and its history
-- stages; won = the last stage; won_deals/lost_deals from the flags; aov
-- rounded to the amount's scale (2), as the view does.
CREATE FUNCTION pg_temp.hand_sql(opp text, cast_key text) RETURNS text LANGUAGE sql AS $f$
SELECT format($q$
WITH hx AS (
    SELECT h.opportunity_id,
           max(array_position('{Prospecting,Qualification,"Needs Analysis","Proposal/Price Quote",Negotiation/Review,"Closed Won"}'::text[],
                              h.stage_name)) AS reached
    FROM bench_bv.opportunity_history h GROUP BY h.opportunity_id),
c AS (
    SELECT date_trunc('month', o.close_date)::date AS period, o.owner_id,
           GREATEST(array_position('{Prospecting,Qualification,"Needs Analysis","Proposal/Price Quote",Negotiation/Review,"Closed Won"}'::text[],
                                   o.stage_name), hx.reached) AS reached,
           o.is_won, o.is_closed, count(*) AS n, count(o.amount) AS n_amount, sum(o.amount) AS amount
    FROM %1$s o LEFT JOIN hx ON hx.opportunity_id = o.id%2$s
    GROUP BY 1, 2, 3, 4, 5)
SELECT ROW(period, owner_id)::text AS group_key, period, owner_id,
       coalesce(sum(n) FILTER (WHERE reached IS NOT NULL), 0)::int8 AS population,
       coalesce(sum(n) FILTER (WHERE reached >= 1), 0)::int8 AS leads,
       coalesce(sum(n) FILTER (WHERE reached = 6), 0)::int8 AS won,
       coalesce(sum(amount) FILTER (WHERE reached = 6), 0) AS revenue,
       round(sum(amount) FILTER (WHERE reached = 6) / nullif(sum(n_amount) FILTER (WHERE reached = 6), 0), 2) AS aov,
       coalesce(sum(n) FILTER (WHERE reached = 6), 0)::float8 / nullif(sum(n) FILTER (WHERE reached >= 1), 0) AS overall_conversion,
       coalesce(sum(n) FILTER (WHERE reached IS NULL), 0)::int8 AS unmapped,
       coalesce(sum(n) FILTER (WHERE is_won), 0)::int8 AS won_deals,
       coalesce(sum(n) FILTER (WHERE is_closed AND NOT is_won), 0)::int8 AS lost_deals,
       coalesce(sum(n) FILTER (WHERE is_won), 0)::float8 / nullif(sum(n) FILTER (WHERE is_closed), 0) AS win_rate,
       coalesce(sum(n) FILTER (WHERE reached >= 1 AND NOT is_won AND NOT is_closed), 0)::int8 AS open_deals,
       NULL::float8 AS win_probability
FROM c GROUP BY period, owner_id$q$, opp, cast_key)
$f$;
-- the same in one level: a dozen FILTERed aggregates over every deal
CREATE FUNCTION pg_temp.hand_sql_one_level(opp text, cast_key text) RETURNS text LANGUAGE sql AS $f$
SELECT format($q$
WITH hx AS (
    SELECT h.opportunity_id,
           max(array_position('{Prospecting,Qualification,"Needs Analysis","Proposal/Price Quote",Negotiation/Review,"Closed Won"}'::text[],
                              h.stage_name)) AS reached
    FROM bench_bv.opportunity_history h GROUP BY h.opportunity_id),
src AS (
    SELECT date_trunc('month', o.close_date)::date AS period, o.owner_id,
           GREATEST(array_position('{Prospecting,Qualification,"Needs Analysis","Proposal/Price Quote",Negotiation/Review,"Closed Won"}'::text[],
                                   o.stage_name), hx.reached) AS reached,
           o.amount, o.is_won, o.is_closed
    FROM %1$s o LEFT JOIN hx ON hx.opportunity_id = o.id%2$s)
SELECT ROW(period, owner_id)::text AS group_key, period, owner_id,
       count(reached) AS population,
       count(*) FILTER (WHERE reached >= 1) AS leads,
       count(*) FILTER (WHERE reached = 6) AS won,
       coalesce(sum(amount) FILTER (WHERE reached = 6), 0) AS revenue,
       round(sum(amount) FILTER (WHERE reached = 6) / nullif(count(amount) FILTER (WHERE reached = 6), 0), 2) AS aov,
       (count(*) FILTER (WHERE reached = 6))::float8 / nullif(count(*) FILTER (WHERE reached >= 1), 0) AS overall_conversion,
       count(*) FILTER (WHERE reached IS NULL) AS unmapped,
       count(*) FILTER (WHERE is_won) AS won_deals,
       count(*) FILTER (WHERE is_closed AND NOT is_won) AS lost_deals,
       (count(*) FILTER (WHERE is_won))::float8 / nullif(count(*) FILTER (WHERE is_closed), 0) AS win_rate,
       count(*) FILTER (WHERE reached >= 1 AND NOT is_won AND NOT is_closed) AS open_deals,
       NULL::float8 AS win_probability
FROM src GROUP BY period, owner_id$q$, opp, cast_key)
$f$;
-- the floor: the same rows, join and grouping, counted (hx.n is read so
-- that the planner cannot drop the join)
CREATE FUNCTION pg_temp.floor_sql(opp text, cast_key text) RETURNS text LANGUAGE sql AS $f$
SELECT format($q$
SELECT date_trunc('month', o.close_date)::date AS period, o.owner_id, count(*), count(hx.n)
FROM %1$s o
LEFT JOIN (SELECT h.opportunity_id, count(*) AS n FROM bench_bv.opportunity_history h GROUP BY h.opportunity_id) hx
  ON hx.opportunity_id = o.id%2$s
GROUP BY 1, 2$q$, opp, cast_key)
$f$;

-- the cases: (suite, relation, bound view, key cast the hand SQL needs)
CREATE TEMP TABLE bv_case (suite text, opp text, bound text, cast_key text);
INSERT INTO bv_case VALUES
    ('binding', 'bench_bv.opportunity', 'bench_bv_rep.bench_pipeline', ''),
    ('binding (char(18) ids, varchar(18) history key)', 'bench_bv.opportunity_c',
     'bench_bv_rep.bench_c_pipeline', '::varchar(18)');

-- (untimed) the bound view and both hand-written forms give the same rows,
-- and the bound view's plan is a hash join against the grouped history, no
-- correlated subquery
CREATE FUNCTION pg_temp.rows_differ(a text, b text) RETURNS bigint LANGUAGE plpgsql AS $f$
DECLARE n bigint;
BEGIN
    EXECUTE format('SELECT count(*) FROM ((SELECT * FROM (%s) x EXCEPT ALL SELECT * FROM (%s) y) '
                   'UNION ALL (SELECT * FROM (%s) y EXCEPT ALL SELECT * FROM (%s) x)) d', a, b, b, a) INTO n;
    RETURN n;
END $f$;
CREATE FUNCTION pg_temp.plan_of(q text) RETURNS text LANGUAGE plpgsql AS $f$
DECLARE p text; l text;
BEGIN
    p := '';
    FOR l IN EXECUTE 'EXPLAIN (COSTS OFF) ' || q LOOP
        p := p || l || E'\n';
    END LOOP;
    RETURN p;
END $f$;
CREATE TEMP TABLE bv_check AS
SELECT suite,
       pg_temp.rows_differ('SELECT * FROM ' || bound, pg_temp.hand_sql(opp, cast_key)) AS differ_hand,
       pg_temp.rows_differ('SELECT * FROM ' || bound, pg_temp.hand_sql_one_level(opp, cast_key)) AS differ_one_level,
       pg_temp.plan_of('SELECT * FROM ' || bound) ~ 'Hash (Left |Right )?Join' AS hash_join,
       pg_temp.plan_of('SELECT * FROM ' || bound) !~ 'SubPlan' AS no_subplan
FROM bv_case;
SELECT * FROM bv_check ORDER BY suite;
DO $$
BEGIN
    IF EXISTS (SELECT FROM bv_check WHERE differ_hand <> 0 OR differ_one_level <> 0 OR NOT no_subplan) THEN
        RAISE EXCEPTION 'binding bench: the bound view differs from the hand-written SQL, or its plan has a SubPlan';
    END IF;
END $$;
SELECT count(*) AS view_rows, sum(population) AS population, sum(leads) AS leads, sum(won) AS won,
       sum(unmapped) AS unmapped, sum(won_deals) AS won_deals, sum(lost_deals) AS lost_deals
FROM bench_bv_rep.bench_pipeline;
\echo '== the bound view''s plan, mismatched keys =='
EXPLAIN (COSTS OFF) SELECT * FROM bench_bv_rep.bench_c_pipeline;

-- Timing: the four queries of a case take turns (bench.run_rounds).
SELECT bench.run_rounds(suite,
    ARRAY['floor: count(*), same join and grouping', 'bound view ' || bound,
          'hand-written SQL, two levels', 'hand-written SQL, one level of FILTERs'],
    ARRAY[pg_temp.floor_sql(opp, cast_key), 'SELECT * FROM ' || bound,
          pg_temp.hand_sql(opp, cast_key), pg_temp.hand_sql_one_level(opp, cast_key)],
    :runs) IS NOT NULL AS measured
FROM bv_case ORDER BY suite;

\echo '== bound funnel view with a stage history: ratios to the faster hand-written SQL (goal <= 1.2) and to the floor =='
SELECT r.suite, r.name, round(r.median_ms::numeric, 1) AS median_ms,
       round((r.median_ms / h.best)::numeric, 2) AS to_hand,
       round((r.median_ms / f.median_ms)::numeric, 2) AS to_floor
FROM bench.result r
JOIN bench.result f ON f.suite = r.suite AND f.name = 'floor: count(*), same join and grouping'
JOIN (SELECT suite, min(median_ms) AS best FROM bench.result WHERE name LIKE 'hand-written SQL%' GROUP BY suite) h
  ON h.suite = r.suite
WHERE r.suite IN (SELECT suite FROM bv_case)
ORDER BY r.suite, r.median_ms;
