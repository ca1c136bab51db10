-- Installing salesplan: the schema, and the full list of its objects.
CREATE EXTENSION salesplan;
SELECT extname, extversion, extrelocatable, n.nspname AS schema
FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
WHERE extname = 'salesplan';
\dx+ salesplan
-- every object of the extension has a comment
SELECT pg_describe_object(classid, objid, objsubid) AS missing_comment
FROM pg_depend d
WHERE d.refclassid = 'pg_extension'::regclass
  AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'salesplan')
  AND d.deptype = 'e'
  AND obj_description(objid, (SELECT relname FROM pg_class WHERE oid = classid)) IS NULL
ORDER BY 1;
-- no function depends on the caller's search_path: C functions are
-- schema-independent, SQL and PL/pgSQL ones pin it
SELECT p.oid::regprocedure AS unpinned_function
FROM pg_proc p
WHERE p.pronamespace IN ('salesplan'::regnamespace, 'salesplan_internal'::regnamespace)
  AND p.prolang IN (SELECT oid FROM pg_language WHERE lanname IN ('sql', 'plpgsql'))
  AND NOT coalesce(p.proconfig @> ARRAY['search_path=pg_catalog, pg_temp'], false)
ORDER BY 1;
-- C symbols follow the SQL names (doc/README.md, "Naming"): salesplan_, the
-- family when the SQL name does not begin with it, the SQL name, and _tz
-- for the timestamptz overload that has a C function of its own
SELECT p.oid::regprocedure AS function, p.prosrc AS c_symbol
FROM pg_proc p
WHERE p.pronamespace = 'salesplan'::regnamespace
  AND p.prolang = (SELECT oid FROM pg_language WHERE lanname = 'c')
  AND p.prosrc !~ ('^salesplan_((funnel|funnel_events|coverage|proposals|touches|account|schedule)_)?'
                   || p.proname || '(_tz)?$')
ORDER BY 1;
-- leave the database as found: every test creates the extension itself
DROP EXTENSION salesplan;
