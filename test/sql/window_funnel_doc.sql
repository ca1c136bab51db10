-- The examples of doc/window_funnel.md, executed.  Hand check (window 30 days):
-- opp 1: 1@03-01 09:00, 2@03-04, 3@03-20 16:00 (<= 03-31 09:00), 4@04-15 late -> 3
-- opp 2: 1@03-02, 3@03-05 (step 2 not reached yet: ignored), 2@03-09 -> 2;
--        strict_order: 3@03-05 is not the next step -> 1
-- opp 3: no stage 1 -> 0
-- opp 4: 1@01-10, 2@03-01 (after 02-09: late), 1@03-02 (fresher chain),
--        2@03-05, 3@03-06 -> 3 (strict_order too: a late next step does not stop)
-- durations, step 2: 3d1h, 7d6h, 3d -> 319h / 3 = 4 days 10:20;
-- step 3 from step 2: 16d6h, 1d -> 8 days 15:00; from step 1: 19d7h, 4d -> 11 days 15:30
CREATE EXTENSION salesplan;
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
SET IntervalStyle = 'postgres';
CREATE TEMP TABLE stage_history (opportunity_id int, stage_seq int, entered_at timestamptz);
INSERT INTO stage_history VALUES
  (1, 1, '2024-03-01 09:00'), (1, 2, '2024-03-04 10:00'), (1, 3, '2024-03-20 16:00'), (1, 4, '2024-04-15 11:00'),
  (2, 1, '2024-03-02 09:00'), (2, 3, '2024-03-05 12:00'), (2, 2, '2024-03-09 15:00'),
  (3, 2, '2024-03-03 08:00'), (3, 3, '2024-03-06 08:00'),
  (4, 1, '2024-01-10 09:00'), (4, 2, '2024-03-01 09:00'), (4, 1, '2024-03-02 09:00'), (4, 2, '2024-03-05 09:00'), (4, 3, '2024-03-06 09:00');
SELECT opportunity_id,
       salesplan.window_funnel('30 days', entered_at, stage_seq) AS level,
       salesplan.window_funnel('30 days', entered_at, stage_seq, 'strict_order') AS strict_level
FROM stage_history GROUP BY opportunity_id ORDER BY opportunity_id;
SELECT opportunity_id, salesplan.window_funnel_times('30 days', entered_at, stage_seq) AS reached
FROM stage_history GROUP BY opportunity_id ORDER BY opportunity_id;
SELECT step, count(*) AS opportunities,
       avg(t[step] - t[step - 1]) AS avg_from_previous,
       avg(t[step] - t[1]) AS avg_from_stage_1
FROM (SELECT opportunity_id, salesplan.window_funnel_times('30 days', entered_at, stage_seq) AS t
      FROM stage_history GROUP BY opportunity_id) f,
     generate_series(2, cardinality(t)) AS step
GROUP BY step ORDER BY step;
-- the state of opportunity 2: flags 8 (timestamptz), window 0 months 30 days
SELECT salesplan.funnel_event_agg('30 days', entered_at, stage_seq) AS state
FROM stage_history WHERE opportunity_id = 2;
-- leave the database as found: every test creates the extension itself
SET client_min_messages = warning;
DROP EXTENSION salesplan CASCADE;
