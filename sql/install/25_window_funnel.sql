
-- ---------------------------------------------------------------------------
-- 1.1 Ordered funnel per entity: window_funnel, window_funnel_times and their
-- state type funnel_events (src/funnel_events.c, src/window_funnel.c,
-- doc/window_funnel.md).
-- ---------------------------------------------------------------------------

CREATE TYPE salesplan.funnel_events;

CREATE FUNCTION salesplan.funnel_events_in(pg_catalog.cstring)
RETURNS salesplan.funnel_events
AS 'MODULE_PATHNAME', 'salesplan_funnel_events_in'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION salesplan.funnel_events_in(pg_catalog.cstring) IS
    'text input of salesplan.funnel_events (validated, versioned)';

CREATE FUNCTION salesplan.funnel_events_out(salesplan.funnel_events)
RETURNS pg_catalog.cstring
AS 'MODULE_PATHNAME', 'salesplan_funnel_events_out'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION salesplan.funnel_events_out(salesplan.funnel_events) IS
    'text output of salesplan.funnel_events (round-trips through funnel_events_in)';

CREATE FUNCTION salesplan.funnel_events_recv(pg_catalog.internal)
RETURNS salesplan.funnel_events
AS 'MODULE_PATHNAME', 'salesplan_funnel_events_recv'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION salesplan.funnel_events_recv(pg_catalog.internal) IS
    'binary input of salesplan.funnel_events (validated, versioned)';

CREATE FUNCTION salesplan.funnel_events_send(salesplan.funnel_events)
RETURNS pg_catalog.bytea
AS 'MODULE_PATHNAME', 'salesplan_funnel_events_send'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION salesplan.funnel_events_send(salesplan.funnel_events) IS
    'binary output of salesplan.funnel_events';

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
    'state of window_funnel: one entity''s events (timestamp, step) with the window, modes and time zone; text form "1;flags;months,days,usecs;[zone;]n;ts:step,..."';
COMMENT ON TYPE salesplan.funnel_events[] IS
    'array of salesplan.funnel_events values';

-- Transition functions: timestamp and timestamptz, with and without mode
-- (and, at the end of this file, with an explicit time zone).  The final
-- functions are STABLE: for timestamptz events without an explicit zone a
-- window with days or months is measured in the session time zone.
CREATE FUNCTION salesplan.window_funnel_trans(salesplan.funnel_events, pg_catalog.interval, pg_catalog.timestamp, pg_catalog.int4)
RETURNS salesplan.funnel_events
AS 'MODULE_PATHNAME', 'salesplan_window_funnel_trans'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION salesplan.window_funnel_trans(salesplan.funnel_events, pg_catalog.interval, pg_catalog.timestamp, pg_catalog.int4) IS
    'transition function of window_funnel(interval, timestamp, int)';

CREATE FUNCTION salesplan.window_funnel_trans(salesplan.funnel_events, pg_catalog.interval, pg_catalog.timestamp, pg_catalog.int4, pg_catalog.text)
RETURNS salesplan.funnel_events
AS 'MODULE_PATHNAME', 'salesplan_window_funnel_trans'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION salesplan.window_funnel_trans(salesplan.funnel_events, pg_catalog.interval, pg_catalog.timestamp, pg_catalog.int4, pg_catalog.text) IS
    'transition function of window_funnel(interval, timestamp, int, text)';

CREATE FUNCTION salesplan.window_funnel_trans(salesplan.funnel_events, pg_catalog.interval, pg_catalog.timestamptz, pg_catalog.int4)
RETURNS salesplan.funnel_events
AS 'MODULE_PATHNAME', 'salesplan_window_funnel_trans_tz'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION salesplan.window_funnel_trans(salesplan.funnel_events, pg_catalog.interval, pg_catalog.timestamptz, pg_catalog.int4) IS
    'transition function of window_funnel(interval, timestamptz, int)';

