-- Funnel bindings over an Odoo-like and a Salesforce-replica-like CRM.
-- Every generated view is checked against plain SQL over the same rows:
-- both EXCEPT directions must be empty.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS salesplan;
RESET client_min_messages;
SET extra_float_digits = 0;
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
\set SHOW_CONTEXT never

-- An Odoo-like CRM (field names of Odoo 16/17: crm.lead, crm.stage,
-- mail.activity, project.milestone stored as crm_lead, crm_stage, ...).
CREATE SCHEMA odoo;
CREATE TABLE odoo.crm_stage (
    id integer PRIMARY KEY,
    name varchar NOT NULL,
    sequence integer NOT NULL,
    is_won boolean NOT NULL DEFAULT false,
    fold boolean NOT NULL DEFAULT false
);
-- ids deliberately out of sequence order: Negotiation (id 5) comes before Won (id 4)
INSERT INTO odoo.crm_stage VALUES
    (1, 'New', 1, false, false),
    (2, 'Qualified', 2, false, false),
    (3, 'Proposition', 3, false, false),
    (5, 'Negotiation', 4, false, false),
    (4, 'Won', 70, true, false);
CREATE TABLE odoo.crm_lead (
    id integer PRIMARY KEY,
    name varchar NOT NULL,
    type varchar NOT NULL DEFAULT 'opportunity',
    stage_id integer REFERENCES odoo.crm_stage (id),
    expected_revenue numeric,
    probability double precision,
    active boolean NOT NULL DEFAULT true,
    team_id integer,
    user_id integer,
    partner_id integer,
    date_open timestamp,
    date_closed timestamp
);
-- 60 leads: stage cycles through the five stages, every 4th lead not won is
-- lost (archived, active = false), every 11th has no expected revenue
INSERT INTO odoo.crm_lead
SELECT g, 'lead ' || g, 'opportunity', s.stage_id,
       CASE WHEN g % 11 = 0 THEN NULL ELSE 1000 + (g % 7) * 250 END,
       CASE WHEN s.stage_id = 4 THEN 100 WHEN g % 4 = 0 THEN 0 ELSE 10 * s.stage_id END,
       NOT (g % 4 = 0 AND s.stage_id <> 4),
       1 + g % 2, 10 + g % 3, 100 + g % 17,
       timestamp '2024-01-01 09:00' + g * 3 * interval '1 day',
       CASE WHEN s.stage_id = 4 OR g % 4 = 0
            THEN timestamp '2024-01-01 09:00' + g * 3 * interval '1 day' + (g % 5) * 10 * interval '1 day' END
FROM generate_series(1, 60) AS g
CROSS JOIN LATERAL (SELECT (ARRAY[1, 2, 3, 5, 4])[1 + (g * g + g / 7) % 5] AS stage_id) AS s;

CREATE SCHEMA rep;
-- stages as a foreign key to crm_stage ordered by sequence; lost = archived
SELECT * FROM salesplan.bind_funnel('odoo_funnel', 'rep', 'odoo.crm_lead', 'stage_id',
    amount_column => 'expected_revenue', period_column => 'date_open', period => 'quarter',
    dimensions => '{team_id}', stage_table => 'odoo.crm_stage',
    active_column => 'active', account_column => 'partner_id',
    opened_column => 'date_open', closed_date_column => 'date_closed');
SELECT name, kind, target_schema, materialized, paradigm, spec FROM salesplan.binding ORDER BY name;

-- plain SQL: a stage's ordinal is its rank by (sequence, id); reached = the
-- ordinal of the lead's current stage (Odoo keeps a lost lead in the stage
-- it was lost at); 5 stages, the last (Won) = won
CREATE TEMP VIEW odoo_src AS
WITH ord AS (SELECT id, name, (row_number() OVER (ORDER BY sequence, id))::int AS ord FROM odoo.crm_stage)
SELECT date_trunc('quarter', l.date_open)::date AS period, l.team_id, o.ord AS reached,
       l.expected_revenue AS amount, l.active, l.partner_id,
       CASE WHEN o.ord = 5 OR NOT l.active THEN l.date_closed::date - l.date_open::date END AS cycle_days
