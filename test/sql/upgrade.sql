-- Upgrade from the oldest supported version.  Install salesplan 0.1, create
-- what a user has after using it (bindings of every kind, plain and
-- materialized; tables of stored states; a pg_cron refresh job), run
-- ALTER EXTENSION salesplan UPDATE, and check that
--   1. every binding regenerates and its views give the same rows as before,
--      and the binding rows and the refresh job are untouched;
--   2. every stored state reads through its accessors as it did before, and
--      as a state aggregated afresh from the same rows by the new code;
--   3. the extension's objects, their definitions and comments equal those of
--      a fresh install of the current version.
-- Each check prints only differences, so this file and its expected output
-- stay as they are while later upgrade steps land (doc/testing.md).
SET client_min_messages = warning;
CREATE EXTENSION salesplan VERSION '0.1';
CREATE EXTENSION pg_cron;
RESET client_min_messages;
SET extra_float_digits = 0;
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
\set SHOW_CONTEXT never
SELECT extversion FROM pg_extension WHERE extname = 'salesplan';

-- ---------------------------------------------------------------------
-- A small CRM: deals over three stages with their stage history, target
-- accounts with activities, opportunities and proposals, project milestones
-- with a forecast history.
-- ---------------------------------------------------------------------
CREATE SCHEMA up_crm;
CREATE TABLE up_crm.stage (id int PRIMARY KEY, name text, sequence int);
INSERT INTO up_crm.stage VALUES (10, 'lead', 1), (20, 'offer', 2), (30, 'won', 3);
CREATE TABLE up_crm.deal (id int PRIMARY KEY, stage_id int REFERENCES up_crm.stage, amount numeric(12, 2),
                          team text, account_id int, opened date, closed date);
-- 60 deals: stage by id % 3, teams a/b/NULL, amounts 100..400, opened over
-- two quarters; won deals closed 20 days after opening
INSERT INTO up_crm.deal
SELECT g, (ARRAY[10, 20, 30])[1 + g % 3], 100 * (1 + g % 4), (ARRAY['a', 'b', NULL])[1 + (g / 2) % 3],
       1 + g % 12, date '2024-01-01' + 3 * g, CASE WHEN g % 3 = 2 THEN date '2024-01-21' + 3 * g END
FROM generate_series(1, 60) AS g;
CREATE TABLE up_crm.deal_history (id int PRIMARY KEY, deal_id int, stage_id int, entered_at timestamptz);
-- each deal enters its stages one after another, (id % 5 + 1) * 2 days apart
INSERT INTO up_crm.deal_history
SELECT d.id * 10 + s.sequence, d.id, s.id,
       timestamptz '2024-01-01 09:00' + 3 * d.id * interval '1 day' + (s.sequence - 1) * (d.id % 5 + 1) * interval '2 days'
FROM up_crm.deal d JOIN up_crm.stage s ON s.sequence <= (SELECT sequence FROM up_crm.stage WHERE id = d.stage_id);
CREATE TABLE up_crm.account (id int PRIMARY KEY, team text, is_target boolean, potential numeric);
-- 15 accounts, targets 1..12, potential unknown for every 5th
INSERT INTO up_crm.account
SELECT i, CASE WHEN i % 2 = 0 THEN 'a' ELSE 'b' END, i <= 12, CASE WHEN i % 5 <> 0 THEN 5000 * i END
FROM generate_series(1, 15) AS i;
CREATE VIEW up_crm.target AS SELECT * FROM up_crm.account WHERE is_target;
CREATE TABLE up_crm.activity (id int PRIMARY KEY, account_id int, contact_id bigint, occurred date, two_way boolean);
-- accounts 1..9 get i % 4 activities, the second one a call
INSERT INTO up_crm.activity
SELECT i * 10 + t, i, i * 100 + t % 2, date '2024-02-01' + 7 * i + t, t = 2
FROM generate_series(1, 9) AS i CROSS JOIN LATERAL generate_series(1, i % 4) AS t;
CREATE TABLE up_crm.proposal (id int PRIMARY KEY, account_id int, version int, accepted boolean,
                              requested_at timestamptz, delivered_at timestamptz, due_days int);
