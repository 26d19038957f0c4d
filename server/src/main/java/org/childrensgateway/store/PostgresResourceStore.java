package org.childrensgateway.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.childrensgateway.search.ReferenceAlias;
import org.postgresql.PGStatement;
import org.springframework.jdbc.core.ArgumentPreparedStatementSetter;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.ConnectionHolder;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/** {@link ResourceStore} on PostgreSQL: JSONB content, full history, and index tables kept in step. */
@Repository
public class PostgresResourceStore implements ResourceStore {

    private static final String CURRENT_COLUMNS =
            "pid, res_type, res_id, version_id, last_updated, deleted, null as method, content::text as content";
    private static final String HISTORY_COLUMNS =
            "hid, res_type, res_id, version_id, last_updated, deleted, method, content::text as content";
    static final String READ_VERSION =
            "select " + HISTORY_COLUMNS + " from resource_history where res_type = ? and res_id = ? and version_id = ?";
    /**
     * A resource that keeps no history copy ({@link SingleVersionTypes}) as its one history entry:
     * the current row, keyed {@code -pid} (history keys of copies are positive hids), made by a create.
     */
    private static final String CURRENT_AS_VERSION_COLUMNS =
            "-pid, res_type, res_id, version_id, last_updated, deleted, 'POST' as method, content::text as content";
    static final String READ_SINGLE_VERSION = "select " + CURRENT_AS_VERSION_COLUMNS
            + " from resource where res_type = ? and res_id = ? and version_id = ? and not deleted";
    /** Maps a row of {@link #currentColumns} (or of the history columns). */
    public static final RowMapper<StoredResource> ROW = PostgresResourceStore::map;

    private final JdbcClient jdbc;

    private final JdbcTemplate template;

    /** The key the transaction manager binds a transaction's connection under. */
    private final javax.sql.DataSource dataSource;

    public PostgresResourceStore(JdbcClient jdbc, JdbcTemplate template) {
        this.template = template;
        this.jdbc = jdbc;
        this.dataSource = template.getDataSource();
    }

    private static StoredResource map(ResultSet rs, int row) throws SQLException {
        return map(rs, row, 1);
    }

    /** The row's resource columns, starting at column {@code first}. */
    private static StoredResource map(ResultSet rs, int row, int first) throws SQLException {
        return new StoredResource(rs.getLong(first), rs.getString(first + 1), rs.getString(first + 2), rs.getLong(first + 3),
                rs.getTimestamp(first + 4).toInstant(), rs.getBoolean(first + 5), rs.getString(first + 6), rs.getString(first + 7));
    }

    @Override
    public Optional<StoredResource> read(String type, String id) {
        return jdbc.sql("select " + CURRENT_COLUMNS + " from resource where res_type = ? and res_id = ?")
                .params(type, id).query(ROW).optional();
    }

    @Override
    public Optional<StoredResource> readForUpdate(String type, String id) {
        return jdbc.sql("select " + CURRENT_COLUMNS + " from resource where res_type = ? and res_id = ? for update")
                .params(type, id).query(ROW).optional();
    }

    @Override
    public List<StoredResource> readForUpdate(String type, Collection<String> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        // Rows are locked as the sort emits them: in id order.
        return jdbc.sql("select " + CURRENT_COLUMNS + " from resource where res_type = ? and res_id = any(?) order by res_id for update")
                .params(type, ids.toArray(String[]::new)).query(ROW).list();
    }

    @Override
    public Optional<StoredResource> readVersion(String type, String id, long version) {
        String sql = SingleVersionTypes.contains(type) ? READ_SINGLE_VERSION : READ_VERSION;
        return jdbc.sql(sql).params(type, id, version).query(ROW).optional();
    }

