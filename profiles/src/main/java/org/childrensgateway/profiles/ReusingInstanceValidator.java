package org.childrensgateway.profiles;

import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.validation.IValidationContext;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.common.hapi.validation.validator.WorkerContextValidationSupportAdapter;
import org.hl7.fhir.exceptions.FHIRException;
import org.hl7.fhir.r5.elementmodel.Element;
import org.hl7.fhir.r5.elementmodel.ParserBase;
import org.hl7.fhir.r5.elementmodel.ValidatedFragment;
import org.hl7.fhir.r5.model.StructureDefinition;
import org.hl7.fhir.r5.utils.validation.ValidatorSession;
import org.hl7.fhir.r5.utils.validation.constants.IdStatus;
import org.hl7.fhir.r5.utils.xver.XVerExtensionManagerOld;
import org.hl7.fhir.utilities.i18n.I18nConstants;
import org.hl7.fhir.utilities.validation.ValidationMessage;
import org.hl7.fhir.validation.ValidatorSettings;
import org.hl7.fhir.validation.codesystem.CodingsObserver;
import org.hl7.fhir.validation.instance.InstanceValidator;

/**
 * HAPI's {@link FhirInstanceValidator}, except that the core {@link InstanceValidator} is reused
 * instead of built for every resource.
 *
 * <p>Why: HAPI 8.8 constructs a new {@code InstanceValidator} per validation. The constructor loads
 * the OID table from a CSV file ({@code OIDUtilities}) and builds a FHIRPath engine that converts
 * every R4 StructureDefinition to R5. The benchmark (docs/benchmarks.md) measured that as 65% of
 * the gateway's CPU during ingest, about 50 ms per resource; the validation itself is a few ms.
 *
 * <p>An {@code InstanceValidator} is not thread-safe, so each is used by one thread at a time: a
 * small pool (one per core) lends them out, and a thread that finds the pool empty builds one (and
 * the pool keeps it if there is room). Its {@code validate} call resets the per-validation state
 * (resource trackers, fetched-resource cache, execution id), which is how the FHIR validator CLI
 * validates many resources with one instance. One thing it does not reset: the codings it has seen
 * ({@code CodingsObserver}, kept for a final whole-run check the CLI makes and HAPI never asks for),
 * which keep every validated resource reachable: about 60 kB per resource, so a reused instance ran
 * the gateway out of heap within a few thousand writes. That list is emptied after each validation
 * (by reflection: HAPI offers no way to do it); if the fields are not found (another HAPI version)
 * instances are not reused at all, which is HAPI's own behaviour. Each instance is also retired after
 * {@link #MAX_USES} validations, so nothing else it caches can grow without bound.
 *
 * <p>Only JSON input (what {@link ca.uhn.fhir.validation.FhirValidator} produces for a resource
 * object) takes the reusing path; anything else goes through HAPI's own code. The settings
 * (extensions, unknown profiles, terminology...) must be set before the first validation.
 */
final class ReusingInstanceValidator extends FhirInstanceValidator {

    static final int MAX_USES = 20_000;

    private static final Field CODING_OBSERVER = field(InstanceValidator.class, "codingObserver");
    private static final Field OBSERVED_CODINGS = field(CodingsObserver.class, "list");

    private final BlockingQueue<Pooled> pool = new ArrayBlockingQueue<>(Math.max(2, Runtime.getRuntime().availableProcessors()));

    private static final class Pooled {
        final InstanceValidator validator;
        /** The element-model parser, reused too: building one builds a FHIRPath engine (6% of ingest CPU). */
        final org.hl7.fhir.r5.elementmodel.JsonParser parser;
        int uses;

        Pooled(InstanceValidator validator, org.hl7.fhir.r5.elementmodel.JsonParser parser) {
            this.validator = validator;
            this.parser = parser;
        }
    }

    /** Resource type name to its StructureDefinition, shared by the pooled parsers (see {@link DefinitionCachingJsonParser}). */
    private final Map<String, StructureDefinition> definitions = new ConcurrentHashMap<>();

    ReusingInstanceValidator(ValidationSupportChain support) {
        super(support);
    }

    @Override
    protected List<ValidationMessage> validate(IValidationContext<?> context) {
        if (context.getResourceAsStringEncoding() != EncodingEnum.JSON) {
            return super.validate(context);
        }
        WorkerContextValidationSupportAdapter worker = provideWorkerContext();
        Pooled pooled = pool.poll();
        if (pooled == null) {
            pooled = new Pooled(build(worker), new DefinitionCachingJsonParser(worker, definitions));
        }
        try {
            return validateJson(pooled, worker, context);
        } finally {
            if (++pooled.uses < MAX_USES && forgetObservedCodings(pooled.validator)) {
                pool.offer(pooled); // dropped when the pool is full
            }
        }
    }