FROM odoo.crm_lead l LEFT JOIN ord o ON o.id = l.stage_id;

CREATE TEMP VIEW odoo_plain AS
SELECT period, team_id,
       count(*) FILTER (WHERE reached IS NOT NULL) AS population,
       count(*) FILTER (WHERE reached >= 1) AS leads,
       count(*) FILTER (WHERE reached = 5) AS won,
       coalesce(sum(amount) FILTER (WHERE reached = 5), 0) AS revenue,
       round(sum(amount) FILTER (WHERE reached = 5) / count(amount) FILTER (WHERE reached = 5), max(scale(amount))) AS aov,
       (count(*) FILTER (WHERE reached = 5))::float8 / count(*) FILTER (WHERE reached >= 1) AS overall_conversion,
       count(*) FILTER (WHERE reached IS NULL) AS unmapped,
       count(*) FILTER (WHERE reached = 5) AS won_deals,
       count(*) FILTER (WHERE NOT active) AS lost_deals,
       (count(*) FILTER (WHERE reached = 5))::float8
         / nullif(count(*) FILTER (WHERE reached = 5) + count(*) FILTER (WHERE NOT active), 0) AS win_rate
FROM odoo_src GROUP BY period, team_id;

CREATE TEMP VIEW odoo_view AS
SELECT period, team_id, population, leads, won, revenue, round(aov, 8) AS aov, overall_conversion,
       unmapped, won_deals, lost_deals, win_rate
FROM rep.odoo_funnel;

SELECT (SELECT count(*) FROM odoo_view) AS view_rows,
       (SELECT count(*) FROM (SELECT * FROM odoo_view EXCEPT SELECT * FROM odoo_plain) d) AS view_only,
       (SELECT count(*) FROM (SELECT * FROM odoo_plain EXCEPT SELECT * FROM odoo_view) d) AS plain_only;

CREATE TEMP VIEW odoo_plain_stages AS
WITH ord AS (SELECT name, (row_number() OVER (ORDER BY sequence, id))::int AS ord FROM odoo.crm_stage)
SELECT s.period, s.team_id, o.ord AS stage, o.name::text AS stage_name,
       count(*) FILTER (WHERE s.reached >= o.ord) AS entered,
       CASE WHEN o.ord < 5 THEN count(*) FILTER (WHERE s.reached >= o.ord + 1) END AS advanced,
       CASE WHEN o.ord < 5 THEN count(*) FILTER (WHERE s.reached >= o.ord + 1) END::float8
         / nullif(count(*) FILTER (WHERE s.reached >= o.ord), 0) AS conversion,
       (count(*) FILTER (WHERE s.reached >= o.ord))::float8
         / nullif(count(*) FILTER (WHERE s.reached >= 1), 0) AS cumulative,
       coalesce(sum(s.amount) FILTER (WHERE s.reached = o.ord), 0) AS amount
FROM odoo_src s CROSS JOIN ord o
GROUP BY s.period, s.team_id, o.ord, o.name;

CREATE TEMP VIEW odoo_view_stages AS
SELECT period, team_id, stage, stage_name, entered, advanced, conversion, cumulative, amount
FROM rep.odoo_funnel_stages;

SELECT (SELECT count(*) FROM odoo_view_stages) AS view_rows,
       (SELECT count(*) FROM (SELECT * FROM odoo_view_stages EXCEPT SELECT * FROM odoo_plain_stages) d) AS view_only,
       (SELECT count(*) FROM (SELECT * FROM odoo_plain_stages EXCEPT SELECT * FROM odoo_view_stages) d) AS plain_only;

