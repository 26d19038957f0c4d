package org.childrensgateway.access;

import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.childrensgateway.GatewayTestBase;
import org.childrensgateway.audit.StoredAudit;
import org.childrensgateway.fhir.FhirFixtures;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Every way out, tried as a careless or hostile caller would: the paths built beside the core reads
 * (conditional writes, transactions and batches, derived child and carer records, searches on
 * removed elements, history after re-labelling, scopes on returned types, the non-FHIR routes, and
 * their audit records). Each case was a leak before the gate; each asserts the hidden thing answers
 * exactly as a missing one. The plain read paths per consent situation are in ConsentScenarioTest.
 */
class DisclosureMatrixTest extends GatewayTestBase {

    private static final String NHS = "https://fhir.nhs.uk/Id/nhs-number";
    private static final String OBS_ID = "https://fhir.childrens-gateway.uk/Id/test/observation";
    private static final String PSY = """
            "meta": {"security": [{"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "PSY"}]},""";

    /** What the health visitors (RX9) recorded, and a GP record of the same child. */
    static final class Scene {
        String nhs;
        String rioChild;
        String rioMental;          // PSY-labelled, identifier MENTAL
        String mentalIdentifier;
        String rioWeight;          // consented to the GP
        String rioMother;          // carer, telecom and address
        String gpChild;            // the GP's own record of the same child, linked into one child record
        String childRecord;
    }

    private static Scene scene;

    @Autowired
    private JdbcClient jdbc;

    @BeforeEach
    void createSceneOnce() {
        if (scene != null) {
            return;
        }
        Scene s = new Scene();
        s.nhs = FhirFixtures.nhsNumber();
        String family = "Matrix" + FhirFixtures.uniqueId("F").replace("-", "");
        s.rioChild = createAs("rio-hv", "Patient", FhirFixtures.patient(FhirFixtures.uniqueId("MX"), s.nhs, family, "Cerys", "2025-02-02",
                "female", "NP4 6AB").replace("\"birthDate\"", "\"generalPractitioner\": [{\"display\": \"Dr Rio\"}], \"birthDate\""));
        s.mentalIdentifier = FhirFixtures.uniqueId("MENTAL");
        s.rioMental = createAs("rio-hv", "Observation", withIdentifier(FhirFixtures.observation("Patient/" + s.rioChild, "27113001",
                "2026-10-10T10:30:00Z", 7.7), s.mentalIdentifier).replace("{\"resourceType\": \"Observation\",",
                "{\"resourceType\": \"Observation\", " + PSY));
        s.rioWeight = createAs("rio-hv", "Observation", FhirFixtures.observation("Patient/" + s.rioChild, "27113001", "2026-10-11T10:30:00Z", 7.9));
        s.rioMother = createAs("rio-hv", "RelatedPerson", """
                {"resourceType": "RelatedPerson", "patient": {"reference": "Patient/%s"},
                 "relationship": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v3-RoleCode", "code": "MTH"}]}],
                 "name": [{"family": "%s", "given": ["Mam"]}], "telecom": [{"system": "phone", "value": "07700 900111"}],
                 "address": [{"line": ["1 Test Street"], "postalCode": "NP4 6AB"}]}""".formatted(s.rioChild, family));
        createAs("rio-hv", "Consent", FhirFixtures.consent(s.rioChild, "active", "permit", LocalDate.now().minusDays(1).toString(),
                LocalDate.now().plusYears(1).toString(), List.of("GP")));
        s.gpChild = createAs("systmone-gp", "Patient", FhirFixtures.patient(FhirFixtures.uniqueId("MXGP"), s.nhs, family, "Cerys",
                "2025-02-02", "female", "CF10 1AA"));
        s.childRecord = childRecordOf(s.gpChild);
        scene = s;
    }

    // ---- writes never disclose ----

    @Test
    void conditionalCreateNeverReturnsSomeoneElsesRecord() {
        String[] hidden = hiddenMentalHealthItem();
        String body = withIdentifier(FhirFixtures.observation("Patient/" + scene.rioChild, "27113001", "2026-10-12T10:30:00Z", 1.0),
                hidden[1]);
        Response r = fhirAs("estart-centre").header("If-None-Exist", "identifier=" + OBS_ID + "|" + hidden[1])
                .body(body).post("/Observation");
        assertThat(r.statusCode()).as("a new record of the caller's own, not the hidden match").isEqualTo(201);
        assertThat(r.jsonPath().getString("id")).isNotEqualTo(hidden[0]);
        assertThat(r.asString()).doesNotContain("PSY");
        // The same for Patients: the NHS number finds the caller's own record or none.
        Response p = fhirAs("estart-centre").header("If-None-Exist", "identifier=" + NHS + "|" + scene.nhs)
                .body(FhirFixtures.patient(FhirFixtures.uniqueId("CC"), null, "Other", "Cerys", "2025-02-02", "female", "NP4 6AB"))
                .post("/Patient");
        assertThat(p.statusCode()).isEqualTo(201);
        assertThat(p.asString()).doesNotContain(scene.nhs).doesNotContain("Dr Rio");
    }

