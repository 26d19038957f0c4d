package org.childrensgateway.mappers;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Test helpers: the project's own copies of the vendor samples, and one shared registry. */
final class Samples {

    static final MappingRegistry REGISTRY = MappingRegistry.builtIn();
    static final Path DIR = Path.of("src/test/resources/samples");

    private Samples() {
    }

    static List<MappedRecord> read(String feed, String file, Path path) {
        try (InputStream in = Files.newInputStream(path); RecordStream s = REGISTRY.reader(feed, file).open(in)) {
            List<MappedRecord> out = new ArrayList<>();
            s.forEach(out::add);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<MappedRecord> read(String feed, String file, String sample) {
        return read(feed, file, DIR.resolve(sample));
    }

    static MappedRecord bySource(List<MappedRecord> records, String sourceId) {
        return records.stream().filter(r -> sourceId.equals(r.sourceId())).findFirst().orElseThrow();
    }
}
