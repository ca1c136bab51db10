
-- ---------------------------------------------------------------------
-- Presets: salesplan.bind_odoo and salesplan.bind_salesforce (issue 12,
-- SPEC §4).  See doc/presets.md.
--
-- A preset reads a stock CRM schema and creates, in the target schema:
--   * normalising source views <prefix>_src_* (security_invoker, commented)
--     that turn the CRM's conventions (archived and deleted rows, won/lost
--     rules, translated jsonb names, stage history in the chatter, logged
--     versus planned activities, a target tag or flag) into plain rows;
--   * ordinary bindings over them, made through the public generic bind
--     functions (salesplan.bind_funnel and friends), so they are listed in
--     salesplan.binding and regenerated, refreshed and unbound like any
--     other.
-- Security: the public functions are C entry points (src/binding.c) that
-- record the caller; the implementations below are SECURITY DEFINER and
-- check the caller's privileges on every CRM table and column they read,
-- create the source views as the caller (binding_execute_as), and call the
-- generic bind functions, whose gate keeps the caller as the binding's
-- owner.  So a preset never reads or creates more than the caller could
-- with the generic functions and a few CREATE VIEW statements of its own.
-- ---------------------------------------------------------------------

-- a CRM table of the source schema, checked for the acting role (the
-- caller of the preset, or the owner of its bindings when regenerate
-- rebuilds them); NULL when it is optional and absent
CREATE FUNCTION salesplan_internal.preset_table(source_schema name, table_name name, crm text,
                                                what text, required boolean)
    RETURNS regclass
    LANGUAGE plpgsql STABLE
    SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    caller regrole := salesplan_internal.binding_acting();
    rel regclass;
    kind "char";
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_namespace n WHERE n.nspname = source_schema) THEN
        RAISE EXCEPTION 'schema "%" does not exist', source_schema
            USING ERRCODE = 'invalid_schema_name',
                  DETAIL = pg_catalog.format('It was given as the source schema of the %s tables.', crm),
                  HINT = pg_catalog.format('Pass the schema that holds the %s tables as source_schema.', crm);
    END IF;
    rel := pg_catalog.to_regclass(pg_catalog.format('%I.%I', source_schema, table_name));
    IF rel IS NULL THEN
        IF NOT required THEN
            RETURN NULL;
        END IF;
        RAISE EXCEPTION 'relation %.% does not exist', pg_catalog.quote_ident(source_schema),
                        pg_catalog.quote_ident(table_name)
            USING ERRCODE = 'undefined_table',
                  DETAIL = pg_catalog.format('The %s preset reads it as the %s.', crm, what),
                  HINT = pg_catalog.format('Pass the schema that holds the %s tables as source_schema (the preset expects the names a stock installation creates).', crm);
    END IF;
    SELECT c.relkind INTO kind FROM pg_catalog.pg_class c WHERE c.oid = rel;
    IF kind NOT IN ('r', 'p', 'v', 'm', 'f') THEN
        RAISE EXCEPTION 'relation % is not a table, view, materialized view or foreign table',
                        salesplan_internal.binding_relname(rel)
            USING ERRCODE = 'wrong_object_type',
                  DETAIL = pg_catalog.format('The %s preset reads it as the %s.', crm, what);
    END IF;
    IF NOT pg_catalog.has_schema_privilege(caller, source_schema, 'USAGE')
       OR NOT pg_catalog.has_any_column_privilege(caller, rel, 'SELECT') THEN
        RAISE EXCEPTION 'permission denied for table %', salesplan_internal.binding_relname(rel)
            USING ERRCODE = 'insufficient_privilege',
                  DETAIL = pg_catalog.format('The %s preset reads it as the %s, and role %s may not read it.', crm, what, caller),
                  HINT = 'A preset reads only what the calling role may read: GRANT SELECT on the table (and USAGE on its schema) to it.';
    END IF;
    RETURN rel;
END
$fn$;
COMMENT ON FUNCTION salesplan_internal.preset_table(name, name, text, text, boolean) IS
    'internal: a table of a preset''s source schema, checked for the acting role (binding_acting); undefined_table (42P01) naming it when a required one is missing';

-- the type of a column of a preset's source table, checked for the
-- acting role; NULL when it is optional and absent
CREATE FUNCTION salesplan_internal.preset_column(rel regclass, col name, crm text, what text, required boolean)
    RETURNS regtype
    LANGUAGE plpgsql STABLE
    SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    caller regrole := salesplan_internal.binding_acting();
    typ regtype;
    cols text;
BEGIN
    IF rel IS NULL THEN
        RETURN NULL;
    END IF;
    SELECT a.atttypid::regtype INTO typ
    FROM pg_catalog.pg_attribute a
    WHERE a.attrelid = rel AND a.attname = col AND a.attnum > 0 AND NOT a.attisdropped;
    IF NOT FOUND THEN
        IF NOT required THEN
            RETURN NULL;
        END IF;
        SELECT pg_catalog.string_agg(pg_catalog.quote_ident(a.attname), ', ' ORDER BY a.attnum) INTO cols
        FROM pg_catalog.pg_attribute a
        WHERE a.attrelid = rel AND a.attnum > 0 AND NOT a.attisdropped;
        RAISE EXCEPTION 'column "%" of relation % does not exist', col, salesplan_internal.binding_relname(rel)
            USING ERRCODE = 'undefined_column',
                  DETAIL = pg_catalog.format('The %s preset reads it as the %s.', crm, what),
                  HINT = pg_catalog.format('Its columns are: %s.', coalesce(cols, '(none)'));
    END IF;
    IF NOT pg_catalog.has_column_privilege(caller, rel, col::text, 'SELECT') THEN
        RAISE EXCEPTION 'permission denied for column "%" of relation %', col, salesplan_internal.binding_relname(rel)
            USING ERRCODE = 'insufficient_privilege',
                  DETAIL = pg_catalog.format('The %s preset reads it as the %s, and role %s may not read it.', crm, what, caller),
                  HINT = 'A preset reads only what the calling role may read: GRANT SELECT on the column or the table to it.';
    END IF;
    RETURN typ;
END
$fn$;
COMMENT ON FUNCTION salesplan_internal.preset_column(regclass, name, text, text, boolean) IS
    'internal: type of a column a preset reads, checked for the acting role (binding_acting); undefined_column (42703) naming it when a required one is missing';

-- checks the columns of a source table at once (all required)
CREATE FUNCTION salesplan_internal.preset_columns(rel regclass, cols name[], crm text, what text)
    RETURNS void
    LANGUAGE plpgsql STABLE
    SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    c name;
BEGIN
    FOREACH c IN ARRAY cols LOOP
        PERFORM salesplan_internal.preset_column(rel, c, crm, what || ' (column ' || pg_catalog.quote_ident(c) || ')', true);
    END LOOP;
END
$fn$;
COMMENT ON FUNCTION salesplan_internal.preset_columns(regclass, name[], text, text) IS
    'internal: checks that every listed column of a preset''s source table exists and is readable by the calling role';

-- SQL of a label column: Odoo 17 stores translatable names as jsonb
-- ({"en_US": "New", "fr_FR": "Nouveau"}); take the given language, then
-- en_US, then the first translation by language code (a JSON string: the
-- string; another scalar or JSON null: NULL); text as it is
CREATE FUNCTION salesplan_internal.preset_label(expr text, typ regtype, lang text)
    RETURNS text
    LANGUAGE sql IMMUTABLE
    SET search_path = pg_catalog, pg_temp
AS $fn$
    SELECT CASE
        -- a JSON string is the label itself; another scalar or null none
        -- (jsonb_each_text would fail on it, and with it every read)
        WHEN typ = 'jsonb'::regtype THEN pg_catalog.format(
            'CASE pg_catalog.jsonb_typeof(%1$s) WHEN ''object'' THEN '
            || 'coalesce(%1$s OPERATOR(pg_catalog.->>) %2$L::pg_catalog.text, %1$s OPERATOR(pg_catalog.->>) ''en_US''::pg_catalog.text, '
            || '(SELECT v.value FROM pg_catalog.jsonb_each_text(%1$s) AS v ORDER BY v.key LIMIT 1)) '
            || 'WHEN ''string'' THEN %1$s OPERATOR(pg_catalog.#>>) ''{}''::pg_catalog.text[] END', expr, lang)
        WHEN typ = 'json'::regtype THEN salesplan_internal.preset_label(expr || '::pg_catalog.jsonb', 'jsonb', lang)
        ELSE expr || '::pg_catalog.text'
    END
$fn$;
COMMENT ON FUNCTION salesplan_internal.preset_label(text, regtype, text) IS
    'internal: SQL of a display label from a text or translated jsonb name (the given language, then en_US, then the first translation)';

