#!/usr/bin/env bash
# Optional part of make bench (issue 15): ClickHouse's windowFunnel on the
# same long-history rows as test/bench/window_funnel_long.sql, with 1 and 2
# threads, timed in turns with salesplan's table path (serial and 2
# workers) and the executor's floor, recorded in bench.result (suite
# 'clickhouse') so that bench.report gives the ratios.  run.sh calls it after the suites when
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
# start-up) and salesplan's in-server time (bench.time_ms, as bench.run
# measures), median of BENCH_RUNS rounds after a warm-up round.
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

# Timing: ClickHouse with 1 and 2 threads and salesplan's histogram (the
# same answer) serial and with 2 workers, plus the executor's floor, take
# turns: one warm-up round, then BENCH_RUNS rounds, so that a change of
# load hits them alike.  Recorded in bench.result as suite 'clickhouse'.
levels="SELECT * FROM salesplan.window_funnel_levels('bench.long_events', 'entity_id', 'ts', 'step', '1 day')"
floor="SELECT entity_id, count(*) FROM bench.long_events GROUP BY 1"
pg_ms() {	# pg_ms WORKERS QUERY: one run's wall time in the server, ms
    psql -X -q -At -v ON_ERROR_STOP=1 -c "SET max_parallel_workers_per_gather = $1" -c "SET work_mem = '256MB'" \
        -c "SELECT bench.time_ms(\$q\$$2\$q\$)" | tail -n 1
}
ch_ms() {	# ch_ms THREADS: one run's elapsed time (clickhouse-client --time, on stderr), ms
    ch --max_threads="$1" --time -q "$query" 2>&1 >/dev/null | tail -n 1 | awk '{ printf "%.1f", $1 * 1000 }'
}
names=('ClickHouse windowFunnel, 1 thread' 'ClickHouse windowFunnel, 2 threads'
       'table path: window_funnel_levels' 'table path: window_funnel_levels, 2 workers'
       'floor: count(*) per entity')
declare -a t0 t1 t2 t3 t4
for r in $(seq 0 "$runs"); do
    a=$(ch_ms 1); b=$(ch_ms 2); c=$(pg_ms 0 "$levels"); d=$(pg_ms 2 "$levels"); e=$(pg_ms 0 "$floor")
    if [ "$r" -gt 0 ]; then
        t0+=("$a"); t1+=("$b"); t2+=("$c"); t3+=("$d"); t4+=("$e")
    fi
done
record() {	# record NAME TIMES...
    local name=$1 arr
    shift
    arr=$(IFS=,; echo "$*")
    psql -X -q -v ON_ERROR_STOP=1 -c "
        INSERT INTO bench.result
        SELECT 'clickhouse', \$n\$$name\$n\$, array_agg(x ORDER BY i), percentile_cont(0.5) WITHIN GROUP (ORDER BY x)
        FROM unnest('{$arr}'::float8[]) WITH ORDINALITY AS u(x, i)
        ON CONFLICT ON CONSTRAINT result_pkey
        DO UPDATE SET runs_ms = EXCLUDED.runs_ms, median_ms = EXCLUDED.median_ms"
}
record "${names[0]}" "${t0[@]}"
record "${names[1]}" "${t1[@]}"
record "${names[2]}" "${t2[@]}"
record "${names[3]}" "${t3[@]}"
record "${names[4]}" "${t4[@]}"
ch -q "DROP TABLE $table"

echo "== window_funnel, long histories, with ClickHouse: the queries in turns; ratio to ClickHouse windowFunnel with 1 thread (table path goal <= 2) =="
psql -X -q -P pager=off -c "SELECT p.name, p.median_ms, p.ratio, (SELECT array_agg(round(x::numeric, 1)) FROM unnest(r.runs_ms) x) AS runs_ms
                            FROM bench.report('clickhouse', 'ClickHouse windowFunnel, 1 thread') p
                            JOIN bench.result r ON r.suite = 'clickhouse' AND r.name = p.name ORDER BY p.median_ms"
