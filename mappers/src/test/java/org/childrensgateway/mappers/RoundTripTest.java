package org.childrensgateway.mappers;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.apache.commons.csv.CSVRecord;
import org.childrensgateway.mappers.csv.BomSkippingReader;
import org.childrensgateway.mappers.csv.CsvRecordStream;
import org.childrensgateway.mappers.transform.Postcode;
import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import ca.uhn.fhir.context.FhirContext;

/** format -> FHIR -> format keeps meaning, for every sample file. */
class RoundTripTest {

    /** The receiving system's id for the child: here the same system, so the source's own id. */
    static String childId(MappedRecord r) {
        for (Resource res : r.resources()) {
            if (res instanceof Patient p) {
                return p.getIdentifierFirstRep().getValue();
            }
            if (res instanceof Observation o) {
                return o.getSubject().getIdentifier().getValue();
            }
            if (res instanceof CarePlan c) {
                return c.getSubject().getIdentifier().getValue();
            }
        }
        return null;
    }

    static List<OutboundRecord> outbound(List<MappedRecord> records) {
        return records.stream().filter(r -> !r.isQuarantined()).map(r -> new OutboundRecord(childId(r), r.resources())).toList();
    }

    static List<Map<String, String>> rows(String csv) throws IOException {
        List<Map<String, String>> out = new ArrayList<>();
        try (var p = org.apache.commons.csv.CSVParser.builder().setReader(BomSkippingReader.open(new java.io.ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8))))
                .setFormat(CsvRecordStream.FORMAT).get()) {
            for (CSVRecord r : p) {
                out.add(r.toMap());
            }
        }
        return out;
    }

    /** Semantic normal form of a cell: spacing in NHS numbers/postcodes, :00 seconds and number scale do not matter. */
    static String norm(String column, String v) {
        if (v == null || v.isBlank()) {
            return "";
        }
        v = v.trim();
        if (column.contains("NHSNumber")) {
            return v.replaceAll("[ -]", "");
        }
        if (column.equals("Postcode")) {
            return Postcode.normalise(v).orElse(v);
        }
        if (v.matches("\\d\\d/\\d\\d/\\d{4} \\d\\d:\\d\\d:00")) {
            return v.substring(0, 16);
        }
        if (v.matches("-?\\d+(\\.\\d+)?")) {
            return new BigDecimal(v).stripTrailingZeros().toPlainString();
        }
        return v;
    }

    static Map<String, String> semantic(Map<String, String> row, Set<String> columns) {
        Map<String, String> out = new TreeMap<>();
        String address = row.entrySet().stream().filter(e -> e.getKey().startsWith("AddressLine") && columns.contains(e.getKey()))
                .sorted(Map.Entry.comparingByKey()).map(Map.Entry::getValue).filter(v -> v != null && !v.isBlank())
                .collect(Collectors.joining("|"));
        for (String c : columns) {
            if (!c.startsWith("AddressLine")) {
                out.put(c, norm(c, row.get(c)));
            }
        }
        out.put("(address)", address);
        if (!out.getOrDefault("ConsentWithdrawnDate", "").isEmpty()) {
            out.remove("ConsentReviewDue"); // a withdrawn consent has no review date left to keep
        }
        return out;
    }

    @ParameterizedTest
    @CsvSource({"rio,clients,rio-clients.csv", "rio,assessments,rio-assessments.csv", "rio,careplans,rio-careplans.csv",
            "childrens-centre,registrations,cc-registrations.csv", "childrens-centre,attendance,cc-attendance.csv",
            "childrens-centre,progress-checks,cc-progress-checks.csv"})
    void csvRoundTripKeepsMeaning(String feed, String file, String sample) throws IOException {
        List<MappedRecord> records = Samples.read(feed, file, sample);
        StringWriter out = new StringWriter();
        FeedWriter.WriteResult result = Samples.REGISTRY.writer(feed, file).write(outbound(records), out);
        assertThat(result.issues()).isEmpty();

        Set<String> quarantinedLines = records.stream().filter(MappedRecord::isQuarantined).map(r -> r.sourceId()).collect(Collectors.toSet());
        List<Map<String, String>> original = rows(Files.readString(Samples.DIR.resolve(sample), StandardCharsets.UTF_8)).stream()
                .filter(r -> r.values().stream().noneMatch(quarantinedLines::contains)).toList();
        List<Map<String, String>> written = rows(out.toString());
        assertThat(written).hasSize(original.size()).hasSize(result.written());
        Set<String> columns = original.get(0).keySet();
        for (int i = 0; i < original.size(); i++) {
            assertThat(semantic(written.get(i), columns)).as("%s row %d", sample, i + 1).isEqualTo(semantic(original.get(i), columns));
        }
    }

    @Test
    void systmOneRoundTripKeepsMeaning() {
        List<MappedRecord> first = Samples.read("systmone", "extract", "systmone-extract.xml");
        StringWriter out = new StringWriter();
        FeedWriter.WriteResult result = Samples.REGISTRY.writer("systmone", "extract").write(outbound(first), out);
        assertThat(result.issues()).isEmpty();
        assertThat(result.written()).isEqualTo(2);
        List<MappedRecord> second = new ArrayList<>();
        try (RecordStream s = Samples.REGISTRY.reader("systmone", "extract").open(
                new java.io.ByteArrayInputStream(out.toString().getBytes(StandardCharsets.UTF_8)))) {
            s.forEach(second::add);
        }
        assertThat(second).hasSize(2).noneMatch(MappedRecord::isQuarantined);
        for (int i = 0; i < 2; i++) {
            assertThat(fhir(second.get(i))).isEqualTo(fhir(first.get(i)));
        }
    }

    @Test
    void assessmentsFromSystmOneAreReverseTranslatedForRio() throws IOException {
        List<MappedRecord> s1 = Samples.read("systmone", "extract", "systmone-extract.xml");
        List<Observation> events = s1.get(0).resources().stream().filter(Observation.class::isInstance).map(Observation.class::cast).toList();
        StringWriter out = new StringWriter();
        Samples.REGISTRY.writer("rio", "assessments").write("RIO1000123", events, out);
        List<Map<String, String>> rows = rows(out.toString());
        assertThat(rows).extracting(r -> r.get("ItemCode")).containsExactly("WT", "ASQ3-COM");
        assertThat(rows).extracting(r -> r.get("ClientID")).containsOnly("RIO1000123");
        assertThat(rows.get(0).get("Unit")).isEqualTo("kg");
        assertThat(rows.get(1).get("AssessmentDate")).isEqualTo("12/05/2025 10:00"); // 09:00Z in BST
    }

    /** The concept and value of each Observation, as "system|code = value". */
    static List<String> meanings(List<MappedRecord> records, String... systems) {
        List<String> out = new ArrayList<>();
        for (MappedRecord r : records) {
            for (Resource res : r.resources()) {
                if (res instanceof Observation o) {
                    var code = o.getCode().getCoding().stream().filter(c -> Set.of(systems).contains(c.getSystem())).findFirst().orElseThrow();
                    String value = o.hasValueCodeableConcept() ? o.getValueCodeableConcept().getCodingFirstRep().getCode()
                            : o.hasValueBooleanType() ? o.getValueBooleanType().getValueAsString() : String.valueOf(o.getValue());
                    out.add(code.getCode() + " = " + value);
                }
            }
        }
        return out;
    }

    @Test
    void centreItemsKeepTheirMeaningThroughRioAndSystmOne() throws IOException {
        // What the centre sent: progress checks (a coded outcome per prime area) and sessions (attended or not).
        List<MappedRecord> centre = new ArrayList<>(Samples.read("childrens-centre", "progress-checks", "cc-progress-checks.csv"));
        centre.addAll(Samples.read("childrens-centre", "attendance", "cc-attendance.csv"));
        List<Observation> items = centre.stream().filter(r -> !r.isQuarantined()).flatMap(r -> r.resources().stream())
                .filter(Observation.class::isInstance).map(Observation.class::cast).toList();
        String[] gateway = {"https://fhir.childrens-gateway.uk/CodeSystem/eyfs-prime-area", "https://fhir.childrens-gateway.uk/CodeSystem/cc-activity"};
        List<String> sent = meanings(centre, gateway);
        assertThat(sent).isNotEmpty().anyMatch(m -> m.endsWith("= false"));

        assertThat(meanings(writtenAndReadBack("rio", "assessments", "RIO1000123", items), gateway)).containsExactlyInAnyOrderElementsOf(sent);
        assertThat(meanings(writtenAndReadBack("systmone", "extract", "S1-000123", items), gateway)).containsExactlyInAnyOrderElementsOf(sent);
    }

    /** Writes the resources in a feed's own format, with no issue, and reads the file back through that feed, with no quarantine. */
    private static List<MappedRecord> writtenAndReadBack(String feed, String file, String childId, List<? extends Resource> resources) throws IOException {
        StringWriter out = new StringWriter();
        FeedWriter.WriteResult written = Samples.REGISTRY.writer(feed, file).write(childId, resources, out);
        assertThat(written.issues()).isEmpty();
        Path path = Files.createTempFile(feed + "-" + file, ".out");
        Files.writeString(path, out.toString());
        List<MappedRecord> back = Samples.read(feed, file, path);
        assertThat(back).noneMatch(MappedRecord::isQuarantined);
        return back;
    }

    @Test
    void notificationsShareOnlyWhatTheLawAllowsWithoutConsent() throws IOException {
        MappedRecord amelia = Samples.bySource(Samples.read("rio", "clients", "rio-clients.csv"), "RIO1000123");
        StringWriter out = new StringWriter();
        Samples.REGISTRY.writer("childrens-centre", "notifications").write(List.of(
                new OutboundRecord("", amelia.resources(), Map.of("CentreCode", "CC-TORFAEN-01", "Reason", "BIRTH", "SharedUnder", "LIVE-BIRTH-ISP")),
                new OutboundRecord("C-5501", amelia.resources(), Map.of("CentreCode", "CC-TORFAEN-01", "Reason", "MOVE-IN", "SharedUnder", "CONSENT"))), out);
        List<Map<String, String>> rows = rows(out.toString());
        assertThat(out.toString()).startsWith("CentreCode,ChildRef,NHSNumber,ChildForename,ChildSurname,ChildDOB,Carer1Forename,Carer1Surname,AddressLine1,AddressLine2,Town,Postcode,Reason,SharedUnder");
        assertThat(rows.get(0)).containsEntry("NHSNumber", "").containsEntry("ChildForename", "Amelia Rose").containsEntry("ChildDOB", "14/05/2023")
                .containsEntry("Postcode", "NP4 6AB").containsEntry("SharedUnder", "LIVE-BIRTH-ISP");
        assertThat(rows.get(1)).containsEntry("NHSNumber", "9995260182").containsEntry("ChildRef", "C-5501");
    }

    private static final FhirContext CTX = FhirContext.forR4();

    /** Resources as JSON without per-run details (urn:uuid references, Provenance timestamps). */
    static List<String> fhir(MappedRecord r) {
        return r.resources().stream().filter(x -> !(x instanceof Provenance))
                .map(x -> CTX.newJsonParser().encodeResourceToString(x).replaceAll("\"reference\":\"urn:uuid:[^\"]+\",", ""))
                .toList();
    }

    static StringReader reader(String s) {
        return new StringReader(s);
    }
}
