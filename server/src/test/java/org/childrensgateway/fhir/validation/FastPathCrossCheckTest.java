package org.childrensgateway.fhir.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import ca.uhn.fhir.validation.ValidationResult;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
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
        FastPathCrossCheck check = new FastPathCrossCheck(registry, 3, 1.0);
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
        FastPathCrossCheck check = new FastPathCrossCheck(registry, 0, 1.0);
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

    /**
     * A check that costs 10 units of CPU at a share of 0.25 leaves 30 units of the clock without
     * checks; the first sample after that is checked again. One clock stands for both the thread's
     * CPU and the wall clock, advanced by hand.
     */
    @Test
    void aCheckHoldsOffTheNextForItsCostOverTheShare() throws InterruptedException {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        AtomicLong clock = new AtomicLong(1_000);
        FastPathCrossCheck check = new FastPathCrossCheck(registry, 1, 0.25, clock::get, clock::get);
        AtomicInteger asked = new AtomicInteger();
        java.util.function.Supplier<ValidationResult> costing10 = () -> {
            asked.incrementAndGet();
            clock.addAndGet(10);
            return result();
        };
        check.accepted("Patient", costing10); // checked: clock 1000 -> 1010, none before 1040
        settled(check);
        check.accepted("Patient", costing10); // 1010: over budget
        clock.set(1039);
        check.accepted("Patient", costing10); // 1039: over budget
        assertThat(count(registry, "over-budget")).isEqualTo(2);
        clock.set(1040);
        check.accepted("Patient", costing10); // checked
        settled(check);
        assertThat(asked.get()).isEqualTo(2);
        assertThat(count(registry, "agreed")).isEqualTo(2);
    }

    /** While a check runs, later samples are passed over (its cost is not known yet), not queued behind it. */
    @Test
    void oneCheckAtATimeUnderABudget() throws InterruptedException {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        AtomicLong clock = new AtomicLong();
        FastPathCrossCheck check = new FastPathCrossCheck(registry, 1, 0.5, clock::get, clock::get);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        AtomicInteger asked = new AtomicInteger();
        check.accepted("Patient", () -> {
            asked.incrementAndGet();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return result();
        });
        for (int i = 0; i < 5; i++) {
            check.accepted("Patient", () -> {
                asked.incrementAndGet();
                return result();
            });
        }
        release.countDown();
        settled(check);
        assertThat(asked.get()).isEqualTo(1);
        assertThat(count(registry, "over-budget")).isEqualTo(5);
        check.accepted("Patient", () -> { // the first cost nothing on this clock: the next is checked at once
            asked.incrementAndGet();
            return result();
        });
        settled(check);
        assertThat(asked.get()).isEqualTo(2);
    }

    private static void settled(FastPathCrossCheck check) throws InterruptedException {
        for (int i = 0; i < 200 && check.checking(); i++) {
            Thread.sleep(20);
        }
        assertThat(check.checking()).isFalse();
    }

    @Test
    void aShareOutsideZeroToOneIsRefusedAtStart() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        assertThatThrownBy(() -> new FastPathCrossCheck(registry, 100, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cross-check-share");
        assertThatThrownBy(() -> new FastPathCrossCheck(registry, 100, 1.5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FastPathCrossCheck(registry, 100, Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    }
}
