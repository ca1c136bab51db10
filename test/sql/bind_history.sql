-- History lookups of bindings whose key columns have different types, as
-- in Salesforce replicas (char(18) ids against varchar(18) foreign keys):
-- the numbers equal plain SQL over the same rows, and the plans join the
-- history grouped by key (no SubPlan: no correlated subquery, which is
-- slow per row and invalid on Citus).
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS salesplan;
RESET client_min_messages;
SET extra_float_digits = 0;
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
\set SHOW_CONTEXT never

-- lines of EXPLAIN (COSTS OFF) of a query that mention a subplan
CREATE FUNCTION pg_temp.subplans(q text) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    line text;
    n bigint := 0;
BEGIN
    FOR line IN EXECUTE 'EXPLAIN (COSTS OFF) ' || q LOOP
        IF line LIKE '%SubPlan%' THEN
            n := n + 1;
        END IF;
    END LOOP;
    RETURN n;
END
$$;

CREATE SCHEMA sf;
-- opportunities keyed by char(18), history keyed by varchar(18) (indexed)
CREATE TABLE sf.opportunity (id char(18) PRIMARY KEY, stage_name text NOT NULL, amount numeric(18, 2),
                             owner_id varchar(18));
CREATE TABLE sf.opportunity_history (id varchar(18) PRIMARY KEY, opportunity_id varchar(18) NOT NULL,
                                     stage_name text NOT NULL);
CREATE INDEX ON sf.opportunity_history (opportunity_id);
-- 40 opportunities: deepest stage maxs = 1 + g % 4; every fifth moved back
-- to stage 1 after it (only the history shows how deep it went); 36..40
-- have no history
CREATE TEMP TABLE gen AS
SELECT g, 1 + g % 4 AS maxs, CASE WHEN g % 5 = 0 THEN 1 ELSE 1 + g % 4 END AS cur
FROM generate_series(1, 40) AS g;
INSERT INTO sf.opportunity
SELECT '006' || lpad(g::text, 15, '0'), (ARRAY['Prospecting', 'Qualification', 'Proposal', 'Closed Won'])[cur],
       100 * g, '005' || (g % 2)
FROM gen;
INSERT INTO sf.opportunity_history
SELECT '008' || lpad((g * 10 + s)::text, 15, '0'), '006' || lpad(g::text, 15, '0'),
       (ARRAY['Prospecting', 'Qualification', 'Proposal', 'Closed Won'])[s]
FROM gen CROSS JOIN LATERAL generate_series(1, maxs) AS s
WHERE g <= 35;

CREATE SCHEMA rep;
SELECT * FROM salesplan.bind_funnel('sf_pipe', 'rep', 'sf.opportunity', 'stage_name',
    amount_column => 'amount', dimensions => '{owner_id}',
    stage_order => ARRAY['Prospecting', 'Qualification', 'Proposal', 'Closed Won'],
    history_table => 'sf.opportunity_history', history_key => 'opportunity_id', entity_key => 'id');

-- plain SQL: reached = the deepest position over the current stage and the
-- history rows of the same id (compared as text, trailing blanks ignored)
CREATE TEMP VIEW pipe_plain AS
WITH pos AS (SELECT * FROM unnest(ARRAY['Prospecting', 'Qualification', 'Proposal', 'Closed Won'])
                           WITH ORDINALITY AS p(stage, ord)),
     src AS (
         SELECT o.owner_id, o.amount,
                greatest((SELECT p.ord FROM pos p WHERE p.stage = o.stage_name),
                         (SELECT max(p.ord) FROM sf.opportunity_history h JOIN pos p ON p.stage = h.stage_name
                          WHERE rtrim(h.opportunity_id) = rtrim(o.id))) AS reached
         FROM sf.opportunity o)
SELECT owner_id, count(*) FILTER (WHERE reached >= 1) AS leads, count(*) FILTER (WHERE reached = 4) AS won,
       coalesce(sum(amount) FILTER (WHERE reached = 4), 0) AS revenue
