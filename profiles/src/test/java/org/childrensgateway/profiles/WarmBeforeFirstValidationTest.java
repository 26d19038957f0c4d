package org.childrensgateway.profiles;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Snapshots are built lazily and not safely while other threads validate against them, so no
 * validation runs before every project profile is loaded: the first callers wait for the warm-up,
 * and concurrent first validations of a Patient with links all agree with a single-threaded one.
 */
class WarmBeforeFirstValidationTest {

    private static String patientWithLink() {
        return """
                {"resourceType":"Patient","meta":{"profile":["https://fhir.childrens-gateway.uk/StructureDefinition/ChildPatient"]},
                 "name":[{"family":"Jones","given":["Amelia"]}],"birthDate":"2023-05-14",
                 "link":[{"other":{"reference":"Patient/other"},"type":"seealso"}]}""";
    }

    @Test
    void theFirstValidationsWaitForTheWarmUpAndAllAgree() throws Exception {
        ProfileValidatorFactory factory = new ProfileValidatorFactory(FhirContext.forR4Cached());
        assertThat(factory.isWarm()).isFalse();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<String>>> results = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                results.add(pool.submit(() -> ProfileValidatorFactory.errorsOf(factory.validateJsonWithResult(patientWithLink()))
                        .stream().map(Object::toString).toList()));
            }
            List<String> first = results.get(0).get();
            for (Future<List<String>> r : results) {
                assertThat(r.get()).as("every concurrent first validation gives the same findings").isEqualTo(first);
            }
            assertThat(first).noneMatch(e -> e.contains("Unrecognized property"));
            // The validator is live: the same Patient without its birth date fails the ChildPatient profile.
            assertThat(ProfileValidatorFactory.errorsOf(factory.validateJsonWithResult(patientWithLink().replace("\"birthDate\":\"2023-05-14\",", ""))))
                    .isNotEmpty();
        } finally {
            pool.shutdownNow();
        }
        assertThat(factory.isWarm()).isTrue();
    }
}
