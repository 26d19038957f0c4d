package org.childrensgateway.security;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;

/**
 * Safe by default: the gateway does not start without an issuer. With
 * {@code gateway.security.issuer-uri} blank it starts only if the development authorization server
 * is chosen explicitly ({@code gateway.security.dev.enabled}, set by the {@code dev} profile) and
 * the gateway is bound to a loopback address, so demo clients with published secrets can never get
 * tokens from another machine. Checked as soon as the configuration is read, before anything starts.
 */
public class DevIssuerGuard implements EnvironmentPostProcessor, Ordered {

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        check(environment);
    }

    static void check(Environment environment) {
        if (!environment.getProperty("gateway.security.issuer-uri", "").isBlank()) {
            return; // tokens come from the external issuer; the development server is off
        }
        if (!environment.getProperty("gateway.security.dev.enabled", Boolean.class, false)) {
            throw new IllegalStateException("No token issuer: set GATEWAY_SECURITY_ISSUER_URI to your OIDC / OAuth 2.0 issuer. "
                    + "On a developer's machine only, the 'dev' profile (SPRING_PROFILES_ACTIVE=dev) runs a development "
                    + "authorization server with demo clients, bound to 127.0.0.1 (docs/security.md).");
        }
        String address = environment.getProperty("server.address", "");
        if (!loopback(address)) {
            throw new IllegalStateException("The development authorization server gives tokens to demo clients whose secrets are "
                    + "published: it runs only with server.address on loopback (127.0.0.1), not on "
                    + (address.isBlank() ? "every interface" : address) + ". Set GATEWAY_SECURITY_ISSUER_URI instead.");
        }
    }

    private static boolean loopback(String address) {
        if (address.isBlank()) {
            return false;
        }
        try {
            // Literal addresses only: a host name could resolve differently tomorrow.
            return (address.matches("[0-9.]+") || address.contains(":")) && InetAddress.getByName(address).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE; // after the configuration files and profiles are read
    }
}
