-- Internals out of reach (issue 9): salesplan's helpers live in schema
-- salesplan_internal, which no other role may use, and none of its
-- functions is executable by PUBLIC.  The public functions that need them
-- still work for an ordinary role.  Plus the small defect ceil_div(100.5, -1).
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS salesplan;
DROP ROLE IF EXISTS regress_salesplan_user;
RESET client_min_messages;
\set SHOW_CONTEXT never

CREATE ROLE regress_salesplan_user;
CREATE SCHEMA sec_int;
GRANT USAGE, CREATE ON SCHEMA sec_int TO regress_salesplan_user;

-- as 0.1 allowed it: any role runs binding_create_object, which executes
-- the SQL it is given
SET ROLE regress_salesplan_user;
SELECT salesplan.binding_create_object('sec_int', 'x', 'SELECT 1 AS one', false, '{}', 'c', '{"one": "c"}');
SELECT salesplan_internal.binding_create_object(current_user::regrole, 'sec_int', 'x', 'SELECT 1 AS one',
    false, '{}', 'c', '{"one": "c"}', NULL);
SELECT salesplan_internal.ceil_div(1, 1);
RESET ROLE;
SELECT to_regclass('sec_int.x') AS created;

-- no function of the internal schema is executable by another role, and
-- the schema itself is closed
SELECT has_schema_privilege('regress_salesplan_user', 'salesplan_internal', 'USAGE') AS internal_usage;
SELECT count(*) AS internal_functions,
       count(*) FILTER (WHERE has_function_privilege('regress_salesplan_user', p.oid, 'EXECUTE')) AS executable
FROM pg_proc p WHERE p.pronamespace = 'salesplan_internal'::regnamespace;
-- no helper is left in the public schema
SELECT p.oid::regprocedure::text AS helper_in_salesplan
FROM pg_proc p
WHERE p.pronamespace = 'salesplan'::regnamespace
  AND p.proname IN ('ceil_div', 'explain_gap_check', 'explain_gap_factors')
   OR (p.pronamespace = 'salesplan'::regnamespace AND p.proname LIKE 'binding\_%')
ORDER BY 1;
-- every SECURITY DEFINER function pins search_path, and is either an
-- internal one or one of the planning functions that run no user SQL
SELECT p.oid::regprocedure::text AS definer,
       coalesce(p.proconfig @> ARRAY['search_path=pg_catalog, pg_temp'], false) AS pinned
FROM pg_proc p
WHERE p.pronamespace IN ('salesplan'::regnamespace, 'salesplan_internal'::regnamespace) AND p.prosecdef
ORDER BY 1;

-- the internals refuse to run outside a public call, even for a superuser
SELECT salesplan_internal.binding_caller();
SELECT * FROM salesplan_internal.regenerate(NULL);

-- the public functions that use internals work for an ordinary role
SET ROLE regress_salesplan_user;
-- by hand: 100 leads at 30% and 20% to 6 won at aov 50 -> required leads
-- for 600: 600 / 50 = 12 won / 0.2 = 60 opportunities / 0.3 = 200 leads
SELECT * FROM salesplan.plan(
    (SELECT salesplan.funnel_agg(r, CASE WHEN r = 3 THEN 50 END, 3)
     FROM (SELECT CASE WHEN g <= 6 THEN 3 WHEN g <= 30 THEN 2 ELSE 1 END AS r
           FROM generate_series(1, 100) AS g) AS s), 600) ORDER BY stage;
SELECT * FROM salesplan.plan_activities(200, ARRAY['call'], ARRAY[250::numeric], 100, 3, 20);
-- by hand (Shapley over three factors): leads 20 * (25/3 + 24.5/6) = 248.33..,
-- conversion 0.05 * (8200/3 + 8000/6) = 203.33.., aov 10 * (50/3 + 49/6) =
-- 248.33..; they sum to 1500 - 800 = 700
SELECT factor, round(effect, 1) AS effect FROM salesplan.explain_gap(100, '{0.3}', 50, 80, '{0.25}', 40) ORDER BY factor;
SELECT sum(effect) AS total FROM salesplan.explain_gap(100, '{0.3}', 50, 80, '{0.25}', 40);
SELECT * FROM salesplan.explain_gap(100, '{1.3}', 50, 80, '{0.25}', 40);
RESET ROLE;

-- ceil_div: exact ceiling for any signs (0.1 returned -99 for 100.5 / -1:
-- the ceiling of -100.5 is -100); each row checked against ceil() of the
-- exactly representable quotient
SELECT n, d, salesplan_internal.ceil_div(n, d) AS ceil_div, ceil(n / d) AS by_hand
FROM (VALUES (100.5, -1), (100.5, 1), (-100.5, 1), (-100.5, -1), (7, 2), (-7, 2), (7, -2), (-7, -2),
             (6, 3), (-6, 3), (0, -5), (1, 3), (-1, 3), (0.0000001, 1000000)) AS v(n, d)
ORDER BY n, d;
SELECT salesplan_internal.ceil_div(1, 0);

SET client_min_messages = warning;
DROP SCHEMA sec_int CASCADE;
DROP EXTENSION salesplan;
DROP OWNED BY regress_salesplan_user;
DROP ROLE regress_salesplan_user;
