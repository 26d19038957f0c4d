package org.childrensgateway.identity;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;

/** Binds {@code gateway.identity.*} (thresholds, source priority). */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(LinkageSettings.class)
class IdentityConfiguration {
}
