package org.childrensgateway.ingest;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Records that could not be stored, with their original text, until they are fixed and replayed. */
@Repository
public class QuarantineStore {

    /** A quarantined record; {@code rawText} holds personal data and is only returned on request by id. */
    public record Entry(long id, UUID jobId, String feed, String file, String mappingVersion, String location, Long line,
                        String sourceId, String reason, String rawText, String status, Instant created, Instant resolved,
                        int attempts) {
    }

    private final JdbcClient jdbc;

    public QuarantineStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public long add(UUID jobId, String feed, String file, String mappingVersion, String location, Long line,
                    String sourceId, String reason, String rawText) {
        return jdbc.sql("insert into quarantine (job_id, feed, file, mapping_version, location, line, source_id, reason, raw_text)"
                        + " values (?, ?, ?, ?, ?, ?, ?, ?, ?) returning id")
                .params(jobId, feed, file, mappingVersion, truncate(location, 300), line, truncate(sourceId, 200), reason, rawText)
                .query(Long.class).single();
    }

    public Optional<Entry> find(long id) {
        return jdbc.sql("select * from quarantine where id = ?").param(id).query(QuarantineStore::map).optional();
    }

    public List<Entry> list(String feed, String file, String status, UUID jobId, int limit) {
        return list(feed, file, status, jobId, 0, limit);
    }

    /** Entries with ids after {@code afterId}, oldest first: the next page starts after the last id seen. */
    public List<Entry> list(String feed, String file, String status, UUID jobId, long afterId, int limit) {
        StringBuilder sql = new StringBuilder("select * from quarantine where id > ?");
        List<Object> args = new java.util.ArrayList<>();
        args.add(afterId);
        if (feed != null) {
            sql.append(" and feed = ?");
            args.add(feed);
        }
        if (file != null) {
            sql.append(" and file = ?");
            args.add(file);
        }
        if (status != null) {
            sql.append(" and status = ?");
            args.add(status);
        }
        if (jobId != null) {
            sql.append(" and job_id = ?");
            args.add(jobId);
        }
        sql.append(" order by id limit ?");
        args.add(limit);
        return jdbc.sql(sql.toString()).params(args).query(QuarantineStore::map).list();
    }

    public void resolve(long id) {
        jdbc.sql("update quarantine set status = 'resolved', resolved = now(), attempts = attempts + 1 where id = ?").param(id).update();
    }

    /** A replay that failed again: the new reason and text replace the old ones. */
    public void stillFailing(long id, String reason, String rawText, String mappingVersion) {
        jdbc.sql("update quarantine set reason = ?, raw_text = ?, mapping_version = ?, attempts = attempts + 1 where id = ?")
                .params(reason, rawText, mappingVersion, id).update();
    }

    private static Entry map(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
        Timestamp resolved = rs.getTimestamp("resolved");
        long line = rs.getLong("line");
        return new Entry(rs.getLong("id"), rs.getObject("job_id", UUID.class), rs.getString("feed"), rs.getString("file"),
                rs.getString("mapping_version"), rs.getString("location"), rs.wasNull() ? null : line, rs.getString("source_id"),
                rs.getString("reason"), rs.getString("raw_text"), rs.getString("status"), rs.getTimestamp("created").toInstant(),
                resolved == null ? null : resolved.toInstant(), rs.getInt("attempts"));
    }

    private static String truncate(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max);
    }
}
