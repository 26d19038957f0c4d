package org.childrensgateway.access;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.childrensgateway.audit.PatientReferences;
import org.childrensgateway.consent.ChildFacts;
import org.childrensgateway.consent.ConsentDecisionPoint;
import org.childrensgateway.consent.ConsentDirective;
import org.childrensgateway.consent.Decision;
import org.childrensgateway.consent.DecisionFacts;
import org.childrensgateway.consent.RecordingOrganisation;
import org.childrensgateway.fhir.DerivedRecords;
import org.childrensgateway.fhir.ResourceCodec;
import org.childrensgateway.search.SearchParamRegistry;
import org.childrensgateway.security.Caller;
import org.childrensgateway.store.StoredResource;
import org.hl7.fhir.r4.model.Annotation;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Coverage;
import org.hl7.fhir.r4.model.EpisodeOfCare;
import org.hl7.fhir.r4.model.Goal;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.RelatedPerson;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The fast path decides exactly as the slow path: for each stored resource, the facts read off its
 * stored JSON equal the facts of the parsed resource, the patients the audit names are those
 * {@link PatientReferences} finds in the parse, and every caller, consent and child state gets the
 * same decision either way. Where the reader is not sure (references HAPI reads its own way, labels
 * without codes, duplicate members), it declines, and the parse decides.
 */
class StoredFactsTest {

    static final FhirContext CONTEXT = FhirContext.forR4Cached();
    static final ResourceCodec CODEC = new ResourceCodec(CONTEXT);
    static final SearchParamRegistry REGISTRY = new SearchParamRegistry();
    static final StoredFacts.Reader READER = new StoredFacts.Reader(CONTEXT, REGISTRY);
    static final PatientReferences PATIENTS = new PatientReferences(CONTEXT, REGISTRY);
    static final ConsentDecisionPoint DECISIONS = new ConsentDecisionPoint(ConsentDecisionPointTest.POLICY);
    static final String CONFIDENTIALITY = ChildFacts.CONFIDENTIALITY;

    static <T extends Resource> T recorded(T r, String id, String org) {
        r.setId(r.fhirType() + "/" + id);
        if (org != null) {
            RecordingOrganisation.stamp(r, org);
        }
        return r;
    }

    static Observation observation(String id, String org, String subject, String label, boolean notes) {
        Observation o = recorded(new Observation(), id, org);
        if (subject != null) {
            o.setSubject(new Reference(subject));
        }
        if (label != null) {
            o.getMeta().addSecurity("http://terminology.hl7.org/CodeSystem/v3-ActCode", label, null);
        }
        if (notes) {
            o.addNote(new Annotation().setText("detailed note"));
        }
        o.setStatus(Observation.ObservationStatus.FINAL);
        return o;
    }

