package org.childrensgateway.store;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The whole store, reads included. Only the access gate ({@code org.childrensgateway.access}) holds
 * it: every read that answers a caller is decided there, and the gateway's own tasks read through its
 * one named bypass, {@code SystemRepository}. Everything else writes through {@link ResourceWrites}.
 * {@code GateLayoutTest} fails the build if another package names this interface.
 */
public interface ResourceStore extends ResourceWrites {

    /** The current version (possibly a deletion marker) of a resource. */
    Optional<StoredResource> read(String type, String id);

    Optional<StoredResource> readVersion(String type, String id, long version);

    /** Keys (pids) of current, non-deleted resources matching a query, in the query's order. */
    List<Long> search(SearchQuery query);

    /** Number of current, non-deleted resources matching a query (for {@code _summary=count}). */
    int count(SearchQuery query);

    /** Current, non-deleted resources matching a query, in the query's order: {@link #search} and {@link #loadCurrent} in one statement. */
    List<StoredResource> searchCurrent(SearchQuery query);

    /** As {@link #searchCurrent(SearchQuery)}, the first {@code limit} only. */
    List<StoredResource> searchCurrent(SearchQuery query, int limit);

    /** The first {@code limit} matches after {@code after} (null: the first), in an order {@link SearchPosition#supports} allows: a keyset page. */
    List<StoredResource> searchAfter(SearchQuery query, SearchPosition after, int limit);

    /**
     * Every match in the query's order, each with only the named top-level members of its JSON as
     * stored (a projection: never to be parsed as the resource), handed to {@code each} as read.
     */
    void searchMembers(SearchQuery query, Collection<String> members, java.util.function.Consumer<StoredResource> each);

    /** Current versions for the given pids, in the order given; deleted ones are left out. */
    List<StoredResource> loadCurrent(List<Long> pids);

    /**
     * History keys, newest first, for one resource, one type or (type null) the whole server: hids
     * of history copies, and {@code -pid} for the one version of a {@link SingleVersionTypes} type.
     */
    List<Long> historyKeys(String type, String id, Instant since, int limit);

    /** The history entries of {@link #historyKeys} keys, in the order given. */
    List<StoredResource> loadHistory(List<Long> hids);

    /** Resources that resources {@code pids} point at through reference parameter {@code param}. */
    List<StoredResource> loadIncludes(Collection<Long> pids, String sourceType, String param, String targetType);

    /** Resources of {@code sourceType} whose reference parameter {@code param} points at one of {@code targets}. */
    List<StoredResource> loadRevIncludes(Collection<StoredResource> targets, String sourceType, String param);

    /**
     * As {@link #loadRevIncludes} for targets of one type named by id, grouped by the target each
     * resource points at (ids nothing points at are absent): one statement for many targets.
     */
    java.util.Map<String, List<StoredResource>> loadRevIncludesByTarget(String targetType, Collection<String> targetIds, String sourceType,
                                                                     String param);
}
