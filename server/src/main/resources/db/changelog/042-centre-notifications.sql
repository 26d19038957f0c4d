--liquibase formatted sql

--changeset gateway:042-centre-notifications
-- Each child is notified to a centre organisation once per event (a birth; a move into the reach area,
-- keyed by the new postcode). A pull returns the events first noticed after its 'since', so pulls that
-- chain X-Export-Until send each event once, and repeating a pull repeats its rows.
create table centre_notification (
    id           bigint generated always as identity primary key,
    organisation varchar(64)  not null,
    child_id     varchar(64)  not null,
    event        varchar(16)  not null,
    event_key    varchar(64)  not null,
    first_at     timestamptz  not null default clock_timestamp(),
    constraint centre_notification_uk unique (organisation, child_id, event, event_key)
);
create index centre_notification_org_ix on centre_notification (organisation, first_at);
