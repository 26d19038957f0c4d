package org.childrensgateway.database;

import com.zaxxer.hikari.HikariDataSource;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Session settings for every pooled connection, embedded or external database alike.
 *
 * <p>{@code plan_cache_mode = force_custom_plan}: the PostgreSQL driver turns a statement it has run
 * five times on a connection into a server-side prepared statement, and PostgreSQL may then switch
 * it to one generic plan for all parameter values. Search SQL has the same text for every value of a
 * parameter, so after a few broad searches ({@code family=Jones}) a selective one ({@code
 * address-postalcode=CF10 1AA}) ran with a plan that cannot use the {@code LIKE 'prefix%'} index range:
 * 41 ms instead of 0.06 ms at 125,000 patients (docs/storage.md). Custom plans cost a fraction of a
 * millisecond of planning per search.
 */
@Configuration(proxyBeanMethods = false)
public class DatabaseSessionSettings {

    /** Run on each new connection; the storage benchmark applies the same. */
    public static final String CONNECTION_INIT_SQL = "set plan_cache_mode = force_custom_plan";

    @Bean
    static BeanPostProcessor hikariSessionSettings() {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                if (bean instanceof HikariDataSource hikari && hikari.getConnectionInitSql() == null) {
                    hikari.setConnectionInitSql(CONNECTION_INIT_SQL);
                }
                return bean;
            }
        };
    }
}
