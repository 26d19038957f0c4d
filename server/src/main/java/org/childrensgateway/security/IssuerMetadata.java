package org.childrensgateway.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The external issuer's own metadata, read from where it publishes it rather than guessed: OpenID
 * Connect discovery ({@code {issuer}/.well-known/openid-configuration}) or, failing that, RFC 8414
 * ({@code /.well-known/oauth-authorization-server{path}}). Keycloak, for one, keeps its token
 * endpoint at {@code …/protocol/openid-connect/token} and its keys at {@code …/certs}. The document
 * must name the configured issuer (RFC 8414 section 3.3). Read on first use and kept; a failed read
 * is tried again on the next use, so the gateway starts while its issuer is briefly away.
 */
public class IssuerMetadata {

    /** The issuer's metadata could not be read. */
    public static final class Unavailable extends RuntimeException {
        Unavailable(String message) {
            super(message);
        }
    }

    private final String issuer;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NORMAL).build();
    private final ObjectMapper json = new ObjectMapper();
    private volatile JsonNode document;

    public IssuerMetadata(String issuer) {
        this.issuer = issuer;
    }

    public String issuer() {
        return issuer;
    }

    public String tokenEndpoint() {
        return required("token_endpoint");
    }

    public String jwksUri() {
        return required("jwks_uri");
    }

    /** A list-valued field, empty when the issuer does not publish it. */
    public List<String> list(String field) {
        List<String> values = new ArrayList<>();
        document().path(field).forEach(v -> values.add(v.asText()));
        return values;
    }

    /** A text field, or null. */
    public String text(String field) {
        JsonNode value = document().get(field);
        return value == null || !value.isTextual() ? null : value.asText();
    }

    private String required(String field) {
        String value = text(field);
        if (value == null || value.isBlank()) {
            throw new Unavailable("the issuer's metadata has no " + field);
        }
        return value;
    }

    JsonNode document() {
        JsonNode current = document;
        if (current == null) {
            current = fetch();
            document = current;
        }
        return current;
    }

    /** Where the metadata may be, in the order Spring Security's own issuer discovery tries them. */
    List<URI> locations() {
        URI uri = URI.create(issuer);
        String path = uri.getRawPath() == null || uri.getRawPath().equals("/") ? "" : uri.getRawPath().replaceAll("/$", "");
        String origin = uri.getScheme() + "://" + uri.getRawAuthority();
        return List.of(URI.create(origin + path + "/.well-known/openid-configuration"),
                URI.create(origin + "/.well-known/openid-configuration" + path),
                URI.create(origin + "/.well-known/oauth-authorization-server" + path));
    }

    private JsonNode fetch() {
        List<String> tried = new ArrayList<>();
        for (URI location : locations()) {
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(location).timeout(Duration.ofSeconds(10))
                        .header("Accept", "application/json").build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    JsonNode doc = json.readTree(r.body());
                    String named = doc.path("issuer").asText("");
                    if (!named.equals(issuer)) {
                        throw new Unavailable("the metadata at " + location + " is for issuer '" + named + "', not " + issuer);
                    }
                    return doc;
                }
                tried.add(location + " (" + r.statusCode() + ")");
            } catch (IOException e) {
                tried.add(location + " (" + e.getClass().getSimpleName() + ")");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Unavailable("interrupted reading the issuer's metadata");
            }
        }
        throw new Unavailable("no metadata for issuer " + issuer + " at " + String.join(", ", tried));
    }
}
