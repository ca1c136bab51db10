#!/usr/bin/env bash
# make demo / make demo-stop: a local cluster that stays up, with the sample
# CRM loaded and each paradigm's report printed.  Safe to re-run: an existing
# demo cluster is reused and the sample data regenerated.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)

DEMO_PORT=${DEMO_PORT:-5499}
DEMO_DB=salesplan_demo
DEMO_SCALE=${DEMO_SCALE:-1}

# The data directory lives under the repository (ignored by git).  When the
# cluster must run as "postgres" (we are root) and that user cannot reach
# the repository (a checkout under /root, say), fall back to /var/tmp.
demo_dir() {
    local d=$repo/demo-data
    if [ "$(id -u)" -eq 0 ] && ! runuser -u postgres -- test -x "$repo"; then
        d=/var/tmp/salesplan-demo
    fi
    echo "$d"
}

case "${1:-start}" in
stop)
    . test/cluster.sh 2>/dev/null || exit 0
    dir=$(demo_dir)
    cluster_stop "$dir"
    echo "salesplan demo stopped (data kept in $dir; remove it to start afresh)"
    exit 0
    ;;
start) ;;
*)
    echo "usage: $0 start|stop" >&2
    exit 2
    ;;
esac

bash test/deps.sh
. test/cluster.sh

make -s
(
    flock 9
    install_extension
) 9>/tmp/salesplan-test.lock

dir=$(demo_dir)
if [ ! -f "$dir/data/PG_VERSION" ]; then
    echo "salesplan demo: creating a cluster in $dir (port $DEMO_PORT)"
    cluster_init "$dir" "$DEMO_PORT" "$DEMO_DB"
fi
if ! as_cluster_owner "$PG_BINDIR/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
    cluster_start "$dir"
fi

export PGHOST=$dir PGPORT=$DEMO_PORT PGUSER=postgres
psql_q() { psql -X -q -v ON_ERROR_STOP=1 "$@"; }

psql_q -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$DEMO_DB'" | grep -q 1 ||
    psql_q -d postgres -c "CREATE DATABASE $DEMO_DB"
# Recreate the extension so a rebuilt install script is picked up.
PGOPTIONS='-c client_min_messages=warning' psql_q -d "$DEMO_DB" \
    -c "DROP EXTENSION IF EXISTS salesplan CASCADE" -c "CREATE EXTENSION salesplan"

echo "salesplan demo: generating the sample CRM (schema crm, scale $DEMO_SCALE, seed 42)"
start=$(date +%s)
psql_q -d "$DEMO_DB" -v seed=42 -v scale="$DEMO_SCALE" -f test/data/sample_crm.sql >/dev/null
echo "salesplan demo: generated in $(($(date +%s) - start)) s"

# One report per paradigm; each script exists once its paradigm has landed.
# The paradigm report comes first: it binds the sample CRM (views in schema
# reports) that the other reports read.
for report in demo_paradigm demo_funnel demo_coverage demo_schedule; do
    f=test/data/$report.sql
    [ -f "$f" ] || continue
    psql -X -q -v ON_ERROR_STOP=1 -P pager=off -d "$DEMO_DB" -f "$f"
done

cat <<MSG

The demo cluster stays up.  Explore it with:

    psql -h $dir -p $DEMO_PORT -U postgres $DEMO_DB

(or: psql "host=127.0.0.1 port=$DEMO_PORT user=postgres dbname=$DEMO_DB")
Try: \\dx+ salesplan    \\dt crm.*    SELECT * FROM salesplan.stages((SELECT salesplan.funnel_agg(3, 100.0, 5)));
Stop it with: make demo-stop
MSG
