package org.childrensgateway.security.dev;

import com.nimbusds.jwt.SignedJWT;
import jakarta.servlet.http.HttpServletRequest;
import java.text.ParseException;
import java.util.HashMap;
import java.util.Map;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.web.authentication.AuthenticationConverter;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * Reads a {@code private_key_jwt} client assertion from a token request the way SMART backend
 * services sends it: {@code client_assertion_type} and {@code client_assertion}, and no
 * {@code client_id} (the assertion's {@code iss} names the client). Spring Authorization Server's
 * own converter requires {@code client_id} and answers 400 without it. A {@code client_id} that
 * is sent must agree with the assertion. Nothing is trusted yet: {@link ClientAssertionAuthenticationProvider}
 * checks the signature and claims.
 */
final class ClientAssertionConverter implements AuthenticationConverter {

    static final String JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
    static final String TOKEN_PATH = "/oauth2/token";

    @Override
    public Authentication convert(HttpServletRequest request) {
        String[] types = request.getParameterValues("client_assertion_type");
        String[] assertions = request.getParameterValues("client_assertion");
        if (types == null && assertions == null) {
            return null; // another client authentication method
        }
        if (types == null || types.length != 1 || !JWT_BEARER.equals(types[0])) {
            throw error(OAuth2ErrorCodes.INVALID_REQUEST, "client_assertion_type must be " + JWT_BEARER);
        }
        if (assertions == null || assertions.length != 1 || assertions[0].isBlank()) {
            throw error(OAuth2ErrorCodes.INVALID_REQUEST, "exactly one client_assertion is required");
        }
        String issuer;
        try {
            issuer = SignedJWT.parse(assertions[0]).getJWTClaimsSet().getIssuer();
        } catch (ParseException | RuntimeException e) {
            throw error(OAuth2ErrorCodes.INVALID_CLIENT, "client_assertion is not a signed JWT");
        }
        if (issuer == null || issuer.isBlank()) {
            throw error(OAuth2ErrorCodes.INVALID_CLIENT, "client_assertion has no iss (the client_id)");
        }
        String[] clientIds = request.getParameterValues("client_id");
        if (clientIds != null && (clientIds.length != 1 || !clientIds[0].equals(issuer))) {
            throw error(OAuth2ErrorCodes.INVALID_CLIENT, "client_id does not match the assertion's iss");
        }
        // The same URL discovery advertised for this request (same host, same forwarded headers).
        String tokenEndpoint = ServletUriComponentsBuilder.fromContextPath(request).path(TOKEN_PATH).build().toUriString();
        Map<String, Object> additional = new HashMap<>();
        request.getParameterMap().forEach((name, values) -> {
            if (!name.equals("client_assertion") && !name.equals("client_assertion_type") && !name.equals("client_id")) {
                additional.put(name, values.length == 1 ? values[0] : values);
            }
        });
        return new OAuth2ClientAuthenticationToken(issuer, ClientAuthenticationMethod.PRIVATE_KEY_JWT,
                new ClientAssertion(assertions[0], tokenEndpoint), additional);
    }

    static OAuth2AuthenticationException error(String code, String description) {
        return new OAuth2AuthenticationException(new OAuth2Error(code, description, null));
    }
}