INSERT INTO up_crm.proposal
SELECT p, 1 + p % 6, 1 + p % 2, p % 3 = 0, timestamptz '2024-03-01' + p * interval '1 day',
       CASE WHEN p % 4 <> 0 THEN timestamptz '2024-03-01' + p * interval '1 day' + (p % 5) * interval '1 day' END, 3
FROM generate_series(1, 14) AS p;
CREATE TABLE up_crm.milestone (id int PRIMARY KEY, project_id int, planned date, actual date, weight numeric);
-- 3 projects of 5 milestones a month apart; reached with a slip of
-- (id % 4 - 1) * 5 days while before 2024-05-15; milestone 7 unweighted
INSERT INTO up_crm.milestone
SELECT id, 1 + (id - 1) / 5, date '2024-01-15' + ((id - 1) % 5) * 30 + ((id - 1) / 5) * 7, NULL,
       CASE WHEN id = 7 THEN NULL ELSE 0.1 * (1 + id % 3) END
FROM generate_series(1, 15) AS id;
UPDATE up_crm.milestone SET actual = planned + (id % 4 - 1) * 5 WHERE planned + (id % 4 - 1) * 5 < date '2024-05-15';
CREATE TABLE up_crm.milestone_forecast (milestone_id int, reported_on date, forecast date);
INSERT INTO up_crm.milestone_forecast
SELECT m.id, date '2024-01-01' + w * 7, m.planned + w * (m.id % 3)
FROM up_crm.milestone m CROSS JOIN generate_series(0, 3) AS w;

-- ---------------------------------------------------------------------
-- Bindings of every kind, plain and materialized, and a refresh job
-- ---------------------------------------------------------------------
CREATE SCHEMA up_rep;
SELECT count(*) AS views FROM salesplan.bind_funnel('up_funnel', 'up_rep', 'up_crm.deal', 'stage_id',
    amount_column => 'amount', period_column => 'opened', period => 'quarter', dimensions => '{team}',
    stage_table => 'up_crm.stage', account_column => 'account_id',
    opened_column => 'opened', closed_date_column => 'closed');
SELECT count(*) AS views FROM salesplan.bind_funnel('up_funnel_mat', 'up_rep', 'up_crm.deal', 'stage_id',
    amount_column => 'amount', dimensions => '{team}', stage_table => 'up_crm.stage', materialized => true);
SELECT count(*) AS views FROM salesplan.bind_window_funnel('up_flow', 'up_rep', 'up_crm.deal_history',
    'deal_id', 'entered_at', 'stage_id', within => '14 days', stage_table => 'up_crm.stage');
SELECT count(*) AS views FROM salesplan.bind_window_funnel('up_flow_mat', 'up_rep', 'up_crm.deal_history',
    'deal_id', 'entered_at', 'stage_id', within => '14 days', stage_table => 'up_crm.stage', materialized => true);
SELECT count(*) AS views FROM salesplan.bind_coverage('up_cov', 'up_rep', 'up_crm.target', 'id',
    potential_column => 'potential', dimensions => '{team}',
    activities => 'up_crm.activity', activity_account => 'account_id', activity_date => 'occurred',
    activity_two_way => 'two_way', activity_contact => 'contact_id',
    opportunities => 'up_crm.deal', opportunity_account => 'account_id', opportunity_date => 'opened',
    opportunity_amount => 'amount', proposals => 'up_crm.proposal', proposal_account => 'account_id',
    proposal_date => 'requested_at', period_start => '2024-01-01', period_end => '2025-01-01', as_of => '2024-06-30');
SELECT count(*) AS views FROM salesplan.bind_coverage('up_cov_mat', 'up_rep', 'up_crm.target', 'id',
    potential_column => 'potential', activities => 'up_crm.activity', activity_account => 'account_id',
    activity_date => 'occurred', as_of => '2024-06-30', materialized => true);
