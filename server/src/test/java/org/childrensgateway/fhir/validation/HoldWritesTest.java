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
        return new ProfileResourceValidator(ProfileValidatorFactory.shared(), compiled, new SimpleMeterRegistry(), true, 0, holdMs);
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
                new SimpleMeterRegistry(), false, 0, 60_000);
        assertThat(millis(off::awaitWriteChecks)).isLessThan(100L);
    }

    @Test
    void aHeldWriteGoesOnOnceTheChecksAreReady() throws InterruptedException {
        CompiledProfiles compiled = new CompiledProfiles(ProfileValidatorFactory.shared());
        ProfileResourceValidator held = validator(compiled, 300_000);
        Thread warmUp = new Thread(compiled::warmUp, "test-warm-up");
        warmUp.start();
        long waited = millis(held::awaitWriteChecks);
        assertThat(compiled.isReady()).isTrue();
        assertThat(waited).isLessThan(300_000L);
        assertThat(millis(held::awaitWriteChecks)).isLessThan(100L);
        warmUp.join();
    }
}
