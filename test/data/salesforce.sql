-- test/data/salesforce.sql: a small, hand-written Salesforce replica for
-- the preset tests (test/sql/presets_salesforce.sql), twice:
--   * schema :"sf_schema": objects and fields as Salesforce spells them,
--     quoted ("Opportunity"."StageName"), ids as varchar(18) on the objects
--     and char(18) in the history and activity references, timestamps as
--     timestamptz, soft deletes in "IsDeleted";
--   * schema :"sf_snake_schema": the same rows in lower snake case as ELT
--     connectors write them (opportunity.stage_name), ids as text, with
--     is_deleted and a connector's _fivetran_deleted column (one extra row
--     deleted only there).
-- Standard objects: Opportunity, OpportunityHistory, OpportunityStage,
-- Account (with a custom boolean Target__c), Task, Event, User, UserRole.
--
-- The messiness it carries (opportunities 0060..0N):
--   01 won through every stage
--   02 lost at Closed Lost after Negotiation/Review (Closed Lost has
--      SortOrder 10, above Closed Won: it must not become the won stage)
--   03 won; one of its history rows is soft-deleted (IsDeleted)
--   04 regressed from Proposal/Price Quote back to Qualification
--   05 soft-deleted opportunity
--   06 reopened after Closed Won (now Negotiation/Review, not won)
--   07 created directly at Closed Lost (no open stage in its history)
--   08 a history row at a stage that no longer exists ("Legacy Stage")
--   09 created at 23:30 UTC on the last day of a month (the next day in
--      Asia/Tokyo): its period is the UTC month
-- Activities: completed and open tasks, calls, tasks without ActivityDate,
-- a soft-deleted task, tasks by SDRs and by account executives (roles in
-- UserRole), meetings (one soft-deleted, one without ActivityDate).

CREATE SCHEMA :"sf_schema";
SET search_path = :"sf_schema";

CREATE TABLE "UserRole" ("Id" varchar(18) PRIMARY KEY, "Name" varchar(80), "ParentRoleId" varchar(18));
CREATE TABLE "User" ("Id" varchar(18) PRIMARY KEY, "Name" varchar(121), "UserRoleId" char(18), "IsActive" boolean);
CREATE TABLE "Account" ("Id" varchar(18) PRIMARY KEY, "Name" varchar(255), "OwnerId" char(18),
                        "IsDeleted" boolean NOT NULL DEFAULT false, "Target__c" boolean, "Industry" varchar(40));
CREATE TABLE "OpportunityStage" ("Id" varchar(18) PRIMARY KEY, "MasterLabel" varchar(255), "ApiName" varchar(255),
                                 "IsActive" boolean, "IsClosed" boolean, "IsWon" boolean, "SortOrder" int,
                                 "DefaultProbability" numeric(3,0), "ForecastCategoryName" varchar(40));
CREATE TABLE "Opportunity" ("Id" varchar(18) PRIMARY KEY, "Name" varchar(120), "AccountId" char(18),
                            "OwnerId" char(18), "StageName" varchar(255), "Amount" numeric(18,2),
                            "IsClosed" boolean, "IsWon" boolean, "IsDeleted" boolean NOT NULL DEFAULT false,
                            "CreatedDate" timestamptz, "CloseDate" date, "LeadSource" varchar(40));
CREATE TABLE "OpportunityHistory" ("Id" varchar(18) PRIMARY KEY, "OpportunityId" char(18), "StageName" varchar(255),
                                   "Amount" numeric(18,2), "CreatedDate" timestamptz,
                                   "IsDeleted" boolean NOT NULL DEFAULT false);
CREATE INDEX "OpportunityHistory_OpportunityId" ON "OpportunityHistory" ("OpportunityId");
CREATE TABLE "Task" ("Id" varchar(18) PRIMARY KEY, "AccountId" char(18), "WhatId" char(18), "WhoId" char(18),
                     "OwnerId" char(18), "Subject" varchar(255), "Status" varchar(40), "IsClosed" boolean,
                     "TaskSubtype" varchar(40), "ActivityDate" date, "CreatedDate" timestamptz,
                     "IsDeleted" boolean NOT NULL DEFAULT false);
CREATE TABLE "Event" ("Id" varchar(18) PRIMARY KEY, "AccountId" char(18), "WhatId" char(18), "WhoId" char(18),
                      "OwnerId" char(18), "Subject" varchar(255), "ActivityDate" date, "StartDateTime" timestamptz,
                      "IsDeleted" boolean NOT NULL DEFAULT false);

