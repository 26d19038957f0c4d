package org.childrensgateway.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.childrensgateway.search.SearchFixtures.CLIENT_SYSTEM;
import static org.childrensgateway.search.SearchFixtures.patient;

import org.childrensgateway.fhir.FhirFixtures;
import org.junit.jupiter.api.Test;

/**
 * The defects found by comparing the gateway query by query with HAPI FHIR JPA on the same data
 * (issue 15). Each test failed before its fix.
 */
class SearchParityTest extends SearchTestBase {

    private static final String OBS_ID = "https://fhir.childrens-gateway.uk/Id/test/observation";

    @Test
    void anUntypedChainSearchesTheTypesTheReferenceMayPointAt() {
        String name = "Chainford " + FhirFixtures.uniqueId("Trust").replace("-", "");
        String org = create("Organization", """
                {"resourceType": "Organization", "active": true, "name": "%s",
                 "identifier": [{"system": "https://fhir.nhs.uk/Id/ods-organization-code", "value": "%s"}]}"""
                .formatted(name, FhirFixtures.uniqueId("ODS")));
        String childValue = FhirFixtures.uniqueId("PRV");
        String child = create("Patient", patient("Chain", "Prov", "2022-02-02", "female", "NP4 6AB", CLIENT_SYSTEM + "|" + childValue));
        String episode = create("EpisodeOfCare", """
                {"resourceType": "EpisodeOfCare", "status": "active", "patient": {"reference": "Patient/%s"},
                 "managingOrganization": {"reference": "Organization/%s"}}""".formatted(child, org));
        String obsValue = FhirFixtures.uniqueId("OBS");
        String obs = create("Observation", SearchFixtures.observation("Patient/" + child, "27113001", "vital-signs", "2024-03-01")
                .replace("{\"resourceType\": \"Observation\",",
                        "{\"resourceType\": \"Observation\", \"identifier\": [{\"system\": \"" + OBS_ID + "\", \"value\": \"" + obsValue + "\"}],"));
        String provenance = create("Provenance", """
                {"resourceType": "Provenance", "target": [{"reference": "Observation/%s"}], "recorded": "2024-03-01T10:00:00Z",
                 "agent": [{"who": {"reference": "Organization/%s"}}]}""".formatted(obs, org));
        String ofPatient = create("Provenance", """
                {"resourceType": "Provenance", "target": [{"reference": "Patient/%s"}], "recorded": "2024-03-01T10:00:00Z",
                 "agent": [{"who": {"reference": "Organization/%s"}}]}""".formatted(child, org));

        // organization refers to Organizations only: the chain searches Organization.name, not Patient's.
        assertThat(matches("EpisodeOfCare", "organization.name", name)).containsExactly(episode);
        assertThat(matches("EpisodeOfCare", "organization.name", name + "x")).isEmpty();
        // target may refer to anything: every type with an identifier parameter is searched.
        assertThat(matches("Provenance", "target.identifier", OBS_ID + "|" + obsValue)).containsExactly(provenance);
        assertThat(matches("Provenance", "target.identifier", CLIENT_SYSTEM + "|" + childValue)).containsExactly(ofPatient);
        assertThat(matches("Provenance", "target:Observation.identifier", OBS_ID + "|" + obsValue)).containsExactly(provenance);
        assertThat(matches("Provenance", "target:Patient.identifier", OBS_ID + "|" + obsValue)).isEmpty();
        // No type the reference may point at has the chained parameter: an unknown parameter, as FHIR says.
        assertThat(outcome(get("Provenance", "target.colour", "red"), 400)).contains("target.colour");
        assertThat(outcome(get("EpisodeOfCare", "organization:Patient.name", "x"), 400)).contains("Organization");
    }

    @Test
    void anotherServersAbsoluteReferenceDoesNotMatchLocalData() {
        String child = create("Patient", patient("Abs", "Olute", "2022-02-02", "female", "NP4 6AB",
                CLIENT_SYSTEM + "|" + FhirFixtures.uniqueId("ABS")));
        String obs = create("Observation", SearchFixtures.observation("Patient/" + child, "27113001", "vital-signs", "2024-03-01"));

        assertThat(matches("Observation", "subject", "https://other.example/fhir/Patient/" + child)).isEmpty();
        assertThat(matches("Observation", "patient", "https://other.example/fhir/Patient/" + child)).isEmpty();
        assertThat(matches("Observation", "subject", "Patient/" + child)).containsExactly(obs);
        // This server's own base, absolute, is the same local reference.
        assertThat(matches("Observation", "subject", baseUrl() + "/Patient/" + child)).containsExactly(obs);
        assertThat(matches("Observation", "patient", baseUrl() + "/Patient/" + child)).containsExactly(obs);
    }

