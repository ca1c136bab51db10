-- test/data/sample_crm.sql: a deterministic sample CRM in schema "crm".
--
--   psql -v seed=42 -v scale=1 -f test/data/sample_crm.sql
--
-- Not part of the salesplan extension: plain SQL that (re)creates schema crm
-- (DROP SCHEMA crm CASCADE first) shaped like a real CRM (teams, reps,
-- accounts, contacts, leads, opportunities with stage history, activities,
-- proposals, delivery projects with milestones and PMO forecasts, BD
-- referrals), with two years of data (2025-01-01 .. "today" 2026-11-27).
-- doc/sample-crm.md describes every table, the distributions and the
-- deliberately messy rows.
--
-- psql variables: seed (integer, default 42) and scale (numeric > 0,
-- default 1; sizes grow linearly with it, about 24,000 stage-history rows per
-- unit of scale).  The same seed and scale always give the same rows,
-- whatever the plan: every random number is a hash of (seed, stream, row
-- id), never random(), and every generated id comes from generate_series
-- or from a window ordered by a unique key.  Everything runs in one
-- transaction; psql settings changed here are restored at the end.

\if :{?seed}
\else
\set seed 42
\endif
\if :{?scale}
\else
\set scale 1
\endif

-- Fail loudly: a bad seed or scale stops psql with exit status 3 (when run
-- with -f), whatever ON_ERROR_STOP the caller had.
\set sample_crm_stop :ON_ERROR_STOP
\set ON_ERROR_STOP on
\unset sample_crm_seed_ok
\unset sample_crm_scale_ok
SELECT (:'seed')::numeric = round((:'seed')::numeric)
       AND abs((:'seed')::numeric) < 9000000000000 AS sample_crm_seed_ok,
       (:'scale')::numeric > 0 AND (:'scale')::numeric <= 10000 AS sample_crm_scale_ok
\gset
\if :sample_crm_seed_ok
\else
DO $$ BEGIN RAISE EXCEPTION 'sample_crm: seed must be an integer with |seed| < 9e12'; END $$;
\quit
\endif
\if :sample_crm_scale_ok
\else
DO $$ BEGIN RAISE EXCEPTION 'sample_crm: scale must be > 0 and at most 10000'; END $$;
\quit
\endif

\set sample_crm_echo :ECHO
\set sample_crm_quiet :QUIET
\set ECHO none
\set QUIET on
\set ON_ERROR_STOP on

-- Sizes.  Each grows linearly with scale; the floors keep tiny scales
-- usable (at least one team of each kind, one rep of each role).
SELECT greatest(4, round(5 * (:scale)::numeric))::int AS sc_n_team,
       greatest(10, round(40 * (:scale)::numeric))::int AS sc_n_rep,
       greatest(20, round(2000 * (:scale)::numeric))::int AS sc_n_acct,
       greatest(50, round(20000 * (:scale)::numeric))::int AS sc_n_lead,
       greatest(5, round(1950 * (:scale)::numeric))::int AS sc_n_direct,
       greatest(100, round(60000 * (:scale)::numeric))::int AS sc_n_act
\gset

BEGIN;
SET LOCAL client_min_messages = warning;
SET LOCAL work_mem = '256MB';
SET LOCAL maintenance_work_mem = '512MB';
SET LOCAL jit = off;

-- ---------------------------------------------------------------------
-- Random numbers.  sc_u(id, stream) is uniform in [0, 1) with 32 bits:
-- the low word of hashint8extended(id, seed * 1000 + stream), the hash
-- behind hash partitioning, so it is the same on every platform and
-- independent of plan and row order.  (The high word is not used: it is
-- correlated between consecutive ids, corr -0.018 over a million; the low
-- word is not.)  sc_n(id, stream) is standard normal by Box-Muller from
-- sc_u(id, stream) and the same hash under the seed with bit 60 flipped
-- (never a seed of sc_u).  Ids must stay below 2^32: hashint8extended
-- folds its argument to 32 bits.  Both are single-expression SQL
-- functions, inlined by the planner: no per-row function call.  The seed
-- is baked in as a literal.
-- ---------------------------------------------------------------------
SELECT format($f$CREATE OR REPLACE FUNCTION pg_temp.sc_u(id bigint, stream int)
RETURNS float8 LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS 'SELECT (pg_catalog.hashint8extended($1, %1$s::bigint + $2) & 4294967295)::float8 / 4294967296'$f$,
              (:seed)::bigint * 1000),
       format($f$CREATE OR REPLACE FUNCTION pg_temp.sc_n(id bigint, stream int)
RETURNS float8 LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS 'SELECT pg_catalog.sqrt(-2 * pg_catalog.ln(1 - pg_temp.sc_u($1, $2)))
           * pg_catalog.cos(2 * pg_catalog.pi()
                            * ((pg_catalog.hashint8extended($1, (%1$s::bigint + $2) # 1152921504606846976)
                                & 4294967295)::float8 / 4294967296))'$f$,
              (:seed)::bigint * 1000)
\gexec
-- Every CTE below ends in OFFSET 0, which keeps the planner from pulling
-- it up into its parent: pulled up, each reference to a computed column
-- (a dwell time, a uniform) would be recomputed in place, hashing the
-- same value dozens of times per row.
--
-- Times are float8 day offsets from 2025-01-01 00:00 UTC; "now" is offset
-- 696 (2026-11-28 00:00 UTC), so every event happened by 2026-11-27.
CREATE OR REPLACE FUNCTION pg_temp.sc_ts(day_offset float8)
RETURNS timestamptz LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS 'SELECT pg_catalog.to_timestamp(1735689600 + pg_catalog.round($1 * 86400))';
CREATE OR REPLACE FUNCTION pg_temp.sc_date(day_offset float8)
RETURNS date LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS 'SELECT DATE ''2025-01-01'' + pg_catalog.floor($1)::int';

-- Seasonal calendar: 20,000 equally likely buckets, each mapped to a day
-- 2025-01-01 .. 2026-11-27 in proportion to the day's weight (month of
-- year, weekday vs weekend, holidays, 15% growth in 2026).  A uniform u
-- picks day sc_day.d of bucket floor(u * 20000).  Exact numeric sums, so
-- the bucket bounds are the same everywhere.
CREATE TEMP TABLE sc_day ON COMMIT DROP AS
WITH d AS (
    SELECT d, DATE '2025-01-01' + d AS dt FROM generate_series(0, 695) d
    OFFSET 0
), w AS (
    SELECT d,
           (ARRAY[0.80, 0.90, 1.20, 1.10, 1.00, 1.00, 0.80, 0.60, 1.20, 1.30, 1.10, 0.70])
               [extract(month FROM dt)::int]
           * CASE extract(isodow FROM dt) WHEN 6 THEN 0.15 WHEN 7 THEN 0.08 ELSE 1 END
           * CASE WHEN extract(year FROM dt) = 2026 THEN 1.15 ELSE 1 END
           * CASE WHEN to_char(dt, 'MM-DD') IN ('12-24', '12-25', '12-26', '12-31', '01-01')
                  THEN 0.2 ELSE 1 END AS w
    FROM d
    OFFSET 0
), c AS (
    SELECT d, sum(w) OVER (ORDER BY d) AS cum, sum(w) OVER () AS total FROM w
    OFFSET 0
), r AS (
    SELECT d, coalesce(lag(cum) OVER (ORDER BY d), 0) / total AS lo, cum / total AS hi FROM c
    OFFSET 0
)
SELECT b, d
FROM r, generate_series(ceil(lo * 20000 - 0.5)::int, ceil(hi * 20000 - 0.5)::int - 1) b;
ALTER TABLE sc_day ADD PRIMARY KEY (b);
ANALYZE sc_day;

DROP SCHEMA IF EXISTS crm CASCADE;
CREATE SCHEMA crm;
COMMENT ON SCHEMA crm IS
    'sample CRM generated by test/data/sample_crm.sql (deterministic; see doc/sample-crm.md)';

-- ---------------------------------------------------------------------
-- Tables.  Keys, foreign keys and indexes are added after the load.
-- ---------------------------------------------------------------------
CREATE TABLE crm.team (
    id      int NOT NULL,
    name    text NOT NULL,
    kind    text NOT NULL CHECK (kind IN ('sales development', 'business development', 'presales', 'project office'))
);
COMMENT ON TABLE crm.team IS 'sales and delivery teams; kind says which part of the process the team owns';
COMMENT ON COLUMN crm.team.kind IS 'sales development (SDR: reach and nurture), business development (BD: follow-up and commercial), presales (solutions and proposals), project office (PMO: delivery)';

