-- CREATE EXTENSION refuses a pre-created schema "salesplan" it does not
-- own, one others may create objects in, and one that is not empty
-- (issue 9, finding 3), written as the planting role would.  The planted
-- function never runs.
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS salesplan;
-- DROP EXTENSION leaves the schema CREATE EXTENSION made (it is not a
-- member of the extension)
DROP SCHEMA IF EXISTS salesplan;
DROP ROLE IF EXISTS regress_salesplan_planter;
RESET client_min_messages;
\set SHOW_CONTEXT never

CREATE ROLE regress_salesplan_planter;
SELECT format('GRANT CREATE ON DATABASE %I TO regress_salesplan_planter', current_database()) \gexec
CREATE TABLE public.planted_calls (who text, at timestamptz DEFAULT now());
GRANT INSERT ON public.planted_calls TO PUBLIC;

-- a role with only CREATE on the database plants the schema and a function
-- that salesplan's SQL would resolve to
SET ROLE regress_salesplan_planter;
CREATE SCHEMA salesplan;
CREATE FUNCTION salesplan.funnel_agg(int, int, int) RETURNS int LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO public.planted_calls (who) VALUES (current_user);
    RETURN 0;
END $$;
GRANT USAGE ON SCHEMA salesplan TO PUBLIC;
RESET ROLE;

-- the superuser installs: refused, clearly
CREATE EXTENSION salesplan;
SELECT count(*) AS installed FROM pg_extension WHERE extname = 'salesplan';
SELECT count(*) AS planted_calls FROM public.planted_calls;

-- the same schema, handed to the superuser but still holding the function
ALTER SCHEMA salesplan OWNER TO CURRENT_USER;
CREATE EXTENSION salesplan;
-- and emptied, but with CREATE still granted to the planter
DROP FUNCTION salesplan.funnel_agg(int, int, int);
GRANT CREATE ON SCHEMA salesplan TO regress_salesplan_planter;
CREATE EXTENSION salesplan;
SELECT count(*) AS installed FROM pg_extension WHERE extname = 'salesplan';
-- a default privilege planted in it counts as an object
REVOKE CREATE ON SCHEMA salesplan FROM regress_salesplan_planter;
ALTER DEFAULT PRIVILEGES IN SCHEMA salesplan GRANT EXECUTE ON FUNCTIONS TO regress_salesplan_planter;
\set VERBOSITY sqlstate
CREATE EXTENSION salesplan;
\set VERBOSITY default
ALTER DEFAULT PRIVILEGES IN SCHEMA salesplan REVOKE EXECUTE ON FUNCTIONS FROM regress_salesplan_planter;

-- the installing role's own empty schema is fine, and so is none at all
CREATE EXTENSION salesplan;
SELECT n.nspname, pg_get_userbyid(n.nspowner) = current_user AS own
FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'salesplan';
DROP EXTENSION salesplan;
DROP SCHEMA salesplan;
CREATE EXTENSION salesplan;
SELECT count(*) AS installed FROM pg_extension WHERE extname = 'salesplan';
SELECT count(*) AS planted_calls FROM public.planted_calls;

DROP EXTENSION salesplan;
DROP SCHEMA salesplan;
DROP TABLE public.planted_calls;
SELECT format('REVOKE CREATE ON DATABASE %I FROM regress_salesplan_planter', current_database()) \gexec
DROP OWNED BY regress_salesplan_planter;
DROP ROLE regress_salesplan_planter;
