-- "Today" in a bound view is today in the binding's recorded time zone
-- (issue 13): as_of of milestone and coverage bindings without a fixed
-- as_of, and the date open deals are followed to in win_probability, are
-- (now() AT TIME ZONE '<zone>')::date, not CURRENT_DATE (today in the
-- reader's TimeZone, or a Citus worker's).
-- The binding zone is Pacific/Kiritimati (+14), the readers sit in
-- Pacific/Pago_Pago (-11) and Kiritimati: 25 hours apart, so the two
-- readers' CURRENT_DATE always differ, whatever the time this runs.
CREATE EXTENSION salesplan;
SET DateStyle = 'ISO, YMD';
CREATE SCHEMA tdcrm;
CREATE SCHEMA tdrep;
-- D = today in Kiritimati
CREATE TABLE tdcrm.today AS SELECT (now() AT TIME ZONE 'Pacific/Kiritimati')::date AS d;

-- milestones: one project, one milestone planned D - 1 (due), one D + 30
CREATE TABLE tdcrm.ms (project int, planned date, actual date);
INSERT INTO tdcrm.ms SELECT 1, d - 1, NULL::date FROM tdcrm.today UNION ALL SELECT 1, d + 30, NULL FROM tdcrm.today;
-- coverage: one target account
CREATE TABLE tdcrm.account (id int PRIMARY KEY);
INSERT INTO tdcrm.account VALUES (1);
-- funnel: deal 1 opened D - 10, won D - 3 (7 days); deal 2 opened D - 7,
-- still open.  As of D the open deal has been watched 7 days and is still
-- at risk on day 7 when deal 1 is won (doc/outcomes.md: censored at t is
-- at risk at t): win probability = 1/2 at day 7, so 0.5.  As of D - 1 it
-- was watched 6 days only: deal 1 alone at risk on day 7, so 1.
CREATE TABLE tdcrm.deal (id int, stage int, opened date, closed date, won boolean, lost boolean);
INSERT INTO tdcrm.deal SELECT 1, 2, d - 10, d - 3, true, false FROM tdcrm.today
                 UNION ALL SELECT 2, 1, d - 7, NULL, false, false FROM tdcrm.today;

SET TimeZone = 'UTC';
SELECT * FROM salesplan.bind_milestones('td_ms', 'tdrep', 'tdcrm.ms', 'project', 'planned', actual_column => 'actual',
                                        time_zone => 'Pacific/Kiritimati');
SELECT * FROM salesplan.bind_coverage('td_cov', 'tdrep', 'tdcrm.account', 'id', time_zone => 'Pacific/Kiritimati');
SELECT * FROM salesplan.bind_funnel('td_deal', 'tdrep', 'tdcrm.deal', 'stage', stages => 2, won_column => 'won', lost_column => 'lost',
                                    opened_column => 'opened', closed_date_column => 'closed', time_zone => 'Pacific/Kiritimati');

-- read in both zones: as_of = the oracle, 1 milestone late (due D - 1,
-- open), win_probability 0.5
CREATE FUNCTION pg_temp.today_checks() RETURNS TABLE (reader text, ms_as_of_ok boolean, late_milestones int,
                                                      cov_as_of_ok boolean, win_probability float8)
LANGUAGE sql AS $$
    SELECT current_setting('TimeZone'),
           m.as_of = (now() AT TIME ZONE 'Pacific/Kiritimati')::date, m.late_milestones,
           c.as_of = (now() AT TIME ZONE 'Pacific/Kiritimati')::date, f.win_probability
    FROM tdrep.td_ms AS m, (SELECT DISTINCT as_of FROM tdrep.td_cov_accounts) AS c, tdrep.td_deal AS f
$$;
SET TimeZone = 'Pacific/Pago_Pago';
SELECT * FROM pg_temp.today_checks();
SET TimeZone = 'Pacific/Kiritimati';
SELECT * FROM pg_temp.today_checks();
-- the readers' own CURRENT_DATE differ (so the check above tells)
SELECT (now() AT TIME ZONE 'Pacific/Kiritimati')::date - (now() AT TIME ZONE 'Pacific/Pago_Pago')::date >= 1 AS readers_differ;
RESET TimeZone;

SELECT salesplan.unbind(name) FROM salesplan.binding ORDER BY name;
DROP SCHEMA tdcrm, tdrep CASCADE;
-- leave the database as found: every test creates the extension itself
SET client_min_messages = warning;
DROP EXTENSION salesplan CASCADE;
