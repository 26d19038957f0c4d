package org.childrensgateway.mappers;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;

/** Each sample file: expected quarantines with the right reason, everything else mapped, and the CSV edge cases. */
class InboundSamplesTest {

    static <T extends Resource> List<T> of(MappedRecord r, Class<T> type) {
        return r.resources().stream().filter(type::isInstance).map(type::cast).toList();
    }

    @Test
    void rioClientsQuarantinesBadNhsNumberAndImpossibleDate() {
        List<MappedRecord> records = Samples.read("rio", "clients", "rio-clients.csv");
        assertThat(records).hasSize(5);
        MappedRecord badNhs = Samples.bySource(records, "RIO1000126");
        assertThat(badNhs.isQuarantined()).isTrue();
        assertThat(badNhs.entries()).isEmpty();
        assertThat(badNhs.issues()).extracting(Issue::code).containsExactly(Issue.INVALID_NHS_NUMBER);
        assertThat(badNhs.rawText()).contains("RIO1000126").startsWith("ClientID,");
        MappedRecord badDate = Samples.bySource(records, "RIO1000127");
        assertThat(badDate.issues()).extracting(Issue::code, Issue::field).containsExactly(org.assertj.core.groups.Tuple.tuple(Issue.INVALID_DATE, "DateOfBirth"));
        assertThat(records.stream().filter(MappedRecord::isQuarantined)).hasSize(2);
        for (MappedRecord r : records) {
            assertThat(r.issues()).allSatisfy(i -> assertThat(i.message()).doesNotContain("9995260183", "Digit", "Bad-Check", "Nadia", "Nodate", "31/02"));
        }
    }

    @Test
    void rioClientsCrlfAndQuotedCommaAddress() {
        List<MappedRecord> records = Samples.read("rio", "clients", "rio-clients.csv");
        assertThat(records).extracting(MappedRecord::line).containsExactly(2L, 3L, 4L, 5L, 6L);
        Patient amelia = of(Samples.bySource(records, "RIO1000123"), Patient.class).get(0);
        assertThat(amelia.getIdentifier()).extracting(i -> i.getSystem() + "|" + i.getValue())
                .contains("https://fhir.childrens-gateway.uk/Id/rio/RX9/client|RIO1000123", "https://fhir.nhs.uk/Id/nhs-number|9995260182");
        assertThat(amelia.getNameFirstRep().getGiven()).extracting(Object::toString).containsExactly("Amelia", "Rose");
        assertThat(amelia.getAddressFirstRep().getPostalCode()).isEqualTo("NP4 6AB");
        assertThat(amelia.getBirthDateElement().getValueAsString()).isEqualTo("2023-05-14");
        assertThat(amelia.getAddressFirstRep().getLine().get(2).getValue()).isEqualTo("Torfaen"); // no CR left on the last column
        MappedRecord oliver = Samples.bySource(records, "RIO1000124");
        assertThat(of(oliver, Patient.class).get(0).getAddressFirstRep().getLine().get(0).getValue()).isEqualTo("Flat 3, Canal View");
        assertThat(oliver.lastUpdatedAt()).isPresent();
        assertThat(oliver.lastUpdatedAt().get().toString()).isEqualTo("2026-11-03T22:10:00Z");
        Patient llyr = of(Samples.bySource(records, "RIO1000125"), Patient.class).get(0);
        assertThat(llyr.getIdentifier().get(1).getValue()).isEqualTo("9991590838");
        assertThat(llyr.getNameFirstRep().getGivenAsSingleString()).isEqualTo("Llŷr");
        Bundle.BundleEntryComponent e = Samples.bySource(records, "RIO1000125").toTransactionBundle().getEntryFirstRep();
        assertThat(e.getRequest().getMethod()).isEqualTo(Bundle.HTTPVerb.PUT);
        assertThat(e.getRequest().getUrl()).isEqualTo("Patient?identifier=https://fhir.childrens-gateway.uk/Id/rio/RX9/client|RIO1000125");
    }

