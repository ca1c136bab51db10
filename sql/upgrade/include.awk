# sql/upgrade/include.awk: builds an upgrade script from its source
# sql/upgrade/salesplan--A--B.sql.in and the install fragments (Makefile):
#
#   awk -v from=sql/salesplan--A.sql -f sql/upgrade/include.awk \
#       sql/install/*.sql sql/upgrade/salesplan--A--B.sql.in > sql/salesplan--A--B.sql
#
# (from: the frozen install script of A, the version updated from)
#
# Every line of the .in file is copied as it is, except the markers, which
# stand for statements of sql/install/ copied word for word:
#
#   -- @define OBJECT    the CREATE FUNCTION / CREATE AGGREGATE statement of
#                        OBJECT followed by its COMMENT ON (a new object)
#   -- @replace OBJECT   the same as CREATE OR REPLACE (an object the old
#                        version has, same signature and result type)
#   -- @comment OBJECT   the COMMENT ON OBJECT statement alone
#
# OBJECT is written as in the fragment's COMMENT ON line, between "COMMENT
# ON" and "IS", on one line (spaces do not matter), e.g.
#   -- @replace FUNCTION salesplan.plan(salesplan.funnel, numeric)
#   -- @define AGGREGATE salesplan.rollup(salesplan.outcomes)
# In sql/install/ the COMMENT ON of a function or aggregate follows its
# CREATE statement (the install test checks that every member has one).
#
# The build fails, naming file and line, when a marker names an object
# sql/install/ does not define (or comment), when an object is included
# twice, when a fragment's CREATE FUNCTION / AGGREGATE is not followed by
# its COMMENT ON, when a definition of sql/install/ is new or differs from
# A's and no marker brings it (the update would keep A's, or none), or when
# the .in file writes a CREATE FUNCTION / CREATE AGGREGATE itself:
# definitions live in sql/install/ only.  The one
# exception is an older definition that a migration step must call before
# the final one exists, marked by the line right above it reading
#   -- earlier definition, kept for the step below
# Plain POSIX awk (Debian's default mawk): nothing a PGXS build machine lacks.

function fail(msg) {
    printf "%s:%d: %s\n", FILENAME, FNR, msg > "/dev/stderr"
    failed = 1
}

# "FUNCTION  salesplan.f( a,\n  b )" -> "FUNCTION salesplan.f(a, b)"
function normalize(s) {
    gsub(/[ \t\n]+/, " ", s)
    gsub(/\( /, "(", s)
    gsub(/ \)/, ")", s)
    gsub(/ ,/, ",", s)
    sub(/^ /, "", s)
    sub(/ $/, "", s)
    return s
}

# the object of a COMMENT ON statement: what stands between ON and IS
function comment_object(stmt,    o) {
    o = stmt
    sub(/^COMMENT ON[ \t\n]+/, "", o)
    # " IS" ends the object: at the end of a line or before the string
    if (match(o, /[ \t\n]IS([ \t\n]|$)/)) o = substr(o, 1, RSTART - 1)
    return normalize(o)
}

# Follows dollar quotes through one line; returns 1 when the statement
# ends on it (a ";" at the end, outside any dollar quote).
function ends_statement(line,    rest, i) {
    rest = line
    while (1) {
        if (!inq) {
            if (match(rest, /\$[A-Za-z_]*\$/)) {
                tag = substr(rest, RSTART, RLENGTH); inq = 1
                rest = substr(rest, RSTART + RLENGTH)
            } else break
        } else {
            i = index(rest, tag)
            if (i) { inq = 0; rest = substr(rest, i + length(tag)) } else break
        }
    }
    return !inq && rest ~ /;[ \t]*(--.*)?$/
}

function is_definition(s) {
    return s ~ /^CREATE (OR REPLACE )?(FUNCTION|AGGREGATE) /
}

