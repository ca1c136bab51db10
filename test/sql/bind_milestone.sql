-- Milestone bindings over an Odoo-like project_milestone table, with a
-- home-grown forecast history; views checked against plain SQL.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS salesplan;
RESET client_min_messages;
SET extra_float_digits = 0;
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
\set SHOW_CONTEXT never

CREATE SCHEMA odoo;
CREATE TABLE odoo.project_project (id int PRIMARY KEY, name text, user_id int);
INSERT INTO odoo.project_project VALUES (1, 'ERP roll-out', 7), (2, 'Data platform', 7),
                                        (3, 'Call centre', 8), (4, 'Consulting', NULL);
-- Odoo 17 project.milestone: deadline, is_reached, reached_date, and
-- quantity_percentage (share of the sold quantity) as the weight
CREATE TABLE odoo.project_milestone (
    id int PRIMARY KEY, name text, project_id int REFERENCES odoo.project_project,
    deadline date, is_reached boolean NOT NULL DEFAULT false, reached_date date,
    quantity_percentage double precision
);
-- 5 milestones per project, a month apart from 2024-02-01 + project offset;
-- reached with a slip of (id % 4 - 1) * 5 days while before 2024-06-15;
-- weight 0.1 .. 0.3; milestone 20 has no deadline; milestone 9 is marked
-- reached without a date (counted as not reached)
INSERT INTO odoo.project_milestone
SELECT id, 'M' || id, 1 + (id - 1) / 5,
       CASE WHEN id = 20 THEN NULL ELSE date '2024-02-01' + ((id - 1) / 5) * 10 + ((id - 1) % 5) * 30 END,
       false, NULL, 0.1 * (1 + id % 3)
FROM generate_series(1, 20) AS id;
UPDATE odoo.project_milestone
SET is_reached = true, reached_date = deadline + (id % 4 - 1) * 5
WHERE deadline + (id % 4 - 1) * 5 < date '2024-06-15';
UPDATE odoo.project_milestone SET is_reached = true, reached_date = NULL WHERE id = 9;
-- forecast history of each milestone: four weekly reports, slipping
-- (id % 3) days per week
CREATE TABLE odoo.milestone_forecast (milestone_id int, reported_on date, forecast date);
INSERT INTO odoo.milestone_forecast
SELECT m.id, date '2024-01-01' + w * 7, m.deadline + w * (m.id % 3)
FROM odoo.project_milestone m CROSS JOIN generate_series(0, 3) AS w
WHERE m.deadline IS NOT NULL;
-- the project manager comes from the project: bind a view
CREATE VIEW odoo.milestone_with_manager AS
SELECT m.*, p.user_id AS manager_id FROM odoo.project_milestone m JOIN odoo.project_project p ON p.id = m.project_id;

CREATE SCHEMA pmo;
SELECT * FROM salesplan.bind_milestones('milestones', 'pmo', 'odoo.milestone_with_manager', 'project_id',
    'deadline', actual_column => 'reached_date', reached_column => 'is_reached',
    weight_column => 'quantity_percentage', dimensions => '{manager_id}', as_of => '2024-06-30',
    history_table => 'odoo.milestone_forecast', milestone_key => 'id', history_key => 'milestone_id',
    history_reported => 'reported_on', history_forecast => 'forecast');

-- plain SQL at as_of = 2024-06-30
CREATE TEMP VIEW ms AS
SELECT m.project_id, m.manager_id, m.deadline AS planned,
       CASE WHEN m.is_reached THEN m.reached_date END AS actual,
       round(m.quantity_percentage::numeric, 8) AS w,
       date '2024-06-30' AS as_of,
       (SELECT regr_slope((f.forecast - date '2000-01-01')::float8, (f.reported_on - date '2000-01-01')::float8)
          FROM odoo.milestone_forecast f WHERE f.milestone_id = m.id) AS trend
FROM odoo.milestone_with_manager m;
CREATE TEMP VIEW ms_plain AS
SELECT project_id, manager_id,
       count(planned) AS milestones, count(*) - count(planned) AS unplanned,
       sum(w) FILTER (WHERE planned IS NOT NULL) AS total_weight,
       coalesce(sum(w) FILTER (WHERE planned <= as_of), 0) AS planned_value,
       coalesce(sum(w) FILTER (WHERE actual <= as_of AND planned IS NOT NULL), 0) AS earned_value,
       min(planned) AS project_start, max(planned) AS planned_finish,
       (count(*) FILTER (WHERE planned <= as_of AND actual <= planned))::float8
         / nullif(count(*) FILTER (WHERE planned < as_of OR (planned = as_of AND actual <= as_of)), 0) AS on_time_rate,
       (count(*) FILTER (WHERE planned <= as_of AND (actual IS NULL OR actual > planned)))::int AS late_milestones,
       round(max(trend)::numeric, 9) AS worst_slip_trend
FROM ms GROUP BY project_id, manager_id;
CREATE TEMP VIEW ms_view AS
SELECT project_id, manager_id, milestones, unplanned, total_weight, planned_value, earned_value,
       project_start, planned_finish, on_time_rate, late_milestones, round(worst_slip_trend::numeric, 9) AS worst_slip_trend
FROM pmo.milestones;
SELECT (SELECT count(*) FROM ms_view) AS view_rows,
       (SELECT count(*) FROM (SELECT * FROM ms_view EXCEPT SELECT * FROM ms_plain) d) AS view_only,
       (SELECT count(*) FROM (SELECT * FROM ms_plain EXCEPT SELECT * FROM ms_view) d) AS plain_only;
