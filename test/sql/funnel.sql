-- salesplan.funnel: hand-computed funnels, NULL and empty input, accessors.
CREATE EXTENSION IF NOT EXISTS salesplan;
SET extra_float_digits = 0;
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';

-- Eight entities and one row with a NULL reached (ignored):
--   reached 0: 5.00, NULL        reached 1: 10.50, NULL
--   reached 2: 20.00             reached 3: 100.25, 200.75, NULL
-- Without stages the funnel is as deep as the deepest reached: 3 stages.
-- population = 8; entered(1) = 2+1+3 = 6 = leads; entered(2) = 1+3 = 4;
-- entered(3) = 3 = won; priced_won = 2; revenue = 100.25 + 200.75 = 301.00;
-- aov = 301.00 / 2 = 150.50; overall_conversion = 3 / 6 = 0.5;
-- conversion(1,2) = 4/6, conversion(2,3) = 3/4, conversion(1,3) = 3/6.
-- Per-stage amount (deepest stage exactly k): s1 = 10.50, s2 = 20.00,
-- s3 = 301.00; stage 0 holds 5.00 (population only, not in stages()).
CREATE TEMP TABLE small (id int, reached int, amount numeric);
INSERT INTO small VALUES
    (1, 0, 5.00), (2, 0, NULL), (3, 1, 10.50), (4, 1, NULL), (5, 2, 20.00),
    (6, 3, 100.25), (7, 3, 200.75), (8, 3, NULL), (9, NULL, 999);
CREATE TEMP TABLE small_f AS
SELECT salesplan.funnel_agg(reached, amount) AS f FROM small;
SELECT f FROM small_f;
SELECT salesplan.population(f), salesplan.leads(f), salesplan.won(f),
       salesplan.priced_won(f), salesplan.revenue(f), salesplan.aov(f),
       salesplan.overall_conversion(f), salesplan.stage_count(f),
       salesplan.declared_stages(f)
FROM small_f;
SELECT salesplan.conversion(f, 1, 2) = 4.0 / 6 AS c12,
       salesplan.conversion(f, 2, 3) AS c23,
       salesplan.conversion(f, 1, 3) AS c13,
       salesplan.conversion(f, 2, 2) AS c22
FROM small_f;
SELECT s.* FROM small_f, salesplan.stages(f) AS s ORDER BY s.stage;
SELECT salesplan.entered(f), salesplan.conversions(f), salesplan.amounts(f)
FROM small_f;

-- The same rows with 4 declared stages: nobody won, stage 4 is empty.
-- entered = 6, 4, 3, 0; won = 0; revenue 0.00; aov NULL;
-- overall_conversion = 0 / 6 = 0; stage 3's conversion = 0 / 3 = 0.
SELECT f,
       salesplan.won(f), salesplan.revenue(f), salesplan.aov(f),
       salesplan.overall_conversion(f), salesplan.declared_stages(f)
FROM (SELECT salesplan.funnel_agg(reached, amount, 4) AS f FROM small) q;
SELECT s.*
FROM (SELECT salesplan.funnel_agg(reached, amount, 4) AS f FROM small) q,
     salesplan.stages(f) AS s
ORDER BY s.stage;

-- Counting rule, stage skipping: an entity that reached 4 entered 1..4,
-- even if the CRM shows no stage 2 or 3.  Rows: reached 1 (1), 4 (10),
-- 4 (20): entered = 3, 2, 2, 2; conversions 2/3, 1, 1; amounts 1, 0, 0, 30.
SELECT s.*
FROM (SELECT salesplan.funnel_agg(r, a, 4) AS f
      FROM (VALUES (1, 1), (4, 10), (4, 20)) v(r, a)) q,
     salesplan.stages(f) AS s
ORDER BY s.stage;

