#!/usr/bin/env bash
# make test: build with assertions and -Werror, install, run the whole
# pg_regress (and isolation) suite on a throwaway cluster, print
# "N passed, M failed" and exit non-zero if anything failed.
# PG_CONFIG picks the server (default: Debian's PostgreSQL 15, installed by
# test/deps.sh); test/cassert.sh runs this against an assert-enabled build.
set -euo pipefail
cd "$(dirname "$0")/.."

[ -n "${PG_CONFIG:-}" ] || bash test/deps.sh
. test/cluster.sh
echo "salesplan: testing against $("$PG_CONFIG" --version) in $PG_BINDIR"

make -s clean >/dev/null
make -s PG_CFLAGS="-DUSE_ASSERT_CHECKING -Werror ${PG_CFLAGS:-}"

# Installing into the shared server directories and testing against them is
# one critical section: two checkouts testing at once must not swap each
# other's library mid-run.
exec 9>"$(install_lock)"
flock 9
install_extension

tmp=$(mktemp -d /tmp/salesplan-test.XXXXXX)
chmod 755 "$tmp"
port=$(free_port 55432 55999)
cleanup() {
    cluster_stop "$tmp"
    rm -rf "$tmp"
}
trap cleanup EXIT
cluster_init "$tmp" "$port" contrib_regression
cluster_start "$tmp"

rm -rf results output_iso regression.diffs regression.out
log=$tmp/installcheck.log
status=0
PGHOST=$tmp PGPORT=$port PGUSER=postgres \
    make -s installcheck SALESPLAN_SHARED="$(cd .. && pwd)/shared" >"$log" 2>&1 || status=$?
cat "$log"

passed=$(grep -Ec '\.\.\. ok( |$)' "$log" || true)
failed=$(grep -Ec '\.\.\. (FAILED|failed)' "$log" || true)
if [ "$status" -ne 0 ] || [ "$failed" -ne 0 ]; then
    for d in regression.diffs output_iso/regression.diffs; do
        [ -f "$d" ] && { echo "=== $d ==="; cat "$d"; }
    done
    [ "$failed" -eq 0 ] && failed=1
fi
if [ "$passed" -eq 0 ] && [ "$failed" -eq 0 ]; then
    echo "salesplan: no test ran" >&2
    failed=1
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
