package org.childrensgateway.export;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Children an outbound file could not name yet: the receiver's format names a child by the
 * receiver's own id, and no record of the receiver is linked to the child. Their data is held here
 * (only the child's id, nothing disclosed) until a pull finds the receiver's record linked.
 */
@Component
class HeldChildren {

    private final JdbcClient jdbc;

    HeldChildren(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void hold(String organisation, String feed, String file, String childId) {
        // A child released earlier and unknown again (its link was undone) is held again.
        jdbc.sql("insert into export_held_child (organisation, feed, file, child_id) values (?, ?, ?, ?)"
                        + " on conflict (organisation, feed, file, child_id) do update set released_at = null, held_at = clock_timestamp()"
                        + " where export_held_child.released_at is not null")
                .params(organisation, feed, file, childId).update();
    }

    /** Children still held, and those released after {@code since} (so that a repeated pull repeats them). */
    List<String> dueOrRecentlyReleased(String organisation, String feed, String file, Instant since) {
        Timestamp after = since == null ? null : Timestamp.from(since);
        return jdbc.sql("select child_id from export_held_child where organisation = ? and feed = ? and file = ?"
                        + " and (released_at is null or ?::timestamptz is null or released_at > ?::timestamptz) order by id")
                .params(organisation, feed, file, after, after).query(String.class).list();
    }

    /** Marks a child sent; returns when, so the pull's X-Export-Until covers it. */
    Instant release(String organisation, String feed, String file, String childId) {
        return jdbc.sql("update export_held_child set released_at = coalesce(released_at, clock_timestamp())"
                        + " where organisation = ? and feed = ? and file = ? and child_id = ? returning released_at")
                .params(organisation, feed, file, childId).query(Timestamp.class).single().toInstant();
    }

    int open(String organisation, String feed, String file) {
        return jdbc.sql("select count(*) from export_held_child where organisation = ? and feed = ? and file = ? and released_at is null")
                .params(organisation, feed, file).query(Integer.class).single();
    }
}
