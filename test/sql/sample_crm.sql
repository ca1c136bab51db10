-- sample_crm: the sample CRM generator (test/data/sample_crm.sql) is
-- deterministic whatever the plan, a different seed gives different data,
-- sizes are plausible, and the data has the shape and the deliberately
-- messy rows doc/sample-crm.md promises.  Uses no salesplan object.
SET client_min_messages = warning;
SET extra_float_digits = 0;
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';

-- Row count and md5 of the ordered text of every table in schema crm.
CREATE FUNCTION pg_temp.crm_fingerprint()
RETURNS TABLE (tbl text, n bigint, md5 text) LANGUAGE plpgsql AS $$
DECLARE
    r record;
BEGIN
    FOR r IN SELECT c.relname FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace
             WHERE s.nspname = 'crm' AND c.relkind = 'r' ORDER BY c.relname LOOP
        tbl := r.relname;
        EXECUTE format('SELECT count(*), md5(coalesce(string_agg(t::text, %L ORDER BY t), %L)) FROM crm.%I t',
                       '|', '', r.relname) INTO n, md5;
        RETURN NEXT;
    END LOOP;
END $$;

-- Seed 7, default plans.
\set seed 7
\set scale 0.05
\set ECHO none
\i test/data/sample_crm.sql
\set ECHO all
CREATE TEMP TABLE seed7 AS SELECT * FROM pg_temp.crm_fingerprint();

-- Seed 8.
\set seed 8
\set ECHO none
\i test/data/sample_crm.sql
\set ECHO all
CREATE TEMP TABLE seed8 AS SELECT * FROM pg_temp.crm_fingerprint();

-- Seed 7 again, with other join methods and no parallelism, so the
-- rows come out of different plans in a different order, and in another
-- time zone (half-hour offset) and date style.
SET enable_hashjoin = off;
SET max_parallel_workers_per_gather = 0;
SET TimeZone = 'Asia/Kolkata';
SET DateStyle = 'German';
\set seed 7
\set ECHO none
\i test/data/sample_crm.sql
\set ECHO all
RESET enable_hashjoin;
RESET max_parallel_workers_per_gather;
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
CREATE TEMP TABLE seed7_again AS SELECT * FROM pg_temp.crm_fingerprint();

-- same seed, same rows: every table identical (14 tables)
SELECT count(*) AS tables,
       bool_and(r1.n = r2.n AND r1.md5 = r2.md5) AS identical
FROM seed7 r1 FULL JOIN seed7_again r2 USING (tbl);

-- another seed, other rows: every table differs except the fixed stage
-- list and the team names, which are not random
SELECT tbl, r1.n AS rows_seed_7, r3.n AS rows_seed_8, r1.md5 <> r3.md5 AS differs
FROM seed7 r1 JOIN seed8 r3 USING (tbl)
ORDER BY tbl;

-- Sizes at scale 0.05: leads 20,000 x 0.05 = 1,000, accounts 2,000 x 0.05
-- = 100, activities 60,000 x 0.05 = 3,000 exactly; teams and reps at their
-- floors (4 and 10); the rest emergent, within generous bounds around the
-- scale-1 sizes x 0.05 (contacts 6,000, opportunities 6,000, stage history
-- 24,000, proposals 1,450, projects 45, milestones 330, forecasts 2,600,
-- referrals 230).
SELECT r.tbl, r.n, r.n BETWEEN b.lo AND b.hi AS plausible
FROM seed7 r
JOIN (VALUES ('team', 4, 4), ('rep', 10, 10), ('account', 100, 100), ('lead', 1000, 1000),
             ('activity', 3000, 3000), ('stage', 7, 7), ('contact', 200, 400),
             ('opportunity', 240, 360), ('opportunity_stage_history', 900, 1500),
             ('proposal', 40, 110), ('project', 0, 8), ('milestone', 0, 60),
             ('milestone_forecast', 0, 600), ('referral', 3, 25)) b(tbl, lo, hi) USING (tbl)
ORDER BY r.tbl;

