-- Coverage bindings over a Salesforce-replica-like schema: a target list of
-- "Account" rows, "Task" activities ("WhatId", "ActivityDate"),
-- "Opportunity" ("AccountId", "IsWon", "Amount", "CloseDate") and "Quote"
-- proposals; views checked against plain SQL.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS salesplan;
RESET client_min_messages;
SET extra_float_digits = 0;
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
\set SHOW_CONTEXT never

CREATE SCHEMA "SF";
CREATE TABLE "SF"."Account" ("Id" varchar(18) PRIMARY KEY, "Name" text, "OwnerId" varchar(18),
                             "Industry" text, "Is_Target__c" boolean, "Potential__c" numeric(18, 2));
-- 30 accounts, 24 of them targets (not those with i % 5 = 0); potential
-- unknown for every 7th; industries cycle with a NULL
INSERT INTO "SF"."Account"
SELECT '001' || lpad(i::text, 15, '0'), 'Account ' || i, '005' || (i % 2),
       (ARRAY['Energy', 'Retail', NULL])[1 + i % 3], i % 5 <> 0,
       CASE WHEN i % 7 = 0 THEN NULL ELSE 10000 * (1 + i % 4) END
FROM generate_series(1, 30) AS i;
CREATE TABLE "SF"."Task" ("Id" varchar(18) PRIMARY KEY, "WhatId" varchar(18), "WhoId" varchar(18),
                          "ActivityDate" date, "TaskSubtype" text);
-- accounts i <= 20 get i % 4 tasks, dated 2024-03-01 + 9 * i + t days;
-- the second task of each account is a call (two-way), the others emails;
-- contacts: '003' || (i * 10 + t % 2)
INSERT INTO "SF"."Task"
SELECT '00T' || lpad((i * 10 + t)::text, 15, '0'), '001' || lpad(i::text, 15, '0'),
       '003' || (i * 10 + t % 2), date '2024-03-01' + 9 * i + t,
       CASE WHEN t = 2 THEN 'Call' ELSE 'Email' END
FROM generate_series(1, 20) AS i CROSS JOIN LATERAL generate_series(1, i % 4) AS t;
CREATE TABLE "SF"."Opportunity" ("Id" varchar(18) PRIMARY KEY, "AccountId" varchar(18),
                                 "IsWon" boolean, "Amount" numeric(18, 2), "CloseDate" date);
-- one opportunity for accounts i % 3 = 0, won when i % 6 = 0, amount 1000 * i
INSERT INTO "SF"."Opportunity"
SELECT '006' || lpad(i::text, 15, '0'), '001' || lpad(i::text, 15, '0'), i % 6 = 0, 1000 * i,
       date '2024-04-01' + i
FROM generate_series(1, 30) AS i WHERE i % 3 = 0;
CREATE TABLE "SF"."Quote" ("Id" varchar(18) PRIMARY KEY, "OpportunityId" varchar(18), "CreatedDate" timestamptz);
-- quotes on the opportunities of accounts 9, 12, 15, 18
INSERT INTO "SF"."Quote"
SELECT '0Q0' || lpad(i::text, 15, '0'), '006' || lpad(i::text, 15, '0'), timestamptz '2024-04-10 10:00' + i * interval '1 day'
FROM generate_series(9, 18, 3) AS i;
-- the target list and the calls are views over the replica
CREATE VIEW "SF".target_account AS SELECT * FROM "SF"."Account" WHERE "Is_Target__c";
CREATE VIEW "SF".task_activity AS SELECT *, "TaskSubtype" = 'Call' AS two_way FROM "SF"."Task";
CREATE VIEW "SF".quote_account AS
SELECT q.*, o."AccountId" FROM "SF"."Quote" q JOIN "SF"."Opportunity" o ON o."Id" = q."OpportunityId";

