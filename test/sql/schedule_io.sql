-- salesplan.schedule: text and binary forms, hostile input.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS salesplan;
RESET client_min_messages;
SET extra_float_digits = 0;
SET DateStyle = 'ISO, YMD';

-- The text form is (version, weight display scale, start or -,
-- {planned actual-or-- weight-or--, ...}), milestones sorted, independent
-- of DateStyle.  Version 2 (since 0.2) writes an unknown (NULL) weight as
-- "-"; version 1 text (0.1) still reads.
CREATE TEMP TABLE sio(id int, s salesplan.schedule);
INSERT INTO sio
SELECT 1, salesplan.schedule_agg(p, a, w, '2026-01-01')
FROM (VALUES (date '2026-03-01', NULL::date, 2.5), ('2026-02-01', '2026-02-03', 1.00),
             ('2026-02-01', '2026-01-30', 0)) v(p, a, w);
INSERT INTO sio
SELECT 2, salesplan.schedule_agg(p, NULL, NULL)
FROM (VALUES (date '0001-01-01'), ('5874897-12-31'), ('0044-03-15 BC')) v(p);
SELECT id, s FROM sio ORDER BY id;
SET DateStyle = 'German, DMY';
SELECT id, s FROM sio ORDER BY id;
SET DateStyle = 'ISO, YMD';

-- Round trip: text -> schedule -> text is the identity, and every accessor
-- gives the same answer on the re-read value.
SELECT id, s::text::salesplan.schedule::text = s::text AS text_same,
       salesplan.planned_value(s::text::salesplan.schedule, '2026-02-15')
         IS NOT DISTINCT FROM salesplan.planned_value(s, '2026-02-15') AS pv_same,
       salesplan.spi_t(s::text::salesplan.schedule, '2026-02-15')
         IS NOT DISTINCT FROM salesplan.spi_t(s, '2026-02-15') AS spi_t_same
FROM sio ORDER BY id;
SELECT * FROM salesplan.milestones('(1,2,-,{2026-02-01 - 1.5,2026-01-01 2026-01-05 0.25})') ORDER BY planned;
-- input order does not matter; the output is sorted
SELECT '(1,0,-,{2026-02-01 - 1,2026-01-01 - 2})'::salesplan.schedule;

-- Binary round trip through COPY
COPY sio TO '/tmp/salesplan_schedule_test.bin' WITH (FORMAT binary);
CREATE TEMP TABLE sio2(id int, s salesplan.schedule);
COPY sio2 FROM '/tmp/salesplan_schedule_test.bin' WITH (FORMAT binary);
SELECT a.id, a.s::text = b.s::text AS binary_same
FROM sio a JOIN sio2 b USING (id) ORDER BY a.id;

-- Malformed text: each gives 22P02 (invalid_text_representation)
\set VERBOSITY default
SELECT '(3,0,-,{2026-01-01 - 1})'::salesplan.schedule;
SELECT '(1,0,-,{2026-02-30 - 1})'::salesplan.schedule;
SELECT '(1,0,-,{2026-01-01 - -1})'::salesplan.schedule;
\set VERBOSITY sqlstate
SELECT ''::salesplan.schedule;
SELECT '(1,0,-,{})'::salesplan.schedule;
SELECT '(1,9,-,{2026-01-01 - 1})'::salesplan.schedule;
SELECT '(1,-1,-,{2026-01-01 - 1})'::salesplan.schedule;
SELECT '(1,0,-,{2026-01-01 - 1}'::salesplan.schedule;
SELECT '(1,0,-,{2026-01-01 - 1}) '::salesplan.schedule;
SELECT '(1,0,-,{2026-01-01 - 1},)'::salesplan.schedule;
SELECT '(1,0,-,{2026-01-01 - 1,})'::salesplan.schedule;
SELECT '(1,0,-,{2026-01-01  - 1})'::salesplan.schedule;
SELECT '(1,0,-,{2026-01-01 - 1.123456789})'::salesplan.schedule;
SELECT '(1,0,-,{2026-01-01 - x})'::salesplan.schedule;
SELECT '(1,0,-,{2026-13-01 - 1})'::salesplan.schedule;
SELECT '(1,0,-,{2026-01-01 infinity 1})'::salesplan.schedule;
SELECT '(1,0,x,{2026-01-01 - 1})'::salesplan.schedule;
SELECT '(1,0,-5000-01-01,{2026-01-01 - 1})'::salesplan.schedule;
SELECT '(1,0,-,{9999999-01-01 - 1})'::salesplan.schedule;
SELECT '(1,0,-,{99999999999999999999-01-01 - 1})'::salesplan.schedule;
SELECT '(1,0,-,{2026-01-01 - 99999999999999999999999999999999})'::salesplan.schedule;
-- weights whose sum overflows: 22003
SELECT '(1,0,-,{2026-01-01 - 1000000000000000000000000000000,2026-01-01 - 1000000000000000000000000000000})'::salesplan.schedule;
\set VERBOSITY default