CREATE TABLE crm.rep (
    id          int NOT NULL,
    name        text NOT NULL,
    team_id     int NOT NULL,
    role        text NOT NULL CHECK (role IN ('SDR', 'BD', 'presales', 'PMO')),
    hired_on    date NOT NULL
);
COMMENT ON TABLE crm.rep IS 'sales reps, presales engineers and project managers (CRM users)';
COMMENT ON COLUMN crm.rep.role IS 'SDR (sales development), BD (business development, owns accounts and deals), presales, PMO';
COMMENT ON COLUMN crm.rep.hired_on IS 'hire date, for tenure';

CREATE TABLE crm.account (
    id                  int NOT NULL,
    name                text NOT NULL,
    territory           text NOT NULL,
    segment             text NOT NULL CHECK (segment IN ('SMB', 'mid-market', 'key account', 'enterprise/government')),
    owner_rep_id        int NOT NULL,
    is_target           bool NOT NULL,
    potential_value     numeric(14, 2) CHECK (potential_value > 0),
    buying_center_size  int CHECK (buying_center_size > 0)
);
COMMENT ON TABLE crm.account IS 'customer and prospect companies; is_target marks the named target-account list';
COMMENT ON COLUMN crm.account.name IS 'company name (not unique, as in real CRMs)';
COMMENT ON COLUMN crm.account.owner_rep_id IS 'account owner: a BD rep for targets, key accounts and enterprise/government, an SDR otherwise';
COMMENT ON COLUMN crm.account.is_target IS 'on the target-account list for the period (no target may be dropped)';
COMMENT ON COLUMN crm.account.potential_value IS 'estimated wallet over the two years; NULL when unknown';
COMMENT ON COLUMN crm.account.buying_center_size IS 'people involved in buying decisions; NULL when unknown';

CREATE TABLE crm.contact (
    id          int NOT NULL,
    account_id  int NOT NULL,
    name        text NOT NULL,
    title       text NOT NULL
);
COMMENT ON TABLE crm.contact IS 'people at accounts';

CREATE TABLE crm.stage (
    id          int NOT NULL,
    name        text NOT NULL,
    sequence    int,
    probability numeric(3, 2) NOT NULL CHECK (probability BETWEEN 0 AND 1),
    is_won      bool NOT NULL,
    is_lost     bool NOT NULL
);
COMMENT ON TABLE crm.stage IS 'opportunity pipeline stages';
COMMENT ON COLUMN crm.stage.sequence IS 'order in the pipeline (1 = New .. 6 = Won); NULL for Lost, which is outside the sequence';
COMMENT ON COLUMN crm.stage.probability IS 'default win probability of a deal in this stage, for weighted pipeline';

CREATE TABLE crm.lead (
    id              int NOT NULL,
    account_id      int,
    source          text NOT NULL CHECK (source IN ('web', 'referral', 'event', 'outbound', 'partner')),
    created_at      timestamptz NOT NULL,
    converted_at    timestamptz,
    opportunity_id  int,
    owner_rep_id    int NOT NULL,
    CHECK ((converted_at IS NULL) = (opportunity_id IS NULL)),
    CHECK (converted_at > created_at)
);
COMMENT ON TABLE crm.lead IS 'inbound and outbound leads; a converted lead has converted_at and its opportunity';
COMMENT ON COLUMN crm.lead.account_id IS 'matched account; NULL for anonymous leads (web forms, event badges), even some converted ones';
COMMENT ON COLUMN crm.lead.owner_rep_id IS 'SDR working the lead';

CREATE TABLE crm.opportunity (
    id              int NOT NULL,
    account_id      int NOT NULL,
    owner_rep_id    int NOT NULL,
    stage_id        int NOT NULL,
    amount          numeric(14, 2) CHECK (amount > 0),
    created_at      timestamptz NOT NULL,
    close_date      date NOT NULL,
    is_won          bool NOT NULL,
    is_closed       bool NOT NULL,
    lost_reason     text,
    CHECK (NOT is_won OR is_closed)
);
COMMENT ON TABLE crm.opportunity IS 'deals; stage_id is the current stage, the path is in opportunity_stage_history';
COMMENT ON COLUMN crm.opportunity.amount IS 'deal value; NULL when the rep has not entered it (mostly early stages, a few won deals too)';
COMMENT ON COLUMN crm.opportunity.close_date IS 'actual close date of closed deals; expected close date of open ones (may already be past)';
COMMENT ON COLUMN crm.opportunity.lost_reason IS 'why a lost deal was lost; NULL when open, won, or not recorded';

CREATE TABLE crm.opportunity_stage_history (
    id              bigint NOT NULL,
    opportunity_id  int NOT NULL,
    stage_id        int NOT NULL,
    entered_at      timestamptz NOT NULL
);
COMMENT ON TABLE crm.opportunity_stage_history IS 'every stage change of every opportunity, including skipped stages and moves back';
COMMENT ON COLUMN crm.opportunity_stage_history.entered_at IS 'when the opportunity entered the stage';

CREATE TABLE crm.activity (
    id          bigint NOT NULL,
    kind        text NOT NULL CHECK (kind IN ('call', 'visit', 'meeting', 'email', 'event')),
    direction   text NOT NULL CHECK (direction IN ('outbound', 'inbound')),
    outcome     text NOT NULL CHECK (outcome IN ('no_answer', 'left_message', 'sent', 'connected',
                                                 'needs_explored', 'qualified', 'declined')),
    rep_id      int NOT NULL,
    account_id  int NOT NULL,
    contact_id  int,
    occurred_at timestamptz NOT NULL
);
COMMENT ON TABLE crm.activity IS 'logged touches: calls, visits, meetings, emails, events';
COMMENT ON COLUMN crm.activity.outcome IS 'no_answer, left_message, sent (no reply yet), connected (two-way), needs_explored, qualified (value recognised, handed to BD), declined';
COMMENT ON COLUMN crm.activity.contact_id IS 'contact touched; NULL when not recorded';

CREATE TABLE crm.proposal (
    id              int NOT NULL,
    opportunity_id  int NOT NULL,
    account_id      int NOT NULL,
    presales_rep_id int NOT NULL,
    requested_at    timestamptz NOT NULL,
    delivered_at    timestamptz,
    due_days        int NOT NULL CHECK (due_days > 0),
    version         int NOT NULL CHECK (version > 0),
    submitted_at    timestamptz,
    accepted        bool,
    CHECK (delivered_at >= requested_at),
    CHECK (submitted_at >= delivered_at),
    CHECK (delivered_at IS NOT NULL OR submitted_at IS NULL),
    CHECK (submitted_at IS NOT NULL OR accepted IS NULL)
);
COMMENT ON TABLE crm.proposal IS 'proposals written by presales, one row per version; version 1 accepted = first-pass acceptance';
COMMENT ON COLUMN crm.proposal.requested_at IS 'when BD asked presales for this version';
COMMENT ON COLUMN crm.proposal.delivered_at IS 'when presales delivered it; NULL while in progress or abandoned';
COMMENT ON COLUMN crm.proposal.due_days IS 'agreed turnaround in days; delivered within it = on time';
COMMENT ON COLUMN crm.proposal.submitted_at IS 'when it went to the customer; NULL when not yet';
COMMENT ON COLUMN crm.proposal.accepted IS 'customer verdict: true accepted, false sent back (a new version follows or the deal was lost), NULL pending';

CREATE TABLE crm.project (
    id              int NOT NULL,
    account_id      int NOT NULL,
    opportunity_id  int NOT NULL,
    name            text NOT NULL,
    pmo_rep_id      int NOT NULL,
    start_date      date NOT NULL,
    baseline_finish date NOT NULL,
    CHECK (baseline_finish > start_date)
);
COMMENT ON TABLE crm.project IS 'delivery projects of won enterprise/government and key-account deals, run by the PMO';

CREATE TABLE crm.milestone (
    id              int NOT NULL,
    project_id      int NOT NULL,
    name            text NOT NULL,
    seq             int NOT NULL,
    baseline_date   date NOT NULL,
    actual_date     date,
    weight          numeric(6, 4) CHECK (weight > 0)
);
COMMENT ON TABLE crm.milestone IS 'project milestones preset by the PMO';
COMMENT ON COLUMN crm.milestone.baseline_date IS 'planned date in the approved baseline';
COMMENT ON COLUMN crm.milestone.actual_date IS 'date reached; NULL while not reached';
COMMENT ON COLUMN crm.milestone.weight IS 'share of project value (about 1 per project); NULL when not set';

