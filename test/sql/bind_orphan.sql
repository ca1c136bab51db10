-- A binding whose owner role was dropped (routine offboarding: DROP OWNED
-- BY alice; DROP ROLE alice) stays in salesplan.binding with a dangling
-- owner OID.  Before: regenerate() of every binding failed for everyone
-- with a misleading 42501 ("its owner, role 16412, may not create objects
-- in it"), and bind_* under that name said only "already exists".  Now:
-- named, 42704 saying the owner does not exist, with the fix (unbind);
-- every binding, a WARNING and the others are rebuilt; unbind removes it.
-- (Messages carry no OID: the role's OID is in the DETAIL, not shown here.)
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS salesplan;
DROP ROLE IF EXISTS regress_orphan_alice, regress_orphan_bob;
RESET client_min_messages;
\set SHOW_CONTEXT never
CREATE ROLE regress_orphan_alice;
CREATE ROLE regress_orphan_bob;
CREATE SCHEMA orph_crm;
CREATE SCHEMA orph_rep;
GRANT USAGE ON SCHEMA orph_crm TO regress_orphan_alice, regress_orphan_bob;
GRANT USAGE, CREATE ON SCHEMA orph_rep TO regress_orphan_alice, regress_orphan_bob;
-- deals 1..6 at stage 1 + id % 3: stage 1 = {3, 6}, 2 = {1, 4}, 3 = {2, 5}
CREATE TABLE orph_crm.deal (id int PRIMARY KEY, stage int);
INSERT INTO orph_crm.deal SELECT g, 1 + g % 3 FROM generate_series(1, 6) AS g;
GRANT SELECT ON orph_crm.deal TO regress_orphan_alice, regress_orphan_bob;

SET client_min_messages = warning;
CREATE EXTENSION pg_cron;
RESET client_min_messages;
GRANT USAGE ON SCHEMA cron TO regress_orphan_alice;

SET ROLE regress_orphan_alice;
SELECT * FROM salesplan.bind_funnel('orph_a', 'orph_rep', 'orph_crm.deal', 'stage', stages => 3);
SELECT * FROM salesplan.bind_funnel('orph_am', 'orph_rep', 'orph_crm.deal', 'stage', stages => 3, materialized => true);
-- a yearly refresh job, so that it does not fire during the test
SELECT salesplan.create_refresh_job('orph_am', '0 3 1 1 *') > 0 AS scheduled;
RESET ROLE;
SET ROLE regress_orphan_bob;
SELECT * FROM salesplan.bind_funnel('orph_b', 'orph_rep', 'orph_crm.deal', 'stage', stages => 3);
RESET ROLE;

-- offboarding alice: her views go, her bindings stay behind
DROP OWNED BY regress_orphan_alice;
DROP ROLE regress_orphan_alice;
SELECT name, NOT EXISTS (SELECT 1 FROM pg_roles r WHERE r.oid = owner) AS owner_gone, refresh_cron
FROM salesplan.binding ORDER BY name;
SELECT jobname, username FROM cron.job ORDER BY jobid;

-- every binding, as a superuser: a WARNING per orphan, bob's is rebuilt
\set VERBOSITY terse
SELECT * FROM salesplan.regenerate() ORDER BY 1;
SELECT * FROM salesplan.refresh() ORDER BY 1;
-- bob's view holds the numbers (leads = stage >= 1: 6; won = stage 3: 2)
SELECT leads, won FROM orph_rep.orph_b;
-- named: undefined_object (42704), not 42501
\set VERBOSITY sqlstate
SELECT * FROM salesplan.regenerate('orph_a');
SELECT * FROM salesplan.refresh('orph_am');
SELECT salesplan.create_refresh_job('orph_am', '0 3 * * *');
\set VERBOSITY terse
SELECT * FROM salesplan.regenerate('orph_a');
-- bob cannot act on it (not his) and sees why the name is taken
SET ROLE regress_orphan_bob;
SELECT * FROM salesplan.regenerate() ORDER BY 1;
\set VERBOSITY default
SELECT * FROM salesplan.bind_funnel('orph_a', 'orph_rep', 'orph_crm.deal', 'stage', stages => 3);
SELECT salesplan.unbind('orph_a');
RESET ROLE;
-- the superuser removes them (and alice's refresh job); then the name is
-- free again
SELECT salesplan.unbind('orph_a'), salesplan.unbind('orph_am');
SELECT name FROM salesplan.binding ORDER BY name;
SELECT count(*) AS jobs FROM cron.job;
SET ROLE regress_orphan_bob;
SELECT * FROM salesplan.bind_funnel('orph_a', 'orph_rep', 'orph_crm.deal', 'stage', stages => 3);
SELECT leads, won FROM orph_rep.orph_a;
SELECT salesplan.unbind('orph_a'), salesplan.unbind('orph_b');
RESET ROLE;
DROP EXTENSION pg_cron;
DROP SCHEMA orph_crm, orph_rep CASCADE;
DROP ROLE regress_orphan_bob;
DROP EXTENSION salesplan;
