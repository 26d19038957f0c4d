package org.childrensgateway.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.childrensgateway.GatewayTestBase;
import org.childrensgateway.fhir.FhirFixtures;
import org.childrensgateway.security.Caller;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** Every access and change leaves an AuditEvent; the trail is read-only, chained and verifiable. */
class AuditTest extends GatewayTestBase {

    /** Audit records are for auditors: only the auditor role may read them (consent rule audit-records). */
    private io.restassured.specification.RequestSpecification auditor() {
        return fhir().header("Authorization", "Bearer " + tokenFor("ig-auditor"));
    }


    private static final String READ = "http://hl7.org/fhir/restful-interaction|read";
    private static final String SEARCH = "http://hl7.org/fhir/restful-interaction|search-type";
    private static final String CREATE = "http://hl7.org/fhir/restful-interaction|create";

    @Autowired
    private JdbcClient jdbc;
    @Autowired
    private PlatformTransactionManager transactions;
    @Autowired
    private AuditLog auditLog;

    private String createPatient(String family) {
        String body = FhirFixtures.patient(FhirFixtures.uniqueId("A"), FhirFixtures.nhsNumber(), family, "Amelia", "2023-05-14",
                "female", "NP4 6AB");
        return fhir().body(body).post("/Patient").then().statusCode(201).extract().jsonPath().getString("id");
    }

