package org.childrensgateway.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.path.json.JsonPath;
import java.util.List;
import java.util.Map;
import org.childrensgateway.GatewayTestBase;
import org.childrensgateway.fhir.FhirFixtures;
import org.junit.jupiter.api.Test;

/**
 * The two fusions reported in issue 14, over HTTP through the three feeds: a child record never
 * takes a record whose valid NHS number differs from one its sources already hold, however well the
 * record scores against another source of that child (one without an NHS number); the conflict goes
 * to the review queue with its evidence instead.
 */
class ChildRecordConstraintTest extends GatewayTestBase {

    static final String RIO = "https://fhir.childrens-gateway.uk/Id/rio/RX9/client";
    static final String S1 = "https://fhir.childrens-gateway.uk/Id/systmone/M85001/patient";
    static final String CENTRE = "https://fhir.childrens-gateway.uk/Id/childrens-centre/W06000020/child";
    private static final String CENTRE_HEADER = "CentreCode,FamilyRef,ChildRef,ChildForename,ChildSurname,ChildDOB,ChildGender,"
            + "ChildNHSNumber,Carer1Forename,Carer1Surname,Carer1Relationship,Carer1Phone,Carer1Email,AddressLine1,AddressLine2,Town,"
            + "Postcode,RegistrationDate,ConsentShareHealth,ConsentShareScope,ConsentDate,ConsentReviewDue,ConsentWithdrawnDate\n";
    private static final String RIO_HEADER = "ClientID,NHSNumber,NHSNumberStatus,Surname,Forenames,PreferredName,DateOfBirth,GenderCode,"
            + "AddressLine1,AddressLine2,AddressLine3,AddressLine4,Postcode,GPPracticeCode,EthnicCategory,DateOfDeath,LastUpdated\n";

    /** A surname no other test uses (letters only, so it behaves like a name). */
    static String uniqueFamily() {
        String digits = FhirFixtures.uniqueId("").substring(1);
        StringBuilder s = new StringBuilder("Cwm");
        for (char c : digits.toCharArray()) {
            s.append((char) ('a' + (c - '0')));
        }
        return s.toString();
    }

    /** Case 1: J is a RiO record plus a centre record without an NHS number; a GP record of another child names the same. */
    @Test
    void aRecordWithAnotherNhsNumberNeverJoinsAChildThroughItsSourceWithoutOne() {
        String family = uniqueFamily();
        String rioId = FhirFixtures.uniqueId("RIOJ");
        String centreId = FhirFixtures.uniqueId("CJ");
        String gpId = FhirFixtures.uniqueId("S1K");
        rio(rioId + ",9992865628,01," + family + ",Jessica,,15/03/2023,2,7 Heol y Bryn,,Pontypool,,NP4 6AB,M85001,A,,03/11/2026 22:10:00");
        centre("CC-TORFAEN-01,F-" + centreId + "," + centreId + ",Jessica," + family + ",15/03/2023,Female,,Cerys," + family
                + ",Mother,07700900555,,7 Heol-y-Bryn,,Pontypool,NP46AB,01/06/2025,N,,01/06/2025,,");
        String childJ = childBy(RIO + "|" + rioId);
        assertThat(childBy(CENTRE + "|" + centreId)).as("J's two records are one child").isEqualTo(childJ);

        // Another child, registered at the GP: same name, date of birth and sex, no address.
        systmOne("""
                <Patient id="%s">
                  <NHSNumber verified="true">9994426060</NHSNumber>
                  <Name><Forenames>Jessica</Forenames><Surname>%s</Surname></Name>
                  <DateOfBirth>2023-03-15</DateOfBirth><Sex>F</Sex>
                </Patient>""".formatted(gpId, family));

        String gpSource = sourceBy(S1 + "|" + gpId);
        assertThat(sources(childJ)).as("J's child record keeps only J's records").doesNotContain(gpSource).hasSize(2);
        assertThat(childBy(S1 + "|" + gpId)).isNotEqualTo(childJ);
        Map<String, Object> review = openReview(gpSource, childJ);
        assertThat((String) review.get("reason")).contains("different NHS number");
        assertThat(evidenceFields(review)).contains("given", "family", "birthDate", "child-record-nhs");

        // The GP sees its own child only: neither J's NHS number nor J's address.
        String gpView = fhir().header("Authorization", "Bearer " + tokenFor("systmone-gp"))
                .get("/Patient?identifier=" + S1 + "|" + gpId + "&_tag=" + IdentitySampleTest.CHILD_TAG).then().statusCode(200)
                .extract().asString();
        assertThat(gpView).contains("9994426060").doesNotContain("9992865628").doesNotContain("Heol");
    }

