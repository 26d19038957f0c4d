package org.childrensgateway.identity;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.childrensgateway.fhir.DerivedRecords;
import org.childrensgateway.fhir.FhirResourceService;
import org.childrensgateway.fhir.ResourceCodec;
import org.childrensgateway.access.SystemRepository;
import org.hl7.fhir.r4.model.IdType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.hl7.fhir.r4.model.Patient;
import org.springframework.stereotype.Component;

/**
 * Writes a child record (Patient) from the person index through {@link FhirResourceService}, so it
 * is validated, versioned, indexed and searchable like any resource; deletes it when no source is
 * left (history keeps it, and it comes back with the same id if its source returns). Then brings the
 * child's carer records in step.
 */
@Component
class ChildRecordWriter {

    static final String POOL = "Patient";
    private static final Logger LOG = LoggerFactory.getLogger(ChildRecordWriter.class);

    private final PersonIndexStore index;
    private final SystemRepository store;
    private final ResourceCodec codec;
    private final FhirResourceService fhir;
    private final Survivorship survivorship;
    private final CarerLinker carers;

    ChildRecordWriter(PersonIndexStore index, SystemRepository store, ResourceCodec codec, FhirResourceService fhir,
                      LinkageSettings settings, CarerLinker carers) {
        this.index = index;
        this.store = store;
        this.codec = codec;
        this.fhir = fhir;
        this.carers = carers;
        this.survivorship = new Survivorship(settings);
    }

    /**
     * Rewrites each child record (in the order given), reading the members of them all in one
     * statement and their source records through {@code sources}, so each is read and parsed once.
     */
    void refreshAll(java.util.Collection<String> childIds, SourceRecords sources) {
        java.util.Map<String, List<String>> members = index.membersOf(POOL, childIds);
        sources.load(members.values().stream().flatMap(List::stream).toList());
        for (String childId : childIds) {
            refresh(childId, members.getOrDefault(childId, List.of()), sources);
        }
    }

    private void refresh(String childId, List<String> memberIds, SourceRecords sources) {
        List<org.hl7.fhir.r4.model.RelatedPerson> sourceCarers = new ArrayList<>();
        List<Survivorship.Source> survivors = new ArrayList<>();
        for (String id : memberIds) {
            Optional<SourceRecords.Loaded> s = sources.patient(id);
            if (s.isPresent()) {
                Patient p = s.get().patient();
                sourceCarers.addAll(sources.carersOf(id));
                survivors.add(new Survivorship.Source(id, p, FeatureExtractor.feedOf(p.getIdentifier()), p.getMeta().getLastUpdated()));
            }
        }
        if (survivors.isEmpty()) {
            if (store.current("Patient", childId).isPresent()) {
                fhir.deleteDerived("Patient", childId);
            }
            carers.refresh(childId, List.of());
            return;
        }
        Patient child = survivorship.childRecord(childId, survivors);
        if (!child.hasName() || !child.hasBirthDate()) {
            // Identity-only source records (no demographics yet): the child record waits for them.
            return;
        }
        // Never fail the source's write for a derived record: an invalid child record is not written
        // (updateIfValid does not mark the source's transaction for rollback); the id is not personal data.
        if (fhir.updateIfValid(child, new IdType("Patient", childId)).isEmpty()) {
            LOG.warn("Child record {} does not pass validation; left as it was", childId);
            return;
        }
        carers.refresh(childId, sourceCarers);
    }

    static boolean isChildRecord(Patient p) {
        return p.getMeta().getTag().stream().anyMatch(t -> DerivedRecords.TAG_SYSTEM.equals(t.getSystem())
                && DerivedRecords.CHILD_RECORD.equals(t.getCode()));
    }
}
