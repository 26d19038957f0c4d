package org.childrensgateway.store;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;

/**
 * Test-only: wraps the gateway's DataSource so every statement executed (and every commit) is
 * counted by its SQL text, to measure how many round trips a request kind costs. Interfaces only:
 * what asks for the pool itself gets it through {@code unwrap}.
 */
@TestConfiguration(proxyBeanMethods = false)
public class CountingDataSource {

    /** Executions by SQL text ("COMMIT" for commits); one per round trip (a batch counts once). */
    public static final Map<String, AtomicLong> EXECUTED = new ConcurrentHashMap<>();

    public static void reset() {
        EXECUTED.clear();
    }

    public static Map<String, Long> snapshot() {
        Map<String, Long> out = new TreeMap<>();
        EXECUTED.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    private static void count(String sql) {
        EXECUTED.computeIfAbsent(sql.replaceAll("\\s+", " ").trim(), k -> new AtomicLong()).incrementAndGet();
    }

    /** Declared as its own class: the context orders post-processors by their declared type, before making them. */
    @Bean
    static CountingPostProcessor countingDataSourcePostProcessor() {
        return new CountingPostProcessor();
    }

    /** First, so innermost: it sees what reaches the pool, the held creates' write included ({@link HeldCreatesDataSource}). */
    static final class CountingPostProcessor implements BeanPostProcessor, Ordered {
        @Override
        public Object postProcessAfterInitialization(Object bean, String beanName) {
            return bean instanceof DataSource ds ? wrap(ds, DataSource.class, (m, args) -> {
                Object r = m.invoke(ds, args);
                return r instanceof Connection c ? connection(c) : r;
            }) : bean;
        }

        @Override
        public int getOrder() {
            return Ordered.HIGHEST_PRECEDENCE;
        }
    }

    private interface Call {
        Object call(Method m, Object[] args) throws Throwable;
    }

    @SuppressWarnings("unchecked")
    private static <T> T wrap(T target, Class<T> type, Call call) {
        InvocationHandler h = (proxy, m, args) -> {
            if (m.getName().equals("unwrap") && args != null && args[0] instanceof Class<?> c && c.isInstance(target)) {
                return target;
            }
            if (m.getName().equals("isWrapperFor") && args != null && args[0] instanceof Class<?> c && c.isInstance(target)) {
                return true;
            }
            try {
                return call.call(m, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return (T) Proxy.newProxyInstance(CountingDataSource.class.getClassLoader(), new Class<?>[] {type}, h);
    }

    private static Connection connection(Connection c) {
        return wrap(c, Connection.class, (m, args) -> {
            Object r = m.invoke(c, args);
            switch (m.getName()) {
                case "commit" -> count("COMMIT");
                case "prepareStatement" -> {
                    String sql = (String) args[0];
                    return wrap((PreparedStatement) r, PreparedStatement.class, (pm, pargs) -> {
                        Object pr = pm.invoke(r, pargs);
                        if (pm.getName().startsWith("execute")) {
                            count(pargs != null && pargs.length > 0 && pargs[0] instanceof String s ? s : sql);
                        }
                        return pr;
                    });
                }
                case "createStatement" -> {
                    return wrap((Statement) r, Statement.class, (sm, sargs) -> {
                        Object sr = sm.invoke(r, sargs);
                        if (sm.getName().startsWith("execute") && sargs != null && sargs.length > 0 && sargs[0] instanceof String s) {
                            count(s);
                        }
                        return sr;
                    });
                }
                default -> { }
            }
            return r;
        });
    }
}
