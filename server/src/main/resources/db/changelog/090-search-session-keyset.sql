--liquibase formatted sql

--changeset gateway:090-search-session-keyset
-- A keyset search session (kind 'keyset') holds no keys: the search's criteria, run again for each
-- page after the position its page token names, and the key that signs those tokens, so a token
-- cannot be forged or altered and any node can check it. total is -1 when none was asked for.
alter table search_session add column criteria text;
alter table search_session add column page_key bytea;
