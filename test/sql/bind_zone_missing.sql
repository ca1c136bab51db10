-- A binding records its time zone's name (spec ->> 'time_zone') and every
-- read of its views looks the name up again in the server's tz database.
-- After a restore onto another server, pg_upgrade or an OS upgrade the name
-- may be gone (Debian 13 ships CET, EST, US/Eastern and the other legacy
-- names in package tzdata-legacy, not installed by default): every read
-- then fails naming only the zone (review MEDIUM
-- bind_zone_missing_after_os_upgrade).  Before: regenerate rebuilt such a
-- binding without a word.  Now: salesplan.time_zone_known lists them, and
-- regenerate and refresh name the binding (ERROR when named, WARNING and
-- skip for every binding).  The lost zone is simulated deterministically:
-- as a superuser, the recorded name is changed to one no tz database has.
CREATE EXTENSION salesplan;
SET DateStyle = 'ISO, YMD';
SET TimeZone = 'UTC';
\set SHOW_CONTEXT never
CREATE SCHEMA zcrm;
CREATE SCHEMA zrep;
-- one lead opened 30 June 2026 23:30 UTC: 1 July 01:30 in Paris (UTC+2
-- in summer), still 30 June in UTC
CREATE TABLE zcrm.lead (id int PRIMARY KEY, stage int, opened timestamptz);
INSERT INTO zcrm.lead VALUES (1, 1, '2026-06-30 23:30+00');
SELECT * FROM salesplan.bind_funnel('zl_paris', 'zrep', 'zcrm.lead', 'stage', stages => 1, period_column => 'opened',
                                    time_zone => 'Europe/Paris');
SELECT * FROM salesplan.bind_funnel('zl_mat', 'zrep', 'zcrm.lead', 'stage', stages => 1, period_column => 'opened',
                                    time_zone => 'Europe/Paris', materialized => true);
SELECT * FROM salesplan.bind_funnel('zl_utc', 'zrep', 'zcrm.lead', 'stage', stages => 1, period_column => 'opened',
                                    time_zone => 'UTC');
-- by hand: July in Paris, June in UTC
SELECT 'zl_paris' AS binding, period, population FROM zrep.zl_paris
UNION ALL SELECT 'zl_mat', period, population FROM zrep.zl_mat
UNION ALL SELECT 'zl_utc', period, population FROM zrep.zl_utc ORDER BY 1;

-- time_zone_known: the zones local_time and the bind functions accept.
-- Known: tz database names and POSIX specifications; not: an abbreviation
-- (PDT), localtime (the server's own zone), a name no tz database has
SELECT z, salesplan.time_zone_known(z) AS known
FROM unnest(ARRAY['Europe/Paris', 'UTC', 'America/New_York', '<+0330>-3:30', 'PDT', 'localtime',
                  'Atlantis/Lost_City', '', 'Europe/Paris; DROP TABLE x']) WITH ORDINALITY AS u(z, o)
ORDER BY o;
SELECT salesplan.time_zone_known(NULL) IS NULL AS strict;
-- the same verdict as local_time: a known zone reads, an unknown one fails
SELECT salesplan.local_time('2026-06-30 23:30+00', '<+0330>-3:30') AS posix_local;
SELECT salesplan.local_time('2026-06-30 23:30+00', 'Atlantis/Lost_City');
\echo :LAST_ERROR_SQLSTATE

-- nothing unknown yet
SELECT name FROM salesplan.binding WHERE NOT salesplan.time_zone_known(spec ->> 'time_zone') ORDER BY name;

-- the zone of zl_paris and zl_mat is lost
UPDATE salesplan.binding SET spec = jsonb_set(spec, '{time_zone}', '"Atlantis/Lost_City"')
WHERE name IN ('zl_paris', 'zl_mat');
-- the documented check lists exactly these two
SELECT name, spec ->> 'time_zone' AS time_zone FROM salesplan.binding
WHERE NOT salesplan.time_zone_known(spec ->> 'time_zone') ORDER BY name;

-- regenerate by name: 22023 naming the binding and the zone, with what to do
\set VERBOSITY default
SELECT * FROM salesplan.regenerate('zl_paris');
\echo :LAST_ERROR_SQLSTATE
-- refresh by name of the materialized one: the same
SELECT * FROM salesplan.refresh('zl_mat');
\echo :LAST_ERROR_SQLSTATE
\set VERBOSITY terse
-- every binding: a WARNING for each lost zone, the others rebuilt
SELECT * FROM salesplan.regenerate() ORDER BY 1;
SELECT * FROM salesplan.refresh();
-- nothing was rebuilt over the lost zone: the views still read as before
SELECT 'zl_paris' AS binding, period, population FROM zrep.zl_paris
UNION ALL SELECT 'zl_mat', period, population FROM zrep.zl_mat ORDER BY 1;
SELECT count(*) AS views_naming_lost_zone FROM pg_views
WHERE schemaname = 'zrep' AND definition LIKE '%Atlantis%';

-- a binding stored before 0.2 records no zone: nothing to check
UPDATE salesplan.binding SET spec = spec - 'time_zone' WHERE name = 'zl_utc';
SELECT * FROM salesplan.regenerate('zl_utc') ORDER BY 1;

-- the way out: bind again with a zone this server has
SELECT salesplan.unbind('zl_paris');
SELECT * FROM salesplan.bind_funnel('zl_paris', 'zrep', 'zcrm.lead', 'stage', stages => 1, period_column => 'opened',
                                    time_zone => 'Europe/Paris');
SELECT period, population FROM zrep.zl_paris;
SELECT name FROM salesplan.binding WHERE NOT salesplan.time_zone_known(spec ->> 'time_zone') ORDER BY name;

SELECT salesplan.unbind(name) FROM salesplan.binding ORDER BY name;
DROP SCHEMA zcrm, zrep CASCADE;
-- leave the database as found: every test creates the extension itself
SET client_min_messages = warning;
DROP EXTENSION salesplan CASCADE;