CREATE TABLE crm.milestone_forecast (
    milestone_id    int NOT NULL,
    reported_on     date NOT NULL,
    forecast_date   date NOT NULL
);
COMMENT ON TABLE crm.milestone_forecast IS 'forecast date of each open milestone at each PMO review (weekly or biweekly per project)';

CREATE TABLE crm.referral (
    id                  int NOT NULL,
    from_account_id     int NOT NULL,
    referred_account_id int NOT NULL,
    bd_rep_id           int NOT NULL,
    referred_at         timestamptz NOT NULL,
    CHECK (from_account_id <> referred_account_id)
);
COMMENT ON TABLE crm.referral IS 'introductions won by BD reps from customers to other accounts';

INSERT INTO crm.stage VALUES
    (1, 'New',          1, 0.05, false, false),
    (2, 'Qualified',    2, 0.15, false, false),
    (3, 'Discovery',    3, 0.30, false, false),
    (4, 'Proposal',     4, 0.50, false, false),
    (5, 'Negotiation',  5, 0.75, false, false),
    (6, 'Won',          6, 1.00, true,  false),
    (7, 'Lost',         NULL, 0.00, false, true);

-- ---------------------------------------------------------------------
-- Teams and reps.  Rep roles repeat SDR x4, BD x3, presales x2, PMO x1;
-- each rep sits in a team of the matching kind.
-- ---------------------------------------------------------------------
INSERT INTO crm.team (id, name, kind)
WITH t AS (
    SELECT i, (ARRAY['SDR', 'BD', 'presales', 'PMO', 'SDR'])[1 + (i - 1) % 5] AS code
    FROM generate_series(1, :sc_n_team) i
    OFFSET 0
), o AS (
    SELECT i, code, row_number() OVER (PARTITION BY code ORDER BY i) AS ord FROM t
    OFFSET 0
)
SELECT i,
       CASE code WHEN 'SDR' THEN 'SDR' WHEN 'BD' THEN 'Key Accounts'
                 WHEN 'presales' THEN 'Solutions' ELSE 'PMO' END
       || ' ' || (ARRAY['North', 'South', 'East', 'West', 'Central', 'Coastal'])[1 + (ord - 1) % 6]
       || CASE WHEN ord > 6 THEN ' ' || ((ord - 1) / 6 + 1) ELSE '' END,
       CASE code WHEN 'SDR' THEN 'sales development' WHEN 'BD' THEN 'business development'
                 WHEN 'presales' THEN 'presales' ELSE 'project office' END
FROM o;

CREATE TEMP TABLE sc_team_pick ON COMMIT DROP AS
SELECT CASE kind WHEN 'sales development' THEN 'SDR' WHEN 'business development' THEN 'BD'
                 WHEN 'presales' THEN 'presales' ELSE 'PMO' END AS role,
       (row_number() OVER (PARTITION BY kind ORDER BY id) - 1)::int AS k,
       count(*) OVER (PARTITION BY kind) AS n,
       id AS team_id
FROM crm.team;

INSERT INTO crm.rep (id, name, team_id, role, hired_on)
WITH r AS (
    SELECT i, (ARRAY['SDR', 'SDR', 'SDR', 'SDR', 'BD', 'BD', 'BD', 'presales', 'presales', 'PMO'])[1 + (i - 1) % 10] AS role
    FROM generate_series(1, :sc_n_rep) i
    OFFSET 0
)
SELECT r.i,
       (ARRAY['Anna', 'Ben', 'Chen', 'Dana', 'Elif', 'Femi', 'Grace', 'Hiro', 'Ines', 'Jonas',
              'Kira', 'Luca', 'Mei', 'Nadia', 'Omar', 'Priya', 'Quinn', 'Rosa', 'Sven', 'Tariq',
              'Uma', 'Victor', 'Wei', 'Ximena', 'Yusuf', 'Zoe'])[1 + floor(pg_temp.sc_u(r.i, 81) * 26)::int]
       || ' ' ||
       (ARRAY['Adams', 'Berg', 'Costa', 'Dubois', 'Eriksen', 'Fischer', 'Garcia', 'Haddad', 'Ito', 'Jansen',
              'Kowalski', 'Li', 'Moreau', 'Nakamura', 'Okafor', 'Petrov', 'Quispe', 'Rossi', 'Silva', 'Tanaka',
              'Ueda', 'Varga', 'Wang', 'Yilmaz', 'Zhang'])[1 + floor(pg_temp.sc_u(r.i, 82) * 25)::int],
       tp.team_id,
       r.role,
       DATE '2014-01-01' + floor(pg_temp.sc_u(r.i, 84) * 4018)::int
FROM r
JOIN sc_team_pick tp ON tp.role = r.role
                    AND tp.k = floor(pg_temp.sc_u(r.i, 83) * tp.n)::int;

-- Rep picker: reps of role R are keys sc_rp_<R> .. + sc_rn_<R> - 1.
CREATE TEMP TABLE sc_rep_pick ON COMMIT DROP AS
SELECT (row_number() OVER (ORDER BY CASE role WHEN 'SDR' THEN 1 WHEN 'BD' THEN 2 WHEN 'presales' THEN 3 ELSE 4 END, id) - 1)::int AS k,
       id AS rep_id, role
FROM crm.rep;
ALTER TABLE sc_rep_pick ADD PRIMARY KEY (k);
ANALYZE sc_rep_pick;
SELECT count(*) FILTER (WHERE role = 'SDR') AS sc_rn_sdr,
       count(*) FILTER (WHERE role = 'BD') AS sc_rn_bd,
       count(*) FILTER (WHERE role = 'presales') AS sc_rn_pre,
       count(*) FILTER (WHERE role = 'PMO') AS sc_rn_pmo,
       0 AS sc_rp_sdr,
       count(*) FILTER (WHERE role = 'SDR') AS sc_rp_bd,
       count(*) FILTER (WHERE role IN ('SDR', 'BD')) AS sc_rp_pre,
       count(*) FILTER (WHERE role IN ('SDR', 'BD', 'presales')) AS sc_rp_pmo
FROM crm.rep
\gset

