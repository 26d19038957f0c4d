package org.childrensgateway.profiles;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.FhirVersionEnum;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.SingleValidationMessage;
import ca.uhn.fhir.validation.ValidationOptions;
import ca.uhn.fhir.validation.ValidationResult;
import ca.uhn.hapi.converters.canonical.VersionCanonicalizer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.PrePopulatedValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.UnknownCodeSystemWarningValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.common.hapi.validation.validator.ProfileKnowledgeWorkerR5;
import org.hl7.fhir.common.hapi.validation.validator.WorkerContextValidationSupportAdapter;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.StructureDefinition;
import org.hl7.fhir.r5.conformance.profile.ProfileUtilities;
import org.hl7.fhir.r5.utils.validation.constants.BestPracticeWarningLevel;
import org.hl7.fhir.utilities.validation.ValidationMessage;

/**
 * Builds (once) and holds an offline HAPI FHIR R4 validator for the gateway's profiles.
 *
 * <p>Validation support chain, in order:
 *
 * <ol>
 *   <li>{@link RetiredNhsNumberVerificationStatusSupport}: accepts the retired UK Core NHS number
 *       verification status code system as well as the current England/Wales ones.
 *   <li>{@link DefaultProfileValidationSupport}: the FHIR R4 core definitions (from
 *       hapi-fhir-validation-resources-r4), including core extensions such as patient-birthPlace.
 *   <li>{@link PrePopulatedValidationSupport}: everything in the {@link ConformancePackage} (UK
 *       Core subset and project resources; ConceptMaps are not used by validation).
 *   <li>{@link CrossVersionExtensionSupport}: permissive stand-in definitions for the HL7
 *       cross-version extensions ({@code http://hl7.org/fhir/5.0/...}, {@code .../6.0/...}) that UK
 *       Core Patient and Observation reference but that are not available offline. This is
 *       required, not optional: without it the snapshot generator fails on UKCore-Patient and
 *       UKCore-Observation ("Reference to invalid version in extension url ..."), so nothing based
 *       on them could be validated; {@code setAnyExtensionsAllowed} alone does not help there.
 *   <li>{@link CommonCodeSystemsTerminologyService}: UCUM, languages, MIME types, countries...
 *   <li>{@link SnapshotGeneratingValidationSupport}: our profiles and UK Core ship differentials
 *       only.
 *   <li>{@link InMemoryTerminologyServerValidationSupport}: validates codes against the CodeSystems
 *       and ValueSets we hold (e.g. an unknown EYFS outcome code is an error). Enumerated
 *       SNOMED/LOINC codes in child-growth-codes are checked for membership without the code
 *       system.
 *   <li>{@link UnknownCodeSystemWarningValidationSupport} at WARNING: SNOMED CT, LOINC and other
 *       code systems not loaded offline give a warning rather than an error.
 * </ol>
 *
 * <p>No remote terminology server is configured, so validation never uses the network.
 *
 * <p>Unknown extensions are errors ({@code setAnyExtensionsAllowed(false)}): an extension no loaded
 * definition describes (core FHIR, UK Core, the gateway's own, the cross-version stand-ins) cannot
 * be interpreted by a receiver. HAPI still lets a few URL patterns through (example.org, nema.org,
 * HL7 tooling); {@link #definedExtensions()} ({@link DefinedExtensionsRule}) has no such
 * exceptions and is what the gateway applies on write. Known extensions are validated against
 * their definitions (context, value type, binding).
 *
 * <p>Profiles FHIR R4 implies are applied ({@link ImpliedProfilesPolicyAdvisor}): an Observation
 * coded as a vital sign (body weight, height, head circumference...) must conform to the R4
 * vital-signs profile for it (category vital-signs, the LOINC code, a UCUM unit), as the HL7
 * reference validator checks.
 *
 * <p>Unknown profiles in {@code meta.profile} are errors ({@code setErrorForUnknownProfiles}), so a
 * misspelt profile URL does not silently validate against the base resource only.
 *
 * <p>Threading and cost: building the validator parses the core FHIR definitions and generates
 * snapshots, which takes seconds; do it once and share the factory (see {@link #shared()}). The
 * validator caches terminology and snapshot results; it runs one validation at a time in the JVM
 * ({@link HapiValidationLock} says why), and its methods here take care of that.
 */
