-- crm_recipes: the generic recipes of doc/crm_recipes.md, run as the page
-- writes them (its blocks marked "recipe <crm> glue" and "recipe <crm>
-- bind" are cut out of the page and run here), over the preset tests'
-- fixtures (test/data/odoo17.sql, test/data/salesforce.sql), in a session
-- time zone far from UTC.  Every view the generic bindings make gives, row
-- for row, the numbers of the preset's view of the same name (the preset
-- views are checked against plain SQL over the raw tables in presets_odoo
-- and presets_salesforce).  The glue's line and view counts that the page
-- states are counted here.
\set SHOW_CONTEXT never
SET client_min_messages = warning;
DROP DATABASE IF EXISTS crm_recipes;
CREATE DATABASE crm_recipes;
\c crm_recipes
CREATE EXTENSION salesplan;
RESET client_min_messages;
SET TimeZone = 'Asia/Tokyo';
SET DateStyle = 'ISO, YMD';
SET extra_float_digits = 0;

-- the glue's size per CRM: non-blank lines of its blocks (comments
-- included), CREATE VIEW and CREATE FUNCTION statements
\! for c in odoo sf; do awk -v c="$c" '/^<!-- recipe / { want = ($3 == c && $4 == "glue"); next } /^```sql/ && want { on = 1; next } /^```/ { on = 0; want = 0; next } on && NF { n++ } on && /^--/ { k++ } on && /CREATE VIEW/ { v++ } on && /CREATE FUNCTION/ { f++ } END { printf "%s: %d lines (%d without comments), %d views, %d functions\n", c, n, n - k, v, f }' doc/crm_recipes.md; done
-- cut the recipes out of the page
\! for c in odoo sf; do awk -v c="$c" '/^<!-- recipe / { want = ($3 == c); next } /^```sql/ && want { on = 1; next } /^```/ { on = 0; want = 0; next } on' doc/crm_recipes.md > "/tmp/salesplan_crm_recipes_${PGPORT}_$c.sql"; done
\getenv pgport PGPORT
\set odoo_recipe '/tmp/salesplan_crm_recipes_' :pgport '_odoo.sql'
\set sf_recipe '/tmp/salesplan_crm_recipes_' :pgport '_sf.sql'

\set odoo_schema odoo
\set sf_schema SF
\set sf_snake_schema sf_snake
\set ECHO none
\i test/data/odoo17.sql
\i test/data/salesforce.sql
\set ECHO all

-- the recipes
\i :odoo_recipe
\i :sf_recipe
\! rm -f /tmp/salesplan_crm_recipes_${PGPORT}_odoo.sql /tmp/salesplan_crm_recipes_${PGPORT}_sf.sql

-- the presets over the same rows, with the same period, tag and as_of
CREATE SCHEMA preset;
SELECT count(*) AS views FROM salesplan.bind_odoo('preset', 'odoo', target_tag => 'Key Account',
    period_start => '2024-01-01', period_end => '2025-01-01', as_of => '2024-06-30');
SELECT count(*) AS views FROM salesplan.bind_salesforce('preset', 'SF', target_field => 'Target__c', touch_role => 'SDR',
    period_start => '2024-01-01', period_end => '2025-01-01', as_of => '2024-06-30');