SELECT count(*) AS views FROM salesplan.bind_milestones('up_ms', 'up_rep', 'up_crm.milestone', 'project_id',
    'planned', actual_column => 'actual', weight_column => 'weight', as_of => '2024-04-30',
    history_table => 'up_crm.milestone_forecast', history_key => 'milestone_id',
    history_reported => 'reported_on', history_forecast => 'forecast');
SELECT count(*) AS views FROM salesplan.bind_milestones('up_ms_mat', 'up_rep', 'up_crm.milestone', 'project_id',
    'planned', actual_column => 'actual', weight_column => 'weight', as_of => '2024-04-30', materialized => true);
-- a yearly schedule, so that the job does not fire during the test
SELECT salesplan.create_refresh_job('up_funnel_mat', '0 3 1 1 *') > 0 AS job_created;

-- ---------------------------------------------------------------------
-- Stored states of every type.  build_states(src) aggregates them from the
-- raw rows; read_states() reads every stored state (and the rollup of each
-- table) through every accessor.  Both are SQL functions with string bodies,
-- so they do not depend on salesplan's objects.
-- ---------------------------------------------------------------------
CREATE SCHEMA up_store;
CREATE TABLE up_store.funnel_state (src text, team text, f salesplan.funnel);
CREATE TABLE up_store.funnel_events_state (src text, deal_id int, d date, e salesplan.funnel_events);
CREATE TABLE up_store.coverage_state (src text, team text, c salesplan.coverage);
CREATE TABLE up_store.touches_state (src text, account_id int, t salesplan.touches);
CREATE TABLE up_store.proposals_state (src text, account_id int, p salesplan.proposals);
CREATE TABLE up_store.schedule_state (src text, project_id int, s salesplan.schedule);

CREATE FUNCTION up_store.build_states(src text) RETURNS void LANGUAGE sql AS $$
INSERT INTO up_store.funnel_state
SELECT src, d.team, salesplan.funnel_agg(s.sequence, d.amount, 3)
FROM up_crm.deal d JOIN up_crm.stage s ON s.id = d.stage_id GROUP BY d.team;
INSERT INTO up_store.funnel_events_state
SELECT src, h.deal_id, h.entered_at::date, salesplan.funnel_event_agg('14 days', h.entered_at, s.sequence)
FROM up_crm.deal_history h JOIN up_crm.stage s ON s.id = h.stage_id GROUP BY h.deal_id, h.entered_at::date;
INSERT INTO up_store.coverage_state
SELECT src, a.team,
       salesplan.coverage_agg((SELECT max(CASE WHEN x.two_way THEN 2 ELSE 1 END) FROM up_crm.activity x
                               WHERE x.account_id = a.id), NULL, a.potential)
FROM up_crm.target a GROUP BY a.team;
INSERT INTO up_store.touches_state
SELECT src, x.account_id, salesplan.touch_agg(x.occurred::timestamptz, x.contact_id)
FROM up_crm.activity x GROUP BY x.account_id;
INSERT INTO up_store.proposals_state
SELECT src, p.account_id, salesplan.proposal_agg(p.version, p.accepted, p.requested_at, p.delivered_at, p.due_days)
FROM up_crm.proposal p GROUP BY p.account_id;
INSERT INTO up_store.schedule_state
SELECT src, m.project_id, salesplan.schedule_agg(m.planned, m.actual, m.weight)
FROM up_crm.milestone m GROUP BY m.project_id;
$$;

CREATE FUNCTION up_store.read_states() RETURNS TABLE (src text, state text, key text, accessor text, value text)
LANGUAGE sql AS $$
WITH f AS (SELECT src, coalesce(team, '-') AS key, f FROM up_store.funnel_state
           UNION ALL SELECT src, 'rollup', salesplan.rollup(f) FROM up_store.funnel_state GROUP BY src),
e AS (SELECT src, deal_id::text AS key, salesplan.rollup(e) AS e FROM up_store.funnel_events_state GROUP BY src, deal_id),
c AS (SELECT src, team AS key, c FROM up_store.coverage_state
      UNION ALL SELECT src, 'rollup', salesplan.rollup(c) FROM up_store.coverage_state GROUP BY src),