-- SV, SPI from the plain PV and EV; the time-based metrics equal the
-- accessors over a plain GROUP BY of the same rows
SELECT v.project_id, v.planned_value, v.earned_value, v.schedule_variance, round(v.spi::numeric, 6) AS spi,
       v.schedule_variance = v.earned_value - v.planned_value AS sv_ok,
       v.spi = (v.earned_value / nullif(v.planned_value, 0))::float8 AS spi_ok,
       (v.spi_t, v.earned_schedule_days, v.schedule_variance_t, v.forecast_finish, v.slip_days)
         IS NOT DISTINCT FROM
       (salesplan.spi_t(g.s, '2024-06-30'), salesplan.earned_schedule_days(g.s, '2024-06-30'),
        salesplan.schedule_variance_t(g.s, '2024-06-30'), salesplan.forecast_finish(g.s, '2024-06-30'),
        salesplan.slip_days(g.s, '2024-06-30')) AS time_metrics_ok,
       v.forecast_finish, v.late_milestones, v.worst_slip_trend
FROM pmo.milestones v
JOIN (SELECT project_id, salesplan.schedule_agg(planned, actual, w) AS s FROM ms WHERE planned IS NOT NULL GROUP BY project_id) g
  USING (project_id)
ORDER BY v.project_id;

-- the portfolio per manager: every milestone of the manager's projects
CREATE TEMP VIEW pf_plain AS
SELECT manager_id, count(DISTINCT project_id) AS projects, count(planned) AS milestones,
       sum(w) FILTER (WHERE planned IS NOT NULL) AS total_weight,
       coalesce(sum(w) FILTER (WHERE planned <= as_of), 0) AS planned_value,
       coalesce(sum(w) FILTER (WHERE actual <= as_of AND planned IS NOT NULL), 0) AS earned_value,
       min(planned) AS project_start, max(planned) AS planned_finish
FROM ms GROUP BY manager_id;
SELECT (SELECT count(*) FROM (SELECT manager_id, projects, milestones, total_weight, planned_value, earned_value, project_start, planned_finish
                              FROM pmo.milestones_portfolio EXCEPT SELECT * FROM pf_plain) d) AS view_only,
       (SELECT count(*) FROM (SELECT * FROM pf_plain EXCEPT SELECT manager_id, projects, milestones, total_weight, planned_value, earned_value, project_start, planned_finish
                              FROM pmo.milestones_portfolio) d) AS plain_only;
SELECT manager_id, as_of, projects, behind_projects, milestones, unplanned, planned_value, earned_value,
       schedule_variance, late_milestones
FROM pmo.milestones_portfolio ORDER BY manager_id;
-- behind_projects by hand: projects with EV < PV in pmo.milestones
SELECT manager_id, count(*) FILTER (WHERE earned_value < planned_value) AS behind FROM pmo.milestones
GROUP BY manager_id ORDER BY manager_id;

-- comments and plain types everywhere
SELECT c.relname, c.reloptions, obj_description(c.oid, 'pg_class') IS NOT NULL AS commented,
       (SELECT count(*) FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0
          AND col_description(c.oid, a.attnum) IS NULL) AS uncommented_columns,
       (SELECT count(*) FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0
          AND a.atttypid IN (SELECT oid FROM pg_type WHERE typnamespace = 'salesplan'::regnamespace)) AS state_columns
FROM pg_class c WHERE c.relnamespace = 'pmo'::regnamespace ORDER BY c.relname;

-- materialized, without dimensions, as_of = CURRENT_DATE at refresh time
SELECT * FROM salesplan.bind_milestones('ms_mat', 'pmo', 'odoo.project_milestone', 'project_id',
    'deadline', actual_column => 'reached_date', materialized => true);
SELECT group_key, as_of = CURRENT_DATE AS today, projects, milestones, unplanned FROM pmo.ms_mat_portfolio;
SELECT * FROM salesplan.refresh('ms_mat');
SELECT count(*) AS projects FROM pmo.ms_mat;

-- errors
\set VERBOSITY default
SELECT salesplan.bind_milestones('e', 'pmo', 'odoo.project_milestone', 'project', 'deadline');
SELECT salesplan.bind_milestones('e', 'pmo', 'odoo.project_milestone', 'project_id', 'name');
SELECT salesplan.bind_milestones('e', 'pmo', 'odoo.project_milestone', 'project_id', 'deadline',
    history_table => 'odoo.milestone_forecast');
\set VERBOSITY sqlstate
SELECT salesplan.bind_milestones('e', 'pmo', 'odoo.project_milestone', 'project_id', NULL);
SELECT salesplan.bind_milestones('e', 'pmo', 'odoo.project_milestone', 'project_id', 'deadline',
    weight_column => 'name');
SELECT salesplan.bind_milestones('e', 'pmo', 'odoo.project_milestone', 'project_id', 'deadline',
    reached_column => 'name');
SELECT salesplan.bind_milestones('e', 'pmo', 'odoo.project_milestone', 'project_id', 'deadline',
    as_of => 'infinity');
SELECT salesplan.bind_milestones('e', 'pmo', 'odoo.project_milestone', 'project_id', 'deadline',
    dimensions => '{project_id}');
\set VERBOSITY default

DROP VIEW ms_view;
SELECT salesplan.unbind('milestones'), salesplan.unbind('ms_mat');
SET client_min_messages = warning;
DROP SCHEMA pmo, odoo CASCADE;
DROP EXTENSION salesplan;