-- ---------------------------------------------------------------------
-- Accounts.  sc_acct keeps generator-only facts next to the CRM columns:
-- target rank (1st target: never touched and no deal; 2nd: cold; 3rd: no
-- deal; 4th: unknown potential, so every data set has each edge case),
-- cold_since (no touch after that day offset), and the account's contact
-- id range.
-- ---------------------------------------------------------------------
CREATE TEMP TABLE sc_acct ON COMMIT DROP AS
WITH a AS (
    SELECT id,
           CASE WHEN pg_temp.sc_u(id, 101) < 0.60 THEN 1
                WHEN pg_temp.sc_u(id, 101) < 0.85 THEN 2
                WHEN pg_temp.sc_u(id, 101) < 0.95 THEN 3 ELSE 4 END AS seg_i
    FROM generate_series(1, :sc_n_acct) id
    OFFSET 0
), t AS (
    SELECT id, seg_i,
           pg_temp.sc_u(id, 102) < (ARRAY[0, 0.06, 0.5, 0.7])[seg_i] AS is_target
    FROM a
    OFFSET 0
), r AS (
    SELECT id, seg_i, is_target,
           CASE WHEN is_target THEN row_number() OVER (PARTITION BY is_target ORDER BY id) END AS target_rank
    FROM t
    OFFSET 0
), f AS (
    SELECT r.*,
           is_target AND (target_rank = 1 OR pg_temp.sc_u(id, 110) < 0.02) AS no_touch,
           is_target AND (target_rank IN (1, 3) OR pg_temp.sc_u(id, 111) < 0.10) AS no_opp,
           CASE WHEN is_target AND target_rank <> 1
                     AND (target_rank = 2 OR pg_temp.sc_u(id, 112) < 0.08)
                THEN 605 - floor(pg_temp.sc_u(id, 113) * 180) END AS cold_since,
           (ARRAY[1, 2, 4, 6])[seg_i] + floor(pg_temp.sc_u(id, 114) * (ARRAY[2, 4, 7, 10])[seg_i])::int AS c_n,
           is_target OR seg_i >= 3 AS owned_by_bd
    FROM r
    OFFSET 0
)
SELECT f.*,
       sum(c_n) OVER (ORDER BY id) - c_n + 1 AS c_first,
       CASE WHEN seg_i = 4 AND pg_temp.sc_u(id, 120) < 0.4 THEN
                (ARRAY['Harbour City', 'Northfield', 'Riverton', 'Eastbrook', 'Westmoor', 'Lakeshire',
                       'Stonebridge', 'Fairhaven', 'Kingsport', 'Millbrook'])[1 + floor(pg_temp.sc_u(id, 121) * 10)::int]
                || ' ' ||
                (ARRAY['Water Authority', 'Transport Bureau', 'Health Commission', 'Education Department',
                       'Customs Office', 'Tax Bureau', 'Energy Agency'])[1 + floor(pg_temp.sc_u(id, 122) * 7)::int]
            ELSE
                (ARRAY['Northwind', 'Blue Harbor', 'Granite', 'Silverline', 'Redwood', 'Alpine', 'Summit',
                       'Brightwater', 'Ironbridge', 'Golden Gate', 'Cedar', 'Harbor', 'Evergreen', 'Pioneer',
                       'Crescent', 'Orion', 'Atlas', 'Meridian', 'Nova', 'Vertex', 'Lakeside', 'Riverbend',
                       'Sterling', 'Keystone', 'Horizon'])[1 + floor(pg_temp.sc_u(id, 121) * 25)::int]
                || ' ' ||
                (ARRAY['Logistics', 'Foods', 'Textiles', 'Machinery', 'Pharma', 'Retail', 'Energy', 'Software',
                       'Construction', 'Health', 'Finance', 'Telecom', 'Chemicals', 'Automotive', 'Media',
                       'Education', 'Water', 'Transport', 'Electronics', 'Agriculture'])[1 + floor(pg_temp.sc_u(id, 122) * 20)::int]
                || ' ' ||
                (ARRAY['Ltd', 'Group', 'Inc', 'Co.', 'Holdings', 'Partners', 'Corp'])[1 + floor(pg_temp.sc_u(id, 123) * 7)::int]
       END AS name,
       CASE WHEN pg_temp.sc_u(id, 124) < 0.25 THEN 'North'
            WHEN pg_temp.sc_u(id, 124) < 0.45 THEN 'South'
            WHEN pg_temp.sc_u(id, 124) < 0.65 THEN 'East'
            WHEN pg_temp.sc_u(id, 124) < 0.80 THEN 'West'
            WHEN pg_temp.sc_u(id, 124) < 0.95 THEN 'Central'
            ELSE 'Coastal' END AS territory,
       CASE WHEN target_rank = 4 OR pg_temp.sc_u(id, 125) < CASE WHEN is_target THEN 0.15 ELSE 0.60 END THEN NULL
            ELSE greatest(1000, round(exp(ln((ARRAY[30000, 200000, 1000000, 4000000])[seg_i])
                                        + 0.8 * pg_temp.sc_n(id, 126))::numeric, -3)) END AS potential_value,
       CASE WHEN pg_temp.sc_u(id, 127) < CASE WHEN is_target THEN 0.2 ELSE 0.3 END THEN NULL
            ELSE (ARRAY[1, 3, 5, 8])[seg_i] + floor(pg_temp.sc_u(id, 128) * (ARRAY[3, 6, 11, 18])[seg_i])::int END
           AS buying_center_size,
       CASE WHEN is_target OR seg_i >= 3
            THEN :sc_rp_bd + floor(pg_temp.sc_u(id, 129) * :sc_rn_bd)::int
            ELSE :sc_rp_sdr + floor(pg_temp.sc_u(id, 129) * :sc_rn_sdr)::int END AS owner_k
FROM f;
ALTER TABLE sc_acct ADD PRIMARY KEY (id);

INSERT INTO crm.account (id, name, territory, segment, owner_rep_id, is_target, potential_value, buying_center_size)
SELECT a.id, a.name, a.territory,
       (ARRAY['SMB', 'mid-market', 'key account', 'enterprise/government'])[a.seg_i],
       p.rep_id, a.is_target, a.potential_value, a.buying_center_size
FROM sc_acct a JOIN sc_rep_pick p ON p.k = a.owner_k
ORDER BY a.id;

INSERT INTO crm.contact (id, account_id, name, title)
SELECT a.c_first + g.i - 1, a.id,
       (ARRAY['Alex', 'Bianca', 'Carlos', 'Diana', 'Erik', 'Fatima', 'George', 'Hana', 'Ivan', 'Julia',
              'Kenji', 'Laura', 'Marco', 'Nina', 'Oscar', 'Paula', 'Rahul', 'Sara', 'Tom', 'Vera',
              'Walter', 'Xiu', 'Yara', 'Zeynep', 'Ahmed', 'Beatriz', 'Colin', 'Dmitri', 'Emma', 'Farid'])
           [1 + floor(pg_temp.sc_u(a.c_first + g.i - 1, 151) * 30)::int]
       || ' ' ||
       (ARRAY['Anderson', 'Brown', 'Chowdhury', 'Dimitrov', 'Evans', 'Ferreira', 'Gupta', 'Hansen', 'Ivanova', 'Jones',
              'Kim', 'Lopez', 'Müller', 'Nguyen', 'Olsen', 'Park', 'Quinn', 'Russo', 'Schmidt', 'Takahashi',
              'Usman', 'Vasquez', 'Weber', 'Xu', 'Young', 'Zimmermann', 'Andersen', 'Becker', 'Carter', 'Dias'])
           [1 + floor(pg_temp.sc_u(a.c_first + g.i - 1, 152) * 30)::int],
       CASE WHEN g.i = 1
            THEN (ARRAY['CEO', 'CFO', 'CIO', 'COO', 'Head of Procurement', 'General Manager'])
                     [1 + floor(pg_temp.sc_u(a.c_first + g.i - 1, 153) * 6)::int]
            ELSE (ARRAY['IT Director', 'Operations Manager', 'Finance Manager', 'Project Manager', 'Engineer',
                        'Purchasing Agent', 'Plant Manager', 'Head of Procurement', 'CIO', 'Business Analyst'])
                     [1 + floor(pg_temp.sc_u(a.c_first + g.i - 1, 153) * 10)::int] END
FROM sc_acct a CROSS JOIN LATERAL generate_series(1, a.c_n) g(i)
ORDER BY 1;

-- Account pickers, one key range per population:
--   leads:       non-target accounts              [0, sc_an_nt)
--   direct deals: targets that get deals          [sc_an_nt, + sc_an_to)
--                 non-target non-SMB accounts     [.., + sc_an_big)
--   activities:  targets that get touches         [.., + sc_an_tt)
--                 every account that gets touches  [.., + sc_an_ta)
CREATE TEMP TABLE sc_acct_pick ON COMMIT DROP AS
WITH p AS (
    SELECT 1 AS pop, id FROM sc_acct WHERE NOT is_target
    UNION ALL SELECT 2, id FROM sc_acct WHERE is_target AND NOT no_opp
    UNION ALL SELECT 3, id FROM sc_acct WHERE NOT is_target AND seg_i >= 2
    UNION ALL SELECT 4, id FROM sc_acct WHERE is_target AND NOT no_touch
    UNION ALL SELECT 5, id FROM sc_acct WHERE NOT no_touch
    OFFSET 0
)
SELECT (row_number() OVER (ORDER BY pop, id) - 1)::int AS k, pop, id AS account_id FROM p;
ALTER TABLE sc_acct_pick ADD PRIMARY KEY (k);
ANALYZE sc_acct_pick;
SELECT count(*) FILTER (WHERE pop = 1) AS sc_an_nt,
       count(*) FILTER (WHERE pop = 2) AS sc_an_to,
       count(*) FILTER (WHERE pop = 3) AS sc_an_big,
       count(*) FILTER (WHERE pop = 4) AS sc_an_tt,
       count(*) FILTER (WHERE pop = 5) AS sc_an_ta,
       count(*) FILTER (WHERE pop < 2) AS sc_ap_to,
       count(*) FILTER (WHERE pop < 3) AS sc_ap_big,
       count(*) FILTER (WHERE pop < 4) AS sc_ap_tt,
       count(*) FILTER (WHERE pop < 5) AS sc_ap_ta
FROM sc_acct_pick
\gset

