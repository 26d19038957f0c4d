package org.childrensgateway.fhir.validation;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.childrensgateway.profiles.ProfileValidatorFactory;
import org.childrensgateway.profiles.compiled.CompiledProfiles;
import org.junit.jupiter.api.Test;

/**
 * Writes just after a start wait for the compiled checks, no longer than the hold, and once a wait
 * has run out no write waits again; a hold of 0 or compiled checks switched off hold nothing; once
 * the checks are ready a held write goes on at once.
 */
class HoldWritesTest {

    private static ProfileResourceValidator validator(CompiledProfiles compiled, long holdMs) {
        return validator(compiled, holdMs, new SimpleMeterRegistry());
    }

    private static ProfileResourceValidator validator(CompiledProfiles compiled, long holdMs, SimpleMeterRegistry registry) {
        return new ProfileResourceValidator(ProfileValidatorFactory.shared(), compiled, registry, true, 0, 1.0, holdMs);
    }

    private static long millis(Runnable r) {
        long start = System.nanoTime();
        r.run();
        return (System.nanoTime() - start) / 1_000_000;
    }

    @Test
    void aWriteWaitsNoLongerThanTheHold() {
        CompiledProfiles neverReady = new CompiledProfiles(ProfileValidatorFactory.shared());
        ProfileResourceValidator held = validator(neverReady, 400);
        assertThat(millis(held::awaitWriteChecks)).isBetween(350L, 5_000L);
        // one wait that ran out ends holding: a transaction's 400 entries must not wait in turn
        assertThat(millis(held::awaitWriteChecks)).isLessThan(100L);
        assertThat(millis(validator(neverReady, 0)::awaitWriteChecks)).isLessThan(100L);
        // compiled-checks: false never holds a write: every write goes to HAPI anyway
        ProfileResourceValidator off = new ProfileResourceValidator(ProfileValidatorFactory.shared(), neverReady,
                new SimpleMeterRegistry(), false, 0, 1.0, 60_000);
        assertThat(millis(off::awaitWriteChecks)).isLessThan(100L);
    }

    @Test
    void aHeldWriteGoesOnOnceTheChecksAreReady() throws InterruptedException {
        CompiledProfiles compiled = new CompiledProfiles(ProfileValidatorFactory.shared());
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ProfileResourceValidator held = validator(compiled, 300_000, registry);
        Thread warmUp = new Thread(compiled::warmUp, "test-warm-up");
        warmUp.start();
        long waited = millis(held::awaitWriteChecks);
        assertThat(compiled.isReady()).isTrue();
        assertThat(gauge(registry, ProfileResourceValidator.READY)).as("the metric says the checks are ready").isEqualTo(1);
        assertThat(waited).isLessThan(300_000L);
        assertThat(millis(held::awaitWriteChecks)).isLessThan(100L);
        warmUp.join();
    }

    @Test
    void theMetricsSayWhileWritesAreHeld() throws InterruptedException {
        // Readiness says UP while writes wait, so the metrics are where an operator sees why they are slow.
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        CompiledProfiles neverReady = new CompiledProfiles(ProfileValidatorFactory.shared());
        ProfileResourceValidator held = validator(neverReady, 5_000, registry);
        assertThat(gauge(registry, ProfileResourceValidator.READY)).isZero();
        assertThat(gauge(registry, ProfileResourceValidator.HELD)).isZero();
        Thread writer = new Thread(held::awaitWriteChecks, "test-held-write");
        writer.start();
        long deadline = System.nanoTime() + 4_000_000_000L;
        while (gauge(registry, ProfileResourceValidator.HELD) == 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(gauge(registry, ProfileResourceValidator.HELD)).as("one write waiting").isEqualTo(1);
        writer.join();
        assertThat(gauge(registry, ProfileResourceValidator.HELD)).as("the wait ran out").isZero();
    }

    private static double gauge(SimpleMeterRegistry registry, String name) {
        return registry.get(name).gauge().value();
    }
}
