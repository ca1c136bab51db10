-- salesplan.outcomes: censoring-aware conversion.  Every expected value is
-- worked out independently: a published Kaplan-Meier table, a hand-computed
-- Aalen-Johansen table (arithmetic in the comments), identities, and plain
-- SQL over the same rows.
CREATE EXTENSION IF NOT EXISTS salesplan;
SET extra_float_digits = 0;
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';

-- ---------------------------------------------------------------------
-- 1. The 6-MP arm of Freireich et al. (1963), remission times in weeks
-- (* = censored): 6 6 6 6* 7 9* 10 10* 11* 13 16 17* 19* 20* 22 23 25* 32*
-- 32* 34* 35*.  Relapse is taken as "won" and nothing is lost, so
-- win_probability = 1 - the Kaplan-Meier survival, published (Klein and
-- Moeschberger, Survival Analysis, Table 4.1A) as 0.857 at 6 weeks, 0.807
-- at 7, 0.753 at 10, 0.690 at 13, 0.627 at 16, 0.538 at 22, 0.448 at 23,
-- with Greenwood standard errors 0.076, 0.087, 0.096, 0.107, 0.114, 0.128,
-- 0.135.  Durations in days = 7 x weeks.  Events start on 2025-01-01 and
-- end 7w days later; censored entities entered 7w days before the common
-- status date 2026-06-30 and are still open then.
-- ---------------------------------------------------------------------
CREATE TEMP TABLE mp (weeks int, censored boolean);
INSERT INTO mp VALUES (6, false), (6, false), (6, false), (6, true), (7, false), (9, true),
  (10, false), (10, true), (11, true), (13, false), (16, false), (17, true), (19, true),
  (20, true), (22, false), (23, false), (25, true), (32, true), (32, true), (34, true), (35, true);
CREATE TEMP TABLE mp_o AS
SELECT salesplan.outcome_agg(CASE WHEN censored THEN date '2026-06-30' - 7 * weeks ELSE date '2025-01-01' END,
                             CASE WHEN censored THEN NULL ELSE date '2025-01-01' + 7 * weeks END,
                             true, date '2026-06-30') AS o
FROM mp;
SELECT salesplan.entered(o), salesplan.won_count(o), salesplan.lost_count(o), salesplan.open_count(o),
       salesplan.invalid_rows(o)
FROM mp_o;
CREATE TEMP TABLE km_published (weeks int, survival numeric, se numeric);
INSERT INTO km_published VALUES (6, 0.857, 0.076), (7, 0.807, 0.087), (10, 0.753, 0.096),
  (13, 0.690, 0.107), (16, 0.627, 0.114), (22, 0.538, 0.128), (23, 0.448, 0.135);
-- 1 - win_probability within w weeks, and the curve's survival, rounded as
-- published; the standard error recovered from the 95 % interval: on the
-- log-log scale se_g = log(log(1 - F) / log(1 - low)) / 1.96 and
-- se = se_g (1 - F) (-log(1 - F)) (doc/outcomes.md)
SELECT k.weeks, k.survival AS published,
       round(1 - salesplan.win_probability(o, k.weeks * interval '1 week')::numeric, 3) AS one_minus_win,
       round(c.survival::numeric, 3) AS curve_survival,
       k.se AS published_se,
       round((ln(ln(1 - c.win_probability) / ln(1 - c.win_low)) / 1.959963984540054
              * (1 - c.win_probability) * -ln(1 - c.win_probability))::numeric, 3) AS se_from_interval
FROM km_published k, mp_o, salesplan.outcome_curve(o) c
WHERE c.days = 7 * k.weeks
ORDER BY k.weeks;
-- the interval against Greenwood's formula computed here in plain SQL over
-- the same rows: var = S^2 sum d / (n (n - d)), and the log-log interval
-- of S (Kalbfleisch and Prentice), [S^exp(-1.96 sqrt(var) / (S log S)),
-- S^exp(1.96 sqrt(var) / (S log S))], turned into one for 1 - S
WITH times AS (
    SELECT weeks, count(*) FILTER (WHERE NOT censored) AS d,
           (SELECT count(*) FROM mp m2 WHERE m2.weeks >= m.weeks) AS n
    FROM mp m GROUP BY weeks),