    static Stream<Arguments> resources() {
        List<Resource> all = new ArrayList<>();
        Patient child = recorded(new Patient(), "p1", "RX9");
        child.addName().setFamily("Jones");
        child.addAddress().setPostalCode("NP4 6AB");
        all.add(child);
        Patient restricted = recorded(new Patient(), "p2", "RX9");
        restricted.getMeta().addSecurity(CONFIDENTIALITY, "R", null);
        restricted.addAddress().setPostalCode("NP4 6AB");
        all.add(restricted);
        Patient bereaved = recorded(new Patient(), "p3", "M85001");
        bereaved.getMeta().addTag(ChildFacts.CIRCUMSTANCE_SYSTEM, ChildFacts.BEREAVED, null);
        all.add(bereaved);
        Patient derived = recorded(new Patient(), "cr1", RecordingOrganisation.GATEWAY);
        derived.getMeta().addTag(DerivedRecords.TAG_SYSTEM, DerivedRecords.CHILD_RECORD, null);
        all.add(derived);
        all.add(recorded(new Patient(), "p4", null)); // no recorder
        all.add(observation("o1", "RX9", "Patient/p1", null, false));
        all.add(observation("o2", "RX9", "Patient/p1", "PSY", true));
        all.add(observation("o3", "M85001", "Patient/p1", "SOC", false));
        all.add(observation("o4", "RX9", "Patient/p2/_history/3", null, true));
        all.add(observation("o5", "RX9", "Group/g1", null, false));
        all.add(observation("o6", "RX9", null, null, false));
        all.add(observation("o7", "W06000020", "Patient/p1", "ETH", true));
        Observation labelled = observation("o8", "RX9", "Patient/p1", "PSY", false);
        labelled.getMeta().addSecurity(CONFIDENTIALITY, "V", null);
        labelled.getMeta().addTag("http://example.org/other", "x", null);
        all.add(labelled);
        RelatedPerson carer = recorded(new RelatedPerson(), "rp1", "RX9");
        carer.setPatient(new Reference("Patient/p2"));
        carer.addAddress().setPostalCode("NP4 6AB");
        all.add(carer);
        Consent consent = recorded(new Consent(), "c1", "RX9");
        consent.setPatient(new Reference("Patient/p1"));
        consent.setStatus(Consent.ConsentState.ACTIVE);
        all.add(consent);
        CarePlan plan = recorded(new CarePlan(), "cp1", "W06000020");
        plan.setSubject(new Reference("Patient/p1"));
        plan.addNote(new Annotation().setText("plan notes"));
        all.add(plan);
        Provenance provenance = recorded(new Provenance(), "pv1", "RX9");
        provenance.addTarget(new Reference("Observation/o1"));
        provenance.addTarget(new Reference("Patient/p3"));
        provenance.addTarget(new Reference("Patient/p1"));
        all.add(provenance);
        EpisodeOfCare episode = recorded(new EpisodeOfCare(), "e1", "RX9");
        episode.setPatient(new Reference("Patient/p1"));
        all.add(episode);
        Coverage coverage = recorded(new Coverage(), "cv1", "RX9");
        coverage.setBeneficiary(new Reference("Patient/p1"));
        all.add(coverage);
        Goal goal = recorded(new Goal(), "g1", "RX9");
        goal.setSubject(new Reference("Patient/p1"));
        goal.addTarget().setMeasure(new org.hl7.fhir.r4.model.CodeableConcept().setText("weight"));
        goal.addNote(new Annotation().setText("goal note"));
        all.add(goal);
        AuditEvent event = recorded(new AuditEvent(), "a1", null);
        event.addEntity().setWhat(new Reference("Patient/p1"));
        all.add(event);
        all.add(recorded(new Organization(), "org1", "RX9"));
        all.add(recorded(new org.hl7.fhir.r4.model.Practitioner(), "pr1", null));
        return all.stream().map(r -> Arguments.of(r.fhirType() + "/" + r.getIdElement().getIdPart(), r));
    }

    static StoredResource stored(Resource r) {
        return new StoredResource(1L, r.fhirType(), r.getIdElement().getIdPart(), 2L, Instant.parse("2026-11-30T10:00:00Z"), false, null,
                CODEC.encode(r));
    }

    static List<Caller> callers() {
        return List.of(ConsentDecisionPointTest.caller("RX9", "health-visitor", null),
                ConsentDecisionPointTest.caller("M85001", "gp", null),
                ConsentDecisionPointTest.caller("W06000020", "childrens-centre-worker", null),
                ConsentDecisionPointTest.caller("W06000020-SC", "social-worker", null),
                ConsentDecisionPointTest.caller("W06000020-SC", "social-worker", "risk of significant harm"),
                ConsentDecisionPointTest.caller("W06000020", "childrens-centre-worker", "I say so"),
                ConsentDecisionPointTest.caller("X1", "auditor", null));
    }

    static List<List<ConsentDirective>> consents() {
        return List.of(List.of(),
                List.of(ConsentDecisionPointTest.grant(Set.of("GP", "HV", "EY"), Set.of(), null)),
                List.of(ConsentDecisionPointTest.grant(Set.of("GP", "EY"), Set.of("PSY", "SOC"), null)),
                List.of(ConsentDecisionPointTest.grant(Set.of("GP"), Set.of(), null), ConsentDecisionPointTest.refusal()));
    }

