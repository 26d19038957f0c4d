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

    /**
     * Quarantines a record, once: if an open entry holds the same record of the same feed and file
     * with the same text (a resumed job, or the file sent again), that entry is kept and moved to
     * this job, and its id returned. NUL, which PostgreSQL text cannot hold, is stored as the six
     * characters backslash, u, 0, 0, 0, 0.
     */
    public long add(UUID jobId, String feed, String file, String mappingVersion, String location, Long line,
                    String sourceId, String reason, String rawText) {
        return add(jobId, feed, file, mappingVersion, location, line, sourceId, null, reason, rawText);
    }

    /**
     * As {@link #add}, for one part of a record quarantined by itself (e.g. {@code Event[@id='E-1']}):
     * each part of the same record is its own entry, once.
     */
    public long addPart(UUID jobId, String feed, String file, String mappingVersion, String location, Long line,
                        String sourceId, String part, String reason, String rawText) {
        return add(jobId, feed, file, mappingVersion, location, line, sourceId, part, reason, rawText);
    }

    private long add(UUID jobId, String feed, String file, String mappingVersion, String location, Long line,
                     String sourceId, String part, String reason, String rawText) {
        String text = storable(rawText);
        String key = truncate((sourceId == null ? "" : sourceId) + (part == null ? "" : "#" + part), 200);
        return jdbc.sql("insert into quarantine (job_id, feed, file, mapping_version, location, line, source_id, reason, raw_text,"
                        + " record_key, content_hash) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                        + " on conflict (feed, file, record_key, content_hash) where status = 'open'"
                        + " do update set job_id = excluded.job_id, location = excluded.location, line = excluded.line,"
                        + " mapping_version = excluded.mapping_version, reason = excluded.reason returning id")
                .params(jobId, feed, file, mappingVersion, truncate(location, 300), line, truncate(sourceId, 200), storable(reason), text,
                        key, sha256(text))
                .query(Long.class).single();
    }

    private static String storable(String text) {
        return text == null ? null : text.replace("\u0000", "\\u0000");
    }

    static String sha256(String text) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
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
        // content_hash stays that of the text as received, so the same record sent again still finds this entry.
        jdbc.sql("update quarantine set reason = ?, raw_text = ?, mapping_version = ?, attempts = attempts + 1 where id = ?")
                .params(storable(reason), storable(rawText), mappingVersion, id).update();
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