    /** Case 2: the centre feed first; twins with different verified NHS numbers, one twin's middle name the other's first. */
    @Test
    void twinsWithDifferentNhsNumbersAreNeverFusedWhateverTheFeedOrder() {
        String family = uniqueFamily();
        String centreA = FhirFixtures.uniqueId("CT");
        String rioA = FhirFixtures.uniqueId("RIOT");
        String gpB = FhirFixtures.uniqueId("S1T");
        centre("CC-TORFAEN-01,F-" + centreA + "," + centreA + ",Osian," + family + ",02/04/2024,Male,,Nia," + family
                + ",Mother,07700900777,,3 Maes y Dre,,Cwmbran,NP44 3DD,01/06/2025,N,,01/06/2025,,");
        rio(rioA + ",9991945792,01," + family + ",Osian,,02/04/2024,1,3 Maes y Dre,,Cwmbran,,NP44 3DD,M85001,A,,03/11/2026 22:10:00");
        String twinA = childBy(RIO + "|" + rioA);
        assertThat(childBy(CENTRE + "|" + centreA)).isEqualTo(twinA);

        systmOne("""
                <Patient id="%s">
                  <NHSNumber verified="true">9991945784</NHSNumber>
                  <Name><Forenames>Gethin Osian</Forenames><Surname>%s</Surname></Name>
                  <DateOfBirth>2024-04-02</DateOfBirth><Sex>M</Sex>
                  <Address><Line>3 Maes y Dre</Line><Line>Cwmbran</Line><Postcode>NP44 3DD</Postcode></Address>
                  <Carers><Carer id="%s-c" relationship="MTH" parentalResponsibility="true">
                    <Name><Forenames>Nia</Forenames><Surname>%s</Surname></Name><Telephone>07700 900777</Telephone>
                  </Carer></Carers>
                </Patient>""".formatted(gpB, family, gpB, family));

        String twinBSource = sourceBy(S1 + "|" + gpB);
        assertThat(sources(twinA)).as("twin A's child record").doesNotContain(twinBSource).hasSize(2);
        assertThat(childBy(S1 + "|" + gpB)).isNotEqualTo(twinA);
        Map<String, Object> review = openReview(twinBSource, twinA);
        assertThat((String) review.get("reason")).contains("different NHS number");

        List<String> nhsInA = viewAll().get("/Patient/" + twinA).then().statusCode(200).extract().jsonPath()
                .getList("identifier.findAll { it.system == 'https://fhir.nhs.uk/Id/nhs-number' }.value", String.class);
        assertThat(nhsInA).containsExactly("9991945792");
    }

    // ---- helpers ----

    private void rio(String row) {
        asFeed("rio").contentType("text/csv").body(RIO_HEADER + row + "\n").post("/ingest/rio/clients").then().statusCode(200)
                .body("quarantined", org.hamcrest.Matchers.equalTo(0));
    }

    private void centre(String row) {
        asFeed("childrens-centre").contentType("text/csv").body(CENTRE_HEADER + row + "\n").post("/ingest/childrens-centre/registrations")
                .then().statusCode(200).body("quarantined", org.hamcrest.Matchers.equalTo(0));
    }

    private void systmOne(String patients) {
        String xml = """
                <SystmOneExtract xmlns="urn:example:systmone-extract:1" organisation="M85001" generated="2026-11-01T02:00:00Z">
                %s
                </SystmOneExtract>
                """.formatted(patients);
        asFeed("systmone").contentType("application/xml").body(xml).post("/ingest/systmone/extract").then().statusCode(200)
                .body("quarantined", org.hamcrest.Matchers.equalTo(0));
    }

    /** A view of every source (a GP breaking the glass, audited), since no consent covers all three. */
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

    private String sourceBy(String identifier) {
        JsonPath found = viewAll().get("/Patient?identifier=" + identifier
                + "&_tag:not=https://fhir.childrens-gateway.uk/CodeSystem/record-kind|").then().statusCode(200).extract().jsonPath();
        assertThat(found.getInt("total")).as("source records for " + identifier).isEqualTo(1);
        return found.getString("entry[0].resource.id");
    }

    private List<String> sources(String childId) {
        return asClient("data-quality").get("/identity/children/" + childId).then().statusCode(200).extract().jsonPath()
                .getList("sources", String.class);
    }

    private Map<String, Object> openReview(String sourceId, String childId) {
        List<Map<String, Object>> reviews = asClient("data-quality").get("/identity/children/" + childId).then().statusCode(200)
                .extract().jsonPath().getList("reviews.findAll { it.sourceId == '" + sourceId + "' && it.status == 'open' }");
        assertThat(reviews).as("an open review of the record against the child").hasSize(1);
        return reviews.get(0);
    }

    @SuppressWarnings("unchecked")
    private static List<String> evidenceFields(Map<String, Object> review) {
        return ((List<Map<String, Object>>) review.get("evidence")).stream().map(e -> (String) e.get("field")).toList();
    }
}
