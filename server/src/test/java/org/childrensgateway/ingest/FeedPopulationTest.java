package org.childrensgateway.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.Random;
import org.childrensgateway.GatewayTestBase;
import org.childrensgateway.mappers.transform.NhsNumber;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A generated population in the three formats, through the real feeds: every ASQ-3 domain and the
 * ASQ:SE total from RiO and SystmOne, EYFS checks and sessions from the centres, babies who died,
 * families who moved, restricted records, withdrawals sent with an unmapped event, and a known number
 * of deliberately bad parts. Only those bad parts are quarantined, every withdrawal is applied, and no
 * new-family notification names a baby who died or a restricted record. {@code -Dpopulation.children=3000} for the figure in
 * docs/mappings.md; CI runs a smaller population.
 */
class FeedPopulationTest extends GatewayTestBase {

    private static final DateTimeFormatter DMY = DateTimeFormatter.ofPattern("dd/MM/yyyy");
    private static final String[] GIVEN = {"Amelia", "Osian", "Seren", "Llyr", "Cerys", "Noah", "Ffion", "Arthur", "Mali", "Rhys"};
    private static final String[] FAMILY = {"Jones", "Williams", "Davies", "Evans", "Thomas", "Roberts", "ap Dafydd", "O'Neill", "Price"};
    private static final String[] POSTCODES = {"NP4 6AB", "NP44 1AA", "NP4 9XX", "NP4 5DD", "CF10 1AA"};
    private static final String[] RIO_ASQ = {"ASQ3-COM", "ASQ3-GM", "ASQ3-FM", "ASQ3-PS", "ASQ3-PSOC", "ASQSE2"};
    private static final String[] OUTCOMES = {"Emerging", "Expected", "Exceeding"};
    private static final String[] ACTIVITIES = {"STAYPLAY", "BABYMASSAGE", "BUMP2BIRTH", "SPEECHGRP"};
    private static final String[] S1_ASQ = {"Y0ASQ1", "Y0ASQ2", "Y0ASQ3", "Y0ASQ4", "Y0ASQ5", "Y0ASQSE"};

    @Autowired
    private JdbcClient jdbc;

