--liquibase formatted sql

--changeset gateway:040-break-glass
-- Break-glass use, for the data owners to review: who overrode consent, why, and what they saw.
create table break_glass_notification (
    id             bigint generated always as identity primary key,
    at             timestamptz  not null default now(),
    owner_org      varchar(64),
    caller_org     varchar(64)  not null,
    caller_role    varchar(64),
    caller_client  varchar(200),
    reason         text         not null,
    patient_ref    varchar(200),
    resource_ref   varchar(200) not null
);
create index break_glass_owner_ix on break_glass_notification (owner_org, at);