km AS (
    SELECT weeks, exp(sum(ln(1 - d::float8 / n)) OVER w) AS s,
           sum(CASE WHEN n > d THEN d::float8 / (n * (n - d)) END) OVER w AS gw
    FROM times WINDOW w AS (ORDER BY weeks)),
ci AS (
    SELECT weeks, s, 1 - power(s, exp(1.959963984540054 * sqrt(gw) / ln(s))) AS low,
           1 - power(s, exp(-1.959963984540054 * sqrt(gw) / ln(s))) AS high
    FROM km WHERE s > 0 AND s < 1)
SELECT count(*) AS event_times,
       count(*) FILTER (WHERE abs(c.win_probability - (1 - ci.s)) < 1e-12
                          AND abs(c.win_low - ci.low) < 1e-9 AND abs(c.win_high - ci.high) < 1e-9) AS same_as_greenwood
FROM ci JOIN (SELECT c.* FROM mp_o, salesplan.outcome_curve(o) c) c ON c.days = 7 * ci.weeks;
-- the eventual rate is the one at the longest duration (35 weeks), and the
-- median time to relapse among relapses: F(35w) = 1 - 0.448 = 0.552, half
-- of it 0.276 is first reached at 13 weeks (F = 0.310; F(10w) = 0.247)
SELECT round(salesplan.win_probability(o)::numeric, 3) AS eventual,
       salesplan.win_probability(o) = salesplan.win_probability(o, '35 weeks') AS same_as_35_weeks,
       salesplan.time_to_win(o, 0.5) AS median_days, salesplan.time_to_win(o, 0.5) / 7 AS median_weeks,
       round(salesplan.naive_win_rate(o)::numeric, 4) AS naive_9_of_21
FROM mp_o;

-- ---------------------------------------------------------------------
-- 2. Aalen-Johansen by hand, with won, lost and open tied on one day.
-- Ten deals, status date 2026-03-01:
--   day 0: 1 won;  day 2: 1 won, 1 lost, 1 open;  day 5: 2 lost, 1 open;
--   day 8: 1 won, 1 open;  day 10: 1 won.
-- Deals won or lost at t leave the risk set at t; open ones are still at
-- risk at t.  S = share still open, F = cumulative incidence.
--   t=0:  n=10  Fw = 1/10 = 0.1                     S = 9/10
--   t=2:  n=9   Fw = 0.1 + (9/10)(1/9) = 0.2
--               Fl = (9/10)(1/9) = 0.1               S = (9/10)(7/9) = 0.7
--   t=5:  n=6   Fl = 0.1 + 0.7 (2/6) = 1/3           S = 0.7 (4/6) = 7/15
--   t=8:  n=3   Fw = 0.2 + (7/15)(1/3) = 16/45       S = (7/15)(2/3) = 14/45
--   t=10: n=1   Fw = 16/45 + 14/45 = 2/3             S = 0
-- Eventually 2/3 won and 1/3 lost; naively 4/10 won.
-- Variance of Fw at t=0 (only the middle term, S(-) = 1):
--   1 * dw (n - dw) / n^3 = 1 * 9 / 1000 = 0.009.
-- ---------------------------------------------------------------------
CREATE TEMP TABLE deal (id int, started date, ended date, won boolean);
INSERT INTO deal VALUES
  (1, '2026-01-01', '2026-01-01', true),
  (2, '2026-01-10', '2026-01-12', true), (3, '2026-01-10', '2026-01-12', false),
  (4, '2026-02-27', NULL, NULL),
  (5, '2026-01-20', '2026-01-25', false), (6, '2026-01-20', '2026-01-25', NULL),
  (7, '2026-02-24', '2026-03-05', true),
  (8, '2026-01-02', '2026-01-10', true), (9, '2026-02-21', NULL, true),
  (10, '2026-01-05', '2026-01-15', true);
CREATE TEMP TABLE hand AS
SELECT salesplan.outcome_agg(started, ended, won, date '2026-03-01') AS o FROM deal;
SELECT o FROM hand;
-- deal 7 ended after the status date: open at 2026-03-01, censored at 5
-- days; deal 6 (won NULL) is lost.
SELECT c.days, c.at_risk, c.won, c.lost, c.open,
       round(c.survival::numeric, 12) AS survival, e.s,
       round(c.win_probability::numeric, 12) AS win, e.fw,
       round(c.loss_probability::numeric, 12) AS loss, e.fl
