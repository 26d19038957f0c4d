package org.childrensgateway.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.childrensgateway.search.SearchFixtures.CLIENT_SYSTEM;

import org.childrensgateway.fhir.FhirFixtures;
import org.hl7.fhir.r4.model.Bundle;
import org.junit.jupiter.api.Test;

/** {@code _sort}, {@code _include} and {@code _revinclude}. */
class SortAndIncludeTest extends SearchTestBase {

    private String patient(String family, String birthDate) {
        return create("Patient", SearchFixtures.patient(family, "Child", birthDate, "female", "NP4 6AB",
                CLIENT_SYSTEM + "|" + FhirFixtures.uniqueId("SI")));
    }

    private static String uniqueFamily() {
        return "Sort" + FhirFixtures.uniqueId("F").replace("-", "");
    }

    @Test
    void sortByLastUpdatedAndBirthdate() {
        String family = uniqueFamily();
        // Created in an order that differs from birth order.
        String youngest = patient(family, "2023-03-01");
        String oldest = patient(family, "2021-06-01");
        String middle = patient(family, "2022-01-01");

        assertThat(matches("Patient", "family:exact", family, "_sort", "_lastUpdated")).containsExactly(youngest, oldest, middle);
        assertThat(matches("Patient", "family:exact", family, "_sort", "-_lastUpdated")).containsExactly(middle, oldest, youngest);
        assertThat(matches("Patient", "family:exact", family, "_sort", "birthdate")).containsExactly(oldest, middle, youngest);
        assertThat(matches("Patient", "family:exact", family, "_sort", "-birthdate")).containsExactly(youngest, middle, oldest);
    }

    @Test
    void sortObservationsByDate() {
        String child = patient(uniqueFamily(), "2022-01-01");
        String third = create("Observation", SearchFixtures.observation("Patient/" + child, "27113001", "vital-signs", "2023-05-03T10:00:00Z"));
        String first = create("Observation", SearchFixtures.observation("Patient/" + child, "27113001", "vital-signs", "2023-05-01T10:00:00Z"));
        String second = create("Observation", SearchFixtures.observation("Patient/" + child, "27113001", "vital-signs", "2023-05-02T10:00:00Z"));

        assertThat(matches("Observation", "patient", child, "_sort", "date")).containsExactly(first, second, third);
        assertThat(matches("Observation", "patient", child, "_sort", "-date")).containsExactly(third, second, first);
    }

    @Test
    void sortByAnUnknownParameterIsRejected() {
        assertThat(outcome(get("Patient", "_sort", "colour"), 400)).contains("colour");
    }

    @Test
    void includeObservationSubject() {
        String child = patient(uniqueFamily(), "2022-01-01");
        String sibling = patient(uniqueFamily(), "2020-01-01");
        String mine = create("Observation", SearchFixtures.observation("Patient/" + child, "27113001", "vital-signs", "2023-05-01"));
        String theirs = create("Observation", SearchFixtures.observation("Patient/" + sibling, "27113001", "vital-signs", "2023-05-01"));

        Bundle with = bundle(get("Observation", "_id", mine, "_include", "Observation:subject"));
        assertThat(matchIds(with)).containsExactly(mine);
        assertThat(includeRefs(with)).containsExactly("Patient/" + child);
        assertThat(with.getTotal()).isEqualTo(1);

        Bundle typed = bundle(get("Observation", "_id", mine, "_include", "Observation:subject:Patient"));
        assertThat(includeRefs(typed)).containsExactly("Patient/" + child);

        Bundle without = bundle(get("Observation", "_id", mine));
        assertThat(includeRefs(without)).isEmpty();
        assertThat(without.getEntry()).hasSize(1);

        Bundle both = bundle(get("Observation", "_id", ids(mine, theirs), "_include", "Observation:subject"));
        assertThat(includeRefs(both)).containsExactlyInAnyOrder("Patient/" + child, "Patient/" + sibling);
    }

    @Test
    void revincludeObservationsCarePlansAndConsents() {
        String child = patient(uniqueFamily(), "2022-01-01");
        String sibling = patient(uniqueFamily(), "2020-01-01");
        String observation = create("Observation", SearchFixtures.observation("Patient/" + child, "27113001", "vital-signs", "2023-05-01"));
        String carePlan = create("CarePlan", SearchFixtures.carePlan(child, "active", "health-visiting", "2023-01-01", "2023-06-30"));
        String consent = create("Consent", SearchFixtures.consent(child, "active", "59284-0", "2023-05-14T10:00:00Z"));
        create("Observation", SearchFixtures.observation("Patient/" + sibling, "27113001", "vital-signs", "2023-05-01"));
        create("CarePlan", SearchFixtures.carePlan(sibling, "active", "health-visiting", "2023-01-01", "2023-06-30"));
        create("Consent", SearchFixtures.consent(sibling, "active", "59284-0", "2023-05-14T10:00:00Z"));

        Bundle obs = bundle(get("Patient", "_id", child, "_revinclude", "Observation:subject"));
        assertThat(matchIds(obs)).containsExactly(child);
        assertThat(includeRefs(obs)).containsExactly("Observation/" + observation);

        assertThat(includeRefs(bundle(get("Patient", "_id", child, "_revinclude", "CarePlan:subject"))))
                .containsExactly("CarePlan/" + carePlan);
        assertThat(includeRefs(bundle(get("Patient", "_id", child, "_revinclude", "Consent:patient"))))
                .containsExactly("Consent/" + consent);

        Bundle all = bundle(get("Patient", "_id", child, "_revinclude", "Observation:subject",
                "_revinclude", "CarePlan:subject", "_revinclude", "Consent:patient"));
        assertThat(matchIds(all)).containsExactly(child);
        assertThat(all.getTotal()).isEqualTo(1);
        assertThat(includeRefs(all)).containsExactlyInAnyOrder(
                "Observation/" + observation, "CarePlan/" + carePlan, "Consent/" + consent);

        assertThat(includeRefs(bundle(get("Patient", "_id", child)))).isEmpty();
    }
}
