package org.childrensgateway.store;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The one storage interface the FHIR layer calls. Every read path goes through here, so consent
 * filtering and audit can stand in front of it without exceptions. Writes take the index rows
 * extracted from the resource and store them in the same transaction as the resource.
 */
public interface ResourceStore {

    /** The current version (possibly a deletion marker) of a resource. */
    Optional<StoredResource> read(String type, String id);

    /** As {@link #read}, locking the row until the surrounding transaction ends (for version checks). */
    Optional<StoredResource> readForUpdate(String type, String id);

    Optional<StoredResource> readVersion(String type, String id, long version);

    /** Stores a new version: version 1 creates the resource, later versions replace the current one. */
    StoredResource write(String type, String id, long version, Instant lastUpdated, String json, IndexRows rows, String method);

    /** Stores a deletion marker as the next version; the resource stays in history. */
    StoredResource delete(StoredResource current, Instant when);

    /** Keys (pids) of current, non-deleted resources matching a query, in the query's order. */
    List<Long> search(SearchQuery query);

    /** Number of current, non-deleted resources matching a query (for {@code _summary=count}). */
    int count(SearchQuery query);

    /** Current versions for the given pids, in the order given; deleted ones are left out. */
    List<StoredResource> loadCurrent(List<Long> pids);

    /** History keys (hids), newest first, for one resource, one type or (type null) the whole server. */
    List<Long> historyKeys(String type, String id, Instant since, int limit);

    List<StoredResource> loadHistory(List<Long> hids);

    /** Resources that resources {@code pids} point at through reference parameter {@code param}. */
    List<StoredResource> loadIncludes(Collection<Long> pids, String sourceType, String param, String targetType);

    /** Resources of {@code sourceType} whose reference parameter {@code param} points at one of {@code targets}. */
    List<StoredResource> loadRevIncludes(Collection<StoredResource> targets, String sourceType, String param);

    /** Serialises competing conditional writes on the same criteria until the transaction ends. */
    void lockCriteria(String criteria);
}
