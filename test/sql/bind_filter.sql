-- Row filters of bindings: deleted_column (soft deletes, in every bound
-- relation that has the column) and row_filter (column conditions per
-- bound relation, quoted: never SQL text).  Expected numbers come from
-- plain SQL over the same rows.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS salesplan;
RESET client_min_messages;
SET extra_float_digits = 0;
\set SHOW_CONTEXT never

-- an ELT replica of Salesforce: soft-deleted rows stay, flagged is_deleted
CREATE SCHEMA sf;
CREATE TABLE sf.opportunity (id varchar(18) PRIMARY KEY, stage_name text, amount numeric(18, 2),
                             type text, owner_id text, is_deleted boolean);
CREATE TABLE sf.opportunity_history (id varchar(18) PRIMARY KEY, opportunity_id varchar(18), stage_name text,
                                     is_deleted boolean);
-- 30 opportunities at stage 1 + g % 3 of three; every 7th deleted; type
-- New Business, Renewal or NULL; the history says each reached stage 3
-- (a deleted history row for every 4th)
INSERT INTO sf.opportunity
SELECT 'o' || g, (ARRAY['Prospect', 'Proposal', 'Won'])[1 + g % 3], 10 * g,
       (ARRAY['New Business', 'Renewal', NULL])[1 + g % 3 + (g / 3) % 2 - 2 * ((g % 3 + (g / 3) % 2) / 3)],
       'u' || (g % 2), g % 7 = 0
FROM generate_series(1, 30) AS g;
INSERT INTO sf.opportunity_history
SELECT 'h' || g, 'o' || g, 'Won', g % 4 = 0 FROM generate_series(1, 30) AS g;
CREATE SCHEMA rep;
SELECT count(*) AS views FROM salesplan.bind_funnel('pipe', 'rep', 'sf.opportunity', 'stage_name',
    amount_column => 'amount', dimensions => '{owner_id}', stage_order => '{Prospect,Proposal,Won}',
    history_table => 'sf.opportunity_history', history_key => 'opportunity_id',
    deleted_column => 'is_deleted', row_filter => '{"relation": {"type": ["New Business", "Renewal"]}}');
-- plain SQL: not deleted, of the two types; reached stage 3 through a
-- history row that is not deleted, else the current stage
CREATE TEMP VIEW plain AS
SELECT o.owner_id, count(*) AS leads,
       count(*) FILTER (WHERE o.stage_name = 'Won'
                           OR EXISTS (SELECT FROM sf.opportunity_history h
                                      WHERE h.opportunity_id = o.id AND NOT h.is_deleted)) AS won,
       coalesce(sum(o.amount) FILTER (WHERE o.stage_name = 'Won'
                           OR EXISTS (SELECT FROM sf.opportunity_history h
                                      WHERE h.opportunity_id = o.id AND NOT h.is_deleted)), 0) AS revenue
FROM sf.opportunity o
WHERE NOT o.is_deleted AND o.type IN ('New Business', 'Renewal')
GROUP BY o.owner_id;
SELECT * FROM plain ORDER BY owner_id;
SELECT owner_id, leads, won, revenue FROM rep.pipe ORDER BY owner_id;
SELECT (SELECT count(*) FROM (SELECT owner_id, leads, won, revenue FROM rep.pipe EXCEPT SELECT * FROM plain) d) AS view_only,
       (SELECT count(*) FROM (SELECT * FROM plain EXCEPT SELECT owner_id, leads, won, revenue FROM rep.pipe) d) AS plain_only;