-- SQL of a timestamp column as the wall-clock time in the preset's time
-- zone (so that periods do not depend on the session's TimeZone): a
-- timestamptz read in the zone, a timestamp without time zone taken as a
-- UTC time (as Odoo and the Salesforce connectors store them) and read in
-- the zone; time_zone NULL is UTC (a timestamp without time zone stays as
-- it is); other types stay as they are
CREATE FUNCTION salesplan_internal.preset_local_time(expr text, typ regtype, time_zone text)
    RETURNS text
    LANGUAGE sql IMMUTABLE
    SET search_path = pg_catalog, pg_temp
AS $fn$
    SELECT CASE
        WHEN typ = 'timestamp with time zone'::regtype AND time_zone IS NULL
            THEN pg_catalog.format('pg_catalog.timezone(''UTC''::pg_catalog.text, %s)', expr)
        WHEN typ = 'timestamp with time zone'::regtype
            THEN pg_catalog.format('salesplan.local_time(%s, %L::pg_catalog.text)', expr, time_zone)
        WHEN typ = 'timestamp without time zone'::regtype AND time_zone IS NOT NULL
            THEN pg_catalog.format('salesplan.local_time(pg_catalog.timezone(''UTC''::pg_catalog.text, %s), %L::pg_catalog.text)',
                                   expr, time_zone)
        ELSE expr
    END
$fn$;
COMMENT ON FUNCTION salesplan_internal.preset_local_time(text, regtype, text) IS
    'internal: SQL of a timestamp as the wall-clock time in the preset''s time zone (NULL: UTC); a timestamp without time zone is a UTC time; no session time zone enters';

-- SQL of a date or timestamp column as a date on the calendar of the
-- preset's time zone (preset_local_time); dates stay as they are
CREATE FUNCTION salesplan_internal.preset_date(expr text, typ regtype, time_zone text)
    RETURNS text
    LANGUAGE sql IMMUTABLE
    SET search_path = pg_catalog, pg_temp
AS $fn$
    SELECT salesplan_internal.preset_local_time(expr, typ, time_zone) || '::pg_catalog.date'
$fn$;
COMMENT ON FUNCTION salesplan_internal.preset_date(text, regtype, text) IS
    'internal: SQL of a date or timestamp as a date on the calendar of the preset''s time zone (NULL: UTC); a timestamp without time zone is a UTC time; no session time zone enters';

-- creates one source view of a preset as its owner, with its comments;
-- with replace (regenerate), replaces the preset's own view of that name
-- in place (CREATE OR REPLACE VIEW: the bindings' views on it survive) and
-- creates it when it is gone
CREATE FUNCTION salesplan_internal.preset_view(owner regrole, target_schema name, view_name text, query text,
                                               view_comment text, column_comments jsonb, replace boolean)
    RETURNS text
    LANGUAGE plpgsql VOLATILE
    SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    qualified text := pg_catalog.format('%I.%I', target_schema, view_name);
    rel regclass := pg_catalog.to_regclass(qualified);
    c record;
BEGIN
    IF rel IS NOT NULL AND replace
       AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_class x WHERE x.oid = rel AND x.relkind = 'v' AND x.relowner = owner) THEN
        RAISE EXCEPTION 'relation % was not created by the preset', qualified
            USING ERRCODE = 'duplicate_table',
                  DETAIL = pg_catalog.format('It is owned by role %s.  salesplan replaces and drops only the views a preset created itself.',
                                             (SELECT pg_catalog.pg_get_userbyid(x.relowner) FROM pg_catalog.pg_class x WHERE x.oid = rel)),
                  HINT = 'Rename or drop that relation, then regenerate again.';
    END IF;
    BEGIN
        PERFORM salesplan_internal.binding_execute_as(owner, pg_catalog.format(
            'CREATE %sVIEW %s WITH (security_invoker = true) AS %s',
            CASE WHEN rel IS NOT NULL AND replace THEN 'OR REPLACE ' ELSE '' END, qualified, query));
    EXCEPTION WHEN invalid_table_definition OR datatype_mismatch THEN
        -- CREATE OR REPLACE VIEW keeps the columns' names and types
        RAISE EXCEPTION 'source view % of preset "%" would change its columns', qualified,
                        pg_catalog.split_part(view_name, '_src_', 1)
            USING ERRCODE = 'invalid_table_definition',
                  DETAIL = SQLERRM,
                  HINT = 'The source schema changed the type of a column the view reads.  Unbind the preset''s bindings (which drops its source views), then run the preset again.';
    END;
    PERFORM salesplan_internal.binding_execute_as(owner, pg_catalog.format(
        'COMMENT ON VIEW %s IS %L', qualified, view_comment));
    FOR c IN SELECT e.key, e.value FROM pg_catalog.jsonb_each_text(column_comments) AS e LOOP
        PERFORM salesplan_internal.binding_execute_as(owner, pg_catalog.format(
            'COMMENT ON COLUMN %s.%I IS %L', qualified, c.key, c.value));
    END LOOP;
    RETURN qualified;
END
$fn$;
COMMENT ON FUNCTION salesplan_internal.preset_view(regrole, name, text, text, text, jsonb, boolean) IS
    'internal: creates (or, with replace, replaces in place) a security_invoker source view of a preset as its owner, with its view and column comments; 42P07 for a relation of another origin under its name';

-- validates the common arguments of a preset and that none of its names is
-- taken
CREATE FUNCTION salesplan_internal.preset_check(crm text, target_schema name, prefix text,
                                                views text[], bindings text[])
    RETURNS void
    LANGUAGE plpgsql STABLE
    SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    caller regrole := salesplan_internal.binding_caller();
    v text;
BEGIN
    IF prefix IS NULL OR prefix = '' OR pg_catalog.octet_length(prefix) > 30 THEN
        RAISE EXCEPTION 'invalid prefix "%"', prefix
            USING ERRCODE = 'invalid_name',
                  DETAIL = 'A preset prefix is 1 to 30 bytes long, so that every view and index named after it fits in 63 bytes.';
    END IF;
    IF target_schema IS NULL THEN
        RAISE EXCEPTION 'the % preset needs a target schema', crm
            USING ERRCODE = 'null_value_not_allowed';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_namespace s WHERE s.nspname = target_schema) THEN
        RAISE EXCEPTION 'schema "%" does not exist', target_schema
            USING ERRCODE = 'invalid_schema_name',
                  HINT = pg_catalog.format('CREATE SCHEMA %I;', target_schema);
    END IF;
    IF NOT pg_catalog.has_schema_privilege(caller, target_schema, 'CREATE') THEN
        RAISE EXCEPTION 'permission denied for schema %', pg_catalog.quote_ident(target_schema)
            USING ERRCODE = 'insufficient_privilege',
                  DETAIL = pg_catalog.format('The %s preset would create its views there, and role %s may not create objects in it.', crm, caller),
                  HINT = 'Bind into a schema you may create objects in, or ask its owner to GRANT CREATE on it.';
    END IF;
    FOREACH v IN ARRAY views LOOP
        IF pg_catalog.to_regclass(pg_catalog.format('%I.%I', target_schema, v)) IS NOT NULL THEN
            RAISE EXCEPTION 'relation %.% already exists', pg_catalog.quote_ident(target_schema), pg_catalog.quote_ident(v)
                USING ERRCODE = 'duplicate_table',
                      DETAIL = pg_catalog.format('The %s preset with prefix "%s" would create it.', crm, prefix),
                      HINT = 'Choose another prefix or target schema, or remove the earlier preset (see doc/presets.md).';
        END IF;
    END LOOP;
    FOREACH v IN ARRAY bindings LOOP
        IF EXISTS (SELECT 1 FROM salesplan.binding AS b WHERE b.name = v) THEN
            RAISE EXCEPTION 'binding "%" already exists', v
                USING ERRCODE = 'duplicate_object',
                      DETAIL = pg_catalog.format('The %s preset with prefix "%s" would create it.', crm, prefix),
                      HINT = 'Binding names are unique across roles: choose another prefix, or unbind the earlier one first.';
        END IF;
    END LOOP;
END
$fn$;
COMMENT ON FUNCTION salesplan_internal.preset_check(text, name, text, text[], text[]) IS
    'internal: validates a preset''s prefix and target schema and that none of its views and bindings exists yet';

-- ---------------------------------------------------------------------
-- Odoo 17
-- ---------------------------------------------------------------------

-- the source views of the Odoo preset, in creation order (name, query,
-- comments), checking every table and column they read for the acting role
-- (the caller of bind_odoo, or the owner of its bindings at regenerate)
CREATE FUNCTION salesplan_internal.preset_odoo_sources(target_schema name, source_schema name, prefix text,
                                                       target_tag text, language text, time_zone text)
    RETURNS TABLE (view_name text, view_query text, view_comment text, column_comments jsonb)
    LANGUAGE plpgsql STABLE
    SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    crm constant text := 'Odoo';
    src name := coalesce(source_schema, 'public');
    lead regclass;
    stage regclass;
    team regclass;
    partner regclass;
    category regclass;
    category_rel regclass;
    message regclass;
    tracking regclass;
    model_fields regclass;
    event regclass;
    attendee regclass;
    company regclass;
    milestone regclass;
    project regclass;
    has_activity_type boolean;
    has_weight boolean;
    has_event_active boolean;
    has_category_active boolean;
    stage_label text;
    team_label text;
    project_label text;
    tag_match text;
    v_stage text := prefix || '_src_stage';
    v_history text := prefix || '_src_stage_history';
    v_opp text := prefix || '_src_opportunity';
    v_lead text := prefix || '_src_lead';
    v_target text := prefix || '_src_target';
    v_touch text := prefix || '_src_touch';
    v_milestone text := prefix || '_src_milestone';
    q_stage text;
    q_history text;
    q_opp text;
    won_key text;
    last_open_key text;
    lead_won text := '(l.probability OPERATOR(pg_catalog.=) 100 AND cs.is_won IS TRUE)';
    map_stage text;
    lang text := coalesce(language, 'en_US');
    zone_name text := coalesce(time_zone, 'UTC');
    history_typ regtype;
