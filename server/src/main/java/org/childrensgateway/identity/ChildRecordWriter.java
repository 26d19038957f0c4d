package org.childrensgateway.identity;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.childrensgateway.fhir.DerivedRecords;
import org.childrensgateway.fhir.FhirResourceService;
import org.childrensgateway.store.StoredResource;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.RelatedPerson;
import org.springframework.stereotype.Component;

/**
 * Writes child records (Patient) from the person index through {@link FhirResourceService}, so they
 * are versioned, indexed and searchable like any resource; deletes one when no source is left
 * (history keeps it, and it comes back with the same id if its source returns). Then brings each
 * child's carer records in step.
 */
@Component
class ChildRecordWriter {

    static final String POOL = "Patient";

    private final PersonIndexStore index;
    private final FhirResourceService fhir;
    private final Survivorship survivorship;
    private final CarerLinker carers;

    ChildRecordWriter(PersonIndexStore index, FhirResourceService fhir, LinkageSettings settings, CarerLinker carers) {
        this.index = index;
        this.fhir = fhir;
        this.carers = carers;
        this.survivorship = new Survivorship(settings);
    }

    /**
     * Rewrites each child record (in the order given) and its carer records. The members of them
     * all are read in one statement and their source records through {@code sources}, so each is
     * read and parsed once; every record is composed before anything is written, so that the rows
     * the run writes are locked up front, in one statement per type and in id order (the child
     * records, then the carer records). A record that would not change is not written.
     */
    void refreshAll(Collection<String> childIds, SourceRecords sources) {
        Map<String, List<String>> members = index.membersOf(POOL, childIds);
        sources.load(members.values().stream().flatMap(List::stream).toList());
        // Child id -> its new record, or empty when no source is left (it is deleted).
        Map<String, Optional<Patient>> composed = new LinkedHashMap<>();
        Map<String, List<RelatedPerson>> sourceCarers = new LinkedHashMap<>();
        for (String childId : childIds) {
            List<RelatedPerson> carersOfChild = new ArrayList<>();
            List<Survivorship.Source> survivors = new ArrayList<>();
            for (String id : members.getOrDefault(childId, List.of())) {
                Optional<SourceRecords.Loaded> s = sources.patient(id);
                if (s.isPresent()) {
                    Patient p = s.get().patient();
                    carersOfChild.addAll(sources.carersOf(id));
                    survivors.add(new Survivorship.Source(id, p, FeatureExtractor.feedOf(p.getIdentifier()), p.getMeta().getLastUpdated()));
                }
            }
            if (survivors.isEmpty()) {
                composed.put(childId, Optional.empty());
                sourceCarers.put(childId, List.of());
                continue;
            }
            Patient child = survivorship.childRecord(childId, survivors);
            if (!child.hasName() || !child.hasBirthDate()) {
                continue; // identity-only source records (no demographics yet): the child record waits for them
            }
            composed.put(childId, Optional.of(child));
            sourceCarers.put(childId, carersOfChild);
        }
        Map<String, StoredResource> stored = fhir.lockDerived(POOL, composed.keySet());
        CarerLinker.Run carerRun = carers.prepare(sourceCarers);
        composed.forEach((childId, child) -> {
            StoredResource current = stored.get(childId);
            if (child.isPresent()) {
                fhir.writeDerived(child.get(), childId, current);
            } else if (current != null && !current.deleted()) {
                fhir.deleteDerived(POOL, childId);
            }
            carerRun.refresh(childId);
        });
        carerRun.finish();
    }

    static boolean isChildRecord(Patient p) {
        return p.getMeta().getTag().stream().anyMatch(t -> DerivedRecords.TAG_SYSTEM.equals(t.getSystem())
                && DerivedRecords.CHILD_RECORD.equals(t.getCode()));
    }
}
