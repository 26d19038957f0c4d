package org.childrensgateway.search;

import java.util.List;
import org.childrensgateway.store.SearchQuery;

/**
 * A search request understood: the query, what to include with each page, and whether only a
 * count was asked for ({@code _summary=count}).
 */
public record ParsedSearch(SearchQuery query, List<IncludeSpec> includes, boolean countOnly) {
}
