package org.childrensgateway.search;

/**
 * One {@code _include} or {@code _revinclude}: {@code sourceType:param[:targetType]}.
 *
 * @param reverse true for {@code _revinclude}
 */
public record IncludeSpec(boolean reverse, String sourceType, String param, String targetType) {

    /** The parameter value as the client wrote it, for paging links and stored sessions. */
    public String asParameter() {
        return (reverse ? "_revinclude=" : "_include=") + sourceType + ":" + param + (targetType == null ? "" : ":" + targetType);
    }
}