-- rows of generic view a not in preset view b and the other way round
-- (EXCEPT ALL), over every column of a that b has, a's key columns matched
-- to b's by the renames given (as text: their types differ); values
-- compare as values (the milestone weight, Odoo's float
-- quantity_percentage, shows 8 decimals from the generic binding and the
-- preset's numeric scale from the preset); group_key differs by design
-- (the presets also group by the team's name)
CREATE FUNCTION pg_temp.differ(a regclass, b regclass, renames jsonb DEFAULT '{}')
    RETURNS TABLE (generic_rows bigint, preset_rows bigint, only_generic bigint, only_preset bigint, columns bigint)
    LANGUAGE plpgsql AS $$
DECLARE ca text; cb text;
BEGIN
    SELECT string_agg(format(CASE WHEN renames ? x.attname THEN '%I::text' ELSE '%I' END, x.attname), ', ' ORDER BY x.attnum),
           string_agg(format(CASE WHEN renames ? x.attname THEN '%I::text' ELSE '%I' END, coalesce(renames ->> x.attname, x.attname)), ', ' ORDER BY x.attnum),
           count(*)
      INTO ca, cb, columns
    FROM pg_attribute x WHERE x.attrelid = a AND x.attnum > 0 AND x.attname <> 'group_key'
      AND EXISTS (SELECT FROM pg_attribute y WHERE y.attrelid = b AND y.attnum > 0
                  AND y.attname = coalesce(renames ->> x.attname, x.attname));
    EXECUTE format('SELECT (SELECT count(*) FROM %s), (SELECT count(*) FROM %s), '
                   || '(SELECT count(*) FROM (SELECT %s FROM %s EXCEPT ALL SELECT %s FROM %s) q), '
                   || '(SELECT count(*) FROM (SELECT %s FROM %s EXCEPT ALL SELECT %s FROM %s) q)',
                   a, b, ca, a, cb, b, cb, b, ca, a)
      INTO generic_rows, preset_rows, only_generic, only_preset;
    RETURN NEXT;
END $$;

SELECT v.generic, v.preset, d.*
FROM (VALUES
    ('odoo_generic.g_pipeline', 'preset.odoo_pipeline', '{}'),
    ('odoo_generic.g_pipeline_stages', 'preset.odoo_pipeline_stages', '{}'),
    ('odoo_generic.g_pipeline_fit', 'preset.odoo_pipeline_fit', '{}'),
    ('odoo_generic.g_stage_flow', 'preset.odoo_stage_flow', '{}'),
    ('odoo_generic.g_stage_flow_entities', 'preset.odoo_stage_flow_entities', '{"id": "lead_id"}'),
    ('odoo_generic.g_targets', 'preset.odoo_targets', '{}'),
    ('odoo_generic.g_targets_accounts', 'preset.odoo_targets_accounts', '{}'),
    ('odoo_generic.g_delivery', 'preset.odoo_delivery', '{}'),
    ('odoo_generic.g_delivery_portfolio', 'preset.odoo_delivery_portfolio', '{}'),
    ('odoo_generic.g_delivery_milestones', 'preset.odoo_delivery_milestones', '{"id": "milestone_id"}'),
    ('sf_generic.s_pipeline', 'preset.sf_pipeline', '{}'),
    ('sf_generic.s_pipeline_stages', 'preset.sf_pipeline_stages', '{}'),
    ('sf_generic.s_pipeline_fit', 'preset.sf_pipeline_fit', '{}'),
    ('sf_generic.s_stage_flow', 'preset.sf_stage_flow', '{}'),
    ('sf_generic.s_stage_flow_entities', 'preset.sf_stage_flow_entities', '{"OpportunityId": "opportunity_id"}'),
    ('sf_generic.s_targets', 'preset.sf_targets', '{}'),
    ('sf_generic.s_targets_accounts', 'preset.sf_targets_accounts', '{"Id": "account_id"}')) AS v(generic, preset, renames),
    LATERAL pg_temp.differ(v.generic::regclass, v.preset::regclass, v.renames::jsonb) AS d
ORDER BY 1;
-- every view of the recipes is compared, and the same views exist
SELECT count(*) AS generic_views FROM pg_class WHERE relnamespace IN ('odoo_generic'::regnamespace, 'sf_generic'::regnamespace);
SELECT count(*) AS preset_binding_views FROM pg_class c
WHERE c.relnamespace = 'preset'::regnamespace AND c.relname NOT LIKE '%\_src\_%' AND c.relname NOT LIKE 'odoo\_leads%';

\c contrib_regression
SET client_min_messages = warning;
DROP DATABASE crm_recipes;
