package org.childrensgateway.fhir.validation;

import org.childrensgateway.profiles.ProfileValidatorFactory;
import org.childrensgateway.profiles.compiled.CompiledProfiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * The validator loads and snapshots every profile on first use (seconds), and the compiled checks
 * compile the default profiles. Doing that in the background once the gateway is up keeps start-up
 * fast and spares the first client the wait.
 */
@Component
class ValidatorWarmUp {

    private static final Logger log = LoggerFactory.getLogger(ValidatorWarmUp.class);

    private final ProfileValidatorFactory profiles;
    private final CompiledProfiles compiled;

    ValidatorWarmUp(ProfileValidatorFactory profiles, CompiledProfiles compiled) {
        this.profiles = profiles;
        this.compiled = compiled;
    }

    @EventListener(ApplicationReadyEvent.class)
    void warmUp() {
        Thread thread = new Thread(() -> {
            log.info("Profile validator ready in {} ms", profiles.warmUp());
            long start = System.nanoTime();
            compiled.warmUp();
            log.info("Compiled profile checks ready in {} ms", (System.nanoTime() - start) / 1_000_000);
        }, "validator-warm-up");
        thread.setDaemon(true);
        thread.start();
    }
}
