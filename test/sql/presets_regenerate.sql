-- presets_regenerate: a preset's source views <prefix>_src_* follow the
-- source schema.  salesplan.regenerate() rebuilds them (from the preset
-- call recorded in salesplan.binding.preset) before the preset's bindings:
-- after Odoo gains a column the preset reads, and after a table is
-- recreated (an ELT re-sync, DROP ... CASCADE), the views give the numbers
-- of plain SQL over the raw tables again.  Before: the source views kept
-- the first reading (stale) and regenerate failed with 42P01 once they
-- were dropped.  Unbinding a preset's last binding drops its source views.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS salesplan;
SET extra_float_digits = 0;
SET DateStyle = 'ISO, YMD';
\set SHOW_CONTEXT never
\set odoo_schema 'odoo_rg'
\set sf_schema 'SF rg'
\set sf_snake_schema 'sf_rg_snake'
\set ECHO none
\o /dev/null
\i test/data/odoo17.sql
\i test/data/salesforce.sql
\o
\set ECHO all
RESET search_path;
CREATE SCHEMA rg_rep;

-- ---------------------------------------------------------------------
-- Odoo before its mail_activity_type_id column (an older database): the
-- preset reads no completed activities then
-- ---------------------------------------------------------------------
CREATE TEMP TABLE saved_activity_type AS
SELECT id, mail_activity_type_id FROM odoo_rg.mail_message WHERE mail_activity_type_id IS NOT NULL;
SELECT count(*) AS completed_activities FROM saved_activity_type;
ALTER TABLE odoo_rg.mail_message DROP COLUMN mail_activity_type_id;
SELECT count(*) AS views FROM salesplan.bind_odoo('rg_rep', 'odoo_rg', prefix => 'o', target_tag => 'Key Account',
    as_of => '2024-06-30');
SELECT name, preset ->> 'crm' AS crm, preset ->> 'prefix' AS prefix, preset ->> 'source_schema' AS source_schema,
       preset -> 'arguments' AS arguments, jsonb_array_length(preset -> 'views') AS source_views
FROM salesplan.binding ORDER BY name;

-- the oracle's touches (logged chatter, completed activities, meetings
-- attended; test/sql/presets_odoo.sql) per target account
CREATE FUNCTION pg_temp.o_touches() RETURNS TABLE (account_id int, touches bigint, last_touch date)
LANGUAGE sql AS $$
    WITH t AS (
        SELECT coalesce(lp.commercial_partner_id, pp.commercial_partner_id) AS account, m.date::date AS d
        FROM odoo_rg.mail_message m
        LEFT JOIN odoo_rg.crm_lead l ON m.model = 'crm.lead' AND l.id = m.res_id
        LEFT JOIN odoo_rg.res_partner lp ON lp.id = l.partner_id
        LEFT JOIN odoo_rg.res_partner pp ON m.model = 'res.partner' AND pp.id = m.res_id
        WHERE m.message_type IN ('email', 'email_outgoing', 'comment')
           OR (to_jsonb(m) ->> 'mail_activity_type_id') IS NOT NULL
        UNION ALL
        SELECT q.commercial_partner_id, e.start::date
        FROM odoo_rg.calendar_attendee a JOIN odoo_rg.calendar_event e ON e.id = a.event_id AND e.active
        JOIN odoo_rg.res_partner q ON q.id = a.partner_id WHERE a.state <> 'declined')
    SELECT p.id, count(t.account), max(t.d)
    FROM odoo_rg.res_partner p LEFT JOIN t ON t.account = p.id
    WHERE p.active AND p.id = p.commercial_partner_id
      AND EXISTS (SELECT 1 FROM odoo_rg.res_partner_res_partner_category_rel r
                  JOIN odoo_rg.res_partner_category c ON c.id = r.category_id AND c.active
                  JOIN odoo_rg.res_partner q ON q.id = r.partner_id
                  WHERE q.commercial_partner_id = p.id AND c.name ->> 'en_US' = 'Key Account')
    GROUP BY p.id
$$;
CREATE FUNCTION pg_temp.o_touch_differences() RETURNS bigint LANGUAGE sql AS $$
    SELECT count(*) FROM (
        (SELECT account_id, touches, last_touch FROM rg_rep.o_targets_accounts EXCEPT SELECT * FROM pg_temp.o_touches())
        UNION ALL
        (SELECT * FROM pg_temp.o_touches() EXCEPT SELECT account_id, touches, last_touch FROM rg_rep.o_targets_accounts)) AS d
$$;
SELECT * FROM pg_temp.o_touches() ORDER BY account_id;
SELECT account_id, touches, last_touch FROM rg_rep.o_targets_accounts ORDER BY account_id;
SELECT pg_temp.o_touch_differences() AS touch_differences;