    @Override
    public StoredResource write(String type, String id, long version, Instant lastUpdated, String json, IndexRows rows, String method) {
        HeldCreates held = version == 1 ? held() : null;
        if (held != null && held.holding()) {
            try {
                return held.add(type, id, lastUpdated, json, rows, method);
            } catch (SQLException e) {
                throw translated(e);
            }
        }
        // One statement, one round trip: the resource row, its history copy and all its index rows
        // (as arrays, unnested by PostgreSQL). The jsonb is parsed once and copied to the history.
        // Index rows of the previous version are deleted in the same statement; all parts see the
        // same snapshot, so the deletes cannot touch the rows being inserted.
        List<Object> args = new ArrayList<>();
        String current;
        if (version == 1) {
            current = "insert into resource (res_type, res_id, version_id, last_updated, deleted, content)"
                    + " values (?, ?, 1, ?, false, ?::jsonb) returning pid, content";
            args.addAll(List.of(type, id, Timestamp.from(lastUpdated), json));
        } else {
            current = "update resource set version_id = ?, last_updated = ?, deleted = false, content = ?::jsonb"
                    + " where res_type = ? and res_id = ? and version_id = ? returning pid, content";
            args.addAll(List.of(version, Timestamp.from(lastUpdated), json, type, id, version - 1));
        }
        StringBuilder sql = new StringBuilder("with r as (").append(current).append(")");
        sql.append(", h as (insert into resource_history (pid, res_type, res_id, version_id, last_updated, deleted, method, content)"
                + " select pid, ?, ?, ?, ?, false, ?, content from r)");
        args.addAll(List.of(type, id, version, Timestamp.from(lastUpdated), method));
        // A new version keeps the index rows it shares with the previous one: only rows that are no
        // longer true are deleted and only new ones inserted (a child record rewritten with a new
        // source, or a re-sent record, changes few or none). All parts see the statement's snapshot:
        // the deletes see the previous version's rows, the inserts skip those that stay.
        boolean replacing = version > 1;
        indexPart(sql, args, "t", "sp_token", type, replacing, new String[] {"name", "system", "code"}, new String[] {"text", "text", "text"},
                rows.tokens.isEmpty() ? null : new Object[] {column(rows.tokens, IndexRows.Token::name),
                        column(rows.tokens, IndexRows.Token::system), column(rows.tokens, IndexRows.Token::indexedCode)});
        indexPart(sql, args, "s", "sp_string", type, replacing, new String[] {"name", "value_norm", "value_exact"},
                new String[] {"text", "text", "text"},
                rows.strings.isEmpty() ? null : new Object[] {column(rows.strings, IndexRows.Str::name),
                        column(rows.strings, IndexRows.Str::normalised), column(rows.strings, IndexRows.Str::exact)});
        indexPart(sql, args, "d", "sp_date", type, replacing, new String[] {"name", "low", "high"},
                new String[] {"text", "timestamptz", "timestamptz"},
                rows.dates.isEmpty() ? null : new Object[] {column(rows.dates, IndexRows.DateRange::name),
                        column(rows.dates, d -> d.low().toString()), column(rows.dates, d -> d.high().toString())});
        indexPart(sql, args, "f", "sp_reference", type, replacing, new String[] {"name", "target_type", "target_id"},
                new String[] {"text", "text", "text"},
                rows.references.isEmpty() ? null : new Object[] {column(rows.references, IndexRows.Ref::name),
                        column(rows.references, IndexRows.Ref::targetType), column(rows.references, IndexRows.Ref::targetId)});
        sql.append(" select pid from r");
        Optional<Long> pid = jdbc.sql(sql.toString()).params(args).query(Long.class).optional();
        if (pid.isEmpty()) {
            throw new ConcurrentVersionException(type, id, version - 1);
        }
        return new StoredResource(pid.get(), type, id, version, lastUpdated, false, method, json);
    }

    private static final List<String> INDEX_TABLES = List.of("sp_token", "sp_string", "sp_date", "sp_reference");

