
-- ---------------------------------------------------------------------------
-- Deals still open: censoring-aware conversion.  Type salesplan.outcomes,
-- aggregates outcome_agg (date, timestamptz) and rollup, accessors (the
-- Aalen-Johansen estimate of winning and losing).  Reference: doc/outcomes.md.
-- ---------------------------------------------------------------------------

CREATE TYPE salesplan.outcomes;

CREATE FUNCTION salesplan.outcomes_in(cstring) RETURNS salesplan.outcomes
    AS 'MODULE_PATHNAME', 'salesplan_outcomes_in'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION salesplan.outcomes_in(cstring) IS
    'text input of salesplan.outcomes (versioned, strict; see doc/outcomes.md)';

CREATE FUNCTION salesplan.outcomes_out(salesplan.outcomes) RETURNS cstring
    AS 'MODULE_PATHNAME', 'salesplan_outcomes_out'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION salesplan.outcomes_out(salesplan.outcomes) IS
    'text output of salesplan.outcomes; canonical (durations sorted and merged), round-trips exactly through outcomes_in';

CREATE FUNCTION salesplan.outcomes_recv(internal) RETURNS salesplan.outcomes
    AS 'MODULE_PATHNAME', 'salesplan_outcomes_recv'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION salesplan.outcomes_recv(internal) IS
    'binary input of salesplan.outcomes (validated; corrupt input raises data_corrupted)';

CREATE FUNCTION salesplan.outcomes_send(salesplan.outcomes) RETURNS bytea
    AS 'MODULE_PATHNAME', 'salesplan_outcomes_send'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION salesplan.outcomes_send(salesplan.outcomes) IS
    'binary output of salesplan.outcomes';

CREATE TYPE salesplan.outcomes (
    INPUT = salesplan.outcomes_in,
    OUTPUT = salesplan.outcomes_out,
    RECEIVE = salesplan.outcomes_recv,
    SEND = salesplan.outcomes_send,
    INTERNALLENGTH = VARIABLE,
    ALIGNMENT = double,
    STORAGE = extended
);
COMMENT ON TYPE salesplan.outcomes IS
    'entities followed from entry until won, lost or still open: a histogram of whole-day durations per outcome; built by salesplan.outcome_agg, merged by salesplan.rollup';
COMMENT ON TYPE salesplan.outcomes[] IS
    'array of salesplan.outcomes values';

-- aggregate support

CREATE FUNCTION salesplan.outcomes_trans(salesplan.outcomes, date, date, boolean, date)
    RETURNS salesplan.outcomes
    AS 'MODULE_PATHNAME', 'salesplan_outcomes_trans'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION salesplan.outcomes_trans(salesplan.outcomes, date, date, boolean, date) IS
    'transition function of salesplan.outcome_agg(started date, ended date, won, as_of date) (aggregate use only)';

CREATE FUNCTION salesplan.outcomes_trans(salesplan.outcomes, timestamp with time zone,
                                         timestamp with time zone, boolean, timestamp with time zone)
    RETURNS salesplan.outcomes
    AS 'MODULE_PATHNAME', 'salesplan_outcomes_trans_tz'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION salesplan.outcomes_trans(salesplan.outcomes, timestamp with time zone,
                                             timestamp with time zone, boolean, timestamp with time zone) IS
    'transition function of salesplan.outcome_agg(started timestamptz, ended timestamptz, won, as_of timestamptz) (aggregate use only)';

CREATE FUNCTION salesplan.outcomes_combine(salesplan.outcomes, salesplan.outcomes)
    RETURNS salesplan.outcomes
    AS 'MODULE_PATHNAME', 'salesplan_outcomes_combine'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION salesplan.outcomes_combine(salesplan.outcomes, salesplan.outcomes) IS
    'combine function of salesplan.outcome_agg and salesplan.rollup(salesplan.outcomes), and transition function of rollup (aggregate use only)';

CREATE FUNCTION salesplan.outcomes_final(salesplan.outcomes)
    RETURNS salesplan.outcomes
    AS 'MODULE_PATHNAME', 'salesplan_outcomes_final'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION salesplan.outcomes_final(salesplan.outcomes) IS
    'final function of salesplan.outcome_agg and salesplan.rollup(salesplan.outcomes): the summary without spare room';

