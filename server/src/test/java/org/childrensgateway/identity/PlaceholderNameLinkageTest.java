package org.childrensgateway.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.path.json.JsonPath;
import java.util.List;
import org.childrensgateway.GatewayTestBase;
import org.childrensgateway.fhir.FhirFixtures;
import org.junit.jupiter.api.Test;

/**
 * A newborn registered as "Baby of …" beside the centre's Amelia at the same address and date of
 * birth: the placeholder is no name evidence, so it is neither a different given name (which the
 * twins guard used to penalise, so the pair never even reached review) nor enough to link on (newborn
 * twins look identical without names): a review task. When RiO sends the real name, the record is
 * matched again and joins, and the child record carries the name.
 */
class PlaceholderNameLinkageTest extends GatewayTestBase {

    private static final String RIO_HEADER = "ClientID,NHSNumber,NHSNumberStatus,Surname,Forenames,PreferredName,DateOfBirth,GenderCode,"
            + "AddressLine1,AddressLine2,AddressLine3,AddressLine4,Postcode,GPPracticeCode,EthnicCategory,DateOfDeath,LastUpdated\n";
    private static final String CENTRE_HEADER = "CentreCode,FamilyRef,ChildRef,ChildForename,ChildSurname,ChildDOB,ChildGender,"
            + "ChildNHSNumber,Carer1Forename,Carer1Surname,Carer1Relationship,Carer1Phone,Carer1Email,AddressLine1,AddressLine2,Town,"
            + "Postcode,RegistrationDate,ConsentShareHealth,ConsentShareScope,ConsentDate,ConsentReviewDue,ConsentWithdrawnDate\n";

    @Test
    void aPlaceholderForenameGoesToReviewAndTheRealNameThenLinks() {
        String family = ChildRecordConstraintTest.uniqueFamily();
        String rioId = FhirFixtures.uniqueId("RIOB");
        String centreId = FhirFixtures.uniqueId("CB");
        String nhs = FhirFixtures.nhsNumber();
        centre("CC-TORFAEN-01,F-" + centreId + "," + centreId + ",Amelia," + family + ",09/10/2025,Female,,Cerys," + family
                + ",Mother,07700900444,,22 Heol Gwyn,,Pontypool,NP4 6XY,01/11/2025,N,,01/11/2025,,");
        rio(rioId + "," + nhs + ",01," + family + ",Baby of " + family + ",,09/10/2025,2,22 Heol Gwyn,,Pontypool,,NP4 6XY,M85001,A,,"
                + "03/11/2026 22:10:00");
        String child = childBy(ChildRecordConstraintTest.CENTRE + "|" + centreId);
        String baby = sourceBy(ChildRecordConstraintTest.RIO + "|" + rioId);
        assertThat(childBy(ChildRecordConstraintTest.RIO + "|" + rioId)).as("no name: not linked on demographics").isNotEqualTo(child);
        List<String> reasons = asClient("data-quality").get("/identity/children/" + child).then().statusCode(200).extract().jsonPath()
                .getList("reviews.findAll { it.sourceId == '" + baby + "' && it.status == 'open' }.reason", String.class);
        assertThat(reasons).as("a review task for the placeholder-named record").hasSize(1);
        assertThat(reasons.get(0)).contains("placeholder");

        rio(rioId + "," + nhs + ",01," + family + ",Amelia,,09/10/2025,2,22 Heol Gwyn,,Pontypool,,NP4 6XY,M85001,A,,03/11/2026 22:20:00");
        assertThat(childBy(ChildRecordConstraintTest.RIO + "|" + rioId)).as("the real name arrives: one child").isEqualTo(child);
        JsonPath read = viewAll().get("/Patient/" + child).then().statusCode(200).extract().jsonPath();
        List<String> given = read.getList("name.given.flatten()", String.class);
        assertThat(given).contains("Amelia").doesNotContain("Baby");
    }

    private String sourceBy(String identifier) {
        JsonPath found = viewAll().get("/Patient?identifier=" + identifier
                + "&_tag:not=https://fhir.childrens-gateway.uk/CodeSystem/record-kind|").then().statusCode(200).extract().jsonPath();
        assertThat(found.getInt("total")).isEqualTo(1);
        return found.getString("entry[0].resource.id");
    }

    private void rio(String row) {
        asFeed("rio").contentType("text/csv").body(RIO_HEADER + row + "\n").post("/ingest/rio/clients").then().statusCode(200)
                .body("quarantined", org.hamcrest.Matchers.equalTo(0));
    }

    private void centre(String row) {
        asFeed("childrens-centre").contentType("text/csv").body(CENTRE_HEADER + row + "\n").post("/ingest/childrens-centre/registrations")
                .then().statusCode(200).body("quarantined", org.hamcrest.Matchers.equalTo(0));
    }

    private io.restassured.specification.RequestSpecification viewAll() {
        return fhir().header("Authorization", "Bearer " + tokenFor("systmone-gp"))
                .header("X-Break-Glass-Reason", "linkage test: whole child record");
    }

    private String childBy(String identifier) {
        JsonPath found = viewAll().get("/Patient?identifier=" + identifier + "&_tag=" + IdentitySampleTest.CHILD_TAG).then()
                .statusCode(200).extract().jsonPath();
        assertThat(found.getInt("total")).as("child records for " + identifier).isEqualTo(1);
        return found.getString("entry[0].resource.id");
    }
}
