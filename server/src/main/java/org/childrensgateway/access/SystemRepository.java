package org.childrensgateway.access;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.childrensgateway.fhir.ResourceCodec;
import org.childrensgateway.store.ResourceStore;
import org.childrensgateway.store.SearchQuery;
import org.childrensgateway.store.StoredResource;
import org.hl7.fhir.r4.model.Resource;
import org.springframework.stereotype.Component;

/**
 * THE named way around the gate, for the gateway's own tasks only: linkage (the person index reads
 * source records to match them and build child and carer records), ingest merges of partial
 * updates, and the audit trail's own checks. What it reads is never returned to a caller: a
 * response is built only from what {@link GatedRepository} released. {@code GateLayoutTest} lists
 * the classes allowed to hold it.
 */
@Component
public class SystemRepository {

    private final ResourceStore store;
    private final ResourceCodec codec;

    public SystemRepository(ResourceStore store, ResourceCodec codec) {
        this.store = store;
        this.codec = codec;
    }

    /** The current, non-deleted version. */
    public Optional<StoredResource> current(String type, String id) {
        return store.read(type, id).filter(r -> !r.deleted());
    }

    /** The current, non-deleted versions of the given ids of one type, in one statement (ids not stored are absent). */
    public List<StoredResource> current(String type, Collection<String> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return store.searchCurrent(new SearchQuery(type, List.of(new SearchQuery.Clause(
                null, SearchQuery.Special.ID, null, List.copyOf(ids))), List.of()));
    }

    /** The latest version, a deletion marker included (e.g. to find what still points at a deleted record). */
    public Optional<StoredResource> latest(String type, String id) {
        return store.read(type, id);
    }

    public Optional<Resource> currentResource(String type, String id) {
        return current(type, id).map(r -> (Resource) codec.decode(r));
    }

    /** Whether a resource was ever stored (deleted or not), for operations that name one. */
    public boolean exists(String type, String id) {
        return store.read(type, id).isPresent();
    }

    public List<Long> search(SearchQuery query) {
        return store.search(query);
    }

    public List<StoredResource> load(List<Long> pids) {
        return store.loadCurrent(pids);
    }

    /** Resources of {@code sourceType} whose reference parameter {@code param} points at one of {@code targets}. */
    public List<StoredResource> referencing(Collection<StoredResource> targets, String sourceType, String param) {
        return store.loadRevIncludes(targets, sourceType, param);
    }

    /**
     * Resources of {@code sourceType} whose reference parameter {@code param} points at the
     * {@code targetType} resources with these ids, by target id, in one statement.
     */
    public java.util.Map<String, List<StoredResource>> referencing(String targetType, Collection<String> targetIds, String sourceType,
                                                                  String param) {
        return store.loadRevIncludesByTarget(targetType, targetIds, sourceType, param);
    }

    /** Every stored version of a resource with data, newest first (deletions left out). */
    public List<Resource> versions(String type, String id) {
        return store.loadHistory(store.historyKeys(type, id, null, 1_000)).stream().filter(r -> !r.deleted()).map(this::decode).toList();
    }

    public Resource decode(StoredResource stored) {
        return (Resource) codec.decode(stored);
    }
}
