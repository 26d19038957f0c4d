package org.childrensgateway.fhir.validation;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import ca.uhn.fhir.validation.ValidationResult;
import org.childrensgateway.profiles.ProfileValidatorFactory;
import org.childrensgateway.profiles.ValidationIssue;
import org.childrensgateway.profiles.compiled.CompiledProfiles;
import org.childrensgateway.profiles.compiled.Verdict;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Resource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Validates resources against the project profiles in {@code profiles/} (HAPI's instance validator,
 * offline) and applies the NHS number modulus-11 rule. A resource that names no profile is checked
 * against its type's default profile, so a child Patient without a birth date is refused. An
 * extension that no loaded definition describes is refused too ({@code DefinedExtensionsRule}).
 *
 * <p>Writes ({@link #validate(IBaseResource, String)}) first ask the compiled profile checks
 * ({@link CompiledProfiles}): when they accept the resource and the two rules found nothing, HAPI's
 * element walk is skipped, as it would report no error. Such a write's outcome is empty: HAPI's
 * warnings (unknown code systems, extensible bindings) are not computed, which changes nothing a
 * client sees, since a successful write never returned them. Whenever the compiled checks reject or
 * are unsure, HAPI validates as before, so every refusal carries HAPI's messages and locations.
 * {@link #validate(IBaseResource)} ({@code $validate}, ingest dry runs) always uses HAPI and lists
 * every issue, warnings included. {@code gateway.validation.compiled-checks: false} sends every write
 * to HAPI; {@link FastPathCrossCheck} samples accepted writes against HAPI on live traffic.
 */
@Component
public class ProfileResourceValidator implements ResourceValidator {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ProfileResourceValidator.class);

    static final String WRITES = "gateway.validation.writes";
    static final String HELD = "gateway.validation.writes.held";
    static final String READY = "gateway.validation.compiled.checks.ready";

    private final ProfileValidatorFactory profiles;
    private final CompiledProfiles compiled;
    private final boolean fastPath;
    private final FastPathCrossCheck crossCheck;
    private final Counter byCompiledChecks;
    private final Counter byHapi;
    /** The longest a write waits for the compiled checks before it goes to HAPI. */
    private final long holdWritesMs;
    /** Set when a wait ran out: the checks are slow to come, and no write is held any more. */
    private volatile boolean stopHolding;
    /** Writes waiting for the compiled checks now: readiness says UP meanwhile, so this says why writes are slow. */
    private final AtomicInteger held = new AtomicInteger();

    public ProfileResourceValidator(ProfileValidatorFactory profiles, CompiledProfiles compiled, MeterRegistry registry,
                                    @Value("${gateway.validation.compiled-checks:true}") boolean fastPath,
                                    @Value("${gateway.validation.cross-check-every:100}") int crossCheckEvery,
                                    @Value("${gateway.validation.cross-check-share:0.02}") double crossCheckShare,
                                    @Value("${gateway.validation.hold-writes-ms:60000}") long holdWritesMs) {
        this.profiles = profiles;
        this.compiled = compiled;
        this.fastPath = fastPath;
        this.crossCheck = new FastPathCrossCheck(registry, crossCheckEvery, crossCheckShare);
        this.byCompiledChecks = writes(registry, "compiled");
        this.byHapi = writes(registry, "hapi");
        this.holdWritesMs = Math.max(0, holdWritesMs);
        Gauge.builder(HELD, held, AtomicInteger::get).description("Writes waiting now for the compiled profile checks to be built")
                .register(registry);
        Gauge.builder(READY, compiled, c -> c.isReady() ? 1 : 0)
                .description("1 once the compiled profile checks are built; before that, writes wait or go to HAPI").register(registry);
    }

    /**
     * Until the compiled checks are built (seconds after start, by ValidatorWarmUp), a write would
     * be validated by HAPI, one resource at a time (ProfileValidatorFactory), on the same cores the
     * warm-up needs: the first bundles after a start took 28 s at the 95th percentile at 100,000
     * children, up to 70 s on a busy machine. Waiting for the checks is cheaper, so a write waits
     * for them, at most {@code gateway.validation.hold-writes-ms} (a warm-up on a busy machine can
     * take longer than a fixed time after start); if they are still not ready, or their warm-up
     * failed, it goes to HAPI as before, and so does every later write until they are ready (one
     * wait that runs out ends holding, so a transaction's entries never wait one after another).
     * A wait changes only when a write is validated, never how.
     */
    @Override
    public void awaitWriteChecks() {
        if (!fastPath || holdWritesMs == 0 || stopHolding || compiled.isReady()) {
            return;
        }
        held.incrementAndGet();
        try {
            if (!compiled.awaitReady(holdWritesMs)) {
                stopHolding = true;
            }
        } finally {
            held.decrementAndGet();
        }
    }

    private static Counter writes(MeterRegistry registry, String path) {
        return Counter.builder(WRITES).description("Resources validated for a write, by the check that decided").tag("path", path)
                .register(registry);
    }

    @Override
    public OperationOutcome validate(IBaseResource resource) {
        return validate(resource, null, false);
    }

    @Override
    public OperationOutcome validate(IBaseResource resource, String json) {
        return validate(resource, json, true);
    }

    private OperationOutcome validate(IBaseResource resource, String json, boolean write) {
        OperationOutcome outcome = new OperationOutcome();
        NhsNumberRule.check(resource, outcome);
        for (ValidationIssue undefined : profiles.definedExtensions().check(resource)) {
            outcome.addIssue()
                    .setSeverity(OperationOutcome.IssueSeverity.ERROR)
                    .setCode(OperationOutcome.IssueType.EXTENSION)
                    .setDiagnostics(undefined.message())
                    .addExpression(undefined.location());
        }
        boolean namesProfile = resource instanceof Resource r && r.getMeta().hasProfile();
        String[] profile = namesProfile ? new String[0]
                : ProfileValidatorFactory.defaultProfileUrl(resource.fhirType()).stream().toArray(String[]::new);
        if (write && fastPath && outcome.getIssue().isEmpty()) {
            awaitWriteChecks(); // writes not held before their transaction (single creates, feeds) wait here
            Verdict verdict = compiled.check(resource, profile);
            if (verdict.isAccept()) {
                byCompiledChecks.increment();
                if (json != null) {
                    crossCheck.accepted(resource.fhirType(), () -> profiles.validateJsonWithResult(json, profile));
                }
                return outcome;
            }
            // Why a write went to HAPI: an element path and a rule, never a value.
            log.debug("Write of a {} validated by HAPI: compiled verdict {} at {}: {}", resource.fhirType(), verdict.kind(),
                    verdict.path(), verdict.reason());
        }
        if (write) {
            byHapi.increment();
        }
        ValidationResult result = json != null
                ? profiles.validateJsonWithResult(json, profile)
                : profiles.validateWithResult(resource, profile);
        for (SingleValidationMessage m : result.getMessages()) {
            outcome.addIssue()
                    .setSeverity(severity(m.getSeverity()))
                    .setCode(OperationOutcome.IssueType.PROCESSING)
                    .setDiagnostics(m.getMessage())
                    .addExpression(m.getLocationString());
        }
        // Errors first: a refusal's message (and a transaction's "entry N failed", and $validate's first line) names
        // the first issue, which must be the reason, not a warning beside it.
        List<OperationOutcome.OperationOutcomeIssueComponent> issues = new ArrayList<>(outcome.getIssue());
        issues.sort(Comparator.comparingInt(i -> i.getSeverity() == null ? Integer.MAX_VALUE : i.getSeverity().ordinal()));
        return outcome.setIssue(issues);
    }

    private static OperationOutcome.IssueSeverity severity(ResultSeverityEnum severity) {
        if (severity == null) {
            return OperationOutcome.IssueSeverity.ERROR;
        }
        return switch (severity) {
            case FATAL -> OperationOutcome.IssueSeverity.FATAL;
            case ERROR -> OperationOutcome.IssueSeverity.ERROR;
            case WARNING -> OperationOutcome.IssueSeverity.WARNING;
            case INFORMATION -> OperationOutcome.IssueSeverity.INFORMATION;
        };
    }
}
