-- salesplan.outcomes: text and binary forms, hostile input, the memory bound.
CREATE EXTENSION IF NOT EXISTS salesplan;
SET extra_float_digits = 0;

-- The text form: v1;invalid=I;days=D:W/L/O,... durations ascending, merged.
-- Input order does not matter to the aggregate; equal states print equal
-- text.
CREATE TEMP TABLE oio (id int, o salesplan.outcomes);
INSERT INTO oio
SELECT 1, salesplan.outcome_agg(s, e, w, date '2026-03-01')
FROM (VALUES (date '2026-01-01', date '2026-01-31', true), ('2026-01-01', '2026-01-02', false),
             ('2026-02-01', NULL, NULL), ('2026-01-05', '2026-01-04', true),
             ('2026-01-01', '2026-01-31', NULL)) v(s, e, w);
INSERT INTO oio
SELECT 2, salesplan.outcome_agg(s, e, w, date '2026-03-01')
FROM (VALUES (date '2026-01-01', date '2026-01-31', NULL::boolean), ('2026-01-05', '2026-01-04', true),
             ('2026-02-01', NULL, NULL), ('2026-01-01', '2026-01-02', false),
             ('2026-01-01', '2026-01-31', true)) v(s, e, w);
INSERT INTO oio VALUES (3, 'v1;invalid=0;days=');
SELECT id, o FROM oio ORDER BY id;
-- a count of 2^63 - 1 and the longest duration read back
INSERT INTO oio VALUES (5, 'v1;invalid=9223372036854775807;days=0:9223372036854775806/0/0,2147483647:0/0/1');
SELECT id, o, salesplan.entered(o), salesplan.invalid_rows(o) FROM oio WHERE id = 5;

-- Round trip: text -> outcomes -> text is the identity, and accessors agree
SELECT id, o::text::salesplan.outcomes::text = o::text AS text_same,
       salesplan.win_probability(o::text::salesplan.outcomes) IS NOT DISTINCT FROM salesplan.win_probability(o) AS win_same
FROM oio ORDER BY id;

-- Binary round trip through COPY (FORMAT binary), under this test's own name
COPY oio TO '/tmp/salesplan_outcomes_io_test.bin' WITH (FORMAT binary);
CREATE TEMP TABLE oio2 (id int, o salesplan.outcomes);
COPY oio2 FROM '/tmp/salesplan_outcomes_io_test.bin' WITH (FORMAT binary);
SELECT a.id, a.o::text = b.o::text AS binary_same
FROM oio a JOIN oio2 b USING (id) ORDER BY a.id;
-- and the bytes of one value: version 01, invalid 1, 2 bins, then per bin
-- int32 days and int64 won, lost, open
SELECT salesplan.outcomes_send('v1;invalid=1;days=3:1/2/0,30:0/0/4');

-- Malformed text: 22P02 (invalid_text_representation) with the reason
\set VERBOSITY default
SELECT 'v2;invalid=0;days='::salesplan.outcomes;
SELECT 'v1;invalid=0;days=1:0/0/0'::salesplan.outcomes;
SELECT 'v1;invalid=0;days=2:1/0/0,1:1/0/0'::salesplan.outcomes;
SELECT 'v1;invalid=0;days=1:1/0/0,1:1/0/0'::salesplan.outcomes;
SELECT 'v1;invalid=0;days=-1:1/0/0'::salesplan.outcomes;
SELECT 'v1;invalid=0;days=2147483648:1/0/0'::salesplan.outcomes;
SELECT 'v1;invalid=0;days=1:1/-1/1'::salesplan.outcomes;
SELECT 'v1;invalid=-1;days='::salesplan.outcomes;
SELECT 'v1;invalid=0;days=0:9223372036854775807/1/0'::salesplan.outcomes;
\set VERBOSITY sqlstate
SELECT ''::salesplan.outcomes;
SELECT 'v1'::salesplan.outcomes;
SELECT 'v1;invalid=0'::salesplan.outcomes;
SELECT 'v1;invalid=0;days=1:1/0'::salesplan.outcomes;
SELECT 'v1;invalid=0;days=1:1/0/0,'::salesplan.outcomes;
SELECT 'v1;invalid=0;days=,1:1/0/0'::salesplan.outcomes;
SELECT 'v1;invalid=0;days=1:1/0/0 '::salesplan.outcomes;
SELECT ' v1;invalid=0;days='::salesplan.outcomes;
SELECT 'v1;invalid=0;days=1:1/0/0;days=2:1/0/0'::salesplan.outcomes;
SELECT 'v1;invalid=0;days=1:1/0/x'::salesplan.outcomes;
SELECT 'v1;invalid=0;days=1:1/0/99999999999999999999'::salesplan.outcomes;
SELECT 'v1;days=;invalid=0'::salesplan.outcomes;
\set VERBOSITY default

