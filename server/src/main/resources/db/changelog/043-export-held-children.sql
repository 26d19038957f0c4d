--liquibase formatted sql

--changeset gateway:043-export-held-children
-- A child the receiving system does not know yet (no record of that system is linked to it) cannot be
-- written in a format that names children by the receiver's own id (RiO ClientID, SystmOne Patient id).
-- Its data is held, not lost: the first pull after the receiver's record links sends all of it, and a
-- repeat of that pull (same 'since') repeats it.
create table export_held_child (
    id           bigint generated always as identity primary key,
    organisation varchar(64)  not null,
    feed         varchar(64)  not null,
    file         varchar(64)  not null,
    child_id     varchar(64)  not null,
    held_at      timestamptz  not null default clock_timestamp(),
    released_at  timestamptz,
    constraint export_held_child_uk unique (organisation, feed, file, child_id)
);
create index export_held_child_open_ix on export_held_child (organisation, feed, file) where released_at is null;