public final class ProfileValidatorFactory {

  private static final Map<String, String> DEFAULT_PROFILES;

  static {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("Patient", ProfileUrls.CHILD_PATIENT);
    m.put("RelatedPerson", ProfileUrls.CARER_RELATED_PERSON);
    m.put("Consent", ProfileUrls.CHILD_CONSENT);
    m.put("Observation", ProfileUrls.CHILD_OBSERVATION);
    m.put("CarePlan", ProfileUrls.CHILD_CARE_PLAN);
    DEFAULT_PROFILES = Collections.unmodifiableMap(m);
  }

  private static volatile ProfileValidatorFactory shared;

  private final FhirContext fhirContext;
  private final ConformancePackage conformancePackage;
  private final ValidationSupportChain validationSupport;
  private final FhirValidator validator;
  private final DefinedExtensionsRule definedExtensions;
  private final Object warmUpLock = new Object();
  private volatile boolean warm;

  /** Loads the default {@link ConformancePackage} and builds the validator (slow: reuse it). */
  public ProfileValidatorFactory(FhirContext fhirContext) {
    this(fhirContext, ConformancePackage.load(fhirContext));
  }

  /** Builds the validator over the given package (slow: reuse the instance). */
  public ProfileValidatorFactory(FhirContext fhirContext, ConformancePackage conformancePackage) {
    this.fhirContext = Objects.requireNonNull(fhirContext, "fhirContext");
    this.conformancePackage = Objects.requireNonNull(conformancePackage, "conformancePackage");
    if (fhirContext.getVersion().getVersion() != FhirVersionEnum.R4) {
      throw new IllegalArgumentException("An R4 FhirContext is required");
    }
    this.validationSupport = buildValidationSupport(fhirContext, conformancePackage);
    this.validator = buildValidator(fhirContext, validationSupport);
    this.definedExtensions = new DefinedExtensionsRule(validationSupport);
  }

  /**
   * A process-wide instance over {@link FhirContext#forR4Cached()} and the default package, built
   * on first use. Convenient for callers without dependency injection, and for tests.
   */
  public static ProfileValidatorFactory shared() {
    ProfileValidatorFactory result = shared;
    if (result == null) {
      synchronized (ProfileValidatorFactory.class) {
        result = shared;
        if (result == null) {
          result = new ProfileValidatorFactory(FhirContext.forR4Cached());
          shared = result;
        }
      }
    }
    return result;
  }

  /** The validation support chain described in the class comment (new instance per call). */
  public static ValidationSupportChain buildValidationSupport(
      FhirContext ctx, ConformancePackage conformancePackage) {
    PrePopulatedValidationSupport prePopulated = new PrePopulatedValidationSupport(ctx);
    for (IBaseResource r : conformancePackage.getAllResources()) {
      prePopulated.addResource(r); // ignores types it does not handle (ConceptMap)
    }
    UnknownCodeSystemWarningValidationSupport unknownCodeSystems =
        new UnknownCodeSystemWarningValidationSupport(ctx);
    unknownCodeSystems.setNonExistentCodeSystemSeverity(IValidationSupport.IssueSeverity.WARNING);

    return new ValidationSupportChain(
        ValidationSupportChain.CacheConfiguration.defaultValues(),
        new RetiredNhsNumberVerificationStatusSupport(ctx),
        new DefaultProfileValidationSupport(ctx),
        prePopulated,
        new CrossVersionExtensionSupport(ctx),
        new CommonCodeSystemsTerminologyService(ctx),
        new SnapshotGeneratingValidationSupport(ctx),
        new InMemoryTerminologyServerValidationSupport(ctx),
        unknownCodeSystems);
  }

  private static FhirValidator buildValidator(FhirContext ctx, ValidationSupportChain support) {
    // Reuses the core InstanceValidator rather than building one per resource (see the class).
    FhirInstanceValidator module = new ReusingInstanceValidator(support);
    // Refuse extensions we have no definition for (see class comment), report unknown profiles.
    module.setAnyExtensionsAllowed(false);
    module.setErrorForUnknownProfiles(true);
    // Vital-sign Observations must also meet the R4 vital-signs profiles, as the HL7 validator has it.
    module.setValidatorPolicyAdvisor(new ImpliedProfilesPolicyAdvisor());
    module.setNoTerminologyChecks(false);
    // Best-practice recommendations (e.g. dom-6 "should have narrative") are noise for a gateway
    // that stores structured data; they would only ever be warnings.
    module.setBestPracticeWarningLevel(BestPracticeWarningLevel.Ignore);
    FhirValidator v = ctx.newValidator();
    v.setValidateAgainstStandardSchema(false);
    v.setValidateAgainstStandardSchematron(false);
    v.registerValidatorModule(module);
    return v;
  }

