--liquibase formatted sql

--changeset gateway:010-ingest
-- One row per extract sent to /ingest, whether processed at once or as a background job.
-- Jobs are claimed with SKIP LOCKED and carry a heartbeat, so any node may run or resume them.
create table ingest_job (
    id                uuid         primary key,
    feed              varchar(64)  not null,
    file              varchar(64)  not null,
    mapping_version   varchar(40),
    status            varchar(20)  not null,
    created           timestamptz  not null default now(),
    started           timestamptz,
    finished          timestamptz,
    heartbeat         timestamptz,
    node              varchar(100),
    records_done      integer      not null default 0,
    created_count     integer      not null default 0,
    updated_count     integer      not null default 0,
    unchanged_count   integer      not null default 0,
    quarantined_count integer      not null default 0,
    error             text
);
create index ingest_job_status_ix on ingest_job (status, created);

-- The extract itself while a background job needs it; removed when the job finishes.
create table ingest_payload (
    job_id        uuid         primary key references ingest_job (id) on delete cascade,
    content_type  varchar(100) not null,
    body          bytea        not null
);

-- Records that could not be stored, kept with their original text so they can be fixed and replayed.
create table quarantine (
    id               bigint generated always as identity primary key,
    job_id           uuid         references ingest_job (id),
    feed             varchar(64)  not null,
    file             varchar(64)  not null,
    mapping_version  varchar(40),
    location         varchar(300),
    line             bigint,
    source_id        varchar(200),
    reason           text         not null,
    raw_text         text         not null,
    status           varchar(20)  not null default 'open',
    created          timestamptz  not null default now(),
    resolved         timestamptz,
    attempts         integer      not null default 0
);
create index quarantine_open_ix on quarantine (feed, file, status);

-- What the gateway last accepted from each source record: a re-sent identical record is a no-op,
-- and a record older (by the source's LastUpdated) than the stored one never overwrites it.
create table source_record (
    feed                 varchar(64)  not null,
    file                 varchar(64)  not null,
    source_id            varchar(200) not null,
    content_hash         varchar(64)  not null,
    source_last_updated  timestamptz,
    accepted             timestamptz  not null default now(),
    primary key (feed, file, source_id)
);
