package org.childrensgateway.consent;

import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.io.StringReader;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.childrensgateway.GatewayTestBase;
import org.childrensgateway.ingest.VariantSite;
import org.childrensgateway.fhir.FhirFixtures;
import org.junit.jupiter.api.Test;

/**
 * The sharing rules where harm happens, over HTTP with the gateway's real RiO feed: a baby who has
 * died is never notified, the live-birth agreement is limited to new babies in the centre's reach
 * area, a move into the area is a MOVE-IN, each child is one row once, restricted records keep their
 * address with their recorder, and a consent naming an organisation covers that organisation only.
 */
class SharingAtTheEdgesTest extends GatewayTestBase {

    private static final DateTimeFormatter DMY = DateTimeFormatter.ofPattern("dd/MM/yyyy");
    private static final String HEADER = "ClientID,NHSNumber,NHSNumberStatus,Surname,Forenames,PreferredName,DateOfBirth,GenderCode,"
            + "AddressLine1,AddressLine2,AddressLine3,AddressLine4,Postcode,GPPracticeCode,EthnicCategory,DateOfDeath,LastUpdated\n";

    private static String client(String id, String surname, LocalDate born, String postcode, LocalDate died, String updated) {
        return id + ",,," + surname + ",Baby Name,," + born.format(DMY) + ",2,1 Heol Newydd,,,," + postcode + ",,,"
                + (died == null ? "" : died.format(DMY)) + "," + updated + "\n";
    }

    private void pushRio(String rows) {
        asFeed("rio").contentType("text/csv").body(HEADER + rows).post("/ingest/rio/clients").then().statusCode(200)
                .body("quarantined", org.hamcrest.Matchers.equalTo(0));
    }

    private Response pull(String since) {
        RequestSpecification spec = asFeed("childrens-centre");
        if (since != null) {
            spec = spec.queryParam("since", since);
        }
        Response r = spec.get("/export/childrens-centre/notifications");
        r.then().statusCode(200);
        return r;
    }

    private static List<CSVRecord> rows(Response r, String surname) throws Exception {
        return CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build().parse(new StringReader(r.asString()))
                .getRecords().stream().filter(c -> surname.equals(c.get("ChildSurname"))).toList();
    }

    private static String unique(String prefix) {
        return prefix + FhirFixtures.uniqueId("").replace("-", "");
    }

    @Test
    void aBabyWhoHasDiedIsNeverNotifiedAndALivingOneIsNotifiedOnceToItsCentre() throws Exception {
        LocalDate today = LocalDate.now();
        String alive = unique("Newydd");
        String died = unique("Coll");
        pushRio(client(unique("RIOB"), alive, today.minusDays(20), "np4 6ab", null, "01/11/2026 10:00:00")
                + client(unique("RIOD"), died, today.minusDays(15), "NP4 6AB", today.minusDays(2), "01/11/2026 10:00:00"));
        Response first = pull(null);
        List<CSVRecord> born = rows(first, alive);
        assertThat(born).as("one row for the living baby").hasSize(1);
        assertThat(born.get(0).get("Reason")).isEqualTo("BIRTH");
        assertThat(born.get(0).get("CentreCode")).as("the centre whose reach area holds NP4 6").isEqualTo("CC-TORFAEN-01");
        assertThat(born.get(0).get("SharedUnder")).isEqualTo("LIVE-BIRTH-ISP");
        assertThat(born.get(0).get("NHSNumber")).isEmpty();
        assertThat(rows(first, died)).as("a bereaved family is never sent a new-baby letter").isEmpty();
        // The same child record is not sent again by the next pull, and a repeated pull repeats its rows.
        String until = first.header("X-Export-Until");
        assertThat(rows(pull(until), alive)).isEmpty();
        assertThat(rows(pull(null), alive)).hasSize(1);
        // And the centre cannot read the deceased baby's record through the FHIR API either.
        assertThat(fhirAs("estart-centre").get("/Patient?family=" + died).jsonPath().getInt("total")).isZero();
    }

    @Test
    void aFamilyTheTrustMarksAsBereavedIsNeverSentANewBabyLetter() throws Exception {
        // The west trust's extract carries a column for a recent neonatal death or stillbirth in the family
        // (its mapping, configuration only, reads it): the living twin of a baby who died is not notified.
        LocalDate today = LocalDate.now();
        String bereaved = unique("Galar");
        String other = unique("Llawen");
        String header = "PatientRef,NHSNumber,NHSNumberStatus,FamilyName,Forenames,PreferredName,DateOfBirth,GenderCode,AddressLine1,"
                + "AddressLine2,AddressLine3,AddressLine4,Postcode,GPPracticeCode,EthnicCategory,DateOfDeath,LastUpdated,FamilyBereaved\n";
        String born = today.minusDays(9).format(DMY);
        VariantSite.onboard();
        asFeed("rio-west").contentType("text/csv").body(header
                        + unique("W") + ",,," + bereaved + ",Nia,," + born + ",2,1 Heol Newydd,,,,NP4 6AB,,,,01/11/2026 10:00:00,Y\n"
                        + unique("W") + ",,," + other + ",Nia,," + born + ",2,2 Heol Newydd,,,,NP4 6AB,,,,01/11/2026 10:00:00,N\n")
                .post("/ingest/rio-west/clients").then().statusCode(200).body("quarantined", org.hamcrest.Matchers.equalTo(0));
        Response pulled = pull(null);
        assertThat(rows(pulled, other)).as("a family not marked bereaved is notified").hasSize(1);
        assertThat(rows(pulled, bereaved)).as("a bereaved family is never sent a new-baby letter").isEmpty();
        assertThat(fhirAs("estart-centre").get("/Patient?family=" + bereaved).jsonPath().getInt("total")).isZero();
    }

