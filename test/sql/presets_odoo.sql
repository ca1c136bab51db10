-- presets_odoo: salesplan.bind_odoo over a stock Odoo 17 schema
-- (test/data/odoo17.sql) creates every view in one call, and every number
-- of every view equals a plain-SQL computation over the raw Odoo tables
-- (the oracles below: they read crm_lead.won_status, the stored field Odoo
-- computes, where the preset derives won and lost from active, probability
-- and the stage).  Quoted, mixed-case schema names; a session time zone far
-- from UTC (Odoo stores UTC); French labels with the en_US fallback.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS salesplan;
SET extra_float_digits = 0;
SET TimeZone = 'Asia/Tokyo';
SET DateStyle = 'ISO, YMD';
\set SHOW_CONTEXT never
\set odoo_schema 'Odoo 17'
\set ECHO none
\i test/data/odoo17.sql
\set ECHO all
CREATE SCHEMA "Odoo Reports";

-- before the preset, a user wrote 49 lines of glue in 8 views; now: one call
SELECT * FROM salesplan.bind_odoo('Odoo Reports', 'Odoo 17', target_tag => 'Compte clé', language => 'fr_FR',
    period_start => '2024-01-01', period_end => '2025-01-01', as_of => '2024-06-30');
-- ordinary bindings, owned by the caller
SELECT name, kind, target_schema, materialized, paradigm, owner FROM salesplan.binding ORDER BY name;
-- every view is security_invoker and commented, every column commented
SELECT c.relname, c.reloptions, obj_description(c.oid, 'pg_class') IS NOT NULL AS commented,
       count(*) FILTER (WHERE col_description(c.oid, a.attnum) IS NULL) AS uncommented_columns
FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0
WHERE c.relnamespace = '"Odoo Reports"'::regnamespace
GROUP BY c.oid, c.relname, c.reloptions ORDER BY c.relname;

-- stages: French names, en_US fallback (Proposition), the two won stages
-- collapsed into one, last
SELECT * FROM "Odoo Reports".odoo_src_stage ORDER BY stage_sequence;

-- ---------------------------------------------------------------------
-- The oracle's building blocks, from the raw tables only
-- ---------------------------------------------------------------------
SET search_path = "Odoo 17";
-- stage ranks: open stages by (sequence, id), every won stage after them
CREATE TEMP VIEW o_rank AS
SELECT s.id, s.is_won,
       CASE WHEN s.is_won THEN (SELECT count(*) FROM crm_stage x WHERE NOT x.is_won) + 1
            ELSE (SELECT count(*) FROM crm_stage x WHERE NOT x.is_won AND (x.sequence, x.id) <= (s.sequence, s.id)) END AS r,
       coalesce(s.name ->> 'fr_FR', s.name ->> 'en_US') AS label
FROM crm_stage s;
-- every stage a lead has been at: its current stage, and both sides of
-- every tracked change of crm.lead.stage_id
CREATE TEMP VIEW o_been AS
SELECT l.id AS lead_id, l.stage_id FROM crm_lead l
UNION ALL
SELECT m.res_id, x.v
FROM mail_tracking_value t JOIN mail_message m ON m.id = t.mail_message_id
JOIN ir_model_fields f ON f.id = t.field_id AND f.model = 'crm.lead' AND f.name = 'stage_id'
CROSS JOIN LATERAL (VALUES (t.old_value_integer), (t.new_value_integer)) AS x(v)
WHERE m.model = 'crm.lead';
-- opportunities with Odoo's own won_status and their deepest stage rank:
-- a won stage counts as won only when won_status says won (else as the
-- last open stage), at least the first stage
CREATE TEMP VIEW o_opp AS
SELECT l.id, l.team_id, coalesce(tm.name ->> 'fr_FR', tm.name ->> 'en_US') AS team, l.expected_revenue AS amount,
       date_trunc('month', l.create_date)::date AS period, l.won_status = 'won' AS w, l.won_status = 'lost' AS lo,
       greatest(1, (SELECT max(CASE WHEN rk.is_won AND l.won_status <> 'won' THEN rk.r - 1 ELSE rk.r END)
                    FROM o_been b JOIN o_rank rk ON rk.id = b.stage_id WHERE b.lead_id = l.id)) AS reached,
       (SELECT p.commercial_partner_id FROM res_partner p WHERE p.id = l.partner_id) AS account
