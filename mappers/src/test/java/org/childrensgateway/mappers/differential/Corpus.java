package org.childrensgateway.mappers.differential;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.parser.LenientErrorHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.childrensgateway.mappers.MappedRecord;
import org.childrensgateway.mappers.MappingRegistry;
import org.childrensgateway.mappers.RecordStream;
import org.childrensgateway.mappers.TransactionEntry;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/**
 * The resources the differential test validates, each as the write path would hand it to the
 * validator: every resource the mappers make of the sample files, and a seeded population of the
 * reference mix ({@link ReferenceMix}). As on a real write, conditional and placeholder references
 * are already resolved to {@code Type/id} (BundleProcessor) and id, versionId and lastUpdated are
 * set (FhirResourceService.prepare).
 */
final class Corpus {

  /** One resource to validate; {@code origin} says where it came from (never personal data). */
  record Item(String origin, Resource resource) {}

  static final FhirContext CONTEXT = FhirContext.forR4Cached();
  private static final Path SAMPLES = Path.of("src/test/resources/samples");
  private static final String[][] SAMPLE_FILES = {
      {"rio", "clients", "rio-clients.csv"}, {"rio", "assessments", "rio-assessments.csv"},
      {"rio", "careplans", "rio-careplans.csv"}, {"systmone", "extract", "systmone-extract.xml"},
      {"childrens-centre", "registrations", "cc-registrations.csv"},
      {"childrens-centre", "progress-checks", "cc-progress-checks.csv"},
      {"childrens-centre", "attendance", "cc-attendance.csv"}};

  private Corpus() {}

  /** As the gateway parses request bodies: lenient on values, refusing what would be lost. */
  static IParser requestParser() {
    return CONTEXT.newJsonParser().setParserErrorHandler(new LenientErrorHandler(false) {
      @Override
      public void unknownElement(IParseLocation location, String name) {
        throw new DataFormatException("unknown element " + name);
      }

      @Override
      public void unknownAttribute(IParseLocation location, String name) {
        throw new DataFormatException("unknown attribute " + name);
      }

      @Override
      public void unexpectedRepeatingElement(IParseLocation location, String name) {
        throw new DataFormatException("repeated element " + name);
      }
    });
  }

  static List<Item> samples() {
    MappingRegistry registry = MappingRegistry.builtIn();
    List<Item> out = new ArrayList<>();
    for (String[] f : SAMPLE_FILES) {
      try (InputStream in = Files.newInputStream(SAMPLES.resolve(f[2])); RecordStream s = registry.reader(f[0], f[1]).open(in)) {
        for (MappedRecord record : s) {
          Map<String, String> placeholders = new HashMap<>();
          for (TransactionEntry e : record.entries()) {
            placeholders.put(e.fullUrl(), e.resource().fhirType() + "/e" + Math.abs(e.fullUrl().hashCode()));
          }
          int n = 0;
          for (Resource r : record.resources()) {
            out.add(new Item(f[2] + " line " + record.line() + " #" + n++, prepare(r.copy(), out.size(), placeholders)));
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return out;
  }

  static List<Item> population(long seed, int children) {
    ReferenceMix mix = new ReferenceMix(seed);
    IParser parser = requestParser();
    List<Item> out = new ArrayList<>();
    for (int i = 0; i < children; i++) {
      List<String> resources = mix.resources(i);
      for (int k = 0; k < resources.size(); k++) {
        Resource r = (Resource) parser.parseResource(resources.get(k));
        out.add(new Item("reference mix child " + i + " #" + k, prepare(r, out.size(), Map.of())));
      }
    }
    return out;
  }

  /**
   * Care plans with contained goals in shapes the mappers make and around them: the compiled checks
   * walk contained resources, so they are held to HAPI on the shapes they vouch for and on those
   * they must leave to HAPI (unreferenced, nested, with meta, a dangling or mistyped local reference).
   */
  static List<Item> containedShapes() {
    String goal = "{\"resourceType\": \"Goal\", \"id\": \"goal1\", \"lifecycleStatus\": \"active\","
        + " \"description\": {\"text\": \"Settled sleep\"}, \"subject\": {\"reference\": \"Patient/p1\"}%s}";
    String plan = "{\"resourceType\": \"CarePlan\", \"status\": \"active\", \"intent\": \"plan\","
        + " \"subject\": {\"reference\": \"Patient/p1\"}, \"contained\": [%s], \"goal\": [%s]}";
    String[][] shapes = {
        {"one goal", goal.formatted(""), "{\"reference\": \"#goal1\"}"},
        {"two goals", goal.formatted("") + ", " + goal.formatted("").replace("goal1", "goal2"),
            "{\"reference\": \"#goal1\"}, {\"reference\": \"#goal2\"}"},
        {"unreferenced goal", goal.formatted(""), "{\"reference\": \"Goal/g9\"}"},
        {"dangling local reference", goal.formatted(""), "{\"reference\": \"#goal7\"}"},
        {"goal with meta", goal.formatted(", \"meta\": {\"versionId\": \"1\"}"), "{\"reference\": \"#goal1\"}"},
        {"goal without description", goal.formatted("").replace(" \"description\": {\"text\": \"Settled sleep\"},", ""),
            "{\"reference\": \"#goal1\"}"},
        {"goal with a code not in its code system", goal.formatted(", \"category\": [{\"coding\": [{\"system\":"
            + " \"http://terminology.hl7.org/CodeSystem/goal-category\", \"code\": \"nonsense\"}]}]"), "{\"reference\": \"#goal1\"}"},
        {"goal whose subject is of a type it does not allow", goal.formatted("").replace("Patient/p1", "Observation/o1"),
            "{\"reference\": \"#goal1\"}"},
        {"nested contained", goal.formatted(", \"contained\": [{\"resourceType\": \"Basic\", \"id\": \"b1\", \"code\": {\"text\": \"x\"}}]"),
            "{\"reference\": \"#goal1\"}"},
        {"contained of a type the element does not allow", "{\"resourceType\": \"Basic\", \"id\": \"goal1\", \"code\": {\"text\": \"x\"}}",
            "{\"reference\": \"#goal1\"}"},
        {"goal without id", goal.formatted("").replace(" \"id\": \"goal1\",", ""), "{\"reference\": \"#goal1\"}"},
    };
    IParser parser = requestParser();
    List<Item> out = new ArrayList<>();
    for (String[] shape : shapes) {
      Resource r = (Resource) parser.parseResource(plan.formatted(shape[1], shape[2]));
      out.add(new Item("contained shape: " + shape[0], prepare(r, 100_000 + out.size(), Map.of())));
    }
    return out;
  }

  /** What the write path does before validating: references resolved, identity and version set. */
  static Resource prepare(Resource r, int n, Map<String, String> placeholders) {
    for (Reference ref : CONTEXT.newTerser().getAllPopulatedChildElementsOfType(r, Reference.class)) {
      String value = ref.getReference();
      if (value != null && value.contains("?")) {
        ref.setReference(value.substring(0, value.indexOf('?')) + "/c" + Math.abs(value.hashCode()));
      } else if (value != null && placeholders.containsKey(value)) {
        ref.setReference(placeholders.get(value));
      }
    }
    r.setId(r.fhirType() + "/r" + n + "/_history/1");
    r.getMeta().setVersionId("1");
    r.getMeta().setLastUpdated(Date.from(Instant.parse("2026-11-05T10:15:30.123Z")));
    return r;
  }
}
