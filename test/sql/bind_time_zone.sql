-- Bindings bucket a timestamptz period column in the time zone recorded at
-- bind time (issue 13), so the views give the same periods whatever the
-- TimeZone of the session (or of the Citus worker) that reads them.
-- 3,000 leads: 2,400 created on 31 March 2026 between 20:00 and 23:59 New
-- York time (EDT, -04: 1 April 00:00-03:59 UTC) and 600 on 1 April between
-- 10:00 and 19:59 New York time.  A New York session puts 2,400 in March and
-- 600 in April; a UTC session, bucketing in its own zone, would put all
-- 3,000 in April.
CREATE EXTENSION salesplan;
SET DateStyle = 'ISO, YMD';
CREATE SCHEMA tzcrm;
CREATE SCHEMA tzrep;
CREATE TABLE tzcrm.lead (id int PRIMARY KEY, stage int NOT NULL, created timestamptz NOT NULL);
INSERT INTO tzcrm.lead
SELECT g, 1, timestamptz '2026-03-31 20:00-04' + (g % 240) * interval '1 minute' FROM generate_series(1, 2400) AS g
UNION ALL
SELECT g, 1, timestamptz '2026-04-01 10:00-04' + (g % 600) * interval '1 minute' FROM generate_series(2401, 3000) AS g;

-- plain SQL in each session's own zone: March 2,400 and April 600 in New
-- York; April 3,000 in UTC
SET TimeZone = 'America/New_York';
SELECT 'America/New_York' AS session, date_trunc('month', created)::date AS period, count(*) FROM tzcrm.lead GROUP BY 2 ORDER BY 2;
SET TimeZone = 'UTC';
SELECT 'UTC' AS session, date_trunc('month', created)::date AS period, count(*) FROM tzcrm.lead GROUP BY 2 ORDER BY 2;

-- bound in a New York session: the spec records the zone
SET TimeZone = 'America/New_York';
SELECT * FROM salesplan.bind_funnel('ny_leads', 'tzrep', 'tzcrm.lead', 'stage',
                                    period_column => 'created', period => 'month');
SELECT name, spec ->> 'time_zone' AS time_zone FROM salesplan.binding ORDER BY name;

-- read in three session zones: 2,400 in March and 600 in April each time
CREATE FUNCTION pg_temp.periods() RETURNS TABLE (session text, period date, leads bigint)
LANGUAGE sql AS $$
    SELECT current_setting('TimeZone'), v.period, v.leads FROM tzrep.ny_leads AS v ORDER BY v.period
$$;
SELECT * FROM pg_temp.periods();
SET TimeZone = 'UTC';
SELECT * FROM pg_temp.periods();
SET TimeZone = 'Asia/Tokyo';
SELECT * FROM pg_temp.periods();
-- regenerated in a UTC session: the recorded zone still buckets
SET TimeZone = 'UTC';
SELECT * FROM salesplan.regenerate('ny_leads');
SELECT * FROM pg_temp.periods();

-- bound in a UTC session: UTC is recorded, all 3,000 in April, in any
-- session
SELECT * FROM salesplan.bind_funnel('utc_leads', 'tzrep', 'tzcrm.lead', 'stage',
                                    period_column => 'created', period => 'month');
SET TimeZone = 'America/New_York';
SELECT name, spec ->> 'time_zone' AS time_zone FROM salesplan.binding ORDER BY name;
SELECT period, leads FROM tzrep.utc_leads ORDER BY period;

-- an explicit time_zone (salesplan.bind_* take it last): bound in a UTC
-- session with time_zone => 'America/New_York', recorded as given and
-- bucketed like the New York binding, 2,400 in March and 600 in April;
-- the name is recorded in its canonical spelling
SET TimeZone = 'UTC';
SELECT * FROM salesplan.bind_funnel('arg_leads', 'tzrep', 'tzcrm.lead', 'stage',
                                    period_column => 'created', period => 'month',
                                    time_zone => 'america/new_york');
SELECT spec ->> 'time_zone' AS time_zone FROM salesplan.binding WHERE name = 'arg_leads';
SET TimeZone = 'Asia/Tokyo';
SELECT period, leads FROM tzrep.arg_leads ORDER BY period;
SELECT * FROM salesplan.unbind('arg_leads');

