-- demo_schedule.sql: the project paradigm over the sample CRM (schema crm).
--
-- A PMO's weekly review in psql: portfolio SPI and SPI(t), per-project
-- schedule health and forecast finish, late milestones, and milestones whose
-- forecast keeps slipping (milestone trend analysis).  Run with
--     psql -X -v today=2026-11-27 -f test/data/demo_schedule.sql
-- against a database with CREATE EXTENSION salesplan and the sample CRM:
--     crm.project(id, account_id, opportunity_id, name, pmo_rep_id,
--                 start_date, baseline_finish)
--     crm.milestone(id, project_id, name, seq, baseline_date, actual_date, weight)
--     crm.milestone_forecast(milestone_id, reported_on, forecast_date)
-- "today" defaults to 2026-11-27, the sample data's status date.

\if :{?today}
\else
\set today 2026-11-27
\endif
\pset null '-'
SET extra_float_digits = 0;
SET DateStyle = 'ISO, YMD';

\echo
\echo '== Portfolio: earned value and earned schedule as of' :today '=='
-- One schedule per project (start = crm.project.start_date), rolled up into
-- the portfolio.  SPI is value-based (tends to 1 as projects end); SPI(t)
-- is time-based (stays below 1 for a project that finishes late).
WITH s AS (
    SELECT p.id, salesplan.schedule_agg(m.baseline_date, m.actual_date, m.weight, p.start_date) AS s
    FROM crm.project p JOIN crm.milestone m ON m.project_id = p.id
    WHERE m.baseline_date IS NOT NULL
    GROUP BY p.id
)
SELECT count(*) AS projects,
       salesplan.milestone_count(salesplan.rollup(s)) AS milestones,
       salesplan.planned_value(salesplan.rollup(s), :'today') AS pv,
       salesplan.earned_value(salesplan.rollup(s), :'today') AS ev,
       round(salesplan.spi(salesplan.rollup(s), :'today')::numeric, 3) AS spi,
       round(salesplan.spi_t(salesplan.rollup(s), :'today')::numeric, 3) AS spi_t,
       round(salesplan.on_time_rate(salesplan.rollup(s), :'today')::numeric, 3) AS on_time_rate,
       round(salesplan.slip_days(salesplan.rollup(s), :'today')::numeric, 1) AS slip_days,
       salesplan.late_milestones(salesplan.rollup(s), :'today') AS late
FROM s;

\echo
\echo '== Projects: schedule health and forecast finish, worst SPI(t) first (view reports.crm_delivery) =='
-- Read from the view that salesplan.bind_milestones generated over
-- crm.milestone in demo_paradigm.sql (as of the sample data's status date).
SELECT p.name AS project,
       d.total_weight AS bac,
       d.schedule_variance AS sv,
       round(d.spi::numeric, 2) AS spi,
       round(d.spi_t::numeric, 2) AS spi_t,
       round(d.schedule_variance_t::numeric, 1) AS sv_t_days,
       greatest(p.baseline_finish, d.planned_finish) AS baseline_finish,
       d.forecast_finish,
       d.forecast_finish - greatest(p.baseline_finish, d.planned_finish) AS days_late,
       d.late_milestones AS late
FROM reports.crm_delivery d JOIN crm.project p ON p.id = d.project_id
ORDER BY d.spi_t NULLS LAST, p.name;

\echo
\echo '== Late milestones: due by today, reached late or still open =='
SELECT p.name AS project, m.seq, m.name AS milestone, m.baseline_date AS planned,
       m.actual_date AS actual,
       least(coalesce(m.actual_date, :'today'::date), :'today'::date) - m.baseline_date AS days_late
FROM crm.milestone m JOIN crm.project p ON p.id = m.project_id
WHERE m.baseline_date <= :'today'
  AND least(coalesce(m.actual_date, :'today'::date), :'today'::date) > m.baseline_date
ORDER BY days_late DESC, project, m.seq;

\echo
\echo '== Slipping milestones: forecast trend and the move at the last review =='
-- Milestone trend analysis: slope of forecast date against report date
-- (0 = holding, 1 = slips a day per day).  The last two reviews show the
-- latest move (the staged-review question "did it move since last time?").
WITH h AS (
    SELECT f.milestone_id, f.reported_on, f.forecast_date,
           lag(f.forecast_date) OVER w AS previous_forecast,
           row_number() OVER (PARTITION BY f.milestone_id ORDER BY f.reported_on DESC) AS recency
    FROM crm.milestone_forecast f
    WHERE f.reported_on <= :'today'
    WINDOW w AS (PARTITION BY f.milestone_id ORDER BY f.reported_on)
), t AS (
    SELECT milestone_id, salesplan.slip_trend(reported_on, forecast_date) AS slope,
           count(*) AS reviews
    FROM crm.milestone_forecast
    WHERE reported_on <= :'today'
    GROUP BY milestone_id
)
SELECT p.name AS project, m.name AS milestone, m.baseline_date AS planned,
       t.reviews, round(t.slope::numeric, 2) AS slip_per_day,
       h.previous_forecast, h.forecast_date AS last_forecast,
       h.forecast_date - h.previous_forecast AS moved_days,
       h.forecast_date - m.baseline_date AS vs_baseline
FROM t
JOIN h ON h.milestone_id = t.milestone_id AND h.recency = 1
JOIN crm.milestone m ON m.id = t.milestone_id
JOIN crm.project p ON p.id = m.project_id
WHERE m.actual_date IS NULL
  AND (t.slope > 0.1 OR h.forecast_date > h.previous_forecast)
ORDER BY t.slope DESC NULLS LAST, project, m.seq;