-- Odoo gains the column (a module upgrade): the source view still reads
-- the chatter the old way, one completed activity short
ALTER TABLE odoo_rg.mail_message ADD COLUMN mail_activity_type_id int;
UPDATE odoo_rg.mail_message m SET mail_activity_type_id = s.mail_activity_type_id
FROM saved_activity_type s WHERE s.id = m.id;
SELECT pg_temp.o_touch_differences() AS stale_touch_differences;
-- regenerate: the source views first (replaced in place), then the bindings
SELECT * FROM salesplan.regenerate('o_targets');
SELECT account_id, touches, last_touch FROM rg_rep.o_targets_accounts ORDER BY account_id;
SELECT pg_temp.o_touch_differences() AS touch_differences;

-- ---------------------------------------------------------------------
-- crm_lead recreated (DROP ... CASCADE takes the source views and the
-- bindings' views with it), with a new column and one lead lost since
-- (lead 4: archived at probability 0)
-- ---------------------------------------------------------------------
CREATE TABLE odoo_rg.crm_lead_new (LIKE odoo_rg.crm_lead INCLUDING DEFAULTS, x_region varchar);
INSERT INTO odoo_rg.crm_lead_new SELECT *, 'EMEA' FROM odoo_rg.crm_lead;
UPDATE odoo_rg.crm_lead_new SET active = false, probability = 0, won_status = 'lost', date_closed = '2024-05-02 10:00'
WHERE id = 4;
SET client_min_messages = warning;
DROP TABLE odoo_rg.crm_lead CASCADE;
RESET client_min_messages;
ALTER TABLE odoo_rg.crm_lead_new RENAME TO crm_lead;
SELECT count(*) AS views_left FROM pg_class WHERE relnamespace = 'rg_rep'::regnamespace AND relname LIKE 'o\_%';
SELECT * FROM salesplan.regenerate() ORDER BY 1;
SELECT count(*) AS views_back FROM pg_class WHERE relnamespace = 'rg_rep'::regnamespace AND relname LIKE 'o\_%';
-- the oracle: won and lost as Odoo's won_status says, per month and team
CREATE TEMP VIEW o_won_lost AS
SELECT date_trunc('month', l.create_date)::date AS period, l.team_id, count(*) AS deals,
       count(*) FILTER (WHERE l.won_status = 'won') AS won_deals, count(*) FILTER (WHERE l.won_status = 'lost') AS lost_deals,
       coalesce(sum(l.expected_revenue) FILTER (WHERE l.won_status = 'won'), 0) AS revenue
FROM odoo_rg.crm_lead l WHERE l.type = 'opportunity' GROUP BY 1, 2;
SELECT * FROM o_won_lost ORDER BY period, team_id;
SELECT period, team_id, population, won_deals, lost_deals, revenue FROM rg_rep.o_pipeline ORDER BY period, team_id;
SELECT count(*) AS pipeline_differences FROM (
    (SELECT period, team_id, population, won_deals, lost_deals, revenue FROM rg_rep.o_pipeline EXCEPT TABLE o_won_lost)
    UNION ALL
    (TABLE o_won_lost EXCEPT SELECT period, team_id, population, won_deals, lost_deals, revenue FROM rg_rep.o_pipeline)) AS d;
SELECT pg_temp.o_touch_differences() AS touch_differences;

-- ---------------------------------------------------------------------
-- Salesforce: the connector re-creates "Opportunity" with a new custom
-- field, and one opportunity was won meanwhile
-- ---------------------------------------------------------------------
SELECT count(*) AS views FROM salesplan.bind_salesforce('rg_rep', 'SF rg', prefix => 's', target_field => 'Target__c',
    as_of => '2024-06-30');
CREATE TEMP VIEW s_won_lost AS
SELECT date_trunc('month', o."CreatedDate" AT TIME ZONE 'UTC')::date AS period, count(*) AS deals,
       count(*) FILTER (WHERE o."IsWon") AS won_deals, count(*) FILTER (WHERE o."IsClosed" AND NOT o."IsWon") AS lost_deals,
       coalesce(sum(o."Amount") FILTER (WHERE o."IsWon"), 0) AS revenue
FROM "SF rg"."Opportunity" o WHERE NOT o."IsDeleted" GROUP BY 1;
CREATE TEMP VIEW s_view AS
SELECT period, sum(population) AS deals, sum(won_deals) AS won_deals, sum(lost_deals) AS lost_deals, sum(revenue) AS revenue
FROM rg_rep.s_pipeline GROUP BY period;
SELECT * FROM s_won_lost ORDER BY period;
SELECT count(*) AS sf_differences FROM ((TABLE s_view EXCEPT TABLE s_won_lost) UNION ALL (TABLE s_won_lost EXCEPT TABLE s_view)) AS d;
CREATE TABLE "SF rg"."Opportunity_new" (LIKE "SF rg"."Opportunity", "Region__c" varchar(40));
INSERT INTO "SF rg"."Opportunity_new" SELECT *, 'EMEA' FROM "SF rg"."Opportunity";
UPDATE "SF rg"."Opportunity_new" SET "IsWon" = true, "IsClosed" = true, "StageName" = 'Closed Won', "CloseDate" = '2024-06-01'
WHERE "Id" = (SELECT min("Id") FROM "SF rg"."Opportunity" WHERE NOT "IsClosed" AND NOT "IsDeleted");
SET client_min_messages = warning;
DROP TABLE "SF rg"."Opportunity" CASCADE;   -- and the oracle's temp views
RESET client_min_messages;
ALTER TABLE "SF rg"."Opportunity_new" RENAME TO "Opportunity";
SELECT count(*) AS regenerated FROM salesplan.regenerate('s_pipeline');
CREATE TEMP VIEW s_won_lost AS
SELECT date_trunc('month', o."CreatedDate" AT TIME ZONE 'UTC')::date AS period, count(*) AS deals,
       count(*) FILTER (WHERE o."IsWon") AS won_deals, count(*) FILTER (WHERE o."IsClosed" AND NOT o."IsWon") AS lost_deals,
       coalesce(sum(o."Amount") FILTER (WHERE o."IsWon"), 0) AS revenue
FROM "SF rg"."Opportunity" o WHERE NOT o."IsDeleted" GROUP BY 1;
CREATE TEMP VIEW s_view AS
SELECT period, sum(population) AS deals, sum(won_deals) AS won_deals, sum(lost_deals) AS lost_deals, sum(revenue) AS revenue
FROM rg_rep.s_pipeline GROUP BY period;
SELECT * FROM s_won_lost ORDER BY period;
SELECT count(*) AS sf_differences FROM ((TABLE s_view EXCEPT TABLE s_won_lost) UNION ALL (TABLE s_won_lost EXCEPT TABLE s_view)) AS d;
-- the other bindings of the preset were dropped too: regenerate them
SELECT count(*) AS regenerated FROM salesplan.regenerate('s_stage_flow');
SELECT count(*) AS regenerated FROM salesplan.regenerate('s_targets');

-- ---------------------------------------------------------------------
-- what regenerate will not do, and unbind
-- ---------------------------------------------------------------------
\set VERBOSITY terse
-- a relation of another origin under a source view's name: 42P07
SET client_min_messages = warning;
DROP VIEW rg_rep.o_src_target CASCADE;
RESET client_min_messages;
CREATE TABLE rg_rep.o_src_target (account_id int);
SELECT * FROM salesplan.regenerate('o_targets');
DROP TABLE rg_rep.o_src_target;
SELECT count(*) AS regenerated FROM salesplan.regenerate('o_targets');
-- a source column changing type: the source view cannot keep its columns
SET client_min_messages = warning;
ALTER TABLE odoo_rg.crm_lead RENAME COLUMN expected_revenue TO old_revenue;
ALTER TABLE odoo_rg.crm_lead ADD COLUMN expected_revenue double precision;
RESET client_min_messages;
SELECT * FROM salesplan.regenerate('o_pipeline');
\set VERBOSITY default
-- unbinding the preset's bindings: the source views go with the last one
SELECT salesplan.unbind('o_pipeline'), salesplan.unbind('o_stage_flow'), salesplan.unbind('o_leads'),
       salesplan.unbind('o_targets');
SELECT relname FROM pg_class WHERE relnamespace = 'rg_rep'::regnamespace AND relname LIKE 'o\_%' ORDER BY relname;
SELECT salesplan.unbind('o_delivery');
SELECT count(*) AS o_views FROM pg_class WHERE relnamespace = 'rg_rep'::regnamespace AND relname LIKE 'o\_%';
-- drop_views => false keeps them
SELECT count(*) FILTER (WHERE salesplan.unbind(name, drop_views => false)) AS unbound FROM salesplan.binding WHERE name LIKE 's\_%';
SELECT relname FROM pg_class WHERE relnamespace = 'rg_rep'::regnamespace AND relname LIKE 's\_src%' ORDER BY relname;

DISCARD TEMP;
SET client_min_messages = warning;
DROP SCHEMA rg_rep, odoo_rg, "SF rg", sf_rg_snake CASCADE;
DROP EXTENSION salesplan;
