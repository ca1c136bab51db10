-- test/data/sample_crm_citus.sql: distributes the sample CRM (schema crm,
-- made by test/data/sample_crm.sql on the coordinator) across a Citus
-- cluster.  Run on the coordinator, in a database with CREATE EXTENSION
-- citus and its workers added:
--
--   psql -v seed=42 -v scale=1 -f test/data/sample_crm.sql
--   psql -f test/data/sample_crm_citus.sql
--
-- Not part of the salesplan extension.  What goes where (doc/scaling.md,
-- "The sample CRM on Citus"):
--   reference tables (a copy on every node): team, rep, stage, project;
--   distributed by account, co-located: account (id), contact, opportunity,
--     activity, proposal (account_id), referral (from_account_id);
--   distributed by opportunity: opportunity_stage_history (opportunity_id);
--   distributed by lead: lead (id; its account_id is NULL for anonymous
--     leads, and a distribution column cannot hold NULL);
--   distributed by milestone, co-located: milestone (id),
--     milestone_forecast (milestone_id).
-- Citus refuses a primary key or unique constraint of a distributed table
-- that leaves out its distribution column, and a foreign key between
-- distributed tables that does not join them on it (or points from a
-- reference table to a distributed one).  So the keys are re-made to
-- start with the distribution column, the foreign keys are dropped before
-- distributing and those Citus can enforce are added back (to reference
-- tables, and between tables co-located by account, through the account
-- id); the others are listed at the end.

\set ON_ERROR_STOP on
SET client_min_messages = warning;

BEGIN;
DO $$
DECLARE
    c record;
BEGIN
    FOR c IN SELECT conrelid::regclass AS t, conname
             FROM pg_constraint
             WHERE connamespace = 'crm'::regnamespace AND contype = 'f'
             ORDER BY conrelid::regclass::text, conname LOOP
        EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', c.t, c.conname);
    END LOOP;
END
$$;

-- Keys that hold the distribution column.
ALTER TABLE crm.contact DROP CONSTRAINT contact_pkey, ADD PRIMARY KEY (account_id, id);
ALTER TABLE crm.opportunity DROP CONSTRAINT opportunity_pkey, ADD PRIMARY KEY (account_id, id);
ALTER TABLE crm.activity DROP CONSTRAINT activity_pkey, ADD PRIMARY KEY (account_id, id);
ALTER TABLE crm.proposal DROP CONSTRAINT proposal_pkey, ADD PRIMARY KEY (account_id, id),
    DROP CONSTRAINT proposal_opportunity_id_version_key, ADD UNIQUE (account_id, opportunity_id, version);
ALTER TABLE crm.referral DROP CONSTRAINT referral_pkey, ADD PRIMARY KEY (from_account_id, id);
ALTER TABLE crm.opportunity_stage_history DROP CONSTRAINT opportunity_stage_history_pkey,
    ADD PRIMARY KEY (opportunity_id, id);
-- unique, but not by the lead id or the milestone id: not enforceable
ALTER TABLE crm.lead DROP CONSTRAINT lead_opportunity_id_key;
ALTER TABLE crm.milestone DROP CONSTRAINT milestone_project_id_seq_key;
COMMIT;

SELECT create_reference_table('crm.team') AS d \gset
SELECT create_reference_table('crm.rep') AS d \gset
SELECT create_reference_table('crm.stage') AS d \gset
SELECT create_reference_table('crm.project') AS d \gset
SELECT create_distributed_table('crm.account', 'id', colocate_with => 'none') AS d \gset
SELECT create_distributed_table('crm.contact', 'account_id', colocate_with => 'crm.account') AS d \gset
SELECT create_distributed_table('crm.opportunity', 'account_id', colocate_with => 'crm.account') AS d \gset
SELECT create_distributed_table('crm.activity', 'account_id', colocate_with => 'crm.account') AS d \gset
SELECT create_distributed_table('crm.proposal', 'account_id', colocate_with => 'crm.account') AS d \gset
SELECT create_distributed_table('crm.referral', 'from_account_id', colocate_with => 'crm.account') AS d \gset
SELECT create_distributed_table('crm.opportunity_stage_history', 'opportunity_id', colocate_with => 'none') AS d \gset
SELECT create_distributed_table('crm.lead', 'id', colocate_with => 'none') AS d \gset
SELECT create_distributed_table('crm.milestone', 'id', colocate_with => 'none') AS d \gset
SELECT create_distributed_table('crm.milestone_forecast', 'milestone_id', colocate_with => 'crm.milestone') AS d \gset
\unset d

