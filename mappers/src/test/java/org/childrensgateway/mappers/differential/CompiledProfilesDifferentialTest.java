package org.childrensgateway.mappers.differential;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.parser.IParser;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.childrensgateway.profiles.ProfileValidatorFactory;
import org.childrensgateway.profiles.ValidationIssue;
import org.childrensgateway.profiles.compiled.CompiledProfiles;
import org.childrensgateway.profiles.compiled.Verdict;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The compiled profile checks against HAPI's validator (the oracle), over every resource the mappers
 * make of the samples, a seeded reference-mix population, and systematic mutations of them
 * ({@link Mutations}). The compiled checks may say UNSURE about anything; they must never ACCEPT what
 * HAPI finds an error in, a REJECT must name an element HAPI reports an error at, and they must
 * accept nearly all of the valid corpus (or they would save nothing).
 */
class CompiledProfilesDifferentialTest {

  private static final int POPULATION_CHILDREN = Integer.getInteger("differential.children", 25);

  private static ProfileValidatorFactory hapi;
  private static CompiledProfiles compiled;
  private static final IParser ENCODER = Corpus.CONTEXT.newJsonParser();

  @BeforeAll
  static void build() {
    hapi = ProfileValidatorFactory.shared();
    compiled = new CompiledProfiles(hapi);
    compiled.warmUp(); // warms HAPI's validator first
  }

  private record Outcome(Verdict verdict, List<ValidationIssue> errors) {}

  private static String[] profilesFor(Resource r) {
    return r.getMeta().hasProfile() ? new String[0]
        : ProfileValidatorFactory.defaultProfileUrl(r.fhirType()).stream().toArray(String[]::new);
  }

  private static Outcome both(Resource r) {
    String[] profiles = profilesFor(r);
    String json = ENCODER.encodeResourceToString(r);
    List<ValidationIssue> errors = ProfileValidatorFactory.errorsOf(hapi.validateJsonWithResult(json, profiles));
    return new Outcome(compiled.check(r, profiles), errors);
  }

  /** Null if the verdict agrees with HAPI's errors; otherwise what is wrong. */
  private static String disagreement(Outcome o) {
    return switch (o.verdict().kind()) {
      case ACCEPT -> o.errors().isEmpty() ? null : "ACCEPT but HAPI: " + o.errors();
      case REJECT -> o.errors().stream().anyMatch(e -> sameElement(e.location(), o.verdict().path())) ? null
          : o.verdict() + " but HAPI: " + (o.errors().isEmpty() ? "no error" : o.errors());
      case UNSURE -> null;
    };
  }

  /** Locations compared without list indexes and type selectors ({@code .ofType(Quantity)}). */
  static boolean sameElement(String hapiLocation, String compiledPath) {
    return hapiLocation != null && normal(hapiLocation).equals(normal(compiledPath));
  }

  private static String normal(String location) {
    return location.replaceAll("\\[\\d+]", "").replaceAll("\\.ofType\\([A-Za-z]+\\)", "");
  }

