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
