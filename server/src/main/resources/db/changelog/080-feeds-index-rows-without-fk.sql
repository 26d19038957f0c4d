--liquibase formatted sql

--changeset gateway:080-feeds-index-rows-without-fk
-- The search index tables' foreign keys to resource(pid) cost one "select 1 from resource ... for
-- key share" per index row inserted (a row trigger): 43 statements per native feed record and 13 per
-- resource of a transaction bundle, more than every other statement of the feed path together
-- (docs/benchmarks.md, "Round 4: feeds"). Index rows are only ever written by the statement that
-- writes their resource row (PostgresResourceStore.write takes the pid from that row), and resource
-- rows are never deleted (a deletion is a new version), so the constraint guarded nothing the code
-- does not already guarantee, and its ON DELETE CASCADE never fired. resource_history and
-- audit_chain keep theirs (one row per write, not one per index row).
alter table sp_token drop constraint if exists sp_token_pid_fkey;
alter table sp_string drop constraint if exists sp_string_pid_fkey;
alter table sp_date drop constraint if exists sp_date_pid_fkey;
alter table sp_reference drop constraint if exists sp_reference_pid_fkey;
