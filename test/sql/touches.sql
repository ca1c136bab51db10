-- salesplan.touches: the touches that reach (ladder level >= 1) per account of
-- a tiny CRM, cold accounts, contact coverage, errors, text and binary forms,
-- plain-SQL cross-checks, rollup, window use, spilling and parallel plans
SET extra_float_digits = 0;
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
CREATE EXTENSION IF NOT EXISTS salesplan;
-- everything in its own schema, dropped at the end so later tests start clean
CREATE SCHEMA test_touches;
SET search_path = test_touches, public;

-- ---- a tiny CRM (the ladder evidence pattern itself is in coverage_ladder) ----
-- target accounts 1..5; period 2026-10-01 .. 2026-11-27
CREATE TABLE account (id int, potential numeric, buying_center int);
INSERT INTO account VALUES (1, 1000, 5), (2, 800, NULL), (3, NULL, 4), (4, 600, 0), (5, 500, 3);
CREATE TABLE activity (account_id int, kind text, outcome text, contact_id bigint, occurred_at timestamptz);
INSERT INTO activity VALUES
    (1, 'call', 'no_answer', 11, '2026-10-01 09:00'),
    (1, 'call', 'connected', 12, '2026-10-15 10:00'),
    (1, 'email', NULL, 11, '2026-10-20 10:00'),
    (1, 'visit', NULL, NULL, '2026-11-02 08:00'),
    (3, 'call', 'qualified', 31, '2026-09-20 10:00'),   -- outside the period
    (4, 'call', 'no_answer', 41, '2026-11-20 10:00'),   -- an attempt, not a touch: level 0
    (5, 'call', 'connected', 51, '2026-10-03 10:00');
CREATE TABLE opportunity (account_id int, is_won bool, is_closed bool, amount numeric, created_at timestamptz, close_date date);
INSERT INTO opportunity VALUES
    (2, true, true, 300, '2026-10-05', '2026-11-10'),  -- won in the period
    (5, false, true, 200, '2026-10-10', '2026-11-15'); -- its only opportunity, lost

-- ---- touches: touches that reach (level >= 1) in the period ----
-- a1: 3 touches (the unanswered call is not one), contacts {11, 12}, first 10-15 10:00
--     (the no_answer call of 10-01 is excluded), last 11-02 08:00
-- a2, a3, a4: none -> state with 0 touches; a5: one touch, contact 51, 10-03 10:00
CREATE TABLE account_touch AS
SELECT a.id, salesplan.touch_agg(t.occurred_at, t.contact_id) AS t
FROM account a
LEFT JOIN activity t ON t.account_id = a.id
     AND t.occurred_at >= '2026-10-01' AND t.occurred_at < '2026-11-28'
     AND salesplan.ladder_level(t.kind, t.outcome, salesplan.default_ladder_mapping()) >= 1
GROUP BY a.id;
-- as_of 2026-11-27 00:00: a1 last 11-02 08:00 -> 24 days 16 h -> 24 days; a5 10-03 10:00 -> 54 d 14 h -> 54
-- keep warm 30 days: since 10-28 00:00; a1 warm, a5 cold, untouched accounts cold
-- contact coverage: a1 2/5 = 0.4; a2 size NULL -> NULL; a3 0/4 = 0; a4 size 0 -> NULL; a5 1/3
SELECT a.id, salesplan.touches(t) AS touches, salesplan.contacts_engaged(t) AS contacts,
       salesplan.contact_coverage(t, a.buying_center) AS contact_coverage,
       salesplan.first_touch(t) AS first, salesplan.last_touch(t) AS last,
       salesplan.days_since_last_touch(t, '2026-11-27') AS days,
       salesplan.is_cold(t, '2026-11-27', '30 days') AS cold_30,
       salesplan.is_cold(t, '2026-11-27', '60 days') AS cold_60,
       salesplan.penetration(w.won, a.potential) AS penetration
