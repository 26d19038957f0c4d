package org.childrensgateway.fhir.validation;

import org.childrensgateway.profiles.ProfileValidatorFactory;
import org.childrensgateway.profiles.compiled.CompiledProfiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * The validator loads and snapshots every profile on first use (seconds), the compiled checks
 * compile the default profiles, and the FHIRPath engines of search indexing, audit and PATCH load
 * every core definition on first use ({@code LazyFhirPath}). Doing all three in the background once
 * the gateway is up keeps start-up fast and spares the first client the wait; a request that comes
 * sooner waits for what it needs (until the compiled checks are ready, writes use HAPI's validator).
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
            long start = System.nanoTime();
            // The shared context's definitions, which every LazyFhirPath engine is built over.
            profiles.getFhirContext().getValidationSupport().fetchAllStructureDefinitions();
            log.info("Core definitions for FHIRPath loaded in {} ms", (System.nanoTime() - start) / 1_000_000);
            log.info("Profile validator ready in {} ms", profiles.warmUp());
            start = System.nanoTime();
            compiled.warmUp();
            log.info("Compiled profile checks ready in {} ms", (System.nanoTime() - start) / 1_000_000);
        }, "validator-warm-up");
        thread.setDaemon(true);
        thread.start();
    }
}
