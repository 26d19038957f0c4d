package org.childrensgateway.mappers.build;

import java.util.List;

import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Meta;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.BooleanType;
import org.childrensgateway.mappers.transform.NhsNumber;

/** URIs and small builders shared by the layouts. */
public final class Fhir {

    public static final String GW = "https://fhir.childrens-gateway.uk";
    public static final String ID_BASE = GW + "/Id/";
    public static final String ODS = "https://fhir.nhs.uk/Id/ods-organization-code";
    public static final String NHS_STATUS_EXT = "https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-NHSNumberVerificationStatus";
    public static final String NHS_STATUS_SYSTEM = "https://fhir.hl7.org.uk/CodeSystem/UKCore-NHSNumberVerificationStatusEngland";
    /** Boolean extension on RelatedPerson: true when the person holds parental responsibility (defined in profiles/). */
    public static final String PARENTAL_RESPONSIBILITY_EXT = org.childrensgateway.profiles.ProfileUrls.EXT_PARENTAL_RESPONSIBILITY;
    /** Reference (display) extension on Consent: who recorded the decision in the source system (defined in profiles/). */
    public static final String RECORDED_BY_EXT = org.childrensgateway.profiles.ProfileUrls.EXT_CONSENT_RECORDED_BY;
    /** Tags telling the server how to apply a partial source record. */
    public static final String INGEST_TAG_SYSTEM = GW + "/CodeSystem/ingest-directive";
    public static final String IDENTITY_ONLY = "identity-only";
    public static final String PARTIAL = "partial";
    public static final String ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode";
    public static final String CONFIDENTIALITY = "http://terminology.hl7.org/CodeSystem/v3-Confidentiality";
    public static final String OBSERVATION_TYPE = GW + "/CodeSystem/observation-type";
    public static final String HV_SERVICE_LEVEL = GW + "/CodeSystem/hv-service-level";
    public static final String CONSENT_SCOPE = GW + "/CodeSystem/consent-scope";
    public static final String SNOMED = "http://snomed.info/sct";
    public static final String UCUM = "http://unitsofmeasure.org";

    private Fhir() {
    }

    /** NHS number identifier with the UK Core verification-status extension when the status is known. */
    public static Identifier nhsNumber(String number, Coding status) {
        Identifier id = new Identifier().setSystem(NhsNumber.SYSTEM).setValue(number);
        if (status != null) {
            Coding c = new Coding(NHS_STATUS_SYSTEM, status.getCode(), null);
            id.addExtension(new Extension(NHS_STATUS_EXT, new CodeableConcept(c)));
        }
        return id;
    }

    /** Mental-health sensitivity: PSY (psychiatry information) plus restricted confidentiality. */
    public static void markSensitive(Resource r) {
        Meta m = r.getMeta();
        m.addSecurity(new Coding(ACT_CODE, "PSY", "psychiatry disorder information sensitivity"));
        m.addSecurity(new Coding(CONFIDENTIALITY, "R", "restricted"));
    }

    public static boolean isSensitive(Resource r) {
        return r.getMeta().getSecurity().stream().anyMatch(c -> ACT_CODE.equals(c.getSystem()) && "PSY".equals(c.getCode()));
    }

    public static Extension parentalResponsibility(boolean pr) {
        return new Extension(PARENTAL_RESPONSIBILITY_EXT, new BooleanType(pr));
    }

    public static Extension recordedBy(String who) {
        return new Extension(RECORDED_BY_EXT, new org.hl7.fhir.r4.model.Reference().setDisplay(who));
    }

    public static String extensionString(List<Extension> exts, String url) {
        return exts.stream().filter(e -> url.equals(e.getUrl())).findFirst().map(e -> {
            if (e.getValue() instanceof org.hl7.fhir.r4.model.Reference r) {
                return r.getDisplay();
            }
            return e.getValue() instanceof StringType s ? s.getValue() : e.getValue().primitiveValue();
        }).orElse(null);
    }

    public static void tag(Resource r, String code) {
        r.getMeta().addTag(INGEST_TAG_SYSTEM, code, null);
    }
}
