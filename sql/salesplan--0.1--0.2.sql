-- sql/salesplan--0.1--0.2.sql: ALTER EXTENSION salesplan UPDATE from 0.1 to 0.2.

-- complain if script is sourced in psql, rather than via ALTER EXTENSION
\echo Use "ALTER EXTENSION salesplan UPDATE TO '0.2'" to load this file. \quit

-- Every change of salesplan's SQL objects since 0.1 goes here, in the same
-- commit as its change in sql/install/, so that a database upgraded from 0.1
-- ends up with exactly the objects of a fresh 0.2 install (test/sql/upgrade.sql
-- checks it).  0.1 is frozen: sql/salesplan--0.1.sql is never edited.
-- Rules for the statements below:
--   * qualify every name (salesplan., pg_catalog.), as in the install script;
--   * a new object gets its COMMENT ON here as well;
--   * CREATE OR REPLACE FUNCTION keeps a function's identity (and the views
--     users built on it); DROP and re-CREATE only when the signature or the
--     result type changes;
--   * a stored state whose format changes is upgraded on read, in C (the
--     version byte says which format it is), never rewritten here;
--   * a C symbol that a released script names stays in the library:
--     databases not yet updated still call it.

-- The implicit types of salesplan's types and table get comments: PostgreSQL
-- 17 and later list them as extension members (test/sql/install.sql).
COMMENT ON TYPE salesplan.funnel[] IS
    'array of salesplan.funnel values';
COMMENT ON TYPE salesplan.funnel_events[] IS
    'array of salesplan.funnel_events values';
COMMENT ON TYPE salesplan.coverage[] IS
    'array of salesplan.coverage values';
COMMENT ON TYPE salesplan.proposals[] IS
    'array of salesplan.proposals values';
COMMENT ON TYPE salesplan.touches[] IS
    'array of salesplan.touches values';
COMMENT ON TYPE salesplan.schedule[] IS
    'array of salesplan.schedule values';
COMMENT ON TYPE salesplan.slip_trend_state[] IS
    'array of salesplan.slip_trend_state values';
COMMENT ON TYPE salesplan.binding IS
    'row type of table salesplan.binding: one binding';
COMMENT ON TYPE salesplan.binding[] IS
    'array of salesplan.binding rows';