-- The data now in schema crm is seed 7.  Every declared foreign key is
-- valid, and plain anti-joins find no orphan (the list is empty).
SELECT count(*) AS foreign_keys, bool_and(convalidated) AS all_valid
FROM pg_constraint WHERE contype = 'f' AND connamespace = 'crm'::regnamespace;
SELECT fk, orphans FROM (
    SELECT 'rep.team_id' AS fk, count(*) AS orphans FROM crm.rep x WHERE NOT EXISTS (SELECT FROM crm.team y WHERE y.id = x.team_id)
    UNION ALL SELECT 'account.owner_rep_id', count(*) FROM crm.account x WHERE NOT EXISTS (SELECT FROM crm.rep y WHERE y.id = x.owner_rep_id)
    UNION ALL SELECT 'contact.account_id', count(*) FROM crm.contact x WHERE NOT EXISTS (SELECT FROM crm.account y WHERE y.id = x.account_id)
    UNION ALL SELECT 'lead.account_id', count(*) FROM crm.lead x WHERE x.account_id IS NOT NULL AND NOT EXISTS (SELECT FROM crm.account y WHERE y.id = x.account_id)
    UNION ALL SELECT 'lead.opportunity_id', count(*) FROM crm.lead x WHERE x.opportunity_id IS NOT NULL AND NOT EXISTS (SELECT FROM crm.opportunity y WHERE y.id = x.opportunity_id)
    UNION ALL SELECT 'lead.owner_rep_id', count(*) FROM crm.lead x WHERE NOT EXISTS (SELECT FROM crm.rep y WHERE y.id = x.owner_rep_id)
    UNION ALL SELECT 'opportunity.account_id', count(*) FROM crm.opportunity x WHERE NOT EXISTS (SELECT FROM crm.account y WHERE y.id = x.account_id)
    UNION ALL SELECT 'opportunity.owner_rep_id', count(*) FROM crm.opportunity x WHERE NOT EXISTS (SELECT FROM crm.rep y WHERE y.id = x.owner_rep_id)
    UNION ALL SELECT 'opportunity.stage_id', count(*) FROM crm.opportunity x WHERE NOT EXISTS (SELECT FROM crm.stage y WHERE y.id = x.stage_id)
    UNION ALL SELECT 'history.opportunity_id', count(*) FROM crm.opportunity_stage_history x WHERE NOT EXISTS (SELECT FROM crm.opportunity y WHERE y.id = x.opportunity_id)
    UNION ALL SELECT 'history.stage_id', count(*) FROM crm.opportunity_stage_history x WHERE NOT EXISTS (SELECT FROM crm.stage y WHERE y.id = x.stage_id)
    UNION ALL SELECT 'activity.rep_id', count(*) FROM crm.activity x WHERE NOT EXISTS (SELECT FROM crm.rep y WHERE y.id = x.rep_id)
    UNION ALL SELECT 'activity.account_id', count(*) FROM crm.activity x WHERE NOT EXISTS (SELECT FROM crm.account y WHERE y.id = x.account_id)
    UNION ALL SELECT 'activity.contact_id', count(*) FROM crm.activity x WHERE x.contact_id IS NOT NULL AND NOT EXISTS (SELECT FROM crm.contact y WHERE y.id = x.contact_id)
    UNION ALL SELECT 'proposal.opportunity_id', count(*) FROM crm.proposal x WHERE NOT EXISTS (SELECT FROM crm.opportunity y WHERE y.id = x.opportunity_id)
    UNION ALL SELECT 'proposal.account_id', count(*) FROM crm.proposal x WHERE NOT EXISTS (SELECT FROM crm.account y WHERE y.id = x.account_id)
    UNION ALL SELECT 'proposal.presales_rep_id', count(*) FROM crm.proposal x WHERE NOT EXISTS (SELECT FROM crm.rep y WHERE y.id = x.presales_rep_id)
    UNION ALL SELECT 'project.account_id', count(*) FROM crm.project x WHERE NOT EXISTS (SELECT FROM crm.account y WHERE y.id = x.account_id)
    UNION ALL SELECT 'project.opportunity_id', count(*) FROM crm.project x WHERE NOT EXISTS (SELECT FROM crm.opportunity y WHERE y.id = x.opportunity_id)
    UNION ALL SELECT 'project.pmo_rep_id', count(*) FROM crm.project x WHERE NOT EXISTS (SELECT FROM crm.rep y WHERE y.id = x.pmo_rep_id)
    UNION ALL SELECT 'milestone.project_id', count(*) FROM crm.milestone x WHERE NOT EXISTS (SELECT FROM crm.project y WHERE y.id = x.project_id)
    UNION ALL SELECT 'milestone_forecast.milestone_id', count(*) FROM crm.milestone_forecast x WHERE NOT EXISTS (SELECT FROM crm.milestone y WHERE y.id = x.milestone_id)
    UNION ALL SELECT 'referral.from_account_id', count(*) FROM crm.referral x WHERE NOT EXISTS (SELECT FROM crm.account y WHERE y.id = x.from_account_id)
    UNION ALL SELECT 'referral.referred_account_id', count(*) FROM crm.referral x WHERE NOT EXISTS (SELECT FROM crm.account y WHERE y.id = x.referred_account_id)
    UNION ALL SELECT 'referral.bd_rep_id', count(*) FROM crm.referral x WHERE NOT EXISTS (SELECT FROM crm.rep y WHERE y.id = x.bd_rep_id)
) o WHERE orphans > 0 ORDER BY fk;

