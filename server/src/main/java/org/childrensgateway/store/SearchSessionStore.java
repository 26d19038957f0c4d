package org.childrensgateway.store;

import java.sql.Array;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Keeps a search's ordered result keys in PostgreSQL so that its paging links are stable and any
 * gateway node can serve the next page. Sessions expire after a configured time.
 */
@Repository
public class SearchSessionStore {

    /**
     * @param kind     {@code search} (keys are pids) or {@code history} (keys are hids)
     * @param includes the {@code _include}/{@code _revinclude} values to apply to each page
     * @param owner    who ran the search; only they may page through it
     * @param total    number of keys in the whole session
     */
    public record Session(UUID id, String kind, String resourceType, String includes, String owner, int total,
                          String criteria, byte[] pageKey) {
    }

    /** A session paged by keyset: no keys, the criteria to run again and the key that signs its page tokens. */
    public static final String KEYSET = "keyset";

    private final JdbcClient jdbc;

    public SearchSessionStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public UUID save(String kind, String resourceType, List<Long> keys, String includes, String owner) {
        UUID id = UUID.randomUUID();
        jdbc.sql("insert into search_session (id, kind, res_type, total, keys, includes, owner) values (?, ?, ?, ?, ?, ?, ?)")
                .params(id, kind, resourceType, keys.size(), keys.toArray(Long[]::new), includes, owner).update();
        return id;
    }

    /**
     * A keyset session: {@code criteria} is the search as a query string, {@code total} the count of
     * its first page (-1: none was asked for), {@code pageKey} the secret its page tokens are signed with.
     */
    public UUID saveKeyset(String resourceType, String criteria, String includes, String owner, int total, byte[] pageKey) {
        UUID id = UUID.randomUUID();
        jdbc.sql("insert into search_session (id, kind, res_type, total, keys, includes, owner, criteria, page_key)"
                        + " values (?, ?, ?, ?, '{}', ?, ?, ?, ?)")
                .params(id, KEYSET, resourceType, total, includes, owner, criteria, pageKey).update();
        return id;
    }

    public Optional<Session> find(UUID id, Duration ttl) {
        Timestamp oldest = Timestamp.from(Instant.now().minus(ttl));
        return jdbc.sql("select id, kind, res_type, includes, owner, total, criteria, page_key from search_session"
                        + " where id = ? and created >= ?")
                .params(id, oldest)
                .query((rs, n) -> new Session(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3),
                        rs.getString(4), rs.getString(5), rs.getInt(6), rs.getString(7), rs.getBytes(8)))
                .optional();
    }

    /** Keys {@code from} (inclusive) to {@code to} (exclusive), zero-based; reads only that slice of the array. */
    public List<Long> keys(UUID id, int from, int to) {
        if (to <= from) {
            return List.of();
        }
        return jdbc.sql("select keys[?:?] from search_session where id = ?")
                .params(from + 1, to, id)
                .query((rs, n) -> {
                    Array keys = rs.getArray(1);
                    return Arrays.asList((Long[]) keys.getArray());
                })
                .optional().orElse(List.of());
    }

    /** Removes expired sessions; returns how many. */
    public int purgeOlderThan(Duration ttl) {
        return jdbc.sql("delete from search_session where created < ?").param(Timestamp.from(Instant.now().minus(ttl))).update();
    }
}
