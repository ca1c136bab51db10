#!/usr/bin/env bash
# make test-citus: salesplan on a real Citus cluster (a coordinator and two
# workers), against Debian's PostgreSQL 15.  Checks that every salesplan
# aggregate (enumerated from the catalog) splits across the workers and
# gives a single node's answer, that the bindings read the same on
# distributed tables, and that results do not depend on the workers' time
# zone; and that the sample CRM distributed gives the demo reports of one
# node byte for byte (test/citus_demo.sh; alone: make demo-citus).  Ends
# with "N passed, M failed"; exits non-zero on a failure.
#
# Citus comes from ../shared/vendor/citus-12.1.12.tar.gz beside the
# repository ($SALESPLAN_CITUS_TARBALL overrides), built once per tarball
# (keyed by its sha256) into /var/tmp/salesplan-citus-* and installed into
# the server's directories from there; or, without the tarball, from an
# already installed Citus.  With neither, the test is skipped (exit 0).
# Nothing of Citus is copied into the repository.
set -euo pipefail
umask 022
cd "$(dirname "$0")/.."
repo=$(pwd)

PGV=15
TARBALL=${SALESPLAN_CITUS_TARBALL:-$repo/../shared/vendor/citus-12.1.12.tar.gz}
JOBS=${SALESPLAN_JOBS:-2}
BUILD_DEPS="libcurl4-openssl-dev liblz4-dev libzstd-dev libkrb5-dev gcc make"
# Bump when the build recipe below changes, so that old caches are rebuilt.
RECIPE=1

log() { echo "salesplan citus: $*"; }
die() {
    echo "salesplan citus: $*" >&2
    exit 1
}

PG_CONFIG=/usr/lib/postgresql/$PGV/bin/pg_config
installed_citus() {
    [ -x "$PG_CONFIG" ] &&
        [ -f "$("$PG_CONFIG" --pkglibdir)/citus.so" ] &&
        [ -f "$("$PG_CONFIG" --sharedir)/extension/citus.control" ]
}
if [ ! -f "$TARBALL" ] && ! installed_citus; then
    log "skipped: no Citus source ($TARBALL) and no Citus installed for PostgreSQL $PGV"
    exit 0
fi
start_all=$(date +%s)

bash test/deps.sh "$PGV"
export PG_CONFIG
. test/cluster.sh

