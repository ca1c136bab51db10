-- group_key is the same text for the same row whatever the reader's
-- settings (issue 13; review MEDIUM bind_group_key_datestyle): it used to be
-- ROW(period, dimensions...)::text, which follows DateStyle, IntervalStyle,
-- extra_float_digits, TimeZone and bytea_output, so one row had other keys
-- for other readers, a materialized view froze its refresher's style, and
-- two float dimensions 0.3 and 0.1 + 0.2 collided in the unique index of a
-- materialized view refreshed with extra_float_digits = 0.
CREATE EXTENSION salesplan;
SET DateStyle = 'ISO, YMD';
SET TimeZone = 'UTC';

-- 1. salesplan.group_key itself.  The expected literals are written by
-- hand: ROW(...)::text's layout (quotes around values with a comma, space,
-- quote, backslash or parenthesis, and around the empty string; doubled
-- quotes and backslashes inside; nothing for NULL), dates and timestamps in
-- ISO, timestamptz in UTC (10:00+01 is 09:00 UTC), intervals in the postgres
-- style, floats as their shortest exact text (0.1 + 0.2 is
-- 0.30000000000000004 in binary64), -0 as 0, numeric without trailing zeros,
-- bytea in hex.
CREATE FUNCTION pg_temp.sample_key() RETURNS text LANGUAGE sql AS $$
    SELECT salesplan.group_key(date '2026-03-01', timestamp '2026-03-05 10:00', timestamptz '2026-03-05 10:00+01',
                               0.1::float8 + 0.2::float8, 0.3::float8, '-0'::float8, 0.1::float4, 1.50::numeric,
                               interval '1 day 2 hours', '\x01ff'::bytea, 'a b'::text, ''::text, NULL::int,
                               time '10:00', timetz '10:00+02', 'infinity'::date, 'x"y\z'::text, true,
                               ARRAY[date '2026-01-02'], daterange('2026-01-01', '2026-02-01'))
$$;
CREATE TEMP TABLE expected_key AS
SELECT '(2026-03-01,"2026-03-05 10:00:00","2026-03-05 09:00:00+00",0.30000000000000004,0.3,0,0.1,1.5,'
       || '"1 day 02:00:00","\\x01ff","a b","",,10:00:00,10:00:00+02,infinity,"x""y\\z",t,{2026-01-02},"[2026-01-01,2026-02-01)")' AS k;
-- the same text in five sessions with different settings
CREATE TEMP TABLE seen (settings text, k text);
INSERT INTO seen SELECT 'ISO, UTC', pg_temp.sample_key();
SET DateStyle = 'German'; SET IntervalStyle = 'sql_standard'; SET extra_float_digits = 0;
SET TimeZone = 'Asia/Tokyo'; SET bytea_output = 'escape';
INSERT INTO seen SELECT 'German, sql_standard, 0, Tokyo, escape', pg_temp.sample_key();
SET DateStyle = 'SQL, MDY'; SET IntervalStyle = 'iso_8601'; SET extra_float_digits = -15;
SET TimeZone = 'America/New_York';
INSERT INTO seen SELECT 'SQL MDY, iso_8601, -15, New York', pg_temp.sample_key();
SET DateStyle = 'Postgres, DMY'; SET IntervalStyle = 'postgres_verbose'; SET extra_float_digits = 3;
SET TimeZone = '<+0530>-5:30';
INSERT INTO seen SELECT 'Postgres DMY, postgres_verbose, 3, +05:30', pg_temp.sample_key();
RESET ALL;
SET DateStyle = 'ISO, YMD';
SET TimeZone = 'UTC';
-- inside a transaction that set other values: they are back afterwards
BEGIN;
SET LOCAL DateStyle = 'German';
INSERT INTO seen SELECT 'German in a transaction', pg_temp.sample_key();
SELECT current_setting('DateStyle') AS datestyle_after, current_setting('TimeZone') AS timezone_after;
COMMIT;
SELECT s.settings, s.k = e.k AS as_by_hand FROM seen s CROSS JOIN expected_key e ORDER BY s.settings;

-- a domain is written as its base type; a VARIADIC array as its elements;
-- the layout equals ROW(...)::text's where that reads no setting
CREATE DOMAIN pg_temp.day AS date;
SELECT salesplan.group_key('2026-03-01'::pg_temp.day, 'north'::text) AS domain_key,
       salesplan.group_key(VARIADIC ARRAY['a', NULL, 'b c']) AS variadic_key,
       salesplan.group_key(VARIADIC NULL::text[]) AS variadic_null,
       salesplan.group_key(true, NULL::text) = ROW(true, NULL::text)::text AS null_as_row,
       salesplan.group_key(true, ''::text) = ROW(true, ''::text)::text AS empty_as_row,
       salesplan.group_key(42::int8, 'a(b)'::text, 'q"'::varchar, false) = ROW(42::int8, 'a(b)'::text, 'q"'::varchar, false)::text AS text_as_row;

