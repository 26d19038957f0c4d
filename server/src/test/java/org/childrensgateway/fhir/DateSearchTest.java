package org.childrensgateway.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.childrensgateway.GatewayTestBase;
import org.junit.jupiter.api.Test;

/**
 * Date prefixes on a stored date range ({@code birthdate}) and on the millisecond instant
 * {@code _lastUpdated}, whose SQL is written so that it can use an index (docs/storage.md).
 */
class DateSearchTest extends GatewayTestBase {

    private static final DateTimeFormatter MILLIS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX");

    @Test
    void birthdatePrefixesCompareTheDaysRange() {
        String family = FhirFixtures.uniqueId("Dateson");
        fhir().body(FhirFixtures.patient(FhirFixtures.uniqueId("D"), FhirFixtures.nhsNumber(), family, "Efa", "2019-06-15",
                "female", "CF10 1AA")).post("/Patient").then().statusCode(201);

        assertThat(total("family=" + family + "&birthdate=2019-06-15")).isEqualTo(1);
        assertThat(total("family=" + family + "&birthdate=2019-06")).isEqualTo(1);
        assertThat(total("family=" + family + "&birthdate=2019")).isEqualTo(1);
        assertThat(total("family=" + family + "&birthdate=2019-06-16")).isZero();
        assertThat(total("family=" + family + "&birthdate=ne2019-06-15")).isZero();
        assertThat(total("family=" + family + "&birthdate=ne2019-06-16")).isEqualTo(1);
        assertThat(total("family=" + family + "&birthdate=ge2019-06-15")).isEqualTo(1);
        assertThat(total("family=" + family + "&birthdate=gt2019-06-15")).isZero();
        assertThat(total("family=" + family + "&birthdate=le2019-06-15")).isEqualTo(1);
        assertThat(total("family=" + family + "&birthdate=lt2019-06-15")).isZero();
        assertThat(total("family=" + family + "&birthdate=sa2019-06-14")).isEqualTo(1);
        assertThat(total("family=" + family + "&birthdate=sa2019-06-15")).isZero();
        assertThat(total("family=" + family + "&birthdate=eb2019-06-16")).isEqualTo(1);
        assertThat(total("family=" + family + "&birthdate=eb2019-06-15")).isZero();
        assertThat(total("family=" + family + "&birthdate=ge2019-06-01&birthdate=lt2019-07-01")).isEqualTo(1);
    }

    @Test
    void lastUpdatedPrefixesTreatTheInstantAsOneMillisecond() {
        String family = FhirFixtures.uniqueId("Updson");
        String id = fhir().body(FhirFixtures.patient(FhirFixtures.uniqueId("U"), FhirFixtures.nhsNumber(), family, "Osian",
                "2021-01-02", "male", "SA1 1AA")).post("/Patient").jsonPath().getString("id");
        OffsetDateTime stored = OffsetDateTime.parse(fhir().get("/Patient/" + id).jsonPath().getString("meta.lastUpdated"));
        String at = stored.withOffsetSameInstant(ZoneOffset.UTC).format(MILLIS).replace("Z", "%2B00:00");
        String before = stored.minusNanos(1_000_000).withOffsetSameInstant(ZoneOffset.UTC).format(MILLIS).replace("Z", "%2B00:00");
        String day = stored.withOffsetSameInstant(ZoneOffset.UTC).toLocalDate().toString();

        assertThat(total("family=" + family + "&_lastUpdated=" + at)).isEqualTo(1);
        assertThat(total("family=" + family + "&_lastUpdated=" + day)).isEqualTo(1);
        assertThat(total("family=" + family + "&_lastUpdated=" + before)).isZero();
        assertThat(total("family=" + family + "&_lastUpdated=ge" + at)).isEqualTo(1);
        assertThat(total("family=" + family + "&_lastUpdated=gt" + at)).isZero();
        assertThat(total("family=" + family + "&_lastUpdated=gt" + before)).isEqualTo(1);
        assertThat(total("family=" + family + "&_lastUpdated=le" + at)).isEqualTo(1);
        assertThat(total("family=" + family + "&_lastUpdated=lt" + at)).isZero();
        assertThat(total("family=" + family + "&_lastUpdated=eb" + at)).isZero();
        assertThat(total("family=" + family + "&_lastUpdated=eb" + before)).isZero();
        assertThat(total("family=" + family + "&_lastUpdated=sa" + before)).isEqualTo(1);
        assertThat(total("family=" + family + "&_lastUpdated=ne" + at)).isZero();
    }

    private int total(String query) {
        // Source records only: the person index's child records share the birth dates.
        return fhir().urlEncodingEnabled(false).get("/Patient?" + query + "&_tag:not=https://fhir.childrens-gateway.uk/CodeSystem/record-kind%7C").then().statusCode(200).extract().jsonPath().getInt("total");
    }
}