-- ---------------------------------------------------------------------
-- Leads.  Source mix web 40%, outbound 25%, event 15%, referral 10%,
-- partner 10%; seasonal creation dates; conversion by source (referral
-- 45% .. web 15%), less for anonymous leads; conversion lag log-normal
-- (median 10 days); a lead converted after "now" is still open.
-- ---------------------------------------------------------------------
CREATE TEMP TABLE sc_lead ON COMMIT DROP AS
WITH l AS (
    SELECT id,
           CASE WHEN pg_temp.sc_u(id, 201) < 0.40 THEN 1
                WHEN pg_temp.sc_u(id, 201) < 0.50 THEN 2
                WHEN pg_temp.sc_u(id, 201) < 0.65 THEN 3
                WHEN pg_temp.sc_u(id, 201) < 0.90 THEN 4 ELSE 5 END AS src_i
    FROM generate_series(1, :sc_n_lead) id
    OFFSET 0
), c AS (
    SELECT l.id, l.src_i,
           d.d + CASE WHEN l.src_i = 1 THEN pg_temp.sc_u(l.id, 203)
                      ELSE (8 + 10 * pg_temp.sc_u(l.id, 203)) / 24 END AS created,
           pg_temp.sc_u(l.id, 204) < (ARRAY[0.30, 0.03, 0.10, 0.03, 0.03])[l.src_i] AS anonymous
    FROM l JOIN sc_day d ON d.b = floor(pg_temp.sc_u(l.id, 202) * 20000)::int
    OFFSET 0
), v AS (
    SELECT c.*,
           c.created + exp(ln(10) + 0.9 * pg_temp.sc_n(c.id, 209)) AS conv_at,
           pg_temp.sc_u(c.id, 207) < (ARRAY[0.15, 0.45, 0.25, 0.20, 0.35])[c.src_i]
                                     * CASE WHEN c.anonymous THEN 0.3 ELSE 1 END AS will_convert
    FROM c
    OFFSET 0
)
SELECT v.id, v.src_i, v.created,
       CASE WHEN v.anonymous THEN NULL ELSE pa.account_id END AS account_id,
       pb.account_id AS opp_account_id,
       CASE WHEN v.will_convert AND v.conv_at < 696 THEN v.conv_at END AS conv_at,
       :sc_rp_sdr + floor(pg_temp.sc_u(v.id, 206) * :sc_rn_sdr)::int AS owner_k
FROM v
JOIN sc_acct_pick pa ON pa.k = floor(pg_temp.sc_u(v.id, 205) * :sc_an_nt)::int
JOIN sc_acct_pick pb ON pb.k = floor(pg_temp.sc_u(v.id, 210) * :sc_an_nt)::int;

-- Opportunities: converted leads (ids in lead order), then deals BD opened
-- directly (80% on targets that get deals, 20% on other non-SMB accounts).
CREATE TEMP TABLE sc_opp0 ON COMMIT DROP AS
SELECT row_number() OVER (ORDER BY id)::int AS id, id AS lead_id,
       coalesce(account_id, opp_account_id) AS account_id, conv_at AS created
FROM sc_lead WHERE conv_at IS NOT NULL;
SELECT count(*) AS sc_n_conv FROM sc_opp0
\gset
INSERT INTO sc_opp0
SELECT o.id, NULL, p.account_id, d.d + (9 + 9 * pg_temp.sc_u(o.id, 305)) / 24
FROM (SELECT :sc_n_conv + i AS id FROM generate_series(1, :sc_n_direct) i) o
JOIN sc_day d ON d.b = floor(pg_temp.sc_u(o.id, 304) * 20000)::int
JOIN sc_acct_pick p ON p.k = CASE WHEN pg_temp.sc_u(o.id, 302) < 0.8 OR :sc_an_big = 0
                                  THEN :sc_ap_to + floor(pg_temp.sc_u(o.id, 303) * :sc_an_to)::int
                                  ELSE :sc_ap_big + floor(pg_temp.sc_u(o.id, 303) * :sc_an_big)::int END;

-- Timeline of each opportunity.  fate = the deepest stage it will reach
-- (pass rates New 75%, Qualified 68%, Discovery 62%, Proposal 58%,
-- Negotiation 52%: falling stage by stage); t1..t6 = when it enters
-- stages 1..6 (log-normal dwell, longer for bigger segments); a deal that
-- stops at stage k is lost when it would have entered k + 1.  40% of won
-- deals slip to the last days of their quarter.  Only what happened
-- before "now" (offset 696) is visible.
CREATE TEMP TABLE sc_opp ON COMMIT DROP AS
WITH o AS (
    SELECT o.id, o.lead_id, o.account_id, o.created, a.seg_i, a.owned_by_bd, a.owner_k AS acct_owner_k,
           (ARRAY[0.6, 1.0, 1.5, 2.2])[a.seg_i] AS sf,
           CASE WHEN pg_temp.sc_u(o.id, 311) >= 0.84 THEN 1
                WHEN pg_temp.sc_u(o.id, 312) >= 0.76 THEN 2
                WHEN pg_temp.sc_u(o.id, 313) >= 0.69 THEN 3
                WHEN pg_temp.sc_u(o.id, 314) >= 0.63 THEN 4
                WHEN pg_temp.sc_u(o.id, 315) >= 0.57 THEN 5 ELSE 6 END AS fate
    FROM sc_opp0 o JOIN sc_acct a ON a.id = o.account_id
    OFFSET 0
), d AS (
    SELECT o.*,
           6 * sf * exp(0.6 * pg_temp.sc_n(id, 321)) AS d1,
           12 * sf * exp(0.6 * pg_temp.sc_n(id, 322)) AS d2,
           20 * sf * exp(0.6 * pg_temp.sc_n(id, 323)) AS d3,
           18 * sf * exp(0.6 * pg_temp.sc_n(id, 324)) AS d4,
           15 * sf * exp(0.6 * pg_temp.sc_n(id, 325)) AS d5
    FROM o
    OFFSET 0
), t AS (
    SELECT d.*, created AS t1, created + d1 AS t2, created + d1 + d2 AS t3,
           created + d1 + d2 + d3 AS t4, created + d1 + d2 + d3 + d4 AS t5,
           created + d1 + d2 + d3 + d4 + d5 AS t6raw
    FROM d
    OFFSET 0
), q AS (
    SELECT t.*,
           CASE WHEN pg_temp.sc_u(id, 330) < 0.4 AND t6raw < 100000 THEN
                ((date_trunc('quarter', pg_temp.sc_date(t6raw)::timestamp) + interval '3 months')::date
                 - DATE '2025-01-01' - 1)
                - floor(pg_temp.sc_u(id, 331) * 5) + (16 + 2 * pg_temp.sc_u(id, 332)) / 24 END AS t6qe
    FROM t
    OFFSET 0
), s AS (
    SELECT q.*,
           CASE WHEN t6qe > t5 THEN t6qe ELSE t6raw END AS t6,
           fate >= 4 AND pg_temp.sc_u(id, 340) < 0.12 AS reg,
           CASE WHEN fate >= 5 AND pg_temp.sc_u(id, 341) < 0.5 THEN 4 ELSE 3 END AS reg_r
    FROM q
    OFFSET 0
), c AS (
    SELECT s.*,
           (ARRAY[t2, t3, t4, t5, t6raw, t6])[fate] AS tc,
           CASE WHEN reg_r = 3 THEN t3 + 0.3 * d3 ELSE t4 + 0.3 * d4 END AS back_at,
           CASE WHEN reg_r = 3 THEN t3 + 0.6 * d3 ELSE t4 + 0.6 * d4 END AS again_at,
           fate >= 3 AND t3 < 696 AND pg_temp.sc_u(id, 342) < 0.08 AS skip2,
           fate >= 4 AND t4 < 696 AND pg_temp.sc_u(id, 343) < 0.05 AS skip3
    FROM s
    OFFSET 0
), n AS (
    SELECT c.*,
           tc < 696 AS closed,
           CASE WHEN tc < 696 THEN CASE WHEN fate = 6 THEN 6 ELSE 7 END
                WHEN reg AND back_at < 696 AND again_at >= 696 THEN reg_r - 1
                ELSE 1 + (fate >= 2 AND t2 < 696)::int + (fate >= 3 AND t3 < 696)::int
                       + (fate >= 4 AND t4 < 696)::int + (fate >= 5 AND t5 < 696)::int END AS stage_now
    FROM c
    OFFSET 0
)
SELECT n.*,
       CASE WHEN pg_temp.sc_u(id, 352) < CASE WHEN NOT closed AND stage_now <= 2 THEN 0.10 ELSE 0.015 END
            THEN NULL
            ELSE round(exp(ln((ARRAY[8000, 45000, 180000, 700000])[seg_i]) + 0.7 * pg_temp.sc_n(id, 351))::numeric, 2)
       END AS amount,
       CASE WHEN owned_by_bd THEN acct_owner_k
            ELSE :sc_rp_bd + floor(pg_temp.sc_u(id, 355) * :sc_rn_bd)::int END AS owner_k,
       CASE WHEN closed THEN (pg_temp.sc_ts(tc) AT TIME ZONE 'UTC')::date
            ELSE pg_temp.sc_date(t1 + sf * 71 * exp(0.3 * pg_temp.sc_n(id, 350))) END AS close_date,
       CASE WHEN closed AND fate < 6 AND pg_temp.sc_u(id, 353) >= 0.08 THEN
                (ARRAY['price', 'competitor', 'no budget', 'no decision', 'timing', 'requirements not met'])
                    [1 + floor(pg_temp.sc_u(id, 354) * 6)::int] END AS lost_reason
