package org.childrensgateway.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.childrensgateway.search.SearchFixtures.CAREPLAN_CATEGORY;
import static org.childrensgateway.search.SearchFixtures.CLIENT_SYSTEM;
import static org.childrensgateway.search.SearchFixtures.LOINC;
import static org.childrensgateway.search.SearchFixtures.OBS_CATEGORY;
import static org.childrensgateway.search.SearchFixtures.SNOMED;
import static org.childrensgateway.search.SearchFixtures.carePlan;
import static org.childrensgateway.search.SearchFixtures.consent;
import static org.childrensgateway.search.SearchFixtures.observation;
import static org.childrensgateway.search.SearchFixtures.patient;
import static org.childrensgateway.search.SearchFixtures.relatedPerson;

import org.childrensgateway.fhir.FhirFixtures;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** RelatedPerson, Consent, Observation and CarePlan search parameters, scoped to this test's patients. */
class ClinicalSearchTest extends SearchTestBase {

    private static final String WEIGHT = "27113001";
    // Not a vital-sign code: R4 makes a height (50373000) a vital sign that must meet bodyheight (cm, LOINC 8302-2).
    private static final String EXAM = "386053000";

    private String child;
    private String sibling;

    @BeforeEach
    void twoPatients() {
        child = create("Patient", patient("Clinical", "Child", "2022-02-02", "female", "NP4 6AB",
                CLIENT_SYSTEM + "|" + FhirFixtures.uniqueId("CL")));
        sibling = create("Patient", patient("Clinical", "Sibling", "2020-02-02", "male", "NP4 6AB",
                CLIENT_SYSTEM + "|" + FhirFixtures.uniqueId("CL")));
    }

    @Test
    void relatedPersonByPatientAndIdentifier() {
        String rpId = FhirFixtures.uniqueId("RP");
        String mother = create("RelatedPerson", relatedPerson(child, CLIENT_SYSTEM + "|" + rpId));
        String other = create("RelatedPerson", relatedPerson(sibling, CLIENT_SYSTEM + "|" + rpId + "9"));

        assertThat(matches("RelatedPerson", "patient", "Patient/" + child)).containsExactly(mother);
        assertThat(matches("RelatedPerson", "patient", child)).containsExactly(mother);
        assertThat(matches("RelatedPerson", "patient", sibling)).containsExactly(other);
        assertThat(matches("RelatedPerson", "patient", "Patient/" + child + "x")).isEmpty();
        assertThat(matches("RelatedPerson", "identifier", CLIENT_SYSTEM + "|" + rpId)).containsExactly(mother);
        assertThat(matches("RelatedPerson", "identifier", rpId)).containsExactly(mother);
        assertThat(matches("RelatedPerson", "identifier", SearchFixtures.OTHER_SYSTEM + "|" + rpId)).isEmpty();
    }

    @Test
    void consentByPatientStatusCategoryAndDate() {
        String active = create("Consent", consent(child, "active", "59284-0", "2023-05-14T10:00:00Z"));
        String inactive = create("Consent", consent(child, "inactive", "64292-6", "2024-02-01T09:30:00Z"));
        String siblings = create("Consent", consent(sibling, "active", "59284-0", "2023-05-14T10:00:00Z"));

        assertThat(matches("Consent", "patient", child)).containsExactlyInAnyOrder(active, inactive);
        assertThat(matches("Consent", "patient", "Patient/" + sibling)).containsExactly(siblings);
        assertThat(matches("Consent", "patient", child, "status", "active")).containsExactly(active);
        assertThat(matches("Consent", "patient", child, "status", "inactive")).containsExactly(inactive);
        assertThat(matches("Consent", "patient", child, "status", "rejected")).isEmpty();
        assertThat(matches("Consent", "patient", child, "status", "http://hl7.org/fhir/consent-state-codes|active")).containsExactly(active);
        assertThat(matches("Consent", "patient", child, "category", LOINC + "|59284-0")).containsExactly(active);
        assertThat(matches("Consent", "patient", child, "category", "64292-6")).containsExactly(inactive);
        assertThat(matches("Consent", "patient", child, "category", SNOMED + "|59284-0")).isEmpty();
        assertThat(matches("Consent", "patient", child, "date", "2023")).containsExactly(active);
        assertThat(matches("Consent", "patient", child, "date", "2023-05-14")).containsExactly(active);
        assertThat(matches("Consent", "patient", child, "date", "2023-05-15")).isEmpty();
        assertThat(matches("Consent", "patient", child, "date", "ge2024-01-01")).containsExactly(inactive);
        assertThat(matches("Consent", "patient", child, "date", "lt2024")).containsExactly(active);
    }