FROM hand, salesplan.outcome_curve(o) c
JOIN (VALUES (0, 9 / 10.0, 1 / 10.0, 0.0), (2, 7 / 10.0, 2 / 10.0, 1 / 10.0),
             (5, 7 / 15.0, 2 / 10.0, 1 / 3.0), (8, 14 / 45.0, 16 / 45.0, 1 / 3.0),
             (10, 0.0, 2 / 3.0, 1 / 3.0)) e(days, s, fw, fl) ON e.days = c.days
ORDER BY c.days;
SELECT c.days, abs(c.win_probability + c.loss_probability + c.survival - 1) < 1e-15 AS sums_to_one
FROM hand, salesplan.outcome_curve(o) c ORDER BY c.days;
SELECT round(salesplan.win_probability(o)::numeric, 12) AS win_2_3,
       round(salesplan.loss_probability(o)::numeric, 12) AS loss_1_3,
       salesplan.naive_win_rate(o) AS naive_0_4,
       salesplan.win_probability(o, '23:59:59') AS within_day_0,
       salesplan.win_probability(o, '1 day') AS within_1,
       salesplan.win_probability(o, '2 days') AS within_2,
       salesplan.win_probability(o, '7 days 23:00') AS within_7,
       round(salesplan.win_probability(o, '8 days')::numeric, 12) AS within_8_16_45,
       salesplan.loss_probability(o, '4 days') AS loss_within_4
FROM hand;
-- time_to_win: eventual 2/3; q = 0.5 needs 1/3, first reached at day 8
-- (16/45); q = 1 at the last win, day 10; q = 0.15 needs 0.1, reached at
-- day 0; q = 0.3 needs 0.2, reached at day 2
SELECT q, salesplan.time_to_win(o, q) AS days
FROM hand, unnest(ARRAY[0.15, 0.3, 0.5, 1.0]::float8[]) q ORDER BY q;
-- the interval at day 0 from var = 0.009 (above), on the log-log scale
SELECT round(c.win_low::numeric, 12) = round((1 - power(0.9, exp(-1.959963984540054 * sqrt(0.009) / (0.9 * -ln(0.9)))))::numeric, 12) AS low_ok,
       round(c.win_high::numeric, 12) = round((1 - power(0.9, exp(1.959963984540054 * sqrt(0.009) / (0.9 * -ln(0.9)))))::numeric, 12) AS high_ok
FROM hand, salesplan.outcome_curve(o) c WHERE c.days = 0;
-- every row's interval against the delta-method variance written out term
-- by term in plain SQL (Marubini and Valsecchi; doc/outcomes.md):
--   Var F(t) = sum_{tj <= t} (F(t) - F(tj))^2 d/(n(n-d)) + S(tj-)^2 dw(n-dw)/n^3
--                            - 2 (F(t) - F(tj)) S(tj-) dw/n^2
WITH c AS (SELECT c.*, coalesce(lag(c.survival) OVER (ORDER BY c.days), 1) AS s_before
           FROM hand, salesplan.outcome_curve(o) c),
v AS (
    SELECT t.days, t.win_probability AS f, t.win_low, t.win_high,
           sum(CASE WHEN j.at_risk > j.won + j.lost
                    THEN (t.win_probability - j.win_probability) ^ 2 * (j.won + j.lost)
                         / (j.at_risk * (j.at_risk - j.won - j.lost))::float8 ELSE 0 END
               + j.s_before ^ 2 * j.won * (j.at_risk - j.won) / (j.at_risk::float8 ^ 3)
               - 2 * (t.win_probability - j.win_probability) * j.s_before * j.won / (j.at_risk::float8 ^ 2)) AS var
    FROM c t JOIN c j ON j.days <= t.days
    GROUP BY t.days, t.win_probability, t.win_low, t.win_high)
SELECT days, round(var::numeric, 12) AS var,
       CASE WHEN f > 0 AND f < 1 AND var > 1e-15
            THEN abs(win_low - (1 - power(1 - f, exp(-1.959963984540054 * sqrt(var) / ((1 - f) * -ln(1 - f)))))) < 1e-9
                 AND abs(win_high - (1 - power(1 - f, exp(1.959963984540054 * sqrt(var) / ((1 - f) * -ln(1 - f)))))) < 1e-9
            ELSE win_low = f AND win_high = f END AS interval_ok,
       win_low <= f AND f <= win_high AND win_low >= 0 AND win_high <= 1 AS ordered
