#!/usr/bin/env bash
# make test-bi: what BI tools see of salesplan's views, through Debian's
# drivers (doc/bi-tools.md).  A throwaway cluster holds a small CRM and two
# funnel bindings over it (test/bi/setup.sql), and the checks below ask
#   - psqlODBC (odbc-postgresql, through unixODBC's isql: SQLTables,
#     SQLColumns and query results), once with a DSN left at the driver's
#     defaults and once with the settings doc/bi-tools.md recommends;
#   - pgjdbc (libpostgresql-jdbc-java, through test/bi/BiMeta.java, compiled
#     here with javac: getTables, getColumns, result-set metadata and the
#     Java classes of the values)
# for column names, types, numeric precision and scale, booleans, values
# and comments, against what psql reads from the catalog and from the same
# views, and against values worked out by hand.
#
# As root it installs the packages it needs (apt-get); as another user it
# says which are missing, skips, and prints "0 passed, 0 failed".  Ends
# with "N passed, M failed"; exits non-zero if a check failed.
# PG_CONFIG picks the server as for test/run.sh.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
for pkg in odbc-postgresql unixodbc libpostgresql-jdbc-java; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || need+=("$pkg")
done
command -v javac >/dev/null || need+=(default-jdk-headless)
if [ ${#need[@]} -gt 0 ]; then
    if [ "$(id -u)" -ne 0 ]; then
        echo "salesplan bi: SKIPPED: missing packages ${need[*]}"
        echo "hint: as root, apt-get install ${need[*]} (or run 'make test-bi' as root once)"
        echo "0 passed, 0 failed"
        exit 0
    fi
    echo "salesplan bi: installing ${need[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get -o DPkg::Lock::Timeout=600 update -qq
    apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
odbc_driver=$(dpkg -L odbc-postgresql | grep '/psqlodbcw\.so$' | head -n 1)
jdbc_jar=/usr/share/java/postgresql.jar

[ -n "${PG_CONFIG:-}" ] || bash test/deps.sh
. test/cluster.sh

make -s
exec 9>"$(install_lock)"
flock 9
started=$(date +%s)
install_extension

tmp=$(mktemp -d /tmp/salesplan-bi.XXXXXX)
chmod 755 "$tmp"
port=$(free_port 55432 55999)
cleanup() {
    cluster_stop "$tmp"
    rm -rf "$tmp"
}
trap cleanup EXIT
cluster_init "$tmp" "$port"
cluster_start_any_port "$tmp"
port=$(cluster_port "$tmp")
db=postgres
psql_() { psql -X -q -At -F '|' -h "$tmp" -p "$port" -U postgres -d "$db" -v ON_ERROR_STOP=1 "$@"; }
psql_ -f test/bi/setup.sql >/dev/null

# ---------------------------------------------------------------------
# The drivers' answers, in files
# ---------------------------------------------------------------------
# ODBC: a DSN at the driver's defaults and one with the recommended
# settings.  ConnSettings puts the reports schema on the search path:
# isql's "help VIEW" calls SQLColumns without a schema, which psqlODBC
# reads as the current schema.
export ODBCSYSINI=$tmp ODBCINI=$tmp/odbc.ini
cat >"$tmp/odbcinst.ini" <<EOF
[PostgreSQL Unicode]
Driver=$odbc_driver
EOF
dsn_common="Driver=PostgreSQL Unicode
Servername=127.0.0.1
Port=$port
Database=$db
Username=postgres
ConnSettings=SET search_path = bi_reports"
cat >"$ODBCINI" <<EOF
[bi_default]
$dsn_common

[bi_recommended]
$dsn_common
BoolsAsChar=0
TextAsLongVarchar=0
MaxVarcharSize=4096

[bi_varchar]
$dsn_common
TextAsLongVarchar=0
EOF
isql_() { isql -b -d'|' -c "$1"; }
# odbc_columns DSN VIEW: COLUMN_NAME|DATA_TYPE|PRECISION|SCALE|REMARKS per
# column, from SQLColumns
odbc_columns() {
    echo "help $2" | isql_ "$1" | awk -F'|' '
        NR == 1 { for (i = 1; i <= NF; i++) h[$i] = i; next }
        { print $h["COLUMN_NAME"] "|" $h["DATA_TYPE"] "|" $h["PRECISION"] "|" $h["SCALE"] "|" $h["REMARKS"] }'
}
odbc_query() { echo "$2" | isql_ "$1" | tail -n +2; }

javac -d "$tmp" -cp "$jdbc_jar" test/bi/BiMeta.java
java -cp "$jdbc_jar:$tmp" BiMeta "jdbc:postgresql://127.0.0.1:$port/$db?user=postgres" \
    bi_reports.pipeline bi_reports.pipeline_fit bi_reports.pipeline_money \
    bi_reports.pipeline_mat bi_reports.pipeline_mat_fit >"$tmp/jdbc.tsv"
# jdbc KIND VIEW: the lines of one kind for one view, without the first
# three fields (kind, schema, view)
jdbc() { awk -F'\t' -v k="$1" -v v="$2" '$1 == k && $3 == v' "$tmp/jdbc.tsv" | cut -f4-; }

# ---------------------------------------------------------------------
# Checks
# ---------------------------------------------------------------------
passed=0
failed=0
# expect NAME ACTUAL EXPECTED
expect() {
    if [ "$2" == "$3" ]; then
        echo "bi $1 ... ok"
        passed=$((passed + 1))
    else
        echo "bi $1 ... FAILED"
        echo "  expected: $(printf '%s' "$3" | tr '\n' ' ')"
        echo "  actual:   $(printf '%s' "$2" | tr '\n' ' ')"
        failed=$((failed + 1))
    fi
}
# from the catalog, as psql reads it
names() { psql_ -c "SELECT attname FROM pg_attribute WHERE attrelid = '$1'::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum"; }
remarks() { psql_ -c "SELECT attname || '|' || col_description(attrelid, attnum) FROM pg_attribute WHERE attrelid = '$1'::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum"; }
field() { awk -F'|' -v c="$2" -v f="$3" '$1 == c { print $f }' <<<"$1"; }

# Every bound view has a comment on each column (the views' documentation).
expect psql_every_column_commented \
    "$(psql_ -c "SELECT count(*) FROM pg_attribute a WHERE a.attrelid IN ('bi_reports.pipeline'::regclass, 'bi_reports.pipeline_fit'::regclass) AND a.attnum > 0 AND col_description(a.attrelid, a.attnum) IS NULL")" 0

# ---- psqlODBC, DSN at the defaults ----
def=$(odbc_columns bi_default pipeline)
def_fit=$(odbc_columns bi_default pipeline_fit)
expect odbc_default_column_names "$(cut -d'|' -f1 <<<"$def")" "$(names bi_reports.pipeline)"
# text as SQL_LONGVARCHAR (-1) of 8190 characters, boolean as SQL_VARCHAR
# (12) of 5
expect odbc_default_text_is_longvarchar "$(field "$def" team 2)|$(field "$def" team 3)" "-1|8190"
expect odbc_default_bool_is_varchar "$(field "$def_fit" matches 2)|$(field "$def_fit" matches 3)" "12|5"
# booleans come back as the characters 1 and 0 (psql: north f in
# pipeline_fit, t in pipeline_mat_fit)
expect odbc_default_bool_values \
    "$(odbc_query bi_default "SELECT f.team, f.matches, m.matches FROM pipeline_fit f JOIN pipeline_mat_fit m USING (team) WHERE team = 'north'")" \
    "north|0|1"
# no comments: psqlODBC's SQLColumns and SQLTables do not read them
expect odbc_default_remarks_empty "$(cut -d'|' -f5 <<<"$def" | sort -u)" ""
expect odbc_tables_remarks_empty \
    "$(echo help | isql_ bi_default | awk -F'|' '$2 == "bi_reports" { print $3 ":" $5 }' | paste -sd' ')" \
    "pipeline: pipeline_fit: pipeline_mat: pipeline_mat_fit: pipeline_mat_stages: pipeline_money: pipeline_stages:"

# ---- psqlODBC, recommended DSN ----
rec=$(odbc_columns bi_recommended pipeline)
rec_fit=$(odbc_columns bi_recommended pipeline_fit)
rec_money=$(odbc_columns bi_recommended pipeline_money)
expect odbc_recommended_column_names "$(cut -d'|' -f1 <<<"$rec")" "$(names bi_reports.pipeline)"
# text as SQL_VARCHAR (12) of MaxVarcharSize characters
expect odbc_recommended_text_is_varchar "$(field "$rec" team 2)|$(field "$rec" team 3)" "12|4096"
# boolean as SQL_BIT (-7)
expect odbc_recommended_bool_is_bit "$(field "$rec_fit" matches 2)" -7
expect odbc_recommended_bool_values \
    "$(odbc_query bi_recommended "SELECT f.team, f.matches, m.matches FROM pipeline_fit f JOIN pipeline_mat_fit m USING (team) WHERE team = 'north'")" \
    "north|0|1"
# bigint SQL_BIGINT (-5), double precision SQL_FLOAT (6), date SQL_DATE (9:
# isql is an ODBC 2 application)
expect odbc_recommended_other_types \
    "$(field "$rec" won 2) $(field "$rec" win_rate 2) $(field "$rec" period 2)" "-5 6 9"
# the views' money columns are numeric(38, s), s the scale of the amount
# (numeric(12,2): 2): SQL_NUMERIC (2) reported as (38,2); numeric(18,2) of
# a view of one's own: (18,2)
expect odbc_numeric_unconstrained "$(field "$rec" revenue 2)|$(field "$rec" revenue 3)|$(field "$rec" revenue 4)" "2|38|2"
expect odbc_numeric_declared "$(field "$rec_money" revenue 2)|$(field "$rec_money" revenue 3)|$(field "$rec_money" revenue 4)" "2|18|2"
# values arrive as psql shows them: north won 1000 + 2000 + 3000 = 6000.00,
# aov 6000 / 3 = 2000.00 at the amount's scale
expect odbc_values \
    "$(odbc_query bi_recommended "SELECT team, won, revenue, aov, win_rate FROM pipeline ORDER BY team")" \
    "$(psql_ -c "SELECT team, won, revenue, aov, win_rate FROM bi_reports.pipeline ORDER BY team")"
expect odbc_values_by_hand \
    "$(odbc_query bi_recommended "SELECT won, revenue, win_rate FROM pipeline WHERE team = 'north'")" "3|6000.00|0.75"
# text as varchar without MaxVarcharSize: reported as 255 characters, but a
# longer value is not cut (isql shows at most 300 characters of a value)
expect odbc_varchar_default_size "$(field "$(odbc_columns bi_varchar pipeline)" team 3)" 255
expect odbc_varchar_long_value "$(odbc_query bi_varchar "SELECT repeat('x', 300), 1" | awk -F'|' '{ print length($1) }')" 300
expect odbc_recommended_remarks_empty "$(cut -d'|' -f5 <<<"$rec" | sort -u)" ""
# materialized bindings are listed, as MATVIEW
expect odbc_lists_matview "$(echo help | isql_ bi_recommended | awk -F'|' '$3 == "pipeline_mat" { print $4 }')" MATVIEW

# ---- pgjdbc ----
cols=$(jdbc column pipeline)
fitcols=$(jdbc column pipeline_fit)
expect jdbc_column_names "$(cut -f1 <<<"$cols")" "$(names bi_reports.pipeline)"
# getColumns REMARKS = COMMENT ON COLUMN, for every column
expect jdbc_column_remarks "$(cut -f1,6 <<<"$cols" | tr '\t' '|')" "$(remarks bi_reports.pipeline)"
expect jdbc_fit_column_remarks "$(cut -f1,6 <<<"$fitcols" | tr '\t' '|')" "$(remarks bi_reports.pipeline_fit)"
# getTables REMARKS = COMMENT ON VIEW
expect jdbc_view_remarks "$(jdbc table pipeline)" \
    "VIEW	$(psql_ -c "SELECT obj_description('bi_reports.pipeline'::regclass, 'pg_class')")"
# getColumns: TYPE_NAME, java.sql.Types, COLUMN_SIZE, DECIMAL_DIGITS
expect jdbc_types "$(grep -E '^(period|team|won|revenue|win_rate)	' <<<"$cols" | cut -f1-5)" \
"period	date	DATE	13	0
team	text	VARCHAR	2147483647	0
won	int8	BIGINT	19	0
revenue	numeric	NUMERIC	38	2
win_rate	float8	DOUBLE	17	17"
expect jdbc_bool_type "$(grep '^matches	' <<<"$fitcols" | cut -f1-5)" "matches	bool	BIT	1	0"
# the views' numeric(38,2): precision 38, scale 2, BigDecimal; numeric(18,2):
# 18 and 2
expect jdbc_result_numeric "$(jdbc result pipeline | grep '^revenue	')" "revenue	NUMERIC	38	2	java.math.BigDecimal"
expect jdbc_result_numeric_declared "$(jdbc result pipeline_money | grep '^revenue	')" "revenue	NUMERIC	18	2	java.math.BigDecimal"
expect jdbc_column_numeric_declared "$(jdbc column pipeline_money | grep '^revenue	' | cut -f1-5)" "revenue	numeric	NUMERIC	18	2"
expect jdbc_result_classes "$(jdbc result pipeline | grep -E '^(period|team|won|win_rate)	' | cut -f1,2,5)" \
"period	DATE	java.sql.Date
team	VARCHAR	java.lang.String
won	BIGINT	java.lang.Long
win_rate	DOUBLE	java.lang.Double"
# booleans are java.lang.Boolean: north false in pipeline_fit, true in
# pipeline_mat_fit (as psql reads them)
expect jdbc_bool_values "$(jdbc value pipeline_fit | awk -F'\t' '$2 == "matches" && $1 == 1 { print $3, $4 }') $(jdbc value pipeline_mat_fit | awk -F'\t' '$2 == "matches" && $1 == 1 { print $3, $4 }')" \
    "java.lang.Boolean false java.lang.Boolean true"
expect psql_bool_values "$(psql_ -c "SELECT f.matches, m.matches FROM bi_reports.pipeline_fit f JOIN bi_reports.pipeline_mat_fit m USING (team) WHERE team = 'north'")" "f|t"
# values by hand: north (row 1 in group_key order) won 3, revenue 6000.00,
# win rate 3 / (3 + 1) = 0.75
expect jdbc_values_by_hand "$(jdbc value pipeline | awk -F'\t' '$1 == 1 && ($2 == "team" || $2 == "won" || $2 == "revenue" || $2 == "win_rate") { print $4 }' | paste -sd' ')" \
    "north 3 6000.00 0.75"
# a materialized binding: type MATERIALIZED VIEW, missing from a
# TABLE + VIEW listing, comments as for a view
expect jdbc_matview_type "$(jdbc table pipeline_mat | cut -f1)" "MATERIALIZED VIEW"
expect jdbc_matview_not_in_table_view "$(jdbc table_or_view pipeline_mat)" "not listed"
expect jdbc_view_in_table_view "$(jdbc table_or_view pipeline)" "listed"
expect jdbc_matview_column_remarks "$(jdbc column pipeline_mat | cut -f1,6 | tr '\t' '|')" "$(remarks bi_reports.pipeline_mat)"

echo "salesplan bi: checks took $(($(date +%s) - started)) s from the install lock on"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
