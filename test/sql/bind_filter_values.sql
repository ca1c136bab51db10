-- row_filter, won_values and lost_values are read once, when binding, in
-- the binder's session settings, and recorded canonically in the spec, so a
-- regenerate from a session with another DateStyle (or TimeZone) keeps the
-- rows the binder meant (review LOW bind_filter_value_regenerate_datestyle:
-- '03/04/2026' was re-read at each regenerate and flipped between 4 March and
-- 3 April); values that are not constants ('today', 'now', 'tomorrow',
-- 'yesterday' on a date or time column) are refused (22023), since the view
-- would keep the day it was made.
CREATE EXTENSION salesplan;
SET DateStyle = 'ISO, YMD';
SET TimeZone = 'UTC';
\set SHOW_CONTEXT never
CREATE SCHEMA fv;
CREATE SCHEMA fvrep;
CREATE TABLE fv.deal (id int PRIMARY KEY, stage int, signed date, booked timestamptz, status text, p float8);
INSERT INTO fv.deal VALUES
    (1, 2, '2026-03-04', '2026-03-04 23:30+00', 'won', 0.3),
    (2, 2, '2026-04-03', '2026-03-05 00:00+00', 'lost', 0.1::float8 + 0.2::float8),
    (3, 3, '2026-04-03', '2026-03-05 10:00+00', 'open', 0.5);

-- bound in an MDY session in New York: 03/04/2026 is 4 March, and
-- '2026-03-04 19:00' New York time (EST, -05) is 2026-03-05 00:00 UTC
SET DateStyle = 'SQL, MDY';
SET TimeZone = 'America/New_York';
SELECT * FROM salesplan.bind_funnel('fvf', 'fvrep', 'fv.deal', 'stage', stages => 3,
    row_filter => '{"relation": {"signed": ["03/04/2026", "epoch"]}}');
SELECT * FROM salesplan.bind_funnel('fvt', 'fvrep', 'fv.deal', 'stage', stages => 3,
    row_filter => '{"relation": {"booked": "2026-03-04 19:00"}}');
SELECT * FROM salesplan.bind_funnel('fvw', 'fvrep', 'fv.deal', 'stage', stages => 3,
    outcome_column => 'p', won_values => '{0.30000000000000004}', lost_values => '{0.50}');
RESET DateStyle;
SET DateStyle = 'ISO, YMD';
SET TimeZone = 'UTC';
-- the spec holds the values as read then, canonically (by hand: 4 March in
-- ISO, the epoch as its date, the instant in UTC, floats shortest exact)
SELECT b.name, b.spec -> 'row_filter' AS row_filter, b.spec -> 'won_values' AS won_values, b.spec -> 'lost_values' AS lost_values,
       b.spec -> 'row_filter' IS NOT DISTINCT FROM h.row_filter AND b.spec -> 'won_values' IS NOT DISTINCT FROM h.won_values
       AND b.spec -> 'lost_values' IS NOT DISTINCT FROM h.lost_values AS as_by_hand
FROM salesplan.binding AS b
JOIN (VALUES ('fvf', '{"relation": {"signed": ["2026-03-04", "1970-01-01"]}}'::jsonb, NULL::jsonb, NULL::jsonb),
             ('fvt', '{"relation": {"booked": "2026-03-05 00:00:00+00"}}', NULL, NULL),
             ('fvw', NULL, '["0.30000000000000004"]', '["0.5"]')) AS h (name, row_filter, won_values, lost_values)
  ON h.name = b.name
ORDER BY b.name;

