package org.childrensgateway.fhir;

import java.util.concurrent.atomic.AtomicLong;

/** Valid resources for tests, each with identifiers unique to the test run. */
public final class FhirFixtures {

    private static final AtomicLong SEQ = new AtomicLong(System.nanoTime() % 1_000_000_000L);

    private FhirFixtures() {
    }

    /** A fresh value for a source-system identifier. */
    public static String uniqueId(String prefix) {
        return prefix + "-" + SEQ.incrementAndGet();
    }

    /** A valid NHS number (modulus-11) in the 999 test range, different on each call. */
    public static String nhsNumber() {
        while (true) {
            long n = 999_000_000L + (SEQ.incrementAndGet() * 7919L) % 1_000_000L;
            var nhs = org.childrensgateway.mappers.transform.NhsNumber.withCheckDigit(Long.toString(n));
            if (nhs.isPresent()) {
                return nhs.get();
            }
        }
    }

    public static String patient(String sourceId, String nhs, String family, String given, String birthDate, String gender,
                                 String postcode) {
        String nhsIdentifier = nhs == null ? "" : """
                {"system": "https://fhir.nhs.uk/Id/nhs-number", "value": "%s"},""".formatted(nhs);
        return """
                {"resourceType": "Patient",
                 "identifier": [%s {"system": "https://fhir.childrens-gateway.uk/Id/test/client", "value": "%s"}],
                 "name": [{"family": "%s", "given": ["%s"]}],
                 "gender": "%s",
                 "birthDate": "%s",
                 "address": [{"line": ["1 Test Street"], "postalCode": "%s"}]}
                """.formatted(nhsIdentifier, sourceId, family, given, gender, birthDate, postcode);
    }

    public static String observation(String patientRef, String code, String date, double kg) {
        return """
                {"resourceType": "Observation", "status": "final",
                 "category": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/observation-category", "code": "vital-signs"}]}],
                 "code": {"coding": [{"system": "http://snomed.info/sct", "code": "%s", "display": "Body weight"}]},
                 "subject": {"reference": "%s"},
                 "effectiveDateTime": "%s",
                 "valueQuantity": {"value": %s, "unit": "kg", "system": "http://unitsofmeasure.org", "code": "kg"}}
                """.formatted(code, patientRef, date, kg);
    }

    /**
     * A Consent recorded for a patient: {@code type} permit or deny, naming the consent scopes
     * (kinds of team: HV, GP, CC, EY ...) as recipients, with an optional end (review) date.
     */
    public static String consent(String patient, String status, String type, String date, String end, java.util.List<String> scopes) {
        StringBuilder actors = new StringBuilder();
        for (String scope : scopes) {
            if (!actors.isEmpty()) {
                actors.append(",");
            }
            actors.append("""
                    {"role": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v3-ParticipationType", "code": "IRCP"}]},
                     "reference": {"identifier": {"system": "https://fhir.childrens-gateway.uk/CodeSystem/consent-scope", "value": "%s"}}}
                    """.formatted(scope));
        }
        String period = end == null ? "{\"start\": \"" + date + "\"}" : "{\"start\": \"" + date + "\", \"end\": \"" + end + "\"}";
        return """
                {"resourceType": "Consent", "status": "%s",
                 "scope": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/consentscope", "code": "patient-privacy"}]},
                 "category": [{"coding": [{"system": "http://loinc.org", "code": "59284-0"}]}],
                 "patient": {"reference": "Patient/%s"}, "dateTime": "%s",
                 "policyRule": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "%s"}]},
                 "provision": {"type": "%s", "period": %s, "actor": [%s]}}
                """.formatted(status, patient, date, type.equals("permit") ? "OPTIN" : "OPTOUT", type, period, actors);
    }

    /** A Patient from {@link #patient} labelled restricted (confidentiality R): its address stays with its recorder. */
    public static String restricted(String patientJson) {
        return patientJson.replace("{\"resourceType\": \"Patient\",", "{\"resourceType\": \"Patient\", \"meta\": {\"security\": "
                + "[{\"system\": \"http://terminology.hl7.org/CodeSystem/v3-Confidentiality\", \"code\": \"R\"}]},");
    }
}