-- Corrupt binary: a bytea written with COPY (FORMAT binary) has the same
-- framing as an outcomes column, so these bytes reach outcomes_recv.  Every
-- case gives XX001 (data_corrupted).
CREATE TEMP TABLE bad (label text, b bytea);
INSERT INTO bad VALUES
  ('empty', decode('', 'hex')),
  ('truncated header', decode('01000000000000000000', 'hex')),
  ('version 2', decode('02' || '0000000000000000' || '00000000', 'hex')),
  ('negative count of bins', decode('01' || '0000000000000000' || 'ffffffff', 'hex')),
  ('huge count of bins', decode('01' || '0000000000000000' || '7fffffff', 'hex')),
  ('bins beyond the bound', decode('01' || '0000000000000000' || '00008ef9', 'hex')),
  ('count larger than the data', decode('01' || '0000000000000000' || '00000002'
       || '00000001' || '0000000000000001' || '0000000000000000' || '0000000000000000', 'hex')),
  ('trailing byte', decode('01' || '0000000000000000' || '00000001'
       || '00000001' || '0000000000000001' || '0000000000000000' || '0000000000000000' || 'ff', 'hex')),
  ('negative days', decode('01' || '0000000000000000' || '00000001'
       || 'ffffffff' || '0000000000000001' || '0000000000000000' || '0000000000000000', 'hex')),
  ('empty bin', decode('01' || '0000000000000000' || '00000001'
       || '00000001' || '0000000000000000' || '0000000000000000' || '0000000000000000', 'hex')),
  ('negative won', decode('01' || '0000000000000000' || '00000001'
       || '00000001' || 'ffffffffffffffff' || '0000000000000001' || '0000000000000000', 'hex')),
  ('negative invalid', decode('01' || 'ffffffffffffffff' || '00000000', 'hex')),
  ('unsorted', decode('01' || '0000000000000000' || '00000002'
       || '00000002' || '0000000000000001' || '0000000000000000' || '0000000000000000'
       || '00000001' || '0000000000000001' || '0000000000000000' || '0000000000000000', 'hex')),
  ('sum out of range', decode('01' || '0000000000000000' || '00000001'
       || '00000001' || '7fffffffffffffff' || '7fffffffffffffff' || '0000000000000000', 'hex'));
-- a valid one first, to show the framing is right: 1 invalid row, 1 won at day 1
COPY (SELECT decode('01' || '0000000000000001' || '00000001'
                    || '00000001' || '0000000000000001' || '0000000000000000' || '0000000000000000', 'hex'))
  TO '/tmp/salesplan_outcomes_io_test.bin' WITH (FORMAT binary);
COPY oio2 (o) FROM '/tmp/salesplan_outcomes_io_test.bin' WITH (FORMAT binary);
SELECT o FROM oio2 WHERE id IS NULL;
DO $$
DECLARE
    r record;
BEGIN
    FOR r IN SELECT label, b FROM bad ORDER BY label LOOP
        EXECUTE format('COPY (SELECT %L::bytea) TO %L WITH (FORMAT binary)',
                       r.b, '/tmp/salesplan_outcomes_io_test.bin');
        BEGIN
            COPY oio2 (o) FROM '/tmp/salesplan_outcomes_io_test.bin' WITH (FORMAT binary);
            RAISE NOTICE '%: accepted', r.label;
        EXCEPTION WHEN OTHERS THEN
            RAISE NOTICE '%: % %', r.label, SQLSTATE, SQLERRM;
        END;
    END LOOP;
END
$$;
COPY (SELECT) TO '/tmp/salesplan_outcomes_io_test.bin';

-- The memory bound: 36,600 distinct durations are kept, one more is 54000
-- (program_limit_exceeded), in the aggregate, in rollup and in text input.
SELECT salesplan.entered(o), length(o::text) > 0 AS printed,
       salesplan.win_probability(o) AS everything_won
FROM (SELECT salesplan.outcome_agg(date '1900-01-01', date '1900-01-01' + d, true, date '2100-01-01') AS o
      FROM generate_series(0, 36599) d) x;
SELECT salesplan.outcome_agg(date '1900-01-01', date '1900-01-01' + d, true, date '2100-01-01')
FROM generate_series(0, 36600) d;
SELECT salesplan.rollup(o)
FROM (SELECT d / 1000 AS k, salesplan.outcome_agg(date '1900-01-01', date '1900-01-01' + d, true, date '2100-01-01') AS o
      FROM generate_series(0, 36600) d GROUP BY 1) x;
\set VERBOSITY sqlstate
SELECT ('v1;invalid=0;days=' || string_agg(d || ':1/0/0', ',' ORDER BY d))::salesplan.outcomes IS NOT NULL
FROM generate_series(0, 36600) d;
\set VERBOSITY default
-- the stored value carries no spare room: 32 bytes of header and 32 per
-- duration (3 here), whatever the aggregate had grown to
SELECT pg_column_size(salesplan.outcome_agg(date '2026-01-01', date '2026-01-01' + d % 3, true, date '2026-03-01'))
FROM generate_series(1, 100) d;

-- leave the database as found: every test creates the extension itself
DROP EXTENSION salesplan CASCADE;
