package org.childrensgateway.store;

import javax.sql.DataSource;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;

/**
 * Puts {@link HeldCreatesDataSource} in front of the pool, whichever configuration made it (the
 * embedded database's or Spring Boot's for an external one), so the transaction manager, every
 * JdbcClient and JdbcTemplate and the store all get their connections through it.
 */
@Component
class HeldCreatesWrapping implements BeanPostProcessor, Ordered {

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        return bean instanceof DataSource pool && !(bean instanceof HeldCreatesDataSource) ? new HeldCreatesDataSource(pool) : bean;
    }

    /** Last, so outermost: what is beneath (the pool, a test's statement counter) sees the held write as one more statement. */
    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
