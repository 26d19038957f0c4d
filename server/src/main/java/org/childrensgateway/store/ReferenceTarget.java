package org.childrensgateway.store;

import java.util.Optional;
import org.childrensgateway.search.SearchParamDefinition;

/**
 * What a reference search value names in the reference index: a target type (null when the value
 * does not say and the parameter may reach several) and id. One reading for the search's SQL and for
 * lookups of many references at once, so both find exactly the same rows.
 */
public record ReferenceTarget(String type, String id) {

    /** Empty when nothing indexed can be it: another server's resource (only local references are indexed). */
    public static Optional<ReferenceTarget> of(SearchParamDefinition param, String value) {
        if (value.contains("://")) {
            // The parser made this server's own absolute form relative: whatever its last two parts say, it is not here.
            return Optional.empty();
        }
        String v = value;
        int history = v.indexOf("/_history/");
        if (history > 0) {
            v = v.substring(0, history);
        }
        String[] parts = v.split("/");
        if (parts.length >= 2) {
            return Optional.of(new ReferenceTarget(parts[parts.length - 2], parts[parts.length - 1]));
        }
        if (param.targetTypes().size() == 1) {
            return Optional.of(new ReferenceTarget(param.targetTypes().iterator().next(), v));
        }
        return Optional.of(new ReferenceTarget(null, v));
    }
}