    @Test
    void theAgreementCoversNewBabiesAndUnderFivesInTheReachAreaOnly() throws Exception {
        LocalDate today = LocalDate.now();
        String older = unique("Hyn");          // 14: beyond every agreement
        String away = unique("Pell");          // a new baby outside the reach area
        String resident = unique("Cartref");   // 4, living in the area all along: not a new family
        pushRio(client(unique("RIOO"), older, today.minusYears(14), "NP4 6AB", null, "01/11/2026 10:00:00")
                + client(unique("RIOA"), away, today.minusDays(10), "CF10 1AA", null, "01/11/2026 10:00:00")
                + client(unique("RIOR"), resident, today.minusYears(4), "NP4 6AB", null, "01/11/2026 10:00:00"));
        Response pulled = pull(null);
        assertThat(rows(pulled, older)).isEmpty();
        assertThat(rows(pulled, away)).isEmpty();
        assertThat(rows(pulled, resident)).isEmpty();
        assertThat(fhirAs("estart-centre").get("/Patient?family=" + older).jsonPath().getInt("total")).as("a 14-year-old's address").isZero();
        assertThat(fhirAs("estart-centre").get("/Patient?family=" + away).jsonPath().getInt("total")).as("outside the reach area").isZero();
    }

    @Test
    void aFamilyMovingIntoTheReachAreaIsAMoveInToTheCentreThatServesIt() throws Exception {
        LocalDate today = LocalDate.now();
        String family = unique("Symud");
        String id = unique("RIOM");
        pushRio(client(id, family, today.minusYears(3), "CF10 1AA", null, "01/11/2026 10:00:00"));
        assertThat(rows(pull(null), family)).as("not yet in the area").isEmpty();
        pushRio(client(id, family, today.minusYears(3), "NP44 1AA", null, "02/11/2026 10:00:00"));
        List<CSVRecord> moved = rows(pull(null), family);
        assertThat(moved).hasSize(1);
        assertThat(moved.get(0).get("Reason")).isEqualTo("MOVE-IN");
        assertThat(moved.get(0).get("CentreCode")).isEqualTo("CC-TORFAEN-02");
        assertThat(moved.get(0).get("Postcode")).isEqualTo("NP44 1AA");
    }

    @Test
    void aBabyKnownToTwoHealthSystemsIsOneRowWithItsCarer() throws Exception {
        LocalDate today = LocalDate.now();
        String family = unique("Dwbl");
        String nhs = FhirFixtures.nhsNumber();
        String rio = createAs("rio-hv", "Patient", FhirFixtures.patient(unique("R"), nhs, family, "Gwen", today.minusDays(30).toString(),
                "female", "NP4 6AB"));
        createAs("rio-hv", "RelatedPerson", """
                {"resourceType": "RelatedPerson", "patient": {"reference": "Patient/%s"},
                 "relationship": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v3-RoleCode", "code": "MTH"}]}],
                 "name": [{"family": "%s", "given": ["Mari"]}], "telecom": [{"system": "phone", "value": "07700 900333"}]}"""
                .formatted(rio, family));
        createAs("systmone-gp", "Patient", FhirFixtures.patient(unique("G"), nhs, family, "Gwen", today.minusDays(30).toString(),
                "female", "NP4 6AB"));
        Response pulled = pull(null);
        List<CSVRecord> rows = rows(pulled, family);
        assertThat(rows).as("one row per child, not per source record").hasSize(1);
        assertThat(rows.get(0).get("Carer1Forename")).isEqualTo("Mari");
        assertThat(pulled.asString()).doesNotContain("07700 900333");
    }

