package org.childrensgateway.security;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * SMART App Launch discovery: {@code /.well-known/smart-configuration}, and at the FHIR base
 * ({@code /fhir/.well-known/smart-configuration}) where SMART clients look, served by
 * {@link FhirBaseDiscoveryFilter} since HAPI's servlet owns {@code /fhir/*}. Public: clients read it
 * before they have a token. Backend services only: {@code client_credentials} with
 * {@code private_key_jwt} (asymmetric), as SMART's backend-services profile uses. With an external
 * issuer its endpoints are the ones the issuer's own metadata names ({@link IssuerMetadata}).
 */
@RestController
public class SmartConfigurationController {

    /** Backend-services scopes, SMART v2 and v1 forms; every one can be obtained (down-scoping). */
    static final List<String> SCOPES = List.of("system/*.cruds", "system/*.rs", "system/*.read", "system/Patient.rs",
            "system/Patient.read", "system/Observation.rs", "system/Consent.cruds", "system/CarePlan.rs", "system/AuditEvent.rs");
    static final List<String> SIGNING_ALGORITHMS = List.of("RS384", "ES384");

    private final SecurityProperties properties;
    private final ObjectProvider<IssuerMetadata> issuer;

    public SmartConfigurationController(SecurityProperties properties, ObjectProvider<IssuerMetadata> issuer) {
        this.properties = properties;
        this.issuer = issuer;
    }

    @GetMapping("/.well-known/smart-configuration")
    public ResponseEntity<Map<String, Object>> smartConfiguration() {
        try {
            return ResponseEntity.ok(configuration(ServletUriComponentsBuilder.fromCurrentContextPath().build().toUriString()));
        } catch (IssuerMetadata.Unavailable e) {
            return ResponseEntity.status(503).body(Map.of("error", "temporarily_unavailable", "error_description", e.getMessage()));
        }
    }

    /**
     * The discovery document for a server whose context path is at {@code base}.
     *
     * @throws IssuerMetadata.Unavailable if the external issuer's metadata cannot be read
     */
    Map<String, Object> configuration(String base) {
        Map<String, Object> config = new LinkedHashMap<>();
        IssuerMetadata external = properties.devAuthorizationServer() ? null : issuer.getObject();
        if (external == null) {
            config.put("issuer", properties.dev().issuer());
            config.put("token_endpoint", base + "/oauth2/token");
            config.put("jwks_uri", base + "/oauth2/jwks");
        } else {
            config.put("issuer", external.issuer());
            config.put("token_endpoint", external.tokenEndpoint());
            config.put("jwks_uri", external.jwksUri());
            for (String optional : List.of("introspection_endpoint", "revocation_endpoint", "registration_endpoint")) {
                if (external.text(optional) != null) {
                    config.put(optional, external.text(optional));
                }
            }
        }
        config.put("grant_types_supported", List.of("client_credentials"));
        // The development server also takes client secrets (the demo clients), but SMART backend services
        // authenticate with a signed assertion: only that is advertised.
        config.put("token_endpoint_auth_methods_supported", List.of("private_key_jwt"));
        config.put("token_endpoint_auth_signing_alg_values_supported", algorithms(external));
        config.put("scopes_supported", scopes(external));
        config.put("capabilities", List.of("client-confidential-asymmetric", "permission-v2", "permission-v1"));
        config.put("audience", properties.audience());
        return config;
    }

    /** RS384 and ES384 (what SMART requires), less any the external issuer says it does not take. */
    private static List<String> algorithms(IssuerMetadata external) {
        List<String> published = external == null ? List.of() : external.list("token_endpoint_auth_signing_alg_values_supported");
        List<String> both = SIGNING_ALGORITHMS.stream().filter(published::contains).toList();
        return published.isEmpty() || both.isEmpty() ? SIGNING_ALGORITHMS : both;
    }

    /** The SMART resource scopes the external issuer publishes, if it publishes any; else the gateway's own list. */
    private static List<String> scopes(IssuerMetadata external) {
        List<String> smart = external == null ? List.of()
                : external.list("scopes_supported").stream().filter(s -> s.matches("(system|user|patient)/.+\\..+")).toList();
        return smart.isEmpty() ? SCOPES : smart;
    }
}
