-- presets_account_names: the presets bind the account's name as the
-- coverage binding's account_label, so <prefix>_targets_accounts carries
-- account_name: Odoo res_partner.name (a translated jsonb name in the
-- preset's language, then en_US, then the first translation, as the
-- preset's other labels), Salesforce Account.Name.  Before: no
-- account_name column, only ids.  Every name equals a plain join of the
-- view's account_id to the raw table.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS salesplan;
SET DateStyle = 'ISO, YMD';
\set SHOW_CONTEXT never
\set odoo_schema 'an_odoo'
\set sf_schema 'an_sf'
\set sf_snake_schema 'an_sf_snake'
\set ECHO none
\o /dev/null
\i test/data/odoo17.sql
\i test/data/salesforce.sql
\o
\set ECHO all
RESET search_path;
CREATE SCHEMA an_rep;

-- Odoo: the names of the target companies (text names, as the fixture has)
SELECT count(*) AS views FROM salesplan.bind_odoo('an_rep', 'an_odoo', prefix => 'o', as_of => '2024-06-30');
SELECT a.account_id, a.account_name, p.name AS res_partner_name
FROM an_rep.o_targets_accounts a LEFT JOIN an_odoo.res_partner p ON p.id = a.account_id ORDER BY a.account_id;
SELECT count(*) AS accounts, count(*) FILTER (WHERE a.account_name IS DISTINCT FROM p.name) AS name_differences
FROM an_rep.o_targets_accounts a LEFT JOIN an_odoo.res_partner p ON p.id = a.account_id;
SELECT col_description('an_rep.o_targets_accounts'::regclass, a.attnum) IS NOT NULL AS commented
FROM pg_attribute a WHERE a.attrelid = 'an_rep.o_targets_accounts'::regclass AND a.attname = 'account_name';

-- a translated jsonb name: the preset's language, then en_US, then the
-- first translation by language code; a JSON string is the name itself
CREATE SCHEMA an_odoo_json;
CREATE TABLE an_odoo_json.res_partner AS
SELECT id, CASE id WHEN 10 THEN '{"en_US": "Acme", "fr_FR": "Acmé"}'::jsonb
                   WHEN 20 THEN '{"en_US": "Globex"}'::jsonb
                   WHEN 30 THEN '{"de_DE": "Initech GmbH", "it_IT": "Initech SpA"}'::jsonb
                   WHEN 50 THEN '"Hooli"'::jsonb
                   WHEN 60 THEN '42'::jsonb
                   ELSE to_jsonb(name) END AS name,
       parent_id, commercial_partner_id, is_company, active
FROM an_odoo.res_partner;
CREATE VIEW an_odoo_json.crm_lead AS SELECT * FROM an_odoo.crm_lead;
CREATE VIEW an_odoo_json.crm_stage AS SELECT * FROM an_odoo.crm_stage;
CREATE VIEW an_odoo_json.crm_team AS SELECT * FROM an_odoo.crm_team;
CREATE VIEW an_odoo_json.mail_message AS SELECT * FROM an_odoo.mail_message;
CREATE VIEW an_odoo_json.mail_tracking_value AS SELECT * FROM an_odoo.mail_tracking_value;
CREATE VIEW an_odoo_json.ir_model_fields AS SELECT * FROM an_odoo.ir_model_fields;
CREATE VIEW an_odoo_json.res_company AS SELECT * FROM an_odoo.res_company;
SELECT count(*) AS views FROM salesplan.bind_odoo('an_rep', 'an_odoo_json', prefix => 'j', language => 'fr_FR',
                                                  as_of => '2024-06-30');
-- by hand: 10 Acmé (fr_FR), 20 Globex (en_US), 30 Initech GmbH (de_DE
-- sorts before it_IT), 50 Hooli (a JSON string), 60 NULL (a number is no
-- name)
SELECT account_id, account_name FROM an_rep.j_targets_accounts ORDER BY account_id;
SELECT count(*) AS accounts,
       count(*) FILTER (WHERE a.account_name IS DISTINCT FROM
           CASE jsonb_typeof(p.name) WHEN 'object' THEN coalesce(p.name ->> 'fr_FR', p.name ->> 'en_US',
                                                                 (SELECT v FROM jsonb_each_text(p.name) AS e(k, v) ORDER BY k LIMIT 1))
                                     WHEN 'string' THEN p.name #>> '{}' END) AS name_differences
FROM an_rep.j_targets_accounts a JOIN an_odoo_json.res_partner p ON p.id = a.account_id;

-- Salesforce, both naming styles: Account.Name of the live target accounts
SELECT count(*) AS views FROM salesplan.bind_salesforce('an_rep', 'an_sf', prefix => 's', target_field => 'Target__c',
                                                        as_of => '2024-06-30');
SELECT count(*) AS views FROM salesplan.bind_salesforce('an_rep', 'an_sf_snake', prefix => 'k', target_field => 'target_c',
                                                        as_of => '2024-06-30');
SELECT a.account_id, a.account_name, x."Name" AS account_table_name
FROM an_rep.s_targets_accounts a LEFT JOIN an_sf."Account" x ON x."Id" = a.account_id ORDER BY a.account_id;
SELECT count(*) AS accounts, count(*) FILTER (WHERE a.account_name IS DISTINCT FROM x."Name") AS name_differences
FROM an_rep.s_targets_accounts a LEFT JOIN an_sf."Account" x ON x."Id" = a.account_id;
SELECT count(*) AS accounts, count(*) FILTER (WHERE a.account_name IS DISTINCT FROM x.name) AS name_differences
FROM an_rep.k_targets_accounts a LEFT JOIN an_sf_snake.account x ON x.id = a.account_id;

-- a replica without Account.Name: 42703 naming it
CREATE SCHEMA an_sf_noname;
CREATE VIEW an_sf_noname.opportunity AS SELECT * FROM an_sf_snake.opportunity;
CREATE VIEW an_sf_noname.opportunity_history AS SELECT * FROM an_sf_snake.opportunity_history;
CREATE VIEW an_sf_noname.opportunity_stage AS SELECT * FROM an_sf_snake.opportunity_stage;
CREATE VIEW an_sf_noname.task AS SELECT * FROM an_sf_snake.task;
CREATE VIEW an_sf_noname.account AS SELECT id, is_deleted, target_c FROM an_sf_snake.account;
\set VERBOSITY default
SELECT * FROM salesplan.bind_salesforce('an_rep', 'an_sf_noname', prefix => 'n');
\set VERBOSITY terse

SET client_min_messages = warning;
SELECT count(*) AS unbound FROM salesplan.binding WHERE salesplan.unbind(name);
DROP SCHEMA an_rep, an_odoo, an_odoo_json, an_sf, an_sf_snake, an_sf_noname CASCADE;
DROP EXTENSION salesplan;
