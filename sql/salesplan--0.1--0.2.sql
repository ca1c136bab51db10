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

-- binding_cron_schema: the hint says what is still missing (only CREATE
-- EXTENSION pg_cron on a server that already preloads it for this database)
CREATE OR REPLACE FUNCTION salesplan.binding_cron_schema() RETURNS name
    LANGUAGE plpgsql STABLE
    SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    nsp name;
    preload text;
    crondb text;
    hint text;
BEGIN
    -- pg_cron keeps its functions and tables in schema cron, whatever the
    -- extension's own schema (public) says
    SELECT 'cron' INTO nsp FROM pg_catalog.pg_extension e WHERE e.extname = 'pg_cron';
    IF nsp IS NULL THEN
        -- the hint says what is still missing: a server that preloads
        -- pg_cron for this database needs only CREATE EXTENSION (reading
        -- shared_preload_libraries needs pg_read_all_settings: without it,
        -- the whole recipe)
        BEGIN
            preload := pg_catalog.current_setting('shared_preload_libraries');
        EXCEPTION WHEN insufficient_privilege THEN
            preload := NULL;
        END;
        crondb := pg_catalog.current_setting('cron.database_name', true);
        IF 'pg_cron' = ANY (pg_catalog.string_to_array(pg_catalog.replace(preload, ' ', ''), ',')) THEN
            IF pg_catalog.coalesce(crondb, 'postgres') = pg_catalog.current_database() THEN
                hint := 'pg_cron is already preloaded for this database: run CREATE EXTENSION pg_cron.';
            ELSE
                hint := pg_catalog.format('pg_cron is preloaded for database "%s" only (cron.database_name): set cron.database_name to this database and restart the server, then run CREATE EXTENSION pg_cron.', pg_catalog.coalesce(crondb, 'postgres'));
            END IF;
        ELSE
            hint := 'Add pg_cron to shared_preload_libraries, set cron.database_name to this database, restart the server, then run CREATE EXTENSION pg_cron.';
        END IF;
        RAISE EXCEPTION 'extension "pg_cron" is not installed in database "%"', pg_catalog.current_database()
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  HINT = hint || '  Without it, run SELECT salesplan.refresh(...) from any scheduler.';
    END IF;
    RETURN nsp;
END
$fn$;
