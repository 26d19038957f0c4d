package org.childrensgateway.fhir;

import java.util.List;
import java.util.Map;
import org.childrensgateway.access.AccessGate;
import org.childrensgateway.access.GatedRepository;
import org.childrensgateway.search.IncludeSpec;
import org.childrensgateway.store.SearchPosition;
import org.childrensgateway.store.SearchQuery;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Loads one page of results through the request's {@link GatedRepository}: one query for the
 * matches and one per include, never one per resource, each resource decided for the caller of the
 * request that asks for the page (paging links may be followed on any node, later).
 */
@Component
public class PageLoader {

    private final AccessGate gate;
    private final int maxPageSize;

    public PageLoader(AccessGate gate, @Value("${gateway.fhir.max-page-size:500}") int maxPageSize) {
        this.gate = gate;
        this.maxPageSize = maxPageSize;
    }

    int maxPageSize() {
        return maxPageSize;
    }

    /** A keyset page of at most the largest page size ({@link GatedRepository#keysetPage}); {@code forResponse}: stand-ins allowed. */
    @Transactional(readOnly = true)
    public GatedRepository.KeysetPage keysetPage(SearchQuery query, SearchPosition after, int size, List<IncludeSpec> includes,
                                                 boolean forResponse) {
        return gate.forRequest().keysetPage(query, after, Math.min(size, maxPageSize), includes, forResponse);
    }

    /**
     * @param released resources this request's search already released, by key: served as they are
     */
    @Transactional(readOnly = true)
    public List<IBaseResource> searchPage(List<Long> pids, List<IncludeSpec> includes, Map<Long, GatedRepository.Released> released) {
        return gate.forRequest().page(pids, includes, released);
    }

    /** As {@link #searchPage}, for the HTTP response only: resources released whole may be stand-ins ({@link StoredStandIn}). */
    @Transactional(readOnly = true)
    public List<IBaseResource> responsePage(List<Long> pids, List<IncludeSpec> includes, Map<Long, GatedRepository.Released> released) {
        return gate.forRequest().responsePage(pids, includes, released);
    }

    @Transactional(readOnly = true)
    public List<IBaseResource> historyPage(List<Long> hids) {
        return gate.forRequest().historyPage(hids);
    }
}
