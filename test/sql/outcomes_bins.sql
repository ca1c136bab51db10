-- outcome_agg's bins (one per distinct whole-day duration) when rows arrive
-- with many distinct durations in no order: the state's text form against
-- the same histogram built by plain SQL over the same rows.  Durations
-- jump around (a multiplicative sequence), repeat, and grow the bin array
-- many times; two groups interleave; a few rows are invalid.
CREATE EXTENSION IF NOT EXISTS salesplan;
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
SET max_parallel_workers_per_gather = 0;

CREATE TEMP TABLE opp AS
SELECT g % 2 AS grp,
       date '2020-01-01' + (g * 7919) % 1500 AS started,
       CASE WHEN g % 11 = 0 THEN NULL                           -- open
            WHEN g % 97 = 0 THEN date '2020-01-01' - 1          -- ended before it started
            ELSE date '2020-01-01' + (g * 7919) % 1500 + (g * 104729) % 2003 END AS ended,
       g % 3 = 0 AS won
FROM generate_series(1, 20000) g;

-- the status date: rows started after it are left out; ended after it are open
\set as_of '''2024-06-30'''

-- plain SQL: per group, per duration, won / lost / open, in the text form
-- "v1;invalid=I;days=D:W/L/O,..."
CREATE TEMP VIEW by_sql AS
SELECT grp,
       format('v1;invalid=%s;days=%s',
              (SELECT count(*) FROM opp o2 WHERE o2.grp = h.grp AND o2.started <= :as_of::date
                  AND o2.ended < o2.started),
              string_agg(format('%s:%s/%s/%s', days, won, lost, open), ',' ORDER BY days)) AS txt,
       count(*) AS durations
FROM (SELECT grp,
             CASE WHEN ended IS NULL OR ended > :as_of::date THEN :as_of::date ELSE ended END - started AS days,
             count(*) FILTER (WHERE ended <= :as_of::date AND won) AS won,
             count(*) FILTER (WHERE ended <= :as_of::date AND NOT won) AS lost,
             count(*) FILTER (WHERE ended IS NULL OR ended > :as_of::date) AS open
      FROM opp
      WHERE started <= :as_of::date AND NOT coalesce(ended < started, false)
      GROUP BY 1, 2) h
GROUP BY grp;

SELECT s.grp, s.durations,
       salesplan.outcome_agg(o.started, o.ended, o.won, :as_of::date)::text = s.txt AS date_same,
       salesplan.outcome_agg(o.started::timestamptz + interval '5 hours', o.ended::timestamptz + interval '9 hours',
                             o.won, :as_of::date::timestamptz + interval '9 hours')::text = s.txt AS tz_same
FROM opp o JOIN by_sql s USING (grp)
GROUP BY s.grp, s.durations, s.txt
ORDER BY s.grp;

-- the rows in the opposite order, and the rollup of per-started-year parts
SELECT s.grp,
       (SELECT salesplan.outcome_agg(started, ended, won, :as_of::date ORDER BY started DESC, ended DESC)::text
        FROM opp WHERE grp = s.grp) = s.txt AS reversed_same,
       (SELECT salesplan.rollup(o)::text
        FROM (SELECT salesplan.outcome_agg(started, ended, won, :as_of::date) AS o
              FROM opp WHERE grp = s.grp GROUP BY extract(year FROM started)) p) = s.txt AS rollup_same
FROM by_sql s ORDER BY s.grp;

-- leave the database as found: every test creates the extension itself
DROP EXTENSION salesplan CASCADE;
