-- demo_paradigm.sql: which paradigm fits which data, read from the views
-- that salesplan's bindings generate over the CRM tables.
--
-- Run by "make demo" after the other reports, in a database with
-- CREATE EXTENSION salesplan and the sample CRM (schema crm):
--     psql -X -f test/data/demo_paradigm.sql
-- It (re)creates the bindings crm_pipeline, crm_targets, crm_delivery and
-- olist_funnel in schema reports (views any BI tool can read).  With Olist's
-- public marketing-funnel data set under $SALESPLAN_SHARED/data (make demo
-- sets it to ../shared beside the repository when that folder is there) it
-- also binds that real B2B funnel (data: Olist, CC BY-NC-SA 4.0, read in
-- place by the server, not copied); without it that part is skipped.

\set QUIET on
\pset null '-'
SET client_min_messages = warning;
SET extra_float_digits = 0;
SET DateStyle = 'ISO, YMD';

\echo
\echo '== salesplan.recommend_paradigm: three archetypes =='
SELECT archetype, customers, need_explicitness, solution_standardization,
       salesplan.recommend_paradigm(customers, need_explicitness, solution_standardization) AS paradigm
FROM (VALUES
    ('SaaS seats for small businesses', 200000::bigint, 0.9::float8, 0.9::float8),
    ('industrial IoT for key accounts', 400, 0.8, 0.6),
    ('smart-city programme for a municipality', 3, 0.3, 0.2)
) AS v(archetype, customers, need_explicitness, solution_standardization);

-- Re-runnable: forget the demo's bindings (and their views) first.
SELECT count(salesplan.unbind(b.name)) AS old_bindings_dropped
FROM salesplan.binding AS b
WHERE b.name IN ('crm_pipeline', 'crm_targets', 'crm_delivery', 'olist_funnel') \gset
CREATE SCHEMA IF NOT EXISTS reports;

-- ---------------------------------------------------------------------
-- The sample CRM's pipeline as one funnel, declared 'probability' for
-- every segment: the fit view says where that holds.
-- ---------------------------------------------------------------------
SELECT to_regclass('crm.opportunity') IS NOT NULL AND to_regclass('crm.account') IS NOT NULL AS have_crm \gset
\if :have_crm
-- the segment lives on the account: bind a view that brings it along
CREATE OR REPLACE VIEW reports.opportunity_source AS
SELECT o.id, o.account_id, o.owner_rep_id, o.stage_id, o.amount, o.created_at, o.close_date,
       o.is_won, o.is_closed, a.segment, a.territory
FROM crm.opportunity o JOIN crm.account a ON a.id = o.account_id;
COMMENT ON VIEW reports.opportunity_source IS 'demo: crm.opportunity with the account segment and territory';
-- stages: a key of crm.stage ordered by sequence (Lost has none: outside
-- the funnel); the deepest stage from the stage history; won and closed
-- from the flags
SELECT count(*) AS views_created FROM salesplan.bind_funnel('crm_pipeline', 'reports', 'reports.opportunity_source',
    'stage_id', amount_column => 'amount', period_column => 'created_at', period => 'quarter',
    dimensions => '{segment}', stage_table => 'crm.stage',
    history_table => 'crm.opportunity_stage_history', history_key => 'opportunity_id', entity_key => 'id',
    won_column => 'is_won', closed_column => 'is_closed', account_column => 'account_id',
    opened_column => 'created_at', closed_date_column => 'close_date') \gset

\echo
\echo '== Sample CRM: pipeline per segment over all quarters (views reports.crm_pipeline, _stages) =='
SELECT segment, sum(leads) AS opportunities, sum(won) AS won, sum(revenue) AS revenue,
       round(sum(revenue) / nullif(sum(won), 0), 0) AS avg_won_value,
       round(sum(won_deals)::numeric / nullif(sum(won_deals) + sum(lost_deals), 0), 3) AS win_rate
FROM reports.crm_pipeline GROUP BY segment ORDER BY segment;

\echo
\echo '== Sample CRM: paradigm fit per segment (view reports.crm_pipeline_fit) =='
\echo '   need = 90 / (90 + median days to close), standardization = 1 / (1 + CV / 2),'
\echo '   looks_like = recommend_paradigm(accounts, need, standardization); declared = probability'
SELECT segment, accounts, deals, round(avg_deal_size, 0) AS avg_deal, round(deal_size_cv::numeric, 2) AS cv,
       round(deal_size_p90_p10::numeric, 1) AS p90_p10, median_cycle_days,
       round(need_score::numeric, 2) AS need, round(standardization_score::numeric, 2) AS std,
       looks_like, declared, matches