    @Test
    void conditionalCreateInsideATransactionNeverReturnsSomeoneElsesRecord() {
        String[] hidden = hiddenMentalHealthItem();
        String bundle = """
                {"resourceType": "Bundle", "type": "transaction", "entry": [{"resource": %s,
                  "request": {"method": "POST", "url": "Observation", "ifNoneExist": "identifier=%s|%s"}}]}"""
                .formatted(withIdentifier(FhirFixtures.observation("Patient/" + scene.rioChild, "27113001", "2026-10-12T10:30:00Z", 1.0),
                        hidden[1]), OBS_ID, hidden[1]);
        Response r = fhirAs("estart-centre").body(bundle).post("");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.jsonPath().getString("entry[0].response.status")).startsWith("201");
        assertThat(r.asString()).doesNotContain(hidden[0]).doesNotContain("PSY");
    }

    @Test
    void writesToAHiddenRecordAnswerExactlyAsToAMissingOne() {
        String[] item = hiddenMentalHealthItem();
        String hiddenId = item[0];
        String body = FhirFixtures.observation("Patient/" + scene.rioChild, "27113001", "2026-10-12T10:30:00Z", 2.0);
        Response hidden = fhirAs("estart-centre").body(body.replace("{\"resourceType\": \"Observation\",",
                "{\"resourceType\": \"Observation\", \"id\": \"" + hiddenId + "\",")).put("/Observation/" + hiddenId);
        Response missing = fhirAs("estart-centre").body(body.replace("{\"resourceType\": \"Observation\",",
                "{\"resourceType\": \"Observation\", \"id\": \"no-such-obs\",")).put("/Observation/no-such-obs");
        assertThat(hidden.statusCode()).isEqualTo(404).isEqualTo(missing.statusCode());
        assertThat(codes(hidden)).isEqualTo(codes(missing));
        Response hiddenDelete = fhirAs("estart-centre").delete("/Observation/" + hiddenId);
        Response missingDelete = fhirAs("estart-centre").delete("/Observation/no-such-obs");
        assertThat(hiddenDelete.statusCode()).isEqualTo(404).isEqualTo(missingDelete.statusCode());
        assertThat(codes(hiddenDelete)).isEqualTo(codes(missingDelete));
        // Conditional update and delete see only the caller's own records: the hidden one is untouched.
        Response cu = fhirAs("estart-centre").body(withIdentifier(body, item[1]))
                .put("/Observation?identifier=" + OBS_ID + "|" + item[1]);
        assertThat(cu.statusCode()).as("creates the caller's own record").isEqualTo(201);
        assertThat(cu.jsonPath().getString("id")).isNotEqualTo(hiddenId);
        fhirAs("estart-centre").delete("/Observation?identifier=" + OBS_ID + "|" + item[1] + "&code=27113001")
                .then().statusCode(200);
        fhirAs("rio-hv").get("/Observation/" + hiddenId).then().statusCode(200).body("meta.versionId", org.hamcrest.Matchers.equalTo("1"));
    }

    @Test
    void aVisibleRecordOfAnotherOrganisationIsReadOnly() {
        fhirAs("systmone-gp").get("/Observation/" + scene.rioWeight).then().statusCode(200);
        String body = FhirFixtures.observation("Patient/" + scene.rioChild, "27113001", "2026-10-11T10:30:00Z", 9.9)
                .replace("{\"resourceType\": \"Observation\",", "{\"resourceType\": \"Observation\", \"id\": \"" + scene.rioWeight + "\",");
        fhirAs("systmone-gp").body(body).put("/Observation/" + scene.rioWeight).then().statusCode(403);
        fhirAs("systmone-gp").delete("/Observation/" + scene.rioWeight).then().statusCode(403);
    }

    @Test
    void aConditionalReferenceNeverResolvesToSomeoneElsesRecord() {
        String bundle = """
                {"resourceType": "Bundle", "type": "transaction", "entry": [{"resource": %s,
                  "request": {"method": "POST", "url": "Observation"}}]}"""
                .formatted(FhirFixtures.observation("Patient?identifier=" + NHS + "|" + scene.nhs, "27113001", "2026-10-12T10:30:00Z", 3.0));
        String none = bundle.replace(scene.nhs, "9000000009");
        Response hidden = fhirAs("estart-centre").body(bundle).post("");
        Response missing = fhirAs("estart-centre").body(none).post("");
        assertThat(hidden.statusCode()).isEqualTo(400).isEqualTo(missing.statusCode());
        assertThat(hidden.asString()).contains("matches no resource").doesNotContain("PSY");
    }

    @Test
    void batchReadsAnswerAHiddenRecordAsAMissingOne() {
        String[] hidden = hiddenMentalHealthItem();
        String batch = """
                {"resourceType": "Bundle", "type": "batch", "entry": [
                  {"request": {"method": "GET", "url": "Observation/%s"}},
                  {"request": {"method": "GET", "url": "Observation/no-such-obs"}},
                  {"request": {"method": "GET", "url": "Observation?identifier=%s|%s"}}]}"""
                .formatted(hidden[0], OBS_ID, hidden[1]);
        JsonPath r = fhirAs("estart-centre").body(batch).post("").then().statusCode(200).extract().jsonPath();
        assertThat(r.getString("entry[0].response.status")).isEqualTo(r.getString("entry[1].response.status")).startsWith("404");
        assertThat(r.getInt("entry[2].resource.total")).isZero();
    }

    // ---- PATCH, as every kind of caller ----

    @org.junit.jupiter.params.ParameterizedTest(name = "PATCH as {0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"rio-hv", "systmone-gp", "estart-centre", "la-social-care", "ig-auditor",
            "patient-reader", "data-quality"})
    void patchChangesOnlyTheCallersOwnRecordsAndAnswersAHiddenOneAsAMissingOne(String client) {
        boolean owner = client.equals("rio-hv");
        boolean writer = List.of("rio-hv", "systmone-gp", "estart-centre").contains(client);
        String[] hidden = hiddenMentalHealthItem(); // the health visitors' sensitive item: only they see it
        String weight = createAs("rio-hv", "Observation", FhirFixtures.observation("Patient/" + scene.rioChild, "27113001",
                "2026-10-14T10:30:00Z", 8.1)); // consented to the GP; hidden from the centre
        String json = "[{\"op\": \"replace\", \"path\": \"/valueQuantity/value\", \"value\": 1.5}]";
        String fhirPath = """
                {"resourceType": "Parameters", "parameter": [{"name": "operation", "part": [{"name": "type", "valueCode": "replace"},
                  {"name": "path", "valueString": "Observation.value.value"}, {"name": "value", "valueDecimal": 2.5}]}]}""";

        // A record the caller cannot see answers exactly as one that does not exist (or, without a write scope, as any write).
        Response missing = patch(client, "/Observation/no-such-obs", json);
        assertThat(missing.statusCode()).isEqualTo(writer ? 404 : 403);
        Response onHidden = patch(client, "/Observation/" + hidden[0], json);
        Response hiddenFhirPath = patch(client, "/Observation/" + hidden[0], fhirPath, "application/fhir+json");
        if (owner) {
            assertThat(onHidden.statusCode()).as("its own record").isEqualTo(200);
            assertThat(hiddenFhirPath.statusCode()).isEqualTo(200);
        } else {
            assertThat(onHidden.statusCode()).isEqualTo(missing.statusCode());
            assertThat(codes(onHidden)).isEqualTo(codes(missing));
            assertThat(hiddenFhirPath.statusCode()).isEqualTo(missing.statusCode());
            assertThat(onHidden.asString()).doesNotContain("PSY").doesNotContain(hidden[1]);
        }
        // A record the caller sees but did not record: 403 (the GP, by consent); hidden from the centre: 404.
        int visible = patch(client, "/Observation/" + weight, json).statusCode();
        assertThat(visible).isEqualTo(switch (client) {
            case "rio-hv" -> 200;
            case "estart-centre" -> 404;
            default -> 403;
        });
        // Conditional patch matches only the caller's own records: another organisation's is never found.
        Response conditional = patch(client, "/Observation?identifier=" + OBS_ID + "|" + hidden[1], json.replace("1.5", "3.5"));
        Response conditionalNone = patch(client, "/Observation?identifier=" + OBS_ID + "|no-such-identifier", json);
        assertThat(conditionalNone.statusCode()).isEqualTo(writer ? 404 : 403);
        assertThat(conditional.statusCode()).isEqualTo(owner ? 200 : conditionalNone.statusCode());
        // The child record belongs to the person index: nobody patches it (404 for whoever cannot see it).
        Response child = patch(client, "/Patient/" + scene.childRecord, "[{\"op\": \"replace\", \"path\": \"/birthDate\", \"value\": \"2025-02-03\"}]");
        assertThat(child.statusCode()).isEqualTo(403);
        // Nothing of another organisation changed.
        assertThat(fhirAs("rio-hv").get("/Observation/" + hidden[0]).jsonPath().getString("meta.versionId")).isEqualTo(owner ? "4" : "1");
        assertThat(fhirAs("rio-hv").get("/Observation/" + weight).jsonPath().getString("meta.versionId")).isEqualTo(owner ? "2" : "1");
        assertThat(fhirAs("systmone-gp").get("/Patient/" + scene.childRecord).jsonPath().getString("birthDate")).isEqualTo("2025-02-02");
    }

    @Test
    void aPatchCannotMoveARecordOntoAChildTheCallerCannotSeeUndetected() {
        // The health visitors re-point their own observation at the GP's record of the child, which they cannot see,
        // and at a record that does not exist: the two answers are the same, and neither shows the GP's record.
        String toHidden = createAs("rio-hv", "Observation", FhirFixtures.observation("Patient/" + scene.rioChild, "27113001",
                "2026-10-15T10:30:00Z", 8.2));
        String toMissing = createAs("rio-hv", "Observation", FhirFixtures.observation("Patient/" + scene.rioChild, "27113001",
                "2026-10-15T10:30:00Z", 8.2));
        Response hidden = patch("rio-hv", "/Observation/" + toHidden,
                "[{\"op\": \"replace\", \"path\": \"/subject/reference\", \"value\": \"Patient/" + scene.gpChild + "\"}]");
        Response missing = patch("rio-hv", "/Observation/" + toMissing,
                "[{\"op\": \"replace\", \"path\": \"/subject/reference\", \"value\": \"Patient/no-such-patient\"}]");
        assertThat(hidden.statusCode()).isEqualTo(missing.statusCode());
        assertThat(hidden.asString()).doesNotContain("CF10 1AA").doesNotContain("MXGP");
        // The id is not the patch's to change, and a patch that leaves the resource invalid stores nothing.
        patch("rio-hv", "/Observation/" + toMissing, "[{\"op\": \"replace\", \"path\": \"/id\", \"value\": \"" + scene.rioWeight + "\"}]")
                .then().statusCode(400);
        patch("rio-hv", "/Observation/" + toMissing, "[{\"op\": \"remove\", \"path\": \"/code\"}]").then().statusCode(422);
        assertThat(fhirAs("rio-hv").get("/Observation/" + scene.rioWeight).jsonPath().getString("meta.versionId")).isEqualTo("1");
        // The source records the child record is built from are untouched by the re-pointing.
        assertThat(fhirAs("systmone-gp").get("/Patient/" + scene.gpChild).jsonPath().getString("meta.versionId")).isEqualTo("1");
    }

    // ---- derived records per caller ----

    @Test
    void theChildRecordHoldsOnlyWhatTheCallersVisibleSourcesHold() {
        // The GP may see its own source and (by consent) the health visitors': the whole child.
        JsonPath gp = fhirAs("systmone-gp").get("/Patient/" + scene.childRecord).then().statusCode(200).extract().jsonPath();
        assertThat(gp.getList("link.other.reference", String.class)).hasSize(2);
        // The children's centre holds no source; the live-birth agreement releases RiO's demographics only.
        Response centre = fhirAs("estart-centre").get("/Patient/" + scene.childRecord);
        centre.then().statusCode(200);
        // (Name, birth date and address of both health sources go under the live-birth agreement; nothing else.)
        assertThat(centre.asString()).doesNotContain(scene.nhs).doesNotContain("Dr Rio").doesNotContain("female")
                .doesNotContain(scene.gpChild).doesNotContain("\"link\"").doesNotContain("/Id/test/client");
        assertThat(centre.jsonPath().getString("name[0].given[0]")).isEqualTo("Cerys");
        // A caller who may see no source of it gets a 404, as for a record never made.
        fhirAs("la-social-care").get("/Patient/" + scene.childRecord).then().statusCode(404);
    }

    @Test
    void seeingOneSourceDoesNotOpenTheWholeChildRecordOrTheOtherSourcesCarers() {
        // The health visitors record a child and her mother with no consent to anyone; the GP holds its own
        // record of the same child. The GP's view of the child record holds only what the GP's own source holds.
        String nhs = FhirFixtures.nhsNumber();
        String family = "Pair" + FhirFixtures.uniqueId("P").replace("-", "");
        String rioId = FhirFixtures.uniqueId("RIOPAIR");
        String rio = createAs("rio-hv", "Patient", FhirFixtures.patient(rioId, nhs, family, "Nia", "2025-04-04", "female", "NP4 6AB")
                .replace("\"birthDate\"", "\"generalPractitioner\": [{\"display\": \"Dr Rio\"}], \"birthDate\""));
        createAs("rio-hv", "RelatedPerson", """
                {"resourceType": "RelatedPerson", "patient": {"reference": "Patient/%s"},
                 "relationship": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v3-RoleCode", "code": "MTH"}]}],
                 "name": [{"family": "%s", "given": ["Mam"]}], "telecom": [{"system": "phone", "value": "07700 900222"}]}"""
                .formatted(rio, family));
        String gp = createAs("systmone-gp", "Patient", FhirFixtures.patient(FhirFixtures.uniqueId("GPPAIR"), nhs, family, "Nia",
                "2025-04-04", "female", "NP4 6AB"));
        String child = childRecordOf(gp);
        Response seen = fhirAs("systmone-gp").get("/Patient/" + child);
        seen.then().statusCode(200);
        assertThat(seen.asString()).as("the GP's view of the child").doesNotContain(rioId).doesNotContain("Dr Rio").doesNotContain(rio);
        assertThat(seen.jsonPath().getList("link.other.reference", String.class)).containsExactly("Patient/" + gp);
        Response carers = fhirAs("systmone-gp").get("/RelatedPerson?patient=" + child);
        assertThat(carers.asString()).as("the mother's carer record is judged by her own record, the health visitors'")
                .doesNotContain("07700 900222").doesNotContain("Mam");
        assertThat(total(fhirAs("systmone-gp").get("/Patient?identifier=https://fhir.childrens-gateway.uk/Id/test/client|" + rioId)))
                .as("the hidden source's identifier does not find the child record").isZero();
    }

    @Test
    void aCarerRecordIsJudgedByItsOwnSources() {
        // The mother was recorded by the health visitors; the consent to the GP covers her, the centre holds none of her records.
        List<String> centreSees = ids(fhirAs("estart-centre").get("/RelatedPerson?patient=" + scene.childRecord));
        Response centreCarer = fhirAs("estart-centre").get("/RelatedPerson?patient=" + scene.childRecord);
        assertThat(centreCarer.asString()).doesNotContain("07700 900111");
        List<String> noSources = ids(fhirAs("la-social-care").get("/RelatedPerson?patient=" + scene.childRecord));
        assertThat(noSources).as("no source the social worker may see").isEmpty();
        assertThat(centreSees).as("the live-birth agreement releases the carer's name and address").isNotEmpty();
        // The GP, consented by the health visitors, sees the mother and the carer record built from her.
        assertThat(fhirAs("systmone-gp").get("/RelatedPerson?patient=" + scene.childRecord).asString()).contains("07700 900111");
    }

    // ---- searching on what a view removes ----

    @Test
    void searchingOrSortingOnAnElementTheAgreementRemovesFindsNothing() {
        assertThat(total(fhirAs("estart-centre").get("/Patient?identifier=" + NHS + "|" + scene.nhs))).as("NHS number withheld").isZero();
        assertThat(total(fhirAs("estart-centre").get("/Patient?_id=" + scene.rioChild + "&gender=female"))).as("gender withheld").isZero();
        assertThat(total(fhirAs("estart-centre").get("/Patient?_id=" + scene.rioChild + "&link=Patient/" + scene.gpChild))).isZero();
        assertThat(total(fhirAs("estart-centre").get("/Patient?_id=" + scene.rioChild + "&birthdate=2025-02-02"))).as("released").isEqualTo(1);
        // The GP, who may see the source in full, finds it by NHS number.
        assertThat(total(fhirAs("systmone-gp").get("/Patient?identifier=" + NHS + "|" + scene.nhs))).isPositive();
    }

    @Test
    void aChainMatchesOnlyOnWhatTheCallersViewOfTheTargetReleases() {
        // The centre's own observation about the health visitors' child, whose NHS number and gender the
        // live-birth agreement withholds from the centre: a chain through the child cannot confirm them.
        String own = createAs("estart-centre", "Observation", FhirFixtures.observation("Patient/" + scene.rioChild, "27113001",
                "2026-10-13T10:30:00Z", 7.1));
        assertThat(total(fhirAs("estart-centre").get("/Observation?_id=" + own + "&patient.identifier=" + NHS + "|" + scene.nhs)))
                .as("NHS number withheld").isZero();
        assertThat(total(fhirAs("estart-centre").get("/Observation?_id=" + own + "&patient.identifier=" + NHS + "|9000000009")))
                .as("as for a number the child does not have").isZero();
        assertThat(total(fhirAs("estart-centre").get("/Observation?_id=" + own + "&patient.gender=female"))).as("gender withheld").isZero();
        assertThat(total(fhirAs("estart-centre").get("/Observation?_id=" + own + "&subject:Patient.birthdate=2025-02-02")))
                .as("released").isEqualTo(1);
        assertThat(total(fhirAs("estart-centre").get("/Observation?_id=" + own + "&patient.family:exact="
                + fhirAs("rio-hv").get("/Patient/" + scene.rioChild).jsonPath().getString("name[0].family")))).as("released").isEqualTo(1);
        // The health visitors, who see their child whole, find their own observation through the NHS number.
        assertThat(total(fhirAs("rio-hv").get("/Observation?_id=" + scene.rioWeight + "&patient.identifier=" + NHS + "|" + scene.nhs)))
                .isEqualTo(1);
    }

    @Test
    void sortingOnAWithheldElementPlacesTheRecordAsIfItHadNoValue() {
        // The centre's own boy sorts by his gender; the health visitors' girl, whose gender the agreement withholds,
        // sorts last as a record without one would, whichever way the sort goes, so the order reveals nothing.
        String family = "Sort" + FhirFixtures.uniqueId("S").replace("-", "");
        String own = createAs("estart-centre", "Patient", FhirFixtures.patient(FhirFixtures.uniqueId("CCS"), null, family, "Owain",
                "2025-03-03", "male", "NP4 6AB"));
        String theirs = createAs("rio-hv", "Patient", FhirFixtures.patient(FhirFixtures.uniqueId("RIOS"), null, family, "Alys",
                "2025-03-03", "female", "NP4 6AB"));
        List<String> ascending = ids(fhirAs("estart-centre").get("/Patient?family=" + family + "&_sort=gender&_tag:not="
                + "https://fhir.childrens-gateway.uk/CodeSystem/record-kind|child-record"));
        assertThat(ascending).containsExactly(own, theirs);
        List<String> descending = ids(fhirAs("estart-centre").get("/Patient?family=" + family + "&_sort=-gender&_tag:not="
                + "https://fhir.childrens-gateway.uk/CodeSystem/record-kind|child-record"));
        assertThat(descending).containsExactly(own, theirs);
    }

    // ---- history after re-labelling ----

    @Test
    void reLabellingReachesEveryOlderVersion() {
        String weight = createAs("rio-hv", "Observation", FhirFixtures.observation("Patient/" + scene.rioChild, "27113001",
                "2026-09-01T10:30:00Z", 6.6));
        fhirAs("systmone-gp").get("/Observation/" + weight + "/_history/1").then().statusCode(200);
        String relabelled = fhirAs("rio-hv").get("/Observation/" + weight).then().extract().asString()
                .replaceFirst("\"meta\":\\{", "\"meta\":{\"security\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/v3-ActCode\",\"code\":\"PSY\"}],");
        fhirAs("rio-hv").body(relabelled).put("/Observation/" + weight).then().statusCode(200);
        fhirAs("systmone-gp").get("/Observation/" + weight).then().statusCode(404);
        fhirAs("systmone-gp").get("/Observation/" + weight + "/_history/1").then().statusCode(404);
        fhirAs("systmone-gp").get("/Observation/" + weight + "/_history").then().statusCode(404);
        assertThat(ids(fhirAs("systmone-gp").get("/Observation/_history?_count=500"))).doesNotContain(weight);
    }

    // ---- scopes apply to what is returned ----

    @Test
    void aPatientOnlyTokenReceivesNoOtherTypeFromAnyPath() {
        List<String> types = fhirAs("patient-reader").get("/Patient/" + scene.rioChild + "/$everything").then().statusCode(200)
                .extract().jsonPath().getList("entry.resource.resourceType");
        assertThat(types).isNotEmpty().containsOnly("Patient");
        List<String> included = fhirAs("patient-reader").get("/Patient?_id=" + scene.rioChild + "&_revinclude=Observation:subject")
                .then().statusCode(200).extract().jsonPath().getList("entry.resource.resourceType");
        assertThat(included).containsOnly("Patient");
        Response export = asClient("patient-reader").get("/export/rio/assessments");
        export.then().statusCode(200).header("X-Export-Records", "0");
    }

    // ---- break-glass ----

    @Test
    void breakGlassIsOneNotificationPerRequestAndOwnerAndAnIneligibleRoleIsRefused() {
        String a = createAs("systmone-gp", "Observation", FhirFixtures.observation("Patient/" + scene.gpChild, "27113001", "2026-08-01T10:30:00Z", 5.1));
        String b = createAs("systmone-gp", "Observation", FhirFixtures.observation("Patient/" + scene.gpChild, "27113001", "2026-08-02T10:30:00Z", 5.2));
        String reason = "S47 enquiry " + FhirFixtures.uniqueId("R");
        fhirAs("la-social-care").header("X-Break-Glass-Reason", reason).get("/Observation?_id=" + a + "," + b).then().statusCode(200)
                .header("X-Break-Glass", org.hamcrest.Matchers.notNullValue());
        List<Map<String, Object>> mine = asClient("systmone-gp").get("/notifications/break-glass").then().statusCode(200)
                .extract().jsonPath().<Map<String, Object>>getList("$").stream().filter(n -> reason.equals(n.get("reason"))).toList();
        assertThat(mine).hasSize(1);
        assertThat(mine.get(0).get("resourceCount")).isEqualTo(2);

        String attempt = fhirAs("estart-centre").header("X-Break-Glass-Reason", "curious").get("/Observation/" + a)
                .then().statusCode(404).extract().header("X-Request-ID");
        String audit = StoredAudit.ofRequest(jdbc, attempt);
        assertThat(audit).contains("refused: the role childrens-centre-worker may not break the glass");
        assertThat(audit).doesNotContain("BTG");
    }

    // ---- the non-FHIR routes ----

    @Test
    void quarantineJobsAndReplayBelongToTheFeedsOrganisation() {
        String bad = "ClientID,NHSNumber,NHSNumberStatus,Surname,Forenames,PreferredName,DateOfBirth,GenderCode,AddressLine1,"
                + "AddressLine2,AddressLine3,AddressLine4,Postcode,GPPracticeCode,EthnicCategory,DateOfDeath,LastUpdated\n"
                + FhirFixtures.uniqueId("RIOQ") + ",9434765918,01,Secret,Name,,14/05/2023,2,,,,,NP4 6AB,,,,10/11/2026 10:00:00\n";
        JsonPath job = asFeed("rio").contentType("text/csv").body(bad).post("/ingest/rio/clients").then().statusCode(200).extract().jsonPath();
        long entry = job.getLong("quarantinedRecords[0].id");
        String jobId = job.getString("jobId");
        // Another organisation: nothing listed, nothing readable, nothing replayable, and no job, exactly as if absent.
        assertThat(asFeed("childrens-centre").get("/ingest/quarantine?status=any&limit=1000").then().statusCode(200).extract().asString())
                .doesNotContain("\"id\":" + entry + ",");
        asFeed("childrens-centre").get("/ingest/quarantine/" + entry).then().statusCode(404);
        asFeed("childrens-centre").get("/ingest/quarantine/999999999").then().statusCode(404);
        asFeed("childrens-centre").post("/ingest/quarantine/" + entry + "/replay").then().statusCode(404);
        asFeed("childrens-centre").get("/ingest/jobs/" + jobId).then().statusCode(404);
        asFeed("rio").get("/ingest/quarantine/" + entry).then().statusCode(200).body("rawText", org.hamcrest.Matchers.containsString("Secret"));
        asFeed("rio").get("/ingest/jobs/" + jobId).then().statusCode(200);
        // Pushing to another organisation's feed, or with a read-only token, is refused and stores nothing.
        asFeed("childrens-centre").contentType("text/csv").body(bad).post("/ingest/rio/clients").then().statusCode(403);
        asClient("la-social-care").contentType("text/csv").body(bad).post("/ingest/rio/clients").then().statusCode(403);
        asClient("la-social-care").get("/ingest/quarantine").then().statusCode(403);
        // Mappings are the integration engineer's.
        asFeed("rio").post("/ingest/mappings/reload").then().statusCode(403);
        asClient("integration").post("/ingest/mappings/reload").then().statusCode(200);
        // The person index is the data-quality desk's.
        asClient("integration").get("/identity/reviews").then().statusCode(403);
        asClient("data-quality").get("/identity/reviews").then().statusCode(200);
        // So is the batch re-match, a write to every child record.
        asClient("integration").post("/identity/rematch").then().statusCode(403);
        asClient("ig-auditor").post("/identity/rematch").then().statusCode(403);
        asFeed("rio").post("/identity/rematch").then().statusCode(403);
        // Unlisted routes are refused, as OperationOutcomes.
        asFeed("rio").delete("/ingest/quarantine/" + entry).then().statusCode(404).body("resourceType", org.hamcrest.Matchers.equalTo("OperationOutcome"));
    }

    @Test
    void feedDataIsRecordedByTheFeedsOrganisation() {
        String id = FhirFixtures.uniqueId("RIOF");
        String csv = "ClientID,NHSNumber,NHSNumberStatus,Surname,Forenames,PreferredName,DateOfBirth,GenderCode,AddressLine1,"
                + "AddressLine2,AddressLine3,AddressLine4,Postcode,GPPracticeCode,EthnicCategory,DateOfDeath,LastUpdated\n"
                + id + ",,,Stamp,Ifan,,06/06/2024,1,,,,,CF10 1AA,,,,10/11/2026 10:00:00\n";
        asFeed("rio").contentType("text/csv").body(csv).post("/ingest/rio/clients").then().statusCode(200);
        JsonPath p = fhirAs("rio-hv").get("/Patient?identifier=https://fhir.childrens-gateway.uk/Id/rio/RX9/client|" + id)
                .then().statusCode(200).extract().jsonPath();
        assertThat(p.getList("entry.resource.meta.tag.code").toString()).contains("RX9");
    }

    @Test
    void everyNonFhirRouteThatTouchesAChildIsAudited() {
        String notifications = asClient("systmone-gp").get("/notifications/break-glass").then().statusCode(200).extract().header("X-Request-ID");
        assertThat(StoredAudit.ofRequest(jdbc, notifications)).contains("/notifications/break-glass");
        String identity = asClient("data-quality").get("/identity/children/" + scene.childRecord).then().statusCode(200)
                .extract().header("X-Request-ID");
        assertThat(StoredAudit.ofRequest(jdbc, identity)).contains("Patient/" + scene.childRecord);
        String refused = asClient("integration").get("/identity/children/" + scene.childRecord).then().statusCode(403)
                .extract().header("X-Request-ID");
        assertThat(StoredAudit.ofRequest(jdbc, refused)).contains("http-status").contains("403");
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "an unlink's disclosure report as {0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"rio-hv", "systmone-gp", "estart-centre", "la-social-care", "ig-auditor",
            "patient-reader", "data-quality", "integration"})
    void anUnlinksDisclosureReportIsTheAuditorsAloneAndReadOnly(String client) {
        String[] unlink = undoneLink();
        String path = "/identity/unlinks/" + unlink[0] + "/disclosures";
        int expected = "ig-auditor".equals(client) ? 200 : 403;
        String request = asClient(client).get(path).then().statusCode(expected).extract().header("X-Request-ID");
        String audit = StoredAudit.ofRequest(jdbc, request);
        assertThat(audit).contains("http-status");
        if (expected == 200) {
            assertThat(audit).as("the report names both children").contains("Patient/" + unlink[1]).contains("Patient/" + unlink[2]);
            // A link still in force, or none at all, has no report: both answer as missing.
            asClient(client).get("/identity/unlinks/" + unlink[3] + "/disclosures").then().statusCode(404);
            asClient(client).get("/identity/unlinks/999999999/disclosures").then().statusCode(404);
        }
        // No way to write it, whoever asks.
        assertThat(asClient(client).post(path).statusCode()).isIn(403, 405);
        assertThat(asClient(client).put(path).statusCode()).isIn(403, 404, 405);
        assertThat(asClient(client).delete(path).statusCode()).isIn(403, 404, 405);
        io.restassured.RestAssured.given().header("Authorization", "").get(path).then().statusCode(401);
    }

    /** A fresh pair of one child's records linked by NHS number, then unlinked: {ended link id, source, child, a current link id}. */
    private String[] undoneLink() {
        String nhs = FhirFixtures.nhsNumber();
        String family = "Unlink" + FhirFixtures.uniqueId("U").replace("-", "");
        String rio = createAs("rio-hv", "Patient", FhirFixtures.patient(FhirFixtures.uniqueId("UL"), nhs, family, "Gwen", "2025-06-06",
                "female", "NP4 6AB"));
        String gp = createAs("systmone-gp", "Patient", FhirFixtures.patient(FhirFixtures.uniqueId("ULGP"), nhs, family, "Gwen",
                "2025-06-06", "female", "NP4 6AB"));
        String child = childRecordOf(gp);
        assertThat(childRecordOf(rio)).isEqualTo(child);
        long ended = asClient("data-quality").contentType("application/json").body(Map.of("source", "Patient/" + gp, "child", child))
                .post("/identity/unlink").then().statusCode(200).extract().jsonPath().getLong("unlink");
        long current = jdbc.sql("select id from person_link where pool = 'Patient' and source_id = ? and ended is null and status = 'linked'")
                .param(rio).query(Long.class).single();
        return new String[] {Long.toString(ended), gp, child, Long.toString(current)};
    }

    @Test
    void aRefusedByIdReadIsInTheChildsAccessReport() {
        String child = createAs("rio-hv", "Patient", FhirFixtures.patient(FhirFixtures.uniqueId("RIOAR"), FhirFixtures.nhsNumber(),
                "Report" + FhirFixtures.uniqueId("R").replace("-", ""), "Ffion", "2025-05-05", "female", "NP4 6AB"));
        String item = createAs("rio-hv", "Observation", FhirFixtures.observation("Patient/" + child, "27113001", "2026-10-10T10:30:00Z", 4.4));
        fhirAs("la-social-care").get("/Observation/" + item).then().statusCode(404);
        String report = fhirAs("ig-auditor").get("/Patient/" + child + "/$access-report").then().statusCode(200).extract().asString();
        assertThat(report).contains("W06000020-SC");
    }

    @Test
    void aComposedChildRecordsAuditNamesTheLinksItReliedOn() {
        String request = fhirAs("systmone-gp").get("/Patient/" + scene.childRecord).then().statusCode(200).extract().header("X-Request-ID");
        String audit = StoredAudit.ofRequest(jdbc, request);
        assertThat(audit).contains("linked-sources:Patient/" + scene.childRecord).contains(scene.gpChild).contains(scene.rioChild);
    }

    @Test
    void auditRecordsNameTheRulesThatDecided() {
        String request = fhirAs("systmone-gp").get("/Observation?subject=Patient/" + scene.rioChild).then().statusCode(200)
                .extract().header("X-Request-ID");
        String audit = StoredAudit.ofRequest(jdbc, request);
        assertThat(audit).contains("released:consent").contains("withheld:sensitive");
    }

    // ---- conformance resources and discovery: describe no one, same for every caller ----

    @org.junit.jupiter.params.ParameterizedTest(name = "conformance and discovery as {0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"rio-hv", "systmone-gp", "estart-centre", "la-social-care", "ig-auditor",
            "patient-reader", "data-quality"})
    void conformanceResourcesAndDiscoveryAreTheSameForEveryCallerAndReadOnly(String client) {
        // Read and search (by url): audited like any FHIR read; no child's data, so nothing for the gate to withhold.
        String request = fhirAs(client).get("/StructureDefinition/ChildPatient").then().statusCode(scopedRead(client))
                .extract().header("X-Request-ID");
        if (scopedRead(client) == 200) {
            assertThat(StoredAudit.ofRequest(jdbc, request)).contains("StructureDefinition/ChildPatient");
            assertThat(fhirAs(client).get("/StructureDefinition?url=https://fhir.childrens-gateway.uk/StructureDefinition/ChildPatient")
                    .then().statusCode(200).extract().jsonPath().getInt("total")).isEqualTo(1);
        }
        // Writes: no way in (HAPI refuses an interaction the server does not offer with a 400 OperationOutcome).
        io.restassured.response.Response write = fhirAs(client).body("{\"resourceType\": \"StructureDefinition\", \"id\": \"ChildPatient\"}")
                .put("/StructureDefinition/ChildPatient");
        assertThat(write.statusCode()).isIn(400, 403, 405);
        assertThat(write.asString()).contains("OperationOutcome");
        assertThat(fhirAs(client).body("{\"resourceType\": \"ValueSet\"}").post("/ValueSet").statusCode()).isIn(400, 403, 405);
        assertThat(fhirAs("rio-hv").get("/StructureDefinition/ChildPatient").then().statusCode(200).extract().jsonPath().getString("url"))
                .as("unchanged").endsWith("/StructureDefinition/ChildPatient");
        // Discovery at the FHIR base: the same public document whoever asks, and read-only.
        fhirAs(client).get("/.well-known/smart-configuration").then().statusCode(200)
                .body("token_endpoint", org.hamcrest.Matchers.endsWith("/oauth2/token"));
        assertThat(fhirAs(client).post("/.well-known/smart-configuration").statusCode()).isNotEqualTo(200);
        // The OpenAPI document of the non-FHIR routes: public, the same for everyone, describes no one, read-only.
        io.restassured.response.Response described = asClient(client).get("/openapi.yaml").then().statusCode(200).extract().response();
        String openapi = described.asString();
        assertThat(StoredAudit.ofRequest(jdbc, described.header("X-Request-ID"))).as("even a public document's fetch is accountable").contains("/openapi.yaml");
        assertThat(openapi).isEqualTo(io.restassured.RestAssured.given().header("Authorization", "").get("/openapi.yaml").asString());
        assertThat(asClient(client).body("openapi: 3.0.0").post("/openapi.yaml").statusCode()).isIn(403, 404, 405);
        assertThat(asClient(client).body("openapi: 3.0.0").put("/openapi.yaml").statusCode()).isIn(403, 404, 405);
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "the batch re-match as {0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"rio-hv", "systmone-gp", "estart-centre", "la-social-care", "ig-auditor",
            "patient-reader", "integration"})
    void theBatchReMatchIsTheDataQualityDesksAloneAndEveryAttemptIsAudited(String client) {
        // A write to every child record: refused to every other kind of caller, and the refusal audited. The desk's
        // own run (200, audited, people's decisions kept) is BatchRematchTest.
        String request = asClient(client).post("/identity/rematch").then().statusCode(403).extract().header("X-Request-ID");
        assertThat(StoredAudit.ofRequest(jdbc, request)).contains("/identity/rematch").contains("403");
        assertThat(asClient(client).get("/identity/rematch").statusCode()).isIn(403, 404, 405);
        io.restassured.RestAssured.given().header("Authorization", "").post("/identity/rematch").then().statusCode(401);
    }

    @Test
    void withoutATokenConformanceIsRefusedAndDiscoveryIsPublic() {
        io.restassured.RestAssured.given().header("Authorization", "").get("/fhir/StructureDefinition/ChildPatient").then().statusCode(401);
        io.restassured.RestAssured.given().header("Authorization", "").get("/fhir/.well-known/smart-configuration").then().statusCode(200);
        io.restassured.RestAssured.given().header("Authorization", "").get("/.well-known/smart-configuration").then().statusCode(200);
    }

    /** A token whose scopes cover no StructureDefinition (Patient.rs only) is refused the read. */
    private static int scopedRead(String client) {
        return "patient-reader".equals(client) ? 403 : 200;
    }

    // ---- helpers ----

    private Response patch(String client, String url, String body) {
        return patch(client, url, body, "application/json-patch+json");
    }

    /** A PATCH as the demo client, with only this content type. */
    private Response patch(String client, String url, String body, String contentType) {
        return io.restassured.RestAssured.given().basePath("/fhir").accept("application/fhir+json").contentType(contentType)
                .header("Authorization", "Bearer " + tokenFor(client)).body(body).patch(url);
    }

    /** A fresh mental-health item of the health visitors' (its id, its identifier): each write test aims at its own. */
    private String[] hiddenMentalHealthItem() {
        String identifier = FhirFixtures.uniqueId("MENTAL");
        String id = createAs("rio-hv", "Observation", withIdentifier(FhirFixtures.observation("Patient/" + scene.rioChild, "27113001",
                "2026-10-10T10:30:00Z", 7.7), identifier).replace("{\"resourceType\": \"Observation\",", "{\"resourceType\": \"Observation\", " + PSY));
        return new String[] {id, identifier};
    }



    private String childRecordOf(String sourcePatient) {
        String child = jdbc.sql("select child_id from person_link where pool = 'Patient' and source_id = ? and ended is null and status = 'linked'")
                .param(sourcePatient).query(String.class).optional().orElse(null);
        assertThat(child).as("the GP's record is linked into a child record").isNotNull();
        return child;
    }


    private static String withIdentifier(String observation, String value) {
        return observation.replace("{\"resourceType\": \"Observation\",",
                "{\"resourceType\": \"Observation\", \"identifier\": [{\"system\": \"" + OBS_ID + "\", \"value\": \"" + value + "\"}],");
    }

    private static List<String> codes(Response r) {
        return r.jsonPath().getList("issue.code");
    }

    private static int total(Response r) {
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        return r.jsonPath().getInt("total");
    }

    private static List<String> ids(Response r) {
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        List<String> ids = r.jsonPath().getList("entry.resource.id");
        return ids == null ? List.of() : ids;
    }
}
