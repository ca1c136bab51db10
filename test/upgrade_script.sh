#!/usr/bin/env bash
# Checks of the upgrade script's build (called by test/run.sh before the
# suite; doc/testing.md "The upgrade script's layout").  The upgrade script
# sql/salesplan--A--B.sql is built by sql/upgrade/include.awk from
# sql/upgrade/salesplan--A--B.sql.in and sql/install/ (Makefile); here:
#   1. the built script: every CREATE [OR REPLACE] FUNCTION / CREATE
#      AGGREGATE statement in it is word for word one of sql/install/
#      (CREATE OR REPLACE read as CREATE), none appears twice, and no
#      object gets two COMMENT ONs;
#   2. the build fails, naming the object, on a marker that names no
#      object of sql/install/, on an object included twice, on a definition
#      written in the .in file, and on a new or changed definition of
#      sql/install/ that no marker brings; with the marker added it builds.
# An earlier definition that a migration step must call before the final
# one exists is exempt when the comment line right above it says
# "-- earlier definition, kept for the step below".
# Usage: bash test/upgrade_script.sh
set -euo pipefail
cd "$(dirname "$0")/.."

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
bad=0
fragments=(sql/install/*.sql)

# build IN FRAGMENT... > OUT: as the Makefile does (A from the name)
build() {
    local in=$1 base
    shift
    base=$(basename "$in" .sql.in)
    base=sql/${base%--*}.sql
    awk -v from="$base" -f sql/upgrade/include.awk "$@" "$in"
}

# 1. the built scripts
sources=(sql/upgrade/*--*--*.sql.in)
[ -e "${sources[0]}" ] || { echo "no upgrade source in sql/upgrade/ (released: nothing to check)"; exit 0; }
statements "${fragments[@]}" | grep '^F' | cut -f2- | sort >"$tmp/install"
for in in "${sources[@]}"; do
    script=$tmp/$(basename "$in" .in)
    build "$in" "${fragments[@]}" >"$script" || { echo "upgrade script: $in does not build" >&2; bad=1; continue; }
    statements "$script" >"$tmp/upgrade"
    grep '^F' "$tmp/upgrade" | cut -f2- | sort >"$tmp/defs"
    while IFS= read -r s; do
        echo "upgrade script: this definition is not the one in sql/install/:" >&2
        printf '%s\n' "${s:0:200}" | tr '\001' '\n' | head -3 >&2
        bad=1
    done < <(comm -23 "$tmp/defs" "$tmp/install")
    while IFS= read -r s; do
        echo "upgrade script: defined twice:" >&2
        printf '%s\n' "${s:0:200}" | tr '\001' '\n' | head -3 >&2
        bad=1
    done < <(uniq -d "$tmp/defs")
    while IFS= read -r s; do
        echo "upgrade script: more than one $s" >&2
        bad=1
    done < <(grep '^C' "$tmp/upgrade" | cut -f2- | sort | uniq -d)
done

# 2. the build's failures, on copies: each case must fail with its message
in=${sources[-1]}
mkdir "$tmp/frag"
cp "${fragments[@]}" "$tmp/frag/"
probe='FUNCTION salesplan.upgrade_script_probe(integer)'
cat >>"$tmp/frag/99_privileges.sql" <<'SQL'

CREATE FUNCTION salesplan.upgrade_script_probe(n integer) RETURNS integer
    LANGUAGE sql IMMUTABLE AS $$ SELECT n $$;
COMMENT ON FUNCTION salesplan.upgrade_script_probe(integer) IS
    'probe of test/upgrade_script.sh';
SQL
# expect NAME MESSAGE IN_FILE: the build fails and says MESSAGE
expect() {
    if build "$3" "$tmp"/frag/*.sql >/dev/null 2>"$tmp/err"; then
        echo "upgrade script build: case '$1' built, should fail" >&2; bad=1
    elif ! grep -qF -- "$2" "$tmp/err"; then
        echo "upgrade script build: case '$1' failed without saying: $2" >&2
        cat "$tmp/err" >&2; bad=1
    fi
}
case_in=$tmp/$(basename "$in")
cp "$in" "$case_in"
expect 'new definition, no marker' "$probe is new since" "$case_in"
replaced=$(grep -m1 '^-- @replace FUNCTION salesplan\.' "$in" | sed 's/^-- @replace //')
grep -vxF -- "-- @replace $replaced" "$in" >"$case_in"
expect 'changed definition, marker dropped' "$replaced differs from sql/salesplan--" "$case_in"
{ cat "$in"; echo "-- @define FUNCTION salesplan.upgrade_script_missing(integer)"; } >"$case_in"
expect 'marker naming nothing' 'marker @define FUNCTION salesplan.upgrade_script_missing(integer): sql/install/ defines no such object' "$case_in"
{ cat "$in"; echo "-- @define $probe"; echo "-- @replace  ${probe/(/( }"; } >"$case_in"
expect 'object included twice' "marker @replace $probe: already included" "$case_in"
{ cat "$in"; echo 'CREATE FUNCTION salesplan.upgrade_script_probe(n integer) RETURNS integer'; echo '    LANGUAGE sql IMMUTABLE AS $$ SELECT n $$;'; echo "-- @define $probe"; } >"$case_in"
expect 'definition written in the .in file' 'a definition written in the upgrade source' "$case_in"
# with its marker, the new function builds, word for word as in the fragment
{ cat "$in"; echo "-- @define $probe"; } >"$case_in"
if ! build "$case_in" "$tmp"/frag/*.sql >"$tmp/probe.sql" 2>"$tmp/err"; then
    echo "upgrade script build: a new function with its marker does not build:" >&2; cat "$tmp/err" >&2; bad=1
elif ! tail -4 "$tmp/probe.sql" | diff - <(tail -4 "$tmp/frag/99_privileges.sql") >&2; then
    echo "upgrade script build: the marker did not bring the fragment's statements" >&2; bad=1
fi
exit $bad