-- values GROUP BY treats as equal get one text: intervals of equal length
-- (justified: 1 day, 1 mon), numerics with trailing zeros, 0 and -0; a
-- regclass is schema-qualified whatever the search_path
SELECT salesplan.group_key(interval '24 hours') AS k_24h, salesplan.group_key(interval '1 day') AS k_1d,
       salesplan.group_key(interval '30 days') AS k_30d, salesplan.group_key(interval '1 mon') AS k_1mon,
       salesplan.group_key(interval '1 day -1 hour') AS k_23h, salesplan.group_key(1.500::numeric) AS k_num;
SET search_path = pg_catalog;
SELECT salesplan.group_key('pg_catalog.pg_class'::regclass, 'information_schema.sql_features'::regclass)
       = '(pg_class,information_schema.sql_features)' AS regclass_by_hand;
SET search_path = information_schema, public;
SELECT salesplan.group_key('pg_catalog.pg_class'::regclass, 'information_schema.sql_features'::regclass)
       = '(pg_class,information_schema.sql_features)' AS regclass_by_hand;
RESET search_path;

-- 2. Bound views.  One deal per row of dimensions of setting-dependent
-- types; the funnel keys read in four sessions must be the same text.
CREATE SCHEMA gk;
CREATE SCHEMA gkrep;
CREATE TABLE gk.deal (id int PRIMARY KEY, stage int, created date, closed_at timestamp,
                      signed timestamptz, p float8, cycle interval, price numeric, tag bytea);
INSERT INTO gk.deal VALUES
    (1, 2, '2026-03-05', '2026-03-05 10:00', '2026-03-05 23:30+00', 0.3, '1 day 2 hours', 1.50, '\x01'),
    (2, 3, '2026-03-20', '2026-03-21 00:00', '2026-03-06 00:30+00', 0.1::float8 + 0.2::float8, '36 hours', 1.5, '\x02'),
    (3, 4, '2026-04-01', NULL, NULL, NULL, NULL, NULL, NULL);
SELECT * FROM salesplan.bind_funnel('gkf', 'gkrep', 'gk.deal', 'stage', stages => 4,
    period_column => 'created', period => 'month',
    dimensions => '{closed_at,signed,p,cycle,price,tag}');

CREATE FUNCTION pg_temp.keys(label text) RETURNS TABLE (settings text, view text, k text)
LANGUAGE sql AS $$
    SELECT label, 'gkf', group_key FROM gkrep.gkf
    UNION ALL SELECT label, 'gkf_stages', group_key || '/' || stage FROM gkrep.gkf_stages
    UNION ALL SELECT label, 'gkf_fit', group_key FROM gkrep.gkf_fit
$$;
CREATE TEMP TABLE view_keys AS SELECT * FROM pg_temp.keys('ISO, UTC');
SET DateStyle = 'German'; SET IntervalStyle = 'sql_standard'; SET extra_float_digits = 0;
SET TimeZone = 'Asia/Tokyo'; SET bytea_output = 'escape';
INSERT INTO view_keys SELECT * FROM pg_temp.keys('German, sql_standard, 0, Tokyo, escape');
-- the funnel and its _stages view still join on group_key in such a session
SELECT f.period, count(*) AS stage_rows
FROM gkrep.gkf f JOIN gkrep.gkf_stages s USING (group_key)
GROUP BY f.period ORDER BY f.period;
SET DateStyle = 'SQL, MDY'; SET IntervalStyle = 'iso_8601'; SET extra_float_digits = -15;
SET TimeZone = 'America/New_York';
INSERT INTO view_keys SELECT * FROM pg_temp.keys('SQL MDY, iso_8601, -15, New York');
RESET ALL;
SET DateStyle = 'ISO, YMD';
SET TimeZone = 'UTC';
-- every session saw the same set of keys as the first: no key missing or extra
SELECT v.settings, v.view, count(*) AS keys,
       count(*) FILTER (WHERE NOT EXISTS (SELECT FROM view_keys f WHERE f.settings = 'ISO, UTC' AND f.view = v.view AND f.k = v.k)) AS not_in_first