FROM crm_lead l JOIN crm_team tm ON tm.id = l.team_id
WHERE l.type = 'opportunity';
SELECT id, team, period, w, lo, reached FROM o_opp ORDER BY id;

-- ---------------------------------------------------------------------
-- odoo_pipeline
-- ---------------------------------------------------------------------
SELECT period, team, population, leads, won, revenue, aov, overall_conversion, unmapped, won_deals, lost_deals, win_rate
FROM "Odoo Reports".odoo_pipeline ORDER BY period, team_id;
CREATE TEMP VIEW o_pipeline AS
SELECT period, team_id, team, count(*) AS population, count(*) AS leads, count(*) FILTER (WHERE w) AS won,
       coalesce(sum(amount) FILTER (WHERE w), 0) AS revenue,
       round(sum(amount) FILTER (WHERE w) / nullif(count(amount) FILTER (WHERE w), 0), 6) AS aov,
       round((count(*) FILTER (WHERE w))::numeric / count(*), 12) AS overall_conversion, 0 AS unmapped,
       count(*) FILTER (WHERE w) AS won_deals, count(*) FILTER (WHERE lo) AS lost_deals,
       round((count(*) FILTER (WHERE w))::numeric / nullif(count(*) FILTER (WHERE w OR lo), 0), 12) AS win_rate
FROM o_opp GROUP BY period, team_id, team;
SELECT count(*) AS pipeline_differences FROM (
    (SELECT period, team_id, team, population, leads, won, revenue, round(aov, 6), round(overall_conversion::numeric, 12),
            unmapped, won_deals, lost_deals, round(win_rate::numeric, 12) FROM "Odoo Reports".odoo_pipeline
     EXCEPT SELECT * FROM o_pipeline)
    UNION ALL
    (SELECT * FROM o_pipeline
     EXCEPT SELECT period, team_id, team, population, leads, won, revenue, round(aov, 6), round(overall_conversion::numeric, 12),
            unmapped, won_deals, lost_deals, round(win_rate::numeric, 12) FROM "Odoo Reports".odoo_pipeline)) AS d;
-- the archived lead at the Won stage (2): lost, never both (Europe, January:
-- won 1, lost 2, win rate 1/3 — not won 2, lost 1, 0.667)
SELECT won_deals, lost_deals, win_rate FROM "Odoo Reports".odoo_pipeline WHERE period = '2024-01-01' AND team_id = 1;

-- odoo_pipeline_stages
SELECT period, team, stage, stage_name, entered, advanced, conversion, amount
FROM "Odoo Reports".odoo_pipeline_stages ORDER BY period, team_id, stage;
CREATE TEMP VIEW o_stages AS
SELECT o.period, o.team_id, k.r AS stage, (SELECT rk.label FROM o_rank rk WHERE rk.r = k.r ORDER BY rk.id LIMIT 1) AS stage_name,
       count(*) FILTER (WHERE o.reached >= k.r) AS entered,
       CASE WHEN k.r < 4 THEN count(*) FILTER (WHERE o.reached >= k.r + 1) END AS advanced,
       coalesce(sum(o.amount) FILTER (WHERE o.reached = k.r), 0) AS amount
FROM o_opp o CROSS JOIN generate_series(1, 4) AS k(r) GROUP BY o.period, o.team_id, k.r;
SELECT count(*) AS stages_differences FROM (
    (SELECT period, team_id, stage, stage_name, entered, advanced, amount FROM "Odoo Reports".odoo_pipeline_stages
     EXCEPT SELECT * FROM o_stages)
    UNION ALL
    (SELECT * FROM o_stages
     EXCEPT SELECT period, team_id, stage, stage_name, entered, advanced, amount FROM "Odoo Reports".odoo_pipeline_stages)) AS d;

