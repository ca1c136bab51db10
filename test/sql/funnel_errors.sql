-- salesplan.funnel: every error path, strict text and binary input.
CREATE EXTENSION IF NOT EXISTS salesplan;
SET extra_float_digits = 0;

-- ---- aggregate input errors, with their SQLSTATE ----
\set VERBOSITY sqlstate
-- negative amount: 22023
SELECT salesplan.funnel_agg(1, -0.01);
-- NaN and infinite amounts: 22003
SELECT salesplan.funnel_agg(1, 'NaN'::numeric);
SELECT salesplan.funnel_agg(1, 'Infinity'::numeric);
SELECT salesplan.funnel_agg(1, '-Infinity'::numeric, 3);
-- more than 8 decimal places: 22003
SELECT salesplan.funnel_agg(1, 0.000000001);
-- negative reached: 22023
SELECT salesplan.funnel_agg(-1, 1.0);
SELECT salesplan.funnel_agg(r, 1.0, 3) FROM (VALUES (1), (-2)) v(r);
-- reached above the declared stages: 22023
SELECT salesplan.funnel_agg(4, 1.0, 3);
SELECT salesplan.funnel_agg(r, 1.0, 3) FROM (VALUES (3), (4)) v(r);
-- stages varying within a group: 22023
SELECT salesplan.funnel_agg(1, 1.0, s) FROM (VALUES (3), (4)) v(s);
-- stages below 1: 22023; above the bound of 1000: 54000
SELECT salesplan.funnel_agg(1, 1.0, 0);
SELECT salesplan.funnel_agg(0, 1.0, -5);
SELECT salesplan.funnel_agg(1, 1.0, s) FROM (VALUES (3), (0)) v(s);
SELECT salesplan.funnel_agg(1, 1.0, 1001);
-- without declared stages, reached above the bound: 54000
SELECT salesplan.funnel_agg(1001, 1.0);
-- NULL stages: 22004
SELECT salesplan.funnel_agg(1, 1.0, NULL);
-- the bound itself is fine
SELECT salesplan.stage_count(salesplan.funnel_agg(1000, 1.0)) AS deepest,
       salesplan.stage_count(salesplan.funnel_agg(1, 1.0, 1000)) AS declared;
-- a sum beyond the exact-money range (about 1.7e30): 22003
SELECT salesplan.funnel_agg(1, a)
FROM (VALUES (1e30), (1e30)) v(a);
-- and an amount alone beyond it
SELECT salesplan.funnel_agg(1, 1e31);
-- support functions are not callable outside an aggregate: 0A000
SELECT salesplan.funnel_trans(NULL, 1, 1.0);
SELECT salesplan.funnel_combine(NULL, NULL);

-- the messages themselves
\set VERBOSITY default
SELECT salesplan.funnel_agg(1, -5.25);
SELECT salesplan.funnel_agg(-1, 1.0);
SELECT salesplan.funnel_agg(4, 1.0, 3);
SELECT salesplan.funnel_agg(1, 1.0, s) FROM (VALUES (3), (4)) v(s);
SELECT salesplan.funnel_agg(1, 1.0, 0);
SELECT salesplan.funnel_agg(1, 1.0, 1001);
SELECT salesplan.funnel_agg(1001, 1.0);
SELECT salesplan.funnel_agg(1, 1.0, NULL);
SELECT salesplan.funnel_agg(1, 'NaN'::numeric);

-- ---- accessor errors ----
\set VERBOSITY sqlstate
CREATE TEMP TABLE f3 AS SELECT salesplan.funnel_agg(r, 1.0, 3) AS f
FROM generate_series(0, 3) AS r;
-- conversion needs 1 <= from <= to <= stages: 22023
SELECT salesplan.conversion(f, 0, 2) FROM f3;
SELECT salesplan.conversion(f, 2, 1) FROM f3;
SELECT salesplan.conversion(f, 1, 4) FROM f3;
SELECT salesplan.conversion(f, -1, -1) FROM f3;
\set VERBOSITY default
SELECT salesplan.conversion(f, 1, 4) FROM f3;
-- the valid extremes: entered(1) = 3, entered(3) = 1
SELECT salesplan.conversion(f, 1, 1) AS c11, salesplan.conversion(f, 1, 3) = 1.0 / 3 AS c13
FROM f3;

