--liquibase formatted sql

--changeset gateway:001-resource
-- One row per logical resource: its current version. "pid" is the internal key that the
-- search index tables point at; (res_type, res_id) is the FHIR identity.
create table resource (
    pid           bigint generated always as identity primary key,
    res_type      varchar(40)  not null,
    res_id        varchar(64)  not null,
    version_id    bigint       not null,
    last_updated  timestamptz  not null,
    deleted       boolean      not null default false,
    content       jsonb,
    constraint resource_type_id_uk unique (res_type, res_id)
);
create index resource_type_updated_ix on resource (res_type, last_updated, pid);

-- Every version, including the current one and deletions (content null), for vread and _history.
create table resource_history (
    hid           bigint generated always as identity primary key,
    pid           bigint       not null references resource (pid),
    res_type      varchar(40)  not null,
    res_id        varchar(64)  not null,
    version_id    bigint       not null,
    last_updated  timestamptz  not null,
    deleted       boolean      not null default false,
    method        varchar(10)  not null,
    content       jsonb,
    constraint resource_history_version_uk unique (pid, version_id)
);
create index resource_history_type_updated_ix on resource_history (res_type, last_updated);

--changeset gateway:001-search-index
-- Search index rows are rewritten in the same transaction as the resource they describe.
create table sp_token (
    pid       bigint       not null references resource (pid) on delete cascade,
    res_type  varchar(40)  not null,
    name      varchar(64)  not null,
    system    varchar(255),
    code      varchar(255) not null
);
create index sp_token_code_ix on sp_token (res_type, name, code, system);
create index sp_token_pid_ix on sp_token (pid);

-- Strings are stored normalised (lower case, accents folded) for the default "starts with"
-- match, and exactly as written for :exact.
create table sp_string (
    pid        bigint        not null references resource (pid) on delete cascade,
    res_type   varchar(40)   not null,
    name       varchar(64)   not null,
    value_norm varchar(500)  not null,
    value_exact varchar(500) not null
);
create index sp_string_norm_ix on sp_string (res_type, name, value_norm varchar_pattern_ops);
create index sp_string_pid_ix on sp_string (pid);

-- Dates as the closed-open range [low, high) they cover, so partial dates (2023, 2023-05) work.
create table sp_date (
    pid       bigint       not null references resource (pid) on delete cascade,
    res_type  varchar(40)  not null,
    name      varchar(64)  not null,
    low       timestamptz  not null,
    high      timestamptz  not null
);
create index sp_date_range_ix on sp_date (res_type, name, low, high);
create index sp_date_pid_ix on sp_date (pid);

create table sp_reference (
    pid          bigint       not null references resource (pid) on delete cascade,
    res_type     varchar(40)  not null,
    name         varchar(64)  not null,
    target_type  varchar(40)  not null,
    target_id    varchar(64)  not null
);
create index sp_reference_target_ix on sp_reference (res_type, name, target_id, target_type);
create index sp_reference_pid_ix on sp_reference (pid);

--changeset gateway:001-search-session
-- A search's ordered result keys, so paging links are stable and work on any gateway node.
create table search_session (
    id          uuid         primary key,
    kind        varchar(10)  not null,
    res_type    varchar(40),
    created     timestamptz  not null default now(),
    total       integer      not null,
    keys        bigint[]     not null,
    includes    text,
    owner       varchar(200)
);
create index search_session_created_ix on search_session (created);