FROM v ORDER BY days;

-- ---------------------------------------------------------------------
-- 3. Identities
-- ---------------------------------------------------------------------
-- No loss and no censoring: everything is won in the end, and within t
-- days win_probability = the share won within t days (by plain SQL).
CREATE TEMP TABLE closed AS
SELECT i, date '2025-01-01' + i % 50 AS started, date '2025-01-01' + i % 50 + (i * 37) % 90 AS ended
FROM generate_series(1, 500) i;
SELECT t, abs(salesplan.win_probability(o, t * interval '1 day')
              - (SELECT count(*) FILTER (WHERE ended - started <= t) FROM closed)::float8 / 500) < 1e-12 AS equals_share
FROM (SELECT salesplan.outcome_agg(started, ended, true, date '2026-01-01') AS o FROM closed) x,
     unnest(ARRAY[0, 10, 45, 89, 1000]) t
ORDER BY t;
-- with losses but no censoring, the eventual win and loss probabilities
-- are the naive shares
SELECT abs(salesplan.win_probability(o) - won::float8 / 500) < 1e-12 AS win_is_share,
       abs(salesplan.loss_probability(o) - (500 - won)::float8 / 500) < 1e-12 AS loss_is_share,
       salesplan.naive_win_rate(o) = won::float8 / 500 AS naive_exact,
       salesplan.open_count(o) AS open
FROM (SELECT salesplan.outcome_agg(started, ended, i % 3 = 0, date '2026-01-01') AS o,
             count(*) FILTER (WHERE i % 3 = 0) AS won
      FROM closed) x;

-- ---------------------------------------------------------------------
-- 4. as_of: back-testing "what did we know on date X".  Deals that ended
-- after X count as open at X, censored at X - started; deals that started
-- after X are not in the cohort.  The same state comes from the rows cut
-- by hand in plain SQL (ended set to NULL when after X, rows started after
-- X removed).
-- ---------------------------------------------------------------------
SELECT x AS as_of,
       (SELECT salesplan.outcome_agg(started, ended, won, x) FROM deal)::text
       = (SELECT salesplan.outcome_agg(started, CASE WHEN ended <= x THEN ended END, won, x)::text
          FROM deal WHERE started <= x) AS same_as_cut_by_hand
FROM unnest(ARRAY[date '2026-01-01', '2026-01-12', '2026-01-25', '2026-03-05']) x
ORDER BY x;
-- the counts at each status date against plain SQL
SELECT x AS as_of, salesplan.entered(o), salesplan.won_count(o), salesplan.lost_count(o), salesplan.open_count(o),
       (SELECT count(*) FROM deal WHERE started <= x) AS cohort,
       (SELECT count(*) FROM deal WHERE started <= x AND ended <= x AND won) AS won_by_x,
       (SELECT count(*) FROM deal WHERE started <= x AND ended <= x AND NOT coalesce(won, false)) AS lost_by_x
FROM unnest(ARRAY[date '2026-01-01', '2026-01-12', '2026-01-25', '2026-03-05']) x,
     LATERAL (SELECT salesplan.outcome_agg(started, ended, won, x) AS o FROM deal) s
ORDER BY x;
-- at 2026-01-12: deals 1, 8, 10 and 2, 3 started; 1 won at 0; 2 won and 3
-- lost at 2; 8 (started 01-02, ends 01-10) won at 8; 10 (started 01-05,
-- ends 01-15) open at 7; deals 5 and 6 started later (not in the cohort)
SELECT salesplan.outcome_agg(started, ended, won, date '2026-01-12')::text
       = 'v1;invalid=0;days=0:1/0/0,2:1/1/0,7:0/0/1,8:1/0/0' AS as_worked_out
FROM deal;
-- as_of may differ per row: each row is censored at its own as_of: open
-- at 3, 1 and 0 days; the last row starts after its as_of (ignored)
SELECT salesplan.outcome_agg(s, NULL, NULL, a)
FROM (VALUES (date '2026-01-01', date '2026-01-04'), ('2026-01-01', '2026-01-02'),
             ('2026-01-01', '2026-01-01'), ('2026-01-03', '2026-01-02')) v(s, a);

