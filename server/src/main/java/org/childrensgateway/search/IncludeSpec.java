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

    /** The inverse of {@link #asParameter}, for includes stored with a paging session. */
    public static IncludeSpec fromParameter(String parameter) {
        boolean reverse = parameter.startsWith("_revinclude=");
        String[] p = parameter.substring(parameter.indexOf('=') + 1).split(":");
        return new IncludeSpec(reverse, p[0], p[1], p.length > 2 ? p[2] : null);
    }
}
