package org.childrensgateway.search;

import java.util.List;
import org.childrensgateway.store.SearchQuery;

/**
 * A search request understood: the query, what to include with each page, whether only a count was
 * asked for ({@code _summary=count}) and whether the total is wanted ({@code _total}).
 */
public record ParsedSearch(SearchQuery query, List<IncludeSpec> includes, boolean countOnly, Total total) {

    /**
     * {@code _total}: {@code accurate} (the default) counts every match the caller may see;
     * {@code none} and {@code estimate} ask for no count, and get none (an estimate would have to be
     * of what the caller may see, which only deciding every match gives), so a page costs what it holds.
     */
    public enum Total { ACCURATE, NONE }

    public ParsedSearch(SearchQuery query, List<IncludeSpec> includes, boolean countOnly) {
        this(query, includes, countOnly, Total.ACCURATE);
    }
}
