
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
COMMENT ON TYPE salesplan.funnel[] IS
    'array of salesplan.funnel values';

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
