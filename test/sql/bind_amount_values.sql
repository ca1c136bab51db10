-- One CRM row the aggregates refuse used to make every read of a bound
-- view fail (review HIGH bind_amount_nine_decimals): an amount with more
-- than 8 decimals (100 / 3.0 in an unconstrained numeric, as Odoo's
-- monetary fields), NaN or infinity; a milestone weight or an account
-- potential likewise.  Now a non-finite value is unknown (NULL) and a
-- value that may carry more than 8 decimals is rounded to 8.  And a funnel
-- bound without an amount column shows no money at all (NULL), not a
-- made-up 0 (review MEDIUM bind_revenue_without_amount).
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS salesplan;
RESET client_min_messages;
SET extra_float_digits = 0;
\set SHOW_CONTEXT never
CREATE SCHEMA amt_crm;
CREATE SCHEMA amt_rep;

-- unconstrained numeric: deals 1-3 won (stage 4), 4 at stage 2
CREATE TABLE amt_crm.deal (id int, stage int, amount numeric);
INSERT INTO amt_crm.deal VALUES (1, 4, 100), (2, 4, 100 / 3.0), (3, 4, 'NaN'), (4, 2, 2 / 3.0);
SELECT * FROM salesplan.bind_funnel('amt_n', 'amt_rep', 'amt_crm.deal', 'stage', stages => 4, amount_column => 'amount');
SELECT leads, won, revenue, aov FROM amt_rep.amt_n;
-- plain SQL: won amounts rounded to 8 decimals, NaN unknown:
-- 100 + 33.33333333 = 133.33333333 over 2 known amounts: aov 66.666666665,
-- rounded to the amounts' scale (8): 66.66666667
SELECT sum(round(amount, 8)) FILTER (WHERE amount <> 'NaN') AS revenue,
       round(avg(round(amount, 8)) FILTER (WHERE amount <> 'NaN'), 8) AS aov
FROM amt_crm.deal WHERE stage = 4;
SELECT stage, entered, amount FROM amt_rep.amt_n_stages ORDER BY stage;
-- positive known amounts of every deal: (100 + 33.33333333 + 0.66666667) / 3
SELECT deals, avg_deal_size FROM amt_rep.amt_n_fit;
SELECT count(*) AS deals, round(avg(round(amount, 8)) FILTER (WHERE amount > 0 AND amount <> 'NaN'), 8) AS avg_deal_size
FROM amt_crm.deal;

-- double precision with NaN and infinities
CREATE TABLE amt_crm.deal_f (id int, stage int, amount float8);
INSERT INTO amt_crm.deal_f VALUES (1, 4, 100), (2, 4, 'NaN'), (3, 4, 'Infinity'), (4, 4, '-Infinity'), (5, 4, 0.1);
SELECT * FROM salesplan.bind_funnel('amt_f', 'amt_rep', 'amt_crm.deal_f', 'stage', stages => 4, amount_column => 'amount');
-- known amounts: 100 + 0.1 = 100.1 over 2: aov 50.05
SELECT won, revenue, aov FROM amt_rep.amt_f;
SELECT deals, avg_deal_size FROM amt_rep.amt_f_fit;

-- a declared scale above 8: rounded; one of 8 or less: as it is
CREATE TABLE amt_crm.deal_s (id int, stage int, amount numeric(20, 10), amount2 numeric(12, 2));
INSERT INTO amt_crm.deal_s VALUES (1, 4, 1.0123456789, 1.25), (2, 4, 2.0000000001, 2.50);
SELECT * FROM salesplan.bind_funnel('amt_s', 'amt_rep', 'amt_crm.deal_s', 'stage', stages => 4, amount_column => 'amount');
SELECT * FROM salesplan.bind_funnel('amt_s2', 'amt_rep', 'amt_crm.deal_s', 'stage', stages => 4, amount_column => 'amount2');
-- 1.01234568 + 2.00000000 = 3.01234568; 1.25 + 2.50 = 3.75
SELECT (SELECT revenue FROM amt_rep.amt_s) AS revenue, (SELECT revenue FROM amt_rep.amt_s2) AS revenue2;
SELECT sum(round(amount, 8)) AS revenue, sum(amount2) AS revenue2 FROM amt_crm.deal_s;

-- milestone weights and account potentials
CREATE TABLE amt_crm.ms (project int, planned date, actual date, w numeric);
INSERT INTO amt_crm.ms VALUES (1, '2026-03-01', '2026-03-01', 1), (1, '2026-04-01', NULL, 1.123456789), (1, '2026-05-01', NULL, 'NaN');
SELECT * FROM salesplan.bind_milestones('amt_m', 'amt_rep', 'amt_crm.ms', 'project', 'planned', actual_column => 'actual',
                                        weight_column => 'w', as_of => '2026-03-15');
-- weights 1 and 1.12345679; the NaN one is unknown: the mean of the known
-- ones (doc/schedule.md), (1 + 1.12345679) / 2 = 1.061728395
SELECT milestones, total_weight, planned_value, earned_value FROM amt_rep.amt_m;
SELECT 1 + round(1.123456789, 8) + round((1 + round(1.123456789, 8)) / 2, 8) AS total_weight;
CREATE TABLE amt_crm.acct (id int, potential numeric);
INSERT INTO amt_crm.acct VALUES (1, 10), (2, 1 / 3.0), (3, 'NaN');
SELECT * FROM salesplan.bind_coverage('amt_c', 'amt_rep', 'amt_crm.acct', 'id', potential_column => 'potential');
SELECT targets, potential FROM amt_rep.amt_c;
SELECT count(*) AS targets, sum(round(potential, 8)) FILTER (WHERE potential <> 'NaN') AS potential FROM amt_crm.acct;

-- no amount column: no money figures (plain SQL has no amount to sum)
SELECT * FROM salesplan.bind_funnel('amt_none', 'amt_rep', 'amt_crm.deal', 'stage', stages => 4);
SELECT leads, won, revenue, aov FROM amt_rep.amt_none;
SELECT stage, entered, amount FROM amt_rep.amt_none_stages ORDER BY stage;
SELECT a.attname, col_description(a.attrelid, a.attnum) AS comment FROM pg_attribute a
WHERE a.attrelid IN ('amt_rep.amt_none'::regclass, 'amt_rep.amt_none_stages'::regclass) AND a.attname IN ('revenue', 'amount')
ORDER BY 1;

SELECT count(*) FILTER (WHERE salesplan.unbind(name)) AS unbound FROM salesplan.binding WHERE name LIKE 'amt\_%';

-- the Odoo preset's label of a translated name: a JSON string is the
-- label, another scalar or JSON null none (before: 22023 for every read);
-- the SQL the preset generates, evaluated over names of each kind
DO $$ BEGIN
    EXECUTE format('CREATE FUNCTION pg_temp.label_of(st_name jsonb) RETURNS TABLE (label text) LANGUAGE sql AS %L',
                   'SELECT ' || salesplan_internal.preset_label('st_name', 'jsonb', 'fr_FR'));
END $$;
SELECT n.name, v.label
FROM (VALUES (1, '{"fr_FR": "Nouveau", "en_US": "New"}'::jsonb), (2, '{"de_DE": "Neu"}'), (3, '"Won"'),
             (4, '42'), (5, 'null'), (6, NULL)) AS n(i, name)
CROSS JOIN LATERAL (SELECT x.label FROM pg_temp.label_of(n.name) AS x) AS v ORDER BY n.i;
SET client_min_messages = warning;
DROP SCHEMA amt_crm, amt_rep CASCADE;
DROP EXTENSION salesplan;