FROM src GROUP BY owner_id;
SELECT * FROM pipe_plain ORDER BY owner_id;
SELECT (SELECT count(*) FROM (SELECT owner_id, leads, won, revenue FROM rep.sf_pipe EXCEPT SELECT * FROM pipe_plain) d) AS view_only,
       (SELECT count(*) FROM (SELECT * FROM pipe_plain EXCEPT SELECT owner_id, leads, won, revenue FROM rep.sf_pipe) d) AS plain_only;
-- by hand: maxs = 4 for g % 4 = 3 (g = 3, 7, ..., 39), all owned by 0051:
-- won = 10, 35 (moved back to stage 1) through its history, 39 (no
-- history) by its current stage; revenue = 100 * (3 + 7 + ... + 39) = 21000
SELECT sum(won) AS won FROM rep.sf_pipe;
SELECT pg_temp.subplans('SELECT * FROM rep.sf_pipe') AS subplans,
       pg_temp.subplans('SELECT * FROM rep.sf_pipe_stages') AS stage_subplans;

-- the other way round: varchar(18) opportunities, char(18) history
CREATE TABLE sf.opp2 (id varchar(18) PRIMARY KEY, stage_name text NOT NULL, amount numeric(18, 2), owner_id varchar(18));
CREATE TABLE sf.opp2_history (id char(18) PRIMARY KEY, opportunity_id char(18) NOT NULL, stage_name text NOT NULL);
CREATE INDEX ON sf.opp2_history (opportunity_id);
INSERT INTO sf.opp2 SELECT * FROM sf.opportunity;
INSERT INTO sf.opp2_history SELECT * FROM sf.opportunity_history;
SELECT * FROM salesplan.bind_funnel('sf_pipe2', 'rep', 'sf.opp2', 'stage_name',
    amount_column => 'amount', dimensions => '{owner_id}',
    stage_order => ARRAY['Prospecting', 'Qualification', 'Proposal', 'Closed Won'],
    history_table => 'sf.opp2_history', history_key => 'opportunity_id', entity_key => 'id');
SELECT (SELECT count(*) FROM (SELECT owner_id, leads, won, revenue FROM rep.sf_pipe2 EXCEPT SELECT * FROM pipe_plain) d) AS view_only,
       (SELECT count(*) FROM (SELECT * FROM pipe_plain EXCEPT SELECT owner_id, leads, won, revenue FROM rep.sf_pipe2) d) AS plain_only;
SELECT pg_temp.subplans('SELECT * FROM rep.sf_pipe2') AS subplans;

-- a stage table and a history keyed by bigint against integer ids
CREATE TABLE sf.stage (id int PRIMARY KEY, name text, sequence int);
INSERT INTO sf.stage VALUES (1, 'Prospecting', 10), (2, 'Qualification', 20), (3, 'Proposal', 30), (4, 'Closed Won', 40);
CREATE TABLE sf.deal (id int PRIMARY KEY, stage_id int, amount numeric(18, 2));
CREATE TABLE sf.deal_history (deal_id bigint, stage_id int);
CREATE INDEX ON sf.deal_history (deal_id);
INSERT INTO sf.deal SELECT g, cur, 100 * g FROM gen;
INSERT INTO sf.deal_history SELECT g, s FROM gen CROSS JOIN LATERAL generate_series(1, maxs) AS s WHERE g <= 35;
SELECT * FROM salesplan.bind_funnel('deals', 'rep', 'sf.deal', 'stage_id', amount_column => 'amount',
    stage_table => 'sf.stage', history_table => 'sf.deal_history', history_key => 'deal_id');
SELECT d.leads, d.won, d.revenue, p.leads AS plain_leads, p.won AS plain_won, p.revenue AS plain_revenue
FROM rep.deals d,
     (SELECT sum(leads) AS leads, sum(won) AS won, sum(revenue) AS revenue FROM pipe_plain) p;
