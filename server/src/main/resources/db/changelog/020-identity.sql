--liquibase formatted sql

--changeset gateway:020-person-index
-- The person index. "pool" separates what is matched: 'Patient' (children's source records) and
-- 'RelatedPerson' (carers); tests and benchmarks use pools of their own.
-- Matching features of each source record (normalised demographics as JSON).
create table identity_features (
    pool       varchar(40)  not null,
    source_id  varchar(64)  not null,
    features   jsonb        not null,
    updated    timestamptz  not null default now(),
    primary key (pool, source_id)
);

-- Blocking keys: a new record is compared only with records sharing a key (see BlockingKeys).
create table identity_key (
    pool       varchar(40)  not null,
    key        varchar(200) not null,
    source_id  varchar(64)  not null
);
create index identity_key_key_ix on identity_key (pool, key, source_id);
create index identity_key_source_ix on identity_key (pool, source_id);

-- Links between source records and child (or carer) records, never updated in place except to end
-- them, so the whole history of who was linked to whom, when, by whom and why is kept.
-- status: linked (the source belongs to the child) or rejected (never link this source to that child).
-- method: nhs | auto | new | manual | review | restore
create table person_link (
    id          bigint generated always as identity primary key,
    pool        varchar(40)  not null,
    source_id   varchar(64)  not null,
    child_id    varchar(64)  not null,
    status      varchar(10)  not null,
    method      varchar(10)  not null,
    score       numeric(8,2),
    evidence    jsonb,
    created     timestamptz  not null default now(),
    created_by  varchar(200) not null,
    ended       timestamptz,
    ended_by    varchar(200),
    end_reason  varchar(200)
);
create unique index person_link_current_uk on person_link (pool, source_id) where status = 'linked' and ended is null;
create index person_link_child_ix on person_link (pool, child_id) where ended is null;
create index person_link_source_ix on person_link (pool, source_id);
create index person_link_child_all_ix on person_link (pool, child_id);

-- Possible matches waiting for a person: open, accepted, rejected or superseded.
create table review_task (
    id                  bigint generated always as identity primary key,
    pool                varchar(40)  not null,
    source_id           varchar(64)  not null,
    candidate_child_id  varchar(64)  not null,
    score               numeric(8,2),
    evidence            jsonb,
    reason              varchar(200),
    status              varchar(12)  not null default 'open',
    created             timestamptz  not null default now(),
    resolved            timestamptz,
    resolved_by         varchar(200)
);
create unique index review_task_open_uk on review_task (pool, source_id, candidate_child_id) where status = 'open';
create index review_task_status_ix on review_task (status, created);
