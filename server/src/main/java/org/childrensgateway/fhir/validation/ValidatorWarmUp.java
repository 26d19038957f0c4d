package org.childrensgateway.fhir.validation;

import org.childrensgateway.profiles.ProfileValidatorFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * The validator loads and snapshots every profile on first use (seconds), and the FHIRPath
 * engines of search indexing, audit and PATCH load every core definition on first use
 * ({@code LazyFhirPath}). Doing both in the background once the gateway is up keeps start-up fast
 * and spares the first client the wait; a request that comes sooner waits for what it needs.
 */
@Component
class ValidatorWarmUp {

    private static final Logger log = LoggerFactory.getLogger(ValidatorWarmUp.class);

    private final ProfileValidatorFactory profiles;

    ValidatorWarmUp(ProfileValidatorFactory profiles) {
        this.profiles = profiles;
    }

    @EventListener(ApplicationReadyEvent.class)
    void warmUp() {
        Thread thread = new Thread(() -> {
            long start = System.nanoTime();
            // The shared context's definitions, which every LazyFhirPath engine is built over.
            profiles.getFhirContext().getValidationSupport().fetchAllStructureDefinitions();
            log.info("Core definitions for FHIRPath loaded in {} ms", (System.nanoTime() - start) / 1_000_000);
            log.info("Profile validator ready in {} ms", profiles.warmUp());
        }, "validator-warm-up");
        thread.setDaemon(true);
        thread.start();
    }
}
