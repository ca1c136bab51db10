-- Upgrading bindings made under 0.1 by several roles: each gets the owner
-- of the views it created, those views are recorded as its objects, and
-- the rules of 0.2 apply to it at once (doc/security.md, "Upgrading from
-- 0.1").
SET client_min_messages = warning;
DROP ROLE IF EXISTS regress_salesplan_alice, regress_salesplan_bob;
CREATE EXTENSION salesplan VERSION '0.1';
RESET client_min_messages;
\set SHOW_CONTEXT never

CREATE ROLE regress_salesplan_alice;
CREATE ROLE regress_salesplan_bob;
-- 0.1's recommended grants
GRANT USAGE ON SCHEMA salesplan TO regress_salesplan_alice, regress_salesplan_bob;
GRANT SELECT, INSERT, UPDATE, DELETE ON salesplan.binding TO regress_salesplan_alice, regress_salesplan_bob;
CREATE SCHEMA upb_crm;
CREATE TABLE upb_crm.deal (id int PRIMARY KEY, stage int, amount numeric);
-- 9 deals at stage 1 + id % 3: won (stage 3) ids 2, 5, 8: revenue 150
INSERT INTO upb_crm.deal SELECT g, 1 + g % 3, 10 * g FROM generate_series(1, 9) AS g;
GRANT USAGE ON SCHEMA upb_crm TO regress_salesplan_alice, regress_salesplan_bob;
GRANT SELECT ON upb_crm.deal TO regress_salesplan_alice, regress_salesplan_bob;
CREATE SCHEMA upb_rep;
GRANT USAGE, CREATE ON SCHEMA upb_rep TO regress_salesplan_alice, regress_salesplan_bob;

SET ROLE regress_salesplan_alice;
SELECT count(*) AS views FROM salesplan.bind_funnel('upb_alice', 'upb_rep', 'upb_crm.deal', 'stage',
    amount_column => 'amount', stages => 3, materialized => true);
GRANT SELECT ON upb_rep.upb_alice TO regress_salesplan_bob;
SET ROLE regress_salesplan_bob;
SELECT count(*) AS views FROM salesplan.bind_funnel('upb_bob', 'upb_rep', 'upb_crm.deal', 'stage', stages => 3);
RESET ROLE;
-- a binding whose views are gone, and one whose first view name another
-- role took over (so neither has views to infer an owner from)
SELECT count(*) AS views FROM salesplan.bind_funnel('upb_gone', 'upb_rep', 'upb_crm.deal', 'stage', stages => 3);
DROP VIEW upb_rep.upb_gone_fit, upb_rep.upb_gone_stages, upb_rep.upb_gone;
SET ROLE regress_salesplan_alice;
SELECT count(*) AS views FROM salesplan.bind_funnel('upb_taken', 'upb_rep', 'upb_crm.deal', 'stage', stages => 3);
DROP VIEW upb_rep.upb_taken_fit, upb_rep.upb_taken_stages, upb_rep.upb_taken;
SET ROLE regress_salesplan_bob;
CREATE VIEW upb_rep.upb_taken AS SELECT 'bob''s'::text AS note;
RESET ROLE;

ALTER EXTENSION salesplan UPDATE;

-- owners: the owner of each binding's generated views, else the
-- extension's owner; objects: those views
SELECT name, owner = (SELECT extowner FROM pg_extension WHERE extname = 'salesplan')::regrole AS extension_owner,
       CASE WHEN owner::text LIKE 'regress_salesplan_%' THEN owner::text END AS role, objects, needs_review
FROM salesplan.binding ORDER BY name;
-- the rules of 0.2 apply: bob lists every binding and cannot touch alice's
SET ROLE regress_salesplan_bob;
SELECT name FROM salesplan.binding ORDER BY name;
SELECT salesplan.unbind('upb_alice') AS unbound;
UPDATE salesplan.binding SET target_schema = 'upb_crm';
RESET ROLE;
-- every binding carried over needs review: a superuser's regenerate()
-- without a name skips them all (WARNING 01000) and rebuilds nothing, so a
-- spec planted under 0.1 never runs unnoticed as the owner the update
-- inferred.  By name, a superuser's regenerate keeps alice's materialized
-- view hers, with its grant; the binding whose view name bob took is
-- refused (42P07) and bob's view stays
\set VERBOSITY sqlstate
SELECT * FROM salesplan.regenerate();
SELECT * FROM salesplan.regenerate('upb_taken');
\set VERBOSITY default
SELECT count(*) AS views FROM salesplan.regenerate('upb_alice');
SELECT count(*) AS views FROM salesplan.regenerate('upb_bob');
SELECT count(*) AS views FROM salesplan.regenerate('upb_gone');
-- (without the owner's MAINTAIN privilege, m, which PostgreSQL 17 added)
SELECT relname, pg_get_userbyid(relowner) AS owner, replace(relacl::text, 'm/', '/') AS relacl FROM pg_class
WHERE relnamespace = 'upb_rep'::regnamespace AND relkind IN ('v', 'm') ORDER BY relname;
SET ROLE regress_salesplan_bob;
SELECT leads, won, revenue FROM upb_rep.upb_alice;
SELECT note FROM upb_rep.upb_taken;
RESET ROLE;

SELECT count(*) FILTER (WHERE salesplan.unbind(name)) AS unbound FROM salesplan.binding;
SET client_min_messages = warning;
DROP SCHEMA upb_crm, upb_rep CASCADE;
DROP EXTENSION salesplan;
DROP OWNED BY regress_salesplan_alice, regress_salesplan_bob;
DROP ROLE regress_salesplan_alice, regress_salesplan_bob;