    @Test
    void onlyTheDeliberatelyBadPartsAreQuarantined() {
        int children = Integer.getInteger("population.children", 200);
        String run = Long.toString(System.nanoTime(), 36).toUpperCase();
        Random random = new Random(20261201L);
        LocalDate today = LocalDate.now();
        StringBuilder clients = new StringBuilder("ClientID,NHSNumber,NHSNumberStatus,Surname,Forenames,PreferredName,DateOfBirth,GenderCode,"
                + "AddressLine1,AddressLine2,AddressLine3,AddressLine4,Postcode,GPPracticeCode,EthnicCategory,DateOfDeath,LastUpdated\n");
        StringBuilder moves = new StringBuilder(clients);
        StringBuilder assessments = new StringBuilder("ClientID,AssessmentID,AssessmentDate,Team,ClinicianCode,ItemCode,Value,Unit,Sensitive\n");
        StringBuilder extract = new StringBuilder("<SystmOneExtract xmlns=\"urn:example:systmone-extract:1\" organisation=\"M85001\" "
                + "generated=\"2026-11-01T02:00:00Z\">\n");
        StringBuilder registrations = new StringBuilder("CentreCode,FamilyRef,ChildRef,ChildForename,ChildSurname,ChildDOB,ChildGender,"
                + "ChildNHSNumber,Carer1Forename,Carer1Surname,Carer1Relationship,Carer1Phone,Carer1Email,AddressLine1,AddressLine2,Town,"
                + "Postcode,RegistrationDate,ConsentShareHealth,ConsentShareScope,ConsentDate,ConsentReviewDue,ConsentWithdrawnDate\n");
        StringBuilder checks = new StringBuilder("ChildRef,CheckDate,Practitioner,PrimeArea,Outcome,Notes\n");
        StringBuilder attendance = new StringBuilder("ChildRef,CentreCode,SessionDate,ActivityCode,ActivityName,Attended\n");
        int badRecords = 0;
        int badParts = 0;
        int withdrawals = 0;
        int deceased = 0;
        int moved = 0;
        for (int i = 0; i < children; i++) {
            String id = run + "-" + i;
            String nhs = NhsNumber.withCheckDigit(Long.toString(990_000_000L + (Math.abs((run + i).hashCode()) % 9_000_000L))).orElse("");
            String given = GIVEN[random.nextInt(GIVEN.length)];
            String family = FAMILY[random.nextInt(FAMILY.length)];
            LocalDate born = today.minusDays(5 + random.nextInt(4 * 365));
            String postcode = POSTCODES[random.nextInt(POSTCODES.length)];
            boolean died = i % 50 == 7;
            if (died) {
                family = "Coll" + run + "x" + i; // findable: no notification may name a baby who died
                born = today.minusDays(5 + random.nextInt(60));
                postcode = "NP4 6AB";
            }
            deceased += died ? 1 : 0;
            boolean badNhs = i % 100 == 13;
            String nhsCell = badNhs ? "9995260183" : nhs; // fails modulus 11: the whole client is quarantined
            badRecords += badNhs ? 1 : 0;
            clients.append("RIO-").append(id).append(',').append(nhsCell).append(",01,").append(family).append(',').append(given)
                    .append(",,").append(born.format(DMY)).append(',').append(i % 2 == 0 ? 1 : 2).append(",1 Heol,,,,").append(postcode)
                    .append(",M85001,A,").append(died ? today.minusDays(1).format(DMY) : "").append(",01/11/2026 10:00:00\n");
            if (i % 30 == 11 && !badNhs) {
                moved++;
                moves.append("RIO-").append(id).append(',').append(nhs).append(",01,").append(family).append(',').append(given)
                        .append(",,").append(born.format(DMY)).append(',').append(i % 2 == 0 ? 1 : 2).append(",9 Ffordd Newydd,,,,NP44 3ZZ")
                        .append(",M85001,A,,02/11/2026 10:00:00\n");
            }
            if (!badNhs) {
                assessments.append("RIO-").append(id).append(",A-").append(id).append("-WT,10/10/2026 10:30,HV-NORTH,HV017,WT,")
                        .append(8 + random.nextInt(8)).append(".").append(random.nextInt(10)).append(",kg,N\n");
                if (i % 3 == 0) {
                    for (String code : RIO_ASQ) {
                        assessments.append("RIO-").append(id).append(",A-").append(id).append('-').append(code)
                                .append(",10/10/2026 10:30,HV-NORTH,HV017,").append(code).append(',').append(5 * random.nextInt(13)).append(",score,N\n");
                    }
                }
                if (i % 40 == 17) {
                    badParts++; // an item code RiO's map does not know: that row alone
                    assessments.append("RIO-").append(id).append(",A-").append(id).append("-X,10/10/2026 10:30,HV-NORTH,HV017,XYZ-NEW,1,,N\n");
                }
            }
            if (i % 2 == 0) {
                boolean withdraw = i % 20 == 4;
                withdrawals += withdraw ? 1 : 0;
                extract.append("<Patient id=\"S1-").append(id).append("\">")
                        .append(badNhs || nhs.isEmpty() ? "" : "<NHSNumber verified=\"true\">" + nhs + "</NHSNumber>")
                        .append("<Name><Forenames>").append(given).append("</Forenames><Surname>").append(family.replace("'", "&apos;"))
                        .append("</Surname></Name><DateOfBirth>").append(born).append("</DateOfBirth><Sex>").append(i % 2 == 0 ? "M" : "F")
                        .append("</Sex><Events>");
                for (String code : S1_ASQ) {
                    extract.append("<Event id=\"S1-").append(id).append('-').append(code).append("\" date=\"2026-10-12T10:30:00Z\">")
                            .append("<Code scheme=\"LOCAL\" value=\"").append(code).append("\"/><Value numeric=\"").append(5 * random.nextInt(13))
                            .append("\" unit=\"score\"/></Event>");
                }
                if (withdraw) {
                    badParts++; // sent with the withdrawal: quarantined alone, the withdrawal is applied
                    extract.append("<Event id=\"S1-").append(id).append("-X\" date=\"2026-10-12T10:30:00Z\"><Code scheme=\"LOCAL\" value=\"Y9NEW\"/>")
                            .append("<Value numeric=\"1\" unit=\"score\"/></Event>");
                }
                extract.append("</Events><ConsentRecords><Consent id=\"S1-").append(id).append("-K\" date=\"2026-10-01\" ")
                        .append("type=\"SHARE-ALL-EARLY-YEARS\" status=\"").append(withdraw ? "withdrawn" : "granted")
                        .append("\" expires=\"2027-10-01\"/></ConsentRecords></Patient>\n");
            }
            if (i % 3 == 1) {
                registrations.append("CC-TORFAEN-01,F-").append(id).append(",C-").append(id).append(',').append(given).append(',')
                        .append(family.contains(" ") ? "\"" + family + "\"" : family).append(',').append(born.format(DMY)).append(',')
                        .append(i % 2 == 0 ? "Male" : "Female").append(',').append(i % 6 == 1 || badNhs ? "" : nhs)
                        .append(",Carer,").append(family.contains(" ") ? "\"" + family + "\"" : family).append(",Mother,,,1 Heol,,Pontypool,")
                        .append(postcode).append(",01/06/2026,Y,HV;GP,01/06/2026,01/06/2027,\n");
                for (String area : new String[] {"PSED", "CL", "PD"}) {
                    checks.append("C-").append(id).append(",20/05/2026,K. Morgan,").append(area).append(',')
                            .append(OUTCOMES[random.nextInt(OUTCOMES.length)]).append(",\"Notes, with a comma\nand a line break\"\n");
                }
                attendance.append("C-").append(id).append(",CC-TORFAEN-01,04/06/2026,").append(ACTIVITIES[random.nextInt(ACTIVITIES.length)])
                        .append(",Session,").append(random.nextBoolean() ? "Y" : "N").append('\n');
            }
        }
        extract.append("</SystmOneExtract>\n");

        long start = System.nanoTime();
        int quarantined = 0;
        int records = 0;
        for (String[] feed : new String[][] {{"rio", "clients", clients.toString(), "text/csv"},
                {"rio", "assessments", assessments.toString(), "text/csv"}, {"systmone", "extract", extract.toString(), "application/xml"},
                {"childrens-centre", "registrations", registrations.toString(), "text/csv"},
                {"childrens-centre", "progress-checks", checks.toString(), "text/csv"},
                {"childrens-centre", "attendance", attendance.toString(), "text/csv"}, {"rio", "clients", moves.toString(), "text/csv"}}) {
            JsonPath report = send(feed[0], feed[1], feed[2], feed[3]);
            quarantined += report.getInt("quarantined");
            records += report.getInt("records");
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        int inactive = jdbc.sql("select count(*) from resource r join sp_token t on t.pid = r.pid where r.res_type = 'Consent' "
                        + "and not r.deleted and t.name = 'identifier' and t.code like ? and r.content->>'status' = 'inactive'")
                .param("S1-" + run + "-%").query(Integer.class).single();
        System.out.printf("Feed population: %d children, %d source records in %.1f s (%.0f records/s); quarantined %d "
                        + "(deliberate: %d records, %d parts); %d deceased, %d moved, %d withdrawals applied of %d%n",
                children, records, seconds, records / seconds, quarantined, badRecords, badParts, deceased, moved, inactive, withdrawals);
        assertThat(quarantined).as("only the deliberately bad records and parts").isEqualTo(badRecords + badParts);
        assertThat(inactive).as("every withdrawal applied, even with an unmapped event beside it").isEqualTo(withdrawals);

        // Restricted records (adoption, refuge) arrive through the FHIR API: no reference format marks them.
        int restricted = Math.max(3, children / 100);
        for (int i = 0; i < restricted; i++) {
            createAs("rio-hv", "Patient", org.childrensgateway.fhir.FhirFixtures.restricted(org.childrensgateway.fhir.FhirFixtures.patient("RIOX-" + run + "-" + i,
                    org.childrensgateway.fhir.FhirFixtures.nhsNumber(), "Cudd" + run + "x" + i, "Elin", today.minusDays(10).toString(), "female",
                    "NP4 6AB")));
        }
        // The centres' new-family notifications for the whole population: never a baby who died, never a restricted record.
        String notifications = asClient("estart-centre").get("/export/childrens-centre/notifications").then().statusCode(200).extract().asString();
        long rows = notifications.lines().count() - 1;
        System.out.printf("Feed population: %d new-family notifications; %d restricted records, none notified%n", rows, restricted);
        assertThat(rows).as("new babies and move-ins in reach are notified").isPositive();
        assertThat(notifications).doesNotContain("Coll" + run).doesNotContain("Cudd" + run);
    }

    private JsonPath send(String feed, String file, String body, String type) {
        Response r = asFeed(feed).contentType(type + "; charset=UTF-8").body(body.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .post("/ingest/" + feed + "/" + file);
        if (r.statusCode() == 202) {
            String location = r.header("Location");
            for (int i = 0; i < 6000; i++) {
                JsonPath status = asFeed(feed).get(location).then().statusCode(200).extract().jsonPath();
                if (!"queued".equals(status.getString("status")) && !"running".equals(status.getString("status"))) {
                    assertThat(status.getString("status")).isEqualTo("done");
                    return status;
                }
                sleep();
            }
            throw new AssertionError("job did not finish");
        }
        r.then().statusCode(200);
        return r.jsonPath();
    }

    private static void sleep() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