# build_citus: builds the tarball once into $CACHE/root (a DESTDIR image of
# its "make install"), then installs that image into the server's
# directories when they do not hold the same files already.
build_citus() {
    local sha cache stamp pkg need=() src f
    sha=$(sha256sum "$TARBALL" | cut -c1-64)
    cache=/var/tmp/salesplan-citus-${sha:0:16}-pg$PGV
    stamp="$(basename "$TARBALL") sha256 $sha recipe $RECIPE $("$PG_CONFIG" --version)"
    exec 7>"$cache.lock"
    flock 7
    if [ "$(cat "$cache/.salesplan-build" 2>/dev/null)" != "$stamp" ]; then
        [ "$(id -u)" -eq 0 ] || die "building Citus needs root once (apt packages, install into $("$PG_CONFIG" --pkglibdir)); later runs use the cache in $cache"
        for pkg in $BUILD_DEPS; do
            dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || need+=("$pkg")
        done
        if [ ${#need[@]} -gt 0 ]; then
            log "installing ${need[*]}"
            DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 update -qq
            DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${need[@]}" >/dev/null
        fi
        log "building $(basename "$TARBALL") against $("$PG_CONFIG" --version) (make -j$JOBS; a few minutes)"
        local t0
        t0=$(date +%s)
        rm -rf "$cache" "$cache.build"
        mkdir -p "$cache.build"
        tar -xzf "$TARBALL" -C "$cache.build"
        src=$(find "$cache.build" -mindepth 1 -maxdepth 1 -type d | head -n 1)
        (
            cd "$src"
            PATH=$("$PG_CONFIG" --bindir):$PATH
            ./configure PG_CONFIG="$PG_CONFIG" >"$cache.build/configure.log" 2>&1 ||
                { tail -n 40 "$cache.build/configure.log" >&2; exit 1; }
            # No LLVM bitcode: it would need clang, and JIT is not under test.
            { make -j"$JOBS" with_llvm=no && make install with_llvm=no DESTDIR="$cache/root"; } \
                >"$cache.build/make.log" 2>&1 ||
                { tail -n 60 "$cache.build/make.log" >&2; exit 1; }
        ) || die "building Citus failed (logs in $cache.build)"
        echo "$stamp" >"$cache/.salesplan-build"
        rm -rf "$cache.build"
        log "Citus built in $(($(date +%s) - t0)) s and cached in $cache"
    fi
    # Install the image unless every file is already in place.
    local differs=
    while IFS= read -r f; do
        cmp -s "$cache/root/$f" "/$f" || { differs=1; break; }
    done < <(cd "$cache/root" && find . -type f ! -name '.*' | sed 's|^\./||')
    if [ -n "$differs" ]; then
        [ "$(id -u)" -eq 0 ] || die "installing Citus into $("$PG_CONFIG" --pkglibdir) needs root"
        log "installing Citus from $cache"
        tar -C "$cache/root" -cf - . | tar -C / -xf - --no-overwrite-dir
    fi
    flock -u 7
    exec 7>&-
}

if [ -f "$TARBALL" ]; then
    build_citus
fi
installed_citus || die "Citus is not installed after the build"
[ "${SALESPLAN_CITUS_BUILD_ONLY:-0}" = 1 ] && exit 0

# SALESPLAN_CITUS_REUSE=PORT (for working on this script): skip the build
# and the cluster, run the checks against the coordinator on PORT (one kept
# by SALESPLAN_CITUS_KEEP=1).
start_checks=
if [ -n "${SALESPLAN_CITUS_REUSE:-}" ]; then
    export PGHOST=127.0.0.1 PGUSER=postgres PGDATABASE=postgres PGPORT=$SALESPLAN_CITUS_REUSE
    psql_q() { psql -X -q -v ON_ERROR_STOP=1 "$@"; }
    psql_q -c 'SELECT salesplan.unbind(name) FROM salesplan.binding' -c 'DROP SCHEMA IF EXISTS lrep, drep CASCADE' -c 'DROP TABLE IF EXISTS l_event, d_event, l_state, d_state, l_opp, d_opp, l_opp_hist, d_opp_hist, l_account, d_account, l_activity, d_activity, l_milestone, d_milestone, l_ms_hist, d_ms_hist, l_tz_event, d_tz_event, l_tz_lead, d_tz_lead CASCADE' >/dev/null 2>&1
else
    # --- The cluster -----------------------------------------------------------
    # Installing salesplan into the server's directories and testing against
    # them is one critical section shared with "make test" (test/run.sh).
    make -s
    t_lock=$(date +%s)
    exec 9>"$(install_lock)"
    flock 9
    [ $(($(date +%s) - t_lock)) -lt 5 ] || log "waited $(($(date +%s) - t_lock)) s for the install lock ($(install_lock))"
    install_extension
    start_checks=$(date +%s)

    tmp=$(mktemp -d /tmp/salesplan-citus.XXXXXX)
    chmod 755 "$tmp"
    nodes="coord w1 w2"
    cleanup() {
        local n
        for n in $nodes; do cluster_stop "$tmp/$n"; done
        [ "${SALESPLAN_CITUS_KEEP:-0}" = 1 ] || rm -rf "$tmp"
    }
    trap cleanup EXIT

    # Workers in UTC, the coordinator in Berlin, the checking session (below) in
    # New York: no two agree, so a result that depends on TimeZone shows.
    port=56100
    for n in $nodes; do
        port=$(free_port "$port" 56999)
        cluster_init "$tmp/$n" "$port"
        case $n in
        coord) zone=Europe/Berlin ;;
        *) zone=UTC ;;
        esac
        as_cluster_owner tee -a "$tmp/$n/data/postgresql.conf" >/dev/null <<CONF
shared_preload_libraries = 'citus'
timezone = '$zone'
citus.node_conninfo = 'sslmode=disable'
citus.shard_count = 8
max_connections = 100
CONF
        cluster_start_any_port "$tmp/$n"
        port=$(($(cluster_port "$tmp/$n") + 1))
    done
    coord_port=$(cluster_port "$tmp/coord")
    export PGHOST=127.0.0.1 PGUSER=postgres PGDATABASE=postgres PGPORT=$coord_port
    psql_q() { psql -X -q -v ON_ERROR_STOP=1 "$@"; }
    for n in $nodes; do
        psql_q -p "$(cluster_port "$tmp/$n")" -c 'CREATE EXTENSION citus'
    done
    psql_q >/dev/null <<SQL
SELECT citus_set_coordinator_host('127.0.0.1', $coord_port);
SELECT citus_add_node('127.0.0.1', $(cluster_port "$tmp/w1"));
SELECT citus_add_node('127.0.0.1', $(cluster_port "$tmp/w2"));
CREATE EXTENSION salesplan;
SQL
    log "coordinator on port $coord_port, workers on $(cluster_port "$tmp/w1") and $(cluster_port "$tmp/w2") ($tmp)"
fi

