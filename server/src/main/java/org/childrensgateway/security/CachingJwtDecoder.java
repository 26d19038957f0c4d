package org.childrensgateway.security;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;

/**
 * Remembers tokens it has already checked, so a client's second request with the same bearer token
 * does not verify the RSA signature and run the validators again. The benchmark found signature
 * verification at about 10% of the gateway's CPU on the read path (docs/benchmarks.md).
 *
 * <p>Only successfully checked tokens are kept, each until its own {@code exp} (no clock-skew
 * allowance, so a cached token expires no later than it would have been refused), never longer; a
 * token without {@code exp} is not cached. Refused tokens are not cached, so every bad token is
 * checked (and refused) every time. At most {@link #MAX_ENTRIES} tokens are held; when full the
 * cache is emptied (a bearer token lives minutes, so this is rare and costs one check per token).
 * Tokens are bearer secrets either way: they are held only in memory, keyed by their own value.
 */
final class CachingJwtDecoder implements JwtDecoder {

    static final int MAX_ENTRIES = 10_000;

    private final JwtDecoder delegate;
    private final Clock clock;
    private final Map<String, Jwt> checked = new ConcurrentHashMap<>();

    CachingJwtDecoder(JwtDecoder delegate) {
        this(delegate, Clock.systemUTC());
    }

    CachingJwtDecoder(JwtDecoder delegate, Clock clock) {
        this.delegate = delegate;
        this.clock = clock;
    }

    @Override
    public Jwt decode(String token) throws JwtException {
        Instant now = clock.instant();
        Jwt jwt = checked.get(token);
        if (jwt != null) {
            if (now.isBefore(jwt.getExpiresAt()) && (jwt.getNotBefore() == null || !now.isBefore(jwt.getNotBefore()))) {
                return jwt;
            }
            checked.remove(token);
        }
        jwt = delegate.decode(token); // throws for a bad token: nothing cached
        if (jwt.getExpiresAt() != null && now.isBefore(jwt.getExpiresAt())) {
            if (checked.size() >= MAX_ENTRIES) {
                checked.clear();
            }
            checked.put(token, jwt);
        }
        return jwt;
    }
}