    @Test
    void aRestrictedRecordKeepsItsAddressWithItsRecorderOnEveryPath() throws Exception {
        LocalDate today = LocalDate.now();
        String family = unique("Cudd");
        String body = FhirFixtures.restricted(FhirFixtures.patient(unique("RIOX"), FhirFixtures.nhsNumber(), family, "Elin", today.minusDays(12).toString(),
                "female", "NP4 6AB"));
        String rio = createAs("rio-hv", "Patient", body);
        createAs("rio-hv", "Consent", FhirFixtures.consent(rio, "active", "permit", today.minusDays(1).toString(),
                today.plusYears(1).toString(), List.of("GP")));
        assertThat(rows(pull(null), family)).as("never notified").isEmpty();
        fhirAs("estart-centre").get("/Patient/" + rio).then().statusCode(404);
        Response gp = fhirAs("systmone-gp").get("/Patient/" + rio);
        gp.then().statusCode(200);
        assertThat(gp.asString()).as("consented, but not the address").contains(family).doesNotContain("NP4 6AB");
        fhirAs("rio-hv").get("/Patient/" + rio).then().statusCode(200).body("address[0].postalCode", org.hamcrest.Matchers.equalTo("NP4 6AB"));
        // The child record carries the label and, for the GP, no address.
        Response child = fhirAs("systmone-gp").get("/Patient?link=Patient/" + rio);
        assertThat(child.asString()).contains("\"code\":\"R\"").doesNotContain("NP4 6AB");
        // Break-glass by an eligible role sees it, audited.
        fhirAs("systmone-gp").header("X-Break-Glass-Reason", "child at risk").get("/Patient/" + rio).then().statusCode(200)
                .body("address[0].postalCode", org.hamcrest.Matchers.equalTo("NP4 6AB"));
    }

    @Test
    void aConsentNamingAnOrganisationCoversThatOrganisationOnly() {
        String child = createAs("rio-hv", "Patient", FhirFixtures.patient(unique("RIOC"), FhirFixtures.nhsNumber(), unique("Enw"), "Iolo",
                "2022-01-01", "male", "CF10 1AA"));
        String item = createAs("rio-hv", "Observation", FhirFixtures.observation("Patient/" + child, "27113001", "2026-10-10T10:30:00Z", 12.0));
        String consent = FhirFixtures.consent(child, "active", "permit", LocalDate.now().minusDays(1).toString(),
                LocalDate.now().plusYears(1).toString(), List.of("GP")).replace("\"actor\": [", """
                "actor": [{"role": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v3-ParticipationType", "code": "IRCP"}]},
                 "reference": {"type": "Organization", "identifier": {"system": "https://fhir.nhs.uk/Id/ods-organization-code", "value": "M85002"}}},""");
        createAs("rio-hv", "Consent", consent);
        fhirAs("systmone-gp2").get("/Observation/" + item).then().statusCode(200);
        fhirAs("systmone-gp").get("/Observation/" + item).then().statusCode(404);
    }

    @Test
    void theCentreReceivesConsentedHealthInformationInItsOwnFormat() throws Exception {
        String family = unique("Iechyd");
        String child = createAs("rio-hv", "Patient", FhirFixtures.patient(unique("RIOH"), FhirFixtures.nhsNumber(), family, "Tomos",
                "2024-02-02", "male", "NP4 6AB"));
        createAs("rio-hv", "Observation", FhirFixtures.observation("Patient/" + child, "27113001", "2026-10-10T10:30:00Z", 13.75)
                .replace("\"status\": \"final\",", "\"status\": \"final\", \"note\": [{\"text\": \"health visitor's private note\"}],"));
        createAs("rio-hv", "Observation", FhirFixtures.observation("Patient/" + child, "27113001", "2026-10-11T10:30:00Z", 13.9)
                .replace("{\"resourceType\": \"Observation\",", "{\"resourceType\": \"Observation\", \"meta\": {\"security\": "
                        + "[{\"system\": \"http://terminology.hl7.org/CodeSystem/v3-ActCode\", \"code\": \"PSY\"}]},"));
        String other = createAs("rio-hv", "Patient", FhirFixtures.patient(unique("RIOH2"), FhirFixtures.nhsNumber(), family, "Heledd",
                "2024-02-02", "female", "NP4 6AB"));
        createAs("rio-hv", "Observation", FhirFixtures.observation("Patient/" + other, "27113001", "2026-10-10T10:30:00Z", 11.25));
        createAs("rio-hv", "Consent", FhirFixtures.consent(child, "active", "permit", LocalDate.now().minusDays(1).toString(),
                LocalDate.now().plusYears(1).toString(), List.of("CC")));
        Response pulled = asFeed("childrens-centre").get("/export/childrens-centre/health");
        pulled.then().statusCode(200).contentType("text/csv");
        List<CSVRecord> rows = rows(pulled, family);
        assertThat(rows).as("the consented item only: not the sensitive one, not the other child's").hasSize(1);
        assertThat(rows.get(0).get("ChildForename")).isEqualTo("Tomos");
        assertThat(rows.get(0).get("ItemName")).isEqualTo("Body weight");
        assertThat(rows.get(0).get("Value")).isEqualTo("13.75");
        assertThat(rows.get(0).get("FromOrganisation")).isEqualTo("RX9");
        assertThat(pulled.asString()).doesNotContain("private note").doesNotContain("11.25").doesNotContain("13.9");
    }


}