-- identity: revenue = leads x product of conversions x aov, per group
SELECT f.period, f.team_id, f.revenue,
       round((f.leads * exp(sum(ln(s.conversion))) * f.aov)::numeric, 6) AS leads_x_conv_x_aov
FROM rep.odoo_funnel f
JOIN rep.odoo_funnel_stages s USING (group_key)
WHERE s.stage < 5
GROUP BY f.period, f.team_id, f.revenue, f.leads, f.aov
ORDER BY 1, 2;

-- paradigm fit per team: accounts = distinct partners, deal-size spread
-- over positive amounts, median cycle over won and lost leads
CREATE TEMP VIEW odoo_plain_fit AS
SELECT team_id, count(DISTINCT partner_id) AS accounts, count(*) AS deals,
       round(avg(amount) FILTER (WHERE amount > 0), max(scale(amount))) AS avg_deal_size,
       -- at least 5 positive amounts per team here, so no NULL spread
       (stddev_pop(amount) FILTER (WHERE amount > 0) / avg(amount) FILTER (WHERE amount > 0))::float8 AS deal_size_cv,
       percentile_cont(0.9) WITHIN GROUP (ORDER BY amount::float8) FILTER (WHERE amount > 0)
         / percentile_cont(0.1) WITHIN GROUP (ORDER BY amount::float8) FILTER (WHERE amount > 0) AS deal_size_p90_p10,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY cycle_days::float8) AS median_cycle_days
FROM odoo_src GROUP BY team_id;

SELECT (SELECT count(*) FROM (SELECT team_id, accounts, deals, avg_deal_size, deal_size_cv, deal_size_p90_p10, median_cycle_days FROM rep.odoo_funnel_fit
                              EXCEPT SELECT * FROM odoo_plain_fit) d) AS view_only,
       (SELECT count(*) FROM (SELECT * FROM odoo_plain_fit
                              EXCEPT SELECT team_id, accounts, deals, avg_deal_size, deal_size_cv, deal_size_p90_p10, median_cycle_days FROM rep.odoo_funnel_fit) d) AS plain_only;

-- scores and verdict: need = 90 / (90 + median cycle), standardization =
-- 1 / (1 + cv / 2); 17 accounts < 1000, so at best 'behavior'
SELECT team_id, accounts, median_cycle_days, round(need_score::numeric, 4) AS need,
       round(standardization_score::numeric, 4) AS std, looks_like, declared, matches,
       need_score = 90 / (90 + median_cycle_days) AS need_ok,
       standardization_score = 1 / (1 + deal_size_cv / 2) AS std_ok
FROM rep.odoo_funnel_fit ORDER BY team_id;

-- every generated view is security_invoker and every column has a comment
SELECT c.relname, c.relkind, c.reloptions, obj_description(c.oid, 'pg_class') IS NOT NULL AS commented,
       (SELECT count(*) FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0
          AND col_description(c.oid, a.attnum) IS NULL) AS uncommented_columns,
       (SELECT string_agg(format_type(a.atttypid, a.atttypmod), ',' ORDER BY a.attnum)
          FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0) AS column_types
FROM pg_class c WHERE c.relnamespace = 'rep'::regnamespace ORDER BY c.relname;

-- money columns have one scale: the amount is an unconstrained numeric
-- holding whole numbers here, so revenue is exact (scale 0) and aov is
-- rounded to the largest scale of the amounts (0): no 16-decimal averages
SELECT DISTINCT scale(revenue) AS revenue_scale, scale(aov) AS aov_scale FROM rep.odoo_funnel WHERE aov IS NOT NULL;
SELECT DISTINCT scale(amount) AS amount_scale FROM rep.odoo_funnel_stages;

-- regenerate rebuilds the views from the stored binding (in place: the
-- temporary views built on them above survive)
SELECT * FROM salesplan.regenerate('odoo_funnel');
SELECT (SELECT count(*) FROM (SELECT * FROM odoo_view EXCEPT SELECT * FROM odoo_plain) d) AS view_only,
       (SELECT count(*) FROM (SELECT * FROM odoo_plain EXCEPT SELECT * FROM odoo_view) d) AS plain_only;

