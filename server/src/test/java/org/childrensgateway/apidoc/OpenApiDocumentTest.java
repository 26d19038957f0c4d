package org.childrensgateway.apidoc;

import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.RestAssured;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.childrensgateway.GatewayTestBase;
import org.childrensgateway.access.RouteTable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import org.yaml.snakeyaml.Yaml;

/**
 * The OpenAPI document at {@code /openapi.yaml} is public and describes exactly the gateway's own
 * routes: every row of the route table, every Spring MVC endpoint the gateway has, the development
 * issuer's token endpoint; and nothing under the governed prefixes that the route table would refuse.
 */
class OpenApiDocumentTest extends GatewayTestBase {

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mvc;

    private Map<String, Map<String, Object>> paths;

    @BeforeEach
    @SuppressWarnings("unchecked")
    void read() {
        String body = RestAssured.given().header("Authorization", "").get(OpenApiController.PATH).then().statusCode(200)
                .contentType("application/yaml").extract().asString();
        Map<String, Object> document = new Yaml().load(body);
        assertThat(document.get("openapi").toString()).startsWith("3.");
        paths = (Map<String, Map<String, Object>>) document.get("paths");
    }

    /** "GET /ingest/{feed}/{file}" for every operation of the document. */
    private Set<String> operations() {
        Set<String> ops = new TreeSet<>();
        paths.forEach((path, item) -> item.keySet().forEach(method -> ops.add(method.toUpperCase() + " " + path)));
        return ops;
    }

    private static String concrete(String pattern) {
        return pattern.replaceAll("\\{[^}]+}", "x1");
    }

    @Test
    void everyRouteTableRowIsDescribed() {
        List<String> missing = new ArrayList<>();
        for (RouteTable.Route route : RouteTable.ROUTES) {
            if (route.pattern().endsWith("/**")) {
                String prefix = route.pattern().substring(0, route.pattern().length() - 2);
                if (operations().stream().noneMatch(op -> op.startsWith(route.method() + " " + prefix))) {
                    missing.add(route.method() + " " + route.pattern());
                }
            } else if (!operations().contains(route.method() + " " + route.pattern())) {
                missing.add(route.method() + " " + route.pattern());
            }
        }
        assertThat(missing).as("route-table rows missing from the OpenAPI document").isEmpty();
    }

    @Test
    void everythingDescribedUnderTheGovernedPrefixesIsARouteOfTheTable() {
        List<String> unknown = new ArrayList<>();
        for (String op : operations()) {
            String method = op.substring(0, op.indexOf(' '));
            String path = op.substring(op.indexOf(' ') + 1);
            if (RouteTable.governs(path) && RouteTable.match(method, concrete(path)).isEmpty()) {
                unknown.add(op);
            }
        }
        assertThat(unknown).as("described, but the route table refuses them").isEmpty();
    }

    @Test
    void everyMvcEndpointOfTheGatewayIsDescribed() {
        List<String> missing = new ArrayList<>();
        mvc.getHandlerMethods().forEach((info, handler) -> {
            if (!handler.getBeanType().getName().startsWith("org.childrensgateway.")) {
                return; // Spring's own error page
            }
            for (String pattern : info.getPatternValues()) {
                for (var method : info.getMethodsCondition().getMethods()) {
                    if (!operations().contains(method.name() + " " + pattern)) {
                        missing.add(method.name() + " " + pattern + " (" + handler.getBeanType().getSimpleName() + ")");
                    }
                }
            }
        });
        assertThat(missing).as("endpoints missing from the OpenAPI document").isEmpty();
        assertThat(operations()).contains("POST /oauth2/token", "GET /oauth2/jwks", "GET /.well-known/smart-configuration");
    }
}
