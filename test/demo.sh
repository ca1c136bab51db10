#!/usr/bin/env bash
# make demo / make demo-stop: a local cluster that stays up, with the sample
# CRM loaded and each paradigm's report printed.  Safe to re-run: the
# cluster, the port, the extension (with the user's bindings) and the sample
# CRM of the same DEMO_SCALE are kept.  DEMO_PORT (default: the last run's,
# else 5499) and DEMO_SCALE (default 1) are read from the environment.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)

DEMO_DB=salesplan_demo
DEMO_SCALE=${DEMO_SCALE:-1}
# The demo's own bindings (test/data/demo_*.sql re-create them).
DEMO_BINDINGS="'crm_pipeline', 'crm_targets', 'crm_delivery', 'crm_leads', 'olist_funnel'"

say() { echo "salesplan demo: $*"; }
die() {
    echo "salesplan demo: $*" >&2
    exit 1
}

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

# port_busy PORT: true when something listens on 127.0.0.1:PORT.
port_busy() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
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

# The port: DEMO_PORT, else the one the last run used (demo-data/port), else
# 5499.  Checked before anything is built, installed or written.
dir=$(demo_dir)
saved_port=$(cat "$dir/port" 2>/dev/null || true)
port=${DEMO_PORT:-${saved_port:-5499}}
case $port in
'' | *[!0-9]*) die "DEMO_PORT must be a port number, not '$port'" ;;
esac
[ "$port" -ge 1024 ] && [ "$port" -le 65535 ] || die "DEMO_PORT must be in 1024-65535, not $port"

