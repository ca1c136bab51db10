-- Every paradigm over the sample CRM, checked against plain SQL over the
-- same generated rows: the lead funnel, the gap attribution, target-account
-- coverage with the caller-given ladder mapping, milestone earned value and
-- punctuality, and the ordered window funnel.
CREATE EXTENSION salesplan;
SET client_min_messages = warning;
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
\set seed 11
\set scale 0.2
\set ECHO none
\i test/data/sample_crm.sql
\set ECHO all

-- ---------------------------------------------------------------------
-- Probability: the lead funnel (1 = lead, 2 = opportunity, 3..7 = the
-- opportunity's deepest pipeline stage; won = 7) per lead source
-- ---------------------------------------------------------------------
CREATE TEMP TABLE lf AS
SELECT l.id, l.source, l.created_at,
       CASE WHEN o.id IS NULL THEN 1
            WHEN o.is_won THEN 7
            ELSE 1 + coalesce((SELECT max(s.sequence) FROM crm.opportunity_stage_history h
                               JOIN crm.stage s ON s.id = h.stage_id
                               WHERE h.opportunity_id = o.id), 1)
       END AS reached,
       o.amount
FROM crm.lead l
LEFT JOIN crm.opportunity o ON o.id = l.opportunity_id;

WITH agg AS (
    SELECT source, salesplan.funnel_agg(reached, amount, 7) AS f FROM lf GROUP BY source
), plain AS (
    SELECT source,
           ARRAY[count(*) FILTER (WHERE reached >= 1), count(*) FILTER (WHERE reached >= 2),
                 count(*) FILTER (WHERE reached >= 3), count(*) FILTER (WHERE reached >= 4),
                 count(*) FILTER (WHERE reached >= 5), count(*) FILTER (WHERE reached >= 6),
                 count(*) FILTER (WHERE reached >= 7)] AS entered,
           coalesce(sum(amount) FILTER (WHERE reached = 7), 0) AS revenue,
           sum(amount) FILTER (WHERE reached = 7) / nullif(count(amount) FILTER (WHERE reached = 7), 0) AS aov
    FROM lf GROUP BY source
)
SELECT a.source,
       salesplan.leads(a.f) > 50 AS has_volume,
       salesplan.entered(a.f) = p.entered AS entered_same,
       salesplan.revenue(a.f) = p.revenue AS revenue_same,
       salesplan.aov(a.f) IS NOT DISTINCT FROM p.aov AS aov_same,
       (SELECT bool_and(s.amount = coalesce((SELECT sum(amount) FROM lf WHERE lf.source = a.source AND lf.reached = s.stage), 0))
        FROM salesplan.stages(a.f) s) AS stage_amounts_same
FROM agg a JOIN plain p USING (source)
ORDER BY a.source;

-- the gap between 2026 H1 and 2025 H1 is attributed exactly
WITH f AS (
    SELECT salesplan.funnel_agg(reached, amount, 7) FILTER (WHERE created_at >= '2026-01-01' AND created_at < '2026-07-01') AS n,
           salesplan.funnel_agg(reached, amount, 7) FILTER (WHERE created_at >= '2025-01-01' AND created_at < '2025-07-01') AS s
    FROM lf
)
SELECT salesplan.revenue(n) <> salesplan.revenue(s) AS revenue_moved,
       (SELECT sum(effect) FROM salesplan.explain_gap(n, s)) = salesplan.revenue(n) - salesplan.revenue(s) AS effects_sum_to_gap,
       (SELECT bool_and(x.effect = -y.effect)
        FROM salesplan.explain_gap(n, s) x JOIN salesplan.explain_gap(s, n) y USING (factor)) AS swap_negates
FROM f;

-- ---------------------------------------------------------------------
-- Behavior: target accounts in 2026-10-01 .. 2026-11-27, levels from
-- activities through the default mapping, won value of deals closed won in
-- the period; the plain-SQL levels restate the mapping as a CASE.
-- ---------------------------------------------------------------------
CREATE TEMP TABLE acct AS
SELECT a.id, a.territory, a.potential_value,
       max(salesplan.ladder_level(x.kind, x.outcome, salesplan.default_ladder_mapping())) AS level,
       max(CASE WHEN x.id IS NULL THEN NULL
                WHEN x.outcome = 'no_answer' THEN 0
                WHEN x.outcome IN ('left_message', 'sent') THEN 1
                WHEN x.outcome IN ('connected', 'needs_explored', 'declined') THEN 2
                WHEN x.outcome = 'qualified' THEN 3
                WHEN x.kind IN ('visit', 'meeting') THEN 2
                ELSE 1 END) AS plain_level,
       (SELECT sum(o.amount) FROM crm.opportunity o
        WHERE o.account_id = a.id AND o.is_won AND o.close_date BETWEEN '2026-10-01' AND '2026-11-27') AS won
FROM crm.account a
LEFT JOIN crm.activity x ON x.account_id = a.id
                        AND x.occurred_at >= '2026-10-01' AND x.occurred_at < '2026-11-28'
WHERE a.is_target
GROUP BY a.id, a.territory, a.potential_value;

SELECT count(*) FILTER (WHERE level IS DISTINCT FROM plain_level) AS level_mismatches,
       count(*) FILTER (WHERE level IS NULL) > 0 AS some_untouched_targets
FROM acct;

WITH agg AS (
    SELECT territory, salesplan.coverage_agg(level, won, potential_value) AS c FROM acct GROUP BY territory
), plain AS (
    SELECT territory, count(*) AS targets,
           count(*) FILTER (WHERE coalesce(plain_level, 0) >= 1)::float8 / count(*) AS coverage,
           count(*) FILTER (WHERE coalesce(plain_level, 0) >= 3)::float8 / count(*) AS qualified,
           (sum(coalesce(won, 0)) FILTER (WHERE potential_value IS NOT NULL)
            / nullif(sum(potential_value), 0))::float8 AS penetration
    FROM acct GROUP BY territory
)
SELECT a.territory,
       salesplan.targets(a.c) = p.targets AS targets_same,
       salesplan.coverage_rate(a.c) = p.coverage AS coverage_same,
       salesplan.coverage_rate(a.c, 3) = p.qualified AS qualified_same,
       abs(salesplan.penetration_rate(a.c) - p.penetration) < 1e-12 AS penetration_same
FROM agg a JOIN plain p USING (territory)
ORDER BY a.territory;

-- rollup of the territories equals the whole list
SELECT salesplan.coverage_rate(r) = salesplan.coverage_rate(w)
       AND salesplan.penetration_rate(r) = salesplan.penetration_rate(w)
       AND salesplan.signing_rate(r) = salesplan.signing_rate(w) AS rollup_same
FROM (SELECT salesplan.rollup(c) AS r
      FROM (SELECT salesplan.coverage_agg(level, won, potential_value) AS c FROM acct GROUP BY territory) t) x,
     (SELECT salesplan.coverage_agg(level, won, potential_value) AS w FROM acct) y;

-- ---------------------------------------------------------------------
-- Project: earned value and punctuality per project as of 2026-11-27
-- ---------------------------------------------------------------------
WITH agg AS (
    SELECT project_id, salesplan.schedule_agg(baseline_date, actual_date, weight) AS s
    FROM crm.milestone GROUP BY project_id
), plain AS (
    SELECT project_id,
           -- a NULL weight counts as the mean of the project's known weights
           sum(coalesce(weight, mean)) FILTER (WHERE baseline_date <= date '2026-11-27') AS pv,
           sum(coalesce(weight, mean)) FILTER (WHERE actual_date <= date '2026-11-27') AS ev,
           -- one due on the status date and not yet reached is still open
           count(*) FILTER (WHERE baseline_date < date '2026-11-27'
                              OR (baseline_date = date '2026-11-27' AND actual_date <= baseline_date)) AS due,
           count(*) FILTER (WHERE baseline_date <= date '2026-11-27' AND actual_date <= baseline_date) AS on_time,
           count(*) FILTER (WHERE baseline_date <= date '2026-11-27'
                              AND coalesce(least(actual_date, date '2026-11-27'), date '2026-11-27') > baseline_date) AS late
    FROM crm.milestone
    JOIN (SELECT project_id, coalesce(round(avg(weight), 8), 1) AS mean FROM crm.milestone GROUP BY project_id) m
      USING (project_id)
    GROUP BY project_id
)
SELECT count(*) AS projects,
       count(*) FILTER (WHERE salesplan.planned_value(a.s, '2026-11-27') IS DISTINCT FROM coalesce(p.pv, 0)) AS pv_mismatches,
       count(*) FILTER (WHERE salesplan.earned_value(a.s, '2026-11-27') IS DISTINCT FROM coalesce(p.ev, 0)) AS ev_mismatches,
       count(*) FILTER (WHERE salesplan.on_time_rate(a.s, '2026-11-27')
                              IS DISTINCT FROM p.on_time::float8 / nullif(p.due, 0)) AS on_time_mismatches,
       count(*) FILTER (WHERE salesplan.late_milestones(a.s, '2026-11-27') <> p.late) AS late_mismatches,
       sum(p.late) > 0 AS some_late
FROM agg a JOIN plain p USING (project_id);

-- ---------------------------------------------------------------------
-- Ordered funnel: window_funnel over the stage history (30 days) against
-- a recursive CTE that follows the earliest next stage within the window
-- ---------------------------------------------------------------------
CREATE TEMP TABLE ev AS
SELECT h.opportunity_id, h.entered_at, s.sequence AS step
FROM crm.opportunity_stage_history h JOIN crm.stage s ON s.id = h.stage_id;

WITH RECURSIVE c AS (
    SELECT DISTINCT opportunity_id, entered_at AS start, entered_at AS last, 1 AS lvl
    FROM ev WHERE step = 1
  UNION ALL
    SELECT c.opportunity_id, c.start, n.entered_at, c.lvl + 1
    FROM c CROSS JOIN LATERAL (
        SELECT e.entered_at FROM ev e
        WHERE e.opportunity_id = c.opportunity_id AND e.step = c.lvl + 1
          AND e.entered_at >= c.last AND e.entered_at <= c.start + interval '30 days'
        ORDER BY e.entered_at LIMIT 1) n
), by_sql AS (
    SELECT opportunity_id, max(lvl) AS level FROM c GROUP BY opportunity_id
), by_wf AS (
    SELECT opportunity_id, salesplan.window_funnel('30 days', entered_at, step) AS level
    FROM ev GROUP BY opportunity_id
)
SELECT count(*) > 1000 AS many_opportunities,
       count(*) FILTER (WHERE w.level <> coalesce(s.level, 0)) AS level_mismatches,
       count(DISTINCT w.level) > 3 AS several_levels
FROM by_wf w LEFT JOIN by_sql s USING (opportunity_id);

-- leave the database as found: every test creates the extension itself
SET client_min_messages = warning;
DROP SCHEMA crm CASCADE;
DROP EXTENSION salesplan CASCADE;
