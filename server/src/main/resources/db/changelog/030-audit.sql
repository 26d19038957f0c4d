--liquibase formatted sql

--changeset gateway:030-audit-chain
-- The hash chain over stored AuditEvents (the events themselves live in resource/resource_history,
-- res_type 'AuditEvent'). chain_hash = sha256(prev_hash || content_hash), hex, where content_hash is
-- sha256 of the stored jsonb as text. seq is given out under the lock of the single-row head, so it
-- is gapless and in chain order whichever node appends.
create table audit_chain (
    seq           bigint       primary key,
    pid           bigint       not null references resource (pid),
    res_id        varchar(64)  not null,
    appended      timestamptz  not null default now(),
    content_hash  char(64)     not null,
    prev_hash     char(64)     not null,
    chain_hash    char(64)     not null,
    constraint audit_chain_pid_uk unique (pid)
);

create table audit_chain_head (
    id         smallint     primary key check (id = 1),
    last_seq   bigint       not null,
    last_hash  char(64)     not null
);
insert into audit_chain_head (id, last_seq, last_hash) values (1, 0, repeat('0', 64));

--changeset gateway:030-audit-guard-function splitStatements:false
-- Append-only: no UPDATE, DELETE or TRUNCATE of the chain, and no change to a stored AuditEvent.
-- (A superuser can still bypass triggers; the hash chain is what shows that.)
create function audit_append_only() returns trigger language plpgsql as $$
begin
    raise exception 'audit records are append-only: % on % refused', tg_op, tg_table_name;
end
$$;

--changeset gateway:030-audit-guard-triggers
create trigger audit_chain_append_only before update or delete on audit_chain
    for each row execute function audit_append_only();
create trigger audit_chain_no_truncate before truncate on audit_chain
    for each statement execute function audit_append_only();
create trigger audit_event_append_only before update or delete on resource
    for each row when (old.res_type = 'AuditEvent') execute function audit_append_only();
create trigger audit_event_history_append_only before update or delete on resource_history
    for each row when (old.res_type = 'AuditEvent') execute function audit_append_only();
