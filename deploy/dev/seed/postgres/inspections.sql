-- Demo data of the database inspections (written for this repo), applied by
-- deploy/dev/servers/20-postgres.sh to database `kubemate` at every `up` (idempotent) as user kubemate.
-- The caller sets the psql variable `inspector_password`. Everything here is DEMO DATA.
\set ON_ERROR_STOP on

-- Statement statistics (the server runs with shared_preload_libraries=pg_stat_statements).
CREATE EXTENSION IF NOT EXISTS pg_stat_statements;

-- A read-only role for the inspections: statistics and settings of every database (pg_monitor),
-- read access to the data (pg_read_all_data, PostgreSQL 14+), and read-only transactions.
SELECT 'CREATE ROLE kubemate_inspector LOGIN'
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'kubemate_inspector') \gexec
ALTER ROLE kubemate_inspector WITH LOGIN PASSWORD :'inspector_password';
ALTER ROLE kubemate_inspector SET default_transaction_read_only = on;
GRANT pg_monitor, pg_read_all_data TO kubemate_inspector;
GRANT CONNECT ON DATABASE kubemate TO kubemate_inspector;

-- A demo ledger: a few thousand entries and NO index on `reference`, the column the slow query filters.
CREATE SCHEMA IF NOT EXISTS demo_ledger;
COMMENT ON SCHEMA demo_ledger IS 'Kubemate dev stack demo data: the ledger of the inspections'' slow query';
CREATE TABLE IF NOT EXISTS demo_ledger.entries (
  id bigserial PRIMARY KEY,
  account text NOT NULL,
  reference text NOT NULL, -- not indexed on purpose
  amount numeric(12, 2) NOT NULL,
  booked_at timestamptz NOT NULL
);
INSERT INTO demo_ledger.entries (account, reference, amount, booked_at)
SELECT 'ACC-' || lpad((g % 97)::text, 4, '0'), 'INV-' || g, (g * 7919 % 100000) / 100.0,
       timestamptz '2026-11-01 00:00:00+00' + g * interval '1 minute'
FROM generate_series(1, 5000) AS g
WHERE NOT EXISTS (SELECT FROM demo_ledger.entries);
ANALYZE demo_ledger.entries;

-- The seeded slow query (mean > 500 ms: an unindexed self-join plus a deliberate 0.6 s pause), run
-- three times unless pg_stat_statements already holds three calls of it (stats survive restarts).
SELECT coalesce(sum(s.calls), 0) < 3 AS run_slow_query
FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid
WHERE d.datname = current_database() AND s.query LIKE '%kubemate demo slow query%' \gset
\if :run_slow_query
\o /dev/null
WITH pause AS MATERIALIZED (SELECT pg_sleep(0.6))
SELECT /* kubemate demo slow query */ e.account, count(*) AS entries, sum(e.amount) AS total
FROM demo_ledger.entries e
JOIN demo_ledger.entries r ON r.account = e.account AND r.reference = e.reference
CROSS JOIN pause
WHERE e.reference LIKE 'INV-4%'
GROUP BY e.account ORDER BY total DESC LIMIT 10;
\g
\g
\o
\endif