t AS (SELECT src, account_id::text AS key, t FROM up_store.touches_state
      UNION ALL SELECT src, 'rollup', salesplan.rollup(t) FROM up_store.touches_state GROUP BY src),
p AS (SELECT src, account_id::text AS key, p FROM up_store.proposals_state
      UNION ALL SELECT src, 'rollup', salesplan.rollup(p) FROM up_store.proposals_state GROUP BY src),
s AS (SELECT src, project_id::text AS key, s FROM up_store.schedule_state
      UNION ALL SELECT src, 'rollup', salesplan.rollup(s) FROM up_store.schedule_state GROUP BY src)
SELECT src, 'funnel', key, a.accessor, a.value FROM f, LATERAL (VALUES
    ('population', salesplan.population(f)::text), ('leads', salesplan.leads(f)::text),
    ('won', salesplan.won(f)::text), ('priced_won', salesplan.priced_won(f)::text),
    ('revenue', salesplan.revenue(f)::text), ('aov', salesplan.aov(f)::text),
    ('overall_conversion', salesplan.overall_conversion(f)::text),
    ('conversion 1 3', salesplan.conversion(f, 1, 3)::text), ('stage_count', salesplan.stage_count(f)::text),
    ('declared_stages', salesplan.declared_stages(f)::text), ('entered', salesplan.entered(f)::text),
    ('conversions', salesplan.conversions(f)::text), ('amounts', salesplan.amounts(f)::text),
    ('stages', (SELECT string_agg(x::text, ';' ORDER BY x.stage) FROM salesplan.stages(f) x)),
    ('plan 10000', (SELECT string_agg(x::text, ';' ORDER BY x.stage) FROM salesplan.plan(f, 10000) x))) AS a(accessor, value)
UNION ALL
SELECT src, 'funnel_events', key, a.accessor, a.value FROM e, LATERAL (VALUES
    ('funnel_level', salesplan.funnel_level(e)::text),
    ('funnel_step_times_tz', salesplan.funnel_step_times_tz(e)::text)) AS a(accessor, value)
UNION ALL
SELECT src, 'coverage', key, a.accessor, a.value FROM c, LATERAL (VALUES
    ('targets', salesplan.targets(c)::text), ('coverage_rate', salesplan.coverage_rate(c)::text),
    ('coverage_rate 2', salesplan.coverage_rate(c, 2)::text), ('signing_rate', salesplan.signing_rate(c)::text),
    ('penetration_rate', salesplan.penetration_rate(c)::text), ('won_value', salesplan.won_value(c)::text),
    ('potential_value', salesplan.potential_value(c)::text),
    ('known_potential_accounts', salesplan.known_potential_accounts(c)::text),
    ('levels', (SELECT string_agg(x::text, ';' ORDER BY x.level) FROM salesplan.levels(c) x))) AS a(accessor, value)
UNION ALL
SELECT src, 'touches', key, a.accessor, a.value FROM t, LATERAL (VALUES
    ('touches', salesplan.touches(t)::text), ('contacts_engaged', salesplan.contacts_engaged(t)::text),
    ('contact_coverage 4', salesplan.contact_coverage(t, 4)::text),
    ('first_touch', salesplan.first_touch(t)::text), ('last_touch', salesplan.last_touch(t)::text),
    ('days_since_last_touch', salesplan.days_since_last_touch(t, '2024-06-30')::text),
    ('is_cold', salesplan.is_cold(t, '2024-06-30', '60 days')::text)) AS a(accessor, value)
UNION ALL
SELECT src, 'proposals', key, a.accessor, a.value FROM p, LATERAL (VALUES
    ('first_pass_rate', salesplan.first_pass_rate(p)::text), ('response_rate', salesplan.response_rate(p)::text),
    ('acceptance_rate', salesplan.acceptance_rate(p)::text),
    ('proposals_requested', salesplan.proposals_requested(p)::text),
    ('proposals_delivered', salesplan.proposals_delivered(p)::text), ('proposals_due', salesplan.proposals_due(p)::text),
    ('proposals_on_time', salesplan.proposals_on_time(p)::text), ('proposal_chains', salesplan.proposal_chains(p)::text),
    ('proposals_first_pass', salesplan.proposals_first_pass(p)::text),
    ('proposals_accepted', salesplan.proposals_accepted(p)::text)) AS a(accessor, value)