    @Test
    void rioAssessmentsBomUnmappedCodeAndSensitiveItem() {
        List<MappedRecord> records = Samples.read("rio", "assessments", "rio-assessments.csv");
        assertThat(records).hasSize(7);
        assertThat(records.get(0).sourceId()).isEqualTo("A-9001"); // BOM stripped: ClientID header found
        MappedRecord unknown = Samples.bySource(records, "A-9102");
        assertThat(unknown.isQuarantined()).isTrue();
        assertThat(unknown.issues()).singleElement().satisfies(i -> {
            assertThat(i.code()).isEqualTo(Issue.UNMAPPED_CODE);
            assertThat(i.message()).contains("XYZ-UNKNOWN");
        });
        assertThat(records.stream().filter(MappedRecord::isQuarantined)).containsExactly(unknown);
        Observation weight = of(Samples.bySource(records, "A-9001"), Observation.class).get(0);
        assertThat(weight.getCode().getCodingFirstRep().getCode()).isEqualTo("27113001");
        assertThat(weight.getValueQuantity().getValue()).isEqualByComparingTo("12.4");
        assertThat(weight.getSubject().getReference()).isEqualTo("Patient?identifier=https://fhir.childrens-gateway.uk/Id/rio/RX9/client|RIO1000123");
        assertThat(weight.getEffectiveDateTimeType().getValueAsString()).isEqualTo("2025-01-10T10:30:00Z");
        Observation level = of(Samples.bySource(records, "A-9005"), Observation.class).get(0);
        assertThat(level.getValueCodeableConcept().getCodingFirstRep().getCode()).isEqualTo("universal-plus");
        Observation mh = of(Samples.bySource(records, "A-9101"), Observation.class).get(0);
        assertThat(mh.getValueBooleanType().getValue()).isTrue();
        assertThat(mh.getMeta().getSecurity()).extracting(c -> c.getCode()).contains("PSY", "R");
        assertThat(weight.getMeta().getSecurity()).isEmpty();
        // May 2025 is British Summer Time: 09:00 local is 08:00Z
        Observation asq = of(Samples.bySource(records, "A-9003"), Observation.class).get(0);
        assertThat(asq.getEffectiveDateTimeType().getValueAsString()).isEqualTo("2025-05-12T09:00:00+01:00");
        Provenance prov = of(Samples.bySource(records, "A-9001"), Provenance.class).get(0);
        assertThat(prov.getPolicy().get(0).getValue()).isEqualTo("https://fhir.childrens-gateway.uk/mapping/rio/assessments|1.0.0");
        assertThat(prov.getEntityFirstRep().getWhat().getIdentifier().getValue()).isEqualTo("rio/assessments/RX9#line 2");
    }

    @Test
    void rioCarePlansGoalsAndServiceLevel() {
        List<MappedRecord> records = Samples.read("rio", "careplans", "rio-careplans.csv");
        assertThat(records).noneMatch(MappedRecord::isQuarantined);
        CarePlan plan = of(Samples.bySource(records, "CP-501"), CarePlan.class).get(0);
        assertThat(plan.getGoal()).hasSize(2);
        assertThat(plan.getContained()).hasSize(2);
        assertThat(plan.getCategoryFirstRep().getCodingFirstRep().getCode()).isEqualTo("universal-plus");
        assertThat(plan.getStatus()).isEqualTo(CarePlan.CarePlanStatus.ACTIVE);
    }

