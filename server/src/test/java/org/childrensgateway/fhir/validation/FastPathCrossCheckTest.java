package org.childrensgateway.fhir.validation;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import ca.uhn.fhir.validation.ValidationResult;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The live cross-check of the compiled checks: sampled, counted by outcome, a disagreement never hidden. */
class FastPathCrossCheckTest {

    private static ValidationResult result(ResultSeverityEnum... severities) {
        List<SingleValidationMessage> messages = Arrays.stream(severities).map(s -> {
            SingleValidationMessage m = new SingleValidationMessage();
            m.setSeverity(s);
            m.setLocationString("Patient.identifier[0].system");
            m.setMessage("a finding");
            return m;
        }).toList();
        return new ValidationResult(FhirContext.forR4Cached(), messages);
    }

    private static double count(SimpleMeterRegistry registry, String outcome) {
        var c = registry.find(FastPathCrossCheck.METER).tag("outcome", outcome).counter();
        return c == null ? 0 : c.count();
    }

    private static void waitFor(SimpleMeterRegistry registry, double checks) throws InterruptedException {
        for (int i = 0; i < 200 && count(registry, "agreed") + count(registry, "disagreed") < checks; i++) {
            Thread.sleep(50);
        }
    }

    @Test
    void everyNthAcceptedResourceIsValidatedAgainAndAnErrorCountsAsADisagreement() throws InterruptedException {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        FastPathCrossCheck check = new FastPathCrossCheck(registry, 3);
        AtomicInteger asked = new AtomicInteger();
        for (int i = 0; i < 6; i++) {
            boolean error = i == 5;
            check.accepted("Patient", () -> {
                asked.incrementAndGet();
                return error ? result(ResultSeverityEnum.WARNING, ResultSeverityEnum.ERROR) : result(ResultSeverityEnum.WARNING);
            });
        }
        waitFor(registry, 2);
        assertThat(asked.get()).isEqualTo(2); // the 3rd and the 6th
        assertThat(count(registry, "agreed")).isEqualTo(1); // a warning is no disagreement
        assertThat(count(registry, "disagreed")).isEqualTo(1);
    }

    @Test
    void zeroTurnsItOff() throws InterruptedException {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        FastPathCrossCheck check = new FastPathCrossCheck(registry, 0);
        AtomicInteger asked = new AtomicInteger();
        for (int i = 0; i < 10; i++) {
            check.accepted("Patient", () -> {
                asked.incrementAndGet();
                return result();
            });
        }
        Thread.sleep(200);
        assertThat(asked.get()).isZero();
    }
}
