-- salesplan install script, assembled by the Makefile from the fragments in
-- sql/install/ as sql/salesplan--<default_version>.sql.  A released version's
-- script is committed under sql/ and never edited again.

-- complain if script is sourced in psql, rather than via CREATE EXTENSION
\echo Use "CREATE EXTENSION salesplan" to load this file. \quit

-- The schema itself is created by CREATE EXTENSION (schema = salesplan in
-- salesplan.control).  Every object below is schema-qualified, and every
-- SQL or PL/pgSQL function pins search_path, so nothing depends on the
-- caller's search_path.

COMMENT ON SCHEMA salesplan IS
    'salesplan: break sales targets into plannable process metrics (funnels, target-account coverage, milestone schedules)';

-- Anyone may call salesplan's functions (each checks its own inputs; the
-- binding functions check the caller's rights on the tables they read).
GRANT USAGE ON SCHEMA salesplan TO PUBLIC;