    @Test
    void observationBySubjectPatientCodeCategoryAndDate() {
        String weight = create("Observation", observation("Patient/" + child, WEIGHT, "vital-signs", "2023-05-14T10:00:00Z"));
        String height = create("Observation", observation("Patient/" + child, EXAM, "exam", "2023-07-01T09:00:00+01:00"));
        String siblings = create("Observation", observation("Patient/" + sibling, WEIGHT, "vital-signs", "2023-05-14T10:00:00Z"));

        assertThat(matches("Observation", "subject", "Patient/" + child)).containsExactlyInAnyOrder(weight, height);
        assertThat(matches("Observation", "subject:Patient", child)).containsExactlyInAnyOrder(weight, height);
        assertThat(matches("Observation", "subject", "Patient/" + sibling)).containsExactly(siblings);
        assertThat(matches("Observation", "patient", child)).containsExactlyInAnyOrder(weight, height);
        assertThat(matches("Observation", "patient", "Patient/" + sibling)).containsExactly(siblings);
        assertThat(matches("Observation", "patient", child, "code", SNOMED + "|" + WEIGHT)).containsExactly(weight);
        assertThat(matches("Observation", "patient", child, "code", EXAM)).containsExactly(height);
        assertThat(matches("Observation", "patient", child, "code", LOINC + "|" + WEIGHT)).isEmpty();
        assertThat(matches("Observation", "patient", child, "category", OBS_CATEGORY + "|vital-signs")).containsExactly(weight);
        assertThat(matches("Observation", "patient", child, "category", "exam")).containsExactly(height);
        assertThat(matches("Observation", "patient", child, "category", "laboratory")).isEmpty();
        assertThat(matches("Observation", "patient", child, "date", "2023-05-14")).containsExactly(weight);
        assertThat(matches("Observation", "patient", child, "date", "2023-05")).containsExactly(weight);
        assertThat(matches("Observation", "patient", child, "date", "2023-05-13")).isEmpty();
        // 09:00+01:00 is 08:00Z on 1 July
        assertThat(matches("Observation", "patient", child, "date", "gt2023-06-30")).containsExactly(height);
        assertThat(matches("Observation", "patient", child, "date", "lt2023-07-01T08:30:00Z")).containsExactlyInAnyOrder(weight, height);
        assertThat(matches("Observation", "patient", child, "date", "ge2023-07-01T08:30:00Z")).isEmpty();
        assertThat(matches("Observation", "patient", child, "date", "lt2023-07-01T09:30:00+01:00")).containsExactlyInAnyOrder(weight, height);
        assertThat(matches("Observation", "patient", child, "date", "ge2023-07-01T09:30:00+01:00")).isEmpty();
        assertThat(matches("Observation", "patient", child, "date", "ge2023-07-01T08:59:00+01:00")).containsExactly(height);
    }

    @Test
    void patientParameterOnlyFollowsReferencesToPatients() {
        // subject may be a Group; "patient" must not match a non-Patient subject that happens to share the id.
        String groupSubject = create("Observation", observation("Group/" + child, WEIGHT, "vital-signs", "2023-05-14T10:00:00Z"));
        String patientSubject = create("Observation", observation("Patient/" + child, WEIGHT, "vital-signs", "2023-05-14T10:00:00Z"));

        assertThat(matches("Observation", "subject", "Group/" + child)).containsExactly(groupSubject);
        assertThat(matches("Observation", "patient", child)).containsExactly(patientSubject);
        assertThat(matches("Observation", "subject", child)).containsExactlyInAnyOrder(groupSubject, patientSubject);
    }

    @Test
    void carePlanBySubjectPatientStatusCategoryAndPeriod() {
        String firstHalf2023 = create("CarePlan", carePlan(child, "active", "health-visiting", "2023-01-01", "2023-06-30"));
        String during2022 = create("CarePlan", carePlan(child, "completed", "early-help", "2022-01-01", "2022-12-31"));
        String openEnded = create("CarePlan", carePlan(child, "active", "early-help", "2023-09-01", null));
        String siblings = create("CarePlan", carePlan(sibling, "active", "health-visiting", "2023-01-01", "2023-06-30"));

        assertThat(matches("CarePlan", "subject", "Patient/" + child)).containsExactlyInAnyOrder(firstHalf2023, during2022, openEnded);
        assertThat(matches("CarePlan", "patient", sibling)).containsExactly(siblings);
        assertThat(matches("CarePlan", "patient", child, "status", "active")).containsExactlyInAnyOrder(firstHalf2023, openEnded);
        assertThat(matches("CarePlan", "patient", child, "status", "completed")).containsExactly(during2022);
        assertThat(matches("CarePlan", "patient", child, "status", "revoked")).isEmpty();
        assertThat(matches("CarePlan", "patient", child, "status", "http://hl7.org/fhir/request-status|completed")).containsExactly(during2022);
        assertThat(matches("CarePlan", "patient", child, "category", CAREPLAN_CATEGORY + "|health-visiting")).containsExactly(firstHalf2023);
        assertThat(matches("CarePlan", "patient", child, "category", "early-help")).containsExactlyInAnyOrder(during2022, openEnded);
        assertThat(matches("CarePlan", "patient", child, "category", "assessment")).isEmpty();

        // Periods overlapping June 2023: starts before its end and ends after its start.
        assertThat(matches("CarePlan", "patient", child, "date", "ge2023-06-01", "date", "le2023-06-30"))
                .containsExactly(firstHalf2023);
        // Overlapping October 2023 and far in the future: only the open-ended plan.
        assertThat(matches("CarePlan", "patient", child, "date", "ge2023-10-01", "date", "le2023-10-31"))
                .containsExactly(openEnded);
        assertThat(matches("CarePlan", "patient", child, "date", "ge2030-01-01")).containsExactly(openEnded);
        // Overlapping the gap between the plans: none.
        assertThat(matches("CarePlan", "patient", child, "date", "ge2023-07-01", "date", "le2023-08-31")).isEmpty();
        // eq: the period lies wholly within the searched range.
        assertThat(matches("CarePlan", "patient", child, "date", "2022")).containsExactly(during2022);
        assertThat(matches("CarePlan", "patient", child, "date", "2023")).containsExactly(firstHalf2023);
        assertThat(matches("CarePlan", "patient", child, "date", "2023-06")).isEmpty();
        assertThat(matches("CarePlan", "patient", child, "date", "lt2023-01-01")).containsExactly(during2022);
    }
}
