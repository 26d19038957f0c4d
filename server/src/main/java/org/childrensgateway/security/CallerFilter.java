package org.childrensgateway.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Turns the checked token into the {@link Caller} that consent and audit work from, for the
 * length of the request. Claims: {@code org}, {@code role}, {@code purpose} (SMART backend
 * services tokens from the gateway's issuer carry them); the break-glass reason comes from the
 * {@value #BREAK_GLASS_HEADER} header.
 */
public class CallerFilter extends OncePerRequestFilter {

    public static final String BREAK_GLASS_HEADER = "X-Break-Glass-Reason";

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        if (auth instanceof JwtAuthenticationToken token) {
            CallerContext.set(fromJwt(token.getToken(), request.getHeader(BREAK_GLASS_HEADER)));
        }
        try {
            chain.doFilter(request, response);
        } finally {
            CallerContext.clear();
        }
    }

    static Caller fromJwt(Jwt jwt, String breakGlass) {
        String clientId = firstNonBlank(jwt.getClaimAsString("client_id"), jwt.getClaimAsString("azp"), jwt.getSubject());
        String user = jwt.getClaimAsString("user");
        Set<String> scopes = new LinkedHashSet<>();
        Object scope = jwt.getClaims().get("scope");
        if (scope instanceof String s) {
            scopes.addAll(Arrays.asList(s.split(" ")));
        } else if (scope instanceof java.util.Collection<?> c) {
            c.forEach(v -> scopes.add(String.valueOf(v)));
        }
        return new Caller(clientId, user, jwt.getClaimAsString("org"), jwt.getClaimAsString("role"),
                jwt.getClaimAsString("purpose"), Set.copyOf(scopes), breakGlass);
    }

    private static String firstNonBlank(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        return null;
    }
}
