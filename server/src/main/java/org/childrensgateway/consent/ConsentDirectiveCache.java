package org.childrensgateway.consent;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.List;
import java.util.function.Supplier;
import org.hl7.fhir.r4.model.Consent;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The directives read from each Consent version, so a child's Consents are parsed once, not on every
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
     * @param parse reads that version (called only when it is not yet known)
     */
    public List<ConsentDirective> of(String consentId, long version, Supplier<Consent> parse) {
        return byVersion.get(new Version(consentId, version), v -> List.copyOf(ConsentDirective.from(parse.get())));
    }

    /** Versions held (for tests). */
    long size() {
        byVersion.cleanUp();
        return byVersion.estimatedSize();
    }
}
