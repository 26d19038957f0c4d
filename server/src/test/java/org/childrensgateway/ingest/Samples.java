package org.childrensgateway.ingest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The vendors' sample files: from {@code ../shared/formats/samples} when present (CI has it beside
 * the clone), otherwise the copies the project ships as its own fixtures in the mappers module.
 */
final class Samples {

    private static final Path SHARED = Path.of("../../shared/formats/samples");
    private static final Path OWN = Path.of("../mappers/src/test/resources/samples");

    private Samples() {
    }

    static byte[] bytes(String name) {
        Path dir = Files.isDirectory(SHARED) ? SHARED : OWN;
        try {
            return Files.readAllBytes(dir.resolve(name));
        } catch (IOException e) {
            throw new IllegalStateException("Sample " + name + " not found in " + dir.toAbsolutePath(), e);
        }
    }
}
