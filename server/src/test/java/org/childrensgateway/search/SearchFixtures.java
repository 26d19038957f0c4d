package org.childrensgateway.search;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Profile-valid resources for search tests, each built around the values a search looks for.
 * Identifiers are written {@code system|value}, or {@code |value} for one with no system.
 */
final class SearchFixtures {

    static final String CLIENT_SYSTEM = "https://fhir.childrens-gateway.uk/Id/test/client";
    static final String OTHER_SYSTEM = "https://fhir.childrens-gateway.uk/Id/test/other";
    static final String SNOMED = "http://snomed.info/sct";
    static final String LOINC = "http://loinc.org";
    static final String OBS_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category";
    static final String CAREPLAN_CATEGORY = "https://fhir.childrens-gateway.uk/CodeSystem/test-careplan-category";

    private SearchFixtures() {
    }

    static String patient(String family, String given, String birthDate, String gender, String postcode, String... identifiers) {
        return """
                {"resourceType": "Patient",
                 "identifier": [%s],
                 "name": [{"family": "%s", "given": ["%s"]}],
                 "gender": "%s",
                 "birthDate": "%s",
                 "address": [{"line": ["1 Test Street"], "postalCode": "%s"}]}
                """.formatted(identifiers(identifiers), family, given, gender, birthDate, postcode);
    }

    static String relatedPerson(String patientId, String identifier) {
        return """
                {"resourceType": "RelatedPerson", "active": true,
                 "identifier": [%s],
                 "patient": {"reference": "Patient/%s"},
                 "relationship": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v3-RoleCode", "code": "MTH", "display": "mother"}]}],
                 "name": [{"family": "Carer", "given": ["Test"]}]}
                """.formatted(identifiers(identifier), patientId);
    }

    /** {@code category} is a LOINC consent category code, e.g. 59284-0 or 64292-6. */
    static String consent(String patientId, String status, String category, String dateTime) {
        return """
                {"resourceType": "Consent", "status": "%s",
                 "scope": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/consentscope", "code": "patient-privacy"}]},
                 "category": [{"coding": [{"system": "http://loinc.org", "code": "%s"}]}],
                 "patient": {"reference": "Patient/%s"},
                 "dateTime": "%s",
                 "policyRule": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "OPTIN"}]}}
                """.formatted(status, category, patientId, dateTime);
    }

    /** {@code subject} is a reference such as {@code Patient/123}; category an observation-category code. */
    static String observation(String subject, String snomedCode, String category, String effective) {
        return """
                {"resourceType": "Observation", "status": "final",
                 "category": [{"coding": [{"system": "%s", "code": "%s"}]}],
                 "code": {"coding": [{"system": "%s", "code": "%s"}]},
                 "subject": {"reference": "%s"},
                 "effectiveDateTime": "%s",
                 "valueQuantity": {"value": 12.5, "unit": "kg", "system": "http://unitsofmeasure.org", "code": "kg"}}
                """.formatted(OBS_CATEGORY, category, SNOMED, snomedCode, subject, effective);
    }

    /** {@code end} may be null for an open-ended plan. */
    static String carePlan(String patientId, String status, String category, String start, String end) {
        String period = end == null ? "{\"start\": \"%s\"}".formatted(start) : "{\"start\": \"%s\", \"end\": \"%s\"}".formatted(start, end);
        return """
                {"resourceType": "CarePlan", "status": "%s", "intent": "plan",
                 "category": [{"coding": [{"system": "%s", "code": "%s"}]}],
                 "subject": {"reference": "Patient/%s"},
                 "period": %s}
                """.formatted(status, CAREPLAN_CATEGORY, category, patientId, period);
    }

    private static String identifiers(String... identifiers) {
        return Arrays.stream(identifiers).map(SearchFixtures::identifier).collect(Collectors.joining(", "));
    }

    private static String identifier(String token) {
        int bar = token.indexOf('|');
        String system = token.substring(0, bar);
        String value = token.substring(bar + 1);
        return system.isEmpty()
                ? "{\"value\": \"%s\"}".formatted(value)
                : "{\"system\": \"%s\", \"value\": \"%s\"}".formatted(system, value);
    }
}