-- odoo_pipeline_stages, censoring-aware (from the chatter's dates): per
-- opportunity, its stage entries from the raw tables: the creation (at the
-- old value of the first tracked change, or the current stage) and every
-- tracked change, ranked as above; stage k is entered on the first day at
-- k or later and left on the first day past k; a lost one (won_status)
-- that did not advance ends on date_closed; the rest are open today
CREATE TEMP VIEW o_stage_entries AS
WITH tv AS (SELECT m.res_id AS lead_id, m.date AS at, t.id, t.old_value_integer AS old_v, t.new_value_integer AS new_v
            FROM mail_tracking_value t JOIN mail_message m ON m.id = t.mail_message_id
            JOIN ir_model_fields f ON f.id = t.field_id AND f.model = 'crm.lead' AND f.name = 'stage_id'
            WHERE m.model = 'crm.lead')
SELECT l.id AS lead_id, l.create_date::date AS d,
       coalesce((SELECT tv.old_v FROM tv WHERE tv.lead_id = l.id ORDER BY tv.at, tv.id LIMIT 1), l.stage_id) AS stage_id
FROM crm_lead l
UNION ALL SELECT tv.lead_id, tv.at::date, tv.new_v FROM tv;
CREATE TEMP VIEW o_stage_rows AS
WITH r AS (
    SELECT o.id, o.period, o.team_id, o.lo, l.date_closed::date AS closed, k.k,
           min(e.d) FILTER (WHERE x.r >= k.k) AS started, min(e.d) FILTER (WHERE x.r > k.k) AS advanced
    FROM o_opp o JOIN crm_lead l ON l.id = o.id JOIN o_stage_entries e ON e.lead_id = o.id
    JOIN LATERAL (SELECT CASE WHEN rk.is_won AND NOT o.w THEN rk.r - 1 ELSE rk.r END AS r
                  FROM o_rank rk WHERE rk.id = e.stage_id) AS x ON true
    CROSS JOIN generate_series(1, 3) AS k(k)
    GROUP BY o.id, o.period, o.team_id, o.lo, l.date_closed, k.k)
SELECT period, team_id, k, CASE WHEN advanced IS NOT NULL THEN 'w' WHEN lo AND closed IS NULL THEN 'u'
                                 WHEN lo THEN 'l' ELSE 'o' END AS st,
       coalesce(advanced, CASE WHEN lo THEN closed END, CURRENT_DATE) - started AS dur
FROM r WHERE started IS NOT NULL;
SELECT period, team_id, k, st, CASE WHEN st <> 'o' THEN dur END AS dur FROM o_stage_rows ORDER BY 1, 2, 3, 4, 5;  -- open: until today
-- Aalen-Johansen in plain SQL: F = sum over durations t of S(t-) * won(t) /
-- at risk(t), S(t-) the product of (1 - ended / at risk) before t
CREATE TEMP VIEW o_stage_open AS
WITH t AS (SELECT period, team_id, k, dur, count(*) FILTER (WHERE st = 'w') AS dw,
                  count(*) FILTER (WHERE st IN ('w', 'l')) AS d, count(*) AS here
           FROM o_stage_rows WHERE st <> 'u' GROUP BY period, team_id, k, dur),
a AS (SELECT t.*, sum(here) OVER (PARTITION BY period, team_id, k ORDER BY dur DESC) AS at_risk FROM t),
s AS (SELECT a.*, exp(coalesce(sum(CASE WHEN d < at_risk THEN ln(1 - d::float8 / at_risk) END)
                      OVER (PARTITION BY period, team_id, k ORDER BY dur ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0)) AS surv
      FROM a),
f AS (SELECT period, team_id, k, sum(surv * dw / at_risk) AS f FROM s GROUP BY period, team_id, k),
c AS (SELECT period, team_id, k, count(*) AS dated, count(*) FILTER (WHERE st = 'o') AS open,
             count(*) FILTER (WHERE st = 'u') AS undated FROM o_stage_rows GROUP BY period, team_id, k)
SELECT g.period, g.team_id, g.stage, coalesce(c.dated, 0) AS entered_dated, coalesce(c.open, 0) AS open_in_stage,
       CASE WHEN coalesce(c.undated, 0) = 0 THEN round(f.f::numeric, 12) END AS conversion_probability
FROM o_stages g LEFT JOIN c ON c.period = g.period AND c.team_id = g.team_id AND c.k = g.stage
LEFT JOIN f ON f.period = g.period AND f.team_id = g.team_id AND f.k = g.stage
WHERE g.stage < 4;
SELECT period, team, stage, entered, entered_dated, open_in_stage, round(conversion_probability::numeric, 6) AS conversion_probability
FROM "Odoo Reports".odoo_pipeline_stages WHERE stage < 4 ORDER BY period, team_id, stage;
SELECT count(*) AS stages_open_differences FROM (
    (SELECT period, team_id, stage, entered_dated, open_in_stage, round(conversion_probability::numeric, 12)
     FROM "Odoo Reports".odoo_pipeline_stages WHERE stage < 4 EXCEPT SELECT * FROM o_stage_open)
    UNION ALL
    (SELECT * FROM o_stage_open EXCEPT SELECT period, team_id, stage, entered_dated, open_in_stage,
            round(conversion_probability::numeric, 12) FROM "Odoo Reports".odoo_pipeline_stages WHERE stage < 4)) AS d;
SELECT count(*) AS last_stage_not_null FROM "Odoo Reports".odoo_pipeline_stages
WHERE stage = 4 AND (entered_dated IS NOT NULL OR open_in_stage IS NOT NULL OR conversion_probability IS NOT NULL);

-- odoo_pipeline_fit: deals and accounts per team over all periods
SELECT team, accounts, deals FROM "Odoo Reports".odoo_pipeline_fit ORDER BY team_id;
SELECT team, count(DISTINCT account) AS accounts, count(*) AS deals FROM o_opp GROUP BY team_id, team ORDER BY team_id;

-- ---------------------------------------------------------------------
-- odoo_stage_flow: the ordered funnel over the chatter's stage history.
-- Oracle events: the creation at the first tracked change's old value (or
-- the current stage), then each tracked change, as stage ranks (a won
-- stage only for leads won now; a deleted stage is no step)
-- ---------------------------------------------------------------------
CREATE TEMP VIEW o_events AS
WITH tr AS (SELECT m.res_id AS lead_id, m.date, t.id AS tid, t.old_value_integer AS old, t.new_value_integer AS new
            FROM mail_tracking_value t JOIN mail_message m ON m.id = t.mail_message_id
            JOIN ir_model_fields f ON f.id = t.field_id AND f.model = 'crm.lead' AND f.name = 'stage_id'
            WHERE m.model = 'crm.lead'),
     ev AS (SELECT l.id AS lead_id, l.create_date AS ts,
                   coalesce((SELECT tr.old FROM tr WHERE tr.lead_id = l.id ORDER BY tr.date, tr.tid LIMIT 1), l.stage_id) AS sid
            FROM crm_lead l
            UNION ALL SELECT tr.lead_id, tr.date, tr.new FROM tr)
SELECT ev.lead_id, ev.ts, CASE WHEN rk.is_won AND l.won_status <> 'won' THEN rk.r - 1 ELSE rk.r END AS step
FROM ev JOIN crm_lead l ON l.id = ev.lead_id LEFT JOIN o_rank rk ON rk.id = ev.sid;
SELECT * FROM o_events ORDER BY lead_id, ts;
CREATE TEMP VIEW o_flow AS
WITH lvl AS (SELECT o.id, o.period, o.team_id,
                    coalesce((SELECT salesplan.window_funnel(interval '90 days', e.ts, e.step::int) FROM o_events e WHERE e.lead_id = o.id), 0) AS level
             FROM o_opp o)
SELECT lvl.period, lvl.team_id, k.s AS step, count(*) AS entities, count(*) FILTER (WHERE lvl.level >= k.s) AS reached,
       CASE WHEN k.s < 4 THEN count(*) FILTER (WHERE lvl.level >= k.s + 1) END AS advanced
FROM lvl CROSS JOIN generate_series(1, 4) AS k(s) GROUP BY lvl.period, lvl.team_id, k.s;
SELECT period, team, step, step_name, entities, reached, advanced, conversion FROM "Odoo Reports".odoo_stage_flow ORDER BY period, team_id, step;
SELECT count(*) AS flow_differences FROM (
    (SELECT period, team_id, step, entities, reached, advanced FROM "Odoo Reports".odoo_stage_flow EXCEPT SELECT * FROM o_flow)
    UNION ALL
    (SELECT * FROM o_flow EXCEPT SELECT period, team_id, step, entities, reached, advanced FROM "Odoo Reports".odoo_stage_flow)) AS d;

-- ---------------------------------------------------------------------
-- odoo_leads: every crm.lead row, Lead -> Opportunity -> Won
-- ---------------------------------------------------------------------
SELECT period, team, population, leads, won, revenue, won_deals, lost_deals, win_rate FROM "Odoo Reports".odoo_leads ORDER BY period, team_id;
CREATE TEMP VIEW o_leads AS
SELECT date_trunc('month', l.create_date)::date AS period, l.team_id, count(*) AS population,
       count(*) FILTER (WHERE l.won_status = 'won') AS won,
       coalesce(sum(l.expected_revenue) FILTER (WHERE l.won_status = 'won'), 0) AS revenue,
       count(*) FILTER (WHERE l.won_status = 'lost') AS lost_deals,
       count(*) FILTER (WHERE l.type = 'opportunity' OR l.won_status = 'won') AS opportunities
FROM crm_lead l GROUP BY 1, 2;
SELECT count(*) AS leads_differences FROM (
    (SELECT p.period, p.team_id, p.population, p.won, p.revenue, p.lost_deals, s.entered
     FROM "Odoo Reports".odoo_leads p JOIN "Odoo Reports".odoo_leads_stages s ON s.group_key = p.group_key AND s.stage = 2
     EXCEPT SELECT * FROM o_leads)
    UNION ALL
    (SELECT * FROM o_leads
     EXCEPT SELECT p.period, p.team_id, p.population, p.won, p.revenue, p.lost_deals, s.entered
     FROM "Odoo Reports".odoo_leads p JOIN "Odoo Reports".odoo_leads_stages s ON s.group_key = p.group_key AND s.stage = 2)) AS d;

-- ---------------------------------------------------------------------
-- odoo_targets: companies tagged "Compte clé" (the French name of tag
-- "Key Account", on the company or a contact; the archived company and the
-- archived tag do not count); touches are logged chatter and meetings
-- attended, never planned activities (Hooli has one, and a declined
-- meeting: it stays untouched)
-- ---------------------------------------------------------------------
SELECT account_id, level, touches, contacts, last_touch, cold, opportunities, won FROM "Odoo Reports".odoo_targets_accounts ORDER BY account_id;
CREATE TEMP VIEW o_touch AS
SELECT coalesce(lp.commercial_partner_id, pp.commercial_partner_id) AS account, m.date::date AS d,
       m.message_type = 'email' AND au.commercial_partner_id = coalesce(lp.commercial_partner_id, pp.commercial_partner_id) AS two_way,
       CASE WHEN au.commercial_partner_id = coalesce(lp.commercial_partner_id, pp.commercial_partner_id) THEN au.id END AS contact
FROM mail_message m
LEFT JOIN crm_lead l ON m.model = 'crm.lead' AND l.id = m.res_id LEFT JOIN res_partner lp ON lp.id = l.partner_id
LEFT JOIN res_partner pp ON m.model = 'res.partner' AND pp.id = m.res_id
LEFT JOIN res_partner au ON au.id = m.author_id
WHERE m.message_type IN ('email', 'email_outgoing', 'comment') OR m.mail_activity_type_id IS NOT NULL
UNION ALL
SELECT q.commercial_partner_id, e.start::date, true, q.id
FROM calendar_attendee a JOIN calendar_event e ON e.id = a.event_id AND e.active JOIN res_partner q ON q.id = a.partner_id
WHERE a.state <> 'declined';
CREATE TEMP VIEW o_targets AS
SELECT p.id AS account_id,
       CASE WHEN EXISTS (SELECT 1 FROM o_opp o WHERE o.account = p.id AND o.w) THEN 5
            WHEN EXISTS (SELECT 1 FROM o_opp o WHERE o.account = p.id) THEN 3
            WHEN EXISTS (SELECT 1 FROM o_touch t WHERE t.account = p.id AND t.two_way) THEN 2
            WHEN EXISTS (SELECT 1 FROM o_touch t WHERE t.account = p.id) THEN 1 ELSE 0 END AS level,
       (SELECT count(*) FROM o_touch t WHERE t.account = p.id) AS touches,
       (SELECT count(DISTINCT t.contact) FROM o_touch t WHERE t.account = p.id) AS contacts,
       (SELECT max(t.d) FROM o_touch t WHERE t.account = p.id) AS last_touch,
       coalesce((SELECT max(t.d) FROM o_touch t WHERE t.account = p.id) < date '2024-06-30' - 30, true) AS cold,
       (SELECT count(*) FROM o_opp o WHERE o.account = p.id) AS opportunities,
       (SELECT coalesce(sum(o.amount) FILTER (WHERE o.w), 0) FROM o_opp o WHERE o.account = p.id) AS won
FROM res_partner p
WHERE p.active AND p.id = p.commercial_partner_id
  AND EXISTS (SELECT 1 FROM res_partner_res_partner_category_rel r JOIN res_partner_category c ON c.id = r.category_id AND c.active
              JOIN res_partner q ON q.id = r.partner_id
              WHERE q.commercial_partner_id = p.id AND c.name ->> 'fr_FR' = 'Compte clé');
SELECT * FROM o_targets ORDER BY account_id;
SELECT count(*) AS targets_differences FROM (
    (SELECT account_id, level, touches, contacts, last_touch, cold, opportunities, won FROM "Odoo Reports".odoo_targets_accounts
     EXCEPT SELECT * FROM o_targets)
    UNION ALL
    (SELECT * FROM o_targets
     EXCEPT SELECT account_id, level, touches, contacts, last_touch, cold, opportunities, won FROM "Odoo Reports".odoo_targets_accounts)) AS d;
SELECT targets, round(coverage_rate::numeric, 6) AS coverage_rate, round(connected_rate::numeric, 6) AS connected_rate,
       round(qualified_rate::numeric, 6) AS qualified_rate, round(signing_rate::numeric, 6) AS signing_rate, cold_accounts, won
FROM "Odoo Reports".odoo_targets;
SELECT count(*) AS targets, round(avg((level >= 1)::int), 6) AS coverage_rate, round(avg((level >= 2)::int), 6) AS connected_rate,
       round(avg((level >= 3)::int), 6) AS qualified_rate, round(avg((level = 5)::int), 6) AS signing_rate,
       count(*) FILTER (WHERE cold) AS cold_accounts, sum(won) AS won
FROM o_targets;
-- without the preset's rule, the planned activity would have reached Hooli
SELECT count(*) AS planned_activities_of_targets FROM mail_activity a
WHERE a.res_model = 'res.partner' AND a.res_id IN (SELECT account_id FROM o_targets);

-- ---------------------------------------------------------------------
-- odoo_delivery: milestones of active projects, start and manager from the
-- project, a stale reached_date without is_reached does not count
-- ---------------------------------------------------------------------
SELECT project_id, project_name, manager_id, milestones, planned_value, earned_value, project_start
FROM "Odoo Reports".odoo_delivery ORDER BY project_id;
SELECT pr.id AS project_id, coalesce(pr.name ->> 'fr_FR', pr.name ->> 'en_US') AS project_name, pr.user_id AS manager_id,
       count(*) AS milestones,
       sum(coalesce(m.quantity_percentage::numeric, 1)) FILTER (WHERE m.deadline <= '2024-06-30') AS planned_value,
       coalesce(sum(coalesce(m.quantity_percentage::numeric, 1)) FILTER (WHERE m.is_reached AND m.reached_date <= '2024-06-30'), 0) AS earned_value,
       pr.date_start AS project_start
FROM project_project pr JOIN project_milestone m ON m.project_id = pr.id
WHERE pr.active GROUP BY pr.id ORDER BY pr.id;
-- odoo_delivery_milestones: each milestone with its own name
-- (project_milestone.name) and its project's; late and slip at as_of, a
-- reached_date counting only with is_reached
SELECT project_id, project_name, milestone_id, milestone_name, planned, actual, late, slip_days
FROM "Odoo Reports".odoo_delivery_milestones ORDER BY milestone_id;
SELECT m.project_id, coalesce(pr.name ->> 'fr_FR', pr.name ->> 'en_US') AS project_name, m.id AS milestone_id,
       m.name AS milestone_name, m.deadline AS planned, CASE WHEN m.is_reached THEN m.reached_date END AS actual,
       m.deadline <= '2024-06-30' AND least(CASE WHEN m.is_reached THEN m.reached_date END, '2024-06-30') > m.deadline AS late,
       CASE WHEN m.deadline <= '2024-06-30' THEN least(CASE WHEN m.is_reached THEN m.reached_date END, '2024-06-30') - m.deadline END AS slip_days
FROM project_milestone m JOIN project_project pr ON pr.id = m.project_id
WHERE pr.active ORDER BY m.id;
RESET search_path;

-- ---------------------------------------------------------------------
-- the bindings are ordinary: regenerate rebuilds them, unbind drops them
-- ---------------------------------------------------------------------
SELECT count(*) AS regenerated FROM salesplan.regenerate('odoo_pipeline');
SELECT count(*) AS rows_after FROM "Odoo Reports".odoo_pipeline;

-- materialized, under another prefix and with the en_US default; the
-- censoring-aware rates within 30 days of entry (win_horizon)
CREATE SCHEMA odoo_mat;
SELECT count(*) AS views FROM salesplan.bind_odoo('odoo_mat', 'Odoo 17', prefix => 'm', target_tag => 'Key Account',
    as_of => '2024-06-30', materialized => true, win_horizon => '30 days');
SELECT name, spec -> 'win_horizon_days' AS win_horizon_days, spec ->> 'history_time' AS history_time
FROM salesplan.binding WHERE name IN ('m_pipeline', 'm_leads') ORDER BY name;
SELECT substring(col_description('odoo_mat.m_pipeline_stages'::regclass, a.attnum) from 'within [0-9]+ days') AS horizon
FROM pg_attribute a WHERE a.attrelid = 'odoo_mat.m_pipeline_stages'::regclass AND a.attname = 'conversion_probability';
SELECT relname, relkind FROM pg_class WHERE relnamespace = 'odoo_mat'::regnamespace AND relkind IN ('v', 'm') ORDER BY relname;
SELECT stage, stage_name, entered FROM odoo_mat.m_pipeline_stages WHERE period = '2024-01-01' AND team_id = 1 ORDER BY stage;
SELECT count(*) AS refreshed FROM salesplan.refresh('m_pipeline');

-- ---------------------------------------------------------------------
-- errors name what is missing
-- ---------------------------------------------------------------------
\set VERBOSITY default
SELECT * FROM salesplan.bind_odoo('Odoo Reports', 'Odoo 17');                  -- taken
SELECT * FROM salesplan.bind_odoo('nowhere', 'Odoo 17', prefix => 'x');        -- no target schema
SELECT * FROM salesplan.bind_odoo('Odoo Reports', 'odoo', prefix => 'x');       -- no source schema
CREATE SCHEMA odoo_empty;
SELECT * FROM salesplan.bind_odoo('Odoo Reports', 'odoo_empty', prefix => 'x'); -- no crm_lead
CREATE TABLE odoo_empty.crm_lead (LIKE "Odoo 17".crm_lead);
CREATE TABLE odoo_empty.crm_stage (LIKE "Odoo 17".crm_stage);
CREATE TABLE odoo_empty.crm_team (LIKE "Odoo 17".crm_team);
CREATE TABLE odoo_empty.res_partner (LIKE "Odoo 17".res_partner);
CREATE TABLE odoo_empty.mail_message (LIKE "Odoo 17".mail_message);
CREATE TABLE odoo_empty.mail_tracking_value (LIKE "Odoo 17".mail_tracking_value);
CREATE TABLE odoo_empty.ir_model_fields (LIKE "Odoo 17".ir_model_fields);
ALTER TABLE odoo_empty.crm_lead DROP COLUMN probability;
SELECT * FROM salesplan.bind_odoo('Odoo Reports', 'odoo_empty', prefix => 'x'); -- a missing column
ALTER TABLE odoo_empty.crm_lead ADD COLUMN probability double precision;
-- an empty Odoo binds (the project app is optional) and gives empty views
SELECT count(*) AS views FROM salesplan.bind_odoo('Odoo Reports', 'odoo_empty', prefix => 'e');
SELECT (SELECT count(*) FROM "Odoo Reports".e_pipeline) AS pipeline_rows, (SELECT count(*) FROM "Odoo Reports".e_targets_accounts) AS targets;
SELECT * FROM salesplan.bind_odoo('Odoo Reports', 'Odoo 17', prefix => 'x', language => 'fr''; DROP');
SELECT * FROM salesplan.bind_odoo('Odoo Reports', 'Odoo 17', prefix => repeat('p', 31));
SELECT * FROM salesplan.bind_odoo('Odoo Reports', 'Odoo 17', prefix => 'x', period => 'fortnight');
SELECT * FROM salesplan.bind_odoo('Odoo Reports', 'Odoo 17', prefix => 'x', win_horizon => '0 days');
-- nothing of a failed call is left behind
SELECT count(*) AS x_views FROM pg_class WHERE relname LIKE 'x\_%' AND relnamespace = '"Odoo Reports"'::regnamespace;
SELECT count(*) AS x_bindings FROM salesplan.binding WHERE name LIKE 'x\_%';

-- materialized over a CRM table with row-level security (read through the
-- source views): refused as a direct materialized binding would be
ALTER TABLE "Odoo 17".mail_tracking_value ENABLE ROW LEVEL SECURITY;
SELECT * FROM salesplan.bind_odoo('odoo_mat', 'Odoo 17', prefix => 'r', materialized => true);
SELECT count(*) AS r_views FROM pg_class WHERE relname LIKE 'r\_%' AND relnamespace = 'odoo_mat'::regnamespace;
ALTER TABLE "Odoo 17".mail_tracking_value DISABLE ROW LEVEL SECURITY;

-- ---------------------------------------------------------------------
-- no more than the generic functions: a role without SELECT on the CRM
-- cannot bind it, and views are created as (and owned by) the caller
-- ---------------------------------------------------------------------
CREATE ROLE regress_preset_user;
CREATE SCHEMA preset_rep AUTHORIZATION regress_preset_user;
SET ROLE regress_preset_user;
SELECT * FROM salesplan.bind_odoo('preset_rep', 'Odoo 17');
RESET ROLE;
GRANT USAGE ON SCHEMA "Odoo 17" TO regress_preset_user;
GRANT SELECT ON ALL TABLES IN SCHEMA "Odoo 17" TO regress_preset_user;
REVOKE SELECT ON "Odoo 17".mail_message FROM regress_preset_user;
SET ROLE regress_preset_user;
SELECT * FROM salesplan.bind_odoo('preset_rep', 'Odoo 17');
RESET ROLE;
GRANT SELECT ON "Odoo 17".mail_message TO regress_preset_user;
SET ROLE regress_preset_user;
SELECT count(*) AS views FROM salesplan.bind_odoo('preset_rep', 'Odoo 17', prefix => 'u', target_tag => 'Key Account', as_of => '2024-06-30');
SELECT count(*) AS pipeline_rows FROM preset_rep.u_pipeline;
SELECT count(*) AS not_mine FROM pg_class WHERE relnamespace = 'preset_rep'::regnamespace AND relowner <> 'regress_preset_user'::regrole;
-- and may not bind into a schema it cannot create in
SELECT * FROM salesplan.bind_odoo('Odoo Reports', 'Odoo 17', prefix => 'v');
SELECT name, salesplan.unbind(name) AS unbound FROM salesplan.binding WHERE name LIKE 'u\_%' ORDER BY name;
RESET ROLE;
DROP OWNED BY regress_preset_user;
DROP ROLE regress_preset_user;

DISCARD TEMP;
SELECT count(*) AS unbound FROM salesplan.binding WHERE salesplan.unbind(name);
DROP SCHEMA "Odoo Reports", odoo_mat, odoo_empty, "Odoo 17" CASCADE;
DROP EXTENSION salesplan;