-- ---------------------------------------------------------------------
-- 5. timestamptz: whole days of elapsed time, rounded down, whatever the
-- session time zone.  Berlin springs forward on 2026-03-29, so
--   2026-03-28 12:00 -> 2026-03-29 11:59:59 is 22:59:59 elapsed: won at 0;
--   2026-03-28 12:00 -> 2026-03-30 12:00 is 47 hours: lost at 1;
--   an end an hour before the start: invalid;
--   started 2026-05-31 00:00:01, as_of 2026-06-01 00:00: open at 0;
--   started after as_of: not in the cohort.
-- Expected in both zones: v1;invalid=1;days=0:1/0/1,1:0/1/0
-- ---------------------------------------------------------------------
SET TimeZone = 'Europe/Berlin';
SELECT salesplan.outcome_agg(s, e, w, a)
FROM (VALUES (timestamptz '2026-03-28 12:00', timestamptz '2026-03-29 11:59:59', true, timestamptz '2026-06-01'),
             ('2026-03-28 12:00', '2026-03-30 12:00', false, '2026-06-01'),
             ('2026-03-28 12:00', '2026-03-28 11:00', true, '2026-06-01'),
             ('2026-05-31 00:00:01', NULL, NULL, '2026-06-01'),
             ('2026-06-02', NULL, NULL, '2026-06-01')) v(s, e, w, a);
SET TimeZone = 'America/New_York';
SELECT salesplan.outcome_agg(s, e, w, a)
FROM (VALUES (timestamptz '2026-03-28 12:00+01', timestamptz '2026-03-29 11:59:59+02', true, timestamptz '2026-06-01 00:00+02'),
             ('2026-03-28 12:00+01', '2026-03-30 12:00+02', false, '2026-06-01 00:00+02'),
             ('2026-03-28 12:00+01', '2026-03-28 11:00+01', true, '2026-06-01 00:00+02'),
             ('2026-05-31 00:00:01+02', NULL, NULL, '2026-06-01 00:00+02'),
             ('2026-06-02 00:00+02', NULL, NULL, '2026-06-01 00:00+02')) v(s, e, w, a);
SET TimeZone = 'UTC';

-- ---------------------------------------------------------------------
-- 6. within: floor(extract(epoch from within) / 86400) days, as in SQL
-- ---------------------------------------------------------------------
CREATE TEMP TABLE spread AS
SELECT salesplan.outcome_agg(date '2020-01-01', date '2020-01-01' + d, true, date '2030-01-01') AS o
FROM generate_series(0, 700) d;
-- 701 deals won after 0..700 days, none open: F(t) = (t + 1) / 701
SELECT w, round(salesplan.win_probability(o, w) * 701 - 1) AS horizon_days,
       least(floor(extract(epoch FROM w) / 86400), 700) AS sql_days
FROM spread, unnest(ARRAY[interval '0', '23:59:59', '1 day', '1 month', '3 months', '1 year',
                          '18 months', '1 year 1 month 1 day 12:00', '1 mon -20 days', '100 years']) w
ORDER BY 3, 1;

-- ---------------------------------------------------------------------
-- 7. NULLs, empty input, infinities, invalid rows, errors
-- ---------------------------------------------------------------------
-- no rows, or only rows outside the cohort: NULL
SELECT salesplan.outcome_agg(started, ended, won, date '2026-03-01') IS NULL AS empty_is_null
FROM deal WHERE false;
SELECT salesplan.outcome_agg(s, NULL, NULL, date '2026-03-01') IS NULL AS not_in_cohort
FROM (VALUES (NULL::date), ('2026-03-02'), ('infinity')) v(s);
-- only invalid rows: a state with no entity; accessors NULL or 0
SELECT o, salesplan.entered(o), salesplan.invalid_rows(o), salesplan.win_probability(o),
       salesplan.win_probability(o, '30 days'), salesplan.naive_win_rate(o), salesplan.time_to_win(o, 0.5),
       (SELECT count(*) FROM salesplan.outcome_curve(o)) AS curve_rows
