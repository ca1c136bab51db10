-- explain_gap: exact Shapley decomposition of a revenue change.
SET extra_float_digits = 0;
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS salesplan;
RESET client_min_messages;
CREATE SCHEMA test_gap;
SET search_path = test_gap, public;

-- Independent reference: the Shapley value by its definition, summing over
-- all 2^(n-1) coalitions S of the other factors with weight
-- |S|! (n-1-|S|)! / n!, in plain PL/pgSQL (exact numerator, one division).
CREATE FUNCTION bf_shapley(a numeric[], b numeric[]) RETURNS numeric[]
LANGUAGE plpgsql AS $$
DECLARE
    n int := cardinality(a);
    res numeric[] := '{}';
    acc numeric; prod numeric; s int;
BEGIN
    FOR i IN 1 .. n LOOP
        acc := 0;
        FOR m IN 0 .. (1 << n) - 1 LOOP
            CONTINUE WHEN (m >> (i - 1)) & 1 = 1;
            s := 0; prod := 1;
            FOR j IN 1 .. n LOOP
                CONTINUE WHEN j = i;
                IF (m >> (j - 1)) & 1 = 1 THEN s := s + 1; prod := prod * a[j];
                ELSE prod := prod * b[j]; END IF;
            END LOOP;
            acc := acc + factorial(s) * factorial(n - 1 - s) * prod;
        END LOOP;
        res := res || round((a[i] - b[i]) * acc / factorial(n), 12);
    END LOOP;
    RETURN res;
END $$;
CREATE FUNCTION prod(x numeric[]) RETURNS numeric LANGUAGE plpgsql AS
$$ DECLARE p numeric := 1; v numeric; BEGIN FOREACH v IN ARRAY x LOOP p := p * v; END LOOP; RETURN p; END $$;

-- 1. Two factors, f = x * y from (1, 1) to (2, 3): phi_x = dx (y_a + y_b) / 2
--    = 1 * (3 + 1) / 2 = 2, phi_y = 2 * (2 + 1) / 2 = 3; 2 + 3 = 6 - 1.
SELECT salesplan.shapley_product('{2,3}', '{1,1}') AS effects,
       salesplan.shapley_product('{1,1}', '{2,3}') AS swapped;

-- 2. Two-stage funnel by hand (three factors: leads, conversion, aov).
--    actual 100 * 0.30 * 50 = 1500, baseline 80 * 0.25 * 40 = 800, change 700.
--    With three factors the coalition weights are 1/3 (none of the others
--    at actual), 1/6 each (one), 1/3 (both):
--    leads: 20   * (0.25*40/3 + (0.3*40 + 0.25*50)/6 + 0.3*50/3) = 20 * 12.41666.. = 248.333..
--    conv:  0.05 * (80*40/3  + (100*40 + 80*50)/6   + 100*50/3)  = 0.05 * 4066.66.. = 203.333..
--    aov:   10   * (80*0.25/3 + (100*0.25 + 80*0.3)/6 + 100*0.3/3) = 10 * 24.8333..  = 248.333..
--    Rounded: 248.33 + 203.33 + 248.33 = 699.99; the missing cent goes to
--    the factor rounded down the most, all three tie (+0.00333..), so to
--    the first: leads 248.34.  Swapped: every effect negates exactly.
SELECT g.*, b.x AS by_definition
FROM salesplan.explain_gap(100, '{0.30}', 50, 80, '{0.25}', 40) WITH ORDINALITY AS g(factor, effect, o)
JOIN unnest(bf_shapley('{100,0.30,50}', '{80,0.25,40}')) WITH ORDINALITY AS b(x, o) USING (o)
ORDER BY o;
SELECT * FROM salesplan.explain_gap(80, '{0.25}', 40, 100, '{0.30}', 50);

