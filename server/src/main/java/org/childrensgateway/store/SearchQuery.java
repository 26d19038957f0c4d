package org.childrensgateway.store;

import java.util.List;
import org.childrensgateway.search.SearchParamDefinition;

/**
 * A parsed search, independent of SQL: clauses are ANDed, each clause's values ORed.
 *
 * @param resourceType type searched
 * @param clauses      the criteria
 * @param sort         sort keys in order
 */
public record SearchQuery(String resourceType, List<Clause> clauses, List<Sort> sort) {

    /** Special, non-indexed parameters the store answers from the resource table itself. */
    public enum Special { ID, LAST_UPDATED }

    /**
     * One parameter with its OR-ed values.
     *
     * @param param    the indexed parameter (null when {@code special} is set)
     * @param special  {@code _id} or {@code _lastUpdated}
     * @param modifier e.g. {@code exact}, {@code contains}, {@code missing}; null for none
     * @param values   raw values, prefixes included (e.g. {@code ge2023-01-01})
     * @param chained  for chained searches, the parameter on the referenced resource
     * @param chainedType the referenced resource type for a chain
     */
    public record Clause(SearchParamDefinition param, Special special, String modifier, List<String> values,
                         SearchParamDefinition chained, String chainedType) {
    }

    /** @param param null when sorting by {@code _lastUpdated} */
    public record Sort(SearchParamDefinition param, boolean descending) {
    }
}
