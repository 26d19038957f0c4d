package org.childrensgateway.audit;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.childrensgateway.store.IndexRows;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Stores a group of AuditEvents and links them into the hash chain in <em>one</em> statement: the
 * resource rows, their search index rows (the layout {@code PostgresResourceStore.write} gives every
 * resource, so reads and searches see them as before) and the chain links. No history copy: an
 * AuditEvent never changes, so vread and {@code _history} read its current row
 * ({@code store.SingleVersionTypes}). The read mix spent two
 * statements on this per request, and the second re-read each stored AuditEvent (row and TOAST)
 * only to hash its {@code content::text}; here the hash is taken from the row the insert returns.
 * Call inside the group's own transaction; the chain head is locked by this statement, which is
 * the transaction's only one, so it stays locked only until the commit.
 */
@Repository
class AuditStore {

    /** An AuditEvent to store: its id, {@code recorded} instant (its last-updated), JSON and index rows. */
    record Event(String id, Instant at, String json, IndexRows rows) {
    }

    private static final String STORE_AND_LINK = """
            with recursive
                 p as (select * from unnest(?::text[], ?::timestamptz[], ?::text[]) with ordinality as p(res_id, last_updated, content, ord)),
                 r as (insert into resource (res_type, res_id, version_id, last_updated, deleted, content)
                       select 'AuditEvent', res_id, 1, last_updated, false, content::jsonb from p order by ord
                       returning pid, res_id, last_updated, content),
                 k as (select p.ord, r.pid, r.res_id, r.last_updated, r.content from r join p on p.res_id = r.res_id),
                 t as (insert into sp_token (pid, res_type, name, system, code)
                       select k.pid, 'AuditEvent', x.name, x.system, x.code
                       from unnest(?::bigint[], ?::text[], ?::text[], ?::text[]) as x(ord, name, system, code) join k on k.ord = x.ord),
                 s as (insert into sp_string (pid, res_type, name, value_norm, value_exact)
                       select k.pid, 'AuditEvent', x.name, x.value_norm, x.value_exact
                       from unnest(?::bigint[], ?::text[], ?::text[], ?::text[]) as x(ord, name, value_norm, value_exact) join k on k.ord = x.ord),
                 d as (insert into sp_date (pid, res_type, name, low, high)
                       select k.pid, 'AuditEvent', x.name, x.low, x.high
                       from unnest(?::bigint[], ?::text[], ?::timestamptz[], ?::timestamptz[]) as x(ord, name, low, high) join k on k.ord = x.ord),
                 f as (insert into sp_reference (pid, res_type, name, target_type, target_id)
                       select k.pid, 'AuditEvent', x.name, x.target_type, x.target_id
                       from unnest(?::bigint[], ?::text[], ?::text[], ?::text[]) as x(ord, name, target_type, target_id) join k on k.ord = x.ord),
                 head as (select last_seq, last_hash::text as last_hash from audit_chain_head where id = 1 for update),
                 item as (select ord, pid, res_id, encode(sha256(convert_to(content::text, 'UTF8')), 'hex') as h from k),
                 chained as (select item.ord, head.last_seq + 1 as seq, item.pid, item.res_id, item.h, head.last_hash as prev,
                                    encode(sha256(convert_to(head.last_hash || item.h, 'UTF8')), 'hex') as hash
                             from head, item where item.ord = 1
                             union all
                             select item.ord, c.seq + 1, item.pid, item.res_id, item.h, c.hash,
                                    encode(sha256(convert_to(c.hash || item.h, 'UTF8')), 'hex')
                             from chained c join item on item.ord = c.ord + 1),
                 link as (insert into audit_chain (seq, pid, res_id, content_hash, prev_hash, chain_hash)
                          select seq, pid, res_id, h, prev, hash from chained
                          returning seq, chain_hash)
            update audit_chain_head set last_seq = l.seq, last_hash = l.chain_hash
            from (select seq, chain_hash, count(*) over () as n from link order by seq desc limit 1) l
            where id = 1
            returning l.seq, l.n
            """;

    private final JdbcClient jdbc;

    AuditStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Stores the events and appends them to the chain in the given order (each link's prev_hash the
     * previous one's chain_hash, the first the head's); returns the seq of the last link. Throws,
     * and the caller's transaction must roll back, unless every event was stored and linked.
     */
    long storeAndLink(List<Event> events) {
        List<Object> args = new ArrayList<>();
        args.add(events.stream().map(Event::id).toArray(String[]::new));
        args.add(events.stream().map(e -> e.at().toString()).toArray(String[]::new));
        args.add(events.stream().map(Event::json).toArray(String[]::new));
        index(args, events, r -> r.tokens, IndexRows.Token::name, IndexRows.Token::system, IndexRows.Token::indexedCode);
        index(args, events, r -> r.strings, IndexRows.Str::name, IndexRows.Str::normalised, IndexRows.Str::exact);
        index(args, events, r -> r.dates, IndexRows.DateRange::name, d -> d.low().toString(), d -> d.high().toString());
        index(args, events, r -> r.references, IndexRows.Ref::name, IndexRows.Ref::targetType, IndexRows.Ref::targetId);
        long[] last = jdbc.sql(STORE_AND_LINK).params(args).query((rs, n) -> new long[] {rs.getLong(1), rs.getLong(2)}).optional()
                .orElseThrow(() -> new IllegalStateException("no AuditEvent of the group was linked into the chain"));
        if (last[1] != events.size()) {
            // An event not stored (or out of order) would leave a gap: fail the group, store nothing.
            throw new IllegalStateException("linked " + last[1] + " of " + events.size() + " AuditEvents into the chain");
        }
        return last[0];
    }

    /** One index table's rows of the group, as four arrays: the event's place in the group (from 1) and the table's three columns. */
    private static <T> void index(List<Object> args, List<Event> events, Function<IndexRows, List<T>> rowsOf,
                                  Function<T, String> a, Function<T, String> b, Function<T, String> c) {
        List<Long> ords = new ArrayList<>();
        List<String> as = new ArrayList<>();
        List<String> bs = new ArrayList<>();
        List<String> cs = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            for (T row : rowsOf.apply(events.get(i).rows())) {
                ords.add(i + 1L);
                as.add(a.apply(row));
                bs.add(b.apply(row));
                cs.add(c.apply(row));
            }
        }
        args.add(ords.toArray(Long[]::new));
        args.add(as.toArray(String[]::new));
        args.add(bs.toArray(String[]::new));
        args.add(cs.toArray(String[]::new));
    }
}
