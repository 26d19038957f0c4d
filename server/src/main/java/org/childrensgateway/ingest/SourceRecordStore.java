package org.childrensgateway.ingest;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The last accepted version of each source record: its content hash and the source's own LastUpdated. */
@Repository
public class SourceRecordStore {

    public record Accepted(String contentHash, Instant sourceLastUpdated) {
    }

    private final JdbcClient jdbc;

    public SourceRecordStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<Accepted> find(String feed, String file, String sourceId) {
        return jdbc.sql("select content_hash, source_last_updated from source_record where feed = ? and file = ? and source_id = ?")
                .params(feed, file, sourceId)
                .query((rs, n) -> {
                    Timestamp ts = rs.getTimestamp(2);
                    return new Accepted(rs.getString(1), ts == null ? null : ts.toInstant());
                })
                .optional();
    }

    public void accept(String feed, String file, String sourceId, String contentHash, Instant sourceLastUpdated) {
        jdbc.sql("insert into source_record (feed, file, source_id, content_hash, source_last_updated) values (?, ?, ?, ?, ?)"
                        + " on conflict (feed, file, source_id) do update set content_hash = excluded.content_hash,"
                        + " source_last_updated = excluded.source_last_updated, accepted = now()")
                .params(feed, file, sourceId, contentHash, sourceLastUpdated == null ? null : Timestamp.from(sourceLastUpdated))
                .update();
    }
}