-- The same as funnels of real rows: 100 leads of which 30 won at 50 each,
-- against 80 leads of which 20 won at 40 each.
CREATE TABLE leads2 (period text, reached int, amount numeric);
INSERT INTO leads2
SELECT 'actual', CASE WHEN i <= 30 THEN 2 ELSE 1 END, CASE WHEN i <= 30 THEN 50 END FROM generate_series(1, 100) AS i
UNION ALL
SELECT 'baseline', CASE WHEN i <= 20 THEN 2 ELSE 1 END, CASE WHEN i <= 20 THEN 40 END FROM generate_series(1, 80) AS i;
CREATE TABLE f2 AS SELECT period, salesplan.funnel_agg(reached, amount, 2) AS f FROM leads2 GROUP BY period;
SELECT g.*
FROM (SELECT f FROM f2 WHERE period = 'actual') a, (SELECT f FROM f2 WHERE period = 'baseline') b,
     salesplan.explain_gap(a.f, b.f) WITH ORDINALITY AS g
ORDER BY ordinality;
-- funnel against numbers gives the same
SELECT g.* FROM (SELECT f FROM f2 WHERE period = 'actual') a,
     salesplan.explain_gap(a.f, 80, '{0.25}', 40) WITH ORDINALITY AS g
ORDER BY ordinality;

-- 3. Three stages by hand: actual 1000 * 0.2 * 0.5 * 150 = 15000, baseline
--    800 * 0.25 * 0.4 * 120 = 9600, change 5400.  Four factors, weights by
--    number of other factors at actual s = 0..3: 1/4, 1/12, 1/12, 1/4.
--    leads: e0 = 0.25*0.4*120 = 12; e1 = 0.2*0.4*120 + 0.25*0.5*120 + 0.25*0.4*150
--    = 9.6 + 15 + 15 = 39.6; e2 = 0.2*0.5*120 + 0.2*0.4*150 + 0.25*0.5*150
--    = 12 + 12 + 18.75 = 42.75; e3 = 0.2*0.5*150 = 15;
--    phi = 200 * (12/4 + 39.6/12 + 42.75/12 + 15/4) = 200 * 13.6125 = 2722.50.
SELECT g.*, b.x AS by_definition
FROM salesplan.explain_gap(1000, '{0.2,0.5}', 150.00, 800, '{0.25,0.4}', 120) WITH ORDINALITY AS g(factor, effect, o)
JOIN unnest(bf_shapley('{1000,0.2,0.5,150}', '{800,0.25,0.4,120}')) WITH ORDINALITY AS b(x, o) USING (o)
ORDER BY o;

-- 4. Exact sum, antisymmetry and agreement with the definition on
--    irregular numbers (n = 2..8 factors, values from a fixed formula).
CREATE TABLE cases AS
SELECT n,
       array_agg(round(((i * 37 + n * 11) % 23 + 1) / 7.0, 3) ORDER BY i) AS a,
       array_agg(round(((i * 19 + n * 5) % 29 + 1) / 9.0, 4) ORDER BY i) AS b
FROM generate_series(2, 8) AS n, generate_series(1, n) AS i
GROUP BY n;
INSERT INTO cases VALUES
    (3, '{1000,0,150}', '{800,0.25,120}'),                -- a conversion fell to zero
    (4, '{1250,0.17,0.43,99.99}', '{0,0.25,0.4,120}'),     -- baseline had no leads
    (5, '{123456789,0.0001234,0.98765,0.5,12345.678}', '{98765432,0.0002345,0.87654,0.49,23456.789}');
SELECT n, a, b,
       (SELECT sum(v) FROM unnest(e) AS v) = round(prod(a), 2) - round(prod(b), 2) AS sum_exact,
       salesplan.shapley_product(b, a) = (SELECT array_agg(-v ORDER BY o) FROM unnest(e) WITH ORDINALITY AS u(v, o)) AS antisymmetric,
       (SELECT max(abs(u.e - u.x)) FROM unnest(e, x) AS u(e, x)) AS max_diff_from_definition
