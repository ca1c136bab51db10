-- Bindings on a shared server (issue 9, finding 2), written as the hostile
-- reporting role would write them.  Three roles: a DBA (superuser) and
-- two reporting roles, alice and bob, with the grants doc/bindings.md of
-- salesplan 0.1 recommended (USAGE on schema salesplan, and SELECT, INSERT,
-- UPDATE, DELETE on salesplan.binding).  Each block fails on 0.1.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS salesplan;
DROP ROLE IF EXISTS regress_salesplan_dba, regress_salesplan_alice, regress_salesplan_bob,
    regress_salesplan_finance;
RESET client_min_messages;
\set SHOW_CONTEXT never

CREATE ROLE regress_salesplan_dba SUPERUSER;
CREATE ROLE regress_salesplan_alice;
CREATE ROLE regress_salesplan_bob;
CREATE ROLE regress_salesplan_finance;
GRANT USAGE ON SCHEMA salesplan TO regress_salesplan_alice, regress_salesplan_bob;
GRANT SELECT, INSERT, UPDATE, DELETE ON salesplan.binding TO regress_salesplan_alice, regress_salesplan_bob;

-- the CRM both may read: 12 deals at stage 1 + id % 3 (won = stage 3 =
-- ids 2, 5, 8, 11: revenue 100 * 26 = 2600)
CREATE SCHEMA sec_crm;
CREATE TABLE sec_crm.deal (id int PRIMARY KEY, stage int, amount numeric, team text);
INSERT INTO sec_crm.deal SELECT g, 1 + g % 3, 100 * g, CASE WHEN g % 2 = 0 THEN 'a' ELSE 'b' END
FROM generate_series(1, 12) AS g;
GRANT USAGE ON SCHEMA sec_crm TO regress_salesplan_alice, regress_salesplan_bob;
GRANT SELECT ON sec_crm.deal TO regress_salesplan_alice, regress_salesplan_bob;
-- salaries: bob may read nothing, alice every column but the amount
CREATE SCHEMA sec_hr;
CREATE TABLE sec_hr.salary (id int PRIMARY KEY, stage int, amount numeric, team text);
INSERT INTO sec_hr.salary VALUES (1, 1, 250000, 'exec'), (2, 1, 90000, 'sales');
GRANT USAGE ON SCHEMA sec_hr TO regress_salesplan_alice, regress_salesplan_bob;
GRANT SELECT (id, stage, team) ON sec_hr.salary TO regress_salesplan_alice;
-- a shared report schema, with a common default-privileges setting:
-- whatever the DBA creates there, the reporting roles may read
CREATE SCHEMA sec_rep;
GRANT USAGE, CREATE ON SCHEMA sec_rep TO regress_salesplan_alice, regress_salesplan_bob;
ALTER DEFAULT PRIVILEGES FOR ROLE regress_salesplan_dba IN SCHEMA sec_rep
    GRANT SELECT ON TABLES TO regress_salesplan_alice, regress_salesplan_bob;
-- finance's own schema and KPI
CREATE SCHEMA sec_finance AUTHORIZATION regress_salesplan_finance;
GRANT USAGE ON SCHEMA sec_finance TO regress_salesplan_alice, regress_salesplan_bob;
SET ROLE regress_salesplan_finance;
CREATE MATERIALIZED VIEW sec_finance.kpi AS SELECT 42 AS ebitda;
GRANT SELECT ON sec_finance.kpi TO PUBLIC;
RESET ROLE;

-- alice binds the CRM, materialized, and shares the report with bob
SET ROLE regress_salesplan_alice;
SELECT * FROM salesplan.bind_funnel('alice_funnel', 'sec_rep', 'sec_crm.deal', 'stage',
    amount_column => 'amount', stages => 3, materialized => true);
GRANT SELECT ON sec_rep.alice_funnel TO regress_salesplan_bob;
SELECT name, owner, objects FROM salesplan.binding ORDER BY name;
SELECT leads, won, revenue FROM sec_rep.alice_funnel;
RESET ROLE;

