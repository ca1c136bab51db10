-- Installing salesplan: the schema, and the full list of its objects.
CREATE EXTENSION salesplan;
SELECT extname, extversion, extrelocatable, n.nspname AS schema
FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
WHERE extname = 'salesplan';
-- The objects salesplan creates (what \dx+ lists on PostgreSQL 15).
-- PostgreSQL 17 also records as members the array type of every member type
-- and the row type of every member table, which CREATE TYPE and CREATE TABLE
-- make implicitly: they are left out here so that the list is the same on
-- every version, and checked for comments below.
CREATE TEMP VIEW member AS
SELECT d.classid, d.objid, d.objsubid
FROM pg_depend d
WHERE d.refclassid = 'pg_extension'::regclass
  AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'salesplan')
  AND d.deptype = 'e';
CREATE TEMP VIEW implicit_type AS
WITH row_type AS (
    SELECT c.reltype AS objid
    FROM member m JOIN pg_class c ON c.oid = m.objid
    WHERE m.classid = 'pg_class'::regclass AND c.reltype <> 0
)
SELECT 'pg_type'::regclass::oid AS classid, objid, 0 AS objsubid FROM row_type
UNION ALL
SELECT 'pg_type'::regclass::oid, t.typarray, 0
FROM pg_type t
WHERE t.typarray <> 0
  AND (t.oid IN (SELECT objid FROM row_type)
       OR t.oid IN (SELECT objid FROM member WHERE classid = 'pg_type'::regclass));
SELECT pg_describe_object(classid, objid, objsubid) AS object
FROM (SELECT * FROM member EXCEPT SELECT * FROM implicit_type) m
ORDER BY 1;
-- the implicit types, whatever the version, are those of the member types
-- and tables
SELECT pg_describe_object(classid, objid, objsubid) AS implicit_type
FROM implicit_type
ORDER BY 1;
-- every object of the extension, and every implicit type, has a comment
SELECT pg_describe_object(classid, objid, objsubid) AS missing_comment
FROM (SELECT * FROM member UNION SELECT * FROM implicit_type) m
WHERE obj_description(objid, (SELECT relname FROM pg_class WHERE oid = classid)) IS NULL
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
  AND p.prosrc !~ ('^salesplan_((funnel|funnel_events|coverage|proposals|touches|account|schedule|outcomes)_)?'
                   || p.proname || '(_tz)?$')
ORDER BY 1;
-- leave the database as found: every test creates the extension itself
DROP EXTENSION salesplan;
