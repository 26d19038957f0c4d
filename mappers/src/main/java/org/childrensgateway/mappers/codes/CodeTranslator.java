package org.childrensgateway.mappers.codes;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.childrensgateway.mappers.MappingException;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.ConceptMap;
import org.hl7.fhir.r4.model.Enumerations.ConceptMapEquivalence;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;

/**
 * Translates local codes through FHIR ConceptMaps, and back for outbound writers. Immutable:
 * {@link #withConceptMaps(Path)} returns a new translator, so the registry can swap tables on reload.
 * Lookup is exact (after trimming); an unmapped code returns empty and the caller reports it.
 */
public final class CodeTranslator {

    /** Classpath folder (in the profiles jar) and the list of files in it. */
    public static final String BUILT_IN_FOLDER = "fhir-profiles/conceptmaps/";
    private static final Set<ConceptMapEquivalence> USABLE = Set.of(ConceptMapEquivalence.EQUIVALENT,
            ConceptMapEquivalence.EQUAL, ConceptMapEquivalence.WIDER, ConceptMapEquivalence.SUBSUMES,
            ConceptMapEquivalence.NARROWER, ConceptMapEquivalence.SPECIALIZES, ConceptMapEquivalence.RELATEDTO,
            ConceptMapEquivalence.INEXACT);

    private final Map<String, ConceptMap> maps;

    private CodeTranslator(Map<String, ConceptMap> maps) {
        this.maps = Map.copyOf(maps);
    }

    public static CodeTranslator of(Collection<ConceptMap> conceptMaps) {
        Map<String, ConceptMap> byId = new LinkedHashMap<>();
        conceptMaps.forEach(cm -> byId.put(key(cm), cm));
        return new CodeTranslator(byId);
    }

