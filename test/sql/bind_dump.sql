-- Bindings survive pg_dump / pg_restore into a fresh database: the rows of
-- salesplan.binding are dumped with the extension (pg_extension_config_dump),
-- the generated views with the schema, and salesplan.regenerate() rebuilds
-- the views from the restored rows.
SET client_min_messages = warning;
DROP DATABASE IF EXISTS bind_dump_src;
DROP DATABASE IF EXISTS bind_dump_dst;
RESET client_min_messages;
CREATE DATABASE bind_dump_src;
CREATE DATABASE bind_dump_dst;

\c bind_dump_src
SET extra_float_digits = 0;
CREATE EXTENSION salesplan;
CREATE SCHEMA "Quelle ü";
CREATE TABLE "Quelle ü".stage (id int PRIMARY KEY, name text, sequence int);
INSERT INTO "Quelle ü".stage VALUES (10, 'lead', 1), (20, 'offer', 2), (30, 'won', 3);
CREATE TABLE "Quelle ü"."Deal" (id int PRIMARY KEY, stage_id int REFERENCES "Quelle ü".stage,
                                "Amount" numeric(12, 2), region text, opened date);
-- 40 deals: stage 10/20/30 by id % 3, regions N/S/NULL, two months
INSERT INTO "Quelle ü"."Deal"
SELECT g, (ARRAY[10, 20, 30])[1 + g % 3], 250.5 * (1 + g % 4),
       (ARRAY['N', 'S', NULL])[1 + (g / 2) % 3],
       date '2024-03-01' + g
FROM generate_series(1, 40) AS g;
CREATE SCHEMA rep;
SELECT * FROM salesplan.bind_funnel('deals', 'rep', '"Quelle ü"."Deal"', 'stage_id',
    amount_column => 'Amount', period_column => 'opened', dimensions => '{region}',
    stage_table => '"Quelle ü".stage');
SELECT * FROM salesplan.bind_funnel('deals_mat', 'rep', '"Quelle ü"."Deal"', 'stage_id',
    amount_column => 'Amount', dimensions => '{region}', stage_table => '"Quelle ü".stage',
    materialized => true, paradigm => 'behavior');
-- fingerprints of the generated views, to compare after the restore
SELECT 'deals' AS v, md5(string_agg(t::text, ';' ORDER BY t::text)) FROM rep.deals t
UNION ALL SELECT 'deals_stages', md5(string_agg(t::text, ';' ORDER BY t::text)) FROM rep.deals_stages t
UNION ALL SELECT 'deals_mat', md5(string_agg(t::text, ';' ORDER BY t::text)) FROM rep.deals_mat t
UNION ALL SELECT 'deals_mat_stages', md5(string_agg(t::text, ';' ORDER BY t::text)) FROM rep.deals_mat_stages t
ORDER BY 1;

\! pg_dump -Fc -d bind_dump_src -f "/tmp/salesplan_bind_dump_${PGPORT}.dump"
\! pg_restore --exit-on-error -d bind_dump_dst "/tmp/salesplan_bind_dump_${PGPORT}.dump"
\! rm -f "/tmp/salesplan_bind_dump_${PGPORT}.dump"

\c bind_dump_dst
SET extra_float_digits = 0;
\set SHOW_CONTEXT never
-- the binding rows came back with the extension
SELECT name, kind, target_schema, materialized, paradigm, spec FROM salesplan.binding ORDER BY name;
-- the views came back with the schema (materialized ones refreshed by pg_restore)
SELECT relname, relkind, reloptions FROM pg_class
WHERE relnamespace = 'rep'::regnamespace ORDER BY relname;
SELECT 'deals' AS v, md5(string_agg(t::text, ';' ORDER BY t::text)) FROM rep.deals t
UNION ALL SELECT 'deals_stages', md5(string_agg(t::text, ';' ORDER BY t::text)) FROM rep.deals_stages t
UNION ALL SELECT 'deals_mat', md5(string_agg(t::text, ';' ORDER BY t::text)) FROM rep.deals_mat t
UNION ALL SELECT 'deals_mat_stages', md5(string_agg(t::text, ';' ORDER BY t::text)) FROM rep.deals_mat_stages t
ORDER BY 1;
-- regenerate rebuilds every view from the restored rows, in one call
SELECT * FROM salesplan.regenerate();
SELECT * FROM salesplan.refresh();
-- and the rebuilt views agree with plain SQL over the restored rows
CREATE TEMP VIEW plain AS
WITH o AS (SELECT id, (row_number() OVER (ORDER BY sequence, id))::int AS ord FROM "Quelle ü".stage)
SELECT d.region, count(*) AS leads, count(*) FILTER (WHERE o.ord = 3) AS won,
       coalesce(sum(d."Amount") FILTER (WHERE o.ord = 3), 0) AS revenue
