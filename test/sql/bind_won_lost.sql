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

SELECT salesplan.unbind('archived'), salesplan.unbind('flags');
SET client_min_messages = warning;
DROP SCHEMA rep, crm CASCADE;
DROP EXTENSION salesplan;
