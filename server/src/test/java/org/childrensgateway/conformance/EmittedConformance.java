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
    private final AtomicLong waited = new AtomicLong();
    private ProfileValidatorFactory validator; // worker thread only
    private volatile Runnable sweep;

    private EmittedConformance() {
    }

    public static EmittedConformance get() {
        return INSTANCE;
    }

    /**
     * The check's own validator, built on (and only ever used by) the worker thread, over its own
     * FhirContext. HAPI shares the core definitions across contexts anyway, so its validations and
     * the gateway's take turns ({@code HapiValidationLock}): without that, the two warm-ups met and
     * broke the gateway's snapshots (every Consent write failed from then on). Its own context
     * keeps that lock under test: the suite fails if a HAPI validation escapes it.
     */
    private ProfileValidatorFactory validator() {
        if (validator == null) {
            validator = new ProfileValidatorFactory(FhirContext.forR4());
        }
        return validator;
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
        try {
            worker.submit(() -> validate(what, json, out, false)).get(5, TimeUnit.MINUTES);
        } catch (Exception e) {
            throw new IllegalStateException("validation failed", e);
        }
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
        ProfileValidatorFactory v = validator();
        FhirContext ctx = v.getFhirContext();
        IParser parser = ctx.newJsonParser();
        IBaseResource resource = parser.parseResource(json);
        if (resource instanceof Bundle bundle) {
            // The Bundle as emitted (bdl-*, ref-*, entries against their base definitions)...
            boolean subsetted = bundle.getEntry().stream().anyMatch(e -> e.hasResource() && isSubsetted(e.getResource()));
            report(what, "Bundle", timed(() -> v.validateJsonWithResult(json)), out, subsetted);
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
        Resource parsed = (Resource) v.getFhirContext().newJsonParser().parseResource(json);
        boolean subsetted = isSubsetted(parsed);
        // A subsetted resource (_elements, _summary) is not expected to meet its profiles.
        List<String> profiles = subsetted ? List.of() : PROFILES.getOrDefault(type, List.of());
        report(what, label, timed(() -> v.validateJsonWithResult(json, profiles.toArray(String[]::new))), out, subsetted);
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

    /** Tagged SUBSETTED (FHIR search _elements / _summary): required elements may be left out. */
    static boolean isSubsetted(Resource r) {
        return r.getMeta().getTag().stream().anyMatch(t -> "SUBSETTED".equals(t.getCode())
                && "http://terminology.hl7.org/CodeSystem/v3-ObservationValue".equals(t.getSystem()));
    }

    private static void report(String what, String label, ValidationResult result, List<String> out, boolean subsetted) {
        Set<String> unique = new LinkedHashSet<>();
        for (ValidationIssue i : ProfileValidatorFactory.errorsOf(result)) {
            if (subsetted && i.message().contains("minimum required")) {
                continue;
            }
            if (i.message().contains("Unable to resolve package id hl7.fhir.r4.core#null")) {
                // Validating an extension's StructureDefinition offline (UK Core's and ours alike): the
                // validator cannot name the package of core's Extension definition. Not a fault of the
                // definition; profiles' everyStructureDefinitionGetsASnapshotWithoutErrors generates each snapshot.
                continue;
            }
            unique.add(what + " -> " + label + " @ " + i.location() + ": " + i.message());
        }
        out.addAll(unique);
    }

    /**
     * Something to run before each drain that submits what the gateway stored without telling the
     * write listener (AuditEvents, written by the audit log itself); see the configuration.
     */
    void sweepWith(Runnable sweep) {
        this.sweep = sweep;
    }

    /**
     * Queues a stored resource of a kind the gateway builds from a fixed recipe (AuditEvents): one
     * of each shape (the element paths present and every system, code and url) is validated, which
     * keeps thousands of audit records cheap while covering every kind of event and outcome.
     */
    public void submitShape(String what, String json) {
        if (json != null && validated.add("shape:" + shapeOf(json))) {
            submit(what, json);
        }
    }

    static String shapeOf(String json) {
        try {
            com.fasterxml.jackson.databind.JsonNode node = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json);
            java.util.TreeSet<String> out = new java.util.TreeSet<>();
            shape(node, "", out);
            return digest(String.join("\n", out));
        } catch (java.io.IOException e) {
            return digest(json);
        }
    }

    private static final Set<String> SHAPE_VALUES = Set.of("system", "code", "url", "profile", "resourceType", "action",
            "outcome", "requestor", "type", "status", "mode");

    private static void shape(com.fasterxml.jackson.databind.JsonNode node, String path,
                              java.util.TreeSet<String> out) {
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> shape(e.getValue(), path + "." + e.getKey(), out));
        } else if (node.isArray()) {
            node.forEach(n -> shape(n, path, out));
        } else {
            String key = path.substring(path.lastIndexOf('.') + 1);
            out.add(SHAPE_VALUES.contains(key) ? path + "=" + node.asText() : path + ":" + node.getNodeType());
        }
    }

    /** Waits until everything submitted so far is validated, then returns and forgets the errors. */
    public List<String> awaitAndDrain() {
        Runnable s = sweep;
        if (s != null) {
            s.run();
        }
        long start = System.nanoTime();
        try {
            worker.submit(() -> { }).get(10, TimeUnit.MINUTES);
            waited.addAndGet(System.nanoTime() - start);
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
        return "%d emitted bodies, %d validations, %d ms validating (background), %d ms tests waited for it".formatted(
                bodies.get(), validations.get(), nanos.get() / 1_000_000, waited.get() / 1_000_000);
    }

    private static String digest(String json) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
