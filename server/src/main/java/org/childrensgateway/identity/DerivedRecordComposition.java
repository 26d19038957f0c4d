package org.childrensgateway.identity;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.childrensgateway.access.DerivedRecordComposer;
import org.childrensgateway.store.StoredResource;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.RelatedPerson;
import org.hl7.fhir.r4.model.Resource;
import org.springframework.stereotype.Component;

/**
 * Child and carer records as a caller may see them: rebuilt by the same survivorship and carer rules
 * that build the stored record, but from only the source records the gate released to that caller.
 * A child record's sources are its links; a carer record's are the source carers grouped into it.
 */
@Component
class DerivedRecordComposition implements DerivedRecordComposer {

    private final Survivorship survivorship;
    private final PersonIndexStore index;
    DerivedRecordComposition(LinkageSettings settings, PersonIndexStore index) {
        this.survivorship = new Survivorship(settings);
        this.index = index;
    }

    @Override
    public List<String> sourcesOf(Resource derived) {
        if (derived instanceof Patient child) {
            return child.getLink().stream().filter(l -> l.getOther().hasReference()).map(l -> l.getOther().getReference()).toList();
        }
        if (derived instanceof RelatedPerson carer) {
            return index.members(CarerLinker.POOL, carer.getIdElement().getIdPart()).stream().map(id -> "RelatedPerson/" + id).toList();
        }
        return List.of();
    }

    @Override
    public Optional<StoredResource> childRecordOf(String patientReference) {
        String id = patientReference.substring(patientReference.lastIndexOf('/') + 1);
        return index.linkedRecordRow(ChildRecordWriter.POOL, "Patient", id);
    }

    @Override
    public Resource compose(Resource derived, List<Resource> released, List<Resource> originals) {
        String id = derived.getIdElement().getIdPart();
        if (derived instanceof Patient) {
            List<Survivorship.Source> sources = new ArrayList<>();
            for (int i = 0; i < released.size(); i++) {
                Patient p = (Patient) released.get(i);
                String sourceId = p.getIdElement().getIdPart();
                // Ranked by the feed the source came from, which the released copy may no longer name:
                // read from the current version the gate read for this request (not read and parsed again).
                String feed = originals.get(i) instanceof Patient original && sourceId.equals(original.getIdElement().getIdPart())
                        ? FeatureExtractor.feedOf(original.getIdentifier()) : null;
                sources.add(new Survivorship.Source(sourceId, p, feed, p.getMeta().getLastUpdated()));
            }
            return survivorship.childRecord(id, sources);
        }
        if (derived instanceof RelatedPerson carer) {
            List<RelatedPerson> group = released.stream().map(r -> (RelatedPerson) r).toList();
            return CarerLinker.carerRecord(carer.getPatient().getReferenceElement().getIdPart(), id, group);
        }
        return null;
    }
}
