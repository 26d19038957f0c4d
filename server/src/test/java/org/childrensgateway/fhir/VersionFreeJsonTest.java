package org.childrensgateway.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.util.Date;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.DecimalType;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The comparison that spares a derived record's rewrite the parse of its stored version: "same"
 * only when the two texts differ in nothing but meta.versionId, meta.lastUpdated and the way
 * PostgreSQL's jsonb renders JSON (member order, spacing); null (compare parsed resources) for a
 * text that is not one JSON object.
 */
class VersionFreeJsonTest {

    /** As the codec writes a version. */
    private static final String FRESH = "{\"resourceType\":\"Patient\",\"id\":\"c1\",\"meta\":{\"versionId\":\"4\","
            + "\"lastUpdated\":\"2026-12-02T11:30:00.123+00:00\",\"tag\":[{\"system\":\"s\",\"code\":\"x\"}]},"
            + "\"name\":[{\"family\":\"Jones\",\"given\":[\"Amelia\",\"Rose\"]}],\"extension\":[{\"url\":\"u\",\"valueDecimal\":12.40}]}";
    /** The previous version as the store reads it back: jsonb's text (members by length, then name). */
    private static final String STORED = "{\"id\": \"c1\", \"meta\": {\"tag\": [{\"code\": \"x\", \"system\": \"s\"}], \"versionId\": \"3\","
            + " \"lastUpdated\": \"2026-12-01T10:00:00.000+00:00\"}, \"name\": [{\"given\": [\"Amelia\", \"Rose\"], \"family\": \"Jones\"}],"
            + " \"extension\": [{\"url\": \"u\", \"valueDecimal\": 12.40}], \"resourceType\": \"Patient\"}";

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("another version and time, jsonb's rendering", STORED, true),
                Arguments.of("identical", FRESH, true),
                Arguments.of("a tag code differs", STORED.replace("\"x\"", "\"y\""), false),
                Arguments.of("a tag more", STORED.replace("\"tag\": [", "\"tag\": [{\"code\": \"z\"}, "), false),
                Arguments.of("repeats in another order", STORED.replace("[\"Amelia\", \"Rose\"]", "[\"Rose\", \"Amelia\"]"), false),
                Arguments.of("a decimal of another scale", STORED.replace("12.40", "12.4"), false),
                Arguments.of("a member more", STORED.replace("\"id\": \"c1\",", "\"id\": \"c1\", \"active\": true,"), false),
                Arguments.of("another id", STORED.replace("\"c1\"", "\"c2\""), false),
                Arguments.of("no meta", STORED.substring(0, STORED.indexOf("\"meta\"")) + STORED.substring(STORED.indexOf("\"name\"")), false),
                Arguments.of("meta without its version members", STORED.replace(" \"versionId\": \"3\", \"lastUpdated\": \"2026-12-01T10:00:00.000+00:00\"", "")
                        .replace("}],}", "}]}"), true),
                Arguments.of("a member twice", STORED.replace("\"id\": \"c1\",", "\"id\": \"c1\", \"id\": \"c1\","), null),
                Arguments.of("not JSON", STORED.substring(0, 40), null),
                Arguments.of("an array", "[" + STORED + "]", null),
                Arguments.of("no stored text", null, null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void comparesAllButTheVersionMeta(String what, String stored, Boolean expected) {
        assertThat(VersionFreeJson.same(stored, FRESH)).as(what).isEqualTo(expected);
        assertThat(VersionFreeJson.same(FRESH, stored)).as(what + ", the other way round").isEqualTo(expected);
    }

    /** The codec's output of two versions of one record compares as the same; a changed one does not. */
    @Test
    void theCodecsOutputCompares() {
        ResourceCodec codec = new ResourceCodec(FhirContext.forR4Cached());
        Patient p = new Patient();
        p.addName().setFamily("Jones").addGiven("Amelia");
        p.addExtension("https://example.org/x", new DecimalType("12.40"));
        String v1 = codec.encode(at(p.copy(), 1, 1_700_000_000_000L));
        assertThat(VersionFreeJson.same(v1, codec.encode(at(p.copy(), 2, 1_700_000_123_456L)))).isTrue();
        Patient renamed = p.copy();
        renamed.getNameFirstRep().setFamily("Jonas");
        assertThat(VersionFreeJson.same(v1, codec.encode(at(renamed, 2, 1_700_000_123_456L)))).isFalse();
        Patient rescaled = p.copy();
        rescaled.getExtension().get(0).setValue(new DecimalType("12.4"));
        assertThat(VersionFreeJson.same(v1, codec.encode(at(rescaled, 2, 1_700_000_123_456L)))).isFalse();
    }

    /** As FhirResourceService.prepare gives a version its identity. */
    private static Resource at(Resource r, long version, long millis) {
        r.setId(new IdType(r.fhirType(), "c1", Long.toString(version)));
        r.getMeta().setVersionId(Long.toString(version));
        r.getMeta().setLastUpdated(new Date(millis));
        return r;
    }
}
