
-- ---------------------------------------------------------------------
-- Project paradigm: milestone schedules (src/schedule.c, src/earned_value.c,
-- src/slip_trend.c, doc/schedule.md)
-- ---------------------------------------------------------------------

CREATE TYPE salesplan.schedule;

CREATE FUNCTION salesplan.schedule_in(pg_catalog.cstring) RETURNS salesplan.schedule
    AS 'MODULE_PATHNAME', 'salesplan_schedule_in'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION salesplan.schedule_in(pg_catalog.cstring) IS
    'text input of salesplan.schedule (strict, versioned)';

CREATE FUNCTION salesplan.schedule_out(salesplan.schedule) RETURNS pg_catalog.cstring
    AS 'MODULE_PATHNAME', 'salesplan_schedule_out'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION salesplan.schedule_out(salesplan.schedule) IS
    'text output of salesplan.schedule, milestones sorted by planned, actual, weight';

CREATE FUNCTION salesplan.schedule_recv(internal) RETURNS salesplan.schedule
    AS 'MODULE_PATHNAME', 'salesplan_schedule_recv'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION salesplan.schedule_recv(internal) IS
    'binary input of salesplan.schedule (validated)';

CREATE FUNCTION salesplan.schedule_send(salesplan.schedule) RETURNS pg_catalog.bytea
    AS 'MODULE_PATHNAME', 'salesplan_schedule_send'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION salesplan.schedule_send(salesplan.schedule) IS
    'binary output of salesplan.schedule';

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
COMMENT ON TYPE salesplan.schedule[] IS
    'array of salesplan.schedule values';

CREATE FUNCTION salesplan.schedule_trans(salesplan.schedule, date, date, pg_catalog.numeric)
    RETURNS salesplan.schedule
    AS 'MODULE_PATHNAME', 'salesplan_schedule_trans'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION salesplan.schedule_trans(salesplan.schedule, date, date, pg_catalog.numeric) IS
    'transition function of salesplan.schedule_agg(planned, actual, weight)';

CREATE FUNCTION salesplan.schedule_trans(salesplan.schedule, date, date, pg_catalog.numeric, date)
    RETURNS salesplan.schedule
    AS 'MODULE_PATHNAME', 'salesplan_schedule_trans'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION salesplan.schedule_trans(salesplan.schedule, date, date, pg_catalog.numeric, date) IS
    'transition function of salesplan.schedule_agg(planned, actual, weight, start)';

CREATE FUNCTION salesplan.schedule_combine(salesplan.schedule, salesplan.schedule)
    RETURNS salesplan.schedule
    AS 'MODULE_PATHNAME', 'salesplan_schedule_combine'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION salesplan.schedule_combine(salesplan.schedule, salesplan.schedule) IS
    'combine function of the schedule aggregates, and transition function of salesplan.rollup(salesplan.schedule)';

CREATE FUNCTION salesplan.schedule_final(salesplan.schedule)
    RETURNS salesplan.schedule
    AS 'MODULE_PATHNAME', 'salesplan_schedule_final'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
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
COMMENT ON AGGREGATE salesplan.schedule_agg(date, date, pg_catalog.numeric) IS
    'one project''s milestone schedule, one row per milestone: planned (baseline) date, actual date (NULL while not reached), weight (share of value, NULL = 1); the start is the earliest planned date';

