-- salesplan.proposals (team rates): presales proposal first-pass and response rates, per rep
SET extra_float_digits = 0;
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
CREATE EXTENSION IF NOT EXISTS salesplan;
-- everything in its own schema, dropped at the end so later tests start clean
CREATE SCHEMA test_proposals;
SET search_path = test_proposals, public;

-- One row per submission.  rep 1: opportunities 100, 200, 300; rep 2: 400, 500.
--  100 v1: requested 10-01, delivered 10-04, due 5 -> on time, not accepted
--  100 v2: requested 10-06, delivered 10-12, due 5 -> 6 days: late, accepted
--  200 v1: requested 10-02, delivered 10-07 00:00, due 5 -> exactly 5 days: on time, accepted (first pass)
--  300 v1: requested 10-10, not delivered, due 3      -> counts against the response rate
--  400 v1: requested 10-11, delivered 10-12, no due   -> not in the response base; not accepted
--  500 v?: version unknown, requested 10-15, delivered 10-16, due 2 -> on time, accepted
CREATE TABLE proposal (opportunity_id int, rep int, version int, accepted bool,
                       requested_at timestamptz, delivered_at timestamptz, due_days int);
INSERT INTO proposal VALUES
    (100, 1, 1, false, '2026-10-01', '2026-10-04', 5),
    (100, 1, 2, true,  '2026-10-06', '2026-10-12', 5),
    (200, 1, 1, true,  '2026-10-02', '2026-10-07', 5),
    (300, 1, 1, NULL,  '2026-10-10', NULL, 3),
    (400, 2, 1, NULL,  '2026-10-11', '2026-10-12', NULL),
    (500, 2, NULL, true, '2026-10-15', '2026-10-16', 2);
-- all: requested 6; delivered 5 (all but 300); with due 5 (all but 400); on time 3 (100v1, 200, 500)
-- chains (delivered v1) 3: 100, 200, 400; first pass 1 (200); accepted 3 (100v2, 200, 500)
-- first_pass_rate 1/3, response_rate 3/5, acceptance_rate 3/5
SELECT p::text, salesplan.first_pass_rate(p), salesplan.response_rate(p), salesplan.acceptance_rate(p),
       salesplan.proposals_requested(p) AS requested, salesplan.proposals_delivered(p) AS delivered,
       salesplan.proposals_due(p) AS due, salesplan.proposals_on_time(p) AS on_time,
       salesplan.proposal_chains(p) AS chains, salesplan.proposals_first_pass(p) AS first_pass,
       salesplan.proposals_accepted(p) AS accepted
FROM (SELECT salesplan.proposal_agg(version, accepted, requested_at, delivered_at, due_days) AS p FROM proposal) s;
-- per rep: rep 1 first pass 1/2 (100 no, 200 yes), response 2/4 (on time: 100v1, 200; due: 100v1, 100v2, 200, 300)
--          rep 2 first pass 0/1 (400), response 1/1 (500)
SELECT rep, salesplan.first_pass_rate(p), salesplan.response_rate(p), p::text
FROM (SELECT rep, salesplan.proposal_agg(version, accepted, requested_at, delivered_at, due_days) AS p
      FROM proposal GROUP BY rep) s ORDER BY rep;
-- nothing delivered: rates NULL; empty input: NULL
SELECT salesplan.first_pass_rate(p) IS NULL AS fp_null, salesplan.response_rate(p) IS NULL AS rr_null,
       salesplan.acceptance_rate(p) IS NULL AS ar_null, p::text
FROM (SELECT salesplan.proposal_agg(1, NULL, NULL, NULL, NULL) AS p) s;
SELECT salesplan.proposal_agg(1, true, now(), now(), 1) IS NULL AS empty_null FROM generate_series(1, 0);

