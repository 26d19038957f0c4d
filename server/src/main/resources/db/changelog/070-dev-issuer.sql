--liquibase formatted sql

--changeset gateway:070-dev-issuer
-- The development authorization server only (never used with an external issuer):
-- its signing key, one row, made by the first node that needs it and read by every node, so
-- development tokens survive a restart and are good on every node; and the jti of every accepted
-- SMART client assertion until it would have expired, so a replayed assertion is refused on any node.
create table dev_signing_key (
    id smallint primary key check (id = 1),
    jwk text not null,
    created_at timestamptz not null default now()
);
create table client_assertion_jti (
    client_id varchar(200) not null,
    jti varchar(255) not null,
    keep_until timestamptz not null,
    primary key (client_id, jti)
);
create index client_assertion_jti_keep_until_ix on client_assertion_jti (keep_until);
