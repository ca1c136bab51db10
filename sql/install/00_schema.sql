-- salesplan install script, assembled by the Makefile from the fragments in
-- sql/install/ as sql/salesplan--<default_version>.sql.  A released version's
-- script is committed under sql/ and never edited again.

-- complain if script is sourced in psql, rather than via CREATE EXTENSION
\echo Use "CREATE EXTENSION salesplan" to load this file. \quit

-- The schema itself is created by CREATE EXTENSION (schema = salesplan in
-- salesplan.control) when it is missing.  A schema of that name that is
-- already there must be the installing role's own, empty one: anything in
-- it (a planted salesplan.funnel_agg(int, int, int), a default privilege)
-- would be found by salesplan's own SQL and run with its callers' rights.
-- The check runs before anything else, names only pg_catalog objects and
-- pins the operators it uses.
DO $install_check$
DECLARE
    nsp pg_catalog.oid;
    owner_name pg_catalog.name;
    objects pg_catalog.int8;
    writers pg_catalog.text;
    saved_path pg_catalog.text := pg_catalog.current_setting('search_path');
BEGIN
    PERFORM pg_catalog.set_config('search_path', 'pg_catalog, pg_temp', true);
    SELECT n.oid, pg_catalog.pg_get_userbyid(n.nspowner) INTO nsp, owner_name
    FROM pg_catalog.pg_namespace n
    WHERE n.nspname OPERATOR(pg_catalog.=) 'salesplan'::pg_catalog.name;
    IF nsp IS NULL THEN
        RAISE EXCEPTION 'schema "salesplan" does not exist'
            USING ERRCODE = 'invalid_schema_name',
                  HINT = 'Install salesplan with CREATE EXTENSION salesplan.';
    END IF;
    IF owner_name OPERATOR(pg_catalog.<>) CURRENT_USER THEN
        RAISE EXCEPTION 'schema "salesplan" already exists and is owned by role "%", not by "%"',
                        owner_name, CURRENT_USER
            USING ERRCODE = 'insufficient_privilege',
                  DETAIL = 'salesplan installs into its own schema; a schema owned by another role could hold objects that its functions would run.',
                  HINT = 'Check what the schema holds, then drop or rename it (ALTER SCHEMA salesplan RENAME TO ...) and run CREATE EXTENSION salesplan again: it creates the schema itself.';
    END IF;
    SELECT pg_catalog.string_agg(pg_catalog.quote_ident(pg_catalog.pg_get_userbyid(a.grantee)), ', ')
      INTO writers
    FROM pg_catalog.pg_namespace n, pg_catalog.aclexplode(n.nspacl) AS a
    WHERE n.oid OPERATOR(pg_catalog.=) nsp
      AND a.privilege_type OPERATOR(pg_catalog.=) 'CREATE'
      AND a.grantee OPERATOR(pg_catalog.<>) n.nspowner;
    IF writers IS NOT NULL THEN
        RAISE EXCEPTION 'schema "salesplan" already exists and other roles may create objects in it: %', writers
            USING ERRCODE = 'insufficient_privilege',
                  HINT = 'Revoke CREATE on schema salesplan from them, or drop the schema, and run CREATE EXTENSION salesplan again.';
    END IF;
    SELECT (SELECT pg_catalog.count(*) FROM pg_catalog.pg_class c WHERE c.relnamespace OPERATOR(pg_catalog.=) nsp)
         OPERATOR(pg_catalog.+) (SELECT pg_catalog.count(*) FROM pg_catalog.pg_proc p WHERE p.pronamespace OPERATOR(pg_catalog.=) nsp)
         OPERATOR(pg_catalog.+) (SELECT pg_catalog.count(*) FROM pg_catalog.pg_type t WHERE t.typnamespace OPERATOR(pg_catalog.=) nsp)
         OPERATOR(pg_catalog.+) (SELECT pg_catalog.count(*) FROM pg_catalog.pg_operator o WHERE o.oprnamespace OPERATOR(pg_catalog.=) nsp)
         OPERATOR(pg_catalog.+) (SELECT pg_catalog.count(*) FROM pg_catalog.pg_collation l WHERE l.collnamespace OPERATOR(pg_catalog.=) nsp)
         OPERATOR(pg_catalog.+) (SELECT pg_catalog.count(*) FROM pg_catalog.pg_conversion v WHERE v.connamespace OPERATOR(pg_catalog.=) nsp)
         OPERATOR(pg_catalog.+) (SELECT pg_catalog.count(*) FROM pg_catalog.pg_opclass oc WHERE oc.opcnamespace OPERATOR(pg_catalog.=) nsp)
         OPERATOR(pg_catalog.+) (SELECT pg_catalog.count(*) FROM pg_catalog.pg_opfamily f WHERE f.opfnamespace OPERATOR(pg_catalog.=) nsp)
         OPERATOR(pg_catalog.+) (SELECT pg_catalog.count(*) FROM pg_catalog.pg_ts_config x WHERE x.cfgnamespace OPERATOR(pg_catalog.=) nsp)
         OPERATOR(pg_catalog.+) (SELECT pg_catalog.count(*) FROM pg_catalog.pg_ts_dict x WHERE x.dictnamespace OPERATOR(pg_catalog.=) nsp)
         OPERATOR(pg_catalog.+) (SELECT pg_catalog.count(*) FROM pg_catalog.pg_ts_parser x WHERE x.prsnamespace OPERATOR(pg_catalog.=) nsp)
         OPERATOR(pg_catalog.+) (SELECT pg_catalog.count(*) FROM pg_catalog.pg_ts_template x WHERE x.tmplnamespace OPERATOR(pg_catalog.=) nsp)
         OPERATOR(pg_catalog.+) (SELECT pg_catalog.count(*) FROM pg_catalog.pg_statistic_ext x WHERE x.stxnamespace OPERATOR(pg_catalog.=) nsp)
         OPERATOR(pg_catalog.+) (SELECT pg_catalog.count(*) FROM pg_catalog.pg_extension x WHERE x.extnamespace OPERATOR(pg_catalog.=) nsp
                                                                AND x.extname OPERATOR(pg_catalog.<>) 'salesplan'::pg_catalog.name)
         OPERATOR(pg_catalog.+) (SELECT pg_catalog.count(*) FROM pg_catalog.pg_default_acl x WHERE x.defaclnamespace OPERATOR(pg_catalog.=) nsp)
      INTO objects;
    IF objects OPERATOR(pg_catalog.>) 0 THEN
        RAISE EXCEPTION 'schema "salesplan" already exists and is not empty'
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  DETAIL = pg_catalog.format('It holds %s objects (relations, functions, types, operators, default privileges or others); salesplan''s functions would find them.', objects),
                  HINT = 'Check what the schema holds, then drop or rename it (ALTER SCHEMA salesplan RENAME TO ...) and run CREATE EXTENSION salesplan again: it creates the schema itself.';
    END IF;
    PERFORM pg_catalog.set_config('search_path', saved_path, true);
END
$install_check$;

COMMENT ON SCHEMA salesplan IS
    'salesplan: break sales targets into plannable process metrics (funnels, target-account coverage, milestone schedules)';

-- Anyone may call salesplan's functions (each checks its own inputs; the
-- binding functions check the caller's rights on the tables they read).
GRANT USAGE ON SCHEMA salesplan TO PUBLIC;

-- Internal helpers: the binding machinery and helpers of the planning
-- functions.  Nobody but the extension's owner may use this schema or run
-- its functions (see doc/security.md); 99_privileges.sql revokes EXECUTE
-- from PUBLIC on every function in it.
CREATE SCHEMA salesplan_internal;
REVOKE ALL ON SCHEMA salesplan_internal FROM PUBLIC;
COMMENT ON SCHEMA salesplan_internal IS
    'salesplan internals (binding implementations and helpers): not an API, not usable by other roles';
