-- make bench: outcome_agg against the scan floor and a hand-written
-- histogram in plain SQL.
--
-- Input: one row per opportunity of the sample CRM (crm.opportunity): the
-- day it was created, its close date when closed, whether it was won, and a
-- fixed status date, grouped by month of creation (about 24 groups).  The
-- input is materialised first so that all queries read the same rows and
-- differ only in the aggregation.
\set ON_ERROR_STOP on
SET client_min_messages = warning;
SET max_parallel_workers_per_gather = 0;

DROP TABLE IF EXISTS bench.opp_outcome;
CREATE TABLE bench.opp_outcome AS
SELECT to_char(o.created_at AT TIME ZONE 'UTC', 'YYYY-MM') AS grp,
       (o.created_at AT TIME ZONE 'UTC')::date AS started,
       CASE WHEN o.is_closed THEN o.close_date END AS ended,
       o.is_won AS won
FROM crm.opportunity o;
VACUUM ANALYZE bench.opp_outcome;
SELECT max(started) AS as_of FROM bench.opp_outcome \gset

SELECT count(*) AS rows, count(DISTINCT grp) AS groups FROM bench.opp_outcome;

-- the queries take turns (bench.run_rounds); the second floor also reads
-- the columns outcome_agg reads
SELECT bench.run_rounds('outcome_agg',
    ARRAY['floor: count(*)', 'floor reading the same columns: count(started), count(ended), count(won)',
          'salesplan.outcome_agg', 'hand-written histogram'],
    ARRAY['SELECT grp, count(*) FROM bench.opp_outcome GROUP BY grp',
          'SELECT grp, count(started), count(ended), count(won) FROM bench.opp_outcome GROUP BY grp',
          format('SELECT grp, salesplan.outcome_agg(started, ended, won, %L::date) FROM bench.opp_outcome GROUP BY grp',
                 :'as_of'),
          -- the same histogram by hand: per group and duration, won, lost and open
          format($q$SELECT grp, CASE WHEN ended <= %1$L::date THEN ended ELSE %1$L::date END - started AS days,
                     count(*) FILTER (WHERE ended <= %1$L::date AND won) AS won,
                     count(*) FILTER (WHERE ended <= %1$L::date AND NOT coalesce(won, false)) AS lost,
                     count(*) FILTER (WHERE ended IS NULL OR ended > %1$L::date) AS open
              FROM bench.opp_outcome WHERE started <= %1$L::date AND NOT coalesce(ended < started, false)
              GROUP BY 1, 2$q$, :'as_of')],
    :runs) IS NOT NULL AS measured;

-- the answers agree (checked once, outside the timings)
SELECT bool_and(salesplan.entered(o) = h.n AND salesplan.won_count(o) = h.won) AS same_answers
FROM (SELECT grp, salesplan.outcome_agg(started, ended, won, :'as_of'::date) AS o FROM bench.opp_outcome GROUP BY grp) a
JOIN (SELECT grp, count(*) FILTER (WHERE started <= :'as_of'::date AND NOT coalesce(ended < started, false)) AS n,
             count(*) FILTER (WHERE ended >= started AND ended <= :'as_of'::date AND won) AS won
      FROM bench.opp_outcome GROUP BY grp) h USING (grp);

\echo '== outcome_agg: ratio to the scan floor (goal <= 1.5) and to a hand-written histogram =='
SELECT * FROM bench.report('outcome_agg', 'floor: count(*)');
SELECT * FROM bench.report('outcome_agg', 'hand-written histogram');
