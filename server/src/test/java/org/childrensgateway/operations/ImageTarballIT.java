package org.childrensgateway.operations;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/**
 * Opens the image tarball that {@code mvn -Pimage package} built with Jib (no Docker engine) and
 * checks what an operator relies on: a non-root user, the gateway as entrypoint, the JVM sized from
 * the container, JSON logs, the two ports, a Java runtime from the base image and the application.
 */
class ImageTarballIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theImageTarballHoldsARunnableNonRootGateway() throws IOException {
        Path tar = Path.of(System.getProperty("image.tar", "target/gateway-image.tar"));
        assertThat(tar).exists();
        Map<String, byte[]> top = readTar(Files.newInputStream(tar), name -> name.endsWith(".json"));

        JsonNode manifest = JSON.readTree(top.get("manifest.json")).get(0);
        assertThat(manifest.get("RepoTags").get(0).asText()).isEqualTo(System.getProperty("image.ref", manifest.get("RepoTags").get(0).asText()));
        JsonNode config = JSON.readTree(top.get(manifest.get("Config").asText())).get("config");

        String user = config.path("User").asText();
        assertThat(user).isNotBlank().doesNotStartWith("0").isNotEqualTo("root");
        assertThat(config.get("Entrypoint").toString()).contains("org.childrensgateway.GatewayApplication");
        List<String> env = new ArrayList<>();
        config.get("Env").forEach(e -> env.add(e.asText()));
        assertThat(env).anyMatch(e -> e.startsWith("JAVA_TOOL_OPTIONS=") && e.contains("-XX:MaxRAMPercentage="));
        assertThat(env).contains("LOGGING_STRUCTURED_FORMAT_CONSOLE=ecs", "MANAGEMENT_SERVER_PORT=8081");
        assertThat(config.get("ExposedPorts").has("8080/tcp")).isTrue();
        assertThat(config.get("ExposedPorts").has("8081/tcp")).isTrue();

        Set<String> files = new HashSet<>();
        for (JsonNode layer : manifest.get("Layers")) {
            Map<String, byte[]> blobs = readTar(Files.newInputStream(tar), layer.asText()::equals);
            try (InputStream in = layerStream(blobs.get(layer.asText()))) {
                files.addAll(readTar(in, name -> false).keySet());
            }
        }
        assertThat(files).anyMatch(f -> f.endsWith("/bin/java"));
        assertThat(files).contains("app/classes/org/childrensgateway/GatewayApplication.class",
                "app/resources/application.yaml", "app/resources/META-INF/build-info.properties", "app/jib-classpath-file");
        assertThat(files).anyMatch(f -> f.startsWith("app/libs/hapi-fhir-server-"));
        assertThat(files).anyMatch(f -> f.startsWith("app/libs/micrometer-registry-prometheus-"));
    }

    private static InputStream layerStream(byte[] blob) throws IOException {
        InputStream raw = new java.io.ByteArrayInputStream(blob);
        return blob.length > 2 && (blob[0] & 0xff) == 0x1f && (blob[1] & 0xff) == 0x8b ? new GZIPInputStream(raw) : raw;
    }

    /** Lists a tar stream's entries (ustar/GNU), keeping the content of those {@code keep} accepts. */
    private static Map<String, byte[]> readTar(InputStream stream, java.util.function.Predicate<String> keep) throws IOException {
        Map<String, byte[]> entries = new HashMap<>();
        try (InputStream in = new BufferedInputStream(stream)) {
            byte[] header = new byte[512];
            String longName = null;
            while (in.readNBytes(header, 0, 512) == 512) {
                if (header[0] == 0) {
                    break;
                }
                String name = field(header, 0, 100);
                String prefix = field(header, 345, 155);
                if (!prefix.isEmpty()) {
                    name = prefix + "/" + name;
                }
                long size = Long.parseLong(field(header, 124, 12).trim().isEmpty() ? "0" : field(header, 124, 12).trim(), 8);
                char type = (char) header[156];
                byte[] content = null;
                boolean wanted = type == 'L' || keep.test(stripDot(longName != null ? longName : name));
                if (wanted) {
                    content = in.readNBytes((int) size);
                } else {
                    in.skipNBytes(size);
                }
                in.skipNBytes((512 - size % 512) % 512);
                if (type == 'L') {
                    longName = new String(content, StandardCharsets.UTF_8).replace("\0", "");
                    continue;
                }
                if (longName != null) {
                    name = longName;
                    longName = null;
                }
                entries.put(stripDot(name), content);
            }
        }
        return entries;
    }

    private static String stripDot(String name) {
        return name.startsWith("./") ? name.substring(2) : name.startsWith("/") ? name.substring(1) : name;
    }

    private static String field(byte[] header, int offset, int length) {
        int end = offset;
        while (end < offset + length && header[end] != 0) {
            end++;
        }
        return new String(header, offset, end - offset, StandardCharsets.US_ASCII);
    }
}
