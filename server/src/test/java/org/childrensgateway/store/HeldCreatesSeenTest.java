package org.childrensgateway.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.childrensgateway.GatewayTestBase;
import org.childrensgateway.fhir.FhirFixtures;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.Ordered;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Held creates ({@link HeldCreates}) are written before anything else runs on the transaction's
 * connection ({@link HeldCreatesDataSource}): a later entry of a transaction Bundle, SQL that is not
 * the store's, code run just before the commit and the commit itself all see them.
 */
class HeldCreatesSeenTest extends GatewayTestBase {

    private static final String SOURCE = "https://fhir.childrens-gateway.uk/Id/test/client";
    private static final String BASIC = """
            {"resourceType":"Basic","id":"%s","code":{"text":"held create test"}}""";

    @Autowired
    private ResourceWrites store;

    @Autowired
    private JdbcClient jdbc;

    @Autowired
    private DataSource dataSource;

    @Autowired
    private PlatformTransactionManager transactions;

    @Test
    void aLaterSearchOfATransactionFindsAResourceCreatedByAnEarlierEntry() {
        String sourceId = FhirFixtures.uniqueId("HSEEN");
        String identifier = SOURCE + "|" + sourceId;
        // FHIR's order: the POST, then the GET; the GET searches for the POST's Patient, which is still held.
        String bundle = """
                {"resourceType": "Bundle", "type": "transaction", "entry": [
                  {"request": {"method": "GET", "url": "Patient?identifier=%1$s"}},
                  {"fullUrl": "urn:uuid:%2$s", "resource": %3$s, "request": {"method": "POST", "url": "Patient"}}
                ]}""".formatted(identifier, UUID.randomUUID(),
                FhirFixtures.patient(sourceId, null, "Seen", "Eli", "2022-08-09", "female", "CF10 1AA"));
        Response response = fhirAs("rio-hv").body(bundle).post("");
        assertThat(response.statusCode()).as(response.asString()).isEqualTo(200);
        String created = response.jsonPath().getString("entry[1].resource.id");
        assertThat(response.jsonPath().getString("entry[1].response.status")).startsWith("201");
        assertThat(response.jsonPath().getInt("entry[0].resource.total")).as(response.asString()).isEqualTo(1);
        assertThat(response.jsonPath().getString("entry[0].resource.entry[0].resource.id")).isEqualTo(created);
        assertThat(fhirAs("rio-hv").get("/Patient/" + created).jsonPath().getString("meta.versionId")).isEqualTo("1");
    }

    @Test
    void aConditionalPatchThatFindsWhatAnEarlierEntryCreatedFailsTheTransactionAndNothingIsWritten() {
        // FHIR: resolved identities of the write steps must not overlap, so the PATCH may not name the POST's Patient.
        // The PATCH finding it at all shows the held create was visible to it.
        String sourceId = FhirFixtures.uniqueId("HSEEN");
        String identifier = SOURCE + "|" + sourceId;
        String birthDate = Base64.getEncoder().encodeToString(
                "[{\"op\": \"replace\", \"path\": \"/birthDate\", \"value\": \"2022-09-10\"}]".getBytes(StandardCharsets.UTF_8));
        String bundle = """
                {"resourceType": "Bundle", "type": "transaction", "entry": [
                  {"resource": {"resourceType": "Binary", "contentType": "application/json-patch+json", "data": "%2$s"},
                   "request": {"method": "PATCH", "url": "Patient?identifier=%1$s"}},
                  {"fullUrl": "urn:uuid:%3$s", "resource": %4$s, "request": {"method": "POST", "url": "Patient"}}
                ]}""".formatted(identifier, birthDate, UUID.randomUUID(),
                FhirFixtures.patient(sourceId, null, "Seen", "Eli", "2022-08-09", "female", "CF10 1AA"));
        Response response = fhirAs("rio-hv").body(bundle).post("");
        assertThat(response.statusCode()).as(response.asString()).isEqualTo(400);
        assertThat(response.jsonPath().getString("issue[0].diagnostics"))
                .contains("(PATCH Patient?identifier=").contains("(POST Patient) both name Patient/");
        assertThat(fhirAs("rio-hv").get("/Patient?identifier=" + identifier).jsonPath().getInt("total")).isZero();
    }

