package org.childrensgateway.security;

import java.util.Collection;
import java.util.Locale;

/**
 * SMART App Launch v2 scopes ({@code system/Patient.rs}, {@code user/*.cruds}) and their v1 forms
 * ({@code .read}, {@code .write}, {@code .*}): does a set of scopes allow an interaction on a type?
 */
public final class SmartScopes {

    private SmartScopes() {
    }

    /**
     * @param permission one of {@code c r u d s}
     */
    public static boolean allows(Collection<String> scopes, String resourceType, char permission) {
        return scopes.stream().anyMatch(scope -> granted(scope, resourceType).indexOf(permission) >= 0);
    }

    /** Does any well-formed scope, on any type, grant one of {@code letters} (e.g. "cu": some write scope)? */
    public static boolean grantsAny(Collection<String> scopes, String letters) {
        return scopes.stream().map(scope -> granted(scope, null)).anyMatch(g -> g.chars().anyMatch(c -> letters.indexOf(c) >= 0));
    }

    /**
     * Down-scoping: is {@code requested} within what one of the {@code registered} scopes allows (same
     * context, the same type or a registered {@code *}, no permission more)? v2 letters and v1 words
     * compare by what they grant, so {@code system/Patient.read} is within {@code system/*.cruds}.
     * Scopes with a query part ({@code ?category=}) are within nothing but themselves: the gateway
     * does not enforce the query, so it must not hand one out as narrower than it is.
     */
    public static boolean covers(Collection<String> registered, String requested) {
        if (registered.contains(requested)) {
            return true;
        }
        if (requested.contains("?") || !wellFormed(requested)) {
            return false;
        }
        String context = requested.substring(0, requested.indexOf('/'));
        String type = requested.substring(requested.indexOf('/') + 1, requested.lastIndexOf('.'));
        String wanted = granted(requested, null);
        return registered.stream().filter(g -> !g.contains("?") && wellFormed(g)).anyMatch(g -> {
            String gType = g.substring(g.indexOf('/') + 1, g.lastIndexOf('.'));
            String have = granted(g, null);
            return g.startsWith(context + "/") && (gType.equals("*") || gType.equals(type))
                    && wanted.chars().allMatch(c -> have.indexOf(c) >= 0);
        });
    }

    /** A SMART resource scope: context, a resource type (letters) or {@code *}, and permissions that grant something. */
    private static boolean wellFormed(String scope) {
        int slash = scope.indexOf('/');
        int dot = scope.lastIndexOf('.');
        return slash > 0 && dot > slash + 1 && scope.substring(slash + 1, dot).matches("\\*|[A-Z][A-Za-z]*")
                && !granted(scope, null).isEmpty();
    }

    /** The permission letters a scope grants on {@code resourceType} (any type when null); empty if none or malformed. */
    private static String granted(String scope, String resourceType) {
        int slash = scope.indexOf('/');
        int dot = scope.lastIndexOf('.');
        if (slash < 0 || dot < slash) {
            return "";
        }
        String context = scope.substring(0, slash);
        if (!context.equals("system") && !context.equals("user") && !context.equals("patient")) {
            return "";
        }
        String type = scope.substring(slash + 1, dot);
        if (resourceType != null && !type.equals("*") && !type.equals(resourceType)) {
            return "";
        }
        return permissions(scope.substring(dot + 1));
    }

    /** v2 letters as written (with any query part dropped), v1 words translated. */
    static String permissions(String suffix) {
        String s = suffix.contains("?") ? suffix.substring(0, suffix.indexOf('?')) : suffix;
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "read" -> "rs";
            case "write" -> "cud";
            case "*" -> "cruds";
            default -> s.matches("c?r?u?d?s?") ? s : "";
        };
    }
}