CREATE FUNCTION salesplan.window_funnel_trans(salesplan.funnel_events, pg_catalog.interval, pg_catalog.timestamptz, pg_catalog.int4, pg_catalog.text)
RETURNS salesplan.funnel_events
AS 'MODULE_PATHNAME', 'salesplan_window_funnel_trans_tz'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION salesplan.window_funnel_trans(salesplan.funnel_events, pg_catalog.interval, pg_catalog.timestamptz, pg_catalog.int4, pg_catalog.text) IS
    'transition function of window_funnel(interval, timestamptz, int, text)';

CREATE FUNCTION salesplan.window_funnel_combine(salesplan.funnel_events, salesplan.funnel_events)
RETURNS salesplan.funnel_events
AS 'MODULE_PATHNAME', 'salesplan_window_funnel_combine'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION salesplan.window_funnel_combine(salesplan.funnel_events, salesplan.funnel_events) IS
    'combine function of window_funnel: concatenates two entities'' event lists (same window and modes)';

CREATE FUNCTION salesplan.funnel_level(salesplan.funnel_events)
RETURNS pg_catalog.int4
AS 'MODULE_PATHNAME', 'salesplan_funnel_level'
LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION salesplan.funnel_level(salesplan.funnel_events) IS
    'funnel level of a funnel_events state: the highest step reached in order within the window';

-- IMMUTABLE: it reads states of timestamp events only (days of 24 hours)
CREATE FUNCTION salesplan.funnel_step_times(salesplan.funnel_events)
RETURNS pg_catalog.timestamp[]
AS 'MODULE_PATHNAME', 'salesplan_funnel_step_times'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION salesplan.funnel_step_times(salesplan.funnel_events) IS
    'for a state of timestamp events: when the best chain reached each step 1..level';

CREATE FUNCTION salesplan.funnel_step_times_tz(salesplan.funnel_events)
RETURNS pg_catalog.timestamptz[]
AS 'MODULE_PATHNAME', 'salesplan_funnel_step_times_tz'
LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION salesplan.funnel_step_times_tz(salesplan.funnel_events) IS
    'for a state of timestamptz events: when the best chain reached each step 1..level';

CREATE FUNCTION salesplan.funnel_events_compact(salesplan.funnel_events)
RETURNS salesplan.funnel_events
AS 'MODULE_PATHNAME', 'salesplan_funnel_events_compact'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
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
COMMENT ON AGGREGATE salesplan.window_funnel(pg_catalog.interval, pg_catalog.timestamp, pg_catalog.int4) IS
    'ordered funnel of one entity: highest step reached with steps in order within the window from step 1 (ClickHouse windowFunnel)';

CREATE AGGREGATE salesplan.window_funnel(pg_catalog.interval, pg_catalog.timestamp, pg_catalog.int4, pg_catalog.text) (
    SFUNC = salesplan.window_funnel_trans, STYPE = salesplan.funnel_events, SSPACE = 144,
    FINALFUNC = salesplan.funnel_level, FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = salesplan.window_funnel_combine, PARALLEL = SAFE
);
COMMENT ON AGGREGATE salesplan.window_funnel(pg_catalog.interval, pg_catalog.timestamp, pg_catalog.int4, pg_catalog.text) IS
    'ordered funnel of one entity with modes strict_deduplication, strict_order, strict_increase (comma-separated)';

CREATE AGGREGATE salesplan.window_funnel(pg_catalog.interval, pg_catalog.timestamptz, pg_catalog.int4) (
    SFUNC = salesplan.window_funnel_trans, STYPE = salesplan.funnel_events, SSPACE = 144,
    FINALFUNC = salesplan.funnel_level, FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = salesplan.window_funnel_combine, PARALLEL = SAFE
);
COMMENT ON AGGREGATE salesplan.window_funnel(pg_catalog.interval, pg_catalog.timestamptz, pg_catalog.int4) IS
    'ordered funnel of one entity: highest step reached with steps in order within the window from step 1 (ClickHouse windowFunnel)';