\set VERBOSITY sqlstate
SELECT salesplan.proposal_agg(0, true, now(), now(), 1);
SELECT salesplan.proposal_agg(1, true, now(), now(), -1);
SELECT salesplan.proposal_agg(1, true, 'infinity', now(), 1);
SELECT salesplan.proposal_agg(1, true, now(), '-infinity', 1);
SELECT salesplan.proposals_trans(NULL, 1, true, now(), now(), 1);
SELECT salesplan.proposals_combine(NULL, NULL);
\set VERBOSITY default
SELECT salesplan.proposal_agg(0, true, now(), now(), 1);
SELECT salesplan.proposal_agg(1, true, now(), now(), -1);

-- text I/O
SELECT p::text::salesplan.proposals::text = p::text AS round_trip
FROM (SELECT salesplan.proposal_agg(version, accepted, requested_at, delivered_at, due_days) AS p FROM proposal) s;
\set VERBOSITY sqlstate
SELECT 'v1;requested=1;delivered=2;with_due=0;on_time=0;chains=0;first_pass=0;accepted=0'::salesplan.proposals;
SELECT 'v1;requested=2;delivered=1;with_due=1;on_time=2;chains=0;first_pass=0;accepted=0'::salesplan.proposals;
SELECT 'v1;requested=2;delivered=1;with_due=1;on_time=1;chains=1;first_pass=1;accepted=0'::salesplan.proposals;
SELECT 'v1;requested=2;delivered=1;with_due=1;on_time=1;chains=1;first_pass=0;accepted=2'::salesplan.proposals;
SELECT 'v1;requested=-1;delivered=0;with_due=0;on_time=0;chains=0;first_pass=0;accepted=0'::salesplan.proposals;
SELECT 'v1;requested=1;delivered=0;with_due=0;on_time=0;chains=0;first_pass=0'::salesplan.proposals;
SELECT 'v1;requested=1;delivered=0;with_due=0;on_time=0;chains=0;first_pass=0;accepted=0;'::salesplan.proposals;
SELECT 'v1;delivered=0;requested=1;with_due=0;on_time=0;chains=0;first_pass=0;accepted=0'::salesplan.proposals;
SELECT 'v9;requested=1;delivered=0;with_due=0;on_time=0;chains=0;first_pass=0;accepted=0'::salesplan.proposals;
\set VERBOSITY default
SELECT 'v1;requested=1;delivered=2;with_due=0;on_time=0;chains=0;first_pass=0;accepted=0'::salesplan.proposals;

-- binary I/O
CREATE TABLE pbin (p salesplan.proposals);
COPY (SELECT salesplan.proposal_agg(version, accepted, requested_at, delivered_at, due_days) FROM proposal)
    TO '/tmp/salesplan_test_proposals.bin' (FORMAT binary);
COPY pbin FROM '/tmp/salesplan_test_proposals.bin' (FORMAT binary);
SELECT p::text FROM pbin;
CREATE FUNCTION pg_temp.try_recv(b bytea) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('COPY (SELECT %L::bytea) TO %L (FORMAT binary)', b, '/tmp/salesplan_test_proposals.bin');
    TRUNCATE pbin;
    EXECUTE format('COPY pbin FROM %L (FORMAT binary)', '/tmp/salesplan_test_proposals.bin');
    RETURN (SELECT p::text FROM pbin);
EXCEPTION WHEN OTHERS THEN
    RETURN 'ERROR ' || SQLSTATE || ': ' || SQLERRM;
END $$;
CREATE TEMP TABLE good AS SELECT '\x01'::bytea || int8send(6) || int8send(5) || int8send(5) || int8send(3)
    || int8send(3) || int8send(1) || int8send(3) AS b;
SELECT pg_temp.try_recv(b) FROM good;
SELECT pg_temp.try_recv(substr(b, 1, 20)) FROM good;
SELECT pg_temp.try_recv(b || '\x00'::bytea) FROM good;
SELECT pg_temp.try_recv('\x00' || substr(b, 2)) FROM good;
SELECT pg_temp.try_recv(overlay(b placing int8send(9) from 10)) FROM good;   -- delivered 9 > requested 6

