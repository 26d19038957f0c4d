package org.childrensgateway.consent;

import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.childrensgateway.GatewayTestBase;
import org.childrensgateway.fhir.FhirFixtures;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Who may see what, as a table: each scenario (a caller and a resource recorded by someone) is
 * checked on every read path. A withheld resource must look exactly like one that does not exist:
 * not readable, not counted, not included, not in history, not exported.
 */
class ConsentScenarioTest extends GatewayTestBase {

    /** The data every scenario reads, created once per test run by each organisation under its own token. */
    static final class Scene {
        String gpOwn;            // GP's own child, consent refused to everyone
        String gpOwnObs;
        String consentedObs;     // GP data, consent to the early-years team (EY) in date
        String consentedPatient;
        String refusedObs;       // GP data, consent refused
        String withdrawnObs;     // GP data, consent given then withdrawn
        String expiredObs;       // GP data, consent past its review date
        String rioChild;         // RiO's child: live-birth agreement applies to its demographics
        String rioWeight;        // RiO data, consent to GP
        String rioSensitive;     // RiO mental-health item: consent to GP does not name PSY
        String centreCheck;      // children's centre progress check with a detailed note, consent to HV
    }

    private static Scene scene;

    @BeforeEach
    void createSceneOnce() {
        if (scene != null) {
            return;
        }
        Scene s = new Scene();
        String gp = tokenFor("systmone-gp");
        String hv = tokenFor("rio-hv");
        String centre = tokenFor("estart-centre");
        String today = LocalDate.now().toString();

        s.gpOwn = create(gp, "Patient", child("Own"));
        s.gpOwnObs = create(gp, "Observation", weight(s.gpOwn, 10.1, null));
        create(gp, "Consent", consent(s.gpOwn, "active", "deny", "2026-01-01", null, List.of(), List.of()));

        s.consentedPatient = create(gp, "Patient", child("Consented"));
        s.consentedObs = create(gp, "Observation", weight(s.consentedPatient, 11.1, null));
        create(gp, "Consent", consent(s.consentedPatient, "active", "permit", "2026-01-01", LocalDate.now().plusYears(1).toString(),
                List.of("EY", "GP"), List.of()));

        String refused = create(gp, "Patient", child("Refused"));
        s.refusedObs = create(gp, "Observation", weight(refused, 12.1, null));
        create(gp, "Consent", consent(refused, "active", "permit", "2025-01-01", LocalDate.now().plusYears(1).toString(), List.of("EY"), List.of()));
        create(gp, "Consent", consent(refused, "active", "deny", "2025-06-01", null, List.of(), List.of()));

        String withdrawn = create(gp, "Patient", child("Withdrawn"));
        s.withdrawnObs = create(gp, "Observation", weight(withdrawn, 13.1, null));
        create(gp, "Consent", consent(withdrawn, "inactive", "permit", "2025-01-01", "2025-08-10", List.of("EY"), List.of()));

        String expired = create(gp, "Patient", child("Expired"));
        s.expiredObs = create(gp, "Observation", weight(expired, 14.1, null));
        create(gp, "Consent", consent(expired, "active", "permit", "2025-06-01", "2026-06-01", List.of("EY"), List.of()));

        s.rioChild = create(hv, "Patient", child("Rio"));
        s.rioWeight = create(hv, "Observation", weight(s.rioChild, 9.9, null));
        s.rioSensitive = create(hv, "Observation", weight(s.rioChild, 9.8, null).replace("{\"resourceType\": \"Observation\",",
                "{\"resourceType\": \"Observation\", \"meta\": {\"security\": [{\"system\": \"http://terminology.hl7.org/CodeSystem/v3-ActCode\", \"code\": \"PSY\"}]},"));
        create(hv, "Consent", consent(s.rioChild, "active", "permit", today, LocalDate.now().plusYears(1).toString(), List.of("GP"), List.of()));

        String centreChild = create(centre, "Patient", child("Centre"));
        s.centreCheck = create(centre, "Observation", weight(centreChild, 15.5, "Uses around 20 words; parent reports fewer at home."));
        create(centre, "Consent", consent(centreChild, "active", "permit", today, LocalDate.now().plusYears(1).toString(), List.of("HV"), List.of()));
        scene = s;
    }

