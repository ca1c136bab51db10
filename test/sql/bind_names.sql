-- Bindings over hostile names (capitals, spaces, quotes, non-ASCII, SQL
-- fragments), and every error path of the binding functions.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS salesplan;
RESET client_min_messages;
SET extra_float_digits = 0;
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
\set SHOW_CONTEXT never

CREATE SCHEMA "Vertrieb ü";
CREATE TABLE "Vertrieb ü"."Chancen ""Q1"" €" (
    "Nr" integer PRIMARY KEY,
    "Stufe Nr" smallint,
    "Betrag €" double precision,
    "Team's" text,
    "x""); DROP TABLE t; --" text,
    "Datum" date
);
-- 30 rows: stage 0..4 (0 = in the population only), two teams, three
-- injection-looking values, dates over two months, every 7th stage NULL
INSERT INTO "Vertrieb ü"."Chancen ""Q1"" €"
SELECT g, CASE WHEN g % 7 = 0 THEN NULL ELSE g % 5 END, 100.5 * (g % 3 + 1),
       CASE WHEN g % 2 = 0 THEN 'Müller''s "A"' ELSE 'Ωmega' END,
       (ARRAY['a', ''');--', NULL])[1 + g % 3],
       date '2024-02-01' + g * 2
FROM generate_series(1, 30) AS g;

CREATE SCHEMA "Berichte ü";
SELECT * FROM salesplan.bind_funnel('Übersicht "Q1" ü', 'Berichte ü', '"Vertrieb ü"."Chancen ""Q1"" €"',
    'Stufe Nr', amount_column => 'Betrag €', period_column => 'Datum', period => 'month',
    dimensions => ARRAY['Team''s', 'x"); DROP TABLE t; --']::name[], stages => 4);
SELECT name, spec FROM salesplan.binding;

-- plain SQL over the same rows: reached = "Stufe Nr", 4 stages
CREATE TEMP VIEW names_plain AS
SELECT date_trunc('month', "Datum")::date AS period, "Team's", "x""); DROP TABLE t; --",
       count(*) FILTER (WHERE "Stufe Nr" IS NOT NULL) AS population,
       count(*) FILTER (WHERE "Stufe Nr" >= 1) AS leads,
       count(*) FILTER (WHERE "Stufe Nr" = 4) AS won,
       coalesce(sum("Betrag €"::numeric) FILTER (WHERE "Stufe Nr" = 4), 0) AS revenue,
       count(*) FILTER (WHERE "Stufe Nr" IS NULL) AS unmapped
FROM "Vertrieb ü"."Chancen ""Q1"" €" GROUP BY 1, 2, 3;
CREATE TEMP VIEW names_view AS
SELECT period, "Team's", "x""); DROP TABLE t; --", population, leads, won, revenue, unmapped
FROM "Berichte ü"."Übersicht ""Q1"" ü";
SELECT (SELECT count(*) FROM names_view) AS view_rows,
       (SELECT count(*) FROM (SELECT * FROM names_view EXCEPT SELECT * FROM names_plain) d) AS view_only,
       (SELECT count(*) FROM (SELECT * FROM names_plain EXCEPT SELECT * FROM names_view) d) AS plain_only;
SELECT * FROM names_view ORDER BY 1, 2, 3 LIMIT 4;
-- the column comments name the source columns, quoted
SELECT a.attname, col_description(a.attrelid, a.attnum)
FROM pg_attribute a
WHERE a.attrelid = '"Berichte ü"."Übersicht ""Q1"" ü_stages"'::regclass AND a.attnum BETWEEN 2 AND 4
ORDER BY a.attnum;

-- the same binding, materialized; regenerate rebuilds every binding
SELECT * FROM salesplan.bind_funnel('Ü mat', 'Berichte ü', '"Vertrieb ü"."Chancen ""Q1"" €"',
    'Stufe Nr', amount_column => 'Betrag €', dimensions => ARRAY['Team''s', 'x"); DROP TABLE t; --']::name[],
    stages => 4, materialized => true);
SELECT * FROM salesplan.regenerate();
SELECT "Team's", "x""); DROP TABLE t; --", leads, won, revenue FROM "Berichte ü"."Ü mat" ORDER BY 1, 2;
SELECT * FROM salesplan.refresh('Ü mat');
SELECT count(*) AS tables_left FROM pg_class WHERE relname = 't';

-- errors
\set VERBOSITY default
-- a missing relation (the regclass argument)
SELECT salesplan.bind_funnel('e1', 'Berichte ü', '"Vertrieb ü".chancen', 'Stufe Nr');
-- a missing column: the hint lists similar ones (names are case-sensitive)
SELECT salesplan.bind_funnel('e1', 'Berichte ü', '"Vertrieb ü"."Chancen ""Q1"" €"', 'stufe');
SELECT salesplan.bind_funnel('e1', 'Berichte ü', '"Vertrieb ü"."Chancen ""Q1"" €"', 'Stufe Nr',
    amount_column => 'revenue');
SELECT salesplan.bind_funnel('e1', 'Berichte ü', '"Vertrieb ü"."Chancen ""Q1"" €"', 'Stufe Nr',
    dimensions => '{team}');
-- wrong types
SELECT salesplan.bind_funnel('e1', 'Berichte ü', '"Vertrieb ü"."Chancen ""Q1"" €"', 'Stufe Nr',
    period_column => 'Team''s');
SELECT salesplan.bind_funnel('e1', 'Berichte ü', '"Vertrieb ü"."Chancen ""Q1"" €"', 'Team''s');
SELECT salesplan.bind_funnel('e1', 'Berichte ü', '"Vertrieb ü"."Chancen ""Q1"" €"', 'Stufe Nr',
    amount_column => 'Team''s');
-- a missing target schema
SELECT salesplan.bind_funnel('e1', 'nowhere', '"Vertrieb ü"."Chancen ""Q1"" €"', 'Stufe Nr');
-- a taken binding name, and views that would overwrite a relation
SELECT salesplan.bind_funnel('Ü mat', 'Berichte ü', '"Vertrieb ü"."Chancen ""Q1"" €"', 'Stufe Nr');
CREATE TABLE "Berichte ü".taken_stages (x int);
SELECT salesplan.bind_funnel('taken', 'Berichte ü', '"Vertrieb ü"."Chancen ""Q1"" €"', 'Stufe Nr');
\set VERBOSITY sqlstate
-- a dimension that clashes with an output column; a repeated dimension
SELECT salesplan.bind_funnel('e1', 'Berichte ü', '"Vertrieb ü"."Chancen ""Q1"" €"', 'Stufe Nr',
    dimensions => '{Nr,Nr}');
ALTER TABLE "Vertrieb ü"."Chancen ""Q1"" €" ADD COLUMN leads int;
SELECT salesplan.bind_funnel('e1', 'Berichte ü', '"Vertrieb ü"."Chancen ""Q1"" €"', 'Stufe Nr',
    dimensions => '{leads}');
SELECT salesplan.bind_funnel('e1', 'Berichte ü', '"Vertrieb ü"."Chancen ""Q1"" €"', 'Stufe Nr',
    dimensions => ARRAY[NULL]::name[]);
-- bad periods, stage orders and stage counts
SELECT salesplan.bind_funnel('e1', 'Berichte ü', '"Vertrieb ü"."Chancen ""Q1"" €"', 'Stufe Nr',
    period_column => 'Datum', period => 'fortnight');
SELECT salesplan.bind_funnel('e1', 'Berichte ü', '"Vertrieb ü"."Chancen ""Q1"" €"', 'Team''s',
    stage_order => '{a,b,a}');
SELECT salesplan.bind_funnel('e1', 'Berichte ü', '"Vertrieb ü"."Chancen ""Q1"" €"', 'Team''s',
    stage_order => '{}');
SELECT salesplan.bind_funnel('e1', 'Berichte ü', '"Vertrieb ü"."Chancen ""Q1"" €"', 'Team''s',
    stage_order => '{a,NULL}');
SELECT salesplan.bind_funnel('e1', 'Berichte ü', '"Vertrieb ü"."Chancen ""Q1"" €"', 'Team''s',
    stage_order => '{a}', stage_table => '"Vertrieb ü"."Chancen ""Q1"" €"');
SELECT salesplan.bind_funnel('e1', 'Berichte ü', '"Vertrieb ü"."Chancen ""Q1"" €"', 'Stufe Nr', stages => 0);
SELECT salesplan.bind_funnel('e1', 'Berichte ü', '"Vertrieb ü"."Chancen ""Q1"" €"', 'Team''s',
    stage_order => '{a}', stages => 1);
SELECT salesplan.bind_funnel('e1', 'Berichte ü', '"Vertrieb ü"."Chancen ""Q1"" €"', 'Stufe Nr',
    history_table => '"Vertrieb ü"."Chancen ""Q1"" €"');
-- bad binding names and paradigms
SELECT salesplan.bind_funnel(repeat('n', 49), 'Berichte ü', '"Vertrieb ü"."Chancen ""Q1"" €"', 'Stufe Nr');
SELECT salesplan.bind_funnel('', 'Berichte ü', '"Vertrieb ü"."Chancen ""Q1"" €"', 'Stufe Nr');
SELECT salesplan.bind_funnel('e1', 'Berichte ü', '"Vertrieb ü"."Chancen ""Q1"" €"', 'Stufe Nr',
    paradigm => 'luck');
-- unknown bindings; refreshing or scheduling plain views
SELECT salesplan.regenerate('no such binding');
SELECT salesplan.refresh('no such binding');
SELECT salesplan.refresh('Übersicht "Q1" ü');
SELECT salesplan.create_refresh_job('no such binding', '0 * * * *');
SELECT salesplan.create_refresh_job('Übersicht "Q1" ü', '0 * * * *');
-- pg_cron is not installed in this database
SELECT salesplan.create_refresh_job('Ü mat', '0 * * * *');
\set VERBOSITY default
SELECT salesplan.create_refresh_job('Ü mat', '0 * * * *');
-- a bound relation that went away: regenerate names it
ALTER TABLE "Vertrieb ü"."Chancen ""Q1"" €" RENAME TO "Chancen alt";
SELECT salesplan.regenerate('Ü mat');
ALTER TABLE "Vertrieb ü"."Chancen alt" RENAME TO "Chancen ""Q1"" €";
-- a bound column that went away
DROP VIEW names_view;
SELECT salesplan.unbind('Übersicht "Q1" ü');
ALTER TABLE "Vertrieb ü"."Chancen ""Q1"" €" RENAME COLUMN "Betrag €" TO "Betrag";
SELECT salesplan.regenerate('Ü mat');
ALTER TABLE "Vertrieb ü"."Chancen ""Q1"" €" RENAME COLUMN "Betrag" TO "Betrag €";
-- unbind can keep the views (they stay as plain relations of the schema)
SELECT salesplan.unbind('Ü mat', drop_views => false);
SELECT count(*) AS kept_views FROM pg_class WHERE relnamespace = '"Berichte ü"'::regnamespace AND relkind = 'm';
\set VERBOSITY sqlstate
-- the binding table holds its rows for dump only through the functions'
-- checks; a hand-made row with a bad kind is refused
INSERT INTO salesplan.binding (name, kind, target_schema, spec, paradigm, owner) VALUES ('x', 'magic', 'public', '{}', 'project', current_user::regrole);
\set VERBOSITY default

SET client_min_messages = warning;
DROP SCHEMA "Berichte ü", "Vertrieb ü" CASCADE;
DROP EXTENSION salesplan;
