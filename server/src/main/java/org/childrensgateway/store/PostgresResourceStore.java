package org.childrensgateway.store;

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
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** {@link ResourceStore} on PostgreSQL: JSONB content, full history, and index tables kept in step. */
@Repository
public class PostgresResourceStore implements ResourceStore {

    private static final String CURRENT_COLUMNS =
            "pid, res_type, res_id, version_id, last_updated, deleted, null as method, content::text as content";
    private static final String HISTORY_COLUMNS =
            "hid, res_type, res_id, version_id, last_updated, deleted, method, content::text as content";
    static final String READ_VERSION =
            "select " + HISTORY_COLUMNS + " from resource_history where res_type = ? and res_id = ? and version_id = ?";
    private static final RowMapper<StoredResource> ROW = PostgresResourceStore::map;

    private final JdbcClient jdbc;
    private final JdbcTemplate template;

    public PostgresResourceStore(JdbcClient jdbc, JdbcTemplate template) {
        this.jdbc = jdbc;
        this.template = template;
    }

    private static StoredResource map(ResultSet rs, int row) throws SQLException {
        return new StoredResource(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getLong(4),
                rs.getTimestamp(5).toInstant(), rs.getBoolean(6), rs.getString(7), rs.getString(8));
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
    public Optional<StoredResource> readVersion(String type, String id, long version) {
        return jdbc.sql(READ_VERSION).params(type, id, version).query(ROW).optional();
    }

    @Override
    public StoredResource write(String type, String id, long version, Instant lastUpdated, String json, IndexRows rows, String method) {
        Timestamp ts = Timestamp.from(lastUpdated);
        long pid;
        if (version == 1) {
            pid = jdbc.sql("insert into resource (res_type, res_id, version_id, last_updated, deleted, content)"
                            + " values (?, ?, 1, ?, false, ?::jsonb) returning pid")
                    .params(type, id, ts, json).query(Long.class).single();
        } else {
            pid = jdbc.sql("update resource set version_id = ?, last_updated = ?, deleted = false, content = ?::jsonb"
                            + " where res_type = ? and res_id = ? and version_id = ? returning pid")
                    .params(version, ts, json, type, id, version - 1).query(Long.class).optional()
                    .orElseThrow(() -> new ConcurrentVersionException(type, id, version - 1));
            deleteIndexes(pid);
        }
        insertIndexes(pid, type, rows);
        jdbc.sql("insert into resource_history (pid, res_type, res_id, version_id, last_updated, deleted, method, content)"
                        + " values (?, ?, ?, ?, ?, false, ?, ?::jsonb)")
                .params(pid, type, id, version, ts, method, json).update();
        return new StoredResource(pid, type, id, version, lastUpdated, false, method, json);
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
        for (String table : List.of("sp_token", "sp_string", "sp_date", "sp_reference")) {
            jdbc.sql("delete from " + table + " where pid = ?").param(pid).update();
        }
    }

    private void insertIndexes(long pid, String type, IndexRows rows) {
        // Batched: one round trip per index table, not one per row.
        if (!rows.tokens.isEmpty()) {
            template.batchUpdate("insert into sp_token (pid, res_type, name, system, code) values (?, ?, ?, ?, ?)",
                    rows.tokens.stream().map(t -> new Object[] {pid, type, t.name(), t.system(), trim(t.code())}).toList());
        }
        if (!rows.strings.isEmpty()) {
            template.batchUpdate("insert into sp_string (pid, res_type, name, value_norm, value_exact) values (?, ?, ?, ?, ?)",
                    rows.strings.stream().map(s -> new Object[] {pid, type, s.name(), s.normalised(), s.exact()}).toList());
        }
        if (!rows.dates.isEmpty()) {
            template.batchUpdate("insert into sp_date (pid, res_type, name, low, high) values (?, ?, ?, ?, ?)",
                    rows.dates.stream().map(d -> new Object[] {pid, type, d.name(), Timestamp.from(d.low()), Timestamp.from(d.high())}).toList());
        }
        if (!rows.references.isEmpty()) {
            template.batchUpdate("insert into sp_reference (pid, res_type, name, target_type, target_id) values (?, ?, ?, ?, ?)",
                    rows.references.stream().map(r -> new Object[] {pid, type, r.name(), r.targetType(), r.targetId()}).toList());
        }
    }

    private static String trim(String code) {
        return code.length() <= 255 ? code : code.substring(0, 255);
    }

    @Override
    public List<Long> search(SearchQuery query) {
        SqlFragment sql = SearchSqlBuilder.keys(query);
        return jdbc.sql(sql.sql()).params(sql.args()).query(Long.class).list();
    }

    @Override
    public int count(SearchQuery query) {
        SqlFragment sql = SearchSqlBuilder.count(query);
        return jdbc.sql(sql.sql()).params(sql.args()).query(Integer.class).single();
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
        SqlFragment sql = new SqlFragment().append("select hid from resource_history where true");
        if (type != null) {
            sql.append(" and res_type = ?", type);
        }
        if (id != null) {
            sql.append(" and res_id = ?", id);
        }
        if (since != null) {
            sql.append(" and last_updated >= ?", Timestamp.from(since));
        }
        return sql.append(" order by last_updated desc, hid desc limit ?", limit);
    }

    @Override
    public List<StoredResource> loadHistory(List<Long> hids) {
        if (hids.isEmpty()) {
            return List.of();
        }
        List<StoredResource> rows = jdbc.sql("select " + HISTORY_COLUMNS + " from resource_history where hid = any(?)")
                .param(hids.toArray(Long[]::new)).query(ROW).list();
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
        SqlFragment sql = new SqlFragment().append("select distinct " + prefixed("t") + " from sp_reference f"
                        + " join resource t on t.res_type = f.target_type and t.res_id = f.target_id and not t.deleted"
                        + " where f.pid = any(?) and f.res_type = ? and f.name = ?",
                pids.toArray(Long[]::new), sourceType, param);
        if (targetType != null) {
            sql.append(" and f.target_type = ?", targetType);
        }
        return sql;
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
        return new SqlFragment().append("select distinct " + prefixed("s") + " from sp_reference f"
                        + " join unnest(?::text[], ?::text[]) as k(t, i) on f.target_type = k.t and f.target_id = k.i"
                        + " join resource s on s.pid = f.pid and not s.deleted"
                        + " where f.res_type = ? and f.name = ?",
                types.toArray(String[]::new), ids.toArray(String[]::new), sourceType, param);
    }

    private static String prefixed(String alias) {
        return alias + ".pid, " + alias + ".res_type, " + alias + ".res_id, " + alias + ".version_id, " + alias
                + ".last_updated, " + alias + ".deleted, null as method, " + alias + ".content::text as content";
    }

    @Override
    public void lockCriteria(String criteria) {
        jdbc.sql("select pg_advisory_xact_lock(hashtextextended(?, 0))").param(criteria).query(Object.class).optional();
    }
}
