package org.childrensgateway.conformance;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.validation.ValidationResult;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.childrensgateway.profiles.ProfileValidatorFactory;
import org.childrensgateway.profiles.ValidationIssue;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;

/**
 * Validates every FHIR resource and Bundle the gateway emits while the test suite runs (responses
 * captured by {@link EmittedConformanceConfiguration}, plus every resource written to the store,
 * which is what later reads and exports emit) against FHIR R4 core plus UK Core and the project
 * profiles, with HAPI's validator, and keeps the errors. {@code GatewayTestBase} fails a test class
 * that left any.
 *
 * <p>What is checked: each body is validated as emitted (a Bundle as a whole: bdl-* and ref-*
 * invariants, entries against their base definition). Each resource, on its own or in a Bundle, is
 * also validated against the profiles its type has here ({@link #PROFILES}: the project profile,
 * which derives from UK Core where UK Core's is active, and the UK Core profile where the project
 * has none). Unknown extensions are errors.
 *
 * <p>Cost: validation runs on one background thread so tests do not wait for it, and a resource
 * version already validated (same JSON) is not validated again, which is what keeps the suite's
 * thousands of repeated reads and searches cheap. {@link #awaitAndDrain()} waits for the queue.
 */
public final class EmittedConformance {

    /** Per resource type, the profiles a resource of that type must also conform to. */
    static final Map<String, List<String>> PROFILES = Map.of(
            "Patient", List.of("https://fhir.childrens-gateway.uk/StructureDefinition/ChildPatient"),
            "RelatedPerson", List.of("https://fhir.childrens-gateway.uk/StructureDefinition/CarerRelatedPerson"),
            "Observation", List.of("https://fhir.childrens-gateway.uk/StructureDefinition/ChildObservation"),
            "Consent", List.of("https://fhir.childrens-gateway.uk/StructureDefinition/ChildConsent"),
            "CarePlan", List.of("https://fhir.childrens-gateway.uk/StructureDefinition/ChildCarePlan"),
            "Organization", List.of("https://fhir.hl7.org.uk/StructureDefinition/UKCore-Organization"),
            "AuditEvent", List.of("https://fhir.hl7.org.uk/StructureDefinition/UKCore-AuditEvent"));

    private static final EmittedConformance INSTANCE = new EmittedConformance();

    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "emitted-conformance");
        t.setDaemon(true);
        return t;
    });
    private final Set<String> validated = ConcurrentHashMap.newKeySet();
    private final List<String> errors = new ArrayList<>();
    private final AtomicLong bodies = new AtomicLong();
    private final AtomicLong validations = new AtomicLong();
    private final AtomicLong nanos = new AtomicLong();
    private volatile ProfileValidatorFactory validator;

    private EmittedConformance() {
    }

    public static EmittedConformance get() {
        return INSTANCE;
    }

    /** The validator to use (the gateway's own, already warm); set when the test context starts. */
    void use(ProfileValidatorFactory factory) {
        if (validator == null) {
            validator = factory;
        }
    }

    /** Queues an emitted FHIR JSON body for validation; {@code what} names where it came from. */
    public void submit(String what, String json) {
        if (json == null || json.isBlank()) {
            return;
        }
        bodies.incrementAndGet();
        worker.submit(() -> check(what, json));
    }

    /**
     * Validates now (on the caller's thread) and returns the errors without keeping them; for tests
     * showing that the check catches a bad emission.
     */
    public List<String> checkNow(String what, String json) {
        List<String> out = new ArrayList<>();
        validate(what, json, out, false);
        return out;
    }

    private void check(String what, String json) {
        List<String> found = new ArrayList<>();
        try {
            validate(what, json, found, true);
        } catch (RuntimeException e) {
            found.add(what + ": could not be validated: " + e);
        }
        if (!found.isEmpty()) {
            synchronized (errors) {
                errors.addAll(found);
            }
        }
    }

    private void validate(String what, String json, List<String> out, boolean skipSeen) {
        ProfileValidatorFactory v = validator != null ? validator : ProfileValidatorFactory.shared();
        FhirContext ctx = v.getFhirContext();
        IParser parser = ctx.newJsonParser();
        IBaseResource resource = parser.parseResource(json);
        if (resource instanceof Bundle bundle) {
            // The Bundle as emitted (bdl-*, ref-*, entries against their base definitions)...
            report(what, "Bundle", timed(() -> v.getValidator().validateWithResult(json)), out);
            // ...and every entry against the profiles of its type, once per distinct version.
            for (Bundle.BundleEntryComponent e : bundle.getEntry()) {
                if (e.hasResource()) {
                    Resource r = e.getResource();
                    validateResource(what, r.fhirType() + "/" + r.getIdElement().getIdPart(), parser.encodeResourceToString(r),
                            r.fhirType(), out, skipSeen, v);
                }
                if (e.hasResponse() && e.getResponse().hasOutcome()) {
                    Resource oo = e.getResponse().getOutcome();
                    validateResource(what, "entry.response.outcome", parser.encodeResourceToString(oo), oo.fhirType(), out, skipSeen, v);
                }
            }
        } else {
            validateResource(what, resource.fhirType(), json, resource.fhirType(), out, skipSeen, v);
        }
    }

    private void validateResource(String what, String label, String json, String type, List<String> out, boolean skipSeen,
                                  ProfileValidatorFactory v) {
        if (skipSeen && !validated.add(digest(json))) {
            return;
        }
        List<String> profiles = PROFILES.getOrDefault(type, List.of());
        report(what, label, timed(() -> v.validateJsonWithResult(json, profiles.toArray(String[]::new))), out);
        Resource parsed = (Resource) v.getFhirContext().newJsonParser().parseResource(json);
        for (ValidationIssue i : v.definedExtensions().check(parsed)) {
            out.add(what + " -> " + label + " @ " + i.location() + ": " + i.message());
        }
    }

    private ValidationResult timed(java.util.function.Supplier<ValidationResult> validation) {
        long start = System.nanoTime();
        try {
            return validation.get();
        } finally {
            nanos.addAndGet(System.nanoTime() - start);
            validations.incrementAndGet();
        }
    }

    private static void report(String what, String label, ValidationResult result, List<String> out) {
        Set<String> unique = new LinkedHashSet<>();
        for (ValidationIssue i : ProfileValidatorFactory.errorsOf(result)) {
            unique.add(what + " -> " + label + " @ " + i.location() + ": " + i.message());
        }
        out.addAll(unique);
    }

    /** Waits until everything submitted so far is validated, then returns and forgets the errors. */
    public List<String> awaitAndDrain() {
        try {
            worker.submit(() -> { }).get(10, TimeUnit.MINUTES);
        } catch (Exception e) {
            throw new IllegalStateException("emitted-conformance validation did not finish", e);
        }
        synchronized (errors) {
            List<String> out = List.copyOf(errors);
            errors.clear();
            return out;
        }
    }

    /** Bodies submitted, validations run and time spent validating, for the suite's log. */
    public String statistics() {
        return "%d emitted bodies, %d validations, %d ms validating".formatted(bodies.get(), validations.get(),
                nanos.get() / 1_000_000);
    }

    private static String digest(String json) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
