package org.childrensgateway.store;

import java.time.Instant;

/**
 * Where a keyset page ended: the last match it listed, by the search's order. The next page is the
 * matches after it, found by the index the order uses, so a page costs what it holds, not what the
 * search matches.
 *
 * @param lastUpdated the match's last update (read only when the search is sorted by {@code _lastUpdated})
 * @param pid         the match's key, the order's last tie-breaker
 */
public record SearchPosition(Instant lastUpdated, long pid) {

    /** The orders keyset paging serves: the default (by key) and {@code _lastUpdated} alone, either way. */
    public static boolean supports(SearchQuery query) {
        return query.sort().isEmpty() || query.sort().size() == 1 && query.sort().get(0).param() == null;
    }

    public static SearchPosition of(StoredResource match) {
        return new SearchPosition(match.lastUpdated(), match.key());
    }
}
