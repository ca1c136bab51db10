-- presets_salesforce: salesplan.bind_salesforce over a Salesforce replica
-- in both naming styles (test/data/salesforce.sql): quoted names as
-- Salesforce spells them, and lower snake case as ELT connectors write
-- them, detected automatically.  Each call creates every view; every number
-- equals a plain-SQL computation over the raw replica (the oracles below),
-- and the two styles give the same numbers.  Closed Lost (SortOrder 10)
-- is never the won stage; soft deletes are left out; ids differ in type
-- (varchar(18) against char(18)); the session time zone is not UTC.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS salesplan;
SET extra_float_digits = 0;
SET TimeZone = 'Asia/Tokyo';
SET DateStyle = 'ISO, YMD';
\set SHOW_CONTEXT never
\set sf_schema 'SF'
\set sf_snake_schema 'sf_snake'
\set ECHO none
\i test/data/salesforce.sql
\set ECHO all
CREATE SCHEMA "SF Reports";

-- before the preset, a user wrote 21 lines of glue in 7 views; now: one
-- call per replica
SELECT * FROM salesplan.bind_salesforce('SF Reports', 'SF', target_field => 'Target__c', touch_role => 'SDR',
    period_start => '2024-01-01', period_end => '2025-01-01', as_of => '2024-06-30');
SELECT * FROM salesplan.bind_salesforce('SF Reports', 'sf_snake', prefix => 'sfs', target_field => 'target_c',
    touch_role => 'SDR', period_start => '2024-01-01', period_end => '2025-01-01', as_of => '2024-06-30');
SELECT name, kind, materialized, paradigm FROM salesplan.binding ORDER BY name;
SELECT c.relname, c.reloptions, obj_description(c.oid, 'pg_class') IS NOT NULL AS commented,
       count(*) FILTER (WHERE col_description(c.oid, a.attnum) IS NULL) AS uncommented_columns
FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0
WHERE c.relnamespace = '"SF Reports"'::regnamespace AND c.relname LIKE 'sf\_%'
GROUP BY c.oid, c.relname, c.reloptions ORDER BY c.relname;

-- stages: open ones by SortOrder, then Closed Won; Closed Lost (SortOrder
-- 10) is not a funnel stage, let alone the won one
SELECT * FROM "SF Reports".sf_src_stage ORDER BY stage_sequence;

-- ---------------------------------------------------------------------
-- oracle building blocks, from the raw quoted replica
-- ---------------------------------------------------------------------
SET search_path = "SF";
CREATE TEMP VIEW s_rank AS
SELECT s."MasterLabel" AS label, s."IsWon" AS is_won,
       CASE WHEN s."IsWon" THEN (SELECT count(*) FROM "OpportunityStage" x WHERE NOT x."IsClosed") + 1
            WHEN NOT s."IsClosed" THEN (SELECT count(*) FROM "OpportunityStage" x WHERE NOT x."IsClosed" AND x."SortOrder" <= s."SortOrder")
       END AS r
FROM "OpportunityStage" s;
CREATE TEMP VIEW s_opp AS
SELECT o."Id" AS id, r."Name" AS team, o."Amount" AS amount, o."AccountId"::text AS account,
       date_trunc('month', o."CreatedDate" AT TIME ZONE 'UTC')::date AS period, o."IsWon" AS w,
       o."IsClosed" AND NOT o."IsWon" AS lo,
       greatest(1, (SELECT max(CASE WHEN rk.is_won AND NOT o."IsWon" THEN rk.r - 1 ELSE rk.r END)
                    FROM (SELECT o."StageName" AS stage
                          UNION ALL SELECT h."StageName" FROM "OpportunityHistory" h
                                    WHERE h."OpportunityId" = o."Id" AND NOT h."IsDeleted") AS b
                    JOIN s_rank rk ON rk.label = b.stage)) AS reached
FROM "Opportunity" o LEFT JOIN "User" u ON u."Id" = o."OwnerId" LEFT JOIN "UserRole" r ON r."Id" = u."UserRoleId"
WHERE NOT o."IsDeleted";
SELECT * FROM s_opp ORDER BY id;

