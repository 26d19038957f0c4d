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
     * @param chain    for a chained search ({@code patient.identifier}), the chained parameter of each
     *                 type the reference may point at (its {@code resourceType} is the target type);
     *                 empty for any other clause. The modifier then applies to the chained parameter.
     */
    public record Clause(SearchParamDefinition param, Special special, String modifier, List<String> values,
                         List<SearchParamDefinition> chain) {

        public Clause {
            chain = chain == null ? List.of() : List.copyOf(chain);
        }

        /** A clause on one parameter, not chained. */
        public Clause(SearchParamDefinition param, Special special, String modifier, List<String> values) {
            this(param, special, modifier, values, List.of());
        }

        public boolean isChain() {
            return !chain.isEmpty();
        }
    }

    /** @param param null when sorting by {@code _lastUpdated} */
    public record Sort(SearchParamDefinition param, boolean descending) {
    }
}
