package org.childrensgateway.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * One transaction's new resources (version 1) held back and written together: one statement for
 * the resource rows, their history rows and all their index rows, instead of one statement per
 * resource (a transaction Bundle of 400 entries was 400 round trips, each a six-part statement
 * planned and executed on its own). Each is given its pid when it is held, from the same sequence
 * the column's default uses, so what {@link PostgresResourceStore#write} returns is what is stored.
 * Held by the transaction's connection ({@link HeldCreatesDataSource}), which writes them before
 * any other statement runs on it and before it commits, so everything in the transaction sees them.
 * Its own statements run on the pool's connection beneath, which writes nothing first.
 */
final class HeldCreates {

    /** A held version 1, as {@link ResourceWrites#write} was given it, with its reserved pid. */
    private record Create(long pid, String type, String id, Instant lastUpdated, String json, IndexRows rows, String method) {
    }

    /**
     * Inserts every held row. A resource whose (type, id) is already stored (another request created
     * it first, or two entries were given one id) is not inserted, and neither is anything of it: the
     * pids inserted are returned, and the caller refuses the rest.
     */
    private static final String FLUSH = """
            with p as (select * from unnest(?::bigint[], ?::text[], ?::text[], ?::timestamptz[], ?::text[], ?::text[])
                         with ordinality as p(pid, res_type, res_id, last_updated, method, content, ord)),
            r as (insert into resource (pid, res_type, res_id, version_id, last_updated, deleted, content) overriding system value
                  select pid, res_type, res_id, 1, last_updated, false, content::jsonb from p order by ord
                  on conflict (res_type, res_id) do nothing returning pid, content),
            h as (insert into resource_history (pid, res_type, res_id, version_id, last_updated, deleted, method, content)
                  select p.pid, p.res_type, p.res_id, 1, p.last_updated, false, p.method, r.content from p join r on r.pid = p.pid
                  order by p.ord),
            t as (insert into sp_token (pid, res_type, name, system, code)
                  select * from unnest(?::bigint[], ?::text[], ?::text[], ?::text[], ?::text[]) as x(pid, res_type, name, system, code)
                  where x.pid in (select pid from r)),
            s as (insert into sp_string (pid, res_type, name, value_norm, value_exact)
                  select * from unnest(?::bigint[], ?::text[], ?::text[], ?::text[], ?::text[]) as x(pid, res_type, name, value_norm, value_exact)
                  where x.pid in (select pid from r)),
            d as (insert into sp_date (pid, res_type, name, low, high)
                  select * from unnest(?::bigint[], ?::text[], ?::text[], ?::timestamptz[], ?::timestamptz[]) as x(pid, res_type, name, low, high)
                  where x.pid in (select pid from r)),
            f as (insert into sp_reference (pid, res_type, name, target_type, target_id)
                  select * from unnest(?::bigint[], ?::text[], ?::text[], ?::text[], ?::text[]) as x(pid, res_type, name, target_type, target_id)
                  where x.pid in (select pid from r))
            select pid from r""";

    /** Pids taken from the resource table's own sequence, as its default would take them. */
    private static final String RESERVE = "select nextval(pg_get_serial_sequence('resource', 'pid')) from generate_series(1, ?)";

    /** The pool's connection under the transaction's: statements on it do not write the held creates first. */
    private final Connection connection;
    private final List<Create> held = new ArrayList<>();
    private final ArrayDeque<Long> reserved = new ArrayDeque<>();
    private boolean holding;
    /** How many creates the holder said to expect: the size of the next reservation. */
    private int expected;
    /**
     * A write of held creates did not store them all: they are no longer held, so the transaction
     * must not commit (whoever caught the exception); only a rollback clears it.
     */
    private boolean failed;

    HeldCreates(Connection connection) {
        this.connection = connection;
    }

    boolean holding() {
        return holding;
    }

    void hold(int expectedCreates) {
        holding = true;
        expected = Math.max(expectedCreates, 1);
    }

    /** Stops holding; what is held is still to be written ({@link #write}). */
    void release() {
        holding = false;
    }

