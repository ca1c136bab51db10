-- demo_coverage.sql: the behavior paradigm over the sample CRM schema "crm".
--
--   psql -X -f test/data/demo_coverage.sql            (defaults below)
--   psql -X -v period_start=2026-10-01 -v as_of=2026-11-27 -v keep_warm='30 days' -f ...
--
-- Reads crm.team, crm.rep, crm.account, crm.activity, crm.opportunity,
-- crm.proposal, crm.referral; writes nothing but temporary views.
-- The period is [period_start, as_of]; the ladder mapping is
-- salesplan.default_ladder_mapping() (pass your own to ladder_level).

\set ON_ERROR_STOP on
\if :{?period_start}
\else
\set period_start '2026-10-01'
\endif
\if :{?as_of}
\else
\set as_of '2026-11-27'
\endif
\if :{?keep_warm}
\else
\set keep_warm '30 days'
\endif
\pset null '-'
SET extra_float_digits = 0;

-- (run by make demo, which has created the extension)

-- The period as a half-open timestamp range: as_of is included as a whole day.
-- Its bounds are constants, read in the session's time zone when the view is
-- made (a literal cast to timestamptz is converted once, when it is parsed),
-- and that zone is kept with them for the expressions below that need one.
-- On Citus the workers, whatever their own time zone, then see the same
-- instants as a single node (doc/scaling.md).
SELECT (:'as_of'::date + 1)::text AS period_end_day, current_setting('TimeZone') AS session_zone \gset
CREATE TEMP VIEW period AS
SELECT :'period_start'::date AS first_day,
       :'period_end_day'::date AS end_day,
       :'period_start'::timestamptz AS period_start,
       :'period_end_day'::timestamptz AS period_end,
       :'period_end_day'::timestamptz AS as_of,
       :'keep_warm'::interval AS keep_warm,
       :'session_zone'::text AS time_zone;

-- Evidence: every CRM row that shows how far an account got, as (kind, outcome, when).
--   activities     -> their kind and outcome (call:no_answer 0, call:connected 2, ...)
--   opportunities  -> opportunity:won 5 at the close date, opportunity:lost 3 at the
--                     close date, opportunity:open 3 while open (counted at as_of)
--   proposals      -> proposal:delivered 4 at delivery
CREATE TEMP VIEW evidence AS
SELECT a.account_id, a.kind, a.outcome, a.occurred_at, a.rep_id, a.contact_id
FROM crm.activity a
UNION ALL
SELECT o.account_id, 'opportunity',
       CASE WHEN o.is_won THEN 'won' WHEN o.is_closed THEN 'lost' ELSE 'open' END,
       CASE WHEN o.is_closed THEN timezone((SELECT time_zone FROM period), o.close_date::timestamp)
            ELSE greatest(o.created_at, (SELECT period_start FROM period)) END,
       o.owner_rep_id, NULL
FROM crm.opportunity o
UNION ALL
SELECT p.account_id, 'proposal', 'delivered', p.delivered_at, p.presales_rep_id, NULL
FROM crm.proposal p
WHERE p.delivered_at IS NOT NULL;

-- One row per TARGET account: its deepest level in the period (LEFT JOIN: untouched
-- accounts keep a NULL level, which coverage_agg counts as 0), its won value in the
-- period, its potential, and its touches up to as_of.
CREATE TEMP VIEW target_account AS
SELECT acc.id, acc.name, acc.territory, acc.segment, acc.owner_rep_id,
       acc.potential_value, acc.buying_center_size,
       lvl.level, won.won
FROM crm.account acc
CROSS JOIN period
LEFT JOIN LATERAL (
    SELECT max(salesplan.ladder_level(e.kind, e.outcome, salesplan.default_ladder_mapping())) AS level
    FROM evidence e
    WHERE e.account_id = acc.id
      AND e.occurred_at >= period.period_start AND e.occurred_at < period.period_end
) lvl ON true
LEFT JOIN LATERAL (
    SELECT sum(o.amount) AS won
    FROM crm.opportunity o
    WHERE o.account_id = acc.id AND o.is_won
      AND o.close_date >= period.first_day AND o.close_date < period.end_day
) won ON true
WHERE acc.is_target;

\echo
\echo '== Coverage and penetration by territory, period' :period_start 'to' :as_of
WITH t AS (
    SELECT territory, salesplan.coverage_agg(level, won, potential_value) AS c
    FROM target_account GROUP BY territory
), total AS (
    SELECT 'ALL' AS territory, salesplan.rollup(c) AS c FROM t
)
SELECT territory,
       salesplan.targets(c) AS targets,
       round(salesplan.coverage_rate(c)::numeric, 3) AS reached,
       round(salesplan.coverage_rate(c, 2)::numeric, 3) AS connected,
       round(salesplan.coverage_rate(c, 3)::numeric, 3) AS qualified,
       round(salesplan.signing_rate(c)::numeric, 3) AS signed,
       salesplan.won_value(c) AS won,
       salesplan.potential_value(c) AS potential,
       round(salesplan.penetration_rate(c)::numeric, 4) AS penetration