    @Test
    void aPostcodeContainsAPartWrittenWithItsSpace() {
        String value = FhirFixtures.uniqueId("PC");
        String leeds = create("Patient", patient("Postcode", "Leeds", "2022-02-02", "female", "LS14 6AB", CLIENT_SYSTEM + "|" + value));
        String other = create("Patient", patient("Postcode", "Other", "2022-02-02", "female", "LS1 4AB", CLIENT_SYSTEM + "|" + value + "b"));
        String scope = ids(leeds, other);

        assertThat(matches("Patient", "_id", scope, "address-postalcode:contains", "4 6")).containsExactly(leeds);
        assertThat(matches("Patient", "_id", scope, "address-postalcode:contains", "S14 6A")).containsExactly(leeds);
        assertThat(matches("Patient", "_id", scope, "address-postalcode:contains", "46")).containsExactly(leeds);
        assertThat(matches("Patient", "_id", scope, "address-postalcode:contains", "14")).containsExactlyInAnyOrder(leeds, other);
        assertThat(matches("Patient", "_id", scope, "address-postalcode", "LS14 6")).containsExactly(leeds);
    }

    @Test
    void descendingSortOnARepeatingElementUsesItsLargestValue() {
        String family = FhirFixtures.uniqueId("Sortes").replace("-", "");
        // Aled Zac: smallest given name "aled", largest "zac". Bryn: only "bryn".
        String aledZac = create("Patient", """
                {"resourceType": "Patient", "name": [{"family": "%s", "given": ["Aled", "Zac"]}], "gender": "male", "birthDate": "2022-01-01"}"""
                .formatted(family));
        String bryn = create("Patient", """
                {"resourceType": "Patient", "name": [{"family": "%s", "given": ["Bryn"]}], "gender": "male", "birthDate": "2022-01-01"}"""
                .formatted(family));

        assertThat(matches("Patient", "family:exact", family, "_sort", "given")).containsExactly(aledZac, bryn);
        assertThat(matches("Patient", "family:exact", family, "_sort", "-given")).containsExactly(aledZac, bryn);
    }

    @Test
    void aDateToTheMinuteIsThatMinute() {
        String child = create("Patient", patient("Minute", "Hand", "2022-02-02", "female", "NP4 6AB",
                CLIENT_SYSTEM + "|" + FhirFixtures.uniqueId("MIN")));
        String early = create("Observation", SearchFixtures.observation("Patient/" + child, "27113001", "vital-signs", "2024-03-01T09:59:30Z"));
        String late = create("Observation", SearchFixtures.observation("Patient/" + child, "27113001", "vital-signs", "2024-03-01T10:00:30Z"));

        // The FHIR search page's own form: no seconds (and no zone: the server's, UTC on 1 March in London too).
        assertThat(matches("Observation", "patient", child, "date", "lt2024-03-01T10:00")).containsExactly(early);
        assertThat(matches("Observation", "patient", child, "date", "2024-03-01T10:00")).containsExactly(late);
        assertThat(matches("Observation", "patient", child, "date", "ge2024-03-01T10:00")).containsExactly(late);
        assertThat(matches("Observation", "patient", child, "date", "gt2024-03-01T09:59")).containsExactly(late);
        assertThat(matches("Observation", "patient", child, "date", "le2024-03-01T09:59Z")).containsExactly(early);
        assertThat(matches("Observation", "patient", child, "date", "eq2024-03-01T10:00+00:00")).containsExactly(late);
        assertThat(matches("Observation", "patient", child, "date", "2024-03-01T11:00+01:00")).containsExactly(late);
        assertThat(outcome(get("Observation", "patient", child, "date", "lt2024-03-01T10"), 400)).contains("lt2024-03-01T10");
    }

    @Test
    void aModifierAfterAChainAppliesToTheChainedParameter() {
        String family = FhirFixtures.uniqueId("Chainmod").replace("-", "");
        String exact = create("Patient", patient(family, "Exact", "2022-02-02", "female", "NP4 6AB", CLIENT_SYSTEM + "|" + FhirFixtures.uniqueId("CM")));
        String longer = create("Patient", patient(family + "son", "Longer", "2022-02-02", "female", "NP4 6AB",
                CLIENT_SYSTEM + "|" + FhirFixtures.uniqueId("CM")));
        String a = create("Observation", SearchFixtures.observation("Patient/" + exact, "27113001", "vital-signs", "2024-03-01"));
        String b = create("Observation", SearchFixtures.observation("Patient/" + longer, "27113001", "vital-signs", "2024-03-01"));

        assertThat(matches("Observation", "patient.family", family)).containsExactlyInAnyOrder(a, b);
        assertThat(matches("Observation", "patient.family:exact", family)).containsExactly(a);
        assertThat(matches("Observation", "subject:Patient.family:exact", family)).containsExactly(a);
        assertThat(matches("Observation", "patient.family:contains", family.substring(3) + "so")).containsExactly(b);
        assertThat(outcome(get("Observation", "patient.family:missing", "true"), 400)).contains("missing");
        assertThat(outcome(get("Observation", "patient.family:sounds", "x"), 400)).contains("sounds");
    }
}
