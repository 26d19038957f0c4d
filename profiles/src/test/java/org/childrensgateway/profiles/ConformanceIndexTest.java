package org.childrensgateway.profiles;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps {@code fhir-profiles/index.txt} in step with the folder: the loader reads only the index
 * (no classpath scanning), so a resource file missing from it would silently not be loaded.
 */
class ConformanceIndexTest {

  private static final Path ROOT = Path.of("src/main/resources/fhir-profiles");

  @Test
  void indexListsExactlyTheResourceFilesInTheFolder() throws IOException {
    List<String> onDisk;
    try (Stream<Path> files = Files.walk(ROOT)) {
      onDisk =
          files
              .filter(Files::isRegularFile)
              .map(p -> ROOT.relativize(p).toString().replace('\\', '/'))
              .filter(p -> p.endsWith(".json") || p.endsWith(".xml"))
              .sorted()
              .collect(Collectors.toList());
    }
    // Same resolution as the loader, including nested indexes such as conceptmaps/index.txt.
    List<String> indexed =
        ConformancePackage.resolveIndex(ConformancePackage.INDEX_FILE, ConformanceIndexTest::open)
            .stream()
            .sorted()
            .collect(Collectors.toList());

    assertThat(indexed)
        .as(
            "fhir-profiles/index.txt must list every .json/.xml file under fhir-profiles/ "
                + "(directly, or via a nested index such as conceptmaps/index.txt). "
                + "Files present:%n%s",
            String.join(System.lineSeparator(), onDisk))
        .doesNotHaveDuplicates()
        .containsExactlyElementsOf(onDisk);
  }

  private static InputStream open(String relative) {
    try {
      Path p = ROOT.resolve(relative);
      return Files.exists(p) ? Files.newInputStream(p) : null;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void ukCoreFilesAreDocumented() throws IOException {
    Path ukcore = ROOT.resolve("ukcore");
    assertThat(ukcore.resolve("SOURCE.md")).exists();
    String manifest = Files.readString(ukcore.resolve("MANIFEST.txt"), StandardCharsets.UTF_8);
    try (Stream<Path> files = Files.list(ukcore)) {
      List<String> xml =
          files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".xml")).toList();
      assertThat(xml).isNotEmpty();
      for (String name : xml) {
        assertThat(manifest).as("MANIFEST.txt lists %s", name).contains("/" + name + " ");
      }
    }
  }
}