FROM n;
ALTER TABLE sc_opp ADD PRIMARY KEY (id);
-- Messy edge guaranteed at every scale: the first won deal has no amount.
UPDATE sc_opp SET amount = NULL
WHERE id = (SELECT min(id) FROM sc_opp WHERE closed AND fate = 6);
ANALYZE sc_opp;

INSERT INTO crm.opportunity (id, account_id, owner_rep_id, stage_id, amount, created_at, close_date,
                             is_won, is_closed, lost_reason)
SELECT o.id, o.account_id, p.rep_id, o.stage_now, o.amount, pg_temp.sc_ts(o.t1), o.close_date,
       o.closed AND o.fate = 6, o.closed, o.lost_reason
FROM sc_opp o JOIN sc_rep_pick p ON p.k = o.owner_k
ORDER BY o.id;

INSERT INTO crm.lead (id, account_id, source, created_at, converted_at, opportunity_id, owner_rep_id)
SELECT l.id, l.account_id,
       (ARRAY['web', 'referral', 'event', 'outbound', 'partner'])[l.src_i],
       pg_temp.sc_ts(l.created), pg_temp.sc_ts(l.conv_at), o.id, p.rep_id
FROM sc_lead l
LEFT JOIN sc_opp0 o ON o.lead_id = l.id
JOIN sc_rep_pick p ON p.k = l.owner_k
ORDER BY l.id;

-- Stage history: every stage reached, except skipped Qualified (8% of
-- deals that got past it) and Discovery (5%); 7% of deals that reached
-- Proposal fell back one stage and came back; Won or Lost closes it.
INSERT INTO crm.opportunity_stage_history (id, opportunity_id, stage_id, entered_at)
SELECT row_number() OVER (ORDER BY o.id, v.at, v.stage), o.id, v.stage, pg_temp.sc_ts(v.at)
FROM sc_opp o
CROSS JOIN LATERAL (VALUES (1, o.t1, true),
                           (2, o.t2, o.fate >= 2 AND NOT o.skip2),
                           (3, o.t3, o.fate >= 3 AND NOT o.skip3),
                           (4, o.t4, o.fate >= 4),
                           (5, o.t5, o.fate >= 5),
                           (6, o.t6, o.fate = 6),
                           (7, o.tc, o.fate < 6),
                           (o.reg_r - 1, o.back_at, o.reg),
                           (o.reg_r, o.again_at, o.reg)) v(stage, at, ok)
WHERE v.ok AND v.at < 696
ORDER BY 1;

-- ---------------------------------------------------------------------
-- Proposals: deals on non-SMB accounts that reached Proposal; 1 version
-- (50%), 2 (32%) or 3 (18%), spread over the Proposal stage.  Turnaround
-- log-normal around 70% of the due days (some late), 2% never delivered.
-- Earlier versions were sent back; the last one is accepted when the deal
-- reached Negotiation, rejected when it was lost at Proposal, else pending.
-- ---------------------------------------------------------------------
INSERT INTO crm.proposal (id, opportunity_id, account_id, presales_rep_id, requested_at, delivered_at,
                          due_days, version, submitted_at, accepted)
WITH p AS (
    SELECT o.id AS opp, o.account_id, o.fate, o.closed, o.t4, o.t5,
           CASE WHEN pg_temp.sc_u(o.id, 401) < 0.65 THEN 1
                WHEN pg_temp.sc_u(o.id, 401) < 0.90 THEN 2 ELSE 3 END AS nv,
           :sc_rp_pre + floor(pg_temp.sc_u(o.id, 406) * :sc_rn_pre)::int AS pre_k
    FROM sc_opp o
    WHERE o.fate >= 4 AND o.t4 < 696
      AND (o.seg_i >= 3 OR o.seg_i = 2 AND pg_temp.sc_u(o.id, 408) < 0.6)
    OFFSET 0
), v AS (
    SELECT p.*, g.k, p.opp::bigint * 4 + g.k AS key,
           p.t4 + (p.t5 - p.t4) * (g.k - 1) / p.nv AS req,
           p.t4 + (p.t5 - p.t4) * g.k / p.nv AS next_req,
           (ARRAY[5, 7, 10, 15])[1 + floor(pg_temp.sc_u(p.opp::bigint * 4 + g.k, 403) * 4)::int] AS due
    FROM p CROSS JOIN LATERAL generate_series(1, p.nv) g(k)
    OFFSET 0
), w AS (
    SELECT v.*,
           CASE WHEN pg_temp.sc_u(key, 405) >= 0.02 THEN req + due * 0.7 * exp(0.5 * pg_temp.sc_n(key, 404)) END AS deliv
    FROM v WHERE req < 696
    OFFSET 0
), x AS (
    SELECT w.*,
           CASE WHEN deliv < 696 THEN deliv END AS delivered,
           CASE WHEN deliv + 1.5 * pg_temp.sc_u(key, 407) < 696 THEN deliv + 1.5 * pg_temp.sc_u(key, 407) END AS submitted
    FROM w
    OFFSET 0
)
SELECT row_number() OVER (ORDER BY x.opp, x.k), x.opp, x.account_id, r.rep_id,
       pg_temp.sc_ts(x.req), pg_temp.sc_ts(x.delivered), x.due, x.k, pg_temp.sc_ts(x.submitted),
       CASE WHEN x.submitted IS NULL THEN NULL
            WHEN x.k < x.nv AND x.next_req < 696 THEN false
            WHEN x.fate >= 5 AND x.t5 < 696 THEN true
            WHEN x.closed AND x.fate = 4 THEN false END
FROM x JOIN sc_rep_pick r ON r.k = x.pre_k
ORDER BY 1;

-- ---------------------------------------------------------------------
-- Projects: about half of the won enterprise/government deals and a
-- fifth of the won key-account deals; start 1-4 weeks after the win,
-- 3-12 months long, 5-10 milestones.  35% of projects slip steadily (10-60%
-- of elapsed time); PMO reviews every week or every two weeks.
-- ---------------------------------------------------------------------
CREATE TEMP TABLE sc_proj ON COMMIT DROP AS
WITH c AS (
    SELECT o.id AS opp, o.account_id, o.t6
    FROM sc_opp o
    WHERE o.closed AND o.fate = 6 AND o.seg_i >= 3
      AND pg_temp.sc_u(o.id, 501) < CASE WHEN o.seg_i = 4 THEN 0.45 ELSE 0.18 END
    OFFSET 0
), p AS (
    SELECT row_number() OVER (ORDER BY opp)::int AS id, c.*,
           floor(c.t6) + 7 + floor(pg_temp.sc_u(c.opp, 502) * 22) AS start_day,
           90 + floor(pg_temp.sc_u(c.opp, 503) * 271) AS dur,
           pg_temp.sc_u(c.opp, 505) < 0.35 AS late,
           CASE WHEN pg_temp.sc_u(c.opp, 507) < 0.6 THEN 14 ELSE 7 END AS cadence,
           5 + floor(pg_temp.sc_u(c.opp, 508) * 6)::int AS nm
    FROM c
    OFFSET 0
)
SELECT p.*,
       CASE WHEN late THEN 0.1 + 0.5 * pg_temp.sc_u(opp, 506) ELSE 0 END AS slip_rate,
       sum(nm) OVER (ORDER BY id) - nm + 1 AS m_first