    /**
     * The part of the write statement for one index table: {@code values} are the new version's rows
     * as three arrays (null: none). For a new resource, an insert of them all. For a new version, a
     * delete of the previous version's rows that are not among them and an insert of those not
     * already there; rows are compared on all three columns, nulls equal.
     */
    private static void indexPart(StringBuilder sql, List<Object> args, String alias, String table, String type, boolean replacing,
                                  String[] columns, String[] types, Object[] values) {
        String unnest = "unnest(?::" + types[0] + "[], ?::" + types[1] + "[], ?::" + types[2] + "[]) as x(" + String.join(", ", columns) + ")";
        String same = "i.pid = r.pid and i." + columns[0] + " = x." + columns[0] + " and i." + columns[1] + " is not distinct from x." + columns[1]
                + " and i." + columns[2] + " is not distinct from x." + columns[2];
        if (replacing) {
            sql.append(", d_").append(alias).append(" as (delete from ").append(table).append(" i using r where i.pid = r.pid");
            if (values != null) {
                sql.append(" and not exists (select 1 from ").append(unnest).append(" where ").append(same).append(")");
                args.addAll(List.of(values));
            }
            sql.append(")");
        }
        if (values == null) {
            return;
        }
        String cols = String.join(", ", columns);
        sql.append(", ").append(alias).append(" as (insert into ").append(table).append(" (pid, res_type, ").append(cols)
                .append(") select r.pid, ?, x.").append(columns[0]).append(", x.").append(columns[1]).append(", x.").append(columns[2])
                .append(" from r, ");
        args.add(type);
        if (replacing) {
            // The new rows except those the previous version already has (EXCEPT compares nulls as equal).
            sql.append("(select * from ").append(unnest).append(" except select ").append(cols).append(" from ").append(table)
                    .append(" where pid = (select pid from r)) as x");
        } else {
            sql.append(unnest);
        }
        args.addAll(List.of(values));
        sql.append(")");
    }

    private static <T> String[] column(List<T> rows, java.util.function.Function<T, String> value) {
        String[] out = new String[rows.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = value.apply(rows.get(i));
        }
        return out;
    }

    @Override
    public StoredResource delete(StoredResource current, Instant when) {
        long version = current.version() + 1;
        Timestamp ts = Timestamp.from(when);
        int updated = jdbc.sql("update resource set version_id = ?, last_updated = ?, deleted = true, content = null"
                        + " where pid = ? and version_id = ?")
                .params(version, ts, current.key(), current.version()).update();
        if (updated != 1) {
            throw new ConcurrentVersionException(current.type(), current.id(), current.version());
        }
        deleteIndexes(current.key());
        jdbc.sql("insert into resource_history (pid, res_type, res_id, version_id, last_updated, deleted, method, content)"
                        + " values (?, ?, ?, ?, ?, true, 'DELETE', null)")
                .params(current.key(), current.type(), current.id(), version, ts).update();
        return new StoredResource(current.key(), current.type(), current.id(), version, when, true, "DELETE", null);
    }

    private void deleteIndexes(long pid) {
        for (String table : INDEX_TABLES) {
            jdbc.sql("delete from " + table + " where pid = ?").param(pid).update();
        }
    }


    @Override
    public List<Long> search(SearchQuery query) {
        return planned(query, SearchSqlBuilder.keys(query), (rs, n) -> rs.getLong(1));
    }

    @Override
    public List<StoredResource> searchCurrent(SearchQuery query) {
        return planned(query, SearchSqlBuilder.rows(currentColumns("r"), query), ROW);
    }

    @Override
    public List<StoredResource> searchCurrent(SearchQuery query, int limit) {
        return planned(query, SearchSqlBuilder.rows(currentColumns("r"), query).append(" limit ?", limit), ROW);
    }

    @Override
    public List<StoredResource> searchAfter(SearchQuery query, SearchPosition after, int limit) {
        return planned(query, SearchSqlBuilder.rowsAfter(currentColumns("r"), query, after, limit), ROW);
    }

    /**
     * Streamed (a cursor of {@link #FACTS_FETCH} rows at a time, inside the caller's transaction), so
     * memory stays bounded whatever the search matches; each row's {@code json} is the projection only.
     */
    @Override
    public void searchMembers(SearchQuery query, Collection<String> members, java.util.function.Consumer<StoredResource> each) {
        String columns = "r.pid, r.res_type, r.res_id, r.version_id, r.last_updated, r.deleted, null as method, "
                + SearchSqlBuilder.projection("r", members) + " as content";
        SqlFragment sql = SearchSqlBuilder.rows(columns, query);
        // Every row will be read: plan for all of them, not (as for a cursor by default) for the first tenth.
        template.execute("set local cursor_tuple_fraction = 1");
        template.query(statement(query, sql, FACTS_FETCH), (org.springframework.jdbc.core.RowCallbackHandler) rs -> each.accept(map(rs, 0)));
    }