    @Test
    void centreRegistrationsQuotedSurnameConsentsAndPostcode() {
        List<MappedRecord> records = Samples.read("childrens-centre", "registrations", "cc-registrations.csv");
        assertThat(records).hasSize(3).noneMatch(MappedRecord::isQuarantined);
        Patient millie = of(Samples.bySource(records, "C-5501"), Patient.class).get(0);
        assertThat(millie.getAddressFirstRep().getPostalCode()).isEqualTo("NP4 6AB");
        assertThat(millie.getIdentifierFirstRep().getSystem()).isEqualTo("https://fhir.childrens-gateway.uk/Id/childrens-centre/W06000020/child");
        Consent granted = of(Samples.bySource(records, "C-5501"), Consent.class).get(0);
        assertThat(granted.getStatus()).isEqualTo(Consent.ConsentState.ACTIVE);
        assertThat(granted.getProvision().getType()).isEqualTo(Consent.ConsentProvisionType.PERMIT);
        assertThat(granted.getProvision().getPeriod().getEndElement().getValueAsString()).isEqualTo("2026-06-01");
        assertThat(granted.getProvision().getActor()).extracting(a -> a.getReference().getIdentifier().getValue()).containsExactly("HV", "GP");
        assertThat(granted.getPerformerFirstRep().getType()).isEqualTo("RelatedPerson");
        Consent refused = of(Samples.bySource(records, "C-5502"), Consent.class).get(0);
        assertThat(refused.getProvision().getType()).isEqualTo(Consent.ConsentProvisionType.DENY);
        MappedRecord ava = Samples.bySource(records, "C-5503");
        assertThat(of(ava, Patient.class).get(0).getNameFirstRep().getFamily()).isEqualTo("Smith, Jnr");
        Consent withdrawn = of(ava, Consent.class).get(0);
        assertThat(withdrawn.getStatus()).isEqualTo(Consent.ConsentState.INACTIVE);
        assertThat(withdrawn.getProvision().getPeriod().getEndElement().getValueAsString()).isEqualTo("2025-08-10");
        assertThat(of(ava, Patient.class).get(0).getAddressFirstRep().getLine().get(0).getValue()).isEqualTo("1 Mill Lane, Rear");
    }

    @Test
    void centreAttendanceAndProgressChecksWithMultiLineNote() {
        List<MappedRecord> att = Samples.read("childrens-centre", "attendance", "cc-attendance.csv");
        assertThat(att).hasSize(3).noneMatch(MappedRecord::isQuarantined);
        Observation missed = of(att.get(1), Observation.class).get(0);
        assertThat(missed.getValueBooleanType().getValue()).isFalse();
        assertThat(missed.getCode().getCodingFirstRep().getSystem()).isEqualTo("https://fhir.childrens-gateway.uk/CodeSystem/cc-activity");
        assertThat(missed.getCategoryFirstRep().getCodingFirstRep().getCode()).isEqualTo("centre-attendance");
        List<MappedRecord> checks = Samples.read("childrens-centre", "progress-checks", "cc-progress-checks.csv");
        assertThat(checks).hasSize(3).noneMatch(MappedRecord::isQuarantined);
        assertThat(checks).extracting(MappedRecord::line).containsExactly(2L, 4L, 5L);
        Observation cl = of(checks.get(0), Observation.class).get(0);
        assertThat(cl.getNoteFirstRep().getText()).isEqualTo("Uses around 20 words.\nParent reports fewer at home; suggest speech group.");
        assertThat(cl.getValueCodeableConcept().getCodingFirstRep().getCode()).isEqualTo("emerging");
        assertThat(checks.get(0).rawText()).contains("\"Uses around 20 words.");
    }

    @Test
    void sharedSamplesFolderMapsTheSameWayWhenPresent() throws Exception {
        Path shared = Path.of("../../shared/formats/samples");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(shared), "shared samples not mounted");
        assertThat(Samples.read("rio", "clients", shared.resolve("rio-clients.csv")))
                .filteredOn(MappedRecord::isQuarantined).extracting(MappedRecord::sourceId).containsExactly("RIO1000126", "RIO1000127");
        assertThat(Samples.read("rio", "assessments", shared.resolve("rio-assessments.csv")))
                .filteredOn(MappedRecord::isQuarantined).extracting(MappedRecord::sourceId).containsExactly("A-9102");
        for (String f : List.of("cc-attendance.csv", "cc-progress-checks.csv", "cc-registrations.csv", "rio-careplans.csv", "systmone-extract.xml")) {
            assertThat(Files.mismatch(shared.resolve(f), Samples.DIR.resolve(f))).as("fixture copy of %s is current", f).isEqualTo(-1L);
        }
    }
}
