-- bind_window_funnel's per-entity view <name>_entities: one row per entity
-- with its salesplan.window_funnel level (the deepest step reached in
-- order within the window of its first step), period, dimensions and the
-- step's name, checked against a recursive plain-SQL ordered funnel over
-- the same rows.  Lead 2's events arrive out of order (and its Won falls
-- outside the 30-day window), lead 3 reaches Won before any Qualified,
-- lead 4 has no events at all.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS salesplan;
RESET client_min_messages;
CREATE SCHEMA wfe_crm;
CREATE SCHEMA wfe_rep;
CREATE TABLE wfe_crm.lead (id int PRIMARY KEY, team text, created date);
INSERT INTO wfe_crm.lead VALUES (1, 'a', '2024-01-05'), (2, 'a', '2024-01-10'), (3, 'b', '2024-02-01'), (4, 'b', '2024-02-03');
CREATE TABLE wfe_crm.hist (lead_id int, at timestamp, stage text);
INSERT INTO wfe_crm.hist VALUES
    (1, '2024-01-05', 'New'), (1, '2024-01-07', 'Qualified'), (1, '2024-01-20', 'Won'),
    (2, '2024-01-12', 'Qualified'), (2, '2024-01-10', 'New'), (2, '2024-03-30', 'Won'),
    (3, '2024-02-02', 'Won'), (3, '2024-02-01', 'New');
SELECT * FROM salesplan.bind_window_funnel('wfe', 'wfe_rep', 'wfe_crm.hist', 'lead_id', 'at', 'stage', interval '30 days',
    stage_order => ARRAY['New', 'Qualified', 'Won'], entity_table => 'wfe_crm.lead', entity_key => 'id',
    period_column => 'created', dimensions => '{team}');
SELECT * FROM wfe_rep.wfe_entities ORDER BY id;
-- the oracle: chains start at a New event; a step-k event extends a chain
-- at step k - 1 when it comes at or after the previous step and at most
-- 30 days after the chain's start (doc/window_funnel.md, rules 1-4)
CREATE TEMP VIEW wfe_oracle AS
WITH RECURSIVE ev AS (
    SELECT lead_id, at, array_position(ARRAY['New', 'Qualified', 'Won'], stage) AS step FROM wfe_crm.hist),
chain(lead_id, started, last_at, step) AS (
    SELECT lead_id, at, at, 1 FROM ev WHERE step = 1
    UNION
    SELECT c.lead_id, c.started, e.at, c.step + 1
    FROM chain c JOIN ev e ON e.lead_id = c.lead_id AND e.step = c.step + 1
                          AND e.at >= c.last_at AND e.at <= c.started + interval '30 days')
SELECT l.id, date_trunc('month', l.created)::date AS period, l.team, coalesce(max(c.step), 0) AS level
FROM wfe_crm.lead l LEFT JOIN chain c ON c.lead_id = l.id GROUP BY l.id, l.created, l.team;
SELECT * FROM wfe_oracle ORDER BY id;
SELECT count(*) AS differences FROM (
    (SELECT id, period, team, level FROM wfe_rep.wfe_entities EXCEPT TABLE wfe_oracle)
    UNION ALL (TABLE wfe_oracle EXCEPT SELECT id, period, team, level FROM wfe_rep.wfe_entities)) AS d;
-- the step histogram is the same entities counted
SELECT step, reached FROM wfe_rep.wfe WHERE period = '2024-01-01' ORDER BY step;
-- every column commented
SELECT a.attname, col_description(a.attrelid, a.attnum) FROM pg_attribute a
WHERE a.attrelid = 'wfe_rep.wfe_entities'::regclass AND a.attnum > 0 ORDER BY a.attnum;

-- without an entity table: the entities with history, keyed by the
-- history's entity column; materialized with its unique index
SELECT * FROM salesplan.bind_window_funnel('wfe_h', 'wfe_rep', 'wfe_crm.hist', 'lead_id', 'at', 'stage', interval '30 days',
    stage_order => ARRAY['New', 'Qualified', 'Won'], materialized => true);
SELECT lead_id, level, level_name FROM wfe_rep.wfe_h_entities ORDER BY lead_id;
SELECT indexdef FROM pg_indexes WHERE tablename = 'wfe_h_entities';
SELECT salesplan.unbind('wfe'), salesplan.unbind('wfe_h');
SET client_min_messages = warning;
DROP SCHEMA wfe_crm, wfe_rep CASCADE;
DROP EXTENSION salesplan;