-- A Salesforce replica: quoted CamelCase names, stages as names in an
-- order, "Closed Lost" not in the order, the deepest stage taken from
-- "OpportunityHistory"; won and closed from "IsWon" and "IsClosed".
CREATE SCHEMA "SF";
CREATE TABLE "SF"."Opportunity" (
    "Id" varchar(18) PRIMARY KEY,
    "Name" text NOT NULL,
    "AccountId" varchar(18),
    "StageName" text NOT NULL,
    "Amount" numeric(18, 2),
    "IsClosed" boolean NOT NULL,
    "IsWon" boolean NOT NULL,
    "CloseDate" date NOT NULL,
    "CreatedDate" timestamptz NOT NULL,
    "OwnerId" varchar(18) NOT NULL,
    "LeadSource" text
);
CREATE TABLE "SF"."OpportunityHistory" (
    "Id" varchar(18) PRIMARY KEY,
    "OpportunityId" varchar(18) NOT NULL,
    "StageName" text NOT NULL,
    "Amount" numeric(18, 2),
    "CloseDate" date,
    "CreatedDate" timestamptz NOT NULL
);
-- 48 opportunities; maxs = deepest stage 1..6; every third one short of
-- won is lost ("Closed Lost"); every tenth (g % 10 = 7) moved back two
-- stages after reaching maxs, so only the history shows how deep it went
CREATE TEMP TABLE sf_gen AS
SELECT g, maxs, lost,
       CASE WHEN g % 10 = 7 THEN greatest(maxs - 2, 1) ELSE maxs END AS cur
FROM generate_series(1, 48) AS g
CROSS JOIN LATERAL (SELECT 1 + (g * 5 + g / 4) % 6 AS maxs) AS m
CROSS JOIN LATERAL (SELECT m.maxs < 6 AND g % 3 = 0 AS lost) AS l;
INSERT INTO "SF"."Opportunity"
SELECT '006' || lpad(g::text, 15, '0'), 'Opp ' || g, '001' || lpad((g % 20)::text, 15, '0'),
       CASE WHEN lost THEN 'Closed Lost'
            ELSE (ARRAY['Prospecting', 'Qualification', 'Needs Analysis', 'Proposal/Price Quote',
                        'Negotiation/Review', 'Closed Won'])[cur] END,
       CASE WHEN g % 9 = 0 THEN NULL ELSE 500 * (1 + g % 5) + 0.25 * (g % 4) END,
       lost OR (cur = 6), NOT lost AND cur = 6,
       date '2024-01-15' + g * 5,
       (date '2024-01-15' + g * 5 - (10 + g % 30))::timestamptz,
       '005' || lpad((g % 3)::text, 15, '0'),
       CASE g % 4 WHEN 0 THEN NULL WHEN 1 THEN 'Web' WHEN 2 THEN 'Partner Referral' ELSE 'Phone Inquiry' END
FROM sf_gen;
INSERT INTO "SF"."OpportunityHistory"
SELECT '008' || lpad((g * 10 + s)::text, 15, '0'), '006' || lpad(g::text, 15, '0'),
       CASE WHEN s > maxs THEN 'Closed Lost'
            ELSE (ARRAY['Prospecting', 'Qualification', 'Needs Analysis', 'Proposal/Price Quote',
                        'Negotiation/Review', 'Closed Won'])[s] END,
       NULL, NULL, timestamptz '2024-01-01' + (g * 10 + s) * interval '1 hour'
FROM sf_gen CROSS JOIN LATERAL generate_series(1, maxs + CASE WHEN lost THEN 1 ELSE 0 END) AS s;

