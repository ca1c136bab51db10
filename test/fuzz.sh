#!/usr/bin/env bash
# make fuzz: sqlsmith (Debian package) against a throwaway cluster holding
# the sample CRM, salesplan, and salesplan's bindings over the CRM, for
# FUZZ_SECONDS (default 120) with a fixed seed (FUZZ_SEED, default 1).
#
# It fails when
#   - a backend crashed: the server log shows a process "terminated by
#     signal" or "exited with exit code" other than 0/1, a failed assertion
#     ("TRAP:"), a PANIC, or the postmaster reinitialising after a crash;
#   - an XX000 (internal_error) was raised by salesplan: an ERROR with
#     SQLSTATE XX000 whose LOCATION (log_error_verbosity = verbose) is in one
#     of salesplan's source files.  XX000 raised inside PostgreSQL itself
#     (sqlsmith finds some in core alone, e.g. "failed to find conversion
#     function from unknown to text") is listed with its statement, for a
#     human to read, but does not fail the run.
# The verdict comes from the server log, not from sqlsmith's own output, so
# it does not depend on sqlsmith's version or on how its run ended.
#
# sqlsmith connects as "fuzzer", a plain role that owns the database and the
# CRM tables (as an analyst would) and has salesplan on its search_path; its
# catalog is left out (--exclude-catalog) so that generated queries read the
# CRM, salesplan's binding catalog and the bound views.  Each statement runs
# in a transaction that sqlsmith rolls back, with a 1 s statement timeout.
#
# Prints "fuzz: N queries, ..., crashes=C, salesplan_xx000=X" and exits
# non-zero on a failure.  PG_CONFIG picks the server as for test/run.sh.
set -euo pipefail
cd "$(dirname "$0")/.."

FUZZ_SECONDS=${FUZZ_SECONDS:-120}
FUZZ_SEED=${FUZZ_SEED:-1}
FUZZ_SCALE=${FUZZ_SCALE:-0.1}
DB=salesplan_fuzz

[ -n "${PG_CONFIG:-}" ] || bash test/deps.sh
if ! command -v sqlsmith >/dev/null; then
    if [ "$(id -u)" -ne 0 ]; then
        echo "salesplan fuzz: sqlsmith is not installed (apt-get install sqlsmith)" >&2
        exit 1
    fi
    echo "salesplan fuzz: installing sqlsmith"
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends sqlsmith >/dev/null
fi
. test/cluster.sh

make -s
exec 9>"$(install_lock)"
flock 9
install_extension

tmp=$(mktemp -d /tmp/salesplan-fuzz.XXXXXX)
chmod 755 "$tmp"
port=$(free_port 55432 55999)
cleanup() {
    cluster_stop "$tmp"
    if [ "${FUZZ_KEEP:-0}" = 1 ]; then
        echo "salesplan fuzz: kept $tmp"
    else
        rm -rf "$tmp"
    fi
}
trap cleanup EXIT
cluster_init "$tmp" "$port" postgres
as_cluster_owner tee -a "$tmp/data/postgresql.conf" >/dev/null <<CONF
log_error_verbosity = verbose
log_min_error_statement = error
log_line_prefix = '%m [%p] '
track_functions = all
CONF
# -c: a crashed backend leaves a core file in the data directory (when the
# kernel's core_pattern is a plain file name), for a backtrace below.
cluster_start_any_port "$tmp" -c
port=$(cluster_port "$tmp")

export PGHOST=$tmp PGPORT=$port PGUSER=postgres
psql_q() { psql -X -q -v ON_ERROR_STOP=1 "$@"; }
psql_q -d postgres -c "CREATE ROLE fuzzer LOGIN" -c "CREATE DATABASE $DB OWNER fuzzer"
PGOPTIONS='-c client_min_messages=warning' psql_q -d "$DB" -c "CREATE EXTENSION salesplan"
# The grants doc/bindings.md gives a role that manages reports.
psql_q -d "$DB" -c "GRANT SELECT, INSERT, UPDATE, DELETE ON salesplan.binding TO fuzzer"
# The CRM, owned by the fuzzer; the demo's bindings over it (views in
# schema reports, and Olist's funnel when ../shared/data has it), made by
# the superuser since the demo reads files, and readable by the fuzzer.
PGUSER=fuzzer psql_q -d "$DB" -v seed=42 -v scale="$FUZZ_SCALE" -f test/data/sample_crm.sql >/dev/null
SALESPLAN_SHARED=${SALESPLAN_SHARED:-$(cd .. && pwd)/shared} \
    psql_q -d "$DB" -f test/data/demo_paradigm.sql >"$tmp/bind.log" 2>&1 || {
    cat "$tmp/bind.log" >&2
    exit 1
}
psql_q -d "$DB" -c "DO \$\$ DECLARE s text; BEGIN
    FOREACH s IN ARRAY ARRAY['reports', 'olist'] LOOP
        IF to_regnamespace(s) IS NOT NULL THEN
            EXECUTE format('GRANT USAGE ON SCHEMA %I TO fuzzer', s);
            EXECUTE format('GRANT SELECT ON ALL TABLES IN SCHEMA %I TO fuzzer', s);
        END IF;
    END LOOP; END \$\$"
