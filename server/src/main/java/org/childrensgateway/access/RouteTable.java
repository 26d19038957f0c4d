package org.childrensgateway.access;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.childrensgateway.security.Caller;
import org.childrensgateway.security.SmartScopes;
import org.springframework.http.server.PathContainer;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * Who may call each of the gateway's own (non-FHIR) routes: one table, read top to bottom, first
 * match wins, and a route that is not listed is refused (default deny). Enforced for every request
 * by {@link RouteAuthorisationFilter} in the security filter chain; FHIR interactions are governed
 * by scopes and the gate instead. Pure: table-driven tests run it without Spring.
 */
public final class RouteTable {

    /** What a route requires of the caller. */
    public enum Requirement {
        /** No token needed: published policy. */
        PUBLIC,
        /** Any valid token; the endpoint shows only the caller's own organisation's data. */
        AUTHENTICATED,
        /** A token of the organisation the feed is bound to (feed.yaml {@code organisation}), with a write scope. */
        FEED_WRITER,
        /** A token of the organisation the feed is bound to, with a read scope: a system pulls its own format. */
        FEED_READER,
        /** The integration-engineer role (mapping configuration, no personal data). */
        INTEGRATION_ENGINEER,
        /** The data-quality role (the person index's desk). */
        DATA_QUALITY,
        /** The auditor role (the information governance office: who saw what). */
        AUDITOR
    }

    /**
     * One row: method ({@code *} any), path pattern, requirement, and where the feed comes from for
     * the feed rules: {@code feed} (path variable), {@code job} or {@code quarantine} (the record named
     * by the {@code id} variable), or {@code callers-feeds} (the endpoint lists the caller's feeds only).
     */
    public record Route(String method, String pattern, Requirement requirement, String feedFrom) {
        PathPattern parsed() {
            return PathPatternParser.defaultInstance.parse(pattern);
        }
    }

    /** A request's route, with its path variables. */
    public record Match(Route route, Map<String, String> variables) {
    }

    /** The verdict: allowed, or the status and message to answer with. */
    public record Verdict(boolean allowed, int status, String message) {
        static final Verdict ALLOW = new Verdict(true, 200, null);

        static Verdict deny(int status, String message) {
            return new Verdict(false, status, message);
        }
    }

    public static final List<Route> ROUTES = List.of(
            new Route("GET", "/sharing-agreements", Requirement.PUBLIC, null),
            new Route("GET", "/openapi.yaml", Requirement.PUBLIC, null),
            new Route("GET", "/notifications/break-glass", Requirement.AUTHENTICATED, null),
            new Route("GET", "/ingest/mappings", Requirement.INTEGRATION_ENGINEER, null),
            new Route("POST", "/ingest/mappings/reload", Requirement.INTEGRATION_ENGINEER, null),
            new Route("GET", "/ingest/jobs/{id}", Requirement.FEED_WRITER, "job"),
            new Route("GET", "/ingest/quarantine", Requirement.FEED_WRITER, "callers-feeds"),
            new Route("GET", "/ingest/quarantine/{id}", Requirement.FEED_WRITER, "quarantine"),
            new Route("POST", "/ingest/quarantine/{id}/replay", Requirement.FEED_WRITER, "quarantine"),
            new Route("POST", "/ingest/{feed}/{file}", Requirement.FEED_WRITER, "feed"),
            new Route("GET", "/export/{feed}/{file}", Requirement.FEED_READER, "feed"),
            new Route("GET", "/identity/unlinks/{link}/disclosures", Requirement.AUDITOR, null),
            new Route("GET", "/identity/**", Requirement.DATA_QUALITY, null),
            new Route("POST", "/identity/**", Requirement.DATA_QUALITY, null));

    /** The path prefixes this table governs (everything under them that no row lists is refused). */
    public static final List<String> PREFIXES = List.of("/ingest", "/export", "/identity", "/notifications", "/sharing-agreements",
            "/openapi.yaml");

    private static final List<PathPattern> PATTERNS = ROUTES.stream().map(Route::parsed).toList();

    private RouteTable() {
    }

    public static boolean governs(String path) {
        return PREFIXES.stream().anyMatch(p -> path.equals(p) || path.startsWith(p + "/"));
    }

    public static Optional<Match> match(String method, String path) {
        PathContainer container = PathContainer.parsePath(path);
        for (int i = 0; i < ROUTES.size(); i++) {
            Route route = ROUTES.get(i);
            if (!route.method().equals("*") && !route.method().equalsIgnoreCase(method)) {
                continue;
            }
            PathPattern.PathMatchInfo info = PATTERNS.get(i).matchAndExtract(container);
            if (info != null) {
                return Optional.of(new Match(route, info.getUriVariables()));
            }
        }
        return Optional.empty();
    }

    /**
     * @param feedOwners the organisations the route's feed is bound to (empty when the feed, job or
     *                   quarantined record named does not exist); ignored by the other requirements
     */
    public static Verdict decide(Route route, Caller caller, Set<String> feedOwners) {
        if (route.requirement() == Requirement.PUBLIC) {
            return Verdict.ALLOW;
        }
        if (caller == null) {
            return Verdict.deny(401, "A valid bearer token is required");
        }
        return switch (route.requirement()) {
            case PUBLIC, AUTHENTICATED -> Verdict.ALLOW;
            case INTEGRATION_ENGINEER -> role(caller, "integration-engineer");
            case DATA_QUALITY -> role(caller, "data-quality");
            case AUDITOR -> role(caller, "auditor");
            case FEED_WRITER, FEED_READER -> feed(route, caller, feedOwners);
        };
    }

    private static Verdict role(Caller caller, String role) {
        return role.equals(caller.role()) ? Verdict.ALLOW : Verdict.deny(403, "This endpoint is for the " + role + " role");
    }

    private static Verdict feed(Route route, Caller caller, Set<String> owners) {
        boolean writer = route.requirement() == Requirement.FEED_WRITER;
        if (writer ? !writes(caller.scopes()) : !reads(caller.scopes())) {
            return Verdict.deny(403, "The token's scopes do not allow " + (writer ? "sending" : "pulling") + " feed data (a "
                    + (writer ? "write (c/u)" : "read (r/s)") + " scope is needed)");
        }
        if ("callers-feeds".equals(route.feedFrom())) {
            return Verdict.ALLOW; // the endpoint lists only the caller's organisation's feeds
        }
        if (owners.contains(caller.organisation())) {
            return Verdict.ALLOW;
        }
        // A job or quarantined record of another organisation answers as one that does not exist.
        if (!"feed".equals(route.feedFrom())) {
            return Verdict.deny(404, "Not found");
        }
        return owners.isEmpty() ? Verdict.deny(404, "No feed of that name")
                : Verdict.deny(403, "This feed is bound to another organisation; only its own systems may use it");
    }

    static boolean writes(java.util.Collection<String> scopes) {
        return scopes != null && SmartScopes.grantsAny(scopes, "cu");
    }

    static boolean reads(java.util.Collection<String> scopes) {
        return scopes != null && SmartScopes.grantsAny(scopes, "rs");
    }
}