    /** Empties the validator's list of observed codings; false if that is not possible (then it must not be reused). */
    static boolean forgetObservedCodings(InstanceValidator validator) {
        if (CODING_OBSERVER == null || OBSERVED_CODINGS == null) {
            return false;
        }
        try {
            Object observer = CODING_OBSERVER.get(validator);
            if (observer != null && OBSERVED_CODINGS.get(observer) instanceof List<?> seen) {
                seen.clear();
            }
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }

    /** Number of codings a validator holds on to (tests: stays 0 between validations). */
    static int observedCodings(InstanceValidator validator) throws ReflectiveOperationException {
        Object observer = CODING_OBSERVER.get(validator);
        return observer == null ? 0 : ((List<?>) OBSERVED_CODINGS.get(observer)).size();
    }

    /** The pooled validators (tests). */
    List<InstanceValidator> pooled() {
        return pool.stream().map(p -> p.validator).toList();
    }

    private static Field field(Class<?> type, String name) {
        try {
            Field f = type.getDeclaredField(name);
            f.setAccessible(true);
            return f;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /** A configured InstanceValidator, with the settings HAPI's wrapper applies on every call. */
    private InstanceValidator build(WorkerContextValidationSupportAdapter worker) {
        InstanceValidator v;
        try {
            v = new InstanceValidator(worker,
                    Objects.requireNonNullElseGet(getHostApplicationServices(), FhirInstanceValidator.NullEvaluationContext::new),
                    new XVerExtensionManagerOld(worker), new ValidatorSession(), new ValidatorSettings());
        } catch (Exception e) {
            throw new IllegalStateException("Could not build the FHIR instance validator", e);
        }
        v.setAssumeValidRestReferences(isAssumeValidRestReferences());
        v.setBestPracticeWarningLevel(getBestPracticeWarningLevel());
        v.setAnyExtensionsAllowed(isAnyExtensionsAllowed());
        v.setResourceIdRule(IdStatus.OPTIONAL);
        v.setNoTerminologyChecks(isNoTerminologyChecks());
        v.setErrorForUnknownProfiles(isErrorForUnknownProfiles());
        // As in HAPI: UnknownCodeSystemWarningValidationSupport then decides the severity.
        v.setUnknownCodeSystemsCauseErrors(true);
        v.getExtensionDomains().addAll(getExtensionDomains());
        v.setFetcher(getValidatorResourceFetcher());
        v.setPolicyAdvisor(getValidatorPolicyAdvisor());
        v.setNoExtensibleWarnings(isNoExtensibleWarnings());
        v.setNoBindingMsgSuppressed(isNoBindingMsgSuppressed());
        v.setAllowExamples(isAllowExamples());
        v.setAllowXsiLocation(true);
        return v;
    }

    private List<ValidationMessage> validateJson(Pooled pooled, WorkerContextValidationSupportAdapter worker,
                                                 IValidationContext<?> context) {
        List<ValidationMessage> messages = new ArrayList<>();
        List<StructureDefinition> profiles = new ArrayList<>();
        List<ValidationMessage> unknownProfiles = new ArrayList<>();
        for (String url : context.getOptions().getProfiles()) {
            addProfile(worker, url, profiles, unknownProfiles);
        }
        // What InstanceValidator.validate(InputStream, JSON, profiles) does, with a reused parser.
        org.hl7.fhir.r5.elementmodel.JsonParser parser = pooled.parser;
        parser.setupValidation(ParserBase.ValidationPolicy.EVERYTHING);
        parser.setAllowComments(true);
        parser.setSignatureServices(pooled.validator.getSignatureServices());
        List<ValidatedFragment> fragments;
        try {
            fragments = parser.parse(new java.io.ByteArrayInputStream(context.getResourceAsString().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.io.IOException e) {
            throw new FHIRException(e);
        }
        for (ValidatedFragment fragment : fragments) {
            Element element = fragment.getElement();
            if (element != null) {
                for (String url : declaredProfiles(element)) {
                    addProfile(worker, url, profiles, unknownProfiles);
                }
                pooled.validator.validate(context.getOptions().getAppContext(), fragment.getErrors(),
                        fragments.size() > 1 ? fragment.path() : null, element, profiles);
            }
            messages.addAll(fragment.getErrors());
        }
        if (profiles.isEmpty()) {
            messages.addAll(unknownProfiles);
        }
        // The same clean-up HAPI applies to the core validator's messages.
        List<ValidationMessage> out = new ArrayList<>(messages.size());
        for (ValidationMessage m : messages) {
            String id = m.getMessageId();
            if (id != null && (id.equals(I18nConstants.TERMINOLOGY_TX_BINDING_NOSOURCE)
                    || (id.equals(I18nConstants.TERMINOLOGY_TX_VALUESET_NOTFOUND) && m.getMessage().contains("http://hl7.org/fhir/ValueSet/mimetypes")))) {
                continue;
            }
            if (I18nConstants.VALIDATION_VAL_PROFILE_UNKNOWN.equals(id) || I18nConstants.VALIDATION_VAL_PROFILE_UNKNOWN_NOT_POLICY.equals(id)) {
                m.setLevel(isErrorForUnknownProfiles() ? ValidationMessage.IssueSeverity.ERROR : ValidationMessage.IssueSeverity.WARNING);
            }
            out.add(m);
        }
        return out;
    }

    /** meta.profile of the parsed resource. */
    private static List<String> declaredProfiles(Element resource) {
        Element meta = resource.getNamedChild("meta");
        if (meta == null) {
            return List.of();
        }
        List<String> urls = new ArrayList<>();
        for (Element profile : meta.getChildren("profile")) {
            if (profile.primitiveValue() != null) {
                urls.add(profile.primitiveValue());
            }
        }
        return urls;
    }

    private static void addProfile(WorkerContextValidationSupportAdapter worker, String url, List<StructureDefinition> profiles,
                                   List<ValidationMessage> unknown) {
        try {
            StructureDefinition sd = worker.fetchResource(StructureDefinition.class, url);
            if (sd != null) {
                profiles.add(sd);
            } else {
                ValidationMessage m = new ValidationMessage();
                m.setMessageId(I18nConstants.VALIDATION_VAL_PROFILE_UNKNOWN);
                m.setLevel(ValidationMessage.IssueSeverity.ERROR);
                m.setMessage("Invalid profile. Failed to retrieve profile with url=" + url);
                unknown.add(m);
            }
        } catch (FHIRException e) {
            // As HAPI: a profile that cannot be loaded is left out (and reported by the validator if referenced).
        }
    }
}
