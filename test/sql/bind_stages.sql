-- Stages of bindings: names from a translated jsonb column (Odoo 17), in
-- the binding's language with en_US as the fallback; stage_order refused
-- on a numeric stage column; ordinals outside the declared stage count
-- counted as unmapped rather than failing the view.  Expected values from
-- plain SQL over the same rows.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS salesplan;
RESET client_min_messages;
SET extra_float_digits = 0;
SET TimeZone = 'UTC';
\set SHOW_CONTEXT never

CREATE SCHEMA odoo;
-- Odoo 17 stores crm_stage.name as jsonb, one key per installed language
CREATE TABLE odoo.crm_stage (id int PRIMARY KEY, name jsonb NOT NULL, sequence int, is_won boolean);
INSERT INTO odoo.crm_stage VALUES
    (1, '{"en_US": "New", "fr_FR": "Nouveau"}', 1, false),
    (2, '{"en_US": "Qualified", "fr_FR": "Qualifié"}', 2, false),
    (3, '{"en_US": "Proposition"}', 3, false),
    (4, '{"en_US": "Won", "fr_FR": "Gagné"}', 4, true);
CREATE TABLE odoo.crm_lead (id int PRIMARY KEY, stage_id int, active boolean, expected_revenue numeric,
                            create_date timestamp);
INSERT INTO odoo.crm_lead SELECT g, 1 + g % 4, true, 100 * g, timestamp '2024-01-01' + g * interval '1 day'
FROM generate_series(1, 20) AS g;
CREATE TABLE odoo.stage_history (lead_id int, stage_id int, at timestamp);
INSERT INTO odoo.stage_history SELECT l.id, s, l.create_date + s * interval '1 day'
FROM odoo.crm_lead l CROSS JOIN LATERAL generate_series(1, l.stage_id) AS s;
CREATE SCHEMA rep;

SELECT count(*) AS views FROM salesplan.bind_funnel('leads_fr', 'rep', 'odoo.crm_lead', 'stage_id',
    amount_column => 'expected_revenue', stage_table => 'odoo.crm_stage', stage_won_column => 'is_won',
    active_column => 'active', language => 'fr_FR');
SELECT count(*) AS views FROM salesplan.bind_window_funnel('flow', 'rep', 'odoo.stage_history', 'lead_id', 'at',
    'stage_id', within => '30 days', stage_table => 'odoo.crm_stage');
-- plain SQL: the name in fr_FR, else en_US
SELECT s.sequence AS stage, coalesce(s.name ->> 'fr_FR', s.name ->> 'en_US') AS fr, s.name ->> 'en_US' AS en,
       count(l.*) FILTER (WHERE l.stage_id >= s.id) AS entered
FROM odoo.crm_stage s CROSS JOIN odoo.crm_lead l GROUP BY s.sequence, s.name ORDER BY 1;
SELECT stage, stage_name, entered FROM rep.leads_fr_stages ORDER BY stage;
SELECT step, step_name, reached FROM rep.flow ORDER BY step;

-- ordinals: stages => 3 over data that reaches 5; ranks 4 and 5 are
-- unmapped (and so is -1), the view works
CREATE TABLE odoo.lead_ordinal (id int PRIMARY KEY, stage int, amount numeric);
INSERT INTO odoo.lead_ordinal SELECT g, g % 7 - 1, 10 * g FROM generate_series(1, 21) AS g;
SELECT count(*) AS views FROM salesplan.bind_funnel('ordinal', 'rep', 'odoo.lead_ordinal', 'stage',
    amount_column => 'amount', stages => 3);
SELECT count(*) FILTER (WHERE stage BETWEEN 0 AND 3) AS population, count(*) FILTER (WHERE stage BETWEEN 1 AND 3) AS leads,
       count(*) FILTER (WHERE stage = 3) AS won, sum(amount) FILTER (WHERE stage = 3) AS revenue,
       count(*) FILTER (WHERE stage NOT BETWEEN 0 AND 3) AS unmapped
FROM odoo.lead_ordinal;
SELECT population, leads, won, revenue, unmapped FROM rep.ordinal;
-- steps beyond the declared count are no steps of the windowed funnel
-- (each lead passes its steps a day apart, well within the window)
CREATE TABLE odoo.step_history (lead_id int, step int, at timestamp);
INSERT INTO odoo.step_history SELECT l.id, s, timestamp '2024-01-01' + s * interval '1 day'
FROM odoo.lead_ordinal l CROSS JOIN LATERAL generate_series(1, greatest(l.stage, 0)) AS s;
SELECT count(*) AS views FROM salesplan.bind_window_funnel('steps', 'rep', 'odoo.step_history', 'lead_id', 'at',
    'step', within => '30 days', stages => 3);
SELECT k AS step, count(DISTINCT lead_id) FILTER (WHERE step >= k) AS reached
FROM odoo.step_history CROSS JOIN generate_series(1, 3) AS k GROUP BY k ORDER BY k;
SELECT step, reached FROM rep.steps ORDER BY step;

-- stage_order on a numeric stage column: refused at bind time
SELECT salesplan.bind_funnel('e', 'rep', 'odoo.crm_lead', 'stage_id', stage_order => '{1,2,3,4}');
\set VERBOSITY sqlstate
SELECT salesplan.bind_window_funnel('e', 'rep', 'odoo.stage_history', 'lead_id', 'at', 'stage_id',
    within => '1 day', stage_order => '{New,Won}');
\set VERBOSITY default

SELECT salesplan.unbind('leads_fr'), salesplan.unbind('flow'), salesplan.unbind('ordinal'), salesplan.unbind('steps');
SET client_min_messages = warning;
DROP SCHEMA rep, odoo CASCADE;
DROP EXTENSION salesplan;
