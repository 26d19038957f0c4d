package org.childrensgateway.limits;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class HeavyRequestPermitsTest {

    @ParameterizedTest
    @CsvSource({
            "POST, /fhir, true",            // batch or transaction
            "POST, /fhir/, true",
            "POST, /ingest/rio/clients, true",
            "POST, /fhir/Patient, false",   // one resource
            "PUT, /fhir, false",
            "GET, /fhir, false",
            "POST, /ingest/jobs/abc, false",
            "POST, /ingest/quarantine/12/replay, false",
            "POST, /ingest/mappings/rio, false",
            "GET, /ingest/rio/clients, false",
            "POST, /export/rio/assessments, false"})
    void whatCountsAsHeavy(String method, String path, boolean heavy) {
        assertThat(HeavyRequestPermits.isHeavy(method, path)).isEqualTo(heavy);
    }

    @Test
    void aRequestBeyondTheBoundWaitsThenIsRefusedAndAPermitLeftIsReusable() {
        HeavyRequestPermits permits = new HeavyRequestPermits(2, Duration.ofMillis(50));
        assertThat(permits.enter()).isTrue();
        assertThat(permits.enter()).isTrue();
        assertThat(permits.enter()).as("a third at once waits, then is told to come back").isFalse();
        permits.leave();
        assertThat(permits.enter()).isTrue();
        assertThat(permits.retryAfterSeconds()).isEqualTo(1);
    }
}
