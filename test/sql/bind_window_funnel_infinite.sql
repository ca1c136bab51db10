-- An infinite event time in a window-funnel binding's history
-- ('-infinity' for "always", 'infinity' for "some day") is an unknown
-- time: the event is left out, as over a copy of the history with that
-- value NULL (doc/bindings.md "Infinite dates"; review LOW
-- bind_infinite_dates_all.sql part 2).  Before: the time column kept
-- ±infinity, so a lead whose only step-1 event was at '-infinity' reached
-- step 1, and one at 'infinity' also had its window open forever.
-- Oracles: levels by hand, and the same binding over a copy with NULLs.
CREATE EXTENSION salesplan;
SET DateStyle = 'ISO, YMD';
SET TimeZone = 'UTC';
CREATE SCHEMA wicrm;
CREATE SCHEMA wirep;
-- entity 1: step 1 at -infinity, step 2 at infinity   -> level 0 (both unknown)
-- entity 2: step 1 on 1 Jan, step 2 at infinity       -> level 1
-- entity 3: step 1 at -infinity and on 5 Jan, step 2 on 10 Jan -> level 2
-- entity 4: step 1 at infinity only                   -> level 0, window not open
-- entity 5: no history                                -> level 0
-- step 1: 5 entities, reached 2 (2, 3), advanced 1 (3); step 2: reached 1
CREATE TABLE wicrm.deal (id int PRIMARY KEY);
INSERT INTO wicrm.deal SELECT generate_series(1, 5);
CREATE FUNCTION pg_temp.mk(typ text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('CREATE TABLE wicrm.hist_%1$s (deal_id int, stage int, at %1$s)', typ);
    EXECUTE format($q$INSERT INTO wicrm.hist_%1$s VALUES (1, 1, '-infinity'), (1, 2, 'infinity'),
        (2, 1, '2026-01-01'), (2, 2, 'infinity'), (3, 1, '-infinity'), (3, 1, '2026-01-05'), (3, 2, '2026-01-10'),
        (4, 1, 'infinity')$q$, typ);
    EXECUTE format('CREATE TABLE wicrm.hist_%1$s_null AS SELECT deal_id, stage, CASE WHEN isfinite(at) THEN at END AS at FROM wicrm.hist_%1$s', typ);
    PERFORM salesplan.bind_window_funnel('wi_' || typ, 'wirep', ('wicrm.hist_' || typ)::regclass, 'deal_id', 'at', 'stage',
                                         '30 days', stages => 2, entity_table => 'wicrm.deal', time_zone => 'UTC');
    PERFORM salesplan.bind_window_funnel('wi_' || typ || '_null', 'wirep', ('wicrm.hist_' || typ || '_null')::regclass,
                                         'deal_id', 'at', 'stage', '30 days', stages => 2, entity_table => 'wicrm.deal',
                                         time_zone => 'UTC');
END $$;
SELECT pg_temp.mk('date'), pg_temp.mk('timestamp'), pg_temp.mk('timestamptz');

SELECT id, level, window_open FROM wirep.wi_date_entities ORDER BY id;
SELECT id, level, window_open FROM wirep.wi_timestamp_entities ORDER BY id;
SELECT id, level, window_open FROM wirep.wi_timestamptz_entities ORDER BY id;
SELECT step, entities, reached, advanced, open_in_window FROM wirep.wi_timestamptz ORDER BY step;

-- every view equals the same binding over the copy with NULLs
CREATE FUNCTION pg_temp.diff(a text, b text) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE n bigint;
BEGIN
    EXECUTE format('SELECT count(*) FROM ((SELECT * FROM wirep.%1$I EXCEPT ALL SELECT * FROM wirep.%2$I) '
                   'UNION ALL (SELECT * FROM wirep.%2$I EXCEPT ALL SELECT * FROM wirep.%1$I)) AS d', a, b) INTO n;
    RETURN n;
END $$;
SELECT v AS view, pg_temp.diff(v, replace(v, '_entities', '') || '_null' || CASE WHEN v LIKE '%_entities' THEN '_entities' ELSE '' END) AS differing
FROM unnest(ARRAY['wi_date', 'wi_date_entities', 'wi_timestamp', 'wi_timestamp_entities',
                  'wi_timestamptz', 'wi_timestamptz_entities']) AS v
ORDER BY v;

SELECT salesplan.unbind(name) FROM salesplan.binding ORDER BY name;
DROP SCHEMA wicrm, wirep CASCADE;
-- leave the database as found: every test creates the extension itself
SET client_min_messages = warning;
DROP EXTENSION salesplan CASCADE;
