package org.childrensgateway;

import io.restassured.RestAssured;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Access tokens from the gateway's development authorization server, by client credentials, cached per client. */
public final class Tokens {

    private record Cached(String token, long fetchedAt) {
    }

    private static final Map<String, Cached> CACHE = new ConcurrentHashMap<>();
    private static final long REFRESH_AFTER_MS = 10 * 60 * 1000L;

    private Tokens() {
    }

    /** The scopes each test client asks for (SMART clients request scopes explicitly). */
    private static final Map<String, String> SCOPES = Map.of(
            "la-social-care", "system/*.rs",
            "ig-auditor", "system/*.rs",
            "data-quality", "system/*.rs",
            "patient-reader", "system/Patient.rs");

    public static String forClient(int port, String clientId, String secret) {
        return forClient(port, clientId, secret, SCOPES.getOrDefault(clientId, "system/*.cruds"));
    }

    public static String forClient(int port, String clientId, String secret, String scope) {
        String key = port + "|" + clientId + "|" + scope;
        Cached cached = CACHE.get(key);
        if (cached != null && System.currentTimeMillis() - cached.fetchedAt() < REFRESH_AFTER_MS) {
            return cached.token();
        }
        String token = RestAssured.given().port(port).basePath("").auth().preemptive().basic(clientId, secret)
                .contentType("application/x-www-form-urlencoded").formParam("grant_type", "client_credentials").formParam("scope", scope)
                .post("/oauth2/token").then().statusCode(200).extract().jsonPath().getString("access_token");
        CACHE.put(key, new Cached(token, System.currentTimeMillis()));
        return token;
    }
}
