#!/usr/bin/env bash
# test/doctest.sh PAGE.md: runs every SQL example of one documentation page
# and compares the output the page shows (in the style of the Timescale
# toolkit's sql-doctester).  Called by test/run.sh once per page, against the
# throwaway cluster (PGHOST, PGPORT, PGUSER in the environment).
#
# Conventions on a page:
# - a ```sql block is an example; all of a page's examples run, in order, in
#   one psql session (psql -X -q, so no command tags) in a fresh database
#   where salesplan is installed (unless the page itself says
#   CREATE EXTENSION salesplan);
# - a plain ``` block right after a ```sql block (blank lines between are
#   allowed) is the output it shows; it is compared with the real output
#   after normalising whitespace (runs of blanks are one, "(N rows)" lines,
#   blank lines and the width of the ---+--- rule do not matter);
# - a ```sql block without an output block must print nothing (no result,
#   no error);
# - <!-- doctest: skip (reason) --> right before a ```sql block skips that
#   block (for examples that need data the page cannot carry, such as the
#   sample CRM); its output block, if any, is skipped with it;
# - a ```sql signature block (a function's declaration) is shown, not run;
# - SQL in a plain ``` block that is not an output block is an error (it
#   would escape the test): tag it ```sql.
# Prints one line: PAGE: R run, S skipped, T examples.
set -euo pipefail
page=$1
name=$(echo "${page%.md}" | tr -c 'a-zA-Z0-9\n' '_' | tr 'A-Z' 'a-z')
db=doctest_$name
work=$(mktemp -d /tmp/salesplan-doctest.XXXXXX)
trap 'rm -rf "$work"' EXIT

# Split the page into blocks: $work/N.sql, N.out (shown output), N.skip,
# N.line (line of the ```sql fence).
awk -v dir="$work" -v page="$page" '
function flush_plain(   i) {
    for (i = 1; i <= np; i++)
        if (plain[i] ~ /^[ \t]*(SELECT|CREATE|INSERT|UPDATE|DELETE|ALTER|DROP|WITH|SET|CALL|COPY|GRANT|REVOKE|EXPLAIN|BEGIN|COMMIT|TABLE|VALUES|\\[a-z])[ \t;(]/) {
            printf "%s:%d: SQL in a ``` block that is no output block: tag it ```sql\n", page, plainline > "/dev/stderr"
            bad = 1
            return
        }
}
BEGIN { state = "text"; n = 0; skip = 0; after_sql = 0; bad = 0 }
state == "text" && /^<!-- doctest: skip/ { skip = 1; next }
state == "text" && /^```sql[ \t]*$/ {
    n++; state = "sql"; file = dir "/" n ".sql"; printf "" > file
    print FNR > (dir "/" n ".line")
    if (skip) print "skip" > (dir "/" n ".skip")
    skip = 0; next
}
state == "text" && /^```[ \t]*$/ {
    if (after_sql) { state = "out"; file = dir "/" n ".out"; printf "" > file }
    else { state = "plain"; np = 0; plainline = FNR }
    after_sql = 0; next
}
state == "text" && /^```/ { state = "other"; after_sql = 0; next }
state == "text" && /^[ \t]*$/ { next }
state == "text" { after_sql = 0; skip = 0; next }
/^```[ \t]*$/ {
    if (state == "plain") flush_plain()
    after_sql = (state == "sql"); close(file); state = "text"; next
}
state == "sql" || state == "out" { print > file; next }
state == "plain" { plain[++np] = $0; next }
END {
    if (state != "text") { printf "%s: unterminated ``` block\n", page > "/dev/stderr"; bad = 1 }
    print n > (dir "/count")
    exit bad
}' "$page"

total=$(cat "$work/count")
psql_() { psql -X -q -v ON_ERROR_STOP=0 "$@"; }
PGOPTIONS='-c client_min_messages=warning' psql -X -q -v ON_ERROR_STOP=1 -d postgres \
    -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" >/dev/null

script=$work/script.sql
: >"$script"
grep -qs 'CREATE EXTENSION salesplan' "$work"/*.sql || echo 'CREATE EXTENSION salesplan;' >>"$script"
run=0
skipped=0
for i in $(seq 1 "$total"); do
    if [ -e "$work/$i.skip" ]; then
        skipped=$((skipped + 1))
        continue
    fi
    run=$((run + 1))
    echo "\\echo '@@doctest $i'" >>"$script"
    cat "$work/$i.sql" >>"$script"
    echo >>"$script"
done
echo "\\echo '@@doctest end'" >>"$script"
psql_ -d "$db" <"$script" >"$work/actual" 2>&1 || true

# normalise: squeeze blanks, drop blank lines, "(N rows)" and rule widths
norm() {
    sed -e 's/[[:space:]]\+/ /g' -e 's/^ //' -e 's/ $//' "$1" |
        grep -Ev '^(\([0-9]+ rows?\))?$' | sed -e 's/^[-+]*-[-+]*$/---/'
}
awk -v dir="$work" '
/^@@doctest / { if (file) close(file); file = dir "/" $2 ".got"; printf "" > file; next }
file { print > file }' "$work/actual"

failed=0
prelude=$(awk '/^@@doctest / { exit } { print }' "$work/actual")
if [ -n "$prelude" ]; then
    echo "$page: installing salesplan printed: $prelude" >&2
    failed=1
fi
for i in $(seq 1 "$total"); do
    [ -e "$work/$i.skip" ] && continue
    line=$(cat "$work/$i.line")
    touch "$work/$i.out"
    if ! diff -u --label "$page:$line (shown)" --label "$page:$line (actual)" \
        <(norm "$work/$i.out") <(norm "$work/$i.got") >&2; then
        failed=1
    fi
done
echo "$page: $run run, $skipped skipped, $total examples"
psql -X -q -d postgres -c "DROP DATABASE $db" >/dev/null 2>&1 || true
[ "$failed" -eq 0 ]
