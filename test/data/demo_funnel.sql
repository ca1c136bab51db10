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
            ELSE 1 + coalesce(o.deepest, 1)
       END AS reached,
       o.amount
FROM crm.lead l
LEFT JOIN (SELECT o.id, o.is_won, o.amount, h.deepest
           FROM crm.opportunity o
           LEFT JOIN (SELECT h.opportunity_id, max(s.sequence) AS deepest
                      FROM crm.opportunity_stage_history h
                      JOIN crm.stage s ON s.id = h.stage_id
                      GROUP BY h.opportunity_id) h ON h.opportunity_id = o.id) o ON o.id = l.opportunity_id
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

-- Deals still open.  Each lead's path through the seven stages: entry into
-- stage 1 = the lead's creation, into stage k >= 2 = the first entry into
-- pipeline stage k - 1 or a deeper one (a skipped stage counts as entered
-- when the next one is), the loss = entry into Lost.  For the
-- censoring-aware rates (salesplan.outcome_agg, doc/outcomes.md) stage k
-- starts at entry into k and ends at entry into k + 1 (won) or at the loss
-- (lost); otherwise it is still open at the CRM's status date, 2026-11-28
-- 00:00 UTC, and weighs in as far as it has been watched.  A lead never
-- converted stays open at stage 1 (the CRM records no disqualification).
CREATE TEMP VIEW demo_path AS
WITH h AS (
    SELECT h.opportunity_id AS opp,
           min(h.entered_at) FILTER (WHERE s.sequence >= 1) AS e2,
           min(h.entered_at) FILTER (WHERE s.sequence >= 2) AS e3,
           min(h.entered_at) FILTER (WHERE s.sequence >= 3) AS e4,
           min(h.entered_at) FILTER (WHERE s.sequence >= 4) AS e5,
           min(h.entered_at) FILTER (WHERE s.sequence >= 5) AS e6,
           min(h.entered_at) FILTER (WHERE s.sequence >= 6) AS e7,
           max(h.entered_at) FILTER (WHERE s.is_lost) AS lost_at
    FROM crm.opportunity_stage_history h
    JOIN crm.stage s ON s.id = h.stage_id
    GROUP BY h.opportunity_id
)
SELECT d.id, d.team, d.quarter, d.reached, d.amount,
       ARRAY[l.created_at, h.e2, h.e3, h.e4, h.e5, h.e6, h.e7] AS entered_at, h.lost_at,
       timestamptz '2026-11-28 00:00+00' AS as_of
FROM demo_deal d
JOIN crm.lead l ON l.id = d.id
LEFT JOIN h ON h.opp = l.opportunity_id;

-- one row per lead and stage entered (stages 1..6: each has a next stage)
CREATE TEMP VIEW demo_stage_outcome AS
SELECT p.id, p.team, p.quarter, k AS stage, p.entered_at[k] AS started,
       coalesce(p.entered_at[k + 1], p.lost_at) AS ended,
       p.entered_at[k + 1] IS NOT NULL AS won, p.as_of
FROM demo_path p, generate_series(1, 6) AS k
WHERE p.entered_at[k] IS NOT NULL;

-- one row per lead, lead -> won: ends when its deal is won or lost
CREATE TEMP VIEW demo_lead_outcome AS
SELECT p.id, p.team, p.quarter, p.entered_at[1] AS started,
       coalesce(p.entered_at[7], p.lost_at) AS ended, p.entered_at[7] IS NOT NULL AS won, p.as_of,
       p.reached >= 2 AND p.entered_at[7] IS NULL AND p.lost_at IS NULL AS open_deal
FROM demo_path p;

\echo
\echo '=== Deals still open: lead -> won per lead cohort (quarter), naive and censoring-aware ==='
\echo 'naive = won / leads so far (an open deal counts as not won); won_30d/90d/180d and eventual:'
\echo 'the Aalen-Johansen estimate of winning within that many days of the lead (open deals weighed'
\echo 'in as far as they have been watched; - where the cohort is younger than the horizon).'
\echo 'A young cohort is judged at the horizons it has reached, not by its naive rate.'
SELECT quarter, salesplan.entered(o) AS leads, salesplan.won_count(o) AS won, open_deals,
       round(salesplan.naive_win_rate(o)::numeric, 4) AS naive,
       CASE WHEN watched >= 30 THEN round(salesplan.win_probability(o, '30 days')::numeric, 4) END AS won_30d,
       CASE WHEN watched >= 90 THEN round(salesplan.win_probability(o, '90 days')::numeric, 4) END AS won_90d,
       CASE WHEN watched >= 180 THEN round(salesplan.win_probability(o, '180 days')::numeric, 4) END AS won_180d,
       round(salesplan.win_probability(o)::numeric, 4) AS eventual, watched AS days_watched
FROM (SELECT quarter, salesplan.outcome_agg(started, ended, won, as_of) AS o,
             count(*) FILTER (WHERE open_deal) AS open_deals,
             extract(day FROM max(as_of - started))::int AS watched
      FROM demo_lead_outcome GROUP BY quarter) s
ORDER BY quarter;

