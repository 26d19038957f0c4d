package org.childrensgateway.profiles.compiled;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.IValidationSupport;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.childrensgateway.profiles.ProfileValidatorFactory;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.CanonicalType;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StructureDefinition;

/**
 * The write path's fast conformance check: the profiles the validator loads, compiled once from
 * their snapshots into plain Java checks (see {@link Walker}), so that a resource they fully
 * understand and find valid need not go through HAPI's instance validator.
 *
 * <p>Sound by construction: {@link Verdict.Kind#ACCEPT} only when every element present, every
 * element rule, constraint, slice, binding and extension involved is one these checks implement.
 * Anything else is UNSURE, and a caller must then use HAPI (as it must on REJECT, so that refusals
 * carry HAPI's messages). The resource is checked against the same profiles HAPI would use:
 * meta.profile plus the profiles passed in (the type's default when it names none), the base
 * definition when there is neither, and the R4 vital-signs profile an Observation's code implies
 * ({@link ImpliedProfiles}). A differential test holds the verdicts against HAPI's.
 *
 * <p>Thread-safe: compiled profiles are immutable and cached by URL; a check allocates its own walker.
 */
public final class CompiledProfiles {

  private static final String CORE = "http://hl7.org/fhir/StructureDefinition/";
  private static final int MAX_PROFILES = 1_000;

  private final ProfileValidatorFactory factory;
  private final FhirContext context;
  private volatile boolean ready;
  /** Counted down once, when {@link #ready} becomes true: what {@link #awaitReady} waits on. */
  private final CountDownLatch readyLatch = new CountDownLatch(1);
  private final IValidationSupport support;
  private final Terminology terminology;
  private final ProfileCompiler compiler;
  private final Set<String> resourceTypes;
  private final Map<String, CompiledProfile> compiled = new ConcurrentHashMap<>();
  /** Datatype name to its base definition, the look-up made for nearly every element. */
  private final Map<String, CompiledProfile> types = new ConcurrentHashMap<>();

  public CompiledProfiles(ProfileValidatorFactory factory) {
    this.factory = Objects.requireNonNull(factory, "factory");
    this.context = factory.getFhirContext();
    this.support = factory.getValidationSupport();
    this.terminology = new Terminology(support);
    this.compiler = new ProfileCompiler(support, terminology);
    this.resourceTypes = Set.copyOf(context.getResourceTypes());
  }

  /**
   * Compiles every profile of the conformance package (seconds: snapshots, expansions), after HAPI's
   * validator is warm. Until this has run, {@link #check} answers UNSURE. Why not compile on demand:
   * HAPI's snapshot generation deadlocks when two threads run it at once (seen with the validator's
   * own warm-up), so snapshots are generated here, once, after the validator has made its own;
   * afterwards only definitions that ship a snapshot (FHIR core) are compiled on demand.
   */
  public synchronized void warmUp() {
    if (ready) {
      return;
    }
    try {
      factory.warmUp();
      for (StructureDefinition sd : factory.getConformancePackage().getStructureDefinitions()) {
        profile(sd.getUrl());
      }
      for (String url : ProfileValidatorFactory.defaultProfiles().values()) {
        profile(url);
      }
      compiler.stopGeneratingSnapshots();
      ready = true;
    } finally {
      // Also when the warm-up failed: nobody waits for checks that will not come (check stays UNSURE).
      readyLatch.countDown();
    }
  }

  /** True once {@link #warmUp()} has finished: from then on {@link #check} decides. */
  public boolean isReady() {
    return ready;
  }

  /**
   * Waits at most {@code millis} for {@link #warmUp()} to finish (it runs on another thread).
   * Returns whether the checks are ready; false when the time ran out, the warm-up failed or the
   * thread was interrupted.
   */
  public boolean awaitReady(long millis) {
    if (ready) {
      return true;
    }
    try {
      return readyLatch.await(Math.max(0, millis), TimeUnit.MILLISECONDS) && ready;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * The verdict for a resource against its meta.profile plus {@code profileUrls} (as
   * {@link ProfileValidatorFactory#validateWithResult(IBaseResource, String...)} validates it).
   */
  public Verdict check(IBaseResource resource, String... profileUrls) {
    if (!(resource instanceof Resource r)) {
      return Verdict.unsure(resource.fhirType(), "not an R4 resource");
    }
    if (!ready) {
      return Verdict.unsure(r.fhirType(), "compiled checks not warmed up yet");
    }
    Set<String> urls = new LinkedHashSet<>();
    for (CanonicalType p : r.getMeta().getProfile()) {
      urls.add(p.getValue());
    }
    urls.addAll(List.of(profileUrls));
    if (urls.isEmpty()) {
      urls.add(CORE + r.fhirType());
    }
    Walker walker = new Walker(this, r);
    List<String> implied = ImpliedProfiles.of(r, walker);
    urls.addAll(implied);
    for (String url : urls) {
      if (url == null || walker.rejected()) {
        break;
      }
      walker.resource(profile(url));
    }
    return walker.verdict();
  }

  CompiledProfile profile(String url) {
    int bar = url.indexOf('|');
    String plain = bar >= 0 ? url.substring(0, bar) : url;
    CompiledProfile p = compiled.get(plain);
    if (p == null) {
      p = compiler.compile(plain);
      if (compiled.size() < MAX_PROFILES) { // URLs can come from input (meta.profile, extensions)
        compiled.putIfAbsent(plain, p);
      }
    }
    return p;
  }

  /** The base definition of a datatype (or resource type). */
  CompiledProfile type(String type) {
    CompiledProfile p = types.get(type);
    if (p == null) {
      p = profile(CORE + type);
      if (types.size() < MAX_PROFILES) {
        types.putIfAbsent(type, p);
      }
    }
    return p;
  }

  StructureDefinition definition(String url) {
    IBaseResource sd = support.fetchStructureDefinition(url);
    return sd instanceof StructureDefinition s ? s : null;
  }

  Terminology terminology() {
    return terminology;
  }

  boolean isResourceType(String name) {
    return resourceTypes.contains(name);
  }
}
