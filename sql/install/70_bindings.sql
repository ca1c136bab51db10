
-- ---------------------------------------------------------------------
-- Bindings: views over the CRM tables people already have.
-- See doc/bindings.md and doc/security.md.
--
-- A binding is one row of salesplan.binding: an owner, a kind, a target
-- schema and a jsonb spec naming relations and columns.  regenerate turns
-- the row into views (or materialized views) in the target schema; the
-- bind_* functions validate their arguments, store the row and call it.
-- Every identifier reaches generated SQL through format('%I') or a
-- relation name built by format('%I.%I'); literals through format('%L').
--
-- Who may do what: the public functions (schema salesplan) are C entry
-- points (src/binding.c) that record the calling role and call their
-- implementation of the same name in schema salesplan_internal, a
-- SECURITY DEFINER function only the extension's owner may execute.  The
-- implementation checks every privilege against the caller (or, when it
-- rebuilds a binding, against the binding's owner) and runs all generated
-- DDL as the binding's owner through binding_execute_as.
-- ---------------------------------------------------------------------

CREATE TABLE salesplan.binding (
    name text PRIMARY KEY
        CHECK (name <> '' AND pg_catalog.octet_length(name) <= 48),
    kind text NOT NULL
        CHECK (kind IN ('funnel', 'window_funnel', 'coverage', 'milestone')),
    target_schema name NOT NULL,
    spec jsonb NOT NULL,
    materialized boolean NOT NULL DEFAULT false,
    paradigm text NOT NULL
        CHECK (paradigm IN ('probability', 'behavior', 'project')),
    refresh_cron text,
    created_at timestamptz NOT NULL DEFAULT pg_catalog.now(),
    owner regrole NOT NULL,
    objects regclass[] NOT NULL DEFAULT '{}',
    materialize_despite_row_security boolean NOT NULL DEFAULT false,
    needs_review boolean NOT NULL DEFAULT false,
    preset jsonb
);
COMMENT ON TABLE salesplan.binding IS
    'bindings of salesplan views to CRM tables: one row per binding; salesplan.regenerate() rebuilds the views from it (dumped with the extension, by any role that may dump the database); every role may read it, and rows change only through the binding functions';
COMMENT ON TYPE salesplan.binding IS
    'row type of table salesplan.binding: one binding';
COMMENT ON TYPE salesplan.binding[] IS
    'array of salesplan.binding rows';
COMMENT ON COLUMN salesplan.binding.name IS
    'binding name: the generated views are named after it (name, name_stages, ...)';
COMMENT ON COLUMN salesplan.binding.kind IS
    'funnel, window_funnel, coverage or milestone';
COMMENT ON COLUMN salesplan.binding.target_schema IS
    'schema the views are created in';
COMMENT ON COLUMN salesplan.binding.spec IS
    'relations (schema-qualified, quoted) and column names the views read, as given to the bind_* function';
COMMENT ON COLUMN salesplan.binding.materialized IS
    'true: materialized views with a unique index (REFRESH MATERIALIZED VIEW CONCURRENTLY works); false: security_invoker views';
COMMENT ON COLUMN salesplan.binding.paradigm IS
    'paradigm the binding declares (probability, behavior, project); the fit view says whether the data agrees';
COMMENT ON COLUMN salesplan.binding.refresh_cron IS
    'pg_cron schedule set by salesplan.create_refresh_job, NULL when none';
COMMENT ON COLUMN salesplan.binding.created_at IS
    'when the binding was created';
COMMENT ON COLUMN salesplan.binding.owner IS
    'role that created the binding: its views are owned by it, read with its privileges, and only it (or a member, or a superuser) may regenerate, refresh or schedule them; the owner of the target schema may also unbind it';
COMMENT ON COLUMN salesplan.binding.objects IS
    'the views and materialized views the binding created, as they were created: regenerate and unbind drop or replace only these';
COMMENT ON COLUMN salesplan.binding.preset IS
    'for a binding made by a preset (bind_odoo, bind_salesforce): the preset call that made its source views (crm, prefix, source schema, arguments, views), so that regenerate rebuilds them first and unbind of the preset''s last binding drops them; NULL otherwise';
COMMENT ON COLUMN salesplan.binding.materialize_despite_row_security IS
    'true when the binding was made with materialize_despite_row_security => true: its materialized views may read tables with row-level security, with the owner''s rows';
COMMENT ON COLUMN salesplan.binding.needs_review IS
    'true for a binding carried over from salesplan 0.1, whose row any role granted INSERT or UPDATE on this table could write: salesplan.regenerate() without a name skips it (WARNING) until its owner or a superuser regenerates it by name after checking its spec';
SELECT pg_catalog.pg_extension_config_dump('salesplan.binding', '');

-- Every role may list every binding, as pg_views shows it every view's
-- definition: a binding holds nothing its generated views' definitions do
-- not show.  No row-level security: pg_dump copies this config table with
-- row_security off, which fails for every role RLS applies to, so with a
-- policy here no role but a superuser could dump the database.  Writes are
-- refused by a trigger unless they come from the binding functions (which
-- run as the table's owner) or a superuser, whatever privileges a DBA
-- grants.
CREATE FUNCTION salesplan_internal.binding_write_guard() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
    AS $fn$
BEGIN
    IF NOT pg_catalog.pg_has_role(current_user,
                                  (SELECT c.relowner FROM pg_catalog.pg_class c WHERE c.oid = TG_RELID),
                                  'USAGE') THEN
        RAISE EXCEPTION 'salesplan.binding is changed only by the binding functions'
              USING ERRCODE = 'insufficient_privilege',
                    DETAIL = pg_catalog.format('Role %s tried to %s it directly.', current_user, pg_catalog.lower(TG_OP)),
                    HINT = 'Use salesplan.bind_funnel, bind_window_funnel, bind_coverage, bind_milestones, regenerate, refresh, create_refresh_job or unbind.';
    END IF;
    RETURN NULL;
END
$fn$;
COMMENT ON FUNCTION salesplan_internal.binding_write_guard() IS
    'internal: trigger refusing (42501) writes to salesplan.binding by any role but its owner (the binding functions) and superusers';
CREATE TRIGGER binding_written_by_functions_only
    BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON salesplan.binding
    FOR EACH STATEMENT EXECUTE FUNCTION salesplan_internal.binding_write_guard();
COMMENT ON TRIGGER binding_written_by_functions_only ON salesplan.binding IS
    'only the binding functions (running as the table''s owner) and superusers write salesplan.binding, whatever privileges are granted on it';
GRANT SELECT ON salesplan.binding TO PUBLIC;

-- ---------------------------------------------------------------------
-- the gate (src/binding.c)
-- ---------------------------------------------------------------------

CREATE FUNCTION salesplan_internal.binding_caller() RETURNS regrole
    AS 'MODULE_PATHNAME', 'salesplan_binding_caller'
    LANGUAGE C STABLE;
COMMENT ON FUNCTION salesplan_internal.binding_caller() IS
    'internal: the role that called the public binding function being served; insufficient_privilege (42501) outside one';

CREATE FUNCTION salesplan_internal.binding_act_as(role regrole) RETURNS void
    AS 'MODULE_PATHNAME', 'salesplan_binding_act_as'
    LANGUAGE C VOLATILE;
COMMENT ON FUNCTION salesplan_internal.binding_act_as(regrole) IS
    'internal: the role (a binding''s owner) whose privileges binding_relation and binding_column check, until the public call returns';

CREATE FUNCTION salesplan_internal.binding_acting() RETURNS regrole
    AS 'MODULE_PATHNAME', 'salesplan_binding_acting'
    LANGUAGE C STABLE;
COMMENT ON FUNCTION salesplan_internal.binding_acting() IS
    'internal: the role set by binding_act_as';

CREATE FUNCTION salesplan_internal.binding_execute_as(role regrole, command text) RETURNS text
    AS 'MODULE_PATHNAME', 'salesplan_binding_execute_as'
    LANGUAGE C VOLATILE;
COMMENT ON FUNCTION salesplan_internal.binding_execute_as(regrole, text) IS
    'internal: runs one generated SQL command as a binding''s owner, in a security-restricted operation (like REFRESH MATERIALIZED VIEW); returns the first column of its first row';

CREATE FUNCTION salesplan_internal.binding_time_zone(zone text, binding_name text, from_session boolean) RETURNS text
    AS 'MODULE_PATHNAME', 'salesplan_binding_time_zone'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION salesplan_internal.binding_time_zone(text, text, boolean) IS
    'internal: canonical name of the time zone a binding records (src/time_zone.c, checked as window_funnel checks its zone argument: tz database names and POSIX specifications); invalid_parameter_value (22023) for an unknown zone, an abbreviation or localtime';

-- SQL of "today" in a binding's views: the date in the binding's recorded
-- zone at the transaction's start (CURRENT_TIMESTAMP, as CURRENT_DATE
-- reads it), not CURRENT_DATE, which
-- is today in the reader's (or the Citus worker's) TimeZone; CURRENT_DATE
-- for a binding stored before 0.2 recorded a zone
CREATE FUNCTION salesplan_internal.binding_today(time_zone text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $fn$
    SELECT CASE WHEN time_zone IS NULL THEN 'CURRENT_DATE'
                ELSE pg_catalog.format('salesplan.local_time(CURRENT_TIMESTAMP, %L::pg_catalog.text)::pg_catalog.date', time_zone) END
$fn$;
COMMENT ON FUNCTION salesplan_internal.binding_today(text) IS
    'internal: SQL expression of today''s date in the given time zone (salesplan.local_time of CURRENT_TIMESTAMP), CURRENT_DATE when the zone is NULL';

-- may role act on binding b (regenerate, refresh, schedule)?  Its owner
-- (or a member of it) or a superuser: these run as the binding's owner, so
-- nobody else may start them (plain PostgreSQL lets only a materialized
-- view's owner refresh it).  The owner of the target schema may only unbind
-- (it may drop the views anyway).
CREATE FUNCTION salesplan_internal.binding_may_act(b salesplan.binding, who regrole) RETURNS boolean
    LANGUAGE sql STABLE
    SET search_path = pg_catalog, pg_temp
AS $fn$
    SELECT coalesce((SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.oid = who), false)
        OR pg_catalog.pg_has_role(who, b.owner, 'USAGE')
$fn$;
COMMENT ON FUNCTION salesplan_internal.binding_may_act(salesplan.binding, regrole) IS
    'internal: whether a role may regenerate, refresh or schedule a binding (its owner or a member of it, a superuser); the owner of its target schema may also unbind it';

-- does the owner of binding b still exist?  A role dropped after DROP OWNED
-- BY (or REASSIGN OWNED BY) leaves its bindings behind with a dangling
-- owner OID: nothing can be built as it.  Without quiet, undefined_object
-- (42704) naming the binding (and the role's OID in its detail); with quiet, a WARNING
-- (regenerate and refresh of every binding skip such a binding).
CREATE FUNCTION salesplan_internal.binding_check_owner(b salesplan.binding, quiet boolean) RETURNS boolean
    LANGUAGE plpgsql STABLE
    SET search_path = pg_catalog, pg_temp
AS $fn$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_catalog.pg_roles r WHERE r.oid = b.owner) THEN
        RETURN true;
    END IF;
    IF quiet THEN
        RAISE WARNING 'binding "%" skipped: its owner does not exist', b.name
            USING DETAIL = pg_catalog.format('Its owner, the role with OID %s, was dropped after its objects were dropped or reassigned (DROP OWNED BY, REASSIGN OWNED BY); nothing can be built as it.', b.owner::oid),
                  HINT = pg_catalog.format('Remove the binding with SELECT salesplan.unbind(%L); (as a superuser or the owner of schema %I), then bind again as an existing role.', b.name, b.target_schema);
        RETURN false;
    END IF;
    RAISE EXCEPTION 'owner of binding "%" does not exist', b.name
        USING ERRCODE = 'undefined_object',
              DETAIL = pg_catalog.format('Its owner, the role with OID %s, was dropped after its objects were dropped or reassigned (DROP OWNED BY, REASSIGN OWNED BY); nothing can be built as it.', b.owner::oid),
              HINT = pg_catalog.format('Remove the binding with SELECT salesplan.unbind(%L); (as a superuser or the owner of schema %I), then bind again as an existing role.', b.name, b.target_schema);
END
$fn$;
COMMENT ON FUNCTION salesplan_internal.binding_check_owner(salesplan.binding, boolean) IS
    'internal: whether the owner of a binding still exists; otherwise undefined_object (42704) naming the binding and the role''s OID, or with quiet a WARNING and false';

-- is the time zone binding b recorded still a zone of this server?  Every
-- read of its views looks the name up again (salesplan.local_time), so a
-- name the tz database lost after a restore elsewhere or an OS upgrade
-- (Debian moved CET, EST, US/Eastern and the other legacy names to package
-- tzdata-legacy with tzdata 2024b) makes every read fail naming only the
-- zone.  Without quiet, invalid_parameter_value (22023) naming the
-- binding; with quiet, a WARNING (regenerate and refresh of every binding
-- skip such a binding).  A binding stored before 0.2 records no zone.
CREATE FUNCTION salesplan_internal.binding_check_time_zone(b salesplan.binding, quiet boolean) RETURNS boolean
    LANGUAGE plpgsql STABLE
    SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    zone text := b.spec ->> 'time_zone';
    detail text;
    hint text;
BEGIN
    IF zone IS NULL OR salesplan.time_zone_known(zone) THEN
        RETURN true;
    END IF;
    detail := pg_catalog.format('Binding "%s" recorded time zone "%s" when it was made, and this server''s time zone database has no zone of that name, so every read of its views fails.',
                                b.name, zone);
    hint := pg_catalog.format('Install the zone again (Debian 13 and later ship legacy names such as CET, EST and US/Eastern in package tzdata-legacy), '
                              || 'or bind again with a zone from pg_timezone_names whose rules you want, such as Europe/Paris: SELECT salesplan.unbind(%L); then the bind function with time_zone => ''<zone>''.',
                              b.name);
    IF quiet THEN
        RAISE WARNING 'binding "%" skipped: its time zone "%" is not recognized', b.name, zone
            USING DETAIL = detail, HINT = hint;
        RETURN false;
    END IF;
    RAISE EXCEPTION 'time zone "%" of binding "%" is not recognized', zone, b.name
        USING ERRCODE = 'invalid_parameter_value', DETAIL = detail, HINT = hint;
END
$fn$;
COMMENT ON FUNCTION salesplan_internal.binding_check_time_zone(salesplan.binding, boolean) IS
    'internal: whether the time zone a binding recorded is known to this server (salesplan.time_zone_known; true for a binding without one); otherwise invalid_parameter_value (22023) naming the binding and the zone, with the hint to install it again or bind again, or with quiet a WARNING and false';

-- ---------------------------------------------------------------------
-- internal helpers
-- ---------------------------------------------------------------------

-- schema-qualified, quoted name of a relation (independent of search_path)
CREATE FUNCTION salesplan_internal.binding_relname(rel regclass) RETURNS text
    LANGUAGE sql STABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $fn$
    SELECT pg_catalog.format('%I.%I', n.nspname, c.relname)
    FROM pg_catalog.pg_class c
    JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
    WHERE c.oid = rel
$fn$;
COMMENT ON FUNCTION salesplan_internal.binding_relname(regclass) IS
    'internal: schema-qualified, quoted name of a relation, as stored in a binding spec';

-- a relation named in a stored spec, or a clear error
CREATE FUNCTION salesplan_internal.binding_relation(qualified text, binding_name text, role text)
    RETURNS regclass
    LANGUAGE plpgsql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    rel regclass;
    kind "char";
    nsp oid;
    acting regrole;
BEGIN
    IF qualified IS NULL THEN
        RAISE EXCEPTION 'binding "%" has no %', binding_name, role
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    rel := pg_catalog.to_regclass(qualified);
    IF rel IS NULL THEN
        RAISE EXCEPTION 'relation % does not exist', qualified
            USING ERRCODE = 'undefined_table',
                  DETAIL = pg_catalog.format('It is the %s of binding "%s".', role, binding_name),
                  HINT = 'Create or rename the relation back, or drop the binding with salesplan.unbind() and bind again.';
    END IF;
    SELECT c.relkind, c.relnamespace INTO kind, nsp FROM pg_catalog.pg_class c WHERE c.oid = rel;
    IF kind NOT IN ('r', 'p', 'v', 'm', 'f') THEN
        RAISE EXCEPTION 'relation % is not a table, view, materialized view or foreign table', qualified
            USING ERRCODE = 'wrong_object_type',
                  DETAIL = pg_catalog.format('It is the %s of binding "%s".', role, binding_name);
    END IF;
    -- the binding's owner must be able to read it: USAGE on its schema and
    -- SELECT on it or on some of its columns (binding_column checks each)
    acting := salesplan_internal.binding_acting();
    IF NOT pg_catalog.has_schema_privilege(acting, nsp, 'USAGE')
       OR NOT pg_catalog.has_any_column_privilege(acting, rel, 'SELECT') THEN
        RAISE EXCEPTION 'permission denied for table %', qualified
            USING ERRCODE = 'insufficient_privilege',
                  DETAIL = pg_catalog.format('It is the %s of binding "%s", and role %s may not read it.',
                                             role, binding_name, acting),
                  HINT = 'A binding reads only what its owner may read: GRANT SELECT on the relation (and USAGE on its schema) to the owner, or bind another relation.';
    END IF;
    RETURN rel;
END
$fn$;
COMMENT ON FUNCTION salesplan_internal.binding_relation(text, text, text) IS
    'internal: resolves a relation stored in a binding spec; undefined_table (42P01) naming it when it is gone';

-- the type of a column, or a clear error with near column names
CREATE FUNCTION salesplan_internal.binding_column(rel regclass, col name, role text, binding_name text)
    RETURNS regtype
    LANGUAGE plpgsql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    typ regtype;
    near text;
    hint text;
    acting regrole;
BEGIN
    IF col IS NULL THEN
        RAISE EXCEPTION 'binding "%" needs the % of relation %', binding_name, role,
                        salesplan_internal.binding_relname(rel)
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    SELECT a.atttypid::regtype INTO typ
    FROM pg_catalog.pg_attribute a
    WHERE a.attrelid = rel AND a.attname = col AND a.attnum > 0 AND NOT a.attisdropped;
    IF FOUND THEN
        acting := salesplan_internal.binding_acting();
        IF NOT pg_catalog.has_column_privilege(acting, rel, col::text, 'SELECT') THEN
            RAISE EXCEPTION 'permission denied for column "%" of relation %', col,
                            salesplan_internal.binding_relname(rel)
                USING ERRCODE = 'insufficient_privilege',
                      DETAIL = pg_catalog.format('It was given as the %s of binding "%s", and role %s may not read it.',
                                                 role, binding_name, acting),
                      HINT = 'A binding reads only what its owner may read: GRANT SELECT on the column or the relation to the owner, or bind another column.';
        END IF;
        RETURN typ;
    END IF;

    SELECT pg_catalog.string_agg(pg_catalog.quote_ident(a.attname), ', ' ORDER BY a.attnum)
      INTO near
    FROM pg_catalog.pg_attribute a
    WHERE a.attrelid = rel AND a.attnum > 0 AND NOT a.attisdropped
      AND (pg_catalog.strpos(pg_catalog.lower(a.attname), pg_catalog.lower(col)) > 0
           OR (pg_catalog.length(a.attname) >= 4
               AND pg_catalog.strpos(pg_catalog.lower(col), pg_catalog.lower(a.attname)) > 0));
    IF near IS NOT NULL THEN
        hint := pg_catalog.format('Perhaps you meant: %s.  Column names are case-sensitive and given without quotes.', near);
    ELSE
        SELECT pg_catalog.string_agg(pg_catalog.quote_ident(a.attname), ', ' ORDER BY a.attnum)
          INTO near
        FROM pg_catalog.pg_attribute a
        WHERE a.attrelid = rel AND a.attnum > 0 AND NOT a.attisdropped;
        hint := pg_catalog.format('Its columns are: %s.', coalesce(near, '(none)'));
    END IF;
    RAISE EXCEPTION 'column "%" of relation % does not exist', col, salesplan_internal.binding_relname(rel)
        USING ERRCODE = 'undefined_column',
              DETAIL = pg_catalog.format('It was given as the %s of binding "%s".', role, binding_name),
              HINT = hint;
END
$fn$;
COMMENT ON FUNCTION salesplan_internal.binding_column(regclass, name, text, text) IS
    'internal: type of a bound column; undefined_column (42703) naming it, with near column names as a hint';

-- a bound column whose type must belong to a set of type categories
CREATE FUNCTION salesplan_internal.binding_typed_column(rel regclass, col name, role text, binding_name text,
                                               categories text, expected text)
    RETURNS regtype
    LANGUAGE plpgsql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    typ regtype;
    cat "char";
BEGIN
    typ := salesplan_internal.binding_column(rel, col, role, binding_name);
    SELECT t.typcategory INTO cat FROM pg_catalog.pg_type t WHERE t.oid = typ;
    IF pg_catalog.strpos(categories, cat::text) = 0 THEN
        RAISE EXCEPTION 'column "%" of relation % has type %, not %', col,
                        salesplan_internal.binding_relname(rel), typ, expected
            USING ERRCODE = 'datatype_mismatch',
                  DETAIL = pg_catalog.format('It was given as the %s of binding "%s".', role, binding_name);
    END IF;
    RETURN typ;
END
$fn$;
COMMENT ON FUNCTION salesplan_internal.binding_typed_column(regclass, name, text, text, text, text) IS
    'internal: like binding_column, and datatype_mismatch (42804) unless the column type is in the given type categories';

-- the expression of a bucketed period column; a timestamptz column is
-- bucketed on the calendar of the binding's time zone (recorded in its spec
-- at bind time), not the session's: the views then give the same periods on
-- every node, whatever its TimeZone (issue 13)
CREATE FUNCTION salesplan_internal.binding_period_expr(rel regclass, col name, unit text, binding_name text,
                                                       time_zone text)
    RETURNS text
    LANGUAGE plpgsql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    typ regtype;
BEGIN
    IF col IS NULL THEN
        RETURN 'NULL::pg_catalog.date';
    END IF;
    IF unit IS NULL OR unit NOT IN ('day', 'week', 'month', 'quarter', 'year') THEN
        RAISE EXCEPTION 'invalid period "%"', unit
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'Use day, week, month, quarter or year.';
    END IF;
    typ := salesplan_internal.binding_column(rel, col, 'period column', binding_name);
    -- an infinite date or timestamp has no period: NULL (unknown)
    IF typ = 'date'::regtype THEN
        RETURN pg_catalog.format('CASE WHEN pg_catalog.isfinite(t.%2$I) THEN pg_catalog.date_trunc(%1$L, t.%2$I::pg_catalog.timestamp)::pg_catalog.date END',
                                 unit, col);
    ELSIF typ = 'timestamptz'::regtype AND time_zone IS NOT NULL THEN
        RETURN pg_catalog.format('CASE WHEN pg_catalog.isfinite(t.%2$I) THEN pg_catalog.date_trunc(%1$L, salesplan.local_time(t.%2$I, %3$L::pg_catalog.text))::pg_catalog.date END',
                                 unit, col, time_zone);
    ELSIF typ IN ('timestamp'::regtype, 'timestamptz'::regtype) THEN
        RETURN pg_catalog.format('CASE WHEN pg_catalog.isfinite(t.%2$I) THEN pg_catalog.date_trunc(%1$L, t.%2$I)::pg_catalog.date END',
                                 unit, col);
    END IF;
    RAISE EXCEPTION 'column "%" of relation % has type %, not date or timestamp', col,
                    salesplan_internal.binding_relname(rel), typ
        USING ERRCODE = 'datatype_mismatch',
              DETAIL = pg_catalog.format('It was given as the period column of binding "%s".', binding_name);
END
$fn$;
COMMENT ON FUNCTION salesplan_internal.binding_period_expr(regclass, name, text, text, text) IS
    'internal: SQL expression of a period column truncated to day, week, month, quarter or year, as a date (a timestamptz column on the calendar of the given time zone; NULL: the session''s, for bindings made before 0.2 recorded one); NULL for an infinite value';

-- the expression of a money column, as numeric
CREATE FUNCTION salesplan_internal.binding_money_expr(rel regclass, col name, role text, binding_name text,
                                             alias text DEFAULT 't')
    RETURNS text
    LANGUAGE plpgsql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    typ regtype;
    typmod int;
BEGIN
    IF col IS NULL THEN
        RETURN 'NULL::pg_catalog.numeric';
    END IF;
    typ := salesplan_internal.binding_typed_column(rel, col, role, binding_name, 'N', 'a number');
    -- one value the aggregates refuse (more than 8 decimals, NaN,
    -- infinity) would make every read of the views fail: a non-finite
    -- amount is unknown (NULL), and an amount that may carry more than 8
    -- decimals is rounded to 8 (the aggregates' fixed point; a value with
    -- fewer keeps its own scale)
    IF typ IN ('real'::regtype, 'double precision'::regtype) THEN
        -- binary floats carry noise digits too
        RETURN pg_catalog.format(
            'CASE WHEN %1$I.%2$I::pg_catalog.float8 IN (''NaN''::pg_catalog.float8, ''Infinity''::pg_catalog.float8, ''-Infinity''::pg_catalog.float8) '
            || 'THEN NULL ELSE pg_catalog.round(%1$I.%2$I::pg_catalog.numeric, 8) END', alias, col);
    END IF;
    SELECT a.atttypmod INTO typmod FROM pg_catalog.pg_attribute a
    WHERE a.attrelid = rel AND a.attname = col AND a.attnum > 0 AND NOT a.attisdropped;
    IF typ = 'numeric'::regtype THEN
        -- a declared scale of 0..8 needs no rounding (typmod: (precision
        -- << 16 | scale as an 11-bit two's complement) + 4)
        RETURN pg_catalog.format(
            'CASE WHEN %1$I.%2$I IN (''NaN''::pg_catalog.numeric, ''Infinity''::pg_catalog.numeric, ''-Infinity''::pg_catalog.numeric) '
            || 'THEN NULL ELSE %3$s END', alias, col,
            CASE WHEN typmod >= 4 AND ((typmod - 4) & 2047) <= 8
                 THEN pg_catalog.format('%I.%I', alias, col)
                 ELSE pg_catalog.format('CASE WHEN pg_catalog.scale(%1$I.%2$I) > 8 THEN pg_catalog.round(%1$I.%2$I, 8) ELSE %1$I.%2$I END',
                                        alias, col) END);
    END IF;
    RETURN pg_catalog.format('%I.%I::pg_catalog.numeric', alias, col);
END
$fn$;
COMMENT ON FUNCTION salesplan_internal.binding_money_expr(regclass, name, text, text, text) IS
    'internal: SQL expression of a money column as numeric: NaN and infinities as NULL, floats and numerics that may carry more than 8 decimals rounded to 8';

-- the type of the money columns of a view over a money column: numeric
-- with 38 digits and the scale the source column declares (numeric(p, s)
-- with 0 <= s <= 38: s; a negative scale or an integer type: 0); plain
-- numeric (exact, never rounded) when it declares none (an unconstrained
-- numeric, as Odoo's monetary fields; a float) or there is no column
CREATE FUNCTION salesplan_internal.binding_money_type(rel regclass, col name) RETURNS text
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $fn$
    SELECT coalesce(
        (SELECT CASE WHEN a.atttypid IN ('int2'::regtype, 'int4'::regtype, 'int8'::regtype) THEN 'numeric(38,0)'
                     -- typmod: (precision << 16 | scale as an 11-bit two's complement) + 4
                     WHEN a.atttypid = 'numeric'::regtype AND a.atttypmod >= 4 THEN
                         CASE WHEN ((a.atttypmod - 4) & 2047) >= 1024 THEN 'numeric(38,0)'
                              WHEN ((a.atttypmod - 4) & 2047) <= 38
                              THEN pg_catalog.format('numeric(38,%s)', (a.atttypmod - 4) & 2047) END END
         FROM pg_catalog.pg_attribute a
         WHERE a.attrelid = rel AND a.attname = col AND a.attnum > 0 AND NOT a.attisdropped),
        'numeric')
$fn$;
COMMENT ON FUNCTION salesplan_internal.binding_money_type(regclass, name) IS
    'internal: numeric(38, s) for the money columns of a view, s the scale the source money column declares (0 for integers and negative scales); numeric when it declares none';

-- the expression of a date column, as date; a timestamptz column is read on
-- the calendar of the binding's time zone (its spec's time_zone), not the
-- reading session's
CREATE FUNCTION salesplan_internal.binding_date_expr(rel regclass, col name, role text, binding_name text,
                                            alias text DEFAULT 't', time_zone text DEFAULT NULL)
    RETURNS text
    LANGUAGE plpgsql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    typ regtype;
BEGIN
    IF col IS NULL THEN
        RETURN 'NULL::pg_catalog.date';
    END IF;
    typ := salesplan_internal.binding_typed_column(rel, col, role, binding_name, 'D', 'a date or timestamp');
    -- an infinite date or timestamp ('infinity' for "no deadline",
    -- '-infinity' for "always") is an unknown date: NULL, as the
    -- aggregates refuse it and one such row would fail every read
    IF typ = 'timestamptz'::regtype AND time_zone IS NOT NULL THEN
        RETURN pg_catalog.format('CASE WHEN pg_catalog.isfinite(%1$I.%2$I) THEN salesplan.local_time(%1$I.%2$I, %3$L::pg_catalog.text)::pg_catalog.date END',
                                 alias, col, time_zone);
    END IF;
    RETURN pg_catalog.format('CASE WHEN pg_catalog.isfinite(%1$I.%2$I) THEN %1$I.%2$I::pg_catalog.date END', alias, col);
END
$fn$;
COMMENT ON FUNCTION salesplan_internal.binding_date_expr(regclass, name, text, text, text, text) IS
    'internal: SQL expression of a date or timestamp column as a date (a timestamptz column on the calendar of the given time zone; NULL: the session''s, for bindings made before 0.2 recorded one); NULL for an infinite value (an unknown date)';

-- the expression of a boolean column, or NULL when unbound
CREATE FUNCTION salesplan_internal.binding_bool_expr(rel regclass, col name, role text, binding_name text)
    RETURNS text
    LANGUAGE plpgsql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $fn$
BEGIN
    IF col IS NULL THEN
        RETURN NULL;
    END IF;
    PERFORM salesplan_internal.binding_typed_column(rel, col, role, binding_name, 'B', 'boolean');
    RETURN pg_catalog.format('t.%I', col);
END
$fn$;
COMMENT ON FUNCTION salesplan_internal.binding_bool_expr(regclass, name, text, text) IS
    'internal: SQL expression of a boolean column, NULL when none is bound';

-- the dimension columns of a binding (spec -> 'dimensions'), checked:
-- present, distinct, not clashing with the fixed output columns
CREATE FUNCTION salesplan_internal.binding_dimensions(rel regclass, spec jsonb, reserved text[], binding_name text)
    RETURNS name[]
    LANGUAGE plpgsql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    dims name[];
    d name;
BEGIN
    SELECT coalesce(pg_catalog.array_agg(x::name ORDER BY o), '{}') INTO dims
    FROM pg_catalog.jsonb_array_elements_text(coalesce(spec -> 'dimensions', '[]')) WITH ORDINALITY AS e(x, o);
    IF pg_catalog.array_position(dims, NULL) IS NOT NULL THEN
        RAISE EXCEPTION 'dimensions of binding "%" contain a NULL', binding_name
            USING ERRCODE = 'null_value_not_allowed';
    END IF;
    FOREACH d IN ARRAY dims LOOP
        PERFORM salesplan_internal.binding_column(rel, d, 'dimension', binding_name);
        IF d::text = ANY (reserved) THEN
            RAISE EXCEPTION 'dimension "%" clashes with an output column of the view', d
                USING ERRCODE = 'duplicate_column',
                      DETAIL = pg_catalog.format('The views of binding "%s" have fixed columns %s.',
                                                 binding_name, pg_catalog.array_to_string(reserved, ', ')),
                      HINT = 'Bind a view over the table that renames the column.';
        END IF;
    END LOOP;
    IF (SELECT pg_catalog.count(DISTINCT x) FROM pg_catalog.unnest(dims) AS x) <> pg_catalog.cardinality(dims) THEN
        RAISE EXCEPTION 'dimensions of binding "%" repeat a column: %', binding_name, dims
            USING ERRCODE = 'duplicate_column';
    END IF;
    RETURN dims;
END
$fn$;
COMMENT ON FUNCTION salesplan_internal.binding_dimensions(regclass, jsonb, text[], text) IS
    'internal: the dimension columns of a binding spec, validated (present, distinct, no clash with an output column)';

-- the parts every view generator needs about the dimensions: their names,
-- the relation they come from, and the source columns t.<dim> AS d<i>
CREATE FUNCTION salesplan_internal.binding_dimension_parts(dims name[], relname text)
    RETURNS jsonb
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $fn$
    SELECT pg_catalog.jsonb_build_object(
        'dimensions', pg_catalog.to_jsonb(dims),
        'dimension_source', relname,
        'dimension_columns', coalesce((SELECT pg_catalog.string_agg(pg_catalog.format(', t.%I AS d%s', d, i), '' ORDER BY i)
                                       FROM pg_catalog.unnest(dims) WITH ORDINALITY AS u(d, i)), ''))
$fn$;
COMMENT ON FUNCTION salesplan_internal.binding_dimension_parts(name[], text) IS
    'internal: view-generator parts of the dimension columns: names, source relation, and the source columns t.<dim> AS d<i>';

-- the condition keeping the rows of one bound relation (under alias) that
-- the binding keeps: every condition of spec -> 'row_filter' -> role, and
-- "<deleted_column> IS NOT TRUE" when the relation has that column (the
-- main relation must have it); 'true' when nothing is filtered
CREATE FUNCTION salesplan_internal.binding_row_filter(rel regclass, alias text, spec jsonb, role text,
                                                      binding_name text, main boolean)
    RETURNS text
    LANGUAGE plpgsql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    conds text[] := '{}';
    col text;
    val jsonb;
    typ regtype;
    deleted name := spec ->> 'deleted_column';
BEGIN
    IF deleted IS NOT NULL
       AND (main OR EXISTS (SELECT 1 FROM pg_catalog.pg_attribute a
                            WHERE a.attrelid = rel AND a.attname = deleted AND a.attnum > 0 AND NOT a.attisdropped)) THEN
        PERFORM salesplan_internal.binding_typed_column(rel, deleted, 'deleted column', binding_name, 'B', 'boolean');
        conds := conds || pg_catalog.format('%I.%I IS NOT TRUE', alias, deleted);
    END IF;
    FOR col, val IN SELECT e.key, e.value FROM pg_catalog.jsonb_each(spec -> 'row_filter' -> role) AS e ORDER BY e.key LOOP
        IF pg_catalog.jsonb_typeof(val) = 'boolean' THEN
            PERFORM salesplan_internal.binding_typed_column(rel, col, 'row filter column', binding_name, 'B', 'boolean');
            conds := conds || pg_catalog.format('%I.%I IS %s', alias, col,
                                                CASE WHEN val = 'true'::jsonb THEN 'TRUE' ELSE 'NOT TRUE' END);
            CONTINUE;
        END IF;
        typ := salesplan_internal.binding_column(rel, col, 'row filter column', binding_name);
        conds := conds || CASE pg_catalog.jsonb_typeof(val)
            WHEN 'null' THEN pg_catalog.format('%I.%I IS NULL', alias, col)
            ELSE salesplan_internal.binding_value_match(pg_catalog.format('%I.%I', alias, col), typ,
                     CASE WHEN pg_catalog.jsonb_typeof(val) = 'array' THEN ARRAY(SELECT pg_catalog.jsonb_array_elements_text(val))
                          ELSE ARRAY[val #>> '{}'] END, 'row filter', binding_name) END;
    END LOOP;
    IF pg_catalog.cardinality(conds) = 0 THEN
        RETURN 'true';
    END IF;
    RETURN pg_catalog.array_to_string(conds, ' AND ');
END
$fn$;
COMMENT ON FUNCTION salesplan_internal.binding_row_filter(regclass, text, jsonb, text, text, boolean) IS
    'internal: SQL condition keeping the rows of a bound relation that the binding''s row_filter and deleted_column keep';

-- the base type of a domain (of a domain ...); other types unchanged.
-- Values and keys are compared in it: casting to a domain runs its CHECK,
-- code of whoever owns the domain (the bound table's owner), with the
-- rights of whoever builds or reads the views
CREATE FUNCTION salesplan_internal.binding_base_type(typ regtype) RETURNS regtype
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $fn$
    WITH RECURSIVE d(oid, depth) AS (
        SELECT typ::oid, 0
        UNION ALL
        SELECT t.typbasetype, d.depth + 1
        FROM d JOIN pg_catalog.pg_type t ON t.oid = d.oid
        WHERE t.typtype = 'd' AND d.depth < 100)
    SELECT d.oid::regtype FROM d ORDER BY d.depth DESC LIMIT 1
$fn$;
COMMENT ON FUNCTION salesplan_internal.binding_base_type(regtype) IS
    'internal: the base type of a domain (the type itself otherwise): values and keys are compared in it, so no domain CHECK runs';

-- the condition "expr is one of values", compared in expr's base type
-- (never as text, which would depend on the reader's DateStyle and the
-- like; never in a domain, whose CHECK is its owner's code): each value is
-- read when the binding is built, so a value the type cannot read is an
-- error then (22P02, naming what gave it).  Only scalar types: reading a
-- composite, array or range value reads its elements, which may be domains
CREATE FUNCTION salesplan_internal.binding_value_match(expr text, typ regtype, vals text[], what text,
                                                       binding_name text)
    RETURNS text
    LANGUAGE plpgsql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    base regtype := salesplan_internal.binding_base_type(typ);
    tname text;
    scalar boolean;
    v text;
BEGIN
    SELECT pg_catalog.format('%I.%I', n.nspname, t.typname), t.typtype IN ('b', 'e') AND t.typcategory <> 'A'
    INTO tname, scalar
    FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace WHERE t.oid = base;
    IF NOT scalar THEN
        RAISE EXCEPTION '% of binding "%" compares % with values, but its type % is not a scalar type', what, binding_name,
                        expr, typ
            USING ERRCODE = 'datatype_mismatch',
                  DETAIL = 'Values can be given for columns of a scalar type (text, a number, a date, a boolean, an enum), not for composites, arrays or ranges.',
                  HINT = 'Bind a view that exposes the part to compare as a scalar column.';
    END IF;
    FOREACH v IN ARRAY vals LOOP
        -- 'today', 'now' & co. are read when the view is made: the view
        -- would keep that day (or instant) until the next regenerate
        IF base IN ('pg_catalog.date'::regtype, 'pg_catalog.timestamp'::regtype, 'pg_catalog.timestamptz'::regtype,
                    'pg_catalog.time'::regtype, 'pg_catalog.timetz'::regtype)
           AND pg_catalog.lower(v) ~ '(^|[^a-z])(now|today|tomorrow|yesterday)([^a-z]|$)' THEN
            RAISE EXCEPTION 'value "%" of % of binding "%" is not a constant %', v, what, binding_name, typ
                USING ERRCODE = 'invalid_parameter_value',
                      DETAIL = 'now, today, tomorrow and yesterday are read when the view is made: the view would keep that day until the next regenerate.',
                      HINT = pg_catalog.format('Give the %s itself, such as %L, or filter in a view over the table (CURRENT_DATE there is read at each query).',
                                               typ, CASE WHEN base IN ('pg_catalog.time'::regtype, 'pg_catalog.timetz'::regtype) THEN '09:00' ELSE '2026-03-04' END);
        END IF;
        BEGIN
            -- as the binding's owner, security-restricted (defence in
            -- depth: a scalar base type's input function is built in or C)
            PERFORM salesplan_internal.binding_execute_as(salesplan_internal.binding_acting(),
                                                          pg_catalog.format('SELECT %L::%s', v, tname));
        EXCEPTION WHEN data_exception THEN
            RAISE EXCEPTION 'value "%" of % of binding "%" is not a valid %', v, what, binding_name, typ
                USING ERRCODE = 'invalid_text_representation',
                      DETAIL = pg_catalog.format('It is compared with %s, of type %s.', expr, typ);
        END;
    END LOOP;
    IF base = typ THEN
        RETURN pg_catalog.format('%s = ANY (%L::%s[])', expr, vals, tname);
    END IF;
    RETURN pg_catalog.format('(%s)::%s = ANY (%L::%s[])', expr, tname, vals, tname);
END
$fn$;
COMMENT ON FUNCTION salesplan_internal.binding_value_match(text, regtype, text[], text, text) IS
    'internal: SQL condition "expr is one of the values", compared in the column''s base type (no domain CHECK runs); 22P02 for a value the type cannot read, 42804 for a type that is not scalar, 22023 for now/today/tomorrow/yesterday on a date or time column';

-- the values as a binding records them: each read once, as the binding's
-- owner, in the settings of the session that binds (its DateStyle decides
-- whether 03/04/2026 is March or April), and written back as
-- salesplan.group_key writes it (ISO dates, timestamptz in UTC, shortest
-- exact floats...), text that every later regenerate reads the same way
-- whatever its session's settings
CREATE FUNCTION salesplan_internal.binding_canonical_values(vals text[], typ regtype, owner regrole)
    RETURNS text[]
    LANGUAGE plpgsql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    base regtype := salesplan_internal.binding_base_type(typ);
    tname text;
    v text;
    k text;
    result text[] := '{}';
BEGIN
    SELECT pg_catalog.format('%I.%I', n.nspname, t.typname) INTO tname
    FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace WHERE t.oid = base;
    FOREACH v IN ARRAY vals LOOP
        -- (v) or ("v" with quotes and backslashes doubled): one field
        k := salesplan_internal.binding_execute_as(owner, pg_catalog.format('SELECT salesplan.group_key(%L::%s)', v, tname));
        k := pg_catalog.substr(k, 2, pg_catalog.length(k) - 2);
        IF pg_catalog.left(k, 1) = '"' THEN
            k := pg_catalog.replace(pg_catalog.replace(pg_catalog.substr(k, 2, pg_catalog.length(k) - 2), '""', '"'), '\\', '\');
        END IF;
        result := result || k;
    END LOOP;
    RETURN result;
END
$fn$;
COMMENT ON FUNCTION salesplan_internal.binding_canonical_values(text[], regtype, regrole) IS
    'internal: values of a column of the given type, read as the owner in the session''s settings and written with fixed ones (salesplan.group_key): the text a binding records';

-- the spec with every value of row_filter, won_values and lost_values
-- written canonically (binding_canonical_values), for the column it is
-- compared with; run by binding_store once the views are made, so the
-- values are those the new views read
CREATE FUNCTION salesplan_internal.binding_canonical_spec(kind text, spec jsonb, owner regrole)
    RETURNS jsonb
    LANGUAGE plpgsql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    role text;
    conds jsonb;
    col text;
    val jsonb;
    rel regclass;
    typ regtype;
    filter jsonb := '{}';
    canonical jsonb;
    key text;
BEGIN
    IF pg_catalog.jsonb_typeof(spec -> 'row_filter') = 'object' THEN
        FOR role, conds IN SELECT e.key, e.value FROM pg_catalog.jsonb_each(spec -> 'row_filter') AS e LOOP
            -- the spec key of the relation that row_filter's key names
            rel := (spec ->> CASE WHEN (kind, role) IN (('window_funnel', 'history'), ('coverage', 'targets')) THEN 'relation'
                                  ELSE role END)::regclass;
            canonical := '{}';
            FOR col, val IN SELECT e.key, e.value FROM pg_catalog.jsonb_each(conds) AS e LOOP
                IF pg_catalog.jsonb_typeof(val) IN ('string', 'number', 'array') THEN
                    SELECT a.atttypid::regtype INTO typ FROM pg_catalog.pg_attribute a
                    WHERE a.attrelid = rel AND a.attname = col AND a.attnum > 0 AND NOT a.attisdropped;
                    val := CASE WHEN pg_catalog.jsonb_typeof(val) = 'array'
                                THEN pg_catalog.to_jsonb(salesplan_internal.binding_canonical_values(
                                         ARRAY(SELECT pg_catalog.jsonb_array_elements_text(val)), typ, owner))
                                ELSE pg_catalog.to_jsonb((salesplan_internal.binding_canonical_values(ARRAY[val #>> '{}'], typ, owner))[1]) END;
                END IF;
                canonical := canonical || pg_catalog.jsonb_build_object(col, val);
            END LOOP;
            filter := filter || pg_catalog.jsonb_build_object(role, canonical);
        END LOOP;
        spec := pg_catalog.jsonb_set(spec, '{row_filter}', filter);
    END IF;
    -- won and lost values: of the outcome column, else the stage column
    FOREACH key IN ARRAY ARRAY['won_values', 'lost_values'] LOOP
        IF pg_catalog.jsonb_typeof(spec -> key) = 'array' THEN
            SELECT a.atttypid::regtype INTO typ FROM pg_catalog.pg_attribute a
            WHERE a.attrelid = (spec ->> 'relation')::regclass
              AND a.attname = coalesce(spec ->> 'outcome_column', spec ->> 'stage_column') AND a.attnum > 0 AND NOT a.attisdropped;
            spec := pg_catalog.jsonb_set(spec, ARRAY[key], pg_catalog.to_jsonb(salesplan_internal.binding_canonical_values(
                ARRAY(SELECT pg_catalog.jsonb_array_elements_text(spec -> key)), typ, owner)));
        END IF;
    END LOOP;
    RETURN spec;
END
$fn$;
COMMENT ON FUNCTION salesplan_internal.binding_canonical_spec(text, jsonb, regrole) IS
    'internal: a binding spec whose row_filter, won_values and lost_values values are written canonically for the columns they are compared with (binding_canonical_values)';

-- checks a row_filter argument: an object whose keys are bound relation
-- arguments, each an object of column conditions (true, false, null, a
-- string or number, or an array of strings or numbers)
CREATE FUNCTION salesplan_internal.binding_check_row_filter(row_filter jsonb, roles text[], binding_name text)
    RETURNS void
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    role text;
    conds jsonb;
    col text;
    val jsonb;
BEGIN
    IF row_filter IS NULL THEN
        RETURN;
    END IF;
    IF pg_catalog.jsonb_typeof(row_filter) <> 'object' THEN
        RAISE EXCEPTION 'row_filter of binding "%" must be a JSON object', binding_name
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'Example: ''{"relation": {"IsDeleted": false, "Type": ["New Business", "Renewal"]}}''.';
    END IF;
    FOR role, conds IN SELECT e.key, e.value FROM pg_catalog.jsonb_each(row_filter) AS e LOOP
        IF NOT role = ANY (roles) THEN
            RAISE EXCEPTION 'row_filter of binding "%" names "%", which is not a bound relation', binding_name, role
                USING ERRCODE = 'invalid_parameter_value',
                      HINT = pg_catalog.format('Its keys are the names of the relation arguments given: %s.',
                                               pg_catalog.array_to_string(roles, ', '));
        END IF;
        IF pg_catalog.jsonb_typeof(conds) <> 'object' THEN
            RAISE EXCEPTION 'row_filter of binding "%" for % must be a JSON object of column conditions', binding_name, role
                USING ERRCODE = 'invalid_parameter_value';
        END IF;
        FOR col, val IN SELECT e.key, e.value FROM pg_catalog.jsonb_each(conds) AS e LOOP
            IF pg_catalog.jsonb_typeof(val) = 'object'
               OR (pg_catalog.jsonb_typeof(val) = 'array'
                   AND (pg_catalog.jsonb_array_length(val) = 0
                        OR EXISTS (SELECT 1 FROM pg_catalog.jsonb_array_elements(val) AS x
                                   WHERE pg_catalog.jsonb_typeof(x) NOT IN ('string', 'number')))) THEN
                RAISE EXCEPTION 'row_filter of binding "%" has an invalid condition on column "%" of %: %',
                                binding_name, col, role, val
                    USING ERRCODE = 'invalid_parameter_value',
                          HINT = 'A condition is true, false, null, a value, or a non-empty array of values (the column, as text, is one of them).';
            END IF;
        END LOOP;
    END LOOP;
END
$fn$;
COMMENT ON FUNCTION salesplan_internal.binding_check_row_filter(jsonb, text[], text) IS
    'internal: validates the row_filter argument of a bind function (22023 for a key that is no bound relation or an invalid condition)';

-- creates one view or materialized view with its comments and unique index,
-- as the binding's owner; a materialized view gets back the grants (acl)
-- of the one it replaces
CREATE FUNCTION salesplan_internal.binding_create_object(owner regrole, target_schema name, object_name text,
                                                         query text, materialized boolean, unique_key text[],
                                                         object_comment text, column_comments jsonb,
                                                         acl aclitem[])
    RETURNS regclass
    LANGUAGE plpgsql VOLATILE
    SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    qualified text := pg_catalog.format('%I.%I', target_schema, object_name);
    rel regclass;
    col record;
    g record;
    c text;
BEGIN
    IF materialized THEN
        PERFORM salesplan_internal.binding_execute_as(owner,
            pg_catalog.format('CREATE MATERIALIZED VIEW %s AS %s WITH DATA', qualified, query));
        PERFORM salesplan_internal.binding_execute_as(owner,
            pg_catalog.format('COMMENT ON MATERIALIZED VIEW %s IS %L', qualified, object_comment));
        PERFORM salesplan_internal.binding_execute_as(owner,
            pg_catalog.format('CREATE UNIQUE INDEX %I ON %s (%s)', object_name || '_key', qualified,
                              (SELECT pg_catalog.string_agg(pg_catalog.quote_ident(k), ', ')
                               FROM pg_catalog.unnest(unique_key) AS k)));
        PERFORM salesplan_internal.binding_execute_as(owner,
            pg_catalog.format('COMMENT ON INDEX %I.%I IS %L', target_schema, object_name || '_key',
                              'unique key of the rows, so that REFRESH MATERIALIZED VIEW CONCURRENTLY works'));
    ELSE
        PERFORM salesplan_internal.binding_execute_as(owner,
            pg_catalog.format('CREATE OR REPLACE VIEW %s WITH (security_invoker = true) AS %s', qualified, query));
        PERFORM salesplan_internal.binding_execute_as(owner,
            pg_catalog.format('COMMENT ON VIEW %s IS %L', qualified, object_comment));
    END IF;
    rel := qualified::regclass;
    FOR col IN
        SELECT a.attname FROM pg_catalog.pg_attribute a
        WHERE a.attrelid = rel AND a.attnum > 0 AND NOT a.attisdropped
        ORDER BY a.attnum
    LOOP
        c := column_comments ->> col.attname::text;
        IF c IS NULL THEN
            RAISE EXCEPTION 'no comment for column "%" of %', col.attname, qualified
                USING ERRCODE = 'internal_error';
        END IF;
        PERFORM salesplan_internal.binding_execute_as(owner,
            pg_catalog.format('COMMENT ON COLUMN %s.%I IS %L', qualified, col.attname, c));
    END LOOP;
    -- the grants of the materialized view this one replaces: exactly those
    -- (the owner's default privileges gave the new one its own)
    IF materialized AND acl IS NOT NULL THEN
        FOR g IN
            SELECT DISTINCT x.grantee FROM pg_catalog.pg_class k, pg_catalog.aclexplode(k.relacl) AS x
            WHERE k.oid = rel
            UNION SELECT owner::oid
        LOOP
            PERFORM salesplan_internal.binding_execute_as(owner,
                pg_catalog.format('REVOKE ALL ON TABLE %s FROM %s', qualified,
                                  CASE WHEN g.grantee = 0 THEN 'PUBLIC'
                                       ELSE pg_catalog.quote_ident(pg_catalog.pg_get_userbyid(g.grantee)) END));
        END LOOP;
        FOR g IN
            SELECT x.grantee, x.privilege_type, x.is_grantable FROM pg_catalog.aclexplode(acl) AS x
            ORDER BY x.grantee, x.privilege_type
        LOOP
            PERFORM salesplan_internal.binding_execute_as(owner,
                pg_catalog.format('GRANT %s ON TABLE %s TO %s%s', g.privilege_type, qualified,
                                  CASE WHEN g.grantee = 0 THEN 'PUBLIC'
                                       ELSE pg_catalog.quote_ident(pg_catalog.pg_get_userbyid(g.grantee)) END,
                                  CASE WHEN g.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END));
        END LOOP;
    END IF;
    RETURN rel;
END
$fn$;
COMMENT ON FUNCTION salesplan_internal.binding_create_object(regrole, name, text, text, boolean, text[], text, jsonb, aclitem[]) IS
    'internal: creates a generated view (security_invoker) or materialized view (with a unique index) as the binding''s owner, commenting it and every column; a materialized view gets the grants of the one it replaces';

-- ---------------------------------------------------------------------
-- stages and history joins, shared by the funnel and windowed-funnel views
-- ---------------------------------------------------------------------

-- how a binding maps stage values to ordinals 1..n: a list of names
-- (stage_order), a stage table ordered by its sequence (stage_table, as
-- CTE sm: key, ord, label), or the values themselves (ordinals).  Returns
-- jsonb: mode, cte (to put in front of the view's CTEs), count (SQL of n,
-- NULL when unknown), order (the text[] literal of the names), label and
-- label_join (SQL of the name of stage st.stage), and for ordinals low
-- (values from low to n are stages; others, with n known, are unmapped).
CREATE FUNCTION salesplan_internal.binding_stages(rel regclass, stage_col name, spec jsonb, binding_name text,
                                                  ordinal_what text, lowest integer)
    RETURNS jsonb
    LANGUAGE plpgsql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    stage_order text[];
    stage_tab regclass;
    lit text;
    in_order text;
    won_flag text;
    closed_flag text;
    typ regtype;
    label_expr text := 'NULL::pg_catalog.text';
BEGIN
    IF spec ? 'stage_order' THEN
        -- names: a column of numbers holds ordinals or keys, not names
        typ := salesplan_internal.binding_column(rel, stage_col, 'stage column', binding_name);
        IF (SELECT t.typcategory FROM pg_catalog.pg_type t WHERE t.oid = typ) = 'N' THEN
            RAISE EXCEPTION 'column "%" of relation % has type %, but stage_order lists stage names', stage_col,
                            salesplan_internal.binding_relname(rel), typ
                USING ERRCODE = 'datatype_mismatch',
                      DETAIL = pg_catalog.format('It was given as the stage column of binding "%s".', binding_name),
                      HINT = 'Give stages => N when the column holds stage ordinals, or stage_table when it holds the key of a stage table.';
        END IF;
        SELECT pg_catalog.array_agg(x ORDER BY o) INTO stage_order
        FROM pg_catalog.jsonb_array_elements_text(spec -> 'stage_order') WITH ORDINALITY AS e(x, o);
        lit := pg_catalog.format('%L::pg_catalog.text[]', stage_order);
        RETURN pg_catalog.jsonb_build_object(
            'mode', 'names', 'cte', '', 'count', pg_catalog.cardinality(stage_order)::text, 'order', lit,
            'label', pg_catalog.format('(%s)[st.stage]', lit), 'label_join', '');
    ELSIF spec ? 'stage_table' THEN
        stage_tab := salesplan_internal.binding_relation(spec ->> 'stage_table', binding_name, 'stage table');
        PERFORM salesplan_internal.binding_column(stage_tab, spec ->> 'stage_key', 'stage key column', binding_name);
        PERFORM salesplan_internal.binding_column(stage_tab, spec ->> 'stage_sequence', 'stage sequence column', binding_name);
        -- stage names: text, or translated names as JSON (Odoo 17:
        -- {"en_US": "New", "fr_FR": "Nouveau"}) read in the binding's
        -- language, falling back to en_US
        IF spec ->> 'stage_label' IS NOT NULL THEN
            typ := salesplan_internal.binding_column(stage_tab, spec ->> 'stage_label', 'stage label column', binding_name);
            label_expr := CASE WHEN typ IN ('jsonb'::regtype, 'json'::regtype)
                THEN pg_catalog.format('coalesce(m.%1$I::pg_catalog.jsonb ->> %2$L, m.%1$I::pg_catalog.jsonb ->> %3$L)',
                                       spec ->> 'stage_label', coalesce(spec ->> 'language', 'en_US'), 'en_US')
                ELSE pg_catalog.format('m.%I::pg_catalog.text', spec ->> 'stage_label') END;
        END IF;
        -- the won and closed flags of the stages (Salesforce IsWon and
        -- IsClosed, Odoo is_won): a lost stage (closed, not won) gets no
        -- ordinal, like a stage without a sequence, but marks its rows lost
        in_order := pg_catalog.format('m.%I IS NOT NULL', spec ->> 'stage_sequence');
        IF spec ->> 'stage_won_column' IS NOT NULL THEN
            PERFORM salesplan_internal.binding_typed_column(stage_tab, spec ->> 'stage_won_column', 'stage won column', binding_name, 'B', 'boolean');
            won_flag := pg_catalog.format('m.%I', spec ->> 'stage_won_column');
        END IF;
        IF spec ->> 'stage_closed_column' IS NOT NULL THEN
            PERFORM salesplan_internal.binding_typed_column(stage_tab, spec ->> 'stage_closed_column', 'stage closed column', binding_name, 'B', 'boolean');
            closed_flag := pg_catalog.format('m.%I', spec ->> 'stage_closed_column');
            in_order := pg_catalog.format('%s AND NOT (%s IS TRUE AND %s IS NOT TRUE)', in_order, closed_flag, won_flag);
        END IF;
        RETURN pg_catalog.jsonb_build_object(
            'mode', 'table',
            'cte', pg_catalog.format(
                'sm AS (SELECT m.%1$I AS key, CASE WHEN %5$s THEN (pg_catalog.row_number() OVER (PARTITION BY %5$s ORDER BY m.%2$I, m.%1$I))::pg_catalog.int4 END AS ord, '
                || '%3$s AS label, %6$s AS is_won, %7$s AS is_closed FROM %4$s AS m WHERE %8$s), ',
                spec ->> 'stage_key', spec ->> 'stage_sequence', label_expr,
                salesplan_internal.binding_relname(stage_tab), in_order,
                coalesce(won_flag, 'NULL::pg_catalog.bool'), coalesce(closed_flag, 'NULL::pg_catalog.bool'),
                salesplan_internal.binding_row_filter(stage_tab, 'm', spec, 'stage_table', binding_name, false)),
            'count', '(SELECT pg_catalog.count(sm.ord)::pg_catalog.int4 FROM sm)',
            'label', 'sl.label', 'label_join', ' LEFT JOIN sm AS sl ON sl.ord = st.stage');
    END IF;
    PERFORM salesplan_internal.binding_typed_column(rel, stage_col, 'stage column', binding_name, 'N', ordinal_what);
    RETURN pg_catalog.jsonb_build_object(
        'mode', 'ordinal', 'cte', '', 'count', ((spec ->> 'stages')::int)::text, 'low', lowest,
        'label', 'NULL::pg_catalog.text', 'label_join', '');
END
$fn$;
COMMENT ON FUNCTION salesplan_internal.binding_stages(regclass, name, jsonb, text, text, integer) IS
    'internal: how a binding maps stage values to ordinals (names, stage table or ordinals), as SQL fragments in jsonb';

-- the ordinal of stage column col of the rows of alias, as jsonb: expr and
-- the join it needs (with a stage table: join_kind JOIN sm AS map_alias)
CREATE FUNCTION salesplan_internal.binding_stage_ordinal(stages jsonb, alias text, col name, map_alias text,
                                                         join_kind text)
    RETURNS jsonb
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $fn$
    SELECT CASE stages ->> 'mode'
        WHEN 'names' THEN pg_catalog.jsonb_build_object('join', '', 'expr',
            pg_catalog.format('pg_catalog.array_position(%s, %I.%I::pg_catalog.text)', stages ->> 'order', alias, col))
        WHEN 'table' THEN pg_catalog.jsonb_build_object('expr', pg_catalog.format('%I.ord', map_alias), 'join',
            pg_catalog.format(' %sJOIN sm AS %I ON %I.key = %I.%I', join_kind, map_alias, map_alias, alias, col))
        -- ordinals: outside low..n (when n is known) a value maps to no stage
        ELSE pg_catalog.jsonb_build_object('join', '', 'expr', CASE WHEN stages ->> 'count' IS NULL
            THEN pg_catalog.format('%I.%I::pg_catalog.int4', alias, col)
            ELSE pg_catalog.format('CASE WHEN %1$I.%2$I >= %3$s AND %1$I.%2$I <= %4$s THEN %1$I.%2$I::pg_catalog.int4 END',
                                   alias, col, stages ->> 'low', stages ->> 'count') END)
    END
$fn$;
COMMENT ON FUNCTION salesplan_internal.binding_stage_ordinal(jsonb, text, name, text, text) IS
    'internal: SQL of the stage ordinal of a stage column under a binding''s stage mapping, and the join it needs';

-- the join condition "keyed = other" of a history (or entity) lookup; when
-- the two key columns are strings of different types (char(18) against
-- varchar(18)), other is cast to keyed's type (without a length, so
-- nothing is cut), so that the comparison is the one keyed's index
-- supports.  Numbers are not cast: a narrowing cast could overflow or
-- round, and the cross-type integer operators use the index as they are.
CREATE FUNCTION salesplan_internal.binding_key_match(keyed text, keyed_type regtype, other text, other_type regtype)
    RETURNS text
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $fn$
    SELECT pg_catalog.format('%s = %s', keyed,
        CASE WHEN keyed_type = other_type
                  OR (SELECT a.typcategory <> 'S' OR b.typcategory <> 'S'
                      FROM pg_catalog.pg_type a, pg_catalog.pg_type b
                      WHERE a.oid = keyed_type AND b.oid = other_type)
             THEN other
             -- the keyed side's base type: a cast to a domain runs its CHECK
             ELSE (SELECT pg_catalog.format('%s::%I.%I', other, n.nspname, t.typname)
                   FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
                   WHERE t.oid = salesplan_internal.binding_base_type(keyed_type)) END)
$fn$;
COMMENT ON FUNCTION salesplan_internal.binding_key_match(text, regtype, text, regtype) IS
    'internal: join condition of a key lookup, the other side cast to the keyed (indexed) side''s base type when both are strings of different types';

-- ---------------------------------------------------------------------
-- view generation, table-driven.  Every view a binding creates is
-- described once: binding_view_kinds() holds its name suffix, unique key,
-- comment and query fragments, binding_view_columns() its columns (name,
-- type, expression, comment).  For one binding, binding_<kind>_parts reads
-- the spec, checks what it names and returns the parts that depend on it
-- (the source rows as CTE src, the stage labels, ...); binding_views
-- renders the descriptions of the binding's kind with those parts.  A new
-- view is a new description, a new column a new row.
--
-- Templates name a part as {{part}}; {{dims:a}} stands for the dimension
-- columns of alias a (", a.d1, a.d2") and {{group_by:a}} for " GROUP BY
-- a.d1, a.d2" (nothing without dimensions).  A part is inserted as it is
-- and never scanned again: a literal in it (a stage name, say) cannot act
-- as a template.
-- ---------------------------------------------------------------------

CREATE FUNCTION salesplan_internal.binding_render(template text, parts jsonb, ndims integer)
    RETURNS text
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    pieces text[] := pg_catalog.regexp_split_to_array(template, '\{\{|\}\}');
    result text := '';
    name text;
    arg text;
    i int;
BEGIN
    IF template IS NULL THEN
        RETURN NULL;
    END IF;
    FOR i IN 1 .. pg_catalog.cardinality(pieces) LOOP
        IF i % 2 = 1 THEN
            result := result || pieces[i];
            CONTINUE;
        END IF;
        name := pg_catalog.split_part(pieces[i], ':', 1);
        arg := pg_catalog.split_part(pieces[i], ':', 2);
        result := result || CASE name
            WHEN 'dims' THEN
                coalesce((SELECT pg_catalog.string_agg(pg_catalog.format(', %I.d%s', arg, d), '' ORDER BY d)
                          FROM pg_catalog.generate_series(1, ndims) AS d), '')
            WHEN 'group_by' THEN
                coalesce(' GROUP BY ' || (SELECT pg_catalog.string_agg(pg_catalog.format('%I.d%s', arg, d), ', ' ORDER BY d)
                                          FROM pg_catalog.generate_series(1, ndims) AS d), '')
            ELSE parts ->> name END;
        IF result IS NULL OR pg_catalog.cardinality(pieces) % 2 = 0 THEN
            RAISE EXCEPTION 'view template has no part "%": %', pieces[i], template
                USING ERRCODE = 'internal_error';
        END IF;
    END LOOP;
    RETURN result;
END
$fn$;
COMMENT ON FUNCTION salesplan_internal.binding_render(text, jsonb, integer) IS
    'internal: a view template with its {{part}}, {{dims:alias}} and {{group_by:alias}} placeholders replaced, in one pass';

-- the comment of a group_key column
CREATE FUNCTION salesplan_internal.binding_key_comment(key_of text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $fn$
    SELECT pg_catalog.format('unique text key of the row''s %s values (NULL-safe)', key_of)
$fn$;
COMMENT ON FUNCTION salesplan_internal.binding_key_comment(text) IS
    'internal: comment of the group_key column of a generated view keyed by the given values';

-- the views of each kind of binding, in creation order: name suffix,
-- unique key (for the materialized views' index), comment, and the query
-- after the CTE src of the binding's parts: more CTEs, then SELECT <the
-- columns of binding_view_columns()> followed by from_clause
CREATE FUNCTION salesplan_internal.binding_view_kinds()
    RETURNS TABLE (kind text, "position" integer, suffix text, unique_key text[], object_comment text,
                   ctes text, from_clause text)
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $fn$
    VALUES
    ('funnel', 1, '', ARRAY['group_key'],
     'stage funnel per period and dimension{{source_note}}',
     ', g AS (SELECT src.period{{dims:src}}, {{funnel}} AS f, pg_catalog.count(*) FILTER (WHERE src.reached IS NULL) AS unmapped, '
     || '{{won_deals}} AS won_deals, {{lost_deals}} AS lost_deals, pg_catalog.max(pg_catalog.scale(src.amount)) AS amount_scale, '
     || '{{open_deals}} AS open_deals, {{outcomes}} AS o, {{undated_closed}} AS undated_closed '
     || 'FROM src GROUP BY src.period{{dims:src}})',
     'FROM g'),
    ('funnel', 2, '_stages', ARRAY['group_key', 'stage'],
     'stage funnel per period, dimension and stage{{source_note}}',
     ', g AS (SELECT src.period{{dims:src}}, {{funnel}} AS f FROM src GROUP BY src.period{{dims:src}}){{stage_outcome_ctes}}',
     'FROM {{stages_from}}{{stage_label_join}}'),
    ('funnel', 3, '_fit', ARRAY['group_key'],
     'paradigm fit per dimension over all periods: which paradigm the data looks like, and whether it matches the declared one{{source_note}}',
     ', g AS (SELECT {{accounts}} AS accounts, pg_catalog.count(*) AS deals{{dims:src}}, '
     || 'pg_catalog.avg(src.amount) FILTER (WHERE src.amount > 0) AS avg_deal_size, pg_catalog.max(pg_catalog.scale(src.amount)) AS amount_scale, '
     || 'CASE WHEN pg_catalog.count(*) FILTER (WHERE src.amount > 0) >= 5 THEN '
     || '(pg_catalog.stddev_pop(src.amount) FILTER (WHERE src.amount > 0) / NULLIF(pg_catalog.avg(src.amount) FILTER (WHERE src.amount > 0), 0))::pg_catalog.float8 END AS deal_size_cv, '
     || 'CASE WHEN pg_catalog.count(*) FILTER (WHERE src.amount > 0) >= 5 THEN '
     || '(pg_catalog.percentile_cont(0.9) WITHIN GROUP (ORDER BY src.amount::pg_catalog.float8) FILTER (WHERE src.amount > 0) '
     || ' / NULLIF(pg_catalog.percentile_cont(0.1) WITHIN GROUP (ORDER BY src.amount::pg_catalog.float8) FILTER (WHERE src.amount > 0), 0)) END AS deal_size_p90_p10, '
     || 'pg_catalog.percentile_cont(0.5) WITHIN GROUP (ORDER BY (CASE WHEN src.cycle_days < 0 THEN 0 ELSE src.cycle_days END)::pg_catalog.float8) AS median_cycle_days '
     || 'FROM src{{group_by:src}}), '
     || 's AS (SELECT g.*, 90.0::pg_catalog.float8 / (90.0 + g.median_cycle_days) AS need_score, '
     || '1.0::pg_catalog.float8 / (1.0 + g.deal_size_cv / 2.0) AS standardization_score FROM g)',
     'FROM s AS g'),
    ('window_funnel', 1, '', ARRAY['group_key', 'step'],
     'ordered funnel within {{window}} of the first step, per period, dimension and step{{source_note}}',
     ', g AS (SELECT src.period{{dims:src}}, {{funnel}} AS f, pg_catalog.count(*) AS entities, '
     || '{{funnel}} FILTER (WHERE NOT src.window_open) AS fc FROM src GROUP BY src.period{{dims:src}})',
     'FROM g CROSS JOIN LATERAL salesplan.stages(g.f) AS st{{stage_label_join}} LEFT JOIN LATERAL salesplan.stages(g.fc) AS sc ON sc.stage = st.stage'),
    ('window_funnel', 2, '_entities', ARRAY['group_key'],
     'ordered funnel per entity: the deepest step each entity reached in order within {{window}} of its first step{{source_note}}',
     '',
     'FROM src AS g CROSS JOIN LATERAL (SELECT g.level AS stage) AS st{{stage_label_join}}'),
    ('coverage', 1, '_accounts', ARRAY['group_key'],
     'target accounts: ladder level, touches, keep-warm and share of wallet{{source_note}}',
     '',
     'FROM acc AS g CROSS JOIN a'),
    ('coverage', 2, '', ARRAY['group_key'],
     'target-account coverage and penetration per dimension{{source_note}}',
     ', g AS (SELECT salesplan.coverage_agg(acc.level, acc.won, acc.potential) AS c, '
     || 'pg_catalog.count(*) FILTER (WHERE acc.last_touch IS NULL OR (SELECT a.as_of FROM a) - acc.last_touch > {{keep_warm}}) AS cold_accounts, '
     || 'pg_catalog.sum(acc.won) AS won, pg_catalog.sum(acc.potential) AS potential{{dims:acc}} FROM acc{{group_by:acc}})',
     'FROM g CROSS JOIN a'),
    ('milestone', 1, '', ARRAY['group_key'],
     'milestone variance per project{{source_note}}',
     '',
     'FROM pp AS p CROSS JOIN a'),
    ('milestone', 2, '_portfolio', ARRAY['group_key'],
     'milestone variance across the portfolio, per dimension (all milestones of the projects merged){{source_note}}',
     ', p AS (SELECT salesplan.rollup(pp.s) AS s, pg_catalog.sum(pp.unplanned)::pg_catalog.int8 AS unplanned, '
     || 'pg_catalog.max(pp.worst_slip_trend) AS worst_slip_trend, pg_catalog.count(*) AS projects, '
     || 'pg_catalog.count(*) FILTER (WHERE salesplan.schedule_variance(pp.s, (SELECT a.as_of FROM a)) < 0) AS behind_projects'
     || '{{dims:pp}} FROM pp{{group_by:pp}})',
     'FROM p CROSS JOIN a'),
    ('milestone', 3, '_milestones', ARRAY['group_key'],
     'milestones one by one: dates, weight, lateness and slip of each milestone at as_of{{source_note}}',
     '',
     'FROM src AS m CROSS JOIN a')
$fn$;
COMMENT ON FUNCTION salesplan_internal.binding_view_kinds() IS
    'internal: description of every view a binding creates, per kind of binding: name suffix, unique key, comment and query fragments';

-- the columns of each view (view = kind and suffix, as in
-- binding_view_kinds), in order: name, type (the expression is cast to
-- pg_catalog.<type>; NULL keeps the source column's type), expression and
-- comment, each a template.  A row named @dimensions places the dimension
-- columns of the alias in its expression; a row named @<set> places the
-- columns of set @<set>.
CREATE FUNCTION salesplan_internal.binding_view_columns()
    RETURNS TABLE (view_name text, "position" integer, column_name text, column_type text, expression text,
                   description text)
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $fn$
    VALUES
    ('funnel', 1, 'group_key', 'text', 'salesplan.group_key(g.period{{dims:g}})', salesplan_internal.binding_key_comment('period and dimension')),
    ('funnel', 2, 'period', 'date', 'g.period', 'start of the period (date_trunc of the period column), NULL when no period column is bound'),
    ('funnel', 3, '@dimensions', NULL, 'g', NULL),
    ('funnel', 4, 'population', 'int8', 'coalesce(salesplan.population(g.f), 0)', 'entities with a mapped stage, including those that never entered the funnel (stage 0)'),
    ('funnel', 5, 'leads', 'int8', 'coalesce(salesplan.leads(g.f), 0)', 'entities that entered stage 1'),
    ('funnel', 6, 'won', 'int8', 'coalesce(salesplan.won(g.f), 0)', 'entities that reached the last stage'),
    ('funnel', 7, 'revenue', '{{money}}', '{{revenue}}', 'sum of the amounts of entities that reached the last stage; NULL when no amount column is bound'),
    ('funnel', 8, 'aov', '{{money}}', '{{aov}}', 'average order value: revenue / won entities with an amount, rounded to the scale of the amount (its declared scale, else the largest scale of the amounts in the group)'),
    ('funnel', 9, 'overall_conversion', 'float8', 'salesplan.overall_conversion(g.f)', 'naive: won / leads so far, an entity still open counts as not won (not a win rate; see win_probability)'),
    ('funnel', 10, 'unmapped', 'int8', 'g.unmapped', 'rows whose stage maps to no stage of the binding (left out of the funnel)'),
    ('funnel', 11, 'won_deals', 'int8', 'g.won_deals', 'rows marked won (won column, won values, won stage, or last stage) and not lost; NULL when the binding cannot tell'),
    ('funnel', 12, 'lost_deals', 'int8', 'g.lost_deals', 'rows marked lost (lost column, lost values, inactive, or closed and not won); NULL when the binding cannot tell'),
    ('funnel', 13, 'win_rate', 'float8', 'g.won_deals::pg_catalog.float8 / NULLIF(g.won_deals + g.lost_deals, 0)', 'naive: won_deals / (won_deals + lost_deals), win rate over closed deals, open deals left out'),
    ('funnel', 14, 'open_deals', 'int8', 'g.open_deals', 'entities that entered the funnel (stage 1 or later) and are neither won nor lost yet; NULL when the binding cannot tell won and lost'),
    ('funnel', 15, 'win_probability', 'float8', 'CASE WHEN g.undated_closed = 0 THEN salesplan.win_probability(g.o{{win_horizon}}) END', 'censoring-aware: estimated share of the leads that will be won {{win_within}}, each open entity weighed in as far as it has been watched (Aalen-Johansen over the days from the opened date to the closed date of won and lost entities, open ones as of today in the binding''s time zone; salesplan.outcome_agg); NULL without opened and closed date columns and won and lost marks, and when a won or lost entity of the group has no closed date (it cannot be placed in time)'),

    ('funnel_stages', 1, 'group_key', 'text', 'salesplan.group_key(g.period{{dims:g}})', salesplan_internal.binding_key_comment('period and dimension')),
    ('funnel_stages', 2, 'period', 'date', 'g.period', 'start of the period (date_trunc of the period column), NULL when no period column is bound'),
    ('funnel_stages', 3, '@dimensions', NULL, 'g', NULL),
    ('funnel_stages', 4, 'stage', 'int4', 'st.stage', 'stage ordinal, 1 = entered the funnel, last = won'),
    ('funnel_stages', 5, 'stage_name', 'text', '{{stage_label}}', 'stage name (from the stage order or the stage table), NULL for bare ordinals'),
    ('funnel_stages', 6, 'entered', 'int8', 'st.entered', 'entities that reached this stage or a later one'),
    ('funnel_stages', 7, 'advanced', 'int8', 'st.advanced', 'entities that reached a later stage (NULL at the last stage)'),
    ('funnel_stages', 8, 'conversion', 'float8', 'st.conversion', 'naive: advanced / entered so far, an entity still in this stage counts as not advanced'),
    ('funnel_stages', 9, 'cumulative', 'float8', 'st.cumulative', 'naive: entered / entered at stage 1 so far'),
    ('funnel_stages', 10, 'amount', '{{money}}', '{{stage_amount}}', 'sum of the amounts of entities whose deepest stage is this one; NULL when no amount column is bound'),
    ('funnel_stages', 11, 'entered_dated', 'int8', '{{stage_entered}}', 'censoring-aware: entities whose entry into this stage the stage history dates (first entry into this stage or a later one, up to today): the cohort of conversion_probability, equal to entered when the history is complete; NULL at the last stage and without history_time'),
    ('funnel_stages', 12, 'open_in_stage', 'int8', '{{stage_open}}', 'censoring-aware: entities of that cohort still in this stage today, neither advanced to a later stage nor lost (each counts in the deepest stage it reached, also after moving back); NULL at the last stage and without history_time'),
    ('funnel_stages', 13, 'conversion_probability', 'float8', '{{stage_probability}}', 'censoring-aware: estimated probability that an entity entering this stage reaches a later stage {{stage_within}}, each entity still in the stage weighed in as far as it has been watched (Aalen-Johansen from the first entry into this stage or a later one, to the first entry into a later stage or the closed date of a lost entity, open ones as of today in the binding''s time zone; salesplan.outcome_agg); NULL at the last stage, without history_time, and when a lost entity that did not advance has no closed date (it cannot be placed in time)'),

    ('funnel_fit', 1, 'group_key', 'text', 'salesplan.group_key(true{{dims:g}})', salesplan_internal.binding_key_comment('dimension')),
    ('funnel_fit', 2, '@dimensions', NULL, 'g', NULL),
    ('funnel_fit', 3, 'accounts', 'int8', 'g.accounts', 'distinct accounts (account column), or rows when no account column is bound'),
    ('funnel_fit', 4, 'deals', 'int8', 'g.deals', 'rows (deals or leads)'),
    ('funnel_fit', 5, 'avg_deal_size', '{{money}}', '{{avg_deal_size}}', 'average amount over rows with a positive amount, rounded to the scale of the amount (its declared scale, else the largest scale of the amounts in the group)'),
    ('funnel_fit', 6, 'deal_size_cv', 'float8', 'g.deal_size_cv', 'coefficient of variation of the amount (population standard deviation / mean) over rows with a positive amount; NULL with fewer than 5 such rows'),
    ('funnel_fit', 7, 'deal_size_p90_p10', 'float8', 'g.deal_size_p90_p10', 'ratio of the 90th to the 10th percentile of the amount over rows with a positive amount; NULL with fewer than 5 such rows'),
    ('funnel_fit', 8, 'median_cycle_days', 'float8', 'g.median_cycle_days', 'median days from the opened date to the closed date, over closed rows (all rows with both dates when open/closed is unknown)'),
    ('funnel_fit', 9, 'need_score', 'float8', 'g.need_score', 'proxy for need explicitness: 90 / (90 + median_cycle_days)'),
    ('funnel_fit', 10, 'standardization_score', 'float8', 'g.standardization_score', 'proxy for solution standardization: 1 / (1 + deal_size_cv / 2)'),
    ('funnel_fit', 11, 'looks_like', 'text', 'salesplan.recommend_paradigm(g.accounts, g.need_score, g.standardization_score)', 'salesplan.recommend_paradigm(accounts, need_score, standardization_score); NULL when a proxy is unknown'),
    ('funnel_fit', 12, 'declared', 'text', '{{declared}}', 'paradigm the binding declares'),
    ('funnel_fit', 13, 'matches', 'bool', 'salesplan.recommend_paradigm(g.accounts, g.need_score, g.standardization_score) = {{declared}}', 'looks_like = declared'),

    ('window_funnel', 1, 'group_key', 'text', 'salesplan.group_key(g.period{{dims:g}})', salesplan_internal.binding_key_comment('period and dimension')),
    ('window_funnel', 2, 'period', 'date', 'g.period', 'start of the period of the entity (entity table), NULL when no period column is bound'),
    ('window_funnel', 3, '@dimensions', NULL, 'g', NULL),
    ('window_funnel', 4, 'step', 'int4', 'st.stage', 'step number, 1 = first step'),
    ('window_funnel', 5, 'step_name', 'text', '{{stage_label}}', 'step name (from the stage order or the stage table), NULL for bare ordinals'),
    ('window_funnel', 6, 'entities', 'int8', 'g.entities', 'entities in the group (with an entity table: every entity, with or without history)'),
    ('window_funnel', 7, 'reached', 'int8', 'st.entered', 'entities whose salesplan.window_funnel level is at least this step'),
    ('window_funnel', 8, 'advanced', 'int8', 'st.advanced', 'entities that reached the next step in order within the window (NULL at the last step)'),
    ('window_funnel', 9, 'conversion', 'float8', 'st.conversion', 'naive: advanced / reached so far, an entity whose window is still open counts as not advanced (on a recent period the rate reads low until the windows close)'),
    ('window_funnel', 10, 'cumulative', 'float8', 'st.cumulative', 'naive: reached / reached at step 1 so far, windows still open included'),
    ('window_funnel', 11, 'open_in_window', 'int8', 'CASE WHEN st.advanced IS NOT NULL THEN (st.entered - st.advanced) - coalesce(sc.entered - sc.advanced, 0) END',
     'censoring-aware: entities that reached this step and not the next whose window is still open (their latest step-1 time plus the window is later than now, on the binding''s time zone): they may still advance; NULL at the last step'),
    ('window_funnel', 12, 'reached_closed', 'int8', 'CASE WHEN st.advanced IS NOT NULL THEN coalesce(sc.entered, 0) END',
     'censoring-aware: entities that reached this step and whose window has closed by now (advanced or not): the cohort of conversion_probability; NULL at the last step'),
    ('window_funnel', 13, 'conversion_probability', 'float8', 'sc.conversion',
     'censoring-aware: advanced / reached over the entities whose window has closed (reached_closed), so windows still open are left out whether they advanced yet or not: the share that advanced within the window, read off the cohorts that had the whole window; NULL at the last step and when no window has closed'),

    ('window_funnel_entities', 1, 'group_key', 'text', 'salesplan.group_key(g.entity)', 'unique text key of the row (the entity)'),
    ('window_funnel_entities', 2, '{{entity_name}}', NULL, 'g.entity', 'entity: column {{entity_ident}} of {{entity_source}}'),
    ('window_funnel_entities', 3, 'period', 'date', 'g.period', 'start of the period of the entity (entity table), NULL when no period column is bound'),
    ('window_funnel_entities', 4, '@dimensions', NULL, 'g', NULL),
    ('window_funnel_entities', 5, 'level', 'int4', 'g.level', 'salesplan.window_funnel level: the deepest step the entity reached in order within the window of its first step; 0 = never entered step 1 (or no history)'),
    ('window_funnel_entities', 6, 'level_name', 'text', '{{stage_label}}', 'name of that step (from the stage order or the stage table), NULL at level 0 and for bare ordinals'),
    ('window_funnel_entities', 7, 'window_open', 'bool', 'g.window_open', 'censoring-aware: the entity''s window is still open (its latest step-1 time, where its freshest chain starts, plus the window is later than now, on the binding''s time zone): below the last step, the entity may still advance; false at level 0'),

    ('coverage_accounts', 1, 'group_key', 'text', 'salesplan.group_key(g.account)', 'unique text key of the row (the account)'),
    ('coverage_accounts', 2, '{{account_column}}', NULL, 'g.account', 'target account: column {{account_ident}} of {{dimension_source}}'),
    ('coverage_accounts', 3, '{{account_label_name}}', 'text', 'g.account_label', 'name of the account: column {{account_label_ident}} of {{dimension_source}}'),
    ('coverage_accounts', 4, '@dimensions', NULL, 'g', NULL),
    ('coverage_accounts', 5, 'as_of', 'date', 'a.as_of', 'date days_since_last_touch and cold are computed at (today in the binding''s time zone at query or refresh time unless the binding fixes it)'),
    ('coverage_accounts', 6, 'level', 'int4', 'g.level', 'deepest ladder level in the period: 0 not reached, 1 reached, 2 connected, 3 qualified, 4 proposal delivered, 5 signed'),
    ('coverage_accounts', 7, 'touches', 'int8', 'g.touches', 'activities with the account in the period, up to as_of (planned activities after as_of do not count)'),
    ('coverage_accounts', 8, 'contacts', 'int8', 'g.contacts', 'distinct contacts engaged (NULL when no contact column is bound)'),
    ('coverage_accounts', 9, 'last_touch', 'date', 'g.last_touch', 'date of the latest activity in the period'),
    ('coverage_accounts', 10, 'days_since_last_touch', 'int4', 'a.as_of - g.last_touch', 'as_of - last_touch'),
    ('coverage_accounts', 11, 'cold', 'bool', 'g.last_touch IS NULL OR a.as_of - g.last_touch > {{keep_warm}}', 'no touch within the keep-warm interval of {{keep_warm}} days (or never touched)'),
    ('coverage_accounts', 12, 'opportunities', 'int8', 'g.opportunities', 'opportunities of the account in the period'),
    ('coverage_accounts', 13, 'proposals', 'int8', 'g.proposals', 'proposals delivered to the account in the period'),
    ('coverage_accounts', 14, 'won', '{{won_money}}', 'g.won', 'value of won opportunities in the period'),
    ('coverage_accounts', 15, 'potential', '{{potential_money}}', 'g.potential', 'potential value of the account (share-of-wallet denominator), NULL when unknown'),
    ('coverage_accounts', 16, 'penetration', 'float8', 'g.won / NULLIF(g.potential, 0)', 'won / potential'),

    ('coverage', 1, 'group_key', 'text', 'salesplan.group_key(true{{dims:g}})', salesplan_internal.binding_key_comment('dimension')),
    ('coverage', 2, '@dimensions', NULL, 'g', NULL),
    ('coverage', 3, 'as_of', 'date', 'a.as_of', 'date cold_accounts is computed at'),
    ('coverage', 4, 'targets', 'int8', 'coalesce(salesplan.targets(g.c), 0)', 'target accounts (every row of the target list, touched or not)'),
    ('coverage', 5, 'coverage_rate', 'float8', 'salesplan.coverage_rate(g.c, 1)', 'share of target accounts reached (level >= 1): the reach team''s metric'),
    ('coverage', 6, 'connected_rate', 'float8', 'salesplan.coverage_rate(g.c, 2)', 'share of target accounts connected (level >= 2)'),
    ('coverage', 7, 'qualified_rate', 'float8', 'salesplan.coverage_rate(g.c, 3)', 'share of target accounts qualified and handed to BD (level >= 3)'),
    ('coverage', 8, 'proposal_rate', 'float8', 'salesplan.coverage_rate(g.c, 4)', 'share of target accounts with a proposal delivered (level >= 4)'),
    ('coverage', 9, 'signing_rate', 'float8', 'salesplan.signing_rate(g.c)', 'share of target accounts signed (level 5): the BD team''s metric'),
    ('coverage', 10, 'penetration_rate', 'float8', 'salesplan.penetration_rate(g.c)', 'share of wallet: won / potential over accounts with a known potential'),
    ('coverage', 11, 'cold_accounts', 'int8', 'g.cold_accounts', 'target accounts without a touch within the keep-warm interval'),
    ('coverage', 12, 'won', '{{won_money}}', 'coalesce(g.won, 0)', 'value won from the target accounts in the period'),
    ('coverage', 13, 'potential', '{{potential_money}}', 'g.potential', 'total known potential of the target accounts'),

    ('milestone', 1, 'group_key', 'text', 'salesplan.group_key(p.project{{dims:p}})', salesplan_internal.binding_key_comment('project and dimension')),
    ('milestone', 2, '{{project_column}}', NULL, 'p.project', 'project: column {{project_ident}} of {{dimension_source}}'),
    ('milestone', 3, '{{project_label_name}}', 'text', 'p.project_label', 'name of the project: column {{project_label_ident}} of {{dimension_source}}'),
    ('milestone', 4, '@dimensions', NULL, 'p', NULL),
    ('milestone', 5, 'as_of', 'date', 'a.as_of', 'date the metrics are computed at (today in the binding''s time zone at query or refresh time unless the binding fixes it)'),
    ('milestone', 6, '@schedule_metrics', NULL, NULL, NULL),

    ('milestone_portfolio', 1, 'group_key', 'text', 'salesplan.group_key(true{{dims:p}})', salesplan_internal.binding_key_comment('dimension')),
    ('milestone_portfolio', 2, '@dimensions', NULL, 'p', NULL),
    ('milestone_portfolio', 3, 'as_of', 'date', 'a.as_of', 'date the metrics are computed at (today in the binding''s time zone at query or refresh time unless the binding fixes it)'),
    ('milestone_portfolio', 4, 'projects', 'int8', 'p.projects', 'projects in the portfolio'),
    ('milestone_portfolio', 5, 'behind_projects', 'int8', 'p.behind_projects', 'projects with a negative schedule variance at as_of'),
    ('milestone_portfolio', 6, '@schedule_metrics', NULL, NULL, NULL),

    -- the schedule metrics of a salesplan.schedule p.s at a.as_of
    ('milestone_milestones', 1, 'group_key', 'text', '{{milestone_group_key}}', 'unique text key of the row''s project and milestone values (NULL-safe; with the milestone''s ordinal among rows of the project sharing its key, which keeps duplicate or NULL keys apart)'),
    ('milestone_milestones', 2, '{{project_column}}', NULL, 'm.project', 'project: column {{project_ident}} of {{dimension_source}}'),
    ('milestone_milestones', 3, '{{project_label_name}}', 'text', 'm.project_label', 'name of the project: column {{project_label_ident}} of {{dimension_source}}'),
    ('milestone_milestones', 4, '{{milestone_column}}', NULL, '{{milestone_expr}}', 'milestone: {{milestone_note}}'),
    ('milestone_milestones', 5, '{{milestone_label_name}}', 'text', 'm.milestone_label', 'name of the milestone: column {{milestone_label_ident}} of {{dimension_source}}'),
    ('milestone_milestones', 6, '@dimensions', NULL, 'm', NULL),
    ('milestone_milestones', 7, 'as_of', 'date', 'a.as_of', 'date the metrics are computed at (today in the binding''s time zone at query or refresh time unless the binding fixes it)'),
    ('milestone_milestones', 8, 'planned', 'date', 'm.planned', 'planned date; NULL = unplanned (left out of the project''s metrics)'),
    ('milestone_milestones', 9, 'actual', 'date', 'm.actual', 'date reached, NULL while not reached'),
    ('milestone_milestones', 10, 'weight', 'numeric', 'm.weight', 'weight as bound; NULL = not given (the project''s metrics count it as the mean of the known weights of the project, 1 when none is known); NULL without a weight column'),
    ('milestone_milestones', 11, 'reached', 'bool', 'coalesce(m.actual <= a.as_of, false)', 'reached on or before as_of'),
    ('milestone_milestones', 12, 'late', 'bool', 'CASE WHEN m.planned IS NOT NULL THEN m.planned <= a.as_of AND pg_catalog.date_smaller(coalesce(m.actual, a.as_of), a.as_of) > m.planned END', 'due by as_of and reached after its planned date or still open past it (the project''s late_milestones counts these); NULL when unplanned'),
    ('milestone_milestones', 13, 'slip_days', 'int4', 'CASE WHEN m.planned <= a.as_of THEN pg_catalog.date_smaller(coalesce(m.actual, a.as_of), a.as_of) - m.planned END', 'days from the planned date to the date reached, or to as_of while open, for a milestone due by as_of (negative = early); NULL when not due yet or unplanned (the project''s slip_days is the weighted mean of these)'),
    ('milestone_milestones', 14, 'slip_trend', 'float8', 'm.trend', 'salesplan.slip_trend (forecast slip per day of reporting) over the milestone''s forecast history; NULL without one'),

    ('@schedule_metrics', 1, 'milestones', 'int4', 'coalesce(salesplan.milestone_count(p.s), 0)', 'milestones with a planned date (0 when none has one)'),
    ('@schedule_metrics', 2, 'unplanned', 'int8', 'p.unplanned', 'milestones without a planned date (left out of every metric)'),
    ('@schedule_metrics', 3, 'total_weight', 'numeric', 'coalesce(salesplan.total_weight(p.s), 0)', 'BAC: total weight of the milestones with a planned date (a NULL weight counts as the mean of the known weights, 1 when none is known); 0 when none has one'),
    ('@schedule_metrics', 4, 'planned_value', 'numeric', 'coalesce(salesplan.planned_value(p.s, a.as_of), 0)', 'PV: weight of milestones planned on or before as_of (0 when none is)'),
    ('@schedule_metrics', 5, 'earned_value', 'numeric', 'coalesce(salesplan.earned_value(p.s, a.as_of), 0)', 'EV: weight of the milestones with a planned date reached on or before as_of (0 when none is; unplanned milestones do not count)'),
    ('@schedule_metrics', 6, 'schedule_variance', 'numeric', 'coalesce(salesplan.schedule_variance(p.s, a.as_of), 0)', 'SV = EV - PV (negative = behind plan; 0 when no milestone has a planned date)'),
    ('@schedule_metrics', 7, 'spi', 'float8', 'salesplan.spi(p.s, a.as_of)', 'SPI = EV / PV; NULL when PV = 0'),
    ('@schedule_metrics', 8, 'earned_schedule_days', 'float8', 'salesplan.earned_schedule_days(p.s, a.as_of)', 'ES: days after the start at which the linear planned-value curve reaches EV'),
    ('@schedule_metrics', 9, 'spi_t', 'float8', 'salesplan.spi_t(p.s, a.as_of)', 'SPI(t) = ES / actual time'),
    ('@schedule_metrics', 10, 'schedule_variance_t', 'float8', 'salesplan.schedule_variance_t(p.s, a.as_of)', 'SV(t) = ES - actual time, in days (negative = behind plan)'),
    ('@schedule_metrics', 11, 'project_start', 'date', 'salesplan.project_start(p.s)', 'start used by the time-based metrics: the earliest of the start column (when bound) and the planned dates'),
    ('@schedule_metrics', 12, 'planned_finish', 'date', 'salesplan.planned_finish(p.s)', 'latest planned milestone date'),
    ('@schedule_metrics', 13, 'forecast_finish', 'date', 'salesplan.forecast_finish(p.s, a.as_of)', 'IEAC(t): start + planned duration / SPI(t); the actual finish once every milestone is reached'),
    ('@schedule_metrics', 14, 'on_time_rate', 'float8', 'salesplan.on_time_rate(p.s, a.as_of)', 'share of milestones due by as_of reached on or before their planned date'),
    ('@schedule_metrics', 15, 'slip_days', 'float8', 'salesplan.slip_days(p.s, a.as_of)', 'weighted mean slip in days of milestones due by as_of (negative = early)'),
    ('@schedule_metrics', 16, 'late_milestones', 'int4', 'coalesce(salesplan.late_milestones(p.s, a.as_of), 0)', 'milestones due by as_of reached late or still open past their planned date (0 when none)'),
    ('@schedule_metrics', 17, 'worst_slip_trend', 'float8', 'p.worst_slip_trend', 'largest salesplan.slip_trend (forecast slip per day of reporting) over the milestones with a forecast history; NULL without one')
$fn$;
COMMENT ON FUNCTION salesplan_internal.binding_view_columns() IS
    'internal: description of every column of every view a binding creates: name, type, expression and comment';

-- the columns of one view, column sets expanded, in order
CREATE FUNCTION salesplan_internal.binding_view_column_list(view_name text)
    RETURNS TABLE (ordinal bigint, column_name text, column_type text, expression text, description text)
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $fn$
    SELECT pg_catalog.row_number() OVER (ORDER BY c."position", s."position"),
           coalesce(s.column_name, c.column_name), coalesce(s.column_type, c.column_type),
           coalesce(s.expression, c.expression), coalesce(s.description, c.description)
    FROM salesplan_internal.binding_view_columns() AS c
    LEFT JOIN salesplan_internal.binding_view_columns() AS s
           ON c.column_name LIKE '@%' AND c.column_name <> '@dimensions' AND s.view_name = c.column_name
    WHERE c.view_name = binding_view_column_list.view_name
$fn$;
COMMENT ON FUNCTION salesplan_internal.binding_view_column_list(text) IS
    'internal: the columns of one generated view, column sets expanded, numbered in order';

-- the fixed output column names of the views of a kind of binding (a
-- dimension may not take one)
CREATE FUNCTION salesplan_internal.binding_view_reserved(kind text) RETURNS text[]
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $fn$
    SELECT coalesce(pg_catalog.array_agg(DISTINCT c.column_name ORDER BY c.column_name), '{}')
    FROM salesplan_internal.binding_view_kinds() AS k,
         salesplan_internal.binding_view_column_list(k.kind || k.suffix) AS c
    WHERE k.kind = binding_view_reserved.kind
      AND c.column_name <> '@dimensions' AND pg_catalog.strpos(c.column_name, '{{') = 0
$fn$;
COMMENT ON FUNCTION salesplan_internal.binding_view_reserved(text) IS
    'internal: the fixed output column names of the views of a kind of binding';

-- the relations a binding generates, in creation order
CREATE FUNCTION salesplan_internal.binding_objects(kind text, binding_name text) RETURNS text[]
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $fn$
    SELECT pg_catalog.array_agg(binding_name || k.suffix ORDER BY k."position")
    FROM salesplan_internal.binding_view_kinds() AS k
    WHERE k.kind = binding_objects.kind
$fn$;
COMMENT ON FUNCTION salesplan_internal.binding_objects(text, text) IS
    'internal: names of the views a binding of this kind creates';

-- ---------------------------------------------------------------------
-- funnel bindings
-- ---------------------------------------------------------------------

-- the parts of the views of a funnel binding (binding_view_kinds): src has
-- one row per entity: period, dimensions, deepest stage reached (current
-- stage, or the deepest in the stage history), amount, won, lost, account
-- and cycle days
CREATE FUNCTION salesplan_internal.binding_funnel_parts(binding_name text, spec jsonb, declared text)
    RETURNS jsonb
    LANGUAGE plpgsql STABLE
    SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    rel regclass;
    relname text;
    stage_col name := spec ->> 'stage_column';
    dims name[];
    stages jsonb;
    cur jsonb;
    hist regclass;
    hist_key name;
    hist_stage name;
    entity_key name;
    hist_key_typ regtype;
    entity_typ regtype;
    hx jsonb;
    joins text;
    reached_expr text;
    nstages text;
    won_expr text;
    lost_expr text;
    closed_expr text;
    outcome_expr text;
    outcome_typ regtype;
    account_expr text;
    cycle_expr text;
    opened_expr text;
    closed_on_expr text;
    hist_time name;
    hist_time_typ regtype;
    hist_date text;
    src_dims text;
    x_dims text;
    g_dims text;
    stage_ctes text := '';
    stages_from text := 'g CROSS JOIN LATERAL salesplan.stages(g.f) AS st';
    has_stage_outcomes boolean := false;
BEGIN
    rel := salesplan_internal.binding_relation(spec ->> 'relation', binding_name, 'relation');
    relname := salesplan_internal.binding_relname(rel);
    PERFORM salesplan_internal.binding_column(rel, stage_col, 'stage column', binding_name);
    dims := salesplan_internal.binding_dimensions(rel, spec, salesplan_internal.binding_view_reserved('funnel'), binding_name);
    stages := salesplan_internal.binding_stages(rel, stage_col, spec, binding_name, 'an integer stage ordinal', 0);
    cur := salesplan_internal.binding_stage_ordinal(stages, 't', stage_col, 'sm', 'LEFT ');
    joins := cur ->> 'join';
    reached_expr := cur ->> 'expr';

    -- the deepest stage in the history: a LEFT JOIN against the history
    -- grouped by entity (no correlated subquery: one pass over the history,
    -- and valid on Citus)
    IF spec ? 'history_table' THEN
        hist := salesplan_internal.binding_relation(spec ->> 'history_table', binding_name, 'history table');
        hist_key := spec ->> 'history_key';
        hist_stage := coalesce(spec ->> 'history_stage', stage_col);
        entity_key := coalesce(spec ->> 'entity_key', 'id');
        hist_key_typ := salesplan_internal.binding_column(hist, hist_key, 'history key column', binding_name);
        PERFORM salesplan_internal.binding_column(hist, hist_stage, 'history stage column', binding_name);
        entity_typ := salesplan_internal.binding_column(rel, entity_key, 'entity key column', binding_name);
        hx := salesplan_internal.binding_stage_ordinal(stages, 'h', hist_stage, 'hm', '');
        joins := joins || pg_catalog.format(
            ' LEFT JOIN (SELECT h.%1$I AS key, pg_catalog.max(%2$s) AS reached FROM %3$s AS h%4$s WHERE %6$s GROUP BY h.%1$I) AS hx ON %5$s',
            hist_key, hx ->> 'expr', salesplan_internal.binding_relname(hist), hx ->> 'join',
            salesplan_internal.binding_key_match('hx.key', hist_key_typ, pg_catalog.format('t.%I', entity_key), entity_typ),
            salesplan_internal.binding_row_filter(hist, 'h', spec, 'history_table', binding_name, false));
        reached_expr := pg_catalog.format('GREATEST(%s, hx.reached)', reached_expr);
    END IF;
    nstages := stages ->> 'count';

    -- won, lost and closed status, when the binding knows them
    -- (the value of the outcome column, or of the stage column, compared
    -- with won_values and lost_values)
    IF spec ? 'won_values' OR spec ? 'lost_values' THEN
        outcome_typ := salesplan_internal.binding_column(rel, coalesce(spec ->> 'outcome_column', stage_col), 'outcome column', binding_name);
        outcome_expr := pg_catalog.format('t.%I', coalesce(spec ->> 'outcome_column', stage_col));
    END IF;
    won_expr := salesplan_internal.binding_bool_expr(rel, spec ->> 'won_column', 'won column', binding_name);
    IF won_expr IS NOT NULL THEN
        won_expr := won_expr || ' IS TRUE';
    ELSIF spec ? 'won_values' THEN
        won_expr := salesplan_internal.binding_value_match(outcome_expr, outcome_typ,
            ARRAY(SELECT pg_catalog.jsonb_array_elements_text(spec -> 'won_values')), 'won_values', binding_name);
    ELSIF spec ? 'stage_won_column' THEN
        won_expr := 'sm.is_won IS TRUE';
    ELSIF nstages IS NOT NULL THEN
        -- reached = the last stage
        won_expr := pg_catalog.format('(%s) = %s', reached_expr, nstages);
    END IF;
    lost_expr := salesplan_internal.binding_bool_expr(rel, spec ->> 'lost_column', 'lost column', binding_name);
    IF lost_expr IS NOT NULL THEN
        lost_expr := lost_expr || ' IS TRUE';
    ELSIF spec ? 'lost_values' THEN
        lost_expr := salesplan_internal.binding_value_match(outcome_expr, outcome_typ,
            ARRAY(SELECT pg_catalog.jsonb_array_elements_text(spec -> 'lost_values')), 'lost_values', binding_name);
    ELSE
        lost_expr := salesplan_internal.binding_bool_expr(rel, spec ->> 'active_column', 'active column', binding_name);
        IF lost_expr IS NOT NULL THEN
            lost_expr := lost_expr || ' IS FALSE';
        ELSE
            closed_expr := coalesce(
                salesplan_internal.binding_bool_expr(rel, spec ->> 'closed_column', 'closed column', binding_name),
                CASE WHEN spec ? 'stage_closed_column' THEN 'sm.is_closed' END);
            IF closed_expr IS NOT NULL AND won_expr IS NOT NULL THEN
                lost_expr := pg_catalog.format('(%s IS TRUE AND (%s) IS NOT TRUE)', closed_expr, won_expr);
            END IF;
        END IF;
    END IF;

    IF spec ->> 'account_column' IS NOT NULL THEN
        PERFORM salesplan_internal.binding_column(rel, spec ->> 'account_column', 'account column', binding_name);
        account_expr := pg_catalog.format('t.%I', spec ->> 'account_column');
    END IF;
    IF spec ->> 'opened_column' IS NOT NULL AND spec ->> 'closed_date_column' IS NOT NULL THEN
        cycle_expr := pg_catalog.format('(%s - %s)',
            salesplan_internal.binding_date_expr(rel, spec ->> 'closed_date_column', 'closed date column', binding_name, time_zone => spec ->> 'time_zone'),
            salesplan_internal.binding_date_expr(rel, spec ->> 'opened_column', 'opened column', binding_name, time_zone => spec ->> 'time_zone'));
        IF won_expr IS NOT NULL AND lost_expr IS NOT NULL THEN
            cycle_expr := pg_catalog.format('CASE WHEN (%s) OR (%s) THEN %s END', won_expr, lost_expr, cycle_expr);
        END IF;
    ELSE
        cycle_expr := 'NULL::pg_catalog.int4';
    END IF;
    -- entry and close dates for the censoring-aware win probability
    opened_expr := salesplan_internal.binding_date_expr(rel, spec ->> 'opened_column', 'opened column', binding_name, time_zone => spec ->> 'time_zone');
    closed_on_expr := salesplan_internal.binding_date_expr(rel, spec ->> 'closed_date_column', 'closed date column', binding_name, time_zone => spec ->> 'time_zone');

    -- the censoring-aware conversion of each stage, from the dated stage
    -- history (doc/bindings.md, "Stages still open").  Stages are high-water
    -- marks, as in the naive funnel: an entity enters stage k when it first
    -- reaches k or a later stage (a skip enters the stages it skips on that
    -- day), and leaves it, advanced, when it first reaches a later stage;
    -- moving back and re-entering change nothing.  Not advanced: lost on
    -- its closed date when the binding marks it lost, else still open
    -- (censored today in the binding's zone).  Two CTEs, each grouped, never a
    -- subquery per row (valid on Citus):
    --   he: per entity and stage k <= its deepest, the first date at k or
    --       later (started) and the first date past k (advanced), each
    --       history row counted for the stages up to its own
    --   gs: per group and stage, the naive numbers of salesplan.stages()
    --       and salesplan.outcome_agg of the entity-stage rows (he joined
    --       to src on the entity key), grouped together
    IF spec ? 'history_time' AND hist IS NOT NULL AND lost_expr IS NOT NULL
       AND spec ->> 'closed_date_column' IS NOT NULL THEN
        hist_time := spec ->> 'history_time';
        hist_time_typ := salesplan_internal.binding_typed_column(hist, hist_time, 'history time column', binding_name,
                                                                 'D', 'a date or timestamp');
        -- a timestamptz on the calendar of the binding's time zone
        hist_date := CASE WHEN hist_time_typ = 'timestamptz'::regtype AND spec ? 'time_zone'
                          THEN pg_catalog.format('CASE WHEN pg_catalog.isfinite(h.%1$I) THEN salesplan.local_time(h.%1$I, %2$L::pg_catalog.text)::pg_catalog.date END',
                                                 hist_time, spec ->> 'time_zone')
                          -- an infinite time is unknown (NULL)
                          ELSE pg_catalog.format('CASE WHEN pg_catalog.isfinite(h.%1$I) THEN h.%1$I::pg_catalog.date END', hist_time) END;
        SELECT coalesce(pg_catalog.string_agg(pg_catalog.format(', src.d%s', i), '' ORDER BY i), ''),
               coalesce(pg_catalog.string_agg(pg_catalog.format(', x.d%s', i), '' ORDER BY i), ''),
               coalesce(pg_catalog.string_agg(pg_catalog.format(', g.d%s', i), '' ORDER BY i), '')
        INTO src_dims, x_dims, g_dims
        FROM pg_catalog.generate_series(1, pg_catalog.cardinality(dims)) AS i;
        stage_ctes := pg_catalog.format(
            ', he AS (SELECT h.%1$I AS key, k.stage, pg_catalog.min(%3$s) AS started, '
            || 'pg_catalog.min(%3$s) FILTER (WHERE (%2$s) > k.stage) AS advanced '
            || 'FROM %4$s AS h%5$s CROSS JOIN LATERAL pg_catalog.generate_series(1, %2$s) AS k(stage) '
            || 'WHERE %6$s AND (%2$s) BETWEEN 1 AND 1000 GROUP BY h.%1$I, k.stage), '
            -- the naive rows of each group and stage (from salesplan.stages)
            -- and the entity-stage rows, grouped together by group and stage
            || 'gs AS (SELECT x.period%9$s, x.stage, pg_catalog.max(x.entered) AS entered, pg_catalog.max(x.advanced) AS advanced, '
            || 'pg_catalog.max(x.conversion) AS conversion, pg_catalog.max(x.cumulative) AS cumulative, pg_catalog.max(x.amount) AS amount, '
            || 'salesplan.outcome_agg(x.started, x.ended, x.won, %12$s) FILTER (WHERE NOT x.undated) AS o, '
            || 'pg_catalog.count(*) FILTER (WHERE x.undated AND x.started <= %12$s) AS undated '
            || 'FROM (SELECT g.period%10$s, st.stage, st.entered, st.advanced, st.conversion, st.cumulative, st.amount, '
            || 'NULL::pg_catalog.date AS started, NULL::pg_catalog.date AS ended, NULL::pg_catalog.bool AS won, '
            || 'false AS undated, true AS counted FROM g CROSS JOIN LATERAL salesplan.stages(g.f) AS st '
            || 'UNION ALL SELECT src.period%7$s, he.stage, NULL::pg_catalog.int8, NULL::pg_catalog.int8, NULL::pg_catalog.float8, '
            || 'NULL::pg_catalog.float8, NULL::pg_catalog.numeric, he.started, '
            || 'CASE WHEN he.advanced IS NOT NULL THEN he.advanced WHEN src.is_lost THEN src.closed_on END, '
            || 'he.advanced IS NOT NULL, he.advanced IS NULL AND src.is_lost IS TRUE AND src.closed_on IS NULL, false '
            || 'FROM src JOIN he ON %8$s%11$s) AS x '
            || 'GROUP BY x.period%9$s, x.stage HAVING pg_catalog.bool_or(x.counted))',
            hist_key, hx ->> 'expr', hist_date, salesplan_internal.binding_relname(hist), hx ->> 'join',
            salesplan_internal.binding_row_filter(hist, 'h', spec, 'history_table', binding_name, false),
            src_dims,
            salesplan_internal.binding_key_match('he.key', hist_key_typ, 'src.entity', entity_typ),
            x_dims, g_dims,
            CASE WHEN nstages IS NULL THEN '' ELSE pg_catalog.format(' WHERE he.stage < %s', nstages) END,
            -- today in the binding's time zone
            salesplan_internal.binding_today(spec ->> 'time_zone'));
        -- each group and stage once: rows of the same group are brought
        -- together by GROUP BY (NULL-safe, one hash or sort), never by a
        -- join on the group's values (NULL = NULL is not true there)
        stages_from := 'gs AS g CROSS JOIN LATERAL (SELECT g.stage, g.entered, g.advanced, g.conversion, g.cumulative, g.amount) AS st';
        has_stage_outcomes := true;
    END IF;

    RETURN salesplan_internal.binding_dimension_parts(dims, relname) || pg_catalog.jsonb_build_object(
        'src', pg_catalog.format(
            'WITH %ssrc AS NOT MATERIALIZED (SELECT %s AS period%s, %s AS reached, %s AS amount, %s AS is_won, %s AS is_lost, %s AS account, %s AS cycle_days, %s AS opened, %s AS closed_on%s FROM %s AS t%s WHERE %s)',
            stages ->> 'cte',
            salesplan_internal.binding_period_expr(rel, spec ->> 'period_column', spec ->> 'period', binding_name,
                                                  spec ->> 'time_zone'),
            salesplan_internal.binding_dimension_parts(dims, relname) ->> 'dimension_columns', reached_expr,
            salesplan_internal.binding_money_expr(rel, spec ->> 'amount_column', 'amount column', binding_name),
            -- a deal is won or lost, never both: a lost mark wins
            CASE WHEN won_expr IS NULL THEN 'NULL::pg_catalog.bool'
                 WHEN lost_expr IS NULL THEN won_expr
                 ELSE pg_catalog.format('((%s) IS TRUE AND (%s) IS NOT TRUE)', won_expr, lost_expr) END,
            coalesce(lost_expr, 'NULL::pg_catalog.bool'),
            coalesce(account_expr, 'NULL::pg_catalog.int4'), cycle_expr, opened_expr, closed_on_expr,
            CASE WHEN has_stage_outcomes THEN pg_catalog.format(', t.%I AS entity', entity_key) ELSE '' END,
            relname, joins,
            salesplan_internal.binding_row_filter(rel, 't', spec, 'relation', binding_name, true)),
        'source_note', pg_catalog.format(' (binding "%s" over %s)', binding_name, relname),
        -- (bindings made before 0.2 keep numeric: their plain views are
        -- replaced in place, which cannot change a column's type)
        'money', CASE WHEN spec ? 'typed_money' THEN salesplan_internal.binding_money_type(rel, spec ->> 'amount_column')
                      ELSE 'numeric' END,
        -- averages rounded to the scale of the amounts (a declared scale:
        -- by the cast to the typed column)
        -- no amount column: no money figure at all (not a made-up 0)
        'revenue', CASE WHEN spec ->> 'amount_column' IS NULL THEN 'NULL::pg_catalog.numeric'
                        ELSE 'coalesce(salesplan.revenue(g.f), 0)' END,
        'stage_amount', CASE WHEN spec ->> 'amount_column' IS NULL THEN 'NULL::pg_catalog.numeric' ELSE 'st.amount' END,
        'aov', CASE WHEN spec ? 'typed_money' THEN 'pg_catalog.round(salesplan.aov(g.f), g.amount_scale)'
                    ELSE 'salesplan.aov(g.f)' END,
        'avg_deal_size', CASE WHEN spec ? 'typed_money' THEN 'pg_catalog.round(g.avg_deal_size, g.amount_scale)'
                              ELSE 'g.avg_deal_size' END,
        'funnel', pg_catalog.format('salesplan.funnel_agg(src.reached, src.amount%s)',
                                    CASE WHEN nstages IS NULL THEN '' ELSE ', ' || nstages END),
        'won_deals', CASE WHEN won_expr IS NULL THEN 'NULL::pg_catalog.int8'
                          ELSE 'pg_catalog.count(*) FILTER (WHERE src.is_won)' END,
        'lost_deals', CASE WHEN lost_expr IS NULL THEN 'NULL::pg_catalog.int8'
                           ELSE 'pg_catalog.count(*) FILTER (WHERE src.is_lost)' END,
        -- still open: entered the funnel, neither won nor lost
        'open_deals', CASE WHEN won_expr IS NULL OR lost_expr IS NULL THEN 'NULL::pg_catalog.int8'
                           ELSE 'pg_catalog.count(*) FILTER (WHERE src.reached >= 1 AND src.is_won IS NOT TRUE AND src.is_lost IS NOT TRUE)' END,
        -- each lead followed from its opened date until won or lost (its
        -- closed date), open ones censored today (in the binding's zone)
        'outcomes', CASE WHEN won_expr IS NULL OR lost_expr IS NULL
                              OR spec ->> 'opened_column' IS NULL OR spec ->> 'closed_date_column' IS NULL
                         THEN 'NULL::salesplan.outcomes'
                         ELSE 'salesplan.outcome_agg(src.opened, CASE WHEN src.is_won OR src.is_lost THEN src.closed_on END, '
                              || 'src.is_won, ' || salesplan_internal.binding_today(spec ->> 'time_zone')
                              || ') FILTER (WHERE src.reached >= 1)' END,
        -- won or lost without a closed date: no estimate (counted open, a
        -- known outcome would weigh in as undecided)
        'undated_closed', CASE WHEN won_expr IS NULL OR lost_expr IS NULL
                                    OR spec ->> 'opened_column' IS NULL OR spec ->> 'closed_date_column' IS NULL
                               THEN '0'
                               ELSE 'pg_catalog.count(*) FILTER (WHERE src.reached >= 1 AND (src.is_won OR src.is_lost) '
                                    || 'AND src.closed_on IS NULL)' END,
        -- the horizon of the censoring-aware rates: eventual, or within a
        -- number of days given at bind time
        'win_horizon', CASE WHEN spec ? 'win_horizon_days'
                            THEN pg_catalog.format(', %L::pg_catalog.interval', (spec ->> 'win_horizon_days') || ' days')
                            ELSE '' END,
        'win_within', CASE WHEN spec ? 'win_horizon_days'
                           THEN pg_catalog.format('within %s days of their opened date (the horizon given at bind time)',
                                                  spec ->> 'win_horizon_days')
                           ELSE 'eventually (no horizon)' END,
        'stage_label', stages ->> 'label',
        'stage_label_join', stages ->> 'label_join',
        'stage_outcome_ctes', stage_ctes,
        'stages_from', stages_from,
        'stage_entered', CASE WHEN has_stage_outcomes
                              THEN 'CASE WHEN st.advanced IS NOT NULL THEN coalesce(salesplan.entered(g.o), 0) + g.undated END'
                              ELSE 'NULL::pg_catalog.int8' END,
        'stage_open', CASE WHEN has_stage_outcomes
                           THEN 'CASE WHEN st.advanced IS NOT NULL THEN coalesce(salesplan.open_count(g.o), 0) END'
                           ELSE 'NULL::pg_catalog.int8' END,
        'stage_probability', CASE WHEN has_stage_outcomes
                                  THEN pg_catalog.format('CASE WHEN st.advanced IS NOT NULL AND g.undated = 0 THEN salesplan.win_probability(g.o%s) END',
                                                         CASE WHEN spec ? 'win_horizon_days'
                                                              THEN pg_catalog.format(', %L::pg_catalog.interval', (spec ->> 'win_horizon_days') || ' days')
                                                              ELSE '' END)
                                  ELSE 'NULL::pg_catalog.float8' END,
        'stage_within', CASE WHEN spec ? 'win_horizon_days'
                             THEN pg_catalog.format('within %s days of entering it (the horizon given at bind time)',
                                                    spec ->> 'win_horizon_days')
                             ELSE 'eventually (no horizon)' END,
        'accounts', CASE WHEN account_expr IS NULL THEN 'pg_catalog.count(*)'
                         ELSE 'pg_catalog.count(DISTINCT src.account)' END,
        'declared', pg_catalog.format('%L::pg_catalog.text', declared));
END
$fn$;
COMMENT ON FUNCTION salesplan_internal.binding_funnel_parts(text, jsonb, text) IS
    'internal: the parts of the views of a funnel binding, from its spec (checks every relation and column it names)';

-- ---------------------------------------------------------------------
-- windowed ordered funnels from a stage history (probability paradigm)
-- ---------------------------------------------------------------------

-- the parts of the view of a windowed-funnel binding (binding_view_kinds):
-- src has one row per entity: period, dimensions (both from the entity
-- table) and its salesplan.window_funnel level over the stage history
CREATE FUNCTION salesplan_internal.binding_window_funnel_parts(binding_name text, spec jsonb)
    RETURNS jsonb
    LANGUAGE plpgsql STABLE
    SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    hist regclass;
    histname text;
    ent regclass;
    entname text;
    stage_col name := spec ->> 'stage_column';
    time_col name := spec ->> 'time_column';
    time_typ regtype;
    entity_typ regtype;
    key_typ regtype;
    ts_expr text;
    stages jsonb;
    step jsonb;
    dims name[] := '{}';
    src text;
    open_expr text;
BEGIN
    hist := salesplan_internal.binding_relation(spec ->> 'relation', binding_name, 'stage history');
    histname := salesplan_internal.binding_relname(hist);
    entity_typ := salesplan_internal.binding_column(hist, spec ->> 'entity_column', 'entity column', binding_name);
    PERFORM salesplan_internal.binding_column(hist, stage_col, 'stage column', binding_name);
    time_typ := salesplan_internal.binding_typed_column(hist, time_col, 'time column', binding_name, 'D', 'a date or timestamp');
    -- an infinite event time is an unknown time (NULL): the event is left
    -- out of every chain, as over a copy of the history with that value NULL
    ts_expr := CASE WHEN time_typ IN ('timestamp'::regtype, 'timestamptz'::regtype)
                    THEN pg_catalog.format('CASE WHEN pg_catalog.isfinite(h.%1$I) THEN h.%1$I END', time_col)
                    ELSE pg_catalog.format('CASE WHEN pg_catalog.isfinite(h.%1$I) THEN h.%1$I::pg_catalog.timestamp END', time_col) END;
    stages := salesplan_internal.binding_stages(hist, stage_col, spec, binding_name, 'an integer step', 1);
    step := salesplan_internal.binding_stage_ordinal(stages, 'h', stage_col, 'sm', 'LEFT ');

    -- the entities: every row of the entity table (LEFT JOIN against the
    -- levels grouped by entity), or the entities with history
    IF spec ? 'entity_table' THEN
        ent := salesplan_internal.binding_relation(spec ->> 'entity_table', binding_name, 'entity table');
        entname := salesplan_internal.binding_relname(ent);
        key_typ := salesplan_internal.binding_column(ent, spec ->> 'entity_key', 'entity key column', binding_name);
        dims := salesplan_internal.binding_dimensions(ent, spec, salesplan_internal.binding_view_reserved('window_funnel'),
                                                      binding_name);
        src := pg_catalog.format(
            'src AS (SELECT t.%I AS entity, %s AS period%s, coalesce(ent.level, 0) AS level, coalesce(ent.window_open, false) AS window_open '
            || 'FROM %s AS t LEFT JOIN ent ON %s WHERE %s)',
            spec ->> 'entity_key',
            salesplan_internal.binding_period_expr(ent, spec ->> 'period_column', spec ->> 'period', binding_name,
                                                  spec ->> 'time_zone'),
            salesplan_internal.binding_dimension_parts(dims, entname) ->> 'dimension_columns', entname,
            salesplan_internal.binding_key_match('ent.entity', entity_typ, pg_catalog.format('t.%I', spec ->> 'entity_key'), key_typ),
            salesplan_internal.binding_row_filter(ent, 't', spec, 'entity_table', binding_name, false));
    ELSE
        src := 'src AS (SELECT ent.entity, NULL::pg_catalog.date AS period, ent.level, ent.window_open FROM ent)';
    END IF;

    -- the entity column of the _entities view keeps its name: it must not
    -- clash with that view's fixed columns or a dimension
    IF coalesce(spec ->> 'entity_key', spec ->> 'entity_column') = ANY (
           ARRAY(SELECT c.column_name FROM salesplan_internal.binding_view_columns() AS c
                 WHERE c.view_name = 'window_funnel_entities' AND c.column_name !~ '^(@|\{\{)') || dims::text[]) THEN
        RAISE EXCEPTION 'entity column "%" clashes with an output column of view %_entities',
                        coalesce(spec ->> 'entity_key', spec ->> 'entity_column'), binding_name
            USING ERRCODE = 'duplicate_column',
                  DETAIL = pg_catalog.format('The view has fixed columns %s%s.',
                      (SELECT pg_catalog.string_agg(c.column_name, ', ' ORDER BY c."position") FROM salesplan_internal.binding_view_columns() AS c
                       WHERE c.view_name = 'window_funnel_entities' AND c.column_name !~ '^(@|\{\{)'),
                      CASE WHEN pg_catalog.cardinality(dims) > 0 THEN ' and the dimensions ' || pg_catalog.array_to_string(dims, ', ') ELSE '' END),
                  HINT = 'Bind a view over the table that renames the column.';
    END IF;

    -- whether an entity's window is still open now (at query or refresh
    -- time): its latest step-1 event (where its freshest chain starts)
    -- lies less than the window ago, so a later event may still take it
    -- further, whichever chain reached its level.  Compared on the wall
    -- clock of the binding's time zone, as the window is counted
    IF time_typ = 'timestamptz'::regtype AND spec ? 'time_zone' THEN
        open_expr := pg_catalog.format(
            'salesplan.local_time(ent0.s, %2$L::pg_catalog.text) + %1$L::pg_catalog.interval > salesplan.local_time(pg_catalog.now(), %2$L::pg_catalog.text)',
            spec ->> 'window', spec ->> 'time_zone');
    ELSIF time_typ = 'timestamptz'::regtype THEN
        open_expr := pg_catalog.format('ent0.s + %L::pg_catalog.interval > pg_catalog.now()', spec ->> 'window');
    ELSIF spec ? 'time_zone' THEN
        open_expr := pg_catalog.format(
            'ent0.s + %1$L::pg_catalog.interval > salesplan.local_time(pg_catalog.now(), %2$L::pg_catalog.text)',
            spec ->> 'window', spec ->> 'time_zone');
    ELSE
        open_expr := pg_catalog.format('ent0.s + %L::pg_catalog.interval > pg_catalog.localtimestamp', spec ->> 'window');
    END IF;

    RETURN salesplan_internal.binding_dimension_parts(dims, coalesce(entname, histname)) || pg_catalog.jsonb_build_object(
        'src', pg_catalog.format(
            'WITH %1$sev AS (SELECT h.%2$I AS entity, %3$s AS ts, %4$s AS step FROM %5$s AS h%6$s WHERE h.%2$I IS NOT NULL AND %10$s), '
            || 'ent0 AS (SELECT ev.entity, salesplan.window_funnel_times(%7$L::pg_catalog.interval, ev.ts, ev.step%8$s) AS t, '
            || 'pg_catalog.max(ev.ts) FILTER (WHERE ev.step = 1) AS s FROM ev GROUP BY ev.entity), '
            || 'ent AS (SELECT ent0.entity, pg_catalog.cardinality(ent0.t) AS level, coalesce(%11$s, false) AS window_open FROM ent0), '
            || '%9$s',
            stages ->> 'cte', spec ->> 'entity_column', ts_expr, step ->> 'expr', histname, step ->> 'join',
            spec ->> 'window',
            -- a timestamptz window counts days and months on the calendar
            -- of the binding's time zone (the 5-argument form), not the
            -- reading node's
            CASE WHEN time_typ = 'timestamptz'::regtype AND spec ? 'time_zone'
                 THEN pg_catalog.format(', %L::pg_catalog.text, %L::pg_catalog.text', coalesce(spec ->> 'mode', ''), spec ->> 'time_zone')
                 WHEN spec ->> 'mode' IS NULL THEN '' ELSE pg_catalog.format(', %L::pg_catalog.text', spec ->> 'mode') END,
            src, salesplan_internal.binding_row_filter(hist, 'h', spec, 'history', binding_name, true),
            open_expr),
        'source_note', pg_catalog.format(' (binding "%s" over %s)', binding_name, histname),
        'window', spec ->> 'window',
        'funnel', pg_catalog.format('salesplan.funnel_agg(src.level, NULL::pg_catalog.numeric, %s)', stages ->> 'count'),
        'stage_label', stages ->> 'label',
        'stage_label_join', stages ->> 'label_join',
        -- the entity of the _entities view: the entity table's key, else
        -- the history's entity column
        'entity_name', coalesce(spec ->> 'entity_key', spec ->> 'entity_column'),
        'entity_ident', pg_catalog.quote_ident(CASE WHEN spec ? 'entity_table' THEN spec ->> 'entity_key' ELSE spec ->> 'entity_column' END),
        'entity_source', coalesce(entname, histname));
END
$fn$;
COMMENT ON FUNCTION salesplan_internal.binding_window_funnel_parts(text, jsonb) IS
    'internal: the parts of the view of a windowed-funnel binding, from its spec (checks every relation and column it names)';

CREATE FUNCTION salesplan_internal.bind_window_funnel(
        binding_name text,
        target_schema name,
        history regclass,
        entity_column name,
        time_column name,
        stage_column name,
        within interval,
        stage_order text[],
        stage_table regclass,
        stage_key name,
        stage_sequence name,
        stage_label name,
        stages integer,
        mode text,
        entity_table regclass,
        entity_key name,
        period_column name,
        period text,
        dimensions name[],
        materialized boolean,
        paradigm text,
        materialize_despite_row_security boolean,
        row_filter jsonb,
        deleted_column name,
        language text,
        time_zone text)
    RETURNS SETOF text
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    m text;
BEGIN
    IF history IS NULL THEN
        RAISE EXCEPTION 'binding "%" needs a stage history', binding_name
            USING ERRCODE = 'null_value_not_allowed';
    END IF;
    IF within IS NULL OR within <= interval '0' THEN
        RAISE EXCEPTION 'window must be positive: %', within
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF mode IS NOT NULL THEN
        FOREACH m IN ARRAY pg_catalog.string_to_array(mode, ',') LOOP
            IF pg_catalog.btrim(m) NOT IN ('strict_deduplication', 'strict_order', 'strict_increase') THEN
                RAISE EXCEPTION 'unknown window_funnel mode "%"', pg_catalog.btrim(m)
                    USING ERRCODE = 'invalid_parameter_value',
                          HINT = 'Valid modes: strict_deduplication, strict_order, strict_increase (comma-separated).';
            END IF;
        END LOOP;
    END IF;
    IF stage_order IS NOT NULL AND stage_table IS NOT NULL THEN
        RAISE EXCEPTION 'stage_order and stage_table are exclusive'
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF stage_order IS NOT NULL AND (pg_catalog.cardinality(stage_order) = 0
       OR pg_catalog.cardinality(stage_order) > 1000
       OR pg_catalog.array_position(stage_order, NULL) IS NOT NULL
       OR (SELECT pg_catalog.count(DISTINCT x) FROM pg_catalog.unnest(stage_order) AS x) <> pg_catalog.cardinality(stage_order)) THEN
        RAISE EXCEPTION 'stage_order must list 1 to 1000 distinct, non-NULL stage names: %', stage_order
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF stage_order IS NULL AND stage_table IS NULL AND (stages IS NULL OR stages < 1 OR stages > 1000) THEN
        RAISE EXCEPTION 'ordinal steps need stages between 1 and 1000: %', stages
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'Give stages (the number of steps), stage_order (names) or stage_table (a key of a stage table).';
    END IF;
    IF entity_table IS NULL AND (pg_catalog.cardinality(dimensions) > 0 OR period_column IS NOT NULL) THEN
        RAISE EXCEPTION 'dimensions and period_column need an entity_table'
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'Dimensions and the period belong to the entity (lead, opportunity), not to its history rows.';
    END IF;
    PERFORM salesplan_internal.binding_check_row_filter(row_filter,
        ARRAY(SELECT u.r FROM ROWS FROM (pg_catalog.unnest(ARRAY['history', 'stage_table', 'entity_table']), pg_catalog.unnest(ARRAY[history::text, stage_table::text, entity_table::text])) AS u(r, v)
              WHERE u.v IS NOT NULL), binding_name);
    RETURN QUERY SELECT * FROM salesplan_internal.binding_store(binding_name, 'window_funnel', target_schema,
        pg_catalog.jsonb_build_object(
            'relation', salesplan_internal.binding_relname(history),
            'entity_column', entity_column,
            'time_column', time_column,
            'stage_column', stage_column,
            'window', within::text,
            'stage_order', pg_catalog.to_jsonb(stage_order),
            'stage_table', salesplan_internal.binding_relname(stage_table),
            'stage_key', CASE WHEN stage_table IS NOT NULL THEN stage_key END,
            'stage_sequence', CASE WHEN stage_table IS NOT NULL THEN stage_sequence END,
            'stage_label', CASE WHEN stage_table IS NOT NULL THEN stage_label END,
            'stages', CASE WHEN stage_order IS NULL AND stage_table IS NULL THEN stages END,
            'mode', mode,
            'entity_table', salesplan_internal.binding_relname(entity_table),
            'entity_key', CASE WHEN entity_table IS NOT NULL THEN entity_key END,
            'period_column', period_column,
            'period', CASE WHEN period_column IS NOT NULL THEN period END,
            'dimensions', pg_catalog.to_jsonb(coalesce(dimensions, '{}')),
            'row_filter', row_filter,
            'deleted_column', deleted_column,
            'language', CASE WHEN stage_table IS NOT NULL AND language <> 'en_US' THEN language END,
            'time_zone', time_zone),
        materialized, paradigm, materialize_despite_row_security);
END
$fn$;
COMMENT ON FUNCTION salesplan_internal.bind_window_funnel(text, name, regclass, name, name, name, interval, text[], regclass, name, name, name, integer, text, regclass, name, name, text, name[], boolean, text, boolean, jsonb, name, text, text) IS
    'internal: implementation of salesplan.bind_window_funnel';

CREATE FUNCTION salesplan.bind_window_funnel(
        binding_name text,
        target_schema name,
        history regclass,
        entity_column name,
        time_column name,
        stage_column name,
        within interval,
        stage_order text[] DEFAULT NULL,
        stage_table regclass DEFAULT NULL,
        stage_key name DEFAULT 'id',
        stage_sequence name DEFAULT 'sequence',
        stage_label name DEFAULT 'name',
        stages integer DEFAULT NULL,
        mode text DEFAULT NULL,
        entity_table regclass DEFAULT NULL,
        entity_key name DEFAULT 'id',
        period_column name DEFAULT NULL,
        period text DEFAULT 'month',
        dimensions name[] DEFAULT '{}',
        materialized boolean DEFAULT false,
        paradigm text DEFAULT 'probability',
        materialize_despite_row_security boolean DEFAULT false,
        row_filter jsonb DEFAULT NULL,
        deleted_column name DEFAULT NULL,
        language text DEFAULT 'en_US',
        time_zone text DEFAULT NULL)
    RETURNS SETOF text
    AS 'MODULE_PATHNAME', 'salesplan_bind_window_funnel'
    LANGUAGE C VOLATILE;
COMMENT ON FUNCTION salesplan.bind_window_funnel(text, name, regclass, name, name, name, interval, text[], regclass, name, name, name, integer, text, regclass, name, name, text, name[], boolean, text, boolean, jsonb, name, text, text) IS
    'binds a stage-history table: creates view binding_name (ordered funnel within a window, per period, dimension and step) in target_schema';

-- ---------------------------------------------------------------------
-- coverage bindings (behavior paradigm)
-- ---------------------------------------------------------------------

-- the parts of the views of a coverage binding (binding_view_kinds): a has
-- the as_of date; acc has one row per target account: dimensions,
-- potential, touches, contacts, last touch, opportunities, proposals, won
-- value and ladder level
CREATE FUNCTION salesplan_internal.binding_coverage_parts(binding_name text, spec jsonb)
    RETURNS jsonb
    LANGUAGE plpgsql STABLE
    SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    rel regclass;
    relname text;
    act regclass;
    opp regclass;
    prop regclass;
    account_col name := spec ->> 'account_column';
    dims name[];
    reserved text[] := salesplan_internal.binding_view_reserved('coverage');
    as_of_expr text;
    ctes text := '';
    joins text := '';
    touches text := '0::pg_catalog.int8';
    contacts text := 'NULL::pg_catalog.int8';
    last_touch text := 'NULL::pg_catalog.date';
    two_way text := 'false';
    n_opp text := '0::pg_catalog.int8';
    any_won text := 'false';
    won text := '0::pg_catalog.numeric';
    n_prop text := '0::pg_catalog.int8';
    keep_warm int := coalesce((spec ->> 'keep_warm_days')::int, 30);
BEGIN
    rel := salesplan_internal.binding_relation(spec ->> 'relation', binding_name, 'target list');
    relname := salesplan_internal.binding_relname(rel);
    PERFORM salesplan_internal.binding_column(rel, account_col, 'account column', binding_name);
    IF account_col::text = ANY (reserved) THEN
        RAISE EXCEPTION 'account column "%" clashes with an output column of the view', account_col
            USING ERRCODE = 'duplicate_column';
    END IF;
    dims := salesplan_internal.binding_dimensions(rel, spec, reserved || account_col::text, binding_name);
    IF spec ? 'account_label' THEN
        PERFORM salesplan_internal.binding_column(rel, spec ->> 'account_label', 'account label column', binding_name);
    END IF;
    as_of_expr := CASE WHEN spec ->> 'as_of' IS NULL THEN salesplan_internal.binding_today(spec ->> 'time_zone')
                       ELSE pg_catalog.format('%L::pg_catalog.date', (spec ->> 'as_of')::date) END;

    -- activities: touches (level 1), two-way conversations (level 2)
    IF spec ? 'activities' THEN
        act := salesplan_internal.binding_relation(spec ->> 'activities', binding_name, 'activity table');
        PERFORM salesplan_internal.binding_column(act, spec ->> 'activity_account', 'activity account column', binding_name);
        PERFORM salesplan_internal.binding_column(act, spec ->> 'activity_date', 'activity date column', binding_name);
        IF spec ->> 'activity_contact' IS NOT NULL THEN
            PERFORM salesplan_internal.binding_column(act, spec ->> 'activity_contact', 'activity contact column', binding_name);
        END IF;
        ctes := ctes || pg_catalog.format(
            'act AS (SELECT x.%I AS account, pg_catalog.count(*) AS touches, %s AS contacts, pg_catalog.max(%s) AS last_touch, %s AS two_way '
            || 'FROM %s AS x WHERE %s AND %s <= (SELECT a.as_of FROM a) AND %s GROUP BY 1), ',
            spec ->> 'activity_account',
            CASE WHEN spec ->> 'activity_contact' IS NULL THEN 'NULL::pg_catalog.int8'
                 ELSE pg_catalog.format('pg_catalog.count(DISTINCT x.%I)', spec ->> 'activity_contact') END,
            salesplan_internal.binding_date_expr(act, spec ->> 'activity_date', 'activity date column', binding_name, 'x', time_zone => spec ->> 'time_zone'),
            CASE WHEN spec ->> 'activity_two_way' IS NULL THEN 'false'
                 ELSE pg_catalog.format('pg_catalog.bool_or(x.%I IS TRUE)', spec ->> 'activity_two_way') END,
            salesplan_internal.binding_relname(act),
            salesplan_internal.binding_period_filter(salesplan_internal.binding_date_expr(act, spec ->> 'activity_date', 'activity date column', binding_name, 'x', time_zone => spec ->> 'time_zone'), spec),
            salesplan_internal.binding_date_expr(act, spec ->> 'activity_date', 'activity date column', binding_name, 'x', time_zone => spec ->> 'time_zone'),
            salesplan_internal.binding_row_filter(act, 'x', spec, 'activities', binding_name, false));
        IF spec ->> 'activity_two_way' IS NOT NULL THEN
            PERFORM salesplan_internal.binding_typed_column(act, spec ->> 'activity_two_way', 'activity two-way column', binding_name, 'B', 'boolean');
        END IF;
        joins := joins || ' LEFT JOIN act ON act.account = t.' || pg_catalog.quote_ident(account_col);
        touches := 'coalesce(act.touches, 0)';
        contacts := CASE WHEN spec ->> 'activity_contact' IS NULL THEN 'NULL::pg_catalog.int8' ELSE 'coalesce(act.contacts, 0)' END;
        last_touch := 'act.last_touch';
        two_way := 'coalesce(act.two_way, false)';
    END IF;

    -- opportunities: qualified (level 3), signed (level 5), won value
    IF spec ? 'opportunities' THEN
        opp := salesplan_internal.binding_relation(spec ->> 'opportunities', binding_name, 'opportunity table');
        PERFORM salesplan_internal.binding_column(opp, spec ->> 'opportunity_account', 'opportunity account column', binding_name);
        IF spec ? 'period_start' OR spec ? 'period_end' THEN
            PERFORM salesplan_internal.binding_column(opp, spec ->> 'opportunity_date', 'opportunity date column', binding_name);
        END IF;
        ctes := ctes || pg_catalog.format(
            'opp AS (SELECT o.%I AS account, pg_catalog.count(*) AS opportunities, %s AS any_won, %s AS won FROM %s AS o WHERE %s AND %s GROUP BY 1), ',
            spec ->> 'opportunity_account',
            CASE WHEN spec ->> 'opportunity_won' IS NULL THEN 'false'
                 ELSE pg_catalog.format('pg_catalog.bool_or(%s IS TRUE)', 'o.' || pg_catalog.quote_ident(spec ->> 'opportunity_won')) END,
            CASE WHEN spec ->> 'opportunity_won' IS NULL THEN '0::pg_catalog.numeric'
                 ELSE pg_catalog.format('coalesce(pg_catalog.sum(%s) FILTER (WHERE o.%I IS TRUE), 0)',
                        salesplan_internal.binding_money_expr(opp, spec ->> 'opportunity_amount', 'opportunity amount column', binding_name, 'o'),
                        spec ->> 'opportunity_won') END,
            salesplan_internal.binding_relname(opp),
            salesplan_internal.binding_period_filter(salesplan_internal.binding_date_expr(opp, spec ->> 'opportunity_date', 'opportunity date column', binding_name, 'o', time_zone => spec ->> 'time_zone'), spec),
            salesplan_internal.binding_row_filter(opp, 'o', spec, 'opportunities', binding_name, false));
        IF spec ->> 'opportunity_won' IS NOT NULL THEN
            PERFORM salesplan_internal.binding_typed_column(opp, spec ->> 'opportunity_won', 'opportunity won column', binding_name, 'B', 'boolean');
        END IF;
        joins := joins || ' LEFT JOIN opp ON opp.account = t.' || pg_catalog.quote_ident(account_col);
        n_opp := 'coalesce(opp.opportunities, 0)';
        any_won := 'coalesce(opp.any_won, false)';
        won := 'coalesce(opp.won, 0)';
    END IF;

    -- proposals: proposal delivered (level 4)
    IF spec ? 'proposals' THEN
        prop := salesplan_internal.binding_relation(spec ->> 'proposals', binding_name, 'proposal table');
        PERFORM salesplan_internal.binding_column(prop, spec ->> 'proposal_account', 'proposal account column', binding_name);
        IF spec ? 'period_start' OR spec ? 'period_end' THEN
            PERFORM salesplan_internal.binding_column(prop, spec ->> 'proposal_date', 'proposal date column', binding_name);
        END IF;
        ctes := ctes || pg_catalog.format(
            'prop AS (SELECT p.%I AS account, pg_catalog.count(*) AS proposals FROM %s AS p WHERE %s AND %s GROUP BY 1), ',
            spec ->> 'proposal_account', salesplan_internal.binding_relname(prop),
            salesplan_internal.binding_period_filter(salesplan_internal.binding_date_expr(prop, spec ->> 'proposal_date', 'proposal date column', binding_name, 'p', time_zone => spec ->> 'time_zone'), spec),
            salesplan_internal.binding_row_filter(prop, 'p', spec, 'proposals', binding_name, false));
        joins := joins || ' LEFT JOIN prop ON prop.account = t.' || pg_catalog.quote_ident(account_col);
        n_prop := 'coalesce(prop.proposals, 0)';
    END IF;

    RETURN salesplan_internal.binding_dimension_parts(dims, relname) || pg_catalog.jsonb_build_object(
        'src', pg_catalog.format(
            'WITH a AS (SELECT %s AS as_of), %s'
            || 'acc AS (SELECT t.%I AS account%s, %s AS account_label, %s AS potential, %s AS touches, %s AS contacts, %s AS last_touch, '
            || '%s AS opportunities, %s AS proposals, %s AS won, '
            || 'CASE WHEN %s THEN 5 WHEN %s > 0 THEN 4 WHEN %s > 0 THEN 3 WHEN %s THEN 2 WHEN %s > 0 THEN 1 ELSE 0 END AS level '
            || 'FROM %s AS t%s WHERE %s)',
            as_of_expr, ctes, account_col,
            salesplan_internal.binding_dimension_parts(dims, relname) ->> 'dimension_columns',
            CASE WHEN spec ? 'account_label' THEN pg_catalog.format('t.%I::pg_catalog.text', spec ->> 'account_label')
                 ELSE 'NULL::pg_catalog.text' END,
            salesplan_internal.binding_money_expr(rel, spec ->> 'potential_column', 'potential column', binding_name),
            touches, contacts, last_touch, n_opp, n_prop, won,
            any_won, n_prop, n_opp, two_way, touches,
            relname, joins, salesplan_internal.binding_row_filter(rel, 't', spec, 'targets', binding_name, true)),
        'source_note', pg_catalog.format(' (binding "%s" over target list %s)', binding_name, relname),
        'potential_money', CASE WHEN spec ? 'typed_money' THEN salesplan_internal.binding_money_type(rel, spec ->> 'potential_column')
                                ELSE 'numeric' END,
        'won_money', CASE WHEN spec ? 'typed_money' THEN salesplan_internal.binding_money_type(opp, spec ->> 'opportunity_amount')
                          ELSE 'numeric' END,
        'account_column', account_col,
        'account_ident', pg_catalog.quote_ident(account_col),
        -- the optional label column: left out when none is bound
        'account_label_name', CASE WHEN spec ? 'account_label' THEN 'account_name' ELSE '' END,
        'account_label_ident', coalesce(pg_catalog.quote_ident(spec ->> 'account_label'), ''),
        'keep_warm', keep_warm::text);
END
$fn$;
COMMENT ON FUNCTION salesplan_internal.binding_coverage_parts(text, jsonb) IS
    'internal: the parts of the views of a coverage binding, from its spec (checks every relation and column it names)';

-- the WHERE condition restricting dated rows to the binding's period
CREATE FUNCTION salesplan_internal.binding_period_filter(date_expr text, spec jsonb) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $fn$
    SELECT CASE
        WHEN spec ->> 'period_start' IS NULL AND spec ->> 'period_end' IS NULL THEN 'true'
        WHEN spec ->> 'period_end' IS NULL THEN pg_catalog.format('%s >= %L::pg_catalog.date', date_expr, spec ->> 'period_start')
        WHEN spec ->> 'period_start' IS NULL THEN pg_catalog.format('%s < %L::pg_catalog.date', date_expr, spec ->> 'period_end')
        ELSE pg_catalog.format('%s >= %L::pg_catalog.date AND %s < %L::pg_catalog.date',
                               date_expr, spec ->> 'period_start', date_expr, spec ->> 'period_end')
    END
$fn$;
COMMENT ON FUNCTION salesplan_internal.binding_period_filter(text, jsonb) IS
    'internal: condition keeping rows dated in [period_start, period_end) of a coverage binding';

CREATE FUNCTION salesplan_internal.bind_coverage(
        binding_name text,
        target_schema name,
        targets regclass,
        account_column name,
        potential_column name,
        dimensions name[],
        activities regclass,
        activity_account name,
        activity_date name,
        activity_two_way name,
        activity_contact name,
        opportunities regclass,
        opportunity_account name,
        opportunity_date name,
        opportunity_won name,
        opportunity_amount name,
        proposals regclass,
        proposal_account name,
        proposal_date name,
        period_start date,
        period_end date,
        keep_warm_days integer,
        as_of date,
        materialized boolean,
        paradigm text,
        materialize_despite_row_security boolean,
        row_filter jsonb,
        deleted_column name,
        account_label name,
        time_zone text)
    RETURNS SETOF text
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $fn$
BEGIN
    IF targets IS NULL THEN
        RAISE EXCEPTION 'binding "%" needs a target list', binding_name
            USING ERRCODE = 'null_value_not_allowed';
    END IF;
    IF keep_warm_days IS NULL OR keep_warm_days < 0 THEN
        RAISE EXCEPTION 'keep_warm_days must be a non-negative number of days: %', keep_warm_days
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF period_start IS NOT NULL AND period_end IS NOT NULL AND period_end <= period_start THEN
        RAISE EXCEPTION 'period_end % is not after period_start %', period_end, period_start
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'The period is [period_start, period_end).';
    END IF;
    IF as_of IS NOT NULL AND NOT pg_catalog.isfinite(as_of) THEN
        RAISE EXCEPTION 'as_of must be a finite date: %', as_of
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF opportunities IS NOT NULL AND opportunity_won IS NOT NULL AND opportunity_amount IS NULL THEN
        RAISE EXCEPTION 'opportunity_won needs opportunity_amount'
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'The amount of won opportunities is the won value of the account.';
    END IF;
    PERFORM salesplan_internal.binding_check_row_filter(row_filter,
        ARRAY(SELECT u.r FROM ROWS FROM (pg_catalog.unnest(ARRAY['targets', 'activities', 'opportunities', 'proposals']), pg_catalog.unnest(ARRAY[targets::text, activities::text, opportunities::text, proposals::text])) AS u(r, v)
              WHERE u.v IS NOT NULL), binding_name);
    RETURN QUERY SELECT * FROM salesplan_internal.binding_store(binding_name, 'coverage', target_schema,
        pg_catalog.jsonb_build_object(
            'relation', salesplan_internal.binding_relname(targets),
            'account_column', account_column,
            'potential_column', potential_column,
            'dimensions', pg_catalog.to_jsonb(coalesce(dimensions, '{}')),
            'activities', salesplan_internal.binding_relname(activities),
            'activity_account', CASE WHEN activities IS NOT NULL THEN coalesce(activity_account, account_column) END,
            'activity_date', activity_date,
            'activity_two_way', activity_two_way,
            'activity_contact', activity_contact,
            'opportunities', salesplan_internal.binding_relname(opportunities),
            'opportunity_account', CASE WHEN opportunities IS NOT NULL THEN coalesce(opportunity_account, account_column) END,
            'opportunity_date', opportunity_date,
            'opportunity_won', opportunity_won,
            'opportunity_amount', opportunity_amount,
            'proposals', salesplan_internal.binding_relname(proposals),
            'proposal_account', CASE WHEN proposals IS NOT NULL THEN coalesce(proposal_account, account_column) END,
            'proposal_date', proposal_date,
            'period_start', period_start,
            'period_end', period_end,
            'keep_warm_days', keep_warm_days,
            'as_of', as_of,
            'row_filter', row_filter,
            'deleted_column', deleted_column,
            'typed_money', true,
            'account_label', account_label,
            'time_zone', time_zone),
        materialized, paradigm, materialize_despite_row_security);
END
$fn$;
COMMENT ON FUNCTION salesplan_internal.bind_coverage(text, name, regclass, name, name, name[], regclass, name, name, name, name, regclass, name, name, name, name, regclass, name, name, date, date, integer, date, boolean, text, boolean, jsonb, name, name, text) IS
    'internal: implementation of salesplan.bind_coverage';

CREATE FUNCTION salesplan.bind_coverage(
        binding_name text,
        target_schema name,
        targets regclass,
        account_column name,
        potential_column name DEFAULT NULL,
        dimensions name[] DEFAULT '{}',
        activities regclass DEFAULT NULL,
        activity_account name DEFAULT NULL,
        activity_date name DEFAULT NULL,
        activity_two_way name DEFAULT NULL,
        activity_contact name DEFAULT NULL,
        opportunities regclass DEFAULT NULL,
        opportunity_account name DEFAULT NULL,
        opportunity_date name DEFAULT NULL,
        opportunity_won name DEFAULT NULL,
        opportunity_amount name DEFAULT NULL,
        proposals regclass DEFAULT NULL,
        proposal_account name DEFAULT NULL,
        proposal_date name DEFAULT NULL,
        period_start date DEFAULT NULL,
        period_end date DEFAULT NULL,
        keep_warm_days integer DEFAULT 30,
        as_of date DEFAULT NULL,
        materialized boolean DEFAULT false,
        paradigm text DEFAULT 'behavior',
        materialize_despite_row_security boolean DEFAULT false,
        row_filter jsonb DEFAULT NULL,
        deleted_column name DEFAULT NULL,
        account_label name DEFAULT NULL,
        time_zone text DEFAULT NULL)
    RETURNS SETOF text
    AS 'MODULE_PATHNAME', 'salesplan_bind_coverage'
    LANGUAGE C VOLATILE;
COMMENT ON FUNCTION salesplan.bind_coverage(text, name, regclass, name, name, name[], regclass, name, name, name, name, regclass, name, name, name, name, regclass, name, name, date, date, integer, date, boolean, text, boolean, jsonb, name, name, text) IS
    'binds a target-account list with its activities, opportunities and proposals: creates views binding_name (coverage per dimension) and binding_name_accounts (per account) in target_schema';

-- ---------------------------------------------------------------------
-- milestone bindings (project paradigm)
-- ---------------------------------------------------------------------

-- the parts of the views of a milestone binding (binding_view_kinds): a
-- has the as_of date; src one row per milestone; pp one row per project
-- (and dimensions) with its salesplan.schedule s
CREATE FUNCTION salesplan_internal.binding_milestone_parts(binding_name text, spec jsonb)
    RETURNS jsonb
    LANGUAGE plpgsql STABLE
    SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    rel regclass;
    relname text;
    hist regclass;
    project_col name := spec ->> 'project_column';
    dims name[];
    reserved text[] := salesplan_internal.binding_view_reserved('milestone');
    actual_expr text;
    weight_expr text;
    trend_expr text := 'NULL::pg_catalog.float8';
    joins text := '';
    key_typ regtype;
    hist_key_typ regtype;
    as_of_expr text;
    dim_keys text;
    typ regtype;
    label_expr text := 'NULL::pg_catalog.text';
    milestone_label_expr text := 'NULL::pg_catalog.text';
    label_col text;
    key_col name := coalesce(spec ->> 'milestone_key', 'id');
    has_key boolean;
    out_key name;
BEGIN
    rel := salesplan_internal.binding_relation(spec ->> 'relation', binding_name, 'relation');
    relname := salesplan_internal.binding_relname(rel);
    PERFORM salesplan_internal.binding_column(rel, project_col, 'project column', binding_name);
    PERFORM salesplan_internal.binding_column(rel, spec ->> 'planned_column', 'planned date column', binding_name);
    IF project_col::text = ANY (reserved) THEN
        RAISE EXCEPTION 'project column "%" clashes with an output column of the view', project_col
            USING ERRCODE = 'duplicate_column';
    END IF;
    dims := salesplan_internal.binding_dimensions(rel, spec, reserved || project_col::text, binding_name);
    dim_keys := salesplan_internal.binding_render('{{dims:src}}', '{}', pg_catalog.cardinality(dims));

    actual_expr := salesplan_internal.binding_date_expr(rel, spec ->> 'actual_column', 'actual date column', binding_name, time_zone => spec ->> 'time_zone');
    IF spec ->> 'reached_column' IS NOT NULL THEN
        actual_expr := pg_catalog.format('CASE WHEN %s IS TRUE THEN %s END',
            salesplan_internal.binding_bool_expr(rel, spec ->> 'reached_column', 'reached column', binding_name),
            actual_expr);
    END IF;
    weight_expr := salesplan_internal.binding_money_expr(rel, spec ->> 'weight_column', 'weight column', binding_name);
    -- the slip trend of each milestone: a LEFT JOIN against the forecast
    -- history grouped by milestone (no correlated subquery)
    IF spec ? 'history_table' THEN
        hist := salesplan_internal.binding_relation(spec ->> 'history_table', binding_name, 'forecast history table');
        key_typ := salesplan_internal.binding_column(rel, spec ->> 'milestone_key', 'milestone key column', binding_name);
        hist_key_typ := salesplan_internal.binding_column(hist, spec ->> 'history_key', 'history key column', binding_name);
        joins := pg_catalog.format(
            ' LEFT JOIN (SELECT h.%1$I AS key, salesplan.slip_trend(%2$s, %3$s) AS trend FROM %4$s AS h WHERE %6$s GROUP BY h.%1$I) AS hx ON %5$s',
            spec ->> 'history_key',
            salesplan_internal.binding_date_expr(hist, spec ->> 'history_reported', 'history report date column', binding_name, 'h', time_zone => spec ->> 'time_zone'),
            salesplan_internal.binding_date_expr(hist, spec ->> 'history_forecast', 'history forecast date column', binding_name, 'h', time_zone => spec ->> 'time_zone'),
            salesplan_internal.binding_relname(hist),
            salesplan_internal.binding_key_match('hx.key', hist_key_typ, pg_catalog.format('t.%I', spec ->> 'milestone_key'), key_typ),
            salesplan_internal.binding_row_filter(hist, 'h', spec, 'history_table', binding_name, false));
        trend_expr := 'hx.trend';
    END IF;
    -- the milestone of each row of the per-milestone view: the milestone
    -- key column (milestone_key, default id); a relation without the
    -- default id column gets the milestone's ordinal in its project instead
    has_key := EXISTS (SELECT 1 FROM pg_catalog.pg_attribute a WHERE a.attrelid = rel AND a.attname = key_col
                       AND a.attnum > 0 AND NOT a.attisdropped);
    IF has_key OR spec ? 'milestone_key' THEN
        PERFORM salesplan_internal.binding_column(rel, key_col, 'milestone key column', binding_name);
        out_key := key_col;
    ELSE
        out_key := 'milestone';
    END IF;
    IF out_key = project_col OR out_key::text = ANY (reserved || dims::text[] || ARRAY['project_name', 'milestone_name']) THEN
        RAISE EXCEPTION 'milestone key column "%" clashes with another column of the per-milestone view', out_key
            USING ERRCODE = 'duplicate_column',
                  HINT = 'Bind a milestone key column (milestone_key) whose name is not an output column, a dimension or the project column.';
    END IF;
    -- the project's and the milestone's names: text as it is, a translated
    -- jsonb name (Odoo 17 project_project.name) in en_US, else its first
    -- translation, a JSON string as it is
    FOREACH label_col IN ARRAY ARRAY['project', 'milestone'] LOOP
        CONTINUE WHEN NOT spec ? (label_col || '_label');
        typ := salesplan_internal.binding_column(rel, spec ->> (label_col || '_label'), label_col || ' label column', binding_name);
        IF (label_col || '_name') = ANY (reserved || dims::text[]) OR project_col = (label_col || '_name') OR out_key = (label_col || '_name') THEN
            RAISE EXCEPTION '% label column "%_name" clashes with another column of the view', label_col, label_col
                USING ERRCODE = 'duplicate_column',
                      HINT = pg_catalog.format('Leave the column holding the %s name out of dimensions, project_column and milestone_key when you bind it as %s_label.', label_col, label_col);
        END IF;
        typ := CASE WHEN typ IN ('jsonb'::regtype, 'json'::regtype) THEN 'jsonb'::regtype ELSE 'text'::regtype END;
        IF label_col = 'project' THEN
            label_expr := CASE WHEN typ = 'jsonb'::regtype THEN pg_catalog.format(
                    'CASE pg_catalog.jsonb_typeof(t.%1$I::pg_catalog.jsonb) WHEN ''object'' THEN coalesce(t.%1$I::pg_catalog.jsonb OPERATOR(pg_catalog.->>) ''en_US''::pg_catalog.text, '
                    || '(SELECT v.value FROM pg_catalog.jsonb_each_text(t.%1$I::pg_catalog.jsonb) AS v ORDER BY v.key LIMIT 1)) '
                    || 'WHEN ''string'' THEN t.%1$I::pg_catalog.jsonb OPERATOR(pg_catalog.#>>) ''{}''::pg_catalog.text[] END', spec ->> 'project_label')
                ELSE pg_catalog.format('t.%I::pg_catalog.text', spec ->> 'project_label') END;
        ELSE
            milestone_label_expr := CASE WHEN typ = 'jsonb'::regtype THEN pg_catalog.format(
                    'CASE pg_catalog.jsonb_typeof(t.%1$I::pg_catalog.jsonb) WHEN ''object'' THEN coalesce(t.%1$I::pg_catalog.jsonb OPERATOR(pg_catalog.->>) ''en_US''::pg_catalog.text, '
                    || '(SELECT v.value FROM pg_catalog.jsonb_each_text(t.%1$I::pg_catalog.jsonb) AS v ORDER BY v.key LIMIT 1)) '
                    || 'WHEN ''string'' THEN t.%1$I::pg_catalog.jsonb OPERATOR(pg_catalog.#>>) ''{}''::pg_catalog.text[] END', spec ->> 'milestone_label')
                ELSE pg_catalog.format('t.%I::pg_catalog.text', spec ->> 'milestone_label') END;
        END IF;
    END LOOP;
    as_of_expr := CASE WHEN spec ->> 'as_of' IS NULL THEN salesplan_internal.binding_today(spec ->> 'time_zone')
                       ELSE pg_catalog.format('%L::pg_catalog.date', (spec ->> 'as_of')::date) END;

    RETURN salesplan_internal.binding_dimension_parts(dims, relname) || pg_catalog.jsonb_build_object(
        'src', pg_catalog.format(
            'WITH a AS (SELECT %s AS as_of), '
            || 'src AS (SELECT t.%I AS project%s, %s AS planned, %s AS actual, %s AS weight, %s AS start, %s AS trend, %s AS project_label, '
            || '%s AS milestone, %s AS milestone_label FROM %s AS t%s WHERE %s), '
            || 'pp AS (SELECT src.project%s, salesplan.schedule_agg(src.planned, src.actual, src.weight, src.start) FILTER (WHERE src.planned IS NOT NULL) AS s, '
            || 'pg_catalog.count(*) FILTER (WHERE src.planned IS NULL) AS unplanned, pg_catalog.max(src.trend) AS worst_slip_trend, '
            || 'pg_catalog.max(src.project_label) AS project_label '
            || 'FROM src GROUP BY src.project%s)',
            as_of_expr, project_col,
            salesplan_internal.binding_dimension_parts(dims, relname) ->> 'dimension_columns',
            salesplan_internal.binding_date_expr(rel, spec ->> 'planned_column', 'planned date column', binding_name, time_zone => spec ->> 'time_zone'),
            actual_expr, weight_expr,
            salesplan_internal.binding_date_expr(rel, spec ->> 'start_column', 'project start column', binding_name, time_zone => spec ->> 'time_zone'),
            trend_expr, label_expr,
            CASE WHEN out_key = key_col THEN pg_catalog.format('t.%I', key_col) ELSE 'NULL::pg_catalog.int8' END,
            milestone_label_expr, relname, joins,
            salesplan_internal.binding_row_filter(rel, 't', spec, 'relation', binding_name, true),
            dim_keys, dim_keys),
        'source_note', pg_catalog.format(' (binding "%s" over %s)', binding_name, relname),
        'project_column', project_col,
        'project_ident', pg_catalog.quote_ident(project_col),
        -- the project's name, when bound (else the column is left out)
        'project_label_name', CASE WHEN spec ? 'project_label' THEN 'project_name' ELSE '' END,
        'project_label_ident', coalesce(pg_catalog.quote_ident(spec ->> 'project_label'), ''),
        -- the milestone: its key column, else its ordinal in the project
        'milestone_column', out_key,
        'milestone_expr', CASE WHEN out_key = key_col THEN 'm.milestone'
            ELSE '(pg_catalog.row_number() OVER (PARTITION BY m.project ORDER BY m.planned, m.actual, m.weight))::pg_catalog.int8' END,
        'milestone_group_key', CASE WHEN out_key = key_col
            THEN 'salesplan.group_key(m.project, m.milestone, pg_catalog.row_number() OVER (PARTITION BY m.project, m.milestone ORDER BY m.planned, m.actual, m.weight))'
            ELSE 'salesplan.group_key(m.project, pg_catalog.row_number() OVER (PARTITION BY m.project ORDER BY m.planned, m.actual, m.weight))' END,
        'milestone_note', CASE WHEN out_key = key_col THEN pg_catalog.format('column %s of %s', pg_catalog.quote_ident(key_col), relname)
            ELSE pg_catalog.format('ordinal of the milestone in its project by planned date, date reached and weight (%s has no column %s to bind as milestone_key)', relname, pg_catalog.quote_ident(key_col)) END,
        'milestone_label_name', CASE WHEN spec ? 'milestone_label' THEN 'milestone_name' ELSE '' END,
        'milestone_label_ident', coalesce(pg_catalog.quote_ident(spec ->> 'milestone_label'), ''));
END
$fn$;
COMMENT ON FUNCTION salesplan_internal.binding_milestone_parts(text, jsonb) IS
    'internal: the parts of the views of a milestone binding, from its spec (checks every relation and column it names)';

CREATE FUNCTION salesplan_internal.bind_milestones(
        binding_name text,
        target_schema name,
        relation regclass,
        project_column name,
        planned_column name,
        actual_column name,
        reached_column name,
        weight_column name,
        start_column name,
        dimensions name[],
        as_of date,
        history_table regclass,
        milestone_key name,
        history_key name,
        history_reported name,
        history_forecast name,
        materialized boolean,
        paradigm text,
        materialize_despite_row_security boolean,
        row_filter jsonb,
        deleted_column name,
        time_zone text,
        project_label name,
        milestone_label name)
    RETURNS SETOF text
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $fn$
BEGIN
    IF relation IS NULL THEN
        RAISE EXCEPTION 'binding "%" needs a relation', binding_name
            USING ERRCODE = 'null_value_not_allowed';
    END IF;
    IF as_of IS NOT NULL AND NOT pg_catalog.isfinite(as_of) THEN
        RAISE EXCEPTION 'as_of must be a finite date: %', as_of
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF history_table IS NOT NULL
       AND (history_key IS NULL OR history_reported IS NULL OR history_forecast IS NULL) THEN
        RAISE EXCEPTION 'history_table needs history_key, history_reported and history_forecast'
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'history_key holds the milestone key, history_reported the date of the report, history_forecast the date forecast in it.';
    END IF;
    PERFORM salesplan_internal.binding_check_row_filter(row_filter,
        ARRAY(SELECT u.r FROM ROWS FROM (pg_catalog.unnest(ARRAY['relation', 'history_table']), pg_catalog.unnest(ARRAY[relation::text, history_table::text])) AS u(r, v)
              WHERE u.v IS NOT NULL), binding_name);
    RETURN QUERY SELECT * FROM salesplan_internal.binding_store(binding_name, 'milestone', target_schema,
        pg_catalog.jsonb_build_object(
            'relation', salesplan_internal.binding_relname(relation),
            'project_column', project_column,
            'planned_column', planned_column,
            'actual_column', actual_column,
            'reached_column', reached_column,
            'weight_column', weight_column,
            'start_column', start_column,
            'dimensions', pg_catalog.to_jsonb(coalesce(dimensions, '{}')),
            'as_of', as_of,
            'history_table', salesplan_internal.binding_relname(history_table),
            'milestone_key', CASE WHEN history_table IS NOT NULL OR milestone_key IS DISTINCT FROM 'id' THEN milestone_key END,
            'history_key', history_key,
            'history_reported', history_reported,
            'history_forecast', history_forecast,
            'row_filter', row_filter,
            'deleted_column', deleted_column,
            'time_zone', time_zone,
            'project_label', project_label,
            'milestone_label', milestone_label),
        materialized, paradigm, materialize_despite_row_security);
END
$fn$;
COMMENT ON FUNCTION salesplan_internal.bind_milestones(text, name, regclass, name, name, name, name, name, name, name[], date, regclass, name, name, name, name, boolean, text, boolean, jsonb, name, text, name, name) IS
    'internal: implementation of salesplan.bind_milestones';

CREATE FUNCTION salesplan.bind_milestones(
        binding_name text,
        target_schema name,
        relation regclass,
        project_column name,
        planned_column name,
        actual_column name DEFAULT NULL,
        reached_column name DEFAULT NULL,
        weight_column name DEFAULT NULL,
        start_column name DEFAULT NULL,
        dimensions name[] DEFAULT '{}',
        as_of date DEFAULT NULL,
        history_table regclass DEFAULT NULL,
        milestone_key name DEFAULT 'id',
        history_key name DEFAULT NULL,
        history_reported name DEFAULT NULL,
        history_forecast name DEFAULT NULL,
        materialized boolean DEFAULT false,
        paradigm text DEFAULT 'project',
        materialize_despite_row_security boolean DEFAULT false,
        row_filter jsonb DEFAULT NULL,
        deleted_column name DEFAULT NULL,
        time_zone text DEFAULT NULL,
        project_label name DEFAULT NULL,
        milestone_label name DEFAULT NULL)
    RETURNS SETOF text
    AS 'MODULE_PATHNAME', 'salesplan_bind_milestones'
    LANGUAGE C VOLATILE;
COMMENT ON FUNCTION salesplan.bind_milestones(text, name, regclass, name, name, name, name, name, name, name[], date, regclass, name, name, name, name, boolean, text, boolean, jsonb, name, text, name, name) IS
    'binds a milestone table: creates views binding_name (variance per project), binding_name_portfolio (per dimension) and binding_name_milestones (per milestone) in target_schema';

-- ---------------------------------------------------------------------
-- generic: regenerate, unbind, refresh, pg_cron
-- ---------------------------------------------------------------------

-- is rel one of the views binding b created (same relation, still owned by
-- the binding's owner, of the binding's kind)?
CREATE FUNCTION salesplan_internal.binding_owns(b salesplan.binding, rel regclass) RETURNS boolean
    LANGUAGE sql STABLE
    SET search_path = pg_catalog, pg_temp
AS $fn$
    SELECT rel = ANY (b.objects)
       AND EXISTS (SELECT 1 FROM pg_catalog.pg_class c
                   WHERE c.oid = rel AND c.relowner = b.owner
                     AND c.relkind = CASE WHEN b.materialized THEN 'm' ELSE 'v' END)
$fn$;
COMMENT ON FUNCTION salesplan_internal.binding_owns(salesplan.binding, regclass) IS
    'internal: whether a relation is one the binding created (recorded in its objects, still owned by its owner, of its kind)';

-- drops the views a binding created (never anything else), as its owner;
-- with strict, a relation of another origin under one of its view names is
-- an error, otherwise it is left alone
CREATE FUNCTION salesplan_internal.binding_drop_objects(b salesplan.binding, keep_views boolean, strict boolean)
    RETURNS void
    LANGUAGE plpgsql VOLATILE
    SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    objs text[] := salesplan_internal.binding_objects(b.kind, b.name);
    i int;
    rel regclass;
BEGIN
    FOR i IN REVERSE pg_catalog.cardinality(objs) .. 1 LOOP
        rel := pg_catalog.to_regclass(pg_catalog.format('%I.%I', b.target_schema, objs[i]));
        CONTINUE WHEN rel IS NULL;
        IF NOT salesplan_internal.binding_owns(b, rel) THEN
            CONTINUE WHEN NOT strict;
            RAISE EXCEPTION 'relation %.% was not created by binding "%"',
                            pg_catalog.quote_ident(b.target_schema), pg_catalog.quote_ident(objs[i]), b.name
                USING ERRCODE = 'duplicate_table',
                      DETAIL = pg_catalog.format('It is owned by role %s.  salesplan replaces and drops only the views a binding created itself.',
                                                 (SELECT pg_catalog.pg_get_userbyid(c.relowner) FROM pg_catalog.pg_class c WHERE c.oid = rel)),
                      HINT = 'Rename or drop that relation, or unbind this binding and bind again under another name or in another schema.';
        END IF;
        CONTINUE WHEN keep_views AND NOT b.materialized;
        PERFORM salesplan_internal.binding_execute_as(b.owner,
            pg_catalog.format('DROP %s %I.%I', CASE WHEN b.materialized THEN 'MATERIALIZED VIEW' ELSE 'VIEW' END,
                              b.target_schema, objs[i]));
    END LOOP;
END
$fn$;
COMMENT ON FUNCTION salesplan_internal.binding_drop_objects(salesplan.binding, boolean, boolean) IS
    'internal: drops, as the binding''s owner, the views the binding created (views only unless keep_views; no CASCADE); with strict, 42P07 for a relation of another origin under one of its names';

-- relations a binding reads, and the relations the views among them read
CREATE FUNCTION salesplan_internal.binding_read_relations(spec jsonb) RETURNS regclass[]
    LANGUAGE sql STABLE
    SET search_path = pg_catalog, pg_temp
AS $fn$
    WITH RECURSIVE r(rel) AS (
        SELECT pg_catalog.to_regclass(spec ->> k)
        FROM pg_catalog.unnest(ARRAY['relation', 'stage_table', 'history_table', 'entity_table',
                                     'activities', 'opportunities', 'proposals']) AS k
        WHERE spec ->> k IS NOT NULL AND pg_catalog.to_regclass(spec ->> k) IS NOT NULL
        UNION
        SELECT d.refobjid::regclass
        FROM r
        JOIN pg_catalog.pg_rewrite w ON w.ev_class = r.rel
        JOIN pg_catalog.pg_depend d ON d.classid = 'pg_catalog.pg_rewrite'::regclass AND d.objid = w.oid
                                   AND d.refclassid = 'pg_catalog.pg_class'::regclass AND d.refobjid <> r.rel
    )
    SELECT coalesce(pg_catalog.array_agg(DISTINCT r.rel), '{}') FROM r
$fn$;
COMMENT ON FUNCTION salesplan_internal.binding_read_relations(jsonb) IS
    'internal: the relations a binding spec names, and recursively the relations the views among them read';

-- a materialized binding over a relation with row-level security needs the
-- explicit opt-in
CREATE FUNCTION salesplan_internal.binding_check_row_security(b salesplan.binding) RETURNS void
    LANGUAGE plpgsql STABLE
    SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    rls text;
BEGIN
    IF NOT b.materialized OR b.materialize_despite_row_security THEN
        RETURN;
    END IF;
    SELECT pg_catalog.string_agg(salesplan_internal.binding_relname(c.oid), ', ' ORDER BY 1)
      INTO rls
    FROM pg_catalog.pg_class c
    WHERE c.oid = ANY (salesplan_internal.binding_read_relations(b.spec)) AND c.relrowsecurity;
    IF rls IS NOT NULL THEN
        RAISE EXCEPTION 'materialized binding "%" reads %, which has row-level security enabled', b.name, rls
            USING ERRCODE = 'insufficient_privilege',
                  DETAIL = pg_catalog.format('A materialized view holds the rows its owner (role %s) can see, and row-level security does not filter them again for the roles that read it.', b.owner),
                  HINT = 'Bind plain views (materialized => false), which apply the row-level security of each reader, or pass materialize_despite_row_security => true if every reader of the views may see all of those rows.';
    END IF;
END
$fn$;
COMMENT ON FUNCTION salesplan_internal.binding_check_row_security(salesplan.binding) IS
    'internal: insufficient_privilege (42501) when a materialized binding without materialize_despite_row_security reads a relation with row-level security (directly or through a view)';

-- rebuilds the views of one binding, with the rights of its owner
CREATE FUNCTION salesplan_internal.binding_regenerate_one(b salesplan.binding)
    RETURNS SETOF text
    LANGUAGE plpgsql VOLATILE
    SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    views jsonb;
    v jsonb;
    acls jsonb;
    created regclass[] := '{}';
BEGIN
    PERFORM salesplan_internal.binding_act_as(b.owner);
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_namespace s WHERE s.nspname = b.target_schema) THEN
        RAISE EXCEPTION 'schema "%" does not exist', b.target_schema
            USING ERRCODE = 'invalid_schema_name',
                  DETAIL = pg_catalog.format('It is the target schema of binding "%s".', b.name),
                  HINT = pg_catalog.format('CREATE SCHEMA %I;', b.target_schema);
    END IF;
    IF NOT pg_catalog.has_schema_privilege(b.owner, b.target_schema, 'CREATE') THEN
        RAISE EXCEPTION 'permission denied for schema %', pg_catalog.quote_ident(b.target_schema)
            USING ERRCODE = 'insufficient_privilege',
                  DETAIL = pg_catalog.format('Binding "%s" creates its views there, and its owner, role %s, may not create objects in it.', b.name, b.owner),
                  HINT = 'GRANT CREATE on the schema to the binding''s owner, or bind into another schema.';
    END IF;
    -- the SQL of every view, checking that the owner may read every
    -- relation and column (binding_relation, binding_column)
    SELECT pg_catalog.jsonb_agg(pg_catalog.to_jsonb(x)) INTO views
    FROM salesplan_internal.binding_views(b.name, b.kind, b.spec, b.paradigm) AS x;
    PERFORM salesplan_internal.binding_check_row_security(b);
    -- plain views are replaced in place (CREATE OR REPLACE VIEW), so views
    -- built on them survive; materialized views are dropped and rebuilt
    -- with the grants they had
    SELECT pg_catalog.jsonb_object_agg(c.relname, c.relacl::text) INTO acls
    FROM pg_catalog.pg_class c
    WHERE b.materialized AND c.relacl IS NOT NULL
      AND c.oid = ANY (b.objects) AND salesplan_internal.binding_owns(b, c.oid::regclass);
    PERFORM salesplan_internal.binding_drop_objects(b, NOT b.materialized, true);
    FOR v IN SELECT * FROM pg_catalog.jsonb_array_elements(views) LOOP
        created := created || salesplan_internal.binding_create_object(b.owner, b.target_schema,
            v ->> 'object_name', v ->> 'query', b.materialized,
            ARRAY(SELECT pg_catalog.jsonb_array_elements_text(v -> 'unique_key')),
            v ->> 'object_comment', v -> 'column_comments',
            (acls ->> (v ->> 'object_name'))::aclitem[]);
        RETURN NEXT pg_catalog.format('%I.%I', b.target_schema, v ->> 'object_name');
    END LOOP;
    UPDATE salesplan.binding AS x SET objects = created WHERE x.name = b.name;
END
$fn$;
COMMENT ON FUNCTION salesplan_internal.binding_regenerate_one(salesplan.binding) IS
    'internal: recreates the views of one binding as its owner, checking the owner''s privileges, row-level security and that only the binding''s own views are replaced; returns the views created';

CREATE FUNCTION salesplan_internal.regenerate(binding_name text)
    RETURNS SETOF text
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    caller regrole := salesplan_internal.binding_caller();
    b salesplan.binding;
    n int := 0;
    other_owner regrole;
    presets text[] := '{}';
BEGIN
    FOR b IN
        SELECT * FROM salesplan.binding AS x
        WHERE (binding_name IS NULL OR x.name = binding_name)
          AND salesplan_internal.binding_may_act(x, caller)
        ORDER BY x.name
        FOR UPDATE
    LOOP
        n := n + 1;
        -- a binding left behind by a dropped role: an error when named, a
        -- WARNING (and the others rebuilt) when rebuilding every binding
        CONTINUE WHEN NOT salesplan_internal.binding_check_owner(b, binding_name IS NULL);
        -- a recorded zone the server's tz database lost: the same
        CONTINUE WHEN NOT salesplan_internal.binding_check_time_zone(b, binding_name IS NULL);
        IF b.needs_review THEN
            -- carried over from 0.1, where any role granted UPDATE could
            -- have written its spec: rebuilt only when named
            IF binding_name IS NULL THEN
                RAISE WARNING 'binding "%" skipped: it needs review', b.name
                    USING DETAIL = 'It was carried over from salesplan 0.1, where any role granted INSERT or UPDATE on salesplan.binding could write its spec.',
                          HINT = pg_catalog.format('Check its spec (SELECT spec FROM salesplan.binding WHERE name = %L), then run salesplan.regenerate(%L) as its owner or a superuser.', b.name, b.name);
                CONTINUE;
            END IF;
            UPDATE salesplan.binding AS x SET needs_review = false WHERE x.name = b.name;
            b.needs_review := false;
        END IF;
        -- a preset's binding: its source views first, once per call
        IF b.preset IS NOT NULL
           AND NOT pg_catalog.format('%I.%I', b.target_schema, b.preset ->> 'prefix') = ANY (presets) THEN
            RETURN QUERY SELECT * FROM salesplan_internal.preset_regenerate(b);
            presets := presets || pg_catalog.format('%I.%I', b.target_schema, b.preset ->> 'prefix');
        END IF;
        RETURN QUERY SELECT * FROM salesplan_internal.binding_regenerate_one(b);
    END LOOP;
    IF n = 0 AND binding_name IS NOT NULL THEN
        -- one lookup: a binding that exists but is not the caller's
        SELECT x.owner INTO other_owner FROM salesplan.binding AS x WHERE x.name = binding_name;
    END IF;
    IF other_owner IS NOT NULL THEN
        RAISE EXCEPTION 'permission denied to regenerate binding "%"', binding_name
            USING ERRCODE = 'insufficient_privilege',
                  DETAIL = pg_catalog.format('It is owned by role %s: it is rebuilt as that role, so only that role, a member of it or a superuser may regenerate it.',
                                             other_owner),
                  HINT = 'The owner of its target schema may unbind it.';
    END IF;
    IF n = 0 AND binding_name IS NOT NULL THEN
        RAISE EXCEPTION 'binding "%" does not exist', binding_name
            USING ERRCODE = 'undefined_object',
                  HINT = 'SELECT name FROM salesplan.binding lists your bindings.';
    END IF;
END
$fn$;
COMMENT ON FUNCTION salesplan_internal.regenerate(text) IS
    'internal: implementation of salesplan.regenerate (bindings the caller may act on, each rebuilt as its owner; a preset''s source views before its first binding)';

CREATE FUNCTION salesplan.regenerate(binding_name text DEFAULT NULL)
    RETURNS SETOF text
    AS 'MODULE_PATHNAME', 'salesplan_regenerate'
    LANGUAGE C VOLATILE;
COMMENT ON FUNCTION salesplan.regenerate(text) IS
    'recreates the views of one binding (or, when NULL, of every binding the caller may act on) from salesplan.binding, as each binding''s owner; returns the views created';

CREATE FUNCTION salesplan_internal.binding_views(binding_name text, kind text, spec jsonb, declared text)
    RETURNS TABLE (object_name text, query text, unique_key text[],
                   object_comment text, column_comments jsonb)
    LANGUAGE plpgsql STABLE
    SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    parts jsonb;
    dims text[];
    n int;
    v record;
    c record;
    cols text;
    col_name text;
    i int;
BEGIN
    -- the parts of this binding: checks every relation and column it names
    parts := CASE kind
        WHEN 'funnel' THEN salesplan_internal.binding_funnel_parts(binding_name, spec, declared)
        WHEN 'window_funnel' THEN salesplan_internal.binding_window_funnel_parts(binding_name, spec)
        WHEN 'coverage' THEN salesplan_internal.binding_coverage_parts(binding_name, spec)
        WHEN 'milestone' THEN salesplan_internal.binding_milestone_parts(binding_name, spec)
    END;
    dims := ARRAY(SELECT x FROM pg_catalog.jsonb_array_elements_text(parts -> 'dimensions') WITH ORDINALITY AS e(x, o)
                  ORDER BY o);
    n := pg_catalog.cardinality(dims);
    FOR v IN
        SELECT * FROM salesplan_internal.binding_view_kinds() AS k
        WHERE k.kind = binding_views.kind ORDER BY k."position"
    LOOP
        cols := '';
        column_comments := '{}';
        FOR c IN
            SELECT * FROM salesplan_internal.binding_view_column_list(v.kind || v.suffix) AS x ORDER BY x.ordinal
        LOOP
            IF c.column_name = '@dimensions' THEN
                FOR i IN 1 .. n LOOP
                    cols := cols || pg_catalog.format(', %I.d%s AS %I', c.expression, i, dims[i]);
                    column_comments := column_comments || pg_catalog.jsonb_build_object(dims[i],
                        pg_catalog.format('dimension: column %s of %s', pg_catalog.quote_ident(dims[i]),
                                          parts ->> 'dimension_source'));
                END LOOP;
                CONTINUE;
            END IF;
            col_name := salesplan_internal.binding_render(c.column_name, parts, n);
            -- an optional column (a label) whose name part is empty: left out
            CONTINUE WHEN col_name = '';
            cols := cols || pg_catalog.format(', %s AS %I',
                CASE WHEN c.column_type IS NULL THEN salesplan_internal.binding_render(c.expression, parts, n)
                     ELSE pg_catalog.format('(%s)::pg_catalog.%s', salesplan_internal.binding_render(c.expression, parts, n),
                                            salesplan_internal.binding_render(c.column_type, parts, n)) END,
                col_name);
            column_comments := column_comments || pg_catalog.jsonb_build_object(col_name,
                salesplan_internal.binding_render(c.description, parts, n));
        END LOOP;
        object_name := binding_name || v.suffix;
        query := (parts ->> 'src') || salesplan_internal.binding_render(v.ctes, parts, n)
                 || ' SELECT ' || pg_catalog.substr(cols, 3) || ' '
                 || salesplan_internal.binding_render(v.from_clause, parts, n);
        unique_key := v.unique_key;
        object_comment := salesplan_internal.binding_render(v.object_comment, parts, n);
        RETURN NEXT;
    END LOOP;
END
$fn$;
COMMENT ON FUNCTION salesplan_internal.binding_views(text, text, jsonb, text) IS
    'internal: SQL of the views of a binding of any kind: the descriptions of binding_view_kinds and binding_view_columns rendered with the parts of its spec';

-- stores a new binding owned by the caller and creates its views
CREATE FUNCTION salesplan_internal.binding_store(binding_name text, kind text, target_schema name, spec jsonb,
                                                 materialized boolean, paradigm text,
                                                 materialize_despite_row_security boolean)
    RETURNS SETOF text
    LANGUAGE plpgsql VOLATILE
    SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    caller regrole := salesplan_internal.binding_caller();
    obj text;
    b salesplan.binding;
BEGIN
    IF binding_name IS NULL OR binding_name = '' OR pg_catalog.octet_length(binding_name) > 48 THEN
        RAISE EXCEPTION 'invalid binding name "%"', binding_name
            USING ERRCODE = 'invalid_name',
                  DETAIL = 'A binding name is 1 to 48 bytes long, so that every view and index named after it fits in 63 bytes.';
    END IF;
    IF target_schema IS NULL THEN
        RAISE EXCEPTION 'binding "%" needs a target schema', binding_name
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_namespace s WHERE s.nspname = target_schema) THEN
        RAISE EXCEPTION 'schema "%" does not exist', target_schema
            USING ERRCODE = 'invalid_schema_name',
                  HINT = pg_catalog.format('CREATE SCHEMA %I;', target_schema);
    END IF;
    IF NOT pg_catalog.has_schema_privilege(caller, target_schema, 'CREATE') THEN
        RAISE EXCEPTION 'permission denied for schema %', pg_catalog.quote_ident(target_schema)
            USING ERRCODE = 'insufficient_privilege',
                  DETAIL = pg_catalog.format('Binding "%s" would create its views there, and role %s may not create objects in it.', binding_name, caller),
                  HINT = 'Bind into a schema you may create objects in, or ask its owner to GRANT CREATE on it.';
    END IF;
    IF paradigm IS NULL OR paradigm NOT IN ('probability', 'behavior', 'project') THEN
        RAISE EXCEPTION 'invalid paradigm "%"', paradigm
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'Use probability, behavior or project.';
    END IF;
    IF EXISTS (SELECT 1 FROM salesplan.binding AS x WHERE x.name = binding_name
               AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles r WHERE r.oid = x.owner)) THEN
        RAISE EXCEPTION 'binding "%" already exists', binding_name
            USING ERRCODE = 'duplicate_object',
                  DETAIL = 'Its owner role was dropped; the binding was left behind.',
                  HINT = pg_catalog.format('A superuser or the owner of its target schema can remove it with SELECT salesplan.unbind(%L);, or choose another name.', binding_name);
    END IF;
    IF EXISTS (SELECT 1 FROM salesplan.binding AS x WHERE x.name = binding_name) THEN
        RAISE EXCEPTION 'binding "%" already exists', binding_name
            USING ERRCODE = 'duplicate_object',
                  HINT = 'Binding names are unique across roles: drop yours first with salesplan.unbind(), or choose another name.';
    END IF;
    FOREACH obj IN ARRAY salesplan_internal.binding_objects(kind, binding_name) LOOP
        IF pg_catalog.to_regclass(pg_catalog.format('%I.%I', target_schema, obj)) IS NOT NULL THEN
            RAISE EXCEPTION 'relation %.% already exists', pg_catalog.quote_ident(target_schema),
                            pg_catalog.quote_ident(obj)
                USING ERRCODE = 'duplicate_table',
                      DETAIL = pg_catalog.format('Binding "%s" would create it.', binding_name),
                      HINT = 'Choose another binding name or target schema.';
        END IF;
    END LOOP;
    -- the time zone on whose calendar the views turn timestamptz columns
    -- into periods and dates (and CURRENT_DATE into a day): the time_zone
    -- argument, else the session's at bind time, recorded so that
    -- regenerate, a refresh and every node of a cluster use the same one
    spec := spec || pg_catalog.jsonb_build_object('time_zone', salesplan_internal.binding_time_zone(
        coalesce(spec ->> 'time_zone', pg_catalog.current_setting('TimeZone')), binding_name,
        spec ->> 'time_zone' IS NULL));
    INSERT INTO salesplan.binding AS x (name, kind, target_schema, spec, materialized, paradigm, owner,
                                        materialize_despite_row_security)
    VALUES (binding_name, kind, target_schema, pg_catalog.jsonb_strip_nulls(spec),
            coalesce(materialized, false), paradigm, caller,
            coalesce(materialize_despite_row_security, false))
    RETURNING x.* INTO b;
    RETURN QUERY SELECT * FROM salesplan_internal.binding_regenerate_one(b);
    -- the filter and outcome values as this session read them for the new
    -- views, recorded canonically: a regenerate in a session with another
    -- DateStyle reads the same values
    UPDATE salesplan.binding AS x SET spec = salesplan_internal.binding_canonical_spec(b.kind, x.spec, caller)
    WHERE x.name = binding_name;
END
$fn$;
COMMENT ON FUNCTION salesplan_internal.binding_store(text, text, name, jsonb, boolean, text, boolean) IS
    'internal: validates and stores a new binding owned by the calling role, then creates its views';

CREATE FUNCTION salesplan_internal.bind_funnel(
        binding_name text,
        target_schema name,
        relation regclass,
        stage_column name,
        amount_column name,
        period_column name,
        period text,
        dimensions name[],
        stage_order text[],
        stage_table regclass,
        stage_key name,
        stage_sequence name,
        stage_label name,
        stages integer,
        history_table regclass,
        history_key name,
        history_stage name,
        entity_key name,
        won_column name,
        lost_column name,
        active_column name,
        closed_column name,
        account_column name,
        opened_column name,
        closed_date_column name,
        materialized boolean,
        paradigm text,
        materialize_despite_row_security boolean,
        row_filter jsonb,
        deleted_column name,
        outcome_column name,
        won_values text[],
        lost_values text[],
        stage_won_column name,
        stage_closed_column name,
        language text,
        win_horizon interval,
        history_time name,
        time_zone text)
    RETURNS SETOF text
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $fn$
BEGIN
    IF relation IS NULL THEN
        RAISE EXCEPTION 'binding "%" needs a relation', binding_name
            USING ERRCODE = 'null_value_not_allowed';
    END IF;
    IF stage_order IS NOT NULL AND stage_table IS NOT NULL THEN
        RAISE EXCEPTION 'stage_order and stage_table are exclusive'
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'Give stage_order when the stage column holds names, stage_table when it holds a key of a stage table, neither for ordinals.';
    END IF;
    IF stage_order IS NOT NULL THEN
        IF pg_catalog.cardinality(stage_order) = 0 OR pg_catalog.array_position(stage_order, NULL) IS NOT NULL
           OR (SELECT pg_catalog.count(DISTINCT x) FROM pg_catalog.unnest(stage_order) AS x)
              <> pg_catalog.cardinality(stage_order)
           OR pg_catalog.array_ndims(stage_order) <> 1 THEN
            RAISE EXCEPTION 'stage_order must list distinct, non-NULL stage names: %', stage_order
                USING ERRCODE = 'invalid_parameter_value';
        END IF;
        IF pg_catalog.cardinality(stage_order) > 1000 THEN
            RAISE EXCEPTION 'stage_order lists % stages, more than 1000', pg_catalog.cardinality(stage_order)
                USING ERRCODE = 'invalid_parameter_value';
        END IF;
    END IF;
    IF stages IS NOT NULL AND (stages < 1 OR stages > 1000) THEN
        RAISE EXCEPTION 'stages must be between 1 and 1000: %', stages
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF stages IS NOT NULL AND (stage_order IS NOT NULL OR stage_table IS NOT NULL) THEN
        RAISE EXCEPTION 'stages applies to ordinal stages only'
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'With stage_order or stage_table the number of stages is the number listed.';
    END IF;
    IF history_table IS NOT NULL AND history_key IS NULL THEN
        RAISE EXCEPTION 'history_table needs history_key'
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'history_key is the column of the history table that holds the entity key (OpportunityId, say).';
    END IF;
    IF (won_values IS NOT NULL AND (pg_catalog.cardinality(won_values) = 0 OR pg_catalog.array_position(won_values, NULL) IS NOT NULL))
       OR (lost_values IS NOT NULL AND (pg_catalog.cardinality(lost_values) = 0 OR pg_catalog.array_position(lost_values, NULL) IS NOT NULL)) THEN
        RAISE EXCEPTION 'won_values and lost_values must list non-NULL values'
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF outcome_column IS NOT NULL AND won_values IS NULL AND lost_values IS NULL THEN
        RAISE EXCEPTION 'outcome_column needs won_values or lost_values'
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'won_values and lost_values list the values of the outcome column (of the stage column when none is given) that mean won and lost.';
    END IF;
    IF (stage_won_column IS NOT NULL OR stage_closed_column IS NOT NULL) AND stage_table IS NULL THEN
        RAISE EXCEPTION 'stage_won_column and stage_closed_column need a stage_table'
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'They name boolean columns of the stage table (Salesforce "IsWon" and "IsClosed", Odoo is_won).';
    END IF;
    IF stage_closed_column IS NOT NULL AND stage_won_column IS NULL THEN
        RAISE EXCEPTION 'stage_closed_column needs stage_won_column'
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'A closed stage that is not won is a lost stage: the won flag tells them apart.';
    END IF;
    -- the horizon of the censoring-aware rates, in whole days as
    -- salesplan.win_probability reads it (a month counts 30 days)
    IF win_horizon IS NOT NULL AND (NOT pg_catalog.isfinite(win_horizon)
                                    OR pg_catalog.date_part('epoch', win_horizon) < 86400) THEN
        RAISE EXCEPTION 'win_horizon must be a finite interval of at least one day: %', win_horizon
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'Give the horizon of the win probability, such as 90 days, or NULL for the eventual rate.';
    END IF;
    -- the dated stage history of the per-stage censoring-aware conversion:
    -- an entity that does not advance is lost on its closed date or still
    -- open, so the binding must tell lost and date it
    IF history_time IS NOT NULL AND history_table IS NULL THEN
        RAISE EXCEPTION 'history_time needs history_table'
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'history_time is the column of the stage-history table that says when the entity entered the stage (CreatedDate of OpportunityHistory, say).';
    END IF;
    IF history_time IS NOT NULL AND (closed_date_column IS NULL
            OR (lost_column IS NULL AND lost_values IS NULL AND active_column IS NULL
                AND closed_column IS NULL AND stage_closed_column IS NULL)) THEN
        RAISE EXCEPTION 'history_time needs closed_date_column and a lost mark'
            USING ERRCODE = 'invalid_parameter_value',
                  DETAIL = 'An entity that does not advance out of a stage is lost on its closed date, or still open: without both, a loss would count as open for ever.',
                  HINT = 'Give closed_date_column and one of lost_column, lost_values, active_column, closed_column or stage_closed_column.';
    END IF;
    PERFORM salesplan_internal.binding_check_row_filter(row_filter,
        ARRAY(SELECT u.r FROM ROWS FROM (pg_catalog.unnest(ARRAY['relation', 'stage_table', 'history_table']), pg_catalog.unnest(ARRAY[relation::text, stage_table::text, history_table::text])) AS u(r, v)
              WHERE u.v IS NOT NULL), binding_name);
    RETURN QUERY SELECT * FROM salesplan_internal.binding_store(binding_name, 'funnel', target_schema,
        pg_catalog.jsonb_build_object(
            'relation', salesplan_internal.binding_relname(relation),
            'stage_column', stage_column,
            'amount_column', amount_column,
            'period_column', period_column,
            'period', CASE WHEN period_column IS NOT NULL THEN period END,
            'dimensions', pg_catalog.to_jsonb(coalesce(dimensions, '{}')),
            'stage_order', pg_catalog.to_jsonb(stage_order),
            'stage_table', salesplan_internal.binding_relname(stage_table),
            'stage_key', CASE WHEN stage_table IS NOT NULL THEN stage_key END,
            'stage_sequence', CASE WHEN stage_table IS NOT NULL THEN stage_sequence END,
            'stage_label', CASE WHEN stage_table IS NOT NULL THEN stage_label END,
            'stages', stages,
            'history_table', salesplan_internal.binding_relname(history_table),
            'history_key', history_key,
            'history_stage', CASE WHEN history_table IS NOT NULL THEN coalesce(history_stage, stage_column) END,
            'entity_key', CASE WHEN history_table IS NOT NULL THEN entity_key END,
            'won_column', won_column,
            'lost_column', lost_column,
            'active_column', active_column,
            'closed_column', closed_column,
            'account_column', account_column,
            'opened_column', opened_column,
            'closed_date_column', closed_date_column,
            'row_filter', row_filter,
            'deleted_column', deleted_column,
            'typed_money', true,
            'language', CASE WHEN stage_table IS NOT NULL AND language <> 'en_US' THEN language END,
            'outcome_column', outcome_column,
            'won_values', pg_catalog.to_jsonb(won_values),
            'lost_values', pg_catalog.to_jsonb(lost_values),
            'stage_won_column', stage_won_column,
            'stage_closed_column', stage_closed_column,
            'history_time', CASE WHEN history_table IS NOT NULL THEN history_time END,
            -- (longer than the longest duration reads as the eventual rate)
            'win_horizon_days', CASE WHEN win_horizon IS NOT NULL THEN
                LEAST(pg_catalog.floor(pg_catalog.date_part('epoch', win_horizon) / 86400), 2147483647)::pg_catalog.int8 END,
            'time_zone', time_zone),
        materialized, paradigm, materialize_despite_row_security);
END
$fn$;
COMMENT ON FUNCTION salesplan_internal.bind_funnel(text, name, regclass, name, name, name, text, name[], text[], regclass, name, name, name, integer, regclass, name, name, name, name, name, name, name, name, name, name, boolean, text, boolean, jsonb, name, name, text[], text[], name, name, text, interval, name, text) IS
    'internal: implementation of salesplan.bind_funnel';

CREATE FUNCTION salesplan.bind_funnel(
        binding_name text,
        target_schema name,
        relation regclass,
        stage_column name,
        amount_column name DEFAULT NULL,
        period_column name DEFAULT NULL,
        period text DEFAULT 'month',
        dimensions name[] DEFAULT '{}',
        stage_order text[] DEFAULT NULL,
        stage_table regclass DEFAULT NULL,
        stage_key name DEFAULT 'id',
        stage_sequence name DEFAULT 'sequence',
        stage_label name DEFAULT 'name',
        stages integer DEFAULT NULL,
        history_table regclass DEFAULT NULL,
        history_key name DEFAULT NULL,
        history_stage name DEFAULT NULL,
        entity_key name DEFAULT 'id',
        won_column name DEFAULT NULL,
        lost_column name DEFAULT NULL,
        active_column name DEFAULT NULL,
        closed_column name DEFAULT NULL,
        account_column name DEFAULT NULL,
        opened_column name DEFAULT NULL,
        closed_date_column name DEFAULT NULL,
        materialized boolean DEFAULT false,
        paradigm text DEFAULT 'probability',
        materialize_despite_row_security boolean DEFAULT false,
        row_filter jsonb DEFAULT NULL,
        deleted_column name DEFAULT NULL,
        outcome_column name DEFAULT NULL,
        won_values text[] DEFAULT NULL,
        lost_values text[] DEFAULT NULL,
        stage_won_column name DEFAULT NULL,
        stage_closed_column name DEFAULT NULL,
        language text DEFAULT 'en_US',
        win_horizon interval DEFAULT NULL,
        history_time name DEFAULT NULL,
        time_zone text DEFAULT NULL)
    RETURNS SETOF text
    AS 'MODULE_PATHNAME', 'salesplan_bind_funnel'
    LANGUAGE C VOLATILE;
COMMENT ON FUNCTION salesplan.bind_funnel(text, name, regclass, name, name, name, text, name[], text[], regclass, name, name, name, integer, regclass, name, name, name, name, name, name, name, name, name, name, boolean, text, boolean, jsonb, name, name, text[], text[], name, name, text, interval, name, text) IS
    'binds a table of leads or opportunities: creates views binding_name (funnel per period and dimension), binding_name_stages (per stage) and binding_name_fit (paradigm fit) in target_schema';

CREATE FUNCTION salesplan_internal.unbind(binding_name text, drop_views boolean)
    RETURNS boolean
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    caller regrole := salesplan_internal.binding_caller();
    b salesplan.binding;
BEGIN
    SELECT * INTO b FROM salesplan.binding AS x
    WHERE x.name = binding_name
      AND (salesplan_internal.binding_may_act(x, caller)
           OR EXISTS (SELECT 1 FROM pg_catalog.pg_namespace n
                      WHERE n.nspname = x.target_schema
                        AND pg_catalog.pg_has_role(caller, n.nspowner, 'USAGE')))
    FOR UPDATE;
    IF NOT FOUND THEN
        RETURN false;
    END IF;
    IF b.refresh_cron IS NOT NULL
       AND EXISTS (SELECT 1 FROM pg_catalog.pg_extension e WHERE e.extname = 'pg_cron') THEN
        PERFORM salesplan_internal.binding_drop_job(b);
    END IF;
    IF coalesce(drop_views, true) THEN
        PERFORM salesplan_internal.binding_drop_objects(b, false, false);
    END IF;
    DELETE FROM salesplan.binding AS x WHERE x.name = b.name;
    -- the last binding of a preset takes the preset's source views with it
    IF b.preset IS NOT NULL AND coalesce(drop_views, true)
       AND NOT EXISTS (SELECT 1 FROM salesplan.binding AS x
                       WHERE x.target_schema = b.target_schema AND x.preset ->> 'prefix' = b.preset ->> 'prefix') THEN
        PERFORM salesplan_internal.preset_drop_views(b);
    END IF;
    RETURN true;
END
$fn$;
COMMENT ON FUNCTION salesplan_internal.unbind(text, boolean) IS
    'internal: implementation of salesplan.unbind';

CREATE FUNCTION salesplan.unbind(binding_name text, drop_views boolean DEFAULT true)
    RETURNS boolean
    AS 'MODULE_PATHNAME', 'salesplan_unbind'
    LANGUAGE C VOLATILE;
COMMENT ON FUNCTION salesplan.unbind(text, boolean) IS
    'forgets a binding the caller may act on (false when there is none), removes its refresh job and, unless drop_views is false, drops the views it created';

CREATE FUNCTION salesplan_internal.refresh(binding_name text, concurrent boolean)
    RETURNS SETOF text
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    caller regrole := salesplan_internal.binding_caller();
    b salesplan.binding;
    obj text;
    rel regclass;
    n int := 0;
    other_owner regrole;
BEGIN
    FOR b IN
        SELECT * FROM salesplan.binding AS x
        WHERE (binding_name IS NULL OR x.name = binding_name)
          AND salesplan_internal.binding_may_act(x, caller)
        ORDER BY x.name
    LOOP
        n := n + 1;
        CONTINUE WHEN NOT salesplan_internal.binding_check_owner(b, binding_name IS NULL);
        CONTINUE WHEN b.materialized AND NOT salesplan_internal.binding_check_time_zone(b, binding_name IS NULL);
        IF NOT b.materialized THEN
            IF binding_name IS NOT NULL THEN
                RAISE EXCEPTION 'binding "%" is not materialized', binding_name
                    USING ERRCODE = 'wrong_object_type',
                          HINT = 'Its views are plain views and always current.';
            END IF;
            CONTINUE;
        END IF;
        PERFORM salesplan_internal.binding_check_row_security(b);
        FOREACH obj IN ARRAY salesplan_internal.binding_objects(b.kind, b.name) LOOP
            rel := pg_catalog.to_regclass(pg_catalog.format('%I.%I', b.target_schema, obj));
            IF rel IS NULL OR NOT salesplan_internal.binding_owns(b, rel) THEN
                RAISE EXCEPTION 'materialized view %.% of binding "%" is missing or was not created by it',
                                pg_catalog.quote_ident(b.target_schema), pg_catalog.quote_ident(obj), b.name
                    USING ERRCODE = 'undefined_table',
                          HINT = pg_catalog.format('Recreate it with SELECT salesplan.regenerate(%L).', b.name);
            END IF;
            -- REFRESH runs the query as the view's owner, the binding's owner,
            -- in a security-restricted operation
            EXECUTE pg_catalog.format('REFRESH MATERIALIZED VIEW %s%I.%I',
                                      CASE WHEN coalesce(concurrent, true) THEN 'CONCURRENTLY ' ELSE '' END,
                                      b.target_schema, obj);
            RETURN NEXT pg_catalog.format('%I.%I', b.target_schema, obj);
        END LOOP;
    END LOOP;
    IF n = 0 AND binding_name IS NOT NULL THEN
        -- a binding that exists (salesplan.binding is readable by all) but
        -- that the caller may not act on: say so
        SELECT x.owner INTO other_owner FROM salesplan.binding AS x WHERE x.name = binding_name;
        IF other_owner IS NOT NULL THEN
            RAISE EXCEPTION 'permission denied to refresh binding "%"', binding_name
                USING ERRCODE = 'insufficient_privilege',
                      DETAIL = pg_catalog.format('It is owned by role %s: its views are refreshed as that role, so only that role, a member of it or a superuser may refresh it.',
                                                 other_owner),
                      HINT = 'The owner of its target schema may unbind it.';
        END IF;
        RAISE EXCEPTION 'binding "%" does not exist', binding_name
            USING ERRCODE = 'undefined_object',
                  HINT = 'SELECT name FROM salesplan.binding lists the bindings.';
    END IF;
END
$fn$;
COMMENT ON FUNCTION salesplan_internal.refresh(text, boolean) IS
    'internal: implementation of salesplan.refresh';

CREATE FUNCTION salesplan.refresh(binding_name text DEFAULT NULL, concurrent boolean DEFAULT true)
    RETURNS SETOF text
    AS 'MODULE_PATHNAME', 'salesplan_refresh'
    LANGUAGE C VOLATILE;
COMMENT ON FUNCTION salesplan.refresh(text, boolean) IS
    'refreshes the materialized views of one binding (or of every materialized binding the caller may act on), concurrently by default, with the rows their owner may see; returns the views refreshed';

-- the schema of pg_cron, or a clear error when it is not installed here
CREATE FUNCTION salesplan_internal.binding_cron_schema() RETURNS name
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
            IF COALESCE(crondb, 'postgres') = pg_catalog.current_database() THEN
                hint := 'pg_cron is already preloaded for this database: run CREATE EXTENSION pg_cron.';
            ELSE
                hint := pg_catalog.format('pg_cron is preloaded for database "%s" only (cron.database_name): set cron.database_name to this database and restart the server, then run CREATE EXTENSION pg_cron.', COALESCE(crondb, 'postgres'));
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
COMMENT ON FUNCTION salesplan_internal.binding_cron_schema() IS
    'internal: schema of the pg_cron extension; object_not_in_prerequisite_state (55000) with a hint when it is not installed';

-- removes the pg_cron jobs of a binding (run as its owner, whose jobs they are)
CREATE FUNCTION salesplan_internal.binding_drop_job(b salesplan.binding) RETURNS boolean
    LANGUAGE plpgsql VOLATILE
    SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    nsp name := salesplan_internal.binding_cron_schema();
    removed int;
BEGIN
    IF EXISTS (SELECT 1 FROM pg_catalog.pg_roles r WHERE r.oid = b.owner) THEN
        removed := salesplan_internal.binding_execute_as(b.owner, pg_catalog.format(
            'SELECT pg_catalog.count(%1$I.unschedule(j.jobid)) FROM %1$I.job AS j WHERE j.jobname = %2$L AND j.username = %3$L',
            nsp, 'salesplan refresh ' || b.name, pg_catalog.pg_get_userbyid(b.owner)))::int;
    ELSE
        -- the owner was dropped (its name is gone): the binding's jobs are
        -- those of its name whose role no longer exists, removed by the
        -- caller (pg_cron lets a superuser remove another role's job)
        removed := salesplan_internal.binding_execute_as(salesplan_internal.binding_caller(), pg_catalog.format(
            'SELECT pg_catalog.count(%1$I.unschedule(j.jobid)) FROM %1$I.job AS j WHERE j.jobname = %2$L '
            || 'AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles AS r WHERE r.rolname OPERATOR(pg_catalog.=) j.username)',
            nsp, 'salesplan refresh ' || b.name))::int;
    END IF;
    UPDATE salesplan.binding AS x SET refresh_cron = NULL WHERE x.name = b.name;
    RETURN removed > 0;
END
$fn$;
COMMENT ON FUNCTION salesplan_internal.binding_drop_job(salesplan.binding) IS
    'internal: removes the pg_cron refresh jobs of a binding, as its owner; false when there was none';

CREATE FUNCTION salesplan_internal.create_refresh_job(binding_name text, cron text)
    RETURNS bigint
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    caller regrole := salesplan_internal.binding_caller();
    b salesplan.binding;
    nsp name;
    cmd text;
    job bigint;
    other_owner regrole;
BEGIN
    SELECT * INTO b FROM salesplan.binding AS x
    WHERE x.name = binding_name AND salesplan_internal.binding_may_act(x, caller)
    FOR UPDATE;
    IF NOT FOUND THEN
        -- a binding that exists (salesplan.binding is readable by all) but
        -- that the caller may not act on: say so
        SELECT x.owner INTO other_owner FROM salesplan.binding AS x WHERE x.name = binding_name;
        IF other_owner IS NOT NULL THEN
            RAISE EXCEPTION 'permission denied to schedule the refresh of binding "%"', binding_name
                USING ERRCODE = 'insufficient_privilege',
                      DETAIL = pg_catalog.format('It is owned by role %s: its views are refreshed as that role, so only that role, a member of it or a superuser may schedule their refresh.',
                                                 other_owner),
                      HINT = 'The owner of its target schema may unbind it.';
        END IF;
        RAISE EXCEPTION 'binding "%" does not exist', binding_name
            USING ERRCODE = 'undefined_object',
                  HINT = 'SELECT name FROM salesplan.binding lists the bindings.';
    END IF;
    PERFORM salesplan_internal.binding_check_owner(b, false);
    IF NOT b.materialized THEN
        RAISE EXCEPTION 'binding "%" is not materialized', binding_name
            USING ERRCODE = 'wrong_object_type',
                  HINT = 'Only materialized bindings need refreshing: bind with materialized => true.';
    END IF;
    IF cron IS NULL THEN
        RAISE EXCEPTION 'cron schedule must not be NULL'
            USING ERRCODE = 'null_value_not_allowed';
    END IF;
    nsp := salesplan_internal.binding_cron_schema();
    SELECT pg_catalog.string_agg(pg_catalog.format('REFRESH MATERIALIZED VIEW CONCURRENTLY %I.%I;', b.target_schema, o), ' ')
      INTO cmd
    FROM pg_catalog.unnest(salesplan_internal.binding_objects(b.kind, b.name)) AS o;
    -- scheduled by the binding's owner, so that the job runs as the owner
    -- of the views; dynamic, so that salesplan does not depend on pg_cron
    job := salesplan_internal.binding_execute_as(b.owner, pg_catalog.format(
        'SELECT %I.schedule(%L, %L, %L)', nsp, 'salesplan refresh ' || b.name, cron, cmd))::bigint;
    UPDATE salesplan.binding AS x SET refresh_cron = cron WHERE x.name = b.name;
    RETURN job;
END
$fn$;
COMMENT ON FUNCTION salesplan_internal.create_refresh_job(text, text) IS
    'internal: implementation of salesplan.create_refresh_job';

CREATE FUNCTION salesplan.create_refresh_job(binding_name text, cron text)
    RETURNS bigint
    AS 'MODULE_PATHNAME', 'salesplan_create_refresh_job'
    LANGUAGE C VOLATILE;
COMMENT ON FUNCTION salesplan.create_refresh_job(text, text) IS
    'schedules REFRESH MATERIALIZED VIEW CONCURRENTLY of a materialized binding through pg_cron (job "salesplan refresh <name>", run as the binding''s owner); returns the job id';

CREATE FUNCTION salesplan_internal.drop_refresh_job(binding_name text)
    RETURNS boolean
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    caller regrole := salesplan_internal.binding_caller();
    nsp name := salesplan_internal.binding_cron_schema();
    b salesplan.binding;
BEGIN
    SELECT * INTO b FROM salesplan.binding AS x
    WHERE x.name = binding_name AND salesplan_internal.binding_may_act(x, caller)
    FOR UPDATE;
    IF NOT FOUND THEN
        RETURN false;
    END IF;
    RETURN salesplan_internal.binding_drop_job(b);
END
$fn$;
COMMENT ON FUNCTION salesplan_internal.drop_refresh_job(text) IS
    'internal: implementation of salesplan.drop_refresh_job';

CREATE FUNCTION salesplan.drop_refresh_job(binding_name text)
    RETURNS boolean
    AS 'MODULE_PATHNAME', 'salesplan_drop_refresh_job'
    LANGUAGE C VOLATILE;
COMMENT ON FUNCTION salesplan.drop_refresh_job(text) IS
    'removes the pg_cron refresh job of a binding the caller may act on; false when there was none';
