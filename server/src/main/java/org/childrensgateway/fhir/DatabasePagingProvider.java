package org.childrensgateway.fhir;

import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.IPagingProvider;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.childrensgateway.search.IncludeSpec;
import org.childrensgateway.security.Caller;
import org.childrensgateway.security.CallerContext;
import org.childrensgateway.store.SearchSessionStore;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * HAPI paging backed by {@link SearchSessionStore}: the "next" link names a session in PostgreSQL,
 * so paging works across gateway nodes and restarts, and a page is stable while its session lives.
 */
@Component
public class DatabasePagingProvider implements IPagingProvider {

    private final SearchSessionStore sessions;
    private final PageLoader pages;
    private final int defaultPageSize;
    private final int maxPageSize;
    private final Duration ttl;

    public DatabasePagingProvider(SearchSessionStore sessions, PageLoader pages,
                                  @Value("${gateway.fhir.default-page-size:20}") int defaultPageSize,
                                  @Value("${gateway.fhir.max-page-size:500}") int maxPageSize,
                                  @Value("${gateway.fhir.search-session-ttl:PT1H}") Duration ttl) {
        this.sessions = sessions;
        this.pages = pages;
        this.defaultPageSize = defaultPageSize;
        this.maxPageSize = maxPageSize;
        this.ttl = ttl;
    }

    @Override
    public int getDefaultPageSize() {
        return defaultPageSize;
    }

    @Override
    public int getMaximumPageSize() {
        return maxPageSize;
    }

    @Override
    public String storeResultList(RequestDetails request, IBundleProvider results) {
        if (!(results instanceof StoredBundleProvider stored) || stored.keys() == null) {
            return null;
        }
        String includes = String.join("&", stored.includes().stream().map(IncludeSpec::asParameter).toList());
        return sessions.save(stored.kind(), stored.resourceType(), stored.keys(), includes, owner(request)).toString();
    }

    @Override
    public IBundleProvider retrieveResultList(RequestDetails request, String searchId) {
        UUID id;
        try {
            id = UUID.fromString(searchId);
        } catch (IllegalArgumentException e) {
            throw new ResourceGoneException("Search " + searchId + " is not known to this server");
        }
        SearchSessionStore.Session session = sessions.find(id, ttl)
                .filter(s -> java.util.Objects.equals(s.owner(), owner(request)))
                .orElseThrow(() -> new ResourceGoneException("Search " + searchId + " has expired or is not known; run the search again"));
        return StoredBundleProvider.fromSession(pages, id, session.kind(), session.resourceType(), includes(session.includes()),
                session.total(), (from, to) -> sessions.keys(id, from, to));
    }

    private static List<IncludeSpec> includes(String stored) {
        List<IncludeSpec> list = new ArrayList<>();
        if (stored == null || stored.isBlank()) {
            return list;
        }
        for (String part : stored.split("&")) {
            list.add(IncludeSpec.fromParameter(part));
        }
        return list;
    }

    /**
     * Who may page through a session: the same client, user, organisation, role and purpose that ran
     * the search, because the stored keys were filtered by consent for exactly that caller.
     */
    static String owner(RequestDetails request) {
        return CallerContext.current().map(Caller::sessionOwner).orElse(null);
    }
}