INSERT INTO "UserRole" VALUES ('00E000000000000001', 'SDR', NULL), ('00E000000000000002', 'AE EMEA', NULL),
    ('00E000000000000003', 'AE US', NULL);
INSERT INTO "User" VALUES ('005000000000000001', 'Sam SDR', '00E000000000000001', true),
    ('005000000000000002', 'Eva AE', '00E000000000000002', true),
    ('005000000000000003', 'Uli AE', '00E000000000000003', true),
    ('005000000000000004', 'No Role', NULL, true);
INSERT INTO "Account" ("Id", "Name", "OwnerId", "IsDeleted", "Target__c", "Industry") VALUES
    ('001000000000000001', 'Acme', '005000000000000002', false, true, 'Tech'),
    ('001000000000000002', 'Globex', '005000000000000003', false, true, 'Energy'),
    ('001000000000000003', 'Initech', '005000000000000002', false, false, 'Tech'),
    ('001000000000000004', 'Hooli', '005000000000000002', true, true, 'Tech'),
    ('001000000000000005', 'Soylent', '005000000000000001', false, true, 'Food');
INSERT INTO "OpportunityStage" VALUES
    ('01J000000000000001', 'Prospecting', 'Prospecting', true, false, false, 1, 10, 'Pipeline'),
    ('01J000000000000002', 'Qualification', 'Qualification', true, false, false, 2, 10, 'Pipeline'),
    ('01J000000000000003', 'Proposal/Price Quote', 'Proposal/Price Quote', true, false, false, 3, 75, 'Pipeline'),
    ('01J000000000000004', 'Negotiation/Review', 'Negotiation/Review', true, false, false, 4, 90, 'Pipeline'),
    ('01J000000000000005', 'Closed Won', 'Closed Won', true, true, true, 5, 100, 'Closed'),
    ('01J000000000000006', 'Closed Lost', 'Closed Lost', true, true, false, 10, 0, 'Omitted');
INSERT INTO "Opportunity" VALUES
    ('006000000000000001', 'Acme ERP', '001000000000000001', '005000000000000002', 'Closed Won', 1000, true, true, false, '2024-01-05 10:00+00', '2024-02-01', 'Web'),
    ('006000000000000002', 'Acme CRM', '001000000000000001', '005000000000000002', 'Closed Lost', 500, true, false, false, '2024-01-15 12:00+00', '2024-02-10', 'Web'),
    ('006000000000000003', 'Globex HR', '001000000000000002', '005000000000000003', 'Closed Won', 2000, true, true, false, '2024-01-20 08:00+00', '2024-02-20', 'Partner'),
    ('006000000000000004', 'Globex BI', '001000000000000002', '005000000000000003', 'Qualification', 800, false, false, false, '2024-02-01 09:00+00', '2024-06-30', 'Web'),
    ('006000000000000005', 'Initech dup', '001000000000000003', '005000000000000002', 'Prospecting', 300, false, false, true, '2024-02-02 09:00+00', '2024-06-30', 'Web'),
    ('006000000000000006', 'Acme support', '001000000000000001', '005000000000000004', 'Negotiation/Review', 1200, false, false, false, '2024-03-01 09:00+00', '2024-06-30', 'Phone'),
    ('006000000000000007', 'Globex quick no', '001000000000000002', '005000000000000003', 'Closed Lost', NULL, true, false, false, '2024-03-15 09:00+00', '2024-03-15', 'Phone'),
    ('006000000000000008', 'Initech PoS', '001000000000000003', '005000000000000002', 'Prospecting', 600, false, false, false, '2024-03-20 09:00+00', '2024-06-30', 'Web'),
    ('006000000000000009', 'Soylent pilot', '001000000000000005', '005000000000000001', 'Proposal/Price Quote', 450.5, false, false, false, '2024-01-31 23:30+00', '2024-06-30', 'Web');
