--liquibase formatted sql

--changeset gateway:021-identity-review-paging
-- The review queue pages by id (afterId), like the quarantine listing: one index range per page
-- whatever the queue's length.
create index review_task_status_id_ix on review_task (status, id);
