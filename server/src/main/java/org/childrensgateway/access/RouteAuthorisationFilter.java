package org.childrensgateway.access;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Set;
import org.childrensgateway.security.CallerContext;
import org.childrensgateway.security.OperationOutcomeResponses;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Applies {@link RouteTable} to every request under the gateway's own routes, in the security
 * filter chain after the token is checked: a route the table does not list, or whose requirement
 * the caller does not meet, is refused with an OperationOutcome before any controller runs.
 */
public class RouteAuthorisationFilter extends OncePerRequestFilter {

    private final FeedOwnership feeds;

    public RouteAuthorisationFilter(FeedOwnership feeds) {
        this.feeds = feeds;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !RouteTable.governs(path(request));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String path = path(request);
        RouteTable.Match match = RouteTable.match(request.getMethod(), path).orElse(null);
        if (match == null) {
            OperationOutcomeResponses.write(response, 404, OperationOutcome.IssueType.NOTFOUND,
                    "No such endpoint: " + request.getMethod() + " " + path);
            return;
        }
        org.childrensgateway.security.Caller caller = CallerContext.current().orElse(null);
        // The request's audit record names its caller, allowed or refused (the audit filter runs outside the security chain).
        org.childrensgateway.audit.AuditTrail.current().ifPresent(a -> a.caller(caller));
        RouteTable.Verdict verdict = RouteTable.decide(match.route(), caller, owners(match));
        if (!verdict.allowed()) {
            OperationOutcomeResponses.write(response, verdict.status(), switch (verdict.status()) {
                case 401 -> OperationOutcome.IssueType.LOGIN;
                case 404 -> OperationOutcome.IssueType.NOTFOUND;
                default -> OperationOutcome.IssueType.FORBIDDEN;
            }, verdict.message());
            return;
        }
        chain.doFilter(request, response);
    }

    private Set<String> owners(RouteTable.Match match) {
        String from = match.route().feedFrom();
        if (from == null) {
            return Set.of();
        }
        return switch (from) {
            case "feed" -> feeds.ofFeed(match.variables().get("feed"));
            case "job" -> feeds.ofJob(match.variables().get("id"));
            case "quarantine" -> feeds.ofQuarantined(match.variables().get("id"));
            default -> Set.of();
        };
    }

    private static String path(HttpServletRequest request) {
        return request.getRequestURI().substring(request.getContextPath().length());
    }
}