CREATE AGGREGATE salesplan.schedule_agg(planned date, actual date, weight pg_catalog.numeric, start date) (
    SFUNC = salesplan.schedule_trans,
    STYPE = salesplan.schedule,
    FINALFUNC = salesplan.schedule_final,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = salesplan.schedule_combine,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE salesplan.schedule_agg(date, date, pg_catalog.numeric, date) IS
    'one project''s milestone schedule with an explicit project start (the earliest of start and the planned dates is used)';

CREATE AGGREGATE salesplan.rollup(salesplan.schedule) (
    SFUNC = salesplan.schedule_combine,
    STYPE = salesplan.schedule,
    FINALFUNC = salesplan.schedule_final,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = salesplan.schedule_combine,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE salesplan.rollup(salesplan.schedule) IS
    'merges project schedules into a portfolio schedule (all milestones, earliest start)';

-- accessors

CREATE FUNCTION salesplan.planned_value(s salesplan.schedule, as_of date) RETURNS pg_catalog.numeric
    AS 'MODULE_PATHNAME', 'salesplan_schedule_planned_value'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION salesplan.planned_value(salesplan.schedule, date) IS
    'PV: total weight of milestones planned on or before as_of';

CREATE FUNCTION salesplan.earned_value(s salesplan.schedule, as_of date) RETURNS pg_catalog.numeric
    AS 'MODULE_PATHNAME', 'salesplan_schedule_earned_value'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION salesplan.earned_value(salesplan.schedule, date) IS
    'EV: total weight of milestones reached on or before as_of';

CREATE FUNCTION salesplan.schedule_variance(s salesplan.schedule, as_of date) RETURNS pg_catalog.numeric
    AS 'MODULE_PATHNAME', 'salesplan_schedule_variance'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION salesplan.schedule_variance(salesplan.schedule, date) IS
    'SV = EV - PV at as_of, in weight units (negative = behind plan)';

CREATE FUNCTION salesplan.spi(s salesplan.schedule, as_of date) RETURNS float8
    AS 'MODULE_PATHNAME', 'salesplan_schedule_spi'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION salesplan.spi(salesplan.schedule, date) IS
    'SPI = EV / PV at as_of; NULL when PV = 0; tends to 1 at the end of every project, late or not';

CREATE FUNCTION salesplan.earned_schedule_days(s salesplan.schedule, as_of date) RETURNS float8
    AS 'MODULE_PATHNAME', 'salesplan_schedule_earned_schedule_days'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION salesplan.earned_schedule_days(salesplan.schedule, date) IS
    'ES: days after the project start at which the (linear) planned-value curve first reaches EV(as_of)';

CREATE FUNCTION salesplan.spi_t(s salesplan.schedule, as_of date) RETURNS float8
    AS 'MODULE_PATHNAME', 'salesplan_schedule_spi_t'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION salesplan.spi_t(salesplan.schedule, date) IS
    'SPI(t) = ES / AT, AT = days from start to as_of (or to the actual finish once every milestone is reached); NULL when AT <= 0 or the planned duration is 0';

CREATE FUNCTION salesplan.schedule_variance_t(s salesplan.schedule, as_of date) RETURNS float8
    AS 'MODULE_PATHNAME', 'salesplan_schedule_variance_t'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION salesplan.schedule_variance_t(salesplan.schedule, date) IS
    'SV(t) = ES - AT in days (negative = behind plan); NULL before the start';

CREATE FUNCTION salesplan.forecast_finish(s salesplan.schedule, as_of date) RETURNS date
    AS 'MODULE_PATHNAME', 'salesplan_schedule_forecast_finish'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION salesplan.forecast_finish(salesplan.schedule, date) IS
    'IEAC(t): start + planned duration / SPI(t), rounded to a day; the actual finish once every milestone is reached; NULL when SPI(t) is NULL or 0; infinity when beyond the date range';

CREATE FUNCTION salesplan.on_time_rate(s salesplan.schedule, as_of date) RETURNS float8
    AS 'MODULE_PATHNAME', 'salesplan_schedule_on_time_rate'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION salesplan.on_time_rate(salesplan.schedule, date) IS
    'share (count, not weight) of milestones planned on or before as_of that were reached on or before their planned date, leaving out one due on as_of and not yet reached (still open); NULL when none is due';

CREATE FUNCTION salesplan.slip_days(s salesplan.schedule, as_of date) RETURNS float8
    AS 'MODULE_PATHNAME', 'salesplan_schedule_slip_days'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION salesplan.slip_days(salesplan.schedule, date) IS
    'weighted mean slip in days of milestones due by as_of: actual - planned when reached by as_of, as_of - planned otherwise (negative = early); NULL when no due milestone has weight';

CREATE FUNCTION salesplan.late_milestones(s salesplan.schedule, as_of date) RETURNS integer
    AS 'MODULE_PATHNAME', 'salesplan_schedule_late_milestones'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION salesplan.late_milestones(salesplan.schedule, date) IS
    'number of milestones due by as_of that were reached late or are still open past their planned date';

CREATE FUNCTION salesplan.total_weight(s salesplan.schedule) RETURNS pg_catalog.numeric
    AS 'MODULE_PATHNAME', 'salesplan_schedule_total_weight'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION salesplan.total_weight(salesplan.schedule) IS
    'BAC: total weight of all milestones';

CREATE FUNCTION salesplan.milestone_count(s salesplan.schedule) RETURNS integer
    AS 'MODULE_PATHNAME', 'salesplan_schedule_milestone_count'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION salesplan.milestone_count(salesplan.schedule) IS
    'number of milestones in the schedule';

CREATE FUNCTION salesplan.project_start(s salesplan.schedule) RETURNS date
    AS 'MODULE_PATHNAME', 'salesplan_schedule_project_start'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION salesplan.project_start(salesplan.schedule) IS
    'project start used by the time-based metrics: the earliest of the explicit start and the planned dates';

CREATE FUNCTION salesplan.planned_finish(s salesplan.schedule) RETURNS date
    AS 'MODULE_PATHNAME', 'salesplan_schedule_planned_finish'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION salesplan.planned_finish(salesplan.schedule) IS
    'latest planned milestone date';

CREATE FUNCTION salesplan.milestones(s salesplan.schedule)
    RETURNS TABLE(planned date, actual date, weight pg_catalog.numeric)
    AS 'MODULE_PATHNAME', 'salesplan_schedule_milestones'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 10;
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
COMMENT ON FUNCTION salesplan.slip_trend_state_in(pg_catalog.cstring) IS
    'text input of salesplan.slip_trend_state (strict, versioned)';

CREATE FUNCTION salesplan.slip_trend_state_out(salesplan.slip_trend_state) RETURNS pg_catalog.cstring
    AS 'MODULE_PATHNAME', 'salesplan_slip_trend_state_out'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION salesplan.slip_trend_state_out(salesplan.slip_trend_state) IS
    'text output of salesplan.slip_trend_state';

CREATE FUNCTION salesplan.slip_trend_state_recv(internal) RETURNS salesplan.slip_trend_state
    AS 'MODULE_PATHNAME', 'salesplan_slip_trend_state_recv'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION salesplan.slip_trend_state_recv(internal) IS
    'binary input of salesplan.slip_trend_state (validated)';

CREATE FUNCTION salesplan.slip_trend_state_send(salesplan.slip_trend_state) RETURNS pg_catalog.bytea
    AS 'MODULE_PATHNAME', 'salesplan_slip_trend_state_send'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION salesplan.slip_trend_state_send(salesplan.slip_trend_state) IS
    'binary output of salesplan.slip_trend_state';

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
COMMENT ON TYPE salesplan.slip_trend_state[] IS
    'array of salesplan.slip_trend_state values';

CREATE FUNCTION salesplan.slip_trend_trans(salesplan.slip_trend_state, date, date)
    RETURNS salesplan.slip_trend_state
    AS 'MODULE_PATHNAME', 'salesplan_slip_trend_trans'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION salesplan.slip_trend_trans(salesplan.slip_trend_state, date, date) IS
    'transition function of salesplan.slip_trend';

CREATE FUNCTION salesplan.slip_trend_combine(salesplan.slip_trend_state, salesplan.slip_trend_state)
    RETURNS salesplan.slip_trend_state
    AS 'MODULE_PATHNAME', 'salesplan_slip_trend_combine'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION salesplan.slip_trend_combine(salesplan.slip_trend_state, salesplan.slip_trend_state) IS
    'combine function of salesplan.slip_trend';

CREATE FUNCTION salesplan.slip_trend_final(salesplan.slip_trend_state)
    RETURNS float8
    AS 'MODULE_PATHNAME', 'salesplan_slip_trend_final'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
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
