package org.childrensgateway.mappers;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.RelatedPerson;
import org.junit.jupiter.api.Test;

class SystmOneTest {

    static List<MappedRecord> read(String xml) {
        List<MappedRecord> out = new ArrayList<>();
        try (RecordStream s = Samples.REGISTRY.reader("systmone", "extract").open(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)))) {
            s.forEach(out::add);
        }
        return out;
    }

    @Test
    void sampleExtractMapsEveryPatient() {
        List<MappedRecord> records = Samples.read("systmone", "extract", "systmone-extract.xml");
        assertThat(records).hasSize(2).noneMatch(MappedRecord::isQuarantined);
        MappedRecord amelia = records.get(0);
        assertThat(amelia.location()).startsWith("/SystmOneExtract/Patient[1][@id='S1-000123']");
        assertThat(amelia.rawText()).contains("urn:example:systmone-extract:1").contains("organisation=\"M85001\"").contains("S1-000123");
        Patient p = InboundSamplesTest.of(amelia, Patient.class).get(0);
        assertThat(p.getIdentifier().get(1).getExtensionFirstRep().getValue().toString()).isNotNull();
        assertThat(p.getMeta().getTag()).isEmpty();
        RelatedPerson mum = InboundSamplesTest.of(amelia, RelatedPerson.class).get(0);
        assertThat(mum.getRelationshipFirstRep().getCodingFirstRep().getCode()).isEqualTo("MTH");
        assertThat(mum.getExtensionByUrl("https://fhir.childrens-gateway.uk/StructureDefinition/Extension-ParentalResponsibility").getValue().primitiveValue()).isEqualTo("true");
        List<Observation> events = InboundSamplesTest.of(amelia, Observation.class);
        assertThat(events.get(1).getCode().getCodingFirstRep().getSystem()).isEqualTo("https://fhir.childrens-gateway.uk/CodeSystem/asq3");
        assertThat(events.get(1).getCode().getCodingFirstRep().getCode()).isEqualTo("COM");
        List<Consent> consents = InboundSamplesTest.of(amelia, Consent.class);
        assertThat(consents).hasSize(2);
        assertThat(consents.get(1).getProvision().getPeriod().getEndElement().getValueAsString()).isEqualTo("2027-06-03");
        assertThat(consents.get(1).getPerformerFirstRep().getReference()).isEqualTo(amelia.entries().get(1).fullUrl());
        assertThat(consents.get(1).getProvision().getActorFirstRep().getReference().getIdentifier().getValue()).isEqualTo("CC");
        Consent refused = InboundSamplesTest.of(records.get(1), Consent.class).get(0);
        assertThat(refused.getStatus()).isEqualTo(Consent.ConsentState.ACTIVE);
        assertThat(refused.getProvision().getType()).isEqualTo(Consent.ConsentProvisionType.DENY);
        assertThat(refused.getProvision().getActorFirstRep().getReference().getIdentifier().getValue()).isEqualTo("EY");
    }

    @Test
    void identityOnlyUpdateDoesNotEmitABlankingPatient() {
        List<MappedRecord> records = read("""
                <SystmOneExtract xmlns="urn:example:systmone-extract:1" organisation="M85001">
                  <Patient id="S1-000123">
                    <NHSNumber verified="true">999 526 0182</NHSNumber>
                    <Events><Event id="E-9" date="2025-06-01T09:00:00Z"><Code scheme="SNOMED" value="50373000"/><Value numeric="88" unit="cm"/></Event></Events>
                  </Patient>
                </SystmOneExtract>""");
        MappedRecord r = records.get(0);
        assertThat(r.isQuarantined()).isFalse();
        Bundle.BundleEntryComponent patientEntry = r.toTransactionBundle().getEntryFirstRep();
        Patient p = (Patient) patientEntry.getResource();
        assertThat(p.hasName()).isFalse();
        assertThat(p.getMeta().getTag()).extracting(c -> c.getCode()).containsExactly("identity-only");
        assertThat(patientEntry.getRequest().getMethod()).isEqualTo(Bundle.HTTPVerb.POST);
        assertThat(patientEntry.getRequest().getIfNoneExist()).isEqualTo("identifier=https://fhir.childrens-gateway.uk/Id/systmone/M85001/patient|S1-000123");
        assertThat(r.resources()).hasOnlyElementsOfTypes(Patient.class, Observation.class, org.hl7.fhir.r4.model.Provenance.class);
    }

    @Test
    void badRecordDoesNotStopTheStreamAndUnknownLocalCodeIsReported() {
        List<MappedRecord> records = read("""
                <SystmOneExtract xmlns="urn:example:systmone-extract:1" organisation="M85009">
                  <Patient id="A"><NHSNumber>9995260183</NHSNumber></Patient>
                  <Other xmlns="urn:x"><Patient id="ignored"/></Other>
                  <Patient id="B"><Events><Event id="E" date="2025-01-01"><Code scheme="LOCAL" value="Y0ZZZ"/></Event></Events></Patient>
                  <Patient id="C"><DateOfBirth>2023-02-31</DateOfBirth></Patient>
                </SystmOneExtract>""");
        assertThat(records).extracting(MappedRecord::sourceId).containsExactly("A", "B", "C");
        assertThat(records.get(0).isQuarantined()).isTrue();
        assertThat(records.get(2).isQuarantined()).isTrue();
        assertThat(records.get(0).issues().get(0).code()).isEqualTo(Issue.INVALID_NHS_NUMBER);
        assertThat(records.get(0).issues().get(0).message()).doesNotContain("9995260183");
        // An event that cannot be mapped is quarantined by itself; the patient's record is not.
        assertThat(records.get(1).isQuarantined()).isFalse();
        assertThat(records.get(1).partFaults()).singleElement().satisfies(p -> {
            assertThat(p.location()).isEqualTo("Event[@id='E']");
            assertThat(p.reason()).contains("Y0ZZZ", "systmone-local-codes");
        });
        assertThat(records.get(2).issues().get(0).code()).isEqualTo(Issue.INVALID_DATE);
    }

    @Test
    void organisationComesFromTheExtractRoot() {
        MappedRecord r = read("<SystmOneExtract xmlns='urn:example:systmone-extract:1' organisation='Y01234'><Patient id='Z'/></SystmOneExtract>").get(0);
        assertThat(((Patient) r.resources().get(0)).getIdentifierFirstRep().getSystem()).isEqualTo("https://fhir.childrens-gateway.uk/Id/systmone/Y01234/patient");
    }
}