-- plain SQL over the same rows: deal 1 signed 4 March (none on the epoch);
-- deal 2 booked at 2026-03-05 00:00 UTC; won p = 0.1 + 0.2 (deal 2), lost
-- p = 0.5 (deal 3)
CREATE FUNCTION pg_temp.check() RETURNS TABLE (binding text, view_rows bigint, plain_sql bigint)
LANGUAGE sql AS $$
    SELECT 'fvf', (SELECT population FROM fvrep.fvf), (SELECT count(*) FROM fv.deal WHERE signed IN (date '2026-03-04', date '1970-01-01'))
    UNION ALL
    SELECT 'fvt', (SELECT coalesce(sum(population), 0) FROM fvrep.fvt), (SELECT count(*) FROM fv.deal WHERE booked = timestamptz '2026-03-05 00:00+00')
    UNION ALL
    SELECT 'fvw won', (SELECT won_deals FROM fvrep.fvw), (SELECT count(*) FROM fv.deal WHERE p = 0.1::float8 + 0.2::float8)
    UNION ALL
    SELECT 'fvw lost', (SELECT lost_deals FROM fvrep.fvw), (SELECT count(*) FROM fv.deal WHERE p = 0.5)
$$;
SELECT * FROM pg_temp.check();

-- a colleague regenerates from a DMY session in Tokyo with
-- extra_float_digits = 0: the views keep the same rows
SET DateStyle = 'SQL, DMY';
SET TimeZone = 'Asia/Tokyo';
SET extra_float_digits = 0;
SELECT * FROM salesplan.regenerate('fvf');
SELECT * FROM salesplan.regenerate('fvt');
SELECT * FROM salesplan.regenerate('fvw');
RESET DateStyle;
RESET extra_float_digits;
SET DateStyle = 'ISO, YMD';
SET TimeZone = 'UTC';
SELECT * FROM pg_temp.check();
SELECT pg_get_viewdef('fvrep.fvf') LIKE '%2026-03-04%' AS filter_still_march,
       pg_get_viewdef('fvrep.fvf') LIKE '%2026-04-03%' AS filter_april;

-- non-constant values on date and time columns: 22023, nothing bound
\set VERBOSITY sqlstate
SELECT * FROM salesplan.bind_funnel('fvx', 'fvrep', 'fv.deal', 'stage', stages => 3,
    row_filter => '{"relation": {"signed": "today"}}');
SELECT * FROM salesplan.bind_funnel('fvx', 'fvrep', 'fv.deal', 'stage', stages => 3,
    row_filter => '{"relation": {"booked": ["2026-03-04", "now"]}}');
SELECT * FROM salesplan.bind_funnel('fvx', 'fvrep', 'fv.deal', 'stage', stages => 3,
    row_filter => '{"relation": {"booked": "Tomorrow 10:00"}}');
SELECT * FROM salesplan.bind_funnel('fvx', 'fvrep', 'fv.deal', 'stage', stages => 3,
    outcome_column => 'signed', won_values => '{yesterday}');
\set VERBOSITY default
SELECT * FROM salesplan.bind_funnel('fvx', 'fvrep', 'fv.deal', 'stage', stages => 3,
    row_filter => '{"relation": {"signed": "today"}}');
-- the same words on a text column are plain values
SELECT * FROM salesplan.bind_funnel('fvs', 'fvrep', 'fv.deal', 'stage', stages => 3,
    row_filter => '{"relation": {"status": ["today", "won"]}}');
SELECT spec -> 'row_filter' AS row_filter FROM salesplan.binding WHERE name = 'fvs';
-- by hand: deal 1 (status won; no deal has status today)
SELECT population FROM fvrep.fvs;
SELECT count(*) AS bindings_named_fvx FROM salesplan.binding WHERE name = 'fvx';

SELECT * FROM salesplan.unbind('fvf');
SELECT * FROM salesplan.unbind('fvt');
SELECT * FROM salesplan.unbind('fvw');
SELECT * FROM salesplan.unbind('fvs');
DROP SCHEMA fvrep CASCADE;
DROP SCHEMA fv CASCADE;
-- leave the database as found: every test creates the extension itself
SET client_min_messages = warning;
DROP EXTENSION salesplan CASCADE;