-- every table has a comment
SELECT c.relname AS uncommented_table FROM pg_class c
WHERE c.relnamespace = 'crm'::regnamespace AND c.relkind = 'r' AND obj_description(c.oid, 'pg_class') IS NULL
ORDER BY 1;

-- The funnel narrows stage by stage: opportunities whose deepest stage
-- (highest sequence in the history; Lost has none) is at least k.
WITH reached AS (
    SELECT h.opportunity_id, max(s.sequence) AS deepest
    FROM crm.opportunity_stage_history h JOIN crm.stage s ON s.id = h.stage_id
    GROUP BY h.opportunity_id
), f AS (
    SELECT s.sequence AS stage, s.name, count(r.opportunity_id) AS entered
    FROM crm.stage s LEFT JOIN reached r ON r.deepest >= s.sequence
    WHERE s.sequence IS NOT NULL
    GROUP BY s.sequence, s.name
)
SELECT stage, name, entered,
       entered < lag(entered) OVER (ORDER BY stage) AS fewer_than_before,
       entered = (SELECT count(*) FROM crm.opportunity) OR stage > 1 AS all_entered_new
FROM f ORDER BY stage;

-- Shape, consistency and the promised messy rows; every line must say t.
-- "today" is 2026-11-27; nothing happened after it.
WITH last_row AS (
    SELECT DISTINCT ON (opportunity_id) opportunity_id, stage_id
    FROM crm.opportunity_stage_history ORDER BY opportunity_id, entered_at DESC
), seqs AS (
    SELECT h.opportunity_id, s.sequence,
           lag(s.sequence) OVER (PARTITION BY h.opportunity_id ORDER BY h.entered_at) AS prev_sequence
    FROM crm.opportunity_stage_history h JOIN crm.stage s ON s.id = h.stage_id
    WHERE s.sequence IS NOT NULL
), skipped AS (
    SELECT opportunity_id FROM seqs GROUP BY opportunity_id
    HAVING count(DISTINCT sequence) < max(sequence)
), last_touch AS (
    SELECT a.id, max(t.occurred_at) AS last_at
    FROM crm.account a LEFT JOIN crm.activity t ON t.account_id = a.id
    WHERE a.is_target GROUP BY a.id
), checks(ord, name, ok) AS (VALUES
    (1, 'amounts are positive when present',
        NOT EXISTS (SELECT FROM crm.opportunity WHERE amount <= 0)),
    (2, 'some opportunities have no amount',
        EXISTS (SELECT FROM crm.opportunity WHERE amount IS NULL)),
    (3, 'some won opportunities have no amount',
        EXISTS (SELECT FROM crm.opportunity WHERE amount IS NULL AND is_won)),
    (4, 'open, won and lost opportunities exist',
        (SELECT count(DISTINCT CASE WHEN is_won THEN 'won' WHEN is_closed THEN 'lost' ELSE 'open' END) = 3
         FROM crm.opportunity)),
    (5, 'current stage = stage of the last history row',
        NOT EXISTS (SELECT FROM crm.opportunity o JOIN last_row l ON l.opportunity_id = o.id
                    WHERE l.stage_id <> o.stage_id)
        AND (SELECT count(*) FROM last_row) = (SELECT count(*) FROM crm.opportunity)),
    (6, 'is_won and is_closed agree with the stage',
        NOT EXISTS (SELECT FROM crm.opportunity o JOIN crm.stage s ON s.id = o.stage_id
                    WHERE o.is_won <> s.is_won OR o.is_closed <> (s.is_won OR s.is_lost))),
    (7, 'lost reasons only on lost deals, not on all of them',
        NOT EXISTS (SELECT FROM crm.opportunity WHERE lost_reason IS NOT NULL AND NOT (is_closed AND NOT is_won))
        AND EXISTS (SELECT FROM crm.opportunity WHERE is_closed AND NOT is_won AND lost_reason IS NULL)),
    (8, 'history starts at New when the opportunity is created',
        NOT EXISTS (SELECT FROM crm.opportunity o
                    WHERE (SELECT h.stage_id FROM crm.opportunity_stage_history h
                           WHERE h.opportunity_id = o.id ORDER BY h.entered_at LIMIT 1) <> 1
                       OR (SELECT min(h.entered_at) FROM crm.opportunity_stage_history h
                           WHERE h.opportunity_id = o.id) <> o.created_at)),
    (9, 'skipped stages exist',
        EXISTS (SELECT FROM skipped)),
    (10, 'stage regressions exist',
        EXISTS (SELECT FROM seqs WHERE sequence < prev_sequence)),
    (11, 'closed deals close on their last history day',
        NOT EXISTS (SELECT FROM crm.opportunity o JOIN crm.opportunity_stage_history h
                        ON h.opportunity_id = o.id AND h.stage_id IN (6, 7)
                    WHERE o.close_date <> (h.entered_at AT TIME ZONE 'UTC')::date)),
    (12, 'nothing happens after today',
        (SELECT max(x) < TIMESTAMPTZ '2026-11-28 00:00+00' FROM (
            SELECT max(created_at) AS x FROM crm.lead UNION ALL SELECT max(converted_at) FROM crm.lead
            UNION ALL SELECT max(entered_at) FROM crm.opportunity_stage_history
            UNION ALL SELECT max(occurred_at) FROM crm.activity
            UNION ALL SELECT max(submitted_at) FROM crm.proposal
            UNION ALL SELECT max(referred_at) FROM crm.referral) t)
        AND (SELECT max(actual_date) <= DATE '2026-11-27' FROM crm.milestone)
        AND (SELECT max(reported_on) <= DATE '2026-11-27' FROM crm.milestone_forecast)),
    (13, 'data starts in 2025',
        (SELECT min(created_at) >= TIMESTAMPTZ '2025-01-01 00:00+00' FROM crm.lead)),
    (14, 'converted leads point at an opportunity created at conversion',
        NOT EXISTS (SELECT FROM crm.lead l JOIN crm.opportunity o ON o.id = l.opportunity_id
                    WHERE o.created_at <> l.converted_at
                       OR (l.account_id IS NOT NULL AND o.account_id <> l.account_id))),
    (15, 'some leads have no account, some of them converted',
        EXISTS (SELECT FROM crm.lead WHERE account_id IS NULL)
        AND EXISTS (SELECT FROM crm.lead WHERE account_id IS NULL AND opportunity_id IS NOT NULL)),
    (16, 'some opportunities come from no lead',
        EXISTS (SELECT FROM crm.opportunity o WHERE NOT EXISTS (SELECT FROM crm.lead l WHERE l.opportunity_id = o.id))),
    (17, 'targets are about 10% of accounts',
        (SELECT count(*) FILTER (WHERE is_target) BETWEEN 5 AND 20 FROM crm.account)),
    (18, 'a target with unknown potential exists',
        EXISTS (SELECT FROM crm.account WHERE is_target AND potential_value IS NULL)),
    (19, 'a target without any opportunity exists',
        EXISTS (SELECT FROM crm.account a WHERE a.is_target
                AND NOT EXISTS (SELECT FROM crm.opportunity o WHERE o.account_id = a.id))),
    (20, 'cold targets exist (no touch for 90+ days)',
        EXISTS (SELECT FROM last_touch WHERE last_at IS NULL OR last_at < TIMESTAMPTZ '2026-11-27 00:00+00' - interval '90 days')),
    (21, 'a target touched once but cold now exists',
        EXISTS (SELECT FROM last_touch WHERE last_at < TIMESTAMPTZ '2026-11-27 00:00+00' - interval '90 days')),
    (22, 'a never-touched target exists',
        EXISTS (SELECT FROM last_touch WHERE last_at IS NULL)),
    (23, 'an activity''s contact works at the activity''s account',
        NOT EXISTS (SELECT FROM crm.activity t JOIN crm.contact c ON c.id = t.contact_id WHERE c.account_id <> t.account_id)),
    (24, 'some activities have no contact',
        EXISTS (SELECT FROM crm.activity WHERE contact_id IS NULL)),
    (25, 'reps have the role of their team',
        NOT EXISTS (SELECT FROM crm.rep r JOIN crm.team t ON t.id = r.team_id
                    WHERE t.kind <> CASE r.role WHEN 'SDR' THEN 'sales development' WHEN 'BD' THEN 'business development'
                                                WHEN 'presales' THEN 'presales' ELSE 'project office' END)),
    (26, 'proposal versions run 1..n and match the deal''s account',
        NOT EXISTS (SELECT FROM crm.proposal p GROUP BY p.opportunity_id HAVING max(p.version) <> count(*))
        AND NOT EXISTS (SELECT FROM crm.proposal p JOIN crm.opportunity o ON o.id = p.opportunity_id
                        WHERE o.account_id <> p.account_id)),
    (27, 'proposals go to presales reps',
        NOT EXISTS (SELECT FROM crm.proposal p JOIN crm.rep r ON r.id = p.presales_rep_id WHERE r.role <> 'presales')),
    (28, 'first-pass acceptance and rework both occur',
        EXISTS (SELECT FROM crm.proposal WHERE version = 1 AND accepted)
        AND EXISTS (SELECT FROM crm.proposal WHERE version = 1 AND NOT accepted)),
    (29, 'projects belong to won deals of the same account',
        NOT EXISTS (SELECT FROM crm.project p JOIN crm.opportunity o ON o.id = p.opportunity_id
                    WHERE NOT o.is_won OR o.account_id <> p.account_id)),
    (30, 'milestones run 1..n per project within its baseline',
        NOT EXISTS (SELECT FROM crm.milestone m GROUP BY m.project_id HAVING max(m.seq) <> count(*))
        AND NOT EXISTS (SELECT FROM crm.milestone m JOIN crm.project p ON p.id = m.project_id
                        WHERE m.baseline_date NOT BETWEEN p.start_date AND p.baseline_finish)),
    (31, 'referrals come from won accounts through BD reps',
        NOT EXISTS (SELECT FROM crm.referral f JOIN crm.rep r ON r.id = f.bd_rep_id WHERE r.role <> 'BD')
        AND NOT EXISTS (SELECT FROM crm.referral f WHERE NOT EXISTS (
                SELECT FROM crm.opportunity o WHERE o.account_id = f.from_account_id AND o.is_won)))
)
SELECT ord, name, ok FROM checks ORDER BY ord;

