package org.childrensgateway.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.childrensgateway.GatewayApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.mock.env.MockEnvironment;
import org.yaml.snakeyaml.Yaml;

/**
 * Safe by default: the production configuration (no profile) does not start without an issuer and
 * holds no demo secret; the development issuer runs only when chosen and only on loopback; the
 * container files never choose it.
 */
class SafeStartTest {

    private static final Path ROOT = Path.of("..");

    /** Starts the gateway as the image does (no profile); the guard must stop it before anything starts. */
    private static void start(String... args) {
        List<String> all = new java.util.ArrayList<>(List.of("--server.port=0", "--gateway.embedded-db.data-dir=target/safe-start-postgres"));
        all.addAll(List.of(args));
        new SpringApplicationBuilder(GatewayApplication.class).run(all.toArray(String[]::new)).close();
    }

    @Test
    void theDefaultConfigurationRefusesToStartWithoutAnIssuer() {
        assertThatThrownBy(() -> start()).hasStackTraceContaining("No token issuer").hasStackTraceContaining("GATEWAY_SECURITY_ISSUER_URI");
    }

    @Test
    void theDevelopmentIssuerRefusesToListenBeyondLoopback() {
        assertThatThrownBy(() -> start("--gateway.security.dev.enabled=true")).hasStackTraceContaining("loopback");
        assertThatThrownBy(() -> start("--spring.profiles.active=dev", "--server.address=0.0.0.0")).hasStackTraceContaining("loopback");
    }

    @ParameterizedTest(name = "issuer [{0}], dev {1}, address [{2}] -> starts: {3}")
    @CsvSource({
            "https://login.example/realms/x, false, '', true",
            "https://login.example/realms/x, true, 0.0.0.0, true",   // an issuer turns the development server off
            "'', false, 127.0.0.1, false",
            "'', true, 127.0.0.1, true",
            "'', true, ::1, true",
            "'', true, '', false",
            "'', true, 0.0.0.0, false",
            "'', true, 10.1.2.3, false",
            "'', true, localhost, false"})  // a name, not an address: could resolve to anything
    void theGuardAsATable(String issuer, boolean dev, String address, boolean starts) {
        MockEnvironment env = new MockEnvironment().withProperty("gateway.security.issuer-uri", issuer)
                .withProperty("gateway.security.dev.enabled", String.valueOf(dev)).withProperty("server.address", address);
        if (starts) {
            assertThatCode(() -> DevIssuerGuard.check(env)).doesNotThrowAnyException();
        } else {
            assertThatThrownBy(() -> DevIssuerGuard.check(env)).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void noDemoSecretIsPartOfTheProductionConfiguration() throws Exception {
        String production = Files.readString(Path.of("src/main/resources/application.yaml"));
        assertThat(production).doesNotContain("secret:").doesNotContain("demo-");
        for (Object document : new Yaml().loadAll(production)) {
            Map<String, Object> dev = dig((Map<String, Object>) document, "gateway", "security", "dev");
            if (dev != null) {
                assertThat(dev.get("enabled")).isEqualTo(false);
                assertThat(dev).doesNotContainKey("clients");
            }
        }
        Map<String, Object> devProfile = new Yaml().load(Files.readString(Path.of("src/main/resources/application-dev.yaml")));
        assertThat(dig(devProfile, "server").get("address")).isEqualTo("127.0.0.1");
        assertThat(dig(devProfile, "gateway", "security", "dev").get("enabled")).isEqualTo(true);
    }

    @Test
    @SuppressWarnings("unchecked")
    void theContainerFilesNeedAnIssuerAndNeverChooseTheDevProfile() throws Exception {
        Map<String, Object> compose = new Yaml().load(Files.readString(ROOT.resolve("docker/compose.yaml")));
        Map<String, Object> env = dig(compose, "services", "gateway", "environment");
        assertThat(String.valueOf(env.get("GATEWAY_SECURITY_ISSUERURI"))).startsWith("${GATEWAY_SECURITY_ISSUER_URI:?");
        String files = Files.readString(ROOT.resolve("docker/compose.yaml")) + Files.readString(ROOT.resolve("docker/Dockerfile"))
                + Files.readString(Path.of("pom.xml")).replaceAll("(?s).*?(<environment>.*</environment>).*", "$1");
        assertThat(files).doesNotContainIgnoringCase("PROFILES_ACTIVE").doesNotContain("GATEWAY_SECURITY_DEV");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> dig(Map<String, Object> map, String... path) {
        Map<String, Object> node = map;
        for (String key : path) {
            if (node == null || !(node.get(key) instanceof Map<?, ?>)) {
                return null;
            }
            node = (Map<String, Object>) node.get(key);
        }
        return node;
    }
}