FROM view_keys v GROUP BY 1, 2 ORDER BY 2, 1;
-- the funnel's keys, by hand: deals 1 and 2 are two groups (their
-- dimensions differ) of period 2026-03-01 (timestamptz in UTC, 36 hours as
-- the justified "1 day 12:00:00", 1.50 as 1.5, bytea hex); deal 3 has NULL dimensions
SELECT coalesce(v.k, h.k) AS k, v.k IS NOT NULL AS in_view, h.k IS NOT NULL AS by_hand
FROM (SELECT k FROM view_keys WHERE settings = 'ISO, UTC' AND view = 'gkf') AS v
FULL JOIN (VALUES ('(2026-03-01,"2026-03-05 10:00:00","2026-03-05 23:30:00+00",0.3,"1 day 02:00:00",1.5,"\\x01")'),
                  ('(2026-03-01,"2026-03-21 00:00:00","2026-03-06 00:30:00+00",0.30000000000000004,"1 day 12:00:00",1.5,"\\x02")'),
                  ('(2026-04-01,,,,,,)')) AS h (k) USING (k)
ORDER BY 1;

-- 3. Materialized: keys made in a German session with extra_float_digits =
-- 0 read the same (ISO, exact floats) in an ISO session, and the float
-- dimensions 0.3 and 0.1 + 0.2 stay two keys: refresh and regenerate work
-- with extra_float_digits = 0 (they failed 23505 "duplicate key value").
SET DateStyle = 'German'; SET extra_float_digits = 0;
SELECT * FROM salesplan.bind_funnel('gkm', 'gkrep', 'gk.deal', 'stage', stages => 4,
    dimensions => '{p}', materialized => true);
SELECT * FROM salesplan.refresh('gkm');
SELECT * FROM salesplan.regenerate('gkm');
RESET DateStyle; RESET extra_float_digits;
SET DateStyle = 'ISO, YMD';
-- by hand: no period column (NULL), then p: 0.3, 0.30000000000000004, NULL
SELECT coalesce(v.group_key, h.k) AS k, v.population, h.k IS NOT NULL AS by_hand
FROM gkrep.gkm AS v FULL JOIN (VALUES ('(,0.3)'), ('(,0.30000000000000004)'), ('(,)')) AS h (k) ON h.k = v.group_key
ORDER BY 1;
SET DateStyle = 'German';
SELECT * FROM salesplan.bind_funnel('gkd', 'gkrep', 'gk.deal', 'stage', stages => 4,
    period_column => 'created', period => 'month', dimensions => '{closed_at}', materialized => true);
RESET DateStyle;
SET DateStyle = 'ISO, YMD';
-- by hand: ISO dates and timestamps although made in a German session
SELECT coalesce(v.group_key, h.k) AS k, v.population, h.k IS NOT NULL AS by_hand
FROM gkrep.gkd AS v
FULL JOIN (VALUES ('(2026-03-01,"2026-03-05 10:00:00")'), ('(2026-03-01,"2026-03-21 00:00:00")'), ('(2026-04-01,)')) AS h (k)
  ON h.k = v.group_key
ORDER BY 1;

-- the entity key of a window funnel's _entities view: float entities 0.3
-- and 0.1 + 0.2 are two keys, also refreshed with extra_float_digits = 0
CREATE TABLE gk.touch (entity float8, at timestamp, step int);
INSERT INTO gk.touch VALUES (0.3, '2026-03-01', 1), (0.1::float8 + 0.2::float8, '2026-03-01', 1),
                            (0.1::float8 + 0.2::float8, '2026-03-02', 2);
SELECT * FROM salesplan.bind_window_funnel('gkw', 'gkrep', 'gk.touch', 'entity', 'at', 'step', interval '7 days',
    stages => 2, materialized => true);
SET extra_float_digits = 0;
SELECT * FROM salesplan.refresh('gkw');
RESET extra_float_digits;
-- by hand: 0.3 reached step 1, 0.30000000000000004 step 2
SELECT coalesce(v.group_key, h.k) AS k, v.level, h.level AS level_by_hand
FROM gkrep.gkw_entities AS v FULL JOIN (VALUES ('(0.3)', 1), ('(0.30000000000000004)', 2)) AS h (k, level) ON h.k = v.group_key
ORDER BY 1;
SELECT * FROM salesplan.unbind('gkw');

SELECT * FROM salesplan.unbind('gkf');
SELECT * FROM salesplan.unbind('gkm');
SELECT * FROM salesplan.unbind('gkd');
DROP SCHEMA gkrep CASCADE;
DROP SCHEMA gk CASCADE;
-- leave the database as found: every test creates the extension itself
SET client_min_messages = warning;
DROP EXTENSION salesplan CASCADE;
