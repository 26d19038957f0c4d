package org.childrensgateway.consent;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.Optional;
import java.util.function.Supplier;
import org.childrensgateway.fhir.DerivedRecords;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * What each stored Patient version says of the child ({@link ChildFacts}), so the child's record is
 * not parsed again for every resource decided about them. Keyed by (id, versionId): a version never
 * changes, so an entry is never stale on any node. Which version is current is still read from the
 * database for every request. Bounded like {@link ConsentDirectiveCache}.
 */
@Component
public class ChildFactsCache {

    /** The facts of one Patient version, and whether it is a derived (child) record. */
    public record Known(ChildFacts facts, boolean derived) {
    }

    private record Version(String id, long version) {
    }

    private final Cache<Version, Optional<Known>> byVersion;

    public ChildFactsCache(@Value("${gateway.consent.child-facts-cache-size:20000}") long maximumSize) {
        this.byVersion = Caffeine.newBuilder().maximumSize(Math.max(0, maximumSize)).build();
    }

    /**
     * The facts of one stored Patient version; empty when the stored resource is no Patient.
     *
     * @param parse reads that version (called only when it is not yet known)
     */
    public Optional<Known> of(String patientId, long version, Supplier<Resource> parse) {
        return known(patientId, version, () -> of(parse.get()));
    }

    /**
     * As {@link #of(String, long, Supplier)}, with what is known of the version read by {@code read}
     * (e.g. from its stored JSON, without parsing it) when it is not yet known.
     */
    public Optional<Known> known(String patientId, long version, Supplier<Optional<Known>> read) {
        return byVersion.get(new Version(patientId, version), v -> read.get());
    }

    /** What a parsed resource says; empty when it is no Patient. */
    public static Optional<Known> of(Resource resource) {
        return resource instanceof Patient p ? Optional.of(new Known(ChildFacts.of(p), DerivedRecords.isDerived(p))) : Optional.empty();
    }
}
