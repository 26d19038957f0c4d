package org.childrensgateway.security.dev;

import java.sql.Timestamp;
import java.time.Instant;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The {@code jti} of every client assertion accepted, until it would have expired anyway: a second
 * use is refused, on any node (the table is in the shared PostgreSQL).
 */
final class AssertionReplayStore {

    static final int MAX_JTI = 255;

    private final JdbcClient jdbc;

    AssertionReplayStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** True the first time {@code jti} is seen for the client (and records it until {@code keepUntil}). */
    boolean firstUse(String clientId, String jti, Instant keepUntil) {
        jdbc.sql("delete from client_assertion_jti where keep_until < now()").update();
        return jdbc.sql("insert into client_assertion_jti (client_id, jti, keep_until) values (?, ?, ?) on conflict do nothing")
                .params(clientId, jti, Timestamp.from(keepUntil)).update() == 1;
    }
}
