-- make demo: probability paradigm report over the sample CRM (schema crm).
-- The lead funnel: one row per lead, stage 1 = lead, 2 = converted to an
-- opportunity (New), 3..7 = the opportunity's deepest pipeline stage
-- (Qualified .. Won) from its stage history; Lost sits outside the
-- sequence.  Team = the SDR team working the lead.
\pset footer off
\pset null '-'
SET client_min_messages = warning;

-- Bind the lead funnel through salesplan.bind_funnel: stages held as
-- ordinals (7 = won), by quarter and SDR team.  The report below reads the
-- generated view, as a BI tool would.
CREATE SCHEMA IF NOT EXISTS reports;
SELECT count(salesplan.unbind(b.name)) AS dropped FROM salesplan.binding b WHERE b.name = 'crm_leads' \gset
DROP VIEW IF EXISTS reports.lead_funnel_source;
CREATE VIEW reports.lead_funnel_source AS
SELECT l.id, t.name AS team, l.source, l.created_at,
       CASE WHEN o.id IS NULL THEN 1
            WHEN o.is_won THEN 7
            ELSE 1 + coalesce((SELECT max(s.sequence)
                               FROM crm.opportunity_stage_history h
                               JOIN crm.stage s ON s.id = h.stage_id
                               WHERE h.opportunity_id = o.id), 1)
       END AS reached,
       o.amount
FROM crm.lead l
LEFT JOIN crm.opportunity o ON o.id = l.opportunity_id
JOIN crm.rep r ON r.id = l.owner_rep_id
JOIN crm.team t ON t.id = r.team_id;
COMMENT ON VIEW reports.lead_funnel_source IS 'demo: one row per lead with its deepest stage (1 = lead .. 7 = won)';
SELECT count(*) AS views_created FROM salesplan.bind_funnel('crm_leads', 'reports', 'reports.lead_funnel_source',
    'reached', amount_column => 'amount', period_column => 'created_at', period => 'quarter',
    dimensions => '{team}', stages => 7) \gset

-- the analyst queries below aggregate the same rows by quarter
CREATE TEMP VIEW demo_deal AS
SELECT id, team, date_trunc('quarter', created_at AT TIME ZONE 'UTC')::date AS quarter, reached, amount
FROM reports.lead_funnel_source;

\echo
\echo '=== Probability paradigm: lead funnel by SDR team and quarter, 2026 (view reports.crm_leads) ==='
SELECT team, period AS quarter, leads, won, revenue,
       round(aov, 2) AS avg_order,
       round(overall_conversion::numeric, 3) AS won_per_lead
FROM reports.crm_leads
WHERE period >= '2026-01-01'
ORDER BY team, period;

\echo
\echo '=== Stage funnel, all teams, 2026 ==='
SELECT (salesplan.funnel_chart(f, 40, false,
        ARRAY['Lead'] || (SELECT array_agg(name ORDER BY sequence) FROM crm.stage WHERE sequence IS NOT NULL))) AS funnel
FROM (SELECT salesplan.funnel_agg(reached, amount, 7) AS f FROM demo_deal
      WHERE quarter >= '2026-01-01') s;

\echo
\echo '=== Target back-solve: 2027 target = 2026 revenue + 20%, at 2026 rates ==='
SELECT p.stage, coalesce(st.name, 'Lead') AS name, p.required, p.actual AS this_year, p.gap
FROM (SELECT salesplan.funnel_agg(reached, amount, 7) AS f FROM demo_deal
      WHERE quarter >= '2026-01-01') s,
     LATERAL salesplan.plan(f, round(salesplan.revenue(f) * 1.2, 2)) p
LEFT JOIN crm.stage st ON st.sequence = p.stage - 1
ORDER BY p.stage;

\echo
\echo '=== Why revenue moved: 2026 Q3 against 2025 Q3 (exact Shapley attribution) ==='
SELECT g.factor, g.effect
FROM (SELECT salesplan.funnel_agg(reached, amount, 7) FILTER (WHERE quarter = '2026-07-01') AS q26,
             salesplan.funnel_agg(reached, amount, 7) FILTER (WHERE quarter = '2025-07-01') AS q25
      FROM demo_deal) s,
     LATERAL salesplan.explain_gap(q26, q25) g;