FROM (SELECT *, salesplan.shapley_product(a, b) AS e, bf_shapley(a, b) AS x FROM cases) AS s
ORDER BY n, a::text;
-- order of listing: permuting the factors permutes the effects (no ties here)
SELECT salesplan.shapley_product('{1.3,0.7,2.15,0.41}', '{1.1,0.9,2.0,0.5}') AS effects,
       salesplan.shapley_product('{0.41,2.15,1.3,0.7}', '{0.5,2.0,1.1,0.9}') AS permuted;

-- 5. Zeros.  A baseline with no leads: its rates are undefined (NULL) and
--    take the actual's values, so the whole change is lead volume.
SELECT * FROM salesplan.explain_gap(1000, '{0.2,0.5}', 150, 0, '{NULL,NULL}', NULL);
--    with the baseline's rates given, Shapley shares the change (matches the definition)
SELECT g.*, b.x AS by_definition
FROM salesplan.explain_gap(1000, '{0.2,0.5}', 150, 0, '{0.25,0.4}', 120) WITH ORDINALITY AS g(factor, effect, o)
JOIN unnest(bf_shapley('{1000,0.2,0.5,150}', '{0,0.25,0.4,120}')) WITH ORDINALITY AS b(x, o) USING (o)
ORDER BY o;
--    a funnel nobody entered (empty baseline period, 3 declared stages)
SELECT g.* FROM
    (SELECT salesplan.funnel_agg(r, a, 3) AS f FROM (VALUES (1, NULL::numeric), (2, NULL), (3, 100.00), (3, 50.00)) v(r, a)) x,
    (SELECT salesplan.funnel_agg(r, a, 3) AS f FROM (VALUES (0, NULL::numeric)) v(r, a)) y,
    salesplan.explain_gap(x.f, y.f) WITH ORDINALITY AS g
ORDER BY ordinality;
--    both funnels empty: nothing moved
SELECT g.* FROM
    (SELECT salesplan.funnel_agg(0, NULL) AS f) x, (SELECT salesplan.funnel_agg(0, NULL) AS f) y,
    salesplan.explain_gap(x.f, y.f) WITH ORDINALITY AS g
ORDER BY ordinality;
--    stage 1 -> 2 collapsed to zero: stage 2 -> 3 is undefined in actual and
--    takes the baseline's rate, aov too, so conversion_1_2 carries it all
SELECT g.* FROM
    (SELECT salesplan.funnel_agg(r, a, 3) AS f FROM (VALUES (1, NULL::numeric), (1, NULL)) v(r, a)) x,
    (SELECT salesplan.funnel_agg(r, a, 3) AS f FROM (VALUES (1, NULL::numeric), (2, NULL), (3, 100.00), (3, 50.00)) v(r, a)) y,
    salesplan.explain_gap(x.f, y.f) WITH ORDINALITY AS g
ORDER BY ordinality;

-- 6. Won entities without an amount: revenue counts only priced ones, so a
--    priced_share factor (priced won / won) appears.  Here 5 won in both,
--    all 100 each in the baseline (500), one without amount in actual (400):
--    only priced_share moved, 0.8 vs 1, so it carries the whole -100.
SELECT g.* FROM
    (SELECT salesplan.funnel_agg(r, a, 2) AS f FROM (VALUES (1, NULL::numeric), (1, NULL), (1, NULL), (1, NULL), (1, NULL),
        (2, 100), (2, 100), (2, 100), (2, 100), (2, NULL)) v(r, a)) x,
    (SELECT salesplan.funnel_agg(r, a, 2) AS f FROM (VALUES (1, NULL::numeric), (1, NULL), (1, NULL), (1, NULL), (1, NULL),
        (2, 100), (2, 100), (2, 100), (2, 100), (2, 100)) v(r, a)) y,
    salesplan.explain_gap(x.f, y.f) WITH ORDINALITY AS g
