package org.childrensgateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.server.resource.web.DefaultBearerTokenResolver;

/** The gateway's bearer-header reading gives Spring's answer for every header: the token, none, or "malformed". */
class BearerHeaderResolverTest {

    private final DefaultBearerTokenResolver spring = new DefaultBearerTokenResolver();
    private final BearerHeaderResolver ours = new BearerHeaderResolver();

    @Test
    void theSameAnswerAsSpringsForEveryKindOfHeader() {
        String jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJjbGllbnQiLCJhdWQiOiJnYXRld2F5In0.c2lnbmF0dXJlLXBhcnQ-_";
        List<String> headers = new ArrayList<>(java.util.Arrays.asList(null, "", " ", "Basic dXNlcjpwYXNz", "bearer", "Bearer", "Bearer ",
                "Bearer  ", "Bearer " + jwt, "bearer " + jwt, "BEARER " + jwt, "BeArEr " + jwt, "Bearer abc", "Bearer abc=", "Bearer abc==",
                "Bearer =", "Bearer ==", "Bearer abc=d", "Bearer a b", "Bearer abc ", " Bearer abc", "Bearer  abc", "Bearerabc",
                "Bearer\tabc", "Bearer abc\n", "Bearer abc\r\n", "Bearer \u00e9", "Bearer a\u00e9", "Bearer -._~+/", "Bearer a,b",
                "Bearer a;b", "Bearer a\"b", "Bearer a%20b", "Bearer a*b", "Bearers abc", "Bearer:abc", "B\u0131arer abc", "bearer\u00a0abc",
                "Bearer \u212aey", "Bearer abc\u0000"));
        Random random = new Random(16);
        String alphabet = "aZ09-._~+/= \t\n,;:\"%*\u00e9\u212aBbEeRr";
        for (int i = 0; i < 20_000; i++) {
            StringBuilder h = new StringBuilder(random.nextInt(3) == 0 ? "" : random.nextBoolean() ? "Bearer " : "bEaReR ");
            int length = random.nextInt(12);
            for (int j = 0; j < length; j++) {
                h.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            headers.add(h.toString());
        }
        for (String header : headers) {
            assertThat(answer(ours, header)).as("header [%s]", header).isEqualTo(answer(spring, header));
        }
    }

    @Test
    void aMalformedBearerHeaderIsRefusedAndAnotherSchemeCarriesNoToken() {
        assertThat(answer(ours, "Bearer a b")).isEqualTo("refused: invalid_token Bearer token is malformed");
        assertThat(answer(ours, "Basic dXNlcjpwYXNz")).isEqualTo("none");
        assertThat(answer(ours, "Bearer abc==")).isEqualTo("token abc==");
    }

    /** With no Authorization header, an access_token query parameter is not read (as Spring's, configured by default). */
    @Test
    void anAccessTokenParameterIsNotAToken() {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/fhir/Patient");
        request.addParameter("access_token", "abc");
        assertThat(ours.resolve(request)).isNull();
        assertThat(spring.resolve(request)).isNull();
    }

    /** An access_token parameter beside the header, or several, for any method: the answer Spring's gives. */
    @Test
    void accessTokenParametersBesideTheHeaderGetSpringsAnswer() {
        for (String method : List.of("GET", "POST", "DELETE")) {
            for (int params = 0; params <= 2; params++) {
                for (String header : java.util.Arrays.asList(null, "Bearer abc")) {
                    MockHttpServletRequest request = new MockHttpServletRequest(method, "/fhir/Patient");
                    if (header != null) {
                        request.addHeader("Authorization", header);
                    }
                    for (int i = 0; i < params; i++) {
                        request.addParameter("access_token", "p" + i);
                    }
                    assertThat(answer(ours, request)).as("%s, %d parameters, header %s", method, params, header)
                            .isEqualTo(answer(spring, request));
                }
            }
        }
        // Spring 6.5, with parameters off, reads the header and ignores the parameter; so does ours.
        MockHttpServletRequest both = new MockHttpServletRequest("GET", "/fhir/Patient");
        both.addHeader("Authorization", "Bearer abc");
        both.addParameter("access_token", "other");
        assertThat(answer(ours, both)).isEqualTo("token abc");
    }

    private static String answer(org.springframework.security.oauth2.server.resource.web.BearerTokenResolver resolver, MockHttpServletRequest request) {
        try {
            String token = resolver.resolve(request);
            return token == null ? "none" : "token " + token;
        } catch (OAuth2AuthenticationException e) {
            return "refused: " + e.getError().getErrorCode() + " " + e.getError().getDescription();
        }
    }

    private static String answer(org.springframework.security.oauth2.server.resource.web.BearerTokenResolver resolver, String header) {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/fhir/Patient");
        if (header != null) {
            request.addHeader("Authorization", header);
        }
        try {
            String token = resolver.resolve(request);
            return token == null ? "none" : "token " + token;
        } catch (OAuth2AuthenticationException e) {
            return "refused: " + e.getError().getErrorCode() + " " + e.getError().getDescription();
        }
    }
}
