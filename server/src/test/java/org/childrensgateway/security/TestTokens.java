package org.childrensgateway.security;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Date;
import java.util.List;

/**
 * Mints tokens directly, to show the gateway refuses what its issuer would never issue: expired,
 * not yet valid, for another audience, from an unknown issuer or signed with a rogue key.
 */
final class TestTokens {

    static final String ISSUER = "https://dev-auth.childrens-gateway.invalid";

    private TestTokens() {
    }

    static Builder signedBy(String jwksFile) {
        return new Builder(jwksFile);
    }

    static final class Builder {
        private final String jwksFile;
        private String issuer = ISSUER;
        private String audience = "childrens-gateway";
        private Instant issuedAt = Instant.now();
        private Instant expires = Instant.now().plusSeconds(600);
        private Instant notBefore = null;
        private String scope = "system/*.cruds";

        Builder(String jwksFile) {
            this.jwksFile = jwksFile;
        }

        Builder issuer(String value) {
            issuer = value;
            return this;
        }

        Builder audience(String value) {
            audience = value;
            return this;
        }

        Builder expires(Instant value) {
            expires = value;
            issuedAt = value.minusSeconds(900);
            return this;
        }

        Builder notBefore(Instant value) {
            notBefore = value;
            return this;
        }

        String build() throws Exception {
            RSAKey key = (RSAKey) JWKSet.load(Path.of(jwksFile).toFile()).getKeys().get(0);
            JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().issuer(issuer).subject("gateway-tests")
                    .audience(List.of(audience)).issueTime(Date.from(issuedAt)).expirationTime(Date.from(expires))
                    .claim("client_id", "gateway-tests").claim("org", "TEST-ORG").claim("role", "integration-engineer")
                    .claim("purpose", "TREAT").claim("scope", scope);
            if (notBefore != null) {
                claims.notBeforeTime(Date.from(notBefore));
            }
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims.build());
            jwt.sign(new RSASSASigner(key));
            return jwt.serialize();
        }
    }
}
