-- The per-stage view of a funnel binding with a dated stage history
-- (history_time, issue 11): beside the naive entered / advanced /
-- conversion, each stage shows entered_dated, open_in_stage and the
-- censoring-aware conversion_probability.  A stage's started is the first
-- entry into it or a later stage, its ended the first entry into a later
-- stage (advanced) or the closed date of a lost entity, open otherwise.
-- Every expected number is worked out by hand below; the naive columns are
-- checked against plain SQL.  Dates are relative to CURRENT_DATE (the
-- views' status date), so the result does not depend on the day the test
-- runs.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS salesplan;
RESET client_min_messages;
SET extra_float_digits = 0;
\set SHOW_CONTEXT never

CREATE SCHEMA crm_so;
-- stages New, Qualified, Proposal, Won (the last); a lost deal keeps the
-- stage it was lost at, or 'Lost', which maps to no stage
CREATE TABLE crm_so.deal (id int PRIMARY KEY, stage text, lost boolean, opened date, closed_on date, team text);
CREATE TABLE crm_so.hist (deal_id int, stage text, at timestamp);
-- D = 100 days ago.  The paths (day offsets from D; T = today):
--   1 a: New D+0, Qualified D+10, Proposal D+20, Won D+30
--   2 a: New D+0, Qualified D+5; lost on D+15
--   3 a: New D+0, Qualified D+4, Proposal D+8, back to Qualified D+12
--        (a regression), Proposal again D+40 (a re-entry), Won D+45
--   4 a: New D+0, Proposal D+6 (skips Qualified); lost on D+26
--   5 a: New, Qualified and Proposal all on D+2 (ties on one day); open
--   6 a: New T-3; open
--   7 a: New D+0, 'Lost' D+10 (no stage); lost on D+10
--   8 a: created at Qualified T-5; open
--   9 a: New D+0, Qualified D+30, Proposal D+35, back to Qualified D+40; open
--  10 (no team): New D+0, Qualified D+10; open
--  11 b: New D+0; lost, but without a closed date
--  12 b: New D+0, Qualified D+3; open
INSERT INTO crm_so.deal VALUES
    (1, 'Won', false, CURRENT_DATE - 100, CURRENT_DATE - 70, 'a'),
    (2, 'Qualified', true, CURRENT_DATE - 100, CURRENT_DATE - 85, 'a'),
    (3, 'Won', false, CURRENT_DATE - 100, CURRENT_DATE - 55, 'a'),
    (4, 'Proposal', true, CURRENT_DATE - 100, CURRENT_DATE - 74, 'a'),
    (5, 'Proposal', false, CURRENT_DATE - 98, NULL, 'a'),
    (6, 'New', false, CURRENT_DATE - 3, NULL, 'a'),
    (7, 'Lost', true, CURRENT_DATE - 100, CURRENT_DATE - 90, 'a'),
    (8, 'Qualified', false, CURRENT_DATE - 5, NULL, 'a'),
    (9, 'Qualified', false, CURRENT_DATE - 100, NULL, 'a'),
    (10, 'Qualified', false, CURRENT_DATE - 100, NULL, NULL),
    (11, 'New', true, CURRENT_DATE - 100, NULL, 'b'),
    (12, 'Qualified', false, CURRENT_DATE - 100, NULL, 'b');
INSERT INTO crm_so.hist
SELECT v.deal_id, v.stage, (CURRENT_DATE - 100 + v.d) + time '12:00' + v.m * interval '1 minute'
FROM (VALUES (1, 'New', 0, 0), (1, 'Qualified', 10, 0), (1, 'Proposal', 20, 0), (1, 'Won', 30, 0),
             (2, 'New', 0, 0), (2, 'Qualified', 5, 0),
             (3, 'New', 0, 0), (3, 'Qualified', 4, 0), (3, 'Proposal', 8, 0), (3, 'Qualified', 12, 0),
             (3, 'Proposal', 40, 0), (3, 'Won', 45, 0),
             (4, 'New', 0, 0), (4, 'Proposal', 6, 0),
             (5, 'New', 2, 0), (5, 'Qualified', 2, 1), (5, 'Proposal', 2, 2),
             (6, 'New', 97, 0),
             (7, 'New', 0, 0), (7, 'Lost', 10, 0),
             (8, 'Qualified', 95, 0),
             (9, 'New', 0, 0), (9, 'Qualified', 30, 0), (9, 'Proposal', 35, 0), (9, 'Qualified', 40, 0),
             (10, 'New', 0, 0), (10, 'Qualified', 10, 0),
             (11, 'New', 0, 0), (12, 'New', 0, 0), (12, 'Qualified', 3, 0)) AS v(deal_id, stage, d, m);

CREATE SCHEMA rep_so;
SELECT * FROM salesplan.bind_funnel('so', 'rep_so', 'crm_so.deal', 'stage', dimensions => '{team}',
    stage_order => '{New,Qualified,Proposal,Won}', lost_column => 'lost',
    opened_column => 'opened', closed_date_column => 'closed_on',
    history_table => 'crm_so.hist', history_key => 'deal_id', history_time => 'at');
-- the same within 30 and within 5 days of entering a stage
SELECT count(*) AS views FROM salesplan.bind_funnel('so30', 'rep_so', 'crm_so.deal', 'stage', dimensions => '{team}',
    stage_order => '{New,Qualified,Proposal,Won}', lost_column => 'lost',
    opened_column => 'opened', closed_date_column => 'closed_on',
    history_table => 'crm_so.hist', history_key => 'deal_id', history_time => 'at', win_horizon => '30 days');
SELECT count(*) AS views FROM salesplan.bind_funnel('so5', 'rep_so', 'crm_so.deal', 'stage', dimensions => '{team}',
    stage_order => '{New,Qualified,Proposal,Won}', lost_column => 'lost',
    opened_column => 'opened', closed_date_column => 'closed_on',
    history_table => 'crm_so.hist', history_key => 'deal_id', history_time => 'at', win_horizon => '5 days');
-- without history_time: the three columns are NULL
SELECT count(*) AS views FROM salesplan.bind_funnel('so_naive', 'rep_so', 'crm_so.deal', 'stage', dimensions => '{team}',
    stage_order => '{New,Qualified,Proposal,Won}', lost_column => 'lost',
    opened_column => 'opened', closed_date_column => 'closed_on',
    history_table => 'crm_so.hist', history_key => 'deal_id');

-- By hand, team a (n = at risk; an entity open on a day is still at risk
-- that day; F = cumulative incidence of advancing, S = still in the stage).
--
-- Stage 1 New: started = first entry into any stage, advanced = first
-- entry past New.  Durations: advanced 0 (5: three stages on one day; 8:
-- created at Qualified), 4 (3), 5 (2), 6 (4: the skip), 10 (1), 30 (9);
-- lost 10 (7, on its closed date: the 'Lost' row maps to no stage); open
-- 3 (6).  entered_dated 9, open_in_stage 1.
--   t0:  n 9, 2 advance        F = 2/9 = 12/54            S = 7/9
--   t3:  6 censored
--   t4:  n 6, 1 advances       F += 7/9 * 1/6 = 7/54      S = 35/54
--   t5:  n 5, 1 advances       F += 35/54 * 1/5 = 7/54    S = 28/54
--   t6:  n 4, 1 advances       F += 28/54 * 1/4 = 7/54    S = 21/54
--   t10: n 3, 1 advances, 1 lost (tie)  F += 21/54 * 1/3 = 7/54   S = 7/54
--   t30: n 1, 1 advances       F += 7/54
--   eventual F = 47/54 = 0.870370...; within 5 days 26/54 = 0.481481...;
--   naive conversion = 7/9 (deals past New: 1 2 3 4 5 8 9).
--
-- Stage 2 Qualified: entered by 1 (D+10), 2 (D+5), 3 (D+4), 4 (D+6, the
-- skip enters Qualified on its Proposal day), 5 (D+2), 8 (T-5), 9 (D+30).
-- Durations: advanced 0 (4, 5), 4 (3: to Proposal on D+8; its later
-- re-entries change nothing), 5 (9), 10 (1); lost 10 (2); open 5 (8, tied
-- with 9's advance on day 5).  entered_dated 7, open_in_stage 1 (8; 9 moved
-- back to Qualified but counts in Proposal, the deepest stage it reached).
--   t0:  n 7, 2 advance        F = 2/7                    S = 5/7
--   t4:  n 5, 1 advances       F += 5/7 * 1/5 = 1/7       S = 4/7
--   t5:  n 4 (8 still at risk on its censoring day), 1 advances
--                              F += 4/7 * 1/4 = 1/7       S = 3/7
--   t10: n 2, 1 advances, 1 lost  F += 3/7 * 1/2 = 3/14
--   eventual F = 11/14 = 0.785714...; within 5 days 4/7 = 0.571428...;
--   naive 5/7 (past Qualified: 1 3 4 5 9).
--
-- Stage 3 Proposal: entered by 1 (D+20), 3 (D+8, its first entry), 4 (D+6),
-- 5 (D+2), 9 (D+35).  Durations: advanced 10 (1), 37 (3: D+8 to D+45, not
-- 5 from its re-entry); lost 20 (4); open 65 (9), 98 (5).
-- entered_dated 5, open_in_stage 2.
--   t10: n 5, 1 advances       F = 1/5                    S = 4/5
--   t20: n 4, 1 lost                                      S = 3/5
--   t37: n 3, 1 advances       F += 3/5 * 1/3 = 1/5
--   eventual F = 2/5; within 30 days 1/5 (a clock restarted at the
--   re-entry would give 2/5); within 5 days 0; naive 2/5.
-- Stage 4 Won is the last: the three columns are NULL.
--
-- No team (deal 10): New advanced after 10 days (F = 1, within 5 days 0; 1
-- dated, 0 open);
-- Qualified open after 90 (F = 0, 1 dated, 1 open); Proposal entered by
-- nobody (0 dated, 0 open, F NULL).
--
-- Team b: deal 11 was lost at New on no known date: it cannot be placed
-- in time, so New has no estimate (NULL; counted open, the loss would weigh
-- in as undecided) but 2 dated entries, 0 open (12 advanced after 3
-- days).  Qualified: 12 open after 97 days (1 dated, 1 open, F = 0).
SELECT team, stage, stage_name, entered, advanced, round(conversion::numeric, 6) AS naive,
       entered_dated, open_in_stage, round(conversion_probability::numeric, 6) AS censoring_aware
FROM rep_so.so_stages ORDER BY team, stage;
-- the hand values to 12 digits
SELECT v.team, v.stage,
       round(v.conversion_probability::numeric, 12) = round(h.f, 12) AS eventual,
       round(v30.conversion_probability::numeric, 12) = round(h.f30, 12) AS within_30,
       round(v5.conversion_probability::numeric, 12) = round(h.f5, 12) AS within_5
FROM rep_so.so_stages v
JOIN rep_so.so30_stages v30 ON v30.group_key = v.group_key AND v30.stage = v.stage
JOIN rep_so.so5_stages v5 ON v5.group_key = v.group_key AND v5.stage = v.stage
JOIN (VALUES ('a', 1, 47 / 54.0, 47 / 54.0, 26 / 54.0), ('a', 2, 11 / 14.0, 11 / 14.0, 4 / 7.0),
             ('a', 3, 2 / 5.0, 1 / 5.0, 0), (NULL, 1, 1, 1, 0), (NULL, 2, 0, 0, 0)) AS h(team, stage, f, f30, f5)
  ON h.team IS NOT DISTINCT FROM v.team AND h.stage = v.stage
ORDER BY v.team, v.stage;
-- plain SQL for the naive columns: the deepest stage over the current one
-- and the history
WITH reach AS (
    SELECT d.id, d.team, greatest(array_position('{New,Qualified,Proposal,Won}'::text[], d.stage),
                                  (SELECT max(array_position('{New,Qualified,Proposal,Won}'::text[], h.stage))
                                   FROM crm_so.hist h WHERE h.deal_id = d.id)) AS r
    FROM crm_so.deal d)
SELECT team, k AS stage, count(*) FILTER (WHERE r >= k) AS entered,
       CASE WHEN k < 4 THEN count(*) FILTER (WHERE r > k) END AS advanced
FROM reach CROSS JOIN generate_series(1, 4) AS k GROUP BY team, k ORDER BY team, k;
-- without history_time
SELECT team, stage, entered_dated, open_in_stage, conversion_probability FROM rep_so.so_naive_stages
WHERE stage < 4 ORDER BY team, stage;

-- the funnel view keeps its own win_probability; the horizon applies there
-- too: the leads of team a followed from their opened date, lost or won
-- (deals 1 and 3, at Won) on their closed date:
--   lost 10 (7), won 30 (1), 45 (3), lost 15 (2), 26 (4); open 98 (5),
--   3 (6), 5 (8), 100 (9)
--   t3:  6 censored;  t5: 8 censored
--   t10: n 7, 1 lost           S = 6/7
--   t15: n 6, 1 lost           S = 5/7
--   t26: n 5, 1 lost           S = 4/7
--   t30: n 4, 1 won            F = 4/7 * 1/4 = 1/7        S = 3/7
--   t45: n 3, 1 won            F += 3/7 * 1/3 = 1/7
--   eventual 2/7, within 30 days 1/7, within 5 days 0
SELECT f.team, round(f.win_probability::numeric, 12) = round(2 / 7.0, 12) AS eventual,
       round(f30.win_probability::numeric, 12) = round(1 / 7.0, 12) AS within_30,
       f5.win_probability AS within_5
FROM rep_so.so f JOIN rep_so.so30 f30 USING (group_key) JOIN rep_so.so5 f5 USING (group_key)
WHERE f.team = 'a';
-- team b: a lost deal without a closed date, so no estimate
SELECT team, lost_deals, open_deals, win_probability FROM rep_so.so WHERE team = 'b';

-- the comments say which horizon, and every new column is censoring-aware
SELECT c.relname, a.attname, split_part(col_description(c.oid, a.attnum), ':', 1) AS kind,
       substring(col_description(c.oid, a.attnum) from '(eventually|within [0-9]+ days)') AS horizon
FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0
WHERE c.relnamespace = 'rep_so'::regnamespace AND c.relname IN ('so', 'so_stages', 'so30', 'so30_stages')
  AND a.attname IN ('win_probability', 'entered_dated', 'open_in_stage', 'conversion_probability', 'conversion')
ORDER BY 1, 2;

-- the windowed funnel's rates are naive too, and say so (review 15:15)
SELECT count(*) AS views FROM salesplan.bind_window_funnel('so_flow', 'rep_so', 'crm_so.hist', 'deal_id', 'at', 'stage',
    within => '30 days', stage_order => '{New,Qualified,Proposal,Won}');
SELECT a.attname, split_part(col_description(a.attrelid, a.attnum), ':', 1) AS kind
FROM pg_attribute a WHERE a.attrelid = 'rep_so.so_flow'::regclass AND a.attname IN ('conversion', 'cumulative')
ORDER BY a.attname;

-- the SQL joins grouped subqueries (the history grouped by entity, LEFT
-- JOINed for the naive depth; grouped by entity and stage, joined on the
-- entity key for the dates), never a subquery per row; the group of a row
-- (NULL team included) is matched by GROUP BY, not by a join
CREATE FUNCTION pg_temp.plan(q text) RETURNS SETOF text LANGUAGE plpgsql AS
$$ BEGIN RETURN QUERY EXECUTE 'EXPLAIN (COSTS OFF) ' || q; END $$;
SELECT pg_get_viewdef('rep_so.so_stages'::regclass) ~ 'LEFT JOIN \( SELECT h\.deal_id AS key' AS left_join_grouped,
       pg_get_viewdef('rep_so.so_stages'::regclass) ~ 'JOIN he ON' AS join_grouped,
       (SELECT count(*) FROM pg_temp.plan('SELECT * FROM rep_so.so_stages') AS p WHERE p ~ 'SubPlan') AS subplans;

-- a materialized binding gives the same rows, and regenerate keeps them
SELECT count(*) AS views FROM salesplan.bind_funnel('so_mat', 'rep_so', 'crm_so.deal', 'stage', dimensions => '{team}',
    stage_order => '{New,Qualified,Proposal,Won}', lost_column => 'lost',
    opened_column => 'opened', closed_date_column => 'closed_on',
    history_table => 'crm_so.hist', history_key => 'deal_id', history_time => 'at', materialized => true);
SELECT count(*) AS differences FROM (
    (SELECT * FROM rep_so.so_stages EXCEPT SELECT * FROM rep_so.so_mat_stages)
    UNION ALL (SELECT * FROM rep_so.so_mat_stages EXCEPT SELECT * FROM rep_so.so_stages)) AS d;
SELECT count(*) AS regenerated FROM salesplan.regenerate('so');
SELECT stage, entered_dated, open_in_stage FROM rep_so.so_stages WHERE team = 'a' ORDER BY stage;

-- bad arguments
SELECT * FROM salesplan.bind_funnel('bad', 'rep_so', 'crm_so.deal', 'stage', stage_order => '{New,Qualified,Proposal,Won}',
    lost_column => 'lost', closed_date_column => 'closed_on', history_time => 'at');
SELECT * FROM salesplan.bind_funnel('bad', 'rep_so', 'crm_so.deal', 'stage', stage_order => '{New,Qualified,Proposal,Won}',
    lost_column => 'lost', history_table => 'crm_so.hist', history_key => 'deal_id', history_time => 'at');
SELECT * FROM salesplan.bind_funnel('bad', 'rep_so', 'crm_so.deal', 'stage', stage_order => '{New,Qualified,Proposal,Won}',
    closed_date_column => 'closed_on', history_table => 'crm_so.hist', history_key => 'deal_id', history_time => 'at');
SELECT * FROM salesplan.bind_funnel('bad', 'rep_so', 'crm_so.deal', 'stage', stage_order => '{New,Qualified,Proposal,Won}',
    lost_column => 'lost', closed_date_column => 'closed_on', history_table => 'crm_so.hist', history_key => 'deal_id',
    history_time => 'when');
SELECT * FROM salesplan.bind_funnel('bad', 'rep_so', 'crm_so.deal', 'stage', stage_order => '{New,Qualified,Proposal,Won}',
    lost_column => 'lost', closed_date_column => 'closed_on', history_table => 'crm_so.hist', history_key => 'deal_id',
    history_time => 'stage');
SELECT * FROM salesplan.bind_funnel('bad', 'rep_so', 'crm_so.deal', 'stage', stage_order => '{New,Qualified,Proposal,Won}',
    win_horizon => '0 days');
SELECT * FROM salesplan.bind_funnel('bad', 'rep_so', 'crm_so.deal', 'stage', stage_order => '{New,Qualified,Proposal,Won}',
    win_horizon => '23 hours');
SELECT * FROM salesplan.bind_funnel('bad', 'rep_so', 'crm_so.deal', 'stage', stage_order => '{New,Qualified,Proposal,Won}',
    win_horizon => '1 month -31 days');
SELECT count(*) AS bindings FROM salesplan.binding WHERE name = 'bad';
-- a month counts 30 days, as in salesplan.win_probability
SELECT count(*) AS views FROM salesplan.bind_funnel('so_month', 'rep_so', 'crm_so.deal', 'stage',
    stage_order => '{New,Qualified,Proposal,Won}', win_horizon => '1 month');
SELECT spec -> 'win_horizon_days' AS days FROM salesplan.binding WHERE name = 'so_month';

SELECT salesplan.unbind(name) FROM salesplan.binding WHERE target_schema = 'rep_so' ORDER BY name;
SET client_min_messages = warning;
DROP SCHEMA rep_so, crm_so CASCADE;
DROP EXTENSION salesplan;
