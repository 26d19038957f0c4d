package org.childrensgateway.consent;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.List;
import java.util.function.Supplier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The directives read from each Consent version, so a child's Consents are read once, not on every
 * request. Keyed by (Consent id, versionId): a stored version never changes, so an entry is never
 * stale and the cache is safe on every node without invalidation. Which versions apply to a child
 * (a new Consent, a withdrawal) is still asked of the database on every request; only the reading of
 * each version is remembered. Bounded (Caffeine, which the project has through
 * hapi-fhir-caching-caffeine): the least recently used versions are dropped.
 */
@Component
public class ConsentDirectiveCache {

    private record Version(String consentId, long version) {
    }

    private final Cache<Version, List<ConsentDirective>> byVersion;

    public ConsentDirectiveCache(@Value("${gateway.consent.directive-cache-size:20000}") long maximumSize) {
        this.byVersion = Caffeine.newBuilder().maximumSize(Math.max(0, maximumSize)).build();
    }

    /**
     * The directives of one stored Consent version.
     *
     * @param read reads that version's directives (called only when they are not yet known): off its
     *             stored JSON, or {@link ConsentDirective#from} its parse
     */
    public List<ConsentDirective> of(String consentId, long version, Supplier<List<ConsentDirective>> read) {
        return byVersion.get(new Version(consentId, version), v -> List.copyOf(read.get()));
    }

    /** Versions held (for tests). */
    long size() {
        byVersion.cleanUp();
        return byVersion.estimatedSize();
    }
}
