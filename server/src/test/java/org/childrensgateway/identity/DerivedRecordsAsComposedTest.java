package org.childrensgateway.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.path.json.JsonPath;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import org.childrensgateway.GatewayTestBase;
import org.childrensgateway.access.SystemRepository;
import org.childrensgateway.consent.RecordingOrganisation;
import org.childrensgateway.fhir.DerivedRecords;
import org.childrensgateway.fhir.ResourceCodec;
import org.childrensgateway.mappers.transform.NhsNumber;
import org.childrensgateway.store.StoredResource;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.RelatedPerson;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The child and carer records the write paths store are, byte for byte, what survivorship and the
 * carer rules compose from the records' current sources (recomposed here from the person index's
 * links and the stored sources, independently of the write path), and a rewrite that would change
 * nothing writes no version. Families of a generated population go through the three native feeds
 * (a client twice in one batch, carers recorded by two systems, centre records without an NHS
 * number), then through plain FHIR updates.
 */
class DerivedRecordsAsComposedTest extends GatewayTestBase {

    private static final DateTimeFormatter DMY = DateTimeFormatter.ofPattern("dd/MM/yyyy");
    private static final String[] GIVEN = {"Amelia", "Osian", "Seren", "Llyr", "Cerys", "Noah", "Ffion", "Arthur"};
    private static final int CHILDREN = 24;

    @Autowired
    private SystemRepository system;
    @Autowired
    private PersonIndexStore index;
    @Autowired
    private ResourceCodec codec;
    @Autowired
    private LinkageSettings settings;
    @Autowired
    private JdbcClient jdbc;

