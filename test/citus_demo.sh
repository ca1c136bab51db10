# test/citus_demo.sh: the sample CRM and the demo reports on Citus, against
# a single node (sourced by test/citus.sh: "make demo-citus", and the last
# part of "make test-citus").  Not run on its own.
#
# In the Citus cluster test/citus.sh started (PGHOST, PGPORT = its
# coordinator; the workers are read from pg_dist_node), it makes two fresh
# databases:
#   salesplan_demo_single on the coordinator, without Citus: the sample CRM
#     of test/data/sample_crm.sql (seed 42, scale DEMO_SCALE, default 1),
#     then the reports "make demo" prints (test/data/demo_*.sql);
#   salesplan_demo_citus on every node, with Citus: the same sample CRM,
#     distributed by test/data/sample_crm_citus.sql, then the same reports.
# The two outputs must be byte-equal: no normalisation.  Both sessions run
# in UTC, the workers' time zone, then again in Asia/Tokyo (ahead of the
# workers: the time-zone rule of doc/scaling.md).  citus.enable_unsupported_feature_messages
# = off on the Citus side keeps Citus's notes that a temporary view stays on
# the coordinator out of the output.  Uses pass, fail, log, psql_q of
# test/citus.sh.  DEMO_SCALE, SALESPLAN_CITUS_DEMO_TZ (default UTC) and
# SALESPLAN_CITUS_DEMO_TZ2 (default Asia/Tokyo) change the runs;
# SALESPLAN_CITUS_DEMO_SHOW=1 prints the distributed reports (first zone).

demo_scale=${DEMO_SCALE:-1}
demo_zone=${SALESPLAN_CITUS_DEMO_TZ:-UTC}
# under the cluster's directory when test/citus.sh made one (removed with it,
# even when a step fails), else in /tmp
demo_out=$(mktemp -d "${tmp:-/tmp}/salesplan-citus-demo.XXXXXX")
# the reports read Olist's data in place when ../shared is beside the repository
if [ -d "$repo/../shared/data/olist-marketing-funnel" ]; then
    export SALESPLAN_SHARED
    SALESPLAN_SHARED=$(cd "$repo/.." && pwd)/shared
else
    unset SALESPLAN_SHARED
fi

