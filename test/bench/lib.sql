-- Benchmark helpers: median wall time of a query over several runs, and
-- ratios against a baseline measured in the same run.  Queries run through
-- PL/pgSQL EXECUTE, which computes every row but sends none to the client,
-- so output formatting does not blur the comparison.
SET client_min_messages = warning;
DROP SCHEMA IF EXISTS bench CASCADE;
CREATE SCHEMA bench;

CREATE TABLE bench.result (
    suite       text NOT NULL,
    name        text NOT NULL,
    runs_ms     float8[] NOT NULL,
    median_ms   float8 NOT NULL,
    PRIMARY KEY (suite, name)
);

-- bench.run(suite, name, query, runs): one warm-up run, then "runs" timed
-- runs; records and returns the median in milliseconds.
CREATE FUNCTION bench.run(suite text, name text, query text, runs int DEFAULT 5)
RETURNS float8 LANGUAGE plpgsql AS $$
DECLARE
    t0 timestamptz;
    times float8[] := '{}';
    med float8;
BEGIN
    EXECUTE query;
    FOR i IN 1 .. runs LOOP
        t0 := clock_timestamp();
        EXECUTE query;
        times := times || extract(epoch FROM clock_timestamp() - t0)::float8 * 1000;
    END LOOP;
    SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY x) INTO med FROM unnest(times) x;
    INSERT INTO bench.result AS r VALUES (run.suite, run.name, times, med)
    ON CONFLICT ON CONSTRAINT result_pkey
    DO UPDATE SET runs_ms = EXCLUDED.runs_ms, median_ms = EXCLUDED.median_ms;
    RETURN med;
END $$;

-- bench.run_rounds(suite, names, queries, runs): the queries take turns
-- (one warm-up round, then "runs" rounds of each query once), so that a
-- change of load on a shared machine hits them alike; records the median
-- of each, as bench.run does.  Used where the ratio between the queries is
-- the result (a query against its floor).
CREATE FUNCTION bench.run_rounds(suite text, names text[], queries text[], runs int DEFAULT 5)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    t0 timestamptz;
    times float8[] := array_fill(NULL::float8, ARRAY[cardinality(names), runs]);
BEGIN
    FOR r IN 0 .. runs LOOP
        FOR q IN 1 .. cardinality(queries) LOOP
            t0 := clock_timestamp();
            EXECUTE queries[q];
            IF r > 0 THEN
                times[q][r] := extract(epoch FROM clock_timestamp() - t0)::float8 * 1000;
            END IF;
        END LOOP;
    END LOOP;
    FOR q IN 1 .. cardinality(names) LOOP
        INSERT INTO bench.result AS b
        SELECT run_rounds.suite, names[q], array_agg(x ORDER BY i), percentile_cont(0.5) WITHIN GROUP (ORDER BY x)
        FROM unnest(times[q:q][1:runs]) WITH ORDINALITY AS u(x, i)
        ON CONFLICT ON CONSTRAINT result_pkey
        DO UPDATE SET runs_ms = EXCLUDED.runs_ms, median_ms = EXCLUDED.median_ms;
    END LOOP;
END $$;

-- bench.time_ms(query): the wall time of one run of a query, in
-- milliseconds (for rounds driven from outside, as test/bench/clickhouse.sh
-- does with ClickHouse's queries).
CREATE FUNCTION bench.time_ms(query text) RETURNS float8 LANGUAGE plpgsql AS $$
DECLARE
    t0 timestamptz := clock_timestamp();
BEGIN
    EXECUTE query;
    RETURN extract(epoch FROM clock_timestamp() - t0)::float8 * 1000;
END $$;

-- bench.report(suite, baseline): every case of a suite with its ratio to
-- the baseline case (1.00 = as fast as the baseline; lower is faster).
CREATE FUNCTION bench.report(suite text, baseline text)
RETURNS TABLE (name text, median_ms numeric, ratio numeric) LANGUAGE sql AS $$
    SELECT r.name, round(r.median_ms::numeric, 1),
           round((r.median_ms / b.median_ms)::numeric, 2)
    FROM bench.result r
    JOIN bench.result b ON b.suite = r.suite AND b.name = baseline
    WHERE r.suite = report.suite
    ORDER BY r.median_ms
$$;