# --- the released install script of the version updated from (-v from=):
# its definitions, to tell which fragment definitions the update must carry
BEGIN {
    if (from == "") { print "include.awk: -v from=sql/salesplan--A.sql missing" > "/dev/stderr"; failed = 2; exit 2 }
    while ((r = (getline line < from)) > 0) {
        if (stmt == "") {
            if (line !~ /^[A-Za-z]/) continue
            stmt = line
        } else
            stmt = stmt "\n" line
        if (!ends_statement(line)) continue
        if (is_definition(stmt)) { sub(/^CREATE OR REPLACE /, "CREATE ", stmt); released[stmt] = 1 }
        else if (stmt ~ /^COMMENT ON /) had[comment_object(stmt)] = 1
        stmt = ""
    }
    if (r < 0) { print "include.awk: cannot read " from > "/dev/stderr"; failed = 2; exit 2 }
    close(from); stmt = ""; inq = 0
}

# --- the install fragments: collect definitions and comments -------------
FILENAME !~ /\.in$/ {
    if (stmt == "") {
        if ($0 !~ /^[A-Za-z]/) next
        stmt = $0; start = FNR
    } else
        stmt = stmt "\n" $0
    if (!ends_statement($0)) next
    if (is_definition(stmt)) {
        if (pending != "") fail("no COMMENT ON right after the definition on line " pending_line)
        pending = stmt; pending_line = start
    } else if (stmt ~ /^COMMENT ON /) {
        key = comment_object(stmt)
        if (key in comment) fail("a second COMMENT ON " key)
        comment[key] = stmt
        if (pending != "") {
            definition[key] = pending
            where[key] = FILENAME ":" pending_line
            pending = ""
        }
    } else if (pending != "") {
        fail("no COMMENT ON right after the definition on line " pending_line)
        pending = ""
    }
    stmt = ""
    next
}

# --- the .in file: copy, expanding the markers ---------------------------
FNR == 1 {
    if (pending != "") fail("no COMMENT ON right after the last definition")
    if (stmt != "") fail("unterminated statement at the end of a fragment")
    pending = ""; stmt = ""; inq = 0
}

/^-- @(define|replace|comment) / {
    kind = $2; key = $0
    sub(/^-- @[a-z]+ /, "", key)
    key = normalize(key)
    if (kind != "@comment" && !(key in definition)) {
        fail("marker " kind " " key ": sql/install/ defines no such object (write the object as in its COMMENT ON)")
        next
    }
    if (!(key in comment)) {
        fail("marker " kind " " key ": sql/install/ has no COMMENT ON " key)
        next
    }
    if (key in used) {
        fail("marker " kind " " key ": already included on line " used[key] " (include each object once)")
        next
    }
    used[key] = FNR
    if (kind != "@comment") {
        d = definition[key]
        if (kind == "@replace") sub(/^CREATE (OR REPLACE )?/, "CREATE OR REPLACE ", d)
        else sub(/^CREATE OR REPLACE /, "CREATE ", d)
        print d
    }
    print comment[key]
    next
}

/^-- @/ { fail("unknown marker " $0 " (use @define, @replace or @comment)"); next }

{
    if (!inq && is_definition($0) && prev !~ /^-- earlier definition, kept for the step below/)
        fail("a definition written in the upgrade source: define it in sql/install/ and include it with a marker (-- @define / -- @replace)")
    ends_statement($0)
    prev = $0
    print
}

# Every definition of sql/install/ that the old version does not have word
# for word must be brought by a marker, or the update would leave the old
# one (or none) in place.
END {
    if (failed == 2) exit 2
    for (key in definition) {
        if (key in used) continue
        d = definition[key]
        sub(/^CREATE OR REPLACE /, "CREATE ", d)
        if (d in released) continue
        if (key in had)
            printf "%s: %s differs from %s and no marker of the upgrade source brings it: add \"-- @replace %s\" to sql/upgrade/ (DROP it and \"-- @define\" it instead when its result type changed)\n", where[key], key, from, key > "/dev/stderr"
        else
            printf "%s: %s is new since %s and no marker of the upgrade source brings it: add \"-- @define %s\" to sql/upgrade/ (in a headed block at the end, before the privileges section; \"-- @replace\" after a step that moved or renamed an old function)\n", where[key], key, from, key > "/dev/stderr"
        failed = 1
    }
    exit failed
}
