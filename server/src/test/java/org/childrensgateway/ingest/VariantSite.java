package org.childrensgateway.ingest;

import io.restassured.RestAssured;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.springframework.util.FileSystemUtils;

/**
 * The west trust's RiO site, onboarded by configuration alone: its mapping files dropped into the
 * tests' mapping directory and the mappings reloaded. Every test that sends the {@code rio-west}
 * feed onboards it itself, so none depends on another having run first.
 */
public final class VariantSite {

    static final Path MAPPING_DIR = Path.of("target/test-mappings");

    private VariantSite() {
    }

    public static void onboard() {
        try {
            FileSystemUtils.copyRecursively(Path.of("src/test/resources/variant-site/mappings"), MAPPING_DIR.resolve("mappings"));
            FileSystemUtils.copyRecursively(Path.of("src/test/resources/variant-site/conceptmaps"), MAPPING_DIR.resolve("conceptmaps"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        RestAssured.given().post("/ingest/mappings/reload").then().statusCode(200);
    }
}
