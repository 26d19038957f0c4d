package org.childrensgateway.security.dev;

import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.SecurityContext;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.childrensgateway.security.SecurityProperties;
import org.springframework.core.io.ClassPathResource;

/**
 * Each backend-services client's registered public keys: a JWKS given inline, in a file or on the
 * classpath, or the client's JWKS URL (fetched, cached, and fetched again for a {@code kid} it does
 * not know, so a client can rotate keys). Private parts in a registered set are dropped.
 */
final class ClientKeys {

    private final Map<String, JWKSource<SecurityContext>> byClient = new HashMap<>();

    ClientKeys(List<SecurityProperties.DemoClient> clients) {
        for (SecurityProperties.DemoClient client : clients) {
            if (client.jwksUri() != null && !client.jwksUri().isBlank()) {
                try {
                    byClient.put(client.id(), JWKSourceBuilder.create(URI.create(client.jwksUri()).toURL()).retrying(true).build());
                } catch (IOException e) {
                    throw new IllegalStateException("client " + client.id() + ": bad jwks-uri", e);
                }
            } else if (client.jwks() != null && !client.jwks().isBlank()) {
                byClient.put(client.id(), new ImmutableJWKSet<>(load(client.id(), client.jwks().trim()).toPublicJWKSet()));
            }
        }
    }

    private static JWKSet load(String clientId, String jwks) {
        try {
            if (jwks.startsWith("{")) {
                return JWKSet.parse(jwks);
            }
            if (jwks.startsWith("classpath:")) {
                try (InputStream in = new ClassPathResource(jwks.substring("classpath:".length())).getInputStream()) {
                    return JWKSet.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                }
            }
            return JWKSet.parse(Files.readString(Path.of(jwks)));
        } catch (IOException | java.text.ParseException e) {
            throw new IllegalStateException("client " + clientId + ": its jwks is not a JSON Web Key Set", e);
        }
    }

    /** The client's key with this {@code kid}, or null. */
    JWK find(String clientId, String kid) {
        JWKSource<SecurityContext> source = byClient.get(clientId);
        if (source == null) {
            return null;
        }
        try {
            List<JWK> found = source.get(new JWKSelector(new JWKMatcher.Builder().keyID(kid).keyUses(com.nimbusds.jose.jwk.KeyUse.SIGNATURE, null).build()), null);
            return found.isEmpty() ? null : found.get(0);
        } catch (KeySourceException e) {
            return null; // the client's JWKS URL cannot be read: no key, so the assertion is refused
        }
    }
}
