package org.childrensgateway.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** The stored jsonb text laid out compactly, resourceType first, every value exactly as stored. */
class StoredJsonWriterTest {

    @Test
    void copiesEveryValueAsStoredWithResourceTypeFirst() throws Exception {
        String stored = "{\"id\": \"a\", \"meta\": {\"versionId\": \"2\"}, \"note\": [{\"text\": \"say \\\"hi\\\"\\n\\u00e9\"}], "
                + "\"valueQuantity\": {\"value\": 11.20, \"big\": 1234567890123456789012, \"e\": 1.5E+3}, \"active\": true, "
                + "\"deceasedBoolean\": false, \"x\": null, \"empty\": [], \"resourceType\": \"Observation\"}";
        StringWriter out = new StringWriter();
        StoredJsonWriter.write(stored, "Observation", out);
        assertThat(out.toString()).isEqualTo("{\"resourceType\":\"Observation\",\"id\":\"a\",\"meta\":{\"versionId\":\"2\"},"
                + "\"note\":[{\"text\":\"say \\\"hi\\\"\\n\u00e9\"}],\"valueQuantity\":{\"value\":11.20,\"big\":1234567890123456789012,\"e\":1.5E+3},"
                + "\"active\":true,\"deceasedBoolean\":false,\"x\":null,\"empty\":[]}");
    }
}
