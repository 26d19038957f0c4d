package org.childrensgateway.fhir.validation;

import org.childrensgateway.profiles.ProfileValidatorFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * The validator loads and snapshots every profile on first use (seconds). Doing that in the
 * background once the gateway is up keeps start-up fast and spares the first client the wait.
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
        Thread thread = new Thread(() -> log.info("Profile validator ready in {} ms", profiles.warmUp()), "validator-warm-up");
        thread.setDaemon(true);
        thread.start();
    }
}