-- sf_pipeline
SELECT period, team, population, leads, won, revenue, aov, overall_conversion, unmapped, won_deals, lost_deals, win_rate
FROM "SF Reports".sf_pipeline ORDER BY period, team;
CREATE TEMP VIEW s_pipeline AS
SELECT period, team, count(*) AS population, count(*) AS leads, count(*) FILTER (WHERE w) AS won,
       coalesce(sum(amount) FILTER (WHERE w), 0) AS revenue,
       round(sum(amount) FILTER (WHERE w) / nullif(count(amount) FILTER (WHERE w), 0), 6) AS aov,
       round((count(*) FILTER (WHERE w))::numeric / count(*), 12) AS overall_conversion, 0 AS unmapped,
       count(*) FILTER (WHERE w) AS won_deals, count(*) FILTER (WHERE lo) AS lost_deals,
       round((count(*) FILTER (WHERE w))::numeric / nullif(count(*) FILTER (WHERE w OR lo), 0), 12) AS win_rate
FROM s_opp GROUP BY period, team;
CREATE TEMP VIEW v_pipeline AS
SELECT period, team, population, leads, won, revenue, round(aov, 6) AS aov, round(overall_conversion::numeric, 12) AS overall_conversion,
       unmapped, won_deals, lost_deals, round(win_rate::numeric, 12) AS win_rate FROM "SF Reports".sf_pipeline;
SELECT count(*) AS pipeline_differences FROM (
    (TABLE v_pipeline EXCEPT TABLE s_pipeline) UNION ALL (TABLE s_pipeline EXCEPT TABLE v_pipeline)) AS d;
-- won by IsWon: 2 (not 2 + the Closed Lost ones, as a stage table ranked
-- by SortOrder alone would say)
SELECT sum(won) AS won, sum(lost_deals) AS lost FROM "SF Reports".sf_pipeline;

-- sf_pipeline_stages
SELECT period, team, stage, stage_name, entered, advanced, amount FROM "SF Reports".sf_pipeline_stages ORDER BY period, team, stage;
CREATE TEMP VIEW s_stages AS
SELECT o.period, o.team, k.r AS stage, (SELECT rk.label FROM s_rank rk WHERE rk.r = k.r) AS stage_name,
       count(*) FILTER (WHERE o.reached >= k.r) AS entered,
       CASE WHEN k.r < 5 THEN count(*) FILTER (WHERE o.reached >= k.r + 1) END AS advanced,
       coalesce(sum(o.amount) FILTER (WHERE o.reached = k.r), 0) AS amount
FROM s_opp o CROSS JOIN generate_series(1, 5) AS k(r) GROUP BY o.period, o.team, k.r;
SELECT count(*) AS stages_differences FROM (
    (SELECT period, team, stage, stage_name, entered, advanced, amount FROM "SF Reports".sf_pipeline_stages EXCEPT TABLE s_stages)
    UNION ALL
    (TABLE s_stages EXCEPT SELECT period, team, stage, stage_name, entered, advanced, amount FROM "SF Reports".sf_pipeline_stages)) AS d;

-- sf_pipeline_stages, censoring-aware (from OpportunityHistory's dates in
-- UTC): stage k is entered on the first day at k or later and left on the
-- first day past k (Closed Lost is no stage); a lost one (IsClosed, not
-- IsWon) that did not advance ends on its CloseDate; the rest are open today
CREATE TEMP VIEW s_stage_rows AS
WITH r AS (
    SELECT o.id, o.period, o.team, o.lo, op."CloseDate" AS closed, k.k,
           min((h."CreatedDate" AT TIME ZONE 'UTC')::date) FILTER (WHERE x.r >= k.k) AS started,
           min((h."CreatedDate" AT TIME ZONE 'UTC')::date) FILTER (WHERE x.r > k.k) AS advanced
    FROM s_opp o JOIN "Opportunity" op ON op."Id" = o.id
    JOIN "OpportunityHistory" h ON h."OpportunityId" = o.id AND NOT h."IsDeleted"
    JOIN LATERAL (SELECT CASE WHEN rk.is_won AND NOT o.w THEN rk.r - 1 ELSE rk.r END AS r
                  FROM s_rank rk WHERE rk.label = h."StageName") AS x ON x.r IS NOT NULL
    CROSS JOIN generate_series(1, 4) AS k(k)
    GROUP BY o.id, o.period, o.team, o.lo, op."CloseDate", k.k)
