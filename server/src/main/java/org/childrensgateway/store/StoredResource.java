package org.childrensgateway.store;

import java.time.Instant;

/**
 * One version of a resource as stored. {@code json} already carries id, meta.versionId and
 * meta.lastUpdated, so reading is a plain parse. {@code key} is the current-row key (pid) for
 * current versions and the history row key (hid) for history entries ({@code -pid} for the one
 * version of a {@link SingleVersionTypes} type, read from its current row).
 */
public record StoredResource(
        long key,
        String type,
        String id,
        long version,
        Instant lastUpdated,
        boolean deleted,
        String method,
        String json) {
}
