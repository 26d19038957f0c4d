package org.childrensgateway.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import java.util.List;
import org.childrensgateway.GatewayTestBase;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestResourceComponent;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A vendor using a stock FHIR client (HAPI's generic client, XML and JSON) can do its everyday work. */
class GenericClientAndMetadataTest extends GatewayTestBase {

    private IGenericClient client;

    @BeforeEach
    void client() {
        FhirContext ctx = FhirContext.forR4Cached();
        ctx.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
        client = ctx.newRestfulGenericClient(baseUrl());
        client.registerInterceptor(new ca.uhn.fhir.rest.client.interceptor.BearerTokenAuthInterceptor(token()));
    }

    @Test
    void stockClientCreatesSearchesAndDeletesInXmlAndJson() {
        String nhs = FhirFixtures.nhsNumber();
        Patient patient = new Patient();
        patient.addIdentifier(new Identifier().setSystem("https://fhir.nhs.uk/Id/nhs-number").setValue(nhs));
        patient.addName().setFamily("ap Dafydd").addGiven("Llŷr");
        patient.setGender(Enumerations.AdministrativeGender.MALE);
        patient.setBirthDateElement(new org.hl7.fhir.r4.model.DateType("2024-11-02"));

        client.setEncoding(ca.uhn.fhir.rest.api.EncodingEnum.XML);
        MethodOutcome created = client.create().resource(patient).execute();
        assertThat(created.getCreated()).isTrue();
        String id = created.getId().getIdPart();

        Bundle found = client.search().forResource(Patient.class)
                .where(Patient.IDENTIFIER.exactly().systemAndCode("https://fhir.nhs.uk/Id/nhs-number", nhs))
                // the person index's child record holds the NHS number too; this test is about the Patient it wrote
                .and(new ca.uhn.fhir.rest.gclient.TokenClientParam("_tag:not").exactly()
                        .systemAndCode("https://fhir.childrens-gateway.uk/CodeSystem/record-kind", "child-record"))
                .returnBundle(Bundle.class).execute();
        assertThat(found.getTotal()).isEqualTo(1);
        Patient read = (Patient) found.getEntryFirstRep().getResource();
        assertThat(read.getNameFirstRep().getGivenAsSingleString()).isEqualTo("Llŷr");

        client.setEncoding(ca.uhn.fhir.rest.api.EncodingEnum.JSON);
        read.getNameFirstRep().setFamily("ap Dafydd-Jones");
        MethodOutcome updated = client.update().resource(read).execute();
        assertThat(updated.getId().getVersionIdPart()).isEqualTo("2");

        Patient v1 = client.read().resource(Patient.class).withIdAndVersion(id, "1").execute();
        assertThat(v1.getNameFirstRep().getFamily()).isEqualTo("ap Dafydd");

        client.delete().resourceById("Patient", id).execute();
        try {
            client.read().resource(Patient.class).withId(id).execute();
            org.junit.jupiter.api.Assertions.fail("deleted resource was readable");
        } catch (ResourceGoneException expected) {
            // 410 Gone, as FHIR requires for a deleted resource
        }
    }

    @Test
    void capabilityStatementListsWhatTheServerDoes() {
        CapabilityStatement cs = client.capabilities().ofType(CapabilityStatement.class).execute();
        assertThat(cs.getFhirVersion().toCode()).isEqualTo("4.0.1");
        List<String> types = cs.getRestFirstRep().getResource().stream().map(CapabilityStatementRestResourceComponent::getType).toList();
        assertThat(types).contains("Patient", "RelatedPerson", "Consent", "Observation", "CarePlan", "Organization",
                "Practitioner", "Provenance", "AuditEvent");

        CapabilityStatementRestResourceComponent patient = resource(cs, "Patient");
        assertThat(patient.getSearchParam()).extracting(p -> p.getName())
                .contains("_id", "identifier", "name", "family", "given", "birthdate", "gender", "address-postalcode", "_lastUpdated");
        assertThat(patient.getProfile()).isEqualTo("https://fhir.childrens-gateway.uk/StructureDefinition/ChildPatient");
        assertThat(patient.getConditionalCreate()).isTrue();
        assertThat(patient.getUpdateCreate()).as("no update-as-create: a hidden id answers as a free one").isFalse();
        assertThat(patient.getSearchRevInclude()).extracting(s -> s.getValue()).contains("Observation:subject", "CarePlan:subject", "Consent:patient");
        assertThat(patient.getInteraction()).extracting(i -> i.getCode().toCode())
                .contains("read", "vread", "update", "delete", "history-instance", "history-type", "create", "search-type");

        CapabilityStatementRestResourceComponent audit = resource(cs, "AuditEvent");
        assertThat(audit.getInteraction()).extracting(i -> i.getCode().toCode()).doesNotContain("create", "update", "delete");

        assertThat(resource(cs, "Observation").getSearchParam()).extracting(p -> p.getName())
                .contains("subject", "patient", "code", "category", "date");
        assertThat(cs.getRestFirstRep().getInteraction()).extracting(i -> i.getCode().toCode()).contains("transaction", "batch");
    }

    @Test
    void observationRoundTripsThroughTheClient() {
        Patient patient = new Patient();
        patient.addName().setFamily("Smith").addGiven("Ava");
        patient.setBirthDateElement(new org.hl7.fhir.r4.model.DateType("2023-07-07"));
        String pid = client.create().resource(patient).execute().getId().toUnqualifiedVersionless().getValue();
        Observation obs = (Observation) FhirContext.forR4Cached().newJsonParser()
                .parseResource(FhirFixtures.observation(pid, "27113001", "2025-01-10T10:30:00Z", 12.4));
        client.create().resource(obs).execute();
        Bundle bundle = client.search().forResource(Observation.class).where(Observation.SUBJECT.hasId(pid))
                .returnBundle(Bundle.class).execute();
        assertThat(bundle.getTotal()).isEqualTo(1);
        assertThat(((Observation) bundle.getEntryFirstRep().getResource()).getValueQuantity().getValue().doubleValue()).isEqualTo(12.4);
    }

    private static CapabilityStatementRestResourceComponent resource(CapabilityStatement cs, String type) {
        return cs.getRestFirstRep().getResource().stream().filter(r -> r.getType().equals(type)).findFirst().orElseThrow();
    }
}