# now: seconds since the epoch, with milliseconds
now() { date +%s.%3N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

# demo_reports DB OUT: the reports of "make demo", in its order, into OUT.
demo_reports() {
    local report
    for report in demo_paradigm demo_funnel demo_coverage demo_schedule; do
        psql -X -q -v ON_ERROR_STOP=1 -P pager=off -d "$1" -f "test/data/$report.sql" || {
            echo "salesplan citus demo: report $report failed in $1"
            return 1
        }
    done >"$2" 2>&1
}

# $1 = the name of the database; made fresh on the nodes listed in $2..
demo_fresh_db() {
    local db=$1 p
    shift
    for p in "$@"; do
        PGOPTIONS='-c client_min_messages=warning' \
            psql_q -p "$p" -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "CREATE DATABASE $db"
    done
}

demo_workers=$(psql -X -At -d postgres -c "SELECT nodeport FROM pg_dist_node WHERE groupid <> 0 AND noderole = 'primary' ORDER BY nodeid")
log "the sample CRM and the demo reports (scale $demo_scale), single node against Citus (workers on $(echo $demo_workers))"

# --- Single node --------------------------------------------------------------
demo_fresh_db salesplan_demo_single "$PGPORT"
psql_q -d salesplan_demo_single -c 'CREATE EXTENSION salesplan'
t0=$(now)
PGTZ=$demo_zone psql_q -d salesplan_demo_single -v seed=42 -v scale="$demo_scale" -f test/data/sample_crm.sql >/dev/null
t1=$(now)
PGTZ=$demo_zone demo_reports salesplan_demo_single "$demo_out/single-${demo_zone//\//-}.out" || true
t2=$(now)
single_load=$(secs "$t0" "$t1")
single_reports=$(secs "$t1" "$t2")

# --- Citus --------------------------------------------------------------------
demo_fresh_db salesplan_demo_citus "$PGPORT" $demo_workers
for p in "$PGPORT" $demo_workers; do
    psql_q -p "$p" -d salesplan_demo_citus -c 'CREATE EXTENSION citus'
done
{
    echo "SELECT citus_set_coordinator_host('127.0.0.1', $PGPORT);"
    for p in $demo_workers; do echo "SELECT citus_add_node('127.0.0.1', $p);"; done
    echo "CREATE EXTENSION salesplan;"
} | psql_q -d salesplan_demo_citus >/dev/null
t0=$(now)
PGTZ=$demo_zone PGOPTIONS='-c citus.enable_unsupported_feature_messages=off' \
    psql_q -d salesplan_demo_citus -v seed=42 -v scale="$demo_scale" -f test/data/sample_crm.sql >/dev/null
t1=$(now)
psql_q -d salesplan_demo_citus -f test/data/sample_crm_citus.sql >"$demo_out/distribute.log" 2>&1 ||
    fail "sample CRM: distributing it failed" "$(tail -n 5 "$demo_out/distribute.log")"
t2=$(now)
PGTZ=$demo_zone PGOPTIONS='-c citus.enable_unsupported_feature_messages=off' \
    demo_reports salesplan_demo_citus "$demo_out/citus-${demo_zone//\//-}.out" || true
t3=$(now)
if [ "${SALESPLAN_CITUS_DEMO_SHOW:-0}" = 1 ]; then
    echo
    cat "$demo_out/citus-${demo_zone//\//-}.out"
    echo
fi
citus_load=$(secs "$t0" "$t1")
citus_distribute=$(secs "$t1" "$t2")
citus_reports=$(secs "$t2" "$t3")

# --- Checks -------------------------------------------------------------------
# every crm table is in Citus's metadata, as sample_crm_citus.sql says
placement=$(psql -X -At -d salesplan_demo_citus -c "
    SELECT string_agg(c.relname || ':' || coalesce(t.citus_table_type || coalesce('(' || t.distribution_column || ')', ''), 'local'), ' ' ORDER BY c.relname)
    FROM pg_class c LEFT JOIN (SELECT table_name::regclass AS rel, citus_table_type,
                                      nullif(distribution_column, '<none>') AS distribution_column FROM citus_tables) t ON t.rel = c.oid
    WHERE c.relnamespace = 'crm'::regnamespace AND c.relkind = 'r'" 2>&1)
want="account:distributed(id) activity:distributed(account_id) contact:distributed(account_id) lead:distributed(id) milestone:distributed(id) milestone_forecast:distributed(milestone_id) opportunity:distributed(account_id) opportunity_stage_history:distributed(opportunity_id) project:reference proposal:distributed(account_id) referral:distributed(from_account_id) rep:reference stage:reference team:reference"
if [ "$placement" = "$want" ]; then
    pass "sample CRM: 10 tables distributed (by account, opportunity, lead, milestone), 4 reference tables"
else
    fail "sample CRM: not distributed as test/data/sample_crm_citus.sql says" "got:  $placement" "want: $want"
fi
if [ -n "${SALESPLAN_SHARED:-}" ]; then
    olist=$(psql -X -At -d salesplan_demo_citus -c "SELECT string_agg(table_name::text || ':' || distribution_column || ':' || colocation_id, ' ' ORDER BY table_name::text) FROM citus_tables WHERE table_name::text LIKE 'olist.%'" 2>&1)
    if [[ $olist =~ ^olist\.closed_deal:mql_id:([0-9]+)\ olist\.marketing_qualified_lead:mql_id:([0-9]+)$ ]] &&
        [ "${BASH_REMATCH[1]}" = "${BASH_REMATCH[2]}" ]; then
        pass "Olist data: both tables distributed by lead (mql_id), co-located"
    else
        fail "Olist data: not distributed by the demo (test/data/demo_paradigm.sql)" "$olist"
    fi
fi
# the rows arrived: every table has the same number of rows on both sides
counts_sql="SELECT string_agg(format('%s %s', c.relname, (xpath('/row/n/text()', query_to_xml(format('SELECT count(*) AS n FROM crm.%I', c.relname), false, true, '')))[1]::text), ' ' ORDER BY c.relname)
            FROM pg_class c WHERE c.relnamespace = 'crm'::regnamespace AND c.relkind = 'r'"
single_counts=$(psql -X -At -d salesplan_demo_single -c "$counts_sql" 2>&1)
citus_counts=$(psql -X -At -d salesplan_demo_citus -c "$counts_sql" 2>&1)
if [ "$single_counts" = "$citus_counts" ] && [[ $single_counts == *"lead 20000"* || $demo_scale != 1 ]]; then
    pass "sample CRM: every table holds the single node's row count on Citus ($(awk '{ for (i = 2; i <= NF; i += 2) n += $i } END { print n }' <<<"$single_counts") rows)"
else
    fail "sample CRM: row counts differ" "single node: $single_counts" "Citus:       $citus_counts"
fi

# demo_compare LABEL: compares $demo_out/single-LABEL.out and
# citus-LABEL.out, one check per report (a report is the block under an "=="
# title) and one for the whole output.  No expected differences.
demo_compare() {
    local label=$1 single=$demo_out/single-$1 citus=$demo_out/citus-$1 f n title nreports equal=0
    mkdir -p "$single" "$citus"
    awk -v dir="$single" '/^==/ { n++; f = sprintf("%s/%02d", dir, n) } f { print > f }' "$single.out"
    awk -v dir="$citus" '/^==/ { n++; f = sprintf("%s/%02d", dir, n) } f { print > f }' "$citus.out"
    nreports=$(grep -c '^==' "$single.out" || true)
    if grep -q 'ERROR\|failed in' "$single.out"; then
        fail "demo reports ($label): the single-node run failed" "$(grep -m 3 'ERROR\|failed in' "$single.out")"
        return
    elif [ "$nreports" -lt 20 ]; then
        fail "demo reports ($label): only $nreports reports on the single node" "$(head -n 5 "$single.out")"
        return
    fi
    for f in "$single"/*; do
        n=${f##*/}
        title=$(head -n 1 "$f")
        if cmp -s "$f" "$citus/$n"; then
            equal=$((equal + 1))
        else
            fail "demo report $n ($label) on Citus differs from one node: $title" \
                "$(diff "$f" "$citus/$n" 2>&1 | head -n 8)"
        fi
    done
    if cmp -s "$single.out" "$citus.out"; then
        pass "demo reports ($label): all $equal of $nreports reports on Citus byte-equal to one node's ($(wc -l <"$single.out") lines)"
    else
        fail "demo reports ($label): the output on Citus differs from one node's ($equal of $nreports reports equal)"
    fi
}
demo_compare "${demo_zone//\//-}"

# Again with the sessions in a time zone ahead of the workers' (UTC): the
# demo's own SQL keeps the session's calendar on Citus too; so do the
# bindings (their period bucketing uses the zone recorded at bind time).
zone2=${SALESPLAN_CITUS_DEMO_TZ2:-Asia/Tokyo}
PGTZ=$zone2 demo_reports salesplan_demo_single "$demo_out/single-${zone2//\//-}.out" || true
PGTZ=$zone2 PGOPTIONS='-c citus.enable_unsupported_feature_messages=off' \
    demo_reports salesplan_demo_citus "$demo_out/citus-${zone2//\//-}.out" || true
demo_compare "${zone2//\//-}"

ratio_reports=$(awk -v a="$single_reports" -v b="$citus_reports" 'BEGIN { printf "%.1f", b / a }')
ratio_load=$(awk -v a="$single_load" -v b="$citus_load" -v c="$citus_distribute" 'BEGIN { printf "%.1f", (b + c) / a }')
log "single node: sample CRM generated in $single_load s, reports in $single_reports s;" \
    "Citus: generated in $citus_load s + distributed in $citus_distribute s (x$ratio_load), reports in $citus_reports s (x$ratio_reports)"
if [ "${SALESPLAN_CITUS_KEEP:-0}" = 1 ]; then
    log "report outputs kept in $demo_out (single-ZONE.out, citus-ZONE.out)"
else
    rm -rf "$demo_out"
fi