    /** caller client, break-glass reason, resource, whether it is disclosed, what each case shows */
    static Stream<Arguments> scenarios() {
        return Stream.of(
                Arguments.of("own data", "systmone-gp", null, (Target) s -> s.gpOwnObs, true),
                Arguments.of("consented partner (EY consent in date)", "rio-hv", null, (Target) s -> s.consentedObs, true),
                Arguments.of("refused after an earlier grant", "rio-hv", null, (Target) s -> s.refusedObs, false),
                Arguments.of("withdrawn", "rio-hv", null, (Target) s -> s.withdrawnObs, false),
                Arguments.of("review date passed", "rio-hv", null, (Target) s -> s.expiredObs, false),
                Arguments.of("no consent names the caller", "estart-centre", null, (Target) s -> s.rioWeight, false),
                Arguments.of("consented to GP, not sensitive", "systmone-gp", null, (Target) s -> s.rioWeight, true),
                Arguments.of("sensitive item not named by consent", "systmone-gp", null, (Target) s -> s.rioSensitive, false),
                Arguments.of("break-glass by a social worker", "la-social-care", "Child at risk of significant harm: S47 enquiry",
                        (Target) s -> s.refusedObs, true),
                Arguments.of("social worker without break-glass", "la-social-care", null, (Target) s -> s.refusedObs, false),
                Arguments.of("break-glass by an ineligible role", "estart-centre", "curious", (Target) s -> s.refusedObs, false));
    }

    interface Target {
        String of(Scene s);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void everyReadPathAgrees(String name, String client, String breakGlass, Target target, boolean disclosed) {
        String id = target.of(scene);
        String patient = as("gateway-tests", null).get("/Observation/" + id).statusCode() == 404 ? patientOf(id) : null;
        RequestSpecification caller = as(client, breakGlass);
        int expected = disclosed ? 200 : 404;

        assertThat(as(client, breakGlass).get("/Observation/" + id).statusCode()).as("read").isEqualTo(expected);
        assertThat(as(client, breakGlass).get("/Observation/" + id + "/_history/1").statusCode()).as("vread").isEqualTo(expected);
        assertThat(as(client, breakGlass).get("/Observation/" + id + "/_history").statusCode()).as("history").isEqualTo(expected);
        assertThat(total(as(client, breakGlass).get("/Observation?_id=" + id))).as("search").isEqualTo(disclosed ? 1 : 0);
        assertThat(total(as(client, breakGlass).get("/Observation?_id=" + id + "&_summary=count"))).as("count").isEqualTo(disclosed ? 1 : 0);
        String subject = patient != null ? patient : patientOf(id);
        Response rev = as(client, breakGlass).get("/Patient?_id=" + subject.substring(8) + "&_revinclude=Observation:subject");
        assertThat(ids(rev).contains(id)).as("revinclude").isEqualTo(disclosed);
        Response paged = as(client, breakGlass).get("/Observation?subject=" + subject + "&_count=1");
        List<String> seen = new ArrayList<>(ids(paged));
        String next = paged.jsonPath().getString("link.find { it.relation == 'next' }.url");
        while (next != null) {
            Response page = as(client, breakGlass).get(next);
            seen.addAll(ids(page));
            next = page.jsonPath().getString("link.find { it.relation == 'next' }.url");
        }
        assertThat(seen.contains(id)).as("paged search").isEqualTo(disclosed);
        // $everything about the child lists the item only if it is disclosed (and counts it only then).
        Response everything = as(client, breakGlass).get("/" + subject + "/$everything?_count=100");
        if (everything.statusCode() == 200) {
            assertThat(ids(everything).contains(id)).as("$everything").isEqualTo(disclosed);
        } else {
            assertThat(everything.statusCode()).as("$everything of a child the caller may not see").isEqualTo(404);
            assertThat(disclosed).as("a disclosed item's child is visible").isFalse();
        }
        if (breakGlass != null && disclosed) {
            assertThat(as(client, breakGlass).get("/Observation/" + id).header("X-Break-Glass")).as("break-glass is announced").isNotNull();
        }
        if (!disclosed) {
            // A withheld resource answers exactly as a missing one.
            String hidden = as(client, breakGlass).get("/Observation/" + id).jsonPath().getString("issue[0].code");
            String missing = as(client, breakGlass).get("/Observation/no-such-" + id).jsonPath().getString("issue[0].code");
            assertThat(hidden).isEqualTo(missing);
        }
    }

    @ParameterizedTest(name = "live-birth agreement releases name, birth date and address only")
    @MethodSource("noArgs")
    void liveBirthAgreementReleasesDemographicsOnly(String ignored) {
        JsonPath child = as("estart-centre", null).get("/Patient/" + scene.rioChild).then().statusCode(200).extract().jsonPath();
        assertThat(child.getString("name[0].family")).isNotNull();
        assertThat(child.getString("birthDate")).isNotNull();
        assertThat(child.getString("address[0].postalCode")).isNotNull();
        assertThat(child.getList("identifier")).as("NHS number withheld").isNullOrEmpty();
        assertThat(child.getString("gender")).as("other elements removed").isNull();
        assertThat(child.getList("meta.security.code")).contains("REDACTED");
        // The child's observations are not covered by the agreement.
        as("estart-centre", null).get("/Observation/" + scene.rioWeight).then().statusCode(404);
    }

