-- salesplan.recommend_paradigm: thresholds at their boundaries, errors.
-- Rules (doc/paradigm.md): project when standardization < 0.4 or need
-- explicitness < 0.4; else probability when customers >= 1000, need >= 0.6
-- and standardization >= 0.7; else behavior.
-- leave the database as found: drop the extension at the end only if
-- this test created it
SELECT NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'salesplan') AS created_here \gset
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS salesplan;
RESET client_min_messages;
SET extra_float_digits = 0;
\set SHOW_CONTEXT never

SELECT customers, need, std, salesplan.recommend_paradigm(customers, need, std) AS paradigm, expected,
       salesplan.recommend_paradigm(customers, need, std) = expected AS same
FROM (VALUES
    (5000000::bigint, 0.9::float8, 0.95::float8, 'probability'),  -- consumer product
    (1000, 0.6, 0.7, 'probability'),      -- every probability threshold, inclusive
    (999, 0.9, 0.9, 'behavior'),          -- one customer short: a known list
    (1000, 0.59, 0.9, 'behavior'),        -- need not explicit enough for a funnel
    (1000, 0.9, 0.69, 'behavior'),        -- semi-standard solution
    (300, 0.8, 0.5, 'behavior'),          -- vertical key accounts
    (0, 0.4, 0.4, 'behavior'),            -- project thresholds are strict (< 0.4)
    (20, 0.9, 0.39, 'project'),           -- bespoke package
    (1000000, 0.39, 1.0, 'project'),      -- goal clear, path unclear: even with many customers
    (5, 0.0, 0.0, 'project'),             -- government programme
    (9223372036854775807, 1.0, 1.0, 'probability')
) AS v(customers, need, std, expected)
ORDER BY 1, 2, 3;

-- NULL in, NULL out (STRICT)
SELECT salesplan.recommend_paradigm(NULL, 0.5, 0.5) IS NULL AS null_customers,
       salesplan.recommend_paradigm(10, NULL, 0.5) IS NULL AS null_need,
       salesplan.recommend_paradigm(10, 0.5, NULL) IS NULL AS null_std;

-- out-of-range input
\set VERBOSITY sqlstate
SELECT salesplan.recommend_paradigm(-1, 0.5, 0.5);
SELECT salesplan.recommend_paradigm(10, -0.01, 0.5);
SELECT salesplan.recommend_paradigm(10, 1.01, 0.5);
SELECT salesplan.recommend_paradigm(10, 'NaN', 0.5);
SELECT salesplan.recommend_paradigm(10, 0.5, 'NaN');
SELECT salesplan.recommend_paradigm(10, 0.5, 'Infinity');
SELECT salesplan.recommend_paradigm(10, 0.5, '-Infinity');
\set VERBOSITY default
SELECT salesplan.recommend_paradigm(-1, 0.5, 0.5);
SELECT salesplan.recommend_paradigm(10, 'NaN', 0.5);
SELECT salesplan.recommend_paradigm(10, 0.5, 2);
\if :created_here
DROP EXTENSION salesplan;
\endif
