package org.childrensgateway.fhir;

import org.childrensgateway.store.SearchQuery;

/**
 * Rewrites a parsed search before it runs, e.g. the person index widening a reference to a child
 * record so it also matches the source records linked to it. Must stay cheap (at most one query).
 */
public interface SearchExpansion {

    SearchQuery expand(SearchQuery query);
}