    @Test
    void storedDerivedRecordsAreTheCompositionOfTheirSourcesAndUnchangedOnesKeepTheirVersion() {
        String family = "Deriv" + letters(new Random().nextInt(Integer.MAX_VALUE));
        Random random = new Random(20261201L);
        StringBuilder rio = new StringBuilder("ClientID,NHSNumber,NHSNumberStatus,Surname,Forenames,PreferredName,DateOfBirth,GenderCode,"
                + "AddressLine1,AddressLine2,AddressLine3,AddressLine4,Postcode,GPPracticeCode,EthnicCategory,DateOfDeath,LastUpdated\n");
        StringBuilder s1 = new StringBuilder("<SystmOneExtract xmlns=\"urn:example:systmone-extract:1\" organisation=\"M85001\" "
                + "generated=\"2026-11-01T02:00:00Z\">\n");
        StringBuilder centre = new StringBuilder("CentreCode,FamilyRef,ChildRef,ChildForename,ChildSurname,ChildDOB,ChildGender,"
                + "ChildNHSNumber,Carer1Forename,Carer1Surname,Carer1Relationship,Carer1Phone,Carer1Email,AddressLine1,AddressLine2,Town,"
                + "Postcode,RegistrationDate,ConsentShareHealth,ConsentShareScope,ConsentDate,ConsentReviewDue,ConsentWithdrawnDate\n");
        for (int i = 0; i < CHILDREN; i++) {
            String id = family + "-" + i;
            String surname = family + letters(i);
            String given = GIVEN[random.nextInt(GIVEN.length)];
            LocalDate born = LocalDate.of(2023, 1, 1).plusDays(17L * i);
            String nhs = nhsNumber(990_000_000L + Math.abs(id.hashCode()) % 9_000_000L);
            String phone = "07700 9" + String.format("%05d", random.nextInt(100_000));
            boolean girl = i % 2 == 0;
            rio.append(client(id, nhs, surname, given, "", born, girl, "01/11/2026 10:00:00"));
            if (i % 4 == 0) {
                // The same client again, later, in the same batch: its child record is still written once.
                rio.append(client(id, nhs, surname, given, "Millie", born, girl, "01/11/2026 11:00:00"));
            }
            if (i % 3 != 0) {
                s1.append("<Patient id=\"S1-").append(id).append("\"><NHSNumber verified=\"true\">").append(nhs).append("</NHSNumber>")
                        .append("<Name><Forenames>").append(given).append(i % 5 == 2 ? " Rose" : "").append("</Forenames><Surname>")
                        .append(surname).append("</Surname></Name><DateOfBirth>").append(born).append("</DateOfBirth><Sex>")
                        .append(girl ? "F" : "M").append("</Sex><Address><Line>").append(i + 1).append(" Heol y Bryn</Line>")
                        .append("<Line>Pontypool</Line><Postcode>NP4 6AB</Postcode></Address><RegisteredPractice ods=\"M85001\"/>")
                        .append("<Carers><Carer id=\"S1C-").append(id).append("\" relationship=\"MTH\" parentalResponsibility=\"true\">")
                        .append("<Name><Forenames>Cerys</Forenames><Surname>").append(surname).append("</Surname></Name><Telephone>")
                        .append(phone).append("</Telephone></Carer></Carers></Patient>\n");
            }
            boolean otherCarer = i % 7 == 2;
            centre.append("CC-TORFAEN-01,F-").append(id).append(",C-").append(id).append(',').append(given).append(',').append(surname)
                    .append(',').append(born.format(DMY)).append(',').append(girl ? "Female" : "Male").append(',')
                    .append(i % 5 == 1 ? nhs : "").append(',').append(otherCarer ? "Sian" : "Cerys").append(',').append(surname)
                    .append(",Mother,").append(otherCarer ? "07700 800001" : phone).append(",,").append(i + 1)
                    .append(" Heol-y-Bryn,,Pontypool,NP46AB,01/06/2025,Y,HV;GP,01/06/2025,01/06/2026,\n");
        }
        s1.append("</SystmOneExtract>\n");

        send("rio", "clients", rio, "text/csv");
        List<String> children = childRecordsOf(family);
        assertThat(children).hasSize(CHILDREN);
        for (String child : children) {
            assertThat(system.current("Patient", child).orElseThrow().version()).as("child record written once per batch").isEqualTo(1);
        }
        assertStoredAsComposed(children);

        send("systmone", "extract", s1, "application/xml");
        send("childrens-centre", "registrations", centre, "text/csv");
        List<String> linked = childRecordsOf(family);
        Map<String, Long> versions = assertStoredAsComposed(linked);
        assertThat(versions.keySet().stream().filter(id -> !linked.contains(id))).as("carer records").hasSizeGreaterThanOrEqualTo(CHILDREN);

        // A change no derived record shows (survivorship does not take a source's telecom): no new versions.
        String rioSource = rioSourceOf(family + "-0");
        update(rioSource, p -> p.addTelecom().setSystem(org.hl7.fhir.r4.model.ContactPoint.ContactPointSystem.PHONE).setValue("01495 000000"));
        assertThat(assertStoredAsComposed(linked)).as("versions after a change no derived record shows").isEqualTo(versions);

        // A change the child record shows (its address comes from RiO: no SystmOne record): one new version of it alone.
        String child3 = index.childrenOf(ChildRecordWriter.POOL, List.of(rioSourceOf(family + "-3"))).get(rioSourceOf(family + "-3"));
        update(rioSourceOf(family + "-3"), p -> p.getAddressFirstRep().getLine().get(0).setValue("4a Heol y Bryn"));
        Map<String, Long> after = assertStoredAsComposed(linked);
        Map<String, Long> expected = new HashMap<>(versions);
        expected.put(child3, versions.get(child3) + 1);
        assertThat(after).isEqualTo(expected);
        assertThat(system.current("Patient", child3).orElseThrow().json()).contains("4a Heol y Bryn");
    }

    private static String client(String id, String nhs, String surname, String given, String preferred, LocalDate born, boolean girl,
                                 String updated) {
        return "RIO-" + id + "," + nhs + ",01," + surname + "," + given + "," + preferred + "," + born.format(DMY) + "," + (girl ? 2 : 1)
                + ",4 Heol y Bryn,,Pontypool,,NP4 6AB,M85001,A,," + updated + "\n";
    }

    private void send(String feed, String file, StringBuilder body, String type) {
        JsonPath report = asFeed(feed).contentType(type).body(body.toString().getBytes(StandardCharsets.UTF_8)).post("/ingest/" + feed + "/" + file)
                .then().statusCode(200).extract().jsonPath();
        assertThat(report.getInt("quarantined")).as(feed + " " + file + ": " + report.prettify()).isZero();
    }

    /** The child records the run's source Patients are linked to. */
    private List<String> childRecordsOf(String family) {
        List<String> sources = jdbc.sql("select distinct r.res_id from resource r join sp_string s on s.pid = r.pid"
                        + " where r.res_type = 'Patient' and not r.deleted and s.name = 'family' and s.value_exact like ?")
                .param(family + "%").query(String.class).list();
        return List.copyOf(new TreeSet<>(index.childrenOf(ChildRecordWriter.POOL, sources).values()));
    }

