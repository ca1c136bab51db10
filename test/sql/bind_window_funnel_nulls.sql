-- Bound window funnels leave out history rows whose entity is NULL (review
-- MEDIUM bind_window_funnel_null_entity): without an entity table they used
-- to form ONE pseudo-entity whose unrelated events chained into a funnel
-- (two deleted leads, one at New and one at Qualified, made an entity at
-- level 2); with an entity table they drop out of the key join.  Both forms
-- now agree with plain SQL.  An entity column named like a fixed column of
-- the _entities view is refused with 42701 and a hint (was a raw "column
-- specified more than once").
CREATE EXTENSION salesplan;
SET DateStyle = 'ISO, YMD';
SET TimeZone = 'UTC';
CREATE SCHEMA wn;
CREATE SCHEMA wnrep;
CREATE TABLE wn.h (lead_id int, at timestamp, stage text);
INSERT INTO wn.h VALUES (1, '2024-01-05', 'New'), (2, '2024-01-06', 'New'),
    (NULL, '2024-01-05', 'New'), (NULL, '2024-01-06', 'Qualified');   -- two deleted leads
CREATE TABLE wn.lead (id int PRIMARY KEY);
INSERT INTO wn.lead VALUES (1), (2);
SELECT * FROM salesplan.bind_window_funnel('wn', 'wnrep', 'wn.h', 'lead_id', 'at', 'stage', interval '30 days',
    stage_order => ARRAY['New', 'Qualified']);
SELECT * FROM salesplan.bind_window_funnel('wne', 'wnrep', 'wn.h', 'lead_id', 'at', 'stage', interval '30 days',
    stage_order => ARRAY['New', 'Qualified'], entity_table => 'wn.lead');
-- plain SQL: leads (non-NULL) that reached each step: New 2, Qualified 0
SELECT v.binding, v.step, v.reached, v.advanced, p.reached AS plain_reached
FROM (SELECT 'wn' AS binding, step, reached, advanced FROM wnrep.wn
      UNION ALL SELECT 'wne', step, reached, advanced FROM wnrep.wne) v
JOIN (SELECT 1 AS step, count(DISTINCT lead_id) FILTER (WHERE stage = 'New') AS reached FROM wn.h
      UNION ALL SELECT 2, count(DISTINCT lead_id) FILTER (WHERE stage = 'Qualified') FROM wn.h) p USING (step)
ORDER BY 1, 2;
SELECT lead_id, level FROM wnrep.wn_entities ORDER BY lead_id;

-- an entity column named like a fixed column of <name>_entities
CREATE TABLE wn.h3 (level int, at timestamp, stage text);
SELECT * FROM salesplan.bind_window_funnel('wl', 'wnrep', 'wn.h3', 'level', 'at', 'stage', interval '30 days',
    stage_order => ARRAY['New', 'Qualified']);
SELECT count(*) AS bindings_named_wl FROM salesplan.binding WHERE name = 'wl';

SELECT * FROM salesplan.unbind('wn');
SELECT * FROM salesplan.unbind('wne');
DROP SCHEMA wnrep CASCADE;
DROP SCHEMA wn CASCADE;
-- leave the database as found: every test creates the extension itself
SET client_min_messages = warning;
DROP EXTENSION salesplan CASCADE;