-- ---- rollup / combine errors ----
\set VERBOSITY sqlstate
-- different declared stage counts: 22023
SELECT salesplan.rollup(f)
FROM (SELECT salesplan.funnel_agg(1, 1.0, 3) UNION ALL SELECT salesplan.funnel_agg(1, 1.0, 4)) v(f);
-- an undeclared funnel deeper than the declared one: 22023
SELECT salesplan.rollup(f)
FROM (SELECT salesplan.funnel_agg(1, 1.0, 3) UNION ALL SELECT salesplan.funnel_agg(4, 1.0)) v(f);
SELECT salesplan.rollup(f)
FROM (SELECT salesplan.funnel_agg(4, 1.0) UNION ALL SELECT salesplan.funnel_agg(1, 1.0, 3)) v(f);
-- merged counts beyond 2^63 - 1, merged sums beyond the money range: 22003
SELECT salesplan.rollup(f)
FROM (VALUES ('v1;stages=1;declared=1;scale=0;population=9223372036854775807;s0=9223372036854775807/0/0;s1=0/0/0'::salesplan.funnel),
             ('v1;stages=1;declared=1;scale=0;population=1;s0=1/0/0;s1=0/0/0')) v(f);
SELECT salesplan.rollup(f)
FROM (VALUES ('v1;stages=1;declared=1;scale=0;population=5000000000000000000;s0=0/0/0;s1=5000000000000000000/5000000000000000000/0'::salesplan.funnel),
             ('v1;stages=1;declared=1;scale=0;population=5000000000000000000;s0=0/0/0;s1=5000000000000000000/5000000000000000000/0')) v(f);
SELECT salesplan.rollup(f)
FROM (VALUES ('v1;stages=1;declared=0;scale=0;population=1;s0=0/0/0;s1=1/1/1000000000000000000000000000000'::salesplan.funnel),
             ('v1;stages=1;declared=0;scale=0;population=1;s0=0/0/0;s1=1/1/1000000000000000000000000000000')) v(f);
\set VERBOSITY default
SELECT salesplan.rollup(f)
FROM (VALUES ('v1;stages=1;declared=1;scale=0;population=9223372036854775807;s0=9223372036854775807/0/0;s1=0/0/0'::salesplan.funnel),
             ('v1;stages=1;declared=1;scale=0;population=1;s0=1/0/0;s1=0/0/0')) v(f);
SELECT salesplan.rollup(f)
FROM (SELECT salesplan.funnel_agg(1, 1.0, 3) UNION ALL SELECT salesplan.funnel_agg(1, 1.0, 4)) v(f);
SELECT salesplan.rollup(f)
FROM (SELECT salesplan.funnel_agg(1, 1.0, 3) UNION ALL SELECT salesplan.funnel_agg(4, 1.0)) v(f);
-- a shallower undeclared funnel fits (in either order): 3 declared stages
SELECT salesplan.rollup(f)
FROM (SELECT salesplan.funnel_agg(2, 1.5) UNION ALL SELECT salesplan.funnel_agg(3, 1.0, 3)) v(f);
SELECT salesplan.rollup(f)
FROM (SELECT salesplan.funnel_agg(3, 1.0, 3) UNION ALL SELECT salesplan.funnel_agg(2, 1.5)) v(f);

-- ---- text input: round trip and malformed text ----
-- Round trip: text -> funnel -> text is the identity on output text.
SELECT f::text::salesplan.funnel::text = f::text AS round_trip, f
FROM (VALUES
    ('v1;stages=0;declared=0;scale=0;population=1;s0=1/0/0'::salesplan.funnel),
    ('v1;stages=1;declared=1;scale=0;population=0;s0=0/0/0;s1=0/0/0'),
    ('v1;stages=2;declared=2;scale=8;population=3;s0=1/1/0.00000001;s1=1/0/0.00000000;s2=1/1/17014118346046923173168.73037158'),
    ('v1;stages=2;declared=0;scale=2;population=9223372036854775807;s0=9223372036854775805/0/0.00;s1=1/1/1.25;s2=1/1/0.00')
) v(f);
-- Non-canonical but valid input (fewer decimals than scale) is accepted
-- and shown canonically.
SELECT 'v1;stages=1;declared=0;scale=2;population=1;s0=0/0/0;s1=1/1/3'::salesplan.funnel;

