
-- ---------------------------------------------------------------------
-- The key of a bound view's row (src/group_key.c): the record literal of
-- the grouping values, written the same way whatever the reader's
-- settings.  See doc/bindings.md.
-- ---------------------------------------------------------------------

CREATE FUNCTION salesplan.group_key(VARIADIC "any") RETURNS text
    AS 'MODULE_PATHNAME', 'salesplan_group_key'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION salesplan.group_key(VARIADIC "any") IS
    'record literal of the values, as ROW(...)::text, written with fixed settings (dates and timestamps ISO, timestamptz in UTC, intervals in the postgres style, floats shortest exact, numeric without trailing zeros, bytea hex): the same text whatever the session''s DateStyle, IntervalStyle, extra_float_digits, TimeZone, bytea_output or lc_monetary; the group_key of every bound view';