CREATE AGGREGATE salesplan.window_funnel(pg_catalog.interval, pg_catalog.timestamptz, pg_catalog.int4, pg_catalog.text) (
    SFUNC = salesplan.window_funnel_trans, STYPE = salesplan.funnel_events, SSPACE = 144,
    FINALFUNC = salesplan.funnel_level, FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = salesplan.window_funnel_combine, PARALLEL = SAFE
);
COMMENT ON AGGREGATE salesplan.window_funnel(pg_catalog.interval, pg_catalog.timestamptz, pg_catalog.int4, pg_catalog.text) IS
    'ordered funnel of one entity with modes strict_deduplication, strict_order, strict_increase (comma-separated)';

-- Companion: when the best chain reached each step.
CREATE AGGREGATE salesplan.window_funnel_times(pg_catalog.interval, pg_catalog.timestamp, pg_catalog.int4) (
    SFUNC = salesplan.window_funnel_trans, STYPE = salesplan.funnel_events, SSPACE = 144,
    FINALFUNC = salesplan.funnel_step_times, FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = salesplan.window_funnel_combine, PARALLEL = SAFE
);
COMMENT ON AGGREGATE salesplan.window_funnel_times(pg_catalog.interval, pg_catalog.timestamp, pg_catalog.int4) IS
    'timestamps at which the best chain of window_funnel reached steps 1..level (empty when level 0)';

CREATE AGGREGATE salesplan.window_funnel_times(pg_catalog.interval, pg_catalog.timestamp, pg_catalog.int4, pg_catalog.text) (
    SFUNC = salesplan.window_funnel_trans, STYPE = salesplan.funnel_events, SSPACE = 144,
    FINALFUNC = salesplan.funnel_step_times, FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = salesplan.window_funnel_combine, PARALLEL = SAFE
);
COMMENT ON AGGREGATE salesplan.window_funnel_times(pg_catalog.interval, pg_catalog.timestamp, pg_catalog.int4, pg_catalog.text) IS
    'timestamps at which the best chain of window_funnel (with modes) reached steps 1..level (empty when level 0)';

CREATE AGGREGATE salesplan.window_funnel_times(pg_catalog.interval, pg_catalog.timestamptz, pg_catalog.int4) (
    SFUNC = salesplan.window_funnel_trans, STYPE = salesplan.funnel_events, SSPACE = 144,
    FINALFUNC = salesplan.funnel_step_times_tz, FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = salesplan.window_funnel_combine, PARALLEL = SAFE
);
COMMENT ON AGGREGATE salesplan.window_funnel_times(pg_catalog.interval, pg_catalog.timestamptz, pg_catalog.int4) IS
    'timestamps at which the best chain of window_funnel reached steps 1..level (empty when level 0)';

CREATE AGGREGATE salesplan.window_funnel_times(pg_catalog.interval, pg_catalog.timestamptz, pg_catalog.int4, pg_catalog.text) (
    SFUNC = salesplan.window_funnel_trans, STYPE = salesplan.funnel_events, SSPACE = 144,
    FINALFUNC = salesplan.funnel_step_times_tz, FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = salesplan.window_funnel_combine, PARALLEL = SAFE
);
COMMENT ON AGGREGATE salesplan.window_funnel_times(pg_catalog.interval, pg_catalog.timestamptz, pg_catalog.int4, pg_catalog.text) IS
    'timestamps at which the best chain of window_funnel (with modes) reached steps 1..level (empty when level 0)';

-- Two-step form: keep per-entity event states (per day, say) and merge them.
CREATE AGGREGATE salesplan.funnel_event_agg(pg_catalog.interval, pg_catalog.timestamp, pg_catalog.int4) (
    SFUNC = salesplan.window_funnel_trans, STYPE = salesplan.funnel_events, SSPACE = 144,
    FINALFUNC = salesplan.funnel_events_compact, FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = salesplan.window_funnel_combine, PARALLEL = SAFE
);
COMMENT ON AGGREGATE salesplan.funnel_event_agg(pg_catalog.interval, pg_catalog.timestamp, pg_catalog.int4) IS
    'one entity''s events as a funnel_events state, for storing and rolling up; read with funnel_level';