FROM reports.crm_pipeline_fit ORDER BY avg_deal_size;

-- ---------------------------------------------------------------------
-- The behavior paradigm where the fit points to it: the target list.
-- ---------------------------------------------------------------------
CREATE OR REPLACE VIEW reports.target_account AS
SELECT id, segment, territory, owner_rep_id, potential_value FROM crm.account WHERE is_target;
COMMENT ON VIEW reports.target_account IS 'demo: the target-account list of the sample CRM';
CREATE OR REPLACE VIEW reports.activity_source AS
SELECT id, account_id, contact_id, occurred_at,
       outcome IN ('connected', 'needs_explored', 'qualified') AS two_way
FROM crm.activity;
COMMENT ON VIEW reports.activity_source IS 'demo: crm.activity with two-way conversations flagged';
CREATE OR REPLACE VIEW reports.proposal_source AS
SELECT id, account_id, delivered_at FROM crm.proposal WHERE delivered_at IS NOT NULL;
COMMENT ON VIEW reports.proposal_source IS 'demo: delivered proposals';
SELECT max(occurred_at)::date AS crm_today FROM crm.activity \gset
SELECT count(*) AS views_created FROM salesplan.bind_coverage('crm_targets', 'reports', 'reports.target_account', 'id',
    potential_column => 'potential_value', dimensions => '{segment}',
    activities => 'reports.activity_source', activity_account => 'account_id', activity_date => 'occurred_at',
    activity_two_way => 'two_way', activity_contact => 'contact_id',
    opportunities => 'crm.opportunity', opportunity_account => 'account_id', opportunity_date => 'close_date',
    opportunity_won => 'is_won', opportunity_amount => 'amount',
    proposals => 'reports.proposal_source', proposal_account => 'account_id', proposal_date => 'delivered_at',
    keep_warm_days => 30, as_of => :'crm_today') \gset

\echo
\echo '== Sample CRM: target-account coverage per segment as of' :crm_today '(view reports.crm_targets) =='
SELECT segment, targets, round(coverage_rate::numeric, 2) AS coverage, round(connected_rate::numeric, 2) AS connected,
       round(qualified_rate::numeric, 2) AS qualified, round(proposal_rate::numeric, 2) AS proposal,
       round(signing_rate::numeric, 2) AS signed, round(penetration_rate::numeric, 3) AS penetration,
       cold_accounts
FROM reports.crm_targets ORDER BY segment;
\else
\echo
\echo '(no crm.opportunity / crm.account here: the sample CRM pipeline is skipped)'
\endif

-- ---------------------------------------------------------------------
-- The sample CRM's project paradigm: milestones bound as they are.
-- ---------------------------------------------------------------------
SELECT to_regclass('crm.milestone') IS NOT NULL AND to_regclass('crm.project') IS NOT NULL AS have_milestones \gset
\if :have_milestones
-- the project start and the PMO rep come from the project: bind a view
CREATE OR REPLACE VIEW reports.milestone_source AS
SELECT m.id, m.project_id, m.baseline_date, m.actual_date, m.weight, p.start_date, p.pmo_rep_id
FROM crm.milestone m JOIN crm.project p ON p.id = m.project_id;
COMMENT ON VIEW reports.milestone_source IS 'demo: crm.milestone with the project start and PMO rep';
SELECT count(*) AS views_created FROM salesplan.bind_milestones('crm_delivery', 'reports', 'reports.milestone_source',
    'project_id', 'baseline_date', actual_column => 'actual_date', weight_column => 'weight',
    start_column => 'start_date', dimensions => '{pmo_rep_id}', as_of => :'crm_today',
    history_table => 'crm.milestone_forecast', milestone_key => 'id', history_key => 'milestone_id',
    history_reported => 'reported_on', history_forecast => 'forecast_date') \gset

\echo
\echo '== Sample CRM, project paradigm: portfolio per PMO rep (view reports.crm_delivery_portfolio) =='
SELECT pmo_rep_id, projects, behind_projects, milestones, round(spi::numeric, 2) AS spi,
       round(spi_t::numeric, 2) AS spi_t, round(on_time_rate::numeric, 2) AS on_time_rate,
       late_milestones, round(worst_slip_trend::numeric, 2) AS worst_slip_trend
FROM reports.crm_delivery_portfolio ORDER BY spi_t NULLS LAST, pmo_rep_id LIMIT 10;
\else
\echo
\echo '(no crm.milestone / crm.project here: the sample CRM project tables are skipped)'
\endif

