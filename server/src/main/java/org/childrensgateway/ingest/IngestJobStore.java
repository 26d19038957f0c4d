package org.childrensgateway.ingest;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.childrensgateway.security.Caller;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Ingest jobs and their progress, shared by every gateway node through PostgreSQL. */
@Repository
public class IngestJobStore {

    public static final String QUEUED = "queued";
    public static final String RUNNING = "running";
    public static final String DONE = "done";
    public static final String FAILED = "failed";

    /** A job row; counts are progress so far. */
    public record Job(UUID id, String feed, String file, String mappingVersion, String status, Instant created,
                      Instant finished, Counts counts, String error, Caller submittedBy) {

        /** The job as it was accepted: a worker may already have started it by the time the 202 is written. */
        public Job asAccepted() {
            return new Job(id, feed, file, mappingVersion, QUEUED, created, null, Counts.ZERO, null, submittedBy);
        }
    }

    public record Counts(int records, int created, int updated, int unchanged, int quarantined) {
        public static final Counts ZERO = new Counts(0, 0, 0, 0, 0);
    }

    public record Payload(String contentType, byte[] body) {
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    private final JdbcClient jdbc;
    private final org.springframework.jdbc.core.JdbcTemplate template;
    private final org.springframework.transaction.support.TransactionTemplate transaction;

    public IngestJobStore(JdbcClient jdbc, org.springframework.jdbc.core.JdbcTemplate template,
                          org.springframework.transaction.PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.template = template;
        this.transaction = new org.springframework.transaction.support.TransactionTemplate(transactions);
    }

    /**
     * Queues a background job and stores its extract in one transaction, streaming the body into
     * PostgreSQL as it arrives: no runner can see the job before its extract is stored, and once
     * this returns (and the 202 is sent) both are committed. If the upload fails or breaks a
     * limit, neither exists.
     */
    public UUID enqueue(String feed, String file, String mappingVersion, Caller submittedBy, String contentType,
                        java.io.InputStream body, long length) {
        return transaction.execute(status -> {
            UUID id = create(feed, file, mappingVersion, QUEUED, submittedBy);
            template.update("insert into ingest_payload (job_id, content_type, body) values (?, ?, ?)", ps -> {
                ps.setObject(1, id);
                ps.setString(2, contentType);
                if (length >= 0) {
                    ps.setBinaryStream(3, body, length);
                } else {
                    // Unknown length (chunked, or inflated here): the driver spools to a temporary file past 50 kB.
                    ps.setBinaryStream(3, body);
                }
            });
            return id;
        });
    }

    public UUID create(String feed, String file, String mappingVersion, String status, Caller submittedBy) {
        UUID id = UUID.randomUUID();
        jdbc.sql("insert into ingest_job (id, feed, file, mapping_version, status, started, heartbeat, submitted_by)"
                        + " values (?, ?, ?, ?, ?, case when ? = 'running' then now() end, now(), ?::jsonb)")
                .params(id, feed, file, mappingVersion, status, status, toJson(submittedBy)).update();
        return id;
    }

    private static String toJson(Caller caller) {
        try {
            return caller == null ? null : JSON.writeValueAsString(caller);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Caller fromJson(String json) {
        try {
            return json == null ? null : JSON.readValue(json, Caller.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }


    public Optional<Payload> payload(UUID id) {
        return jdbc.sql("select content_type, body from ingest_payload where job_id = ?").param(id)
                .query((rs, n) -> new Payload(rs.getString(1), rs.getBytes(2))).optional();
    }

    /**
     * Claims the oldest queued job, or a running one whose node stopped sending heartbeats (it
     * died or was stopped mid-job), for this node. Records already done are skipped on resume.
     */
    public Optional<Job> claim(String node, Duration staleAfter) {
        Timestamp stale = Timestamp.from(Instant.now().minus(staleAfter));
        return jdbc.sql("update ingest_job set status = 'running', node = ?, started = coalesce(started, now()), heartbeat = now()"
                        + " where id = (select id from ingest_job where status = 'queued' or (status = 'running' and heartbeat < ?)"
                        + " order by created for update skip locked limit 1) returning *")
                .params(node, stale).query(IngestJobStore::map).optional();
    }

    public void progress(UUID id, Counts counts) {
        jdbc.sql("update ingest_job set records_done = ?, created_count = ?, updated_count = ?, unchanged_count = ?,"
                        + " quarantined_count = ?, heartbeat = now() where id = ?")
                .params(counts.records(), counts.created(), counts.updated(), counts.unchanged(), counts.quarantined(), id).update();
    }

    /**
     * Hands a running job back to the queue with its progress (its node is stopping), so another
     * node claims it at once and resumes after the last recorded record, instead of waiting for
     * the heartbeat to go stale. Only the node holding the job can release it.
     */
    public boolean release(UUID id, String node, Counts counts) {
        progress(id, counts);
        return jdbc.sql("update ingest_job set status = 'queued', node = null where id = ? and node = ? and status = 'running'")
                .params(id, node).update() == 1;
    }

    public void finish(UUID id, Counts counts, String status, String error) {
        progress(id, counts);
        jdbc.sql("update ingest_job set status = ?, finished = now(), error = ? where id = ?").params(status, error, id).update();
        jdbc.sql("delete from ingest_payload where job_id = ?").param(id).update();
    }

    public Optional<Job> find(UUID id) {
        return jdbc.sql("select * from ingest_job where id = ?").param(id).query(IngestJobStore::map).optional();
    }

    private static Job map(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
        Timestamp finished = rs.getTimestamp("finished");
        return new Job(rs.getObject("id", UUID.class), rs.getString("feed"), rs.getString("file"), rs.getString("mapping_version"),
                rs.getString("status"), rs.getTimestamp("created").toInstant(), finished == null ? null : finished.toInstant(),
                new Counts(rs.getInt("records_done"), rs.getInt("created_count"), rs.getInt("updated_count"),
                        rs.getInt("unchanged_count"), rs.getInt("quarantined_count")),
                rs.getString("error"), fromJson(rs.getString("submitted_by")));
    }
}
