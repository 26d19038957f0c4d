package org.childrensgateway.operations;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.yaml.snakeyaml.Yaml;

/**
 * The deployment files and the operations guide agree with what the gateway reads: compose.yaml
 * parses and has what an operator relies on; every environment variable the guide, compose file,
 * Dockerfile or Jib image sets is read by the gateway (checked through Spring Boot's own relaxed
 * binding, against the properties Spring Boot and application.yaml define); every gateway property
 * is documented. No Docker engine is needed.
 */
class EnvironmentContractTest {

    private static final Path ROOT = Path.of("..");
    private static final Pattern DOC_ROW = Pattern.compile("^\\| `([A-Z][A-Z0-9_]*)` \\| ([^|]+) \\| ([^|]+) \\|");
    private static final Pattern BACKTICKED = Pattern.compile("`([^`]+)`");

    private static Map<String, Object> compose;
    private static Map<String, Object> applicationYaml;
    private static String applicationYamlText;
    private static String guide;
    /** Documented variable → the properties the guide says it sets. */
    private static final Map<String, List<String>> documented = new LinkedHashMap<>();
    private static final Set<String> knownProperties = new TreeSet<>();
    private static final Set<String> knownMapPrefixes = new TreeSet<>();

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void read() throws IOException {
        compose = new Yaml().load(Files.readString(ROOT.resolve("docker/compose.yaml")));
        applicationYamlText = Files.readString(Path.of("src/main/resources/application.yaml"));
        // application.yaml may hold several documents (---); later ones add to earlier ones.
        applicationYaml = new LinkedHashMap<>();
        for (Object document : new Yaml().loadAll(applicationYamlText)) {
            if (document instanceof Map<?, ?> map) {
                merge(applicationYaml, (Map<String, Object>) map);
            }
        }
        flatten("", applicationYaml, knownProperties);
        guide = Files.readString(ROOT.resolve("docs/operations.md"));
        for (String line : guide.split("\n")) {
            Matcher row = DOC_ROW.matcher(line);
            if (row.find()) {
                List<String> properties = new ArrayList<>();
                Matcher p = BACKTICKED.matcher(row.group(2));
                while (p.find()) {
                    properties.add(p.group(1));
                }
                documented.put(row.group(1), properties);
            }
        }
        ObjectMapper json = new ObjectMapper();
        Enumeration<URL> metadata = EnvironmentContractTest.class.getClassLoader()
                .getResources("META-INF/spring-configuration-metadata.json");
        while (metadata.hasMoreElements()) {
            try (InputStream in = metadata.nextElement().openStream()) {
                for (JsonNode property : json.readTree(in).path("properties")) {
                    String name = property.path("name").asText();
                    knownProperties.add(name);
                    if (property.path("type").asText().startsWith("java.util.Map")) {
                        knownMapPrefixes.add(name + ".");
                    }
                }
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static void merge(Map<String, Object> into, Map<String, Object> from) {
        from.forEach((key, value) -> {
            if (value instanceof Map<?, ?> child && into.get(key) instanceof Map<?, ?> existing) {
                merge((Map<String, Object>) existing, (Map<String, Object>) child);
            } else {
                into.put(key, value);
            }
        });
    }

    @SuppressWarnings("unchecked")
    private static void flatten(String prefix, Map<String, Object> map, Set<String> into) {
        map.forEach((key, value) -> {
            String name = prefix.isEmpty() ? key : prefix + "." + key;
            if (value instanceof Map<?, ?> child) {
                flatten(name, (Map<String, Object>) child, into);
            } else {
                into.add(name);
            }
        });
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object parent, String key) {
        Object value = ((Map<String, Object>) parent).get(key);
        assertThat(value).as(key).isInstanceOf(Map.class);
        return (Map<String, Object>) value;
    }

    private static Map<String, Object> gatewayService() {
        return map(map(compose, "services"), "gateway");
    }

    private static Map<String, String> gatewayEnvironment() {
        Map<String, String> env = new LinkedHashMap<>();
        map(gatewayService(), "environment").forEach((k, v) -> env.put(k, v == null ? "" : v.toString()));
        return env;
    }

    @Test
    @SuppressWarnings("unchecked")
    void composeRunsPostgres16AndTheGatewayWithHealthchecksAndANamedVolume() {
        Map<String, Object> services = map(compose, "services");
        assertThat(services).containsOnlyKeys("postgres", "gateway");

        Map<String, Object> postgres = map(services, "postgres");
        assertThat((String) postgres.get("image")).startsWith("postgres:16");
        assertThat((List<?>) map(postgres, "healthcheck").get("test")).isNotEmpty();
        assertThat(map(compose, "volumes")).containsKey("pgdata");
        assertThat((List<Object>) postgres.get("volumes")).contains("pgdata:/var/lib/postgresql/data");
        assertThat(postgres).doesNotContainKey("ports");

        Map<String, Object> gateway = gatewayService();
        assertThat(map(map(gateway, "depends_on"), "postgres")).containsEntry("condition", "service_healthy");
        assertThat(ROOT.resolve("docker").resolve((String) map(gateway, "build").get("context"))
                .resolve((String) map(gateway, "build").get("dockerfile"))).exists();
        Map<String, String> env = gatewayEnvironment();
        assertThat(env.get("SPRING_DATASOURCE_URL")).startsWith("jdbc:postgresql://postgres:5432/");
        assertThat(env).containsKeys("SPRING_DATASOURCE_USERNAME", "SPRING_DATASOURCE_PASSWORD");
        assertThat(env.get("SPRING_DATASOURCE_PASSWORD")).as("no password in the file").startsWith("${");
        assertThat(env.get("LOGGING_STRUCTURED_FORMAT_CONSOLE")).isEqualTo("ecs");

        String health = String.join(" ", ((List<?>) map(gateway, "healthcheck").get("test")).stream().map(Object::toString).toList());
        assertThat(health).contains("/actuator/health/readiness").contains("/" + env.get("MANAGEMENT_SERVER_PORT") + " ");
        assertThat((List<Object>) gateway.get("ports")).containsExactly("8080:8080");

        // Docker must not kill the JVM before both graceful phases can run.
        Duration grace = DurationStyle.detectAndParse((String) gateway.get("stop_grace_period"));
        Duration phase = DurationStyle.detectAndParse(env.get("GATEWAY_SHUTDOWN_TIMEOUT"));
        assertThat(grace).isGreaterThanOrEqualTo(phase.multipliedBy(2).plusSeconds(10));
    }

    @Test
    void theGuideDocumentsEveryVariableTheDeploymentFilesSet() throws IOException {
        assertThat(documented).hasSizeGreaterThan(20);
        Set<String> set = new TreeSet<>(gatewayEnvironment().keySet());
        set.addAll(dockerfileEnvironment());
        set.addAll(jibEnvironment());
        assertThat(documented.keySet()).containsAll(set);
    }

    @Test
    void everyDocumentedVariableIsReadByTheGateway() {
        List<String> problems = new ArrayList<>();
        documented.forEach((variable, properties) -> {
            if (variable.equals("JAVA_TOOL_OPTIONS") || variable.equals("MALLOC_ARENA_MAX")) {
                return; // read by the JVM itself, and by the C library
            }
            if (properties.isEmpty()) {
                problems.add(variable + ": no property named in the guide");
            }
            for (String property : properties) {
                if (!readsAs(variable, property)) {
                    problems.add(variable + " does not set " + property);
                }
            }
        });
        assertThat(problems).isEmpty();
    }

    @Test
    void everyGatewayPropertyIsInApplicationYamlAndInTheGuide() throws IOException {
        Set<String> used = new TreeSet<>();
        Pattern placeholder = Pattern.compile("\\$\\{(gateway\\.[a-z0-9.-]+)");
        try (Stream<Path> sources = Files.walk(Path.of("src/main/java"))) {
            for (Path source : sources.filter(p -> p.toString().endsWith(".java")).toList()) {
                Matcher m = placeholder.matcher(Files.readString(source));
                while (m.find()) {
                    used.add(m.group(1));
                }
            }
        }
        assertThat(used).isNotEmpty();
        Set<String> inYaml = new TreeSet<>(knownProperties.stream().filter(p -> p.startsWith("gateway.")).toList());
        assertThat(inYaml).containsAll(used);
        // Documented: in a table row, or covered by a `prefix.*` mention (structured settings such as
        // a policy that another guide describes).
        Set<String> documentedProperties = new TreeSet<>();
        documented.values().forEach(documentedProperties::addAll);
        Set<String> prefixes = new TreeSet<>();
        Matcher mention = Pattern.compile("`(gateway\\.[a-z0-9.-]+)\\.\\*`").matcher(guide);
        while (mention.find()) {
            prefixes.add(mention.group(1) + ".");
        }
        assertThat(inYaml.stream().filter(p -> !documentedProperties.contains(p) && prefixes.stream().noneMatch(p::startsWith)))
                .as("gateway properties missing from docs/operations.md").isEmpty();
    }

    /** True if, with only {@code variable} in the environment, Spring resolves {@code property} to its value. */
    private static boolean readsAs(String variable, String property) {
        boolean known = knownProperties.contains(property) || knownMapPrefixes.stream().anyMatch(property::startsWith);
        if (!known) {
            return false;
        }
        String sentinel = "sentinel-" + variable.length();
        StandardEnvironment env = new StandardEnvironment();
        MutablePropertySources sources = env.getPropertySources();
        sources.remove(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME);
        sources.replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                        Map.of(variable, sentinel)));
        ConfigurationPropertySources.attach(env);
        if (sentinel.equals(env.getProperty(property))) {
            return true;
        }
        // A variable named in application.yaml itself: ${VARIABLE:default} as the property's value.
        Object value = valueInApplicationYaml(property);
        if (value != null && value.toString().matches(".*\\$\\{" + variable + "[:}].*")) {
            return sentinel.equals(env.resolvePlaceholders(value.toString()));
        }
        return false;
    }

    @SuppressWarnings("unchecked")
    private static Object valueInApplicationYaml(String property) {
        Object node = applicationYaml;
        for (String part : property.split("\\.")) {
            if (!(node instanceof Map<?, ?> map)) {
                return null;
            }
            node = ((Map<String, Object>) map).get(part);
        }
        return node;
    }

    private static Set<String> dockerfileEnvironment() throws IOException {
        String dockerfile = Files.readString(ROOT.resolve("docker/Dockerfile"));
        Matcher env = Pattern.compile("(?m)^ENV ((?:[^\\n]*\\\\\\n)*[^\\n]*)").matcher(dockerfile);
        Set<String> names = new LinkedHashSet<>();
        while (env.find()) {
            Matcher name = Pattern.compile("([A-Z][A-Z0-9_]*)=").matcher(env.group(1));
            while (name.find()) {
                names.add(name.group(1));
            }
        }
        assertThat(names).contains("JAVA_TOOL_OPTIONS", "LOGGING_STRUCTURED_FORMAT_CONSOLE");
        return names;
    }

    private static Set<String> jibEnvironment() throws IOException {
        String pom = Files.readString(Path.of("pom.xml"));
        Matcher block = Pattern.compile("(?s)<environment>(.*?)</environment>").matcher(pom);
        assertThat(block.find()).isTrue();
        Set<String> names = new LinkedHashSet<>();
        Matcher name = Pattern.compile("<([A-Z][A-Z0-9_]*)>").matcher(block.group(1));
        while (name.find()) {
            names.add(name.group(1));
        }
        assertThat(names).contains("JAVA_TOOL_OPTIONS", "LOGGING_STRUCTURED_FORMAT_CONSOLE");
        return names;
    }
}
