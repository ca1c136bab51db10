-- A binding's recorded zone is read as a zone NAME, never as an
-- abbreviation (review HIGH bind_time_zone_abbrev, issue 13).
-- pg_catalog.timezone(text, ...) looks its text up in the reader's
-- timezone_abbreviations first: there 'CET' is a fixed +01 all year
-- (the CET zone keeps summer time, +02), and 'EST' is -05 in the Default
-- set but +10 in the Australia set.  The views must give the zone's own
-- calendar whatever set the reader chose.
-- Oracles: plain SQL with the offset written out (AT TIME ZONE an
-- interval: east positive), which no setting can change.
CREATE EXTENSION salesplan;
SET DateStyle = 'ISO, YMD';
CREATE SCHEMA abcrm;
CREATE SCHEMA abrep;
CREATE TABLE abcrm.lead (id int PRIMARY KEY, stage int NOT NULL, created timestamptz NOT NULL,
                         opened timestamptz, closed timestamptz, won boolean);
-- lead 1: 30 June 22:30 UTC = 1 July 00:30 in CET (summer, +02);
-- lead 2: 31 January 23:30 UTC = 1 February 00:30 in CET (winter, +01);
-- lead 3: opened 30 June 21:30 UTC (23:30 +02, 30 June), won 30 June
--         22:30 UTC (00:30 +02, 1 July): a cycle of 1 day in CET, 0 at a
--         fixed +01
INSERT INTO abcrm.lead VALUES
    (1, 1, '2026-06-30 22:30+00', NULL, NULL, NULL),
    (2, 1, '2026-01-31 23:30+00', NULL, NULL, NULL),
    (3, 2, '2026-03-10 12:00+00', '2026-06-30 21:30+00', '2026-06-30 22:30+00', true);

-- oracle: CET is +01 until 29 March 2026 01:00 UTC and +02 from then to
-- 25 October 01:00 UTC (EU rule)
SELECT id, date_trunc('month', created AT TIME ZONE CASE WHEN created >= '2026-03-29 01:00+00' AND created < '2026-10-25 01:00+00'
                                                         THEN interval '2 hours' ELSE interval '1 hour' END)::date AS period
FROM abcrm.lead ORDER BY id;
SELECT (closed AT TIME ZONE interval '2 hours')::date - (opened AT TIME ZONE interval '2 hours')::date AS cycle_days
FROM abcrm.lead WHERE id = 3;

-- bound in a CET session: 'CET' is recorded
SET TimeZone = 'CET';
SELECT * FROM salesplan.bind_funnel('cet_leads', 'abrep', 'abcrm.lead', 'stage', stages => 2,
                                    period_column => 'created', period => 'month',
                                    opened_column => 'opened', closed_date_column => 'closed', won_column => 'won');
SELECT spec ->> 'time_zone' AS recorded FROM salesplan.binding WHERE name = 'cet_leads';

-- periods and the cycle as the oracle, in any session zone and either
-- abbreviation set: February 1 lead, March 1 lead (lead 3), July 1 lead;
-- the median cycle (one closed lead) 1 day
CREATE FUNCTION pg_temp.cet() RETURNS TABLE (abbrevs text, period date, leads bigint, median_cycle_days float8)
LANGUAGE sql AS $$
    SELECT current_setting('timezone_abbreviations'), v.period, v.leads,
           (SELECT f.median_cycle_days FROM abrep.cet_leads_fit AS f)
    FROM abrep.cet_leads AS v ORDER BY v.period
$$;
SET TimeZone = 'UTC';
SET timezone_abbreviations = 'Default';
SELECT * FROM pg_temp.cet();
SET timezone_abbreviations = 'Australia';
SELECT * FROM pg_temp.cet();
SET TimeZone = 'CET';
SELECT * FROM pg_temp.cet();
RESET timezone_abbreviations;
-- a reader without privileges on the internals (the views are
-- security_invoker): the same periods
CREATE ROLE abreader;
GRANT USAGE ON SCHEMA abcrm, abrep TO abreader;
GRANT SELECT ON abcrm.lead, abrep.cet_leads TO abreader;
SET ROLE abreader;
SET timezone_abbreviations = 'Australia';
SELECT period, leads FROM abrep.cet_leads ORDER BY period;
RESET timezone_abbreviations;
RESET ROLE;

-- EST (a zone file: -05 all year): lead 4 on 1 March 03:00 UTC is
-- 28 February 22:00 at -05, February; in the Australia set the
-- abbreviation EST is +10 (1 March 13:00, March)
INSERT INTO abcrm.lead VALUES (4, 1, '2026-03-01 03:00+00', NULL, NULL, NULL);
SELECT date_trunc('month', created AT TIME ZONE interval '-5 hours')::date AS oracle_period FROM abcrm.lead WHERE id = 4;
SET TimeZone = 'EST';
SELECT * FROM salesplan.bind_funnel('est_leads', 'abrep', 'abcrm.lead', 'stage',
                                    period_column => 'created', period => 'month',
                                    row_filter => '{"relation": {"id": 4}}');
SET timezone_abbreviations = 'Default';
SELECT current_setting('timezone_abbreviations') AS abbrevs, period, leads FROM abrep.est_leads;
SET timezone_abbreviations = 'Australia';
SELECT current_setting('timezone_abbreviations') AS abbrevs, period, leads FROM abrep.est_leads;
SET TimeZone = 'Australia/Sydney';
SELECT current_setting('timezone_abbreviations') AS abbrevs, period, leads FROM abrep.est_leads;
RESET timezone_abbreviations;
RESET TimeZone;

-- salesplan.local_time itself: a zone name, never an abbreviation (by
-- hand: 22:30 UTC + 2 h summer time; 03:00 UTC - 5 h); infinite stays
-- infinite; an unknown zone or an abbreviation that names no zone file is
-- an error
SET timezone_abbreviations = 'Australia';
SELECT salesplan.local_time('2026-06-30 22:30+00', 'CET') AS cet_summer,      -- 2026-07-01 00:30
       salesplan.local_time('2026-03-01 03:00+00', 'EST') AS est,             -- 2026-02-28 22:00
       salesplan.local_time('infinity', 'UTC') AS infinite;
RESET timezone_abbreviations;
SELECT salesplan.local_time(now(), 'No/Such_Zone');
SELECT salesplan.local_time(now(), 'PDT');

SELECT salesplan.unbind('cet_leads'), salesplan.unbind('est_leads');
DROP SCHEMA abcrm, abrep CASCADE;
DROP ROLE abreader;
-- leave the database as found: every test creates the extension itself
SET client_min_messages = warning;
DROP EXTENSION salesplan CASCADE;