    private static final int FACTS_FETCH = 500;

    @Override
    public int count(SearchQuery query) {
        return planned(query, SearchSqlBuilder.count(query), (rs, n) -> rs.getInt(1)).get(0);
    }

    /**
     * Search SQL is planned for its parameter values on every execution. The driver server-prepares
     * a statement it has run five times on a connection, and PostgreSQL may then keep one generic
     * plan for all values; search SQL has the same text for every value of a parameter, so after a
     * few broad searches ({@code family=Jones}) a selective one ({@code address-postalcode=CF10 1AA})
     * got a plan that cannot use the {@code LIKE 'prefix%'} index range: 41 ms instead of 0.06 ms at
     * 125,000 patients (docs/storage.md). A prepare threshold of 0 keeps these statements unnamed,
     * and PostgreSQL plans an unnamed statement with the values bound. Every other statement keeps
     * its cached plan: forcing custom plans on the whole connection cost planning on each of them.
     * So do searches made only of reference equalities, exact identifiers and ids (a child's Consents,
     * {@code subject=}, every conditional write's criteria, the read mix's lookups): every plan for them,
     * generic or not, is the same index lookups (for an identifier, because SearchSqlBuilder writes it
     * as an array of the matches' pids: as an EXISTS its generic plan could walk the resource table),
     * and planning them on every execution was PostgreSQL CPU spent for nothing. PostgreSQL takes the
     * generic plan of reference and id lookups by itself, but kept re-planning the identifier lookups (it never chose the generic plan, costed for ten
     * matches, over a custom one costed for one), so those are run with it asked for ({@link GenericPlans}).
     */
    private <T> List<T> planned(SearchQuery query, SqlFragment sql, RowMapper<T> rows) {
        if (!SearchSqlBuilder.equalityLookupsOnly(query) || !SearchSqlBuilder.hasExactIdentifier(query)) {
            // Reference and id lookups need no asking: PostgreSQL takes their generic plan by itself.
            return template.query(statement(query, sql, 0), rows);
        }
        return GenericPlans.list(template, sql.sql(), sql.args().toArray(), rows);
    }

    private static org.springframework.jdbc.core.PreparedStatementCreator statement(SearchQuery query, SqlFragment sql, int fetchSize) {
        boolean cachedPlanSafe = SearchSqlBuilder.equalityLookupsOnly(query);
        return connection -> {
            PreparedStatement statement = connection.prepareStatement(sql.sql());
            if (!cachedPlanSafe) {
                statement.unwrap(PGStatement.class).setPrepareThreshold(0);
            }
            statement.setFetchSize(fetchSize);
            new ArgumentPreparedStatementSetter(sql.args().toArray()).setValues(statement);
            return statement;
        };
    }

    @Override
    public List<StoredResource> loadCurrent(List<Long> pids) {
        if (pids.isEmpty()) {
            return List.of();
        }
        SqlFragment sql = loadCurrentQuery(pids);
        return inOrder(pids, jdbc.sql(sql.sql()).params(sql.args()).query(ROW).list());
    }

    /** One page of current resources by key: one statement, whatever the page size. */
    static SqlFragment loadCurrentQuery(List<Long> pids) {
        return new SqlFragment().append("select " + CURRENT_COLUMNS + " from resource where pid = any(?) and not deleted",
                (Object) pids.toArray(Long[]::new));
    }

    @Override
    public List<Long> historyKeys(String type, String id, Instant since, int limit) {
        SqlFragment sql = historyKeysQuery(type, id, since, limit);
        return jdbc.sql(sql.sql()).params(sql.args()).query(Long.class).list();
    }

