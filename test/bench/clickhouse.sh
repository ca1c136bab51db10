#!/usr/bin/env bash
# Optional part of make bench (issue 15): ClickHouse's windowFunnel on the
# same long-history rows as test/bench/window_funnel_long.sql, with 1 and 2
# threads, recorded in bench.result beside the PostgreSQL cases so that
# bench.report gives the ratios.  run.sh calls it only when a ClickHouse
# server answers (Debian's clickhouse-server; never installed by the bench
# or by make test).  Expects PGHOST/PGPORT/PGUSER/PGDATABASE of the bench
# cluster and bench.long_events there.
#
# windowFunnel(86400)(ts, step = 1, ..., step = 5) is the same funnel with
# a one-day window on whole seconds (the generator makes whole seconds);
# ClickHouse versions differ on equal timestamps, so the answers are shown
# side by side with salesplan's histogram rather than asserted.
set -euo pipefail
runs=${BENCH_RUNS:-5}
table=salesplan_bench_long_events

clickhouse-client -q "DROP TABLE IF EXISTS $table"
clickhouse-client -q "CREATE TABLE $table (entity_id Int32, ts DateTime, step Int32)
                      ENGINE = MergeTree ORDER BY tuple()"
psql -X -q -v ON_ERROR_STOP=1 -c \
    "COPY (SELECT entity_id, to_char(ts, 'YYYY-MM-DD HH24:MI:SS'), step FROM bench.long_events) TO STDOUT" |
    clickhouse-client -q "INSERT INTO $table FORMAT TSV"

query="SELECT level, count() FROM (SELECT entity_id,
         windowFunnel(86400)(ts, step = 1, step = 2, step = 3, step = 4, step = 5) AS level
       FROM $table GROUP BY entity_id) GROUP BY level ORDER BY level"

echo "ClickHouse $(clickhouse-client -q 'SELECT version()'): levels (ClickHouse, then salesplan)"
clickhouse-client -q "$query"
psql -X -q -At -F $'\t' -c "SELECT * FROM salesplan.window_funnel_levels('bench.long_events', 'entity_id', 'ts', 'step', '1 day') ORDER BY level"

for threads in 1 2; do
    clickhouse-client --max_threads="$threads" -q "$query" >/dev/null	# warm-up
    times=()
    for _ in $(seq "$runs"); do
        start=$(date +%s%N)
        clickhouse-client --max_threads="$threads" -q "$query" >/dev/null
        times+=($((($(date +%s%N) - start) / 1000)))
    done
    arr=$(IFS=,; echo "${times[*]}")
    psql -X -q -v ON_ERROR_STOP=1 -c "
        INSERT INTO bench.result
        SELECT 'window_funnel_long', 'ClickHouse windowFunnel, $threads thread(s)',
               array_agg(x / 1000.0), percentile_cont(0.5) WITHIN GROUP (ORDER BY x / 1000.0)
        FROM unnest('{$arr}'::float8[]) x
        ON CONFLICT ON CONSTRAINT result_pkey
        DO UPDATE SET runs_ms = EXCLUDED.runs_ms, median_ms = EXCLUDED.median_ms"
done
clickhouse-client -q "DROP TABLE $table"

echo '== window_funnel, long histories, with ClickHouse (client wall time, includes its connection): ratio to ClickHouse 1 thread (table path goal <= 2) =='
psql -X -q -P pager=off -c "SELECT * FROM bench.report('window_funnel_long', 'ClickHouse windowFunnel, 1 thread(s)')"
