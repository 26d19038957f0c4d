package org.childrensgateway.mappers.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.childrensgateway.mappers.MappingException;
import org.childrensgateway.mappers.build.Kind;
import org.childrensgateway.mappers.build.Layout;
import org.childrensgateway.mappers.build.Schema;
import org.childrensgateway.mappers.codes.CodeTranslator;
import org.childrensgateway.mappers.transform.DateFormats;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * Reads mapping files (classpath {@code mappings/} listed in {@code mappings/index.txt}, then a disk
 * directory {@code <dir>/mappings/<feed>/<file>.yaml}) and checks them against the layouts, so a
 * mistake is reported at load time with the file, the field and what is wrong.
 */
public final class MappingLoader {

    public static final String FEED_DEFAULTS = "feed.yaml";
    private static final Set<String> TRANSFORMS = Set.of("text", "date", "datetime", "nhs-number", "postcode",
            "given-names", "yes-no", "true-false", "split", "lines", "code", "number");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final Function<String, Layout> layouts;
    private final CodeTranslator translator;
    /** feed -> feed.yaml; feed -> file -> mapping. Later sources replace earlier ones. */
    private final Map<String, FeedMapping> feedDefaults = new LinkedHashMap<>();
    private final Map<String, Map<String, FeedMapping>> files = new LinkedHashMap<>();

    public MappingLoader(Function<String, Layout> layouts, CodeTranslator translator) {
        this.layouts = layouts;
        this.translator = translator;
    }

    public MappingLoader addClasspath(String folder) {
        ClassLoader cl = MappingLoader.class.getClassLoader();
        try (InputStream index = cl.getResourceAsStream(folder + "index.txt")) {
            if (index == null) {
                throw new MappingException("classpath:" + folder + "index.txt not found");
            }
            for (String line : new String(index.readAllBytes(), StandardCharsets.UTF_8).split("\\R")) {
                String rel = line.trim();
                if (rel.isEmpty() || rel.startsWith("#")) {
                    continue;
                }
                try (InputStream in = cl.getResourceAsStream(folder + rel)) {
                    if (in == null) {
                        throw new MappingException("classpath:" + folder + rel + " is listed in index.txt but missing");
                    }
                    String[] parts = rel.split("/");
                    add(parts[0], parts[1], new String(in.readAllBytes(), StandardCharsets.UTF_8), "classpath:" + folder + rel);
                }
            }
        } catch (IOException e) {
            throw new MappingException("cannot read classpath mappings: " + e.getMessage(), e);
        }
        return this;
    }

    /** Adds {@code <dir>/<feed>/*.yaml}; a missing directory adds nothing. */
    public MappingLoader addDirectory(Path dir) {
        if (!Files.isDirectory(dir)) {
            return this;
        }
        try (DirectoryStream<Path> feeds = Files.newDirectoryStream(dir, Files::isDirectory)) {
            for (Path feed : feeds) {
                try (DirectoryStream<Path> yamls = Files.newDirectoryStream(feed, "*.{yaml,yml}")) {
                    for (Path y : yamls) {
                        add(feed.getFileName().toString(), y.getFileName().toString(), Files.readString(y, StandardCharsets.UTF_8), y.toString());
                    }
                }
            }
        } catch (IOException e) {
            throw new MappingException("cannot read mapping directory " + dir + ": " + e.getMessage(), e);
        }
        return this;
    }

    private void add(String feed, String fileName, String yaml, String origin) {
        FeedMapping m = parse(yaml, origin);
        m.origin = origin;
        if (m.feed != null && !m.feed.equals(feed)) {
            throw new MappingException(origin + ": 'feed: " + m.feed + "' does not match its folder '" + feed + "'");
        }
        m.feed = feed;
        if (FEED_DEFAULTS.equals(fileName)) {
            feedDefaults.put(feed, m);
            return;
        }
        String file = fileName.replaceFirst("\\.ya?ml$", "");
        if (m.file != null && !m.file.equals(file)) {
            throw new MappingException(origin + ": 'file: " + m.file + "' does not match the file name '" + file + "'");
        }
        m.file = file;
        files.computeIfAbsent(feed, f -> new LinkedHashMap<>()).put(file, m);
    }

    static FeedMapping parse(String yaml, String origin) {
        try {
            FeedMapping m = YAML.readValue(yaml, FeedMapping.class);
            if (m == null) {
                throw new MappingException(origin + ": file is empty");
            }
            return m;
        } catch (UnrecognizedPropertyException e) {
            throw new MappingException(origin + ": unknown key '" + e.getPropertyName() + "' at " + path(e)
                    + "; allowed keys: " + e.getKnownPropertyIds(), e);
        } catch (JsonMappingException e) {
            throw new MappingException(origin + ": wrong value at " + path(e) + ": " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new MappingException(origin + ": not valid YAML: " + e.getMessage(), e);
        }
    }

    private static String path(JsonMappingException e) {
        String p = e.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining("."));
        return p.isEmpty() ? "top level" : p;
    }

