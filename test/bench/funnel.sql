-- test/bench/funnel.sql: funnel_agg against the scan floor and hand-written SQL.
--
-- 5M entities in 100 groups; reached 0..5 (skewed towards the top of the
-- funnel: 56% population only, 1.6% won); amounts numeric(14,2),
-- log-normal-ish, 10% NULL.  The three queries after the setup (labelled
-- "bench: floor", "bench: funnel", "bench: hand") are each timed, median of
-- 5 runs after a warm-up; the ratios to report are funnel / floor (goal
-- <= 1.5) and funnel / hand (goal < 1).  Results: doc/performance.md.
--
-- bench: setup
CREATE EXTENSION IF NOT EXISTS salesplan;
DROP TABLE IF EXISTS bench_funnel;
CREATE TABLE bench_funnel AS
SELECT (i % 100)::int AS g,
       least(5, floor(-ln(1.0 - ((i * 2654435761::bigint) % 1000003) / 1000003.0) * 1.2))::int AS reached,
       CASE WHEN (i * 40503) % 10 = 0 THEN NULL
            ELSE round(exp(5 + 1.5 * sqrt(-2 * ln(((i * 48271::bigint) % 2147483647 + 1) / 2147483648.0))
                             * cos(2 * pi() * ((i * 69621::bigint) % 2147483647) / 2147483647.0))::numeric, 2)::numeric(14, 2)
       END AS amount
FROM generate_series(1::bigint, 5000000) AS i;
VACUUM ANALYZE bench_funnel;

-- bench: floor (the scan and grouping alone)
SELECT g, count(*) FROM bench_funnel GROUP BY g;

-- bench: funnel
SELECT g, salesplan.funnel_agg(reached, amount, 5) FROM bench_funnel GROUP BY g;

-- bench: hand (hand-written plain SQL with the same information)
SELECT g,
       count(*) AS population,
       count(*) FILTER (WHERE reached >= 1) AS e1,
       count(*) FILTER (WHERE reached >= 2) AS e2,
       count(*) FILTER (WHERE reached >= 3) AS e3,
       count(*) FILTER (WHERE reached >= 4) AS e4,
       count(*) FILTER (WHERE reached >= 5) AS e5,
       sum(amount) FILTER (WHERE reached = 0) AS a0,
       sum(amount) FILTER (WHERE reached = 1) AS a1,
       sum(amount) FILTER (WHERE reached = 2) AS a2,
       sum(amount) FILTER (WHERE reached = 3) AS a3,
       sum(amount) FILTER (WHERE reached = 4) AS a4,
       sum(amount) FILTER (WHERE reached = 5) AS a5,
       count(amount) FILTER (WHERE reached = 5) AS priced_won
FROM bench_funnel GROUP BY g;
