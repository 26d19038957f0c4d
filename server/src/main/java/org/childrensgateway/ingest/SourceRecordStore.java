package org.childrensgateway.ingest;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The last accepted version of each source record: its content hash and the source's own LastUpdated. */
@Repository
public class SourceRecordStore {

    public record Accepted(String contentHash, Instant sourceLastUpdated) {
    }

    /** A source record's identity: feed, file and the sender-qualified source id. */
    public record Key(String feed, String file, String sourceId) {
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

    /** {@link #find} for several source records in one statement; keys with nothing accepted are absent. */
    public Map<Key, Accepted> findAll(Collection<Key> keys) {
        Map<Key, Accepted> found = new HashMap<>();
        if (keys.isEmpty()) {
            return found;
        }
        jdbc.sql("select s.feed, s.file, s.source_id, s.content_hash, s.source_last_updated from source_record s"
                        + " join unnest(?::text[], ?::text[], ?::text[]) as k(feed, file, source_id)"
                        + " on s.feed = k.feed and s.file = k.file and s.source_id = k.source_id")
                .params(keys.stream().map(Key::feed).toArray(String[]::new), keys.stream().map(Key::file).toArray(String[]::new),
                        keys.stream().map(Key::sourceId).toArray(String[]::new))
                .query(rs -> {
                    Timestamp ts = rs.getTimestamp(5);
                    found.put(new Key(rs.getString(1), rs.getString(2), rs.getString(3)),
                            new Accepted(rs.getString(4), ts == null ? null : ts.toInstant()));
                });
        return found;
    }

    /**
     * {@link #accept} for several source records in one statement. Each key at most once (the
     * caller keeps the last of a key, as one accept after another would leave it).
     */
    public void acceptAll(Map<Key, Accepted> accepted) {
        if (accepted.isEmpty()) {
            return;
        }
        var keys = accepted.keySet().stream().toList();
        jdbc.sql("insert into source_record (feed, file, source_id, content_hash, source_last_updated)"
                        + " select * from unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::timestamptz[])"
                        + " on conflict (feed, file, source_id) do update set content_hash = excluded.content_hash,"
                        + " source_last_updated = excluded.source_last_updated, accepted = now()")
                .params(keys.stream().map(Key::feed).toArray(String[]::new), keys.stream().map(Key::file).toArray(String[]::new),
                        keys.stream().map(Key::sourceId).toArray(String[]::new),
                        keys.stream().map(k -> accepted.get(k).contentHash()).toArray(String[]::new),
                        keys.stream().map(k -> accepted.get(k).sourceLastUpdated())
                                .map(t -> t == null ? null : Timestamp.from(t)).toArray(Timestamp[]::new))
                .update();
    }
}