\set VERBOSITY sqlstate
-- every malformed text is 22P02
SELECT ''::salesplan.funnel;
SELECT 'v2;stages=1;declared=0;scale=0;population=1;s0=0/0/0;s1=1/1/3'::salesplan.funnel;
SELECT 'v1'::salesplan.funnel;
SELECT 'v1;stages=1;scale=0;population=1;s0=0/0/0;s1=1/1/3'::salesplan.funnel;
SELECT 'v1;stages=1;declared=0;scale=0;population=1;s0=0/0/0'::salesplan.funnel;
SELECT 'v1;stages=1;declared=0;scale=0;population=1;s0=0/0/0;s1=1/1/3;s2=0/0/0'::salesplan.funnel;
SELECT 'v1;stages=1;declared=0;scale=0;population=1;s0=0/0/0;s1=1/1/3 '::salesplan.funnel;
SELECT ' v1;stages=1;declared=0;scale=0;population=1;s0=0/0/0;s1=1/1/3'::salesplan.funnel;
SELECT 'v1;stages=1001;declared=0;scale=0;population=1;s0=0/0/0'::salesplan.funnel;
SELECT 'v1;stages=-1;declared=0;scale=0;population=0;s0=0/0/0'::salesplan.funnel;
SELECT 'v1;stages=1;declared=2;scale=0;population=1;s0=0/0/0;s1=1/1/3'::salesplan.funnel;
SELECT 'v1;stages=1;declared=0;scale=9;population=1;s0=0/0/0;s1=1/1/3'::salesplan.funnel;
SELECT 'v1;stages=1;declared=0;scale=0;population=1;s0=-1/0/0;s1=2/1/3'::salesplan.funnel;
SELECT 'v1;stages=1;declared=0;scale=0;population=1;s0=0/0/0;s1=1/2/3'::salesplan.funnel;
SELECT 'v1;stages=1;declared=0;scale=0;population=1;s0=0/0/0;s1=1/1/-3'::salesplan.funnel;
SELECT 'v1;stages=1;declared=0;scale=0;population=1;s0=0/0/0;s1=1/0/3'::salesplan.funnel;
SELECT 'v1;stages=1;declared=0;scale=0;population=2;s0=0/0/0;s1=1/1/3'::salesplan.funnel;
SELECT 'v1;stages=1;declared=0;scale=0;population=1;s0=0/0/0;s1=1/1/3.5'::salesplan.funnel;
SELECT 'v1;stages=1;declared=0;scale=0;population=1;s0=0/0/0;s2=1/1/3'::salesplan.funnel;
SELECT 'v1;stages=1;declared=0;scale=0;population=1;s0=1/0/0;s1=0/0/0'::salesplan.funnel;
SELECT 'v1;stages=1;declared=0;scale=0;population=99999999999999999999;s0=0/0/0;s1=1/1/3'::salesplan.funnel;
SELECT 'v1;stages=1;declared=0;scale=0;population=1;s0=0/0/0;s1=1/1/3.123456789'::salesplan.funnel;
SELECT 'v1;stages=1;declared=0;scale=0;population=1;s0=0/0/0;s1=1/1/abc'::salesplan.funnel;
SELECT 'v1;stages=2;declared=0;scale=0;population=1;s0=9223372036854775807/0/0;s1=9223372036854775807/0/0;s2=1/0/0'::salesplan.funnel;
SELECT 'v1;Stages=1;declared=0;scale=0;population=1;s0=0/0/0;s1=1/1/3'::salesplan.funnel;
\set VERBOSITY default
-- the messages name the input and the problem
SELECT 'v1;stages=1;declared=0;scale=0;population=1;s0=0/0/0;s1=1/2/3'::salesplan.funnel;
SELECT 'v1;stages=1;declared=0;scale=0;population=2;s0=0/0/0;s1=1/1/3'::salesplan.funnel;
SELECT 'v1;stages=1;declared=0;scale=0;population=1;s0=0/0/0'::salesplan.funnel;

