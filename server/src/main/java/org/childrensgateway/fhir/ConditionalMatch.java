package org.childrensgateway.fhir;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.childrensgateway.access.GatedRepository;
import org.childrensgateway.store.StoredResource;

/**
 * What a conditional update's criteria matched, found (under the criteria's lock) when a transaction
 * assigned its entries' ids, kept so that the update itself need not search and parse the matches
 * again. Valid only while this thread has written nothing of the type since: an earlier entry of the
 * same transaction could have created or changed a match. Other transactions cannot create a match
 * meanwhile (they take the same criteria lock); the update still locks and re-reads the row it
 * changes and checks the caller may change it, as before.
 */
public record ConditionalMatch(String type, String criteria, List<GatedRepository.Parsed> parsed, long epoch) {

    /** The matches (the caller's own records only). */
    public List<StoredResource> matches() {
        return parsed.stream().map(GatedRepository.Parsed::stored).toList();
    }

    /** Writes per resource type made on this thread; only compared for equality, so never reset. */
    private static final ThreadLocal<Map<String, Long>> WRITES = ThreadLocal.withInitial(HashMap::new);

    static long epoch(String type) {
        return WRITES.get().getOrDefault(type, 0L);
    }

    static void written(String type) {
        WRITES.get().merge(type, 1L, Long::sum);
    }

    /** Whether these matches still stand for {@code criteria} of {@code type}. */
    boolean current(String type, String criteria) {
        return this.type.equals(type) && this.criteria.equals(criteria) && epoch == epoch(type);
    }
}
