-- Account ladder and share of wallet (the per-account functions of coverage.c):
-- ladder_level, the evidence query pattern over a tiny CRM feeding
-- coverage_agg, and penetration per account
SET extra_float_digits = 0;
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
CREATE EXTENSION IF NOT EXISTS salesplan;
-- everything in its own schema, dropped at the end so later tests start clean
CREATE SCHEMA test_coverage_ladder;
SET search_path = test_coverage_ladder, public;

-- ---- ladder_level: lookup "kind:outcome", "*:outcome", "kind", "*" ----
SELECT kind, outcome, salesplan.ladder_level(kind, outcome, salesplan.default_ladder_mapping()) AS level
FROM (VALUES ('call', 'no_answer'),        -- *:no_answer        -> 0
             ('call', 'connected'),        -- *:connected        -> 2
             ('call', 'needs_explored'),   -- *:needs_explored   -> 2
             ('call', 'qualified'),        -- *:qualified        -> 3
             ('call', 'left_message'),     -- *:left_message     -> 1
             ('email', 'sent'),            -- *:sent             -> 1
             ('meeting', 'declined'),      -- *:declined         -> 2
             ('email', NULL),              -- no "email" key     -> "*" 1
             ('visit', NULL),              -- visit              -> 2
             ('visit', 'something_else'),  -- no outcome key     -> visit 2
             ('opportunity', 'won'),       -- opportunity:won    -> 5
             ('opportunity', 'lost'),      -- opportunity:lost   -> 3
             ('proposal', 'delivered'),    -- proposal:delivered -> 4
             (NULL, 'connected'),          -- *:connected        -> 2
             (NULL, NULL)) v(kind, outcome) -- no evidence (LEFT JOIN) -> NULL
ORDER BY 1, 2;
-- "kind:outcome" wins over "*:outcome"; no "*" key: unmatched evidence is NULL
SELECT salesplan.ladder_level('call', 'connected', '{"call:connected": 3, "*:connected": 2}') AS specific,
       salesplan.ladder_level('visit', 'connected', '{"call:connected": 3, "*:connected": 2}') AS generic,
       salesplan.ladder_level('email', NULL, '{"call": 1}') IS NULL AS unmatched_null,
       salesplan.ladder_level('call', NULL, '{"call": 1, "x": 0, "": 5}') AS unknown_keys_ok,
       salesplan.ladder_level('call', 'connected', '{}') IS NULL AS empty_mapping;
SELECT salesplan.ladder_name(l) FROM generate_series(0, 6) l ORDER BY l;
\set VERBOSITY sqlstate
SELECT salesplan.ladder_level('call', NULL, '[1]');
SELECT salesplan.ladder_level('call', NULL, '5');
SELECT salesplan.ladder_level('call', NULL, '{"call": 6}');
SELECT salesplan.ladder_level('call', NULL, '{"call": -1}');
SELECT salesplan.ladder_level('call', NULL, '{"call": 1.5}');
SELECT salesplan.ladder_level('call', NULL, '{"call": "1"}');
SELECT salesplan.ladder_level('call', NULL, '{"call": null}');
SELECT salesplan.ladder_level('call', NULL, NULL);
\set VERBOSITY default
SELECT salesplan.ladder_level('call', NULL, '{"visit": 2, "call": 7}');
SELECT salesplan.ladder_level('call', NULL, '[1]');
-- the mapping may change from row to row (it is revalidated when it does)
SELECT salesplan.ladder_level('call', NULL, m) FROM (VALUES ('{"call": 1}'::jsonb), ('{"call": 4}')) v(m) ORDER BY 1;

-- ---- the evidence query pattern over a tiny CRM ----
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
CREATE TABLE proposal (account_id int, delivered_at timestamptz);
INSERT INTO proposal VALUES (5, '2026-10-25');       -- proposal delivered before the loss
CREATE VIEW evidence AS
    SELECT account_id, kind, outcome, occurred_at FROM activity
    UNION ALL
    SELECT account_id, 'opportunity',
           CASE WHEN is_won THEN 'won' WHEN is_closed THEN 'lost' ELSE 'open' END,
           coalesce(close_date::timestamptz, created_at)
    FROM opportunity
    UNION ALL
    SELECT account_id, 'proposal', 'delivered', delivered_at FROM proposal WHERE delivered_at IS NOT NULL;
-- a1: max(0, 2, 1, 2) = 2; a2: won -> 5; a3: nothing in period -> NULL -> 0;
-- a4: no_answer -> 0; a5: connected 2, lost opportunity 3, proposal 4 -> 4
CREATE TABLE account_level AS
SELECT a.id, max(salesplan.ladder_level(e.kind, e.outcome, salesplan.default_ladder_mapping())) AS level
FROM account a
LEFT JOIN evidence e ON e.account_id = a.id
     AND e.occurred_at >= '2026-10-01' AND e.occurred_at < '2026-11-28'
GROUP BY a.id;
SELECT * FROM account_level ORDER BY id;
-- levels 0: a3, a4; 2: a1; 4: a5; 5: a2 -> levels=2,0,1,0,1,1
-- won: a2 300 (potential 800); penetration (300) / (1000 + 800 + 600 + 500) = 300 / 2900
-- coverage (>= 1): a1, a2, a5 = 3/5; signing 1/5
SELECT c::text, salesplan.coverage_rate(c) AS coverage, salesplan.signing_rate(c) AS signing,
       salesplan.penetration_rate(c) = 300 / 2900::float8 AS penetration_ok
FROM (SELECT salesplan.coverage_agg(l.level, w.won, a.potential) AS c
      FROM account a JOIN account_level l USING (id)
      LEFT JOIN (SELECT account_id AS id, sum(amount) AS won FROM opportunity WHERE is_won GROUP BY 1) w USING (id)) s;

-- penetration per account
SELECT salesplan.penetration(100, 1000) AS tenth, salesplan.penetration(NULL, 1000) AS no_won,
       salesplan.penetration(5, NULL) IS NULL AS unknown, salesplan.penetration(5, 0) IS NULL AS zero;

-- ---- errors ----
\set VERBOSITY sqlstate
SELECT salesplan.penetration(-1, 10);
SELECT salesplan.penetration(1, -10);
SELECT salesplan.penetration('NaN', 10);
\set VERBOSITY default

-- clean up
RESET search_path;
SET client_min_messages = warning;
DROP SCHEMA test_coverage_ladder CASCADE;
DROP EXTENSION salesplan;
