package org.childrensgateway.security;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConstructorArgumentValues;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.observation.SecurityObservationSettings;

/**
 * Takes out two things Spring Security puts around every request that guard nothing here (the
 * benchmark's profile of the read mix put them at about 9% of the request threads' CPU,
 * docs/benchmarks.md, round 8), and gives the firewall a cheaper check of the same header rules.
 * The filters of the chains, their order, the token checks and the authorisation rules are untouched.
 *
 * <ul>
 * <li>The observation decorator: with an observation registry present Spring Security wraps each
 * filter of the chain, the authentication manager and the authorisation manager in an
 * observation, even when {@code management.observations.enable.spring.security} is false (that
 * property only makes the observations no-ops, created and stopped all the same). The per-request
 * HTTP timer ({@code http.server.requests}) and the gateway's own metrics are not Spring Security's
 * and remain.</li>
 * <li>Spring MVC's handler-mapping cache in front of the chain: it looks up the MVC handler of every
 * request (every controller's mapping tried, for a {@code /fhir} request that MVC never serves) so
 * that MVC request matchers and MVC-derived CORS settings can reuse it. The gateway's chains match
 * with path matchers only and configure no CORS, so nothing reads it; were anything to, Spring
 * would look the handler up itself (slower, same answer). Spring Security 7 drops this cache.</li>
 * </ul>
 */
@Configuration(proxyBeanMethods = false)
class LeanSecurityChain {

    private static final Logger log = LoggerFactory.getLogger(LeanSecurityChain.class);

    static final String FILTER_CHAIN = "springSecurityFilterChain";
    static final String MVC_COMPOSITE = "org.springframework.security.config.annotation.web.configuration.WebMvcSecurityConfiguration$CompositeFilterChainProxy";
    private static final String MVC_CACHE_FILTER = "org.springframework.security.config.annotation.web.configuration.WebMvcSecurityConfiguration$HandlerMappingIntrospectorCacheFilterFactoryBean";

    /** Spring Security's default firewall, its header check done without regular expressions (HeaderCharacters). */
    @Bean
    org.springframework.security.web.firewall.HttpFirewall httpFirewall() {
        return HeaderCharacters.firewall();
    }

    @Bean
    SecurityObservationSettings securityObservationSettings() {
        return SecurityObservationSettings.noObservations();
    }

    /**
     * Puts Spring Security's own filter chain back where Spring Security's MVC support wrapped it
     * with the handler-mapping cache. Runs after every registry post-processor (Spring Security's
     * wrapping is one), before any bean is made; if the definitions are not as expected it leaves
     * them alone (the chain then keeps the cache: slower, never less secure).
     */
    @Bean
    static BeanFactoryPostProcessor withoutMvcHandlerMappingCache() {
        return factory -> {
            if (!(factory instanceof BeanDefinitionRegistry registry) || !registry.containsBeanDefinition(FILTER_CHAIN)) {
                return;
            }
            BeanDefinition composite = registry.getBeanDefinition(FILTER_CHAIN);
            if (!MVC_COMPOSITE.equals(composite.getBeanClassName())) {
                return;
            }
            ConstructorArgumentValues.ValueHolder arg = composite.getConstructorArgumentValues().getIndexedArgumentValue(0, null);
            if (arg == null || !(arg.getValue() instanceof java.util.List<?> filters) || filters.size() != 2
                    || !(filters.get(0) instanceof BeanDefinition cache) || !MVC_CACHE_FILTER.equals(cache.getBeanClassName())
                    || !(filters.get(1) instanceof BeanDefinition chain)) {
                log.warn("Spring Security's filter chain is not defined as expected; it keeps Spring MVC's handler-mapping cache");
                return;
            }
            registry.removeBeanDefinition(FILTER_CHAIN);
            registry.registerBeanDefinition(FILTER_CHAIN, chain);
        };
    }
}