-- large case against plain SQL, rollup per day, forced parallel
CREATE TABLE pbig AS
SELECT (h % 17)::int AS rep,
       CASE WHEN h % 19 = 0 THEN NULL ELSE 1 + ((h / 3) % 3)::int END AS version,
       CASE WHEN h % 23 = 0 THEN NULL ELSE (h / 5) % 2 = 0 END AS accepted,
       timestamptz '2026-10-01' + ((h / 7) % 5000000) * interval '1 second' AS requested_at,
       CASE WHEN h % 11 = 0 THEN NULL
            ELSE timestamptz '2026-10-01' + ((h / 7) % 5000000) * interval '1 second'
                 + ((h / 13) % 864000) * interval '1 second' END AS delivered_at,
       CASE WHEN h % 29 = 0 THEN NULL ELSE ((h / 17) % 10)::int END AS due_days
FROM (SELECT hashint4(i)::bigint + 2147483648 AS h FROM generate_series(1, 100000) i) s;
CREATE TABLE psql_rates AS
SELECT count(*) AS requested,
       count(delivered_at) AS delivered,
       count(*) FILTER (WHERE due_days IS NOT NULL AND requested_at IS NOT NULL) AS with_due,
       count(*) FILTER (WHERE delivered_at <= requested_at + due_days * interval '24 hours') AS on_time,
       count(*) FILTER (WHERE version = 1 AND delivered_at IS NOT NULL) AS chains,
       count(*) FILTER (WHERE version = 1 AND delivered_at IS NOT NULL AND accepted) AS first_pass,
       count(*) FILTER (WHERE delivered_at IS NOT NULL AND accepted) AS accepted
FROM pbig;
SELECT p::text = format('v1;requested=%s;delivered=%s;with_due=%s;on_time=%s;chains=%s;first_pass=%s;accepted=%s',
                        s.requested, s.delivered, s.with_due, s.on_time, s.chains, s.first_pass, s.accepted) AS same,
       salesplan.first_pass_rate(p) = s.first_pass::float8 / s.chains AS fp_ok,
       salesplan.response_rate(p) = s.on_time::float8 / s.with_due AS rr_ok,
       s.*
FROM (SELECT salesplan.proposal_agg(version, accepted, requested_at, delivered_at, due_days) AS p FROM pbig) a, psql_rates s;
CREATE TABLE pdaily AS
SELECT rep, requested_at::date AS day,
       salesplan.proposal_agg(version, accepted, requested_at, delivered_at, due_days) AS p
FROM pbig GROUP BY 1, 2;
SELECT bool_and(r.p::text = d.p::text) AS rollup_equals_raw, count(*)
FROM (SELECT rep, salesplan.rollup(p) AS p FROM pdaily GROUP BY 1) r
JOIN (SELECT rep, salesplan.proposal_agg(version, accepted, requested_at, delivered_at, due_days) AS p
      FROM pbig GROUP BY 1) d USING (rep);
ALTER TABLE pbig SET (parallel_workers = 2);
ANALYZE pbig;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF) SELECT salesplan.proposal_agg(version, accepted, requested_at, delivered_at, due_days) FROM pbig;
CREATE TABLE ppar AS SELECT salesplan.proposal_agg(version, accepted, requested_at, delivered_at, due_days)::text AS p FROM pbig;
SET max_parallel_workers_per_gather = 0;
SELECT (SELECT p FROM ppar) = salesplan.proposal_agg(version, accepted, requested_at, delivered_at, due_days)::text AS parallel_equals_serial
FROM pbig;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;

-- BD referrals: a plain count per rep and period (no state type needed)
CREATE TABLE referral (id int, bd_rep_id int, referred_at timestamptz);
INSERT INTO referral VALUES (1, 7, '2026-10-03'), (2, 7, '2026-11-20'), (3, 8, '2026-09-30'), (4, 8, '2026-10-31');
-- rep 7: two in Q4; rep 8: one (10-31; 09-30 is Q3)
SELECT bd_rep_id, date_trunc('quarter', referred_at)::date AS quarter, count(*) AS referrals
FROM referral GROUP BY 1, 2 ORDER BY 1, 2;

-- clean up
RESET search_path;
SET client_min_messages = warning;
DROP SCHEMA test_proposals CASCADE;
DROP EXTENSION salesplan;
