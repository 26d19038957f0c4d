package org.childrensgateway.fhir.validation;

import org.childrensgateway.profiles.ProfileValidatorFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Begins building the profile validator (the conformance package parsed, the validation support
 * chain and HAPI's validator built: about 2 s on two cores) as soon as the configuration is read,
 * beside the construction of the Spring context. The bean ({@code FhirConfiguration}) is the same
 * process-wide instance and waits for the build if it is not finished. Last among the environment
 * checks, so a refused configuration builds nothing.
 */
public class ValidatorEarlyStart implements EnvironmentPostProcessor, Ordered {

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        Thread thread = new Thread(ProfileValidatorFactory::shared, "validator-build");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