    @ParameterizedTest(name = "detailed notes stay within the recording profession")
    @MethodSource("noArgs")
    void notesStayWithinTheRecordingProfession(String ignored) {
        JsonPath seenByHv = as("rio-hv", null).get("/Observation/" + scene.centreCheck).then().statusCode(200).extract().jsonPath();
        assertThat(seenByHv.getList("note")).as("health visitor: no centre notes").isNullOrEmpty();
        assertThat(seenByHv.getFloat("valueQuantity.value")).isEqualTo(15.5f);
        JsonPath seenByCentre = as("estart-centre", null).get("/Observation/" + scene.centreCheck).then().statusCode(200).extract().jsonPath();
        assertThat(seenByCentre.getString("note[0].text")).contains("20 words");
    }

    @ParameterizedTest(name = "break-glass use is listed for the data owner")
    @MethodSource("noArgs")
    void breakGlassIsNotifiedToTheOwner(String ignored) {
        as("la-social-care", "S47 enquiry").get("/Observation/" + scene.refusedObs).then().statusCode(200);
        List<String> resources = as("systmone-gp", null).basePath("").get("/notifications/break-glass").then().statusCode(200)
                .extract().jsonPath().getList("resource");
        assertThat(resources).contains("Observation/" + scene.refusedObs);
        // The social worker's own organisation does not see the GP's notifications.
        assertThat(as("la-social-care", null).basePath("").get("/notifications/break-glass").then().statusCode(200)
                .extract().jsonPath().getList("resource")).doesNotContain("Observation/" + scene.refusedObs);
    }

    @ParameterizedTest(name = "auditors get an explanation of each decision")
    @MethodSource("noArgs")
    void auditorsCanAskWhy(String ignored) {
        Response explained = as("ig-auditor", null).get("/Observation?_id=" + scene.refusedObs + "," + scene.consentedObs
                + "&_explain=true&_explainFor=RX9|health-visitor|TREAT");
        explained.then().statusCode(200);
        String text = explained.asString();
        assertThat(text).contains("Observation/" + scene.refusedObs + ": withheld by rule consent-refused");
        assertThat(text).contains("Observation/" + scene.consentedObs + ": disclosed by rule consent");
        // Everyone else is refused an explanation.
        as("rio-hv", null).get("/Observation?_id=" + scene.refusedObs + "&_explain=true").then().statusCode(403);
    }

    static Stream<String> noArgs() {
        return Stream.of("once");
    }

    private RequestSpecification as(String client, String breakGlass) {
        String token = client.equals("gateway-tests") ? token() : tokenFor(client);
        RequestSpecification spec = RestAssured.given().basePath("/fhir").accept("application/fhir+json")
                .header("Authorization", "Bearer " + token);
        return breakGlass == null ? spec : spec.header("X-Break-Glass-Reason", breakGlass);
    }

    private String patientOf(String observationId) {
        // Read as the organisation that recorded it (whichever of the three it is).
        for (String client : List.of("systmone-gp", "rio-hv", "estart-centre")) {
            Response r = as(client, null).get("/Observation/" + observationId);
            if (r.statusCode() == 200) {
                return r.jsonPath().getString("subject.reference");
            }
        }
        throw new IllegalStateException("observation not readable by its recorder");
    }

    private String create(String token, String type, String json) {
        Response r = RestAssured.given().basePath("/fhir").contentType("application/fhir+json; charset=UTF-8")
                .header("Authorization", "Bearer " + token).body(json).post("/" + type);
        assertThat(r.statusCode()).as("create %s: %s", type, r.asString()).isEqualTo(201);
        return r.jsonPath().getString("id");
    }

    private static int total(Response r) {
        assertThat(r.statusCode()).isEqualTo(200);
        return r.jsonPath().getInt("total");
    }

    private static List<String> ids(Response r) {
        assertThat(r.statusCode()).isEqualTo(200);
        List<String> ids = r.jsonPath().getList("entry.resource.id");
        return ids == null ? List.of() : ids;
    }

    private static String child(String family) {
        return FhirFixtures.patient(FhirFixtures.uniqueId("SC"), FhirFixtures.nhsNumber(), "Scene" + family, "Child", "2024-04-04", "female",
                "NP4 6AB");
    }

    private static String weight(String patient, double kg, String note) {
        String obs = FhirFixtures.observation("Patient/" + patient, "27113001", "2026-10-10T10:30:00Z", kg);
        return note == null ? obs : obs.replace("\"status\": \"final\",", "\"status\": \"final\", \"note\": [{\"text\": \"" + note + "\"}],");
    }

    private static String consent(String patient, String status, String type, String date, String end, List<String> scopes,
                                  List<String> labels) {
        return FhirFixtures.consent(patient, status, type, date, end, scopes);
    }
}
