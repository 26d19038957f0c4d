--liquibase formatted sql

--changeset gateway:041-break-glass-per-request
-- One notification per request and owning organisation (not one per resource): how many of the
-- owner's resources the request was shown.
alter table break_glass_notification add column resource_count integer not null default 1;