-- 1. bob sees alice's binding (as pg_views shows him her views) but can
-- neither change nor delete it
SET ROLE regress_salesplan_bob;
SELECT count(*) AS bindings_bob_sees FROM salesplan.binding;
UPDATE salesplan.binding SET target_schema = 'sec_finance' WHERE name = 'alice_funnel';
UPDATE salesplan.binding SET spec = jsonb_set(spec, '{relation}', '"sec_hr.salary"');
DELETE FROM salesplan.binding;
SELECT salesplan.unbind('alice_funnel') AS unbound;
SELECT * FROM salesplan.regenerate('alice_funnel');
SELECT * FROM salesplan.refresh('alice_funnel');
-- nor plant bindings: one that would make the DBA's regenerate() replace
-- finance's KPI, one that would read the salaries for him
INSERT INTO salesplan.binding (name, kind, target_schema, spec, materialized, paradigm)
VALUES ('kpi', 'funnel', 'sec_finance', '{"relation": "sec_crm.deal", "stage_column": "stage", "stages": 3}',
        true, 'probability');
INSERT INTO salesplan.binding (name, kind, target_schema, spec, materialized, paradigm)
VALUES ('salaries', 'funnel', 'sec_rep',
        '{"relation": "sec_hr.salary", "stage_column": "stage", "amount_column": "amount", "stages": 1}',
        true, 'probability');
RESET ROLE;
SET ROLE regress_salesplan_alice;
SELECT name, target_schema, spec ->> 'relation' AS relation FROM salesplan.binding ORDER BY name;
RESET ROLE;

-- 2. the DBA's regenerate() rebuilds alice's binding only, as alice, and
-- drops nothing the binding did not create: finance's KPI is untouched
SET ROLE regress_salesplan_dba;
SELECT * FROM salesplan.regenerate();
RESET ROLE;
SELECT ebitda, pg_get_userbyid(relowner) AS owner
FROM sec_finance.kpi, pg_class WHERE pg_class.oid = 'sec_finance.kpi'::regclass;
SELECT name, owner FROM salesplan.binding ORDER BY name;

-- a relation planted under the name of a binding's view is never dropped:
-- alice drops her binding's views by hand, bob plants his own under the
-- first name, and the DBA regenerates
SET ROLE regress_salesplan_alice;
SELECT count(*) AS views FROM salesplan.bind_funnel('squat', 'sec_rep', 'sec_crm.deal', 'stage',
    stages => 3, materialized => true);
DROP MATERIALIZED VIEW sec_rep.squat_fit, sec_rep.squat_stages, sec_rep.squat;
SET ROLE regress_salesplan_bob;
CREATE MATERIALIZED VIEW sec_rep.squat AS SELECT 'bob''s numbers'::text AS note;
SET ROLE regress_salesplan_dba;
SELECT * FROM salesplan.regenerate('squat');
SELECT * FROM salesplan.regenerate();
RESET ROLE;
SELECT note, pg_get_userbyid(relowner) AS owner
FROM sec_rep.squat, pg_class WHERE pg_class.oid = 'sec_rep.squat'::regclass;
-- alice's unbind leaves bob's relation alone too
SET ROLE regress_salesplan_alice;
SELECT salesplan.unbind('squat') AS unbound;
RESET ROLE;
SELECT note FROM sec_rep.squat;

-- 3. a binding reads only what its owner may read
SET ROLE regress_salesplan_bob;
SELECT * FROM salesplan.bind_funnel('salaries', 'sec_rep', 'sec_hr.salary', 'stage',
    amount_column => 'amount', stages => 1);
SELECT * FROM salesplan.bind_funnel('salaries', 'sec_rep', 'sec_hr.salary', 'stage',
    amount_column => 'amount', stages => 1, materialized => true);
-- alice may read the stage, not the amount
SET ROLE regress_salesplan_alice;
SELECT * FROM salesplan.bind_funnel('salaries', 'sec_rep', 'sec_hr.salary', 'stage',
    amount_column => 'amount', stages => 1, materialized => true);
SELECT * FROM salesplan.bind_funnel('salaries', 'sec_rep', 'sec_hr.salary', 'stage',
    stages => 1, materialized => true);
-- by hand: 2 rows at stage 1 of 1: 2 leads, 2 won, no amount bound
SELECT leads, won, revenue FROM sec_rep.salaries;
-- and cannot point her stored binding at the amount afterwards
UPDATE salesplan.binding SET spec = spec || '{"amount_column": "amount"}' WHERE name = 'salaries';
RESET ROLE;
-- nor does the DBA's regenerate read it for her: the views stay alice's,
-- so the DBA's default privileges never grant them to bob
SET ROLE regress_salesplan_dba;
SELECT * FROM salesplan.regenerate('salaries');
RESET ROLE;
SELECT pg_get_userbyid(relowner) AS owner, relacl FROM pg_class WHERE oid = 'sec_rep.salaries'::regclass;
SET ROLE regress_salesplan_bob;
SELECT revenue FROM sec_rep.salaries;
RESET ROLE;
-- a binding whose owner loses a privilege is refused at regenerate
REVOKE SELECT (stage) ON sec_hr.salary FROM regress_salesplan_alice;
SET ROLE regress_salesplan_dba;
SELECT * FROM salesplan.regenerate('salaries');
RESET ROLE;
GRANT SELECT (stage) ON sec_hr.salary TO regress_salesplan_alice;
-- and binding needs CREATE on the target schema
SET ROLE regress_salesplan_bob;
SELECT * FROM salesplan.bind_funnel('bob_in_finance', 'sec_finance', 'sec_crm.deal', 'stage', stages => 3);
RESET ROLE;