INSERT INTO "OpportunityHistory" ("Id", "OpportunityId", "StageName", "Amount", "CreatedDate", "IsDeleted") VALUES
    ('008000000000000001', '006000000000000001', 'Prospecting', 1000, '2024-01-05 10:00+00', false),
    ('008000000000000002', '006000000000000001', 'Qualification', 1000, '2024-01-10 10:00+00', false),
    ('008000000000000003', '006000000000000001', 'Proposal/Price Quote', 1000, '2024-01-20 10:00+00', false),
    ('008000000000000004', '006000000000000001', 'Negotiation/Review', 1000, '2024-01-25 10:00+00', false),
    ('008000000000000005', '006000000000000001', 'Closed Won', 1000, '2024-02-01 10:00+00', false),
    ('008000000000000006', '006000000000000002', 'Prospecting', 500, '2024-01-15 12:00+00', false),
    ('008000000000000007', '006000000000000002', 'Negotiation/Review', 500, '2024-01-25 12:00+00', false),
    ('008000000000000008', '006000000000000002', 'Closed Lost', 500, '2024-02-10 12:00+00', false),
    ('008000000000000009', '006000000000000003', 'Prospecting', 2000, '2024-01-20 08:00+00', false),
    ('008000000000000010', '006000000000000003', 'Negotiation/Review', 2000, '2024-02-01 08:00+00', true),
    ('008000000000000011', '006000000000000003', 'Closed Won', 2000, '2024-02-20 08:00+00', false),
    ('008000000000000012', '006000000000000004', 'Prospecting', 800, '2024-02-01 09:00+00', false),
    ('008000000000000013', '006000000000000004', 'Proposal/Price Quote', 800, '2024-02-05 09:00+00', false),
    ('008000000000000014', '006000000000000004', 'Qualification', 800, '2024-02-15 09:00+00', false),
    ('008000000000000015', '006000000000000005', 'Prospecting', 300, '2024-02-02 09:00+00', false),
    ('008000000000000016', '006000000000000006', 'Prospecting', 1200, '2024-03-01 09:00+00', false),
    ('008000000000000017', '006000000000000006', 'Closed Won', 1200, '2024-03-05 09:00+00', false),
    ('008000000000000018', '006000000000000006', 'Negotiation/Review', 1200, '2024-03-10 09:00+00', false),
    ('008000000000000019', '006000000000000007', 'Closed Lost', NULL, '2024-03-15 09:00+00', false),
    ('008000000000000020', '006000000000000008', 'Legacy Stage', 600, '2024-03-20 09:00+00', false),
    ('008000000000000021', '006000000000000008', 'Prospecting', 600, '2024-03-21 09:00+00', false),
    ('008000000000000022', '006000000000000009', 'Prospecting', 450.5, '2024-01-31 23:30+00', false),
    ('008000000000000023', '006000000000000009', 'Qualification', 450.5, '2024-02-10 09:00+00', false),
    ('008000000000000024', '006000000000000009', 'Proposal/Price Quote', 450.5, '2024-02-20 09:00+00', false);
INSERT INTO "Task" ("Id", "AccountId", "WhatId", "WhoId", "OwnerId", "Subject", "Status", "IsClosed", "TaskSubtype", "ActivityDate", "CreatedDate", "IsDeleted") VALUES
    ('00T000000000000001', '001000000000000001', '001000000000000001', '003000000000000001', '005000000000000001', 'Intro call', 'Completed', true, 'Call', '2024-01-03', '2024-01-03 09:00+00', false),
    ('00T000000000000002', '001000000000000002', '001000000000000002', '003000000000000002', '005000000000000001', 'Email', 'Completed', true, 'Email', NULL, '2024-02-03 23:30+00', false),
    ('00T000000000000003', '001000000000000005', '001000000000000005', NULL, '005000000000000001', 'Call Soylent', 'Not Started', false, 'Call', '2024-03-01', '2024-02-20 09:00+00', false),
    ('00T000000000000004', '001000000000000002', '001000000000000002', '003000000000000002', '005000000000000001', 'Deleted call', 'Completed', true, 'Call', '2024-02-07', '2024-02-07 09:00+00', true),
    ('00T000000000000005', '001000000000000001', '006000000000000001', '003000000000000003', '005000000000000002', 'Demo call', 'Completed', true, 'Call', '2024-02-10', '2024-02-10 09:00+00', false),
    ('00T000000000000006', '001000000000000003', '001000000000000003', NULL, '005000000000000001', 'Email', 'Completed', true, 'Email', '2024-04-01', '2024-04-01 09:00+00', false),
    ('00T000000000000007', NULL, NULL, '00Q000000000000001', '005000000000000001', 'Lead call', 'Completed', true, 'Call', '2024-04-02', '2024-04-02 09:00+00', false);
