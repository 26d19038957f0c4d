package org.childrensgateway.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The splice of stored resources into HAPI's Bundle envelope: each goes into the entry with its
 * fullUrl, where HAPI puts an entry's resource; entries HAPI encoded keep theirs; and a stored
 * resource that finds no entry (or an entry that already holds one) fails the splice, so the
 * response falls back to HAPI's encoding rather than leaving anything out or in twice.
 */
class StoredJsonBundleWriterTest {

    private static final String A = "http://x/fhir/Observation/a";
    private static final String B = "http://x/fhir/Patient/b";

    @Test
    void putsEachStoredResourceWhereHapiPutsAnEntrysResource() throws Exception {
        String envelope = "{\"resourceType\":\"Bundle\",\"id\":\"s\",\"type\":\"searchset\",\"total\":3,"
                + "\"link\":[{\"relation\":\"self\",\"url\":\"http://x/fhir/Observation?subject=b\"}],\"entry\":["
                + "{\"fullUrl\":\"" + A + "\",\"search\":{\"mode\":\"match\"}},"
                + "{\"fullUrl\":\"http://x/fhir/Observation/c\",\"resource\":{\"resourceType\":\"Observation\",\"id\":\"c\",\"meta\":{\"security\":[{\"code\":\"REDACTED\"}]}},\"search\":{\"mode\":\"match\"}},"
                + "{\"link\":[{\"relation\":\"x\",\"url\":\"y\"}],\"fullUrl\":\"" + B + "\"}]}";
        Map<String, StoredJsonBundleWriter.StoredEntry> stored = Map.of(
                A, new StoredJsonBundleWriter.StoredEntry("{\"id\": \"a\", \"code\": {\"text\": \"w\"}, \"meta\": {\"versionId\": \"1\"}, "
                        + "\"valueQuantity\": {\"value\": 11.20}, \"resourceType\": \"Observation\"}", "Observation"),
                B, new StoredJsonBundleWriter.StoredEntry("{\"id\": \"b\", \"resourceType\": \"Patient\"}", "Patient"));
        StringWriter out = new StringWriter();
        StoredJsonBundleWriter.write(envelope, stored, out);
        assertThat(out.toString()).isEqualTo("{\"resourceType\":\"Bundle\",\"id\":\"s\",\"type\":\"searchset\",\"total\":3,"
                + "\"link\":[{\"relation\":\"self\",\"url\":\"http://x/fhir/Observation?subject=b\"}],\"entry\":["
                + "{\"fullUrl\":\"" + A + "\",\"resource\":{\"resourceType\":\"Observation\",\"id\":\"a\",\"code\":{\"text\":\"w\"},"
                + "\"meta\":{\"versionId\":\"1\"},\"valueQuantity\":{\"value\":11.20}},\"search\":{\"mode\":\"match\"}},"
                + "{\"fullUrl\":\"http://x/fhir/Observation/c\",\"resource\":{\"resourceType\":\"Observation\",\"id\":\"c\",\"meta\":{\"security\":[{\"code\":\"REDACTED\"}]}},\"search\":{\"mode\":\"match\"}},"
                + "{\"link\":[{\"relation\":\"x\",\"url\":\"y\"}],\"fullUrl\":\"" + B + "\",\"resource\":{\"resourceType\":\"Patient\",\"id\":\"b\"}}]}");
    }

    @Test
    void aStoredResourceWithoutItsEntryOrAnEntryHoldingOneAlreadyFailsTheSplice() {
        StoredJsonBundleWriter.StoredEntry a = new StoredJsonBundleWriter.StoredEntry("{\"id\": \"a\"}", "Observation");
        String noSuchEntry = "{\"resourceType\":\"Bundle\",\"entry\":[{\"fullUrl\":\"http://x/fhir/Observation/z\"}]}";
        assertThatThrownBy(() -> StoredJsonBundleWriter.write(noSuchEntry, Map.of(A, a), new StringWriter())).isInstanceOf(IOException.class);
        String noEntries = "{\"resourceType\":\"Bundle\",\"total\":0}";
        assertThatThrownBy(() -> StoredJsonBundleWriter.write(noEntries, Map.of(A, a), new StringWriter())).isInstanceOf(IOException.class);
        String holdsOne = "{\"resourceType\":\"Bundle\",\"entry\":[{\"fullUrl\":\"" + A + "\",\"resource\":{\"resourceType\":\"Observation\"}}]}";
        assertThatThrownBy(() -> StoredJsonBundleWriter.write(holdsOne, Map.of(A, a), new StringWriter())).isInstanceOf(IOException.class);
    }
}