# Stored states, one table per state type, so that sqlsmith passes real
# states (not only NULL) to the accessors, rollups and the transition and
# combine functions it can call directly.  Each table is made on its own:
# one that no longer fits the functions' signatures is reported and skipped.
PGUSER=fuzzer psql -X -q -d "$DB" -v ON_ERROR_STOP=0 >"$tmp/states.log" 2>&1 <<'SQL'
SET client_min_messages = warning;
CREATE SCHEMA states;
CREATE TABLE states.funnel AS
    SELECT owner_rep_id AS rep_id, date_trunc('quarter', created_at) AS quarter,
           salesplan.funnel_agg(CASE WHEN is_won THEN 7 ELSE least(greatest(stage_id, 1), 6) END, amount, 7) AS f
    FROM crm.opportunity GROUP BY 1, 2;
CREATE TABLE states.coverage AS
    SELECT a.territory, a.owner_rep_id AS rep_id,
           salesplan.coverage_agg(a.id % 6, CASE WHEN a.id % 6 = 5 THEN a.potential_value / 2 END, a.potential_value) AS c
    FROM crm.account a WHERE a.is_target GROUP BY 1, 2;
CREATE TABLE states.touches AS
    SELECT account_id, salesplan.touch_agg(occurred_at, contact_id) AS t
    FROM crm.activity WHERE contact_id IS NOT NULL GROUP BY 1;
CREATE TABLE states.proposals AS
    SELECT presales_rep_id AS rep_id,
           salesplan.proposal_agg(version, accepted, requested_at, delivered_at, due_days) AS p
    FROM crm.proposal GROUP BY 1;
CREATE TABLE states.schedule AS
    SELECT p.id AS project_id, salesplan.schedule_agg(m.baseline_date, m.actual_date, m.weight, p.start_date) AS s
    FROM crm.project p JOIN crm.milestone m ON m.project_id = p.id GROUP BY 1;
CREATE TABLE states.funnel_events AS
    SELECT opportunity_id, salesplan.funnel_event_agg(interval '90 days', entered_at, stage_id) AS e
    FROM crm.opportunity_stage_history GROUP BY 1;
SQL
states=$(psql -X -d "$DB" -tAc "SELECT count(*) FROM pg_tables WHERE schemaname = 'states'")
if grep -q ERROR "$tmp/states.log"; then
    echo "salesplan fuzz: some stored-state tables could not be made (skipped):"
    grep ERROR "$tmp/states.log"
fi
psql_q -d "$DB" -c "ALTER ROLE fuzzer IN DATABASE $DB SET search_path = crm, reports, states, salesplan, public"
psql_q -d "$DB" -c "SELECT pg_stat_reset()" >/dev/null
# Everything before this offset in the server log is setup.
log_start=$(stat -c %s "$tmp/server.log")

echo "salesplan fuzz: sqlsmith for $FUZZ_SECONDS s, seed $FUZZ_SEED, sample CRM scale $FUZZ_SCALE"
conninfo="host=$tmp port=$port user=fuzzer dbname=$DB"
deadline=$(($(date +%s) + FUZZ_SECONDS))
run=0
# sqlsmith stops when its connection breaks (a crash, or a statement that
# terminates its own backend): start it again, with the next seed, until
# the time is up.
while [ "$(date +%s)" -lt "$deadline" ]; do
    left=$((deadline - $(date +%s)))
    timeout --signal=INT --kill-after=10 "$left" \
        sqlsmith --target="$conninfo" --seed=$((FUZZ_SEED + run)) --exclude-catalog --verbose \
        >>"$tmp/sqlsmith.out" 2>>"$tmp/sqlsmith.err" </dev/null || true
    run=$((run + 1))
    # wait for the server to accept connections again after a crash
    for _ in $(seq 1 60); do
        psql -X -d "$DB" -tAc 'SELECT 1' >/dev/null 2>&1 && break
        sleep 1
    done
done

