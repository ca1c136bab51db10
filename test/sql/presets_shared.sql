-- presets_shared: salesplan.bind_odoo and salesplan.bind_salesforce are
-- thin wrappers over one implementation, salesplan_internal.preset_bind
-- (the source-view loop, the preset checks, the generic bind calls and the
-- recorded call), so the two presets cannot drift apart.  Before, each
-- implementation held its own copy of all of it.  The numbers of both
-- presets are checked against plain SQL in presets_odoo and
-- presets_salesforce, unchanged.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS salesplan;
DROP ROLE IF EXISTS regress_preset_shared;
SET DateStyle = 'ISO, YMD';
SET TimeZone = 'UTC';
\set SHOW_CONTEXT never

-- the two implementations only pass their preset call, key and dimensions
-- to preset_bind: no generic bind call, check or source view of their own
SELECT p.proname, p.prosrc ~ 'salesplan_internal\.preset_bind\(' AS calls_preset_bind,
       p.prosrc ~ 'salesplan\.bind_|preset_view|preset_check|_sources|binding_act_as|RETURN NEXT' AS own_copy
FROM pg_proc p
WHERE p.pronamespace = 'salesplan_internal'::regnamespace AND p.proname IN ('bind_odoo', 'bind_salesforce')
ORDER BY 1;
-- preset_bind and preset_sources are internals: not SECURITY DEFINER (they
-- run inside the two implementations), not executable by another role
CREATE ROLE regress_preset_shared;
SELECT p.oid::regprocedure::text AS internal, p.prosecdef AS security_definer,
       has_function_privilege('regress_preset_shared', p.oid, 'EXECUTE') AS executable_by_others
FROM pg_proc p
WHERE p.pronamespace = 'salesplan_internal'::regnamespace AND p.proname IN ('preset_bind', 'preset_sources')
ORDER BY 1;
-- and preset_bind refuses a direct call, even a superuser's
SELECT * FROM salesplan_internal.preset_bind('public', '{"crm": "odoo", "prefix": "x"}', 'lead_id', '{}',
    'month', NULL, NULL, NULL, NULL, NULL, false, false, NULL, NULL);

-- both presets over their fixtures: binding for binding, their specs
-- differ only in the names of the source views, the entity key (lead_id,
-- opportunity_id) and the dimensions ({team_id,team}, {team})
\set odoo_schema 'ps_odoo'
\set sf_schema 'ps_sf'
\set sf_snake_schema 'ps_sf_snake'
\set ECHO none
\o /dev/null
\i test/data/odoo17.sql
\i test/data/salesforce.sql
\o
\set ECHO all
RESET search_path;
CREATE SCHEMA ps_rep;
SELECT count(*) AS odoo_views FROM salesplan.bind_odoo('ps_rep', 'ps_odoo', as_of => '2024-06-30');
SELECT count(*) AS salesforce_views FROM salesplan.bind_salesforce('ps_rep', 'ps_sf', as_of => '2024-06-30');
SELECT substr(o.name, 6) AS binding, k.key,
       o.spec -> k.key AS odoo, s.spec -> k.key AS salesforce
FROM salesplan.binding o
JOIN salesplan.binding s ON s.name = 'sf_' || substr(o.name, 6)
CROSS JOIN LATERAL (SELECT DISTINCT j.key FROM jsonb_object_keys(o.spec || s.spec) AS j(key)) AS k
WHERE o.name LIKE 'odoo\_%' AND o.spec -> k.key IS DISTINCT FROM s.spec -> k.key
ORDER BY 1, 2;
-- bindings only the Odoo preset makes (its CRM has leads and projects)
SELECT name, kind FROM salesplan.binding
WHERE name LIKE 'odoo\_%' AND 'sf_' || substr(name, 6) NOT IN (SELECT name FROM salesplan.binding)
ORDER BY name;
-- the recorded calls
SELECT name, preset - 'views' AS preset, jsonb_array_length(preset -> 'views') AS source_views
FROM salesplan.binding ORDER BY name;

SET client_min_messages = warning;
SELECT count(*) AS unbound FROM salesplan.binding WHERE salesplan.unbind(name);
DROP SCHEMA ps_rep, ps_odoo, ps_sf, ps_sf_snake CASCADE;
DROP EXTENSION salesplan;
DROP ROLE regress_preset_shared;
