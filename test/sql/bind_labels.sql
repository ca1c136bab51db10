-- Label columns carried into the views: the account name of a coverage
-- binding's target list (account_label), present only when bound.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS salesplan;
RESET client_min_messages;
\set SHOW_CONTEXT never

CREATE SCHEMA crm;
CREATE TABLE crm.res_partner (id int PRIMARY KEY, name text, is_target boolean);
INSERT INTO crm.res_partner VALUES (1, 'Acme', true), (2, 'Globex', true), (3, 'Initech', false), (4, NULL, true);
CREATE SCHEMA rep;
SELECT count(*) AS views FROM salesplan.bind_coverage('named', 'rep', 'crm.res_partner', 'id', account_label => 'name',
    row_filter => '{"targets": {"is_target": true}}', as_of => '2024-06-30');
SELECT count(*) AS views FROM salesplan.bind_coverage('unnamed', 'rep', 'crm.res_partner', 'id', as_of => '2024-06-30');
-- plain SQL: the names of the targets
SELECT id, name FROM crm.res_partner WHERE is_target ORDER BY id;
SELECT id, account_name FROM rep.named_accounts ORDER BY id;
SELECT attname, format_type(atttypid, atttypmod), col_description(attrelid, attnum)
FROM pg_attribute WHERE attrelid = 'rep.named_accounts'::regclass AND attnum BETWEEN 1 AND 3 ORDER BY attnum;
-- without a label column the view has none
SELECT count(*) AS account_name_columns FROM pg_attribute
WHERE attrelid = 'rep.unnamed_accounts'::regclass AND attname = 'account_name';
\set VERBOSITY terse
SELECT salesplan.bind_coverage('e', 'rep', 'crm.res_partner', 'id', account_label => 'title');
\set VERBOSITY default

SELECT salesplan.unbind('named'), salesplan.unbind('unnamed');
SET client_min_messages = warning;
DROP SCHEMA rep, crm CASCADE;
DROP EXTENSION salesplan;