  @Test
  void compiledChecksAgreeWithHapiAndCoverTheValidCorpus() {
    List<Corpus.Item> corpus = new ArrayList<>(Corpus.samples());
    int fromSamples = corpus.size();
    corpus.addAll(Corpus.population(20261201L, POPULATION_CHILDREN));
    corpus.addAll(Corpus.containedShapes());

    List<String> disagreements = new ArrayList<>();
    Map<String, Integer> corpusUnsure = new TreeMap<>();
    Map<String, Integer> unsureReasons = new TreeMap<>();
    int hapiAccepts = 0;
    int accepted = 0;
    int[] kinds = new int[3];
    List<Corpus.Item> valid = new ArrayList<>();
    for (Corpus.Item item : corpus) {
      Outcome o = both(item.resource());
      kinds[o.verdict().kind().ordinal()]++;
      if (o.errors().isEmpty()) {
        hapiAccepts++;
        valid.add(item);
        if (o.verdict().isAccept()) {
          accepted++;
        }
      }
      record(item.origin(), o, disagreements, corpusUnsure);
    }
    double[] perResource = timings(valid);

    // Mutations: each distinct resource shape once (the population repeats a few shapes many times).
    Mutations mutations = new Mutations(hapi.getValidationSupport());
    IParser parser = Corpus.requestParser();
    Map<String, String> shapes = new LinkedHashMap<>();
    for (Corpus.Item item : corpus) {
      shapes.putIfAbsent(shape(ENCODER.encodeResourceToString(item.resource())), item.origin());
    }
    Map<String, String> mutants = new LinkedHashMap<>();
    for (Corpus.Item item : corpus) {
      String json = ENCODER.encodeResourceToString(item.resource());
      if (item.origin().equals(shapes.get(shape(json)))) {
        mutations.of(json).forEach((text, what) -> mutants.putIfAbsent(text, item.origin() + ": " + what));
      }
    }
    int refusedByParser = 0;
    int[] mutantKinds = new int[3];
    int mutantHapiRejects = 0;
    for (Map.Entry<String, String> m : mutants.entrySet()) {
      Resource r;
      try {
        r = (Resource) parser.parseResource(m.getKey());
      } catch (RuntimeException e) {
        refusedByParser++; // the gateway answers 400 before any validation
        continue;
      }
      Outcome o = both(r);
      mutantKinds[o.verdict().kind().ordinal()]++;
      if (!o.errors().isEmpty()) {
        mutantHapiRejects++;
      }
      record(m.getValue(), o, disagreements, unsureReasons);
    }

    System.out.printf("Differential validation: corpus %d resources (%d from samples, %d reference mix), %d distinct shapes%n",
        corpus.size(), fromSamples, corpus.size() - fromSamples, shapes.size());
    System.out.printf("  corpus:  compiled ACCEPT %d, REJECT %d, UNSURE %d; HAPI accepts %d, rejects %d; accepted of HAPI-valid %d/%d%n",
        kinds[0], kinds[1], kinds[2], hapiAccepts, corpus.size() - hapiAccepts, accepted, hapiAccepts);
    int mutated = mutantKinds[0] + mutantKinds[1] + mutantKinds[2];
    System.out.printf("  mutated: %d mutants (%d more refused by the parser): compiled ACCEPT %d, REJECT %d, UNSURE %d; HAPI accepts %d, rejects %d%n",
        mutated, refusedByParser, mutantKinds[0], mutantKinds[1], mutantKinds[2], mutated - mutantHapiRejects, mutantHapiRejects);
    System.out.printf("  warm mean per valid resource: HAPI %.3f ms, compiled %.3f ms%n", perResource[0], perResource[1]);
    System.out.println("  UNSURE reasons, corpus: " + corpusUnsure);
    System.out.println("  UNSURE reasons, mutants: " + unsureReasons);
    System.out.println("  disagreements: " + disagreements.size());
    disagreements.stream().limit(50).forEach(d -> System.out.println("    " + d));

    assertThat(disagreements).as("verdicts HAPI contradicts").isEmpty();
    assertThat(accepted).as("HAPI-valid corpus resources the compiled checks accept").isGreaterThanOrEqualTo((int) Math.ceil(0.9 * hapiAccepts));
    assertThat(mutantKinds[1]).as("mutants the compiled checks reject").isGreaterThanOrEqualTo(mutantHapiRejects / 4);
  }

  private static void record(String origin, Outcome o, List<String> disagreements, Map<String, Integer> unsureReasons) {
    String d = disagreement(o);
    if (d != null) {
      disagreements.add(origin + ": " + d);
    }
    if (o.verdict().kind() == Verdict.Kind.UNSURE) {
      unsureReasons.merge(o.verdict().reason(), 1, Integer::sum);
    }
  }

  /** Mean ms per resource of HAPI and of the compiled checks, second of two passes (warm). */
  private static double[] timings(List<Corpus.Item> items) {
    double[] out = new double[2];
    for (int pass = 0; pass < 2; pass++) {
      long h = 0;
      long c = 0;
      for (Corpus.Item item : items) {
        Resource r = item.resource();
        String[] profiles = profilesFor(r);
        long t0 = System.nanoTime();
        hapi.validateJsonWithResult(ENCODER.encodeResourceToString(r), profiles);
        long t1 = System.nanoTime();
        compiled.check(r, profiles);
        c += System.nanoTime() - t1;
        h += t1 - t0;
      }
      out[0] = h / 1e6 / Math.max(1, items.size());
      out[1] = c / 1e6 / Math.max(1, items.size());
    }
    return out;
  }

  /** The JSON with every value replaced, so resources differing only in data have one shape. */
  private static String shape(String json) {
    return json.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"\\s*(?=[,}\\]])", "\"\"").replaceAll("-?\\d+(\\.\\d+)?(?=[,}\\]])", "0");
  }
}