\echo
\echo '=== 2026 Q4 leads by SDR team: naive against censoring-aware lead -> won ==='
\echo 'censoring-aware: the Q4 cohort alone (it only says what happens within the days watched);'
\echo 'pooled: all 2026 leads, Q4 included, so older cohorts supply the later days (the 2026 rate).'
SELECT team, salesplan.entered(q4) AS leads, open_deals,
       round(salesplan.naive_win_rate(q4)::numeric, 4) AS naive,
       round(salesplan.win_probability(q4)::numeric, 4) AS censoring_aware,
       round(salesplan.naive_win_rate(y)::numeric, 4) AS naive_2026,
       round(salesplan.win_probability(y)::numeric, 4) AS censoring_aware_2026
FROM (SELECT team, salesplan.outcome_agg(started, ended, won, as_of) FILTER (WHERE quarter = '2026-10-01') AS q4,
             salesplan.outcome_agg(started, ended, won, as_of) AS y,
             count(*) FILTER (WHERE open_deal AND quarter = '2026-10-01') AS open_deals
      FROM demo_lead_outcome WHERE quarter >= '2026-01-01' GROUP BY team) s
ORDER BY team;

\echo
\echo '=== Target back-solve: 2027 target = 2026 revenue + 20%, at 2026 rates ==='
\echo 'required_naive: at the naive rates of 2026 leads (deals still open count as lost);'
\echo 'required: at censoring-aware rates (Aalen-Johansen per stage over all 2026 leads,'
\echo 'salesplan.plan(f, target, conversions, aov)).  Same order value (2026 won deals).'
\echo 'The target is 120% of the revenue booked so far: 2026 leads at these rates will bring more.'
WITH f AS (
    SELECT salesplan.funnel_agg(reached, amount, 7) AS f FROM demo_deal WHERE quarter >= '2026-01-01'
), r AS (
    SELECT array_agg(salesplan.win_probability(o)::numeric ORDER BY stage) AS aware
    FROM (SELECT stage, salesplan.outcome_agg(started, ended, won, as_of) AS o
          FROM demo_stage_outcome WHERE quarter >= '2026-01-01' GROUP BY stage) s
)
SELECT a.stage, coalesce(st.name, 'Lead') AS name,
       round((salesplan.conversions(f.f))[a.stage]::numeric, 4) AS naive_rate,
       round(r.aware[a.stage], 4) AS rate,
       n.required AS required_naive, a.required, a.actual AS this_year, a.gap
FROM f, r,
     LATERAL salesplan.plan(f.f, round(salesplan.revenue(f.f) * 1.2, 2), r.aware, salesplan.aov(f.f)) a
JOIN LATERAL salesplan.plan(f.f, round(salesplan.revenue(f.f) * 1.2, 2)) n USING (stage)
LEFT JOIN crm.stage st ON st.sequence = a.stage - 1
ORDER BY a.stage;

\echo
\echo '=== Why revenue moved: 2026 Q3 against 2025 Q3 (exact Shapley attribution) ==='
\echo 'naive: booked revenue, from each cohort''s rates so far (the 2026 Q3 deals still open count as lost);'
\echo 'censoring-aware: expected eventual revenue = leads x censoring-aware rate per stage x order value'
\echo '(explain_gap with both sides as numbers).  A single young cohort''s rates cover only the days'
\echo 'it has been watched: what is left on the last conversions is partly deals not yet closed.'
WITH f AS (
    SELECT salesplan.funnel_agg(reached, amount, 7) FILTER (WHERE quarter = '2026-07-01') AS q26,
           salesplan.funnel_agg(reached, amount, 7) FILTER (WHERE quarter = '2025-07-01') AS q25
    FROM demo_deal
), r AS (
    SELECT array_agg(salesplan.win_probability(o26)::numeric ORDER BY stage) AS r26,
           array_agg(salesplan.win_probability(o25)::numeric ORDER BY stage) AS r25
    FROM (SELECT stage,
                 salesplan.outcome_agg(started, ended, won, as_of) FILTER (WHERE quarter = '2026-07-01') AS o26,
                 salesplan.outcome_agg(started, ended, won, as_of) FILTER (WHERE quarter = '2025-07-01') AS o25
          FROM demo_stage_outcome GROUP BY stage) s
), naive AS (
    SELECT g.factor, g.effect FROM f, LATERAL salesplan.explain_gap(q26, q25) g
), aware AS (
    SELECT g.factor, g.effect, g.n
    FROM f, r, LATERAL salesplan.explain_gap(salesplan.leads(q26)::numeric, r26, round(salesplan.aov(q26), 2),
                                             salesplan.leads(q25)::numeric, r25, round(salesplan.aov(q25), 2))
                       WITH ORDINALITY AS g(factor, effect, n)
)
SELECT factor, naive, censoring_aware
FROM (SELECT coalesce(aware.n, 90) AS n, factor, naive.effect AS naive, aware.effect AS censoring_aware
      FROM naive FULL JOIN aware USING (factor)
      UNION ALL
      SELECT 99, 'total', (SELECT sum(effect) FROM naive), (SELECT sum(effect) FROM aware)) t
ORDER BY n, factor;