-- Distributions need more rows: seed 7 at scale 1 (under a second).
\set scale 1
\set ECHO none
\i test/data/sample_crm.sql
\set ECHO all

-- Stage pass rates fall stage by stage (generated 0.84, 0.76, 0.69, 0.63,
-- 0.57; open deals pull the later ones a little lower).
WITH reached AS (
    SELECT h.opportunity_id, max(s.sequence) AS deepest
    FROM crm.opportunity_stage_history h JOIN crm.stage s ON s.id = h.stage_id
    GROUP BY h.opportunity_id
), f AS (
    SELECT s.sequence AS stage, count(r.opportunity_id) AS entered
    FROM crm.stage s LEFT JOIN reached r ON r.deepest >= s.sequence
    WHERE s.sequence IS NOT NULL
    GROUP BY s.sequence
), c AS (
    SELECT stage, entered, lead(entered) OVER (ORDER BY stage)::float8 / entered AS pass_rate FROM f
)
SELECT stage, entered, round(pass_rate::numeric, 2) AS pass_rate,
       pass_rate < lag(pass_rate) OVER (ORDER BY stage) AS lower_than_before
FROM c ORDER BY stage;

SELECT
    -- amounts log-normal per segment: medians ordered by segment size
    (SELECT bool_and(med > prev) FROM (
        SELECT med, lag(med) OVER (ORDER BY ord) AS prev FROM (
            SELECT CASE a.segment WHEN 'SMB' THEN 1 WHEN 'mid-market' THEN 2 WHEN 'key account' THEN 3 ELSE 4 END AS ord,
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY o.amount) AS med
            FROM crm.opportunity o JOIN crm.account a ON a.id = o.account_id GROUP BY a.segment) m) x
     WHERE prev IS NOT NULL) AS medians_grow_with_segment,
    -- log-normal, so skewed right: mean above median
    (SELECT avg(amount) > percentile_cont(0.5) WITHIN GROUP (ORDER BY amount) FROM crm.opportunity o
     JOIN crm.account a ON a.id = o.account_id WHERE a.segment = 'SMB') AS right_skewed,
    -- seasonality: October busier than August, both years
    (SELECT count(*) FILTER (WHERE created_at >= '2025-10-01' AND created_at < '2025-11-01')
            > 1.5 * count(*) FILTER (WHERE created_at >= '2025-08-01' AND created_at < '2025-09-01')
        AND count(*) FILTER (WHERE created_at >= '2026-10-01' AND created_at < '2026-11-01')
            > 1.5 * count(*) FILTER (WHERE created_at >= '2026-08-01' AND created_at < '2026-09-01')
     FROM crm.lead) AS october_beats_august,
    -- end-of-quarter closing: over a quarter of won deals close in the last
    -- 10 days of a quarter (11% of days)
    (SELECT count(*) FILTER (WHERE close_date > (date_trunc('quarter', close_date) + interval '3 months')::date - 11)
            > 0.25 * count(*) FROM crm.opportunity WHERE is_won) AS quarter_end_rush,
    -- weekends are quiet
    (SELECT count(*) FILTER (WHERE extract(isodow FROM occurred_at) >= 6) < 0.05 * count(*)
     FROM crm.activity) AS quiet_weekends,
    (SELECT count(*) FROM crm.account WHERE is_target) BETWEEN 150 AND 250 AS targets_near_200;