passed=0
failed=0
pass() {
    echo "ok   $1"
    passed=$((passed + 1))
}
fail() {
    echo "FAIL $1"
    shift
    [ $# -eq 0 ] || printf '     %s\n' "$@"
    failed=$((failed + 1))
}
# q SQL: one psql call on the coordinator, unaligned, in the checking
# session's settings; prints the rows, or the error.
SESSION="SET TimeZone = '${SESSION_ZONE:-UTC}'; SET DateStyle = 'ISO, YMD'; SET extra_float_digits = 0; SET client_min_messages = error;"
q() {
    psql -X -q -At -v ON_ERROR_STOP=1 -c "$SESSION" -c "$1" 2>&1 || true
}

# finish: the run's time and counts; exits (non-zero after a failure).
finish() {
    local end_all
    end_all=$(date +%s)
    log "ran in $((end_all - start_all)) s${start_checks:+ (clusters and checks: $((end_all - start_checks)) s)}"
    echo "$passed passed, $failed failed"
    [ "$failed" -eq 0 ] || exit 1
    if [ "${SALESPLAN_CITUS_KEEP:-0}" = 1 ] && [ -z "${SALESPLAN_CITUS_REUSE:-}" ]; then
        trap - EXIT
        log "kept running (SALESPLAN_CITUS_KEEP=1); stop with: for n in $nodes; do pg_ctl -D $tmp/\$n/data stop; done"
    fi
    exit 0
}

# make demo-citus: only the sample CRM and the demo reports.
if [ "${SALESPLAN_CITUS_DEMO_ONLY:-0}" = 1 ]; then
    . test/citus_demo.sh
    finish
fi

# --- CRM-shaped data -------------------------------------------------------
# l_* tables are single-node copies on the coordinator; d_* the same rows
# distributed by account (or entity) id.  event: one row per lead or
# activity, with a column for every aggregate argument; state: one stored
# state of each type per account and segment, for the rollups.
psql_q >/dev/null <<'SQL'
SET TimeZone = 'UTC';
CREATE TABLE l_event AS
SELECT i AS id,
       1 + (i * 37) % 200 AS account_id,
       's' || (i % 5) AS segment,
       (h % 5)::int AS reached,
       CASE WHEN i % 9 = 0 THEN NULL ELSE (i::bigint * 104729 % 100000 / 100.0)::numeric(12, 2) END AS amount,
       (h % 100) / 100.0::float8 AS probability,
       (1 + h % 4)::int AS step,
       timestamp '2026-03-01' + (h * 613 % 1728000) * interval '1 second' AS ts,
       (timestamp '2026-03-01' + (h * 613 % 1728000) * interval '1 second') AT TIME ZONE 'UTC' AS tstz,
       h % 3 = 0 AS won,
       date '2026-01-01' + i % 90 AS started_d,
       CASE WHEN i % 4 = 0 THEN NULL ELSE date '2026-01-01' + i % 90 + h % 60 END AS ended_d,
       timestamptz '2026-01-01 00:00+00' + (i % 90) * interval '1 day' + (h % 24) * interval '1 hour' AS started_tz,
       CASE WHEN i % 4 = 0 THEN NULL
            ELSE timestamptz '2026-01-01 00:00+00' + (i % 90 + h % 60) * interval '1 day' + (h % 17) * interval '1 hour' END AS ended_tz,
       (h % 6)::int AS level,
       CASE WHEN h % 6 = 5 THEN (h * 13 % 5000)::numeric END AS won_amount,
       (1000 + h % 9000)::numeric AS potential,
       (1 + i % 3)::int AS version,
       CASE WHEN h % 4 = 3 THEN NULL ELSE h % 2 = 0 END AS accepted,
       timestamptz '2026-02-01 09:00+00' + (h % 40) * interval '1 day' AS requested_at,
       CASE WHEN h % 5 = 4 THEN NULL
            ELSE timestamptz '2026-02-01 09:00+00' + (h % 40) * interval '1 day' + (h % 11) * interval '1 day' END AS delivered_at,
       (5 + h % 5)::int AS due_days,
       timestamptz '2026-03-01 00:00+00' + (h * 7 % 2000) * interval '1 hour' AS occurred_at,
       (i % 50)::bigint AS contact_id,
       date '2026-04-01' + h % 100 AS planned,
       CASE WHEN h % 3 = 0 THEN NULL ELSE date '2026-04-01' + h % 100 + (h % 21 - 7) END AS actual,
       (1 + h % 4)::numeric AS weight,
       date '2026-01-01' + i % 60 AS reported,
       date '2026-06-01' + (i % 60) / 3 + h % 5 AS forecast
FROM (SELECT i, ((i::bigint * 7919) % 1009)::int AS h FROM generate_series(1, 6000) AS i) s;
CREATE TABLE d_event (LIKE l_event);
SELECT create_distributed_table('d_event', 'account_id');
INSERT INTO d_event SELECT * FROM l_event;
CREATE TABLE l_state AS
SELECT account_id, segment,
       salesplan.funnel_agg(reached, amount, 4) AS funnel,
       salesplan.outcome_agg(started_d, ended_d, won, date '2026-06-30') AS outcomes,
       salesplan.funnel_event_agg(interval '1 day', ts, step) AS funnel_events,
       salesplan.coverage_agg(level, won_amount, potential) AS coverage,
       salesplan.proposal_agg(version, accepted, requested_at, delivered_at, due_days) AS proposals,
       salesplan.touch_agg(occurred_at, contact_id) AS touches,
       salesplan.schedule_agg(planned, actual, weight) AS schedule
FROM l_event GROUP BY account_id, segment;
CREATE TABLE d_state (LIKE l_state);
SELECT create_distributed_table('d_state', 'account_id');
INSERT INTO d_state SELECT * FROM l_state;
SQL

# --- Every aggregate: split across the workers, equal to one node ----------
# The arguments of each aggregate, by signature (as regprocedure prints it):
# "table|arguments" with table event or state.  An aggregate of the
# extension missing here fails the run: add its line.
declare -A AGG_ARGS=(
    ['salesplan.funnel_agg(integer,numeric)']='event|reached, amount'
    ['salesplan.funnel_agg(integer,numeric,integer)']='event|reached, amount, 4'
    ['salesplan.rollup(salesplan.funnel)']='state|funnel'
    ['salesplan.outcome_agg(date,date,boolean,date)']="event|started_d, ended_d, won, date '2026-06-30'"
    ['salesplan.outcome_agg(timestamp with time zone,timestamp with time zone,boolean,timestamp with time zone)']="event|started_tz, ended_tz, won, timestamptz '2026-06-30 00:00+00'"
    ['salesplan.rollup(salesplan.outcomes)']='state|outcomes'
    ['salesplan.window_funnel(interval,timestamp without time zone,integer)']="event|interval '1 day', ts, step"
    ['salesplan.window_funnel(interval,timestamp without time zone,integer,text)']="event|interval '1 day', ts, step, 'strict_increase'"
    ['salesplan.window_funnel(interval,timestamp with time zone,integer)']="event|interval '1 day', tstz, step"
    ['salesplan.window_funnel(interval,timestamp with time zone,integer,text)']="event|interval '1 day', tstz, step, 'strict_increase'"
    ['salesplan.window_funnel(interval,timestamp without time zone,integer,text,text)']="event|interval '1 day', ts, step, '', 'America/New_York'"
    ['salesplan.window_funnel(interval,timestamp with time zone,integer,text,text)']="event|interval '1 day', tstz, step, '', 'America/New_York'"
    ['salesplan.window_funnel_times(interval,timestamp without time zone,integer)']="event|interval '1 day', ts, step"
    ['salesplan.window_funnel_times(interval,timestamp without time zone,integer,text)']="event|interval '1 day', ts, step, 'strict_increase'"
    ['salesplan.window_funnel_times(interval,timestamp with time zone,integer)']="event|interval '1 day', tstz, step"
    ['salesplan.window_funnel_times(interval,timestamp with time zone,integer,text)']="event|interval '1 day', tstz, step, 'strict_increase'"
    ['salesplan.window_funnel_times(interval,timestamp without time zone,integer,text,text)']="event|interval '1 day', ts, step, '', 'America/New_York'"
    ['salesplan.window_funnel_times(interval,timestamp with time zone,integer,text,text)']="event|interval '1 day', tstz, step, '', 'America/New_York'"
    ['salesplan.funnel_event_agg(interval,timestamp without time zone,integer)']="event|interval '1 day', ts, step"
    ['salesplan.funnel_event_agg(interval,timestamp without time zone,integer,text)']="event|interval '1 day', ts, step, 'strict_increase'"
    ['salesplan.funnel_event_agg(interval,timestamp with time zone,integer)']="event|interval '1 day', tstz, step"
    ['salesplan.funnel_event_agg(interval,timestamp with time zone,integer,text)']="event|interval '1 day', tstz, step, 'strict_increase'"
    ['salesplan.funnel_event_agg(interval,timestamp without time zone,integer,text,text)']="event|interval '1 day', ts, step, '', 'America/New_York'"
    ['salesplan.funnel_event_agg(interval,timestamp with time zone,integer,text,text)']="event|interval '1 day', tstz, step, '', 'America/New_York'"
    ['salesplan.rollup(salesplan.funnel_events)']='state|funnel_events'
    ['salesplan.weighted_pipeline(numeric,double precision)']='event|amount, probability'
    ['salesplan.coverage_agg(integer,numeric,numeric)']='event|level, won_amount, potential'
    ['salesplan.rollup(salesplan.coverage)']='state|coverage'
    ['salesplan.proposal_agg(integer,boolean,timestamp with time zone,timestamp with time zone,integer)']='event|version, accepted, requested_at, delivered_at, due_days'
    ['salesplan.rollup(salesplan.proposals)']='state|proposals'
    ['salesplan.touch_agg(timestamp with time zone,bigint)']='event|occurred_at, contact_id'
    ['salesplan.rollup(salesplan.touches)']='state|touches'
    ['salesplan.schedule_agg(date,date,numeric)']='event|planned, actual, weight'
    ['salesplan.schedule_agg(date,date,numeric,date)']="event|planned, actual, weight, date '2026-04-01'"
    ['salesplan.rollup(salesplan.schedule)']='state|schedule'
    ['salesplan.slip_trend(date,date)']='event|reported, forecast'
)

aggs=$(q "SELECT p.oid::regprocedure FROM pg_proc p
          JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
          JOIN pg_extension e ON d.refclassid = 'pg_extension'::regclass AND d.refobjid = e.oid
          WHERE e.extname = 'salesplan' AND p.prokind = 'a' ORDER BY 1")
naggs=$(printf '%s\n' "$aggs" | grep -c .)
log "$naggs aggregates in the catalog"
covered=0
while IFS= read -r sig; do
    spec=${AGG_ARGS[$sig]:-}
    if [ -z "$spec" ]; then
        fail "$sig: no arguments for it in AGG_ARGS (test/citus.sh); add a line"
        continue
    fi
    rel=${spec%%|*}
    args=${spec#*|}
    name=${sig%%(*}
    ok=1
    for by in segment none; do
        if [ $by = segment ]; then
            sel="segment, " grp=" GROUP BY segment ORDER BY segment"
        else
            sel="" grp=""
        fi
        dq="SELECT $sel$name($args)::text FROM d_$rel$grp"
        lq="SELECT $sel$name($args)::text FROM l_$rel$grp"
        plan=$(q "EXPLAIN (VERBOSE, COSTS OFF) $dq")
        if ! grep -q "coord_combine_agg(" <<<"$plan" ||
            ! grep -qF "worker_partial_agg('$sig'::regprocedure" <<<"$plan" ||
            ! grep -qE "Task Count: ([2-9]|[1-9][0-9])" <<<"$plan"; then
            fail "$sig, group by $by: not split across the workers" "$dq" "$(head -n 12 <<<"$plan")"
            ok=0
            continue
        fi
        dist=$(q "$dq")
        local_=$(q "$lq")
        if [ "$dist" != "$local_" ]; then
            fail "$sig, group by $by: distributed result differs from one node's" "$dq" \
                "$(diff <(echo "$local_") <(echo "$dist") | head -n 6)"
            ok=0
            continue
        fi
        if [ -z "$dist" ] || grep -q '^ERROR' <<<"$dist"; then
            fail "$sig, group by $by: no result" "$dq" "$dist"
            ok=0
            continue
        fi
    done
    if [ $ok = 1 ]; then
        pass "$sig: split across the workers (by segment and ungrouped), equal to one node"
        covered=$((covered + 1))
    fi
done <<<"$aggs"
log "$covered of $naggs aggregates split and equal"

# --- Bindings on distributed tables ----------------------------------------
# The same bindings over the single-node tables (schema lrep, names l_*) and
# the distributed ones (drep, d_*); every view must read the same rows.
# Opportunities are distributed by account (the CRM's tenant key), their
# stage history by opportunity: a join of the two is not on distribution
# columns, which Citus runs only when one side can be planned on its own
# (a subquery in FROM, not a correlated one).  Accounts and activities are
# distributed by account, milestones and their forecast history by
# milestone (co-located).
psql_q >/dev/null <<'SQL'
SET TimeZone = 'UTC';
CREATE TABLE l_opp AS
SELECT i AS id, 1 + i % 120 AS account_id, 'rep' || (i % 7) AS owner,
       CASE WHEN i % 11 = 0 THEN NULL ELSE (h % 5)::int END AS stage,
       CASE WHEN i % 9 = 0 THEN NULL ELSE (h * 37 % 50000)::numeric(12, 2) END AS amount,
       h % 5 = 4 AS won, h % 5 = 4 OR h % 7 = 0 AS closed,
       timestamptz '2026-01-01 00:00+00' + (h * 7717 % 15552000) * interval '1 second' AS created_at,
       date '2026-02-01' + h % 150 AS close_date
FROM (SELECT i, ((i::bigint * 7919) % 1009)::int AS h FROM generate_series(1, 2000) AS i) s;
CREATE TABLE l_opp_hist AS
SELECT o.id AS opportunity_id, s AS stage,
       o.created_at + (s * (o.id % 13)) * interval '1 day' + (o.id % 5) * interval '1 hour' AS changed_at
FROM l_opp o CROSS JOIN LATERAL generate_series(1, 1 + (o.id * 31) % 4) AS s;
CREATE TABLE l_account AS
SELECT i AS id, 'rep' || (i % 7) AS owner, (1000 * (1 + i % 17))::numeric AS potential
FROM generate_series(1, 120) AS i;
CREATE TABLE l_activity AS
SELECT 1 + (i * 13) % 120 AS account_id, date '2026-01-01' + (i * 7) % 180 AS activity_date,
       i % 3 = 0 AS two_way, (i % 40)::bigint AS contact_id
FROM generate_series(1, 1500) AS i;
CREATE TABLE l_milestone AS
SELECT i AS id, 1 + i % 12 AS project_id, date '2026-03-01' + (i * 5) % 150 AS planned,
       CASE WHEN i % 3 = 0 THEN NULL ELSE date '2026-03-01' + (i * 5) % 150 + (i % 9 - 3) END AS actual,
       i % 3 <> 0 AS reached, (1 + i % 4)::numeric AS weight
FROM generate_series(1, 300) AS i;
CREATE TABLE l_ms_hist AS
SELECT m.id AS milestone_id, date '2026-01-05' + w * 7 AS reported, m.planned + w * (m.id % 3) AS forecast
FROM l_milestone m CROSS JOIN generate_series(0, 3) AS w;
CREATE TABLE d_opp (LIKE l_opp);
CREATE TABLE d_opp_hist (LIKE l_opp_hist);
CREATE TABLE d_account (LIKE l_account);
CREATE TABLE d_activity (LIKE l_activity);
CREATE TABLE d_milestone (LIKE l_milestone);
CREATE TABLE d_ms_hist (LIKE l_ms_hist);
SELECT create_distributed_table('d_opp', 'account_id');
SELECT create_distributed_table('d_opp_hist', 'opportunity_id');
SELECT create_distributed_table('d_account', 'id');
SELECT create_distributed_table('d_activity', 'account_id', colocate_with => 'd_account');
SELECT create_distributed_table('d_milestone', 'id');
SELECT create_distributed_table('d_ms_hist', 'milestone_id', colocate_with => 'd_milestone');
INSERT INTO d_opp SELECT * FROM l_opp;
INSERT INTO d_opp_hist SELECT * FROM l_opp_hist;
INSERT INTO d_account SELECT * FROM l_account;
INSERT INTO d_activity SELECT * FROM l_activity;
INSERT INTO d_milestone SELECT * FROM l_milestone;
INSERT INTO d_ms_hist SELECT * FROM l_ms_hist;
CREATE SCHEMA lrep;
CREATE SCHEMA drep;
SQL

# binding_case NAME CALL: runs CALL (a salesplan.bind_* call with $S for the
# schema, $B for the binding name and $T_ for the table prefix) once per
# side, then compares every view it created.  No expected failures: every
# case must read the same on the distributed tables.
binding_case() {
    local name=$1 call=$2 side lcall dcall lviews dviews v dv lrows drows bad=
    lcall=${call//\$S/lrep}
    lcall=${lcall//\$B/l_$name}
    lcall=${lcall//\$T_/l_}
    dcall=${call//\$S/drep}
    dcall=${dcall//\$B/d_$name}
    dcall=${dcall//\$T_/d_}
    lviews=$(q "SELECT * FROM $lcall")
    if grep -q '^ERROR' <<<"$lviews" || [ -z "$lviews" ]; then
        fail "binding $name: binding the single-node tables failed" "$lviews"
        return
    fi
    dviews=$(q "SELECT * FROM $dcall")
    if grep -q '^ERROR' <<<"$dviews" || [ -z "$dviews" ]; then
        bad="binding the distributed tables: $dviews"
    else
        for v in $lviews; do
            dv=${v/lrep.l_/drep.d_}
            lrows=$(q "SELECT * FROM $v" | LC_ALL=C sort)
            drows=$(q "SELECT * FROM $dv" | LC_ALL=C sort)
            if grep -q '^ERROR' <<<"$drows"; then
                bad="reading $dv: $drows"
                break
            elif [ "$lrows" != "$drows" ]; then
                bad="$dv differs from $v: $(diff <(echo "$lrows") <(echo "$drows") | head -n 5)"
                break
            elif [ -z "$lrows" ]; then
                bad="$v is empty: the case tests nothing"
                break
            fi
        done
    fi
    if [ -z "$bad" ]; then
        pass "binding $name: reads the same on distributed tables ($(wc -w <<<"$lviews") views)"
    else
        fail "binding $name: $bad"
    fi
}

FUNNEL="salesplan.bind_funnel('\$B', '\$S', '\$T_opp', 'stage', amount_column => 'amount',
    period_column => 'created_at', period => 'month', dimensions => '{owner}', stages => 4,
    won_column => 'won', closed_column => 'closed', account_column => 'account_id',
    opened_column => 'created_at', closed_date_column => 'close_date'"
HISTORY="history_table => '\$T_opp_hist', history_key => 'opportunity_id', entity_key => 'id'"
binding_case funnel "$FUNNEL)"
binding_case funnel_mat "$FUNNEL, materialized => true)"
binding_case funnel_hist "$FUNNEL, $HISTORY)"
binding_case funnel_hist_mat "$FUNNEL, $HISTORY, materialized => true)"
# the per-stage censoring-aware columns from the history's dates (issue 11)
binding_case funnel_hist_open "$FUNNEL, $HISTORY, history_time => 'changed_at', win_horizon => '30 days')"
binding_case funnel_hist_open_mat "$FUNNEL, $HISTORY, history_time => 'changed_at', materialized => true)"
WFUNNEL="salesplan.bind_window_funnel('\$B', '\$S', '\$T_opp_hist', 'opportunity_id', 'changed_at', 'stage',
    within => '30 days', stages => 4, entity_table => '\$T_opp', entity_key => 'id',
    period_column => 'created_at', dimensions => '{owner}'"
binding_case window_funnel "$WFUNNEL)"
binding_case window_funnel_mat "$WFUNNEL, materialized => true)"
COVERAGE="salesplan.bind_coverage('\$B', '\$S', '\$T_account', 'id', potential_column => 'potential',
    dimensions => '{owner}', activities => '\$T_activity', activity_account => 'account_id',
    activity_date => 'activity_date', activity_two_way => 'two_way', activity_contact => 'contact_id',
    period_start => '2026-01-01', period_end => '2026-07-01', as_of => '2026-06-30'"
binding_case coverage "$COVERAGE)"
binding_case coverage_mat "$COVERAGE, materialized => true)"
MILESTONES="salesplan.bind_milestones('\$B', '\$S', '\$T_milestone', 'project_id', 'planned',
    actual_column => 'actual', reached_column => 'reached', weight_column => 'weight', as_of => '2026-06-30'"
MS_HISTORY="history_table => '\$T_ms_hist', milestone_key => 'id', history_key => 'milestone_id',
    history_reported => 'reported', history_forecast => 'forecast'"
binding_case milestones "$MILESTONES)"
binding_case milestones_mat "$MILESTONES, materialized => true)"
binding_case milestones_hist "$MILESTONES, $MS_HISTORY)"


# --- Time zone: workers in UTC, the session in New York --------------------
# Citus does not pass the session's TimeZone to the workers.  Grouped by the
# distribution column, window_funnel runs wholly on a worker; with the zone
# as an argument it gives the single-node answer of a New York session.
# 400 entities: step 1 between 12:00 and 19:59 UTC on 7 March 2026, step 2
# 22 h 30 min (odd entities) or 23 h 30 min (even) later, step 3 one to
# five hours after step 2.  New York's clocks move
# the night between (a day there is 23 hours), so with a '1 day' window the
# level depends on the zone.
psql_q >/dev/null <<'SQL'
CREATE TABLE l_tz_event AS
SELECT e AS entity_id, s AS step,
       timestamptz '2026-03-07 12:00+00' + (e % 480) * interval '1 minute'
         + CASE WHEN s = 1 THEN interval '0'
                WHEN e % 2 = 0 THEN interval '23 hours 30 minutes'
                ELSE interval '22 hours 30 minutes' END
         + CASE WHEN s = 3 THEN (1 + e % 5) * interval '1 hour' ELSE interval '0' END AS ts
FROM generate_series(1, 400) AS e CROSS JOIN generate_series(1, 3) AS s;
CREATE TABLE d_tz_event (LIKE l_tz_event);
SELECT create_distributed_table('d_tz_event', 'entity_id');
INSERT INTO d_tz_event SELECT * FROM l_tz_event;
-- 3,000 leads created from 20:00 UTC on 31 March 2026, one every 12
-- seconds for 10 hours: 2,400 in March and 600 in April in New York, 1,200
-- and 1,800 in UTC.
CREATE TABLE l_tz_lead AS
SELECT i AS id, (i % 5)::int AS stage,
       timestamptz '2026-03-31 20:00+00' + (i - 1) * interval '12 seconds' AS created_at
FROM generate_series(1, 3000) AS i;
CREATE TABLE d_tz_lead (LIKE l_tz_lead);
SELECT create_distributed_table('d_tz_lead', 'id');
INSERT INTO d_tz_lead SELECT * FROM l_tz_lead;
SQL
NY="SET TimeZone = 'America/New_York';"
level_sql() { # level_sql TABLE FORM: entity_id|level per entity
    echo "SELECT entity_id, salesplan.window_funnel('1 day', ts, step$2) FROM $1 GROUP BY entity_id ORDER BY entity_id"
}
single=$(q "$NY $(level_sql l_tz_event '')")
differ_implicit=$(diff <(echo "$single") <(q "$NY $(level_sql d_tz_event '')") | grep -c '^>' || true)
log "window_funnel('1 day', timestamptz) without a zone, distributed, New York session: $differ_implicit of 400 entities differ from one node (computed in the workers' UTC)"
if [ "$(q "SELECT count(*) FROM pg_proc WHERE oid::regprocedure::text = 'salesplan.window_funnel(interval,timestamp with time zone,integer,text,text)'")" = 0 ]; then
    fail "time zone: salesplan.window_funnel(interval, timestamptz, int, text, text) does not exist"
else
    explicit=$(q "$NY $(level_sql d_tz_event ", '', 'America/New_York'")")
    explicit_local=$(q "SET TimeZone = 'UTC'; $(level_sql l_tz_event ", '', 'America/New_York'")")
    levels=$(cut -d'|' -f2 <<<"$single" | sort | uniq -c | awk '{printf "%s%s x level %s", sep, $1, $2; sep=", "}')
    if [ "$explicit" = "$single" ] && [ "$explicit_local" = "$single" ] && [ "$(grep -c . <<<"$single")" = 400 ]; then
        pass "time zone: window_funnel('1 day', ts, step, '', 'America/New_York') grouped by entity on the workers (UTC) equals a New York session on one node ($levels)"
    else
        fail "time zone: window_funnel with the zone argument differs from one node" \
            "distributed: $(diff <(echo "$single") <(echo "$explicit") | grep -c '^>') entities differ; single node in UTC: $(diff <(echo "$single") <(echo "$explicit_local") | grep -c '^>')"
    fi
    # the funnel_events state records the zone, and a rollup keeps it
    st=$(q "SELECT salesplan.funnel_event_agg('1 day', ts, step, '', 'America/New_York')::text FROM d_tz_event WHERE entity_id = 7")
    if [[ $st == *";America/New_York;"* ]]; then
        pass "time zone: the funnel_events state built on a worker records the zone"
    else
        fail "time zone: the funnel_events state built on a worker does not record the zone" "$st"
    fi
fi
# Period bucketing of a binding: months of a timestamptz column.
march_april=$(q "$NY SELECT count(*) FILTER (WHERE created_at < timestamptz '2026-04-01 00:00 America/New_York')
                        || '/' || count(*) FILTER (WHERE created_at >= timestamptz '2026-04-01 00:00 America/New_York')
                 FROM l_tz_lead")
# Bound in a New York session without a time_zone argument (the binding
# records the session's zone at bind time, spec time_zone) and in a UTC
# session with time_zone => 'America/New_York': both bucket on New York's
# calendar wherever the view is read, on one node and on the UTC workers.
for side in l d; do
    q "$NY SELECT * FROM salesplan.bind_funnel('${side}_tz', '${side}rep', '${side}_tz_lead', 'stage',
           period_column => 'created_at', period => 'month', stages => 4)" >/dev/null
    q "SELECT * FROM salesplan.bind_funnel('${side}_tza', '${side}rep', '${side}_tz_lead', 'stage',
           period_column => 'created_at', period => 'month', stages => 4, time_zone => 'America/New_York')" >/dev/null
done
lper=$(q "$NY SELECT period, population FROM lrep.l_tz ORDER BY 1")
dper=$(q "$NY SELECT period, population FROM drep.d_tz ORDER BY 1")
dper_utc=$(q "SELECT period, population FROM drep.d_tz ORDER BY 1")
dper_arg=$(q "SELECT period, population FROM drep.d_tza ORDER BY 1")
recorded=$(q "SELECT string_agg(coalesce(spec ->> 'time_zone', '(none)'), ' ' ORDER BY name) FROM salesplan.binding WHERE name IN ('l_tz', 'd_tz', 'l_tza', 'd_tza')")
log "binding periods: single node $(echo $lper), distributed $(echo $dper), read in UTC $(echo $dper_utc), bound with time_zone $(echo $dper_arg) (plain SQL: $march_april; zones recorded: $recorded)"
if [ "$lper" = "$(printf '2026-03-01|%s\n2026-04-01|%s' "${march_april%/*}" "${march_april#*/}")" ] && [ "$dper" = "$lper" ] \
   && [ "$dper_utc" = "$lper" ] && [ "$dper_arg" = "$lper" ]; then
    pass "time zone: binding periods of a timestamptz column on distributed tables equal one node's and plain SQL's, bound in a New York session or with time_zone => 'America/New_York', read in New York or UTC"
else
    fail "time zone: binding periods of a timestamptz column differ" "single node: $(echo $lper)" "distributed: $(echo $dper)" "distributed, UTC session: $(echo $dper_utc)" "distributed, time_zone argument: $(echo $dper_arg)" "plain SQL: $march_april"
fi

# --- The sample CRM and the demo reports (test/citus_demo.sh) ---------------
. test/citus_demo.sh
finish