UNION ALL
SELECT src, 'schedule', key, a.accessor, a.value FROM s, LATERAL (VALUES
    ('planned_value', salesplan.planned_value(s, '2024-04-30')::text),
    ('earned_value', salesplan.earned_value(s, '2024-04-30')::text),
    ('schedule_variance', salesplan.schedule_variance(s, '2024-04-30')::text),
    ('spi', salesplan.spi(s, '2024-04-30')::text),
    ('earned_schedule_days', salesplan.earned_schedule_days(s, '2024-04-30')::text),
    ('spi_t', salesplan.spi_t(s, '2024-04-30')::text),
    ('schedule_variance_t', salesplan.schedule_variance_t(s, '2024-04-30')::text),
    ('forecast_finish', salesplan.forecast_finish(s, '2024-04-30')::text),
    ('on_time_rate', salesplan.on_time_rate(s, '2024-04-30')::text),
    ('slip_days', salesplan.slip_days(s, '2024-04-30')::text),
    ('late_milestones', salesplan.late_milestones(s, '2024-04-30')::text),
    ('total_weight', salesplan.total_weight(s)::text), ('milestone_count', salesplan.milestone_count(s)::text),
    ('project_start', salesplan.project_start(s)::text), ('planned_finish', salesplan.planned_finish(s)::text),
    ('milestones', (SELECT string_agg(x::text, ';' ORDER BY x::text) FROM salesplan.milestones(s) x))) AS a(accessor, value)
$$;

SELECT up_store.build_states('stored');

-- ---------------------------------------------------------------------
-- Everything the checks compare against, in tables of plain types (schema
-- up_keep): the generated views, the binding rows, the job, the readings.
-- diff(a, b) lists, per column of a, the values (as a multiset) that a and
-- b do not share.
-- ---------------------------------------------------------------------
CREATE SCHEMA up_keep;
CREATE TABLE up_keep.view_list AS
SELECT c.relname, c.relkind, 0::bigint AS row_count
FROM pg_class c WHERE c.relnamespace = 'up_rep'::regnamespace AND c.relkind IN ('v', 'm');
DO $$
DECLARE
    v name;
    n bigint;
BEGIN
    FOR v IN SELECT relname FROM up_keep.view_list LOOP
        EXECUTE format('CREATE TABLE up_keep.%I AS SELECT * FROM up_rep.%I', 'snap_' || v, v);
        EXECUTE format('SELECT count(*) FROM up_keep.%I', 'snap_' || v) INTO n;
        UPDATE up_keep.view_list SET row_count = n WHERE relname = v;
    END LOOP;
END
$$;
CREATE TABLE up_keep.binding_before AS SELECT * FROM salesplan.binding;
CREATE TABLE up_keep.job_before AS SELECT jobname, schedule, command, database, username, active FROM cron.job;
CREATE TABLE up_keep.read_before AS SELECT * FROM up_store.read_states();
CREATE FUNCTION up_keep.diff(a regclass, b regclass) RETURNS TABLE (col name, only_in_a bigint, only_in_b bigint)
LANGUAGE plpgsql AS $$
DECLARE
    c name;
