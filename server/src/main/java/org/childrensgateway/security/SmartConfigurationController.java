package org.childrensgateway.security;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * SMART App Launch discovery: {@code /.well-known/smart-configuration}, and at the FHIR base
 * ({@code /fhir/.well-known/smart-configuration}) where SMART clients look, served by
 * {@link FhirBaseDiscoveryFilter} since HAPI's servlet owns {@code /fhir/*}. Public: clients read it
 * before they have a token. Backend services only: {@code client_credentials} with
 * {@code private_key_jwt} (asymmetric), as SMART's backend-services profile uses.
 */
@RestController
public class SmartConfigurationController {

    private final SecurityProperties properties;

    public SmartConfigurationController(SecurityProperties properties) {
        this.properties = properties;
    }

    @GetMapping("/.well-known/smart-configuration")
    public Map<String, Object> smartConfiguration() {
        return configuration(ServletUriComponentsBuilder.fromCurrentContextPath().build().toUriString());
    }

    /** The discovery document for a server whose context path is at {@code base}. */
    Map<String, Object> configuration(String base) {
        boolean dev = properties.devAuthorizationServer();
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("issuer", dev ? properties.dev().issuer() : properties.issuerUri());
        config.put("token_endpoint", dev ? base + "/oauth2/token" : properties.issuerUri() + "/oauth2/token");
        config.put("jwks_uri", dev ? base + "/oauth2/jwks" : properties.issuerUri() + "/.well-known/jwks.json");
        config.put("grant_types_supported", List.of("client_credentials"));
        // The development server also takes client secrets (the demo clients), but SMART backend services
        // authenticate with a signed assertion: only that is advertised.
        config.put("token_endpoint_auth_methods_supported", List.of("private_key_jwt"));
        config.put("token_endpoint_auth_signing_alg_values_supported", List.of("RS384", "ES384"));
        config.put("scopes_supported", List.of("system/*.cruds", "system/*.rs", "user/*.rs", "system/Patient.rs",
                "system/Observation.rs", "system/Consent.cruds", "system/CarePlan.rs", "system/AuditEvent.rs"));
        config.put("capabilities", List.of("client-confidential-asymmetric", "permission-v2", "permission-v1"));
        config.put("audience", properties.audience());
        return config;
    }
}