SELECT stage, stage_name, entered FROM rep.deals_stages ORDER BY stage;
SELECT pg_temp.subplans('SELECT * FROM rep.deals') AS subplans,
       pg_temp.subplans('SELECT * FROM rep.deals_stages') AS stage_subplans;

-- milestones: a forecast history keyed by bigint against integer ids
CREATE TABLE sf.milestone (id int PRIMARY KEY, project_id int, planned date);
CREATE TABLE sf.milestone_forecast (milestone_id bigint, reported_on date, forecast date);
INSERT INTO sf.milestone SELECT id, 1 + id % 3, date '2024-03-01' + 10 * id FROM generate_series(1, 9) AS id;
-- four weekly reports slipping id % 3 days a week; milestone 9 has none
INSERT INTO sf.milestone_forecast
SELECT m.id, date '2024-01-01' + 7 * w, m.planned + w * (m.id % 3)
FROM sf.milestone m CROSS JOIN generate_series(0, 3) AS w WHERE m.id < 9;
SELECT * FROM salesplan.bind_milestones('ms', 'rep', 'sf.milestone', 'project_id', 'planned', as_of => '2024-02-01',
    history_table => 'sf.milestone_forecast', history_key => 'milestone_id',
    history_reported => 'reported_on', history_forecast => 'forecast');
-- plain SQL: the worst slip trend per project is the largest slope of
-- forecast over report date among its milestones (id % 3 days per 7 days)
SELECT v.project_id, v.worst_slip_trend,
       (SELECT max(t) FROM (SELECT regr_slope((f.forecast - date '2000-01-01')::float8,
                                              (f.reported_on - date '2000-01-01')::float8) AS t
                            FROM sf.milestone m JOIN sf.milestone_forecast f ON f.milestone_id = m.id
                            WHERE m.project_id = v.project_id GROUP BY m.id) s) AS plain
FROM rep.ms v ORDER BY v.project_id;
SELECT pg_temp.subplans('SELECT * FROM rep.ms') AS subplans;

-- numbers are never cast to a narrower key type: bigint ids beyond int4
-- against an int4 history key, and numeric ids that would round
CREATE TABLE sf.big (id bigint PRIMARY KEY, stage int);
CREATE TABLE sf.big_history (deal_id int, stage int);
INSERT INTO sf.big VALUES (1, 1), (2, 1), (3000000000, 1);
INSERT INTO sf.big_history VALUES (1, 3), (2, 4);
CREATE TABLE sf.frac (id numeric PRIMARY KEY, stage int);
INSERT INTO sf.frac VALUES (1, 1), (1.6, 1);
SELECT count(*) AS views FROM salesplan.bind_funnel('big', 'rep', 'sf.big', 'stage', stages => 4,
    history_table => 'sf.big_history', history_key => 'deal_id');
SELECT count(*) AS views FROM salesplan.bind_funnel('frac', 'rep', 'sf.frac', 'stage', stages => 4,
    history_table => 'sf.big_history', history_key => 'deal_id');
-- plain SQL
SELECT (SELECT count(*) FILTER (WHERE r = 4) FROM (SELECT greatest(d.stage, (SELECT max(h.stage) FROM sf.big_history h WHERE h.deal_id = d.id)) AS r FROM sf.big d) x) AS big_won,
       (SELECT count(*) FILTER (WHERE r = 4) FROM (SELECT greatest(d.stage, (SELECT max(h.stage) FROM sf.big_history h WHERE h.deal_id = d.id)) AS r FROM sf.frac d) x) AS frac_won;
SELECT (SELECT won FROM rep.big) AS big_won, (SELECT won FROM rep.frac) AS frac_won;

SELECT salesplan.unbind('sf_pipe'), salesplan.unbind('sf_pipe2'), salesplan.unbind('deals'), salesplan.unbind('ms'),
       salesplan.unbind('big'), salesplan.unbind('frac');
SET client_min_messages = warning;
DROP SCHEMA rep, sf CASCADE;
DROP EXTENSION salesplan;
