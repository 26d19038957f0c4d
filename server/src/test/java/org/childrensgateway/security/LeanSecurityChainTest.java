package org.childrensgateway.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import io.restassured.RestAssured;
import jakarta.servlet.Filter;
import java.time.Instant;
import org.childrensgateway.GatewayTestBase;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.security.web.FilterChainProxy;
import org.springframework.security.web.ObservationFilterChainDecorator;

/**
 * Spring Security's chain runs without its observation decorator and without Spring MVC's
 * handler-mapping cache in front of it (LeanSecurityChain), and still checks every token.
 */
class LeanSecurityChainTest extends GatewayTestBase {

    private static final String KEY = "src/test/resources/security/test-signing-jwks.json";
    private static final String ROGUE = "src/test/resources/security/rogue-jwks.json";

    @Autowired
    @Qualifier(LeanSecurityChain.FILTER_CHAIN)
    Filter springSecurityFilterChain;

    @Test
    void theChainHasNeitherTheMvcCacheNorTheObservationDecorator() throws Exception {
        assertThat(springSecurityFilterChain.getClass().getName()).isNotEqualTo(LeanSecurityChain.MVC_COMPOSITE);
        FilterChainProxy proxy = inner((FilterChainProxy) springSecurityFilterChain);
        java.lang.reflect.Field decorator = FilterChainProxy.class.getDeclaredField("filterChainDecorator");
        decorator.setAccessible(true);
        assertThat(decorator.get(proxy)).isNotInstanceOf(ObservationFilterChainDecorator.class)
                .isInstanceOf(FilterChainProxy.VirtualFilterChainDecorator.class);
        // Both chains are still there: the development issuer's and the API's.
        assertThat(proxy.getFilterChains()).hasSize(2);
    }

    /** The API chain keeps every filter that guards (token, authorisation, caller, route table, headers) and only those two pass-throughs go. */
    @Test
    void theApiChainKeepsItsGuards() throws Exception {
        FilterChainProxy proxy = inner((FilterChainProxy) springSecurityFilterChain);
        org.springframework.mock.web.MockHttpServletRequest fhir = new org.springframework.mock.web.MockHttpServletRequest("GET", "/fhir/Patient");
        fhir.setServletPath("/fhir/Patient");
        java.util.List<String> filters = proxy.getFilterChains().stream().filter(c -> c.matches(fhir)).findFirst().orElseThrow()
                .getFilters().stream().map(f -> f.getClass().getSimpleName()).toList();
        assertThat(filters).containsSubsequence("HeaderWriterFilter", "BearerTokenAuthenticationFilter", "CallerFilter",
                "AnonymousAuthenticationFilter", "ExceptionTranslationFilter", "AuthorizationFilter", "RouteAuthorisationFilter");
        assertThat(filters).doesNotContain("LogoutFilter", "RequestCacheAwareFilter");
    }

    @Test
    void tokensAreStillCheckedThroughTheChain() throws Exception {
        // Spring Security's response headers are still written.
        RestAssured.given().get("/fhir/Patient?_count=1").then().statusCode(200).header("X-Content-Type-Options", "nosniff")
                .header("X-Frame-Options", "DENY");
        String expired = TestTokens.signedBy(KEY).expires(Instant.now().minusSeconds(300)).build();
        RestAssured.given().header("Authorization", "Bearer " + expired).get("/fhir/Patient?_count=1").then().statusCode(401)
                .header("WWW-Authenticate", containsString("invalid_token"));
        String forged = TestTokens.signedBy(ROGUE).build();
        RestAssured.given().header("Authorization", "Bearer " + forged).get("/fhir/Patient?_count=1").then().statusCode(401)
                .header("WWW-Authenticate", containsString("invalid_token"));
        RestAssured.given().header("Authorization", "Bearer not a token").get("/fhir/Patient?_count=1").then().statusCode(401)
                .header("WWW-Authenticate", containsString("malformed"));
        RestAssured.given().header("Authorization", "Basic dXNlcjpwYXNz").get("/fhir/Patient?_count=1").then().statusCode(401);
        RestAssured.given().header("Authorization", "").get("/fhir/metadata").then().statusCode(200);
    }

    /** The firewall still refuses a control character in a header it is asked for (here the bearer header): 400, not 401. */
    @Test
    void theFirewallStillRefusesAControlCharacterInAHeader() throws Exception {
        assertThat(rawGet("Authorization: Bearer " + token())).startsWith("HTTP/1.1 200");
        assertThat(rawGet("Authorization: Bearer abc\u0085def")).startsWith("HTTP/1.1 400");
        assertThat(rawGet("Authorization: Bearer abc def")).startsWith("HTTP/1.1 401");
    }

    /** A GET of a FHIR search sent byte for byte (ISO-8859-1, as Tomcat reads headers): its status line. */
    private String rawGet(String header) throws Exception {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            String request = "GET /fhir/Patient?_count=1 HTTP/1.1\r\nHost: localhost\r\n" + header + "\r\nConnection: close\r\n\r\n";
            socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            return new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(), java.nio.charset.StandardCharsets.ISO_8859_1)).readLine();
        }
    }

    /** The FilterChainProxy inside Spring Security's own wrapper (which adds the request-path filter). */
    private static FilterChainProxy inner(FilterChainProxy proxy) throws Exception {
        for (Class<?> c = proxy.getClass(); c != FilterChainProxy.class; c = c.getSuperclass()) {
            for (java.lang.reflect.Field f : c.getDeclaredFields()) {
                if (FilterChainProxy.class.isAssignableFrom(f.getType())) {
                    f.setAccessible(true);
                    return inner((FilterChainProxy) f.get(proxy));
                }
            }
        }
        return proxy;
    }
}