-- Empty input: the aggregate returns NULL, and so do the accessors (STRICT).
SELECT salesplan.funnel_agg(reached, amount) IS NULL AS empty_is_null
FROM small WHERE false;
SELECT salesplan.funnel_agg(reached, amount, 3) IS NULL AS empty_is_null
FROM small WHERE false;
SELECT salesplan.leads(NULL::salesplan.funnel) AS leads,
       salesplan.revenue(NULL::salesplan.funnel) AS revenue,
       salesplan.aov(NULL::salesplan.funnel) AS aov,
       salesplan.conversion(NULL::salesplan.funnel, 1, 2) AS conversion,
       salesplan.conversion(salesplan.funnel_agg(1, 1, 2), NULL, 2) AS null_from;
SELECT count(*) AS no_rows FROM salesplan.stages(NULL::salesplan.funnel);
-- only NULL reached: every row ignored, so NULL as for no rows
SELECT salesplan.funnel_agg(NULL::int, 5.0, 3) IS NULL AS only_null_reached;

-- All amounts NULL: counts as usual, sums 0 at scale 0, aov NULL.
SELECT f, salesplan.won(f), salesplan.priced_won(f), salesplan.revenue(f),
       salesplan.aov(f)
FROM (SELECT salesplan.funnel_agg(r, NULL::numeric) AS f
      FROM (VALUES (0), (1), (2), (2)) v(r)) q;

-- reached 0 only: the population, no stage without declared stages;
-- leads 0, won 0, revenue 0.00, aov and overall_conversion NULL.
SELECT f, salesplan.population(f), salesplan.leads(f), salesplan.won(f),
       salesplan.revenue(f), salesplan.aov(f), salesplan.overall_conversion(f),
       salesplan.stage_count(f), salesplan.entered(f), salesplan.conversions(f),
       salesplan.amounts(f)
FROM (SELECT salesplan.funnel_agg(0, a) AS f
      FROM (VALUES (1.50), (2.25)) v(a)) q;
SELECT count(*) AS stage_rows
FROM (SELECT salesplan.funnel_agg(0, 1.0) AS f) q, salesplan.stages(f);
-- ... and with declared stages: 2 stages nobody entered (rates NULL).
SELECT s.*
FROM (SELECT salesplan.funnel_agg(0, 1.0, 2) AS f) q, salesplan.stages(f) AS s
ORDER BY s.stage;
SELECT salesplan.conversion(f, 1, 2) AS conversion, salesplan.conversions(f)
FROM (SELECT salesplan.funnel_agg(0, 1.0, 2) AS f) q;

-- A one-stage funnel: every lead is won; stages() has one row with
-- advanced and conversion NULL; conversions() is empty.
SELECT s.*, salesplan.conversions(f), salesplan.overall_conversion(f)
FROM (SELECT salesplan.funnel_agg(r, 7, 1) AS f
      FROM (VALUES (0), (1), (1)) v(r)) q, salesplan.stages(f) AS s;

-- Display scale: the largest input scale (as sum(numeric)).  Sum of
-- 1, 2.5, 0.125 = 3.625 at stage 1.
SELECT salesplan.revenue(salesplan.funnel_agg(1, a)) AS revenue,
       salesplan.aov(salesplan.funnel_agg(1, a)) AS aov
FROM (VALUES (1::numeric), (2.5), (0.125)) v(a);
-- numeric(14,2) column values and integers
SELECT salesplan.revenue(salesplan.funnel_agg(1, a::numeric(14, 2))) AS revenue
FROM (VALUES (1), (2)) v(a);
-- large exact sums: 3 x 9999999999999.99 = 29999999999999.97
SELECT salesplan.revenue(salesplan.funnel_agg(1, 9999999999999.99))
FROM generate_series(1, 3);
-- eight decimals is the limit, trailing zeros beyond are fine
SELECT salesplan.revenue(salesplan.funnel_agg(1, a))
FROM (VALUES (0.00000001), (0.100000000000)) v(a);

