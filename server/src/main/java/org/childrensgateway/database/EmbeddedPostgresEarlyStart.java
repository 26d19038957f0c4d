package org.childrensgateway.database;

import java.util.Map;
import org.springframework.boot.ConfigurableBootstrapContext;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringApplicationRunListener;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Begins the embedded PostgreSQL's start-up and migration as soon as the configuration is read, so
 * that they run beside the construction of the Spring context instead of after it (2.5–3 s of
 * start-up on two cores). Only when the embedded database is the one in use (no {@code spring.datasource.url}),
 * and after the environment checks ({@code DevIssuerGuard}), so a refused configuration starts
 * nothing. One instance per run of the application, so a run that fails stops the server it began:
 * nothing else would before the JVM exits.
 */
public class EmbeddedPostgresEarlyStart implements SpringApplicationRunListener, Ordered {

    private EmbeddedDatabaseProperties begun;

    public EmbeddedPostgresEarlyStart(SpringApplication application, String[] args) {
    }

    @Override
    public void environmentPrepared(ConfigurableBootstrapContext bootstrapContext, ConfigurableEnvironment environment) {
        String url = environment.getProperty("spring.datasource.url");
        if (url != null && !url.isBlank()) {
            return;
        }
        begun = Binder.get(environment).bindOrCreate("gateway.embedded-db", EmbeddedDatabaseProperties.class);
        // An operator's spring.liquibase.enabled=false is kept: then nothing migrates the database.
        String changeLog = environment.getProperty("spring.liquibase.enabled", Boolean.class, true)
                ? environment.getProperty("spring.liquibase.change-log", "classpath:db/changelog/db.changelog-master.yaml")
                : null;
        EmbeddedPostgresLaunch.begin(begun, changeLog);
        // The launch migrates the database before the context can use it; Spring Boot's own run of
        // the same migration would only repeat the check on the main thread.
        environment.getPropertySources().addFirst(new MapPropertySource("embedded-db-early-start",
                Map.of("spring.liquibase.enabled", "false")));
    }

    @Override
    public void failed(ConfigurableApplicationContext context, Throwable exception) {
        if (begun != null) {
            EmbeddedPostgresLaunch.abandon(begun);
        }
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE; // after the listener that runs the environment checks
    }
}
