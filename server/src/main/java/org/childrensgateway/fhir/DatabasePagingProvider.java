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
import org.childrensgateway.store.SearchPosition;
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
    private final FhirResourceService service;
    private final int defaultPageSize;
    private final int maxPageSize;
    private final Duration ttl;

    public DatabasePagingProvider(SearchSessionStore sessions, PageLoader pages, @org.springframework.context.annotation.Lazy FhirResourceService service,
                                  @Value("${gateway.fhir.default-page-size:20}") int defaultPageSize,
                                  @Value("${gateway.fhir.max-page-size:500}") int maxPageSize,
                                  @Value("${gateway.fhir.search-session-ttl:PT1H}") Duration ttl) {
        this.sessions = sessions;
        this.pages = pages;
        this.service = service;
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
        if (results instanceof KeysetBundleProvider keyset) {
            // No keys: the criteria, and a key of its own to sign the page tokens with. Only if a next page exists.
            if (!keyset.hasMore() || keyset.criteria() == null) {
                return null;
            }
            byte[] key = PageToken.newKey();
            String includes = asParameters(keyset.includes());
            Integer total = keyset.size();
            String id = sessions.saveKeyset(keyset.resourceType(), keyset.criteria(), includes, owner(request), total == null ? -1 : total, key)
                    .toString();
            keyset.bind(id, key);
            return id;
        }
        if (!(results instanceof StoredBundleProvider stored) || stored.keys() == null) {
            return null;
        }
        String includes = asParameters(stored.includes());
        return sessions.save(stored.kind(), stored.resourceType(), stored.keys(), includes, owner(request)).toString();
    }

    /** A session's includes as the query string they came from, to parse again for later pages. */
    private static String asParameters(List<IncludeSpec> includes) {
        return String.join("&", includes.stream().map(IncludeSpec::asParameter).toList());
    }

    @Override
    public IBundleProvider retrieveResultList(RequestDetails request, String searchId) {
        SearchSessionStore.Session session = session(request, searchId);
        if (SearchSessionStore.KEYSET.equals(session.kind())) {
            throw unknown(searchId); // a keyset search's pages are named by their page tokens only
        }
        UUID id = session.id();
        return StoredBundleProvider.fromSession(pages, id, session.kind(), session.resourceType(), includes(session.includes()),
                session.total(), (from, to) -> sessions.keys(id, from, to));
    }

    /**
     * A keyset page: its token must verify against the session's own key (so it was issued for this
     * session, unaltered), and the session must be the caller's; anything else is an unknown page.
     */
    @Override
    public IBundleProvider retrieveResultList(RequestDetails request, String searchId, String pageId) {
        if (pageId == null || pageId.isBlank()) {
            return retrieveResultList(request, searchId);
        }
        SearchSessionStore.Session session = session(request, searchId);
        if (!SearchSessionStore.KEYSET.equals(session.kind())) {
            throw unknown(searchId);
        }
        PageToken.Page page = PageToken.read(session.pageKey(), session.id().toString(), pageId, maxPageSize)
                .orElseThrow(() -> unknown(searchId));
        var query = service.keysetQuery(session.resourceType(), session.criteria());
        if (!SearchPosition.supports(query)) {
            throw unknown(searchId);
        }
        return KeysetBundleProvider.later(pages, session.id().toString(), session.pageKey(), session.resourceType(), query,
                includes(session.includes()), session.total() < 0 ? null : session.total(), page, pageId);
    }

    /** The caller's own live session of that id; another caller's, an expired one or a made-up id answers as unknown. */
    private SearchSessionStore.Session session(RequestDetails request, String searchId) {
        UUID id;
        try {
            id = UUID.fromString(searchId);
        } catch (IllegalArgumentException e) {
            throw unknown(searchId);
        }
        return sessions.find(id, ttl)
                .filter(s -> java.util.Objects.equals(s.owner(), owner(request)))
                .orElseThrow(() -> unknown(searchId));
    }

    private static ResourceGoneException unknown(String searchId) {
        return new ResourceGoneException("Search " + searchId + " has expired or is not known; run the search again");
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
