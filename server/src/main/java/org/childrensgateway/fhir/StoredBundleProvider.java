package org.childrensgateway.fhir;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiFunction;
import org.childrensgateway.access.GatedRepository;
import org.childrensgateway.search.IncludeSpec;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * Search or history results as an ordered list of keys. The first page is served from the keys in
 * memory; if there are more pages, {@link DatabasePagingProvider} saves the keys as a search session
 * and later pages read just their slice of it, on whichever node receives the request.
 */
public final class StoredBundleProvider extends PagedResults {

    public static final String SEARCH = "search";
    public static final String HISTORY = "history";

    private final PageLoader pages;
    private final String kind;
    private final int total;
    private final List<Long> keys;
    /** Reads a slice [from, to) of a stored session's keys; null while the keys are in memory. */
    private final BiFunction<Integer, Integer, List<Long>> sessionKeys;
    private final String uuid;
    /** Resources the search already loaded, parsed and decided, by key (the first page's, at least). */
    private final Map<Long, GatedRepository.Released> checked;
    /** Whether its pages go to an HTTP response only, so resources released whole may be stand-ins ({@link StoredStandIn}). */
    private final boolean forResponse;

    private StoredBundleProvider(PageLoader pages, String kind, String resourceType, List<IncludeSpec> includes, int total,
                                 List<Long> keys, BiFunction<Integer, Integer, List<Long>> sessionKeys, String uuid,
                                 Map<Long, GatedRepository.Released> checked) {
        this(pages, kind, resourceType, includes, total, keys, sessionKeys, uuid, checked, false);
    }

    private StoredBundleProvider(PageLoader pages, String kind, String resourceType, List<IncludeSpec> includes, int total,
                                 List<Long> keys, BiFunction<Integer, Integer, List<Long>> sessionKeys, String uuid,
                                 Map<Long, GatedRepository.Released> checked, boolean forResponse) {
        super(resourceType, includes);
        this.forResponse = forResponse;
        this.checked = checked;
        this.pages = pages;
        this.kind = kind;
        this.total = total;
        this.keys = keys;
        this.sessionKeys = sessionKeys;
        this.uuid = uuid;
    }

    public static StoredBundleProvider forSearch(PageLoader pages, String type, GatedRepository.Permitted permitted, List<IncludeSpec> includes) {
        return new StoredBundleProvider(pages, SEARCH, type, includes, permitted.keys().size(), permitted.keys(), null, null, permitted.released());
    }

    public static StoredBundleProvider forHistory(PageLoader pages, String type, List<Long> hids) {
        return new StoredBundleProvider(pages, HISTORY, type, List.of(), hids.size(), hids, null, null, Map.of());
    }

    static StoredBundleProvider countOnly(int count) {
        return new StoredBundleProvider(null, SEARCH, null, List.of(), count, List.of(), null, null, Map.of());
    }

    static StoredBundleProvider fromSession(PageLoader pages, UUID id, String kind, String type, List<IncludeSpec> includes,
                                            int total, BiFunction<Integer, Integer, List<Long>> sessionKeys) {
        // Paging links are followed only over HTTP: the page goes to the response.
        return new StoredBundleProvider(pages, kind, type, includes, total, null, sessionKeys, id.toString(), Map.of(), true);
    }

    @Override
    public StoredBundleProvider forResponse() {
        return new StoredBundleProvider(pages, kind, resourceType(), includes(), total, keys, sessionKeys, uuid, checked, true);
    }

    @Override
    public List<IBaseResource> getResources(int fromIndex, int toIndex) {
        int to = Math.min(toIndex, total);
        if (pages == null || fromIndex >= to) {
            return List.of();
        }
        List<Long> slice = keys != null ? keys.subList(fromIndex, to) : sessionKeys.apply(fromIndex, to);
        return HISTORY.equals(kind) ? pages.historyPage(slice)
                : forResponse ? pages.responsePage(slice, includes(), checked) : pages.searchPage(slice, includes(), checked);
    }

    @Override
    public Integer size() {
        return total;
    }

    @Override
    public String getUuid() {
        return uuid;
    }

    String kind() {
        return kind;
    }

    /** All keys, for saving as a session; only while they are still in memory. */
    List<Long> keys() {
        return keys;
    }
}
