-- bind_milestones(project_label => ...): the project's name in the
-- per-project view as project_name (absent when not bound), from a text
-- column or a translated jsonb name (Odoo 17 project_project.name: en_US,
-- else the first translation; a JSON string is the name itself), checked
-- against plain SQL over the same rows.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS salesplan;
RESET client_min_messages;
SET DateStyle = 'ISO, YMD';
\set SHOW_CONTEXT never
CREATE SCHEMA ml_crm;
CREATE SCHEMA ml_rep;
CREATE TABLE ml_crm.ms (id int, project int, planned date, actual date, pname text, pname_j jsonb, manager int);
INSERT INTO ml_crm.ms VALUES
    (1, 1, '2026-01-10', '2026-01-12', 'Rollout', '{"en_US": "Rollout", "fr_FR": "Déploiement"}', 7),
    (2, 1, '2026-02-10', NULL, 'Rollout', '{"en_US": "Rollout", "fr_FR": "Déploiement"}', 7),
    (3, 2, '2026-01-20', '2026-01-20', 'Audit', '{"de_DE": "Prüfung"}', 8),
    (4, 3, '2026-03-01', NULL, 'Pilot', '"Pilot"', 8);
SELECT * FROM salesplan.bind_milestones('ml_t', 'ml_rep', 'ml_crm.ms', 'project', 'planned', actual_column => 'actual',
    dimensions => '{manager}', as_of => '2026-02-15', project_label => 'pname');
SELECT * FROM salesplan.bind_milestones('ml_j', 'ml_rep', 'ml_crm.ms', 'project', 'planned', actual_column => 'actual',
    as_of => '2026-02-15', project_label => 'pname_j');
SELECT * FROM salesplan.bind_milestones('ml_none', 'ml_rep', 'ml_crm.ms', 'project', 'planned', actual_column => 'actual',
    as_of => '2026-02-15');
SELECT project, project_name, manager, milestones, planned_value, earned_value FROM ml_rep.ml_t ORDER BY project;
SELECT project, project_name FROM ml_rep.ml_j ORDER BY project;
-- plain SQL: the name per project; the jsonb one in en_US, else the first
-- translation by language code, a JSON string as it is
SELECT project, max(pname) AS project_name, max(manager) AS manager, count(*) AS milestones,
       count(*) FILTER (WHERE planned <= '2026-02-15') AS planned_value,
       count(*) FILTER (WHERE actual <= '2026-02-15') AS earned_value,
       max(coalesce(pname_j ->> 'en_US', (SELECT value FROM jsonb_each_text(CASE WHEN jsonb_typeof(pname_j) = 'object' THEN pname_j END) ORDER BY key LIMIT 1),
                    pname_j #>> '{}')) AS project_name_j
FROM ml_crm.ms GROUP BY project ORDER BY project;
-- not bound: no such column
SELECT count(*) AS project_name_columns FROM pg_attribute
WHERE attrelid = 'ml_rep.ml_none'::regclass AND attname = 'project_name';
SELECT col_description('ml_rep.ml_t'::regclass, 3) AS comment;
-- a label column that does not exist: 42703, naming it
\set VERBOSITY terse
SELECT * FROM salesplan.bind_milestones('ml_x', 'ml_rep', 'ml_crm.ms', 'project', 'planned', project_label => 'nope');
\set VERBOSITY default
SELECT count(*) FILTER (WHERE salesplan.unbind(name)) AS unbound FROM salesplan.binding WHERE name LIKE 'ml\_%';
SET client_min_messages = warning;
DROP SCHEMA ml_crm, ml_rep CASCADE;
DROP EXTENSION salesplan;
