
-- ---------------------------------------------------------------------
-- The wall-clock time of a timestamptz in a named time zone
-- (src/time_zone.c): AT TIME ZONE for a zone NAME only.
-- pg_catalog.timezone(text, ...) reads the session's
-- timezone_abbreviations first ('CET' a fixed +01, 'EST' -05 or +10);
-- every bound view turns its timestamptz columns into the binding's
-- recorded zone's calendar with this function instead.  IMMUTABLE: the
-- result depends only on the arguments and the tz database.
-- ---------------------------------------------------------------------

CREATE FUNCTION salesplan.local_time(t timestamptz, time_zone text) RETURNS timestamp
    AS 'MODULE_PATHNAME', 'salesplan_local_time'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION salesplan.local_time(timestamptz, text) IS
    'wall-clock time of t in the time zone named time_zone (a name from pg_timezone_names or a POSIX specification; never an abbreviation, so timezone_abbreviations does not enter, and not localtime): t AT TIME ZONE time_zone whatever the session''s settings; infinite t stays infinite; invalid_parameter_value (22023) for an unknown zone; what every bound view uses for its timestamptz columns';

-- Whether a zone name is one salesplan accepts on this server (the same
-- check as local_time's): a binding records its zone's name and every read
-- of its views looks it up again, so a name the tz database lost (Debian's
-- tzdata-legacy names after an OS upgrade, a dump restored elsewhere)
-- makes every read fail; this lists such bindings beforehand.
CREATE FUNCTION salesplan.time_zone_known(time_zone text) RETURNS boolean
    AS 'MODULE_PATHNAME', 'salesplan_time_zone_known'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION salesplan.time_zone_known(text) IS
    'whether time_zone names a zone this server accepts in local_time, window_funnel and the bind functions (a zone of its tz database or a POSIX specification; false for an abbreviation, localtime or a name the tz database lacks, such as CET without Debian''s tzdata-legacy): SELECT name FROM salesplan.binding WHERE NOT salesplan.time_zone_known(spec ->> ''time_zone'') lists the bindings whose views cannot be read';
