package org.childrensgateway.operations;

import java.time.Duration;
import org.childrensgateway.store.SearchSessionStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Deletes expired paging sessions so the {@code search_session} table does not grow for ever. Every
 * node runs it; the deletes are idempotent, so running on several nodes at once is harmless.
 */
@Component
class SearchSessionJanitor {

    private static final Logger log = LoggerFactory.getLogger(SearchSessionJanitor.class);

    private final SearchSessionStore sessions;
    private final Duration ttl;

    SearchSessionJanitor(SearchSessionStore sessions, @Value("${gateway.fhir.search-session-ttl:PT1H}") Duration ttl) {
        this.sessions = sessions;
        this.ttl = ttl;
    }

    @Scheduled(initialDelayString = "PT1M", fixedDelayString = "${gateway.fhir.search-session-purge-interval:PT10M}")
    void purge() {
        try {
            int removed = sessions.purgeOlderThan(ttl);
            if (removed > 0) {
                log.debug("Removed {} expired search sessions", removed);
            }
        } catch (RuntimeException e) {
            log.warn("Could not remove expired search sessions: {}", e.getClass().getSimpleName());
        }
    }
}