ORDER BY ordinality;

-- 7. Larger funnels from rows: sum(effect) = revenue(a) - revenue(b) exactly,
--    and every effect negates on swap.
CREATE TABLE leads4 AS
SELECT q, CASE WHEN h % 97 = 0 THEN 0 WHEN h % 11 = 0 THEN 4 WHEN h % 5 = 0 THEN 3 WHEN h % 2 = 0 THEN 2 ELSE 1 END AS reached,
       CASE WHEN h % 13 = 0 THEN NULL ELSE round(100 + (h % 1000) / 7.0, 2) END AS amount
FROM generate_series(1, 2) AS q, generate_series(1, 20000) AS i,
     LATERAL (SELECT (i * 7919 + q * 104729) % 100003 AS h) AS hh
WHERE q = 1 OR i <= 17000;
CREATE TABLE f4 AS SELECT q, salesplan.funnel_agg(reached, amount, 4) AS f FROM leads4 GROUP BY q;
WITH a AS (SELECT f FROM f4 WHERE q = 1), b AS (SELECT f FROM f4 WHERE q = 2)
SELECT g.factor, g.effect, -s.effect AS swapped_negated, g.effect = -s.effect AS negates
FROM a, b, salesplan.explain_gap(a.f, b.f) WITH ORDINALITY AS g
JOIN salesplan.explain_gap(b.f, a.f) WITH ORDINALITY AS s USING (ordinality)
ORDER BY g.ordinality;
WITH a AS (SELECT f FROM f4 WHERE q = 1), b AS (SELECT f FROM f4 WHERE q = 2)
SELECT salesplan.revenue(a.f) AS revenue_actual, salesplan.revenue(b.f) AS revenue_baseline,
       (SELECT sum(effect) FROM salesplan.explain_gap(a.f, b.f)) AS sum_effects,
       (SELECT sum(effect) FROM salesplan.explain_gap(a.f, b.f)) = salesplan.revenue(a.f) - salesplan.revenue(b.f) AS sum_exact,
       (SELECT sum(amount) FROM leads4 WHERE q = 1 AND reached = 4) AS plain_sql_revenue_actual
FROM a, b;
-- 62 stages is the largest funnel explain_gap takes
SELECT sum(g.effect) AS change FROM (SELECT salesplan.funnel_agg(62, 10.00, 62) AS f) a,
    salesplan.explain_gap(a.f, 1, array_fill(0.5, ARRAY[61]), 10) g;   -- 10 - 0.5^61 * 10 rounds to 10.00
-- revenue_factors multiply back to revenue
SELECT q, round(prod(salesplan.revenue_factors(f)), 2) = salesplan.revenue(f) AS product_is_revenue
FROM f4 ORDER BY q;