SELECT period, team, k, CASE WHEN advanced IS NOT NULL THEN 'w' WHEN lo AND closed IS NULL THEN 'u'
                              WHEN lo THEN 'l' ELSE 'o' END AS st,
       coalesce(advanced, CASE WHEN lo THEN closed END, CURRENT_DATE) - started AS dur
FROM r WHERE started IS NOT NULL;
SELECT period, team, k, st, CASE WHEN st <> 'o' THEN dur END AS dur FROM s_stage_rows ORDER BY 1, 2, 3, 4, 5;  -- open: until today
-- Aalen-Johansen in plain SQL, as in presets_odoo
CREATE TEMP VIEW s_stage_open AS
WITH t AS (SELECT period, team, k, dur, count(*) FILTER (WHERE st = 'w') AS dw,
                  count(*) FILTER (WHERE st IN ('w', 'l')) AS d, count(*) AS here
           FROM s_stage_rows WHERE st <> 'u' GROUP BY period, team, k, dur),
a AS (SELECT t.*, sum(here) OVER (PARTITION BY period, team, k ORDER BY dur DESC) AS at_risk FROM t),
s AS (SELECT a.*, exp(coalesce(sum(CASE WHEN d < at_risk THEN ln(1 - d::float8 / at_risk) END)
                      OVER (PARTITION BY period, team, k ORDER BY dur ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0)) AS surv
      FROM a),
f AS (SELECT period, team, k, sum(surv * dw / at_risk) AS f FROM s GROUP BY period, team, k),
c AS (SELECT period, team, k, count(*) AS dated, count(*) FILTER (WHERE st = 'o') AS open,
             count(*) FILTER (WHERE st = 'u') AS undated FROM s_stage_rows GROUP BY period, team, k)
SELECT g.period, g.team, g.stage, coalesce(c.dated, 0) AS entered_dated, coalesce(c.open, 0) AS open_in_stage,
       CASE WHEN coalesce(c.undated, 0) = 0 THEN round(f.f::numeric, 12) END AS conversion_probability
FROM s_stages g LEFT JOIN c ON c.period = g.period AND c.team IS NOT DISTINCT FROM g.team AND c.k = g.stage
LEFT JOIN f ON f.period = g.period AND f.team IS NOT DISTINCT FROM g.team AND f.k = g.stage
WHERE g.stage < 5;
SELECT period, team, stage, entered, entered_dated, open_in_stage, round(conversion_probability::numeric, 6) AS conversion_probability
FROM "SF Reports".sf_pipeline_stages WHERE stage < 5 ORDER BY period, team, stage;
SELECT count(*) AS stages_open_differences FROM (
    (SELECT period, team, stage, entered_dated, open_in_stage, round(conversion_probability::numeric, 12)
     FROM "SF Reports".sf_pipeline_stages WHERE stage < 5 EXCEPT SELECT * FROM s_stage_open)
    UNION ALL
    (SELECT * FROM s_stage_open EXCEPT SELECT period, team, stage, entered_dated, open_in_stage,
            round(conversion_probability::numeric, 12) FROM "SF Reports".sf_pipeline_stages WHERE stage < 5)) AS d;
-- and the snake-case replica agrees
SELECT count(*) AS snake_stages_open_differences FROM (
    (SELECT period, team, stage, entered_dated, open_in_stage, conversion_probability FROM "SF Reports".sf_pipeline_stages
     EXCEPT SELECT period, team, stage, entered_dated, open_in_stage, conversion_probability FROM "SF Reports".sfs_pipeline_stages)
    UNION ALL
    (SELECT period, team, stage, entered_dated, open_in_stage, conversion_probability FROM "SF Reports".sfs_pipeline_stages
     EXCEPT SELECT period, team, stage, entered_dated, open_in_stage, conversion_probability FROM "SF Reports".sf_pipeline_stages)) AS d;

-- sf_stage_flow: OpportunityHistory's live rows in order, within 90 days
CREATE TEMP VIEW s_flow AS
WITH lvl AS (
    SELECT o.id, o.period, o.team,
           coalesce((SELECT salesplan.window_funnel(interval '90 days', h."CreatedDate",
                        (CASE WHEN rk.is_won AND NOT w THEN rk.r - 1 ELSE rk.r END)::int)
                     FROM "OpportunityHistory" h LEFT JOIN s_rank rk ON rk.label = h."StageName"
                     WHERE h."OpportunityId" = o.id AND NOT h."IsDeleted"), 0) AS level
    FROM s_opp o)
SELECT lvl.period, lvl.team, k.s AS step, count(*) AS entities, count(*) FILTER (WHERE lvl.level >= k.s) AS reached,
       CASE WHEN k.s < 5 THEN count(*) FILTER (WHERE lvl.level >= k.s + 1) END AS advanced
FROM lvl CROSS JOIN generate_series(1, 5) AS k(s) GROUP BY lvl.period, lvl.team, k.s;
SELECT period, team, step, step_name, entities, reached, advanced FROM "SF Reports".sf_stage_flow
WHERE step IN (1, 5) ORDER BY period, team, step;
SELECT count(*) AS flow_differences FROM (
    (SELECT period, team, step, entities, reached, advanced FROM "SF Reports".sf_stage_flow EXCEPT TABLE s_flow)
    UNION ALL
    (TABLE s_flow EXCEPT SELECT period, team, step, entities, reached, advanced FROM "SF Reports".sf_stage_flow)) AS d;

-- sf_targets: live accounts with Target__c; touches are completed tasks
-- and meetings of SDRs (open tasks are planned; deleted rows do not count)
CREATE TEMP VIEW s_touch AS
SELECT t."AccountId"::text AS account, coalesce(t."ActivityDate", (t."CreatedDate" AT TIME ZONE 'UTC')::date) AS d,
       t."TaskSubtype" = 'Call' AS two_way, t."WhoId"::text AS contact
FROM "Task" t JOIN "User" u ON u."Id" = t."OwnerId" JOIN "UserRole" r ON r."Id" = u."UserRoleId" AND r."Name" = 'SDR'
WHERE t."IsClosed" AND NOT t."IsDeleted"
UNION ALL
SELECT e."AccountId"::text, coalesce(e."ActivityDate", (e."StartDateTime" AT TIME ZONE 'UTC')::date), true, e."WhoId"::text
FROM "Event" e JOIN "User" u ON u."Id" = e."OwnerId" JOIN "UserRole" r ON r."Id" = u."UserRoleId" AND r."Name" = 'SDR'
WHERE NOT e."IsDeleted";
CREATE TEMP VIEW s_targets AS
SELECT a."Id"::text AS account_id,
       CASE WHEN EXISTS (SELECT 1 FROM s_opp o WHERE o.account = a."Id" AND o.w) THEN 5
            WHEN EXISTS (SELECT 1 FROM s_opp o WHERE o.account = a."Id") THEN 3
            WHEN EXISTS (SELECT 1 FROM s_touch t WHERE t.account = a."Id" AND t.two_way) THEN 2
            WHEN EXISTS (SELECT 1 FROM s_touch t WHERE t.account = a."Id") THEN 1 ELSE 0 END AS level,
       (SELECT count(*) FROM s_touch t WHERE t.account = a."Id") AS touches,
       (SELECT count(DISTINCT t.contact) FROM s_touch t WHERE t.account = a."Id") AS contacts,
       (SELECT max(t.d) FROM s_touch t WHERE t.account = a."Id") AS last_touch,
       (SELECT count(*) FROM s_opp o WHERE o.account = a."Id") AS opportunities,
       (SELECT coalesce(sum(o.amount) FILTER (WHERE o.w), 0) FROM s_opp o WHERE o.account = a."Id") AS won
FROM "Account" a WHERE a."Target__c" AND NOT a."IsDeleted";
SELECT account_id, level, touches, contacts, last_touch, opportunities, won FROM "SF Reports".sf_targets_accounts ORDER BY account_id;
SELECT count(*) AS targets_differences FROM (
    (SELECT account_id, level, touches, contacts, last_touch, opportunities, won FROM "SF Reports".sf_targets_accounts EXCEPT TABLE s_targets)
    UNION ALL
    (TABLE s_targets EXCEPT SELECT account_id, level, touches, contacts, last_touch, opportunities, won FROM "SF Reports".sf_targets_accounts)) AS d;
SELECT targets, round(coverage_rate::numeric, 6) AS coverage_rate, round(signing_rate::numeric, 6) AS signing_rate, won
FROM "SF Reports".sf_targets;
SELECT count(*) AS targets, round(avg((level >= 1)::int), 6) AS coverage_rate, round(avg((level = 5)::int), 6) AS signing_rate,
       sum(won) AS won FROM s_targets;
RESET search_path;

-- the snake-case replica (amounts as double precision, ids as text, and
-- rows only _fivetran_deleted marks) gives the same numbers
SELECT count(*) AS snake_differences FROM (
    (SELECT 'pipeline', period, team, population, won, revenue::numeric(18,2), lost_deals, NULL::int AS stage, NULL::bigint AS entered FROM "SF Reports".sf_pipeline
     UNION ALL SELECT 'stages', period, team, NULL, NULL, amount::numeric(18,2), NULL, stage, entered FROM "SF Reports".sf_pipeline_stages
     UNION ALL SELECT 'flow', period, team, entities, reached, NULL, advanced, step, NULL FROM "SF Reports".sf_stage_flow
     UNION ALL SELECT 'targets', NULL, account_id, touches, contacts, won::numeric(18,2), opportunities, level, NULL FROM "SF Reports".sf_targets_accounts)
    EXCEPT
    (SELECT 'pipeline', period, team, population, won, revenue::numeric(18,2), lost_deals, NULL::int, NULL::bigint FROM "SF Reports".sfs_pipeline
     UNION ALL SELECT 'stages', period, team, NULL, NULL, amount::numeric(18,2), NULL, stage, entered FROM "SF Reports".sfs_pipeline_stages
     UNION ALL SELECT 'flow', period, team, entities, reached, NULL, advanced, step, NULL FROM "SF Reports".sfs_stage_flow
     UNION ALL SELECT 'targets', NULL, account_id, touches, contacts, won::numeric(18,2), opportunities, level, NULL FROM "SF Reports".sfs_targets_accounts)) AS d;
SELECT (SELECT count(*) FROM "SF Reports".sf_pipeline_stages) AS quoted_rows, (SELECT count(*) FROM "SF Reports".sfs_pipeline_stages) AS snake_rows;

-- without touch_role every completed task and meeting counts; without
-- target_field every live account is a target
CREATE SCHEMA sf_all;
SELECT count(*) AS views FROM salesplan.bind_salesforce('sf_all', 'SF', prefix => 'all', as_of => '2024-06-30');
SELECT account_id, level, touches FROM sf_all.all_targets_accounts ORDER BY account_id;

-- errors
\set VERBOSITY default
SELECT * FROM salesplan.bind_salesforce('SF Reports', NULL);
SELECT * FROM salesplan.bind_salesforce('SF Reports', 'nowhere', prefix => 'x');
CREATE SCHEMA sf_both;
CREATE TABLE sf_both."Opportunity" (id int);
CREATE TABLE sf_both.opportunity (id int);
SELECT * FROM salesplan.bind_salesforce('SF Reports', 'sf_both', prefix => 'x');
DROP TABLE sf_both."Opportunity";
SELECT * FROM salesplan.bind_salesforce('SF Reports', 'sf_both', prefix => 'x', naming => 'salesforce');
SELECT * FROM salesplan.bind_salesforce('SF Reports', 'sf_both', prefix => 'x', naming => 'camel');
SELECT * FROM salesplan.bind_salesforce('SF Reports', 'sf_both', prefix => 'x');
SELECT * FROM salesplan.bind_salesforce('SF Reports', 'SF', prefix => 'x', target_field => 'Industry');
SELECT * FROM salesplan.bind_salesforce('SF Reports', 'SF', prefix => 'x', target_field => 'Target');
SELECT * FROM salesplan.bind_salesforce('SF Reports', 'SF', prefix => 'x', horizon => '0 days');
SELECT count(*) AS x_views FROM pg_class WHERE relname LIKE 'x\_%';

-- clean up
DISCARD TEMP;
SELECT count(*) AS unbound FROM salesplan.binding WHERE salesplan.unbind(name);
DROP SCHEMA "SF Reports", sf_all, sf_both, "SF", sf_snake CASCADE;
DROP EXTENSION salesplan;
