package org.childrensgateway.fhir;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The benchmark's child as one transaction by RiO: Patient (with RiO's client identifier),
 * RelatedPerson, a Consent granting the GP and the health visitors, four Observations and a
 * CarePlan. The data of the read mix, for tests that look at what it reads.
 */
public final class BenchChild {

    public static final String RIO_CLIENT = "https://fhir.childrens-gateway.uk/Id/rio/RX9/client";
    private static final String SCOPE = "https://fhir.childrens-gateway.uk/CodeSystem/consent-scope";

    private BenchChild() {
    }

    /** The transaction Bundle for a child with RiO client id {@code clientId}; its first entry is the Patient. */
    public static String transaction(String clientId) {
        String p = "urn:uuid:" + UUID.randomUUID();
        String patient = FhirFixtures.patient(clientId, FhirFixtures.nhsNumber(), "Jones", "Amelia", "2022-03-14", "female", "NP4 6AB")
                .replace("\"identifier\": [", "\"identifier\": [{\"system\":\"" + RIO_CLIENT + "\",\"value\":\"" + clientId + "\"},");
        List<String[]> entries = new ArrayList<>();
        entries.add(new String[] {p, "Patient", patient});
        entries.add(new String[] {"urn:uuid:" + UUID.randomUUID(), "RelatedPerson", """
                {"resourceType":"RelatedPerson","active":true,"patient":{"reference":"%s"},\
                "relationship":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v3-RoleCode","code":"MTH","display":"mother"}]}],\
                "name":[{"family":"Jones","given":["Seren"]}],"telecom":[{"system":"phone","value":"07700 900123"}]}""".formatted(p)});
        entries.add(new String[] {"urn:uuid:" + UUID.randomUUID(), "Consent", """
                {"resourceType":"Consent","status":"active",\
                "scope":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/consentscope","code":"patient-privacy"}]},\
                "category":[{"coding":[{"system":"http://loinc.org","code":"59284-0"}]}],\
                "patient":{"reference":"%s"},"dateTime":"2025-01-15",\
                "policyRule":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v3-ActCode","code":"OPTIN"}]},\
                "provision":{"type":"permit","period":{"start":"2025-01-15","end":"2035-01-15"},"actor":[\
                {"role":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v3-ParticipationType","code":"IRCP"}]},\
                "reference":{"identifier":{"system":"%s","value":"GP"}}},\
                {"role":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v3-ParticipationType","code":"IRCP"}]},\
                "reference":{"identifier":{"system":"%s","value":"HV"}}}]}}""".formatted(p, SCOPE, SCOPE)});
        String[][] obs = {{"27113001", "29463-7", "kg", "12.5"}, {"50373000", "8302-2", "cm", "85.0"},
                {"363812007", "9843-4", "cm", "45.1"}, {"27113001", "29463-7", "kg", "13.3"}};
        int k = 0;
        for (String[] o : obs) {
            entries.add(new String[] {"urn:uuid:" + UUID.randomUUID(), "Observation", """
                    {"resourceType":"Observation","status":"final",\
                    "category":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/observation-category","code":"vital-signs"}]}],\
                    "code":{"coding":[{"system":"http://snomed.info/sct","code":"%s"},{"system":"http://loinc.org","code":"%s"}]},\
                    "subject":{"reference":"%s"},"effectiveDateTime":"2023-0%d-10T10:30:00Z",\
                    "valueQuantity":{"value":%s,"unit":"%s","system":"http://unitsofmeasure.org","code":"%s"}}"""
                    .formatted(o[0], o[1], p, 1 + k++, o[3], o[2], o[2])});
        }
        entries.add(new String[] {"urn:uuid:" + UUID.randomUUID(), "CarePlan", """
                {"resourceType":"CarePlan","status":"active","intent":"plan",\
                "category":[{"coding":[{"system":"https://fhir.childrens-gateway.uk/CodeSystem/bench-careplan-category","code":"healthy-child"}]}],\
                "subject":{"reference":"%s"},"period":{"start":"2022-06-14"}}""".formatted(p)});
        StringBuilder b = new StringBuilder("{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[");
        for (int i = 0; i < entries.size(); i++) {
            String[] e = entries.get(i);
            b.append(i == 0 ? "" : ",").append("{\"fullUrl\":\"").append(e[0]).append("\",\"resource\":").append(e[2])
                    .append(",\"request\":{\"method\":\"POST\",\"url\":\"").append(e[1]).append("\"}}");
        }
        return b.append("]}").toString();
    }
}