    /** Merges feed defaults into each file, validates everything, and returns feed -> file -> mapping. */
    public Map<String, Map<String, FeedMapping>> build() {
        List<String> errors = new ArrayList<>();
        Map<String, Map<String, FeedMapping>> out = new LinkedHashMap<>();
        files.forEach((feed, byFile) -> byFile.forEach((file, m) -> {
            FeedMapping defaults = feedDefaults.get(feed);
            if (defaults != null) {
                merge(m, defaults);
            }
            validate(m, errors);
            out.computeIfAbsent(feed, f -> new LinkedHashMap<>()).put(file, m);
        }));
        if (!errors.isEmpty()) {
            throw new MappingException("mapping files have errors:\n  " + String.join("\n  ", errors));
        }
        return out;
    }

    private static void merge(FeedMapping m, FeedMapping d) {
        if (m.sourceSystem == null) {
            m.sourceSystem = d.sourceSystem;
        }
        if (m.organisation == null) {
            m.organisation = d.organisation;
        }
        if (m.version == null) {
            m.version = d.version;
        }
        if (m.consentRecipients.isEmpty()) {
            m.consentRecipients = d.consentRecipients;
        }
        Map<String, String> systems = new LinkedHashMap<>(d.identifierSystems);
        systems.putAll(m.identifierSystems);
        m.identifierSystems = systems;
    }

    private void validate(FeedMapping m, List<String> errors) {
        String o = m.origin;
        if (m.version == null || m.version.isBlank()) {
            errors.add(o + ": 'version' is missing (give every mapping a version, e.g. \"1.0.0\")");
        }
        if (!Set.of("csv", "xml").contains(m.format)) {
            errors.add(o + ": 'format' must be csv or xml, not '" + m.format + "'");
        }
        if (!Set.of("inbound", "outbound", "both").contains(m.direction)) {
            errors.add(o + ": 'direction' must be inbound, outbound or both");
        }
        if ("xml".equals(m.format) && (m.namespace == null || m.rootElement == null || m.recordElement == null)) {
            errors.add(o + ": an xml mapping needs 'namespace', 'rootElement' and 'recordElement'");
        }
        if ("csv".equals(m.format) && (m.organisation == null || m.organisation.isBlank())) {
            errors.add(o + ": 'organisation' is missing (set it in this file or the feed's feed.yaml); identifier systems need it");
        }
        Layout layout = m.layout == null ? null : layouts.apply(m.layout);
        if (layout == null) {
            errors.add(o + ": 'layout' " + (m.layout == null ? "is missing" : "'" + m.layout + "' is unknown"));
            return;
        }
        validateFields(o, "fields", m.fields, m.groups, layout.schema(), layout.name(), errors);
        m.valueRules.forEach((code, rule) -> {
            rule.name = code;
            checkTransform(o, "valueRules." + code, rule, errors);
        });
    }

    private void validateFields(String o, String where, Map<String, FieldSpec> fields, Map<String, GroupSpec> groups,
                                Schema schema, String layout, List<String> errors) {
        fields.forEach((name, spec) -> {
            spec.name = name;
            String at = o + ": " + where + "." + name;
            Kind need = schema.fields().get(name);
            if (need == null) {
                errors.add(at + ": layout '" + layout + "' has no field '" + name + "'; it knows " + schema.fields().keySet());
                return;
            }
            if (spec.source.isEmpty()) {
                errors.add(at + ": 'source' (column name or element path) is missing");
            }
            if (checkTransform(o, where + "." + name, spec, errors)) {
                Kind got = Kind.ofTransform(spec.transform, spec.translates());
                if (!need.accepts(got)) {
                    errors.add(at + ": transform '" + spec.transform + "' gives " + got + " but layout '" + layout
                            + "' needs " + need + " (use transform: " + need.suggestion() + ")");
                }
            }
        });
        for (String mandatory : schema.mandatory()) {
            if (!fields.containsKey(mandatory)) {
                errors.add(o + ": " + where + ": field '" + mandatory + "' is required by layout '" + layout + "' but not mapped");
            }
        }
        groups.forEach((name, g) -> {
            Schema gs = schema.groups().get(name);
            if (gs == null) {
                errors.add(o + ": groups." + name + ": layout '" + layout + "' has no group '" + name + "'; it knows " + schema.groups().keySet());
                return;
            }
            if (g.source == null || g.source.isBlank()) {
                errors.add(o + ": groups." + name + ": 'source' (element path) is missing");
            }
            validateFields(o, "groups." + name + ".fields", g.fields, g.groups, gs, layout, errors);
        });
    }

    private boolean checkTransform(String o, String where, FieldSpec spec, List<String> errors) {
        String at = o + ": " + where;
        if (!TRANSFORMS.contains(spec.transform)) {
            errors.add(at + ": unknown transform '" + spec.transform + "'; use one of " + TRANSFORMS);
            return false;
        }
        if (spec.format != null && !DateFormats.ISO.equals(spec.format)) {
            try {
                DateFormats.formatter(spec.format);
            } catch (IllegalArgumentException e) {
                errors.add(at + ": 'format' '" + spec.format + "' is not a valid date pattern: " + e.getMessage());
            }
        }
        try {
            ZoneId.of(spec.zone);
        } catch (RuntimeException e) {
            errors.add(at + ": 'zone' '" + spec.zone + "' is not a time zone id");
        }
        if ("code".equals(spec.transform) && !spec.translates()) {
            errors.add(at + ": transform 'code' needs 'values' or 'conceptMap'");
        }
        for (String cm : spec.conceptMap) {
            if (!translator.has(cm)) {
                errors.add(at + ": ConceptMap '" + cm + "' is not loaded; known: " + translator.mapIds());
            }
        }
        return true;
    }
}