FROM p;

INSERT INTO crm.project (id, account_id, opportunity_id, name, pmo_rep_id, start_date, baseline_finish)
SELECT p.id, p.account_id, p.opp,
       a.name || ': ' || (ARRAY['ERP rollout', 'data platform', 'smart operations', 'network upgrade',
                                'CRM implementation', 'digital services portal', 'plant automation',
                                'cloud migration'])[1 + floor(pg_temp.sc_u(p.opp, 509) * 8)::int],
       r.rep_id, pg_temp.sc_date(p.start_day), pg_temp.sc_date(p.start_day + p.dur)
FROM sc_proj p
JOIN sc_acct a ON a.id = p.account_id
JOIN sc_rep_pick r ON r.k = :sc_rp_pmo + floor(pg_temp.sc_u(p.opp, 504) * :sc_rn_pmo)::int
ORDER BY p.id;

-- Milestone k of n is planned at start + dur * (k - 1) / (n - 1); it
-- happens (true date) slip_rate * (planned - start) days late, give or
-- take a few days; actual_date is shown once that date has passed.
CREATE TEMP TABLE sc_ms ON COMMIT DROP AS
WITH m AS (
    SELECT p.m_first + g.k - 1 AS id, p.id AS project_id, g.k AS seq, p.nm, p.start_day, p.cadence, p.late,
           p.start_day + round(p.dur * (g.k - 1) / (p.nm - 1)) AS b_day, p.slip_rate
    FROM sc_proj p CROSS JOIN LATERAL generate_series(1, p.nm) g(k)
    OFFSET 0
), s AS (
    SELECT m.*,
           round(slip_rate * (b_day - start_day))
           + CASE WHEN late THEN floor(pg_temp.sc_u(id, 551) * 5) - 1
                  ELSE floor(pg_temp.sc_u(id, 551) * 4) - 2 END AS slip,
           0.5 + pg_temp.sc_u(id, 552) AS raw_w
    FROM m
    OFFSET 0
)
SELECT s.*, greatest(b_day + slip, start_day) AS a_day,
       CASE WHEN pg_temp.sc_u(id, 553) >= 0.03
            THEN round((raw_w / sum(raw_w) OVER (PARTITION BY project_id))::numeric, 4) END AS weight
FROM s;

INSERT INTO crm.milestone (id, project_id, name, seq, baseline_date, actual_date, weight)
SELECT id, project_id,
       (ARRAY['Kick-off', 'Requirements signed off', 'Solution design approved', 'Environment ready',
              'Build complete', 'Integration tested', 'Data migrated', 'User acceptance', 'Go-live',
              'Hypercare closed'])[1 + round((seq - 1) * 9.0 / (nm - 1))::int],
       seq, pg_temp.sc_date(b_day), CASE WHEN a_day <= 695 THEN pg_temp.sc_date(a_day) END, weight
FROM sc_ms
ORDER BY id;

-- PMO reviews on start + cadence * j, while the milestone is open and up
-- to today; the forecast drifts linearly from the baseline to the true
-- date, with a day of noise in a quarter of the reports.
INSERT INTO crm.milestone_forecast (milestone_id, reported_on, forecast_date)
SELECT m.id, pg_temp.sc_date(m.start_day + m.cadence * g.j),
       pg_temp.sc_date(m.b_day
                       + round((m.a_day - m.b_day) * (m.cadence * g.j) / greatest(m.a_day - m.start_day, 1))
                       + CASE WHEN pg_temp.sc_u(m.id::bigint * 1000 + g.j, 581) < 0.25
                              THEN floor(pg_temp.sc_u(m.id::bigint * 1000 + g.j, 582) * 3) - 1 ELSE 0 END)
FROM sc_ms m
CROSS JOIN LATERAL generate_series(1, floor((least(695, m.a_day - 1) - m.start_day) / m.cadence)::int) g(j)
ORDER BY 1, 2;

-- Referrals: 35% of won deals bring an introduction 10-130 days later.
INSERT INTO crm.referral (id, from_account_id, referred_account_id, bd_rep_id, referred_at)
WITH r AS (
    SELECT o.id, o.account_id, o.owner_k,
           o.t6 + 10 + 120 * pg_temp.sc_u(o.id, 603) AS at,
           1 + floor(pg_temp.sc_u(o.id, 602) * (:sc_n_acct - 1))::int AS ref
    FROM sc_opp o
    WHERE o.closed AND o.fate = 6 AND pg_temp.sc_u(o.id, 601) < 0.35
    OFFSET 0
)
SELECT row_number() OVER (ORDER BY r.id), r.account_id,
       CASE WHEN r.ref >= r.account_id THEN r.ref + 1 ELSE r.ref END, p.rep_id, pg_temp.sc_ts(r.at)
FROM r JOIN sc_rep_pick p ON p.k = r.owner_k
WHERE r.at < 696
ORDER BY 1;

-- ---------------------------------------------------------------------
-- Activities: 35% on target accounts (skewed: some targets get far more
-- attention), the rest on any account; seasonal business-hours times;
-- cold accounts' touches are squeezed before their cold date; never-
-- touched targets get none.  Kind, direction, outcome and rep role by
-- the table in doc/sample-crm.md.
-- ---------------------------------------------------------------------
INSERT INTO crm.activity (id, kind, direction, outcome, rep_id, account_id, contact_id, occurred_at)
WITH a AS (
    SELECT id,
           CASE WHEN pg_temp.sc_u(id, 701) < 0.35 AND :sc_an_tt > 0
                THEN :sc_ap_tt + floor(power(pg_temp.sc_u(id, 702), 1.5) * :sc_an_tt)::int
                ELSE :sc_ap_ta + floor(pg_temp.sc_u(id, 702) * :sc_an_ta)::int END AS acct_k,
           CASE WHEN pg_temp.sc_u(id, 704) < 0.45 THEN 1
                WHEN pg_temp.sc_u(id, 704) < 0.70 THEN 2
                WHEN pg_temp.sc_u(id, 704) < 0.82 THEN 3
                WHEN pg_temp.sc_u(id, 704) < 0.95 THEN 4 ELSE 5 END AS kind_i,
           pg_temp.sc_u(id, 705) AS u_dir,
           pg_temp.sc_u(id, 706) AS u_out,
           pg_temp.sc_u(id, 707) AS u_role
    FROM generate_series(1::bigint, :sc_n_act) id
    OFFSET 0
), b AS (
    SELECT a.*, d.d + (8 + 10 * pg_temp.sc_u(a.id, 708)) / 24 AS at0,
           CASE kind_i WHEN 1 THEN u_dir < 0.15 WHEN 2 THEN u_dir < 0.30 WHEN 5 THEN u_dir < 0.40
                       ELSE false END AS inbound,
           CASE WHEN kind_i = 1 THEN CASE WHEN u_out < 0.35 THEN 1 WHEN u_out < 0.50 THEN 2 WHEN u_out < 0.80 THEN 4
                                          WHEN u_out < 0.95 THEN 5 ELSE 6 END
                WHEN kind_i = 2 THEN CASE WHEN u_out < 0.55 THEN 3 WHEN u_out < 0.70 THEN 1 WHEN u_out < 0.90 THEN 4
                                          WHEN u_out < 0.97 THEN 5 ELSE 6 END
                WHEN kind_i IN (3, 4) THEN CASE WHEN u_out < 0.35 THEN 4 WHEN u_out < 0.75 THEN 5
                                                WHEN u_out < 0.90 THEN 6 ELSE 7 END
                ELSE CASE WHEN u_out < 0.60 THEN 4 WHEN u_out < 0.90 THEN 5 ELSE 6 END END AS out_i,
           CASE WHEN kind_i IN (1, 2, 5) THEN CASE WHEN u_role < 0.85 THEN 1 ELSE 2 END
                WHEN kind_i = 3 THEN CASE WHEN u_role < 0.70 THEN 2 ELSE 3 END
                ELSE CASE WHEN u_role < 0.80 THEN 2 WHEN u_role < 0.90 THEN 3 ELSE 4 END END AS role_i
    FROM a JOIN sc_day d ON d.b = floor(pg_temp.sc_u(a.id, 703) * 20000)::int
    OFFSET 0
)
SELECT b.id,
       (ARRAY['call', 'email', 'meeting', 'visit', 'event'])[b.kind_i],
       CASE WHEN b.inbound THEN 'inbound' ELSE 'outbound' END,
       (ARRAY['no_answer', 'left_message', 'sent', 'connected', 'needs_explored', 'qualified', 'declined'])
           [CASE WHEN b.inbound AND b.out_i <= 3 THEN 4 ELSE b.out_i END],
       r.rep_id, ac.id,
       CASE WHEN pg_temp.sc_u(b.id, 709) >= 0.12
            THEN ac.c_first + floor(pg_temp.sc_u(b.id, 710) * ac.c_n)::int END,
       pg_temp.sc_ts(CASE WHEN ac.cold_since IS NOT NULL AND b.at0 >= ac.cold_since
                          THEN b.at0 * ac.cold_since / 696 ELSE b.at0 END)