    /** AuditEvents matching {@code query} recorded since {@code since}, as a searchset. */
    private JsonPath audits(Instant since, String query) {
        return auditor().get("/AuditEvent?date=ge" + since + "&_count=100&" + query).then().statusCode(200).extract().jsonPath();
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS).minusMillis(5);
    }

    @Test
    void readCreatesAnAuditEventNamingThePatient() {
        String id = createPatient("Audited");
        Instant start = now();
        fhir().get("/Patient/" + id).then().statusCode(200);

        JsonPath found = audits(start, "patient=Patient/" + id + "&subtype=" + READ);
        assertThat(found.getInt("total")).isEqualTo(1);
        String prefix = "entry[0].resource.";
        assertThat(found.getString(prefix + "type.code")).isEqualTo("rest");
        assertThat(found.getString(prefix + "action")).isEqualTo("R");
        assertThat(found.getString(prefix + "outcome")).isEqualTo("0");
        assertThat(found.getList(prefix + "entity.what.reference", String.class)).contains("Patient/" + id);
        assertThat(found.getList(prefix + "entity.role.code", String.class)).contains("1");
        // The caller from the token: the client and its organisation.
        assertThat(found.getList(prefix + "agent.altId", String.class)).contains(TEST_CLIENT, "TEST-ORG");
        assertThat(found.getList(prefix + "agent.type.coding.code.flatten()", String.class)).contains("110153", "110152");
        // Searchable by the patient the auditor asks about, by the date range and by the read subtype.
        assertThat(audits(start.minusSeconds(3600), "patient=Patient/" + id + "&subtype=" + READ).getInt("total")).isEqualTo(1);
        assertThat(audits(start.plusSeconds(3600), "patient=Patient/" + id).getInt("total")).isZero();
    }

    @Test
    void searchRecordsThePatientsOfTheReturnedPageAndTheQuery() {
        String family = FhirFixtures.uniqueId("Searchfam").replace("-", "");
        String a = createPatient(family);
        String b = createPatient(family);
        String obs = fhir().body(FhirFixtures.observation("Patient/" + a, "27113001", "2025-01-10T10:30:00Z", 12.4))
                .post("/Observation").then().statusCode(201).extract().jsonPath().getString("id");
        Instant start = now();
        fhir().get("/Patient?family=" + family).then().statusCode(200);

        JsonPath found = audits(start, "patient=Patient/" + b + "&subtype=" + SEARCH);
        assertThat(found.getInt("total")).isEqualTo(1);
        String prefix = "entry[0].resource.";
        assertThat(found.getList(prefix + "entity.what.reference", String.class)).contains("Patient/" + a, "Patient/" + b);
        assertThat(found.getString(prefix + "action")).isEqualTo("E");
        String query = found.getList(prefix + "entity.findAll { it.role.code == '24' }.query", String.class).get(0);
        assertThat(new String(Base64.getDecoder().decode(query))).isEqualTo("family=" + family);

        // A search of another type names the patients its results are about.
        Instant second = now();
        fhir().get("/Observation?code=27113001&_id=" + obs).then().statusCode(200).body("total", org.hamcrest.Matchers.equalTo(1));
        JsonPath observations = audits(second, "patient=Patient/" + a + "&subtype=" + SEARCH);
        assertThat(observations.getInt("total")).isEqualTo(1);
        assertThat(observations.getList("entry[0].resource.entity.what.reference", String.class)).contains("Observation/" + obs);
    }

    @Test
    void notFoundAndUnprocessableAreAuditedAsFailures() {
        String missing = FhirFixtures.uniqueId("missing");
        Instant start = now();
        fhir().get("/Patient/" + missing).then().statusCode(404);
        JsonPath notFound = audits(start, "patient=Patient/" + missing);
        assertThat(notFound.getInt("total")).isEqualTo(1);
        assertThat(notFound.getString("entry[0].resource.outcome")).isEqualTo("4");
        assertThat(notFound.getString("entry[0].resource.outcomeDesc")).contains("ResourceNotFoundException");
        assertThat(audits(start, "patient=Patient/" + missing + "&subtype=" + READ + "&outcome=4").getInt("total")).isEqualTo(1);
        assertThat(audits(start, "patient=Patient/" + missing + "&subtype=" + READ + "&outcome=0").getInt("total")).isZero();

        Instant before422 = now();
        String nhs = FhirFixtures.nhsNumber();
        String badCheckDigit = nhs.substring(0, 9) + (char) ('0' + (nhs.charAt(9) - '0' + 1) % 10);
        String invalid = FhirFixtures.patient(FhirFixtures.uniqueId("A"), badCheckDigit, "Bad", "Number", "2023-05-14",
                "female", "NP4 6AB");
        fhir().body(invalid).post("/Patient").then().statusCode(422);
        JsonPath unprocessable = audits(before422, "subtype=" + CREATE + "&outcome=4");
        assertThat(unprocessable.getInt("total")).isEqualTo(1);
        assertThat(unprocessable.getString("entry[0].resource.outcomeDesc")).contains("UnprocessableEntityException");
        assertThat(details(unprocessable, "entry[0].resource.", "http-status")).containsExactly("422");
    }

    @Test
    void auditEventsAreReadOnlyOverTheApiAndInTheDatabase() {
        String id = createPatient("Readonly");
        Instant start = now();
        fhir().get("/Patient/" + id).then().statusCode(200);
        String auditId = audits(start, "patient=Patient/" + id + "&subtype=" + READ).getString("entry[0].resource.id");
        String event = auditor().get("/AuditEvent/" + auditId).then().statusCode(200).extract().asString();

        fhir().body(event).put("/AuditEvent/" + auditId).then().statusCode(405);
        fhir().delete("/AuditEvent/" + auditId).then().statusCode(405);
        fhir().body(event.replace("\"id\":\"" + auditId + "\",", "")).post("/AuditEvent").then().statusCode(405);
        auditor().get("/AuditEvent/" + auditId).then().statusCode(200).body("meta.versionId", org.hamcrest.Matchers.equalTo("1"));
        // Nor can a transaction Bundle slip one in.
        String forged = event.replace("\"id\":\"" + auditId + "\",", "");
        fhir().body("""
                {"resourceType": "Bundle", "type": "transaction", "entry": [{"fullUrl": "urn:uuid:5b0c0b8e-1a8e-4a43-9f59-7d2f2c6f0d10",
                  "resource": %s, "request": {"method": "POST", "url": "AuditEvent"}}]}
                """.formatted(forged)).post("/").then().statusCode(405);
        // Searching by POST is still a search.
        RestAssured.given().basePath("/fhir").header("Authorization", "Bearer " + tokenFor("ig-auditor"))
                .contentType(io.restassured.http.ContentType.URLENC).formParam("_id", auditId).post("/AuditEvent/_search")
                .then().statusCode(200).body("total", org.hamcrest.Matchers.equalTo(1));

        // Below the API, the database refuses changes to stored AuditEvents and to the chain.
        assertThatThrownBy(() -> jdbc.sql("update resource set content = content where res_type = 'AuditEvent' and res_id = ?")
                .param(auditId).update()).hasStackTraceContaining("append-only");
        assertThatThrownBy(() -> jdbc.sql("delete from resource where res_type = 'AuditEvent' and res_id = ?")
                .param(auditId).update()).hasStackTraceContaining("append-only");
        // (History copies of AuditEvents, which older versions wrote, are guarded the same way:
        // eventsKeepNoHistoryCopyAndReadAsThoseThatHaveOne.)
        assertThatThrownBy(() -> jdbc.sql("delete from audit_chain where res_id = ?").param(auditId).update())
                .hasStackTraceContaining("append-only");
    }

    @Test
    void concurrentRequestsAreEachAuditedOnceAndTheChainStaysIntact() throws Exception {
        // Records are committed in groups: every one of many concurrent reads is still in the trail when its
        // response arrives, exactly once, and the chain verifies.
        String id = createPatient("Grwp");
        Instant since = now();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(16);
        try {
            java.util.List<java.util.concurrent.Future<String>> reads = new java.util.ArrayList<>();
            for (int i = 0; i < 64; i++) {
                reads.add(pool.submit(() -> {
                    String requestId = java.util.UUID.randomUUID().toString();
                    fhir().header("X-Request-ID", requestId).get("/Patient/" + id).then().statusCode(200);
                    // Audited before the response completed: the record is there as soon as the read returns.
                    assertThat(jdbc.sql("select count(*) from resource where res_type = 'AuditEvent' and content::text like ?")
                            .param("%" + requestId + "%").query(Integer.class).single()).isEqualTo(1);
                    return requestId;
                }));
            }
            for (var read : reads) {
                read.get(60, java.util.concurrent.TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(audits(since, "entity=Patient/" + id + "&subtype=" + READ).getInt("total")).isEqualTo(64);
        assertThat(parameter(verify(), "result")).isEqualTo(true);
    }

    @Test
    void aGroupOfRecordsIsLinkedInOneStatementAndTheChainVerifies() throws Exception {
        // Hold the chain head's lock, so the first read's group waits at its chain append while the
        // others queue; released, they commit as one group: one transaction (links sharing appended,
        // the transaction's start), linked in one statement, each link naming the previous one's hash.
        String id = createPatient("Grwpiau");
        java.util.concurrent.CountDownLatch locked = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        List<String> requestIds = new java.util.ArrayList<>();
        try {
            var holder = holdChainHead(pool, locked, release);
            assertThat(locked.await(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            List<java.util.concurrent.Future<?>> reads = new java.util.ArrayList<>();
            for (int i = 0; i < 6; i++) {
                String requestId = java.util.UUID.randomUUID().toString();
                requestIds.add(requestId);
                reads.add(pool.submit(() -> fhir().header("X-Request-ID", requestId).get("/Patient/" + id).then().statusCode(200)));
                Thread.sleep(i == 0 ? 500 : 50);
            }
            Thread.sleep(500);
            release.countDown();
            holder.get(30, java.util.concurrent.TimeUnit.SECONDS);
            for (var read : reads) {
                read.get(60, java.util.concurrent.TimeUnit.SECONDS);
            }
        } finally {
            release.countDown();
            pool.shutdownNow();
        }
        List<Map<String, Object>> links = jdbc.sql("""
                select c.seq, c.appended, c.prev_hash, c.chain_hash from audit_chain c join resource r on r.pid = c.pid
                where r.res_type = 'AuditEvent' and (""" + String.join(" or ", java.util.Collections.nCopies(requestIds.size(),
                "r.content::text like ?")) + ") order by c.seq")
                .params(requestIds.stream().map(r -> (Object) ("%" + r + "%")).toList()).query().listOfRows();
        assertThat(links).hasSize(requestIds.size());
        // Most of them shared one transaction.
        long largestGroup = links.stream().collect(java.util.stream.Collectors.groupingBy(l -> l.get("appended"),
                java.util.stream.Collectors.counting())).values().stream().mapToLong(Long::longValue).max().orElseThrow();
        assertThat(largestGroup).isGreaterThanOrEqualTo(3);
        assertThat(parameter(verify(), "result")).isEqualTo(true);
    }

    @Test
    void eachEventOfAGroupGetsItsOwnIndexRowsAndIsFoundByTheDocumentedSearches() throws Exception {
        // A group is stored in one statement: every index row must land on its own event, not on
        // another of the group, and no history copy is written. Records that differ in every indexed value are held at the
        // chain head's lock so that they commit together, then each is checked row by row against
        // AuditIndexRows and found (alone) by the searches of docs/audit.md.
        int n = 5;
        List<AuditRecord> records = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            String patient = "Patient/" + FhirFixtures.uniqueId("grp" + i);
            String other = "Observation/" + FhirFixtures.uniqueId("obs" + i);
            String ods = FhirFixtures.uniqueId("RG" + i).replace("-", "");
            Caller caller = new Caller("client-" + ods, i % 2 == 0 ? "user-" + ods : null, ods, i % 2 == 0 ? "health-visitor" : "gp",
                    i % 3 == 0 ? "AUDIT" : "TREAT", Set.of("user/Patient.rs"), i == 1 ? "Child at immediate risk" : null);
            records.add(new AuditRecord(i == 2 ? "search-type" : "read", "Patient", caller, Set.of(patient), List.of(patient, other), 0,
                    null, i == 3 ? AuditRecord.Outcome.MINOR_FAILURE : AuditRecord.Outcome.SUCCESS, null, caller.breakGlass(),
                    null, caller.purposeOfUse(), "node-a", "10.0.0.1", Map.of("request-id", ods)));
        }
        java.util.concurrent.CountDownLatch locked = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(n + 1);
        List<java.util.concurrent.Future<String>> ids = new java.util.ArrayList<>();
        try {
            var holder = holdChainHead(pool, locked, release);
            assertThat(locked.await(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            for (int i = 0; i < n; i++) {
                AuditRecord record = records.get(i);
                ids.add(pool.submit(() -> auditLog.record(record)));
                Thread.sleep(i == 0 ? 500 : 50);
            }
            Thread.sleep(300);
            release.countDown();
            holder.get(30, java.util.concurrent.TimeUnit.SECONDS);
        } finally {
            release.countDown();
        }
        List<String> eventIds = new java.util.ArrayList<>();
        for (var id : ids) {
            eventIds.add(id.get(60, java.util.concurrent.TimeUnit.SECONDS));
        }
        pool.shutdownNow();
        // The later records shared one transaction (the first waited alone at the lock).
        long sharing = jdbc.sql("select count(*) from audit_chain where res_id = any(?) group by appended order by 1 desc limit 1")
                .param(eventIds.toArray(String[]::new)).query(Long.class).single();
        assertThat(sharing).isGreaterThanOrEqualTo(3);

        for (int i = 0; i < n; i++) {
            AuditRecord record = records.get(i);
            String id = eventIds.get(i);
            Map<String, Object> row = jdbc.sql("select pid, last_updated, content::text as content from resource"
                    + " where res_type = 'AuditEvent' and res_id = ?").param(id).query().singleRow();
            long pid = ((Number) row.get("pid")).longValue();
            Instant recorded = ((java.sql.Timestamp) row.get("last_updated")).toInstant();
            org.childrensgateway.store.IndexRows expected = AuditIndexRows.of(record, recorded);
            assertThat(jdbc.sql("select name, system, code from sp_token where pid = ? and res_type = 'AuditEvent'").param(pid)
                    .query((rs, k) -> new org.childrensgateway.store.IndexRows.Token(rs.getString(1), rs.getString(2), rs.getString(3))).list())
                    .as("tokens of event %d", i).containsExactlyInAnyOrderElementsOf(expected.tokens);
            assertThat(jdbc.sql("select name, target_type, target_id from sp_reference where pid = ? and res_type = 'AuditEvent'").param(pid)
                    .query((rs, k) -> new org.childrensgateway.store.IndexRows.Ref(rs.getString(1), rs.getString(2), rs.getString(3))).list())
                    .as("references of event %d", i).containsExactlyInAnyOrderElementsOf(expected.references);
            // Each Patient is indexed once, as entity; patient= is answered from those rows (ReferenceAlias).
            assertThat(expected.references).extracting(org.childrensgateway.store.IndexRows.Ref::name).containsOnly("entity");
            assertThat(expected.references).extracting(org.childrensgateway.store.IndexRows.Ref::targetType).contains("Patient", "Observation");
            assertThat(jdbc.sql("select name, low, high from sp_date where pid = ? and res_type = 'AuditEvent'").param(pid)
                    .query((rs, k) -> new org.childrensgateway.store.IndexRows.DateRange(rs.getString(1),
                            rs.getTimestamp(2).toInstant(), rs.getTimestamp(3).toInstant())).list())
                    .as("dates of event %d", i).containsExactlyInAnyOrderElementsOf(expected.dates);
            assertThat(jdbc.sql("select count(*) from sp_string where pid = ?").param(pid).query(Integer.class).single()).isZero();
            // No history copy (an AuditEvent never changes); vread reads the event itself.
            assertThat(jdbc.sql("select count(*) from resource_history where pid = ? or (res_type = 'AuditEvent' and res_id = ?)")
                    .params(pid, id).query(Integer.class).single()).isZero();
            JsonPath vread = auditor().get("/AuditEvent/" + id + "/_history/1").then().statusCode(200).extract().jsonPath();
            assertThat(vread.getString("id")).isEqualTo(id);
            assertThat(vread.getString("meta.lastUpdated")).isEqualTo(new JsonPath((String) row.get("content")).getString("meta.lastUpdated"));
            // The searches of docs/audit.md each find this event and no other of the group.
            String patient = record.patients().iterator().next();
            String ods = record.caller().organisation();
            String subtype = "http://hl7.org/fhir/restful-interaction|" + record.action();
            for (String query : List.of("patient=" + patient + "&date=ge" + recorded.minusSeconds(1) + "&_sort=date",
                    "patient=" + patient.substring("Patient/".length()) + "&altid=" + record.caller().organisation(),
                    "patient:missing=false&altid=" + record.caller().organisation(),
                    "entity=" + record.resources().get(1), "altid=" + ods, "altid=client-" + ods + "&subtype=" + subtype
                            + "&outcome=" + record.outcome().code(),
                    "altid=" + ods + "&agent-role=" + record.caller().role() + "&action=" + (i == 2 ? "E" : "R")
                            + "&type=http://terminology.hl7.org/CodeSystem/audit-event-type|rest",
                    "altid=" + ods + "&purpose=" + (i == 1 ? "BTG" : record.purposeOfUse()))) {
                JsonPath found = auditor().get("/AuditEvent?" + query).then().statusCode(200).extract().jsonPath();
                assertThat(found.getList("entry.resource.id", String.class)).as(query).containsExactly(id);
            }
            // patient= reads only the entity rows that point at a Patient: not the event's Observation.
            for (String query : List.of("patient=" + record.resources().get(1), "patient:missing=true&altid=" + ods)) {
                JsonPath found = auditor().get("/AuditEvent?" + query).then().statusCode(200).extract().jsonPath();
                assertThat(found.getList("entry.resource.id", String.class)).as(query).isEmpty();
            }
        }
        assertThat(parameter(verify(), "result")).isEqualTo(true);
    }

    @Test
    void chainVerifiesAndTamperingIsFoundAtTheTamperedLink() {
        String id = createPatient("Chain");
        Instant start = now();
        fhir().get("/Patient/" + id).then().statusCode(200);
        fhir().get("/Patient/" + id).then().statusCode(200);
        String auditId = audits(start, "patient=Patient/" + id + "&subtype=" + READ + "&_sort=date").getString("entry[0].resource.id");

        JsonPath ok = verify();
        assertThat(parameter(ok, "result")).isEqualTo(true);
        assertThat((Integer) parameter(ok, "checked")).isGreaterThanOrEqualTo(2);

        long seq = jdbc.sql("select seq from audit_chain where res_id = ?").param(auditId).query(Long.class).single();
        String original = jdbc.sql("select content::text from resource where res_type = 'AuditEvent' and res_id = ?")
                .param(auditId).query(String.class).single();
        try {
            // A privileged user bypassing the append-only triggers rewrites the outcome of one event.
            asSuperuserWithoutTriggers("update resource set content = jsonb_set(content, '{outcome}', '\"4\"')"
                    + " where res_type = 'AuditEvent' and res_id = ?", auditId);
            JsonPath broken = verify();
            assertThat(parameter(broken, "result")).isEqualTo(false);
            assertThat(((Integer) parameter(broken, "firstBrokenSeq")).longValue()).isEqualTo(seq);
            assertThat((Integer) parameter(broken, "checked")).isEqualTo((int) seq - 1);
            assertThat((String) parameter(broken, "reason")).contains("content");
        } finally {
            asSuperuserWithoutTriggers("update resource set content = ?::jsonb where res_type = 'AuditEvent' and res_id = ?",
                    original, auditId);
        }
        assertThat(parameter(verify(), "result")).isEqualTo(true);

        // Recomputing a tampered event's hashes does not help: the next link still names the old chain hash.
        String hash = jdbc.sql("select chain_hash from audit_chain where seq = ?").param(seq).query(String.class).single();
        try {
            asSuperuserWithoutTriggers("update audit_chain set chain_hash = ? where seq = ?", "f".repeat(64), seq);
            JsonPath broken = verify();
            assertThat(((Integer) parameter(broken, "firstBrokenSeq")).longValue()).isEqualTo(seq);
        } finally {
            asSuperuserWithoutTriggers("update audit_chain set chain_hash = ? where seq = ?", hash, seq);
        }
        assertThat(parameter(verify(), "result")).isEqualTo(true);
    }

    @Test
    void eventsKeepNoHistoryCopyAndReadAsThoseThatHaveOne() {
        // AuditEvents are stored without a history copy; vread, _history and $verify-audit-chain read the
        // event itself. Events stored before kept a copy (equal to the event): the same reads must answer
        // the same for both, list each event once, and a changed old copy must still break the chain.
        String patient = createPatient("Copyless");
        Instant start = now();
        fhir().get("/Patient/" + patient).then().statusCode(200);
        fhir().get("/Patient/" + patient).then().statusCode(200);
        List<String> ids = audits(start, "patient=Patient/" + patient + "&subtype=" + READ + "&_sort=date")
                .getList("entry.resource.id", String.class);
        assertThat(ids).hasSize(2);
        String old = ids.get(0);
        String fresh = ids.get(1);
        assertThat(jdbc.sql("select count(*) from resource_history where res_type = 'AuditEvent' and res_id = any(?)")
                .param(ids.toArray(String[]::new)).query(Integer.class).single()).isZero();
        // The older one as the previous AuditStore stored it: with its copy.
        jdbc.sql("insert into resource_history (pid, res_type, res_id, version_id, last_updated, deleted, method, content)"
                + " select pid, res_type, res_id, 1, last_updated, false, 'POST', content from resource"
                + " where res_type = 'AuditEvent' and res_id = ?").param(old).update();

        for (String id : ids) {
            String read = auditor().get("/AuditEvent/" + id).then().statusCode(200).extract().asString();
            Object event = new JsonPath(read).get();
            assertThat(new JsonPath(auditor().get("/AuditEvent/" + id + "/_history/1").then().statusCode(200).extract().asString())
                    .<Object>get()).as("vread of %s", id).isEqualTo(event);
            auditor().get("/AuditEvent/" + id + "/_history/2").then().statusCode(404);
            JsonPath history = auditor().get("/AuditEvent/" + id + "/_history").then().statusCode(200).extract().jsonPath();
            assertThat(history.getString("type")).isEqualTo("history");
            assertThat(history.getInt("total")).as("history of %s", id).isEqualTo(1);
            assertThat(history.<Object>get("entry[0].resource")).isEqualTo(event);
            assertThat(history.getString("entry[0].request.method")).isEqualTo("POST");
            assertThat(history.getString("entry[0].fullUrl")).contains("AuditEvent/" + id);
            // Still only for auditors: the caller who may not read the event may not read its version or history.
            int refused = fhir().get("/AuditEvent/" + id).then().extract().statusCode();
            assertThat(refused).isIn(403, 404);
            fhir().get("/AuditEvent/" + id + "/_history/1").then().statusCode(refused);
            fhir().get("/AuditEvent/" + id + "/_history").then().statusCode(refused);
        }
        // The type's history lists each once (the old copy is not a second entry), newest first.
        List<String> listed = auditor().get("/AuditEvent/_history?_since=" + start + "&_count=1000").then().statusCode(200)
                .extract().jsonPath().getList("entry.resource.id", String.class);
        assertThat(listed.stream().filter(ids::contains).toList()).containsExactly(fresh, old);

        // The old copy is still checked, and still guarded by the append-only trigger.
        assertThat(parameter(verify(), "result")).isEqualTo(true);
        assertThatThrownBy(() -> jdbc.sql("delete from resource_history where res_type = 'AuditEvent' and res_id = ?")
                .param(old).update()).hasStackTraceContaining("append-only");
        long seq = jdbc.sql("select seq from audit_chain where res_id = ?").param(old).query(Long.class).single();
        try {
            asSuperuserWithoutTriggers("update resource_history set content = jsonb_set(content, '{outcome}', '\"4\"')"
                    + " where res_type = 'AuditEvent' and res_id = ?", old);
            JsonPath broken = verify();
            assertThat(parameter(broken, "result")).isEqualTo(false);
            assertThat(((Integer) parameter(broken, "firstBrokenSeq")).longValue()).isEqualTo(seq);
            assertThat((String) parameter(broken, "reason")).contains("history copy");
        } finally {
            asSuperuserWithoutTriggers("update resource_history set content = r.content from resource r"
                    + " where r.pid = resource_history.pid and resource_history.res_type = 'AuditEvent' and resource_history.res_id = ?", old);
        }
        assertThat(parameter(verify(), "result")).isEqualTo(true);
    }

    @Test
    void accessReportListsWhoReadTheChildsRecordInTimeOrder() {
        String id = createPatient("Report");
        fhir().get("/Patient/" + id).then().statusCode(200);
        fhir().get("/Patient/" + id + "/_history/1").then().statusCode(200);
        fhir().get("/Patient/" + id).then().statusCode(200);
        String other = createPatient("Other");
        fhir().get("/Patient/" + other).then().statusCode(200);

        Response response = auditor().get("/Patient/" + id + "/$access-report");
        response.then().statusCode(200).body("resourceType", org.hamcrest.Matchers.equalTo("Parameters"));
        JsonPath report = response.jsonPath();
        List<Map<String, Object>> accesses = report.getList("parameter.findAll { it.name == 'access' }");
        List<String> interactions = accesses.stream().map(a -> part(a, "interaction", "valueCode")).toList();
        assertThat(interactions).containsExactly("create", "read", "vread", "read");
        List<String> times = accesses.stream().map(a -> part(a, "when", "valueInstant")).toList();
        assertThat(times).isSortedAccordingTo(java.util.Comparator.comparing(Instant::parse));
        assertThat(accesses).allSatisfy(a -> {
            assertThat(part(a, "client", "valueString")).isEqualTo(TEST_CLIENT);
            assertThat(part(a, "breakGlass", "valueBoolean")).isEqualTo("false");
        });
        // Who, when and why only: nothing of the record itself.
        assertThat(response.asString()).doesNotContain("Report").doesNotContain("Amelia").doesNotContain("NP4");

        auditor().get("/Patient/" + FhirFixtures.uniqueId("nobody") + "/$access-report").then().statusCode(404);
    }

    @Test
    void breakGlassCallerOrganisationRoleAndPurposeAreRecordedPerBalp() {
        String patient = "Patient/" + FhirFixtures.uniqueId("bg");
        String ods = FhirFixtures.uniqueId("RXX").replace("-", "");
        Caller caller = new Caller("hv-app", "user-17", ods, "health-visitor", "TREAT", Set.of("user/Patient.rs"),
                "Child at immediate risk");
        AuditRecord record = new AuditRecord("read", "Patient", caller, Set.of(patient), List.of(patient), 0, null,
                AuditRecord.Outcome.SUCCESS, null, caller.breakGlass(),
                new AuditRecord.ConsentSummary("permit", 1, 0, List.of("Consent/1")), caller.purposeOfUse(), "node-a", "10.0.0.1",
                Map.of("request-id", "r-1"));
        String id = auditLog.record(record);

        JsonPath event = auditor().get("/AuditEvent/" + id).then().statusCode(200).extract().jsonPath();
        assertThat(event.getList("meta.security.code", String.class)).containsExactly("BTG");
        assertThat(event.getList("purposeOfEvent.coding.code.flatten()", String.class)).containsExactly("TREAT", "BTG");
        Map<String, Object> user = event.getMap("agent.find { it.altId == 'user-17' }");
        assertThat(user.get("requestor")).isEqualTo(true);
        assertThat(event.getList("agent.find { it.altId == 'user-17' }.role.coding.code.flatten()", String.class))
                .contains("health-visitor");
        assertThat(event.getString("agent.find { it.altId == '" + ods + "' }.who.identifier.system"))
                .isEqualTo("https://fhir.nhs.uk/Id/ods-organization-code");
        assertThat(event.getString("agent.find { it.altId == 'hv-app' }.who.identifier.value")).isEqualTo("hv-app");
        assertThat(details(event, "", "withheld")).containsExactly("0");
        assertThat(details(event, "", "policy")).containsExactly("Consent/1");
        // Auditors find it by organisation, purpose and patient.
        assertThat(auditor().get("/AuditEvent?altid=" + ods + "&purpose=BTG&patient=" + patient).then().statusCode(200)
                .extract().jsonPath().getInt("total")).isEqualTo(1);
    }

    @Test
    void exportsAndRefusedExportsAreAudited() {
        Instant start = now();
        asFeed("rio").queryParam("since", Instant.now().toString()).get("/export/rio/assessments").then().statusCode(200);
        asFeed("rio").get("/export/rio/clients").then().statusCode(400);
        String type = "type=http://dicom.nema.org/resources/ontology/DCM|110106";
        JsonPath ok = audits(start, type + "&outcome=0");
        assertThat(ok.getInt("total")).isEqualTo(1);
        assertThat(details(ok, "entry[0].resource.", "feed")).containsExactly("rio");
        assertThat(details(ok, "entry[0].resource.", "file")).containsExactly("assessments");
        assertThat(details(ok, "entry[0].resource.", "records")).containsExactly("0");
        // How many children's data waits for RiO to know them is part of the pull's record too.
        assertThat(details(ok, "entry[0].resource.", "held")).hasSize(1).allSatisfy(h -> assertThat(Integer.parseInt(h)).isNotNegative());
        assertThat(audits(start, type + "&outcome=4").getInt("total")).isEqualTo(1);
    }

    /** The values of entity details of {@code type} in the AuditEvent at {@code prefix}. */
    @SuppressWarnings("unchecked")
    private static List<String> details(JsonPath json, String prefix, String type) {
        List<Map<String, Object>> entities = json.getList(prefix + "entity");
        return entities.stream()
                .flatMap(e -> ((List<Map<String, Object>>) e.getOrDefault("detail", List.of())).stream())
                .filter(d -> type.equals(d.get("type"))).map(d -> String.valueOf(d.get("valueString"))).toList();
    }

    private JsonPath verify() {
        return auditor().get("/$verify-audit-chain").then().statusCode(200).extract().jsonPath();
    }

    private static Object parameter(JsonPath parameters, String name) {
        Map<String, Object> p = parameters.getMap("parameter.find { it.name == '" + name + "' }");
        assertThat(p).as("parameter " + name).isNotNull();
        return p.entrySet().stream().filter(e -> e.getKey().startsWith("value")).findFirst().orElseThrow().getValue();
    }

    @SuppressWarnings("unchecked")
    private static String part(Map<String, Object> access, String name, String value) {
        List<Map<String, Object>> parts = (List<Map<String, Object>>) access.get("part");
        return parts.stream().filter(p -> name.equals(p.get("name"))).map(p -> String.valueOf(p.get(value))).findFirst().orElse(null);
    }

    private void asSuperuserWithoutTriggers(String sql, Object... params) {
        new TransactionTemplate(transactions).executeWithoutResult(s -> {
            jdbc.sql("set local session_replication_role = replica").update();
            jdbc.sql(sql).params(params).update();
        });
    }

    /** Holds the chain head's lock in a transaction of its own until {@code release}: records queue behind it and then commit as one group. */
    private java.util.concurrent.Future<?> holdChainHead(java.util.concurrent.ExecutorService pool,
            java.util.concurrent.CountDownLatch locked, java.util.concurrent.CountDownLatch release) {
        return pool.submit(() -> new TransactionTemplate(transactions).executeWithoutResult(s -> {
            jdbc.sql("select last_seq from audit_chain_head where id = 1 for update").query(Long.class).single();
            locked.countDown();
            try {
                release.await(30, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
    }
}
