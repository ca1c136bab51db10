-- A non-finite date or timestamp in a bound column is an unknown date
-- (NULL) to the views (review HIGH bind_amount_nine_decimals, date part):
-- a milestone planned 'infinity' ("no deadline") or an opportunity opened
-- '-infinity' made every read of the binding's views fail.  Oracles:
-- plain SQL over the same rows, with the non-finite values read as NULL,
-- and the same binding over a copy of the rows where they ARE NULL.
CREATE EXTENSION salesplan;
SET DateStyle = 'ISO, YMD';
SET TimeZone = 'UTC';
CREATE SCHEMA infcrm;
CREATE SCHEMA infrep;

-- milestones: project 1 has a milestone planned 1 March 2026 (open) and
-- one planned 'infinity'; project 2 one planned 1 March, reached 20 Feb.
-- The infinite one is unplanned: project 1 has 1 planned milestone and 1
-- unplanned, PV at 15 March = 1 (the March one), EV 0
CREATE TABLE infcrm.ms (project int, planned date, actual date, w numeric);
INSERT INTO infcrm.ms VALUES (1, '2026-03-01', NULL, 1), (1, 'infinity', NULL, 1), (2, '2026-03-01', '2026-02-20', 1);
CREATE TABLE infcrm.ms_null AS SELECT project, CASE WHEN isfinite(planned) THEN planned END AS planned, actual, w FROM infcrm.ms;
SELECT project, count(planned) FILTER (WHERE isfinite(planned)) AS milestones,
       count(*) FILTER (WHERE NOT isfinite(planned)) AS unplanned,
       sum(coalesce(w, 1)) FILTER (WHERE planned <= '2026-03-15') AS planned_value,
       coalesce(sum(coalesce(w, 1)) FILTER (WHERE actual <= '2026-03-15'), 0) AS earned_value
FROM infcrm.ms GROUP BY project ORDER BY project;
SELECT * FROM salesplan.bind_milestones('inf_ms', 'infrep', 'infcrm.ms', 'project', 'planned', actual_column => 'actual',
                                        weight_column => 'w', as_of => '2026-03-15');
SELECT * FROM salesplan.bind_milestones('inf_ms_null', 'infrep', 'infcrm.ms_null', 'project', 'planned', actual_column => 'actual',
                                        weight_column => 'w', as_of => '2026-03-15');
SELECT project, milestones, unplanned, planned_value, earned_value FROM infrep.inf_ms ORDER BY project;
-- every column as over the NULL copy
SELECT count(*) AS differing FROM ((SELECT * FROM infrep.inf_ms EXCEPT SELECT * FROM infrep.inf_ms_null)
                                   UNION ALL (SELECT * FROM infrep.inf_ms_null EXCEPT SELECT * FROM infrep.inf_ms)) AS d;
SELECT count(*) AS differing FROM ((SELECT * FROM infrep.inf_ms_portfolio EXCEPT SELECT * FROM infrep.inf_ms_null_portfolio)
                                   UNION ALL (SELECT * FROM infrep.inf_ms_null_portfolio EXCEPT SELECT * FROM infrep.inf_ms_portfolio)) AS d;

-- funnel: deal 1 opened 1 Jan, won 1 Feb; deal 2 opened '-infinity',
-- open; deal 3 created 'infinity' (its period is unknown).  Periods: plain
-- SQL with the infinite period as NULL
CREATE TABLE infcrm.deal (id int, stage int, created timestamptz, opened date, closed date, won boolean, lost boolean);
INSERT INTO infcrm.deal VALUES
    (1, 3, '2026-01-01 10:00+00', '2026-01-01', '2026-02-01', true, false),
    (2, 2, '2026-01-05 10:00+00', '-infinity', NULL, false, false),
    (3, 1, 'infinity', '2026-01-10', NULL, false, false);
CREATE TABLE infcrm.deal_null AS
SELECT id, stage, CASE WHEN isfinite(created) THEN created END AS created,
       CASE WHEN isfinite(opened) THEN opened END AS opened, closed, won, lost FROM infcrm.deal;
SELECT CASE WHEN isfinite(created) THEN date_trunc('month', created)::date END AS period, count(*) AS leads,
       count(*) FILTER (WHERE won) AS won_deals
FROM infcrm.deal GROUP BY 1 ORDER BY 1;
SELECT * FROM salesplan.bind_funnel('inf_deal', 'infrep', 'infcrm.deal', 'stage', stages => 3, won_column => 'won', lost_column => 'lost',
                                    opened_column => 'opened', closed_date_column => 'closed',
                                    period_column => 'created', period => 'month');