-- Project paradigm: late milestones, reached and still open, on-time
-- ones, forecasts that slip steadily, and no forecast once reached.
SELECT (SELECT count(*) FROM crm.project) BETWEEN 25 AND 60 AS projects_near_40,
       EXISTS (SELECT FROM crm.milestone WHERE actual_date > baseline_date) AS reached_late,
       EXISTS (SELECT FROM crm.milestone WHERE actual_date IS NULL AND baseline_date < DATE '2026-11-27') AS overdue_open,
       EXISTS (SELECT FROM crm.milestone WHERE actual_date <= baseline_date) AS on_time,
       -- a milestone reviewed 4+ times whose last forecast is 10+ days
       -- after its first
       EXISTS (SELECT FROM crm.milestone_forecast f GROUP BY f.milestone_id
               HAVING count(*) >= 4
                  AND (array_agg(f.forecast_date ORDER BY f.reported_on DESC))[1]
                      - (array_agg(f.forecast_date ORDER BY f.reported_on))[1] >= 10) AS slips_steadily,
       NOT EXISTS (SELECT FROM crm.milestone m JOIN crm.milestone_forecast f ON f.milestone_id = m.id
                   WHERE f.reported_on >= m.actual_date OR f.reported_on > DATE '2026-11-27') AS no_forecast_after_reached;

DROP SCHEMA crm CASCADE;

-- A bad scale or seed fails loudly: psql -f stops with exit status 3 (the
-- script sets ON_ERROR_STOP itself), not 0 after printing the error.
\! out=$(psql -X -q -d contrib_regression -v scale=0 -f test/data/sample_crm.sql 2>&1); echo "exit status $?"; echo "$out" | sed -n 's/^.*ERROR: */ERROR: /p'
\! out=$(psql -X -q -d contrib_regression -v seed=1.5 -f test/data/sample_crm.sql 2>&1); echo "exit status $?"; echo "$out" | sed -n 's/^.*ERROR: */ERROR: /p'
