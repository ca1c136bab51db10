-- Volatility, parallel safety and strictness of every function of the
-- extension, against a reviewed list (issue 13).  A new function shows up
-- here and must be reviewed by the same rules:
--
--   IMMUTABLE  the result depends on the arguments alone: no setting
--              (TimeZone, DateStyle, IntervalStyle, lc_*), no catalog or
--              table read, no clock.  Type I/O of the state types is here:
--              their text forms are microseconds, day numbers and integers,
--              never date_out/timestamptz_out.  So are the timestamptz
--              functions that count elapsed 24-hour days (outcome_agg,
--              proposal_agg's due days, days_since_last_touch) or take an
--              explicit time zone (window_funnel's 5-argument forms, whose
--              transition records the zone; is_cold with time_zone), the
--              check of a binding's zone name (binding_time_zone: the tz
--              database, as AT TIME ZONE reads it), the local time in a
--              named zone (local_time: a zone name, never an
--              abbreviation), whether a zone name is known
--              (time_zone_known: the tz database), and the SQL that builds
--              view text from its arguments only.
--              So is group_key: it writes every value with fixed settings
--              (ISO dates, timestamptz in UTC, shortest exact floats; other
--              types under settings it sets for the call), never the
--              session's.
--   STABLE     reads TimeZone (funnel_level and funnel_step_times_tz on a
--              timestamptz state without its own zone, is_cold without a
--              zone: calendar days and months of an interval), reads
--              catalogs or tables (the binding and preset internals,
--              window_funnel_scan and window_funnel_levels), or the
--              session's binding caller.
--   VOLATILE   creates, drops, refreshes or schedules objects (the bind,
--              preset and refresh functions), or writes the binding catalog.
--
-- PARALLEL UNSAFE on an IMMUTABLE function (preset_label, preset_sf_name,
-- preset_utc_date: internals that build view text) is conservative, not
-- wrong: they run inside the volatile preset functions only.
--
-- Aggregates show 'i': CREATE AGGREGATE records every aggregate as
-- IMMUTABLE (pro forma, and ALTER cannot change it); the planner and Citus
-- look at the support functions, listed with their own volatility.  Every
-- aggregate has a combine function and is PARALLEL SAFE (checked below).
--
-- Corrections made by the review (issue 13): funnel_step_times STABLE ->
-- IMMUTABLE (it reads timestamp states only, whose days are 24 hours; it
-- rejects timestamptz states).
CREATE EXTENSION salesplan;
CREATE TEMP VIEW fn AS
SELECT p.oid, p.oid::regprocedure::text AS function, p.prokind AS kind, p.provolatile AS volatility,
       p.proparallel AS parallel, p.proisstrict AS strict, l.lanname AS language, p.prosrc
FROM pg_proc p
JOIN pg_language l ON l.oid = p.prolang
JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
WHERE d.refclassid = 'pg_extension'::regclass
  AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'salesplan');

-- the reviewed list: kind (f function, a aggregate), volatility (i, s, v),
-- parallel (s safe, r restricted, u unsafe), strict
SELECT function, kind, volatility, parallel, strict
FROM fn
ORDER BY volatility DESC, function COLLATE "C";

-- counts, so a change in the list is easy to spot
SELECT kind, volatility, parallel, count(*) AS functions
FROM fn GROUP BY kind, volatility, parallel ORDER BY 1, 2, 3;

-- every aggregate: a combine function and PARALLEL SAFE (no rows)
SELECT f.function AS aggregate_without_combine_or_parallel
FROM fn f JOIN pg_aggregate a ON a.aggfnoid = f.oid
WHERE a.aggcombinefn = 0 OR f.parallel <> 's'
ORDER BY 1;

-- no IMMUTABLE SQL or PL/pgSQL function reads the clock, a setting, a
-- sequence, random() or a system catalog (no rows; a literal of a built-in
-- type such as 'jsonb'::regtype is a constant).  Case-sensitive: the
-- functions write calls in lower case, while upper-case CURRENT_DATE appears
-- in the text of generated views and their comments, which these functions
-- only build.
SELECT function AS immutable_reading_state
FROM fn
WHERE volatility = 'i' AND language IN ('sql', 'plpgsql')
  AND prosrc ~ '(now\(|current_date|current_timestamp|localtimestamp|clock_timestamp|statement_timestamp|transaction_timestamp|current_setting|set_config|random\(|nextval|pg_catalog\.pg_[a-z_]+ |::regclass|to_regclass)'
ORDER BY 1;

-- every STABLE or VOLATILE C function is one the list above explains (no
-- rows): a new one needs a reason here
SELECT function AS unexplained_c_function
FROM fn
WHERE language = 'c' AND volatility <> 'i'
  AND function !~ '^salesplan\.(funnel_level|funnel_step_times_tz|is_cold|window_funnel_scan|window_funnel_levels|bind_[a-z_]+|refresh|regenerate|unbind|create_refresh_job|drop_refresh_job)\('
  AND function !~ '^salesplan_internal\.binding_(acting|caller|act_as|execute_as)\('
ORDER BY 1;
DROP EXTENSION salesplan;