    /** The ConceptMaps shipped in the profiles module (listed in conceptmaps/index.txt). */
    public static CodeTranslator builtIn() {
        List<ConceptMap> list = new ArrayList<>();
        ClassLoader cl = CodeTranslator.class.getClassLoader();
        try (InputStream index = cl.getResourceAsStream(BUILT_IN_FOLDER + "index.txt")) {
            if (index == null) {
                throw new MappingException("classpath:" + BUILT_IN_FOLDER + "index.txt not found (is the profiles jar on the classpath?)");
            }
            for (String name : new String(index.readAllBytes(), StandardCharsets.UTF_8).split("\\R")) {
                name = name.trim();
                if (!name.startsWith("ConceptMap-") || !name.endsWith(".json")) {
                    continue;
                }
                try (InputStream in = cl.getResourceAsStream(BUILT_IN_FOLDER + name)) {
                    if (in == null) {
                        throw new MappingException("classpath:" + BUILT_IN_FOLDER + name + " is listed in index.txt but missing");
                    }
                    list.add(parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "classpath:" + BUILT_IN_FOLDER + name));
                }
            }
        } catch (IOException e) {
            throw new MappingException("cannot read built-in ConceptMaps: " + e.getMessage(), e);
        }
        return of(list);
    }

    /** A new translator holding these maps plus every {@code *.json} ConceptMap in {@code dir}; same id replaces. */
    public CodeTranslator withConceptMaps(Path dir) {
        Map<String, ConceptMap> merged = new LinkedHashMap<>(maps);
        if (!Files.isDirectory(dir)) {
            return this;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.json")) {
            for (Path f : files) {
                String json = Files.readString(f, StandardCharsets.UTF_8);
                if (!json.contains("\"ConceptMap\"")) {
                    continue; // CodeSystems may sit alongside
                }
                ConceptMap cm = parse(json, f.toString());
                merged.put(key(cm), cm);
            }
        } catch (IOException e) {
            throw new MappingException("cannot read ConceptMaps in " + dir + ": " + e.getMessage(), e);
        }
        return new CodeTranslator(merged);
    }

    /** The process-wide context: a context of its own would scan the model again (start-up time). */
    private static IParser parser() {
        return FhirContext.forR4Cached().newJsonParser();
    }

    static ConceptMap parse(String json, String origin) {
        try {
            ConceptMap cm = parser().parseResource(ConceptMap.class, json);
            if (!cm.hasIdElement() || cm.getIdElement().getIdPart() == null) {
                throw new MappingException(origin + ": ConceptMap has no id");
            }
            return cm;
        } catch (MappingException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new MappingException(origin + ": not a valid ConceptMap: " + e.getMessage(), e);
        }
    }

    private static String key(ConceptMap cm) {
        return cm.getIdElement().getIdPart();
    }

    public boolean has(String mapId) {
        return maps.containsKey(mapId);
    }

    public Set<String> mapIds() {
        return maps.keySet();
    }

    /** Translates {@code code} with the first of {@code mapIds} that knows it. */
    public Optional<Coding> translate(List<String> mapIds, String code) {
        return firstUsableTarget(mapIds, code).map(m -> new Coding(m.group().getTarget(), m.target().getCode(), m.target().getDisplay()));
    }

    /** Where a map translates a code: its group (source and target systems) and the target used. */
    private record Mapping(ConceptMap.ConceptMapGroupComponent group, ConceptMap.TargetElementComponent target) {
    }

    private Optional<Mapping> firstUsableTarget(List<String> mapIds, String code) {
        if (code == null) {
            return Optional.empty();
        }
        String c = code.trim();
        for (String id : mapIds) {
            ConceptMap cm = maps.get(id);
            if (cm == null) {
                continue;
            }
            for (ConceptMap.ConceptMapGroupComponent g : cm.getGroup()) {
                for (ConceptMap.SourceElementComponent el : g.getElement()) {
                    if (c.equals(el.getCode())) {
                        for (ConceptMap.TargetElementComponent t : el.getTarget()) {
                            if (USABLE.contains(t.getEquivalence())) {
                                return Optional.of(new Mapping(g, t));
                            }
                        }
                    }
                }
            }
        }
        return Optional.empty();
    }

    public Optional<Coding> translate(String mapId, String code) {
        return translate(List.of(mapId), code);
    }

    /** The source system of the group that translated {@code code}, so the original code can be kept as a coding. */
    public Optional<Coding> sourceCoding(List<String> mapIds, String code) {
        for (String id : mapIds) {
            ConceptMap cm = maps.get(id);
            if (cm == null) {
                continue;
            }
            for (ConceptMap.ConceptMapGroupComponent g : cm.getGroup()) {
                for (ConceptMap.SourceElementComponent el : g.getElement()) {
                    if (el.getCode().equals(code == null ? null : code.trim())) {
                        return Optional.of(new Coding(g.getSource(), el.getCode(), el.getDisplay()));
                    }
                }
            }
        }
        return Optional.empty();
    }

    /**
     * What a local code also says beyond its concept: the target's {@code product} for the property
     * {@value #VALUE_PRODUCT}. A system that records findings as codes ("communication: expected", "attended
     * stay and play") maps each such code to the concept plus its value: a Coding, or a boolean when the
     * product has no system.
     */
    public Optional<org.hl7.fhir.r4.model.Type> product(List<String> mapIds, String code) {
        return firstUsableTarget(mapIds, code).flatMap(m -> valueProduct(m.target())).map(CodeTranslator::asValue);
    }

    /** The product property that carries an Observation's value. */
    public static final String VALUE_PRODUCT = "value";

    private static Optional<ConceptMap.OtherElementComponent> valueProduct(ConceptMap.TargetElementComponent t) {
        return t.getProduct().stream().filter(p -> VALUE_PRODUCT.equals(p.getProperty())).findFirst();
    }

    private static org.hl7.fhir.r4.model.Type asValue(ConceptMap.OtherElementComponent p) {
        if (!p.hasSystem()) {
            return new org.hl7.fhir.r4.model.BooleanType(Boolean.parseBoolean(p.getValue()));
        }
        return new org.hl7.fhir.r4.model.CodeableConcept(new Coding(p.getSystem(), p.getValue(), p.getDisplay()));
    }

    private static boolean productMatches(ConceptMap.TargetElementComponent t, org.hl7.fhir.r4.model.Type value) {
        Optional<ConceptMap.OtherElementComponent> product = valueProduct(t);
        if (product.isEmpty()) {
            return true;
        }
        if (value == null) {
            return false; // a finding code says a value the resource does not have: never written under it
        }
        if (value instanceof org.hl7.fhir.r4.model.BooleanType b) {
            return !product.get().hasSystem() && Boolean.parseBoolean(product.get().getValue()) == b.booleanValue();
        }
        if (value instanceof org.hl7.fhir.r4.model.CodeableConcept cc) {
            return cc.getCoding().stream().anyMatch(x -> product.get().getSystem().equals(x.getSystem())
                    && product.get().getValue().equals(x.getCode()));
        }
        return false;
    }

    /** Reverse: the local code whose translation is {@code system|code}, for outbound writers. */
    public Optional<String> reverse(List<String> mapIds, String system, String code) {
        return reverse(mapIds, system, code, null);
    }

    /** Reverse for a concept with a value: a code whose map entry has a value product matches only that value. */
    public Optional<String> reverse(List<String> mapIds, String system, String code, org.hl7.fhir.r4.model.Type value) {
        for (String id : mapIds) {
            ConceptMap cm = maps.get(id);
            if (cm == null) {
                continue;
            }
            for (ConceptMap.ConceptMapGroupComponent g : cm.getGroup()) {
                if (system != null && !system.equals(g.getTarget())) {
                    continue;
                }
                for (ConceptMap.SourceElementComponent el : g.getElement()) {
                    for (ConceptMap.TargetElementComponent t : el.getTarget()) {
                        if (t.getCode().equals(code) && USABLE.contains(t.getEquivalence()) && productMatches(t, value)) {
                            return Optional.of(el.getCode());
                        }
                    }
                }
            }
        }
        return Optional.empty();
    }

    /** Reverse-translates the first coding of a concept that any of the maps knows; also accepts an original local coding. */
    public Optional<String> reverse(List<String> mapIds, List<Coding> codings) {
        return reverse(mapIds, codings, null);
    }

    /** As {@link #reverse(List, List)}, for a resource whose value a finding code may say too. */
    public Optional<String> reverse(List<String> mapIds, List<Coding> codings, org.hl7.fhir.r4.model.Type value) {
        for (Coding c : codings) {
            Optional<String> r = reverse(mapIds, c.getSystem(), c.getCode(), value);
            if (r.isPresent()) {
                return r;
            }
        }
        for (Coding c : codings) {
            if (sourceCoding(mapIds, c.getCode()).filter(s -> s.getSystem().equals(c.getSystem())).isPresent()) {
                return Optional.of(c.getCode());
            }
        }
        return Optional.empty();
    }
}