-- 4. regenerate run by another role keeps the owner, the grants and the
-- comments of materialized views (the owner's MAINTAIN privilege, m, which
-- PostgreSQL 17 added, is left out so that the ACLs read the same on every
-- version)
SELECT c.relname, pg_get_userbyid(c.relowner) AS owner, replace(c.relacl::text, 'm/', '/') AS relacl
FROM pg_class c WHERE c.oid = 'sec_rep.alice_funnel'::regclass;
SET ROLE regress_salesplan_dba;
SELECT * FROM salesplan.regenerate('alice_funnel');
RESET ROLE;
SELECT c.relname, pg_get_userbyid(c.relowner) AS owner, replace(c.relacl::text, 'm/', '/') AS relacl,
       obj_description(c.oid, 'pg_class') AS comment
FROM pg_class c WHERE c.relnamespace = 'sec_rep'::regnamespace AND c.relname LIKE 'alice_funnel%'
ORDER BY c.relname;
SET ROLE regress_salesplan_bob;
SELECT leads, won, revenue FROM sec_rep.alice_funnel;
RESET ROLE;
-- refreshing as the DBA: rows alice may see, her views stay hers
UPDATE sec_crm.deal SET stage = 3 WHERE id = 1;
SET ROLE regress_salesplan_dba;
SELECT * FROM salesplan.refresh('alice_funnel');
RESET ROLE;
-- by hand: id 1 now won too: 5 won, revenue 2600 + 100 = 2700
SELECT leads, won, revenue, pg_get_userbyid(relowner) AS owner
FROM sec_rep.alice_funnel, pg_class WHERE pg_class.oid = 'sec_rep.alice_funnel'::regclass;

-- 5. the owner of the target schema may unbind the bindings in it, but not
-- regenerate them: that runs as the binding's owner (review HIGH: a schema
-- owner could make another role's binding run its code)
CREATE SCHEMA sec_bob AUTHORIZATION regress_salesplan_bob;
GRANT USAGE, CREATE ON SCHEMA sec_bob TO regress_salesplan_alice;
SET ROLE regress_salesplan_alice;
SELECT count(*) AS views FROM salesplan.bind_funnel('in_bobs', 'sec_bob', 'sec_crm.deal', 'stage', stages => 3);
SELECT count(*) AS views FROM salesplan.bind_funnel('in_bobs_mat', 'sec_bob', 'sec_crm.deal', 'stage', stages => 3,
    materialized => true);
SET ROLE regress_salesplan_bob;
SELECT name, owner FROM salesplan.binding ORDER BY name;
SELECT * FROM salesplan.regenerate('in_bobs');
-- nor refresh them or schedule their refresh (run as the binding's owner):
-- 42501 saying why, not "does not exist" for a binding bob sees listed
SELECT * FROM salesplan.refresh('in_bobs_mat');
SELECT salesplan.create_refresh_job('in_bobs_mat', '0 3 * * *');
SELECT salesplan.unbind('in_bobs_mat') AS unbound;
SELECT pg_get_userbyid(relowner) AS owner FROM pg_class WHERE oid = 'sec_bob.in_bobs'::regclass;
SELECT salesplan.unbind('in_bobs') AS unbound;
SELECT to_regclass('sec_bob.in_bobs') AS gone;
RESET ROLE;

SELECT salesplan.unbind(name) FROM salesplan.binding ORDER BY name;
SET client_min_messages = warning;
DROP SCHEMA sec_crm, sec_hr, sec_rep, sec_finance, sec_bob CASCADE;
DROP EXTENSION salesplan;
DROP OWNED BY regress_salesplan_dba, regress_salesplan_alice, regress_salesplan_bob, regress_salesplan_finance;
DROP ROLE regress_salesplan_dba, regress_salesplan_alice, regress_salesplan_bob, regress_salesplan_finance;
