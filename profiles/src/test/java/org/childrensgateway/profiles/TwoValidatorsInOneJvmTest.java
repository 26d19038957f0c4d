package org.childrensgateway.profiles;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.childrensgateway.profiles.compiled.CompiledProfiles;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.junit.jupiter.api.Test;

/**
 * Two validators in one JVM over two FhirContexts (as the gateway's and the tests'
 * emitted-conformance check are), warming up (validator and compiled checks) at the same moment and
 * then validating from several threads: every finding equals a lone validator's. HAPI shares the
 * core definitions across contexts; in the full suite two warm-ups that met broke the gateway's
 * snapshots for good, which {@link HapiValidationLock} prevents. This test alone did not reproduce
 * that collision with the lock removed (three runs); it pins that concurrent use stays correct.
 */
class TwoValidatorsInOneJvmTest {

    @Test
    void twoValidatorsOverTwoContextsAgreeWithALoneValidation() throws Exception {
        List<IBaseResource> resources = List.of(Examples.consent(), Examples.childPatient(), Examples.carePlan(),
                Examples.growthWeight(), Examples.carer());
        ProfileValidatorFactory one = new ProfileValidatorFactory(FhirContext.forR4Cached());
        ProfileValidatorFactory two = new ProfileValidatorFactory(FhirContext.forR4());
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<List<String>>> results = new ArrayList<>();
        try {
            // The two warm-ups at once, as at the gateway's start.
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> warmUps = new ArrayList<>();
            for (ProfileValidatorFactory f : List.of(one, two)) {
                warmUps.add(pool.submit(() -> {
                    go.await();
                    f.warmUp();
                    new CompiledProfiles(f).warmUp();
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> w : warmUps) {
                w.get();
            }
            for (int round = 0; round < 3; round++) {
                for (IBaseResource r : resources) {
                    for (ProfileValidatorFactory f : List.of(one, two)) {
                        results.add(pool.submit(() -> findings(f, r)));
                    }
                }
            }
            List<List<String>> got = new ArrayList<>();
            for (Future<List<String>> r : results) {
                got.add(r.get());
            }
            ProfileValidatorFactory alone = new ProfileValidatorFactory(FhirContext.forR4());
            for (int i = 0; i < got.size(); i++) {
                IBaseResource r = resources.get((i / 2) % resources.size());
                assertThat(got.get(i)).as(r.fhirType() + " (validation " + i + ")").isEqualTo(findings(alone, r));
            }
        } finally {
            pool.shutdownNow();
        }
        for (IBaseResource r : resources) {
            assertThat(findings(one, r)).as(r.fhirType() + " conforms").isEmpty();
        }
    }

    private static List<String> findings(ProfileValidatorFactory factory, IBaseResource resource) {
        return ProfileValidatorFactory.errorsOf(factory.validateWithResult(resource)).stream().map(Object::toString).toList();
    }
}