BEGIN
    FOR c IN SELECT attname FROM pg_attribute WHERE attrelid = a AND attnum > 0 AND NOT attisdropped ORDER BY attnum LOOP
        col := c;
        EXECUTE format('SELECT (SELECT count(*) FROM (SELECT %1$I FROM %2$s EXCEPT ALL SELECT %1$I FROM %3$s) x),
                               (SELECT count(*) FROM (SELECT %1$I FROM %3$s EXCEPT ALL SELECT %1$I FROM %2$s) y)', c, a, b)
            INTO only_in_a, only_in_b;
        IF only_in_a > 0 OR only_in_b > 0 THEN
            RETURN NEXT;
        END IF;
    END LOOP;
END
$$;
-- non-vacuous: every kind of binding, plain and materialized, and every state
SELECT kind, materialized, count(*) AS bindings FROM salesplan.binding GROUP BY 1, 2 ORDER BY 1, 2;
SELECT relname, relkind, row_count > 0 AS has_rows FROM up_keep.view_list ORDER BY 1;
SELECT state, count(DISTINCT key) AS keys, count(*) FILTER (WHERE value IS NOT NULL) > 0 AS has_values
FROM up_keep.read_before GROUP BY 1 ORDER BY 1;

-- A view that calls plan_activities in its 0.1 form (reps and working_days
-- integer; bigint in 0.2) blocks the update with a message naming it, and
-- nothing changes; dropped, the update goes through, and recreated from its
-- saved definition it calls the new form and gives the same rows: 1234
-- leads at 5200 calls per 410 leads is 15651 calls, 1305 for each of 12
-- reps, 21.04 a day over 62 days.
CREATE VIEW up_keep.call_plan AS
SELECT * FROM salesplan.plan_activities(1234, ARRAY['call'], ARRAY[5200], 410, 12, 62);
SELECT * FROM up_keep.call_plan;
CREATE TABLE up_keep.call_plan_def AS SELECT pg_get_viewdef('up_keep.call_plan') AS def;
ALTER EXTENSION salesplan UPDATE;
SELECT extversion FROM pg_extension WHERE extname = 'salesplan';
DROP VIEW up_keep.call_plan;

-- ---------------------------------------------------------------------
-- The update
-- ---------------------------------------------------------------------
ALTER EXTENSION salesplan UPDATE;
DO $$ BEGIN EXECUTE 'CREATE VIEW up_keep.call_plan AS ' || (SELECT def FROM up_keep.call_plan_def); END $$;
SELECT * FROM up_keep.call_plan;
DROP VIEW up_keep.call_plan;
SELECT e.extversion = a.default_version AS at_default_version
FROM pg_extension e JOIN pg_available_extensions a ON a.name = e.extname WHERE e.extname = 'salesplan';

-- 1. Bindings: rows and job untouched; every binding regenerates; each view
-- that existed gives the same rows (new columns are not compared)
SELECT * FROM up_keep.diff('up_keep.binding_before', 'salesplan.binding');
SELECT * FROM up_keep.diff('up_keep.job_before', 'cron.job');
-- every binding carried over from 0.1 needs review (any role granted
-- UPDATE under 0.1 could have written its spec): regenerate() without a
-- name skips them; rebuilt by name, each is cleared
SELECT count(*) AS bindings, count(*) FILTER (WHERE needs_review) AS need_review FROM salesplan.binding;
SET client_min_messages = error;
SELECT count(*) AS regenerated_unnamed FROM salesplan.regenerate();
RESET client_min_messages;
SELECT count(*) > 0 AS regenerated FROM salesplan.binding b, LATERAL salesplan.regenerate(b.name) r;
SELECT count(*) FILTER (WHERE needs_review) AS still_need_review FROM salesplan.binding;
SELECT v.relname, d.*
FROM up_keep.view_list v, LATERAL up_keep.diff(format('up_keep.%I', 'snap_' || v.relname)::regclass,
                                               format('up_rep.%I', v.relname)::regclass) d
ORDER BY 1, 2;
SELECT v.relname AS view_gone FROM up_keep.view_list v
WHERE NOT EXISTS (SELECT 1 FROM pg_class c WHERE c.relnamespace = 'up_rep'::regnamespace
                  AND c.relname = v.relname AND c.relkind = v.relkind)
ORDER BY 1;
SELECT count(*) > 0 AS refreshed FROM salesplan.refresh();
SELECT * FROM up_keep.diff('up_keep.snap_up_funnel_mat', 'up_rep.up_funnel_mat');

-- 2. Stored states: the same readings as before the update, and as states
-- built afresh from the same rows by the new code
SELECT b.state, b.key, b.accessor, b.value AS before, n.value AS now
FROM up_keep.read_before b
FULL JOIN (SELECT * FROM up_store.read_states() WHERE src = 'stored') n USING (state, key, accessor)
WHERE b.value IS DISTINCT FROM n.value
ORDER BY 1, 2, 3;
SELECT up_store.build_states('fresh');
SELECT o.state, o.key, o.accessor, o.value AS stored, n.value AS fresh
FROM (SELECT * FROM up_store.read_states() WHERE src = 'stored') o
FULL JOIN (SELECT * FROM up_store.read_states() WHERE src = 'fresh') n USING (state, key, accessor)
WHERE o.value IS DISTINCT FROM n.value
ORDER BY 1, 2, 3;
-- stored states still print and read back
SELECT count(*) AS funnel_text_roundtrip_failures FROM up_store.funnel_state
WHERE f::text::salesplan.funnel::text <> f::text;

-- ---------------------------------------------------------------------
-- 3. The catalog: extension members, their definitions and comments, after
-- the update and after a fresh install of the current version.
-- ---------------------------------------------------------------------
CREATE FUNCTION up_keep.catalog() RETURNS TABLE (object text, aspect text, value text)
LANGUAGE sql AS $$
WITH m AS (
    SELECT d.classid, d.objid, d.objsubid, pg_describe_object(d.classid, d.objid, d.objsubid) AS object
    FROM pg_depend d
    WHERE d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e'
      AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'salesplan'))