FROM account a JOIN account_touch USING (id)
LEFT JOIN (SELECT account_id AS id, sum(amount) AS won FROM opportunity WHERE is_won GROUP BY 1) w USING (id)
ORDER BY a.id;
SELECT id, t::text FROM account_touch ORDER BY id;
-- the text form holds microseconds since 2000-01-01 UTC
SELECT (extract(epoch FROM timestamptz '2026-10-15 10:00' - timestamptz '2000-01-01 00:00') * 1000000)::bigint AS first_us,
       (extract(epoch FROM timestamptz '2026-11-02 08:00' - timestamptz '2000-01-01 00:00') * 1000000)::bigint AS last_us;
-- NULL state = never touched
SELECT salesplan.touches(NULL::salesplan.touches) AS touches, salesplan.contacts_engaged(NULL) AS contacts,
       salesplan.contact_coverage(NULL, 4) AS cc, salesplan.last_touch(NULL) IS NULL AS no_last,
       salesplan.days_since_last_touch(NULL, now()) IS NULL AS no_days,
       salesplan.is_cold(NULL, '2026-11-27', '30 days') AS cold,
       salesplan.is_cold(NULL, NULL, '30 days') IS NULL AS cold_unknown_as_of;
-- keep-warm boundary: a touch exactly at as_of - keep_warm keeps the account warm
SELECT salesplan.is_cold(t, '2026-11-30 08:00', '4 weeks') AS exactly_at_edge,
       salesplan.is_cold(t, '2026-11-30 08:00:00.000001', '4 weeks') AS just_past_edge,
       salesplan.is_cold(t, '2026-12-02 08:00', '1 month') AS one_month,
       salesplan.days_since_last_touch(t, '2026-11-01 08:00') AS before_last
FROM account_touch WHERE id = 1;
-- the stored result carries no spare room: 9 contacts take 40 + 9 x 8 = 112 bytes
-- (the aggregate grew the list to room for 16 on the way)
SELECT pg_column_size(salesplan.touch_agg(now(), i)) AS bytes FROM generate_series(1, 9) i;
SELECT pg_column_size(salesplan.rollup(t)) AS bytes
FROM (SELECT salesplan.touch_agg(now(), i) AS t FROM generate_series(1, 9) i GROUP BY i % 3) s;

-- ---- errors ----
\set VERBOSITY sqlstate
SELECT salesplan.touch_agg('infinity', 1);
SELECT salesplan.touch_agg(now(), i) FROM generate_series(1, 100001) i;
SELECT salesplan.days_since_last_touch(t, 'infinity') FROM account_touch WHERE id = 1;
SELECT salesplan.is_cold(t, '-infinity', '1 day') FROM account_touch WHERE id = 1;
SELECT salesplan.is_cold(t, now(), '-1 day') FROM account_touch WHERE id = 1;
SELECT salesplan.contact_coverage(t, -1) FROM account_touch WHERE id = 1;
SELECT salesplan.touches_trans(NULL, now(), 1);
SELECT salesplan.touches_combine(NULL, NULL);
\set VERBOSITY default
SELECT salesplan.touch_agg(now(), i) FROM generate_series(1, 100001) i;
SELECT salesplan.is_cold(t, now(), '-1 day') FROM account_touch WHERE id = 1;
-- exactly the bound is fine
SELECT salesplan.contacts_engaged(salesplan.touch_agg(now(), i)) FROM generate_series(1, 100000) i;