CREATE AGGREGATE salesplan.outcome_agg(started date, ended date, won boolean, as_of date) (
    SFUNC = salesplan.outcomes_trans,
    STYPE = salesplan.outcomes,
    FINALFUNC = salesplan.outcomes_final,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = salesplan.outcomes_combine,
    SSPACE = 1024,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE salesplan.outcome_agg(date, date, boolean, date) IS
    'one row per entity: started (NULL or after as_of = not in the cohort), ended (NULL or after as_of = still open at as_of), won (NULL = lost), as_of (the status date, required); whole days from started';

CREATE AGGREGATE salesplan.outcome_agg(started timestamp with time zone, ended timestamp with time zone,
                                       won boolean, as_of timestamp with time zone) (
    SFUNC = salesplan.outcomes_trans,
    STYPE = salesplan.outcomes,
    FINALFUNC = salesplan.outcomes_final,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = salesplan.outcomes_combine,
    SSPACE = 1024,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE salesplan.outcome_agg(timestamp with time zone, timestamp with time zone,
                                           boolean, timestamp with time zone) IS
    'one row per entity, as the date variant; a duration is the elapsed time / 24 hours rounded down, so no time zone enters';

CREATE AGGREGATE salesplan.rollup(salesplan.outcomes) (
    SFUNC = salesplan.outcomes_combine,
    STYPE = salesplan.outcomes,
    FINALFUNC = salesplan.outcomes_final,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = salesplan.outcomes_combine,
    SSPACE = 1024,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE salesplan.rollup(salesplan.outcomes) IS
    'merges outcome summaries (for example per team into the company, or per month of entry into the quarter)';

-- accessors

CREATE FUNCTION salesplan.win_probability(o salesplan.outcomes) RETURNS double precision
    AS 'MODULE_PATHNAME', 'salesplan_outcomes_win_probability'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION salesplan.win_probability(salesplan.outcomes) IS
    'censoring-aware eventual win rate: Aalen-Johansen probability of being won by the longest observed duration, open entities counted until as_of; NULL when nobody entered';

CREATE FUNCTION salesplan.win_probability(o salesplan.outcomes, within interval) RETURNS double precision
    AS 'MODULE_PATHNAME', 'salesplan_outcomes_win_probability'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION salesplan.win_probability(salesplan.outcomes, interval) IS
    'censoring-aware win rate within a horizon: Aalen-Johansen probability of being won within floor(extract(epoch from within) / 86400) days of entry; NULL when nobody entered';

CREATE FUNCTION salesplan.loss_probability(o salesplan.outcomes) RETURNS double precision
    AS 'MODULE_PATHNAME', 'salesplan_outcomes_loss_probability'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION salesplan.loss_probability(salesplan.outcomes) IS
    'censoring-aware eventual loss rate: Aalen-Johansen probability of being lost by the longest observed duration; NULL when nobody entered';

CREATE FUNCTION salesplan.loss_probability(o salesplan.outcomes, within interval) RETURNS double precision
    AS 'MODULE_PATHNAME', 'salesplan_outcomes_loss_probability'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION salesplan.loss_probability(salesplan.outcomes, interval) IS
    'censoring-aware loss rate within a horizon: Aalen-Johansen probability of being lost within floor(extract(epoch from within) / 86400) days of entry; NULL when nobody entered';

CREATE FUNCTION salesplan.entered(o salesplan.outcomes) RETURNS bigint
    AS 'MODULE_PATHNAME', 'salesplan_outcomes_entered'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION salesplan.entered(salesplan.outcomes) IS
    'entities in the cohort: won + lost + still open (invalid rows not included)';

CREATE FUNCTION salesplan.won_count(o salesplan.outcomes) RETURNS bigint
    AS 'MODULE_PATHNAME', 'salesplan_outcomes_won_count'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION salesplan.won_count(salesplan.outcomes) IS
    'entities won by as_of';

CREATE FUNCTION salesplan.lost_count(o salesplan.outcomes) RETURNS bigint
    AS 'MODULE_PATHNAME', 'salesplan_outcomes_lost_count'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION salesplan.lost_count(salesplan.outcomes) IS
    'entities lost by as_of (ended, and won false or NULL)';

CREATE FUNCTION salesplan.open_count(o salesplan.outcomes) RETURNS bigint
    AS 'MODULE_PATHNAME', 'salesplan_outcomes_open_count'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION salesplan.open_count(salesplan.outcomes) IS
    'entities still open at as_of (ended NULL or later than as_of)';

CREATE FUNCTION salesplan.invalid_rows(o salesplan.outcomes) RETURNS bigint
    AS 'MODULE_PATHNAME', 'salesplan_outcomes_invalid_rows'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION salesplan.invalid_rows(salesplan.outcomes) IS
    'rows excluded from the estimate because they ended before they started';

CREATE FUNCTION salesplan.naive_win_rate(o salesplan.outcomes) RETURNS double precision
    AS 'MODULE_PATHNAME', 'salesplan_outcomes_naive_win_rate'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION salesplan.naive_win_rate(salesplan.outcomes) IS
    'naive win rate: won / entered, open entities counted as not won (for comparison with win_probability); NULL when nobody entered';

CREATE FUNCTION salesplan.time_to_win(o salesplan.outcomes, q double precision) RETURNS double precision
    AS 'MODULE_PATHNAME', 'salesplan_outcomes_time_to_win'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION salesplan.time_to_win(salesplan.outcomes, double precision) IS
    'days from entry by which the share q (0 < q <= 1) of the eventual wins is reached: the smallest t with win_probability(t) >= q * win_probability (0.5 = median time to win); NULL when nothing is won';

CREATE FUNCTION salesplan.outcome_curve(o salesplan.outcomes)
    RETURNS TABLE (days integer, at_risk bigint, won bigint, lost bigint, open bigint,
                   survival double precision, win_probability double precision,
                   loss_probability double precision, win_low double precision,
                   win_high double precision)
    AS 'MODULE_PATHNAME', 'salesplan_outcomes_outcome_curve'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 100;
COMMENT ON FUNCTION salesplan.outcome_curve(salesplan.outcomes) IS
    'one row per distinct duration: entities at risk, won, lost and censored that day, the share still open after it, the censoring-aware win and loss probabilities by then, and a 95 % interval for the win probability (delta method, complementary log-log scale)';