INSERT INTO "Event" ("Id", "AccountId", "WhatId", "WhoId", "OwnerId", "Subject", "ActivityDate", "StartDateTime", "IsDeleted") VALUES
    ('00U000000000000001', '001000000000000002', '006000000000000004', '003000000000000002', '005000000000000003', 'Globex demo', '2024-03-05', '2024-03-05 14:00+00', false),
    ('00U000000000000002', '001000000000000005', NULL, '003000000000000005', '005000000000000001', 'Soylent visit', NULL, '2024-03-31 23:30+00', false),
    ('00U000000000000003', '001000000000000001', NULL, '003000000000000001', '005000000000000001', 'Deleted visit', '2024-03-06', '2024-03-06 10:00+00', true);

RESET search_path;

-- the same replica in lower snake case, as an ELT connector writes it
CREATE SCHEMA :"sf_snake_schema";
SET search_path = :"sf_snake_schema";
CREATE TABLE user_role AS SELECT "Id"::text AS id, "Name"::text AS name, "ParentRoleId"::text AS parent_role_id,
    false AS _fivetran_deleted FROM :"sf_schema"."UserRole";
CREATE TABLE "user" AS SELECT "Id"::text AS id, "Name"::text AS name, "UserRoleId"::text AS user_role_id,
    "IsActive" AS is_active, false AS _fivetran_deleted FROM :"sf_schema"."User";
CREATE TABLE account AS SELECT "Id"::text AS id, "Name"::text AS name, "OwnerId"::text AS owner_id, "IsDeleted" AS is_deleted,
    "Target__c" AS target_c, "Industry"::text AS industry, false AS _fivetran_deleted FROM :"sf_schema"."Account";
CREATE TABLE opportunity_stage AS SELECT "Id"::text AS id, "MasterLabel"::text AS master_label, "ApiName"::text AS api_name,
    "IsActive" AS is_active, "IsClosed" AS is_closed, "IsWon" AS is_won, "SortOrder" AS sort_order,
    false AS _fivetran_deleted FROM :"sf_schema"."OpportunityStage";
CREATE TABLE opportunity AS SELECT "Id"::text AS id, "Name"::text AS name, "AccountId"::text AS account_id,
    "OwnerId"::text AS owner_id, "StageName"::text AS stage_name, "Amount"::double precision AS amount,
    "IsClosed" AS is_closed, "IsWon" AS is_won, "IsDeleted" AS is_deleted, "CreatedDate" AS created_date,
    "CloseDate" AS close_date, false AS _fivetran_deleted FROM :"sf_schema"."Opportunity";
CREATE TABLE opportunity_history AS SELECT "Id"::text AS id, "OpportunityId"::text AS opportunity_id,
    "StageName"::text AS stage_name, "CreatedDate" AS created_date, "IsDeleted" AS is_deleted,
    false AS _fivetran_deleted FROM :"sf_schema"."OpportunityHistory";
CREATE TABLE task AS SELECT "Id"::text AS id, "AccountId"::text AS account_id, "WhoId"::text AS who_id,
    "OwnerId"::text AS owner_id, "Status"::text AS status, "IsClosed" AS is_closed, "TaskSubtype"::text AS task_subtype,
    "ActivityDate" AS activity_date, "CreatedDate" AS created_date, "IsDeleted" AS is_deleted,
    false AS _fivetran_deleted FROM :"sf_schema"."Task";
CREATE TABLE event AS SELECT "Id"::text AS id, "AccountId"::text AS account_id, "WhoId"::text AS who_id,
    "OwnerId"::text AS owner_id, "ActivityDate" AS activity_date, "StartDateTime" AS start_date_time,
    "IsDeleted" AS is_deleted, false AS _fivetran_deleted FROM :"sf_schema"."Event";
-- rows the connector marks deleted (the source deleted them for good)
INSERT INTO task VALUES ('00T000000000000099', '001000000000000005', '003000000000000005', '005000000000000001',
    'Completed', true, 'Call', '2024-03-02', '2024-03-02 09:00+00', false, true);
INSERT INTO opportunity VALUES ('006000000000000099', 'Gone', '001000000000000005', '005000000000000001', 'Closed Won',
    9999, true, true, false, '2024-01-02 09:00+00', '2024-01-03', true);
RESET search_path;