-- ---- text I/O ----
SELECT bool_and(t::text::salesplan.touches::text = t::text) AS round_trip FROM account_touch;
SELECT 'v1;touches=3;first=-5;last=7;contacts=-2,0,9'::salesplan.touches::text;
\set VERBOSITY sqlstate
SELECT 'v1;touches=3;first=1;last=2;contacts=2,1'::salesplan.touches;      -- not ascending
SELECT 'v1;touches=3;first=1;last=2;contacts=1,1'::salesplan.touches;      -- duplicate
SELECT 'v1;touches=1;first=1;last=2;contacts=1,2'::salesplan.touches;      -- more contacts than touches
SELECT 'v1;touches=3;first=5;last=2;contacts='::salesplan.touches;         -- first after last
SELECT 'v1;touches=0;first=1;last=1;contacts='::salesplan.touches;         -- times without touch
SELECT 'v1;touches=2;first=;last=;contacts='::salesplan.touches;           -- touch without times
SELECT 'v1;touches=-1;first=;last=;contacts='::salesplan.touches;
SELECT 'v1;touches=2;first=1;last=2;contacts=1,'::salesplan.touches;
SELECT 'v1;touches=2;first=1;last=2;contacts=1;'::salesplan.touches;
SELECT 'v1;touches=2;first=1;last=2'::salesplan.touches;
SELECT 'v2;touches=0;first=;last=;contacts='::salesplan.touches;
SELECT 'v1;touches=2;first=1;last=9223372036854775807;contacts='::salesplan.touches;
SELECT ('v1;touches=200000;first=1;last=2;contacts=' || string_agg(i::text, ',' ORDER BY i))::salesplan.touches
FROM generate_series(1, 100001) i;
SELECT ''::salesplan.touches;
\set VERBOSITY default
SELECT 'v1;touches=3;first=1;last=2;contacts=2,1'::salesplan.touches;

-- ---- binary I/O ----
CREATE TABLE touch_bin (t salesplan.touches);
COPY (SELECT t FROM account_touch ORDER BY id) TO '/tmp/salesplan_test_touches.bin' (FORMAT binary);
COPY touch_bin FROM '/tmp/salesplan_test_touches.bin' (FORMAT binary);
SELECT array_agg(t::text ORDER BY t::text) = (SELECT array_agg(t::text ORDER BY t::text) FROM account_touch) AS binary_round_trip
FROM touch_bin;
CREATE FUNCTION pg_temp.try_recv(b bytea) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('COPY (SELECT %L::bytea) TO %L (FORMAT binary)', b, '/tmp/salesplan_test_touches.bin');
    TRUNCATE touch_bin;
    EXECUTE format('COPY touch_bin FROM %L (FORMAT binary)', '/tmp/salesplan_test_touches.bin');
    RETURN (SELECT t::text FROM touch_bin);
EXCEPTION WHEN OTHERS THEN
    RETURN 'ERROR ' || SQLSTATE || ': ' || SQLERRM;
END $$;
-- hand encoding: version 1, touches 2, first 10, last 20, 2 contacts 5, 7
CREATE TEMP TABLE good AS SELECT '\x01'::bytea || int8send(2) || int8send(10) || int8send(20)
    || int4send(2) || int8send(5) || int8send(7) AS b;
SELECT pg_temp.try_recv(b) FROM good;
SELECT salesplan.touches_send('v1;touches=2;first=10;last=20;contacts=5,7') = b AS send_matches FROM good;
SELECT pg_temp.try_recv(substr(b, 1, length(b) - 1)) FROM good;                   -- truncated
SELECT pg_temp.try_recv(b || '\x00'::bytea) FROM good;                            -- trailing byte
SELECT pg_temp.try_recv(overlay(b placing int4send(1000000) from 26)) FROM good;  -- absurd count
SELECT pg_temp.try_recv(overlay(b placing int4send(-1) from 26)) FROM good;       -- negative count
SELECT pg_temp.try_recv(overlay(b placing int8send(7) from 30)) FROM good;        -- duplicate contact
SELECT pg_temp.try_recv(overlay(b placing int8send(30) from 10)) FROM good;       -- first after last
SELECT pg_temp.try_recv('\x02' || substr(b, 2)) FROM good;                        -- version
SELECT pg_temp.try_recv('\x01'::bytea) FROM good;

-- ---- large case against plain SQL, rollup, forced parallel ----
CREATE TABLE touch_big AS
SELECT (h % 500)::int AS account_id,
       timestamptz '2026-10-01' + ((h / 500) % (58 * 86400)) * interval '1 second' AS occurred_at,
       CASE WHEN h % 13 = 0 THEN NULL ELSE ((h / 7) % 40)::bigint * 1000 + (h % 500) END AS contact_id
