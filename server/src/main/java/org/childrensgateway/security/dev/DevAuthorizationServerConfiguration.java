package org.childrensgateway.security.dev;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.childrensgateway.security.ApiSecurityConfiguration;
import org.childrensgateway.security.SecurityProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.authorization.authentication.JwtClientAssertionAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientCredentialsAuthenticationProvider;
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
import org.springframework.security.oauth2.server.authorization.web.authentication.JwtClientAssertionAuthenticationConverter;
import org.springframework.security.web.SecurityFilterChain;

/**
 * A development authorization server (Spring Authorization Server) inside the gateway, for a
 * developer's machine and the tests only: it issues client-credentials tokens to the demo clients
 * in {@code gateway.security.dev.clients}, carrying their organisation, role and purpose. It runs
 * only when no external issuer is named and {@code gateway.security.dev.enabled} is true (the
 * {@code dev} and {@code test} profiles), bound to loopback ({@link org.childrensgateway.security.DevIssuerGuard}).
 *
 * <p>SMART backend services as the specification has it: {@code private_key_jwt} assertions with
 * no {@code client_id} parameter, RS384 or ES384, replay-checked ({@link ClientAssertionAuthenticationProvider}),
 * and down-scoping ({@link DownScoping}). Demo clients may also use a secret.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression("'${gateway.security.issuer-uri:}'.isBlank() and ${gateway.security.dev.enabled:false}")
public class DevAuthorizationServerConfiguration {

    private static final Logger log = LoggerFactory.getLogger(DevAuthorizationServerConfiguration.class);

    DevAuthorizationServerConfiguration() {
        log.warn("""

                ********************************************************************************
                * DEVELOPMENT AUTHORIZATION SERVER ON: demo clients with published secrets can  *
                * get tokens here. For a developer's machine only, never with real data. Set     *
                * GATEWAY_SECURITY_ISSUER_URI to your issuer and drop the dev profile to turn    *
                * it off (docs/security.md).                                                     *
                ********************************************************************************""");
    }

    @Bean
    @Order(1)
    SecurityFilterChain authorizationServerSecurity(HttpSecurity http, RegisteredClientRepository clients,
                                                    SecurityProperties properties, JdbcClient jdbc) throws Exception {
        ClientAssertionAuthenticationProvider assertions = new ClientAssertionAuthenticationProvider(clients,
                new ClientKeys(properties.dev().clients()), new AssertionReplayStore(jdbc),
                Duration.ofSeconds(properties.clockSkew()), Clock.systemUTC());
        OAuth2AuthorizationServerConfigurer server = OAuth2AuthorizationServerConfigurer.authorizationServer();
        http.securityMatcher(server.getEndpointsMatcher())
                .with(server, s -> s
                        // SMART backend-services assertions in place of Spring's own (which needs client_id and one alg).
                        .clientAuthentication(c -> c
                                .authenticationConverters(list -> {
                                    list.removeIf(JwtClientAssertionAuthenticationConverter.class::isInstance);
                                    list.add(0, new ClientAssertionConverter());
                                })
                                .authenticationProviders(list -> {
                                    list.removeIf(JwtClientAssertionAuthenticationProvider.class::isInstance);
                                    list.add(0, assertions);
                                })
                                .errorResponseHandler(new DescriptiveClientErrors()))
                        .tokenEndpoint(t -> t.authenticationProviders(list -> list.forEach(p -> {
                            if (p instanceof OAuth2ClientCredentialsAuthenticationProvider credentials) {
                                credentials.setAuthenticationValidator(new DownScoping());
                            }
                        }))))
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
        if (client.hasKeys()) {
            // SMART backend services: the client proves itself with a JWT signed by its own key (ClientKeys).
            builder.clientAuthenticationMethod(ClientAuthenticationMethod.PRIVATE_KEY_JWT);
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

    /** The signing key: from {@code jwk-file} if set (the tests' fixed key), else the one kept in PostgreSQL. */
    @Bean
    JWKSource<SecurityContext> jwkSource(SecurityProperties properties, JdbcClient jdbc) throws IOException, java.text.ParseException {
        String file = properties.dev().jwkFile();
        if (file != null && !file.isBlank()) {
            return new ImmutableJWKSet<>(JWKSet.parse(Files.readString(Path.of(file))));
        }
        return new PersistedSigningKey(jdbc);
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
