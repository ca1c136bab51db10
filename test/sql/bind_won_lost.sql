-- Won and lost deals of funnel bindings: a deal is won or lost, never
-- both (a lost mark wins: an archived lead at the Won stage is lost), and
-- the ways a CRM says so.  Expected numbers come from plain SQL over the
-- same rows.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS salesplan;
RESET client_min_messages;
SET extra_float_digits = 0;
\set SHOW_CONTEXT never

CREATE SCHEMA crm;
CREATE TABLE crm.stage (id int PRIMARY KEY, name text, sequence int, is_won boolean);
INSERT INTO crm.stage VALUES (1, 'New', 1, false), (2, 'Qualified', 2, false), (3, 'Won', 3, true);
-- Odoo: a lost lead is archived (active = false, probability 0), kept at
-- the stage it was lost at; lead 4 was archived at the Won stage
CREATE TABLE crm.lead (id int PRIMARY KEY, stage_id int, active boolean, probability float8, amount numeric);
INSERT INTO crm.lead VALUES
    (1, 1, true, 10, 100), (2, 2, true, 30, 200), (3, 3, true, 100, 300),
    (4, 3, false, 0, 400), (5, 2, false, 0, 500), (6, 1, true, 10, 600);
CREATE SCHEMA rep;

-- 1. lost by archiving, won by the last stage
SELECT count(*) AS views FROM salesplan.bind_funnel('archived', 'rep', 'crm.lead', 'stage_id',
    amount_column => 'amount', stage_table => 'crm.stage', active_column => 'active');
-- plain SQL: lost = archived; won = at the last stage and not lost
SELECT count(*) FILTER (WHERE l.stage_id = 3 AND l.active) AS won_deals,
       count(*) FILTER (WHERE NOT l.active) AS lost_deals,
       round((count(*) FILTER (WHERE l.stage_id = 3 AND l.active))::numeric
             / (count(*) FILTER (WHERE l.stage_id = 3 AND l.active) + count(*) FILTER (WHERE NOT l.active)), 6) AS win_rate
FROM crm.lead l;
-- (won, the funnel's count of leads that reached the last stage, still
-- counts lead 4: it did reach the Won stage)
SELECT won, won_deals, lost_deals, round(win_rate::numeric, 6) AS win_rate FROM rep.archived;

-- 2. a won flag and a lost flag that contradict each other: lost
ALTER TABLE crm.lead ADD COLUMN won_flag boolean, ADD COLUMN lost_flag boolean;
UPDATE crm.lead SET won_flag = stage_id = 3, lost_flag = NOT active;
SELECT count(*) AS views FROM salesplan.bind_funnel('flags', 'rep', 'crm.lead', 'stage_id',
    stage_table => 'crm.stage', won_column => 'won_flag', lost_column => 'lost_flag');
SELECT count(*) FILTER (WHERE won_flag AND NOT lost_flag) AS won_deals, count(*) FILTER (WHERE lost_flag) AS lost_deals
FROM crm.lead;
SELECT won_deals, lost_deals, round(win_rate::numeric, 6) AS win_rate FROM rep.flags;

-- 3. Salesforce: stages from "OpportunityStage" by "SortOrder", where
-- Closed Lost sorts after Closed Won; its IsWon and IsClosed flags make
-- Closed Won the last stage and Closed Lost a lost stage (no ordinal)
CREATE TABLE crm."OpportunityStage" ("MasterLabel" text PRIMARY KEY, "SortOrder" int, "IsWon" boolean, "IsClosed" boolean);
INSERT INTO crm."OpportunityStage" VALUES
    ('Prospecting', 1, false, false), ('Proposal', 2, false, false),
    ('Closed Won', 3, true, true), ('Closed Lost', 4, false, true);