-- 8. Errors
\set VERBOSITY sqlstate
SELECT salesplan.shapley_product('{1,2}', '{1}');
SELECT salesplan.shapley_product('{}', '{}');
SELECT salesplan.shapley_product('{1,NaN}', '{1,2}');
SELECT salesplan.shapley_product('{1,Infinity}', '{1,2}');
SELECT salesplan.shapley_product('{{1,2},{3,4}}', '{{1,2},{3,4}}');
SELECT salesplan.shapley_product('{1}', '{2}', -1);
SELECT salesplan.shapley_product('{1}', '{2}', 17);
SELECT salesplan.shapley_product(array_fill(1::numeric, ARRAY[65]), array_fill(2::numeric, ARRAY[65]));
SELECT salesplan.shapley_product(array_fill(1e-1000::numeric, ARRAY[16]), array_fill(1::numeric, ARRAY[16]));
SELECT salesplan.shapley_product(ARRAY[1e100000::numeric, 1e100000], ARRAY[1::numeric, 1]);
SELECT * FROM salesplan.explain_gap(100, '{0.3}', 50, 80, '{0.25,0.5}', 40);
SELECT * FROM salesplan.explain_gap(-1, '{0.3}', 50, 80, '{0.25}', 40);
SELECT * FROM salesplan.explain_gap(100, '{1.3}', 50, 80, '{0.25}', 40);
SELECT * FROM salesplan.explain_gap(100, '{0.3}', -50, 80, '{0.25}', 40);
SELECT * FROM salesplan.explain_gap(100, '{0.3}', 'NaN', 80, '{0.25}', 40);
SELECT * FROM salesplan.explain_gap(100, '{{0.3}}', 50, 80, '{{0.25}}', 40);
SELECT * FROM salesplan.explain_gap(100, array_fill(0.5, ARRAY[62]), 50, 80, array_fill(0.5, ARRAY[62]), 40);
SELECT g.* FROM (SELECT f FROM f2 WHERE period = 'actual') a, salesplan.explain_gap(a.f, 80, '{0.25,0.5}', 40) g;
-- 63 stages: 65 factors, one past the bound
SELECT g.* FROM (SELECT salesplan.funnel_agg(63, 1.00, 63) AS f) a, salesplan.explain_gap(a.f, a.f) g;
SELECT g.* FROM (SELECT salesplan.funnel_agg(63, 1.00, 63) AS f) a, salesplan.explain_gap(a.f, 1, array_fill(1.0, ARRAY[62]), 1) g;
SELECT g.* FROM (SELECT f FROM f2 WHERE period = 'actual') a, (SELECT f FROM f4 WHERE q = 1) b, salesplan.explain_gap(a.f, b.f) g;
\set VERBOSITY default
SELECT g.* FROM (SELECT f FROM f2 WHERE period = 'actual') a, (SELECT f FROM f4 WHERE q = 1) b, salesplan.explain_gap(a.f, b.f) g;
SELECT * FROM salesplan.explain_gap(100, '{1.3}', 50, 80, '{0.25}', 40);
-- NULL arguments: no rows
SELECT count(*) FROM salesplan.explain_gap(NULL::numeric, '{0.3}', 50, 80, '{0.25}', 40);
SELECT salesplan.shapley_product(NULL, '{1}');

-- Bounded work: integer digits count too.  64 factors of 300 digits
-- (19,200 digits, 83 s before the bound) are refused at once with 54000;
-- 4,096 digits in all is the limit (64 x 64 = 4,096 passes the check,
-- 64 x 65 = 4,160 does not).
\set VERBOSITY sqlstate
SELECT salesplan.shapley_product(
    (SELECT array_agg(('1' || repeat('3', 299))::numeric) FROM generate_series(1, 64)),
    (SELECT array_agg(('1' || repeat('2', 299))::numeric) FROM generate_series(1, 64)));
SELECT salesplan.shapley_product(
    (SELECT array_agg(('1' || repeat('3', 32) || '.' || repeat('7', 32))::numeric) FROM generate_series(1, 64)),
    (SELECT array_agg(1::numeric) FROM generate_series(1, 64)));
-- a huge array is refused before it is read
SELECT salesplan.shapley_product(array_fill(1.0, ARRAY[1000000]), array_fill(1.0, ARRAY[1000000]));
\set VERBOSITY default
-- the largest work allowed (about 2.5 s) is cancellable: statement_timeout
-- stops it within a multiplication
SET statement_timeout = '100ms';
SELECT salesplan.shapley_product(
    (SELECT array_agg(('1' || repeat('3', 31) || '.' || repeat('7', 32))::numeric) FROM generate_series(1, 64)),
    (SELECT array_agg(('1' || repeat('2', 31) || '.' || repeat('9', 32))::numeric) FROM generate_series(1, 64)));
RESET statement_timeout;

RESET search_path;
SET client_min_messages = warning;
DROP SCHEMA test_gap CASCADE;
-- leave the database as a fresh one: later tests create the extension themselves
DROP EXTENSION salesplan;
