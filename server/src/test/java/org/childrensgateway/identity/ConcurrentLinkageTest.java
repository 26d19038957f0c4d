package org.childrensgateway.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.childrensgateway.GatewayTestBase;
import org.childrensgateway.fhir.FhirFixtures;
import org.junit.jupiter.api.Test;

/**
 * Two transactions whose children share blocking keys, committed at the same time and listing those
 * children in opposite orders. The person index locks the keys it matches on; taken record by record,
 * the two transactions locked them in opposite orders and PostgreSQL aborted one with a deadlock
 * (a 500, found by the benchmark). Both must succeed.
 */
class ConcurrentLinkageTest extends GatewayTestBase {

    private static final int CHILDREN = 12;

    @Test
    void bundlesWhoseChildrenShareBlockingKeysDoNotDeadlock() throws Exception {
        Random random = new Random();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 4; round++) {
                List<String[]> groups = new ArrayList<>();
                for (int g = 0; g < CHILDREN; g++) {
                    // A family name unique to this run and group, shared by the two bundles' children.
                    String family = "Lock" + letters(random, 8);
                    String birthDate = "2023-%02d-%02d".formatted(1 + g % 12, 1 + random.nextInt(28));
                    groups.add(new String[] {family, birthDate});
                }
                List<String[]> reversed = new ArrayList<>(groups);
                java.util.Collections.reverse(reversed);
                Callable<Response> a = () -> fhir().body(bundle(groups, "Ada")).post("");
                Callable<Response> b = () -> fhir().body(bundle(reversed, "Bea")).post("");
                List<Future<Response>> sent = List.of(pool.submit(a), pool.submit(b));
                for (Future<Response> f : sent) {
                    Response r = f.get();
                    assertThat(r.statusCode()).as("round %d: %s", round, r.asString()).isEqualTo(200);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static String bundle(List<String[]> groups, String given) {
        StringBuilder entries = new StringBuilder();
        for (String[] g : groups) {
            String patient = FhirFixtures.patient(FhirFixtures.uniqueId("L"), FhirFixtures.nhsNumber(), g[0], given, g[1], "female", "CF10 1AA");
            if (!entries.isEmpty()) {
                entries.append(',');
            }
            entries.append("{\"resource\": ").append(patient).append(", \"request\": {\"method\": \"POST\", \"url\": \"Patient\"}}");
        }
        return "{\"resourceType\": \"Bundle\", \"type\": \"transaction\", \"entry\": [" + entries + "]}";
    }

    private static String letters(Random random, int n) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < n; i++) {
            s.append((char) ('a' + random.nextInt(26)));
        }
        return s.toString();
    }
}