    static SqlFragment historyKeysQuery(String type, String id, Instant since, int limit) {
        if (type != null && SingleVersionTypes.contains(type)) {
            // Their one version is the current row (old history copies, equal to it, are not read).
            return filtered(new SqlFragment().append("select -pid from resource where res_type = ?", type), id, since)
                    .append(" order by last_updated desc, pid desc limit ?", limit);
        }
        if (type != null) {
            return filtered(new SqlFragment().append("select hid from resource_history where res_type = ?", type), id, since)
                    .append(" order by last_updated desc, hid desc limit ?", limit);
        }
        // All types: the single-version ones from their current rows, the others from their copies.
        SqlFragment sql = new SqlFragment().append("select k from (select hid as k, last_updated from resource_history"
                + " where res_type <> all(?)", (Object) SingleVersionTypes.array());
        filtered(sql, id, since).append(" union all select -pid, last_updated from resource where res_type = any(?)",
                (Object) SingleVersionTypes.array());
        return filtered(sql, id, since).append(") v order by last_updated desc, abs(k) desc limit ?", limit);
    }

    private static SqlFragment filtered(SqlFragment sql, String id, Instant since) {
        if (id != null) {
            sql.append(" and res_id = ?", id);
        }
        if (since != null) {
            sql.append(" and last_updated >= ?", Timestamp.from(since));
        }
        return sql;
    }

    @Override
    public List<StoredResource> loadHistory(List<Long> hids) {
        if (hids.isEmpty()) {
            return List.of();
        }
        // Positive keys are history copies; negative ones (-pid) the current rows of single-version types.
        Long[] copies = hids.stream().filter(k -> k > 0).toArray(Long[]::new);
        Long[] current = hids.stream().filter(k -> k < 0).map(k -> -k).toArray(Long[]::new);
        List<StoredResource> rows = new ArrayList<>();
        if (copies.length > 0) {
            rows.addAll(jdbc.sql("select " + HISTORY_COLUMNS + " from resource_history where hid = any(?)").param(copies).query(ROW).list());
        }
        if (current.length > 0) {
            rows.addAll(jdbc.sql("select " + CURRENT_AS_VERSION_COLUMNS + " from resource where pid = any(?) and res_type = any(?)")
                    .params(current, SingleVersionTypes.array()).query(ROW).list());
        }
        return inOrder(hids, rows);
    }

    private static List<StoredResource> inOrder(List<Long> keys, List<StoredResource> rows) {
        Map<Long, StoredResource> byKey = new HashMap<>();
        rows.forEach(r -> byKey.put(r.key(), r));
        return keys.stream().map(byKey::get).filter(Objects::nonNull).toList();
    }

    @Override
    public List<StoredResource> loadIncludes(Collection<Long> pids, String sourceType, String param, String targetType) {
        if (pids.isEmpty()) {
            return List.of();
        }
        SqlFragment sql = includesQuery(pids, sourceType, param, targetType);
        return jdbc.sql(sql.sql()).params(sql.args()).query(ROW).list();
    }

    /** {@code _include} for one page: one statement per include parameter. */
    static SqlFragment includesQuery(Collection<Long> pids, String sourceType, String param, String targetType) {
        SqlFragment sql = new SqlFragment().append("select distinct " + currentColumns("t") + " from sp_reference f"
                        + " join resource t on t.res_type = f.target_type and t.res_id = f.target_id and not t.deleted"
                        + " where f.pid = any(?) and f.res_type = ? and f.name = ?",
                pids.toArray(Long[]::new), sourceType, ReferenceAlias.storedName(sourceType, param));
        if (targetType != null) {
            sql.append(" and f.target_type = ?", targetType);
        }
        return aliasTarget(sql, sourceType, param);
    }

    @Override
    public List<StoredResource> loadRevIncludes(Collection<StoredResource> targets, String sourceType, String param) {
        if (targets.isEmpty()) {
            return List.of();
        }
        SqlFragment sql = revIncludesQuery(targets, sourceType, param);
        return jdbc.sql(sql.sql()).params(sql.args()).query(ROW).list();
    }

