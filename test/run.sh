#!/usr/bin/env bash
# make test [PG=NN]: build with assertions and -Werror against PostgreSQL NN
# (the first argument or $PG, default 15), install, run the whole pg_regress
# (and isolation) suite on a throwaway cluster, print "N passed, M failed" and
# exit non-zero if anything failed.
set -euo pipefail
cd "$(dirname "$0")/.."

PGV=${1:-${PG:-15}}
# PG_CONFIG, when set, picks the server (test/cassert.sh sets it to an
# assert-enabled build); otherwise test/deps.sh installs Debian's PostgreSQL
# $PGV, whose pg_config lives under its own directory (/usr/bin/pg_config
# would pick the newest version installed).
if [ -z "${PG_CONFIG:-}" ]; then
    bash test/deps.sh "$PGV"
    PG_CONFIG=pg_config
    [ -x "/usr/lib/postgresql/$PGV/bin/pg_config" ] && PG_CONFIG=/usr/lib/postgresql/$PGV/bin/pg_config
    case $("$PG_CONFIG" --version) in
        "PostgreSQL $PGV."*) ;;
        *) echo "salesplan: $PG_CONFIG is $("$PG_CONFIG" --version), not PostgreSQL $PGV" >&2; exit 1 ;;
    esac
    export PG_CONFIG
fi
. test/cluster.sh
echo "salesplan: testing against $("$PG_CONFIG" --version) in $PG_BINDIR"

# Checks before the suite, counted with it.  Released scripts are frozen:
# their checksums are in test/frozen.sha256 (a new release adds its line).
# No test may share a stem with a file in sql/ (pg_regress would read
# sql/NAME.sql instead of test/sql/NAME.sql).
checks_passed=0
checks_failed=0
check() {
    local name=$1
    shift
    if "$@"; then
        echo "check $name ... ok"
        checks_passed=$((checks_passed + 1))
    else
        echo "check $name ... FAILED"
        checks_failed=$((checks_failed + 1))
    fi
}
frozen_unchanged() {
    sha256sum --check --strict --quiet test/frozen.sha256 ||
        { echo "a released script changed: put the change in the upgrade script instead" >&2; return 1; }
}
no_shadowed_tests() {
    local t bad=0
    for t in test/sql/*.sql; do
        if [ -e "sql/$(basename "$t")" ]; then
            echo "test $t has the stem of sql/$(basename "$t")" >&2
            bad=1
        fi
    done
    return $bad
}
# Every SQL-callable C function has its signature comment right above
# PG_FUNCTION_INFO_V1, in one notation: /* salesplan.name(argtypes) -> type */
# (salesplan_internal.name for the internals)
signature_comments() {
    awk '/^PG_FUNCTION_INFO_V1\(/ && prev !~ /^\/\* salesplan(_internal)?\.[a-z0-9_]+\(.*\) -> .* \*\/$/ {
            print FILENAME ":" FNR ": no signature comment above " $0 > "/dev/stderr"; bad = 1 }
         { prev = $0 }
         END { exit bad }' src/*.c
}
check frozen_scripts frozen_unchanged
# The built upgrade script defines each function once, as sql/install/ does,
# and its build fails on a bad marker (test/upgrade_script.sh; doc/testing.md).
check upgrade_script bash test/upgrade_script.sh
check test_names no_shadowed_tests
check signature_comments signature_comments

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
cluster_start_any_port "$tmp"
port=$(cluster_port "$tmp")

rm -rf results output_iso regression.diffs regression.out
log=$tmp/installcheck.log
status=0
# SALESPLAN_SKIP: test names and doc pages a leg cannot run (test/cassert.sh
# sets it when its build has no postgres_fdw); each is named in the output.
skip=" ${SALESPLAN_SKIP:-} "
regress_override=()
if [ -n "${SALESPLAN_SKIP:-}" ]; then
    keep=$(for f in test/sql/*.sql; do n=$(basename "$f" .sql); [[ $skip == *" $n "* ]] || printf '%s ' "$n"; done)
    regress_override=(REGRESS="$keep")
    echo "salesplan: skipped in this leg: $SALESPLAN_SKIP"
fi
PGHOST=$tmp PGPORT=$port PGUSER=postgres \
    make -s installcheck "${regress_override[@]}" SALESPLAN_SHARED="$(cd .. && pwd)/shared" >"$log" 2>&1 || status=$?
cat "$log"

# The documentation's examples, one check per page (test/doctest.sh).  Pages
# join this list as their examples are made runnable.
doc_pages="README.md doc/README.md doc/bi-tools.md doc/bindings.md doc/coverage.md doc/funnel.md doc/outcomes.md doc/paradigm.md
    doc/performance.md doc/planning.md doc/presets.md doc/sample-crm.md doc/schedule.md doc/security.md doc/testing.md
    doc/scaling.md doc/window_funnel.md doc/crm_recipes.md"
for page in $doc_pages; do
    [[ $skip == *" $page "* ]] && continue
    check "doctest $page" env PGHOST="$tmp" PGPORT="$port" PGUSER=postgres \
        bash test/doctest.sh "$page"
done

# One line per test, in either of pg_regress's formats:
#   15:   "test name ... ok   12 ms", "     name ... FAILED   12 ms"
#   16+:  "ok 3  - name   12 ms", "not ok 4  + name   12 ms"
# and one summary per pg_regress run (regression, isolation):
#   15:   " All 30 tests passed. ", " 1 of 30 tests failed. "
#   16+:  "# All 30 tests passed.", "# 1 of 30 tests failed."
# The summaries must account for every test line counted.
read -r passed failed summarised <<<"$(awk '
    /\.\.\. ok( |$)/ || /^[ \t]*ok [0-9]+ +[-+] / { p++ }
    /\.\.\. (FAILED|failed)/ || /^[ \t]*not ok [0-9]+ +[-+] / { f++ }
    match($0, /All [0-9]+ tests passed\./) { split(substr($0, RSTART), w, " "); s += w[2] }
    match($0, /[0-9]+ of [0-9]+ tests (failed|passed)/) { split(substr($0, RSTART), w, " "); s += w[3] }
    END { print p + 0, f + 0, s + 0 }' "$log")"
if [ "$summarised" -ne $((passed + failed)) ]; then
    echo "salesplan: counted $passed passed and $failed failed tests, but pg_regress's summaries say $summarised" >&2
    [ "$failed" -eq 0 ] && failed=1
fi
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
passed=$((passed + checks_passed))
failed=$((failed + checks_failed))
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
