#!/usr/bin/env bash
# Layout checks of the upgrade script (called by test/run.sh before the
# suite; doc/testing.md "The upgrade script's layout"):
#   1. every CREATE [OR REPLACE] FUNCTION / CREATE AGGREGATE statement in
#      sql/salesplan--0.1--0.2.sql is word for word the one in sql/install/
#      (CREATE OR REPLACE read as CREATE): a function is changed by
#      changing its one definition in both places;
#   2. no such statement and no COMMENT ON the same object twice in the
#      upgrade script.
# An earlier definition that a migration step must call before the final
# one exists is exempt when the comment line right above it says
# "-- earlier definition, kept for the step below".
# Usage: bash test/upgrade_script.sh [UPGRADE_SCRIPT]
set -euo pipefail
cd "$(dirname "$0")/.."
script=${1:-sql/salesplan--0.1--0.2.sql}

# One record per CREATE FUNCTION/AGGREGATE statement (lines joined with
# \001; a function body is a dollar-quoted string whose tag is found on its
# first line holding one), "C<TAB>object" per COMMENT ON.
statements() {
    awk '
    function flush() { if (stmt != "") print (exempt ? "X\t" : "F\t") stmt; stmt = ""; tag = ""; inq = 0; exempt = 0 }
    {
        line = $0
        if (stmt == "" && line ~ /^CREATE (OR REPLACE )?(FUNCTION|AGGREGATE) /) {
            sub(/^CREATE OR REPLACE /, "CREATE ", line)
            stmt = line; exempt = (prev ~ /^-- earlier definition, kept for the step below/)
        } else if (stmt != "") {
            stmt = stmt "\001" line
        } else {
            if (line ~ /^COMMENT ON /) { o = line; sub(/ IS( .*)?$/, "", o); print "C\t" o }
            prev = $0
            next
        }
        # dollar quotes: open on the first tag, close on its next occurrence
        rest = line
        while (1) {
            if (!inq) {
                if (match(rest, /\$[A-Za-z_]*\$/)) { tag = substr(rest, RSTART, RLENGTH); inq = 1; rest = substr(rest, RSTART + RLENGTH) } else break
            } else {
                i = index(rest, tag)
                if (i) { inq = 0; rest = substr(rest, i + length(tag)) } else break
            }
        }
        if (!inq && rest ~ /;[ \t]*(--.*)?$/) flush()
        prev = $0
    }
    END { flush() }' "$@"
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
statements "$script" >"$tmp/upgrade"
statements sql/install/*.sql | grep '^F' | cut -f2- | sort >"$tmp/install"
bad=0
grep '^F' "$tmp/upgrade" | cut -f2- | sort >"$tmp/defs"
while IFS= read -r s; do
    echo "upgrade script: this definition is not the one in sql/install/ (copy it from there):" >&2
    printf '%s\n' "${s:0:200}" | tr '\001' '\n' | head -3 >&2
    bad=1
done < <(comm -23 "$tmp/defs" "$tmp/install")
while IFS= read -r s; do
    echo "upgrade script: defined twice (change the one definition instead):" >&2
    printf '%s\n' "${s:0:200}" | tr '\001' '\n' | head -3 >&2
    bad=1
done < <(uniq -d "$tmp/defs")
while IFS= read -r s; do
    echo "upgrade script: more than one $s (keep the last one, after the object's definition)" >&2
    bad=1
done < <(grep '^C' "$tmp/upgrade" | cut -f2- | sort | uniq -d)
exit $bad