# Queries: sqlsmith --verbose prints one character per query (. ok, e
# error, t timeout, ...), 80 to a line.
queries=$(grep -E '^[.a-zA-Z]+$' "$tmp/sqlsmith.err" | tr -d '\n' | wc -c || true)
called=$(psql -X -d "$DB" -tAc "SELECT count(*) || ' of ' || (SELECT count(*) FROM pg_proc WHERE pronamespace = 'salesplan'::regnamespace AND prokind = 'f') || ' salesplan functions called ' || coalesce(sum(calls), 0) || ' times' FROM pg_stat_user_functions WHERE schemaname = 'salesplan'")

tail -c +"$((log_start + 1))" "$tmp/server.log" >"$tmp/fuzz.log"
crash_re='terminated by signal|exited with exit code ([2-9]|[1-9][0-9]+)|TRAP:|PANIC:|all server processes terminated; reinitializing'
# One crash per backend that died; a failed assertion or a PANIC without
# such a line still counts once.
crashes=$(grep -Ec 'terminated by signal|exited with exit code ([2-9]|[1-9][0-9]+)' "$tmp/fuzz.log" || true)
if [ "$crashes" -eq 0 ] && grep -Eq "$crash_re" "$tmp/fuzz.log"; then
    crashes=1
fi

# ERRORs by SQLSTATE class; XX000 with their LOCATION and STATEMENT.
sources=$(cd src && ls *.c | tr '\n' ' ')
awk -v sources="$sources" -v out="$tmp/xx000.txt" '
    BEGIN { n = split(sources, s, " "); for (i = 1; i <= n; i++) ours[s[i]] = 1 }
    # A log entry is a line with the prefix and the lines after it that
    # have none (a multi-line statement).
    /^[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] / { entry(); cur = $0; next }
    { cur = cur "\n" $0 }
    END {
        entry(); flush()
        line = ""
        for (c in class) line = line sprintf(" %s=%d", c, class[c])
        printf "%d%s|%d|%d\n", errors + 0, line, salesplan + 0, core + 0
    }
    function entry(   body, code) {
        if (cur == "") return
        body = cur; cur = ""
        sub(/^[^]]*\] /, "", body)
        if (body ~ /^ERROR:  [0-9A-Z][0-9A-Z][0-9A-Z][0-9A-Z][0-9A-Z]: /) {
            flush()
            code = substr(body, 9, 5)
            class[substr(code, 1, 2)]++
            errors++
            if (code == "XX000") { pending = 1; msg = body; loc = ""; file = ""; stmt = "" }
        } else if (pending && body ~ /^LOCATION:  /) {
            loc = substr(body, 12)
            file = loc; sub(/.*, /, "", file); sub(/:[0-9]+$/, "", file)
        } else if (pending && body ~ /^STATEMENT:  /) {
            stmt = substr(body, 13)
            flush()
        } else if (pending && body !~ /^(DETAIL|HINT|CONTEXT):  /) {
            flush()
        }
    }
    function flush(   mine, n, l) {
        if (!pending) return
        mine = (file in ours)
        # the whole statement for ours, its first lines for the core ones
        if (!mine) { n = split(stmt, l, "\n"); if (n > 4) stmt = l[1] "\n" l[2] "\n" l[3] "\n" l[4] "\n\t..." }
        printf "%s %s\n  at %s\n  STATEMENT: %s\n\n", (mine ? "SALESPLAN" : "core"), msg, loc, stmt >> out
        if (mine) salesplan++; else core++
        pending = 0
    }
' "$tmp/fuzz.log" >"$tmp/classes.txt"
IFS='|' read -r errors_by_class salesplan_xx000 core_xx000 <"$tmp/classes.txt"

if [ "$crashes" -ne 0 ]; then
    echo "=== crashes in the server log ==="
    grep -En -B2 -A8 "$crash_re" "$tmp/fuzz.log" | head -n 200
    if command -v gdb >/dev/null; then
        for core in $(ls "$tmp"/data/core* 2>/dev/null | head -n 3); do
            echo "=== backtrace of $core ==="
            gdb -q -batch -ex bt "$PG_BINDIR/postgres" "$core" 2>&1 | grep -E "^#" | uniq | head -n 40
        done
    fi
fi
if [ -s "$tmp/xx000.txt" ]; then
    echo "=== XX000 errors ==="
    head -n 120 "$tmp/xx000.txt"
fi
echo "fuzz: $queries queries in $run sqlsmith run(s) over $states stored-state tables; errors by class: $errors_by_class; $called; crashes=$crashes, salesplan_xx000=$salesplan_xx000, core_xx000=$core_xx000"
[ "$crashes" -eq 0 ] && [ "$salesplan_xx000" -eq 0 ]