  /** Resource type to the project profile to use when a resource has no meta.profile. */
  public static Map<String, String> defaultProfiles() {
    return DEFAULT_PROFILES;
  }

  /** The project profile for this resource type (e.g. Patient to ChildPatient), if there is one. */
  public static Optional<String> defaultProfileUrl(String resourceType) {
    return Optional.ofNullable(DEFAULT_PROFILES.get(resourceType));
  }

  public FhirContext getFhirContext() {
    return fhirContext;
  }

  public ConformancePackage getConformancePackage() {
    return conformancePackage;
  }

  /** The cached, thread-safe validation support chain (also usable for terminology look-ups). */
  public IValidationSupport getValidationSupport() {
    return validationSupport;
  }

  /** The rule refusing extensions no loaded definition describes (thread-safe). */
  public DefinedExtensionsRule definedExtensions() {
    return definedExtensions;
  }

  /**
   * The validator itself (tests look inside it). Validate through this factory's methods: they hold
   * {@link HapiValidationLock}, without which a validation is not safe beside another.
   */
  public FhirValidator getValidator() {
    return validator;
  }

  /** Full result (all severities) against the resource's meta.profile and its base definition. */
  public ValidationResult validateWithResult(IBaseResource resource) {
    ensureWarm();
    return HapiValidationLock.exclusively(() -> validator.validateWithResult(resource));
  }

  /**
   * Full result against meta.profile plus the given profile URLs (added as if in meta.profile).
   */
  public ValidationResult validateWithResult(IBaseResource resource, String... profileUrls) {
    ensureWarm();
    return validateUnwarmed(resource, profileUrls);
  }

  private ValidationResult validateUnwarmed(IBaseResource resource, String... profileUrls) {
    ValidationOptions options = new ValidationOptions();
    for (String url : profileUrls) {
      options.addProfile(url);
    }
    return HapiValidationLock.exclusively(() -> validator.validateWithResult(resource, options));
  }

  /**
   * As {@link #validateWithResult(IBaseResource, String...)}, for the resource's JSON text (for
   * example as it is about to be stored), which saves encoding it again.
   */
  public ValidationResult validateJsonWithResult(String json, String... profileUrls) {
    ensureWarm();
    ValidationOptions options = new ValidationOptions();
    for (String url : profileUrls) {
      options.addProfile(url);
    }
    return HapiValidationLock.exclusively(() -> validator.validateWithResult(json, options));
  }

  /** Errors and fatal issues only, each with its location, against the resource's meta.profile. */
  public List<ValidationIssue> validate(IBaseResource resource) {
    return errorsOf(validateWithResult(resource));
  }

  /** Errors only, against meta.profile plus the given profiles. */
  public List<ValidationIssue> validate(IBaseResource resource, String... profileUrls) {
    return errorsOf(validateWithResult(resource, profileUrls));
  }

  /**
   * Errors only; if the resource has no meta.profile, validates it against the default project
   * profile for its type ({@link #defaultProfiles()}), otherwise against its meta.profile.
   */
  public List<ValidationIssue> validateWithDefaultProfile(IBaseResource resource) {
    boolean hasProfile = resource.getMeta() != null && !resource.getMeta().getProfile().isEmpty();
    if (!hasProfile) {
      Optional<String> profile = defaultProfileUrl(fhirContext.getResourceType(resource));
      if (profile.isPresent()) {
        return validate(resource, profile.get());
      }
    }
    return validate(resource);
  }

  /** Converts every message of a result (any severity) to {@link ValidationIssue}s. */
  public static List<ValidationIssue> issuesOf(ValidationResult result) {
    List<ValidationIssue> out = new ArrayList<>();
    for (SingleValidationMessage m : result.getMessages()) {
      out.add(
          new ValidationIssue(
              m.getSeverity() == null ? "error" : m.getSeverity().getCode(),
              m.getLocationString(),
              m.getMessage(),
              m.getMessageId()));
    }
    return out;
  }