\set SHOW_CONTEXT never
-- ---- binary input (funnel_recv), through COPY ... (FORMAT binary) ----
-- pg_temp.recv(payload) wraps a payload in a one-column binary COPY stream
-- and loads it, so funnel_recv sees exactly these bytes.
CREATE TEMP TABLE recv_t (f salesplan.funnel);
CREATE FUNCTION pg_temp.recv(payload bytea) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    stream bytea := '\x5047434f50590aff0d0a00'::bytea || '\x0000000000000000'::bytea
        || '\x0001'::bytea || int4send(length(payload)) || payload || '\xffff'::bytea;
    r text;
BEGIN
    TRUNCATE recv_t;
    EXECUTE format('COPY recv_t FROM PROGRAM %L WITH (FORMAT binary)',
                   'echo ' || translate(encode(stream, 'base64'), E'\n', '') || ' | base64 -d');
    SELECT f::text INTO r FROM recv_t;
    RETURN r;
END
$$;
-- Layout (1-based byte positions) of a 1-stage funnel's 83 bytes:
-- 1 version, 2 flags, 3 scale, 4-7 declared, 8-11 stages, 12-19 population,
-- stage 0: 20-27 count, 28-35 priced, 36-51 amount; stage 1: 52-83.
CREATE TEMP TABLE b AS
SELECT salesplan.funnel_send('v1;stages=1;declared=1;scale=2;population=3;s0=1/1/1.00;s1=2/1/5.00') AS p;
SELECT length(p) AS bytes, p FROM b;
-- binary round trip, also for the funnels above
SELECT pg_temp.recv(p) FROM b;
SELECT pg_temp.recv(salesplan.funnel_send(f)) = f::text AS binary_round_trip
FROM (SELECT f FROM f3
      UNION ALL SELECT salesplan.funnel_agg(r % 7, r * 0.001) FROM generate_series(0, 5000) AS r
      UNION ALL SELECT salesplan.funnel_agg(1000, 1.0)) v;
\set VERBOSITY sqlstate
-- every corrupt state is XX001
SELECT pg_temp.recv(substr(p, 1, 82)) FROM b;                                   -- truncated
SELECT pg_temp.recv(substr(p, 1, 10)) FROM b;                                   -- truncated header
SELECT pg_temp.recv('\x'::bytea);                                               -- empty
SELECT pg_temp.recv(p || '\x00'::bytea) FROM b;                                 -- trailing byte
SELECT pg_temp.recv(overlay(p placing '\x02' from 1 for 1)) FROM b;             -- version 2
SELECT pg_temp.recv(overlay(p placing '\x01' from 2 for 1)) FROM b;             -- flags
SELECT pg_temp.recv(overlay(p placing '\x09' from 3 for 1)) FROM b;             -- scale 9
SELECT pg_temp.recv(overlay(p placing '\x00000002' from 4 for 4)) FROM b;       -- declared 2
SELECT pg_temp.recv(overlay(p placing '\x7fffffff' from 8 for 4)) FROM b;       -- absurd stage count
SELECT pg_temp.recv(overlay(p placing '\xffffffff' from 8 for 4)) FROM b;       -- negative stage count
SELECT pg_temp.recv(overlay(p placing '\x00000002' from 8 for 4)) FROM b;       -- length mismatch
SELECT pg_temp.recv(overlay(p placing int8send(4) from 12 for 8)) FROM b;       -- population
SELECT pg_temp.recv(overlay(p placing int8send(-1) from 20 for 8)) FROM b;      -- negative count
SELECT pg_temp.recv(overlay(p placing int8send(3) from 60 for 8)) FROM b;       -- priced > count
SELECT pg_temp.recv(overlay(p placing int8send(0) from 60 for 8)) FROM b;       -- amount, none priced
SELECT pg_temp.recv(overlay(p placing '\xffffffffffffffff' from 68 for 8)) FROM b;  -- negative amount
SELECT pg_temp.recv(overlay(p placing int8send(1) from 76 for 8)) FROM b;       -- 1e-8: below scale 2
SELECT pg_temp.recv(overlay(p placing '\x80000000000000000000000000000000' from 68 for 16)) FROM b;  -- min int128
\set VERBOSITY default
SELECT pg_temp.recv(overlay(p placing int8send(3) from 60 for 8)) FROM b;
SELECT pg_temp.recv(overlay(p placing '\x7fffffff' from 8 for 4)) FROM b;

-- leave the database as found (the install test creates the extension)
SET client_min_messages = warning;
DROP EXTENSION salesplan CASCADE;
