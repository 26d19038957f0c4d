package org.childrensgateway.audit;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.childrensgateway.GatewayTestBase;
import org.childrensgateway.fhir.FhirFixtures;
import org.childrensgateway.fhir.GatewayRestfulServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Rough cost of auditing: 200 reads of one Patient with the audit interceptor, and 200 with it
 * swapped for one that only marks the request as recorded (so nothing is written), alternating
 * rounds. Opt-in: {@code mvn -o test -pl server -Dtest=AuditOverheadTest -Daudit.perf=true}.
 */
@EnabledIfSystemProperty(named = "audit.perf", matches = "true")
class AuditOverheadTest extends GatewayTestBase {

    private static final int READS = 200;
    private static final int ROUNDS = 7;

    @Autowired
    private ServletRegistrationBean<GatewayRestfulServer> fhirServlet;
    @Autowired
    private AuditInterceptor auditInterceptor;
    @Autowired
    private JdbcClient jdbc;

    @Interceptor
    public static class NoAudit {
        @Hook(Pointcut.SERVER_INCOMING_REQUEST_POST_PROCESSED)
        public void skip(RequestDetails request) {
            AuditTrail.of(request).markRecorded();
        }
    }

    @Test
    void measureAuditOverheadPerRead() throws Exception {
        String body = FhirFixtures.patient(FhirFixtures.uniqueId("P"), FhirFixtures.nhsNumber(), "Perf", "Test", "2023-05-14", "female", "NP4 6AB");
        String id = fhir().body(body).post("/Patient").then().statusCode(201).extract().jsonPath().getString("id");
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest read = HttpRequest.newBuilder(URI.create(baseUrl() + "/Patient/" + id)).header("Accept", "application/fhir+json").build();
        var interceptors = fhirServlet.getServlet().getInterceptorService();
        NoAudit noAudit = new NoAudit();

        List<Double> with = new ArrayList<>();
        List<Double> without = new ArrayList<>();
        // Warm-up (JIT, connection pool, validator warm-up finishing on startup), then alternate rounds.
        for (int i = 0; i < 3; i++) {
            run(client, read, READS);
        }
        for (int round = 0; round < ROUNDS; round++) {
            with.add(run(client, read, READS));
            interceptors.unregisterInterceptor(auditInterceptor);
            interceptors.registerInterceptor(noAudit);
            try {
                long before = count();
                without.add(run(client, read, READS));
                assertThat(count()).as("no AuditEvents while auditing is swapped out").isEqualTo(before);
            } finally {
                interceptors.unregisterInterceptor(noAudit);
                interceptors.registerInterceptor(auditInterceptor);
            }
        }
        double w = median(with);
        double wo = median(without);
        System.out.printf("AUDIT OVERHEAD: %d reads/round, %d rounds; median per read with audit %.3f ms, without %.3f ms,"
                + " overhead %.3f ms per request (rounds with %s, without %s)%n", READS, ROUNDS, w, wo, w - wo, with, without);
    }

    private long count() {
        return jdbc.sql("select count(*) from audit_chain").query(Long.class).single();
    }

    private static double run(HttpClient client, HttpRequest read, int n) throws Exception {
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            HttpResponse<String> response = client.send(read, HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
        }
        return (System.nanoTime() - start) / 1e6 / n;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }
}
