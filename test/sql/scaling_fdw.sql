-- Sharded without Citus: a hash-partitioned table whose two partitions are
-- postgres_fdw foreign tables on two loopback servers (this database).
-- With GROUP BY covering the partition key, partitionwise aggregation and
-- salesplan in the servers' "extensions" option, salesplan.funnel_agg runs
-- on the shards (in the Remote SQL); without the option the rows come back
-- and the aggregate runs here.  Either way the answer equals funnel_agg over
-- a local copy of the same rows, and plain SQL over those rows.
CREATE EXTENSION IF NOT EXISTS salesplan;
CREATE EXTENSION IF NOT EXISTS postgres_fdw;
SET extra_float_digits = 0;
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
CREATE SCHEMA fdw_shard;
SET search_path = fdw_shard, public;

-- 3,000 leads of 600 accounts in 4 segments; reached 0..4 and amounts from
-- multiplicative hashes, an amount NULL for one lead in 9.
CREATE TABLE leads_local AS
SELECT i AS lead_id,
       1 + i % 600 AS account_id,
       (i * 7) % 4 AS segment,
       (i::bigint * 7919 % 1009 % 5)::int AS reached,
       CASE WHEN i % 9 = 0 THEN NULL
            ELSE (i::bigint * 104729 % 100000 / 100.0)::numeric(12, 2) END AS amount
FROM generate_series(1, 3000) AS i;

-- The shards' own tables, and two servers that reach this database through
-- its unix socket (pg_regress's cluster trusts local connections).
CREATE TABLE shard_a_leads (LIKE leads_local);
CREATE TABLE shard_b_leads (LIKE leads_local);
DO $$
BEGIN
    EXECUTE format('CREATE SERVER shard_a FOREIGN DATA WRAPPER postgres_fdw OPTIONS (host %L, port %L, dbname %L, extensions %L)',
                   split_part(current_setting('unix_socket_directories'), ',', 1),
                   current_setting('port'), current_database(), 'salesplan');
    EXECUTE format('CREATE SERVER shard_b FOREIGN DATA WRAPPER postgres_fdw OPTIONS (host %L, port %L, dbname %L, extensions %L)',
                   split_part(current_setting('unix_socket_directories'), ',', 1),
                   current_setting('port'), current_database(), 'salesplan');
END
$$;
CREATE USER MAPPING FOR CURRENT_USER SERVER shard_a;
CREATE USER MAPPING FOR CURRENT_USER SERVER shard_b;

CREATE TABLE leads (LIKE leads_local) PARTITION BY HASH (account_id);
CREATE FOREIGN TABLE leads_p0 PARTITION OF leads FOR VALUES WITH (MODULUS 2, REMAINDER 0)
    SERVER shard_a OPTIONS (schema_name 'fdw_shard', table_name 'shard_a_leads');
CREATE FOREIGN TABLE leads_p1 PARTITION OF leads FOR VALUES WITH (MODULUS 2, REMAINDER 1)
    SERVER shard_b OPTIONS (schema_name 'fdw_shard', table_name 'shard_b_leads');
-- Rows are routed through the foreign partitions into the shards' tables.
INSERT INTO leads SELECT * FROM leads_local;
ANALYZE leads_local, shard_a_leads, shard_b_leads;
ANALYZE leads_p0, leads_p1;

-- Every row landed on exactly one shard, and both shards hold some.
SELECT (SELECT count(*) FROM shard_a_leads) > 0 AS a_has_rows,
       (SELECT count(*) FROM shard_b_leads) > 0 AS b_has_rows,
       (SELECT count(*) FROM shard_a_leads) + (SELECT count(*) FROM shard_b_leads) AS sharded,
       (SELECT count(*) FROM (SELECT * FROM shard_a_leads UNION SELECT * FROM shard_b_leads
                              EXCEPT SELECT * FROM leads_local) d) AS not_local;

SET enable_partitionwise_aggregate = on;

-- 1. GROUP BY the partition key, salesplan listed in "extensions": the
-- aggregate is part of each shard's Remote SQL.
EXPLAIN (VERBOSE, COSTS OFF)
SELECT account_id, salesplan.funnel_agg(reached, amount, 4) AS f
FROM leads GROUP BY account_id;

CREATE TEMP TABLE pushed AS
SELECT account_id, salesplan.funnel_agg(reached, amount, 4) AS f
FROM leads GROUP BY account_id;
CREATE TEMP TABLE local_f AS
SELECT account_id, salesplan.funnel_agg(reached, amount, 4) AS f
FROM leads_local GROUP BY account_id;

-- Equal to the local copy account by account (as text: 600 accounts, 0
-- differing), and the per-account funnels roll up to the total, whose
-- counts and revenue match plain SQL over the rows.
SELECT (SELECT count(*) FROM pushed) AS accounts,
       (SELECT count(*) FROM pushed p FULL JOIN local_f l USING (account_id)
        WHERE p.f::text IS DISTINCT FROM l.f::text) AS differing;
SELECT salesplan.population(r) = (SELECT count(*) FROM leads_local) AS population_ok,
       salesplan.entered(r) = (SELECT array_agg(n ORDER BY k) FROM
                                 (SELECT k, count(*) FILTER (WHERE reached >= k) AS n
                                  FROM leads_local, generate_series(1, 4) AS k GROUP BY k) e) AS entered_ok,
       salesplan.revenue(r) = (SELECT sum(amount) FROM leads_local WHERE reached = 4) AS revenue_ok,
       r::text = (SELECT salesplan.funnel_agg(reached, amount, 4)::text FROM leads_local) AS equals_local
FROM (SELECT salesplan.rollup(f) AS r FROM pushed) t;

-- 2. The same query with salesplan no longer listed: the shards send rows,
-- the aggregate runs here, and the answer is unchanged.
ALTER SERVER shard_a OPTIONS (DROP extensions);
ALTER SERVER shard_b OPTIONS (DROP extensions);
EXPLAIN (VERBOSE, COSTS OFF)
SELECT account_id, salesplan.funnel_agg(reached, amount, 4) AS f
FROM leads GROUP BY account_id;
SELECT count(*) AS accounts,
       count(*) FILTER (WHERE p.f::text IS DISTINCT FROM l.f::text) AS differing
FROM (SELECT account_id, salesplan.funnel_agg(reached, amount, 4) AS f
      FROM leads GROUP BY account_id) p
FULL JOIN local_f l USING (account_id);

-- 3. GROUP BY a column that is not the partition key (and salesplan listed
-- again): postgres_fdw does not push partial aggregates, so each shard's
-- rows are aggregated partially here and combined, still equal.
ALTER SERVER shard_a OPTIONS (ADD extensions 'salesplan');
ALTER SERVER shard_b OPTIONS (ADD extensions 'salesplan');
EXPLAIN (COSTS OFF)
SELECT segment, salesplan.funnel_agg(reached, amount, 4) AS f
FROM leads GROUP BY segment;
SELECT count(*) AS segments,
       count(*) FILTER (WHERE p.f::text IS DISTINCT FROM l.f::text) AS differing
FROM (SELECT segment, salesplan.funnel_agg(reached, amount, 4) AS f FROM leads GROUP BY segment) p
FULL JOIN (SELECT segment, salesplan.funnel_agg(reached, amount, 4) AS f FROM leads_local GROUP BY segment) l
USING (segment);

RESET enable_partitionwise_aggregate;
RESET search_path;
SET client_min_messages = warning;
DROP SCHEMA fdw_shard CASCADE;
DROP SERVER shard_a, shard_b CASCADE;
DROP EXTENSION postgres_fdw;
RESET client_min_messages;