SELECT m.object, 'member', NULL FROM m
UNION ALL
SELECT m.object, 'comment', obj_description(m.objid, m.classid::regclass::text) FROM m
UNION ALL
-- functions and procedures: the whole definition (arguments and defaults,
-- result, language, body or C symbol, volatility, strictness, parallel
-- safety, security, cost, rows, SET options), and privileges
SELECT m.object, 'definition', pg_get_functiondef(p.oid) || ' ACL ' || coalesce(p.proacl::text, '-')
FROM m JOIN pg_proc p ON m.classid = 'pg_proc'::regclass AND p.oid = m.objid AND p.prokind <> 'a'
UNION ALL
-- aggregates: pg_proc's flags and every column of pg_aggregate
SELECT m.object, 'definition',
       format('args %s; returns %s; parallel %s; volatile %s; strict %s; ACL %s; %s',
              pg_get_function_arguments(p.oid), pg_get_function_result(p.oid), p.proparallel,
              p.provolatile, p.proisstrict, coalesce(p.proacl::text, '-'),
              (SELECT row(a.aggkind, a.aggnumdirectargs, a.aggtransfn::regprocedure, a.aggfinalfn::regprocedure,
                          a.aggcombinefn::regprocedure, a.aggserialfn::regprocedure, a.aggdeserialfn::regprocedure,
                          a.aggmtransfn::regprocedure, a.aggminvtransfn::regprocedure, a.aggmfinalfn::regprocedure,
                          a.aggfinalextra, a.aggmfinalextra, a.aggfinalmodify, a.aggmfinalmodify,
                          a.aggsortop::regoperator, a.aggtranstype::regtype, a.aggtransspace,
                          a.aggmtranstype::regtype, a.aggmtransspace, a.agginitval, a.aggminitval)::text
               FROM pg_aggregate a WHERE a.aggfnoid = p.oid))
FROM m JOIN pg_proc p ON m.classid = 'pg_proc'::regclass AND p.oid = m.objid AND p.prokind = 'a'
UNION ALL
-- types
SELECT m.object, 'definition',
       row(t.typtype, t.typlen, t.typbyval, t.typalign, t.typstorage, t.typcategory, t.typispreferred,
           t.typdelim, t.typinput::regprocedure, t.typoutput::regprocedure, t.typreceive::regprocedure,
           t.typsend::regprocedure, t.typmodin::regprocedure, t.typmodout::regprocedure,
           t.typanalyze::regprocedure, t.typsubscript::regprocedure, t.typelem::regtype,
           t.typbasetype::regtype, t.typnotnull, t.typdefault, t.typcollation, t.typacl)::text