-- ---------------------------------------------------------------------
-- Real data: Olist's B2B marketing funnel (8,000 marketing-qualified
-- leads, 842 closed deals), bound through a view; the paradigm-fit view
-- says per lead origin which paradigm the data look like.
-- ---------------------------------------------------------------------
\getenv shared SALESPLAN_SHARED
\if :{?shared}
\set olist :shared/data/olist-marketing-funnel
SELECT (pg_stat_file(:'olist' || '/olist_closed_deals_dataset.csv', true)).size IS NOT NULL
   AND (pg_stat_file(:'olist' || '/olist_marketing_qualified_leads_dataset.csv', true)).size IS NOT NULL AS have_olist \gset
\else
\set shared ../shared
\set have_olist false
\endif
\if :have_olist
DROP SCHEMA IF EXISTS olist CASCADE;
CREATE SCHEMA olist;
COMMENT ON SCHEMA olist IS 'demo: Olist marketing funnel (CC BY-NC-SA 4.0), loaded from the shared data folder';
CREATE TABLE olist.marketing_qualified_lead (mql_id text PRIMARY KEY, first_contact_date date,
                                             landing_page_id text, origin text);
CREATE TABLE olist.closed_deal (mql_id text PRIMARY KEY, seller_id text, sdr_id text, sr_id text,
                                won_date timestamp, business_segment text, lead_type text,
                                lead_behaviour_profile text, has_company text, has_gtin text,
                                average_stock text, business_type text,
                                declared_product_catalog_size numeric, declared_monthly_revenue numeric);
-- on a Citus coordinator (make demo-citus): both distributed by lead, co-located
SELECT count(*) = 1 AS have_citus FROM pg_extension WHERE extname = 'citus' \gset
\if :have_citus
SELECT create_distributed_table('olist.marketing_qualified_lead', 'mql_id') AS d \gset
SELECT create_distributed_table('olist.closed_deal', 'mql_id', colocate_with => 'olist.marketing_qualified_lead') AS d \gset
\unset d
\endif
\set f :olist/olist_marketing_qualified_leads_dataset.csv
COPY olist.marketing_qualified_lead FROM :'f' WITH (FORMAT csv, HEADER true);
\set f :olist/olist_closed_deals_dataset.csv
COPY olist.closed_deal FROM :'f' WITH (FORMAT csv, HEADER true);
-- two stages: 1 = marketing-qualified lead, 2 = closed deal (won)
CREATE VIEW olist.lead AS
SELECT q.mql_id, coalesce(q.origin, 'unknown') AS origin, q.first_contact_date,
       CASE WHEN d.mql_id IS NULL THEN 1 ELSE 2 END AS stage,
       d.declared_monthly_revenue AS declared_revenue, d.won_date
FROM olist.marketing_qualified_lead q LEFT JOIN olist.closed_deal d ON d.mql_id = q.mql_id;
SELECT count(*) AS views_created FROM salesplan.bind_funnel('olist_funnel', 'reports', 'olist.lead', 'stage',
    amount_column => 'declared_revenue', period_column => 'first_contact_date', period => 'quarter',
    dimensions => '{origin}', stages => 2, account_column => 'mql_id',
    opened_column => 'first_contact_date', closed_date_column => 'won_date') \gset

\echo
\echo '== Olist (real data): MQL -> closed deal per lead origin, all quarters (view reports.olist_funnel) =='
SELECT origin, sum(leads) AS leads, sum(won) AS won,
       round(sum(won)::numeric / nullif(sum(leads), 0), 3) AS conversion
FROM reports.olist_funnel GROUP BY origin ORDER BY sum(leads) DESC;

\echo
\echo '== Olist (real data): paradigm fit per lead origin (view reports.olist_funnel_fit) =='
\echo '   need = 90 / (90 + median days to close), standardization = 1 / (1 + CV / 2),'
\echo '   looks_like = recommend_paradigm(accounts, need, standardization)'
SELECT origin, accounts, round(deal_size_cv::numeric, 2) AS deal_size_cv,
       round(deal_size_p90_p10::numeric, 1) AS p90_p10, median_cycle_days,
       round(need_score::numeric, 2) AS need, round(standardization_score::numeric, 2) AS std,
       looks_like, declared, matches
FROM reports.olist_funnel_fit ORDER BY accounts DESC;
\echo 'Data: Olist, "Marketing Funnel by Olist" (Kaggle), CC BY-NC-SA 4.0.'
\else
\echo
\echo '(Olist data not found under' :shared'/data: the real-data paradigm check is skipped)'
\endif

\echo
\echo '== Bindings in this database (salesplan.binding) =='
SELECT name, kind, target_schema, materialized, paradigm FROM salesplan.binding ORDER BY name;