-- a zone that is not one is refused at bind time (22023), as are
-- abbreviations (their meaning depends on timezone_abbreviations) and
-- localtime (the server's own zone); nothing is created
\set VERBOSITY default
SELECT * FROM salesplan.bind_funnel('bad_leads', 'tzrep', 'tzcrm.lead', 'stage', time_zone => 'Mars/Olympus_Mons');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM salesplan.bind_funnel('bad_leads', 'tzrep', 'tzcrm.lead', 'stage', time_zone => 'PDT');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM salesplan.bind_window_funnel('bad_leads', 'tzrep', 'tzcrm.lead', 'id', 'created', 'stage', '1 day',
                                           stages => 1, time_zone => 'localtime');
\echo :LAST_ERROR_SQLSTATE
SELECT count(*) AS bindings FROM salesplan.binding WHERE name = 'bad_leads';

-- dates of timestamptz columns (coverage's activity dates, the funnel's
-- opened and closed dates, milestone dates) are read on the binding's
-- calendar too.  Four touches around midnight in New York: the one at
-- 22:30 New York time on 31 March is 1 April in UTC and Tokyo.  Bound in
-- New York for March (period_end 1 April): accounts 1 and 2 are touched
-- in March; read in any session, the view agrees with plain SQL on New
-- York dates.
CREATE TABLE tzcrm.account (id int PRIMARY KEY);
INSERT INTO tzcrm.account VALUES (1), (2), (3);
CREATE TABLE tzcrm.touch (account_id int, at timestamptz);
INSERT INTO tzcrm.touch VALUES
    (1, '2026-03-31 22:30 America/New_York'), (1, '2026-03-30 12:00 America/New_York'),
    (2, '2026-03-31 23:59 America/New_York'), (3, '2026-04-01 00:00 America/New_York');
SELECT * FROM salesplan.bind_coverage('ny_cover', 'tzrep', 'tzcrm.account', 'id',
    activities => 'tzcrm.touch', activity_account => 'account_id', activity_date => 'at',
    period_start => '2026-03-01', period_end => '2026-04-01', as_of => '2026-04-15',
    time_zone => 'America/New_York');
-- plain SQL on New York dates (no session setting enters)
SELECT a.id AS account, count(t.at) AS touches, max((t.at AT TIME ZONE 'America/New_York')::date) AS last_touch
FROM tzcrm.account AS a
LEFT JOIN tzcrm.touch AS t ON t.account_id = a.id
     AND (t.at AT TIME ZONE 'America/New_York')::date >= date '2026-03-01'
     AND (t.at AT TIME ZONE 'America/New_York')::date < date '2026-04-01'
GROUP BY a.id ORDER BY a.id;
SET TimeZone = 'UTC';
SELECT current_setting('TimeZone') AS session, id AS account, touches, last_touch FROM tzrep.ny_cover_accounts ORDER BY id;
SET TimeZone = 'Asia/Tokyo';
SELECT current_setting('TimeZone') AS session, id AS account, touches, last_touch FROM tzrep.ny_cover_accounts ORDER BY id;
SELECT * FROM salesplan.unbind('ny_cover');

-- a bound window funnel over a timestamptz time column counts the days of
-- its window on the binding's calendar.  400 entities: step 1 between
-- 12:00 and 19:59 UTC on 7 March 2026, step 2 22 h 30 min (odd entities)
-- or 23 h 30 min (even) later, step 3 one to five hours after step 2.  New
-- York's clocks move the night between (its day is 23 hours): with a
-- '1 day' window, by hand, in New York every odd entity reaches step 2 and
-- none step 3 (23 h 30 min and more), no even entity reaches step 2:
-- reached 400, 200, 0; in UTC (24-hour days) odd entities reach step 2 and
-- those with e % 5 = 0 step 3 at 23 h 30 min, even ones step 2:
-- reached 400, 400, 40.
CREATE TABLE tzcrm.step_event AS
SELECT e AS entity_id, s AS step,
       timestamptz '2026-03-07 12:00+00' + (e % 480) * interval '1 minute'
         + CASE WHEN s = 1 THEN interval '0'
                WHEN e % 2 = 0 THEN interval '23 hours 30 minutes'
                ELSE interval '22 hours 30 minutes' END
         + CASE WHEN s = 3 THEN (1 + e % 5) * interval '1 hour' ELSE interval '0' END AS ts
FROM generate_series(1, 400) AS e CROSS JOIN generate_series(1, 3) AS s;
SET TimeZone = 'UTC';
SELECT * FROM salesplan.bind_window_funnel('ny_steps', 'tzrep', 'tzcrm.step_event', 'entity_id', 'ts', 'step',
                                           '1 day', stages => 3, time_zone => 'America/New_York');
-- plain SQL: the aggregate in a New York session
SET TimeZone = 'America/New_York';
SELECT k AS step, count(*) FILTER (WHERE l.level >= k) AS reached
FROM (SELECT salesplan.window_funnel('1 day', ts, step) AS level FROM tzcrm.step_event GROUP BY entity_id) AS l
CROSS JOIN generate_series(1, 3) AS k GROUP BY k ORDER BY k;
-- the view, read in UTC and in Tokyo
SET TimeZone = 'UTC';
SELECT current_setting('TimeZone') AS session, step, reached FROM tzrep.ny_steps ORDER BY step;
SET TimeZone = 'Asia/Tokyo';
SELECT current_setting('TimeZone') AS session, step, reached FROM tzrep.ny_steps ORDER BY step;
SELECT * FROM salesplan.unbind('ny_steps');

SELECT * FROM salesplan.unbind('ny_leads');
SELECT * FROM salesplan.unbind('utc_leads');
DROP SCHEMA tzrep CASCADE;
DROP SCHEMA tzcrm CASCADE;
-- leave the database as found: every test creates the extension itself
SET client_min_messages = warning;
DROP EXTENSION salesplan CASCADE;
