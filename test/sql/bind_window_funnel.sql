-- Windowed ordered funnels from a stage-history table (Salesforce-replica
-- "OpportunityHistory"), checked against plain SQL.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS salesplan;
RESET client_min_messages;
SET extra_float_digits = 0;
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
\set SHOW_CONTEXT never

CREATE SCHEMA "SF";
CREATE TABLE "SF"."Opportunity" ("Id" varchar(18) PRIMARY KEY, "OwnerId" varchar(18), "CreatedDate" timestamptz);
-- 40 opportunities created in January and February 2024, two owners
INSERT INTO "SF"."Opportunity"
SELECT '006' || lpad(i::text, 15, '0'), '005' || (i % 2), timestamptz '2024-01-01' + i * interval '36 hours'
FROM generate_series(1, 40) AS i;
CREATE TABLE "SF"."OpportunityHistory" ("Id" varchar(18) PRIMARY KEY, "OpportunityId" varchar(18),
                                        "StageName" text, "CreatedDate" timestamptz);
-- opportunity i passes through 1 + i % 5 of the four stages (capped at 4),
-- one stage every (i % 7 + 1) * 3 days; 'Closed Lost' rows map to no step;
-- opportunities 38..40 have no history at all
INSERT INTO "SF"."OpportunityHistory"
SELECT '008' || lpad((i * 10 + s)::text, 15, '0'), '006' || lpad(i::text, 15, '0'),
       CASE WHEN s > 4 THEN 'Closed Lost'
            ELSE (ARRAY['Prospecting', 'Qualification', 'Proposal/Price Quote', 'Closed Won'])[s] END,
       timestamptz '2024-01-01' + i * interval '36 hours' + (s - 1) * (i % 7 + 1) * interval '3 days'
FROM generate_series(1, 37) AS i CROSS JOIN LATERAL generate_series(1, 1 + i % 5) AS s;

CREATE SCHEMA "SF Reports";
SELECT * FROM salesplan.bind_window_funnel('fast_track', 'SF Reports', '"SF"."OpportunityHistory"',
    'OpportunityId', 'CreatedDate', 'StageName', within => '14 days',
    stage_order => ARRAY['Prospecting', 'Qualification', 'Proposal/Price Quote', 'Closed Won'],
    entity_table => '"SF"."Opportunity"', entity_key => 'Id', period_column => 'CreatedDate',
    dimensions => '{OwnerId}');

-- plain SQL: with one event per step at increasing times, the level of an
-- opportunity is the largest k such that steps 1..k all occur and step k
-- is at most 14 days after step 1
CREATE TEMP VIEW hist AS
SELECT h."OpportunityId", p.ord::int AS step, h."CreatedDate" AS ts
FROM "SF"."OpportunityHistory" h
JOIN unnest(ARRAY['Prospecting', 'Qualification', 'Proposal/Price Quote', 'Closed Won']) WITH ORDINALITY AS p(stage, ord)
  ON p.stage = h."StageName";
CREATE TEMP VIEW lvl AS
SELECT o."Id", date_trunc('month', o."CreatedDate")::date AS period, o."OwnerId",
       coalesce((SELECT max(k) FROM generate_series(1, 4) AS k
                 WHERE (SELECT count(*) FROM hist h WHERE h."OpportunityId" = o."Id" AND h.step <= k) = k
                   AND (SELECT max(h.ts) - min(h.ts) FROM hist h WHERE h."OpportunityId" = o."Id" AND h.step <= k)
                       <= interval '14 days'), 0) AS level
FROM "SF"."Opportunity" o;
CREATE TEMP VIEW wf_plain AS
SELECT l.period, l."OwnerId", k AS step, (ARRAY['Prospecting', 'Qualification', 'Proposal/Price Quote', 'Closed Won'])[k] AS step_name,
       count(*) AS entities, count(*) FILTER (WHERE l.level >= k) AS reached,
       CASE WHEN k < 4 THEN count(*) FILTER (WHERE l.level >= k + 1) END AS advanced,
       CASE WHEN k < 4 THEN count(*) FILTER (WHERE l.level >= k + 1) END::float8 / nullif(count(*) FILTER (WHERE l.level >= k), 0) AS conversion,
       (count(*) FILTER (WHERE l.level >= k))::float8 / nullif(count(*) FILTER (WHERE l.level >= 1), 0) AS cumulative