    /** {@code _revinclude} for one page: one statement per revinclude parameter. */
    static SqlFragment revIncludesQuery(Collection<StoredResource> targets, String sourceType, String param) {
        List<String> types = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        targets.forEach(t -> {
            types.add(t.type());
            ids.add(t.id());
        });
        SqlFragment sql = new SqlFragment().append("select distinct " + currentColumns("s") + " from sp_reference f"
                        + " join unnest(?::text[], ?::text[]) as k(t, i) on f.target_type = k.t and f.target_id = k.i"
                        + " join resource s on s.pid = f.pid and not s.deleted"
                        + " where f.res_type = ? and f.name = ?",
                types.toArray(String[]::new), ids.toArray(String[]::new), sourceType, ReferenceAlias.storedName(sourceType, param));
        return aliasTarget(sql, sourceType, param);
    }

    /** An aliased reference parameter ({@link ReferenceAlias}) reads only its alias's rows that point at its target type. */
    private static SqlFragment aliasTarget(SqlFragment sql, String sourceType, String param) {
        ReferenceAlias.of(sourceType, param).ifPresent(a -> sql.append(" and f.target_type = ?", a.targetType()));
        return sql;
    }

    @Override
    public Map<String, List<StoredResource>> loadRevIncludesByTarget(String targetType, Collection<String> targetIds, String sourceType,
                                                                    String param) {
        Map<String, List<StoredResource>> out = new java.util.LinkedHashMap<>();
        if (targetIds.isEmpty() || ReferenceAlias.of(sourceType, param).filter(a -> !a.targetType().equals(targetType)).isPresent()) {
            return out; // an aliased parameter points only at its target type
        }
        jdbc.sql("select distinct on (f.target_id, s.pid) f.target_id, " + currentColumns("s") + " from sp_reference f"
                        + " join resource s on s.pid = f.pid and not s.deleted"
                        + " where f.res_type = ? and f.name = ? and f.target_type = ? and f.target_id = any(?)"
                        + " order by f.target_id, s.pid")
                .params(sourceType, ReferenceAlias.storedName(sourceType, param), targetType, targetIds.toArray(String[]::new))
                .query((rs, n) -> out.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(map(rs, n, 2)))
                .list();
        return out;
    }

    /** A current row's columns under a table alias, for a statement that joins {@code resource} (mapped by {@link #ROW}). */
    public static String currentColumns(String alias) {
        return alias + ".pid, " + alias + ".res_type, " + alias + ".res_id, " + alias + ".version_id, " + alias
                + ".last_updated, " + alias + ".deleted, null as method, " + alias + ".content::text as content";
    }

    @Override
    public void holdCreates(int expected) {
        HeldCreates held = held();
        if (held != null) {
            held.hold(expected);
        }
    }

    @Override
    public void flushCreates() {
        HeldCreates held = held();
        if (held != null) {
            held.release();
            try {
                held.write();
            } catch (SQLException e) {
                throw translated(e);
            }
        }
    }

    /**
     * What the current transaction's connection holds ({@link HeldCreatesDataSource}); null outside a
     * transaction. A transaction started inside it on the same thread (the audit log's, which is
     * REQUIRES_NEW) has a connection of its own and writes directly.
     */
    private HeldCreates held() {
        return TransactionSynchronizationManager.isActualTransactionActive()
                && TransactionSynchronizationManager.getResource(dataSource) instanceof ConnectionHolder holder
                ? HeldCreatesDataSource.heldOn(holder.getConnection()) : null;
    }

    /** Held creates are stored with plain JDBC on the pool's connection; its errors, as the template reports its own. */
    private org.springframework.dao.DataAccessException translated(SQLException e) {
        return Objects.requireNonNull(template.getExceptionTranslator().translate("writing held creates", null, e));
    }

    @Override
    public void lockCriteria(String criteria) {
        jdbc.sql("select pg_advisory_xact_lock(hashtextextended(?, 0))").param(criteria).query(Object.class).optional();
    }

    @Override
    public void lockCriteria(java.util.Collection<String> criteria) {
        if (criteria.isEmpty()) {
            return;
        }
        if (criteria.size() == 1) {
            lockCriteria(criteria.iterator().next());
            return;
        }
        // The same locks as one by one (the same key text and hash), one round trip.
        jdbc.sql("select count(pg_advisory_xact_lock(hashtextextended(k, 0))) from (select k from unnest(?::text[]) as u(k) order by 1) s")
                .param(new java.util.TreeSet<>(criteria).toArray(String[]::new)).query(Long.class).single();
    }
}