-- Grouped, and per group against plain SQL over the same rows.
CREATE TEMP TABLE grouped AS
SELECT i % 3 AS g, i % 4 AS reached, (i * 1.25)::numeric(10, 2) AS amount
FROM generate_series(1, 40) AS i;
SELECT q.g, salesplan.leads(f), salesplan.won(f), salesplan.revenue(f),
       salesplan.aov(f),
       salesplan.leads(f) = p.leads AND salesplan.won(f) = p.won
       AND salesplan.revenue(f) = p.revenue AND salesplan.aov(f) = p.aov
       AND salesplan.population(f) = p.population AS same_as_plain_sql
FROM (SELECT g, salesplan.funnel_agg(reached, amount, 3) AS f
      FROM grouped GROUP BY g) q
JOIN (SELECT g, count(*) AS population,
             count(*) FILTER (WHERE reached >= 1) AS leads,
             count(*) FILTER (WHERE reached = 3) AS won,
             sum(amount) FILTER (WHERE reached = 3) AS revenue,
             avg(amount) FILTER (WHERE reached = 3) AS aov
      FROM grouped GROUP BY g) p ON p.g = q.g
ORDER BY q.g;

-- As a window aggregate (running funnel).  Without declared stages the
-- running funnel is as deep as the deepest reached so far, so "revenue"
-- (the last stage's amount) is 10.50 at id 3 (1 stage), 20.00 at id 5
-- (2 stages), then the stage-3 sums 100.25 and 301.00.
SELECT id, salesplan.leads(salesplan.funnel_agg(reached, amount) OVER w) AS leads,
       salesplan.revenue(salesplan.funnel_agg(reached, amount) OVER w) AS revenue
FROM small WINDOW w AS (ORDER BY id) ORDER BY id;

-- Storable: a table column, dumped and reloaded through text.
CREATE TEMP TABLE stored (g int, f salesplan.funnel);
INSERT INTO stored SELECT g, salesplan.funnel_agg(reached, amount, 3)
FROM grouped GROUP BY g;
SELECT g, f FROM stored ORDER BY g;
SELECT bool_and(f::text::salesplan.funnel::text = f::text) AS text_round_trip
FROM stored;

-- rollup: merging funnels.  small (3 stages, undeclared) rolled up with
-- itself doubles every count and amount.
SELECT salesplan.rollup(f) FROM (SELECT f FROM small_f UNION ALL SELECT f FROM small_f) q;
SELECT salesplan.rollup(f) IS NULL AS rollup_of_nothing FROM small_f WHERE false;
-- NULL funnels are skipped: leads stay 6
SELECT salesplan.leads(salesplan.rollup(f))
FROM (SELECT NULL::salesplan.funnel AS f UNION ALL SELECT f FROM small_f) q;
-- undeclared funnels of different depth: the result is as deep as the
-- deeper one; 2 stages + 3 stages.
SELECT salesplan.rollup(f)
FROM (VALUES ('v1;stages=2;declared=0;scale=0;population=2;s0=0/0/0;s1=1/1/3;s2=1/1/4'::salesplan.funnel),
             ('v1;stages=3;declared=0;scale=1;population=1;s0=0/0/0.0;s1=0/0/0.0;s2=0/0/0.0;s3=1/1/2.5'::salesplan.funnel)) v(f);
-- an undeclared funnel merges into one with declared stages if it is not
-- deeper; the result keeps the declared stage count.
SELECT salesplan.rollup(f), salesplan.declared_stages(salesplan.rollup(f))
FROM (VALUES ('v1;stages=2;declared=0;scale=0;population=2;s0=0/0/0;s1=1/1/3;s2=1/1/4'::salesplan.funnel),
             ('v1;stages=3;declared=3;scale=0;population=0;s0=0/0/0;s1=0/0/0;s2=0/0/0;s3=0/0/0'::salesplan.funnel)) v(f);

-- leave the database as found (the install test creates the extension)
SET client_min_messages = warning;
DROP EXTENSION salesplan CASCADE;
