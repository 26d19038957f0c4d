package org.childrensgateway.security;

import java.time.Duration;
import java.util.List;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.oauth2.server.resource.web.authentication.BearerTokenAuthenticationFilter;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.util.matcher.OrRequestMatcher;

import static org.springframework.security.web.util.matcher.AntPathRequestMatcher.antMatcher;

/**
 * Every {@code /fhir}, {@code /ingest} and {@code /export} call needs a bearer JWT from the
 * configured issuer, checked for signature, issuer, audience, expiry and not-before. Missing or
 * bad tokens get 401 with {@code WWW-Authenticate}; what a valid token may do is decided per FHIR
 * interaction by {@link ScopeEnforcementInterceptor} and the consent decision.
 */
@Configuration(proxyBeanMethods = false)
public class ApiSecurityConfiguration {

    @Bean
    @Order(2)
    SecurityFilterChain apiSecurity(HttpSecurity http, JwtDecoder decoder, org.childrensgateway.access.FeedOwnership feeds) throws Exception {
        BearerTokenAuthenticationEntryPoint bearer = new BearerTokenAuthenticationEntryPoint();
        // Ant matchers, not MVC ones: /fhir is HAPI's servlet, not Spring MVC's, and MVC matchers would miss it.
        http.securityMatcher(new OrRequestMatcher(antMatcher("/fhir/**"), antMatcher("/ingest/**"), antMatcher("/export/**"),
                        antMatcher("/notifications/**"), antMatcher("/identity/**"),
                        antMatcher("/sharing-agreements"), antMatcher("/openapi.yaml")))
                .csrf(csrf -> csrf.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                // No sessions, so nothing to log out of or to save a request in: two filters that could only pass the request on.
                .logout(logout -> logout.disable())
                .requestCache(cache -> cache.disable())
                .authorizeHttpRequests(auth -> auth
                        // The CapabilityStatement is public, as SMART clients read it before they have a token.
                        .requestMatchers(antMatcher(HttpMethod.GET, "/fhir/metadata")).permitAll()
                        // The published sharing policy; every other non-FHIR route is ruled by RouteTable.
                        .requestMatchers(antMatcher(HttpMethod.GET, "/sharing-agreements")).permitAll()
                        // The OpenAPI description of these routes.
                        .requestMatchers(antMatcher(HttpMethod.GET, "/openapi.yaml")).permitAll()
                        .anyRequest().authenticated())
                .oauth2ResourceServer(rs -> rs
                        // Spring's rules for the Authorization header, without its regular expression (BearerHeaderResolver).
                        .bearerTokenResolver(new BearerHeaderResolver())
                        // Checked tokens are remembered until they expire (CachingJwtDecoder).
                        .jwt(jwt -> jwt.decoder(new CachingJwtDecoder(decoder)))
                        .authenticationEntryPoint((request, response, failure) -> {
                            bearer.commence(request, response, failure); // sets status 401 and WWW-Authenticate
                            OperationOutcomeResponses.write(response, 401, OperationOutcome.IssueType.LOGIN,
                                    "A valid bearer token from the gateway's issuer is required: " + failure.getMessage());
                        }))
                .addFilterAfter(new CallerFilter(), BearerTokenAuthenticationFilter.class)
                // One authorisation table for every non-FHIR route, default deny (access.RouteTable).
                .addFilterAfter(new org.childrensgateway.access.RouteAuthorisationFilter(feeds),
                        org.springframework.security.web.access.intercept.AuthorizationFilter.class);
        return http.build();
    }

    /** The checks every token must pass, whoever issued it. */
    public static OAuth2TokenValidator<Jwt> validators(String issuer, String audience, int clockSkewSeconds) {
        OAuth2TokenValidator<Jwt> audienceCheck = jwt -> jwt.getAudience() != null && jwt.getAudience().contains(audience)
                ? OAuth2TokenValidatorResult.success()
                : OAuth2TokenValidatorResult.failure(new OAuth2Error("invalid_token", "The token's audience is not " + audience, null));
        return new DelegatingOAuth2TokenValidator<>(List.of(
                new JwtTimestampValidator(Duration.ofSeconds(clockSkewSeconds)),
                new JwtIssuerValidator(issuer),
                audienceCheck));
    }

    /** Production: the external issuer's published metadata (token endpoint, JWKS). */
    @Bean
    @org.springframework.boot.autoconfigure.condition.ConditionalOnExpression("!'${gateway.security.issuer-uri:}'.isBlank()")
    IssuerMetadata issuerMetadata(SecurityProperties properties) {
        return new IssuerMetadata(properties.issuerUri());
    }

    /**
     * Production: tokens from the external issuer, checked against the keys at the {@code jwks_uri}
     * its metadata names (read on the first token, so the gateway can start while the issuer is away).
     */
    @Bean
    @org.springframework.boot.autoconfigure.condition.ConditionalOnExpression("!'${gateway.security.issuer-uri:}'.isBlank()")
    JwtDecoder externalIssuerDecoder(IssuerMetadata metadata, SecurityProperties properties) {
        java.util.concurrent.atomic.AtomicReference<JwtDecoder> built = new java.util.concurrent.atomic.AtomicReference<>();
        return token -> {
            JwtDecoder decoder = built.get();
            if (decoder == null) {
                String jwks;
                try {
                    jwks = metadata.jwksUri();
                } catch (IssuerMetadata.Unavailable e) {
                    throw new org.springframework.security.oauth2.jwt.JwtException("the issuer's keys cannot be found: " + e.getMessage());
                }
                // Any asymmetric algorithm the issuer's keys are for; never HMAC or none.
                NimbusJwtDecoder nimbus = NimbusJwtDecoder.withJwkSetUri(jwks).jwsAlgorithms(algs -> algs.addAll(List.of(
                        SignatureAlgorithm.RS256, SignatureAlgorithm.RS384, SignatureAlgorithm.RS512, SignatureAlgorithm.PS256,
                        SignatureAlgorithm.PS384, SignatureAlgorithm.PS512, SignatureAlgorithm.ES256, SignatureAlgorithm.ES384,
                        SignatureAlgorithm.ES512))).build();
                nimbus.setJwtValidator(validators(properties.issuerUri(), properties.audience(), properties.clockSkew()));
                built.compareAndSet(null, nimbus);
                decoder = built.get();
            }
            return decoder.decode(token);
        };
    }
}
