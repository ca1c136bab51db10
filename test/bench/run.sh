#!/usr/bin/env bash
# make bench: speed as ratios measured in one run, never absolute timings.
# Builds without assertions, generates the sample CRM at a large scale on a
# throwaway cluster, then runs every test/bench/*.sql suite (except lib.sql).
# BENCH_SCALE (default 250: 5 million leads, about 6 million stage-history rows) and
# BENCH_RUNS (default 5) tune it; BENCH_LONG_ENTITIES (default 100000, about
# 100 events each) sizes the long-history table of window_funnel_long.sql;
# BENCH_LINEAR_ENTITIES (default 300000: about 30 million events) the
# largest table of window_funnel_linear.sql (a tenth and a hundredth too);
# BENCH_SUITES (default: all) names the suites to run, by file stem
# ("window_funnel outcomes").  Results are also kept in test/bench/results/.
# After window_funnel_long, test/bench/clickhouse.sh compares ClickHouse's
# windowFunnel on the same rows (as root it installs Debian's
# clickhouse-server when missing; never needed by make test).
set -euo pipefail
cd "$(dirname "$0")/../.."

bash test/deps.sh
. test/cluster.sh

make -s clean >/dev/null
make -s

# Hold the install lock only while installing: a bench runs for minutes.
exec 9>"$(install_lock)"
flock 9
install_extension
exec 9>&-

tmp=$(mktemp -d /tmp/salesplan-bench.XXXXXX)
chmod 755 "$tmp"
port=$(free_port 56432 56999)
cleanup() {
    cluster_stop "$tmp"
    rm -rf "$tmp"
}
trap cleanup EXIT
cluster_init "$tmp" "$port"
as_cluster_owner tee -a "$tmp/data/postgresql.conf" >/dev/null <<CONF
shared_buffers = '4GB'
work_mem = '256MB'
maintenance_work_mem = '1GB'
max_wal_size = '8GB'
jit = off
CONF
cluster_start "$tmp"

export PGHOST=$tmp PGPORT=$port PGUSER=postgres PGDATABASE=postgres
psql -X -q -v ON_ERROR_STOP=1 -c "CREATE EXTENSION salesplan"
scale=${BENCH_SCALE:-250}
echo "bench: generating the sample CRM at scale $scale"
start=$(date +%s)
psql -X -q -v ON_ERROR_STOP=1 -v seed=42 -v scale="$scale" -f test/data/sample_crm.sql >/dev/null
echo "bench: generated in $(($(date +%s) - start)) s"
psql -X -q -v ON_ERROR_STOP=1 -f test/bench/lib.sql

mkdir -p test/bench/results
out=test/bench/results/$(date -u +%Y%m%dT%H%M%SZ).txt
{
    echo "salesplan bench, scale $scale, $(nproc) cores, PostgreSQL $(pg_config --version)${BENCH_SUITES:+, suites: $BENCH_SUITES}"
    echo "load at start: $(uptime)"
    for f in $(ls test/bench/*.sql | sort); do
        [ "$(basename "$f")" = lib.sql ] && continue
        if [ -n "${BENCH_SUITES:-}" ] &&
            ! printf ' %s ' $BENCH_SUITES | grep -q " $(basename "$f" .sql) "; then
            continue
        fi
        echo "bench: $f, load: $(uptime | sed 's/.*load average/load average/')"
        psql -X -q -v ON_ERROR_STOP=1 -v runs="${BENCH_RUNS:-5}" \
            -v long_entities="${BENCH_LONG_ENTITIES:-100000}" \
            -v linear_entities="${BENCH_LINEAR_ENTITIES:-300000}" -P pager=off -f "$f"
    done
    # ClickHouse's windowFunnel on the long-history rows (optional: installed
    # as root when missing, never needed by make test; see clickhouse.sh)
    if [ "$(psql -X -At -c "SELECT to_regclass('bench.long_events') IS NOT NULL")" = t ]; then
        echo "bench: test/bench/clickhouse.sh, load: $(uptime | sed 's/.*load average/load average/')"
        bash test/bench/clickhouse.sh || echo "bench: the ClickHouse comparison failed (see above)"
    fi
    echo "load at end: $(uptime)"
} | tee "$out"
echo "bench: results kept in $out"