CREATE SCHEMA "SF Reports";
SELECT * FROM salesplan.bind_coverage('key_accounts', 'SF Reports', '"SF".target_account', 'Id',
    potential_column => 'Potential__c', dimensions => '{OwnerId,Industry}',
    activities => '"SF".task_activity', activity_account => 'WhatId', activity_date => 'ActivityDate',
    activity_two_way => 'two_way', activity_contact => 'WhoId',
    opportunities => '"SF"."Opportunity"', opportunity_account => 'AccountId', opportunity_date => 'CloseDate',
    opportunity_won => 'IsWon', opportunity_amount => 'Amount',
    proposals => '"SF".quote_account', proposal_account => 'AccountId', proposal_date => 'CreatedDate',
    period_start => '2024-01-01', period_end => '2025-01-01', keep_warm_days => 30, as_of => '2024-06-30');

-- plain SQL: the deepest ladder level of each target account; activities
-- count up to as_of (2024-06-30), everything else over the whole of 2024
CREATE TEMP VIEW task AS SELECT * FROM "SF"."Task" WHERE "ActivityDate" <= '2024-06-30';
CREATE TEMP VIEW acc_plain AS
SELECT a."Id", a."OwnerId", a."Industry",
       CASE WHEN EXISTS (SELECT 1 FROM "SF"."Opportunity" o WHERE o."AccountId" = a."Id" AND o."IsWon") THEN 5
            WHEN EXISTS (SELECT 1 FROM "SF".quote_account q WHERE q."AccountId" = a."Id") THEN 4
            WHEN EXISTS (SELECT 1 FROM "SF"."Opportunity" o WHERE o."AccountId" = a."Id") THEN 3
            WHEN EXISTS (SELECT 1 FROM task t WHERE t."WhatId" = a."Id" AND t."TaskSubtype" = 'Call') THEN 2
            WHEN EXISTS (SELECT 1 FROM task t WHERE t."WhatId" = a."Id") THEN 1
            ELSE 0 END AS level,
       (SELECT count(*) FROM task t WHERE t."WhatId" = a."Id") AS touches,
       (SELECT count(DISTINCT t."WhoId") FROM task t WHERE t."WhatId" = a."Id") AS contacts,
       (SELECT max(t."ActivityDate") FROM task t WHERE t."WhatId" = a."Id") AS last_touch,
       coalesce((SELECT sum(o."Amount") FROM "SF"."Opportunity" o WHERE o."AccountId" = a."Id" AND o."IsWon"), 0) AS won,
       a."Potential__c" AS potential
FROM "SF"."Account" a WHERE a."Is_Target__c";
CREATE TEMP VIEW acc_view AS
SELECT "Id", "OwnerId", "Industry", level, touches, contacts, last_touch, won, potential
FROM "SF Reports".key_accounts_accounts;
SELECT (SELECT count(*) FROM acc_view) AS view_rows,
       (SELECT count(*) FROM (SELECT * FROM acc_view EXCEPT SELECT * FROM acc_plain) d) AS view_only,
       (SELECT count(*) FROM (SELECT * FROM acc_plain EXCEPT SELECT * FROM acc_view) d) AS plain_only;
SELECT level, count(*) AS accounts FROM acc_plain GROUP BY level ORDER BY level;
-- keep-warm at 2024-06-30 with a 30-day interval
SELECT "Id", last_touch, days_since_last_touch, cold,
       cold = (last_touch IS NULL OR date '2024-06-30' - last_touch > 30) AS cold_ok,
       penetration, penetration = (won / nullif(potential, 0))::float8 AS penetration_ok
FROM "SF Reports".key_accounts_accounts WHERE level > 0 ORDER BY "Id";

CREATE TEMP VIEW cov_plain AS
SELECT "OwnerId", "Industry", count(*) AS targets,
       (count(*) FILTER (WHERE level >= 1))::float8 / count(*) AS coverage_rate,
       (count(*) FILTER (WHERE level >= 2))::float8 / count(*) AS connected_rate,
       (count(*) FILTER (WHERE level >= 3))::float8 / count(*) AS qualified_rate,
       (count(*) FILTER (WHERE level >= 4))::float8 / count(*) AS proposal_rate,
       (count(*) FILTER (WHERE level = 5))::float8 / count(*) AS signing_rate,
       (sum(won) FILTER (WHERE potential IS NOT NULL) / nullif(sum(potential), 0))::float8 AS penetration_rate,
       count(*) FILTER (WHERE last_touch IS NULL OR date '2024-06-30' - last_touch > 30) AS cold_accounts,
       sum(won) AS won, sum(potential) AS potential