CREATE AGGREGATE salesplan.funnel_event_agg(pg_catalog.interval, pg_catalog.timestamp, pg_catalog.int4, pg_catalog.text) (
    SFUNC = salesplan.window_funnel_trans, STYPE = salesplan.funnel_events, SSPACE = 144,
    FINALFUNC = salesplan.funnel_events_compact, FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = salesplan.window_funnel_combine, PARALLEL = SAFE
);
COMMENT ON AGGREGATE salesplan.funnel_event_agg(pg_catalog.interval, pg_catalog.timestamp, pg_catalog.int4, pg_catalog.text) IS
    'one entity''s events (with modes) as a funnel_events state, for storing and rolling up';

CREATE AGGREGATE salesplan.funnel_event_agg(pg_catalog.interval, pg_catalog.timestamptz, pg_catalog.int4) (
    SFUNC = salesplan.window_funnel_trans, STYPE = salesplan.funnel_events, SSPACE = 144,
    FINALFUNC = salesplan.funnel_events_compact, FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = salesplan.window_funnel_combine, PARALLEL = SAFE
);
COMMENT ON AGGREGATE salesplan.funnel_event_agg(pg_catalog.interval, pg_catalog.timestamptz, pg_catalog.int4) IS
    'one entity''s events as a funnel_events state, for storing and rolling up; read with funnel_level';

CREATE AGGREGATE salesplan.funnel_event_agg(pg_catalog.interval, pg_catalog.timestamptz, pg_catalog.int4, pg_catalog.text) (
    SFUNC = salesplan.window_funnel_trans, STYPE = salesplan.funnel_events, SSPACE = 144,
    FINALFUNC = salesplan.funnel_events_compact, FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = salesplan.window_funnel_combine, PARALLEL = SAFE
);
COMMENT ON AGGREGATE salesplan.funnel_event_agg(pg_catalog.interval, pg_catalog.timestamptz, pg_catalog.int4, pg_catalog.text) IS
    'one entity''s events (with modes) as a funnel_events state, for storing and rolling up';

CREATE AGGREGATE salesplan.rollup(salesplan.funnel_events) (
    SFUNC = salesplan.window_funnel_combine, STYPE = salesplan.funnel_events, SSPACE = 144,
    FINALFUNC = salesplan.funnel_events_compact, FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = salesplan.window_funnel_combine, PARALLEL = SAFE
);
COMMENT ON AGGREGATE salesplan.rollup(salesplan.funnel_events) IS
    'merges funnel_events states of one entity (for example per day into a quarter); window and modes must match';