# Our own server, if it runs, holds the port it was started with.
running_port=
if [ -f "$dir/data/postmaster.pid" ]; then
    running_port=$(sed -n 4p "$dir/data/postmaster.pid" 2>/dev/null || true)
    pid=$(sed -n 1p "$dir/data/postmaster.pid" 2>/dev/null || true)
    { [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; } || running_port=
fi
if [ "$port" != "$running_port" ] && port_busy "$port"; then
    suggest=
    for p in $(seq $((port + 1)) $((port + 200))); do
        [ "$p" -le 65535 ] || break
        port_busy "$p" || {
            suggest=$p
            break
        }
    done
    if [ -n "$suggest" ]; then
        die "port $port is in use by another program; run: DEMO_PORT=$suggest make demo"
    fi
    die "port $port is in use by another program, and so are the 200 after it; run: DEMO_PORT=<a free port> make demo"
fi

bash test/deps.sh
. test/cluster.sh

make -s
(
    flock 9
    install_extension
) 9>/tmp/salesplan-test.lock

if [ ! -f "$dir/data/PG_VERSION" ]; then
    say "creating a cluster in $dir (port $port)"
    # a half-made data directory (an earlier run stopped in initdb) goes
    rm -rf "$dir/data"
    cluster_init "$dir" "$port" "$DEMO_DB" || {
        rm -rf "$dir/data"
        die "initdb failed (see $dir/initdb.log)"
    }
fi
if [ -n "$running_port" ] && [ "$running_port" != "$port" ]; then
    say "moving the demo server from port $running_port to $port"
    cluster_stop "$dir"
    running_port=
fi
if [ -z "$running_port" ]; then
    # the port is the last "port =" line of postgresql.conf (cluster_init
    # appends it): set it to this run's port
    as_cluster_owner sed -i "s/^port = .*/port = $port/" "$dir/data/postgresql.conf"
    cluster_start "$dir" 2>/dev/null || {
        why=$(grep -E 'FATAL|ERROR|could not' "$dir/server.log" 2>/dev/null | tail -1 || true)
        die "the server did not start on port $port${why:+: ${why#*:  }} (log: $dir/server.log)"
    }
fi
echo "$port" >"$dir/port"

export PGHOST=$dir PGPORT=$port PGUSER=postgres
psql_q() { psql -X -q -v ON_ERROR_STOP=1 "$@"; }

psql_q -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$DEMO_DB'" | grep -q 1 ||
    psql_q -d postgres -c "CREATE DATABASE $DEMO_DB"

# The extension is kept, and with it the user's bindings (the rows of
# salesplan.binding) and everything built on it: created when missing,
# otherwise updated in place to the installed version.  Never dropped.
installed=$(psql_q -d "$DEMO_DB" -tAc "SELECT extversion FROM pg_extension WHERE extname = 'salesplan'")
if [ -z "$installed" ]; then
    PGOPTIONS='-c client_min_messages=warning' psql_q -d "$DEMO_DB" -c "CREATE EXTENSION salesplan"
else
    PGOPTIONS='-c client_min_messages=warning' psql_q -d "$DEMO_DB" -c "ALTER EXTENSION salesplan UPDATE"
fi
say "extension salesplan $(psql_q -d "$DEMO_DB" -tAc "SELECT extversion FROM pg_extension WHERE extname = 'salesplan'")${installed:+ (kept: bindings and objects built on it stay)}"

# The sample CRM is generated once per scale: re-generating drops schema crm
# (and with it whatever was built on it), so it is kept while DEMO_SCALE is
# the one it was made with.
have_crm=$(psql_q -d "$DEMO_DB" -tAc "SELECT to_regclass('crm.opportunity') IS NOT NULL")
if [ "$have_crm" = t ] && [ "$(cat "$dir/crm-scale" 2>/dev/null || true)" = "$DEMO_SCALE" ]; then
    say "the sample CRM (schema crm, scale $DEMO_SCALE, seed 42) is already there: kept"
else
    say "generating the sample CRM (schema crm, scale $DEMO_SCALE, seed 42)"
    start=$(date +%s)
    rm -f "$dir/crm-scale"
    psql_q -d "$DEMO_DB" -v seed=42 -v scale="$DEMO_SCALE" -f test/data/sample_crm.sql >/dev/null ||
        die "the sample CRM was not generated (DEMO_SCALE=$DEMO_SCALE)"
    echo "$DEMO_SCALE" >"$dir/crm-scale"
    say "generated in $(($(date +%s) - start)) s"
    # a new crm dropped the views of bindings over it: rebuild the user's
    # (the demo's own are re-created below)
    psql_q -d "$DEMO_DB" <<SQL
SET client_min_messages = warning;
DO \$\$
DECLARE
    b text;
BEGIN
    FOR b IN SELECT name FROM salesplan.binding WHERE name NOT IN ($DEMO_BINDINGS) ORDER BY name LOOP
        BEGIN
            PERFORM salesplan.regenerate(b);
            RAISE WARNING 'salesplan demo: binding % rebuilt over the new sample CRM', b;
        EXCEPTION WHEN OTHERS THEN
            RAISE WARNING 'salesplan demo: binding % not rebuilt: %', b, SQLERRM;
        END;
    END LOOP;
END
\$\$;
SQL
fi

# Olist's public marketing-funnel data, read in place from ../shared/data
# beside the repository when it is there (never copied).
shared=$(cd "$repo/.." && pwd)/shared
if [ -d "$shared/data/olist-marketing-funnel" ]; then
    export SALESPLAN_SHARED=$shared
else
    unset SALESPLAN_SHARED
fi

# One report per paradigm; each script exists once its paradigm has landed.
# The paradigm report comes first: it binds the sample CRM (views in schema
# reports) that the other reports read.
for report in demo_paradigm demo_funnel demo_coverage demo_schedule; do
    f=test/data/$report.sql
    [ -f "$f" ] || continue
    psql -X -q -v ON_ERROR_STOP=1 -P pager=off -d "$DEMO_DB" -f "$f" || die "report $f failed"
done

cat <<MSG

The demo cluster stays up.  Explore it with:

    psql -h $dir -p $port -U postgres $DEMO_DB

(or: psql "host=127.0.0.1 port=$port user=postgres dbname=$DEMO_DB")
Try: \\dx+ salesplan    \\dt crm.*    SELECT * FROM salesplan.stages((SELECT salesplan.funnel_agg(3, 100.0, 5)));
Stop it with: make demo-stop
MSG