    static List<ChildFacts> children() {
        java.time.LocalDate born = java.time.LocalDate.of(2026, 11, 1);
        return List.of(ChildFacts.UNKNOWN, new ChildFacts(born, "NP4 6AB", false, true, false), new ChildFacts(born, "NP4 6AB", true, false, true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("resources")
    void readsWhatTheParseGives(String name, Resource resource) {
        StoredResource stored = stored(resource);
        Resource parsed = (Resource) CODEC.decode(stored);
        Optional<StoredFacts> read = READER.read(stored);
        assertThat(read).as(name + ": the reader is sure of what the gateway writes").isPresent();
        assertThat(read.get().decision()).as(name).isEqualTo(DecisionFacts.of(parsed));
        assertThat(read.get().auditPatients()).as(name + ": the audit's patients").containsExactlyElementsOf(PATIENTS.of(parsed));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("resources")
    void decidesAsTheParse(String name, Resource resource) {
        StoredResource stored = stored(resource);
        Resource parsed = (Resource) CODEC.decode(stored);
        DecisionFacts facts = READER.read(stored).orElseThrow().decision();
        java.time.LocalDate today = java.time.LocalDate.of(2026, 12, 1);
        int cases = 0;
        for (Caller caller : callers()) {
            for (List<ConsentDirective> consent : consents()) {
                for (ChildFacts child : children()) {
                    Decision slow = DECISIONS.decide(caller, parsed, p -> consent, p -> child, today);
                    Decision fast = DECISIONS.decide(caller, facts, p -> consent, p -> child, today);
                    assertThat(fast).as(name + " for " + caller.role() + "/" + caller.organisation() + ", " + consent + ", " + child)
                            .isEqualTo(slow);
                    cases++;
                }
            }
        }
        assertThat(cases).isEqualTo(callers().size() * consents().size() * children().size());
    }

    /** The table exercises every effect: permitted whole, reduced (agreement, notes, restricted address), withheld, break-glass. */
    @Test
    void theTableCoversEveryKindOfDecision() {
        Set<String> rules = new java.util.TreeSet<>();
        java.time.LocalDate today = java.time.LocalDate.of(2026, 12, 1);
        resources().forEach(a -> {
            Resource r = (Resource) a.get()[1];
            DecisionFacts facts = READER.read(stored(r)).orElseThrow().decision();
            for (Caller caller : callers()) {
                for (List<ConsentDirective> consent : consents()) {
                    for (ChildFacts child : children()) {
                        rules.add(DECISIONS.decide(caller, facts, p -> consent, p -> child, today).rule());
                    }
                }
            }
        });
        assertThat(rules).contains("own-data", "consent", "no-consent", "consent-refused", "sensitive", "agreement:live-birth-isp",
                "agreement:live-birth-isp+restricted-address", "consent+profession-notes", "break-glass", "break-glass+profession-notes",
                "derived-record", "no-patient", "audit-records", "directory", "own-data");
    }

    static Stream<Arguments> patients() {
        List<Patient> all = new ArrayList<>();
        Patient plain = recorded(new Patient(), "f1", "RX9");
        plain.setBirthDateElement(new org.hl7.fhir.r4.model.DateType("2026-11-01"));
        plain.addAddress().setPostalCode("NP4 6AB").addLine("1 Heol");
        plain.addAddress().setPostalCode("CF10 1AA");
        all.add(plain);
        Patient partial = recorded(new Patient(), "f2", "RX9");
        partial.setBirthDateElement(new org.hl7.fhir.r4.model.DateType("2025-03"));
        partial.addAddress().addLine("no postcode");
        all.add(partial);
        Patient year = recorded(new Patient(), "f3", null);
        year.setBirthDateElement(new org.hl7.fhir.r4.model.DateType("2024"));
        year.setDeceased(new org.hl7.fhir.r4.model.BooleanType(true));
        all.add(year);
        Patient alive = recorded(new Patient(), "f4", "RX9");
        alive.setDeceased(new org.hl7.fhir.r4.model.BooleanType(false));
        alive.getMeta().addSecurity(CONFIDENTIALITY, "N", null);
        all.add(alive);
        Patient died = recorded(new Patient(), "f5", "RX9");
        died.setDeceased(new org.hl7.fhir.r4.model.DateTimeType("2026-11-20"));
        died.getMeta().addTag(ChildFacts.CIRCUMSTANCE_SYSTEM, ChildFacts.BEREAVED, null);
        all.add(died);
        Patient refuge = recorded(new Patient(), "f6", "RX9");
        refuge.getMeta().addSecurity(CONFIDENTIALITY, "V", null);
        refuge.getMeta().addSecurity("http://terminology.hl7.org/CodeSystem/v3-ActCode", "PSY", null);
        refuge.getMeta().addTag(ChildFacts.CIRCUMSTANCE_SYSTEM, "other", null);
        all.add(refuge);
        Patient adopted = recorded(new Patient(), "f7", "RX9");
        adopted.getMeta().addSecurity(CONFIDENTIALITY, "R", null);
        adopted.addAddress().setPostalCode("NP44 1AA");
        all.add(adopted);
        Patient record = recorded(new Patient(), "f8", RecordingOrganisation.GATEWAY);
        record.getMeta().addTag(DerivedRecords.TAG_SYSTEM, DerivedRecords.CHILD_RECORD, null);
        record.setBirthDateElement(new org.hl7.fhir.r4.model.DateType("2026-10-01"));
        all.add(record);
        all.add(recorded(new Patient(), "f9", null));
        return all.stream().map(p -> Arguments.of(p.getIdElement().getIdPart(), p));
    }

    /** What a Patient version says of the child (age, postcode, death, restriction, bereavement, derived), as the parse says it. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("patients")
    void childFactsAsTheParse(String name, Patient patient) {
        StoredResource stored = stored(patient);
        Resource parsed = (Resource) CODEC.decode(stored);
        assertThat(READER.childFacts(stored)).as(name).isPresent().isEqualTo(org.childrensgateway.consent.ChildFactsCache.of(parsed));
    }

    @Test
    void declinesChildFactsOnlyTheParseCanSay() {
        String[] unsure = {
            "{\"resourceType\":\"Patient\",\"_deceasedBoolean\":{\"extension\":[]}}",
            "{\"resourceType\":\"Patient\",\"birthDate\":\"01/02/2024\"}",
            "{\"resourceType\":\"Patient\",\"address\":[{},{\"postalCode\":\"NP4 6AB\"}]}",
            "{\"resourceType\":\"Patient\",\"meta\":{\"security\":[{\"system\":\"" + CONFIDENTIALITY + "\"}]}}",
            "{\"resourceType\":\"Patient\",\"deceasedString\":\"yes\"}",
            "{\"resourceType\":\"Observation\"}",
        };
        for (String json : unsure) {
            assertThat(READER.childFacts(new StoredResource(1L, "Patient", "x", 1L, Instant.now(), false, null, json))).as(json).isEmpty();
        }
    }

    /** JSON the reader cannot be sure it reads as HAPI does: it declines, so the parse decides. */
    @Test
    void declinesWhatOnlyTheParseCanSay() {
        String[] unsure = {
            "{\"resourceType\":\"Observation\",\"subject\":{\"reference\":\"Patient/p1?x=1\"}}",
            "{\"resourceType\":\"Observation\",\"subject\":{\"reference\":\"\"}}",
            "{\"resourceType\":\"Observation\",\"subject\":{\"reference\":12}}",
            "{\"resourceType\":\"Observation\",\"meta\":{\"security\":[{\"system\":\"s\"}]}}",
            "{\"resourceType\":\"Observation\",\"meta\":{\"tag\":[{\"system\":\"" + RecordingOrganisation.SYSTEM + "\"}]}}",
            "{\"resourceType\":\"Observation\",\"meta\":{\"tag\":{\"system\":\"x\",\"code\":\"y\"}}}",
            "{\"resourceType\":\"Observation\",\"note\":[{}]}",
            "{\"resourceType\":\"Observation\",\"note\":{\"text\":\"x\"}}",
            "{\"resourceType\":\"Observation\",\"subject\":{\"reference\":\"Patient/p1\"},\"subject\":{\"reference\":\"Patient/p2\"}}",
            "{\"resourceType\":\"Observation\",\"subject\":{\"reference\":\"Patient/p1\",\"reference\":\"Patient/p2\"}}",
            "{\"resourceType\":\"Observation\",\"meta\":{\"tag\":[{\"system\":\"" + RecordingOrganisation.SYSTEM + "\",\"code\":\"A\",\"code\":\"B\"}]}}",
            "{\"resourceType\":\"Observation\",\"status\":\"final\",\"status\":\"final\",\"subject\":{\"reference\":\"Patient/p1\"}}",
            "{\"resourceType\":\"Patient\"}",
            "{\"resourceType\":\"Observation\",\"subject\":{\"reference\":\"http://elsewhere/fhir/Patient/p1\"}}",
            "not json",
        };
        for (String json : unsure) {
            StoredResource s = new StoredResource(1L, "Observation", "o1", 1L, Instant.now(), false, null, json);
            assertThat(READER.read(s)).as(json).isEmpty();
        }
        StoredResource deleted = new StoredResource(1L, "Observation", "o1", 1L, Instant.now(), true, null, "{\"resourceType\":\"Observation\"}");
        assertThat(READER.read(deleted)).isEmpty();
    }

    /**
     * Duplicate members are looked for where the reader reads (every top-level name, and inside the
     * members it keeps), not inside members it skips unread: those cannot change what it reads.
     */
    @Test
    void aDuplicateInsideAMemberNotReadDoesNotDecline() {
        String json = "{\"resourceType\":\"Observation\",\"code\":{\"coding\":[{\"system\":\"http://loinc.org\",\"system\":\"x\"}]},"
                + "\"subject\":{\"reference\":\"Patient/p1\"}}";
        StoredResource s = new StoredResource(1L, "Observation", "o1", 1L, Instant.now(), false, null, json);
        assertThat(READER.read(s)).isPresent();
    }
}