FROM b
JOIN sc_acct_pick ap ON ap.k = b.acct_k
JOIN sc_acct ac ON ac.id = ap.account_id
JOIN sc_rep_pick r ON r.k = (ARRAY[:sc_rp_sdr, :sc_rp_bd, :sc_rp_pre, :sc_rp_pmo])[b.role_i]
                            + floor(pg_temp.sc_u(b.id, 711)
                                    * (ARRAY[:sc_rn_sdr, :sc_rn_bd, :sc_rn_pre, :sc_rn_pmo])[b.role_i])::int
ORDER BY b.id;

-- ---------------------------------------------------------------------
-- Keys, foreign keys, indexes.
-- ---------------------------------------------------------------------
ALTER TABLE crm.team ADD PRIMARY KEY (id);
ALTER TABLE crm.rep ADD PRIMARY KEY (id);
ALTER TABLE crm.account ADD PRIMARY KEY (id);
ALTER TABLE crm.contact ADD PRIMARY KEY (id);
ALTER TABLE crm.stage ADD PRIMARY KEY (id);
ALTER TABLE crm.lead ADD PRIMARY KEY (id);
ALTER TABLE crm.opportunity ADD PRIMARY KEY (id);
ALTER TABLE crm.opportunity_stage_history ADD PRIMARY KEY (id);
ALTER TABLE crm.activity ADD PRIMARY KEY (id);
ALTER TABLE crm.proposal ADD PRIMARY KEY (id);
ALTER TABLE crm.project ADD PRIMARY KEY (id);
ALTER TABLE crm.milestone ADD PRIMARY KEY (id);
ALTER TABLE crm.milestone_forecast ADD PRIMARY KEY (milestone_id, reported_on);
ALTER TABLE crm.referral ADD PRIMARY KEY (id);

ALTER TABLE crm.stage ADD UNIQUE (name);
ALTER TABLE crm.stage ADD UNIQUE (sequence);
ALTER TABLE crm.proposal ADD UNIQUE (opportunity_id, version);
ALTER TABLE crm.project ADD UNIQUE (opportunity_id);
ALTER TABLE crm.milestone ADD UNIQUE (project_id, seq);
ALTER TABLE crm.lead ADD UNIQUE (opportunity_id);

ALTER TABLE crm.rep ADD FOREIGN KEY (team_id) REFERENCES crm.team;
ALTER TABLE crm.account ADD FOREIGN KEY (owner_rep_id) REFERENCES crm.rep;
ALTER TABLE crm.contact ADD FOREIGN KEY (account_id) REFERENCES crm.account;
ALTER TABLE crm.lead ADD FOREIGN KEY (account_id) REFERENCES crm.account;
ALTER TABLE crm.lead ADD FOREIGN KEY (opportunity_id) REFERENCES crm.opportunity;
ALTER TABLE crm.lead ADD FOREIGN KEY (owner_rep_id) REFERENCES crm.rep;
ALTER TABLE crm.opportunity ADD FOREIGN KEY (account_id) REFERENCES crm.account;
ALTER TABLE crm.opportunity ADD FOREIGN KEY (owner_rep_id) REFERENCES crm.rep;
ALTER TABLE crm.opportunity ADD FOREIGN KEY (stage_id) REFERENCES crm.stage;
ALTER TABLE crm.opportunity_stage_history ADD FOREIGN KEY (opportunity_id) REFERENCES crm.opportunity;
ALTER TABLE crm.opportunity_stage_history ADD FOREIGN KEY (stage_id) REFERENCES crm.stage;
ALTER TABLE crm.activity ADD FOREIGN KEY (rep_id) REFERENCES crm.rep;
ALTER TABLE crm.activity ADD FOREIGN KEY (account_id) REFERENCES crm.account;
ALTER TABLE crm.activity ADD FOREIGN KEY (contact_id) REFERENCES crm.contact;
ALTER TABLE crm.proposal ADD FOREIGN KEY (opportunity_id) REFERENCES crm.opportunity;
ALTER TABLE crm.proposal ADD FOREIGN KEY (account_id) REFERENCES crm.account;
ALTER TABLE crm.proposal ADD FOREIGN KEY (presales_rep_id) REFERENCES crm.rep;
ALTER TABLE crm.project ADD FOREIGN KEY (account_id) REFERENCES crm.account;
ALTER TABLE crm.project ADD FOREIGN KEY (opportunity_id) REFERENCES crm.opportunity;
ALTER TABLE crm.project ADD FOREIGN KEY (pmo_rep_id) REFERENCES crm.rep;
ALTER TABLE crm.milestone ADD FOREIGN KEY (project_id) REFERENCES crm.project;
ALTER TABLE crm.milestone_forecast ADD FOREIGN KEY (milestone_id) REFERENCES crm.milestone;
ALTER TABLE crm.referral ADD FOREIGN KEY (from_account_id) REFERENCES crm.account;
ALTER TABLE crm.referral ADD FOREIGN KEY (referred_account_id) REFERENCES crm.account;
ALTER TABLE crm.referral ADD FOREIGN KEY (bd_rep_id) REFERENCES crm.rep;

CREATE INDEX ON crm.rep (team_id);
CREATE INDEX ON crm.account (owner_rep_id);
CREATE INDEX ON crm.account (id) WHERE is_target;
CREATE INDEX ON crm.contact (account_id);
CREATE INDEX ON crm.lead (account_id);
CREATE INDEX ON crm.lead (created_at);
CREATE INDEX ON crm.lead (owner_rep_id);
CREATE INDEX ON crm.opportunity (account_id);
CREATE INDEX ON crm.opportunity (owner_rep_id);
CREATE INDEX ON crm.opportunity (stage_id);
CREATE INDEX ON crm.opportunity (close_date);
CREATE INDEX ON crm.opportunity_stage_history (opportunity_id, entered_at);
CREATE INDEX ON crm.opportunity_stage_history (entered_at);
CREATE INDEX ON crm.activity (account_id, occurred_at);
CREATE INDEX ON crm.activity (rep_id, occurred_at);
CREATE INDEX ON crm.activity (occurred_at);
CREATE INDEX ON crm.proposal (presales_rep_id);
CREATE INDEX ON crm.proposal (account_id);
CREATE INDEX ON crm.project (account_id);
CREATE INDEX ON crm.referral (from_account_id);
CREATE INDEX ON crm.referral (bd_rep_id);

ANALYZE crm.team, crm.rep, crm.account, crm.contact, crm.stage, crm.lead, crm.opportunity,
        crm.opportunity_stage_history, crm.activity, crm.proposal, crm.project, crm.milestone,
        crm.milestone_forecast, crm.referral;

COMMIT;

\set ECHO :sample_crm_echo
\set QUIET :sample_crm_quiet
\set ON_ERROR_STOP :sample_crm_stop
\unset sample_crm_echo
\unset sample_crm_quiet
\unset sample_crm_stop
\unset sample_crm_seed_ok
\unset sample_crm_scale_ok
\unset sc_an_big
\unset sc_an_nt
\unset sc_an_ta
\unset sc_an_to
\unset sc_an_tt
\unset sc_ap_big
\unset sc_ap_ta
\unset sc_ap_to
\unset sc_ap_tt
\unset sc_n_acct
\unset sc_n_act
\unset sc_n_conv
\unset sc_n_direct
\unset sc_n_lead
\unset sc_n_rep
\unset sc_n_team
\unset sc_rn_bd
\unset sc_rn_pmo
\unset sc_rn_pre
\unset sc_rn_sdr
\unset sc_rp_bd
\unset sc_rp_pmo
\unset sc_rp_pre
\unset sc_rp_sdr