CREATE SCHEMA "SF Reports";
SELECT * FROM salesplan.bind_funnel('sf_pipeline', 'SF Reports', '"SF"."Opportunity"', 'StageName',
    amount_column => 'Amount', period_column => 'CloseDate', period => 'quarter',
    dimensions => '{OwnerId,LeadSource}',
    stage_order => ARRAY['Prospecting', 'Qualification', 'Needs Analysis', 'Proposal/Price Quote',
                         'Negotiation/Review', 'Closed Won'],
    history_table => '"SF"."OpportunityHistory"', history_key => 'OpportunityId', entity_key => 'Id',
    won_column => 'IsWon', closed_column => 'IsClosed', account_column => 'AccountId',
    opened_column => 'CreatedDate', closed_date_column => 'CloseDate',
    materialized => true);

-- plain SQL: reached = the deepest position in the stage order over the
-- current stage and every history row
CREATE TEMP VIEW sf_src AS
WITH pos AS (SELECT * FROM unnest(ARRAY['Prospecting', 'Qualification', 'Needs Analysis', 'Proposal/Price Quote',
                                        'Negotiation/Review', 'Closed Won']) WITH ORDINALITY AS p(stage, ord))
SELECT date_trunc('quarter', o."CloseDate"::timestamp)::date AS period, o."OwnerId", o."LeadSource",
       (SELECT max(p.ord)::int FROM pos p
         WHERE p.stage = o."StageName"
            OR p.stage IN (SELECT h."StageName" FROM "SF"."OpportunityHistory" h WHERE h."OpportunityId" = o."Id")) AS reached,
       o."Amount" AS amount, o."IsWon", o."IsClosed", o."AccountId",
       CASE WHEN o."IsClosed" THEN o."CloseDate" - o."CreatedDate"::date END AS cycle_days
FROM "SF"."Opportunity" o;

CREATE TEMP VIEW sf_plain AS
SELECT period, "OwnerId", "LeadSource",
       count(*) FILTER (WHERE reached IS NOT NULL) AS population,
       count(*) FILTER (WHERE reached >= 1) AS leads,
       count(*) FILTER (WHERE reached = 6) AS won,
       coalesce(sum(amount) FILTER (WHERE reached = 6), 0) AS revenue,
       round(sum(amount) FILTER (WHERE reached = 6) / nullif(count(amount) FILTER (WHERE reached = 6), 0), 2) AS aov,
       (count(*) FILTER (WHERE reached = 6))::float8 / nullif(count(*) FILTER (WHERE reached >= 1), 0) AS overall_conversion,
       count(*) FILTER (WHERE reached IS NULL) AS unmapped,
       count(*) FILTER (WHERE "IsWon") AS won_deals,
       count(*) FILTER (WHERE "IsClosed" AND NOT "IsWon") AS lost_deals,
       (count(*) FILTER (WHERE "IsWon"))::float8 / nullif(count(*) FILTER (WHERE "IsClosed"), 0) AS win_rate
FROM sf_src GROUP BY period, "OwnerId", "LeadSource";

CREATE TEMP VIEW sf_view AS
SELECT period, "OwnerId", "LeadSource", population, leads, won, revenue, round(aov, 8) AS aov,
       overall_conversion, unmapped, won_deals, lost_deals, win_rate
FROM "SF Reports".sf_pipeline;

SELECT (SELECT count(*) FROM sf_view) AS view_rows,
       (SELECT count(*) FROM sf_view WHERE "LeadSource" IS NULL) AS null_source_rows,
       (SELECT count(*) FROM (SELECT * FROM sf_view EXCEPT SELECT * FROM sf_plain) d) AS view_only,
       (SELECT count(*) FROM (SELECT * FROM sf_plain EXCEPT SELECT * FROM sf_view) d) AS plain_only;

CREATE TEMP VIEW sf_plain_stages AS
WITH pos AS (SELECT * FROM unnest(ARRAY['Prospecting', 'Qualification', 'Needs Analysis', 'Proposal/Price Quote',
                                        'Negotiation/Review', 'Closed Won']) WITH ORDINALITY AS p(stage, ord))
