package org.childrensgateway.security;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.authorization.client.InMemoryRegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.config.annotation.web.configuration.OAuth2AuthorizationServerConfiguration;
import org.springframework.security.oauth2.server.authorization.config.annotation.web.configurers.OAuth2AuthorizationServerConfigurer;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;
import org.springframework.security.oauth2.server.authorization.settings.OAuth2TokenFormat;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;
import org.springframework.security.web.SecurityFilterChain;

/**
 * A development authorization server (Spring Authorization Server) inside the gateway, for the
 * default run and the tests only: it issues client-credentials tokens to the demo clients in
 * {@code gateway.security.dev.clients}, carrying their organisation, role and purpose. It is
 * switched off as soon as {@code gateway.security.issuer-uri} names a real issuer.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression("'${gateway.security.issuer-uri:}'.isBlank()")
public class DevAuthorizationServerConfiguration {

    private static final Logger log = LoggerFactory.getLogger(DevAuthorizationServerConfiguration.class);

    @Bean
    @Order(1)
    SecurityFilterChain authorizationServerSecurity(HttpSecurity http) throws Exception {
        OAuth2AuthorizationServerConfigurer server = OAuth2AuthorizationServerConfigurer.authorizationServer();
        http.securityMatcher(server.getEndpointsMatcher())
                .with(server, Customizer.withDefaults())
                .authorizeHttpRequests(auth -> auth.anyRequest().authenticated())
                .csrf(csrf -> csrf.ignoringRequestMatchers(server.getEndpointsMatcher()));
        return http.build();
    }

    @Bean
    AuthorizationServerSettings authorizationServerSettings(SecurityProperties properties) {
        return AuthorizationServerSettings.builder().issuer(properties.dev().issuer()).build();
    }

    @Bean
    RegisteredClientRepository demoClients(SecurityProperties properties) {
        List<RegisteredClient> clients = properties.dev().clients().stream().map(DevAuthorizationServerConfiguration::register).toList();
        if (clients.isEmpty()) {
            // Spring Authorization Server needs at least one client; this one can do nothing useful.
            return new InMemoryRegisteredClientRepository(RegisteredClient.withId("none").clientId("none")
                    .clientSecret("{noop}" + UUID.randomUUID()).authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS).build());
        }
        return new InMemoryRegisteredClientRepository(clients);
    }

    private static RegisteredClient register(SecurityProperties.DemoClient client) {
        RegisteredClient.Builder builder = RegisteredClient.withId(client.id()).clientId(client.id())
                .authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
                .tokenSettings(TokenSettings.builder().accessTokenTimeToLive(Duration.ofMinutes(15))
                        .accessTokenFormat(OAuth2TokenFormat.SELF_CONTAINED).build());
        ClientSettings.Builder settings = ClientSettings.builder()
                .setting("org", client.organisation()).setting("role", client.role()).setting("purpose", client.purpose());
        if (client.jwks() != null && !client.jwks().isBlank()) {
            // SMART backend services: the client proves itself with a JWT signed by its own key.
            builder.clientAuthenticationMethod(ClientAuthenticationMethod.PRIVATE_KEY_JWT);
            settings.jwkSetUrl(client.jwks()).tokenEndpointAuthenticationSigningAlgorithm(SignatureAlgorithm.RS384);
        }
        if (client.secret() != null && !client.secret().isBlank()) {
            builder.clientSecret("{noop}" + client.secret())
                    .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
                    .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_POST);
        }
        for (String scope : client.scopes() == null ? new String[0] : client.scopes().split("\\s+")) {
            if (!scope.isBlank()) {
                builder.scope(scope);
            }
        }
        return builder.clientSettings(settings.build()).build();
    }

    /** Puts the audience and the demo client's organisation, role and purpose into its tokens. */
    @Bean
    OAuth2TokenCustomizer<JwtEncodingContext> demoClaims(SecurityProperties properties) {
        return context -> {
            ClientSettings settings = context.getRegisteredClient().getClientSettings();
            context.getClaims().audience(List.of(properties.audience()))
                    .claim("client_id", context.getRegisteredClient().getClientId());
            for (String claim : List.of("org", "role", "purpose")) {
                Object value = settings.getSetting(claim);
                if (value != null) {
                    context.getClaims().claim(claim, value);
                }
            }
        };
    }

    @Bean
    JWKSource<SecurityContext> jwkSource(SecurityProperties properties) throws Exception {
        String file = properties.dev().jwkFile();
        JWKSet set;
        if (file != null && !file.isBlank()) {
            set = JWKSet.load(Files.newInputStream(Path.of(file)));
        } else {
            log.info("Development authorization server signing with a key generated at start-up");
            RSAKey key = new RSAKeyGenerator(2048).keyID(UUID.randomUUID().toString()).generate();
            set = new JWKSet(key);
        }
        return new ImmutableJWKSet<>(set);
    }

    /** Tokens are checked exactly as in production, against this server's key and issuer. */
    @Bean
    JwtDecoder devJwtDecoder(JWKSource<SecurityContext> keys, SecurityProperties properties) {
        NimbusJwtDecoder decoder = (NimbusJwtDecoder) OAuth2AuthorizationServerConfiguration.jwtDecoder(keys);
        decoder.setJwtValidator(ApiSecurityConfiguration.validators(properties.dev().issuer(), properties.audience(),
                properties.clockSkew()));
        return decoder;
    }
}