-- Explicit time zone (issue 13): the timestamptz forms with a fifth
-- argument, the zone whose calendar counts the window's days and months, so
-- that the result is the same on every node whatever its TimeZone setting
-- (Citus runs a grouped aggregate on a worker, in the worker's zone).  The
-- zone is recorded in the state; pass '' as the mode for no mode.  The
-- timestamp forms take the zone too (validated, not needed: days of
-- timestamp without time zone are 24 hours), so that a timestamp column is
-- never cast to timestamptz in the session's zone to reach the
-- timestamptz form.
CREATE FUNCTION salesplan.window_funnel_trans(salesplan.funnel_events, pg_catalog.interval, pg_catalog.timestamp, pg_catalog.int4, pg_catalog.text, pg_catalog.text)
RETURNS salesplan.funnel_events
AS 'MODULE_PATHNAME', 'salesplan_window_funnel_trans'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION salesplan.window_funnel_trans(salesplan.funnel_events, pg_catalog.interval, pg_catalog.timestamp, pg_catalog.int4, pg_catalog.text, pg_catalog.text) IS
    'transition function of window_funnel(interval, timestamp, int, text, text): the time zone is validated and not needed';

CREATE FUNCTION salesplan.window_funnel_trans(salesplan.funnel_events, pg_catalog.interval, pg_catalog.timestamptz, pg_catalog.int4, pg_catalog.text, pg_catalog.text)
RETURNS salesplan.funnel_events
AS 'MODULE_PATHNAME', 'salesplan_window_funnel_trans_tz'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION salesplan.window_funnel_trans(salesplan.funnel_events, pg_catalog.interval, pg_catalog.timestamptz, pg_catalog.int4, pg_catalog.text, pg_catalog.text) IS
    'transition function of window_funnel(interval, timestamptz, int, text, text): records the time zone (validated at the first row) in the state';

CREATE AGGREGATE salesplan.window_funnel(pg_catalog.interval, pg_catalog.timestamp, pg_catalog.int4, pg_catalog.text, pg_catalog.text) (
    SFUNC = salesplan.window_funnel_trans, STYPE = salesplan.funnel_events, SSPACE = 144,
    FINALFUNC = salesplan.funnel_level, FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = salesplan.window_funnel_combine, PARALLEL = SAFE
);
COMMENT ON AGGREGATE salesplan.window_funnel(pg_catalog.interval, pg_catalog.timestamp, pg_catalog.int4, pg_catalog.text, pg_catalog.text) IS
    'ordered funnel of one entity (timestamp events) with modes; the time zone is validated and not needed, as days of timestamp are 24 hours';

CREATE AGGREGATE salesplan.window_funnel_times(pg_catalog.interval, pg_catalog.timestamp, pg_catalog.int4, pg_catalog.text, pg_catalog.text) (
    SFUNC = salesplan.window_funnel_trans, STYPE = salesplan.funnel_events, SSPACE = 144,
    FINALFUNC = salesplan.funnel_step_times, FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = salesplan.window_funnel_combine, PARALLEL = SAFE
);
COMMENT ON AGGREGATE salesplan.window_funnel_times(pg_catalog.interval, pg_catalog.timestamp, pg_catalog.int4, pg_catalog.text, pg_catalog.text) IS
    'timestamps at which the best chain of window_funnel (timestamp events, with modes; the time zone is not needed) reached steps 1..level';

CREATE AGGREGATE salesplan.funnel_event_agg(pg_catalog.interval, pg_catalog.timestamp, pg_catalog.int4, pg_catalog.text, pg_catalog.text) (
    SFUNC = salesplan.window_funnel_trans, STYPE = salesplan.funnel_events, SSPACE = 144,
    FINALFUNC = salesplan.funnel_events_compact, FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = salesplan.window_funnel_combine, PARALLEL = SAFE
);
COMMENT ON AGGREGATE salesplan.funnel_event_agg(pg_catalog.interval, pg_catalog.timestamp, pg_catalog.int4, pg_catalog.text, pg_catalog.text) IS
    'one entity''s timestamp events (with modes; the time zone is not needed) as a funnel_events state, for storing and rolling up';

CREATE AGGREGATE salesplan.window_funnel(pg_catalog.interval, pg_catalog.timestamptz, pg_catalog.int4, pg_catalog.text, pg_catalog.text) (
    SFUNC = salesplan.window_funnel_trans, STYPE = salesplan.funnel_events, SSPACE = 144,
    FINALFUNC = salesplan.funnel_level, FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = salesplan.window_funnel_combine, PARALLEL = SAFE
);
COMMENT ON AGGREGATE salesplan.window_funnel(pg_catalog.interval, pg_catalog.timestamptz, pg_catalog.int4, pg_catalog.text, pg_catalog.text) IS
    'ordered funnel of one entity with modes (comma-separated, '''' for none) and an explicit time zone for the window''s days and months: the same result on every node whatever its TimeZone';

CREATE AGGREGATE salesplan.window_funnel_times(pg_catalog.interval, pg_catalog.timestamptz, pg_catalog.int4, pg_catalog.text, pg_catalog.text) (
    SFUNC = salesplan.window_funnel_trans, STYPE = salesplan.funnel_events, SSPACE = 144,
    FINALFUNC = salesplan.funnel_step_times_tz, FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = salesplan.window_funnel_combine, PARALLEL = SAFE
);
COMMENT ON AGGREGATE salesplan.window_funnel_times(pg_catalog.interval, pg_catalog.timestamptz, pg_catalog.int4, pg_catalog.text, pg_catalog.text) IS
    'timestamps at which the best chain of window_funnel (with modes and an explicit time zone) reached steps 1..level (empty when level 0)';

CREATE AGGREGATE salesplan.funnel_event_agg(pg_catalog.interval, pg_catalog.timestamptz, pg_catalog.int4, pg_catalog.text, pg_catalog.text) (
    SFUNC = salesplan.window_funnel_trans, STYPE = salesplan.funnel_events, SSPACE = 144,
    FINALFUNC = salesplan.funnel_events_compact, FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = salesplan.window_funnel_combine, PARALLEL = SAFE
);
COMMENT ON AGGREGATE salesplan.funnel_event_agg(pg_catalog.interval, pg_catalog.timestamptz, pg_catalog.int4, pg_catalog.text, pg_catalog.text) IS
    'one entity''s events (with modes and an explicit time zone) as a funnel_events state, for storing and rolling up';

-- ---------------------------------------------------------------------
-- The table-level path of window_funnel (issue 15): one scan of a table,
-- no executor grouping (src/window_funnel_scan.c, doc/window_funnel.md).
-- ---------------------------------------------------------------------

CREATE FUNCTION salesplan.window_funnel_scan(rel pg_catalog.regclass, entity_column pg_catalog.name,
                                             entity_type anyelement, ts_column pg_catalog.name,
                                             step_column pg_catalog.name, "window" pg_catalog.interval,
                                             mode pg_catalog.text DEFAULT '',
                                             filter_column pg_catalog.name DEFAULT NULL,
                                             time_zone pg_catalog.text DEFAULT NULL)
RETURNS TABLE (entity anyelement, level pg_catalog.int4)
AS 'MODULE_PATHNAME', 'salesplan_window_funnel_scan'
LANGUAGE C STABLE PARALLEL RESTRICTED ROWS 1000;
COMMENT ON FUNCTION salesplan.window_funnel_scan(pg_catalog.regclass, pg_catalog.name, anyelement, pg_catalog.name, pg_catalog.name, pg_catalog.interval, pg_catalog.text, pg_catalog.name, pg_catalog.text) IS
    'window_funnel level of every entity of a table, in one scan of the table (and its partitions) without the executor''s grouping; same answers as the aggregate; entity_type is NULL cast to the entity column''s type; a timestamptz window''s days and months on the calendar of time_zone (NULL: the session''s)';

CREATE FUNCTION salesplan.window_funnel_levels(rel pg_catalog.regclass, entity_column pg_catalog.name,
                                               ts_column pg_catalog.name, step_column pg_catalog.name,
                                               "window" pg_catalog.interval,
                                               mode pg_catalog.text DEFAULT '',
                                               filter_column pg_catalog.name DEFAULT NULL,
                                               time_zone pg_catalog.text DEFAULT NULL)
RETURNS TABLE (level pg_catalog.int4, entities pg_catalog.int8)
AS 'MODULE_PATHNAME', 'salesplan_window_funnel_levels'
LANGUAGE C STABLE PARALLEL RESTRICTED ROWS 10;
COMMENT ON FUNCTION salesplan.window_funnel_levels(pg_catalog.regclass, pg_catalog.name, pg_catalog.name, pg_catalog.name, pg_catalog.interval, pg_catalog.text, pg_catalog.name, pg_catalog.text) IS
    'how many entities of a table reached each window_funnel level (levels with no entity left out), in one scan of the table and its partitions; a timestamptz window''s days and months on the calendar of time_zone (NULL: the session''s)';
