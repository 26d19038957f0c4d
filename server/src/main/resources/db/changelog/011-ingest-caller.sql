--liquibase formatted sql

--changeset gateway:011-ingest-caller
-- A background job writes as the caller who submitted it, so its data is recorded as theirs.
alter table ingest_job add column submitted_by jsonb;