CREATE TABLE crm."Opportunity" ("Id" text PRIMARY KEY, "StageName" text, "Amount" numeric);
INSERT INTO crm."Opportunity" VALUES
    ('o1', 'Prospecting', 10), ('o2', 'Proposal', 20), ('o3', 'Closed Won', 30), ('o4', 'Closed Won', 40),
    ('o5', 'Closed Lost', 50), ('o6', 'Closed Lost', 60), ('o7', 'Closed Lost', 70), ('o8', 'Proposal', 80);
SELECT count(*) AS views FROM salesplan.bind_funnel('sf_stages', 'rep', 'crm."Opportunity"', 'StageName',
    amount_column => 'Amount', stage_table => 'crm."OpportunityStage"', stage_key => 'MasterLabel',
    stage_sequence => 'SortOrder', stage_label => 'MasterLabel',
    stage_won_column => 'IsWon', stage_closed_column => 'IsClosed');
-- plain SQL: won = at a stage with IsWon, lost = at a closed stage without
SELECT count(*) FILTER (WHERE s."IsWon") AS won_deals, count(*) FILTER (WHERE s."IsClosed" AND NOT s."IsWon") AS lost_deals,
       coalesce(sum(o."Amount") FILTER (WHERE s."IsWon"), 0) AS revenue,
       count(*) FILTER (WHERE s."IsClosed" AND NOT s."IsWon") AS unmapped
FROM crm."Opportunity" o JOIN crm."OpportunityStage" s ON s."MasterLabel" = o."StageName";
SELECT won, won_deals, lost_deals, revenue, unmapped, round(win_rate::numeric, 6) AS win_rate FROM rep.sf_stages;
SELECT stage, stage_name, entered FROM rep.sf_stages_stages ORDER BY stage;

-- 4. Odoo 17's won_status text (won, lost, pending), and a stage table's
-- is_won flag with lost = archived
ALTER TABLE crm.lead ADD COLUMN won_status text;
UPDATE crm.lead SET won_status = CASE WHEN NOT active AND probability = 0 THEN 'lost'
                                      WHEN active AND stage_id = 3 THEN 'won' ELSE 'pending' END;
SELECT count(*) AS views FROM salesplan.bind_funnel('status', 'rep', 'crm.lead', 'stage_id',
    stage_table => 'crm.stage', outcome_column => 'won_status', won_values => '{won}', lost_values => '{lost}');
SELECT count(*) AS views FROM salesplan.bind_funnel('is_won', 'rep', 'crm.lead', 'stage_id',
    stage_table => 'crm.stage', stage_won_column => 'is_won', active_column => 'active');
SELECT count(*) FILTER (WHERE won_status = 'won') AS won_deals, count(*) FILTER (WHERE won_status = 'lost') AS lost_deals
FROM crm.lead;
SELECT 'status' AS binding, won_deals, lost_deals FROM rep.status
UNION ALL SELECT 'is_won', won_deals, lost_deals FROM rep.is_won ORDER BY 1;

-- errors
\set VERBOSITY terse
SELECT salesplan.bind_funnel('e', 'rep', 'crm.lead', 'stage_id', stages => 3, stage_won_column => 'is_won');
SELECT salesplan.bind_funnel('e', 'rep', 'crm.lead', 'stage_id', stage_table => 'crm.stage', stage_closed_column => 'is_won');
SELECT salesplan.bind_funnel('e', 'rep', 'crm.lead', 'stage_id', stages => 3, outcome_column => 'won_status');
SELECT salesplan.bind_funnel('e', 'rep', 'crm.lead', 'stage_id', stages => 3, won_values => '{}');
SELECT salesplan.bind_funnel('e', 'rep', 'crm.lead', 'stage_id', stage_table => 'crm.stage', stage_won_column => 'name');
\set VERBOSITY default

SELECT salesplan.unbind('archived'), salesplan.unbind('flags'), salesplan.unbind('sf_stages'),
       salesplan.unbind('status'), salesplan.unbind('is_won');
SET client_min_messages = warning;
DROP SCHEMA rep, crm CASCADE;
DROP EXTENSION salesplan;
