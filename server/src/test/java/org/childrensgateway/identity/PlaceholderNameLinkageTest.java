package org.childrensgateway.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.path.json.JsonPath;
import java.util.List;
import org.childrensgateway.GatewayTestBase;
import org.childrensgateway.fhir.FhirFixtures;
import org.junit.jupiter.api.Test;

/**
 * A newborn registered as "Baby" is the same child as the centre's Amelia at the same address with
 * the same date of birth: the placeholder is no name evidence (it used to count as a different
 * given name in one household, the twins guard, so the two never met). When RiO sends the real
 * name, the record keeps its link and the child record carries the name.
 */
class PlaceholderNameLinkageTest extends GatewayTestBase {

    private static final String RIO_HEADER = "ClientID,NHSNumber,NHSNumberStatus,Surname,Forenames,PreferredName,DateOfBirth,GenderCode,"
            + "AddressLine1,AddressLine2,AddressLine3,AddressLine4,Postcode,GPPracticeCode,EthnicCategory,DateOfDeath,LastUpdated\n";
    private static final String CENTRE_HEADER = "CentreCode,FamilyRef,ChildRef,ChildForename,ChildSurname,ChildDOB,ChildGender,"
            + "ChildNHSNumber,Carer1Forename,Carer1Surname,Carer1Relationship,Carer1Phone,Carer1Email,AddressLine1,AddressLine2,Town,"
            + "Postcode,RegistrationDate,ConsentShareHealth,ConsentShareScope,ConsentDate,ConsentReviewDue,ConsentWithdrawnDate\n";

    @Test
    void aPlaceholderForenameIsNoEvidenceAndTheRealNameReplacesIt() {
        String family = ChildRecordConstraintTest.uniqueFamily();
        String rioId = FhirFixtures.uniqueId("RIOB");
        String centreId = FhirFixtures.uniqueId("CB");
        String nhs = FhirFixtures.nhsNumber();
        centre("CC-TORFAEN-01,F-" + centreId + "," + centreId + ",Amelia," + family + ",09/10/2025,Female,,Cerys," + family
                + ",Mother,07700900444,,22 Heol Gwyn,,Pontypool,NP4 6XY,01/11/2025,N,,01/11/2025,,");
        rio(rioId + "," + nhs + ",01," + family + ",Baby of " + family + ",,09/10/2025,2,22 Heol Gwyn,,Pontypool,,NP4 6XY,M85001,A,,"
                + "03/11/2026 22:10:00");
        String child = childBy(ChildRecordConstraintTest.CENTRE + "|" + centreId);
        assertThat(childBy(ChildRecordConstraintTest.RIO + "|" + rioId)).as("Baby and Amelia are one child").isEqualTo(child);

        rio(rioId + "," + nhs + ",01," + family + ",Amelia,,09/10/2025,2,22 Heol Gwyn,,Pontypool,,NP4 6XY,M85001,A,,03/11/2026 22:20:00");
        assertThat(childBy(ChildRecordConstraintTest.RIO + "|" + rioId)).as("the record keeps its link").isEqualTo(child);
        JsonPath read = viewAll().get("/Patient/" + child).then().statusCode(200).extract().jsonPath();
        List<String> given = read.getList("name.given.flatten()", String.class);
        assertThat(given).contains("Amelia").doesNotContain("Baby of " + family);
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
