-- Money columns of bindings: numeric(38, s) with the scale the amount
-- column declares, plain numeric (exact, never rounded) when it declares
-- none; averages rounded to the scale of the amounts.  Expected values
-- from plain SQL over the same rows.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS salesplan;
RESET client_min_messages;
SET extra_float_digits = 0;
\set SHOW_CONTEXT never

CREATE SCHEMA crm;
CREATE SCHEMA rep;
-- an unconstrained numeric (Odoo's monetary fields), 3-decimal amounts
CREATE TABLE crm.deal (id int, stage int, amount numeric);
INSERT INTO crm.deal VALUES (1, 4, 1.234), (2, 4, 1.234), (3, 4, 0.001), (4, 2, 5);
-- declared scales: 2, a negative scale (PG 15), an integer
CREATE TABLE crm.deal2 (id int, stage int, amount numeric(12, 2), rounded numeric(10, -3), units int);
INSERT INTO crm.deal2 VALUES (1, 4, 10.00, 12000, 3), (2, 4, 20.01, 3000, 4), (3, 4, 0.01, 0, 4), (4, 1, 7, 1000, 1);
SELECT count(*) AS views FROM salesplan.bind_funnel('plain', 'rep', 'crm.deal', 'stage', stages => 4, amount_column => 'amount');
SELECT count(*) AS views FROM salesplan.bind_funnel('cents', 'rep', 'crm.deal2', 'stage', stages => 4, amount_column => 'amount');
SELECT count(*) AS views FROM salesplan.bind_funnel('thousands', 'rep', 'crm.deal2', 'stage', stages => 4, amount_column => 'rounded');
SELECT count(*) AS views FROM salesplan.bind_funnel('units', 'rep', 'crm.deal2', 'stage', stages => 4, amount_column => 'units');

-- plain SQL: revenue exact; aov rounded to the largest scale of the
-- amounts (3), or to the declared scale (2; 0 for -3 and integers)
SELECT sum(amount) FILTER (WHERE stage = 4) AS revenue,
       round(avg(amount) FILTER (WHERE stage = 4), (SELECT max(scale(amount)) FROM crm.deal)) AS aov
FROM crm.deal;
SELECT revenue, aov FROM rep.plain;
SELECT round(sum(amount) FILTER (WHERE stage = 4), 2) AS cents, round(avg(amount) FILTER (WHERE stage = 4), 2) AS cents_aov,
       round(sum(rounded) FILTER (WHERE stage = 4), 0) AS thousands, round(avg(rounded) FILTER (WHERE stage = 4), 0) AS thousands_aov,
       sum(units) FILTER (WHERE stage = 4) AS units, round(avg(units) FILTER (WHERE stage = 4), 0) AS units_aov
FROM crm.deal2;
SELECT c.revenue AS cents, c.aov AS cents_aov, t.revenue AS thousands, t.aov AS thousands_aov, u.revenue AS units, u.aov AS units_aov
FROM rep.cents c, rep.thousands t, rep.units u;
SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod)
FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid
WHERE c.relnamespace = 'rep'::regnamespace AND a.attname IN ('revenue', 'aov', 'amount', 'avg_deal_size')
ORDER BY 1, 2;

SELECT count(*) FILTER (WHERE salesplan.unbind(name)) AS unbound FROM salesplan.binding;
SET client_min_messages = warning;
DROP SCHEMA rep, crm CASCADE;
DROP EXTENSION salesplan;