BEGIN
    IF lang !~ '^[a-z]{2,3}(_[A-Za-z0-9]{2,4})?(@[a-z]+)?$' THEN
        RAISE EXCEPTION 'invalid language "%"', lang
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'Give an Odoo language code such as en_US, fr_FR or sr@latin.';
    END IF;

    -- what the source has
    lead := salesplan_internal.preset_table(src, 'crm_lead', crm, 'leads and opportunities (model crm.lead)', true);
    stage := salesplan_internal.preset_table(src, 'crm_stage', crm, 'pipeline stages (model crm.stage)', true);
    team := salesplan_internal.preset_table(src, 'crm_team', crm, 'sales teams (model crm.team)', true);
    partner := salesplan_internal.preset_table(src, 'res_partner', crm, 'contacts and companies (model res.partner)', true);
    message := salesplan_internal.preset_table(src, 'mail_message', crm, 'chatter messages (model mail.message)', true);
    tracking := salesplan_internal.preset_table(src, 'mail_tracking_value', crm, 'tracked field changes (model mail.tracking.value)', true);
    model_fields := salesplan_internal.preset_table(src, 'ir_model_fields', crm, 'field catalog (model ir.model.fields)', true);
    event := salesplan_internal.preset_table(src, 'calendar_event', crm, 'meetings (model calendar.event)', false);
    attendee := CASE WHEN event IS NOT NULL THEN
        salesplan_internal.preset_table(src, 'calendar_attendee', crm, 'meeting attendees (model calendar.attendee)', true) END;
    company := salesplan_internal.preset_table(src, 'res_company', crm, 'own companies (model res.company)', false);
    milestone := salesplan_internal.preset_table(src, 'project_milestone', crm, 'project milestones (model project.milestone)', false);
    project := CASE WHEN milestone IS NOT NULL THEN
        salesplan_internal.preset_table(src, 'project_project', crm, 'projects (model project.project)', true) END;
    IF target_tag IS NOT NULL THEN
        category := salesplan_internal.preset_table(src, 'res_partner_category', crm, 'partner tags (model res.partner.category)', true);
        category_rel := salesplan_internal.preset_table(src, 'res_partner_res_partner_category_rel', crm, 'partner-tag links (field res.partner.category_id)', true);
    END IF;

    PERFORM salesplan_internal.preset_columns(lead, '{id,type,active,stage_id,team_id,partner_id,expected_revenue,probability,create_date,date_closed}', crm, 'lead table');
    PERFORM salesplan_internal.preset_columns(stage, '{id,name,sequence,is_won}', crm, 'stage table');
    PERFORM salesplan_internal.preset_columns(team, '{id,name}', crm, 'sales team table');
    PERFORM salesplan_internal.preset_columns(partner, '{id,commercial_partner_id,is_company,active}', crm, 'partner table');
    PERFORM salesplan_internal.preset_columns(message, '{id,model,res_id,date,message_type,author_id}', crm, 'chatter table');
    PERFORM salesplan_internal.preset_columns(tracking, '{id,mail_message_id,field_id,old_value_integer,new_value_integer}', crm, 'tracking table');
    PERFORM salesplan_internal.preset_columns(model_fields, '{id,model,name}', crm, 'field catalog');
    has_activity_type := salesplan_internal.preset_column(message, 'mail_activity_type_id', crm, 'activity type of a logged activity', false) IS NOT NULL;
    IF event IS NOT NULL THEN
        PERFORM salesplan_internal.preset_columns(event, '{id,start}', crm, 'meeting table');
        PERFORM salesplan_internal.preset_columns(attendee, '{event_id,partner_id,state}', crm, 'attendee table');
        has_event_active := salesplan_internal.preset_column(event, 'active', crm, 'archived flag of a meeting', false) IS NOT NULL;
    END IF;
    IF company IS NOT NULL THEN
        PERFORM salesplan_internal.preset_columns(company, '{partner_id}', crm, 'company table');
    END IF;
    IF milestone IS NOT NULL THEN
        PERFORM salesplan_internal.preset_columns(milestone, '{id,name,project_id,deadline,is_reached,reached_date}', crm, 'milestone table');
        PERFORM salesplan_internal.preset_columns(project, '{id,name,active,user_id,date_start}', crm, 'project table');
        has_weight := salesplan_internal.preset_column(milestone, 'quantity_percentage', crm, 'milestone weight', false) IS NOT NULL;
    END IF;
    IF target_tag IS NOT NULL THEN
        PERFORM salesplan_internal.preset_columns(category, '{id,name}', crm, 'tag table');
        PERFORM salesplan_internal.preset_columns(category_rel, '{category_id,partner_id}', crm, 'tag link table');
        has_category_active := salesplan_internal.preset_column(category, 'active', crm, 'archived flag of a tag', false) IS NOT NULL;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_attribute a
                   WHERE a.attrelid = stage AND a.attname = 'is_won' AND a.atttypid = 'boolean'::regtype) THEN
        RAISE EXCEPTION 'column "is_won" of relation % is not boolean', salesplan_internal.binding_relname(stage)
            USING ERRCODE = 'datatype_mismatch',
                  DETAIL = 'The Odoo preset reads it as the won flag of a stage.';
    END IF;


    stage_label := salesplan_internal.preset_label('st.name',
        salesplan_internal.preset_column(stage, 'name', crm, 'stage name', true), lang);
    team_label := salesplan_internal.preset_label('tm.name',
        salesplan_internal.preset_column(team, 'name', crm, 'team name', true), lang);

    -- 1. stages: open stages by sequence, then one won stage (the won
    -- stages collapse into the first of them)
    q_stage := pg_catalog.format(
        'WITH st AS (SELECT st.id, %1$s AS label, st.sequence, st.is_won IS TRUE AS is_won FROM %2$s AS st), '
        || 'w AS (SELECT st.id, st.label FROM st WHERE st.is_won ORDER BY st.sequence, st.id LIMIT 1) '
        || 'SELECT st.id AS stage_key, st.label AS stage_name, '
        || '(pg_catalog.row_number() OVER (ORDER BY st.sequence, st.id))::pg_catalog.int4 AS stage_sequence, false AS is_won '
        || 'FROM st WHERE NOT st.is_won '
        || 'UNION ALL SELECT w.id, w.label, (SELECT pg_catalog.count(*)::pg_catalog.int4 + 1 FROM st WHERE NOT st.is_won), true FROM w',
        stage_label, salesplan_internal.binding_relname(stage));
    RETURN QUERY SELECT v_stage, q_stage,
        pg_catalog.format('Odoo stages of %s, normalised for salesplan (preset "%s"): open stages by sequence, then one won stage (every stage with is_won collapses into the first); names in %s, else en_US',
                          salesplan_internal.binding_relname(stage), prefix, lang),
        pg_catalog.jsonb_build_object(
            'stage_key', 'crm_stage.id (the first won stage stands for all won stages)',
            'stage_name', pg_catalog.format('stage name in %s (else en_US, else the first translation)', lang),
            'stage_sequence', 'ordinal of the stage in the funnel: 1 = first open stage, last = won',
            'is_won', 'true for the won stage');

    won_key := pg_catalog.format('(SELECT s.stage_key FROM %I.%I AS s WHERE s.is_won)', target_schema, v_stage);
    last_open_key := pg_catalog.format('(SELECT s.stage_key FROM %I.%I AS s WHERE NOT s.is_won ORDER BY s.stage_sequence DESC LIMIT 1)',
                                       target_schema, v_stage);
    -- a stage id as a key of the stage view: a won stage counts as won
    -- only for a lead Odoo calls won now, else as the last open stage; a
    -- deleted stage maps to nothing
    map_stage := 'CASE WHEN %1$s.id IS NULL THEN NULL WHEN %1$s.is_won IS TRUE THEN CASE WHEN ' || lead_won
                 || ' THEN ' || won_key || ' ELSE ' || last_open_key || ' END ELSE %1$s.id END';

    -- the union of create_date and the message date is a timestamptz when
    -- either is
    history_typ := CASE WHEN 'timestamp with time zone'::regtype IN (
                             salesplan_internal.preset_column(lead, 'create_date', crm, 'creation time of a lead', true),
                             salesplan_internal.preset_column(message, 'date', crm, 'date of a chatter message', true))
                        THEN 'timestamp with time zone'::regtype ELSE 'timestamp'::regtype END;

    -- 2. stage history from the chatter: the creation (at the first tracked
    -- change's old value, or the current stage when never changed) and
    -- every tracked change of crm.lead.stage_id
    q_history := pg_catalog.format(
        'WITH tv AS (SELECT m.res_id AS lead_id, m.date AS changed_at, v.id AS tv_id, v.old_value_integer, v.new_value_integer '
        || 'FROM %1$s AS v JOIN %2$s AS m ON m.id = v.mail_message_id JOIN %3$s AS f ON f.id = v.field_id '
        || 'WHERE m.model = ''crm.lead'' AND f.model = ''crm.lead'' AND f.name = ''stage_id''), '
        || 'first AS (SELECT DISTINCT ON (tv.lead_id) tv.lead_id, tv.old_value_integer FROM tv ORDER BY tv.lead_id, tv.changed_at, tv.tv_id), '
        || 'ev AS (SELECT l.id AS lead_id, l.create_date AS changed_at, CASE WHEN first.lead_id IS NULL THEN l.stage_id ELSE first.old_value_integer END AS stage_id '
        || 'FROM %4$s AS l LEFT JOIN first ON first.lead_id = l.id '
        || 'UNION ALL SELECT tv.lead_id, tv.changed_at, tv.new_value_integer FROM tv) '
        || 'SELECT ev.lead_id, %8$s AS changed_at, %5$s AS stage_key, %7$s AS changed_on '
        || 'FROM ev JOIN %4$s AS l ON l.id = ev.lead_id LEFT JOIN %6$s AS cs ON cs.id = l.stage_id LEFT JOIN %6$s AS st ON st.id = ev.stage_id',
        salesplan_internal.binding_relname(tracking), salesplan_internal.binding_relname(message),
        salesplan_internal.binding_relname(model_fields), salesplan_internal.binding_relname(lead),
        pg_catalog.format(map_stage, 'st'), salesplan_internal.binding_relname(stage),
        salesplan_internal.preset_date('ev.changed_at', history_typ, time_zone),
        -- a timestamptz stays one (the bindings read it in their zone, the
        -- preset's); a UTC timestamp becomes the wall-clock time in the zone
        CASE WHEN history_typ = 'timestamp with time zone'::regtype THEN 'ev.changed_at'
             ELSE salesplan_internal.preset_local_time('ev.changed_at', history_typ, time_zone) END);
    RETURN QUERY SELECT v_history, q_history,
        pg_catalog.format('Odoo stage history of %s rebuilt from the chatter (mail_tracking_value of crm.lead.stage_id), with the untracked initial stage (preset "%s")',
                          salesplan_internal.binding_relname(lead), prefix),
        pg_catalog.jsonb_build_object(
            'lead_id', 'crm_lead.id',
            'changed_at', CASE WHEN time_zone IS NULL
                THEN 'when the lead entered the stage (create_date for the initial stage, else the tracking message''s date; UTC as Odoo stores it)'
                ELSE pg_catalog.format('when the lead entered the stage (create_date for the initial stage, else the tracking message''s date), wall-clock time in %s', time_zone) END,
            'stage_key', 'stage entered, as a key of the stage view; a won stage counts only for leads won now (else as the last open stage); NULL for a deleted stage',
            'changed_on', pg_catalog.format('the day of changed_at (%s)', zone_name));

    -- 3. opportunities
    q_opp := pg_catalog.format(
        'SELECT l.id AS lead_id, l.team_id, %1$s AS team, l.partner_id, p.commercial_partner_id AS account_id, '
        || 'l.expected_revenue AS amount, %11$s AS created_on, %12$s AS closed_on, '
        || '%2$s AS is_won, (l.active IS FALSE AND coalesce(l.probability, 0) OPERATOR(pg_catalog.=) 0 AND NOT %2$s) AS is_lost, '
        || 'rs.stage_key AS reached_stage '
        || 'FROM %3$s AS l LEFT JOIN %4$s AS cs ON cs.id = l.stage_id LEFT JOIN %5$s AS tm ON tm.id = l.team_id '
        || 'LEFT JOIN %6$s AS p ON p.id = l.partner_id '
        || 'LEFT JOIN (SELECT h.lead_id, pg_catalog.max(s.stage_sequence) AS seq FROM %7$I.%8$I AS h JOIN %7$I.%9$I AS s ON s.stage_key = h.stage_key GROUP BY h.lead_id) AS hh ON hh.lead_id = l.id '
        || 'LEFT JOIN %7$I.%9$I AS cur ON cur.stage_key = (%10$s) '
        || 'LEFT JOIN %7$I.%9$I AS rs ON rs.stage_sequence = GREATEST(hh.seq, cur.stage_sequence, 1) '
        || 'WHERE l.type = ''opportunity''',
        team_label, lead_won, salesplan_internal.binding_relname(lead), salesplan_internal.binding_relname(stage),
        salesplan_internal.binding_relname(team), salesplan_internal.binding_relname(partner),
        target_schema, v_history, v_stage, pg_catalog.format(map_stage, 'cs'),
        salesplan_internal.preset_date('l.create_date',
            salesplan_internal.preset_column(lead, 'create_date', crm, 'creation time of a lead', true), time_zone),
        salesplan_internal.preset_date('l.date_closed',
            salesplan_internal.preset_column(lead, 'date_closed', crm, 'closing time of a lead', true), time_zone));
    RETURN QUERY SELECT v_opp, q_opp,
        pg_catalog.format('Odoo opportunities of %s (type opportunity, archived ones included) with their deepest stage, normalised for salesplan (preset "%s")',
                          salesplan_internal.binding_relname(lead), prefix),
        pg_catalog.jsonb_build_object(
            'lead_id', 'crm_lead.id',
            'team_id', 'sales team (crm_lead.team_id)',
            'team', pg_catalog.format('sales team name in %s', lang),
            'partner_id', 'customer (crm_lead.partner_id)',
            'account_id', 'customer''s company (res_partner.commercial_partner_id)',
            'amount', 'expected revenue',
            'created_on', pg_catalog.format('creation date (%s)', zone_name),
            'closed_on', pg_catalog.format('date won or lost (date_closed, %s)', zone_name),
            'is_won', 'won as Odoo''s won_status says: probability 100 at a won stage',
            'is_lost', 'lost as Odoo''s won_status says: archived with probability 0 (and not won)',
            'reached_stage', 'deepest stage reached (current stage and history; at least the first stage); the won stage only when won');

    -- 4. leads: lead -> opportunity -> won, over every crm.lead row
    RETURN QUERY SELECT v_lead, pg_catalog.format(
        'SELECT l.id AS lead_id, l.team_id, %1$s AS team, l.expected_revenue AS amount, %6$s AS created_on, '
        || 'CASE WHEN %2$s THEN ''Won'' WHEN l.type = ''opportunity'' THEN ''Opportunity'' ELSE ''Lead'' END AS stage, '
        || '%2$s AS is_won, (l.active IS FALSE AND coalesce(l.probability, 0) OPERATOR(pg_catalog.=) 0 AND NOT %2$s) AS is_lost '
        || 'FROM %3$s AS l LEFT JOIN %4$s AS cs ON cs.id = l.stage_id LEFT JOIN %5$s AS tm ON tm.id = l.team_id',
        team_label, lead_won, salesplan_internal.binding_relname(lead), salesplan_internal.binding_relname(stage),
        salesplan_internal.binding_relname(team),
        salesplan_internal.preset_date('l.create_date',
            salesplan_internal.preset_column(lead, 'create_date', crm, 'creation time of a lead', true), time_zone)),
        pg_catalog.format('Odoo leads of %s (every crm.lead row, archived ones included) with their funnel stage Lead, Opportunity or Won (preset "%s")',
                          salesplan_internal.binding_relname(lead), prefix),
        pg_catalog.jsonb_build_object(
            'lead_id', 'crm_lead.id',
            'team_id', 'sales team (crm_lead.team_id)',
            'team', pg_catalog.format('sales team name in %s', lang),
            'amount', 'expected revenue',
            'created_on', pg_catalog.format('creation date (%s)', zone_name),
            'stage', 'Lead (type lead), Opportunity (converted, or created as one) or Won',
            'is_won', 'probability 100 at a won stage',
            'is_lost', 'archived with probability 0 (and not won)');

    -- 5. target accounts: companies carrying the tag (on themselves or on a
    -- contact), or every company but your own without a tag
    IF target_tag IS NOT NULL THEN
        tag_match := pg_catalog.format(
            'EXISTS (SELECT 1 FROM %1$s AS r JOIN %2$s AS c ON c.id = r.category_id JOIN %3$s AS q ON q.id = r.partner_id '
            || 'WHERE q.commercial_partner_id = p.id%4$s AND %5$s)',
            salesplan_internal.binding_relname(category_rel), salesplan_internal.binding_relname(category),
            salesplan_internal.binding_relname(partner),
            CASE WHEN has_category_active THEN ' AND c.active IS NOT FALSE' ELSE '' END,
            CASE WHEN salesplan_internal.preset_column(category, 'name', crm, 'tag name', true) IN ('jsonb'::regtype, 'json'::regtype)
                 THEN pg_catalog.format('EXISTS (SELECT 1 FROM pg_catalog.jsonb_each_text(c.name::pg_catalog.jsonb) AS n WHERE n.value = %L::pg_catalog.text)', target_tag)
                 ELSE pg_catalog.format('c.name::pg_catalog.text = %L::pg_catalog.text', target_tag) END);
    ELSE
        tag_match := 'p.is_company IS TRUE' || CASE WHEN company IS NOT NULL THEN pg_catalog.format(
            ' AND NOT EXISTS (SELECT 1 FROM %s AS co WHERE co.partner_id = p.id)', salesplan_internal.binding_relname(company)) ELSE '' END;
    END IF;
    RETURN QUERY SELECT v_target, pg_catalog.format(
        'SELECT p.id AS account_id FROM %1$s AS p WHERE p.active IS TRUE AND p.id = p.commercial_partner_id AND %2$s',
        salesplan_internal.binding_relname(partner), tag_match),
        CASE WHEN target_tag IS NOT NULL
             THEN pg_catalog.format('Odoo target accounts (preset "%s"): active companies of %s tagged %L (on the company or one of its contacts, in any language)',
                                    prefix, salesplan_internal.binding_relname(partner), target_tag)
             ELSE pg_catalog.format('Odoo target accounts (preset "%s"): every active company of %s except your own companies',
                                    prefix, salesplan_internal.binding_relname(partner)) END,
        pg_catalog.jsonb_build_object('account_id', 'res_partner.id of the company (commercial partner)');

    -- 6. touches: logged chatter on the account's leads and partners, and
    -- meetings attended, rolled up to the company; never mail_activity
    -- (planned activities)
    RETURN QUERY SELECT v_touch, pg_catalog.format(
        'WITH msg AS (SELECT m.id, m.model, m.res_id, m.date, m.message_type, m.author_id FROM %1$s AS m '
        || 'WHERE (m.message_type IN (''email'', ''email_outgoing'', ''comment'')%2$s) AND m.model IN (''crm.lead'', ''res.partner'')), '
        || 'tgt AS (SELECT msg.*, coalesce(lp.commercial_partner_id, pp.commercial_partner_id) AS account_id FROM msg '
        || 'LEFT JOIN %3$s AS l ON msg.model = ''crm.lead'' AND l.id = msg.res_id LEFT JOIN %4$s AS lp ON lp.id = l.partner_id '
        || 'LEFT JOIN %4$s AS pp ON msg.model = ''res.partner'' AND pp.id = msg.res_id) '
        || 'SELECT tgt.account_id, %6$s AS touched_on, '
        || '(tgt.message_type = ''email'' AND au.commercial_partner_id IS NOT DISTINCT FROM tgt.account_id) AS two_way, '
        || 'CASE WHEN au.commercial_partner_id = tgt.account_id THEN au.id END AS contact_id, ''chatter''::pg_catalog.text AS source '
        || 'FROM tgt LEFT JOIN %4$s AS au ON au.id = tgt.author_id WHERE tgt.account_id IS NOT NULL%5$s',
        salesplan_internal.binding_relname(message),
        CASE WHEN has_activity_type THEN ' OR m.mail_activity_type_id IS NOT NULL' ELSE '' END,
        salesplan_internal.binding_relname(lead), salesplan_internal.binding_relname(partner),
        CASE WHEN event IS NULL THEN '' ELSE pg_catalog.format(
            ' UNION ALL SELECT q.commercial_partner_id, %5$s, true, q.id, ''meeting''::pg_catalog.text '
            || 'FROM %1$s AS a JOIN %2$s AS e ON e.id = a.event_id JOIN %3$s AS q ON q.id = a.partner_id '
            || 'WHERE a.state IS DISTINCT FROM ''declined''%4$s',
            salesplan_internal.binding_relname(attendee), salesplan_internal.binding_relname(event),
            salesplan_internal.binding_relname(partner),
            CASE WHEN has_event_active THEN ' AND e.active IS NOT FALSE' ELSE '' END,
            salesplan_internal.preset_date('e.start',
                salesplan_internal.preset_column(event, 'start', crm, 'start of a meeting', true), time_zone)) END,
        salesplan_internal.preset_date('tgt.date',
            salesplan_internal.preset_column(message, 'date', crm, 'date of a chatter message', true), time_zone)),
        pg_catalog.format('Odoo touches (preset "%s"): logged chatter (incoming and outgoing emails, messages, notes and completed activities on leads and partners) and meetings attended, rolled up to the company; planned activities (mail_activity) are not touches',
                          prefix),
        pg_catalog.jsonb_build_object(
            'account_id', 'the company touched (commercial partner of the lead''s customer, the partner or the attendee)',
            'touched_on', pg_catalog.format('date of the message or the meeting start (%s)', zone_name),
            'two_way', 'an email from the account''s side, or a meeting it attended (not declined)',
            'contact_id', 'the account''s person who wrote or attended, NULL for our own messages',
            'source', 'chatter or meeting');

    -- 7. milestones with their project's start and manager
    IF milestone IS NOT NULL THEN
        project_label := salesplan_internal.preset_label('pr.name',
            salesplan_internal.preset_column(project, 'name', crm, 'project name', true), lang);
        RETURN QUERY SELECT v_milestone, pg_catalog.format(
            'SELECT ms.id AS milestone_id, ms.project_id, %1$s AS project_name, pr.user_id AS manager_id, '
            || 'ms.deadline, ms.reached_date, ms.is_reached, %2$s AS weight, pr.date_start AS project_start, ms.name AS milestone_name '
            || 'FROM %3$s AS ms JOIN %4$s AS pr ON pr.id = ms.project_id WHERE pr.active IS TRUE',
            project_label,
            CASE WHEN has_weight THEN 'ms.quantity_percentage::pg_catalog.numeric' ELSE 'NULL::pg_catalog.numeric' END,
            salesplan_internal.binding_relname(milestone), salesplan_internal.binding_relname(project)),
            pg_catalog.format('Odoo milestones of active projects with the project''s start and manager (preset "%s")', prefix),
            pg_catalog.jsonb_build_object(
                'milestone_id', 'project_milestone.id',
                'project_id', 'project_milestone.project_id',
                'project_name', pg_catalog.format('project name in %s', lang),
                'manager_id', 'project manager (project_project.user_id)',
                'deadline', 'planned date',
                'reached_date', 'date reached',
                'is_reached', 'reached flag',
                'weight', 'share of the project''s value (quantity_percentage with sale_project), NULL otherwise',
                'project_start', 'project start (project_project.date_start)',
                'milestone_name', 'milestone name (project_milestone.name)');
    END IF;

END
$fn$;
COMMENT ON FUNCTION salesplan_internal.preset_odoo_sources(name, name, text, text, text, text) IS
    'internal: the source views of the Odoo preset (name, query, comments) over the given source schema, dates on the calendar of time_zone (NULL: UTC), its tables and columns checked for the acting role';

CREATE FUNCTION salesplan_internal.bind_odoo(
        target_schema name,
        source_schema name,
        prefix text,
        target_tag text,
        period text,
        language text,
        horizon interval,
        period_start date,
        period_end date,
        keep_warm_days integer,
        as_of date,
        materialized boolean,
        materialize_despite_row_security boolean,
        win_horizon interval,
        time_zone text)
    RETURNS SETOF text
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $fn$
BEGIN
    -- the preset call (crm, source schema, the arguments that shape the
    -- source views) and the Odoo keys and dimensions; preset_bind does the rest
    RETURN QUERY SELECT * FROM salesplan_internal.preset_bind(target_schema,
        pg_catalog.jsonb_build_object('crm', 'odoo', 'prefix', prefix, 'source_schema', coalesce(source_schema, 'public'),
            'arguments', pg_catalog.jsonb_build_object('target_tag', target_tag, 'language', coalesce(language, 'en_US'))),
        'lead_id', '{team_id,team}', period, horizon, period_start, period_end, keep_warm_days, as_of,
        materialized, materialize_despite_row_security, win_horizon, time_zone);
END
$fn$;
COMMENT ON FUNCTION salesplan_internal.bind_odoo(name, name, text, text, text, text, interval, date, date, integer, date, boolean, boolean, interval, text) IS
    'internal: implementation of salesplan.bind_odoo (preset_bind with the Odoo preset call, key lead_id and dimensions team_id, team)';

CREATE FUNCTION salesplan.bind_odoo(
        target_schema name,
        source_schema name DEFAULT 'public',
        prefix text DEFAULT 'odoo',
        target_tag text DEFAULT NULL,
        period text DEFAULT 'month',
        language text DEFAULT 'en_US',
        horizon interval DEFAULT '90 days',
        period_start date DEFAULT NULL,
        period_end date DEFAULT NULL,
        keep_warm_days integer DEFAULT 30,
        as_of date DEFAULT NULL,
        materialized boolean DEFAULT false,
        materialize_despite_row_security boolean DEFAULT false,
        win_horizon interval DEFAULT NULL,
        time_zone text DEFAULT NULL)
    RETURNS SETOF text
    AS 'MODULE_PATHNAME', 'salesplan_bind_odoo'
    LANGUAGE C VOLATILE;
COMMENT ON FUNCTION salesplan.bind_odoo(name, name, text, text, text, text, interval, date, date, integer, date, boolean, boolean, interval, text) IS
    'preset over a stock Odoo 17 database: creates normalising views prefix_src_* and the bindings prefix_pipeline, prefix_stage_flow, prefix_leads, prefix_targets and (with the project app) prefix_delivery in target_schema; dates, periods and today on the calendar of time_zone (NULL: UTC, whatever the session''s TimeZone)';

-- ---------------------------------------------------------------------
-- Salesforce replicas
-- ---------------------------------------------------------------------

-- a Salesforce object or field name in a replica's naming style: as
-- Salesforce spells it ('salesforce': "OpportunityHistory"."StageName") or
-- in lower snake case as ELT connectors write it ('snake':
-- opportunity_history.stage_name)
CREATE FUNCTION salesplan_internal.preset_sf_name(naming text, sf_name text)
    RETURNS name
    LANGUAGE sql IMMUTABLE STRICT
    SET search_path = pg_catalog, pg_temp
AS $fn$
    SELECT CASE naming
        WHEN 'snake' THEN pg_catalog.lower(pg_catalog.regexp_replace(sf_name, '([a-z0-9])([A-Z])', '\1_\2', 'g'))::name
        ELSE sf_name::name
    END
$fn$;
COMMENT ON FUNCTION salesplan_internal.preset_sf_name(text, text) IS
    'internal: a Salesforce object or field name as a replica spells it: as is (naming salesforce) or in lower snake case (naming snake)';

-- SQL of the condition that keeps a replica's live rows: not soft-deleted
-- (IsDeleted / is_deleted, and _fivetran_deleted where the connector adds it)
CREATE FUNCTION salesplan_internal.preset_sf_live(rel regclass, alias text, naming text)
    RETURNS text
    LANGUAGE plpgsql STABLE
    SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    cond text := 'true';
    col name;
BEGIN
    FOREACH col IN ARRAY ARRAY[salesplan_internal.preset_sf_name(naming, 'IsDeleted'), '_fivetran_deleted'::name] LOOP
        IF salesplan_internal.preset_column(rel, col, 'Salesforce', 'soft-delete flag', false) = 'boolean'::regtype THEN
            cond := cond || pg_catalog.format(' AND %I.%I IS NOT TRUE', alias, col);
        END IF;
    END LOOP;
    RETURN cond;
END
$fn$;
COMMENT ON FUNCTION salesplan_internal.preset_sf_live(regclass, text, text) IS
    'internal: SQL condition keeping the rows of a Salesforce replica table that are not soft-deleted (IsDeleted, is_deleted, _fivetran_deleted)';

-- the source views of the Salesforce preset, in creation order (name,
-- query, comments), checking every object and field they read for the
-- acting role (the caller of bind_salesforce, or the owner of its bindings
-- at regenerate); naming NULL detects the replica's naming style
CREATE FUNCTION salesplan_internal.preset_salesforce_sources(target_schema name, source_schema name, prefix text,
                                                             target_field name, touch_role text, naming text,
                                                             time_zone text)
    RETURNS TABLE (view_name text, view_query text, view_comment text, column_comments jsonb)
    LANGUAGE plpgsql STABLE
    SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    crm constant text := 'Salesforce';
    style text := naming;
    opp regclass;
    hist regclass;
    stage regclass;
    account regclass;
    task regclass;
    event regclass;
    usr regclass;
    role regclass;
    v_stage text := prefix || '_src_stage';
    v_history text := prefix || '_src_stage_history';
    v_opp text := prefix || '_src_opportunity';
    v_target text := prefix || '_src_target';
    v_touch text := prefix || '_src_touch';
    won_key text;
    last_open_key text;
    map_stage text;
    role_filter text := '';
    task_two_way text := 'false';
    event_date text;
    typ regtype;
    c text;
    zone_name text := coalesce(time_zone, 'UTC');
BEGIN
    -- the naming style: given, or the one the source schema has
    IF source_schema IS NULL THEN
        RAISE EXCEPTION 'the Salesforce preset needs a source schema'
            USING ERRCODE = 'null_value_not_allowed',
                  HINT = 'Pass the schema that holds the replicated Salesforce objects as source_schema.';
    END IF;
    IF style IS NULL THEN
        -- raises invalid_schema_name when the schema does not exist
        PERFORM salesplan_internal.preset_table(source_schema, 'Opportunity', crm, 'opportunities', false);
        IF pg_catalog.to_regclass(pg_catalog.format('%I.%I', source_schema, 'Opportunity')) IS NOT NULL
           AND pg_catalog.to_regclass(pg_catalog.format('%I.%I', source_schema, 'opportunity')) IS NOT NULL THEN
            RAISE EXCEPTION 'schema "%" holds both "Opportunity" and opportunity', source_schema
                USING ERRCODE = 'invalid_parameter_value',
                      DETAIL = 'The Salesforce preset cannot tell which naming style the replica uses.',
                      HINT = 'Pass naming => ''salesforce'' (quoted names as Salesforce spells them) or naming => ''snake'' (lower snake case).';
        ELSIF pg_catalog.to_regclass(pg_catalog.format('%I.%I', source_schema, 'Opportunity')) IS NOT NULL THEN
            style := 'salesforce';
        ELSIF pg_catalog.to_regclass(pg_catalog.format('%I.%I', source_schema, 'opportunity')) IS NOT NULL THEN
            style := 'snake';
        ELSE
            RAISE EXCEPTION 'relation %."Opportunity" does not exist', pg_catalog.quote_ident(source_schema)
                USING ERRCODE = 'undefined_table',
                      DETAIL = pg_catalog.format('The Salesforce preset found neither %1$s."Opportunity" (names as Salesforce spells them) nor %1$s.opportunity (lower snake case).',
                                                 pg_catalog.quote_ident(source_schema)),
                      HINT = 'Pass the schema that holds the replicated Salesforce objects as source_schema.';
        END IF;
    ELSIF style NOT IN ('salesforce', 'snake') THEN
        RAISE EXCEPTION 'invalid naming "%"', style
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'Use salesforce (quoted names as Salesforce spells them), snake (lower snake case), or NULL to detect it.';
    END IF;

    opp := salesplan_internal.preset_table(source_schema, salesplan_internal.preset_sf_name(style, 'Opportunity'), crm, 'opportunities (object Opportunity)', true);
    hist := salesplan_internal.preset_table(source_schema, salesplan_internal.preset_sf_name(style, 'OpportunityHistory'), crm, 'stage history (object OpportunityHistory)', true);
    stage := salesplan_internal.preset_table(source_schema, salesplan_internal.preset_sf_name(style, 'OpportunityStage'), crm, 'stages (object OpportunityStage)', true);
    account := salesplan_internal.preset_table(source_schema, salesplan_internal.preset_sf_name(style, 'Account'), crm, 'accounts (object Account)', true);
    task := salesplan_internal.preset_table(source_schema, salesplan_internal.preset_sf_name(style, 'Task'), crm, 'logged activities (object Task)', true);
    event := salesplan_internal.preset_table(source_schema, salesplan_internal.preset_sf_name(style, 'Event'), crm, 'meetings (object Event)', false);
    usr := salesplan_internal.preset_table(source_schema, salesplan_internal.preset_sf_name(style, 'User'), crm, 'users (object User)', touch_role IS NOT NULL);
    role := CASE WHEN usr IS NOT NULL THEN
        salesplan_internal.preset_table(source_schema, salesplan_internal.preset_sf_name(style, 'UserRole'), crm, 'roles (object UserRole)', touch_role IS NOT NULL) END;
    IF role IS NULL THEN
        usr := NULL;
    END IF;

    FOREACH c IN ARRAY ARRAY['Id', 'StageName', 'Amount', 'IsWon', 'IsClosed', 'AccountId', 'OwnerId', 'CreatedDate', 'CloseDate'] LOOP
        PERFORM salesplan_internal.preset_column(opp, salesplan_internal.preset_sf_name(style, c), crm, 'Opportunity.' || c, true);
    END LOOP;
    FOREACH c IN ARRAY ARRAY['OpportunityId', 'StageName', 'CreatedDate'] LOOP
        PERFORM salesplan_internal.preset_column(hist, salesplan_internal.preset_sf_name(style, c), crm, 'OpportunityHistory.' || c, true);
    END LOOP;
    FOREACH c IN ARRAY ARRAY['MasterLabel', 'IsWon', 'IsClosed', 'SortOrder'] LOOP
        PERFORM salesplan_internal.preset_column(stage, salesplan_internal.preset_sf_name(style, c), crm, 'OpportunityStage.' || c, true);
    END LOOP;
    PERFORM salesplan_internal.preset_column(account, salesplan_internal.preset_sf_name(style, 'Id'), crm, 'Account.Id', true);
    FOREACH c IN ARRAY ARRAY['AccountId', 'WhoId', 'ActivityDate', 'IsClosed', 'OwnerId', 'CreatedDate'] LOOP
        PERFORM salesplan_internal.preset_column(task, salesplan_internal.preset_sf_name(style, c), crm, 'Task.' || c, true);
    END LOOP;
    IF event IS NOT NULL THEN
        FOREACH c IN ARRAY ARRAY['AccountId', 'WhoId', 'ActivityDate', 'OwnerId'] LOOP
            PERFORM salesplan_internal.preset_column(event, salesplan_internal.preset_sf_name(style, c), crm, 'Event.' || c, true);
        END LOOP;
    END IF;
    IF usr IS NOT NULL THEN
        PERFORM salesplan_internal.preset_column(usr, salesplan_internal.preset_sf_name(style, 'Id'), crm, 'User.Id', true);
        PERFORM salesplan_internal.preset_column(usr, salesplan_internal.preset_sf_name(style, 'UserRoleId'), crm, 'User.UserRoleId', true);
        PERFORM salesplan_internal.preset_column(role, salesplan_internal.preset_sf_name(style, 'Id'), crm, 'UserRole.Id', true);
        PERFORM salesplan_internal.preset_column(role, salesplan_internal.preset_sf_name(style, 'Name'), crm, 'UserRole.Name', true);
    END IF;
    IF target_field IS NOT NULL THEN
        typ := salesplan_internal.preset_column(account, target_field, crm, 'target flag of an account (argument target_field)', true);
        IF typ <> 'boolean'::regtype THEN
            RAISE EXCEPTION 'column "%" of relation % has type %, not boolean', target_field,
                            salesplan_internal.binding_relname(account), typ
                USING ERRCODE = 'datatype_mismatch',
                      DETAIL = 'The Salesforce preset reads it as the target flag of an account (argument target_field).';
        END IF;
    END IF;


    -- 1. stages: open stages by SortOrder, then one won stage; closed lost
    -- stages are not in the funnel (whatever their SortOrder)
    RETURN QUERY SELECT v_stage, pg_catalog.format(
        'WITH st AS (SELECT s.%1$I::pg_catalog.text AS key, s.%2$I IS TRUE AS is_won, s.%3$I IS TRUE AS is_closed, s.%4$I AS sort FROM %5$s AS s WHERE %6$s), '
        || 'w AS (SELECT st.key FROM st WHERE st.is_won ORDER BY st.sort, st.key LIMIT 1) '
        || 'SELECT st.key AS stage_key, st.key AS stage_name, '
        || '(pg_catalog.row_number() OVER (ORDER BY st.sort, st.key))::pg_catalog.int4 AS stage_sequence, false AS is_won '
        || 'FROM st WHERE NOT st.is_closed '
        || 'UNION ALL SELECT w.key, w.key, (SELECT pg_catalog.count(*)::pg_catalog.int4 + 1 FROM st WHERE NOT st.is_closed), true FROM w',
        salesplan_internal.preset_sf_name(style, 'MasterLabel'), salesplan_internal.preset_sf_name(style, 'IsWon'),
        salesplan_internal.preset_sf_name(style, 'IsClosed'), salesplan_internal.preset_sf_name(style, 'SortOrder'),
        salesplan_internal.binding_relname(stage), salesplan_internal.preset_sf_live(stage, 's', style)),
        pg_catalog.format('Salesforce stages of %s, normalised for salesplan (preset "%s"): open stages by SortOrder, then one won stage (every IsWon stage collapses into the first); closed lost stages are not funnel stages',
                          salesplan_internal.binding_relname(stage), prefix),
        pg_catalog.jsonb_build_object(
            'stage_key', 'OpportunityStage.MasterLabel, the value of Opportunity.StageName (the first won stage stands for all won stages)',
            'stage_name', 'stage label',
            'stage_sequence', 'ordinal of the stage in the funnel: 1 = first open stage, last = won',
            'is_won', 'true for the won stage');

    won_key := pg_catalog.format('(SELECT s.stage_key FROM %I.%I AS s WHERE s.is_won)', target_schema, v_stage);
    last_open_key := pg_catalog.format('(SELECT s.stage_key FROM %I.%I AS s WHERE NOT s.is_won ORDER BY s.stage_sequence DESC LIMIT 1)',
                                       target_schema, v_stage);
    -- a stage label as a key of the stage view: a won stage counts as won
    -- only for an opportunity won now (IsWon), else as the last open stage;
    -- a closed lost or unknown stage maps to nothing
    map_stage := pg_catalog.format(
        'CASE WHEN %%1$s.%1$I IS NULL THEN NULL WHEN %%1$s.%2$I IS TRUE THEN CASE WHEN o.%2$I IS TRUE THEN %3$s ELSE %4$s END '
        || 'WHEN %%1$s.%5$I IS TRUE THEN NULL ELSE %%1$s.%1$I::pg_catalog.text END',
        salesplan_internal.preset_sf_name(style, 'MasterLabel'), salesplan_internal.preset_sf_name(style, 'IsWon'),
        won_key, last_open_key, salesplan_internal.preset_sf_name(style, 'IsClosed'));

    -- 2. stage history: OpportunityHistory's live rows (its first row is the
    -- creation); ids compared as text (char(18) and varchar(18) replicas)
    RETURN QUERY SELECT v_history, pg_catalog.format(
        'SELECT h.%1$I::pg_catalog.text AS opportunity_id, %14$s AS changed_at, %3$s AS stage_key, %13$s AS changed_on '
        || 'FROM %4$s AS h JOIN %5$s AS o ON o.%6$I::pg_catalog.text = h.%1$I::pg_catalog.text AND %7$s '
        || 'LEFT JOIN %8$s AS st ON st.%9$I::pg_catalog.text = h.%10$I::pg_catalog.text AND %11$s '
        || 'WHERE %12$s',
        salesplan_internal.preset_sf_name(style, 'OpportunityId'), salesplan_internal.preset_sf_name(style, 'CreatedDate'),
        pg_catalog.format(map_stage, 'st'),
        salesplan_internal.binding_relname(hist), salesplan_internal.binding_relname(opp),
        salesplan_internal.preset_sf_name(style, 'Id'), salesplan_internal.preset_sf_live(opp, 'o', style),
        salesplan_internal.binding_relname(stage), salesplan_internal.preset_sf_name(style, 'MasterLabel'),
        salesplan_internal.preset_sf_name(style, 'StageName'), salesplan_internal.preset_sf_live(stage, 'st', style),
        salesplan_internal.preset_sf_live(hist, 'h', style),
        salesplan_internal.preset_date(pg_catalog.format('h.%I', salesplan_internal.preset_sf_name(style, 'CreatedDate')),
            salesplan_internal.preset_column(hist, salesplan_internal.preset_sf_name(style, 'CreatedDate'), crm,
                                             'OpportunityHistory.CreatedDate', true), time_zone),
        -- a timestamptz stays one (the bindings read it in their zone, the
        -- preset's); a UTC timestamp becomes the wall-clock time in the zone
        CASE WHEN salesplan_internal.preset_column(hist, salesplan_internal.preset_sf_name(style, 'CreatedDate'), crm,
                                                   'OpportunityHistory.CreatedDate', true) = 'timestamp with time zone'::regtype
             THEN pg_catalog.format('h.%I', salesplan_internal.preset_sf_name(style, 'CreatedDate'))
             ELSE salesplan_internal.preset_local_time(pg_catalog.format('h.%I', salesplan_internal.preset_sf_name(style, 'CreatedDate')),
                      salesplan_internal.preset_column(hist, salesplan_internal.preset_sf_name(style, 'CreatedDate'), crm,
                                                       'OpportunityHistory.CreatedDate', true), time_zone) END),
        pg_catalog.format('Salesforce stage history of %s without soft-deleted rows (preset "%s")',
                          salesplan_internal.binding_relname(hist), prefix),
        pg_catalog.jsonb_build_object(
            'opportunity_id', 'OpportunityHistory.OpportunityId, as text',
            'changed_at', 'when the opportunity entered the stage (OpportunityHistory.CreatedDate)',
            'stage_key', 'stage entered, as a key of the stage view; a won stage counts only for opportunities won now (else as the last open stage); NULL for closed lost and unknown stages',
            'changed_on', pg_catalog.format('the day of changed_at (CreatedDate in %s)', zone_name));

    -- 3. opportunities
    RETURN QUERY SELECT v_opp, pg_catalog.format(
        'SELECT o.%1$I::pg_catalog.text AS opportunity_id, o.%2$I::pg_catalog.text AS account_id, o.%3$I::pg_catalog.text AS owner_id, '
        || '%4$s AS team, o.%5$I AS amount, %6$s AS created_on, o.%7$I::pg_catalog.date AS closed_on, '
        || 'o.%8$I IS TRUE AS is_won, (o.%9$I IS TRUE AND o.%8$I IS NOT TRUE) AS is_lost, rs.stage_key AS reached_stage '
        || 'FROM %10$s AS o%11$s '
        || 'LEFT JOIN (SELECT h.opportunity_id, pg_catalog.max(s.stage_sequence) AS seq FROM %12$I.%13$I AS h JOIN %12$I.%14$I AS s ON s.stage_key = h.stage_key GROUP BY h.opportunity_id) AS hh ON hh.opportunity_id = o.%1$I::pg_catalog.text '
        || 'LEFT JOIN %15$s AS cs ON cs.%16$I::pg_catalog.text = o.%17$I::pg_catalog.text AND %18$s '
        || 'LEFT JOIN %12$I.%14$I AS cur ON cur.stage_key = (%19$s) '
        || 'LEFT JOIN %12$I.%14$I AS rs ON rs.stage_sequence = GREATEST(hh.seq, cur.stage_sequence, 1) '
        || 'WHERE %20$s',
        salesplan_internal.preset_sf_name(style, 'Id'), salesplan_internal.preset_sf_name(style, 'AccountId'),
        salesplan_internal.preset_sf_name(style, 'OwnerId'),
        CASE WHEN usr IS NULL THEN 'NULL::pg_catalog.text' ELSE pg_catalog.format('r.%I::pg_catalog.text', salesplan_internal.preset_sf_name(style, 'Name')) END,
        salesplan_internal.preset_sf_name(style, 'Amount'),
        salesplan_internal.preset_date(pg_catalog.format('o.%I', salesplan_internal.preset_sf_name(style, 'CreatedDate')),
            salesplan_internal.preset_column(opp, salesplan_internal.preset_sf_name(style, 'CreatedDate'), crm, 'Opportunity.CreatedDate', true),
            time_zone),
        salesplan_internal.preset_sf_name(style, 'CloseDate'), salesplan_internal.preset_sf_name(style, 'IsWon'),
        salesplan_internal.preset_sf_name(style, 'IsClosed'),
        salesplan_internal.binding_relname(opp),
        CASE WHEN usr IS NULL THEN '' ELSE pg_catalog.format(
            ' LEFT JOIN %1$s AS u ON u.%2$I::pg_catalog.text = o.%3$I::pg_catalog.text LEFT JOIN %4$s AS r ON r.%2$I::pg_catalog.text = u.%5$I::pg_catalog.text',
            salesplan_internal.binding_relname(usr), salesplan_internal.preset_sf_name(style, 'Id'),
            salesplan_internal.preset_sf_name(style, 'OwnerId'), salesplan_internal.binding_relname(role),
            salesplan_internal.preset_sf_name(style, 'UserRoleId')) END,
        target_schema, v_history, v_stage,
        salesplan_internal.binding_relname(stage), salesplan_internal.preset_sf_name(style, 'MasterLabel'),
        salesplan_internal.preset_sf_name(style, 'StageName'), salesplan_internal.preset_sf_live(stage, 'cs', style),
        pg_catalog.format(map_stage, 'cs'), salesplan_internal.preset_sf_live(opp, 'o', style)),
        pg_catalog.format('Salesforce opportunities of %s without soft-deleted rows, with their deepest stage (preset "%s")',
                          salesplan_internal.binding_relname(opp), prefix),
        pg_catalog.jsonb_build_object(
            'opportunity_id', 'Opportunity.Id, as text',
            'account_id', 'Opportunity.AccountId, as text',
            'owner_id', 'Opportunity.OwnerId, as text',
            'team', 'role of the owner (UserRole.Name), NULL when the replica has no User or UserRole',
            'amount', 'Opportunity.Amount',
            'created_on', pg_catalog.format('creation date (CreatedDate in %s)', zone_name),
            'closed_on', 'Opportunity.CloseDate',
            'is_won', 'IsWon',
            'is_lost', 'IsClosed and not IsWon (IsWon takes precedence)',
            'reached_stage', 'deepest open stage reached (current stage and history; at least the first stage); the won stage only when won');

    -- 4. target accounts
    RETURN QUERY SELECT v_target, pg_catalog.format(
        'SELECT a.%1$I::pg_catalog.text AS account_id FROM %2$s AS a WHERE %3$s%4$s',
        salesplan_internal.preset_sf_name(style, 'Id'), salesplan_internal.binding_relname(account),
        salesplan_internal.preset_sf_live(account, 'a', style),
        CASE WHEN target_field IS NULL THEN '' ELSE pg_catalog.format(' AND a.%I IS TRUE', target_field) END),
        CASE WHEN target_field IS NULL
             THEN pg_catalog.format('Salesforce target accounts (preset "%s"): every live account of %s', prefix, salesplan_internal.binding_relname(account))
             ELSE pg_catalog.format('Salesforce target accounts (preset "%s"): live accounts of %s whose %s is true', prefix,
                                    salesplan_internal.binding_relname(account), pg_catalog.quote_ident(target_field)) END,
        pg_catalog.jsonb_build_object('account_id', 'Account.Id, as text');

    -- 5. touches: completed tasks and meetings (open tasks are planned, not
    -- touches), optionally only those of users in one role
    IF touch_role IS NOT NULL THEN
        role_filter := pg_catalog.format(
            ' AND EXISTS (SELECT 1 FROM %1$s AS u JOIN %2$s AS r ON r.%3$I::pg_catalog.text = u.%4$I::pg_catalog.text '
            || 'WHERE u.%3$I::pg_catalog.text = x.%5$I::pg_catalog.text AND r.%6$I = %7$L)',
            salesplan_internal.binding_relname(usr), salesplan_internal.binding_relname(role),
            salesplan_internal.preset_sf_name(style, 'Id'), salesplan_internal.preset_sf_name(style, 'UserRoleId'),
            salesplan_internal.preset_sf_name(style, 'OwnerId'), salesplan_internal.preset_sf_name(style, 'Name'), touch_role);
    END IF;
    IF salesplan_internal.preset_column(task, salesplan_internal.preset_sf_name(style, 'TaskSubtype'), crm, 'Task.TaskSubtype', false) IS NOT NULL THEN
        task_two_way := pg_catalog.format('x.%I = ''Call''', salesplan_internal.preset_sf_name(style, 'TaskSubtype'));
    END IF;
    IF event IS NOT NULL THEN
        typ := salesplan_internal.preset_column(event, salesplan_internal.preset_sf_name(style, 'StartDateTime'), crm, 'Event.StartDateTime', false);
        event_date := pg_catalog.format('x.%I', salesplan_internal.preset_sf_name(style, 'ActivityDate'));
        IF typ IS NOT NULL THEN
            event_date := pg_catalog.format('coalesce(%s, %s)', event_date,
                salesplan_internal.preset_date(pg_catalog.format('x.%I', salesplan_internal.preset_sf_name(style, 'StartDateTime')), typ, time_zone));
        END IF;
    END IF;
    RETURN QUERY SELECT v_touch, pg_catalog.format(
        'SELECT x.%1$I::pg_catalog.text AS account_id, coalesce(x.%2$I::pg_catalog.date, %3$s) AS touched_on, (%4$s) IS TRUE AS two_way, '
        || 'x.%5$I::pg_catalog.text AS contact_id, ''task''::pg_catalog.text AS source '
        || 'FROM %6$s AS x WHERE %7$s AND x.%8$I IS TRUE AND x.%1$I IS NOT NULL%9$s%10$s',
        salesplan_internal.preset_sf_name(style, 'AccountId'), salesplan_internal.preset_sf_name(style, 'ActivityDate'),
        salesplan_internal.preset_date(pg_catalog.format('x.%I', salesplan_internal.preset_sf_name(style, 'CreatedDate')),
            salesplan_internal.preset_column(task, salesplan_internal.preset_sf_name(style, 'CreatedDate'), crm, 'Task.CreatedDate', true),
            time_zone),
        task_two_way, salesplan_internal.preset_sf_name(style, 'WhoId'),
        salesplan_internal.binding_relname(task), salesplan_internal.preset_sf_live(task, 'x', style),
        salesplan_internal.preset_sf_name(style, 'IsClosed'), role_filter,
        CASE WHEN event IS NULL THEN '' ELSE pg_catalog.format(
            ' UNION ALL SELECT x.%1$I::pg_catalog.text, %2$s, true, x.%3$I::pg_catalog.text, ''event''::pg_catalog.text '
            || 'FROM %4$s AS x WHERE %5$s AND x.%1$I IS NOT NULL%6$s',
            salesplan_internal.preset_sf_name(style, 'AccountId'), event_date, salesplan_internal.preset_sf_name(style, 'WhoId'),
            salesplan_internal.binding_relname(event), salesplan_internal.preset_sf_live(event, 'x', style), role_filter) END),
        pg_catalog.format('Salesforce touches (preset "%s"): completed tasks and meetings without soft-deleted rows%s; open tasks are planned, not touches',
                          prefix, CASE WHEN touch_role IS NULL THEN '' ELSE pg_catalog.format(', of users in role %L', touch_role) END),
        pg_catalog.jsonb_build_object(
            'account_id', 'AccountId of the task or event, as text',
            'touched_on', pg_catalog.format('ActivityDate (tasks without one: CreatedDate in %1$s; events without one: StartDateTime in %1$s)', zone_name),
            'two_way', 'a meeting (Event) or a call (Task with TaskSubtype Call)',
            'contact_id', 'WhoId (contact or lead), as text',
            'source', 'task or event');

END
$fn$;
COMMENT ON FUNCTION salesplan_internal.preset_salesforce_sources(name, name, text, name, text, text, text) IS
    'internal: the source views of the Salesforce preset (name, query, comments) over the given replica schema, dates on the calendar of time_zone (NULL: UTC), its objects and fields checked for the acting role';

CREATE FUNCTION salesplan_internal.bind_salesforce(
        target_schema name,
        source_schema name,
        prefix text,
        target_field name,
        touch_role text,
        period text,
        horizon interval,
        period_start date,
        period_end date,
        keep_warm_days integer,
        as_of date,
        naming text,
        materialized boolean,
        materialize_despite_row_security boolean,
        win_horizon interval,
        time_zone text)
    RETURNS SETOF text
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $fn$
BEGIN
    -- the preset call (crm, source schema, the arguments that shape the
    -- source views) and the Salesforce keys and dimensions; preset_bind
    -- does the rest
    RETURN QUERY SELECT * FROM salesplan_internal.preset_bind(target_schema,
        pg_catalog.jsonb_build_object('crm', 'salesforce', 'prefix', prefix, 'source_schema', source_schema,
            'arguments', pg_catalog.jsonb_build_object('target_field', target_field, 'touch_role', touch_role, 'naming', naming)),
        'opportunity_id', '{team}', period, horizon, period_start, period_end, keep_warm_days, as_of,
        materialized, materialize_despite_row_security, win_horizon, time_zone);
END
$fn$;
COMMENT ON FUNCTION salesplan_internal.bind_salesforce(name, name, text, name, text, text, interval, date, date, integer, date, text, boolean, boolean, interval, text) IS
    'internal: implementation of salesplan.bind_salesforce (preset_bind with the Salesforce preset call, key opportunity_id and dimension team)';

CREATE FUNCTION salesplan.bind_salesforce(
        target_schema name,
        source_schema name,
        prefix text DEFAULT 'sf',
        target_field name DEFAULT NULL,
        touch_role text DEFAULT NULL,
        period text DEFAULT 'month',
        horizon interval DEFAULT '90 days',
        period_start date DEFAULT NULL,
        period_end date DEFAULT NULL,
        keep_warm_days integer DEFAULT 30,
        as_of date DEFAULT NULL,
        naming text DEFAULT NULL,
        materialized boolean DEFAULT false,
        materialize_despite_row_security boolean DEFAULT false,
        win_horizon interval DEFAULT NULL,
        time_zone text DEFAULT NULL)
    RETURNS SETOF text
    AS 'MODULE_PATHNAME', 'salesplan_bind_salesforce'
    LANGUAGE C VOLATILE;
COMMENT ON FUNCTION salesplan.bind_salesforce(name, name, text, name, text, text, interval, date, date, integer, date, text, boolean, boolean, interval, text) IS
    'preset over a Salesforce replica (quoted Salesforce names or lower snake case, detected): creates normalising views prefix_src_* and the bindings prefix_pipeline, prefix_stage_flow and prefix_targets in target_schema; dates, periods and today on the calendar of time_zone (NULL: UTC, whatever the session''s TimeZone)';

-- ---------------------------------------------------------------------
-- one implementation of both presets: bind_odoo and bind_salesforce pass
-- their preset call and their keys and dimensions; the source views (by
-- CRM), the checks, the bindings and the record are made here once
-- ---------------------------------------------------------------------

-- the source views of a preset call (as recorded in salesplan.binding.preset:
-- crm, prefix, source_schema, arguments), as a jsonb array of {view_name,
-- view_query, view_comment, column_comments}, in creation order; a call
-- recorded without a time_zone argument (made before it existed) is UTC
CREATE FUNCTION salesplan_internal.preset_sources(target_schema name, preset jsonb)
    RETURNS jsonb
    LANGUAGE plpgsql STABLE
    SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    a jsonb := preset -> 'arguments';
    sources jsonb;
BEGIN
    IF preset ->> 'crm' = 'odoo' THEN
        SELECT pg_catalog.jsonb_agg(pg_catalog.to_jsonb(x)) INTO sources
        FROM salesplan_internal.preset_odoo_sources(target_schema, preset ->> 'source_schema', preset ->> 'prefix',
                                                    a ->> 'target_tag', a ->> 'language', a ->> 'time_zone') AS x;
    ELSE
        SELECT pg_catalog.jsonb_agg(pg_catalog.to_jsonb(x)) INTO sources
        FROM salesplan_internal.preset_salesforce_sources(target_schema, preset ->> 'source_schema', preset ->> 'prefix',
                                                          a ->> 'target_field', a ->> 'touch_role', a ->> 'naming',
                                                          a ->> 'time_zone') AS x;
    END IF;
    RETURN sources;
END
$fn$;
COMMENT ON FUNCTION salesplan_internal.preset_sources(name, jsonb) IS
    'internal: the source views (name, query, comments) of a recorded preset call, built by preset_odoo_sources or preset_salesforce_sources, its tables and columns checked for the acting role';

-- makes a preset for the calling role: its source views, then its bindings
-- through the public generic functions (prefix_pipeline, prefix_stage_flow,
-- prefix_leads when the CRM has a lead view, prefix_targets, and
-- prefix_delivery when it has a milestone view), keyed by entity_key with
-- the given dimensions; records the call on each binding.  time_zone: the
-- calendar of the source views' dates and of the bindings (their periods,
-- today and open windows); NULL is UTC, whatever the session's TimeZone
CREATE FUNCTION salesplan_internal.preset_bind(
        target_schema name,
        preset_call jsonb,
        entity_key name,
        dimensions name[],
        period text,
        horizon interval,
        period_start date,
        period_end date,
        keep_warm_days integer,
        as_of date,
        materialized boolean,
        materialize_despite_row_security boolean,
        win_horizon interval,
        time_zone text)
    RETURNS SETOF text
    LANGUAGE plpgsql VOLATILE
    SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    crm constant text := CASE preset_call ->> 'crm' WHEN 'odoo' THEN 'Odoo' ELSE 'Salesforce' END;
    zone text;
    message text;
    hint text;
    prefix constant text := preset_call ->> 'prefix';
    caller regrole := salesplan_internal.binding_caller();
    sources jsonb;
    r record;
    has_lead boolean;
    has_milestone boolean;
    views text[];
    bindings text[];
    v_stage text := prefix || '_src_stage';
    v_history text := prefix || '_src_stage_history';
    v_opp text := prefix || '_src_opportunity';
    v_lead text := prefix || '_src_lead';
    v_target text := prefix || '_src_target';
    v_touch text := prefix || '_src_touch';
    v_milestone text := prefix || '_src_milestone';
BEGIN
    IF horizon IS NOT NULL AND horizon <= interval '0' THEN
        RAISE EXCEPTION 'horizon must be positive: %', horizon
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'The horizon is the window of the ordered funnel (stage_flow), such as 90 days.';
    END IF;
    -- a zone name (or POSIX specification), canonical, never an
    -- abbreviation: the source views and the bindings use the same one
    IF time_zone IS NOT NULL THEN
        BEGIN
            zone := salesplan_internal.binding_time_zone(time_zone, prefix || '_pipeline', false);
        EXCEPTION WHEN invalid_parameter_value THEN
            GET STACKED DIAGNOSTICS message = MESSAGE_TEXT, hint = PG_EXCEPTION_HINT;
            RAISE EXCEPTION '%', message
                USING ERRCODE = 'invalid_parameter_value',
                      DETAIL = pg_catalog.format('It was given as the time_zone of the %s preset "%s".', crm, prefix),
                      HINT = hint;
        END;
    END IF;
    preset_call := pg_catalog.jsonb_set(preset_call, '{arguments,time_zone}', coalesce(pg_catalog.to_jsonb(zone), 'null'::pg_catalog.jsonb));
    -- the source views (the source schema checked for the caller)
    PERFORM salesplan_internal.binding_act_as(caller);
    sources := salesplan_internal.preset_sources(target_schema, preset_call);
    views := ARRAY(SELECT e ->> 'view_name' FROM pg_catalog.jsonb_array_elements(sources) AS e);
    has_lead := v_lead = ANY (views);
    has_milestone := v_milestone = ANY (views);
    bindings := ARRAY[prefix || '_pipeline', prefix || '_stage_flow']
                || CASE WHEN has_lead THEN ARRAY[prefix || '_leads'] ELSE '{}'::text[] END
                || ARRAY[prefix || '_targets']
                || CASE WHEN has_milestone THEN ARRAY[prefix || '_delivery'] ELSE '{}'::text[] END;
    PERFORM salesplan_internal.preset_check(crm, target_schema, prefix, views, bindings);
    PERFORM salesplan_internal.preset_check(crm, target_schema, prefix,
        salesplan_internal.binding_objects('funnel', prefix || '_pipeline')
        || salesplan_internal.binding_objects('window_funnel', prefix || '_stage_flow')
        || CASE WHEN has_lead THEN salesplan_internal.binding_objects('funnel', prefix || '_leads')
                ELSE '{}'::text[] END
        || salesplan_internal.binding_objects('coverage', prefix || '_targets')
        || CASE WHEN has_milestone THEN salesplan_internal.binding_objects('milestone', prefix || '_delivery')
                ELSE '{}'::text[] END, '{}');
    FOR r IN SELECT * FROM pg_catalog.jsonb_to_recordset(sources)
             AS x(view_name text, view_query text, view_comment text, column_comments jsonb) LOOP
        RETURN NEXT salesplan_internal.preset_view(caller, target_schema, r.view_name, r.view_query,
                                                   r.view_comment, r.column_comments, false);
    END LOOP;

    -- the bindings, through the public generic functions
    RETURN QUERY SELECT * FROM salesplan.bind_funnel(prefix || '_pipeline', target_schema,
        pg_catalog.format('%I.%I', target_schema, v_opp)::regclass, 'reached_stage',
        amount_column => 'amount', period_column => 'created_on', period => period,
        dimensions => dimensions, stage_table => pg_catalog.format('%I.%I', target_schema, v_stage)::regclass,
        stage_key => 'stage_key', stage_sequence => 'stage_sequence', stage_label => 'stage_name',
        won_column => 'is_won', lost_column => 'is_lost', account_column => 'account_id',
        opened_column => 'created_on', closed_date_column => 'closed_on',
        history_table => pg_catalog.format('%I.%I', target_schema, v_history)::regclass, history_key => entity_key,
        history_stage => 'stage_key', entity_key => entity_key, history_time => 'changed_on',
        win_horizon => win_horizon, time_zone => coalesce(zone, 'UTC'),
        materialized => materialized, materialize_despite_row_security => materialize_despite_row_security);
    RETURN QUERY SELECT * FROM salesplan.bind_window_funnel(prefix || '_stage_flow', target_schema,
        pg_catalog.format('%I.%I', target_schema, v_history)::regclass, entity_key, 'changed_at', 'stage_key',
        within => coalesce(horizon, interval '90 days'),
        stage_table => pg_catalog.format('%I.%I', target_schema, v_stage)::regclass,
        stage_key => 'stage_key', stage_sequence => 'stage_sequence', stage_label => 'stage_name',
        entity_table => pg_catalog.format('%I.%I', target_schema, v_opp)::regclass, entity_key => entity_key,
        period_column => 'created_on', period => period, dimensions => dimensions, time_zone => coalesce(zone, 'UTC'),
        materialized => materialized, materialize_despite_row_security => materialize_despite_row_security);
    IF has_lead THEN
        RETURN QUERY SELECT * FROM salesplan.bind_funnel(prefix || '_leads', target_schema,
            pg_catalog.format('%I.%I', target_schema, v_lead)::regclass, 'stage',
            amount_column => 'amount', period_column => 'created_on', period => period,
            dimensions => dimensions, stage_order => ARRAY['Lead', 'Opportunity', 'Won'],
            won_column => 'is_won', lost_column => 'is_lost', win_horizon => win_horizon, time_zone => coalesce(zone, 'UTC'),
            materialized => materialized, materialize_despite_row_security => materialize_despite_row_security);
    END IF;
    RETURN QUERY SELECT * FROM salesplan.bind_coverage(prefix || '_targets', target_schema,
        pg_catalog.format('%I.%I', target_schema, v_target)::regclass, 'account_id',
        activities => pg_catalog.format('%I.%I', target_schema, v_touch)::regclass,
        activity_account => 'account_id', activity_date => 'touched_on', activity_two_way => 'two_way',
        activity_contact => 'contact_id',
        opportunities => pg_catalog.format('%I.%I', target_schema, v_opp)::regclass,
        opportunity_account => 'account_id', opportunity_date => 'created_on', opportunity_won => 'is_won',
        opportunity_amount => 'amount', period_start => period_start, period_end => period_end,
        keep_warm_days => coalesce(keep_warm_days, 30), as_of => as_of, time_zone => coalesce(zone, 'UTC'),
        materialized => materialized, materialize_despite_row_security => materialize_despite_row_security);
    IF has_milestone THEN
        RETURN QUERY SELECT * FROM salesplan.bind_milestones(prefix || '_delivery', target_schema,
            pg_catalog.format('%I.%I', target_schema, v_milestone)::regclass, 'project_id', 'deadline',
            actual_column => 'reached_date', reached_column => 'is_reached', weight_column => 'weight',
            start_column => 'project_start', dimensions => '{manager_id}', project_label => 'project_name', milestone_label => 'milestone_name', as_of => as_of,
            milestone_key => 'milestone_id', time_zone => coalesce(zone, 'UTC'),
            materialized => materialized, materialize_despite_row_security => materialize_despite_row_security);
    END IF;
    -- the preset call, on each of its bindings: regenerate rebuilds the
    -- source views from it, unbind of the last binding drops them
    UPDATE salesplan.binding AS x SET preset = preset_call || pg_catalog.jsonb_build_object('views', pg_catalog.to_jsonb(views))
    WHERE x.name = ANY (bindings);
END
$fn$;
COMMENT ON FUNCTION salesplan_internal.preset_bind(name, jsonb, name, name[], text, interval, date, date, integer, date, boolean, boolean, interval, text) IS
    'internal: the one implementation of the presets: source views of the recorded preset call (preset_sources), then the bindings prefix_pipeline, prefix_stage_flow, prefix_leads (with a lead view), prefix_targets and prefix_delivery (with a milestone view) through the public generic functions, keyed by entity_key with the given dimensions, on the calendar of time_zone (NULL: UTC); records the call on each binding';

-- ---------------------------------------------------------------------
-- a preset's source views after bind time: regenerate and unbind
-- ---------------------------------------------------------------------

-- rebuilds the source views of the preset that made binding b, as its
-- owner, from the preset call recorded in b.preset and the source schema as
-- it is now (a column added, a table recreated); returns the views
CREATE FUNCTION salesplan_internal.preset_regenerate(b salesplan.binding)
    RETURNS SETOF text
    LANGUAGE plpgsql VOLATILE
    SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    p jsonb := b.preset;
    r record;
    sources jsonb;
    views text[] := '{}';
BEGIN
    PERFORM salesplan_internal.binding_act_as(b.owner);
    IF NOT pg_catalog.has_schema_privilege(b.owner, b.target_schema, 'CREATE') THEN
        RAISE EXCEPTION 'permission denied for schema %', pg_catalog.quote_ident(b.target_schema)
            USING ERRCODE = 'insufficient_privilege',
                  DETAIL = pg_catalog.format('Preset "%s" creates its source views there, and its owner, role %s, may not create objects in it.', p ->> 'prefix', b.owner),
                  HINT = 'GRANT CREATE on the schema to the binding''s owner, or bind into another schema.';
    END IF;
    sources := salesplan_internal.preset_sources(b.target_schema, p);
    FOR r IN SELECT * FROM pg_catalog.jsonb_to_recordset(sources)
             AS x(view_name text, view_query text, view_comment text, column_comments jsonb) LOOP
        RETURN NEXT salesplan_internal.preset_view(b.owner, b.target_schema, r.view_name, r.view_query,
                                                   r.view_comment, r.column_comments, true);
        views := views || r.view_name;
    END LOOP;
    UPDATE salesplan.binding AS x SET preset = x.preset || pg_catalog.jsonb_build_object('views', pg_catalog.to_jsonb(views))
    WHERE x.target_schema = b.target_schema AND x.preset ->> 'prefix' = p ->> 'prefix'
      AND x.preset -> 'views' IS DISTINCT FROM pg_catalog.to_jsonb(views);
END
$fn$;
COMMENT ON FUNCTION salesplan_internal.preset_regenerate(salesplan.binding) IS
    'internal: rebuilds, as its owner, the source views of the preset that made a binding, from the recorded preset call and the source schema as it is now (views replaced in place, missing ones created); returns the views';

-- drops the source views of the preset that made binding b (its last
-- binding is gone), as its owner, latest first, only views it owns; no
-- CASCADE (a view of yours on them stops it with 2BP01)
CREATE FUNCTION salesplan_internal.preset_drop_views(b salesplan.binding)
    RETURNS void
    LANGUAGE plpgsql VOLATILE
    SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    v text;
    rel regclass;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles r WHERE r.oid = b.owner) THEN
        RETURN;   -- a dropped role's views went with it (DROP OWNED) or are another role's now
    END IF;
    FOR v IN SELECT e.value FROM pg_catalog.jsonb_array_elements_text(b.preset -> 'views') WITH ORDINALITY AS e(value, n)
             ORDER BY e.n DESC LOOP
        rel := pg_catalog.to_regclass(pg_catalog.format('%I.%I', b.target_schema, v));
        CONTINUE WHEN rel IS NULL OR NOT EXISTS (SELECT 1 FROM pg_catalog.pg_class c
                                                 WHERE c.oid = rel AND c.relkind = 'v' AND c.relowner = b.owner);
        PERFORM salesplan_internal.binding_execute_as(b.owner, pg_catalog.format('DROP VIEW %I.%I', b.target_schema, v));
    END LOOP;
END
$fn$;
COMMENT ON FUNCTION salesplan_internal.preset_drop_views(salesplan.binding) IS
    'internal: drops, as the owner, the source views of the preset that made a binding (latest first, only the views it owns, no CASCADE)';
