-- bind_milestones: the per-milestone view <name>_milestones (one row per
-- milestone: its key, dates, weight, reached / late / slip at as_of, slip
-- trend) and milestone_label => ...: the milestone's own name as
-- milestone_name (text, or a translated jsonb name in en_US, else the first
-- translation; a JSON string is the name itself).  Every value is checked
-- against plain SQL over the same rows and by hand, and the per-milestone
-- rows add up to the per-project view's late_milestones and slip_days.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS salesplan;
RESET client_min_messages;
SET DateStyle = 'ISO, YMD';
SET extra_float_digits = 0;
\set SHOW_CONTEXT never
CREATE SCHEMA mn_crm;
CREATE SCHEMA mn_rep;
CREATE TABLE mn_crm.ms (id int, project int, mname text, mname_j jsonb, planned date, actual date, w numeric,
                        pname text, manager int);
-- as_of 2026-02-15; by hand, per milestone: reached (actual <= as_of),
-- late (due by as_of, reached after the plan or open past it), slip days
-- (min(actual, as_of) - planned, for milestones due by as_of)
INSERT INTO mn_crm.ms VALUES
    -- reached 2 days late: reached, late, slip 2
    (1, 1, 'Kickoff', '{"en_US": "Kickoff", "fr_FR": "Lancement"}', '2026-01-10', '2026-01-12', 1, 'Rollout', 7),
    -- open since 02-01: late, slip 14 (02-15 - 02-01)
    (2, 1, 'Design', '{"fr_FR": "Conception", "de_DE": "Entwurf"}', '2026-02-01', NULL, 2, 'Rollout', 7),
    -- not due yet: not late, slip NULL
    (3, 1, 'Go-live', '"Go-live"', '2026-03-01', NULL, 3, 'Rollout', 7),
    -- reached 2 days early: reached, not late, slip -2
    (4, 2, 'Audit', NULL, '2026-01-20', '2026-01-18', NULL, 'Audit', 8),
    -- due on as_of, still open: not late, slip 0
    (5, 2, 'Report', '{}', '2026-02-15', NULL, 1, 'Audit', 8),
    -- unplanned: late NULL, slip NULL
    (6, 2, 'Extra', '"Extra"', NULL, NULL, 1, 'Audit', 8),
    -- reached after as_of: not reached at as_of, late, slip 5 (02-15 - 02-10)
    (7, 3, 'Pilot', '{"en_US": "Pilot"}', '2026-02-10', '2026-02-20', 1, 'Pilot', 8);

SELECT * FROM salesplan.bind_milestones('mn_t', 'mn_rep', 'mn_crm.ms', 'project', 'planned', actual_column => 'actual',
    weight_column => 'w', dimensions => '{manager}', as_of => '2026-02-15', project_label => 'pname',
    milestone_label => 'mname');
SELECT * FROM salesplan.bind_milestones('mn_j', 'mn_rep', 'mn_crm.ms', 'project', 'planned', actual_column => 'actual',
    as_of => '2026-02-15', milestone_label => 'mname_j');
SELECT * FROM salesplan.bind_milestones('mn_none', 'mn_rep', 'mn_crm.ms', 'project', 'planned', actual_column => 'actual',
    as_of => '2026-02-15');

-- the per-milestone view
SELECT project, project_name, id, milestone_name, manager, as_of, planned, actual, weight, reached, late, slip_days, slip_trend
FROM mn_rep.mn_t_milestones ORDER BY id;
-- plain SQL over the same rows
SELECT project, pname AS project_name, id, mname AS milestone_name, manager, date '2026-02-15' AS as_of, planned, actual,
       w AS weight, actual IS NOT NULL AND actual <= '2026-02-15' AS reached,
       CASE WHEN planned IS NULL THEN NULL
            WHEN planned > '2026-02-15' THEN false
            WHEN actual IS NOT NULL AND actual <= '2026-02-15' THEN actual > planned
            ELSE date '2026-02-15' > planned END AS late,
       CASE WHEN planned <= '2026-02-15' THEN
            (CASE WHEN actual <= '2026-02-15' THEN actual ELSE date '2026-02-15' END) - planned END AS slip_days,
       NULL::float8 AS slip_trend
FROM mn_crm.ms ORDER BY id;
-- the rows add up to the per-project view: late_milestones = the late ones;
-- slip_days = the mean of the milestones' slip weighted by w (NULL w = the
-- mean of the project's known weights: project 2 has w 1 and 1, so 1):
-- project 1 (1*2 + 2*14) / (1 + 2) = 10, project 2 (1*-2 + 1*0) / 2 = -1,
-- project 3 5
SELECT p.project, p.late_milestones, p.slip_days,
       (SELECT count(*) FILTER (WHERE m.late) FROM mn_rep.mn_t_milestones m WHERE m.project = p.project) AS late_rows,
       (SELECT sum(m.slip_days * coalesce(m.weight, (SELECT avg(k.weight) FROM mn_rep.mn_t_milestones k WHERE k.project = m.project AND k.planned IS NOT NULL)))
             / sum(coalesce(m.weight, (SELECT avg(k.weight) FROM mn_rep.mn_t_milestones k WHERE k.project = m.project AND k.planned IS NOT NULL)))
        FROM mn_rep.mn_t_milestones m WHERE m.project = p.project AND m.slip_days IS NOT NULL)::float8 AS weighted_slip_rows
