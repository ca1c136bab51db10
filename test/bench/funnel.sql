-- make bench: funnel_agg against the scan floor and the best hand-written SQL.
--
-- Input: one row per lead of the sample CRM (crm.lead, 20,000 x scale rows:
-- 5 million at the default bench scale of 250), its deepest stage in a
-- 7-stage lead funnel (1 = lead, 2 = converted to an opportunity, 3..7 =
-- the opportunity's pipeline stages Qualified .. Won) and the deal amount,
-- grouped by source and month (about 120 groups).  The input is
-- materialised first so that all three queries read the same rows and
-- differ only in the aggregation.
\set ON_ERROR_STOP on
SET client_min_messages = warning;
SET max_parallel_workers_per_gather = 0;

DROP TABLE IF EXISTS bench.lead_funnel;
CREATE TABLE bench.lead_funnel AS
SELECT l.source || ' ' || to_char(l.created_at AT TIME ZONE 'UTC', 'YYYY-MM') AS grp,
       CASE WHEN o.id IS NULL THEN 1
            WHEN o.is_won THEN 7
            ELSE 1 + coalesce((SELECT max(s.sequence) FROM crm.opportunity_stage_history h
                               JOIN crm.stage s ON s.id = h.stage_id
                               WHERE h.opportunity_id = o.id), 1)
       END AS reached,
       o.amount
FROM crm.lead l
LEFT JOIN crm.opportunity o ON o.id = l.opportunity_id;
VACUUM ANALYZE bench.lead_funnel;

SELECT count(*) AS rows, count(DISTINCT grp) AS groups FROM bench.lead_funnel;

-- the queries take turns (bench.run_rounds); the second floor also reads
-- the two columns funnel_agg reads (its share of the gap is column access,
-- not aggregation)
SELECT bench.run_rounds('funnel_agg',
    ARRAY['floor: count(*)', 'floor reading the same columns: count(reached), count(amount)',
          'salesplan.funnel_agg', 'hand-written FILTER'],
    ARRAY['SELECT grp, count(*) FROM bench.lead_funnel GROUP BY grp',
          'SELECT grp, count(reached), count(amount) FROM bench.lead_funnel GROUP BY grp',
          'SELECT grp, salesplan.funnel_agg(reached, amount, 7) FROM bench.lead_funnel GROUP BY grp',
    $q$SELECT grp, count(*) FILTER (WHERE reached >= 1) AS e1, count(*) FILTER (WHERE reached >= 2) AS e2,
              count(*) FILTER (WHERE reached >= 3) AS e3, count(*) FILTER (WHERE reached >= 4) AS e4,
              count(*) FILTER (WHERE reached >= 5) AS e5, count(*) FILTER (WHERE reached >= 6) AS e6,
              count(*) FILTER (WHERE reached >= 7) AS e7,
              sum(amount) FILTER (WHERE reached = 1) AS a1, sum(amount) FILTER (WHERE reached = 2) AS a2,
              sum(amount) FILTER (WHERE reached = 3) AS a3, sum(amount) FILTER (WHERE reached = 4) AS a4,
              sum(amount) FILTER (WHERE reached = 5) AS a5, sum(amount) FILTER (WHERE reached = 6) AS a6,
              sum(amount) FILTER (WHERE reached = 7) AS a7, count(amount) FILTER (WHERE reached = 7) AS priced_won
       FROM bench.lead_funnel GROUP BY grp$q$],
    :runs) IS NOT NULL AS measured;

-- the answers agree (checked once, outside the timings)
SELECT bool_and(salesplan.won(f) = h.won AND salesplan.revenue(f) = coalesce(h.revenue, 0)) AS same_answers
FROM (SELECT grp, salesplan.funnel_agg(reached, amount, 7) AS f FROM bench.lead_funnel GROUP BY grp) a
JOIN (SELECT grp, count(*) FILTER (WHERE reached = 7) AS won, sum(amount) FILTER (WHERE reached = 7) AS revenue
      FROM bench.lead_funnel GROUP BY grp) h USING (grp);

\echo '== funnel_agg: ratio to the scan floor (goal <= 1.5) and to hand-written SQL (goal < 1) =='
SELECT * FROM bench.report('funnel_agg', 'floor: count(*)');
SELECT * FROM bench.report('funnel_agg', 'hand-written FILTER');