FROM acc_plain GROUP BY "OwnerId", "Industry";
CREATE TEMP VIEW cov_view AS
SELECT "OwnerId", "Industry", targets, coverage_rate, connected_rate, qualified_rate, proposal_rate,
       signing_rate, penetration_rate, cold_accounts, won, potential
FROM "SF Reports".key_accounts;
SELECT (SELECT count(*) FROM cov_view) AS view_rows,
       (SELECT count(*) FROM (SELECT * FROM cov_view EXCEPT SELECT * FROM cov_plain) d) AS view_only,
       (SELECT count(*) FROM (SELECT * FROM cov_plain EXCEPT SELECT * FROM cov_view) d) AS plain_only;
SELECT * FROM cov_view ORDER BY 1, 2;

-- every column commented, plain types, security_invoker
SELECT c.relname, c.reloptions, obj_description(c.oid, 'pg_class') IS NOT NULL AS commented,
       (SELECT count(*) FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0
          AND col_description(c.oid, a.attnum) IS NULL) AS uncommented_columns,
       (SELECT count(*) FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0
          AND a.atttypid IN (SELECT oid FROM pg_type WHERE typnamespace = 'salesplan'::regnamespace)) AS state_columns
FROM pg_class c WHERE c.relnamespace = '"SF Reports"'::regnamespace ORDER BY c.relname;

-- a target list alone: every account at level 0, none vanishes; materialized
SELECT * FROM salesplan.bind_coverage('bare', 'SF Reports', '"SF".target_account', 'Id', materialized => true);
SELECT targets, coverage_rate, signing_rate, penetration_rate, cold_accounts FROM "SF Reports".bare;
SELECT * FROM salesplan.refresh('bare');

-- errors
\set VERBOSITY default
SELECT salesplan.bind_coverage('e', 'SF Reports', '"SF".target_account', 'Id',
    activities => '"SF"."Task"', activity_account => 'WhatID', activity_date => 'ActivityDate');
SELECT salesplan.bind_coverage('e', 'SF Reports', '"SF".target_account', 'Id',
    activities => '"SF"."Task"', activity_account => 'WhatId');
\set VERBOSITY sqlstate
SELECT salesplan.bind_coverage('e', 'SF Reports', '"SF".target_account', 'Id', keep_warm_days => -1);
SELECT salesplan.bind_coverage('e', 'SF Reports', '"SF".target_account', 'Id',
    period_start => '2024-02-01', period_end => '2024-01-01');
SELECT salesplan.bind_coverage('e', 'SF Reports', '"SF".target_account', 'Id',
    opportunities => '"SF"."Opportunity"', opportunity_account => 'AccountId', opportunity_won => 'IsWon');
SELECT salesplan.bind_coverage('e', 'SF Reports', '"SF".target_account', 'Id',
    opportunities => '"SF"."Opportunity"', opportunity_account => 'AccountId', opportunity_won => 'Amount',
    opportunity_amount => 'Amount');
SELECT salesplan.bind_coverage('e', 'SF Reports', '"SF".target_account', 'Id',
    opportunities => '"SF"."Opportunity"', opportunity_account => 'AccountId',
    period_start => '2024-01-01');
SELECT salesplan.bind_coverage('e', 'SF Reports', '"SF".target_account', 'Id', potential_column => 'Name');
SELECT salesplan.bind_coverage('e', 'SF Reports', '"SF".target_account', 'Id', dimensions => '{Id}');
\set VERBOSITY default

DROP VIEW acc_view, cov_view;
SELECT salesplan.unbind('key_accounts'), salesplan.unbind('bare');
SET client_min_messages = warning;
DROP SCHEMA "SF Reports", "SF" CASCADE;
DROP EXTENSION salesplan;
