#!/usr/bin/env bash
# Optional part of make bench (issue 15): ClickHouse's windowFunnel on the
# same long-history rows as test/bench/window_funnel_long.sql, with 1 and 2
# threads, recorded in bench.result beside the PostgreSQL cases so that
# bench.report gives the ratios.  run.sh calls it after the suites when
# bench.long_events exists.  Expects PGHOST/PGPORT/PGUSER/PGDATABASE of the
# bench cluster.
#
# ClickHouse is never needed by make test.  Here, when clickhouse-server is
# missing and we are root, Debian's clickhouse-server and clickhouse-client
# are installed (apt-get); otherwise the comparison is skipped with a note.
# A private server is started for the run (its own directory under /tmp and
# a free port on 127.0.0.1) and stopped at the end, so a system server, if
# any, is left alone.
#
# windowFunnel(86400)(ts, step = 1, ..., step = 5) is the same funnel with a
# one-day window on whole seconds (the generator makes whole seconds).  Its
# level per entity is loaded back into PostgreSQL and compared with
# window_funnel_scan's, entity by entity, before the timings are reported.
# Times are ClickHouse's own elapsed time of each query (clickhouse-client
# --time: from sending the query to its last row, without the client's
# start-up), median of BENCH_RUNS after a warm-up.
set -euo pipefail
runs=${BENCH_RUNS:-5}
table=salesplan_bench_long_events

if ! command -v clickhouse-server >/dev/null 2>&1 || ! command -v clickhouse-client >/dev/null 2>&1; then
    if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "bench: installing Debian's clickhouse-server and clickhouse-client (optional, for the windowFunnel comparison)"
        export DEBIAN_FRONTEND=noninteractive
        apt-get install -y -qq clickhouse-server clickhouse-client >/dev/null 2>&1 || {
            apt-get update -qq && apt-get install -y -qq clickhouse-server clickhouse-client >/dev/null
        } || { echo "bench: could not install ClickHouse; comparison skipped"; exit 0; }
    else
        echo "bench: ClickHouse is not installed (as root, make bench installs Debian's clickhouse-server); comparison skipped"
        exit 0
    fi
fi

. test/cluster.sh	# free_port
dir=$(mktemp -d /tmp/salesplan-bench-ch.XXXXXX)
mkdir -p "$dir/data" "$dir/tmp" "$dir/user_files"
port=$(free_port 59100 59199)
cat >"$dir/config.xml" <<XML
<?xml version="1.0"?>
<yandex>
    <logger><level>warning</level><log>$dir/server.log</log><errorlog>$dir/server.err.log</errorlog></logger>
    <tcp_port>$port</tcp_port>
    <listen_host>127.0.0.1</listen_host>
    <path>$dir/data/</path>
    <tmp_path>$dir/tmp/</tmp_path>
    <user_files_path>$dir/user_files/</user_files_path>
    <users_config>/etc/clickhouse-server/users.xml</users_config>
    <default_profile>default</default_profile>
    <default_database>default</default_database>
    <mark_cache_size>536870912</mark_cache_size>
</yandex>
XML
run_as=()
if [ "$(id -u)" -eq 0 ] && id clickhouse >/dev/null 2>&1; then
    chown -R clickhouse: "$dir"
    run_as=(runuser -u clickhouse --)
fi
stop_server() {
    local pid
    pid=$(cat "$dir/pid" 2>/dev/null) || pid=
    if [ -n "$pid" ]; then
        kill "$pid" 2>/dev/null || true
        for _ in $(seq 100); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.2
        done
    fi
    rm -rf "$dir"
}
trap stop_server EXIT
"${run_as[@]}" clickhouse-server --config-file="$dir/config.xml" --pid-file="$dir/pid" --daemon 8>&- 9>&-
ch() { clickhouse-client --host 127.0.0.1 --port "$port" "$@"; }
for _ in $(seq 60); do
    ch -q 'SELECT 1' >/dev/null 2>&1 && break
    sleep 0.5
done
ch -q 'SELECT 1' >/dev/null || { echo "bench: the ClickHouse server did not start:"; cat "$dir/server.err.log"; exit 0; }

