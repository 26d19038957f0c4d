package org.childrensgateway.apidoc;

import java.io.IOException;
import java.io.InputStream;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Serves the checked-in OpenAPI 3 description of the gateway's non-FHIR endpoints
 * ({@code openapi/gateway-openapi.yaml}), public like the CapabilityStatement. A test holds it to
 * the route table and to every Spring MVC mapping, so it cannot drift from the code.
 */
@RestController
public class OpenApiController {

    public static final String PATH = "/openapi.yaml";
    static final String RESOURCE = "openapi/gateway-openapi.yaml";

    private final byte[] document;

    public OpenApiController() throws IOException {
        try (InputStream in = new ClassPathResource(RESOURCE).getInputStream()) {
            document = in.readAllBytes();
        }
    }

    @GetMapping(PATH)
    public ResponseEntity<byte[]> openApi() {
        return ResponseEntity.ok().contentType(MediaType.parseMediaType("application/yaml")).body(document);
    }
}
