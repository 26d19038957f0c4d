package org.childrensgateway.access;

import java.util.LinkedHashSet;
import java.util.Set;
import org.childrensgateway.consent.Decision;
import org.childrensgateway.search.SearchParamDefinition;
import org.childrensgateway.store.SearchQuery;

/**
 * A search may only match and sort on what the caller's view of a resource releases: searching or
 * sorting on an element that an agreement removed behaves as if the element were absent (so
 * {@code Patient?identifier=<NHS number>} cannot confirm a number the live-birth agreement withholds).
 */
public final class SearchVisibility {

    private SearchVisibility() {
    }

    /** Does the decision release every element the query's criteria look at? */
    public static boolean criteriaReleased(Decision decision, SearchQuery query) {
        if (query == null) {
            return decision.disclosed();
        }
        for (SearchQuery.Clause clause : query.clauses()) {
            if (clause.param() != null && !allReleased(decision, clause.param())) {
                return false;
            }
        }
        return decision.disclosed();
    }

    /** Does the decision release every element the query sorts on? If not, the resource sorts as if it had no value. */
    public static boolean sortReleased(Decision decision, SearchQuery query) {
        if (query == null) {
            return true;
        }
        for (SearchQuery.Sort sort : query.sort()) {
            if (sort.param() != null && !allReleased(decision, sort.param())) {
                return false;
            }
        }
        return true;
    }

    private static boolean allReleased(Decision decision, SearchParamDefinition param) {
        for (String element : elements(param)) {
            if (!ElementRelease.releases(decision, element)) {
                return false;
            }
        }
        return true;
    }

    /** Does the parameter read only the resource's own id and meta (e.g. {@code _tag})? */
    static boolean structural(SearchParamDefinition param) {
        return elements(param).stream().allMatch(e -> e.equals("id") || e.equals("meta"));
    }

    /** The top-level elements a parameter's FHIRPath reads: {@code Patient.address.postalCode} reads {@code address}. */
    static Set<String> elements(SearchParamDefinition param) {
        Set<String> out = new LinkedHashSet<>();
        for (String path : param.expression().split("\\|")) {
            String p = path.trim();
            int dot = p.indexOf('.');
            if (dot < 0) {
                continue;
            }
            String rest = p.substring(dot + 1);
            int next = rest.indexOf('.');
            String element = next < 0 ? rest : rest.substring(0, next);
            int bracket = element.indexOf('(');
            out.add(bracket < 0 ? element : element.substring(0, bracket));
        }
        return out;
    }
}
