-- Funnel bindings say what is still open (issue 11): open_deals and the
-- censoring-aware win_probability beside the naive overall_conversion and
-- win_rate.  Expected values are worked out by hand below and checked
-- against plain SQL over the same rows.  Dates are relative to
-- CURRENT_DATE, the view's status date, so the result does not depend on
-- the day the test runs.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS salesplan;
RESET client_min_messages;
SET extra_float_digits = 0;
\set SHOW_CONTEXT never

CREATE SCHEMA crm_open;
-- stage 1 = lead, 2 = offer, 3 = won; lost deals keep the stage they were
-- lost at.  Days from opening to closing (or to today, when open):
--   1: won after 10 days        2: lost after 5 days (at stage 2)
--   3: open, opened 7 days ago  4: won after 20 days
--   5: open, opened 15 days ago 6: lost after 20 days (at stage 1)
CREATE TABLE crm_open.deal (id int PRIMARY KEY, stage int, won boolean, closed boolean,
                            opened date, closed_on date, team text);
INSERT INTO crm_open.deal VALUES
    (1, 3, true,  true,  CURRENT_DATE - 100, CURRENT_DATE - 90, 'a'),
    (2, 2, false, true,  CURRENT_DATE - 100, CURRENT_DATE - 95, 'a'),
    (3, 2, false, false, CURRENT_DATE - 7,   NULL,              'a'),
    (4, 3, true,  true,  CURRENT_DATE - 100, CURRENT_DATE - 80, 'a'),
    (5, 1, false, false, CURRENT_DATE - 15,  CURRENT_DATE + 30, 'a'),  -- expected close date: still open
    (6, 1, false, true,  CURRENT_DATE - 100, CURRENT_DATE - 80, 'a'),
    -- team b: nobody open, so the estimate is won / leads (1 of 2)
    (7, 3, true,  true,  CURRENT_DATE - 50,  CURRENT_DATE - 40, 'b'),
    (8, 1, false, true,  CURRENT_DATE - 50,  CURRENT_DATE - 45, 'b');

CREATE SCHEMA rep_open;
SELECT count(*) AS views FROM salesplan.bind_funnel('open_f', 'rep_open', 'crm_open.deal', 'stage',
    dimensions => '{team}', stages => 3, won_column => 'won', closed_column => 'closed',
    opened_column => 'opened', closed_date_column => 'closed_on');
-- the same without dates: open_deals known, win_probability NULL
SELECT count(*) AS views FROM salesplan.bind_funnel('open_nodates', 'rep_open', 'crm_open.deal', 'stage',
    dimensions => '{team}', stages => 3, won_column => 'won', closed_column => 'closed');
-- without won / lost marks: both NULL (won = last stage, lost unknown)
SELECT count(*) AS views FROM salesplan.bind_funnel('open_nomarks', 'rep_open', 'crm_open.deal', 'stage',
    dimensions => '{team}', stages => 3, opened_column => 'opened', closed_date_column => 'closed_on');

-- Team a by hand (Aalen-Johansen; entities open on a day are still at risk
-- that day):
--   day 5:  at risk 6, 1 lost             F_lost = 1/6, still open S = 5/6
--   day 7:  deal 3 censored
--   day 10: at risk 4 (1, 4, 5, 6), 1 won F_won = 5/6 * 1/4 = 5/24, S = 5/8
--   day 15: deal 5 censored
--   day 20: at risk 2 (4, 6), 1 won, 1 lost
--           F_won = 5/24 + 5/8 * 1/2 = 25/48 = 0.520833...
-- naive: overall_conversion = won / leads = 2/6 = 0.3333, win_rate = won /
-- (won + lost) = 2/4 = 0.5; open_deals = 2.
-- Team b: F_won = 1/2, open 0, naive 1/2.
SELECT team, leads, won, open_deals, round(overall_conversion::numeric, 6) AS naive,
       round(win_rate::numeric, 6) AS win_rate, round(win_probability::numeric, 6) AS censoring_aware,
       round(win_probability::numeric, 12) = round(CASE team WHEN 'a' THEN 25 / 48.0 ELSE 0.5 END, 12) AS hand
FROM rep_open.open_f ORDER BY team;
-- plain SQL oracle for the counts
SELECT team, count(*) FILTER (WHERE NOT won AND NOT closed) AS open_deals
FROM crm_open.deal GROUP BY team ORDER BY team;
SELECT team, open_deals, win_probability FROM rep_open.open_nodates ORDER BY team;
SELECT team, open_deals, win_probability FROM rep_open.open_nomarks ORDER BY team;

-- won or lost without a closed date cannot be placed in time: no estimate
-- (review, 14:40: 5 wins without a date and 5 dated losses gave
-- win_probability 0, the wins counted open), beside the naive counts
CREATE TABLE crm_open.undated (id int, stage int, opened date, closed date, won boolean, lost boolean);
INSERT INTO crm_open.undated
SELECT g, CASE WHEN g <= 5 THEN 4 ELSE 2 END, CURRENT_DATE - 30,
       CASE WHEN g <= 5 THEN NULL ELSE CURRENT_DATE - 20 END, g <= 5, g > 5
FROM generate_series(1, 10) AS g;
SELECT count(*) AS views FROM salesplan.bind_funnel('undated', 'rep_open', 'crm_open.undated', 'stage', stages => 4,
    won_column => 'won', lost_column => 'lost', opened_column => 'opened', closed_date_column => 'closed');
SELECT won_deals, lost_deals, open_deals, win_rate, win_probability FROM rep_open.undated;
-- with the dates, 1/2 (no one open: won / leads)
UPDATE crm_open.undated SET closed = CURRENT_DATE - 25 WHERE won;
SELECT win_probability FROM rep_open.undated;
SELECT salesplan.unbind('undated');

-- every rate column says whether it is naive or censoring-aware
SELECT c.relname, a.attname, split_part(col_description(c.oid, a.attnum), ':', 1) AS kind
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0
WHERE n.nspname = 'rep_open' AND c.relname IN ('open_f', 'open_f_stages')
  AND a.attname IN ('overall_conversion', 'win_rate', 'win_probability', 'conversion', 'cumulative')
ORDER BY 1, 2;

SELECT salesplan.unbind('open_f'), salesplan.unbind('open_nodates'), salesplan.unbind('open_nomarks');
SET client_min_messages = warning;
DROP SCHEMA rep_open, crm_open CASCADE;
DROP EXTENSION salesplan;
