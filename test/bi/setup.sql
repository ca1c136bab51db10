-- test/bi.sh: a small CRM and the bindings the BI drivers are asked about.
CREATE EXTENSION salesplan;
CREATE SCHEMA bi_crm;
CREATE TABLE bi_crm.stage (id int PRIMARY KEY, name text, sequence int);
INSERT INTO bi_crm.stage VALUES (1, 'New', 10), (2, 'Qualified', 20), (3, 'Proposal', 30), (4, 'Won', 40);
-- north: six leads in January 2024, three won (1000 + 2000 + 3000 = 6000);
-- south: two leads, one won (500)
CREATE TABLE bi_crm.lead (id int PRIMARY KEY, stage_id int, amount numeric(12,2), team text,
                          active bool, opened date, closed date);
INSERT INTO bi_crm.lead VALUES
  (1, 4, 1000, 'north', true, '2024-01-02', '2024-01-20'),
  (2, 4, 2000, 'north', true, '2024-01-03', '2024-01-25'),
  (3, 4, 3000, 'north', true, '2024-01-05', '2024-01-30'),
  (4, 3, 4000, 'north', false, '2024-01-08', '2024-01-28'),
  (5, 2, 5000, 'north', true, '2024-01-10', NULL),
  (6, 1, 6000, 'north', true, '2024-01-12', NULL),
  (7, 4, 500, 'south', true, '2024-01-04', '2024-01-14'),
  (8, 2, 700, 'south', true, '2024-01-06', NULL);
CREATE SCHEMA bi_reports;
SELECT salesplan.bind_funnel(binding_name => 'pipeline', target_schema => 'bi_reports',
    relation => 'bi_crm.lead', stage_column => 'stage_id', amount_column => 'amount',
    period_column => 'opened', period => 'month', dimensions => '{team}',
    stage_table => 'bi_crm.stage', active_column => 'active',
    opened_column => 'opened', closed_date_column => 'closed');
-- the same, materialized and declared "behavior" (so that pipeline_mat_fit
-- matches for north, where pipeline_fit does not)
SELECT salesplan.bind_funnel(binding_name => 'pipeline_mat', target_schema => 'bi_reports',
    relation => 'bi_crm.lead', stage_column => 'stage_id', amount_column => 'amount',
    period_column => 'opened', period => 'month', dimensions => '{team}',
    stage_table => 'bi_crm.stage', active_column => 'active',
    opened_column => 'opened', closed_date_column => 'closed', paradigm => 'behavior', materialized => true);
-- money with a declared precision and scale, for the tools that need one
CREATE VIEW bi_reports.pipeline_money AS
SELECT period, team, revenue::numeric(18,2) AS revenue FROM bi_reports.pipeline;
COMMENT ON VIEW bi_reports.pipeline_money IS 'revenue per month and team, as numeric(18,2)';
COMMENT ON COLUMN bi_reports.pipeline_money.revenue IS 'sum of the amounts of won leads';
