-- A project whose milestones are all unplanned (planned NULL, or
-- ±infinity, read as NULL) has no planned milestone: its counts and sums
-- over planned milestones are zero, not unknown (review LOW
-- bind_milestones_all_unplanned).  Before: milestones, total_weight,
-- planned_value, earned_value, schedule_variance and late_milestones were
-- NULL there, and a BI sum over projects silently skipped it.  The ratios
-- and dates of a schedule (spi, spi_t, on_time_rate, slip_days,
-- project_start, planned_finish, forecast_finish) stay NULL: without a
-- planned date there is nothing to measure them against.
CREATE EXTENSION salesplan;
SET DateStyle = 'ISO, YMD';
SET TimeZone = 'UTC';
CREATE SCHEMA mucrm;
CREATE SCHEMA murep;
-- as of 1 March 2026:
-- project 1 (team a): one milestone planned 10 Jan, weight 2, open
--   -> milestones 1, total_weight 2, PV 2, EV 0, SV -2, late 1
-- project 2 (team b): one milestone without a planned date (weight 1, open)
--   and one planned 'infinity' (weight 3, reached 5 Jan): both unplanned
--   -> milestones 0, unplanned 2, total_weight 0, PV 0, EV 0, SV 0, late 0
-- project 3 (team a): one milestone planned 1 April (not due), weight 1
--   -> milestones 1, total_weight 1, PV 0, EV 0, SV 0, late 0
CREATE TABLE mucrm.ms (id int PRIMARY KEY, project int, team text, planned date, actual date, w numeric);
INSERT INTO mucrm.ms VALUES
    (1, 1, 'a', '2026-01-10', NULL, 2),
    (2, 2, 'b', NULL, NULL, 1), (3, 2, 'b', 'infinity', '2026-01-05', 3),
    (4, 3, 'a', '2026-04-01', NULL, 1);
SELECT * FROM salesplan.bind_milestones('mu', 'murep', 'mucrm.ms', 'project', 'planned', actual_column => 'actual',
                                        weight_column => 'w', dimensions => '{team}', as_of => '2026-03-01');
SELECT project, milestones, unplanned, total_weight, planned_value, earned_value, schedule_variance, late_milestones
FROM murep.mu ORDER BY project;
-- plain SQL over the same rows (unplanned: planned NULL or infinite)
SELECT project, count(*) FILTER (WHERE isfinite(planned)) AS milestones,
       count(*) FILTER (WHERE planned IS NULL OR NOT isfinite(planned)) AS unplanned,
       coalesce(sum(w) FILTER (WHERE isfinite(planned)), 0) AS total_weight,
       coalesce(sum(w) FILTER (WHERE isfinite(planned) AND planned <= '2026-03-01'), 0) AS planned_value,
       coalesce(sum(w) FILTER (WHERE isfinite(planned) AND actual <= '2026-03-01'), 0) AS earned_value,
       count(*) FILTER (WHERE isfinite(planned) AND planned <= '2026-03-01'
                        AND least(coalesce(actual, '2026-03-01'), '2026-03-01') > planned) AS late_milestones
FROM mucrm.ms GROUP BY project ORDER BY project;
-- the schedule's ratios and dates stay unknown for project 2
SELECT project, spi, earned_schedule_days, spi_t, schedule_variance_t, project_start, planned_finish,
       forecast_finish, on_time_rate, slip_days
FROM murep.mu WHERE project = 2;
-- the portfolio: team b has one project and no planned milestone
SELECT team, projects, behind_projects, milestones, unplanned, total_weight, planned_value, earned_value,
       schedule_variance, late_milestones
FROM murep.mu_portfolio ORDER BY team;
-- a sum over projects now counts every project
SELECT sum(milestones) AS milestones, sum(unplanned) AS unplanned, count(milestones) AS projects_counted FROM murep.mu;
-- the comments say so
SELECT a.attname, col_description('murep.mu'::regclass, a.attnum)
FROM pg_attribute a WHERE a.attrelid = 'murep.mu'::regclass
  AND a.attname IN ('milestones', 'total_weight', 'planned_value', 'earned_value', 'schedule_variance', 'late_milestones')
ORDER BY a.attnum;

SELECT salesplan.unbind(name) FROM salesplan.binding ORDER BY name;
DROP SCHEMA mucrm, murep CASCADE;
-- leave the database as found: every test creates the extension itself
SET client_min_messages = warning;
DROP EXTENSION salesplan CASCADE;