-- coverage: the target flag and the kind of activity that counts
CREATE TABLE sf.account (id int PRIMARY KEY, is_target boolean, is_deleted boolean);
INSERT INTO sf.account SELECT i, i % 3 <> 0, i = 4 FROM generate_series(1, 12) AS i;
CREATE TABLE sf.task (id int PRIMARY KEY, account_id int, status text, done_on date, is_deleted boolean);
INSERT INTO sf.task
SELECT i * 10 + t, i, CASE WHEN t = 1 THEN 'Completed' ELSE 'Open' END, date '2024-03-01' + t, i = 5
FROM generate_series(1, 12) AS i CROSS JOIN LATERAL generate_series(1, i % 3 + 1) AS t;
SELECT count(*) AS views FROM salesplan.bind_coverage('cov', 'rep', 'sf.account', 'id',
    activities => 'sf.task', activity_account => 'account_id', activity_date => 'done_on', as_of => '2024-06-30',
    deleted_column => 'is_deleted',
    row_filter => '{"targets": {"is_target": true}, "activities": {"status": "Completed"}}');
-- plain SQL: targets not deleted; touches = completed tasks not deleted
SELECT count(*) AS targets,
       count(*) FILTER (WHERE EXISTS (SELECT FROM sf.task t WHERE t.account_id = a.id AND t.status = 'Completed'
                                      AND NOT t.is_deleted)) AS reached
FROM sf.account a WHERE a.is_target AND NOT a.is_deleted;
SELECT targets, round(coverage_rate::numeric * targets) AS reached FROM rep.cov;
SELECT id, touches FROM rep.cov_accounts ORDER BY id;

-- a condition compares in the column's type, not as text: the reader's
-- DateStyle does not change the rows, and JSON 5 matches a stored 5.0
CREATE TABLE sf.closed (id int, stage int, closed_on date, amount numeric);
INSERT INTO sf.closed VALUES (1, 1, '2024-01-31', 5.0), (2, 3, '2024-01-31', 5), (3, 2, '2024-02-01', 7);
SELECT count(*) AS views FROM salesplan.bind_funnel('by_date', 'rep', 'sf.closed', 'stage', stages => 3,
    row_filter => '{"relation": {"closed_on": "2024-01-31", "amount": 5}}');
SELECT count(*) AS plain FROM sf.closed WHERE closed_on = '2024-01-31' AND amount = 5;
SELECT population FROM rep.by_date;
SET DateStyle = 'SQL, DMY';
SELECT population FROM rep.by_date;
RESET DateStyle;

-- errors
\set VERBOSITY terse
SELECT salesplan.bind_funnel('e', 'rep', 'sf.closed', 'stage', stages => 3,
    row_filter => '{"relation": {"closed_on": "last tuesday"}}');
SELECT salesplan.bind_funnel('e', 'rep', 'sf.opportunity', 'stage_name', stage_order => '{Won}',
    row_filter => '{"history_table": {"is_deleted": false}}');
SELECT salesplan.bind_funnel('e', 'rep', 'sf.opportunity', 'stage_name', stage_order => '{Won}',
    row_filter => '{"relation": {"type": {"in": ["x"]}}}');
SELECT salesplan.bind_funnel('e', 'rep', 'sf.opportunity', 'stage_name', stage_order => '{Won}',
    row_filter => '{"relation": {"type": true}}');
SELECT salesplan.bind_funnel('e', 'rep', 'sf.opportunity', 'stage_name', stage_order => '{Won}',
    row_filter => '{"relation": {"kind": "x"}}');
SELECT salesplan.bind_funnel('e', 'rep', 'sf.opportunity', 'stage_name', stage_order => '{Won}',
    deleted_column => 'IsDeleted');
SELECT salesplan.bind_funnel('e', 'rep', 'sf.opportunity', 'stage_name', stage_order => '{Won}',
    row_filter => '[1]');
-- a value is a literal, never SQL
SELECT count(*) AS views FROM salesplan.bind_funnel('quoted', 'rep', 'sf.opportunity', 'stage_name', stage_order => '{Won}',
    row_filter => '{"relation": {"type": "x'') OR (true"}}');
SELECT leads FROM rep.quoted;
\set VERBOSITY default

SELECT salesplan.unbind('pipe'), salesplan.unbind('cov'), salesplan.unbind('quoted'), salesplan.unbind('by_date');
SET client_min_messages = warning;
DROP SCHEMA rep, sf CASCADE;
DROP EXTENSION salesplan;
