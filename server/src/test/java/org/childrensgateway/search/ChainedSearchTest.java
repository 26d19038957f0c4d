package org.childrensgateway.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.childrensgateway.search.SearchFixtures.CLIENT_SYSTEM;
import static org.childrensgateway.search.SearchFixtures.OTHER_SYSTEM;
import static org.childrensgateway.search.SearchFixtures.patient;

import org.childrensgateway.fhir.FhirFixtures;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code patient.identifier=system|value}: finds resources by their patient's identifier. The near
 * miss is a second patient with the same identifier value under another system.
 */
class ChainedSearchTest extends SearchTestBase {

    private String value;
    private String child;
    private String lookalike;

    @BeforeEach
    void patientsSharingAnIdentifierValue() {
        value = FhirFixtures.uniqueId("CH");
        child = create("Patient", patient("Chain", "Child", "2022-02-02", "female", "NP4 6AB", CLIENT_SYSTEM + "|" + value));
        lookalike = create("Patient", patient("Chain", "Other", "2021-02-02", "male", "NP4 6AB", OTHER_SYSTEM + "|" + value));
    }

    private String chain() {
        return CLIENT_SYSTEM + "|" + value;
    }

    @Test
    void observation() {
        String mine = create("Observation", SearchFixtures.observation("Patient/" + child, "27113001", "vital-signs", "2023-05-14"));
        String theirs = create("Observation", SearchFixtures.observation("Patient/" + lookalike, "27113001", "vital-signs", "2023-05-14"));

        assertThat(matches("Observation", "patient.identifier", chain())).containsExactly(mine);
        assertThat(matches("Observation", "subject.identifier", chain())).containsExactly(mine);
        assertThat(matches("Observation", "subject:Patient.identifier", chain())).containsExactly(mine);
        assertThat(matches("Observation", "patient.identifier", OTHER_SYSTEM + "|" + value)).containsExactly(theirs);
        assertThat(matches("Observation", "patient.identifier", value)).containsExactlyInAnyOrder(mine, theirs);
        assertThat(matches("Observation", "patient.identifier", CLIENT_SYSTEM + "|" + value + "9")).isEmpty();
    }

    @Test
    void carePlan() {
        String mine = create("CarePlan", SearchFixtures.carePlan(child, "active", "health-visiting", "2023-01-01", "2023-06-30"));
        create("CarePlan", SearchFixtures.carePlan(lookalike, "active", "health-visiting", "2023-01-01", "2023-06-30"));

        assertThat(matches("CarePlan", "patient.identifier", chain())).containsExactly(mine);
        assertThat(matches("CarePlan", "patient.identifier", CLIENT_SYSTEM + "|" + value + "9")).isEmpty();
    }

    @Test
    void consent() {
        String mine = create("Consent", SearchFixtures.consent(child, "active", "59284-0", "2023-05-14T10:00:00Z"));
        create("Consent", SearchFixtures.consent(lookalike, "active", "59284-0", "2023-05-14T10:00:00Z"));

        assertThat(matches("Consent", "patient.identifier", chain())).containsExactly(mine);
        assertThat(matches("Consent", "patient.identifier", CLIENT_SYSTEM + "|" + value + "9")).isEmpty();
    }

    @Test
    void relatedPerson() {
        String mine = create("RelatedPerson", SearchFixtures.relatedPerson(child, CLIENT_SYSTEM + "|" + FhirFixtures.uniqueId("RP")));
        create("RelatedPerson", SearchFixtures.relatedPerson(lookalike, CLIENT_SYSTEM + "|" + FhirFixtures.uniqueId("RP")));

        assertThat(matches("RelatedPerson", "patient.identifier", chain())).containsExactly(mine);
        assertThat(matches("RelatedPerson", "patient.identifier", CLIENT_SYSTEM + "|" + value + "9")).isEmpty();
    }

    @Test
    void chainIgnoresDeletedPatients() {
        String mine = create("Observation", SearchFixtures.observation("Patient/" + child, "27113001", "vital-signs", "2023-05-14"));
        assertThat(matches("Observation", "patient.identifier", chain())).containsExactly(mine);

        fhir().delete("/Patient/" + child).then().statusCode(200);
        assertThat(matches("Observation", "patient.identifier", chain())).isEmpty();
    }
}
