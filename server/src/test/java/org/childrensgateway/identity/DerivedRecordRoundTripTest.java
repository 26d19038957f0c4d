package org.childrensgateway.identity;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.childrensgateway.consent.RecordingOrganisation;
import org.childrensgateway.fhir.ResourceCodec;
import org.childrensgateway.ingest.MappedSamples;
import org.childrensgateway.mappers.transform.NhsNumber;
import org.childrensgateway.store.StoredResource;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.RelatedPerson;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;

/**
 * What lets a derived record's rewrite compare JSON instead of parsing the stored version
 * (FhirResourceService.writeDerived): every child and carer record composed from the mappers'
 * output of the sample files survives the stored round trip exactly. Its stored text parses back
 * to a resource deeply equal to it (so equal JSON means what the parsed comparison called equal),
 * and that parse encodes to the same text again (so a record the parsed comparison calls equal
 * has equal JSON).
 */
class DerivedRecordRoundTripTest {

    private static final ResourceCodec CODEC = new ResourceCodec(FhirContext.forR4Cached());
    private final Survivorship survivorship = new Survivorship(LinkageSettings.DEFAULTS);

    @Test
    void everyComposedRecordRoundTripsThroughItsStoredText() {
        List<Resource> corpus = MappedSamples.resources();
        List<Survivorship.Source> patients = new ArrayList<>();
        List<RelatedPerson> carers = new ArrayList<>();
        for (Resource r : corpus) {
            if (r instanceof Patient p) {
                String id = "src-" + patients.size();
                p.setId(id);
                // Some with a time, some without: survivorship orders by it.
                Date updated = patients.size() % 3 == 0 ? null : new Date(1_760_000_000_000L + patients.size() * 86_400_000L);
                patients.add(new Survivorship.Source(id, p, FeatureExtractor.feedOf(p.getIdentifier()), updated));
            } else if (r instanceof RelatedPerson rp) {
                rp.setId("carer-" + carers.size());
                carers.add(rp);
            }
        }
        assertThat(patients).hasSizeGreaterThan(5);
        assertThat(carers).hasSizeGreaterThan(2);

        List<Resource> composed = new ArrayList<>();
        // Each source alone, the sources of one NHS number together, and every source in one record.
        Map<String, List<Survivorship.Source>> byNhs = new LinkedHashMap<>();
        for (Survivorship.Source s : patients) {
            composed.add(survivorship.childRecord("child-" + composed.size(), List.of(s)));
            s.patient().getIdentifier().stream().filter(i -> NhsNumber.SYSTEM.equals(i.getSystem())).findFirst()
                    .ifPresent(i -> byNhs.computeIfAbsent(i.getValue().replaceAll("\\D", ""), k -> new ArrayList<>()).add(s));
        }
        byNhs.values().stream().filter(g -> g.size() > 1).forEach(g -> composed.add(survivorship.childRecord("child-" + composed.size(), g)));
        assertThat(composed).hasSizeGreaterThan(patients.size());
        composed.add(survivorship.childRecord("child-all", patients));
        for (RelatedPerson c : carers) {
            RelatedPerson record = CarerLinker.carerRecord("child-0", "carer-record-" + composed.size(), List.of(c));
            if (record != null) {
                composed.add(record);
            }
        }
        RelatedPerson allCarers = CarerLinker.carerRecord("child-0", "carer-record-all", carers);
        assertThat(allCarers).isNotNull();
        composed.add(allCarers);

        for (int n = 0; n < composed.size(); n++) {
            Resource record = composed.get(n);
            String id = "derived-" + n;
            RecordingOrganisation.stamp(record, RecordingOrganisation.GATEWAY);
            // As FhirResourceService.prepare gives a version its identity, and ResourceCodec.decode reads it back.
            record.setId(new IdType(record.fhirType(), id, "3"));
            record.getMeta().setVersionId("3");
            record.getMeta().setLastUpdated(new Date(1_764_590_400_123L));
            String stored = CODEC.encode(record);
            Resource parsed = (Resource) CODEC.decode(new StoredResource(1, record.fhirType(), id, 3,
                    record.getMeta().getLastUpdated().toInstant(), false, null, stored));
            assertThat(parsed.equalsDeep(record)).as("parse of the stored text equals the record: " + stored).isTrue();
            assertThat(CODEC.encode(parsed)).as("the parse encodes to the stored text").isEqualTo(stored);
        }
    }
}
