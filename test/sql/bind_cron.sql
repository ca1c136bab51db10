-- Scheduling refreshes of materialized bindings through pg_cron.  The test
-- cluster preloads pg_cron with cron.database_name = contrib_regression.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS salesplan;
RESET client_min_messages;
\set SHOW_CONTEXT never

CREATE SCHEMA cron_src;
CREATE TABLE cron_src.deal (id int PRIMARY KEY, stage int, amount numeric, team text);
-- 12 deals: stage 1 + id % 3, team a/b alternating
INSERT INTO cron_src.deal SELECT g, 1 + g % 3, 100 * g, CASE WHEN g % 2 = 0 THEN 'a' ELSE 'b' END
FROM generate_series(1, 12) AS g;
CREATE SCHEMA cron_rep;
SELECT * FROM salesplan.bind_funnel('cron_funnel', 'cron_rep', 'cron_src.deal', 'stage',
    amount_column => 'amount', dimensions => '{team}', stages => 3, materialized => true);

-- without pg_cron: a clear error and how to get it
SELECT salesplan.create_refresh_job('cron_funnel', '0 3 1 1 *');
SELECT salesplan.drop_refresh_job('cron_funnel');

SET client_min_messages = warning;
CREATE EXTENSION pg_cron;
RESET client_min_messages;
-- a yearly schedule, so that the job does not fire during the test
SELECT salesplan.create_refresh_job('cron_funnel', '0 3 1 1 *') > 0 AS scheduled;
SELECT jobname, schedule, command, database = current_database() AS here, username = current_user AS mine, active
FROM cron.job ORDER BY jobid;
SELECT name, refresh_cron FROM salesplan.binding;
-- scheduling again replaces the job (same job name)
SELECT salesplan.create_refresh_job('cron_funnel', '30 2 * * 0') > 0 AS rescheduled;
SELECT jobname, schedule FROM cron.job ORDER BY jobid;
-- pg_cron's own check of the schedule
\set VERBOSITY sqlstate
SELECT salesplan.create_refresh_job('cron_funnel', 'every day');
\set VERBOSITY default

-- the scheduled command is exactly what the job will run: run it by hand
-- after a change in the CRM and see the change
UPDATE cron_src.deal SET stage = 3 WHERE id = 1;
SELECT team, leads, won, revenue FROM cron_rep.cron_funnel ORDER BY team;
DO $$ BEGIN EXECUTE (SELECT command FROM cron.job WHERE jobname = 'salesplan refresh cron_funnel'); END $$;
-- by hand: team b (odd ids) wins ids 5, 11 (stage 3) and now 1: 100 + 500 + 1100 = 1700
SELECT team, leads, won, revenue FROM cron_rep.cron_funnel ORDER BY team;

SELECT salesplan.drop_refresh_job('cron_funnel') AS removed, salesplan.drop_refresh_job('cron_funnel') AS again;
SELECT count(*) AS jobs FROM cron.job;
SELECT name, refresh_cron FROM salesplan.binding;
-- unbind removes the job as well
SELECT salesplan.create_refresh_job('cron_funnel', '0 3 1 1 *') > 0 AS scheduled;
SELECT salesplan.unbind('cron_funnel');
SELECT count(*) AS jobs FROM cron.job;

DROP EXTENSION pg_cron;
SET client_min_messages = warning;
DROP SCHEMA cron_src, cron_rep CASCADE;
DROP EXTENSION salesplan;