FROM lvl l CROSS JOIN generate_series(1, 4) AS k
GROUP BY l.period, l."OwnerId", k;
CREATE TEMP VIEW wf_view AS
SELECT period, "OwnerId", step, step_name, entities, reached, advanced, conversion, cumulative
FROM "SF Reports".fast_track;
SELECT (SELECT count(*) FROM wf_view) AS view_rows,
       (SELECT count(*) FROM (SELECT * FROM wf_view EXCEPT SELECT * FROM wf_plain) d) AS view_only,
       (SELECT count(*) FROM (SELECT * FROM wf_plain EXCEPT SELECT * FROM wf_view) d) AS plain_only;
SELECT level, count(*) FROM lvl GROUP BY level ORDER BY level;
SELECT * FROM wf_view WHERE period = '2024-01-01' ORDER BY "OwnerId", step;

-- history alone, materialized, strict_increase mode
SELECT * FROM salesplan.bind_window_funnel('all_time', 'SF Reports', '"SF"."OpportunityHistory"',
    'OpportunityId', 'CreatedDate', 'StageName', within => '30 days',
    stage_order => ARRAY['Prospecting', 'Qualification', 'Proposal/Price Quote', 'Closed Won'],
    mode => 'strict_increase', materialized => true);
SELECT step, step_name, entities, reached, advanced FROM "SF Reports".all_time ORDER BY step;
-- plain SQL with a 30-day window over the opportunities that have history
-- (times strictly increase in the data, so strict_increase changes nothing)
CREATE TEMP VIEW all_time_plain AS
SELECT k AS step, count(*) AS entities, count(*) FILTER (WHERE l.level >= k) AS reached
FROM (SELECT coalesce((SELECT max(k) FROM generate_series(1, 4) AS k
                       WHERE (SELECT count(*) FROM hist h WHERE h."OpportunityId" = o.id AND h.step <= k) = k
                         AND (SELECT max(h.ts) - min(h.ts) FROM hist h WHERE h."OpportunityId" = o.id AND h.step <= k)
                             <= interval '30 days'), 0) AS level
      FROM (SELECT DISTINCT "OpportunityId" AS id FROM "SF"."OpportunityHistory") AS o) AS l
CROSS JOIN generate_series(1, 4) AS k GROUP BY k;
SELECT (SELECT count(*) FROM (SELECT step, entities, reached FROM "SF Reports".all_time EXCEPT SELECT * FROM all_time_plain) d) AS view_only,
       (SELECT count(*) FROM (SELECT * FROM all_time_plain EXCEPT SELECT step, entities, reached FROM "SF Reports".all_time) d) AS plain_only;
SELECT c.relname, c.relkind, (SELECT count(*) FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0
          AND col_description(c.oid, a.attnum) IS NULL) AS uncommented_columns
FROM pg_class c WHERE c.relnamespace = '"SF Reports"'::regnamespace AND c.relkind IN ('v', 'm') ORDER BY c.relname;

-- errors
\set VERBOSITY sqlstate
SELECT salesplan.bind_window_funnel('e', 'SF Reports', '"SF"."OpportunityHistory"', 'OpportunityId',
    'CreatedDate', 'StageName', within => '0 days', stage_order => '{a}');
SELECT salesplan.bind_window_funnel('e', 'SF Reports', '"SF"."OpportunityHistory"', 'OpportunityId',
    'CreatedDate', 'StageName', within => '1 day', stage_order => '{a}', mode => 'strict_order,fast');
SELECT salesplan.bind_window_funnel('e', 'SF Reports', '"SF"."OpportunityHistory"', 'OpportunityId',
    'CreatedDate', 'Id', within => '1 day');
SELECT salesplan.bind_window_funnel('e', 'SF Reports', '"SF"."OpportunityHistory"', 'OpportunityId',
    'StageName', 'StageName', within => '1 day', stage_order => '{a}');
SELECT salesplan.bind_window_funnel('e', 'SF Reports', '"SF"."OpportunityHistory"', 'OpportunityId',
    'CreatedDate', 'StageName', within => '1 day', stage_order => '{a}', dimensions => '{OwnerId}');
\set VERBOSITY default
SELECT salesplan.bind_window_funnel('e', 'SF Reports', '"SF"."OpportunityHistory"', 'opportunityid',
    'CreatedDate', 'StageName', within => '1 day', stage_order => '{a}');

DROP VIEW wf_view;
SELECT salesplan.unbind('fast_track'), salesplan.unbind('all_time');
SET client_min_messages = warning;
DROP SCHEMA "SF Reports", "SF" CASCADE;
DROP EXTENSION salesplan;