SELECT s.period, s."OwnerId", s."LeadSource", p.ord::int AS stage, p.stage AS stage_name,
       count(*) FILTER (WHERE s.reached >= p.ord) AS entered,
       CASE WHEN p.ord < 6 THEN count(*) FILTER (WHERE s.reached >= p.ord + 1) END AS advanced,
       CASE WHEN p.ord < 6 THEN count(*) FILTER (WHERE s.reached >= p.ord + 1) END::float8
         / nullif(count(*) FILTER (WHERE s.reached >= p.ord), 0) AS conversion,
       (count(*) FILTER (WHERE s.reached >= p.ord))::float8 / nullif(count(*) FILTER (WHERE s.reached >= 1), 0) AS cumulative,
       coalesce(sum(s.amount) FILTER (WHERE s.reached = p.ord), 0) AS amount
FROM sf_src s CROSS JOIN pos p
GROUP BY s.period, s."OwnerId", s."LeadSource", p.ord, p.stage;

CREATE TEMP VIEW sf_view_stages AS
SELECT period, "OwnerId", "LeadSource", stage, stage_name, entered, advanced, conversion, cumulative, amount
FROM "SF Reports".sf_pipeline_stages;

SELECT (SELECT count(*) FROM sf_view_stages) AS view_rows,
       (SELECT count(*) FROM (SELECT * FROM sf_view_stages EXCEPT SELECT * FROM sf_plain_stages) d) AS view_only,
       (SELECT count(*) FROM (SELECT * FROM sf_plain_stages EXCEPT SELECT * FROM sf_view_stages) d) AS plain_only;

-- the history matters: without it the moved-back opportunities would count
-- only to their current stage
SELECT count(*) FILTER (WHERE cur < maxs AND NOT lost) AS moved_back,
       count(*) FILTER (WHERE lost) AS lost_depth_from_history
FROM sf_gen;
SELECT sum(leads) AS leads, sum(won) AS won, sum(won_deals) AS won_deals, sum(lost_deals) AS lost_deals,
       sum(revenue) AS revenue
FROM "SF Reports".sf_pipeline;
-- from the generator: how many reached "Closed Won" (maxs = 6), how many
-- of those are still there (won_deals), how many were lost
SELECT count(*) FILTER (WHERE maxs = 6) AS maxs_6, count(*) FILTER (WHERE maxs = 6 AND cur = 6) AS still_won,
       count(*) FILTER (WHERE lost) AS lost
FROM sf_gen;

CREATE TEMP VIEW sf_plain_fit AS
SELECT "OwnerId", "LeadSource", count(DISTINCT "AccountId") AS accounts, count(*) AS deals,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY cycle_days::float8) AS median_cycle_days
FROM sf_src GROUP BY "OwnerId", "LeadSource";
SELECT (SELECT count(*) FROM (SELECT "OwnerId", "LeadSource", accounts, deals, median_cycle_days FROM "SF Reports".sf_pipeline_fit
                              EXCEPT SELECT * FROM sf_plain_fit) d) AS view_only,
       (SELECT count(*) FROM (SELECT * FROM sf_plain_fit
                              EXCEPT SELECT "OwnerId", "LeadSource", accounts, deals, median_cycle_days FROM "SF Reports".sf_pipeline_fit) d) AS plain_only;

-- materialized: unique index on the grouping key, NULL dimensions included
SELECT c.relname, c.relkind, i.indisunique, pg_get_indexdef(i.indexrelid) AS indexdef
FROM pg_class c JOIN pg_index i ON i.indrelid = c.oid
WHERE c.relnamespace = '"SF Reports"'::regnamespace ORDER BY c.relname;

