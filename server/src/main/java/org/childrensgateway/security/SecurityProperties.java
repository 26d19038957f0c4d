package org.childrensgateway.security;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Token checking and, for development, the built-in authorization server.
 *
 * @param issuerUri  the external OIDC / OAuth issuer in production; blank runs the development
 *                   authorization server inside the gateway instead
 * @param audience   the {@code aud} every token must carry
 * @param clockSkew  tolerance, in seconds, for {@code exp} and {@code nbf}
 * @param dev        the development authorization server (only when {@code issuerUri} is blank)
 */
@ConfigurationProperties(prefix = "gateway.security")
public record SecurityProperties(String issuerUri, String audience, Integer clockSkew, Dev dev) {

    public SecurityProperties {
        audience = audience == null || audience.isBlank() ? "childrens-gateway" : audience;
        clockSkew = clockSkew == null ? 30 : clockSkew;
        dev = dev == null ? new Dev(false, null, null, List.of()) : dev;
    }

    /** True when no external issuer is named: the development authorization server issues the tokens (if enabled). */
    public boolean devAuthorizationServer() {
        return issuerUri == null || issuerUri.isBlank();
    }

    /**
     * @param enabled true only in the {@code dev} and {@code test} profiles: without it and without an
     *                external issuer the gateway refuses to start (DevIssuerGuard)
     * @param issuer  the {@code iss} of development tokens
     * @param jwkFile a JSON Web Key Set file with the signing key; blank uses the key kept in
     *                PostgreSQL (made on first use), shared by every node and kept across restarts
     * @param clients demo clients, one per demo organisation and role
     */
    public record Dev(boolean enabled, String issuer, String jwkFile, List<DemoClient> clients) {
        public Dev {
            issuer = issuer == null || issuer.isBlank() ? "https://dev-auth.childrens-gateway.invalid" : issuer;
            clients = clients == null ? List.of() : clients;
        }
    }

    /**
     * A development client. {@code jwks} (a public JSON Web Key Set: the JSON itself, a file path or a
     * {@code classpath:} resource) or {@code jwksUri} (the client's JWKS URL, fetched and cached)
     * enables SMART backend-services {@code private_key_jwt}; {@code secret} is the fallback for demos.
     * {@code scopes} are the most the client may ask for; it may ask for any part of them.
     */
    public record DemoClient(String id, String secret, String jwks, String jwksUri, String organisation, String role,
                             String purpose, String scopes) {

        public boolean hasKeys() {
            return (jwks != null && !jwks.isBlank()) || (jwksUri != null && !jwksUri.isBlank());
        }
    }
}
