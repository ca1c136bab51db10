
-- ---------------------------------------------------------------------
-- Behavior paradigm: target-account coverage (src/coverage.c)
-- ---------------------------------------------------------------------

CREATE TYPE salesplan.coverage;

CREATE FUNCTION salesplan.coverage_in(pg_catalog.cstring) RETURNS salesplan.coverage
    AS 'MODULE_PATHNAME', 'salesplan_coverage_in'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION salesplan.coverage_in(pg_catalog.cstring) IS
    'text input of salesplan.coverage: v1;levels=N,N,N,N,N,N;known=N;won=M;won_known=M;potential=M;scale=N';

CREATE FUNCTION salesplan.coverage_out(salesplan.coverage) RETURNS pg_catalog.cstring
    AS 'MODULE_PATHNAME', 'salesplan_coverage_out'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION salesplan.coverage_out(salesplan.coverage) IS
    'text output of salesplan.coverage (round-trips through coverage_in)';

CREATE FUNCTION salesplan.coverage_recv(pg_catalog.internal) RETURNS salesplan.coverage
    AS 'MODULE_PATHNAME', 'salesplan_coverage_recv'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION salesplan.coverage_recv(pg_catalog.internal) IS
    'binary input of salesplan.coverage';

CREATE FUNCTION salesplan.coverage_send(salesplan.coverage) RETURNS pg_catalog.bytea
    AS 'MODULE_PATHNAME', 'salesplan_coverage_send'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION salesplan.coverage_send(salesplan.coverage) IS
    'binary output of salesplan.coverage';

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
COMMENT ON TYPE salesplan.coverage[] IS
    'array of salesplan.coverage values';

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
-- Presales proposal rates (src/proposals.c)
-- ---------------------------------------------------------------------

CREATE TYPE salesplan.proposals;

CREATE FUNCTION salesplan.proposals_in(pg_catalog.cstring) RETURNS salesplan.proposals
    AS 'MODULE_PATHNAME', 'salesplan_proposals_in'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION salesplan.proposals_in(pg_catalog.cstring) IS
    'text input of salesplan.proposals: v1;requested=N;delivered=N;with_due=N;on_time=N;chains=N;first_pass=N;accepted=N';

CREATE FUNCTION salesplan.proposals_out(salesplan.proposals) RETURNS pg_catalog.cstring
    AS 'MODULE_PATHNAME', 'salesplan_proposals_out'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION salesplan.proposals_out(salesplan.proposals) IS
    'text output of salesplan.proposals (round-trips through proposals_in)';

CREATE FUNCTION salesplan.proposals_recv(pg_catalog.internal) RETURNS salesplan.proposals
    AS 'MODULE_PATHNAME', 'salesplan_proposals_recv'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION salesplan.proposals_recv(pg_catalog.internal) IS
    'binary input of salesplan.proposals';

CREATE FUNCTION salesplan.proposals_send(salesplan.proposals) RETURNS pg_catalog.bytea
    AS 'MODULE_PATHNAME', 'salesplan_proposals_send'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION salesplan.proposals_send(salesplan.proposals) IS
    'binary output of salesplan.proposals';

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
COMMENT ON TYPE salesplan.proposals[] IS
    'array of salesplan.proposals values';

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
-- Account ladder mapping and per-account metrics (src/coverage.c, src/touches.c)
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
COMMENT ON FUNCTION salesplan.touches_in(pg_catalog.cstring) IS
    'text input of salesplan.touches: v1;touches=N;first=T;last=T;contacts=C,C,... (T in microseconds since 2000-01-01 UTC)';

CREATE FUNCTION salesplan.touches_out(salesplan.touches) RETURNS pg_catalog.cstring
    AS 'MODULE_PATHNAME', 'salesplan_touches_out'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION salesplan.touches_out(salesplan.touches) IS
    'text output of salesplan.touches (round-trips through touches_in)';

CREATE FUNCTION salesplan.touches_recv(pg_catalog.internal) RETURNS salesplan.touches
    AS 'MODULE_PATHNAME', 'salesplan_touches_recv'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION salesplan.touches_recv(pg_catalog.internal) IS
    'binary input of salesplan.touches';

CREATE FUNCTION salesplan.touches_send(salesplan.touches) RETURNS pg_catalog.bytea
    AS 'MODULE_PATHNAME', 'salesplan_touches_send'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION salesplan.touches_send(salesplan.touches) IS
    'binary output of salesplan.touches';

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
COMMENT ON TYPE salesplan.touches[] IS
    'array of salesplan.touches values';

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

CREATE FUNCTION salesplan.is_cold(t salesplan.touches, as_of timestamp with time zone, keep_warm interval, time_zone text) RETURNS boolean
    AS 'MODULE_PATHNAME', 'salesplan_touches_is_cold'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION salesplan.is_cold(salesplan.touches, timestamp with time zone, interval, text) IS
    'is_cold with the days and months of keep_warm counted on the calendar of time_zone (a zone name such as America/New_York), not the session''s: the same answer on every node';
