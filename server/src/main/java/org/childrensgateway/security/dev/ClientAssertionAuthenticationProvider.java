package org.childrensgateway.security.dev;

import static org.childrensgateway.security.dev.ClientAssertionConverter.error;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Set;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;

/**
 * Checks a SMART backend-services client assertion (SMART App Launch 2, "Backend Services",
 * authentication JWT): signed with RS384 or ES384 by a key in the client's registered JWKS, chosen
 * by {@code kid}; {@code iss} and {@code sub} both the client_id; {@code aud} the token endpoint;
 * {@code exp} in the future and no more than five minutes ahead; a {@code jti} never used before
 * (kept in PostgreSQL, so a replay to another node is refused too). Every refusal is
 * {@code invalid_client} (401) with a description, as RFC 6749 section 5.2 says.
 */
final class ClientAssertionAuthenticationProvider implements AuthenticationProvider {

    static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.RS384, JWSAlgorithm.ES384);
    static final Duration MAX_LIFETIME = Duration.ofMinutes(5);

    private final RegisteredClientRepository clients;
    private final ClientKeys keys;
    private final AssertionReplayStore replays;
    private final Duration skew;
    private final Clock clock;

    ClientAssertionAuthenticationProvider(RegisteredClientRepository clients, ClientKeys keys, AssertionReplayStore replays,
                                          Duration skew, Clock clock) {
        this.clients = clients;
        this.keys = keys;
        this.replays = replays;
        this.skew = skew;
        this.clock = clock;
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        OAuth2ClientAuthenticationToken request = (OAuth2ClientAuthenticationToken) authentication;
        if (!ClientAuthenticationMethod.PRIVATE_KEY_JWT.equals(request.getClientAuthenticationMethod())
                || !(request.getCredentials() instanceof ClientAssertion assertion)) {
            return null;
        }
        String clientId = String.valueOf(request.getPrincipal());
        RegisteredClient client = clients.findByClientId(clientId);
        if (client == null || !client.getClientAuthenticationMethods().contains(ClientAuthenticationMethod.PRIVATE_KEY_JWT)) {
            throw refused("no client " + clientId + " registered for private_key_jwt");
        }
        SignedJWT jwt;
        JWTClaimsSet claims;
        try {
            jwt = SignedJWT.parse(assertion.jwt());
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw refused("client_assertion is not a signed JWT");
        }
        verifySignature(clientId, jwt);
        checkClaims(clientId, claims, assertion.tokenEndpoint());
        if (!replays.firstUse(clientId, claims.getJWTID(), claims.getExpirationTime().toInstant().plus(skew))) {
            throw refused("this assertion's jti has been used before");
        }
        return new OAuth2ClientAuthenticationToken(client, ClientAuthenticationMethod.PRIVATE_KEY_JWT, assertion.jwt());
    }

    private void verifySignature(String clientId, SignedJWT jwt) {
        JWSAlgorithm alg = jwt.getHeader().getAlgorithm();
        if (!ALGORITHMS.contains(alg)) {
            throw refused("alg " + alg + " is not accepted; sign with RS384 or ES384");
        }
        String kid = jwt.getHeader().getKeyID();
        if (kid == null || kid.isBlank()) {
            throw refused("the assertion's header has no kid");
        }
        JWK key = keys.find(clientId, kid);
        if (key == null) {
            throw refused("no key with kid " + kid + " in the client's registered JWKS");
        }
        boolean valid;
        try {
            JWSVerifier verifier;
            if (alg.equals(JWSAlgorithm.RS384) && key instanceof RSAKey rsa) {
                verifier = new RSASSAVerifier(rsa);
            } else if (alg.equals(JWSAlgorithm.ES384) && key instanceof ECKey ec && Curve.P_384.equals(ec.getCurve())) {
                verifier = new ECDSAVerifier(ec);
            } else {
                throw refused("key " + kid + " is not a key for " + alg);
            }
            valid = jwt.verify(verifier);
        } catch (JOSEException e) {
            throw refused("the signature cannot be checked with key " + kid);
        }
        if (!valid) {
            throw refused("the signature does not verify with key " + kid);
        }
    }

    private void checkClaims(String clientId, JWTClaimsSet claims, String tokenEndpoint) {
        if (!clientId.equals(claims.getIssuer()) || !clientId.equals(claims.getSubject())) {
            throw refused("iss and sub must both be the client_id");
        }
        if (claims.getAudience() == null || !claims.getAudience().contains(tokenEndpoint)) {
            throw refused("aud must be the token endpoint " + tokenEndpoint);
        }
        Instant now = clock.instant();
        Date exp = claims.getExpirationTime();
        if (exp == null) {
            throw refused("the assertion has no exp");
        }
        if (exp.toInstant().plus(skew).isBefore(now)) {
            throw refused("the assertion has expired");
        }
        if (exp.toInstant().isAfter(now.plus(MAX_LIFETIME).plus(skew))) {
            throw refused("exp is more than five minutes ahead");
        }
        if (claims.getNotBeforeTime() != null && claims.getNotBeforeTime().toInstant().isAfter(now.plus(skew))) {
            throw refused("the assertion is not valid yet (nbf)");
        }
        if (claims.getJWTID() == null || claims.getJWTID().isBlank() || claims.getJWTID().length() > AssertionReplayStore.MAX_JTI) {
            throw refused("the assertion needs a jti (at most " + AssertionReplayStore.MAX_JTI + " characters)");
        }
    }

    private static RuntimeException refused(String description) {
        return error(OAuth2ErrorCodes.INVALID_CLIENT, description);
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return OAuth2ClientAuthenticationToken.class.isAssignableFrom(authentication);
    }
}
