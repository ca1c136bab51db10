-- Values given at bind time (won_values, lost_values, row_filter) are cast
-- to the column's type to check them.  The type may be the caller's own
-- domain, whose CHECK calls the caller's own function: that function must
-- run as the caller (the binding's owner, security-restricted), never with
-- the rights of the SECURITY DEFINER implementation.  Before the fix the
-- function below ran as the bootstrap superuser and made mallory one.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS salesplan;
DROP ROLE IF EXISTS regress_salesplan_mallory;
RESET client_min_messages;
\set SHOW_CONTEXT never
CREATE ROLE regress_salesplan_mallory;
GRANT USAGE ON SCHEMA salesplan TO regress_salesplan_mallory;
CREATE SCHEMA vo AUTHORIZATION regress_salesplan_mallory;
SET ROLE regress_salesplan_mallory;
CREATE TABLE vo.seen (who text);
-- records who runs it, and tries what only a superuser may
CREATE FUNCTION vo.probe(v text) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO vo.seen VALUES (current_user::text);
    BEGIN
        EXECUTE 'ALTER ROLE regress_salesplan_mallory SUPERUSER';
    EXCEPTION WHEN insufficient_privilege THEN NULL;
    END;
    RETURN true;
END $$;
CREATE DOMAIN vo.outcome AS text CHECK (vo.probe(VALUE));
CREATE TABLE vo.deal (id int, stage int, outcome vo.outcome);
INSERT INTO vo.deal VALUES (1, 1, 'won'), (2, 2, 'lost'), (3, 2, NULL);
TRUNCATE vo.seen;
SELECT count(*) > 0 AS created
FROM salesplan.bind_funnel('vo_funnel', 'vo', 'vo.deal', 'stage', stages => 2,
                           outcome_column => 'outcome', won_values => '{won}', lost_values => '{lost}');
SELECT count(*) > 0 AS created
FROM salesplan.bind_funnel('vo_filtered', 'vo', 'vo.deal', 'stage', stages => 2,
                           row_filter => '{"relation": {"outcome": ["won", "lost"]}}');
RESET ROLE;
-- values are checked and compared in the domain's base type (text): the
-- domain's CHECK, mallory's code, never runs at bind (no row)
SELECT who, count(*) > 0 AS ran FROM vo.seen GROUP BY who ORDER BY who;
SELECT rolsuper FROM pg_roles WHERE rolname = 'regress_salesplan_mallory';
SET ROLE regress_salesplan_mallory;
SELECT salesplan.unbind('vo_funnel');
SELECT salesplan.unbind('vo_filtered');
RESET ROLE;

-- A superuser binds a table mallory owns; mallory drops it (her right; it
-- drops the superuser's views) and recreates it with her domain.  The
-- superuser's routine regenerate() must not run her function (before the
-- fix it ran as the superuser and made her one).  By hand: 2 won deals.
SET ROLE regress_salesplan_mallory;
CREATE TABLE vo.app_deal (id int, stage int, outcome text);
RESET ROLE;
CREATE SCHEMA vo_rep;
SELECT count(*) > 0 AS created
FROM salesplan.bind_funnel('vo_dba', 'vo_rep', 'vo.app_deal', 'stage', stages => 2,
                           outcome_column => 'outcome', won_values => '{won}', lost_values => '{lost}',
                           row_filter => '{"relation": {"outcome": ["won", "lost", "open"]}}');
SET ROLE regress_salesplan_mallory;
SET client_min_messages = warning;
DROP TABLE vo.app_deal CASCADE;
RESET client_min_messages;
CREATE TABLE vo.app_deal (id int, stage int, outcome vo.outcome);
INSERT INTO vo.app_deal VALUES (1, 2, 'won'), (2, 1, 'won'), (3, 1, 'lost'), (4, 1, 'open');
TRUNCATE vo.seen;
RESET ROLE;
SELECT count(*) AS views FROM salesplan.regenerate('vo_dba');
SELECT who FROM vo.seen;
SELECT rolsuper FROM pg_roles WHERE rolname = 'regress_salesplan_mallory';
SELECT (SELECT won_deals FROM vo_rep.vo_dba) AS won_deals,
       (SELECT count(*) FROM vo.app_deal WHERE outcome = 'won') AS plain_won;
SELECT salesplan.unbind('vo_dba');
DROP SCHEMA vo_rep;
-- values for a column whose type is a composite or an array are refused
SET ROLE regress_salesplan_mallory;
CREATE TABLE vo.tagged (id int, stage int, tags text[]);
SELECT * FROM salesplan.bind_funnel('vo_tags', 'vo', 'vo.tagged', 'stage', stages => 2,
                                    row_filter => '{"relation": {"tags": "{a}"}}');
RESET ROLE;
SET client_min_messages = warning;
DROP SCHEMA vo CASCADE;
RESET client_min_messages;
REVOKE USAGE ON SCHEMA salesplan FROM regress_salesplan_mallory;
DROP ROLE regress_salesplan_mallory;