-- The rows now live in the shards; drop the coordinator's local copies.
SELECT count(truncate_local_data_after_distributing_table(t)) AS truncated
FROM unnest('{crm.team, crm.rep, crm.stage, crm.project, crm.account, crm.contact, crm.opportunity,
              crm.activity, crm.proposal, crm.referral, crm.opportunity_stage_history, crm.lead,
              crm.milestone, crm.milestone_forecast}'::regclass[]) AS t \gset
\unset truncated

-- Foreign keys Citus enforces: to reference tables, and between tables
-- co-located by account when they include the account id.
ALTER TABLE crm.rep ADD FOREIGN KEY (team_id) REFERENCES crm.team;
ALTER TABLE crm.project ADD FOREIGN KEY (pmo_rep_id) REFERENCES crm.rep;
ALTER TABLE crm.account ADD FOREIGN KEY (owner_rep_id) REFERENCES crm.rep;
ALTER TABLE crm.contact ADD FOREIGN KEY (account_id) REFERENCES crm.account;
ALTER TABLE crm.lead ADD FOREIGN KEY (owner_rep_id) REFERENCES crm.rep;
ALTER TABLE crm.opportunity ADD FOREIGN KEY (account_id) REFERENCES crm.account;
ALTER TABLE crm.opportunity ADD FOREIGN KEY (owner_rep_id) REFERENCES crm.rep;
ALTER TABLE crm.opportunity ADD FOREIGN KEY (stage_id) REFERENCES crm.stage;
ALTER TABLE crm.opportunity_stage_history ADD FOREIGN KEY (stage_id) REFERENCES crm.stage;
ALTER TABLE crm.activity ADD FOREIGN KEY (account_id) REFERENCES crm.account;
ALTER TABLE crm.activity ADD FOREIGN KEY (rep_id) REFERENCES crm.rep;
ALTER TABLE crm.activity ADD FOREIGN KEY (account_id, contact_id) REFERENCES crm.contact (account_id, id);
ALTER TABLE crm.proposal ADD FOREIGN KEY (account_id) REFERENCES crm.account;
ALTER TABLE crm.proposal ADD FOREIGN KEY (account_id, opportunity_id) REFERENCES crm.opportunity (account_id, id);
ALTER TABLE crm.proposal ADD FOREIGN KEY (presales_rep_id) REFERENCES crm.rep;
ALTER TABLE crm.milestone ADD FOREIGN KEY (project_id) REFERENCES crm.project;
ALTER TABLE crm.milestone_forecast ADD FOREIGN KEY (milestone_id) REFERENCES crm.milestone;
ALTER TABLE crm.referral ADD FOREIGN KEY (from_account_id) REFERENCES crm.account;
ALTER TABLE crm.referral ADD FOREIGN KEY (bd_rep_id) REFERENCES crm.rep;
-- Not enforceable on Citus (the sample CRM's generator guarantees them):
--   lead (account_id), lead (opportunity_id): lead is distributed by its id;
--   opportunity_stage_history (opportunity_id): by opportunity, not account;
--   referral (referred_account_id): not the referral's distribution column;
--   project (account_id), project (opportunity_id): a reference table may
--   not point at a distributed one.

ANALYZE crm.team, crm.rep, crm.account, crm.contact, crm.stage, crm.lead, crm.opportunity,
        crm.opportunity_stage_history, crm.activity, crm.proposal, crm.project, crm.milestone,
        crm.milestone_forecast, crm.referral;
