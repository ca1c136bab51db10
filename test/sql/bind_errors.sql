-- A binding error is raised once, from the function the user called: at
-- psql's default verbosity (VERBOSITY default, SHOW_CONTEXT errors) it
-- shows the message, the detail and the hint, and none of the internals'
-- context (0.1 printed about forty lines of PL/pgSQL frames and generated
-- statements after each one).
CREATE EXTENSION salesplan;
CREATE SCHEMA err_crm;
CREATE TABLE err_crm.opp (id int, stage int, amount numeric, created date);
CREATE SCHEMA err_rep;
\set VERBOSITY default
\set SHOW_CONTEXT errors
-- a column that does not exist
SELECT salesplan.bind_funnel('err_f', 'err_rep', 'err_crm.opp', stage_column => 'nostage');
-- a target schema that does not exist
SELECT salesplan.bind_funnel('err_f', 'no_such_schema', 'err_crm.opp', stage_column => 'stage');
-- a binding that does not exist
SELECT salesplan.regenerate('no_such_binding');
DROP SCHEMA err_crm, err_rep CASCADE;
DROP EXTENSION salesplan;