-- Corrupt binary: a bytea written with COPY (FORMAT binary) has the same
-- framing as a schedule column, so these bytes reach schedule_recv.
-- Valid prefix: version 01, scale 0000, start 80000000 (none), count.
-- Every case gives XX001 (data_corrupted).
CREATE TEMP TABLE bad(label text, b bytea);
INSERT INTO bad VALUES
  ('empty', decode('', 'hex')),
  ('truncated header', decode('010000', 'hex')),
  ('version 3', decode('0300008000000000000001000000007fffffff00000000000000000000000005f5e100', 'hex')),
  ('unknown weight in version 1', decode('0100008000000000000001000000007fffffffffffffffffffffffffffffffffffffffff', 'hex')),
  ('count 0', decode('0100008000000000000000', 'hex')),
  ('count too big for the bytes', decode('0100008000000000000002000000007fffffff00000000000000000000000005f5e100', 'hex')),
  ('negative count', decode('01000080000000ffffffff', 'hex')),
  ('huge count', decode('010000800000007fffffff', 'hex')),
  ('trailing byte', decode('0100008000000000000001000000007fffffff00000000000000000000000005f5e100ff', 'hex')),
  ('scale 9', decode('0100098000000000000001000000007fffffff00000000000000000000000005f5e100', 'hex')),
  ('planned infinite', decode('01000080000000000000017fffffff7fffffff00000000000000000000000005f5e100', 'hex')),
  ('actual -infinity', decode('0100008000000000000001000000008000000000000000000000000000000005f5e100', 'hex')),
  ('start out of range', decode('0100007ffffff000000001000000007fffffff00000000000000000000000005f5e100', 'hex')),
  ('negative weight', decode('0100008000000000000001000000007ffffffffffffffffffffffffffffffffa0a1f00', 'hex'));
-- a valid one first, to show the framing is right: 2000-01-01, not reached, weight 1
COPY (SELECT decode('01' || '0000' || '80000000' || '00000001' || '00000000' || '7fffffff'
                    || '00000000000000000000000005f5e100', 'hex'))
  TO '/tmp/salesplan_schedule_test.bin' WITH (FORMAT binary);
COPY sio2 (s) FROM '/tmp/salesplan_schedule_test.bin' WITH (FORMAT binary);
SELECT s FROM sio2 WHERE id IS NULL;
DO $$
DECLARE
    r record;
BEGIN
    FOR r IN SELECT label, b FROM bad ORDER BY label LOOP
        EXECUTE format('COPY (SELECT %L::bytea) TO %L WITH (FORMAT binary)',
                       r.b, '/tmp/salesplan_schedule_test.bin');
        BEGIN
            COPY sio2 (s) FROM '/tmp/salesplan_schedule_test.bin' WITH (FORMAT binary);
            RAISE NOTICE '%: accepted', r.label;
        EXCEPTION WHEN OTHERS THEN
            RAISE NOTICE '%: % %', r.label, SQLSTATE, SQLERRM;
        END;
    END LOOP;
END
$$;

-- leave the database as found: every test creates the extension itself
DROP EXTENSION salesplan CASCADE;