ch -q "CREATE TABLE $table (entity_id Int32, ts DateTime, step Int32) ENGINE = MergeTree ORDER BY tuple()"
# the rows in the same (time) order as in PostgreSQL; timestamps as UTC text
# into a server whose time zone is this machine's: the same whole seconds
psql -X -q -v ON_ERROR_STOP=1 -c \
    "COPY (SELECT entity_id, extract(epoch FROM ts)::int8, step FROM bench.long_events) TO STDOUT" |
    ch -q "INSERT INTO $table FORMAT TSV"
echo "ClickHouse $(ch -q 'SELECT version()'): $(ch -q "SELECT count() FROM $table") rows loaded"

per_entity="SELECT entity_id, windowFunnel(86400)(ts, step = 1, step = 2, step = 3, step = 4, step = 5) AS level
            FROM $table GROUP BY entity_id"
query="SELECT level, count() FROM ($per_entity) GROUP BY level ORDER BY level"

# the answers, checked entity by entity against salesplan (untimed)
psql -X -q -v ON_ERROR_STOP=1 -c "SET client_min_messages = warning; DROP TABLE IF EXISTS bench.ch_levels; CREATE TABLE bench.ch_levels (entity_id int, level int)"
ch -q "$per_entity FORMAT TSV" | psql -X -q -v ON_ERROR_STOP=1 -c "COPY bench.ch_levels FROM STDIN"
psql -X -q -P pager=off -v ON_ERROR_STOP=1 <<'SQL'
\echo '== ClickHouse windowFunnel against salesplan.window_funnel_scan, the same rows: level histograms and entities whose level differs =='
CREATE TEMP TABLE sp AS
SELECT entity::int AS entity_id, level FROM salesplan.window_funnel_scan('bench.long_events', 'entity_id', NULL::int, 'ts', 'step', '1 day');
SELECT coalesce(c.level, s.level) AS level, c.entities AS clickhouse, s.entities AS salesplan
FROM (SELECT level, count(*) AS entities FROM bench.ch_levels GROUP BY level) c
FULL JOIN (SELECT level, count(*) AS entities FROM sp GROUP BY level) s USING (level)
ORDER BY 1;
SELECT count(*) AS entities, count(*) FILTER (WHERE c.level IS NOT DISTINCT FROM s.level) AS same_level,
       count(*) FILTER (WHERE c.level IS DISTINCT FROM s.level) AS different_level,
       (count(*) FILTER (WHERE c.level IS DISTINCT FROM s.level) = 0) AS same_histogram_and_levels
FROM bench.ch_levels c FULL JOIN sp s USING (entity_id);
\echo 'first entities whose level differs (ClickHouse, salesplan)'
SELECT entity_id, c.level AS clickhouse, s.level AS salesplan
FROM bench.ch_levels c FULL JOIN sp s USING (entity_id)
WHERE c.level IS DISTINCT FROM s.level ORDER BY entity_id LIMIT 5;
SQL

for threads in 1 2; do
    ch --max_threads="$threads" -q "$query" >/dev/null	# warm-up
    times=()
    for _ in $(seq "$runs"); do
        # --time prints the elapsed seconds on stderr
        t=$(ch --max_threads="$threads" --time -q "$query" 2>&1 >/dev/null | tail -n 1)
        times+=("$t")
    done
    arr=$(IFS=,; echo "${times[*]}")
    psql -X -q -v ON_ERROR_STOP=1 -c "
        INSERT INTO bench.result
        SELECT 'window_funnel_long', 'ClickHouse windowFunnel, $threads thread(s)',
               array_agg(x * 1000), percentile_cont(0.5) WITHIN GROUP (ORDER BY x * 1000)
        FROM unnest('{$arr}'::float8[]) x
        ON CONFLICT ON CONSTRAINT result_pkey
        DO UPDATE SET runs_ms = EXCLUDED.runs_ms, median_ms = EXCLUDED.median_ms"
done
ch -q "DROP TABLE $table"

echo '== window_funnel, long histories, with ClickHouse: ratio to ClickHouse windowFunnel with 1 thread (table path goal <= 2) =='
psql -X -q -P pager=off -c "SELECT * FROM bench.report('window_funnel_long', 'ClickHouse windowFunnel, 1 thread(s)')"
