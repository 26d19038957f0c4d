package org.childrensgateway.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.stream.Stream;
import org.childrensgateway.security.Caller;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The non-FHIR route table, row by row, without Spring: who may call what, and what everyone else is told. */
class RouteTableTest {

    static final Caller RIO = new Caller("rio-hv", null, "RX9", "health-visitor", "TREAT", Set.of("system/*.cruds"), null);
    static final Caller RIO_READ_ONLY = new Caller("rio-ro", null, "RX9", "health-visitor", "TREAT", Set.of("system/*.rs"), null);
    static final Caller CENTRE = new Caller("estart", null, "W06000020", "childrens-centre-worker", "CAREMGT", Set.of("system/*.cruds"), null);
    static final Caller SOCIAL_READ_ONLY = new Caller("la", null, "W06000020-SC", "social-worker", "CAREMGT", Set.of("system/*.rs"), null);
    static final Caller ENGINEER = new Caller("int", null, "GATEWAY-OPS", "integration-engineer", "OPERATIONS", Set.of("system/*.cruds"), null);
    static final Caller DATA_QUALITY = new Caller("dq", null, "GATEWAY-OPS", "data-quality", "OPERATIONS", Set.of("system/*.rs"), null);
    static final Caller AUDITOR = new Caller("ig", null, "IG-OFFICE", "auditor", "AUDIT", Set.of("system/*.rs"), null);
    static final Set<String> RIO_FEED = Set.of("RX9");
    static final Set<String> NONE = Set.of();

    static Stream<Arguments> table() {
        return Stream.of(
                Arguments.of("POST", "/ingest/rio/clients", RIO, RIO_FEED, 200),
                Arguments.of("POST", "/ingest/rio/clients", CENTRE, RIO_FEED, 403),
                Arguments.of("POST", "/ingest/rio/clients", RIO_READ_ONLY, RIO_FEED, 403),
                Arguments.of("POST", "/ingest/rio/clients", SOCIAL_READ_ONLY, RIO_FEED, 403),
                Arguments.of("POST", "/ingest/rio/clients", ENGINEER, RIO_FEED, 403),
                Arguments.of("POST", "/ingest/nope/clients", RIO, NONE, 404),
                Arguments.of("POST", "/ingest/rio/clients", null, RIO_FEED, 401),
                Arguments.of("GET", "/ingest/quarantine", CENTRE, NONE, 200),
                Arguments.of("GET", "/ingest/quarantine", SOCIAL_READ_ONLY, NONE, 403),
                Arguments.of("GET", "/ingest/quarantine/12", RIO, RIO_FEED, 200),
                Arguments.of("GET", "/ingest/quarantine/12", CENTRE, RIO_FEED, 404),
                Arguments.of("POST", "/ingest/quarantine/12/replay", CENTRE, RIO_FEED, 404),
                Arguments.of("POST", "/ingest/quarantine/12/replay", RIO, RIO_FEED, 200),
                Arguments.of("GET", "/ingest/jobs/0b8e3c1e-0000-0000-0000-000000000000", CENTRE, RIO_FEED, 404),
                Arguments.of("GET", "/ingest/jobs/0b8e3c1e-0000-0000-0000-000000000000", RIO, RIO_FEED, 200),
                Arguments.of("POST", "/ingest/mappings/reload", RIO, NONE, 403),
                Arguments.of("POST", "/ingest/mappings/reload", ENGINEER, NONE, 200),
                Arguments.of("GET", "/ingest/mappings", ENGINEER, NONE, 200),
                Arguments.of("GET", "/export/rio/assessments", RIO_READ_ONLY, RIO_FEED, 200),
                Arguments.of("GET", "/export/rio/assessments", CENTRE, RIO_FEED, 403),
                Arguments.of("GET", "/identity/reviews", DATA_QUALITY, NONE, 200),
                Arguments.of("POST", "/identity/unlink", ENGINEER, NONE, 403),
                Arguments.of("POST", "/identity/link", RIO, NONE, 403),
                Arguments.of("POST", "/identity/unlink", AUDITOR, NONE, 403),
                Arguments.of("POST", "/identity/rematch", DATA_QUALITY, NONE, 200),
                Arguments.of("POST", "/identity/rematch", AUDITOR, NONE, 403),
                Arguments.of("POST", "/identity/rematch", RIO, NONE, 403),
                Arguments.of("POST", "/identity/rematch", null, NONE, 401),
                Arguments.of("GET", "/identity/reviews", AUDITOR, NONE, 403),
                Arguments.of("GET", "/identity/unlinks/7/disclosures", AUDITOR, NONE, 200),
                Arguments.of("GET", "/identity/unlinks/7/disclosures", DATA_QUALITY, NONE, 403),
                Arguments.of("GET", "/identity/unlinks/7/disclosures", RIO, NONE, 403),
                Arguments.of("GET", "/identity/unlinks/7/disclosures", null, NONE, 401),
                Arguments.of("POST", "/identity/unlinks/7/disclosures", AUDITOR, NONE, 403),
                Arguments.of("GET", "/notifications/break-glass", CENTRE, NONE, 200),
                Arguments.of("GET", "/notifications/break-glass", null, NONE, 401),
                Arguments.of("GET", "/sharing-agreements", null, NONE, 200),
                Arguments.of("GET", "/openapi.yaml", null, NONE, 200),
                Arguments.of("POST", "/openapi.yaml", RIO, NONE, 404),
                Arguments.of("DELETE", "/ingest/quarantine/12", RIO, RIO_FEED, 404),
                Arguments.of("GET", "/ingest/anything/else/here", RIO, NONE, 404),
                Arguments.of("PUT", "/export/rio/assessments", RIO, RIO_FEED, 404),
                Arguments.of("POST", "/notifications/break-glass", RIO, NONE, 404));
    }

    @ParameterizedTest(name = "{0} {1} as {2} -> {4}")
    @MethodSource("table")
    void decides(String method, String path, Caller caller, Set<String> owners, int expected) {
        assertThat(RouteTable.governs(path)).isTrue();
        var match = RouteTable.match(method, path);
        int status = match.map(m -> RouteTable.decide(m.route(), caller, owners)).map(v -> v.allowed() ? 200 : v.status()).orElse(404);
        assertThat(status).isEqualTo(expected);
    }

    @org.junit.jupiter.api.Test
    void fhirAndOperationsRoutesAreNotGovernedHere() {
        assertThat(RouteTable.governs("/fhir/Patient")).isFalse();
        assertThat(RouteTable.governs("/actuator/health")).isFalse();
        assertThat(RouteTable.governs("/ingestion")).isFalse();
    }
}