SELECT * FROM salesplan.bind_funnel('inf_deal_null', 'infrep', 'infcrm.deal_null', 'stage', stages => 3, won_column => 'won', lost_column => 'lost',
                                    opened_column => 'opened', closed_date_column => 'closed',
                                    period_column => 'created', period => 'month');
SELECT period, leads, won_deals FROM infrep.inf_deal ORDER BY period;
SELECT count(*) AS differing FROM ((SELECT * FROM infrep.inf_deal EXCEPT SELECT * FROM infrep.inf_deal_null)
                                   UNION ALL (SELECT * FROM infrep.inf_deal_null EXCEPT SELECT * FROM infrep.inf_deal)) AS d;
SELECT count(*) AS differing FROM ((SELECT * FROM infrep.inf_deal_stages EXCEPT SELECT * FROM infrep.inf_deal_null_stages)
                                   UNION ALL (SELECT * FROM infrep.inf_deal_null_stages EXCEPT SELECT * FROM infrep.inf_deal_stages)) AS d;
SELECT count(*) AS differing FROM ((SELECT * FROM infrep.inf_deal_fit EXCEPT SELECT * FROM infrep.inf_deal_null_fit)
                                   UNION ALL (SELECT * FROM infrep.inf_deal_null_fit EXCEPT SELECT * FROM infrep.inf_deal_fit)) AS d;

-- timestamptz opened/closed read in a recorded zone, and a date period
-- column: the same
CREATE TABLE infcrm.deal_tz (id int, stage int, day date, opened timestamptz, closed timestamptz, won boolean, lost boolean);
INSERT INTO infcrm.deal_tz VALUES
    (1, 3, '2026-01-01', '2026-01-01 10:00+00', '2026-02-01 10:00+00', true, false),
    (2, 2, 'infinity', '-infinity', NULL, false, false),
    (3, 1, '2026-01-03', '2026-01-10 10:00+00', 'infinity', false, true);
CREATE TABLE infcrm.deal_tz_null AS
SELECT id, stage, CASE WHEN isfinite(day) THEN day END AS day, CASE WHEN isfinite(opened) THEN opened END AS opened,
       CASE WHEN isfinite(closed) THEN closed END AS closed, won, lost FROM infcrm.deal_tz;
SELECT * FROM salesplan.bind_funnel('inf_tz', 'infrep', 'infcrm.deal_tz', 'stage', stages => 3, won_column => 'won', lost_column => 'lost',
                                    opened_column => 'opened', closed_date_column => 'closed',
                                    period_column => 'day', period => 'month', time_zone => 'Asia/Tokyo');
SELECT * FROM salesplan.bind_funnel('inf_tz_null', 'infrep', 'infcrm.deal_tz_null', 'stage', stages => 3, won_column => 'won', lost_column => 'lost',
                                    opened_column => 'opened', closed_date_column => 'closed',
                                    period_column => 'day', period => 'month', time_zone => 'Asia/Tokyo');
SELECT CASE WHEN isfinite(day) THEN date_trunc('month', day)::date END AS period, count(*) AS leads,
       count(*) FILTER (WHERE won) AS won_deals, count(*) FILTER (WHERE lost) AS lost_deals
FROM infcrm.deal_tz GROUP BY 1 ORDER BY 1;
SELECT period, leads, won_deals, lost_deals FROM infrep.inf_tz ORDER BY period;
SELECT count(*) AS differing FROM ((SELECT * FROM infrep.inf_tz EXCEPT SELECT * FROM infrep.inf_tz_null)
                                   UNION ALL (SELECT * FROM infrep.inf_tz_null EXCEPT SELECT * FROM infrep.inf_tz)) AS d;
SELECT count(*) AS differing FROM ((SELECT * FROM infrep.inf_tz_fit EXCEPT SELECT * FROM infrep.inf_tz_null_fit)
                                   UNION ALL (SELECT * FROM infrep.inf_tz_null_fit EXCEPT SELECT * FROM infrep.inf_tz_fit)) AS d;

SELECT salesplan.unbind(name) FROM salesplan.binding ORDER BY name;
DROP SCHEMA infcrm, infrep CASCADE;
-- leave the database as found: every test creates the extension itself
SET client_min_messages = warning;
DROP EXTENSION salesplan CASCADE;
