package org.childrensgateway.mappers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * One bad record in a CSV extract is quarantined with its line and reason and the rest of the
 * file is read; a file that is not CSV is refused before any record.
 */
class CsvFaultsTest {

    private static final String HEADER = "ClientID,NHSNumber,NHSNumberStatus,Surname,Forenames,PreferredName,DateOfBirth,GenderCode,"
            + "AddressLine1,AddressLine2,AddressLine3,AddressLine4,Postcode,GPPracticeCode,EthnicCategory,DateOfDeath,LastUpdated\r\n";

    private static String row(String id, String surname) {
        return id + ",9990166137,01," + surname + ",Oliver,,21/08/2022,1,\"Flat 3, Canal View\",Cwmbran,,,NP44 1AA,M85002,99,,03/11/2026 22:10:00\r\n";
    }

    private static List<MappedRecord> read(byte[] content) {
        List<MappedRecord> out = new ArrayList<>();
        try (RecordStream s = Samples.REGISTRY.reader("rio", "clients").open(new ByteArrayInputStream(content))) {
            s.forEach(out::add);
        }
        return out;
    }

    private static byte[] bytes(String... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String p : parts) {
            out.writeBytes(p.getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    private static void assertGood(MappedRecord r, String id) {
        assertThat(r.isQuarantined()).as(r.quarantineReason()).isFalse();
        assertThat(r.sourceId()).contains(id);
    }

    private static void assertFault(MappedRecord r, long line, String code) {
        assertThat(r.isQuarantined()).isTrue();
        assertThat(r.line()).isEqualTo(line);
        assertThat(r.location()).isEqualTo("line " + line);
        assertThat(r.issues()).extracting(Issue::code).containsExactly(code);
        assertThat(r.entries()).isEmpty();
        assertThat(r.rawText()).startsWith("ClientID,").doesNotContain("\u0000");
    }

    @Test
    void aNulByteQuarantinesItsRowAndTheRowsAfterItAreRead() {
        List<MappedRecord> records = read(bytes(HEADER, row("RIOF1", "Good"), row("RIOF2", "Nul\u0000l"), row("RIOF3", "After")));
        assertThat(records).hasSize(3);
        assertGood(records.get(0), "RIOF1");
        assertFault(records.get(1), 3, "nul-character");
        assertThat(records.get(1).issues().get(0).field()).isEqualTo("Surname");
        assertGood(records.get(2), "RIOF3");
    }

    @Test
    void invalidUtf8IsQuarantinedNotReplaced() {
        byte[] bad = bytes(HEADER, row("RIOF1", "Good"), row("RIOF2", "Bad#"), row("RIOF3", "After"));
        for (int i = 0; i < bad.length; i++) {
            if (bad[i] == '#') {
                bad[i] = (byte) 0xff;
            }
        }
        List<MappedRecord> records = read(bad);
        assertThat(records).hasSize(3);
        assertFault(records.get(1), 3, "invalid-utf8");
        assertGood(records.get(2), "RIOF3");
        assertThat(records.get(0).toTransactionBundle().toString()).doesNotContain("\ufffd");
    }

    @Test
    void anUnclosedQuoteQuarantinesThatLineAndReadingResumesAtTheNext() {
        List<MappedRecord> records = read(bytes(HEADER, row("RIOF1", "Good"), row("RIOF2", "Good"),
                "RIOF4,9990166137,01,\"Unclosed,Oliver,,21/08/2022,1,x,,,,NP44 1AA,M85002,99,,03/11/2026 22:10:00\r\n",
                row("RIOF5", "After"), row("RIOF6", "After")));
        assertThat(records).hasSize(5);
        assertGood(records.get(1), "RIOF2");
        assertFault(records.get(2), 4, "unclosed-quote");
        assertGood(records.get(3), "RIOF5");
        assertGood(records.get(4), "RIOF6");
        assertThat(records.get(4).line()).isEqualTo(6);
    }

    @Test
    void aStrayQuoteThatWouldJoinLinesOnlyCostsItsOwnLine() {
        // Two odd quotes four lines apart: the lines between are records of their own.
        List<MappedRecord> records = read(bytes(HEADER, "RIOF1,,,\"Stray,Oliver,,21/08/2022,1,,,,,NP44 1AA,,,,03/11/2026 22:10:00\r\n",
                row("RIOF2", "Middle"), "RIOF3,,,Other\",Oliver,,21/08/2022,1,,,,,NP44 1AA,,,,03/11/2026 22:10:00\r\n", row("RIOF4", "After")));
        assertThat(records).hasSize(4);
        assertFault(records.get(0), 2, "malformed-csv");
        assertGood(records.get(1), "RIOF2");
        assertThat(records.get(2).isQuarantined()).isTrue();
        assertGood(records.get(3), "RIOF4");
    }

    @Test
    void shortRowsAndOverLongFieldsAreQuarantined() {
        List<MappedRecord> records = read(bytes(HEADER, "RIOF1,9990166137,01,Short\r\n", row("RIOF2", "x".repeat(40_000)),
                row("RIOF3", "After")));
        assertThat(records).hasSize(3);
        assertFault(records.get(0), 2, "short-row");
        assertThat(records.get(0).quarantineReason()).contains("4 fields, the header 17");
        assertFault(records.get(1), 3, "over-long-field");
        assertGood(records.get(2), "RIOF3");
    }

    @Test
    void aMultiLineQuotedFieldIsStillOneRecord() {
        List<MappedRecord> records = read(bytes(HEADER,
                "RIOF1,9990166137,01,Lines,Oliver,,21/08/2022,1,\"Flat 3\r\nCanal View\",Cwmbran,,,NP44 1AA,M85002,99,,03/11/2026 22:10:00\r\n",
                row("RIOF2", "After")));
        assertThat(records).hasSize(2);
        assertGood(records.get(0), "RIOF1");
        assertGood(records.get(1), "RIOF2");
        assertThat(records.get(1).line()).isEqualTo(4);
    }

    @Test
    void aFileThatIsNotCsvIsRefusedWhole() {
        assertThatThrownBy(() -> read(bytes("<?xml version=\"1.0\"?><SystmOneExtract/>\n", row("RIOF1", "Good"))))
                .isInstanceOf(MappingException.class).hasMessageContaining("no column");
        assertThatThrownBy(() -> read(bytes("\"ClientID,NHSNumber\n", row("RIOF1", "Good"))))
                .isInstanceOf(MappingException.class).hasMessageContaining("not a CSV file");
        assertThatThrownBy(() -> read(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 0, '\n'}))
                .isInstanceOf(MappingException.class).hasMessageContaining("not a CSV file");
    }
}
