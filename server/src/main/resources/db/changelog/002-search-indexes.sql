--liquibase formatted sql

-- Indexes and statistics found missing by the storage benchmark at 1,000,000 resources
-- (server/src/test/java/org/childrensgateway/store/StorageExplainBench.java, docs/storage.md).
-- 001 is left as it was: it may already be applied in deployed databases.

--changeset gateway:002-history-by-resource
-- vread (res_type, res_id, version_id) and instance history (res_type, res_id) had no index:
-- both were a sequential scan of resource_history (200 ms at 1M versions, growing linearly).
create index resource_history_type_id_ix on resource_history (res_type, res_id, version_id);

--changeset gateway:002-date-high
-- ge, gt and eb compare only the upper bound of a date's range (high > ?, high <= ?), which the
-- (res_type, name, low, high) index cannot bound: Observation?date=ge... was a sequential scan.
create index sp_date_high_ix on sp_date (res_type, name, high, low);

--changeset gateway:002-resource-pid-covering
-- Every search joins its matches back to resource by pid to check res_type and "not deleted".
-- With these columns in an index the check is an index-only scan instead of one heap fetch per
-- match (the heap holds the JSON, so it is large and mostly not cached).
create index resource_pid_type_ix on resource (pid) include (res_type, deleted);

--changeset gateway:002-index-statistics
-- res_type, name, system and code are strongly correlated (name 'code' only occurs with
-- res_type 'Observation', and so on); without multi-column statistics the planner multiplies
-- their selectivities and underestimates broad criteria by 20-40x (2,681 estimated for 106,335
-- Consent?status=active rows), then picks one index probe per row. ANALYZE so the statistics
-- exist at once rather than after the next autovacuum.
-- Not on sp_date: its criteria are ranges on low/high, which multi-column statistics cannot
-- combine with (res_type, name); there they only raised already high range estimates and turned
-- selective date searches into full scans (measured, see docs/storage.md).
create statistics sp_token_type_name_stats (mcv, dependencies) on res_type, name, system, code from sp_token;
create statistics sp_string_type_name_stats (mcv, dependencies) on res_type, name from sp_string;
create statistics sp_reference_type_name_stats (mcv, dependencies) on res_type, name, target_type from sp_reference;
analyze sp_token;
analyze sp_string;
analyze sp_reference;