FROM "Quelle ü"."Deal" d JOIN o ON o.id = d.stage_id GROUP BY d.region;
SELECT (SELECT count(*) FROM (SELECT region, leads, won, revenue FROM rep.deals_mat EXCEPT SELECT * FROM plain) x) AS view_only,
       (SELECT count(*) FROM (SELECT * FROM plain EXCEPT SELECT region, leads, won, revenue FROM rep.deals_mat) x) AS plain_only,
       (SELECT count(*) FROM plain) AS groups;
SELECT region, leads, won, revenue FROM rep.deals_mat ORDER BY region;
SELECT 'deals' AS v, md5(string_agg(t::text, ';' ORDER BY t::text)) FROM rep.deals t
UNION ALL SELECT 'deals_stages', md5(string_agg(t::text, ';' ORDER BY t::text)) FROM rep.deals_stages t
UNION ALL SELECT 'deals_mat', md5(string_agg(t::text, ';' ORDER BY t::text)) FROM rep.deals_mat t
UNION ALL SELECT 'deals_mat_stages', md5(string_agg(t::text, ';' ORDER BY t::text)) FROM rep.deals_mat_stages t
ORDER BY 1;

\c contrib_regression
DROP DATABASE bind_dump_src;
DROP DATABASE bind_dump_dst;

-- The database's owner, not a superuser, dumps a database with salesplan
-- and two roles' bindings (a nightly backup on a shared server): pg_dump
-- copies salesplan.binding with row_security off, which failed with 42501
-- while the catalog had row-level security.  Every binding is in the dump.
SET client_min_messages = warning;
DROP DATABASE IF EXISTS bind_dump_owned;
DROP ROLE IF EXISTS regress_salesplan_dbowner, regress_salesplan_rep;
RESET client_min_messages;
CREATE ROLE regress_salesplan_dbowner LOGIN;
CREATE ROLE regress_salesplan_rep;
CREATE DATABASE bind_dump_owned OWNER regress_salesplan_dbowner;
\c bind_dump_owned
CREATE EXTENSION salesplan;
SET ROLE regress_salesplan_dbowner;
CREATE SCHEMA crm;
CREATE TABLE crm.deal (id int PRIMARY KEY, stage int, amount numeric(12, 2));
INSERT INTO crm.deal SELECT g, 1 + g % 3, 10 * g FROM generate_series(1, 9) AS g;
SELECT count(*) AS views FROM salesplan.bind_funnel('owner_deals', 'crm', 'crm.deal', 'stage', stages => 3);
GRANT USAGE, CREATE ON SCHEMA crm TO regress_salesplan_rep;
GRANT SELECT ON crm.deal TO regress_salesplan_rep;
SET ROLE regress_salesplan_rep;
SELECT count(*) AS views FROM salesplan.bind_funnel('rep_deals', 'crm', 'crm.deal', 'stage',
    amount_column => 'amount', stages => 3);
-- every role lists every binding; none writes the catalog directly
SELECT name, owner FROM salesplan.binding ORDER BY name;
UPDATE salesplan.binding SET target_schema = 'public';
RESET ROLE;
GRANT SELECT ON ALL TABLES IN SCHEMA crm TO regress_salesplan_dbowner;
\! pg_dump -U regress_salesplan_dbowner -d bind_dump_owned 2>&1 | grep -E '^(rep|owner)_deals|error' | cut -f1,2
\c contrib_regression
DROP DATABASE bind_dump_owned;
DROP ROLE regress_salesplan_dbowner, regress_salesplan_rep;