FROM (SELECT salesplan.outcome_agg(date '2026-01-05', date '2026-01-04', true, date '2026-03-01') AS o) x;
-- nothing won: time_to_win NULL, win_probability 0
SELECT salesplan.time_to_win(o, 0.5), salesplan.win_probability(o), salesplan.loss_probability(o)
FROM (SELECT salesplan.outcome_agg(date '2026-01-01', date '2026-01-04', false, date '2026-03-01') AS o) x;
-- infinite ended: infinity is after as_of (open), -infinity before started (invalid)
SELECT salesplan.outcome_agg(date '2026-01-01', e, true, date '2026-03-01')
FROM (VALUES (date 'infinity'), ('-infinity'), ('2026-01-03')) v(e);
SELECT salesplan.outcome_agg(timestamptz '2026-01-01', e, true, timestamptz '2026-03-01')
FROM (VALUES (timestamptz 'infinity'), ('-infinity'), ('2026-01-03')) v(e);
-- a NULL accessor argument gives NULL
SELECT salesplan.win_probability(o, NULL), salesplan.time_to_win(o, NULL) FROM hand;
\set VERBOSITY default
SELECT salesplan.outcome_agg(date '2026-01-01', NULL, NULL, NULL);
SELECT salesplan.outcome_agg(date '2026-01-01', NULL, NULL, date 'infinity');
SELECT salesplan.outcome_agg(date '-infinity', NULL, NULL, date '2026-01-01');
SELECT salesplan.outcome_agg(timestamptz '2026-01-01', NULL, NULL, timestamptz '-infinity');
SELECT salesplan.outcome_agg(timestamptz '-infinity', NULL, NULL, timestamptz '2026-01-01');
-- the longest span of dates fits a duration: from the first date to the last
SELECT salesplan.outcome_agg(date '4714-11-24 BC', NULL, NULL, date '5874897-12-31');
SELECT salesplan.win_probability(o, '-1 day') FROM hand;
SELECT salesplan.time_to_win(o, 0) FROM hand;
SELECT salesplan.time_to_win(o, 1.5) FROM hand;
SELECT salesplan.time_to_win(o, 'NaN') FROM hand;
SELECT salesplan.outcomes_trans(NULL, date '2026-01-01', NULL, NULL, date '2026-01-02');
\set VERBOSITY sqlstate
-- a NULL as_of is an error even on a row outside the cohort
SELECT salesplan.outcome_agg(NULL::date, NULL, NULL, NULL);
\set VERBOSITY default

-- ---------------------------------------------------------------------
-- 8. rollup: of parts equals the whole (per month of entry, then all)
-- ---------------------------------------------------------------------
CREATE TEMP TABLE opp AS
SELECT i, date '2025-01-01' + (i * 13) % 365 AS started,
       CASE WHEN i % 5 = 0 THEN NULL ELSE date '2025-01-01' + (i * 13) % 365 + (i * 7919) % 200 END AS ended,
       CASE WHEN i % 4 = 0 THEN NULL ELSE i % 3 = 0 END AS won
FROM generate_series(1, 3000) i;
CREATE TEMP TABLE by_month AS
SELECT date_trunc('month', started) AS m, salesplan.outcome_agg(started, ended, won, date '2025-10-01') AS o
FROM opp GROUP BY 1;
SELECT (SELECT salesplan.rollup(o) FROM by_month)::text
       = (SELECT salesplan.outcome_agg(started, ended, won, date '2025-10-01') FROM opp)::text AS rollup_equals_whole,
       (SELECT salesplan.rollup(o) FROM by_month WHERE false) IS NULL AS empty_rollup_null,
       (SELECT salesplan.rollup(o) FROM (SELECT o FROM by_month UNION ALL SELECT NULL) x)::text
       = (SELECT salesplan.rollup(o) FROM by_month)::text AS null_ignored;
-- counts against plain SQL
SELECT salesplan.entered(o) = c.cohort AND salesplan.won_count(o) = c.won AND salesplan.lost_count(o) = c.lost
       AND salesplan.open_count(o) = c.cohort - c.won - c.lost - c.invalid AND salesplan.invalid_rows(o) = c.invalid
       AS counts_match_plain_sql
FROM (SELECT salesplan.rollup(o) AS o FROM by_month) r,
     (SELECT count(*) FILTER (WHERE started <= '2025-10-01') AS cohort,
             count(*) FILTER (WHERE started <= '2025-10-01' AND ended <= '2025-10-01' AND ended >= started AND won) AS won,
             count(*) FILTER (WHERE started <= '2025-10-01' AND ended <= '2025-10-01' AND ended >= started
                              AND NOT coalesce(won, false)) AS lost,
             0 AS invalid
      FROM opp) c;

-- leave the database as found: every test creates the extension itself
DROP EXTENSION salesplan CASCADE;
