--liquibase formatted sql

--changeset gateway:081-ingest-drop-index-foreign-keys
-- The search index tables and resource_history pointed at resource (pid) by foreign keys, so every
-- row inserted made PostgreSQL look up (and share-lock) its resource row: about 12 of the 14 index
-- scans per resource of the transaction ingest (docs/benchmarks.md, "Transaction ingest, fourth
-- round"). They guard nothing the code does not: these rows are only ever written by
-- PostgresResourceStore.write and delete, in the same statement or transaction as the resource row
-- they describe, taking its pid from that row (`select r.pid from r`), and resource rows are never
-- physically deleted (a deletion is a version with deleted = true; the audit triggers refuse
-- deleting AuditEvents), so the `on delete cascade` of the index tables never fired and a row
-- cannot point at a missing resource. audit_chain keeps its foreign key (one per audit event,
-- and the chain is evidence). resource_history_version_uk (pid, version_id) stays: it is what
-- makes two writers of the same version collide.
alter table sp_token drop constraint if exists sp_token_pid_fkey;
alter table sp_string drop constraint if exists sp_string_pid_fkey;
alter table sp_date drop constraint if exists sp_date_pid_fkey;
alter table sp_reference drop constraint if exists sp_reference_pid_fkey;
alter table resource_history drop constraint if exists resource_history_pid_fkey;