    @Test
    void sqlThatIsNotTheStoresSeesAHeldCreateInTheSameTransaction() {
        String id = "held-" + UUID.randomUUID();
        String second = id + "-2";
        transaction().executeWithoutResult(status -> {
            store.holdCreates(2);
            StoredResource held = store.write("Basic", id, 1, Instant.now(), BASIC.formatted(id), rows(id), "POST");
            // A plain JdbcClient, not the store, and not after flushCreates: its statement writes the held rows first.
            assertThat(jdbc.sql("select res_id from resource where pid = ?").param(held.key()).query(String.class).optional())
                    .contains(id);
            assertThat(jdbc.sql("select code from sp_token where pid = ?").param(held.key()).query(String.class).list())
                    .containsExactly(id);
            // And a JdbcTemplate of its own over the DataSource (as the audit chain has), on a plain Statement.
            store.write("Basic", second, 1, Instant.now(), BASIC.formatted(second), rows(second), "POST");
            assertThat(new JdbcTemplate(dataSource).queryForList(
                    "select res_id from resource_history where res_id = '" + second + "'", String.class)).containsExactly(second);
            status.setRollbackOnly();
        });
        assertThat(jdbc.sql("select count(*) from resource where res_type = 'Basic' and res_id in (?, ?)").params(id, second)
                .query(Long.class).single()).isZero();
    }

    @Test
    void codeRunJustBeforeTheCommitSeesWhatIsHeldWhateverItsOrder() {
        String id = "held-" + UUID.randomUUID();
        List<String> seen = new ArrayList<>();
        transaction().executeWithoutResult(status -> {
            store.holdCreates(1);
            store.write("Basic", id, 1, Instant.now(), BASIC.formatted(id), rows(id), "POST");
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public int getOrder() {
                    return Ordered.HIGHEST_PRECEDENCE; // first of all (the person index's runs here, with its own SQL)
                }

                @Override
                public void beforeCommit(boolean readOnly) {
                    seen.addAll(jdbc.sql("select res_id from resource where res_type = 'Basic' and res_id = ?")
                            .param(id).query(String.class).list());
                }
            });
        });
        assertThat(seen).containsExactly(id);
        remove(id);
    }

    @Test
    void theCommitWritesWhatIsHeldWithNoStatementAfterTheCreates() {
        String id = "held-" + UUID.randomUUID();
        transaction().executeWithoutResult(status -> {
            store.holdCreates(1);
            store.write("Basic", id, 1, Instant.now(), BASIC.formatted(id), rows(id), "POST");
        });
        assertThat(jdbc.sql("select count(*) from resource r join resource_history h on h.pid = r.pid join sp_token t on t.pid = r.pid"
                + " where r.res_type = 'Basic' and r.res_id = ?").param(id).query(Long.class).single()).isEqualTo(1);
        remove(id);
    }

    @Test
    void aHeldCreateWhoseIdIsTakenFailsTheCommitEvenWhenItsExceptionIsCaught() {
        String taken = "held-" + UUID.randomUUID();
        String other = "held-" + UUID.randomUUID();
        transaction().executeWithoutResult(status -> store.write("Basic", taken, 1, Instant.now(), BASIC.formatted(taken), rows(taken), "POST"));
        assertThatThrownBy(() -> transaction().executeWithoutResult(status -> {
            store.holdCreates(2);
            store.write("Basic", other, 1, Instant.now(), BASIC.formatted(other), rows(other), "POST");
            store.write("Basic", taken, 1, Instant.now(), BASIC.formatted(taken), rows(taken), "POST");
            try {
                jdbc.sql("select 1").query(Integer.class).single();
            } catch (DuplicateCreateException e) {
                // swallowed: the commit must still refuse, or it would store the other create without this one
            }
        })).hasStackTraceContaining("can only roll back");
        assertThat(jdbc.sql("select count(*) from resource where res_type = 'Basic' and res_id = ?").param(other).query(Long.class).single())
                .isZero();
        remove(taken);
    }

    private TransactionTemplate transaction() {
        return new TransactionTemplate(transactions);
    }

    private static IndexRows rows(String id) {
        IndexRows rows = new IndexRows();
        rows.tokens.add(new IndexRows.Token("identifier", SOURCE, id));
        return rows;
    }

    /** Test rows written through the store directly, not through the FHIR API: removed so no other test meets them. */
    private void remove(String id) {
        for (String table : List.of("sp_token", "resource_history", "resource")) {
            jdbc.sql("delete from " + table + " where pid in (select pid from resource where res_type = 'Basic' and res_id = ?)")
                    .param(id).update();
        }
    }
}
