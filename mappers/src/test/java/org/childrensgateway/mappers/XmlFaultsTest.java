package org.childrensgateway.mappers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A bad byte or an over-long value in one SystmOne Patient quarantines that Patient; the others are read. */
class XmlFaultsTest {

    private static String patient(String id, String surname) {
        return "<Patient id=\"" + id + "\"><Name><Forenames>Test</Forenames><Surname>" + surname + "</Surname></Name>"
                + "<DateOfBirth>2024-03-03</DateOfBirth><Sex>F</Sex></Patient>\n";
    }

    private static byte[] extract(String... patients) {
        return ("<SystmOneExtract xmlns=\"urn:example:systmone-extract:1\" organisation=\"M85001\" generated=\"2026-11-01T02:00:00Z\">\n"
                + String.join("", patients) + "</SystmOneExtract>\n").getBytes(StandardCharsets.UTF_8);
    }

    private static List<MappedRecord> read(byte[] content) {
        List<MappedRecord> out = new ArrayList<>();
        try (RecordStream s = Samples.REGISTRY.reader("systmone", "extract").open(new ByteArrayInputStream(content))) {
            s.forEach(out::add);
        }
        return out;
    }

    private static byte[] replace(byte[] b, char marker, byte with) {
        for (int i = 0; i < b.length; i++) {
            if (b[i] == marker) {
                b[i] = with;
            }
        }
        return b;
    }

    @Test
    void invalidUtf8OrNulInOnePatientQuarantinesItAndTheRestAreRead() {
        for (byte bad : new byte[] {(byte) 0xff, 0}) {
            List<MappedRecord> records = read(replace(extract(patient("P1", "Good"), patient("P2", "Bad#"), patient("P3", "After")), '#', bad));
            assertThat(records).hasSize(3);
            assertThat(records.get(0).isQuarantined()).as(records.get(0).quarantineReason()).isFalse();
            assertThat(records.get(1).isQuarantined()).isTrue();
            assertThat(records.get(1).quarantineReason()).contains(bad == 0 ? "nul-character" : "invalid-utf8");
            assertThat(records.get(1).location()).contains("Patient[2]").contains("P2");
            assertThat(records.get(2).isQuarantined()).as(records.get(2).quarantineReason()).isFalse();
        }
    }

    @Test
    void anOverLongValueQuarantinesItsPatient() {
        List<MappedRecord> records = read(extract(patient("P1", "x".repeat(40_000)), patient("P2", "After")));
        assertThat(records.get(0).quarantineReason()).contains("over-long-field").contains("Patient/Name/Surname");
        assertThat(records.get(1).isQuarantined()).isFalse();
    }

    @Test
    void aBadByteBeforeTheFirstRecordRefusesTheFile() {
        byte[] doc = replace(("<SystmOneExtract xmlns=\"urn:example:systmone-extract:1\" organisation=\"M8500#\">" + patient("P1", "Good")
                + "</SystmOneExtract>").getBytes(StandardCharsets.UTF_8), '#', (byte) 0xff);
        assertThatThrownBy(() -> read(doc)).isInstanceOf(MappingException.class).hasMessageContaining("not UTF-8");
    }

    @Test
    void aByteOrderMarkIsNotAFault() {
        byte[] doc = extract(patient("P1", "Good"));
        byte[] withBom = new byte[doc.length + 3];
        withBom[0] = (byte) 0xef;
        withBom[1] = (byte) 0xbb;
        withBom[2] = (byte) 0xbf;
        System.arraycopy(doc, 0, withBom, 3, doc.length);
        assertThat(read(withBom)).hasSize(1).noneMatch(MappedRecord::isQuarantined);
    }
}