    /** The RiO source Patient (the child record carries its identifier too). */
    private String rioSourceOf(String id) {
        List<String> found = jdbc.sql("select r.res_id from resource r join sp_token t on t.pid = r.pid where r.res_type = 'Patient'"
                        + " and not r.deleted and t.name = 'identifier' and t.code = ?").param("RIO-" + id).query(String.class).list();
        List<String> sources = List.copyOf(index.childrenOf(ChildRecordWriter.POOL, found).keySet());
        assertThat(sources).hasSize(1);
        return sources.get(0);
    }

    private void update(String id, java.util.function.Consumer<Patient> change) {
        Patient p = (Patient) codec.decode(system.current("Patient", id).orElseThrow());
        change.accept(p);
        p.setMeta(null);
        fhirAs("rio-hv").body(codec.encode(p)).put("/Patient/" + id).then().statusCode(200);
    }

    /**
     * Asserts that each child record and each of its carer records is stored exactly as composed from
     * its current sources, and that every source carer is in a carer record of its child; answers the
     * version of each.
     */
    private Map<String, Long> assertStoredAsComposed(List<String> children) {
        Survivorship survivorship = new Survivorship(settings);
        Map<String, Long> versions = new HashMap<>();
        for (String child : children) {
            List<Survivorship.Source> sources = new ArrayList<>();
            List<StoredResource> sourceRows = new ArrayList<>();
            for (String id : index.members(ChildRecordWriter.POOL, child)) {
                StoredResource row = system.current("Patient", id).orElseThrow();
                sourceRows.add(row);
                Patient p = (Patient) system.decode(row);
                sources.add(new Survivorship.Source(id, p, FeatureExtractor.feedOf(p.getIdentifier()), p.getMeta().getLastUpdated()));
            }
            StoredResource stored = system.current("Patient", child).orElseThrow();
            assertThat(stored.json()).as("child record " + child).isEqualTo(asStored(survivorship.childRecord(child, sources), stored));
            versions.put(child, stored.version());

            List<String> sourceCarers = system.referencing(sourceRows, "RelatedPerson", "patient").stream()
                    .filter(s -> !DerivedRecords.isDerived(system.decode(s))).map(StoredResource::id).toList();
            Map<String, String> recordOf = index.childrenOf(CarerLinker.POOL, sourceCarers);
            assertThat(recordOf.keySet()).as("every source carer of " + child + " is in a carer record").containsExactlyInAnyOrderElementsOf(sourceCarers);
            for (String recordId : new TreeSet<>(recordOf.values())) {
                StoredResource record = system.current("RelatedPerson", recordId).orElseThrow();
                List<RelatedPerson> members = new ArrayList<>();
                index.members(CarerLinker.POOL, recordId).forEach(id -> members.add((RelatedPerson) system.decode(system.current("RelatedPerson", id).orElseThrow())));
                members.sort(Comparator.comparingInt((RelatedPerson r) -> settings.rank(FeatureExtractor.feedOf(r.getIdentifier())))
                        .thenComparing(r -> r.getIdElement().getIdPart()));
                assertThat(record.json()).as("carer record " + recordId).isEqualTo(asStored(CarerLinker.carerRecord(child, recordId, members), record));
                versions.put(recordId, record.version());
            }
        }
        return versions;
    }

    /**
     * The composed record's JSON at the stored version (as the write path gives a version its
     * identity), as the store renders it (jsonb): what the store would hold had it written this.
     */
    private String asStored(Resource composed, StoredResource stored) {
        RecordingOrganisation.stamp(composed, RecordingOrganisation.GATEWAY);
        composed.setId(new IdType(stored.type(), stored.id(), Long.toString(stored.version())));
        composed.getMeta().setVersionId(Long.toString(stored.version()));
        composed.getMeta().setLastUpdated(Date.from(stored.lastUpdated()));
        return jdbc.sql("select cast(? as jsonb)::text").param(codec.encode(composed)).query(String.class).single();
    }

    /** The first valid NHS number from these nine digits on (some have no check digit). */
    private static String nhsNumber(long digits) {
        for (long n = digits; ; n++) {
            java.util.Optional<String> nhs = NhsNumber.withCheckDigit(Long.toString(n));
            if (nhs.isPresent()) {
                return nhs.get();
            }
        }
    }

    private static String letters(int n) {
        StringBuilder s = new StringBuilder();
        do {
            s.append((char) ('a' + n % 26));
            n /= 26;
        } while (n > 0);
        return s.toString();
    }
}