  /** Only the error and fatal messages of a result. */
  public static List<ValidationIssue> errorsOf(ValidationResult result) {
    List<ValidationIssue> out = new ArrayList<>();
    for (ValidationIssue i : issuesOf(result)) {
      if (i.isError()) {
        out.add(i);
      }
    }
    return out;
  }

  /**
   * Generates a snapshot for every StructureDefinition in the package and returns the error
   * messages of the snapshot generator, keyed by profile URL (empty list = clean). Used by tests
   * and handy as a start-up self-check.
   */
  public Map<String, List<String>> checkSnapshots() {
    return HapiValidationLock.exclusively(this::generateAllSnapshots);
  }

  private Map<String, List<String>> generateAllSnapshots() {
    VersionCanonicalizer canonicalizer = new VersionCanonicalizer(fhirContext);
    WorkerContextValidationSupportAdapter worker =
        WorkerContextValidationSupportAdapter.newVersionSpecificWorkerContextWrapper(
            validationSupport);
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (StructureDefinition sd : conformancePackage.getStructureDefinitions()) {
      List<String> problems = new ArrayList<>();
      try {
        org.hl7.fhir.r5.model.StructureDefinition input =
            canonicalizer.structureDefinitionToCanonical(sd.copy());
        org.hl7.fhir.r5.model.StructureDefinition base =
            worker.fetchResource(
                org.hl7.fhir.r5.model.StructureDefinition.class, input.getBaseDefinition());
        if (base == null || !base.hasSnapshot()) {
          problems.add("base definition not found or has no snapshot: " + input.getBaseDefinition());
        } else {
          List<ValidationMessage> messages = new ArrayList<>();
          ProfileUtilities utilities =
              new ProfileUtilities(worker, messages, new ProfileKnowledgeWorkerR5(fhirContext));
          utilities.generateSnapshot(base, input, input.getUrl(), null, input.getName());
          for (ValidationMessage m : messages) {
            if (m.getLevel() == ValidationMessage.IssueSeverity.ERROR
                || m.getLevel() == ValidationMessage.IssueSeverity.FATAL) {
              problems.add(m.getLocation() + ": " + m.getMessage());
            }
          }
          if (!input.hasSnapshot() || input.getSnapshot().getElement().isEmpty()) {
            problems.add("no snapshot generated");
          }
        }
      } catch (RuntimeException e) {
        problems.add("snapshot generation failed: " + e);
      }
      out.put(sd.getUrl(), problems);
    }
    return out;
  }

  /**
   * Primes the caches: loads the core definitions, generates the snapshots of every project
   * profile and runs one (empty-resource) validation per profile, so the first real request does
   * not pay about 3 s for it (measured: construction ~0.7 s, warm-up ~3 s, then a few hundred ms
   * for the first resource touching new terminology, then ~50-80 ms per resource). Optional; call
   * it at application start-up, e.g. on a background thread. Returns the elapsed milliseconds.
   */
  public long warmUp() {
    long start = System.nanoTime();
    ensureWarm();
    return (System.nanoTime() - start) / 1_000_000;
  }

  /** True once every project profile has been loaded and snapshotted. */
  public boolean isWarm() {
    return warm;
  }

  /**
   * Loads and snapshots every project profile before the first validation, once. Snapshots are
   * generated lazily and are not safe to build while another thread validates against them (a
   * half-built Patient definition rejected every Patient.link as an unknown property), so until
   * warm-up is done every validation waits for it; afterwards this is one volatile read.
   */
  private void ensureWarm() {
    if (warm) {
      return;
    }
    synchronized (warmUpLock) {
      if (warm) {
        return;
      }
      for (StructureDefinition sd : conformancePackage.getStructureDefinitions()) {
        if (!sd.getUrl().startsWith(ProfileUrls.BASE + "/")) {
          continue;
        }
        try {
          IBaseResource empty = fhirContext.getResourceDefinition(sd.getType()).newInstance();
          validateUnwarmed(empty, sd.getUrl()); // findings are irrelevant here
        } catch (RuntimeException e) {
          // Warm-up must never prevent start-up; a real problem will surface on real validation.
        }
      }
      warm = true;
    }
  }
}
