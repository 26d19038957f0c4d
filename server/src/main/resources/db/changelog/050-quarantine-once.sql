--liquibase formatted sql

--changeset gateway:050-quarantine-once
-- A bad record is quarantined once per (feed, file, record, content): a resumed or re-sent job
-- finds its open entry instead of adding another. record_key is the source id ('' when the record
-- could not be read far enough to have one); content_hash is sha256 of raw_text.
alter table quarantine add column record_key varchar(200);
alter table quarantine add column content_hash char(64);
update quarantine set record_key = coalesce(source_id, ''), content_hash = encode(sha256(convert_to(raw_text, 'UTF8')), 'hex');
-- Entries already duplicated keep the first; the others are marked, not deleted.
update quarantine q set status = 'duplicate'
    where status = 'open' and exists (select 1 from quarantine o where o.status = 'open' and o.feed = q.feed and o.file = q.file
        and o.record_key = q.record_key and o.content_hash = q.content_hash and o.id < q.id);
alter table quarantine alter column record_key set not null;
alter table quarantine alter column content_hash set not null;
create unique index quarantine_open_once_ux on quarantine (feed, file, record_key, content_hash) where status = 'open';
