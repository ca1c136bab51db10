-- salesplan install script, assembled by the Makefile from the fragments in
-- sql/install/ as sql/salesplan--<default_version>.sql.  A released version's
-- script is committed under sql/ and never edited again.

-- complain if script is sourced in psql, rather than via CREATE EXTENSION
\echo Use "CREATE EXTENSION salesplan" to load this file. \quit

-- The schema itself is created by CREATE EXTENSION (schema = salesplan in
-- salesplan.control).  Every object below is schema-qualified, and every
-- SQL or PL/pgSQL function pins search_path, so nothing depends on the
-- caller's search_path.

COMMENT ON SCHEMA salesplan IS
    'salesplan: break sales targets into plannable process metrics (funnels, target-account coverage, milestone schedules)';

-- Anyone may call salesplan's functions (each checks its own inputs; the
-- binding functions check the caller's rights on the tables they read).
GRANT USAGE ON SCHEMA salesplan TO PUBLIC;

-- ---------------------------------------------------------------------------
-- 1.2 Stage funnel: type salesplan.funnel, aggregates funnel_agg and rollup,
-- accessors.  Reference: doc/funnel.md.
-- ---------------------------------------------------------------------------

CREATE TYPE salesplan.funnel;

CREATE FUNCTION salesplan.funnel_in(cstring) RETURNS salesplan.funnel
    AS 'MODULE_PATHNAME', 'salesplan_funnel_in'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION salesplan.funnel_in(cstring) IS
    'text input of salesplan.funnel (versioned, strict; see doc/funnel.md)';

CREATE FUNCTION salesplan.funnel_out(salesplan.funnel) RETURNS cstring
    AS 'MODULE_PATHNAME', 'salesplan_funnel_out'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION salesplan.funnel_out(salesplan.funnel) IS
    'text output of salesplan.funnel; round-trips exactly through funnel_in';

CREATE FUNCTION salesplan.funnel_recv(internal) RETURNS salesplan.funnel
    AS 'MODULE_PATHNAME', 'salesplan_funnel_recv'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION salesplan.funnel_recv(internal) IS
    'binary input of salesplan.funnel (validated; corrupt input raises data_corrupted)';

CREATE FUNCTION salesplan.funnel_send(salesplan.funnel) RETURNS bytea
    AS 'MODULE_PATHNAME', 'salesplan_funnel_send'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION salesplan.funnel_send(salesplan.funnel) IS
    'binary output of salesplan.funnel';

CREATE TYPE salesplan.funnel (
    INPUT = salesplan.funnel_in,
    OUTPUT = salesplan.funnel_out,
    RECEIVE = salesplan.funnel_recv,
    SEND = salesplan.funnel_send,
    INTERNALLENGTH = VARIABLE,
    ALIGNMENT = double,
    STORAGE = extended
);
COMMENT ON TYPE salesplan.funnel IS
    'stage funnel summary: per stage, entities whose deepest stage it is and the exact sum of their amounts; built by salesplan.funnel_agg, merged by salesplan.rollup';

-- aggregate support

CREATE FUNCTION salesplan.funnel_trans(salesplan.funnel, integer, numeric)
    RETURNS salesplan.funnel
    AS 'MODULE_PATHNAME', 'salesplan_funnel_trans'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION salesplan.funnel_trans(salesplan.funnel, integer, numeric) IS
    'transition function of salesplan.funnel_agg(reached, amount)';

CREATE FUNCTION salesplan.funnel_trans(salesplan.funnel, integer, numeric, integer)
    RETURNS salesplan.funnel
    AS 'MODULE_PATHNAME', 'salesplan_funnel_trans'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION salesplan.funnel_trans(salesplan.funnel, integer, numeric, integer) IS
    'transition function of salesplan.funnel_agg(reached, amount, stages)';

CREATE FUNCTION salesplan.funnel_combine(salesplan.funnel, salesplan.funnel)
    RETURNS salesplan.funnel
    AS 'MODULE_PATHNAME', 'salesplan_funnel_combine'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION salesplan.funnel_combine(salesplan.funnel, salesplan.funnel) IS
    'combine function of salesplan.funnel_agg and transition function of salesplan.rollup(salesplan.funnel)';

