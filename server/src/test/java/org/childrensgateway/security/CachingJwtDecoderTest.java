package org.childrensgateway.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;

/** Checked tokens are reused until their expiry, never after; refused tokens are never cached. */
class CachingJwtDecoderTest {

    private static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");

    private final AtomicInteger checks = new AtomicInteger();
    private final JwtDecoder delegate = token -> {
        checks.incrementAndGet();
        if (token.startsWith("bad")) {
            throw new BadJwtException("refused");
        }
        return Jwt.withTokenValue(token).header("alg", "RS256").subject("client")
                .issuedAt(T0).expiresAt(T0.plusSeconds(300)).build();
    };

    @Test
    void aCheckedTokenIsReusedUntilItExpires() {
        MutableClock clock = new MutableClock(T0.plusSeconds(10));
        CachingJwtDecoder decoder = new CachingJwtDecoder(delegate, clock);
        assertThat(decoder.decode("good").getSubject()).isEqualTo("client");
        decoder.decode("good");
        assertThat(checks).hasValue(1);
        clock.now = T0.plusSeconds(300); // at exp: no longer from the cache, and the delegate decides
        decoder.decode("good");
        assertThat(checks).hasValue(2);
    }

    @Test
    void refusedTokensAreCheckedEveryTime() {
        CachingJwtDecoder decoder = new CachingJwtDecoder(delegate, new MutableClock(T0));
        assertThatThrownBy(() -> decoder.decode("bad-1")).isInstanceOf(BadJwtException.class);
        assertThatThrownBy(() -> decoder.decode("bad-1")).isInstanceOf(BadJwtException.class);
        assertThat(checks).hasValue(2);
    }

    private static final class MutableClock extends Clock {
        Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