FROM (SELECT * FROM t UNION ALL SELECT * FROM total) s
ORDER BY territory = 'ALL', territory;

\echo
\echo '== Target accounts per ladder level (all territories)'
SELECT l.level, salesplan.ladder_name(l.level) AS name, l.accounts, round(l.share::numeric, 3) AS share
FROM (SELECT salesplan.coverage_agg(level, won, potential_value) AS c FROM target_account) s,
     salesplan.levels(s.c) l
ORDER BY l.level;

\echo
\echo '== The 10 coldest target accounts as of' :as_of ', keep warm' :keep_warm
WITH touch AS (
    SELECT ta.id, ta.name, ta.territory, ta.segment, ta.buying_center_size, ta.level,
           salesplan.touch_agg(e.occurred_at, e.contact_id) AS t
    FROM target_account ta
    CROSS JOIN period
    LEFT JOIN crm.activity e
           ON e.account_id = ta.id AND e.occurred_at < period.as_of
          AND salesplan.ladder_level(e.kind, e.outcome, salesplan.default_ladder_mapping()) >= 1
    GROUP BY ta.id, ta.name, ta.territory, ta.segment, ta.buying_center_size, ta.level
)
SELECT touch.id AS account_id, touch.name, touch.territory, touch.segment,
       coalesce(touch.level, 0) AS level,
       salesplan.touches(t) AS touches,
       salesplan.contacts_engaged(t) AS contacts,
       round(salesplan.contact_coverage(t, touch.buying_center_size)::numeric, 2) AS contact_cov,
       timezone(period.time_zone, salesplan.last_touch(t))::date AS last_touch,
       salesplan.days_since_last_touch(t, period.as_of) AS days_cold
FROM touch CROSS JOIN period
WHERE salesplan.is_cold(t, period.as_of, period.keep_warm)
ORDER BY salesplan.last_touch(t) NULLS FIRST, touch.id
LIMIT 10;

\echo
\echo '== Account coverage and signing per owner rep and team'
WITH per_rep AS (
    SELECT owner_rep_id, salesplan.coverage_agg(level, won, potential_value) AS c
    FROM target_account GROUP BY owner_rep_id
)
SELECT coalesce(tm.name, '(no team)') AS team, coalesce(r.name, '(unowned)') AS rep, r.role,
       salesplan.targets(p.c) AS targets,
       round(salesplan.coverage_rate(p.c)::numeric, 3) AS coverage_rate,
       round(salesplan.coverage_rate(p.c, 3)::numeric, 3) AS qualified_rate,
       round(salesplan.signing_rate(p.c)::numeric, 3) AS signing_rate
FROM per_rep p
LEFT JOIN crm.rep r ON r.id = p.owner_rep_id
LEFT JOIN crm.team tm ON tm.id = r.team_id
ORDER BY team, rep;

\echo
\echo '== SDR reach: target accounts each SDR (and the SDR team) reached in the period'
-- A team's rate is computed from the team's own activities per account (the deepest
-- level any of its SDRs reached), not by rolling up the reps' summaries: two SDRs
-- touching the same account would count it twice.
WITH sdr AS (
    SELECT r.id, r.name, r.team_id FROM crm.rep r WHERE r.role = 'SDR'
), unit AS (
    SELECT id AS rep_id, team_id, name AS label, false AS is_team FROM sdr
    UNION ALL
    SELECT DISTINCT NULL::int, team_id, '(team) ' || coalesce(t.name, '?'), true
    FROM sdr LEFT JOIN crm.team t ON t.id = sdr.team_id
), reached AS (
    SELECT u.label, u.is_team, ta.id AS account_id,
           max(salesplan.ladder_level(a.kind, a.outcome, salesplan.default_ladder_mapping())) AS level
    FROM unit u
    CROSS JOIN target_account ta
    CROSS JOIN period
    LEFT JOIN crm.activity a
           ON a.account_id = ta.id
          AND a.rep_id IN (SELECT id FROM sdr
                           WHERE (NOT u.is_team AND sdr.id = u.rep_id)
                              OR (u.is_team AND sdr.team_id IS NOT DISTINCT FROM u.team_id))
          AND a.occurred_at >= period.period_start AND a.occurred_at < period.period_end
    GROUP BY u.label, u.is_team, ta.id
)
SELECT label AS sdr, salesplan.targets(c) AS targets,
       round(salesplan.coverage_rate(c)::numeric, 3) AS reached,
       round(salesplan.coverage_rate(c, 2)::numeric, 3) AS connected,
       round(salesplan.coverage_rate(c, 3)::numeric, 3) AS handed_over