FROM (SELECT hashint4(i)::bigint + 2147483648 AS h FROM generate_series(1, 100000) i) s;
CREATE TABLE touch_sql AS
SELECT account_id, count(*) AS touches, count(DISTINCT contact_id) AS contacts,
       min(occurred_at) AS first, max(occurred_at) AS last
FROM touch_big GROUP BY account_id;
CREATE TABLE touch_raw AS
SELECT account_id, salesplan.touch_agg(occurred_at, contact_id) AS t FROM touch_big GROUP BY account_id;
SELECT count(*) AS accounts,
       bool_and(salesplan.touches(r.t) = s.touches AND salesplan.contacts_engaged(r.t) = s.contacts
                AND salesplan.first_touch(r.t) = s.first AND salesplan.last_touch(r.t) = s.last) AS all_ok,
       sum(s.touches) AS touches, sum(s.contacts) AS contacts
FROM touch_raw r JOIN touch_sql s USING (account_id);
-- per day, then rolled up
CREATE TABLE touch_daily AS
SELECT account_id, occurred_at::date AS day, salesplan.touch_agg(occurred_at, contact_id) AS t
FROM touch_big GROUP BY 1, 2;
SELECT bool_and(r.t::text = d.t::text) AS rollup_equals_raw, count(*)
FROM touch_raw r JOIN (SELECT account_id, salesplan.rollup(t) AS t FROM touch_daily GROUP BY 1) d USING (account_id);

-- ---- window function and spilling hash aggregation (the contact list grows and moves) ----
-- account 1's touches in time order: running distinct contacts 1, 2, 2, 2 (11, 12, 11, none)
SELECT occurred_at, salesplan.contacts_engaged(salesplan.touch_agg(occurred_at, contact_id) OVER w) AS contacts,
       salesplan.touches(salesplan.touch_agg(occurred_at, contact_id) OVER w) AS touches
FROM activity WHERE account_id = 1
WINDOW w AS (ORDER BY occurred_at)
ORDER BY occurred_at;
SET work_mem = '64kB';
SET enable_sort = off;
SET max_parallel_workers_per_gather = 0;
CREATE TABLE touch_spill AS
SELECT account_id, salesplan.touch_agg(occurred_at, contact_id)::text AS t FROM touch_big GROUP BY 1;
RESET work_mem;
RESET enable_sort;
RESET max_parallel_workers_per_gather;
SELECT bool_and(s.t = r.t::text) AS spill_ok, count(*) FROM touch_spill s JOIN touch_raw r USING (account_id);
ALTER TABLE touch_big SET (parallel_workers = 2);
ANALYZE touch_big;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET enable_hashagg = off;
EXPLAIN (COSTS OFF) SELECT (account_id % 5), salesplan.touch_agg(occurred_at, contact_id) FROM touch_big GROUP BY 1;
CREATE TABLE touch_par AS
SELECT (account_id % 5) AS g, salesplan.touch_agg(occurred_at, contact_id)::text AS t FROM touch_big GROUP BY 1;
EXPLAIN (COSTS OFF) SELECT salesplan.touch_agg(occurred_at, contact_id) FROM touch_big;
CREATE TABLE touch_par_all AS SELECT salesplan.touch_agg(occurred_at, contact_id)::text AS t FROM touch_big;
SET max_parallel_workers_per_gather = 0;
RESET enable_hashagg;
SELECT bool_and(p.t = s.t) AS parallel_equals_serial, count(*)
FROM touch_par p
JOIN (SELECT (account_id % 5) AS g, salesplan.touch_agg(occurred_at, contact_id)::text AS t FROM touch_big GROUP BY 1) s USING (g);
SELECT (SELECT t FROM touch_par_all) = salesplan.touch_agg(occurred_at, contact_id)::text AS parallel_all_ok,
       salesplan.contacts_engaged(salesplan.touch_agg(occurred_at, contact_id)) = count(DISTINCT contact_id) AS distinct_ok
FROM touch_big;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;

-- clean up
RESET search_path;
SET client_min_messages = warning;
DROP SCHEMA test_touches CASCADE;
DROP EXTENSION salesplan;
