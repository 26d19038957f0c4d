package org.childrensgateway.fhir;

import java.util.List;
import org.childrensgateway.access.GatedRepository;
import org.childrensgateway.search.IncludeSpec;
import org.childrensgateway.store.SearchPosition;
import org.childrensgateway.store.SearchQuery;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * Search results paged by keyset: each page is the matches after the last one the page before
 * listed, decided for the caller as the page is served, so a page costs what it holds whatever the
 * search matches, and no list of keys is kept. HAPI pages it by page id ({@code _getpages} names the
 * session {@link DatabasePagingProvider} keeps, {@code _pageId} a {@link PageToken}).
 */
public final class KeysetBundleProvider extends PagedResults {

    private final PageLoader pages;
    private final SearchQuery query;
    /** The search's parameters as a query string, for the session (run again for later pages). */
    private final String criteria;
    /** What the caller may see in all (as counted for the first page), or null when no total was asked for. */
    private final Integer total;
    private final SearchPosition after;
    /** A later page's size, from its token; 0 for the first page (as HAPI asks). */
    private final int pageSize;
    private final String pageId;
    private final boolean forResponse;
    private String uuid;
    private byte[] pageKey;
    private GatedRepository.KeysetPage served;
    private int servedSize;

    private KeysetBundleProvider(PageLoader pages, String resourceType, SearchQuery query, String criteria, List<IncludeSpec> includes,
                                 Integer total, SearchPosition after, int pageSize, String pageId, boolean forResponse) {
        super(resourceType, includes);
        this.pages = pages;
        this.query = query;
        this.criteria = criteria;
        this.total = total;
        this.after = after;
        this.pageSize = pageSize;
        this.pageId = pageId;
        this.forResponse = forResponse;
    }

    /** A search's first page; {@code total} null when none is wanted. */
    static KeysetBundleProvider first(PageLoader pages, String type, SearchQuery query, String criteria, List<IncludeSpec> includes,
                                      Integer total) {
        return new KeysetBundleProvider(pages, type, query, criteria, includes, total, null, 0, null, false);
    }

    /** A later page, named by a verified token of session {@code uuid}; followed only over HTTP, so for the response. */
    static KeysetBundleProvider later(PageLoader pages, String uuid, byte[] pageKey, String type, SearchQuery query, List<IncludeSpec> includes,
                                      Integer total, PageToken.Page page, String pageId) {
        KeysetBundleProvider p = new KeysetBundleProvider(pages, type, query, null, includes, total, page.after(), page.size(), pageId, true);
        p.uuid = uuid;
        p.pageKey = pageKey;
        return p;
    }

    @Override
    public KeysetBundleProvider forResponse() {
        return new KeysetBundleProvider(pages, resourceType(), query, criteria, includes(), total, after, pageSize, pageId, true);
    }

    @Override
    public List<IBaseResource> getResources(int fromIndex, int toIndex) {
        int size = pageSize > 0 ? pageSize : toIndex - fromIndex;
        if (size <= 0) {
            return List.of();
        }
        served = pages.keysetPage(query, after, size, includes(), forResponse);
        servedSize = Math.min(size, pages.maxPageSize());
        return served.resources();
    }

    /** Whether the page served has a next one (so a session is worth keeping). */
    boolean hasMore() {
        return served != null && served.more() && served.last() != null;
    }

    /** The session that holds it, once {@link DatabasePagingProvider} has saved it: the next page's token is signed with its key. */
    void bind(String session, byte[] key) {
        this.uuid = session;
        this.pageKey = key;
    }

    @Override
    public String getCurrentPageId() {
        return pageId != null ? pageId : "first"; // not blank: HAPI links the next page by page id
    }

    @Override
    public String getNextPageId() {
        return hasMore() && uuid != null ? PageToken.sign(pageKey, uuid, servedSize, served.last()) : null;
    }

    @Override
    public Integer size() {
        return total;
    }

    @Override
    public String getUuid() {
        return uuid;
    }

    String criteria() {
        return criteria;
    }
}