CREATE AGGREGATE salesplan.funnel_agg(reached integer, amount numeric) (
    SFUNC = salesplan.funnel_trans,
    STYPE = salesplan.funnel,
    COMBINEFUNC = salesplan.funnel_combine,
    SSPACE = 256,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE salesplan.funnel_agg(integer, numeric) IS
    'stage funnel over entities (one row each): reached = deepest stage (0 = population only), amount = its value; as many stages as the deepest reached';

CREATE AGGREGATE salesplan.funnel_agg(reached integer, amount numeric, stages integer) (
    SFUNC = salesplan.funnel_trans,
    STYPE = salesplan.funnel,
    COMBINEFUNC = salesplan.funnel_combine,
    SSPACE = 256,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE salesplan.funnel_agg(integer, numeric, integer) IS
    'stage funnel over entities (one row each) with a declared number of stages (1..1000; the last = won)';

CREATE AGGREGATE salesplan.rollup(salesplan.funnel) (
    SFUNC = salesplan.funnel_combine,
    STYPE = salesplan.funnel,
    COMBINEFUNC = salesplan.funnel_combine,
    SSPACE = 256,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE salesplan.rollup(salesplan.funnel) IS
    'merges stage funnels (for example daily funnels into a quarter''s)';

-- accessors

CREATE FUNCTION salesplan.stages(f salesplan.funnel)
    RETURNS TABLE (stage integer, entered bigint, advanced bigint,
                   conversion double precision, cumulative double precision,
                   amount numeric)
    AS 'MODULE_PATHNAME', 'salesplan_funnel_stages'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 6;
COMMENT ON FUNCTION salesplan.stages(salesplan.funnel) IS
    'one row per stage 1..n: entered (reached >= stage), advanced (reached >= stage + 1), conversion = advanced / entered, cumulative = entered / leads, amount of entities whose deepest stage it is';

CREATE FUNCTION salesplan.population(f salesplan.funnel) RETURNS bigint
    AS 'MODULE_PATHNAME', 'salesplan_funnel_population'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION salesplan.population(salesplan.funnel) IS
    'entities in the funnel''s population, including those that never entered (reached = 0)';

CREATE FUNCTION salesplan.leads(f salesplan.funnel) RETURNS bigint
    AS 'MODULE_PATHNAME', 'salesplan_funnel_leads'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION salesplan.leads(salesplan.funnel) IS
    'entities that entered stage 1 (reached >= 1)';

CREATE FUNCTION salesplan.won(f salesplan.funnel) RETURNS bigint
    AS 'MODULE_PATHNAME', 'salesplan_funnel_won'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION salesplan.won(salesplan.funnel) IS
    'entities that entered the last stage (won)';

CREATE FUNCTION salesplan.priced_won(f salesplan.funnel) RETURNS bigint
    AS 'MODULE_PATHNAME', 'salesplan_funnel_priced_won'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION salesplan.priced_won(salesplan.funnel) IS
    'won entities with a non-NULL amount (the denominator of aov)';

CREATE FUNCTION salesplan.revenue(f salesplan.funnel) RETURNS numeric
    AS 'MODULE_PATHNAME', 'salesplan_funnel_revenue'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION salesplan.revenue(salesplan.funnel) IS
    'exact sum of the amounts of won entities';

CREATE FUNCTION salesplan.aov(f salesplan.funnel) RETURNS numeric
    AS 'MODULE_PATHNAME', 'salesplan_funnel_aov'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION salesplan.aov(salesplan.funnel) IS
    'average order value: revenue / won entities with a non-NULL amount; NULL when there are none';

CREATE FUNCTION salesplan.overall_conversion(f salesplan.funnel) RETURNS double precision
    AS 'MODULE_PATHNAME', 'salesplan_funnel_overall_conversion'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION salesplan.overall_conversion(salesplan.funnel) IS
    'won / leads (lead-to-win conversion, not a CRM win rate); NULL when there are no leads';

CREATE FUNCTION salesplan.conversion(f salesplan.funnel, from_stage integer, to_stage integer)
    RETURNS double precision
    AS 'MODULE_PATHNAME', 'salesplan_funnel_conversion'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION salesplan.conversion(salesplan.funnel, integer, integer) IS
    'entered(to_stage) / entered(from_stage), 1 <= from_stage <= to_stage <= stage count; NULL when entered(from_stage) = 0';

CREATE FUNCTION salesplan.stage_count(f salesplan.funnel) RETURNS integer
    AS 'MODULE_PATHNAME', 'salesplan_funnel_stage_count'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION salesplan.stage_count(salesplan.funnel) IS
    'number of stages of the funnel (declared, or the deepest reached seen)';

CREATE FUNCTION salesplan.declared_stages(f salesplan.funnel) RETURNS integer
    AS 'MODULE_PATHNAME', 'salesplan_funnel_declared_stages'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION salesplan.declared_stages(salesplan.funnel) IS
    'stage count given to funnel_agg(reached, amount, stages); NULL when the funnel was built without one';

CREATE FUNCTION salesplan.entered(f salesplan.funnel) RETURNS bigint[]
    AS 'MODULE_PATHNAME', 'salesplan_funnel_entered'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION salesplan.entered(salesplan.funnel) IS
    'entities that entered each stage 1..n (reached >= stage), as an array';

CREATE FUNCTION salesplan.conversions(f salesplan.funnel) RETURNS double precision[]
    AS 'MODULE_PATHNAME', 'salesplan_funnel_conversions'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION salesplan.conversions(salesplan.funnel) IS
    'conversion of each stage k = 1..n-1 into stage k + 1, as an array (NULL element when nobody entered stage k)';

CREATE FUNCTION salesplan.amounts(f salesplan.funnel) RETURNS numeric[]
    AS 'MODULE_PATHNAME', 'salesplan_funnel_amounts'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION salesplan.amounts(salesplan.funnel) IS
    'exact sum of amounts of the entities whose deepest stage is k, for k = 1..n, as an array (the last is revenue)';

-- ---------------------------------------------------------------------------
-- 1.1 Ordered funnel per entity: window_funnel, window_funnel_times and their
-- state type funnel_events (src/window_funnel.c, doc/window_funnel.md).
-- ---------------------------------------------------------------------------

CREATE TYPE salesplan.funnel_events;

CREATE FUNCTION salesplan.funnel_events_in(pg_catalog.cstring)
RETURNS salesplan.funnel_events
AS 'MODULE_PATHNAME', 'salesplan_funnel_events_in'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION salesplan.funnel_events_out(salesplan.funnel_events)
RETURNS pg_catalog.cstring
AS 'MODULE_PATHNAME', 'salesplan_funnel_events_out'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION salesplan.funnel_events_recv(pg_catalog.internal)
RETURNS salesplan.funnel_events
AS 'MODULE_PATHNAME', 'salesplan_funnel_events_recv'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION salesplan.funnel_events_send(salesplan.funnel_events)
RETURNS pg_catalog.bytea
AS 'MODULE_PATHNAME', 'salesplan_funnel_events_send'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE salesplan.funnel_events (
    INPUT = salesplan.funnel_events_in,
    OUTPUT = salesplan.funnel_events_out,
    RECEIVE = salesplan.funnel_events_recv,
    SEND = salesplan.funnel_events_send,
    INTERNALLENGTH = VARIABLE,
    ALIGNMENT = double,
    STORAGE = extended
);

COMMENT ON TYPE salesplan.funnel_events IS
    'state of window_funnel: one entity''s events (timestamp, step) with the window and modes; text form "1;flags;months,days,usecs;n;ts:step,..."';
COMMENT ON FUNCTION salesplan.funnel_events_in(pg_catalog.cstring) IS
    'text input of salesplan.funnel_events (validated, versioned)';
COMMENT ON FUNCTION salesplan.funnel_events_out(salesplan.funnel_events) IS
    'text output of salesplan.funnel_events (round-trips through funnel_events_in)';
COMMENT ON FUNCTION salesplan.funnel_events_recv(pg_catalog.internal) IS
    'binary input of salesplan.funnel_events (validated, versioned)';
COMMENT ON FUNCTION salesplan.funnel_events_send(salesplan.funnel_events) IS
    'binary output of salesplan.funnel_events';

-- Transition functions: timestamp and timestamptz, with and without mode.
-- The final functions are STABLE: for timestamptz events a window with days
-- or months is measured in the session time zone.
CREATE FUNCTION salesplan.window_funnel_trans(salesplan.funnel_events, pg_catalog.interval, pg_catalog.timestamp, pg_catalog.int4)
RETURNS salesplan.funnel_events
AS 'MODULE_PATHNAME', 'salesplan_window_funnel_trans'
LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION salesplan.window_funnel_trans(salesplan.funnel_events, pg_catalog.interval, pg_catalog.timestamp, pg_catalog.int4, pg_catalog.text)
RETURNS salesplan.funnel_events
AS 'MODULE_PATHNAME', 'salesplan_window_funnel_trans'
LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION salesplan.window_funnel_trans(salesplan.funnel_events, pg_catalog.interval, pg_catalog.timestamptz, pg_catalog.int4)
RETURNS salesplan.funnel_events
AS 'MODULE_PATHNAME', 'salesplan_window_funnel_trans_tz'
LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION salesplan.window_funnel_trans(salesplan.funnel_events, pg_catalog.interval, pg_catalog.timestamptz, pg_catalog.int4, pg_catalog.text)
RETURNS salesplan.funnel_events
AS 'MODULE_PATHNAME', 'salesplan_window_funnel_trans_tz'
LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION salesplan.window_funnel_combine(salesplan.funnel_events, salesplan.funnel_events)
RETURNS salesplan.funnel_events
AS 'MODULE_PATHNAME', 'salesplan_window_funnel_combine'
LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION salesplan.funnel_level(salesplan.funnel_events)
RETURNS pg_catalog.int4
AS 'MODULE_PATHNAME', 'salesplan_funnel_level'
LANGUAGE C STABLE STRICT PARALLEL SAFE;

CREATE FUNCTION salesplan.funnel_step_times(salesplan.funnel_events)
RETURNS pg_catalog.timestamp[]
AS 'MODULE_PATHNAME', 'salesplan_funnel_step_times'
LANGUAGE C STABLE STRICT PARALLEL SAFE;

CREATE FUNCTION salesplan.funnel_step_times_tz(salesplan.funnel_events)
RETURNS pg_catalog.timestamptz[]
AS 'MODULE_PATHNAME', 'salesplan_funnel_step_times_tz'
LANGUAGE C STABLE STRICT PARALLEL SAFE;

CREATE FUNCTION salesplan.funnel_events_compact(salesplan.funnel_events)
RETURNS salesplan.funnel_events
AS 'MODULE_PATHNAME', 'salesplan_funnel_events_compact'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION salesplan.window_funnel_trans(salesplan.funnel_events, pg_catalog.interval, pg_catalog.timestamp, pg_catalog.int4) IS
    'transition function of window_funnel(interval, timestamp, int)';
COMMENT ON FUNCTION salesplan.window_funnel_trans(salesplan.funnel_events, pg_catalog.interval, pg_catalog.timestamp, pg_catalog.int4, pg_catalog.text) IS
    'transition function of window_funnel(interval, timestamp, int, text)';
COMMENT ON FUNCTION salesplan.window_funnel_trans(salesplan.funnel_events, pg_catalog.interval, pg_catalog.timestamptz, pg_catalog.int4) IS
    'transition function of window_funnel(interval, timestamptz, int)';
COMMENT ON FUNCTION salesplan.window_funnel_trans(salesplan.funnel_events, pg_catalog.interval, pg_catalog.timestamptz, pg_catalog.int4, pg_catalog.text) IS
    'transition function of window_funnel(interval, timestamptz, int, text)';
COMMENT ON FUNCTION salesplan.window_funnel_combine(salesplan.funnel_events, salesplan.funnel_events) IS
    'combine function of window_funnel: concatenates two entities'' event lists (same window and modes)';
COMMENT ON FUNCTION salesplan.funnel_level(salesplan.funnel_events) IS
    'funnel level of a funnel_events state: the highest step reached in order within the window';
COMMENT ON FUNCTION salesplan.funnel_step_times(salesplan.funnel_events) IS
    'for a state of timestamp events: when the best chain reached each step 1..level';
COMMENT ON FUNCTION salesplan.funnel_step_times_tz(salesplan.funnel_events) IS
    'for a state of timestamptz events: when the best chain reached each step 1..level';
COMMENT ON FUNCTION salesplan.funnel_events_compact(salesplan.funnel_events) IS
    'copy of a funnel_events state without spare capacity (final function of funnel_event_agg and rollup)';

-- SSPACE: a typical state (a handful of events) takes a 128-byte chunk plus
-- its header; the planner's hash-memory estimates use it.

-- The fixed aggregate: the highest step reached.
CREATE AGGREGATE salesplan.window_funnel(pg_catalog.interval, pg_catalog.timestamp, pg_catalog.int4) (
    SFUNC = salesplan.window_funnel_trans, STYPE = salesplan.funnel_events, SSPACE = 144,
    FINALFUNC = salesplan.funnel_level, FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = salesplan.window_funnel_combine, PARALLEL = SAFE
);
CREATE AGGREGATE salesplan.window_funnel(pg_catalog.interval, pg_catalog.timestamp, pg_catalog.int4, pg_catalog.text) (
    SFUNC = salesplan.window_funnel_trans, STYPE = salesplan.funnel_events, SSPACE = 144,
    FINALFUNC = salesplan.funnel_level, FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = salesplan.window_funnel_combine, PARALLEL = SAFE
);
CREATE AGGREGATE salesplan.window_funnel(pg_catalog.interval, pg_catalog.timestamptz, pg_catalog.int4) (
    SFUNC = salesplan.window_funnel_trans, STYPE = salesplan.funnel_events, SSPACE = 144,
    FINALFUNC = salesplan.funnel_level, FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = salesplan.window_funnel_combine, PARALLEL = SAFE
);
CREATE AGGREGATE salesplan.window_funnel(pg_catalog.interval, pg_catalog.timestamptz, pg_catalog.int4, pg_catalog.text) (
    SFUNC = salesplan.window_funnel_trans, STYPE = salesplan.funnel_events, SSPACE = 144,
    FINALFUNC = salesplan.funnel_level, FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = salesplan.window_funnel_combine, PARALLEL = SAFE
);

COMMENT ON AGGREGATE salesplan.window_funnel(pg_catalog.interval, pg_catalog.timestamp, pg_catalog.int4) IS
    'ordered funnel of one entity: highest step reached with steps in order within the window from step 1 (ClickHouse windowFunnel)';
COMMENT ON AGGREGATE salesplan.window_funnel(pg_catalog.interval, pg_catalog.timestamp, pg_catalog.int4, pg_catalog.text) IS
    'ordered funnel of one entity with modes strict_deduplication, strict_order, strict_increase (comma-separated)';
COMMENT ON AGGREGATE salesplan.window_funnel(pg_catalog.interval, pg_catalog.timestamptz, pg_catalog.int4) IS
    'ordered funnel of one entity: highest step reached with steps in order within the window from step 1 (ClickHouse windowFunnel)';
COMMENT ON AGGREGATE salesplan.window_funnel(pg_catalog.interval, pg_catalog.timestamptz, pg_catalog.int4, pg_catalog.text) IS
    'ordered funnel of one entity with modes strict_deduplication, strict_order, strict_increase (comma-separated)';

-- Companion: when the best chain reached each step.
CREATE AGGREGATE salesplan.window_funnel_times(pg_catalog.interval, pg_catalog.timestamp, pg_catalog.int4) (
    SFUNC = salesplan.window_funnel_trans, STYPE = salesplan.funnel_events, SSPACE = 144,
    FINALFUNC = salesplan.funnel_step_times, FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = salesplan.window_funnel_combine, PARALLEL = SAFE
);
CREATE AGGREGATE salesplan.window_funnel_times(pg_catalog.interval, pg_catalog.timestamp, pg_catalog.int4, pg_catalog.text) (
    SFUNC = salesplan.window_funnel_trans, STYPE = salesplan.funnel_events, SSPACE = 144,
    FINALFUNC = salesplan.funnel_step_times, FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = salesplan.window_funnel_combine, PARALLEL = SAFE
);
CREATE AGGREGATE salesplan.window_funnel_times(pg_catalog.interval, pg_catalog.timestamptz, pg_catalog.int4) (
    SFUNC = salesplan.window_funnel_trans, STYPE = salesplan.funnel_events, SSPACE = 144,
    FINALFUNC = salesplan.funnel_step_times_tz, FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = salesplan.window_funnel_combine, PARALLEL = SAFE
);
CREATE AGGREGATE salesplan.window_funnel_times(pg_catalog.interval, pg_catalog.timestamptz, pg_catalog.int4, pg_catalog.text) (
    SFUNC = salesplan.window_funnel_trans, STYPE = salesplan.funnel_events, SSPACE = 144,
    FINALFUNC = salesplan.funnel_step_times_tz, FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = salesplan.window_funnel_combine, PARALLEL = SAFE
);

COMMENT ON AGGREGATE salesplan.window_funnel_times(pg_catalog.interval, pg_catalog.timestamp, pg_catalog.int4) IS
    'timestamps at which the best chain of window_funnel reached steps 1..level (empty when level 0)';
COMMENT ON AGGREGATE salesplan.window_funnel_times(pg_catalog.interval, pg_catalog.timestamp, pg_catalog.int4, pg_catalog.text) IS
    'timestamps at which the best chain of window_funnel (with modes) reached steps 1..level (empty when level 0)';
COMMENT ON AGGREGATE salesplan.window_funnel_times(pg_catalog.interval, pg_catalog.timestamptz, pg_catalog.int4) IS
    'timestamps at which the best chain of window_funnel reached steps 1..level (empty when level 0)';
COMMENT ON AGGREGATE salesplan.window_funnel_times(pg_catalog.interval, pg_catalog.timestamptz, pg_catalog.int4, pg_catalog.text) IS
    'timestamps at which the best chain of window_funnel (with modes) reached steps 1..level (empty when level 0)';

-- Two-step form: keep per-entity event states (per day, say) and merge them.
CREATE AGGREGATE salesplan.funnel_event_agg(pg_catalog.interval, pg_catalog.timestamp, pg_catalog.int4) (
    SFUNC = salesplan.window_funnel_trans, STYPE = salesplan.funnel_events, SSPACE = 144,
    FINALFUNC = salesplan.funnel_events_compact, FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = salesplan.window_funnel_combine, PARALLEL = SAFE
);
CREATE AGGREGATE salesplan.funnel_event_agg(pg_catalog.interval, pg_catalog.timestamp, pg_catalog.int4, pg_catalog.text) (
    SFUNC = salesplan.window_funnel_trans, STYPE = salesplan.funnel_events, SSPACE = 144,
    FINALFUNC = salesplan.funnel_events_compact, FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = salesplan.window_funnel_combine, PARALLEL = SAFE
);
CREATE AGGREGATE salesplan.funnel_event_agg(pg_catalog.interval, pg_catalog.timestamptz, pg_catalog.int4) (
    SFUNC = salesplan.window_funnel_trans, STYPE = salesplan.funnel_events, SSPACE = 144,
    FINALFUNC = salesplan.funnel_events_compact, FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = salesplan.window_funnel_combine, PARALLEL = SAFE
);
CREATE AGGREGATE salesplan.funnel_event_agg(pg_catalog.interval, pg_catalog.timestamptz, pg_catalog.int4, pg_catalog.text) (
    SFUNC = salesplan.window_funnel_trans, STYPE = salesplan.funnel_events, SSPACE = 144,
    FINALFUNC = salesplan.funnel_events_compact, FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = salesplan.window_funnel_combine, PARALLEL = SAFE
);
CREATE AGGREGATE salesplan.rollup(salesplan.funnel_events) (
    SFUNC = salesplan.window_funnel_combine, STYPE = salesplan.funnel_events, SSPACE = 144,
    FINALFUNC = salesplan.funnel_events_compact, FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = salesplan.window_funnel_combine, PARALLEL = SAFE
);

COMMENT ON AGGREGATE salesplan.funnel_event_agg(pg_catalog.interval, pg_catalog.timestamp, pg_catalog.int4) IS
    'one entity''s events as a funnel_events state, for storing and rolling up; read with funnel_level';
COMMENT ON AGGREGATE salesplan.funnel_event_agg(pg_catalog.interval, pg_catalog.timestamp, pg_catalog.int4, pg_catalog.text) IS
    'one entity''s events (with modes) as a funnel_events state, for storing and rolling up';
COMMENT ON AGGREGATE salesplan.funnel_event_agg(pg_catalog.interval, pg_catalog.timestamptz, pg_catalog.int4) IS
    'one entity''s events as a funnel_events state, for storing and rolling up; read with funnel_level';
COMMENT ON AGGREGATE salesplan.funnel_event_agg(pg_catalog.interval, pg_catalog.timestamptz, pg_catalog.int4, pg_catalog.text) IS
    'one entity''s events (with modes) as a funnel_events state, for storing and rolling up';
COMMENT ON AGGREGATE salesplan.rollup(salesplan.funnel_events) IS
    'merges funnel_events states of one entity (for example per day into a quarter); window and modes must match';

-- ---------------------------------------------------------------------------
-- Probability paradigm: from target to behavior (plan, activities, pacing),
-- why the number moved (explain_gap), velocity, pipeline, charts.
-- Reference: doc/planning.md
-- ---------------------------------------------------------------------------

CREATE FUNCTION salesplan.shapley_product(actual numeric[], baseline numeric[], scale integer DEFAULT 2)
RETURNS numeric[]
AS 'MODULE_PATHNAME', 'salesplan_shapley_product'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION salesplan.shapley_product(numeric[], numeric[], integer) IS
    'exact Shapley decomposition of the change of a product of factors from baseline to actual: one effect per factor, rounded to scale, summing exactly to round(product(actual)) - round(product(baseline)); a NULL factor takes the other side''s value';

CREATE FUNCTION salesplan.explain_gap_check(leads numeric, conversions numeric[], aov numeric, side text)
RETURNS void
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    c numeric;
    i integer := 0;
BEGIN
    IF leads < 0 OR leads = 'NaN'::numeric OR leads = 'Infinity'::numeric THEN
        RAISE EXCEPTION '% leads must be a finite number >= 0, not %', side, leads
            USING ERRCODE = '22023';
    END IF;
    IF aov < 0 OR aov = 'NaN'::numeric OR aov = 'Infinity'::numeric THEN
        RAISE EXCEPTION '% aov must be a finite number >= 0, not %', side, aov
            USING ERRCODE = '22023';
    END IF;
    FOREACH c IN ARRAY coalesce(conversions, '{}'::numeric[]) LOOP
        i := i + 1;
        IF c < 0 OR c > 1 THEN
            RAISE EXCEPTION '% conversion % must be between 0 and 1, not %', side, i, c
                USING ERRCODE = '22023',
                      HINT = 'A conversion is the share of entities entering a stage that advance to the next one.';
        END IF;
    END LOOP;
END
$$;

COMMENT ON FUNCTION salesplan.explain_gap_check(numeric, numeric[], numeric, text) IS
    'validates one side of explain_gap given as numbers (leads >= 0, conversions in [0, 1], aov >= 0; NULL conversion or aov means undefined); raises 22023 otherwise';

CREATE FUNCTION salesplan.revenue_factors(f salesplan.funnel)
RETURNS numeric[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT ARRAY[coalesce(e[1], 0)::numeric]
        || coalesce((SELECT pg_catalog.array_agg(
                         CASE WHEN e[k] = 0 THEN NULL
                              ELSE pg_catalog.round(e[k + 1]::numeric(60, 40) / e[k], 40) END
                         ORDER BY k)
                     FROM pg_catalog.generate_series(1, pg_catalog.cardinality(e) - 1) AS k),
                    '{}'::numeric[])
        || ARRAY[CASE WHEN coalesce(e[pg_catalog.cardinality(e)], 0) = 0 THEN NULL
                      ELSE pg_catalog.round(salesplan.priced_won(f)::numeric(60, 40) / e[pg_catalog.cardinality(e)], 40) END,
                 CASE WHEN salesplan.priced_won(f) = 0 THEN NULL
                      ELSE pg_catalog.round(salesplan.revenue(f)::numeric(80, 40) / salesplan.priced_won(f), 40) END]
    FROM (SELECT salesplan.entered(f) AS e) AS s
$$;

COMMENT ON FUNCTION salesplan.revenue_factors(salesplan.funnel) IS
    'the factors whose product is the funnel''s revenue: {leads, conversion of each stage transition, priced_share (won with an amount / won), aov}, rates to 40 decimals; NULL for a rate nobody entered';

CREATE FUNCTION salesplan.explain_gap_factors(actual numeric[], baseline numeric[], scale integer)
RETURNS TABLE (factor text, effect numeric)
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
    -- layout of both arrays: leads, conversions 1..k, priced_share, aov;
    -- priced_share is left out when every won entity has an amount on both
    -- sides (it is 1 or undefined everywhere and would only add a zero row)
    WITH l AS (
        SELECT pg_catalog.cardinality(actual) AS n,
               coalesce(actual[pg_catalog.cardinality(actual) - 1], 1) = 1
               AND coalesce(baseline[pg_catalog.cardinality(actual) - 1], 1) = 1 AS drop_share
    ), names AS (
        SELECT i,
               CASE WHEN i = 1 THEN 'leads'
                    WHEN i = l.n THEN 'aov'
                    WHEN i = l.n - 1 THEN 'priced_share'
                    ELSE 'conversion_' || (i - 1) || '_' || i END AS name
        FROM l, pg_catalog.generate_series(1, l.n) AS i
        WHERE NOT (l.drop_share AND i = l.n - 1)
    ), e AS (
        SELECT salesplan.shapley_product(
                   (SELECT pg_catalog.array_agg(actual[i] ORDER BY i) FROM names),
                   (SELECT pg_catalog.array_agg(baseline[i] ORDER BY i) FROM names),
                   scale) AS effects
    )
    SELECT name, e.effects[pos]
    FROM e, (SELECT name, pg_catalog.row_number() OVER (ORDER BY i) AS pos FROM names) AS nn
    ORDER BY pos
$$;

COMMENT ON FUNCTION salesplan.explain_gap_factors(numeric[], numeric[], integer) IS
    'internal to explain_gap: names and decomposes two factor arrays laid out as {leads, conversions..., priced_share, aov}';

CREATE FUNCTION salesplan.explain_gap(actual salesplan.funnel, baseline salesplan.funnel)
RETURNS TABLE (factor text, effect numeric)
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    ka integer := salesplan.stage_count(actual);
    kb integer := salesplan.stage_count(baseline);
    fa numeric[];
    fb numeric[];
BEGIN
    IF ka <> kb AND ka <> 0 AND kb <> 0 THEN
        RAISE EXCEPTION 'actual funnel has % stages but baseline has %', ka, kb
            USING ERRCODE = '22023',
                  HINT = 'Build both funnels with funnel_agg(reached, amount, stages) and the same stages, so an empty last stage still counts.';
    END IF;
    IF GREATEST(ka, kb) + 2 > 64 THEN
        RAISE EXCEPTION 'explain_gap handles funnels of at most 62 stages, not %', GREATEST(ka, kb)
            USING ERRCODE = '54000';
    END IF;
    fa := salesplan.revenue_factors(actual);
    fb := salesplan.revenue_factors(baseline);
    -- a funnel nobody entered has no stages: all its rates are undefined
    IF ka = 0 AND kb > 0 THEN
        fa := ARRAY[0::numeric] || pg_catalog.array_fill(NULL::numeric, ARRAY[kb + 1]);
    ELSIF kb = 0 AND ka > 0 THEN
        fb := ARRAY[0::numeric] || pg_catalog.array_fill(NULL::numeric, ARRAY[ka + 1]);
    END IF;
    RETURN QUERY SELECT * FROM salesplan.explain_gap_factors(fa, fb,
        LEAST(8, GREATEST(2, pg_catalog.scale(salesplan.revenue(actual)), pg_catalog.scale(salesplan.revenue(baseline)))));
END
$$;

COMMENT ON FUNCTION salesplan.explain_gap(salesplan.funnel, salesplan.funnel) IS
    'why revenue moved from baseline to actual: exact Shapley effects of leads, each stage conversion (conversion_k_k+1), the share of won with an amount (priced_share, only when some lack one) and aov; they sum exactly to revenue(actual) - revenue(baseline)';

CREATE FUNCTION salesplan.explain_gap(actual salesplan.funnel, baseline_leads numeric,
                                      baseline_conversions numeric[], baseline_aov numeric)
RETURNS TABLE (factor text, effect numeric)
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    ka integer;
    k integer;
    fa numeric[];
BEGIN
    IF actual IS NULL OR baseline_leads IS NULL OR baseline_conversions IS NULL THEN
        RETURN;
    END IF;
    IF pg_catalog.array_ndims(baseline_conversions) > 1 THEN
        RAISE EXCEPTION 'baseline conversions must be a one-dimensional array'
            USING ERRCODE = '2202E';
    END IF;
    ka := salesplan.stage_count(actual);
    k := coalesce(pg_catalog.cardinality(baseline_conversions), 0);
    IF ka <> k + 1 AND ka <> 0 THEN
        RAISE EXCEPTION 'actual funnel has % stages but the baseline gives % conversions', ka, k
            USING ERRCODE = '22023',
                  HINT = 'Give one baseline conversion per stage transition (stages - 1 of them).';
    END IF;
    IF k + 3 > 64 THEN
        RAISE EXCEPTION 'explain_gap handles funnels of at most 62 stages, not %', k + 1
            USING ERRCODE = '54000';
    END IF;
    PERFORM salesplan.explain_gap_check(baseline_leads, baseline_conversions, baseline_aov, 'baseline');
    fa := CASE WHEN ka = 0 THEN ARRAY[0::numeric] || pg_catalog.array_fill(NULL::numeric, ARRAY[k + 2])
               ELSE salesplan.revenue_factors(actual) END;
    RETURN QUERY SELECT * FROM salesplan.explain_gap_factors(
        fa,
        ARRAY[baseline_leads] || baseline_conversions || ARRAY[1::numeric, baseline_aov],
        LEAST(8, GREATEST(2, pg_catalog.scale(salesplan.revenue(actual)), pg_catalog.scale(baseline_aov))));
END
$$;

COMMENT ON FUNCTION salesplan.explain_gap(salesplan.funnel, numeric, numeric[], numeric) IS
    'why revenue differs from a plan given as numbers (leads, conversion per stage transition, aov): exact Shapley effects summing to revenue(actual) - round(leads * product(conversions) * aov)';

CREATE FUNCTION salesplan.explain_gap(
    actual_leads numeric, actual_conversions numeric[], actual_aov numeric,
    baseline_leads numeric, baseline_conversions numeric[], baseline_aov numeric)
RETURNS TABLE (factor text, effect numeric)
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    k integer;
BEGIN
    IF actual_leads IS NULL OR baseline_leads IS NULL
       OR actual_conversions IS NULL OR baseline_conversions IS NULL THEN
        RETURN;
    END IF;
    IF pg_catalog.array_ndims(actual_conversions) > 1 OR pg_catalog.array_ndims(baseline_conversions) > 1 THEN
        RAISE EXCEPTION 'conversions must be one-dimensional arrays'
            USING ERRCODE = '2202E';
    END IF;
    k := coalesce(pg_catalog.cardinality(actual_conversions), 0);
    IF k <> coalesce(pg_catalog.cardinality(baseline_conversions), 0) THEN
        RAISE EXCEPTION 'actual has % conversions but baseline has %',
            k, coalesce(pg_catalog.cardinality(baseline_conversions), 0)
            USING ERRCODE = '22023',
                  HINT = 'Both sides must describe funnels with the same number of stages (one conversion per stage transition).';
    END IF;
    IF k + 3 > 64 THEN
        RAISE EXCEPTION 'explain_gap handles funnels of at most 62 stages, not %', k + 1
            USING ERRCODE = '54000';
    END IF;
    PERFORM salesplan.explain_gap_check(actual_leads, actual_conversions, actual_aov, 'actual');
    PERFORM salesplan.explain_gap_check(baseline_leads, baseline_conversions, baseline_aov, 'baseline');
    RETURN QUERY SELECT * FROM salesplan.explain_gap_factors(
        ARRAY[actual_leads] || actual_conversions || ARRAY[1::numeric, actual_aov],
        ARRAY[baseline_leads] || baseline_conversions || ARRAY[1::numeric, baseline_aov],
        LEAST(8, GREATEST(2, pg_catalog.scale(actual_aov), pg_catalog.scale(baseline_aov))));
END
$$;

COMMENT ON FUNCTION salesplan.explain_gap(numeric, numeric[], numeric, numeric, numeric[], numeric) IS
    'why revenue moved, with both sides given as numbers (leads, conversion per stage transition, aov): exact Shapley effects of leads, each conversion_k_k+1 and aov, summing exactly to the difference of round(leads * product(conversions) * aov)';

-- ---------------------------------------------------------------------------
-- From target to behavior
-- ---------------------------------------------------------------------------

CREATE FUNCTION salesplan.plan(f salesplan.funnel, target numeric)
RETURNS TABLE (stage integer, required numeric, actual bigint, gap numeric)
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    e bigint[];
    k integer;
    priced bigint;
    rev numeric;
BEGIN
    IF target < 0 OR target = 'NaN'::numeric OR target = 'Infinity'::numeric THEN
        RAISE EXCEPTION 'target must be a finite amount >= 0, not %', target
            USING ERRCODE = '22023';
    END IF;
    e := salesplan.entered(f);
    k := coalesce(pg_catalog.cardinality(e), 0);
    priced := salesplan.priced_won(f);
    rev := salesplan.revenue(f);
    -- required(k) = target / aov / (conversions k .. last-1)
    --             = target * priced_won * entered(k) / (revenue * won),
    -- since the conversions telescope; rounded up per stage from the exact
    -- value.  revenue > 0 implies won > 0 and every conversion > 0; otherwise
    -- a rate on the way is zero or undefined and the target is unreachable
    -- at current rates (NULL).
    RETURN QUERY
        SELECT s, r.req, e[s], r.req - e[s]
        FROM pg_catalog.generate_series(1, k) AS s,
             LATERAL (SELECT CASE WHEN target = 0 THEN 0::numeric
                                  WHEN rev = 0 OR e[k] = 0 THEN NULL::numeric
                                  ELSE salesplan.ceil_div(target * priced * e[s], rev * e[k]) END AS req) AS r
        ORDER BY s;
END
$$;

COMMENT ON FUNCTION salesplan.plan(salesplan.funnel, numeric) IS
    'how many entities must enter each stage to reach target revenue at the funnel''s conversions and aov (rounded up to whole entities), against how many did (actual) and the gap = required - actual; NULL required: unreachable at current rates (a zero or undefined conversion, or aov 0 or unknown)';

CREATE FUNCTION salesplan.ceil_div(n numeric, d numeric)
RETURNS numeric
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
    -- exact ceiling of n / d for n >= 0, d > 0 (div() truncates exactly)
    SELECT pg_catalog.div(n, d) + CASE WHEN pg_catalog.div(n, d) * d < n THEN 1 ELSE 0 END
$$;

COMMENT ON FUNCTION salesplan.ceil_div(numeric, numeric) IS
    'exact ceiling of n / d for n >= 0 and d > 0 (no rounding of the quotient first), used to round requirements up to whole units';

CREATE FUNCTION salesplan.working_days(first_day date, last_day date, holidays date[] DEFAULT NULL)
RETURNS integer
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    n integer;
    dow0 integer;
    w integer;
BEGIN
    IF first_day IS NULL OR last_day IS NULL THEN
        RETURN NULL;
    END IF;
    IF pg_catalog.isfinite(first_day) IS NOT TRUE OR pg_catalog.isfinite(last_day) IS NOT TRUE THEN
        RAISE EXCEPTION 'working_days needs finite dates, not % and %', first_day, last_day
            USING ERRCODE = '22023';
    END IF;
    IF last_day < first_day THEN
        RAISE EXCEPTION 'last_day % is before first_day %', last_day, first_day
            USING ERRCODE = '22023',
                  HINT = 'Both days are included: a one-day period has first_day = last_day.';
    END IF;
    n := last_day - first_day + 1;
    dow0 := pg_catalog.date_part('isodow', first_day)::integer - 1;   -- Monday = 0
    w := (n / 7) * 5
         + (SELECT pg_catalog.count(*)::integer
            FROM pg_catalog.generate_series(0, n % 7 - 1) AS i
            WHERE (dow0 + i) % 7 < 5);
    w := w - (SELECT pg_catalog.count(DISTINCT h)::integer
              FROM pg_catalog.unnest(holidays) AS h
              WHERE h BETWEEN first_day AND last_day
                AND pg_catalog.date_part('isodow', h) < 6);
    RETURN w;
END
$$;

COMMENT ON FUNCTION salesplan.working_days(date, date, date[]) IS
    'Monday-to-Friday days from first_day to last_day, both included, minus the distinct holidays that fall on one of them';

CREATE FUNCTION salesplan.plan_activities(required_leads numeric, kinds text[], observed_activities numeric[],
                                          observed_leads numeric, reps integer, working_days integer)
RETURNS TABLE (kind text, per_lead numeric, required numeric, per_rep numeric, per_rep_per_day numeric)
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    idx integer;
BEGIN
    IF required_leads < 0 OR required_leads = 'NaN'::numeric OR required_leads = 'Infinity'::numeric THEN
        RAISE EXCEPTION 'required_leads must be a finite number >= 0, not %', required_leads
            USING ERRCODE = '22023';
    END IF;
    IF observed_leads <= 0 OR observed_leads = 'NaN'::numeric OR observed_leads = 'Infinity'::numeric THEN
        RAISE EXCEPTION 'observed_leads must be a finite number > 0, not %', observed_leads
            USING ERRCODE = '22023',
                  HINT = 'Activities per lead are observed activities / observed leads over a past period; that period needs leads.';
    END IF;
    IF reps <= 0 THEN
        RAISE EXCEPTION 'reps must be > 0, not %', reps
            USING ERRCODE = '22023';
    END IF;
    IF working_days <= 0 THEN
        RAISE EXCEPTION 'working_days must be > 0, not %', working_days
            USING ERRCODE = '22023',
                  HINT = 'salesplan.working_days(first_day, last_day, holidays) counts them.';
    END IF;
    IF pg_catalog.array_ndims(kinds) > 1 OR pg_catalog.array_ndims(observed_activities) > 1 THEN
        RAISE EXCEPTION 'kinds and observed_activities must be one-dimensional arrays'
            USING ERRCODE = '2202E';
    END IF;
    IF coalesce(pg_catalog.cardinality(kinds), 0) = 0
       OR pg_catalog.cardinality(kinds) <> coalesce(pg_catalog.cardinality(observed_activities), 0) THEN
        RAISE EXCEPTION 'kinds has % elements but observed_activities has %',
            coalesce(pg_catalog.cardinality(kinds), 0), coalesce(pg_catalog.cardinality(observed_activities), 0)
            USING ERRCODE = '22023',
                  HINT = 'Give one observed count per activity kind, for example ARRAY[''call'', ''visit''] and ARRAY[5200, 640].';
    END IF;
    FOR idx IN 1 .. pg_catalog.cardinality(kinds) LOOP
        IF kinds[idx] IS NULL THEN
            RAISE EXCEPTION 'activity kind % is NULL', idx
                USING ERRCODE = '22004';
        END IF;
        IF observed_activities[idx] IS NULL OR observed_activities[idx] < 0
           OR observed_activities[idx] = 'NaN'::numeric OR observed_activities[idx] = 'Infinity'::numeric THEN
            RAISE EXCEPTION 'observed count of "%" must be a finite number >= 0, not %',
                kinds[idx], coalesce(observed_activities[idx]::text, 'NULL')
                USING ERRCODE = '22023';
        END IF;
    END LOOP;
    RETURN QUERY
        SELECT kinds[g.n],
               pg_catalog.round(observed_activities[g.n] / observed_leads, 2),
               r.req,
               salesplan.ceil_div(r.req, reps),
               pg_catalog.round(salesplan.ceil_div(r.req * 100, reps::numeric * working_days) / 100, 2)
        FROM pg_catalog.generate_series(1, pg_catalog.cardinality(kinds)) AS g(n),
             LATERAL (SELECT salesplan.ceil_div(required_leads * observed_activities[g.n], observed_leads) AS req) AS r
        ORDER BY g.n;
END
$$;

COMMENT ON FUNCTION salesplan.plan_activities(numeric, text[], numeric[], numeric, integer, integer) IS
    'turns required leads into required activities of each kind (calls, visits...) from the activities per lead observed in a past period: total (rounded up to whole activities), per rep (rounded up) and per rep per working day (rounded up to 0.01)';

CREATE FUNCTION salesplan.pacing(target numeric, attained numeric, period_start date, period_end date, as_of date,
                                 month_weights double precision[] DEFAULT NULL,
                                 weekday_weights double precision[] DEFAULT NULL)
RETURNS TABLE (expected_to_date numeric, gap_to_date numeric, attainment_to_date double precision,
               run_rate_forecast numeric, required_daily_rate numeric,
               days_elapsed integer, days_remaining integer, selling_days_remaining integer)
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    total_days integer;
    elapsed integer;
    w_total numeric;
    w_elapsed numeric;
    selling_left integer;
    sc integer;
    expected numeric;
    i integer;
BEGIN
    IF target IS NULL OR attained IS NULL OR period_start IS NULL OR period_end IS NULL OR as_of IS NULL THEN
        RETURN;
    END IF;
    IF target < 0 OR target = 'NaN'::numeric OR target = 'Infinity'::numeric THEN
        RAISE EXCEPTION 'target must be a finite amount >= 0, not %', target
            USING ERRCODE = '22023';
    END IF;
    IF attained = 'NaN'::numeric OR attained IN ('Infinity'::numeric, '-Infinity'::numeric) THEN
        RAISE EXCEPTION 'attained must be a finite amount, not %', attained
            USING ERRCODE = '22023';
    END IF;
    IF pg_catalog.isfinite(period_start) IS NOT TRUE OR pg_catalog.isfinite(period_end) IS NOT TRUE
       OR pg_catalog.isfinite(as_of) IS NOT TRUE THEN
        RAISE EXCEPTION 'pacing needs finite dates'
            USING ERRCODE = '22023';
    END IF;
    IF period_end < period_start THEN
        RAISE EXCEPTION 'period_end % is before period_start %', period_end, period_start
            USING ERRCODE = '22023',
                  HINT = 'Both days are included: a one-day period has period_start = period_end.';
    END IF;
    IF month_weights IS NOT NULL THEN
        IF pg_catalog.array_ndims(month_weights) IS DISTINCT FROM 1 OR pg_catalog.cardinality(month_weights) <> 12 THEN
            RAISE EXCEPTION 'month_weights must have 12 elements (January to December), not %',
                coalesce(pg_catalog.cardinality(month_weights), 0)
                USING ERRCODE = '22023';
        END IF;
        month_weights := ARRAY(SELECT x FROM pg_catalog.unnest(month_weights) WITH ORDINALITY AS u(x, o) ORDER BY o);
        FOR i IN 1 .. 12 LOOP
            IF month_weights[i] IS NULL OR NOT month_weights[i] BETWEEN 0 AND 1e300 THEN
                RAISE EXCEPTION 'month weight % must be a finite number >= 0, not %', i,
                    coalesce(month_weights[i]::text, 'NULL')
                    USING ERRCODE = '22023';
            END IF;
        END LOOP;
    END IF;
    IF weekday_weights IS NOT NULL THEN
        IF pg_catalog.array_ndims(weekday_weights) IS DISTINCT FROM 1 OR pg_catalog.cardinality(weekday_weights) <> 7 THEN
            RAISE EXCEPTION 'weekday_weights must have 7 elements (Monday to Sunday), not %',
                coalesce(pg_catalog.cardinality(weekday_weights), 0)
                USING ERRCODE = '22023';
        END IF;
        weekday_weights := ARRAY(SELECT x FROM pg_catalog.unnest(weekday_weights) WITH ORDINALITY AS u(x, o) ORDER BY o);
        FOR i IN 1 .. 7 LOOP
            IF weekday_weights[i] IS NULL OR NOT weekday_weights[i] BETWEEN 0 AND 1e300 THEN
                RAISE EXCEPTION 'weekday weight % must be a finite number >= 0, not %', i,
                    coalesce(weekday_weights[i]::text, 'NULL')
                    USING ERRCODE = '22023';
            END IF;
        END LOOP;
    END IF;

    total_days := period_end - period_start + 1;
    elapsed := LEAST(total_days, GREATEST(0, as_of - period_start + 1));

    -- a day's weight: its month's weight spread evenly over the month's days,
    -- times its weekday's weight (1 when not given); sums in exact numeric
    SELECT pg_catalog.sum(w), coalesce(pg_catalog.sum(w) FILTER (WHERE d <= as_of), 0),
           pg_catalog.count(*) FILTER (WHERE d > as_of AND w > 0)
      INTO w_total, w_elapsed, selling_left
      FROM (SELECT d::date AS d,
                   (CASE WHEN month_weights IS NULL THEN 1::numeric
                         ELSE month_weights[pg_catalog.date_part('month', d)::integer]::numeric
                              / pg_catalog.date_part('day', pg_catalog.date_trunc('month', d) + interval '1 month - 1 day')::numeric END)
                   * (CASE WHEN weekday_weights IS NULL THEN 1::numeric
                           ELSE weekday_weights[pg_catalog.date_part('isodow', d)::integer]::numeric END) AS w
            FROM pg_catalog.generate_series(period_start::timestamp, period_end::timestamp, interval '1 day') AS d) AS days;
    IF w_total = 0 THEN
        RAISE EXCEPTION 'the weights leave no selling day in the period % to %', period_start, period_end
            USING ERRCODE = '22023',
                  HINT = 'At least one day of the period needs a positive month and weekday weight.';
    END IF;

    sc := LEAST(8, GREATEST(2, pg_catalog.scale(target)));
    expected := pg_catalog.round(target * w_elapsed / w_total, sc);
    RETURN QUERY SELECT
        expected,
        attained - expected,
        CASE WHEN expected = 0 THEN NULL ELSE (attained / expected)::double precision END,
        CASE WHEN w_elapsed = 0 THEN NULL ELSE pg_catalog.round(attained * w_total / w_elapsed, sc) END,
        CASE WHEN selling_left = 0 THEN NULL
             ELSE pg_catalog.round(GREATEST(target - attained, 0) / selling_left, sc) END,
        elapsed,
        total_days - elapsed,
        selling_left;
END
$$;

COMMENT ON FUNCTION salesplan.pacing(numeric, numeric, date, date, date, double precision[], double precision[]) IS
    'attainment against target at as_of inside a period (both ends included): expected to date (linear, or along month and weekday weights), attained - expected, attained / expected, run-rate forecast for the period, required rate per remaining selling day, days elapsed and remaining';

-- ---------------------------------------------------------------------------
-- Velocity, pipeline, time in stage, chart
-- ---------------------------------------------------------------------------

CREATE FUNCTION salesplan.sales_velocity(opportunities bigint, win_rate double precision,
                                         avg_deal numeric, cycle_days double precision)
RETURNS numeric
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF opportunities < 0 THEN
        RAISE EXCEPTION 'opportunities must be >= 0, not %', opportunities
            USING ERRCODE = '22023';
    END IF;
    IF NOT win_rate BETWEEN 0 AND 1 THEN
        RAISE EXCEPTION 'win_rate must be between 0 and 1, not %', win_rate
            USING ERRCODE = '22023',
                  HINT = 'A win rate is won / (won + lost) as a fraction: 0.25, not 25.';
    END IF;
    IF avg_deal < 0 OR avg_deal = 'NaN'::numeric OR avg_deal = 'Infinity'::numeric THEN
        RAISE EXCEPTION 'avg_deal must be a finite amount >= 0, not %', avg_deal
            USING ERRCODE = '22023';
    END IF;
    IF NOT cycle_days > 0 OR cycle_days = 'Infinity'::double precision OR cycle_days = 'NaN'::double precision THEN
        RAISE EXCEPTION 'cycle_days must be a finite number > 0, not %', cycle_days
            USING ERRCODE = '22023';
    END IF;
    RETURN pg_catalog.round(opportunities * win_rate::numeric * avg_deal / cycle_days::numeric,
                            LEAST(8, GREATEST(2, pg_catalog.scale(avg_deal))));
END
$$;

COMMENT ON FUNCTION salesplan.sales_velocity(bigint, double precision, numeric, double precision) IS
    'sales velocity: revenue the open pipeline produces per day = opportunities * win_rate * avg_deal / cycle_days';

CREATE FUNCTION salesplan.pipeline_coverage(open_pipeline numeric, target numeric, attained numeric)
RETURNS double precision
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF open_pipeline < 0 OR open_pipeline = 'NaN'::numeric OR open_pipeline = 'Infinity'::numeric THEN
        RAISE EXCEPTION 'open_pipeline must be a finite amount >= 0, not %', open_pipeline
            USING ERRCODE = '22023';
    END IF;
    IF target < 0 OR target = 'NaN'::numeric OR target = 'Infinity'::numeric THEN
        RAISE EXCEPTION 'target must be a finite amount >= 0, not %', target
            USING ERRCODE = '22023';
    END IF;
    IF attained = 'NaN'::numeric OR attained IN ('Infinity'::numeric, '-Infinity'::numeric) THEN
        RAISE EXCEPTION 'attained must be a finite amount, not %', attained
            USING ERRCODE = '22023';
    END IF;
    IF target - attained <= 0 THEN
        RETURN NULL;    -- target already met: nothing left to cover
    END IF;
    RETURN (open_pipeline / (target - attained))::double precision;
END
$$;

COMMENT ON FUNCTION salesplan.pipeline_coverage(numeric, numeric, numeric) IS
    'pipeline coverage: open pipeline / (target - attained); NULL when the target is already met (nothing left to cover)';

CREATE FUNCTION salesplan.weighted_pipeline_trans(numeric, numeric, double precision)
RETURNS numeric
AS 'MODULE_PATHNAME', 'salesplan_weighted_pipeline_trans'
LANGUAGE C IMMUTABLE PARALLEL SAFE;

COMMENT ON FUNCTION salesplan.weighted_pipeline_trans(numeric, numeric, double precision) IS
    'transition function of weighted_pipeline: adds amount * probability exactly';

CREATE FUNCTION salesplan.weighted_pipeline_final(numeric)
RETURNS numeric
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$ SELECT pg_catalog.round($1, 2) $$;

COMMENT ON FUNCTION salesplan.weighted_pipeline_final(numeric) IS
    'final function of weighted_pipeline: the exact sum rounded to cents';

CREATE AGGREGATE salesplan.weighted_pipeline(amount numeric, probability double precision) (
    SFUNC = salesplan.weighted_pipeline_trans,
    STYPE = numeric,
    COMBINEFUNC = pg_catalog.numeric_add,
    FINALFUNC = salesplan.weighted_pipeline_final,
    FINALFUNC_MODIFY = READ_ONLY,
    PARALLEL = SAFE
);

COMMENT ON AGGREGATE salesplan.weighted_pipeline(numeric, double precision) IS
    'weighted (expected) pipeline: sum of amount * stage probability over open opportunities, rounded to cents; rows with a NULL amount or probability add nothing; NULL over no rows';

CREATE FUNCTION salesplan.stage_durations(stages integer[], entered_at timestamp with time zone[],
                                          as_of timestamp with time zone DEFAULT NULL)
RETURNS TABLE (stage integer, visits bigint, time_in_stage interval)
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF stages IS NULL OR entered_at IS NULL THEN
        RETURN;
    END IF;
    IF pg_catalog.array_ndims(stages) > 1 OR pg_catalog.array_ndims(entered_at) > 1 THEN
        RAISE EXCEPTION 'stages and entered_at must be one-dimensional arrays'
            USING ERRCODE = '2202E';
    END IF;
    IF coalesce(pg_catalog.cardinality(stages), 0) <> coalesce(pg_catalog.cardinality(entered_at), 0) THEN
        RAISE EXCEPTION 'stages has % elements but entered_at has %',
            coalesce(pg_catalog.cardinality(stages), 0), coalesce(pg_catalog.cardinality(entered_at), 0)
            USING ERRCODE = '22023',
                  HINT = 'Aggregate both from the same rows: array_agg(stage ORDER BY entered_at), array_agg(entered_at ORDER BY entered_at).';
    END IF;
    IF EXISTS (SELECT FROM pg_catalog.unnest(entered_at) AS t WHERE NOT pg_catalog.isfinite(t))
       OR pg_catalog.isfinite(as_of) IS FALSE THEN
        RAISE EXCEPTION 'stage history timestamps must be finite'
            USING ERRCODE = '22023';
    END IF;
    -- each visit lasts until the next event of the entity (ties: in the
    -- arrays' order); the last visit lasts until as_of, or is not timed
    RETURN QUERY
        WITH ev AS (
            SELECT u.s, u.t, u.o
            FROM ROWS FROM (pg_catalog.unnest(stages), pg_catalog.unnest(entered_at)) WITH ORDINALITY AS u(s, t, o)
            WHERE u.s IS NOT NULL AND u.t IS NOT NULL
        ), timed AS (
            SELECT ev.s, ev.t,
                   coalesce(pg_catalog.lead(ev.t) OVER (ORDER BY ev.t, ev.o),
                            CASE WHEN as_of > ev.t THEN as_of ELSE ev.t END) - ev.t AS d
            FROM ev
        )
        SELECT timed.s, pg_catalog.count(*), pg_catalog.sum(timed.d)
        FROM timed
        GROUP BY timed.s
        ORDER BY timed.s;
END
$$;

COMMENT ON FUNCTION salesplan.stage_durations(integer[], timestamp with time zone[], timestamp with time zone) IS
    'time in stage from one entity''s stage history (stage entered at a time): visits per stage and total time, each visit counted (regressions included) until the next change, the last one until as_of (untimed when as_of is NULL)';

CREATE FUNCTION salesplan.cycle_length(stages integer[], entered_at timestamp with time zone[], closing_stage integer)
RETURNS interval
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT pg_catalog.min(u.t) FILTER (WHERE u.s = closing_stage) - pg_catalog.min(u.t)
    FROM ROWS FROM (pg_catalog.unnest(stages), pg_catalog.unnest(entered_at)) AS u(s, t)
    WHERE u.s IS NOT NULL AND u.t IS NOT NULL
$$;

COMMENT ON FUNCTION salesplan.cycle_length(integer[], timestamp with time zone[], integer) IS
    'sales cycle length of one entity: first entry into closing_stage minus its first event; NULL when it never reached closing_stage';

CREATE FUNCTION salesplan.funnel_chart(f salesplan.funnel, width integer DEFAULT 40, ascii boolean DEFAULT false,
                                       labels text[] DEFAULT NULL)
RETURNS SETOF text
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    e bigint[] := salesplan.entered(f);
    k integer := coalesce(pg_catalog.cardinality(e), 0);
    names text[];
    wnum integer;
    wname integer;
    bar text := CASE WHEN ascii THEN '#' ELSE U&'\2588' END;
    arrow text := CASE WHEN ascii THEN '->' ELSE U&'\2192' END;
BEGIN
    IF f IS NULL OR width IS NULL OR ascii IS NULL THEN
        RETURN;
    END IF;
    IF width < 1 OR width > 500 THEN
        RAISE EXCEPTION 'width must be between 1 and 500, not %', width
            USING ERRCODE = '22023';
    END IF;
    IF pg_catalog.array_ndims(labels) > 1 THEN
        RAISE EXCEPTION 'labels must be a one-dimensional array'
            USING ERRCODE = '2202E';
    END IF;
    IF k = 0 THEN
        RETURN;
    END IF;
    -- stage k's label: labels[k] (counted from the first element), else k
    names := ARRAY(SELECT coalesce((SELECT l FROM pg_catalog.unnest(labels) WITH ORDINALITY AS u(l, o) WHERE o = s), s::text)
                   FROM pg_catalog.generate_series(1, k) AS s ORDER BY s);
    wnum := pg_catalog.length(e[1]::text);
    wname := (SELECT pg_catalog.max(pg_catalog.length(n)) FROM pg_catalog.unnest(names) AS n);
    RETURN QUERY
        SELECT CASE WHEN labels IS NULL THEN pg_catalog.lpad(names[s], wname) ELSE pg_catalog.rpad(names[s], wname) END || ' '
               || pg_catalog.rpad(pg_catalog.repeat(bar,
                      CASE WHEN e[1] = 0 THEN 0
                           ELSE GREATEST(CASE WHEN e[s] > 0 THEN 1 ELSE 0 END,
                                         pg_catalog.round(e[s]::numeric * width / e[1])::integer) END),
                      width)
               || ' ' || pg_catalog.lpad(e[s]::text, wnum)
               || CASE WHEN s = k THEN '  revenue ' || salesplan.revenue(f)::text
                       WHEN e[s] = 0 THEN '  ' || arrow || ' n/a'
                       ELSE '  ' || arrow || ' '
                            || pg_catalog.to_char(pg_catalog.round(e[s + 1]::numeric * 100 / e[s], 1), 'FM990.0') || '%' END
        FROM pg_catalog.generate_series(1, k) AS s
        ORDER BY s;
END
$$;

COMMENT ON FUNCTION salesplan.funnel_chart(salesplan.funnel, integer, boolean, text[]) IS
    'psql-friendly chart of a funnel: one line per stage (its label, or its number) with a bar proportional to entered (width characters for stage 1), the count, and the conversion to the next stage (revenue on the won line); ascii => # and -> instead of block and arrow';

-- ---------------------------------------------------------------------
-- Behavior paradigm: target-account coverage (src/coverage.c)
-- ---------------------------------------------------------------------

CREATE TYPE salesplan.coverage;

CREATE FUNCTION salesplan.coverage_in(pg_catalog.cstring) RETURNS salesplan.coverage
    AS 'MODULE_PATHNAME', 'salesplan_coverage_in'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION salesplan.coverage_out(salesplan.coverage) RETURNS pg_catalog.cstring
    AS 'MODULE_PATHNAME', 'salesplan_coverage_out'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION salesplan.coverage_recv(pg_catalog.internal) RETURNS salesplan.coverage
    AS 'MODULE_PATHNAME', 'salesplan_coverage_recv'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION salesplan.coverage_send(salesplan.coverage) RETURNS pg_catalog.bytea
    AS 'MODULE_PATHNAME', 'salesplan_coverage_send'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE salesplan.coverage (
    INPUT = salesplan.coverage_in,
    OUTPUT = salesplan.coverage_out,
    RECEIVE = salesplan.coverage_recv,
    SEND = salesplan.coverage_send,
    INTERNALLENGTH = VARIABLE,
    ALIGNMENT = double,
    STORAGE = main
);

COMMENT ON TYPE salesplan.coverage IS
    'summary of a list of target accounts: accounts per ladder level (0 not reached .. 5 signed), won and potential value; built by coverage_agg, merged by rollup';
COMMENT ON FUNCTION salesplan.coverage_in(pg_catalog.cstring) IS
    'text input of salesplan.coverage: v1;levels=N,N,N,N,N,N;known=N;won=M;won_known=M;potential=M;scale=N';
COMMENT ON FUNCTION salesplan.coverage_out(salesplan.coverage) IS
    'text output of salesplan.coverage (round-trips through coverage_in)';
COMMENT ON FUNCTION salesplan.coverage_recv(pg_catalog.internal) IS
    'binary input of salesplan.coverage';
COMMENT ON FUNCTION salesplan.coverage_send(salesplan.coverage) IS
    'binary output of salesplan.coverage';

CREATE FUNCTION salesplan.coverage_trans(salesplan.coverage, integer, pg_catalog.numeric, pg_catalog.numeric)
    RETURNS salesplan.coverage
    AS 'MODULE_PATHNAME', 'salesplan_coverage_trans'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION salesplan.coverage_trans(salesplan.coverage, integer, pg_catalog.numeric, pg_catalog.numeric) IS
    'transition function of salesplan.coverage_agg (aggregate use only)';

CREATE FUNCTION salesplan.coverage_combine(salesplan.coverage, salesplan.coverage)
    RETURNS salesplan.coverage
    AS 'MODULE_PATHNAME', 'salesplan_coverage_combine'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION salesplan.coverage_combine(salesplan.coverage, salesplan.coverage) IS
    'combine function of salesplan.coverage_agg and salesplan.rollup(salesplan.coverage) (aggregate use only)';

CREATE AGGREGATE salesplan.coverage_agg(level integer, won pg_catalog.numeric, potential pg_catalog.numeric) (
    SFUNC = salesplan.coverage_trans,
    STYPE = salesplan.coverage,
    COMBINEFUNC = salesplan.coverage_combine,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE salesplan.coverage_agg(integer, pg_catalog.numeric, pg_catalog.numeric) IS
    'one row per target account: its deepest ladder level in the period (NULL = 0, not reached), won value (NULL = 0) and potential value (NULL = unknown)';

CREATE AGGREGATE salesplan.rollup(salesplan.coverage) (
    SFUNC = salesplan.coverage_combine,
    STYPE = salesplan.coverage,
    COMBINEFUNC = salesplan.coverage_combine,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE salesplan.rollup(salesplan.coverage) IS
    'merges coverage summaries (for example per territory into the whole company); NULL summaries are skipped';

CREATE FUNCTION salesplan.targets(c salesplan.coverage) RETURNS bigint
    AS 'MODULE_PATHNAME', 'salesplan_coverage_targets'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION salesplan.targets(salesplan.coverage) IS
    'number of target accounts in the summary';

CREATE FUNCTION salesplan.coverage_rate(c salesplan.coverage, min_level integer DEFAULT 1) RETURNS double precision
    AS 'MODULE_PATHNAME', 'salesplan_coverage_rate'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION salesplan.coverage_rate(salesplan.coverage, integer) IS
    'share of target accounts whose deepest level is at least min_level (default 1: reached); NULL for no targets';

CREATE FUNCTION salesplan.signing_rate(c salesplan.coverage) RETURNS double precision
    AS 'MODULE_PATHNAME', 'salesplan_coverage_signing_rate'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION salesplan.signing_rate(salesplan.coverage) IS
    'share of target accounts signed (level 5); NULL for no targets';

CREATE FUNCTION salesplan.penetration_rate(c salesplan.coverage) RETURNS double precision
    AS 'MODULE_PATHNAME', 'salesplan_coverage_penetration_rate'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION salesplan.penetration_rate(salesplan.coverage) IS
    'share of wallet: won value / potential value over the accounts whose potential is known; NULL when that potential sums to 0';

CREATE FUNCTION salesplan.won_value(c salesplan.coverage) RETURNS pg_catalog.numeric
    AS 'MODULE_PATHNAME', 'salesplan_coverage_won_value'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION salesplan.won_value(salesplan.coverage) IS
    'won value over all target accounts (exact)';

CREATE FUNCTION salesplan.potential_value(c salesplan.coverage) RETURNS pg_catalog.numeric
    AS 'MODULE_PATHNAME', 'salesplan_coverage_potential_value'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION salesplan.potential_value(salesplan.coverage) IS
    'potential value over the target accounts whose potential is known (exact); NULL when none is known';

CREATE FUNCTION salesplan.known_potential_accounts(c salesplan.coverage) RETURNS bigint
    AS 'MODULE_PATHNAME', 'salesplan_coverage_known_potential_accounts'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION salesplan.known_potential_accounts(salesplan.coverage) IS
    'number of target accounts whose potential value is known (the base of penetration_rate)';

CREATE FUNCTION salesplan.levels(c salesplan.coverage,
        OUT level integer, OUT accounts bigint, OUT share double precision)
    RETURNS SETOF record
    AS 'MODULE_PATHNAME', 'salesplan_coverage_levels'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 6;
COMMENT ON FUNCTION salesplan.levels(salesplan.coverage) IS
    'accounts whose deepest level is exactly each ladder level 0..5 (all six rows, zeros included) and their share of the targets';

-- ---------------------------------------------------------------------
-- Presales proposal rates (src/coverage.c)
-- ---------------------------------------------------------------------

CREATE TYPE salesplan.proposals;

CREATE FUNCTION salesplan.proposals_in(pg_catalog.cstring) RETURNS salesplan.proposals
    AS 'MODULE_PATHNAME', 'salesplan_proposals_in'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION salesplan.proposals_out(salesplan.proposals) RETURNS pg_catalog.cstring
    AS 'MODULE_PATHNAME', 'salesplan_proposals_out'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION salesplan.proposals_recv(pg_catalog.internal) RETURNS salesplan.proposals
    AS 'MODULE_PATHNAME', 'salesplan_proposals_recv'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION salesplan.proposals_send(salesplan.proposals) RETURNS pg_catalog.bytea
    AS 'MODULE_PATHNAME', 'salesplan_proposals_send'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE salesplan.proposals (
    INPUT = salesplan.proposals_in,
    OUTPUT = salesplan.proposals_out,
    RECEIVE = salesplan.proposals_recv,
    SEND = salesplan.proposals_send,
    INTERNALLENGTH = VARIABLE,
    ALIGNMENT = double,
    STORAGE = main
);

COMMENT ON TYPE salesplan.proposals IS
    'summary of presales proposal submissions: requested, delivered, on time, first submissions and their acceptance; built by proposal_agg, merged by rollup';
COMMENT ON FUNCTION salesplan.proposals_in(pg_catalog.cstring) IS
    'text input of salesplan.proposals: v1;requested=N;delivered=N;with_due=N;on_time=N;chains=N;first_pass=N;accepted=N';
COMMENT ON FUNCTION salesplan.proposals_out(salesplan.proposals) IS
    'text output of salesplan.proposals (round-trips through proposals_in)';
COMMENT ON FUNCTION salesplan.proposals_recv(pg_catalog.internal) IS
    'binary input of salesplan.proposals';
COMMENT ON FUNCTION salesplan.proposals_send(salesplan.proposals) IS
    'binary output of salesplan.proposals';

CREATE FUNCTION salesplan.proposals_trans(salesplan.proposals, integer, boolean,
        timestamp with time zone, timestamp with time zone, integer)
    RETURNS salesplan.proposals
    AS 'MODULE_PATHNAME', 'salesplan_proposals_trans'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION salesplan.proposals_trans(salesplan.proposals, integer, boolean,
        timestamp with time zone, timestamp with time zone, integer) IS
    'transition function of salesplan.proposal_agg (aggregate use only)';

CREATE FUNCTION salesplan.proposals_combine(salesplan.proposals, salesplan.proposals)
    RETURNS salesplan.proposals
    AS 'MODULE_PATHNAME', 'salesplan_proposals_combine'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION salesplan.proposals_combine(salesplan.proposals, salesplan.proposals) IS
    'combine function of salesplan.proposal_agg and salesplan.rollup(salesplan.proposals) (aggregate use only)';

CREATE AGGREGATE salesplan.proposal_agg(version integer, accepted boolean,
        requested_at timestamp with time zone, delivered_at timestamp with time zone, due_days integer) (
    SFUNC = salesplan.proposals_trans,
    STYPE = salesplan.proposals,
    COMBINEFUNC = salesplan.proposals_combine,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE salesplan.proposal_agg(integer, boolean, timestamp with time zone, timestamp with time zone, integer) IS
    'one row per proposal submission: version (1 = first submission of the opportunity''s proposal), accepted, requested_at, delivered_at (NULL = not delivered), due_days (agreed turnaround)';

CREATE AGGREGATE salesplan.rollup(salesplan.proposals) (
    SFUNC = salesplan.proposals_combine,
    STYPE = salesplan.proposals,
    COMBINEFUNC = salesplan.proposals_combine,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE salesplan.rollup(salesplan.proposals) IS
    'merges proposal summaries (for example per rep into the presales team); NULL summaries are skipped';

CREATE FUNCTION salesplan.first_pass_rate(p salesplan.proposals) RETURNS double precision
    AS 'MODULE_PATHNAME', 'salesplan_proposals_first_pass_rate'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION salesplan.first_pass_rate(salesplan.proposals) IS
    'proposal first-pass rate: delivered first submissions (version 1) accepted as they were / delivered first submissions; NULL when none';

CREATE FUNCTION salesplan.response_rate(p salesplan.proposals) RETURNS double precision
    AS 'MODULE_PATHNAME', 'salesplan_proposals_response_rate'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION salesplan.response_rate(salesplan.proposals) IS
    'proposal response rate: requests delivered within due_days x 24 hours of requested_at / requests with requested_at and due_days; NULL when none';

CREATE FUNCTION salesplan.acceptance_rate(p salesplan.proposals) RETURNS double precision
    AS 'MODULE_PATHNAME', 'salesplan_proposals_acceptance_rate'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION salesplan.acceptance_rate(salesplan.proposals) IS
    'accepted submissions / delivered submissions, any version; NULL when none delivered';

CREATE FUNCTION salesplan.proposals_requested(p salesplan.proposals) RETURNS bigint
    AS 'MODULE_PATHNAME', 'salesplan_proposals_requested'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION salesplan.proposals_requested(salesplan.proposals) IS
    'proposal submissions requested (input rows)';

CREATE FUNCTION salesplan.proposals_delivered(p salesplan.proposals) RETURNS bigint
    AS 'MODULE_PATHNAME', 'salesplan_proposals_delivered'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION salesplan.proposals_delivered(salesplan.proposals) IS
    'proposal submissions delivered (delivered_at not NULL)';

CREATE FUNCTION salesplan.proposals_due(p salesplan.proposals) RETURNS bigint
    AS 'MODULE_PATHNAME', 'salesplan_proposals_due'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION salesplan.proposals_due(salesplan.proposals) IS
    'requests with a known requested_at and due_days (the base of response_rate)';

CREATE FUNCTION salesplan.proposals_on_time(p salesplan.proposals) RETURNS bigint
    AS 'MODULE_PATHNAME', 'salesplan_proposals_on_time'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION salesplan.proposals_on_time(salesplan.proposals) IS
    'requests delivered within due_days x 24 hours of requested_at';

CREATE FUNCTION salesplan.proposal_chains(p salesplan.proposals) RETURNS bigint
    AS 'MODULE_PATHNAME', 'salesplan_proposal_chains'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION salesplan.proposal_chains(salesplan.proposals) IS
    'delivered first submissions (version 1): one per opportunity proposal chain, the base of first_pass_rate';

CREATE FUNCTION salesplan.proposals_first_pass(p salesplan.proposals) RETURNS bigint
    AS 'MODULE_PATHNAME', 'salesplan_proposals_first_pass'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION salesplan.proposals_first_pass(salesplan.proposals) IS
    'delivered first submissions (version 1) that were accepted';

CREATE FUNCTION salesplan.proposals_accepted(p salesplan.proposals) RETURNS bigint
    AS 'MODULE_PATHNAME', 'salesplan_proposals_accepted'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION salesplan.proposals_accepted(salesplan.proposals) IS
    'delivered submissions accepted, any version';

-- ---------------------------------------------------------------------
-- Account ladder mapping and per-account metrics (src/account.c)
-- ---------------------------------------------------------------------

CREATE FUNCTION salesplan.ladder_level(kind text, outcome text, mapping jsonb) RETURNS integer
    AS 'MODULE_PATHNAME', 'salesplan_account_ladder_level'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION salesplan.ladder_level(text, text, jsonb) IS
    'account ladder level (0..5) one piece of CRM evidence proves: mapping looked up as "kind:outcome", "*:outcome", "kind", "*"; NULL when no key matches or kind and outcome are both NULL (no evidence)';

CREATE FUNCTION salesplan.default_ladder_mapping() RETURNS jsonb
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    AS $$
SELECT '{
    "*": 1,
    "*:no_answer": 0, "*:bounced": 0, "*:no_show": 0, "*:unsubscribed": 0,
    "*:left_message": 1, "*:sent": 1,
    "*:connected": 2, "*:replied": 2, "*:needs_explored": 2, "*:declined": 2,
    "*:qualified": 3, "*:handed_over": 3,
    "visit": 2, "meeting": 2,
    "opportunity": 3, "opportunity:open": 3, "opportunity:lost": 3, "opportunity:won": 5,
    "proposal:requested": 3, "proposal": 4, "proposal:delivered": 4, "proposal:accepted": 4,
    "contract": 5, "contract:signed": 5
}'::pg_catalog.jsonb
$$;
COMMENT ON FUNCTION salesplan.default_ladder_mapping() IS
    'a starting ladder mapping for salesplan.ladder_level: any touch 1 (message left, email sent), no answer 0, conversation 2 (also when declined), qualified or opportunity 3, proposal delivered 4, won or signed 5';

CREATE FUNCTION salesplan.ladder_name(level integer) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    AS $$
SELECT (ARRAY['not reached', 'reached', 'connected', 'qualified', 'proposal delivered', 'signed'])[level + 1]
$$;
COMMENT ON FUNCTION salesplan.ladder_name(integer) IS
    'name of an account ladder level: 0 not reached, 1 reached, 2 connected, 3 qualified, 4 proposal delivered, 5 signed (NULL outside 0..5)';

CREATE FUNCTION salesplan.penetration(won pg_catalog.numeric, potential pg_catalog.numeric) RETURNS double precision
    AS 'MODULE_PATHNAME', 'salesplan_account_penetration'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION salesplan.penetration(pg_catalog.numeric, pg_catalog.numeric) IS
    'one account''s share of wallet: won / potential; NULL won counts as 0; NULL when potential is NULL or 0';

CREATE TYPE salesplan.touches;

CREATE FUNCTION salesplan.touches_in(pg_catalog.cstring) RETURNS salesplan.touches
    AS 'MODULE_PATHNAME', 'salesplan_touches_in'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION salesplan.touches_out(salesplan.touches) RETURNS pg_catalog.cstring
    AS 'MODULE_PATHNAME', 'salesplan_touches_out'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION salesplan.touches_recv(pg_catalog.internal) RETURNS salesplan.touches
    AS 'MODULE_PATHNAME', 'salesplan_touches_recv'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION salesplan.touches_send(salesplan.touches) RETURNS pg_catalog.bytea
    AS 'MODULE_PATHNAME', 'salesplan_touches_send'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE salesplan.touches (
    INPUT = salesplan.touches_in,
    OUTPUT = salesplan.touches_out,
    RECEIVE = salesplan.touches_recv,
    SEND = salesplan.touches_send,
    INTERNALLENGTH = VARIABLE,
    ALIGNMENT = double,
    STORAGE = extended
);

COMMENT ON TYPE salesplan.touches IS
    'one account''s touches: count, first and last touch, distinct contacts engaged (at most 100000); built by touch_agg, merged by rollup';
COMMENT ON FUNCTION salesplan.touches_in(pg_catalog.cstring) IS
    'text input of salesplan.touches: v1;touches=N;first=T;last=T;contacts=C,C,... (T in microseconds since 2000-01-01 UTC)';
COMMENT ON FUNCTION salesplan.touches_out(salesplan.touches) IS
    'text output of salesplan.touches (round-trips through touches_in)';
COMMENT ON FUNCTION salesplan.touches_recv(pg_catalog.internal) IS
    'binary input of salesplan.touches';
COMMENT ON FUNCTION salesplan.touches_send(salesplan.touches) IS
    'binary output of salesplan.touches';

CREATE FUNCTION salesplan.touches_trans(salesplan.touches, timestamp with time zone, bigint)
    RETURNS salesplan.touches
    AS 'MODULE_PATHNAME', 'salesplan_touches_trans'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION salesplan.touches_trans(salesplan.touches, timestamp with time zone, bigint) IS
    'transition function of salesplan.touch_agg (aggregate use only)';

CREATE FUNCTION salesplan.touches_combine(salesplan.touches, salesplan.touches)
    RETURNS salesplan.touches
    AS 'MODULE_PATHNAME', 'salesplan_touches_combine'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION salesplan.touches_combine(salesplan.touches, salesplan.touches) IS
    'combine function of salesplan.touch_agg and salesplan.rollup(salesplan.touches) (aggregate use only)';

CREATE FUNCTION salesplan.touches_final(salesplan.touches)
    RETURNS salesplan.touches
    AS 'MODULE_PATHNAME', 'salesplan_touches_final'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION salesplan.touches_final(salesplan.touches) IS
    'final function of salesplan.touch_agg and salesplan.rollup(salesplan.touches): the summary without spare room';

CREATE AGGREGATE salesplan.touch_agg(occurred_at timestamp with time zone, contact_id bigint) (
    SFUNC = salesplan.touches_trans,
    STYPE = salesplan.touches,
    FINALFUNC = salesplan.touches_final,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = salesplan.touches_combine,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE salesplan.touch_agg(timestamp with time zone, bigint) IS
    'one row per touch of one account: when (NULL = no touch, as from a LEFT JOIN) and which contact (NULL = unknown contact)';

CREATE AGGREGATE salesplan.rollup(salesplan.touches) (
    SFUNC = salesplan.touches_combine,
    STYPE = salesplan.touches,
    FINALFUNC = salesplan.touches_final,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = salesplan.touches_combine,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE salesplan.rollup(salesplan.touches) IS
    'merges touch summaries of one account (for example per month into the year); contacts are deduplicated';

CREATE FUNCTION salesplan.touches(t salesplan.touches) RETURNS bigint
    AS 'MODULE_PATHNAME', 'salesplan_touches_touches'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION salesplan.touches(salesplan.touches) IS
    'number of touches; 0 for NULL (never touched)';

CREATE FUNCTION salesplan.contacts_engaged(t salesplan.touches) RETURNS bigint
    AS 'MODULE_PATHNAME', 'salesplan_touches_contacts_engaged'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION salesplan.contacts_engaged(salesplan.touches) IS
    'number of distinct contacts touched; 0 for NULL (never touched)';

CREATE FUNCTION salesplan.contact_coverage(t salesplan.touches, buying_center_size integer) RETURNS double precision
    AS 'MODULE_PATHNAME', 'salesplan_touches_contact_coverage'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION salesplan.contact_coverage(salesplan.touches, integer) IS
    'contacts engaged / buying-center size; NULL when the size is NULL or 0; above 1 when more people were engaged than the size says';

CREATE FUNCTION salesplan.first_touch(t salesplan.touches) RETURNS timestamp with time zone
    AS 'MODULE_PATHNAME', 'salesplan_touches_first_touch'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION salesplan.first_touch(salesplan.touches) IS
    'time of the first touch; NULL when never touched';

CREATE FUNCTION salesplan.last_touch(t salesplan.touches) RETURNS timestamp with time zone
    AS 'MODULE_PATHNAME', 'salesplan_touches_last_touch'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION salesplan.last_touch(salesplan.touches) IS
    'time of the last touch; NULL when never touched';

CREATE FUNCTION salesplan.days_since_last_touch(t salesplan.touches, as_of timestamp with time zone) RETURNS integer
    AS 'MODULE_PATHNAME', 'salesplan_touches_days_since_last_touch'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION salesplan.days_since_last_touch(salesplan.touches, timestamp with time zone) IS
    'whole 24-hour days from the last touch to as_of (rounded down); NULL when never touched';

CREATE FUNCTION salesplan.is_cold(t salesplan.touches, as_of timestamp with time zone, keep_warm interval) RETURNS boolean
    AS 'MODULE_PATHNAME', 'salesplan_touches_is_cold'
    LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION salesplan.is_cold(salesplan.touches, timestamp with time zone, interval) IS
    'true when the last touch is before as_of - keep_warm, or the account was never touched (NULL state or no touch)';

-- ---------------------------------------------------------------------
-- Project paradigm: milestone schedules (src/schedule.c, doc/schedule.md)
-- ---------------------------------------------------------------------

CREATE TYPE salesplan.schedule;

CREATE FUNCTION salesplan.schedule_in(pg_catalog.cstring) RETURNS salesplan.schedule
    AS 'MODULE_PATHNAME', 'salesplan_schedule_in'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION salesplan.schedule_out(salesplan.schedule) RETURNS pg_catalog.cstring
    AS 'MODULE_PATHNAME', 'salesplan_schedule_out'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION salesplan.schedule_recv(internal) RETURNS salesplan.schedule
    AS 'MODULE_PATHNAME', 'salesplan_schedule_recv'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION salesplan.schedule_send(salesplan.schedule) RETURNS pg_catalog.bytea
    AS 'MODULE_PATHNAME', 'salesplan_schedule_send'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE salesplan.schedule (
    INPUT = salesplan.schedule_in,
    OUTPUT = salesplan.schedule_out,
    RECEIVE = salesplan.schedule_recv,
    SEND = salesplan.schedule_send,
    INTERNALLENGTH = VARIABLE,
    ALIGNMENT = double,
    STORAGE = extended
);

COMMENT ON TYPE salesplan.schedule IS
    'milestone schedule of a project or portfolio: (planned, actual, weight) per milestone and the project start; text form (1,<scale>,<start or ->,{<planned> <actual or -> <weight>,...})';
COMMENT ON FUNCTION salesplan.schedule_in(pg_catalog.cstring) IS
    'text input of salesplan.schedule (strict, versioned)';
COMMENT ON FUNCTION salesplan.schedule_out(salesplan.schedule) IS
    'text output of salesplan.schedule, milestones sorted by planned, actual, weight';
COMMENT ON FUNCTION salesplan.schedule_recv(internal) IS
    'binary input of salesplan.schedule (validated)';
COMMENT ON FUNCTION salesplan.schedule_send(salesplan.schedule) IS
    'binary output of salesplan.schedule';

CREATE FUNCTION salesplan.schedule_trans(salesplan.schedule, date, date, pg_catalog.numeric)
    RETURNS salesplan.schedule
    AS 'MODULE_PATHNAME', 'salesplan_schedule_trans'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION salesplan.schedule_trans(salesplan.schedule, date, date, pg_catalog.numeric, date)
    RETURNS salesplan.schedule
    AS 'MODULE_PATHNAME', 'salesplan_schedule_trans'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION salesplan.schedule_combine(salesplan.schedule, salesplan.schedule)
    RETURNS salesplan.schedule
    AS 'MODULE_PATHNAME', 'salesplan_schedule_combine'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION salesplan.schedule_final(salesplan.schedule)
    RETURNS salesplan.schedule
    AS 'MODULE_PATHNAME', 'salesplan_schedule_final'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;

COMMENT ON FUNCTION salesplan.schedule_trans(salesplan.schedule, date, date, pg_catalog.numeric) IS
    'transition function of salesplan.schedule_agg(planned, actual, weight)';
COMMENT ON FUNCTION salesplan.schedule_trans(salesplan.schedule, date, date, pg_catalog.numeric, date) IS
    'transition function of salesplan.schedule_agg(planned, actual, weight, start)';
COMMENT ON FUNCTION salesplan.schedule_combine(salesplan.schedule, salesplan.schedule) IS
    'combine function of the schedule aggregates, and transition function of salesplan.rollup(salesplan.schedule)';
COMMENT ON FUNCTION salesplan.schedule_final(salesplan.schedule) IS
    'final function of the schedule aggregates: a trimmed copy sorted by planned, actual, weight';

CREATE AGGREGATE salesplan.schedule_agg(planned date, actual date, weight pg_catalog.numeric) (
    SFUNC = salesplan.schedule_trans,
    STYPE = salesplan.schedule,
    FINALFUNC = salesplan.schedule_final,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = salesplan.schedule_combine,
    PARALLEL = SAFE
);
CREATE AGGREGATE salesplan.schedule_agg(planned date, actual date, weight pg_catalog.numeric, start date) (
    SFUNC = salesplan.schedule_trans,
    STYPE = salesplan.schedule,
    FINALFUNC = salesplan.schedule_final,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = salesplan.schedule_combine,
    PARALLEL = SAFE
);
CREATE AGGREGATE salesplan.rollup(salesplan.schedule) (
    SFUNC = salesplan.schedule_combine,
    STYPE = salesplan.schedule,
    FINALFUNC = salesplan.schedule_final,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = salesplan.schedule_combine,
    PARALLEL = SAFE
);

COMMENT ON AGGREGATE salesplan.schedule_agg(date, date, pg_catalog.numeric) IS
    'one project''s milestone schedule, one row per milestone: planned (baseline) date, actual date (NULL while not reached), weight (share of value, NULL = 1); the start is the earliest planned date';
COMMENT ON AGGREGATE salesplan.schedule_agg(date, date, pg_catalog.numeric, date) IS
    'one project''s milestone schedule with an explicit project start (the earliest of start and the planned dates is used)';
COMMENT ON AGGREGATE salesplan.rollup(salesplan.schedule) IS
    'merges project schedules into a portfolio schedule (all milestones, earliest start)';

-- accessors

CREATE FUNCTION salesplan.planned_value(s salesplan.schedule, as_of date) RETURNS pg_catalog.numeric
    AS 'MODULE_PATHNAME', 'salesplan_schedule_planned_value'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION salesplan.earned_value(s salesplan.schedule, as_of date) RETURNS pg_catalog.numeric
    AS 'MODULE_PATHNAME', 'salesplan_schedule_earned_value'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION salesplan.schedule_variance(s salesplan.schedule, as_of date) RETURNS pg_catalog.numeric
    AS 'MODULE_PATHNAME', 'salesplan_schedule_variance'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION salesplan.spi(s salesplan.schedule, as_of date) RETURNS float8
    AS 'MODULE_PATHNAME', 'salesplan_schedule_spi'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION salesplan.earned_schedule_days(s salesplan.schedule, as_of date) RETURNS float8
    AS 'MODULE_PATHNAME', 'salesplan_schedule_earned_schedule_days'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION salesplan.spi_t(s salesplan.schedule, as_of date) RETURNS float8
    AS 'MODULE_PATHNAME', 'salesplan_schedule_spi_t'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION salesplan.schedule_variance_t(s salesplan.schedule, as_of date) RETURNS float8
    AS 'MODULE_PATHNAME', 'salesplan_schedule_variance_t'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION salesplan.forecast_finish(s salesplan.schedule, as_of date) RETURNS date
    AS 'MODULE_PATHNAME', 'salesplan_schedule_forecast_finish'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION salesplan.on_time_rate(s salesplan.schedule, as_of date) RETURNS float8
    AS 'MODULE_PATHNAME', 'salesplan_schedule_on_time_rate'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION salesplan.slip_days(s salesplan.schedule, as_of date) RETURNS float8
    AS 'MODULE_PATHNAME', 'salesplan_schedule_slip_days'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION salesplan.late_milestones(s salesplan.schedule, as_of date) RETURNS integer
    AS 'MODULE_PATHNAME', 'salesplan_schedule_late_milestones'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION salesplan.total_weight(s salesplan.schedule) RETURNS pg_catalog.numeric
    AS 'MODULE_PATHNAME', 'salesplan_schedule_total_weight'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION salesplan.milestone_count(s salesplan.schedule) RETURNS integer
    AS 'MODULE_PATHNAME', 'salesplan_schedule_milestone_count'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION salesplan.project_start(s salesplan.schedule) RETURNS date
    AS 'MODULE_PATHNAME', 'salesplan_schedule_project_start'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION salesplan.planned_finish(s salesplan.schedule) RETURNS date
    AS 'MODULE_PATHNAME', 'salesplan_schedule_planned_finish'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION salesplan.milestones(s salesplan.schedule)
    RETURNS TABLE(planned date, actual date, weight pg_catalog.numeric)
    AS 'MODULE_PATHNAME', 'salesplan_schedule_milestones'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 10;

COMMENT ON FUNCTION salesplan.planned_value(salesplan.schedule, date) IS
    'PV: total weight of milestones planned on or before as_of';
COMMENT ON FUNCTION salesplan.earned_value(salesplan.schedule, date) IS
    'EV: total weight of milestones reached on or before as_of';
COMMENT ON FUNCTION salesplan.schedule_variance(salesplan.schedule, date) IS
    'SV = EV - PV at as_of, in weight units (negative = behind plan)';
COMMENT ON FUNCTION salesplan.spi(salesplan.schedule, date) IS
    'SPI = EV / PV at as_of; NULL when PV = 0; tends to 1 at the end of every project, late or not';
COMMENT ON FUNCTION salesplan.earned_schedule_days(salesplan.schedule, date) IS
    'ES: days after the project start at which the (linear) planned-value curve first reaches EV(as_of)';
COMMENT ON FUNCTION salesplan.spi_t(salesplan.schedule, date) IS
    'SPI(t) = ES / AT, AT = days from start to as_of (or to the actual finish once every milestone is reached); NULL when AT <= 0 or the planned duration is 0';
COMMENT ON FUNCTION salesplan.schedule_variance_t(salesplan.schedule, date) IS
    'SV(t) = ES - AT in days (negative = behind plan); NULL before the start';
COMMENT ON FUNCTION salesplan.forecast_finish(salesplan.schedule, date) IS
    'IEAC(t): start + planned duration / SPI(t), rounded to a day; the actual finish once every milestone is reached; NULL when SPI(t) is NULL or 0; infinity when beyond the date range';
COMMENT ON FUNCTION salesplan.on_time_rate(salesplan.schedule, date) IS
    'share (count, not weight) of milestones planned on or before as_of that were reached on or before their planned date; NULL when none is due';
COMMENT ON FUNCTION salesplan.slip_days(salesplan.schedule, date) IS
    'weighted mean slip in days of milestones due by as_of: actual - planned when reached by as_of, as_of - planned otherwise (negative = early); NULL when no due milestone has weight';
COMMENT ON FUNCTION salesplan.late_milestones(salesplan.schedule, date) IS
    'number of milestones due by as_of that were reached late or are still open past their planned date';
COMMENT ON FUNCTION salesplan.total_weight(salesplan.schedule) IS
    'BAC: total weight of all milestones';
COMMENT ON FUNCTION salesplan.milestone_count(salesplan.schedule) IS
    'number of milestones in the schedule';
COMMENT ON FUNCTION salesplan.project_start(salesplan.schedule) IS
    'project start used by the time-based metrics: the earliest of the explicit start and the planned dates';
COMMENT ON FUNCTION salesplan.planned_finish(salesplan.schedule) IS
    'latest planned milestone date';
COMMENT ON FUNCTION salesplan.milestones(salesplan.schedule) IS
    'the milestones of a schedule, sorted by planned, actual, weight (actual NULL while not reached)';

-- Lipke's earned schedule over a planned-value series

CREATE FUNCTION salesplan.earned_schedule(pv pg_catalog.numeric[], ev pg_catalog.numeric) RETURNS float8
    AS 'MODULE_PATHNAME', 'salesplan_schedule_earned_schedule'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION salesplan.earned_schedule(pg_catalog.numeric[], pg_catalog.numeric) IS
    'Lipke''s earned schedule in periods: ES = C + (EV - PV_C) / (PV_C+1 - PV_C), pv cumulative per period with PV_0 = 0; the first period at which a flat curve reaches EV';

-- milestone trend analysis

CREATE TYPE salesplan.slip_trend_state;

CREATE FUNCTION salesplan.slip_trend_state_in(pg_catalog.cstring) RETURNS salesplan.slip_trend_state
    AS 'MODULE_PATHNAME', 'salesplan_slip_trend_state_in'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION salesplan.slip_trend_state_out(salesplan.slip_trend_state) RETURNS pg_catalog.cstring
    AS 'MODULE_PATHNAME', 'salesplan_slip_trend_state_out'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION salesplan.slip_trend_state_recv(internal) RETURNS salesplan.slip_trend_state
    AS 'MODULE_PATHNAME', 'salesplan_slip_trend_state_recv'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION salesplan.slip_trend_state_send(salesplan.slip_trend_state) RETURNS pg_catalog.bytea
    AS 'MODULE_PATHNAME', 'salesplan_slip_trend_state_send'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE salesplan.slip_trend_state (
    INPUT = salesplan.slip_trend_state_in,
    OUTPUT = salesplan.slip_trend_state_out,
    RECEIVE = salesplan.slip_trend_state_recv,
    SEND = salesplan.slip_trend_state_send,
    INTERNALLENGTH = VARIABLE,
    ALIGNMENT = double,
    STORAGE = plain
);

COMMENT ON TYPE salesplan.slip_trend_state IS
    'state of salesplan.slip_trend: exact sums (n, x, y, xy, xx) of report and forecast day numbers (days since 2000-01-01); text form (1,n,sx,sy,sxy,sxx)';
COMMENT ON FUNCTION salesplan.slip_trend_state_in(pg_catalog.cstring) IS
    'text input of salesplan.slip_trend_state (strict, versioned)';
COMMENT ON FUNCTION salesplan.slip_trend_state_out(salesplan.slip_trend_state) IS
    'text output of salesplan.slip_trend_state';
COMMENT ON FUNCTION salesplan.slip_trend_state_recv(internal) IS
    'binary input of salesplan.slip_trend_state (validated)';
COMMENT ON FUNCTION salesplan.slip_trend_state_send(salesplan.slip_trend_state) IS
    'binary output of salesplan.slip_trend_state';

CREATE FUNCTION salesplan.slip_trend_trans(salesplan.slip_trend_state, date, date)
    RETURNS salesplan.slip_trend_state
    AS 'MODULE_PATHNAME', 'salesplan_slip_trend_trans'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION salesplan.slip_trend_combine(salesplan.slip_trend_state, salesplan.slip_trend_state)
    RETURNS salesplan.slip_trend_state
    AS 'MODULE_PATHNAME', 'salesplan_slip_trend_combine'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION salesplan.slip_trend_final(salesplan.slip_trend_state)
    RETURNS float8
    AS 'MODULE_PATHNAME', 'salesplan_slip_trend_final'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;

COMMENT ON FUNCTION salesplan.slip_trend_trans(salesplan.slip_trend_state, date, date) IS
    'transition function of salesplan.slip_trend';
COMMENT ON FUNCTION salesplan.slip_trend_combine(salesplan.slip_trend_state, salesplan.slip_trend_state) IS
    'combine function of salesplan.slip_trend';
COMMENT ON FUNCTION salesplan.slip_trend_final(salesplan.slip_trend_state) IS
    'final function of salesplan.slip_trend: least-squares slope, NULL with fewer than two distinct report dates';

CREATE AGGREGATE salesplan.slip_trend(reported date, forecast date) (
    SFUNC = salesplan.slip_trend_trans,
    STYPE = salesplan.slip_trend_state,
    FINALFUNC = salesplan.slip_trend_final,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = salesplan.slip_trend_combine,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE salesplan.slip_trend(date, date) IS
    'milestone trend analysis over one milestone''s forecast history: least-squares slope of forecast date against report date (0 = on track, 1 = slips a day per day); rows with a NULL date are skipped; NULL with fewer than two distinct report dates';

-- ---------------------------------------------------------------------
-- Choosing the paradigm: probability, behavior or project.  See doc/paradigm.md.
-- ---------------------------------------------------------------------

-- Thresholds (documented in doc/paradigm.md; the data-driven fit views of
-- the bindings feed their own proxies through this same function):
--   project      solution_standardization < 0.4 or need_explicitness < 0.4
--                (bespoke package, or a goal without a known path)
--   probability  otherwise, when potential_customers >= 1000,
--                need_explicitness >= 0.6 and solution_standardization >= 0.7
--                (many customers, explicit need, standard product)
--   behavior     everything else (a limited, known target list and a
--                semi-standard solution for an explicit problem)
CREATE FUNCTION salesplan.recommend_paradigm(potential_customers bigint,
                                             need_explicitness double precision,
                                             solution_standardization double precision)
    RETURNS text
    LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $fn$
BEGIN
    IF potential_customers < 0 THEN
        RAISE EXCEPTION 'potential_customers must not be negative: %', potential_customers
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF need_explicitness = 'NaN'::float8 OR need_explicitness < 0 OR need_explicitness > 1 THEN
        RAISE EXCEPTION 'need_explicitness must be a score in [0, 1]: %', need_explicitness
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'Score 0 for a need the customer cannot state, 1 for a need stated in a purchase request.';
    END IF;
    IF solution_standardization = 'NaN'::float8 OR solution_standardization < 0
       OR solution_standardization > 1 THEN
        RAISE EXCEPTION 'solution_standardization must be a score in [0, 1]: %', solution_standardization
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'Score 0 for a bespoke package (consulting, custom development), 1 for an off-the-shelf product.';
    END IF;

    IF solution_standardization < 0.4 OR need_explicitness < 0.4 THEN
        RETURN 'project';
    END IF;
    IF potential_customers >= 1000 AND need_explicitness >= 0.6
       AND solution_standardization >= 0.7 THEN
        RETURN 'probability';
    END IF;
    RETURN 'behavior';
END
$fn$;
COMMENT ON FUNCTION salesplan.recommend_paradigm(bigint, double precision, double precision) IS
    'which paradigm to break a target down with: project (standardization or need explicitness < 0.4), probability (>= 1000 potential customers, need >= 0.6, standardization >= 0.7), else behavior';

-- ---------------------------------------------------------------------
-- Bindings: views over the CRM tables people already have.
-- See doc/bindings.md.
--
-- A binding is one row of salesplan.binding: a kind, a target schema and a
-- jsonb spec naming relations and columns.  salesplan.regenerate() turns
-- the row into views (or materialized views) in the target schema; the
-- bind_* functions validate their arguments, store the row and call it.
-- Every identifier reaches generated SQL through format('%I') or a
-- relation name built by format('%I.%I'); literals through format('%L').
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
    created_at timestamptz NOT NULL DEFAULT pg_catalog.now()
);
COMMENT ON TABLE salesplan.binding IS
    'bindings of salesplan views to CRM tables: one row per binding; salesplan.regenerate() rebuilds the views from it (dumped with the extension)';
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
SELECT pg_catalog.pg_extension_config_dump('salesplan.binding', '');

-- ---------------------------------------------------------------------
-- internal helpers
-- ---------------------------------------------------------------------

-- schema-qualified, quoted name of a relation (independent of search_path)
CREATE FUNCTION salesplan.binding_relname(rel regclass) RETURNS text
    LANGUAGE sql STABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $fn$
    SELECT pg_catalog.format('%I.%I', n.nspname, c.relname)
    FROM pg_catalog.pg_class c
    JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
    WHERE c.oid = rel
$fn$;
COMMENT ON FUNCTION salesplan.binding_relname(regclass) IS
    'internal: schema-qualified, quoted name of a relation, as stored in a binding spec';

-- a relation named in a stored spec, or a clear error
CREATE FUNCTION salesplan.binding_relation(qualified text, binding_name text, role text)
    RETURNS regclass
    LANGUAGE plpgsql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    rel regclass;
    kind "char";
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
    SELECT c.relkind INTO kind FROM pg_catalog.pg_class c WHERE c.oid = rel;
    IF kind NOT IN ('r', 'p', 'v', 'm', 'f') THEN
        RAISE EXCEPTION 'relation % is not a table, view, materialized view or foreign table', qualified
            USING ERRCODE = 'wrong_object_type',
                  DETAIL = pg_catalog.format('It is the %s of binding "%s".', role, binding_name);
    END IF;
    RETURN rel;
END
$fn$;
COMMENT ON FUNCTION salesplan.binding_relation(text, text, text) IS
    'internal: resolves a relation stored in a binding spec; undefined_table (42P01) naming it when it is gone';

-- the type of a column, or a clear error with near column names
CREATE FUNCTION salesplan.binding_column(rel regclass, col name, role text, binding_name text)
    RETURNS regtype
    LANGUAGE plpgsql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    typ regtype;
    near text;
    hint text;
BEGIN
    IF col IS NULL THEN
        RAISE EXCEPTION 'binding "%" needs the % of relation %', binding_name, role,
                        salesplan.binding_relname(rel)
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    SELECT a.atttypid::regtype INTO typ
    FROM pg_catalog.pg_attribute a
    WHERE a.attrelid = rel AND a.attname = col AND a.attnum > 0 AND NOT a.attisdropped;
    IF FOUND THEN
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
    RAISE EXCEPTION 'column "%" of relation % does not exist', col, salesplan.binding_relname(rel)
        USING ERRCODE = 'undefined_column',
              DETAIL = pg_catalog.format('It was given as the %s of binding "%s".', role, binding_name),
              HINT = hint;
END
$fn$;
COMMENT ON FUNCTION salesplan.binding_column(regclass, name, text, text) IS
    'internal: type of a bound column; undefined_column (42703) naming it, with near column names as a hint';

-- a bound column whose type must belong to a set of type categories
CREATE FUNCTION salesplan.binding_typed_column(rel regclass, col name, role text, binding_name text,
                                               categories text, expected text)
    RETURNS regtype
    LANGUAGE plpgsql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    typ regtype;
    cat "char";
BEGIN
    typ := salesplan.binding_column(rel, col, role, binding_name);
    SELECT t.typcategory INTO cat FROM pg_catalog.pg_type t WHERE t.oid = typ;
    IF pg_catalog.strpos(categories, cat::text) = 0 THEN
        RAISE EXCEPTION 'column "%" of relation % has type %, not %', col,
                        salesplan.binding_relname(rel), typ, expected
            USING ERRCODE = 'datatype_mismatch',
                  DETAIL = pg_catalog.format('It was given as the %s of binding "%s".', role, binding_name);
    END IF;
    RETURN typ;
END
$fn$;
COMMENT ON FUNCTION salesplan.binding_typed_column(regclass, name, text, text, text, text) IS
    'internal: like binding_column, and datatype_mismatch (42804) unless the column type is in the given type categories';

-- the relations a binding generates, in creation order
CREATE FUNCTION salesplan.binding_objects(kind text, binding_name text) RETURNS text[]
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $fn$
    SELECT CASE kind
        WHEN 'funnel' THEN ARRAY[binding_name, binding_name || '_stages', binding_name || '_fit']
        WHEN 'window_funnel' THEN ARRAY[binding_name]
        WHEN 'coverage' THEN ARRAY[binding_name || '_accounts', binding_name]
        WHEN 'milestone' THEN ARRAY[binding_name, binding_name || '_portfolio']
    END
$fn$;
COMMENT ON FUNCTION salesplan.binding_objects(text, text) IS
    'internal: names of the views a binding of this kind creates';

-- the expression of a bucketed period column
CREATE FUNCTION salesplan.binding_period_expr(rel regclass, col name, unit text, binding_name text)
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
    typ := salesplan.binding_column(rel, col, 'period column', binding_name);
    IF typ = 'date'::regtype THEN
        RETURN pg_catalog.format('pg_catalog.date_trunc(%L, t.%I::pg_catalog.timestamp)::pg_catalog.date', unit, col);
    ELSIF typ IN ('timestamp'::regtype, 'timestamptz'::regtype) THEN
        RETURN pg_catalog.format('pg_catalog.date_trunc(%L, t.%I)::pg_catalog.date', unit, col);
    END IF;
    RAISE EXCEPTION 'column "%" of relation % has type %, not date or timestamp', col,
                    salesplan.binding_relname(rel), typ
        USING ERRCODE = 'datatype_mismatch',
              DETAIL = pg_catalog.format('It was given as the period column of binding "%s".', binding_name);
END
$fn$;
COMMENT ON FUNCTION salesplan.binding_period_expr(regclass, name, text, text) IS
    'internal: SQL expression of a period column truncated to day, week, month, quarter or year, as a date';

-- the expression of a money column, as numeric
CREATE FUNCTION salesplan.binding_money_expr(rel regclass, col name, role text, binding_name text,
                                             alias text DEFAULT 't')
    RETURNS text
    LANGUAGE plpgsql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    typ regtype;
BEGIN
    IF col IS NULL THEN
        RETURN 'NULL::pg_catalog.numeric';
    END IF;
    typ := salesplan.binding_typed_column(rel, col, role, binding_name, 'N', 'a number');
    IF typ IN ('real'::regtype, 'double precision'::regtype) THEN
        -- binary floats carry noise digits; money is kept to 8 decimals
        RETURN pg_catalog.format('pg_catalog.round(%I.%I::pg_catalog.numeric, 8)', alias, col);
    END IF;
    RETURN pg_catalog.format('%I.%I::pg_catalog.numeric', alias, col);
END
$fn$;
COMMENT ON FUNCTION salesplan.binding_money_expr(regclass, name, text, text, text) IS
    'internal: SQL expression of a money column as numeric (float columns rounded to 8 decimals)';

-- the expression of a date column, as date
CREATE FUNCTION salesplan.binding_date_expr(rel regclass, col name, role text, binding_name text,
                                            alias text DEFAULT 't')
    RETURNS text
    LANGUAGE plpgsql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $fn$
BEGIN
    IF col IS NULL THEN
        RETURN 'NULL::pg_catalog.date';
    END IF;
    PERFORM salesplan.binding_typed_column(rel, col, role, binding_name, 'D', 'a date or timestamp');
    RETURN pg_catalog.format('%I.%I::pg_catalog.date', alias, col);
END
$fn$;
COMMENT ON FUNCTION salesplan.binding_date_expr(regclass, name, text, text, text) IS
    'internal: SQL expression of a date or timestamp column as a date';

-- the expression of a boolean column, or NULL when unbound
CREATE FUNCTION salesplan.binding_bool_expr(rel regclass, col name, role text, binding_name text)
    RETURNS text
    LANGUAGE plpgsql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $fn$
BEGIN
    IF col IS NULL THEN
        RETURN NULL;
    END IF;
    PERFORM salesplan.binding_typed_column(rel, col, role, binding_name, 'B', 'boolean');
    RETURN pg_catalog.format('t.%I', col);
END
$fn$;
COMMENT ON FUNCTION salesplan.binding_bool_expr(regclass, name, text, text) IS
    'internal: SQL expression of a boolean column, NULL when none is bound';

-- checks dimension names: present, distinct, not clashing with fixed output columns
CREATE FUNCTION salesplan.binding_check_dimensions(rel regclass, dims name[], reserved text[],
                                                   binding_name text)
    RETURNS void
    LANGUAGE plpgsql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    d name;
BEGIN
    IF dims IS NULL THEN
        RETURN;
    END IF;
    IF pg_catalog.array_position(dims, NULL) IS NOT NULL THEN
        RAISE EXCEPTION 'dimensions of binding "%" contain a NULL', binding_name
            USING ERRCODE = 'null_value_not_allowed';
    END IF;
    FOREACH d IN ARRAY dims LOOP
        PERFORM salesplan.binding_column(rel, d, 'dimension', binding_name);
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
END
$fn$;
COMMENT ON FUNCTION salesplan.binding_check_dimensions(regclass, name[], text[], text) IS
    'internal: validates the dimension columns of a binding';

-- creates one view or materialized view with its comments and unique index
CREATE FUNCTION salesplan.binding_create_object(target_schema name, object_name text, query text,
                                                materialized boolean, unique_key text[],
                                                object_comment text, column_comments jsonb)
    RETURNS text
    LANGUAGE plpgsql VOLATILE
    SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    qualified text := pg_catalog.format('%I.%I', target_schema, object_name);
    rel regclass;
    col record;
    c text;
BEGIN
    IF materialized THEN
        EXECUTE pg_catalog.format('CREATE MATERIALIZED VIEW %s AS %s WITH DATA', qualified, query);
        EXECUTE pg_catalog.format('COMMENT ON MATERIALIZED VIEW %s IS %L', qualified, object_comment);
        EXECUTE pg_catalog.format('CREATE UNIQUE INDEX %I ON %s (%s)', object_name || '_key', qualified,
                                  (SELECT pg_catalog.string_agg(pg_catalog.quote_ident(k), ', ')
                                   FROM pg_catalog.unnest(unique_key) AS k));
        EXECUTE pg_catalog.format('COMMENT ON INDEX %I.%I IS %L', target_schema, object_name || '_key',
                                  'unique key of the rows, so that REFRESH MATERIALIZED VIEW CONCURRENTLY works');
    ELSE
        EXECUTE pg_catalog.format('CREATE OR REPLACE VIEW %s WITH (security_invoker = true) AS %s', qualified, query);
        EXECUTE pg_catalog.format('COMMENT ON VIEW %s IS %L', qualified, object_comment);
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
        EXECUTE pg_catalog.format('COMMENT ON COLUMN %s.%I IS %L', qualified, col.attname, c);
    END LOOP;
    RETURN qualified;
END
$fn$;
COMMENT ON FUNCTION salesplan.binding_create_object(name, text, text, boolean, text[], text, jsonb) IS
    'internal: creates a generated view (security_invoker) or materialized view (with a unique index), commenting it and every column';

-- ---------------------------------------------------------------------
-- funnel bindings
-- ---------------------------------------------------------------------

CREATE FUNCTION salesplan.binding_funnel_views(binding_name text, spec jsonb, declared text)
    RETURNS TABLE (object_name text, query text, unique_key text[],
                   object_comment text, column_comments jsonb)
    LANGUAGE plpgsql STABLE
    SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    rel regclass;
    relname text;
    stage_col name := spec ->> 'stage_column';
    stage_typ regtype;
    mode text;
    stage_order text[];
    stage_tab regclass;
    hist regclass;
    hist_key name;
    hist_stage name;
    entity_key name;
    nstages int;
    dims name[];
    reserved text[] := ARRAY['group_key', 'period', 'population', 'leads', 'won', 'revenue', 'aov',
                             'overall_conversion', 'unmapped', 'won_deals', 'lost_deals', 'win_rate',
                             'stage', 'stage_name', 'entered', 'advanced', 'conversion', 'cumulative',
                             'amount', 'accounts', 'deals', 'avg_deal_size', 'deal_size_cv',
                             'deal_size_p90_p10', 'median_cycle_days', 'need_score',
                             'standardization_score', 'looks_like', 'declared', 'matches'];
    ctes text := '';
    joins text := '';
    cur_expr text;
    hist_expr text;
    reached_expr text;
    label_expr text;
    agg_expr text;
    won_expr text;
    lost_expr text;
    closed_expr text;
    won_col text;
    account_expr text;
    cycle_expr text;
    src text;
    dim_src text := '';
    dim_out text := '';
    dim_group text := '';
    dim_key text := '';
    dim_comments jsonb := '{}';
    i int;
    source_note text;
BEGIN
    rel := salesplan.binding_relation(spec ->> 'relation', binding_name, 'relation');
    relname := salesplan.binding_relname(rel);
    source_note := pg_catalog.format(' (binding "%s" over %s)', binding_name, relname);
    stage_typ := salesplan.binding_column(rel, stage_col, 'stage column', binding_name);

    SELECT pg_catalog.array_agg(x::name ORDER BY o) INTO dims
    FROM pg_catalog.jsonb_array_elements_text(coalesce(spec -> 'dimensions', '[]')) WITH ORDINALITY AS e(x, o);
    PERFORM salesplan.binding_check_dimensions(rel, dims, reserved, binding_name);

    IF spec ? 'stage_order' THEN
        mode := 'names';
        SELECT pg_catalog.array_agg(x ORDER BY o) INTO stage_order
        FROM pg_catalog.jsonb_array_elements_text(spec -> 'stage_order') WITH ORDINALITY AS e(x, o);
        nstages := pg_catalog.cardinality(stage_order);
        cur_expr := pg_catalog.format('pg_catalog.array_position(%L::pg_catalog.text[], t.%I::pg_catalog.text)',
                                      stage_order, stage_col);
        label_expr := pg_catalog.format('(%L::pg_catalog.text[])[st.stage]', stage_order);
    ELSIF spec ? 'stage_table' THEN
        mode := 'table';
        stage_tab := salesplan.binding_relation(spec ->> 'stage_table', binding_name, 'stage table');
        PERFORM salesplan.binding_column(stage_tab, spec ->> 'stage_key', 'stage key column', binding_name);
        PERFORM salesplan.binding_column(stage_tab, spec ->> 'stage_sequence', 'stage sequence column', binding_name);
        IF spec ->> 'stage_label' IS NOT NULL THEN
            PERFORM salesplan.binding_column(stage_tab, spec ->> 'stage_label', 'stage label column', binding_name);
        END IF;
        ctes := pg_catalog.format(
            'sm AS (SELECT m.%1$I AS key, (pg_catalog.row_number() OVER (ORDER BY m.%2$I, m.%1$I))::pg_catalog.int4 AS ord, %3$s AS label FROM %4$s AS m WHERE m.%2$I IS NOT NULL), ',
            spec ->> 'stage_key', spec ->> 'stage_sequence',
            CASE WHEN spec ->> 'stage_label' IS NULL THEN 'NULL::pg_catalog.text'
                 ELSE pg_catalog.format('m.%I::pg_catalog.text', spec ->> 'stage_label') END,
            salesplan.binding_relname(stage_tab));
        joins := pg_catalog.format(' LEFT JOIN sm ON sm.key = t.%I', stage_col);
        cur_expr := 'sm.ord';
        label_expr := '(SELECT sm.label FROM sm WHERE sm.ord = st.stage)';
    ELSE
        mode := 'ordinal';
        PERFORM salesplan.binding_typed_column(rel, stage_col, 'stage column', binding_name, 'N', 'an integer stage ordinal');
        nstages := (spec ->> 'stages')::int;
        cur_expr := pg_catalog.format('t.%I::pg_catalog.int4', stage_col);
        label_expr := 'NULL::pg_catalog.text';
    END IF;

    IF spec ? 'history_table' THEN
        hist := salesplan.binding_relation(spec ->> 'history_table', binding_name, 'history table');
        hist_key := spec ->> 'history_key';
        hist_stage := coalesce(spec ->> 'history_stage', stage_col);
        entity_key := coalesce(spec ->> 'entity_key', 'id');
        PERFORM salesplan.binding_column(hist, hist_key, 'history key column', binding_name);
        PERFORM salesplan.binding_column(hist, hist_stage, 'history stage column', binding_name);
        PERFORM salesplan.binding_column(rel, entity_key, 'entity key column', binding_name);
        hist_expr := pg_catalog.format(
            '(SELECT pg_catalog.max(%s) FROM %s AS h%s WHERE h.%I = t.%I)',
            CASE mode
                WHEN 'names' THEN pg_catalog.format('pg_catalog.array_position(%L::pg_catalog.text[], h.%I::pg_catalog.text)', stage_order, hist_stage)
                WHEN 'table' THEN 'hm.ord'
                ELSE pg_catalog.format('h.%I::pg_catalog.int4', hist_stage) END,
            salesplan.binding_relname(hist),
            CASE WHEN mode = 'table' THEN pg_catalog.format(' JOIN sm AS hm ON hm.key = h.%I', hist_stage) ELSE '' END,
            hist_key, entity_key);
        reached_expr := pg_catalog.format('GREATEST(%s, %s)', cur_expr, hist_expr);
    ELSE
        reached_expr := cur_expr;
    END IF;

    IF mode = 'table' THEN
        agg_expr := 'salesplan.funnel_agg(src.reached, src.amount, (SELECT pg_catalog.count(*)::pg_catalog.int4 FROM sm))';
        won_col := 'src.reached = (SELECT pg_catalog.count(*)::pg_catalog.int4 FROM sm)';
    ELSIF nstages IS NOT NULL THEN
        agg_expr := pg_catalog.format('salesplan.funnel_agg(src.reached, src.amount, %s)', nstages);
        won_col := pg_catalog.format('src.reached = %s', nstages);
    ELSE
        agg_expr := 'salesplan.funnel_agg(src.reached, src.amount)';
        won_col := NULL;
    END IF;

    -- won, lost and closed status, when the binding knows them
    won_expr := salesplan.binding_bool_expr(rel, spec ->> 'won_column', 'won column', binding_name);
    IF won_expr IS NOT NULL THEN
        won_expr := won_expr || ' IS TRUE';
    ELSIF won_col IS NOT NULL THEN
        -- reached = the last stage; computed in src
        won_expr := replace(won_col, 'src.reached', '(' || reached_expr || ')');
    END IF;
    lost_expr := salesplan.binding_bool_expr(rel, spec ->> 'lost_column', 'lost column', binding_name);
    IF lost_expr IS NOT NULL THEN
        lost_expr := lost_expr || ' IS TRUE';
    ELSE
        lost_expr := salesplan.binding_bool_expr(rel, spec ->> 'active_column', 'active column', binding_name);
        IF lost_expr IS NOT NULL THEN
            lost_expr := lost_expr || ' IS FALSE';
        ELSE
            closed_expr := salesplan.binding_bool_expr(rel, spec ->> 'closed_column', 'closed column', binding_name);
            IF closed_expr IS NOT NULL AND won_expr IS NOT NULL THEN
                lost_expr := pg_catalog.format('(%s IS TRUE AND (%s) IS NOT TRUE)', closed_expr, won_expr);
            END IF;
        END IF;
    END IF;

    IF spec ->> 'account_column' IS NOT NULL THEN
        PERFORM salesplan.binding_column(rel, spec ->> 'account_column', 'account column', binding_name);
        account_expr := pg_catalog.format('t.%I', spec ->> 'account_column');
    END IF;
    IF spec ->> 'opened_column' IS NOT NULL AND spec ->> 'closed_date_column' IS NOT NULL THEN
        cycle_expr := pg_catalog.format('(%s - %s)',
            salesplan.binding_date_expr(rel, spec ->> 'closed_date_column', 'closed date column', binding_name),
            salesplan.binding_date_expr(rel, spec ->> 'opened_column', 'opened column', binding_name));
        IF won_expr IS NOT NULL AND lost_expr IS NOT NULL THEN
            cycle_expr := pg_catalog.format('CASE WHEN (%s) OR (%s) THEN %s END', won_expr, lost_expr, cycle_expr);
        END IF;
    ELSE
        cycle_expr := 'NULL::pg_catalog.int4';
    END IF;

    FOR i IN 1 .. coalesce(pg_catalog.cardinality(dims), 0) LOOP
        dim_src := dim_src || pg_catalog.format(', t.%I AS d%s', dims[i], i);
        dim_out := dim_out || pg_catalog.format(', g.d%s AS %I', i, dims[i]);
        dim_group := dim_group || pg_catalog.format(', src.d%s', i);
        dim_key := dim_key || pg_catalog.format(', g.d%s', i);
        dim_comments := dim_comments || pg_catalog.jsonb_build_object(dims[i]::text,
            pg_catalog.format('dimension: column %s of %s', pg_catalog.quote_ident(dims[i]), relname));
    END LOOP;

    src := pg_catalog.format(
        'WITH %ssrc AS (SELECT %s AS period%s, %s AS reached, %s AS amount, %s AS is_won, %s AS is_lost, %s AS account, %s AS cycle_days FROM %s AS t%s)',
        ctes,
        salesplan.binding_period_expr(rel, spec ->> 'period_column', spec ->> 'period', binding_name),
        dim_src, reached_expr,
        salesplan.binding_money_expr(rel, spec ->> 'amount_column', 'amount column', binding_name),
        coalesce(won_expr, 'NULL::pg_catalog.bool'), coalesce(lost_expr, 'NULL::pg_catalog.bool'),
        coalesce(account_expr, 'NULL::pg_catalog.int4'), cycle_expr,
        relname, joins);

    -- 1. one row per period and dimensions
    object_name := binding_name;
    query := src || pg_catalog.format(
        ', g AS (SELECT src.period%1$s, %2$s AS f, pg_catalog.count(*) FILTER (WHERE src.reached IS NULL) AS unmapped, '
        || '%3$s AS won_deals, %4$s AS lost_deals FROM src GROUP BY src.period%1$s) '
        || 'SELECT ROW(g.period%5$s)::pg_catalog.text AS group_key, g.period%6$s, '
        || 'coalesce(salesplan.population(g.f), 0) AS population, coalesce(salesplan.leads(g.f), 0) AS leads, '
        || 'coalesce(salesplan.won(g.f), 0) AS won, coalesce(salesplan.revenue(g.f), 0) AS revenue, '
        || 'salesplan.aov(g.f) AS aov, salesplan.overall_conversion(g.f) AS overall_conversion, '
        || 'g.unmapped, g.won_deals, g.lost_deals, '
        || '(g.won_deals::pg_catalog.float8 / NULLIF(g.won_deals + g.lost_deals, 0)) AS win_rate '
        || 'FROM g',
        dim_group, agg_expr,
        CASE WHEN won_expr IS NULL THEN 'NULL::pg_catalog.int8' ELSE 'pg_catalog.count(*) FILTER (WHERE src.is_won)' END,
        CASE WHEN lost_expr IS NULL THEN 'NULL::pg_catalog.int8' ELSE 'pg_catalog.count(*) FILTER (WHERE src.is_lost)' END,
        dim_key, dim_out);
    unique_key := ARRAY['group_key'];
    object_comment := 'stage funnel per period and dimension' || source_note;
    column_comments := dim_comments || pg_catalog.jsonb_build_object(
        'group_key', 'unique text key of the row''s period and dimension values (NULL-safe)',
        'period', 'start of the period (date_trunc of the period column), NULL when no period column is bound',
        'population', 'entities with a mapped stage, including those that never entered the funnel (stage 0)',
        'leads', 'entities that entered stage 1',
        'won', 'entities that reached the last stage',
        'revenue', 'sum of the amounts of entities that reached the last stage',
        'aov', 'average order value: revenue / won entities with an amount',
        'overall_conversion', 'won / leads (not a win rate)',
        'unmapped', 'rows whose stage maps to no stage of the binding (left out of the funnel)',
        'won_deals', 'rows marked won (won column, or last stage); NULL when the binding cannot tell',
        'lost_deals', 'rows marked lost (lost column, inactive, or closed and not won); NULL when the binding cannot tell',
        'win_rate', 'won_deals / (won_deals + lost_deals): win rate over closed deals, open deals left out');
    RETURN NEXT;

    -- 2. one row per period, dimensions and stage
    object_name := binding_name || '_stages';
    query := src || pg_catalog.format(
        ', g AS (SELECT src.period%1$s, %2$s AS f FROM src GROUP BY src.period%1$s) '
        || 'SELECT ROW(g.period%3$s)::pg_catalog.text AS group_key, g.period%4$s, st.stage, %5$s AS stage_name, '
        || 'st.entered, st.advanced, st.conversion, st.cumulative, st.amount '
        || 'FROM g CROSS JOIN LATERAL salesplan.stages(g.f) AS st',
        dim_group, agg_expr, dim_key, dim_out, label_expr);
    unique_key := ARRAY['group_key', 'stage'];
    object_comment := 'stage funnel per period, dimension and stage' || source_note;
    column_comments := dim_comments || pg_catalog.jsonb_build_object(
        'group_key', 'unique text key of the row''s period and dimension values (NULL-safe)',
        'period', 'start of the period (date_trunc of the period column), NULL when no period column is bound',
        'stage', 'stage ordinal, 1 = entered the funnel, last = won',
        'stage_name', 'stage name (from the stage order or the stage table), NULL for bare ordinals',
        'entered', 'entities that reached this stage or a later one',
        'advanced', 'entities that reached a later stage (NULL at the last stage)',
        'conversion', 'advanced / entered',
        'cumulative', 'entered / entered at stage 1',
        'amount', 'sum of the amounts of entities whose deepest stage is this one');
    RETURN NEXT;

    -- 3. paradigm fit per dimension, over all periods
    object_name := binding_name || '_fit';
    query := src || pg_catalog.format(
        ', g AS (SELECT %1$s AS accounts, pg_catalog.count(*) AS deals%2$s, '
        || 'pg_catalog.avg(src.amount) FILTER (WHERE src.amount > 0) AS avg_deal_size, '
        || 'CASE WHEN pg_catalog.count(*) FILTER (WHERE src.amount > 0) >= 5 THEN '
        || '(pg_catalog.stddev_pop(src.amount) FILTER (WHERE src.amount > 0) / NULLIF(pg_catalog.avg(src.amount) FILTER (WHERE src.amount > 0), 0))::pg_catalog.float8 END AS deal_size_cv, '
        || 'CASE WHEN pg_catalog.count(*) FILTER (WHERE src.amount > 0) >= 5 THEN '
        || '(pg_catalog.percentile_cont(0.9) WITHIN GROUP (ORDER BY src.amount::pg_catalog.float8) FILTER (WHERE src.amount > 0) '
        || ' / NULLIF(pg_catalog.percentile_cont(0.1) WITHIN GROUP (ORDER BY src.amount::pg_catalog.float8) FILTER (WHERE src.amount > 0), 0)) END AS deal_size_p90_p10, '
        || 'pg_catalog.percentile_cont(0.5) WITHIN GROUP (ORDER BY (CASE WHEN src.cycle_days < 0 THEN 0 ELSE src.cycle_days END)::pg_catalog.float8) AS median_cycle_days '
        || 'FROM src%3$s), '
        || 's AS (SELECT g.*, 90.0::pg_catalog.float8 / (90.0 + g.median_cycle_days) AS need_score, '
        || '1.0::pg_catalog.float8 / (1.0 + g.deal_size_cv / 2.0) AS standardization_score FROM g) '
        || 'SELECT ROW(true%4$s)::pg_catalog.text AS group_key%5$s, g.accounts, g.deals, g.avg_deal_size, g.deal_size_cv, '
        || 'g.deal_size_p90_p10, g.median_cycle_days, g.need_score, g.standardization_score, '
        || 'salesplan.recommend_paradigm(g.accounts, g.need_score, g.standardization_score) AS looks_like, '
        || '%6$L::pg_catalog.text AS declared, '
        || 'salesplan.recommend_paradigm(g.accounts, g.need_score, g.standardization_score) = %6$L AS matches '
        || 'FROM s AS g',
        CASE WHEN account_expr IS NULL THEN 'pg_catalog.count(*)' ELSE 'pg_catalog.count(DISTINCT src.account)' END,
        replace(dim_group, 'src.', ' src.'),
        CASE WHEN dim_group = '' THEN '' ELSE ' GROUP BY ' || pg_catalog.substr(dim_group, 3) END,
        dim_key, dim_out, declared);
    unique_key := ARRAY['group_key'];
    object_comment := 'paradigm fit per dimension over all periods: which paradigm the data looks like, and whether it matches the declared one' || source_note;
    column_comments := dim_comments || pg_catalog.jsonb_build_object(
        'group_key', 'unique text key of the row''s dimension values (NULL-safe)',
        'accounts', 'distinct accounts (account column), or rows when no account column is bound',
        'deals', 'rows (deals or leads)',
        'avg_deal_size', 'average amount over rows with a positive amount',
        'deal_size_cv', 'coefficient of variation of the amount (population standard deviation / mean) over rows with a positive amount; NULL with fewer than 5 such rows',
        'deal_size_p90_p10', 'ratio of the 90th to the 10th percentile of the amount over rows with a positive amount; NULL with fewer than 5 such rows',
        'median_cycle_days', 'median days from the opened date to the closed date, over closed rows (all rows with both dates when open/closed is unknown)',
        'need_score', 'proxy for need explicitness: 90 / (90 + median_cycle_days)',
        'standardization_score', 'proxy for solution standardization: 1 / (1 + deal_size_cv / 2)',
        'looks_like', 'salesplan.recommend_paradigm(accounts, need_score, standardization_score); NULL when a proxy is unknown',
        'declared', 'paradigm the binding declares',
        'matches', 'looks_like = declared');
    RETURN NEXT;
END
$fn$;
COMMENT ON FUNCTION salesplan.binding_funnel_views(text, jsonb, text) IS
    'internal: SQL of the views of a funnel binding, from its spec';

-- ---------------------------------------------------------------------
-- windowed ordered funnels from a stage history (probability paradigm)
-- ---------------------------------------------------------------------

CREATE FUNCTION salesplan.binding_window_funnel_views(binding_name text, spec jsonb, declared text)
    RETURNS TABLE (object_name text, query text, unique_key text[],
                   object_comment text, column_comments jsonb)
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
    ts_expr text;
    step_expr text;
    label_expr text;
    nsteps text;
    ctes text := '';
    joins text := '';
    dims name[];
    reserved text[] := ARRAY['group_key', 'period', 'step', 'step_name', 'entities', 'reached',
                             'advanced', 'conversion', 'cumulative'];
    stage_order text[];
    stage_tab regclass;
    src text;
    dim_src text := '';
    dim_out text := '';
    dim_group text := '';
    dim_key text := '';
    dim_comments jsonb := '{}';
    source_note text;
    i int;
BEGIN
    hist := salesplan.binding_relation(spec ->> 'relation', binding_name, 'stage history');
    histname := salesplan.binding_relname(hist);
    PERFORM salesplan.binding_column(hist, spec ->> 'entity_column', 'entity column', binding_name);
    PERFORM salesplan.binding_column(hist, stage_col, 'stage column', binding_name);
    time_typ := salesplan.binding_typed_column(hist, time_col, 'time column', binding_name, 'D', 'a date or timestamp');
    ts_expr := CASE WHEN time_typ IN ('timestamp'::regtype, 'timestamptz'::regtype)
                    THEN pg_catalog.format('h.%I', time_col)
                    ELSE pg_catalog.format('h.%I::pg_catalog.timestamp', time_col) END;
    source_note := pg_catalog.format(' (binding "%s" over %s)', binding_name, histname);

    IF spec ? 'stage_order' THEN
        SELECT pg_catalog.array_agg(x ORDER BY o) INTO stage_order
        FROM pg_catalog.jsonb_array_elements_text(spec -> 'stage_order') WITH ORDINALITY AS e(x, o);
        nsteps := pg_catalog.cardinality(stage_order)::text;
        step_expr := pg_catalog.format('pg_catalog.array_position(%L::pg_catalog.text[], h.%I::pg_catalog.text)',
                                       stage_order, stage_col);
        label_expr := pg_catalog.format('(%L::pg_catalog.text[])[st.stage]', stage_order);
    ELSIF spec ? 'stage_table' THEN
        stage_tab := salesplan.binding_relation(spec ->> 'stage_table', binding_name, 'stage table');
        PERFORM salesplan.binding_column(stage_tab, spec ->> 'stage_key', 'stage key column', binding_name);
        PERFORM salesplan.binding_column(stage_tab, spec ->> 'stage_sequence', 'stage sequence column', binding_name);
        IF spec ->> 'stage_label' IS NOT NULL THEN
            PERFORM salesplan.binding_column(stage_tab, spec ->> 'stage_label', 'stage label column', binding_name);
        END IF;
        ctes := pg_catalog.format(
            'sm AS (SELECT m.%1$I AS key, (pg_catalog.row_number() OVER (ORDER BY m.%2$I, m.%1$I))::pg_catalog.int4 AS ord, %3$s AS label FROM %4$s AS m WHERE m.%2$I IS NOT NULL), ',
            spec ->> 'stage_key', spec ->> 'stage_sequence',
            CASE WHEN spec ->> 'stage_label' IS NULL THEN 'NULL::pg_catalog.text'
                 ELSE pg_catalog.format('m.%I::pg_catalog.text', spec ->> 'stage_label') END,
            salesplan.binding_relname(stage_tab));
        joins := pg_catalog.format(' LEFT JOIN sm ON sm.key = h.%I', stage_col);
        step_expr := 'sm.ord';
        nsteps := '(SELECT pg_catalog.count(*)::pg_catalog.int4 FROM sm)';
        label_expr := '(SELECT sm.label FROM sm WHERE sm.ord = st.stage)';
    ELSE
        PERFORM salesplan.binding_typed_column(hist, stage_col, 'stage column', binding_name, 'N', 'an integer step');
        nsteps := ((spec ->> 'stages')::int)::text;
        step_expr := pg_catalog.format('h.%I::pg_catalog.int4', stage_col);
        label_expr := 'NULL::pg_catalog.text';
    END IF;

    SELECT pg_catalog.array_agg(x::name ORDER BY o) INTO dims
    FROM pg_catalog.jsonb_array_elements_text(coalesce(spec -> 'dimensions', '[]')) WITH ORDINALITY AS e(x, o);
    IF spec ? 'entity_table' THEN
        ent := salesplan.binding_relation(spec ->> 'entity_table', binding_name, 'entity table');
        entname := salesplan.binding_relname(ent);
        PERFORM salesplan.binding_column(ent, spec ->> 'entity_key', 'entity key column', binding_name);
        PERFORM salesplan.binding_check_dimensions(ent, dims, reserved, binding_name);
        FOR i IN 1 .. coalesce(pg_catalog.cardinality(dims), 0) LOOP
            dim_src := dim_src || pg_catalog.format(', t.%I AS d%s', dims[i], i);
            dim_out := dim_out || pg_catalog.format(', g.d%s AS %I', i, dims[i]);
            dim_group := dim_group || pg_catalog.format(', src.d%s', i);
            dim_key := dim_key || pg_catalog.format(', g.d%s', i);
            dim_comments := dim_comments || pg_catalog.jsonb_build_object(dims[i]::text,
                pg_catalog.format('dimension: column %s of %s', pg_catalog.quote_ident(dims[i]), entname));
        END LOOP;
        src := pg_catalog.format(
            'src AS (SELECT %s AS period%s, coalesce(ent.level, 0) AS level FROM %s AS t LEFT JOIN ent ON ent.entity = t.%I)',
            salesplan.binding_period_expr(ent, spec ->> 'period_column', spec ->> 'period', binding_name),
            dim_src, entname, spec ->> 'entity_key');
    ELSE
        src := 'src AS (SELECT NULL::pg_catalog.date AS period, ent.level FROM ent)';
    END IF;

    object_name := binding_name;
    query := pg_catalog.format(
        'WITH %1$sev AS (SELECT h.%2$I AS entity, %3$s AS ts, %4$s AS step FROM %5$s AS h%6$s), '
        || 'ent AS (SELECT ev.entity, salesplan.window_funnel(%7$L::pg_catalog.interval, ev.ts, ev.step%8$s) AS level FROM ev GROUP BY ev.entity), '
        || '%9$s, '
        || 'g AS (SELECT src.period%10$s, salesplan.funnel_agg(src.level, NULL::pg_catalog.numeric, %11$s) AS f, pg_catalog.count(*) AS entities '
        || 'FROM src GROUP BY src.period%10$s) '
        || 'SELECT ROW(g.period%12$s)::pg_catalog.text AS group_key, g.period%13$s, st.stage AS step, %14$s AS step_name, '
        || 'g.entities, st.entered AS reached, st.advanced, st.conversion, st.cumulative '
        || 'FROM g CROSS JOIN LATERAL salesplan.stages(g.f) AS st',
        ctes, spec ->> 'entity_column', ts_expr, step_expr, histname, joins,
        spec ->> 'window',
        CASE WHEN spec ->> 'mode' IS NULL THEN '' ELSE pg_catalog.format(', %L::pg_catalog.text', spec ->> 'mode') END,
        src, dim_group, nsteps, dim_key, dim_out, label_expr);
    unique_key := ARRAY['group_key', 'step'];
    object_comment := pg_catalog.format('ordered funnel within %s of the first step, per period, dimension and step', spec ->> 'window')
                      || source_note;
    column_comments := dim_comments || pg_catalog.jsonb_build_object(
        'group_key', 'unique text key of the row''s period and dimension values (NULL-safe)',
        'period', 'start of the period of the entity (entity table), NULL when no period column is bound',
        'step', 'step number, 1 = first step',
        'step_name', 'step name (from the stage order or the stage table), NULL for bare ordinals',
        'entities', 'entities in the group (with an entity table: every entity, with or without history)',
        'reached', 'entities whose salesplan.window_funnel level is at least this step',
        'advanced', 'entities that reached the next step in order within the window (NULL at the last step)',
        'conversion', 'advanced / reached',
        'cumulative', 'reached / reached at step 1');
    RETURN NEXT;
END
$fn$;
COMMENT ON FUNCTION salesplan.binding_window_funnel_views(text, jsonb, text) IS
    'internal: SQL of the view of a windowed-funnel binding, from its spec';

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
        paradigm text DEFAULT 'probability')
    RETURNS SETOF text
    LANGUAGE plpgsql VOLATILE
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
    RETURN QUERY SELECT * FROM salesplan.binding_store(binding_name, 'window_funnel', target_schema,
        pg_catalog.jsonb_build_object(
            'relation', salesplan.binding_relname(history),
            'entity_column', entity_column,
            'time_column', time_column,
            'stage_column', stage_column,
            'window', within::text,
            'stage_order', pg_catalog.to_jsonb(stage_order),
            'stage_table', salesplan.binding_relname(stage_table),
            'stage_key', CASE WHEN stage_table IS NOT NULL THEN stage_key END,
            'stage_sequence', CASE WHEN stage_table IS NOT NULL THEN stage_sequence END,
            'stage_label', CASE WHEN stage_table IS NOT NULL THEN stage_label END,
            'stages', CASE WHEN stage_order IS NULL AND stage_table IS NULL THEN stages END,
            'mode', mode,
            'entity_table', salesplan.binding_relname(entity_table),
            'entity_key', CASE WHEN entity_table IS NOT NULL THEN entity_key END,
            'period_column', period_column,
            'period', CASE WHEN period_column IS NOT NULL THEN period END,
            'dimensions', pg_catalog.to_jsonb(coalesce(dimensions, '{}'))),
        materialized, paradigm);
END
$fn$;
COMMENT ON FUNCTION salesplan.bind_window_funnel(text, name, regclass, name, name, name, interval, text[], regclass, name, name, name, integer, text, regclass, name, name, text, name[], boolean, text) IS
    'binds a stage-history table: creates view binding_name (ordered funnel within a window, per period, dimension and step) in target_schema';

-- ---------------------------------------------------------------------
-- coverage bindings (behavior paradigm)
-- ---------------------------------------------------------------------

CREATE FUNCTION salesplan.binding_coverage_views(binding_name text, spec jsonb, declared text)
    RETURNS TABLE (object_name text, query text, unique_key text[],
                   object_comment text, column_comments jsonb)
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
    reserved text[] := ARRAY['group_key', 'as_of', 'level', 'touches', 'contacts', 'last_touch',
                             'days_since_last_touch', 'cold', 'opportunities', 'proposals', 'won',
                             'potential', 'penetration', 'targets', 'reached', 'coverage_rate',
                             'connected_rate', 'qualified_rate', 'proposal_rate', 'signing_rate',
                             'penetration_rate', 'cold_accounts'];
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
    src text;
    dim_src text := '';
    dim_out text := '';
    dim_group text := '';
    dim_key text := '';
    dim_comments jsonb := '{}';
    source_note text;
    keep_warm int := coalesce((spec ->> 'keep_warm_days')::int, 30);
    i int;
BEGIN
    rel := salesplan.binding_relation(spec ->> 'relation', binding_name, 'target list');
    relname := salesplan.binding_relname(rel);
    source_note := pg_catalog.format(' (binding "%s" over target list %s)', binding_name, relname);
    PERFORM salesplan.binding_column(rel, account_col, 'account column', binding_name);
    IF account_col::text = ANY (reserved) THEN
        RAISE EXCEPTION 'account column "%" clashes with an output column of the view', account_col
            USING ERRCODE = 'duplicate_column';
    END IF;
    SELECT pg_catalog.array_agg(x::name ORDER BY o) INTO dims
    FROM pg_catalog.jsonb_array_elements_text(coalesce(spec -> 'dimensions', '[]')) WITH ORDINALITY AS e(x, o);
    PERFORM salesplan.binding_check_dimensions(rel, dims, reserved || account_col::text, binding_name);
    as_of_expr := CASE WHEN spec ->> 'as_of' IS NULL THEN 'CURRENT_DATE'
                       ELSE pg_catalog.format('%L::pg_catalog.date', (spec ->> 'as_of')::date) END;

    -- activities: touches (level 1), two-way conversations (level 2)
    IF spec ? 'activities' THEN
        act := salesplan.binding_relation(spec ->> 'activities', binding_name, 'activity table');
        PERFORM salesplan.binding_column(act, spec ->> 'activity_account', 'activity account column', binding_name);
        PERFORM salesplan.binding_column(act, spec ->> 'activity_date', 'activity date column', binding_name);
        IF spec ->> 'activity_contact' IS NOT NULL THEN
            PERFORM salesplan.binding_column(act, spec ->> 'activity_contact', 'activity contact column', binding_name);
        END IF;
        ctes := ctes || pg_catalog.format(
            'act AS (SELECT x.%I AS account, pg_catalog.count(*) AS touches, %s AS contacts, pg_catalog.max(%s) AS last_touch, %s AS two_way '
            || 'FROM %s AS x WHERE %s AND %s <= (SELECT a.as_of FROM a) GROUP BY 1), ',
            spec ->> 'activity_account',
            CASE WHEN spec ->> 'activity_contact' IS NULL THEN 'NULL::pg_catalog.int8'
                 ELSE pg_catalog.format('pg_catalog.count(DISTINCT x.%I)', spec ->> 'activity_contact') END,
            salesplan.binding_date_expr(act, spec ->> 'activity_date', 'activity date column', binding_name, 'x'),
            CASE WHEN spec ->> 'activity_two_way' IS NULL THEN 'false'
                 ELSE pg_catalog.format('pg_catalog.bool_or(x.%I IS TRUE)', spec ->> 'activity_two_way') END,
            salesplan.binding_relname(act),
            salesplan.binding_period_filter(salesplan.binding_date_expr(act, spec ->> 'activity_date', 'activity date column', binding_name, 'x'), spec),
            salesplan.binding_date_expr(act, spec ->> 'activity_date', 'activity date column', binding_name, 'x'));
        IF spec ->> 'activity_two_way' IS NOT NULL THEN
            PERFORM salesplan.binding_typed_column(act, spec ->> 'activity_two_way', 'activity two-way column', binding_name, 'B', 'boolean');
        END IF;
        joins := joins || ' LEFT JOIN act ON act.account = t.' || pg_catalog.quote_ident(account_col);
        touches := 'coalesce(act.touches, 0)';
        contacts := CASE WHEN spec ->> 'activity_contact' IS NULL THEN 'NULL::pg_catalog.int8' ELSE 'coalesce(act.contacts, 0)' END;
        last_touch := 'act.last_touch';
        two_way := 'coalesce(act.two_way, false)';
    END IF;

    -- opportunities: qualified (level 3), signed (level 5), won value
    IF spec ? 'opportunities' THEN
        opp := salesplan.binding_relation(spec ->> 'opportunities', binding_name, 'opportunity table');
        PERFORM salesplan.binding_column(opp, spec ->> 'opportunity_account', 'opportunity account column', binding_name);
        IF spec ? 'period_start' OR spec ? 'period_end' THEN
            PERFORM salesplan.binding_column(opp, spec ->> 'opportunity_date', 'opportunity date column', binding_name);
        END IF;
        ctes := ctes || pg_catalog.format(
            'opp AS (SELECT o.%I AS account, pg_catalog.count(*) AS opportunities, %s AS any_won, %s AS won FROM %s AS o WHERE %s GROUP BY 1), ',
            spec ->> 'opportunity_account',
            CASE WHEN spec ->> 'opportunity_won' IS NULL THEN 'false'
                 ELSE pg_catalog.format('pg_catalog.bool_or(%s IS TRUE)', 'o.' || pg_catalog.quote_ident(spec ->> 'opportunity_won')) END,
            CASE WHEN spec ->> 'opportunity_won' IS NULL THEN '0::pg_catalog.numeric'
                 ELSE pg_catalog.format('coalesce(pg_catalog.sum(%s) FILTER (WHERE o.%I IS TRUE), 0)',
                        salesplan.binding_money_expr(opp, spec ->> 'opportunity_amount', 'opportunity amount column', binding_name, 'o'),
                        spec ->> 'opportunity_won') END,
            salesplan.binding_relname(opp),
            salesplan.binding_period_filter(salesplan.binding_date_expr(opp, spec ->> 'opportunity_date', 'opportunity date column', binding_name, 'o'), spec));
        IF spec ->> 'opportunity_won' IS NOT NULL THEN
            PERFORM salesplan.binding_typed_column(opp, spec ->> 'opportunity_won', 'opportunity won column', binding_name, 'B', 'boolean');
        END IF;
        joins := joins || ' LEFT JOIN opp ON opp.account = t.' || pg_catalog.quote_ident(account_col);
        n_opp := 'coalesce(opp.opportunities, 0)';
        any_won := 'coalesce(opp.any_won, false)';
        won := 'coalesce(opp.won, 0)';
    END IF;

    -- proposals: proposal delivered (level 4)
    IF spec ? 'proposals' THEN
        prop := salesplan.binding_relation(spec ->> 'proposals', binding_name, 'proposal table');
        PERFORM salesplan.binding_column(prop, spec ->> 'proposal_account', 'proposal account column', binding_name);
        IF spec ? 'period_start' OR spec ? 'period_end' THEN
            PERFORM salesplan.binding_column(prop, spec ->> 'proposal_date', 'proposal date column', binding_name);
        END IF;
        ctes := ctes || pg_catalog.format(
            'prop AS (SELECT p.%I AS account, pg_catalog.count(*) AS proposals FROM %s AS p WHERE %s GROUP BY 1), ',
            spec ->> 'proposal_account', salesplan.binding_relname(prop),
            salesplan.binding_period_filter(salesplan.binding_date_expr(prop, spec ->> 'proposal_date', 'proposal date column', binding_name, 'p'), spec));
        joins := joins || ' LEFT JOIN prop ON prop.account = t.' || pg_catalog.quote_ident(account_col);
        n_prop := 'coalesce(prop.proposals, 0)';
    END IF;

    FOR i IN 1 .. coalesce(pg_catalog.cardinality(dims), 0) LOOP
        dim_src := dim_src || pg_catalog.format(', t.%I AS d%s', dims[i], i);
        dim_out := dim_out || pg_catalog.format(', g.d%s AS %I', i, dims[i]);
        dim_group := dim_group || pg_catalog.format(', acc.d%s', i);
        dim_key := dim_key || pg_catalog.format(', g.d%s', i);
        dim_comments := dim_comments || pg_catalog.jsonb_build_object(dims[i]::text,
            pg_catalog.format('dimension: column %s of %s', pg_catalog.quote_ident(dims[i]), relname));
    END LOOP;

    src := pg_catalog.format(
        'WITH a AS (SELECT %s AS as_of), %s'
        || 'acc AS (SELECT t.%I AS account%s, %s AS potential, %s AS touches, %s AS contacts, %s AS last_touch, '
        || '%s AS opportunities, %s AS proposals, %s AS won, '
        || 'CASE WHEN %s THEN 5 WHEN %s > 0 THEN 4 WHEN %s > 0 THEN 3 WHEN %s THEN 2 WHEN %s > 0 THEN 1 ELSE 0 END AS level '
        || 'FROM %s AS t%s)',
        as_of_expr, ctes, account_col, dim_src,
        salesplan.binding_money_expr(rel, spec ->> 'potential_column', 'potential column', binding_name),
        touches, contacts, last_touch, n_opp, n_prop, won,
        any_won, n_prop, n_opp, two_way, touches,
        relname, joins);

    -- 1. per target account
    object_name := binding_name || '_accounts';
    query := src || pg_catalog.format(
        ' SELECT ROW(g.account)::pg_catalog.text AS group_key, g.account AS %1$I%2$s, a.as_of, g.level, g.touches, g.contacts, '
        || 'g.last_touch, a.as_of - g.last_touch AS days_since_last_touch, '
        || '(g.last_touch IS NULL OR a.as_of - g.last_touch > %3$s) AS cold, g.opportunities, g.proposals, g.won, g.potential, '
        || '(g.won / NULLIF(g.potential, 0))::pg_catalog.float8 AS penetration '
        || 'FROM acc AS g CROSS JOIN a',
        account_col, dim_out, keep_warm);
    unique_key := ARRAY['group_key'];
    object_comment := 'target accounts: ladder level, touches, keep-warm and share of wallet' || source_note;
    column_comments := dim_comments || pg_catalog.jsonb_build_object(
        'group_key', 'unique text key of the row (the account)',
        account_col::text, pg_catalog.format('target account: column %s of %s', pg_catalog.quote_ident(account_col), relname),
        'as_of', 'date days_since_last_touch and cold are computed at (CURRENT_DATE at query or refresh time unless the binding fixes it)',
        'level', 'deepest ladder level in the period: 0 not reached, 1 reached, 2 connected, 3 qualified, 4 proposal delivered, 5 signed',
        'touches', 'activities with the account in the period, up to as_of (planned activities after as_of do not count)',
        'contacts', 'distinct contacts engaged (NULL when no contact column is bound)',
        'last_touch', 'date of the latest activity in the period',
        'days_since_last_touch', 'as_of - last_touch',
        'cold', pg_catalog.format('no touch within the keep-warm interval of %s days (or never touched)', keep_warm),
        'opportunities', 'opportunities of the account in the period',
        'proposals', 'proposals delivered to the account in the period',
        'won', 'value of won opportunities in the period',
        'potential', 'potential value of the account (share-of-wallet denominator), NULL when unknown',
        'penetration', 'won / potential');
    RETURN NEXT;

    -- 2. per dimension
    object_name := binding_name;
    query := src || pg_catalog.format(
        ', g AS (SELECT %1$s salesplan.coverage_agg(acc.level, acc.won, acc.potential) AS c, '
        || 'pg_catalog.count(*) FILTER (WHERE acc.last_touch IS NULL OR (SELECT a.as_of FROM a) - acc.last_touch > %2$s) AS cold_accounts, '
        || 'pg_catalog.sum(acc.won) AS won, pg_catalog.sum(acc.potential) AS potential FROM acc%3$s) '
        || 'SELECT ROW(true%4$s)::pg_catalog.text AS group_key%5$s, a.as_of, '
        || 'coalesce(salesplan.targets(g.c), 0) AS targets, '
        || 'salesplan.coverage_rate(g.c, 1) AS coverage_rate, salesplan.coverage_rate(g.c, 2) AS connected_rate, '
        || 'salesplan.coverage_rate(g.c, 3) AS qualified_rate, salesplan.coverage_rate(g.c, 4) AS proposal_rate, '
        || 'salesplan.signing_rate(g.c) AS signing_rate, salesplan.penetration_rate(g.c) AS penetration_rate, '
        || 'g.cold_accounts, coalesce(g.won, 0) AS won, g.potential '
        || 'FROM g CROSS JOIN a',
        CASE WHEN dim_group = '' THEN '' ELSE pg_catalog.substr(dim_group, 3) || ',' END,
        keep_warm,
        CASE WHEN dim_group = '' THEN '' ELSE ' GROUP BY ' || pg_catalog.substr(dim_group, 3) END,
        dim_key, dim_out);
    unique_key := ARRAY['group_key'];
    object_comment := 'target-account coverage and penetration per dimension' || source_note;
    column_comments := dim_comments || pg_catalog.jsonb_build_object(
        'group_key', 'unique text key of the row''s dimension values (NULL-safe)',
        'as_of', 'date cold_accounts is computed at',
        'targets', 'target accounts (every row of the target list, touched or not)',
        'coverage_rate', 'share of target accounts reached (level >= 1): the reach team''s metric',
        'connected_rate', 'share of target accounts connected (level >= 2)',
        'qualified_rate', 'share of target accounts qualified and handed to BD (level >= 3)',
        'proposal_rate', 'share of target accounts with a proposal delivered (level >= 4)',
        'signing_rate', 'share of target accounts signed (level 5): the BD team''s metric',
        'penetration_rate', 'share of wallet: won / potential over accounts with a known potential',
        'cold_accounts', 'target accounts without a touch within the keep-warm interval',
        'won', 'value won from the target accounts in the period',
        'potential', 'total known potential of the target accounts');
    RETURN NEXT;
END
$fn$;
COMMENT ON FUNCTION salesplan.binding_coverage_views(text, jsonb, text) IS
    'internal: SQL of the views of a coverage binding, from its spec';

-- the WHERE condition restricting dated rows to the binding's period
CREATE FUNCTION salesplan.binding_period_filter(date_expr text, spec jsonb) RETURNS text
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
COMMENT ON FUNCTION salesplan.binding_period_filter(text, jsonb) IS
    'internal: condition keeping rows dated in [period_start, period_end) of a coverage binding';

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
        paradigm text DEFAULT 'behavior')
    RETURNS SETOF text
    LANGUAGE plpgsql VOLATILE
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
    RETURN QUERY SELECT * FROM salesplan.binding_store(binding_name, 'coverage', target_schema,
        pg_catalog.jsonb_build_object(
            'relation', salesplan.binding_relname(targets),
            'account_column', account_column,
            'potential_column', potential_column,
            'dimensions', pg_catalog.to_jsonb(coalesce(dimensions, '{}')),
            'activities', salesplan.binding_relname(activities),
            'activity_account', CASE WHEN activities IS NOT NULL THEN coalesce(activity_account, account_column) END,
            'activity_date', activity_date,
            'activity_two_way', activity_two_way,
            'activity_contact', activity_contact,
            'opportunities', salesplan.binding_relname(opportunities),
            'opportunity_account', CASE WHEN opportunities IS NOT NULL THEN coalesce(opportunity_account, account_column) END,
            'opportunity_date', opportunity_date,
            'opportunity_won', opportunity_won,
            'opportunity_amount', opportunity_amount,
            'proposals', salesplan.binding_relname(proposals),
            'proposal_account', CASE WHEN proposals IS NOT NULL THEN coalesce(proposal_account, account_column) END,
            'proposal_date', proposal_date,
            'period_start', period_start,
            'period_end', period_end,
            'keep_warm_days', keep_warm_days,
            'as_of', as_of),
        materialized, paradigm);
END
$fn$;
COMMENT ON FUNCTION salesplan.bind_coverage(text, name, regclass, name, name, name[], regclass, name, name, name, name, regclass, name, name, name, name, regclass, name, name, date, date, integer, date, boolean, text) IS
    'binds a target-account list with its activities, opportunities and proposals: creates views binding_name (coverage per dimension) and binding_name_accounts (per account) in target_schema';

-- ---------------------------------------------------------------------
-- milestone bindings (project paradigm)
-- ---------------------------------------------------------------------

CREATE FUNCTION salesplan.binding_milestone_views(binding_name text, spec jsonb, declared text)
    RETURNS TABLE (object_name text, query text, unique_key text[],
                   object_comment text, column_comments jsonb)
    LANGUAGE plpgsql STABLE
    SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    rel regclass;
    relname text;
    hist regclass;
    project_col name := spec ->> 'project_column';
    dims name[];
    reserved text[] := ARRAY['group_key', 'as_of', 'projects', 'behind_projects', 'milestones',
                             'unplanned', 'total_weight', 'planned_value', 'earned_value',
                             'schedule_variance', 'spi', 'earned_schedule_days', 'spi_t',
                             'schedule_variance_t', 'project_start', 'planned_finish',
                             'forecast_finish', 'on_time_rate', 'slip_days', 'late_milestones',
                             'worst_slip_trend'];
    actual_expr text;
    weight_expr text;
    trend_expr text := 'NULL::pg_catalog.float8';
    as_of_expr text;
    src text;
    dim_src text := '';
    dim_out text := '';
    dim_group text := '';
    dim_key text := '';
    dim_comments jsonb := '{}';
    metrics text;
    metric_comments jsonb;
    source_note text;
    i int;
BEGIN
    rel := salesplan.binding_relation(spec ->> 'relation', binding_name, 'relation');
    relname := salesplan.binding_relname(rel);
    source_note := pg_catalog.format(' (binding "%s" over %s)', binding_name, relname);
    PERFORM salesplan.binding_column(rel, project_col, 'project column', binding_name);
    PERFORM salesplan.binding_column(rel, spec ->> 'planned_column', 'planned date column', binding_name);
    IF project_col::text = ANY (reserved) THEN
        RAISE EXCEPTION 'project column "%" clashes with an output column of the view', project_col
            USING ERRCODE = 'duplicate_column';
    END IF;
    SELECT pg_catalog.array_agg(x::name ORDER BY o) INTO dims
    FROM pg_catalog.jsonb_array_elements_text(coalesce(spec -> 'dimensions', '[]')) WITH ORDINALITY AS e(x, o);
    PERFORM salesplan.binding_check_dimensions(rel, dims, reserved || project_col::text, binding_name);

    actual_expr := salesplan.binding_date_expr(rel, spec ->> 'actual_column', 'actual date column', binding_name);
    IF spec ->> 'reached_column' IS NOT NULL THEN
        actual_expr := pg_catalog.format('CASE WHEN %s IS TRUE THEN %s END',
            salesplan.binding_bool_expr(rel, spec ->> 'reached_column', 'reached column', binding_name),
            actual_expr);
    END IF;
    weight_expr := salesplan.binding_money_expr(rel, spec ->> 'weight_column', 'weight column', binding_name);
    IF spec ? 'history_table' THEN
        hist := salesplan.binding_relation(spec ->> 'history_table', binding_name, 'forecast history table');
        PERFORM salesplan.binding_column(rel, spec ->> 'milestone_key', 'milestone key column', binding_name);
        PERFORM salesplan.binding_column(hist, spec ->> 'history_key', 'history key column', binding_name);
        trend_expr := pg_catalog.format(
            '(SELECT salesplan.slip_trend(%s, %s) FROM %s AS h WHERE h.%I = t.%I)',
            salesplan.binding_date_expr(hist, spec ->> 'history_reported', 'history report date column', binding_name, 'h'),
            salesplan.binding_date_expr(hist, spec ->> 'history_forecast', 'history forecast date column', binding_name, 'h'),
            salesplan.binding_relname(hist), spec ->> 'history_key', spec ->> 'milestone_key');
    END IF;
    as_of_expr := CASE WHEN spec ->> 'as_of' IS NULL THEN 'CURRENT_DATE'
                       ELSE pg_catalog.format('%L::pg_catalog.date', (spec ->> 'as_of')::date) END;

    FOR i IN 1 .. coalesce(pg_catalog.cardinality(dims), 0) LOOP
        dim_src := dim_src || pg_catalog.format(', t.%I AS d%s', dims[i], i);
        dim_out := dim_out || pg_catalog.format(', p.d%s AS %I', i, dims[i]);
        dim_group := dim_group || pg_catalog.format(', src.d%s', i);
        dim_key := dim_key || pg_catalog.format(', p.d%s', i);
        dim_comments := dim_comments || pg_catalog.jsonb_build_object(dims[i]::text,
            pg_catalog.format('dimension: column %s of %s', pg_catalog.quote_ident(dims[i]), relname));
    END LOOP;

    src := pg_catalog.format(
        'WITH a AS (SELECT %s AS as_of), '
        || 'src AS (SELECT t.%I AS project%s, %s AS planned, %s AS actual, %s AS weight, %s AS start, %s AS trend FROM %s AS t)',
        as_of_expr, project_col, dim_src,
        salesplan.binding_date_expr(rel, spec ->> 'planned_column', 'planned date column', binding_name),
        actual_expr, weight_expr,
        salesplan.binding_date_expr(rel, spec ->> 'start_column', 'project start column', binding_name),
        trend_expr, relname);

    metrics := 'salesplan.milestone_count(p.s) AS milestones, p.unplanned, '
        || 'salesplan.total_weight(p.s) AS total_weight, '
        || 'salesplan.planned_value(p.s, a.as_of) AS planned_value, '
        || 'salesplan.earned_value(p.s, a.as_of) AS earned_value, '
        || 'salesplan.schedule_variance(p.s, a.as_of) AS schedule_variance, '
        || 'salesplan.spi(p.s, a.as_of) AS spi, '
        || 'salesplan.earned_schedule_days(p.s, a.as_of) AS earned_schedule_days, '
        || 'salesplan.spi_t(p.s, a.as_of) AS spi_t, '
        || 'salesplan.schedule_variance_t(p.s, a.as_of) AS schedule_variance_t, '
        || 'salesplan.project_start(p.s) AS project_start, '
        || 'salesplan.planned_finish(p.s) AS planned_finish, '
        || 'salesplan.forecast_finish(p.s, a.as_of) AS forecast_finish, '
        || 'salesplan.on_time_rate(p.s, a.as_of) AS on_time_rate, '
        || 'salesplan.slip_days(p.s, a.as_of) AS slip_days, '
        || 'salesplan.late_milestones(p.s, a.as_of) AS late_milestones, '
        || 'p.worst_slip_trend';
    metric_comments := pg_catalog.jsonb_build_object(
        'as_of', 'date the metrics are computed at (CURRENT_DATE at query or refresh time unless the binding fixes it)',
        'milestones', 'milestones with a planned date',
        'unplanned', 'milestones without a planned date (left out of every metric)',
        'total_weight', 'BAC: total weight of the milestones (weight NULL = 1)',
        'planned_value', 'PV: weight of milestones planned on or before as_of',
        'earned_value', 'EV: weight of milestones reached on or before as_of',
        'schedule_variance', 'SV = EV - PV (negative = behind plan)',
        'spi', 'SPI = EV / PV; NULL when PV = 0',
        'earned_schedule_days', 'ES: days after the start at which the linear planned-value curve reaches EV',
        'spi_t', 'SPI(t) = ES / actual time',
        'schedule_variance_t', 'SV(t) = ES - actual time, in days (negative = behind plan)',
        'project_start', 'start used by the time-based metrics: the earliest of the start column (when bound) and the planned dates',
        'planned_finish', 'latest planned milestone date',
        'forecast_finish', 'IEAC(t): start + planned duration / SPI(t); the actual finish once every milestone is reached',
        'on_time_rate', 'share of milestones due by as_of reached on or before their planned date',
        'slip_days', 'weighted mean slip in days of milestones due by as_of (negative = early)',
        'late_milestones', 'milestones due by as_of reached late or still open past their planned date',
        'worst_slip_trend', 'largest salesplan.slip_trend (forecast slip per day of reporting) over the milestones with a forecast history; NULL without one');

    -- 1. per project
    object_name := binding_name;
    query := src || pg_catalog.format(
        ', p AS (SELECT src.project%1$s, salesplan.schedule_agg(src.planned, src.actual, src.weight, src.start) FILTER (WHERE src.planned IS NOT NULL) AS s, '
        || 'pg_catalog.count(*) FILTER (WHERE src.planned IS NULL) AS unplanned, pg_catalog.max(src.trend) AS worst_slip_trend '
        || 'FROM src GROUP BY src.project%1$s) '
        || 'SELECT ROW(p.project%2$s)::pg_catalog.text AS group_key, p.project AS %3$I%4$s, a.as_of, %5$s '
        || 'FROM p CROSS JOIN a',
        dim_group, dim_key, project_col, dim_out, metrics);
    unique_key := ARRAY['group_key'];
    object_comment := 'milestone variance per project' || source_note;
    column_comments := dim_comments || metric_comments || pg_catalog.jsonb_build_object(
        'group_key', 'unique text key of the row''s project and dimension values (NULL-safe)',
        project_col::text, pg_catalog.format('project: column %s of %s', pg_catalog.quote_ident(project_col), relname));
    RETURN NEXT;

    -- 2. portfolio per dimension
    object_name := binding_name || '_portfolio';
    query := src || pg_catalog.format(
        ', pp AS (SELECT src.project%1$s, salesplan.schedule_agg(src.planned, src.actual, src.weight, src.start) FILTER (WHERE src.planned IS NOT NULL) AS s, '
        || 'pg_catalog.count(*) FILTER (WHERE src.planned IS NULL) AS unplanned, pg_catalog.max(src.trend) AS worst_slip_trend '
        || 'FROM src GROUP BY src.project%1$s), '
        || 'p AS (SELECT %2$s salesplan.rollup(pp.s) AS s, pg_catalog.sum(pp.unplanned)::pg_catalog.int8 AS unplanned, '
        || 'pg_catalog.max(pp.worst_slip_trend) AS worst_slip_trend, pg_catalog.count(*) AS projects, '
        || 'pg_catalog.count(*) FILTER (WHERE salesplan.schedule_variance(pp.s, (SELECT a.as_of FROM a)) < 0) AS behind_projects '
        || 'FROM pp%3$s) '
        || 'SELECT ROW(true%4$s)::pg_catalog.text AS group_key%5$s, a.as_of, p.projects, p.behind_projects, %6$s '
        || 'FROM p CROSS JOIN a',
        dim_group,
        CASE WHEN dim_group = '' THEN '' ELSE pg_catalog.substr(replace(dim_group, 'src.', 'pp.'), 3) || ',' END,
        CASE WHEN dim_group = '' THEN '' ELSE ' GROUP BY ' || pg_catalog.substr(replace(dim_group, 'src.', 'pp.'), 3) END,
        dim_key, dim_out, metrics);
    unique_key := ARRAY['group_key'];
    object_comment := 'milestone variance across the portfolio, per dimension (all milestones of the projects merged)' || source_note;
    column_comments := dim_comments || metric_comments || pg_catalog.jsonb_build_object(
        'group_key', 'unique text key of the row''s dimension values (NULL-safe)',
        'projects', 'projects in the portfolio',
        'behind_projects', 'projects with a negative schedule variance at as_of');
    RETURN NEXT;
END
$fn$;
COMMENT ON FUNCTION salesplan.binding_milestone_views(text, jsonb, text) IS
    'internal: SQL of the views of a milestone binding, from its spec';

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
        paradigm text DEFAULT 'project')
    RETURNS SETOF text
    LANGUAGE plpgsql VOLATILE
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
    RETURN QUERY SELECT * FROM salesplan.binding_store(binding_name, 'milestone', target_schema,
        pg_catalog.jsonb_build_object(
            'relation', salesplan.binding_relname(relation),
            'project_column', project_column,
            'planned_column', planned_column,
            'actual_column', actual_column,
            'reached_column', reached_column,
            'weight_column', weight_column,
            'start_column', start_column,
            'dimensions', pg_catalog.to_jsonb(coalesce(dimensions, '{}')),
            'as_of', as_of,
            'history_table', salesplan.binding_relname(history_table),
            'milestone_key', CASE WHEN history_table IS NOT NULL THEN milestone_key END,
            'history_key', history_key,
            'history_reported', history_reported,
            'history_forecast', history_forecast),
        materialized, paradigm);
END
$fn$;
COMMENT ON FUNCTION salesplan.bind_milestones(text, name, regclass, name, name, name, name, name, name, name[], date, regclass, name, name, name, name, boolean, text) IS
    'binds a milestone table: creates views binding_name (variance per project) and binding_name_portfolio (per dimension) in target_schema';

-- ---------------------------------------------------------------------
-- generic: regenerate, unbind, refresh, pg_cron
-- ---------------------------------------------------------------------

-- drops the views of a binding that exist (never anything else)
CREATE FUNCTION salesplan.binding_drop_objects(binding_name text, kind text, target_schema name,
                                               keep_views boolean DEFAULT false)
    RETURNS void
    LANGUAGE plpgsql VOLATILE
    SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    objs text[] := salesplan.binding_objects(kind, binding_name);
    i int;
    rel regclass;
    rk "char";
BEGIN
    FOR i IN REVERSE pg_catalog.cardinality(objs) .. 1 LOOP
        rel := pg_catalog.to_regclass(pg_catalog.format('%I.%I', target_schema, objs[i]));
        CONTINUE WHEN rel IS NULL;
        SELECT c.relkind INTO rk FROM pg_catalog.pg_class c WHERE c.oid = rel;
        IF rk = 'v' THEN
            CONTINUE WHEN keep_views;
            EXECUTE pg_catalog.format('DROP VIEW %I.%I', target_schema, objs[i]);
        ELSIF rk = 'm' THEN
            EXECUTE pg_catalog.format('DROP MATERIALIZED VIEW %I.%I', target_schema, objs[i]);
        ELSE
            RAISE EXCEPTION 'relation %.% is not a view of binding "%"',
                            pg_catalog.quote_ident(target_schema), pg_catalog.quote_ident(objs[i]), binding_name
                USING ERRCODE = 'wrong_object_type',
                      HINT = 'Rename or drop that relation, or choose another binding name.';
        END IF;
    END LOOP;
END
$fn$;
COMMENT ON FUNCTION salesplan.binding_drop_objects(text, text, name, boolean) IS
    'internal: drops the generated views of a binding (views, unless keep_views, and materialized views; no CASCADE)';

CREATE FUNCTION salesplan.regenerate(binding_name text DEFAULT NULL)
    RETURNS SETOF text
    LANGUAGE plpgsql VOLATILE
    SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    b salesplan.binding;
    v record;
    n int := 0;
BEGIN
    FOR b IN
        SELECT * FROM salesplan.binding AS x
        WHERE binding_name IS NULL OR x.name = binding_name
        ORDER BY x.name
        FOR UPDATE
    LOOP
        n := n + 1;
        IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_namespace s WHERE s.nspname = b.target_schema) THEN
            RAISE EXCEPTION 'schema "%" does not exist', b.target_schema
                USING ERRCODE = 'invalid_schema_name',
                      DETAIL = pg_catalog.format('It is the target schema of binding "%s".', b.name),
                      HINT = pg_catalog.format('CREATE SCHEMA %I;', b.target_schema);
        END IF;
        -- plain views are replaced in place (CREATE OR REPLACE VIEW), so views
        -- built on them survive; materialized views are dropped and rebuilt
        PERFORM salesplan.binding_drop_objects(b.name, b.kind, b.target_schema, NOT b.materialized);
        FOR v IN
            SELECT * FROM salesplan.binding_views(b.name, b.kind, b.spec, b.paradigm)
        LOOP
            RETURN NEXT salesplan.binding_create_object(b.target_schema, v.object_name, v.query,
                                                        b.materialized, v.unique_key,
                                                        v.object_comment, v.column_comments);
        END LOOP;
    END LOOP;
    IF n = 0 AND binding_name IS NOT NULL THEN
        RAISE EXCEPTION 'binding "%" does not exist', binding_name
            USING ERRCODE = 'undefined_object',
                  HINT = 'SELECT name FROM salesplan.binding lists the bindings.';
    END IF;
END
$fn$;
COMMENT ON FUNCTION salesplan.regenerate(text) IS
    'drops and recreates the views of one binding (or of all, when NULL) from salesplan.binding; returns the views created';

CREATE FUNCTION salesplan.binding_views(binding_name text, kind text, spec jsonb, declared text)
    RETURNS TABLE (object_name text, query text, unique_key text[],
                   object_comment text, column_comments jsonb)
    LANGUAGE plpgsql STABLE
    SET search_path = pg_catalog, pg_temp
AS $fn$
BEGIN
    CASE kind
        WHEN 'funnel' THEN
            RETURN QUERY SELECT * FROM salesplan.binding_funnel_views(binding_name, spec, declared);
        WHEN 'coverage' THEN
            RETURN QUERY SELECT * FROM salesplan.binding_coverage_views(binding_name, spec, declared);
        WHEN 'milestone' THEN
            RETURN QUERY SELECT * FROM salesplan.binding_milestone_views(binding_name, spec, declared);
        WHEN 'window_funnel' THEN
            RETURN QUERY SELECT * FROM salesplan.binding_window_funnel_views(binding_name, spec, declared);
    END CASE;
END
$fn$;
COMMENT ON FUNCTION salesplan.binding_views(text, text, jsonb, text) IS
    'internal: SQL of the views of a binding of any kind';

-- stores a new binding and creates its views
CREATE FUNCTION salesplan.binding_store(binding_name text, kind text, target_schema name, spec jsonb,
                                        materialized boolean, paradigm text)
    RETURNS SETOF text
    LANGUAGE plpgsql VOLATILE
    SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    obj text;
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
    IF paradigm IS NULL OR paradigm NOT IN ('probability', 'behavior', 'project') THEN
        RAISE EXCEPTION 'invalid paradigm "%"', paradigm
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'Use probability, behavior or project.';
    END IF;
    IF EXISTS (SELECT 1 FROM salesplan.binding AS x WHERE x.name = binding_name) THEN
        RAISE EXCEPTION 'binding "%" already exists', binding_name
            USING ERRCODE = 'duplicate_object',
                  HINT = pg_catalog.format('Drop it first with SELECT salesplan.unbind(%L).', binding_name);
    END IF;
    FOREACH obj IN ARRAY salesplan.binding_objects(kind, binding_name) LOOP
        IF pg_catalog.to_regclass(pg_catalog.format('%I.%I', target_schema, obj)) IS NOT NULL THEN
            RAISE EXCEPTION 'relation %.% already exists', pg_catalog.quote_ident(target_schema),
                            pg_catalog.quote_ident(obj)
                USING ERRCODE = 'duplicate_table',
                      DETAIL = pg_catalog.format('Binding "%s" would create it.', binding_name),
                      HINT = 'Choose another binding name or target schema.';
        END IF;
    END LOOP;
    INSERT INTO salesplan.binding (name, kind, target_schema, spec, materialized, paradigm)
    VALUES (binding_name, kind, target_schema, pg_catalog.jsonb_strip_nulls(spec),
            coalesce(materialized, false), paradigm);
    RETURN QUERY SELECT * FROM salesplan.regenerate(binding_name);
END
$fn$;
COMMENT ON FUNCTION salesplan.binding_store(text, text, name, jsonb, boolean, text) IS
    'internal: validates and stores a new binding, then creates its views';

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
        paradigm text DEFAULT 'probability')
    RETURNS SETOF text
    LANGUAGE plpgsql VOLATILE
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
    RETURN QUERY SELECT * FROM salesplan.binding_store(binding_name, 'funnel', target_schema,
        pg_catalog.jsonb_build_object(
            'relation', salesplan.binding_relname(relation),
            'stage_column', stage_column,
            'amount_column', amount_column,
            'period_column', period_column,
            'period', CASE WHEN period_column IS NOT NULL THEN period END,
            'dimensions', pg_catalog.to_jsonb(coalesce(dimensions, '{}')),
            'stage_order', pg_catalog.to_jsonb(stage_order),
            'stage_table', salesplan.binding_relname(stage_table),
            'stage_key', CASE WHEN stage_table IS NOT NULL THEN stage_key END,
            'stage_sequence', CASE WHEN stage_table IS NOT NULL THEN stage_sequence END,
            'stage_label', CASE WHEN stage_table IS NOT NULL THEN stage_label END,
            'stages', stages,
            'history_table', salesplan.binding_relname(history_table),
            'history_key', history_key,
            'history_stage', CASE WHEN history_table IS NOT NULL THEN coalesce(history_stage, stage_column) END,
            'entity_key', CASE WHEN history_table IS NOT NULL THEN entity_key END,
            'won_column', won_column,
            'lost_column', lost_column,
            'active_column', active_column,
            'closed_column', closed_column,
            'account_column', account_column,
            'opened_column', opened_column,
            'closed_date_column', closed_date_column),
        materialized, paradigm);
END
$fn$;
COMMENT ON FUNCTION salesplan.bind_funnel(text, name, regclass, name, name, name, text, name[], text[], regclass, name, name, name, integer, regclass, name, name, name, name, name, name, name, name, name, name, boolean, text) IS
    'binds a table of leads or opportunities: creates views binding_name (funnel per period and dimension), binding_name_stages (per stage) and binding_name_fit (paradigm fit) in target_schema';

CREATE FUNCTION salesplan.unbind(binding_name text, drop_views boolean DEFAULT true)
    RETURNS boolean
    LANGUAGE plpgsql VOLATILE
    SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    b salesplan.binding;
BEGIN
    SELECT * INTO b FROM salesplan.binding AS x WHERE x.name = binding_name FOR UPDATE;
    IF NOT FOUND THEN
        RETURN false;
    END IF;
    IF b.refresh_cron IS NOT NULL
       AND EXISTS (SELECT 1 FROM pg_catalog.pg_extension e WHERE e.extname = 'pg_cron') THEN
        PERFORM salesplan.drop_refresh_job(binding_name);
    END IF;
    IF drop_views THEN
        PERFORM salesplan.binding_drop_objects(b.name, b.kind, b.target_schema);
    END IF;
    DELETE FROM salesplan.binding AS x WHERE x.name = binding_name;
    RETURN true;
END
$fn$;
COMMENT ON FUNCTION salesplan.unbind(text, boolean) IS
    'forgets a binding (false when there is none), drops its refresh job and, unless drop_views is false, drops its views';

CREATE FUNCTION salesplan.refresh(binding_name text DEFAULT NULL, concurrent boolean DEFAULT true)
    RETURNS SETOF text
    LANGUAGE plpgsql VOLATILE
    SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    b salesplan.binding;
    obj text;
    n int := 0;
BEGIN
    FOR b IN
        SELECT * FROM salesplan.binding AS x
        WHERE (binding_name IS NULL OR x.name = binding_name)
        ORDER BY x.name
    LOOP
        n := n + 1;
        IF NOT b.materialized THEN
            IF binding_name IS NOT NULL THEN
                RAISE EXCEPTION 'binding "%" is not materialized', binding_name
                    USING ERRCODE = 'wrong_object_type',
                          HINT = 'Its views are plain views and always current.';
            END IF;
            CONTINUE;
        END IF;
        FOREACH obj IN ARRAY salesplan.binding_objects(b.kind, b.name) LOOP
            EXECUTE pg_catalog.format('REFRESH MATERIALIZED VIEW %s%I.%I',
                                      CASE WHEN concurrent THEN 'CONCURRENTLY ' ELSE '' END,
                                      b.target_schema, obj);
            RETURN NEXT pg_catalog.format('%I.%I', b.target_schema, obj);
        END LOOP;
    END LOOP;
    IF n = 0 AND binding_name IS NOT NULL THEN
        RAISE EXCEPTION 'binding "%" does not exist', binding_name
            USING ERRCODE = 'undefined_object';
    END IF;
END
$fn$;
COMMENT ON FUNCTION salesplan.refresh(text, boolean) IS
    'refreshes the materialized views of one binding (or of all materialized bindings), concurrently by default; returns the views refreshed';

-- the schema of pg_cron, or a clear error when it is not installed here
CREATE FUNCTION salesplan.binding_cron_schema() RETURNS name
    LANGUAGE plpgsql STABLE
    SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    nsp name;
BEGIN
    -- pg_cron keeps its functions and tables in schema cron, whatever the
    -- extension's own schema (public) says
    SELECT 'cron' INTO nsp FROM pg_catalog.pg_extension e WHERE e.extname = 'pg_cron';
    IF nsp IS NULL THEN
        RAISE EXCEPTION 'extension "pg_cron" is not installed in database "%"', pg_catalog.current_database()
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  HINT = 'Add pg_cron to shared_preload_libraries, set cron.database_name to this database, restart the server, then run CREATE EXTENSION pg_cron.  Without it, run SELECT salesplan.refresh(...) from any scheduler.';
    END IF;
    RETURN nsp;
END
$fn$;
COMMENT ON FUNCTION salesplan.binding_cron_schema() IS
    'internal: schema of the pg_cron extension; object_not_in_prerequisite_state (55000) with a hint when it is not installed';

CREATE FUNCTION salesplan.create_refresh_job(binding_name text, cron text)
    RETURNS bigint
    LANGUAGE plpgsql VOLATILE
    SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    b salesplan.binding;
    nsp name;
    cmd text;
    job bigint;
BEGIN
    SELECT * INTO b FROM salesplan.binding AS x WHERE x.name = binding_name FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'binding "%" does not exist', binding_name
            USING ERRCODE = 'undefined_object';
    END IF;
    IF NOT b.materialized THEN
        RAISE EXCEPTION 'binding "%" is not materialized', binding_name
            USING ERRCODE = 'wrong_object_type',
                  HINT = 'Only materialized bindings need refreshing: bind with materialized => true.';
    END IF;
    IF cron IS NULL THEN
        RAISE EXCEPTION 'cron schedule must not be NULL'
            USING ERRCODE = 'null_value_not_allowed';
    END IF;
    nsp := salesplan.binding_cron_schema();
    SELECT pg_catalog.string_agg(pg_catalog.format('REFRESH MATERIALIZED VIEW CONCURRENTLY %I.%I;', b.target_schema, o), ' ')
      INTO cmd
    FROM pg_catalog.unnest(salesplan.binding_objects(b.kind, b.name)) AS o;
    -- dynamic, so that salesplan does not depend on pg_cron
    EXECUTE pg_catalog.format('SELECT %I.schedule($1, $2, $3)', nsp)
        INTO job USING 'salesplan refresh ' || b.name, cron, cmd;
    UPDATE salesplan.binding AS x SET refresh_cron = cron WHERE x.name = binding_name;
    RETURN job;
END
$fn$;
COMMENT ON FUNCTION salesplan.create_refresh_job(text, text) IS
    'creates (or replaces) the pg_cron job "salesplan refresh <name>" that runs REFRESH MATERIALIZED VIEW CONCURRENTLY of a materialized binding on a cron schedule; returns the job id';

CREATE FUNCTION salesplan.drop_refresh_job(binding_name text)
    RETURNS boolean
    LANGUAGE plpgsql VOLATILE
    SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    nsp name := salesplan.binding_cron_schema();
    job bigint;
    found_any boolean := false;
BEGIN
    FOR job IN
        EXECUTE pg_catalog.format('SELECT j.jobid FROM %I.job j WHERE j.jobname = $1 AND j.username = current_user ORDER BY 1', nsp)
        USING 'salesplan refresh ' || binding_name
    LOOP
        EXECUTE pg_catalog.format('SELECT %I.unschedule($1)', nsp) USING job;
        found_any := true;
    END LOOP;
    UPDATE salesplan.binding AS x SET refresh_cron = NULL WHERE x.name = binding_name;
    RETURN found_any;
END
$fn$;
COMMENT ON FUNCTION salesplan.drop_refresh_job(text) IS
    'drops the pg_cron refresh job of a binding; false when there was none';