FROM (SELECT label, is_team, salesplan.coverage_agg(level, NULL, NULL) AS c
      FROM reached GROUP BY label, is_team) s
ORDER BY is_team, label;

\echo
\echo '== Presales: proposal first-pass and response rates (requests in the period)'
WITH per_rep AS (
    SELECT p.presales_rep_id,
           salesplan.proposal_agg(p.version, p.accepted, p.requested_at, p.delivered_at, p.due_days) AS s
    FROM crm.proposal p CROSS JOIN period
    WHERE p.requested_at >= period.period_start AND p.requested_at < period.period_end
    GROUP BY p.presales_rep_id
)
SELECT coalesce(r.name, '(all presales)') AS presales,
       salesplan.proposals_requested(s) AS requested,
       salesplan.proposals_delivered(s) AS delivered,
       salesplan.proposals_on_time(s) AS on_time,
       round(salesplan.response_rate(s)::numeric, 3) AS response_rate,
       salesplan.proposal_chains(s) AS first_submissions,
       salesplan.proposals_first_pass(s) AS first_pass,
       round(salesplan.first_pass_rate(s)::numeric, 3) AS first_pass_rate
FROM (SELECT presales_rep_id, s FROM per_rep
      UNION ALL
      SELECT NULL, salesplan.rollup(s) FROM per_rep) x
LEFT JOIN crm.rep r ON r.id = x.presales_rep_id
ORDER BY x.presales_rep_id IS NULL, r.name;

\echo
\echo '== Team rates per month: SDR coverage and BD signing over the target list, presales rates, BD referrals'
-- Each month is its own period (clipped to the demo period).  An opportunity still open
-- counts as evidence at the start of the period, so it lifts the first month only.
-- Months of the session's calendar, counted in local time (timestamp) and
-- turned into instants in the period's time zone: the same on Citus workers.
WITH month AS (
    SELECT timezone(period.time_zone, m) AS month_start,
           least(timezone(period.time_zone, m + interval '1 month'), period.period_end) AS month_end,
           greatest(timezone(period.time_zone, m), period.period_start) AS from_ts
    FROM period,
         generate_series(date_trunc('month', period.first_day::timestamp),
                         (period.end_day - 1)::timestamp, interval '1 month') m
), lvl AS (
    SELECT month.month_start, ta.id,
           max(salesplan.ladder_level(e.kind, e.outcome, salesplan.default_ladder_mapping())) AS level
    FROM month
    CROSS JOIN target_account ta
    LEFT JOIN evidence e
           ON e.account_id = ta.id AND e.occurred_at >= month.from_ts AND e.occurred_at < month.month_end
    GROUP BY month.month_start, ta.id
), cov AS (
    SELECT month_start, salesplan.coverage_agg(level, NULL, NULL) AS c FROM lvl GROUP BY month_start
), prop AS (
    SELECT month.month_start,
           salesplan.proposal_agg(p.version, p.accepted, p.requested_at, p.delivered_at, p.due_days) AS p
    FROM month
    JOIN crm.proposal p ON p.requested_at >= month.from_ts AND p.requested_at < month.month_end
    GROUP BY month.month_start
), ref AS (
    SELECT month.month_start, count(f.id) AS referrals
    FROM month
    LEFT JOIN crm.referral f ON f.referred_at >= month.from_ts AND f.referred_at < month.month_end
    GROUP BY month.month_start
)
SELECT to_char(cov.month_start, 'YYYY-MM') AS month,
       salesplan.targets(cov.c) AS targets,
       round(salesplan.coverage_rate(cov.c)::numeric, 3) AS reached,
       round(salesplan.coverage_rate(cov.c, 3)::numeric, 3) AS qualified,
       round(salesplan.signing_rate(cov.c)::numeric, 3) AS signed,
       round(salesplan.first_pass_rate(prop.p)::numeric, 3) AS first_pass_rate,
       round(salesplan.response_rate(prop.p)::numeric, 3) AS response_rate,
       ref.referrals
FROM cov
LEFT JOIN prop USING (month_start)
LEFT JOIN ref USING (month_start)
ORDER BY cov.month_start;

\echo
\echo '== BD referrals in the period'
SELECT r.name AS bd, count(f.id) AS referrals
FROM crm.rep r
CROSS JOIN period
LEFT JOIN crm.referral f
       ON f.bd_rep_id = r.id
      AND f.referred_at >= period.period_start AND f.referred_at < period.period_end
WHERE r.role = 'BD'
GROUP BY r.name
ORDER BY referrals DESC, r.name;