FROM m JOIN pg_type t ON m.classid = 'pg_type'::regclass AND t.oid = m.objid
UNION ALL
-- tables, views, sequences: kind, options, privileges, view query
SELECT m.object, 'definition',
       format('%s %s %s ACL %s %s', c.relkind, c.relpersistence, coalesce(c.reloptions::text, '-'),
              coalesce(c.relacl::text, '-'), CASE WHEN c.relkind IN ('v', 'm') THEN pg_get_viewdef(c.oid) END)
FROM m JOIN pg_class c ON m.classid = 'pg_class'::regclass AND c.oid = m.objid
UNION ALL
-- their columns: type, NOT NULL, default, comment
SELECT m.object || ' column ' || a.attname, 'definition',
       format('%s %s %s', format_type(a.atttypid, a.atttypmod), CASE WHEN a.attnotnull THEN 'NOT NULL' END,
              pg_get_expr(ad.adbin, ad.adrelid))
FROM m JOIN pg_attribute a ON m.classid = 'pg_class'::regclass AND a.attrelid = m.objid AND a.attnum > 0 AND NOT a.attisdropped
LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
UNION ALL
SELECT m.object || ' column ' || a.attname, 'comment', col_description(a.attrelid, a.attnum)
FROM m JOIN pg_attribute a ON m.classid = 'pg_class'::regclass AND a.attrelid = m.objid AND a.attnum > 0 AND NOT a.attisdropped
UNION ALL
-- their constraints and indexes
SELECT m.object || ' constraint ' || co.conname, 'definition', pg_get_constraintdef(co.oid)
FROM m JOIN pg_constraint co ON m.classid = 'pg_class'::regclass AND co.conrelid = m.objid
UNION ALL
SELECT m.object || ' index ' || i.indexrelid::regclass, 'definition', pg_get_indexdef(i.indexrelid)
FROM m JOIN pg_index i ON m.classid = 'pg_class'::regclass AND i.indrelid = m.objid
UNION ALL
-- the schema: privileges
SELECT m.object, 'definition', coalesce(n.nspacl::text, '-')
FROM m JOIN pg_namespace n ON m.classid = 'pg_namespace'::regclass AND n.oid = m.objid
UNION ALL
-- the extension: its schema, configuration tables (dumped by pg_dump) and comment
SELECT 'extension salesplan', 'definition',
       format('schema %s relocatable %s config %s %s', e.extnamespace::regnamespace, e.extrelocatable,
              e.extconfig::regclass[], e.extcondition)
FROM pg_extension e WHERE e.extname = 'salesplan'
UNION ALL
SELECT 'extension salesplan', 'comment', obj_description(e.oid, 'pg_extension')
FROM pg_extension e WHERE e.extname = 'salesplan'
UNION ALL
SELECT 'schema salesplan', 'comment', obj_description('salesplan'::regnamespace, 'pg_namespace')
$$;
CREATE TABLE up_keep.catalog_upgraded AS SELECT * FROM up_keep.catalog();

-- a fresh install of the current version, in the same database
SELECT salesplan.drop_refresh_job('up_funnel_mat') AS job_dropped;
SELECT count(*) FILTER (WHERE salesplan.unbind(name)) AS unbound FROM salesplan.binding;
DROP SCHEMA up_store CASCADE;
DROP EXTENSION salesplan;
CREATE EXTENSION salesplan;
CREATE TABLE up_keep.catalog_fresh AS SELECT * FROM up_keep.catalog();

SELECT aspect, count(*) > 0 AS compared FROM up_keep.catalog_fresh GROUP BY 1 ORDER BY 1;
SELECT 'after update only' AS side, object, aspect, value FROM
    (SELECT * FROM up_keep.catalog_upgraded EXCEPT SELECT * FROM up_keep.catalog_fresh) x
UNION ALL
SELECT 'fresh install only', object, aspect, value FROM
    (SELECT * FROM up_keep.catalog_fresh EXCEPT SELECT * FROM up_keep.catalog_upgraded) y
ORDER BY 2, 3, 1;

-- leave the database as found
DROP EXTENSION salesplan;
DROP EXTENSION pg_cron;
SET client_min_messages = warning;
DROP SCHEMA up_crm, up_rep, up_keep CASCADE;