    /** The transaction ends without committing (or rolls back to a savepoint, set before anything now held): nothing held is written. */
    void discard() {
        held.clear();
        holding = false;
        failed = false;
    }

    StoredResource add(String type, String id, Instant lastUpdated, String json, IndexRows rows, String method) throws SQLException {
        if (reserved.isEmpty()) {
            // One statement for the whole expected run (a Bundle's entries), then small top-ups.
            try (PreparedStatement reserve = connection.prepareStatement(RESERVE)) {
                reserve.setInt(1, Math.min(expected, 1_000));
                try (ResultSet pids = reserve.executeQuery()) {
                    while (pids.next()) {
                        reserved.add(pids.getLong(1));
                    }
                }
            }
            expected = 16;
        }
        long pid = reserved.removeFirst();
        held.add(new Create(pid, type, id, lastUpdated, json, rows, method));
        return new StoredResource(pid, type, id, 1, lastUpdated, false, method, json);
    }

    /**
     * Writes what is held, in one statement, and forgets it.
     *
     * @throws DuplicateCreateException for the first held resource that was not inserted because its
     *                                  type and id are already stored (the transaction must roll back)
     */
    void write() throws SQLException {
        if (failed) {
            throw new SQLException("The transaction's new resources could not all be stored; it can only roll back");
        }
        if (held.isEmpty()) {
            return;
        }
        List<Create> creates = new ArrayList<>(held);
        held.clear();
        failed = true; // until every one is stored
        List<Object> args = new ArrayList<>();
        args.add(creates.stream().map(Create::pid).toArray(Long[]::new));
        args.add(column(creates, Create::type));
        args.add(column(creates, Create::id));
        args.add(column(creates, c -> c.lastUpdated().toString()));
        args.add(column(creates, Create::method));
        args.add(column(creates, Create::json));
        index(args, creates, r -> r.tokens, IndexRows.Token::name, IndexRows.Token::system, IndexRows.Token::indexedCode);
        index(args, creates, r -> r.strings, IndexRows.Str::name, IndexRows.Str::normalised, IndexRows.Str::exact);
        index(args, creates, r -> r.dates, IndexRows.DateRange::name, d -> d.low().toString(), d -> d.high().toString());
        index(args, creates, r -> r.references, IndexRows.Ref::name, IndexRows.Ref::targetType, IndexRows.Ref::targetId);
        Set<Long> inserted = new HashSet<>();
        try (PreparedStatement flush = connection.prepareStatement(FLUSH)) {
            for (int i = 0; i < args.size(); i++) {
                flush.setObject(i + 1, args.get(i)); // arrays, bound as PostgreSQL arrays
            }
            try (ResultSet pids = flush.executeQuery()) {
                while (pids.next()) {
                    inserted.add(pids.getLong(1));
                }
            }
        }
        for (Create c : creates) {
            if (!inserted.contains(c.pid())) {
                throw new DuplicateCreateException(c.type(), c.id());
            }
        }
        failed = false;
    }

    /** One index table's rows of all the creates, as five arrays: pid, res_type and the table's three columns. */
    private static <T> void index(List<Object> args, List<Create> creates, Function<IndexRows, List<T>> rowsOf,
                                  Function<T, String> a, Function<T, String> b, Function<T, String> c) {
        List<Long> pids = new ArrayList<>();
        List<String> types = new ArrayList<>();
        List<String> as = new ArrayList<>();
        List<String> bs = new ArrayList<>();
        List<String> cs = new ArrayList<>();
        for (Create create : creates) {
            for (T row : rowsOf.apply(create.rows())) {
                pids.add(create.pid());
                types.add(create.type());
                as.add(a.apply(row));
                bs.add(b.apply(row));
                cs.add(c.apply(row));
            }
        }
        args.add(pids.toArray(Long[]::new));
        args.add(types.toArray(String[]::new));
        args.add(as.toArray(String[]::new));
        args.add(bs.toArray(String[]::new));
        args.add(cs.toArray(String[]::new));
    }

    private static String[] column(List<Create> creates, Function<Create, String> value) {
        String[] out = new String[creates.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = value.apply(creates.get(i));
        }
        return out;
    }
}
