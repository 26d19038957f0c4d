package org.childrensgateway.mappers;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.childrensgateway.mappers.build.Layout;
import org.childrensgateway.mappers.build.Layouts;
import org.childrensgateway.mappers.codes.CodeTranslator;
import org.childrensgateway.mappers.config.FeedMapping;
import org.childrensgateway.mappers.config.MappingLoader;
import org.childrensgateway.mappers.outbound.CsvFeedWriter;
import org.childrensgateway.mappers.outbound.XmlFeedWriter;

/**
 * The entry point: the mapping files in force and the code tables they use.
 * <pre>
 * MappingRegistry registry = MappingRegistry.builtIn().withOverrides(Path.of("/etc/gateway/mappings"));
 * try (RecordStream s = registry.reader("rio", "clients").open(in)) { for (MappedRecord r : s) { ... } }
 * registry.writer("rio", "assessments").write(records, writer);
 * registry.reload(); // after an engineer edits the directory
 * </pre>
 * Built-in mappings ship in this jar; an override directory holds {@code mappings/<feed>/<file>.yaml}
 * (a same-named file replaces the built-in one, a {@code feed.yaml} replaces a feed's defaults) and
 * {@code conceptmaps/*.json} (same id replaces, new ids add). Readers and writers handed out keep the
 * mapping they were created with; {@link #reload()} affects later calls. Thread-safe.
 */
public final class MappingRegistry {

    static final String CLASSPATH_FOLDER = "mappings/";

    private final CodeTranslator baseTranslator;
    private final Path overrides;
    private volatile Snapshot snapshot;

    private record Snapshot(Map<String, Map<String, FeedMapping>> mappings, CodeTranslator translator) {
    }

    private MappingRegistry(CodeTranslator baseTranslator, Path overrides) {
        this.baseTranslator = baseTranslator;
        this.overrides = overrides;
        this.snapshot = load();
    }

    /** Built-in mappings with the ConceptMaps of the profiles module. */
    public static MappingRegistry builtIn() {
        return builtIn(CodeTranslator.builtIn());
    }

    public static MappingRegistry builtIn(CodeTranslator codeTranslator) {
        return new MappingRegistry(codeTranslator, null);
    }

    /** A registry that also reads {@code dir} (mappings/ and conceptmaps/ below it); throws if anything there is invalid. */
    public MappingRegistry withOverrides(Path dir) {
        return new MappingRegistry(baseTranslator, dir);
    }

    /** Re-reads the built-in and override files. On error the previous mappings stay in force and the error is thrown. */
    public synchronized void reload() {
        this.snapshot = load();
    }

    private Snapshot load() {
        CodeTranslator tx = overrides == null ? baseTranslator : baseTranslator.withConceptMaps(overrides.resolve("conceptmaps"));
        MappingLoader loader = new MappingLoader(Layouts::byName, tx).addClasspath(CLASSPATH_FOLDER);
        if (overrides != null) {
            loader.addDirectory(overrides.resolve("mappings"));
        }
        return new Snapshot(loader.build(), tx);
    }

    public FeedReader reader(String feed, String file) {
        FeedMapping m = mapping(feed, file);
        if (!m.inbound()) {
            throw new MappingException(feed + "/" + file + " is an outbound-only mapping (" + m.origin + ")");
        }
        return new FeedReader(m, Layouts.byName(m.layout), snapshot.translator());
    }

    public FeedWriter writer(String feed, String file) {
        Snapshot s = snapshot;
        FeedMapping m = mapping(feed, file);
        if (!m.outbound()) {
            throw new MappingException(feed + "/" + file + " is an inbound-only mapping (" + m.origin + ")");
        }
        Layout layout = Layouts.byName(m.layout);
        return "xml".equals(m.format) ? new XmlFeedWriter(m, layout, s.translator()) : new CsvFeedWriter(m, layout, s.translator());
    }

    /** The mapping in force for a feed's file; throws naming the known feeds / files when absent. */
    public FeedMapping mapping(String feed, String file) {
        Map<String, FeedMapping> files = snapshot.mappings().get(feed);
        if (files == null) {
            throw new UnknownMappingException("unknown feed '" + feed + "'; known feeds: " + feeds());
        }
        FeedMapping m = files.get(file);
        if (m == null) {
            throw new UnknownMappingException("feed '" + feed + "' has no file '" + file + "'; it has " + new TreeSet<>(files.keySet()));
        }
        return m;
    }

    public Set<String> feeds() {
        return new TreeSet<>(snapshot.mappings().keySet());
    }

    public Set<String> files(String feed) {
        return new TreeSet<>(snapshot.mappings().getOrDefault(feed, Map.of()).keySet());
    }

    public CodeTranslator translator() {
        return snapshot.translator();
    }
}