-- a change in the CRM shows after a concurrent refresh, and only then
UPDATE "SF"."Opportunity" SET "StageName" = 'Closed Won', "IsWon" = true, "IsClosed" = true
WHERE "Id" = '006000000000000002';  -- was open at Negotiation/Review
SELECT (SELECT count(*) FROM (SELECT * FROM sf_plain EXCEPT SELECT * FROM sf_view) d) AS stale_rows;
SELECT * FROM salesplan.refresh('sf_pipeline');
SELECT (SELECT count(*) FROM (SELECT * FROM sf_view EXCEPT SELECT * FROM sf_plain) d) AS view_only,
       (SELECT count(*) FROM (SELECT * FROM sf_plain EXCEPT SELECT * FROM sf_view) d) AS plain_only,
       (SELECT count(*) FROM (SELECT * FROM sf_view_stages EXCEPT SELECT * FROM sf_plain_stages) d) AS stages_view_only,
       (SELECT count(*) FROM (SELECT * FROM sf_plain_stages EXCEPT SELECT * FROM sf_view_stages) d) AS stages_plain_only;

-- ordinal stages without a declared count: as many stages as the deepest seen
CREATE TABLE odoo.lead_ordinal AS SELECT id, 1 + id % 4 AS stage, expected_revenue FROM odoo.crm_lead;
SELECT * FROM salesplan.bind_funnel('ordinal_funnel', 'rep', 'odoo.lead_ordinal', 'stage',
    amount_column => 'expected_revenue');
-- by hand: ids 1..60, stage 1 + id % 4: 15 each of 1..4, so entered =
-- 60, 45, 30, 15 and conversion = 0.75, 2/3, 0.5; won = the 15 at stage 4
-- (id % 4 = 3); revenue = sum of 1000 + 250 * (id % 7) over those ids except
-- 11 and 55 (no amount) = 21750; no won/lost columns, so no win rate
SELECT group_key, period, population, leads, won, revenue, unmapped, won_deals, lost_deals, win_rate
FROM rep.ordinal_funnel;
SELECT stage, stage_name, entered, advanced, conversion FROM rep.ordinal_funnel_stages ORDER BY stage;

-- a stage table with a Lost stage outside the sequence (sequence NULL):
-- 3 stages; the lead at Lost is unmapped (no history to say how deep it got)
CREATE TABLE odoo.stage3 (id int PRIMARY KEY, name text, sequence int);
INSERT INTO odoo.stage3 VALUES (1, 'New', 10), (2, 'Offer', 20), (3, 'Won', 30), (4, 'Lost', NULL);
CREATE TABLE odoo.lead3 (id int PRIMARY KEY, stage_id int, amount numeric);
INSERT INTO odoo.lead3 VALUES (1, 1, 10), (2, 2, 20), (3, 3, 30), (4, 3, 40), (5, 4, 50);
SELECT * FROM salesplan.bind_funnel('lost_outside', 'rep', 'odoo.lead3', 'stage_id', amount_column => 'amount',
    stage_table => 'odoo.stage3');
-- by hand: reached 1, 2, 3, 3 and one unmapped: leads 4, won 2, revenue 70
SELECT leads, won, revenue, unmapped, won_deals FROM rep.lost_outside;
SELECT stage, stage_name, entered FROM rep.lost_outside_stages ORDER BY stage;
SELECT salesplan.unbind('lost_outside');

-- clean up (the extension goes too: the install test creates it afresh)
DROP VIEW odoo_view, odoo_view_stages, sf_view, sf_view_stages;
SELECT salesplan.unbind('ordinal_funnel'), salesplan.unbind('sf_pipeline'), salesplan.unbind('odoo_funnel');
SELECT salesplan.unbind('no such binding');
SELECT count(*) AS left_over FROM pg_class WHERE relnamespace IN ('rep'::regnamespace, '"SF Reports"'::regnamespace);
SET client_min_messages = warning;
DROP SCHEMA rep, "SF Reports", "SF", odoo CASCADE;
DROP EXTENSION salesplan;