FROM mn_rep.mn_t p ORDER BY p.project;

-- a translated jsonb name: en_US, else the first translation by language
-- code (de_DE Entwurf before fr_FR), a JSON string as it is, NULL for SQL
-- NULL and for an object without translations
SELECT id, milestone_name FROM mn_rep.mn_j_milestones ORDER BY id;
SELECT id, CASE jsonb_typeof(mname_j)
               WHEN 'object' THEN coalesce(mname_j ->> 'en_US', (SELECT value FROM jsonb_each_text(mname_j) ORDER BY key LIMIT 1))
               WHEN 'string' THEN mname_j #>> '{}' END AS milestone_name
FROM mn_crm.ms ORDER BY id;
-- not bound: no milestone_name (nor project_name) column; every column of
-- the per-milestone view commented
SELECT count(*) AS name_columns FROM pg_attribute
WHERE attrelid = 'mn_rep.mn_none_milestones'::regclass AND attname IN ('milestone_name', 'project_name');
SELECT a.attname, col_description(a.attrelid, a.attnum) FROM pg_attribute a
WHERE a.attrelid = 'mn_rep.mn_t_milestones'::regclass AND a.attnum > 0 AND a.attname IN ('id', 'milestone_name', 'late')
ORDER BY a.attnum;
SELECT obj_description('mn_rep.mn_t_milestones'::regclass, 'pg_class') AS view_comment;
SELECT count(*) AS uncommented_columns FROM pg_attribute a
WHERE a.attrelid IN ('mn_rep.mn_t_milestones'::regclass, 'mn_rep.mn_none_milestones'::regclass)
  AND a.attnum > 0 AND col_description(a.attrelid, a.attnum) IS NULL;

-- a milestone table without an id column (and no milestone_key given): the
-- milestone is its ordinal in the project by planned date; materialized,
-- the ordinal keys the unique index, so a concurrent refresh works
CREATE TABLE mn_crm.bare (project int, planned date, actual date);
INSERT INTO mn_crm.bare VALUES (1, '2026-03-01', NULL), (1, '2026-01-01', '2026-01-02'), (2, '2026-02-01', NULL),
                               (1, NULL, NULL);
SELECT * FROM salesplan.bind_milestones('mn_bare', 'mn_rep', 'mn_crm.bare', 'project', 'planned', actual_column => 'actual',
    as_of => '2026-02-15', materialized => true);
SELECT * FROM salesplan.refresh('mn_bare');
-- by hand: project 1: 01-01 is 1, 03-01 is 2, the unplanned one last (3);
-- project 2: 1
SELECT project, milestone, planned, actual, late, slip_days FROM mn_rep.mn_bare_milestones ORDER BY project, milestone;

-- milestone keys that are not unique (a view over two systems whose ids
-- collide, NULL ids; review bind_milestones_key_not_unique): the rows keep
-- their ids, and group_key adds the ordinal among the project's rows
-- sharing the key, so the materialized view's unique index holds
CREATE TABLE mn_crm.ms_a (id int, project int, planned date, actual date);
CREATE TABLE mn_crm.ms_b (id int, project int, planned date, actual date);
INSERT INTO mn_crm.ms_a VALUES (1, 1, '2026-01-10', '2026-01-12'), (2, 1, '2026-02-10', NULL);
INSERT INTO mn_crm.ms_b VALUES (1, 1, '2026-03-10', NULL), (NULL, 2, '2026-01-01', NULL), (NULL, 2, '2026-01-02', NULL);
CREATE VIEW mn_crm.ms_two AS SELECT * FROM mn_crm.ms_a UNION ALL SELECT * FROM mn_crm.ms_b;
SELECT * FROM salesplan.bind_milestones('mn_two', 'mn_rep', 'mn_crm.ms_two', 'project', 'planned', actual_column => 'actual',
    as_of => '2026-03-01', materialized => true);
SELECT * FROM salesplan.refresh('mn_two');
-- by hand: project 1 ids 1 (01-10), 1 (03-10), 2; project 2 two NULL ids
SELECT group_key, project, id, planned FROM mn_rep.mn_two_milestones ORDER BY project, id, planned;
SELECT count(*) AS rows, count(DISTINCT group_key) AS keys FROM mn_rep.mn_two_milestones;

-- errors: a milestone label column that does not exist (42703), a
-- milestone_key given that does not exist (42703), a milestone key that is
-- also a dimension (42701)
\set VERBOSITY terse
SELECT * FROM salesplan.bind_milestones('mn_x', 'mn_rep', 'mn_crm.ms', 'project', 'planned', milestone_label => 'nope');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM salesplan.bind_milestones('mn_x', 'mn_rep', 'mn_crm.bare', 'project', 'planned', milestone_key => 'nope');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM salesplan.bind_milestones('mn_x', 'mn_rep', 'mn_crm.ms', 'project', 'planned', milestone_key => 'manager',
    dimensions => '{manager}');
\echo :LAST_ERROR_SQLSTATE
\set VERBOSITY default
SELECT count(*) FILTER (WHERE salesplan.unbind(name)) AS unbound FROM salesplan.binding WHERE name LIKE 'mn\_%';
SET client_min_messages = warning;
DROP SCHEMA mn_crm, mn_rep CASCADE;
DROP EXTENSION salesplan;
