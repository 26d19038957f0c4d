package org.childrensgateway.identity;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.childrensgateway.access.SystemRepository;
import org.childrensgateway.fhir.DerivedRecords;
import org.childrensgateway.fhir.ResourceCodec;
import org.childrensgateway.store.StoredResource;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.RelatedPerson;

/**
 * The source Patients and their source carers that one run of the person index works on, each read
 * and parsed once: matching reads a record's Patient and carers, and rewriting its child record
 * read and parsed them again (and the carers a third time), record by record. Loaded in bulk (one
 * statement for the Patients, one for their carers, per {@link #load}). Lives for one
 * {@link IdentityService#process} call, inside its transaction; the person index writes only
 * derived records meanwhile, so what it holds stays current. The parsed resources are shared and
 * must not be changed (survivorship and the carer grouping copy what they take).
 */
final class SourceRecords {

    /** A stored source Patient, parsed. */
    record Loaded(StoredResource stored, Patient patient) {
    }

    private final SystemRepository store;
    private final ResourceCodec codec;
    /** Ids looked up, loaded or not (absent: not stored, or deleted). */
    private final Map<String, Optional<Loaded>> patients = new HashMap<>();
    /** Source carers recorded against each loaded Patient id. */
    private final Map<String, List<RelatedPerson>> carers = new HashMap<>();

    SourceRecords(SystemRepository store, ResourceCodec codec) {
        this.store = store;
        this.codec = codec;
    }

    /** Reads the Patients not read yet, and their carers, in two statements. */
    void load(Collection<String> ids) {
        Set<String> missing = new LinkedHashSet<>();
        for (String id : ids) {
            if (!patients.containsKey(id)) {
                missing.add(id);
            }
        }
        if (missing.isEmpty()) {
            return;
        }
        List<StoredResource> found = store.current("Patient", missing);
        List<StoredResource> sources = new ArrayList<>();
        missing.forEach(id -> patients.put(id, Optional.empty()));
        for (StoredResource s : found) {
            Patient p = (Patient) codec.decode(s);
            patients.put(s.id(), Optional.of(new Loaded(s, p)));
            carers.put(s.id(), new ArrayList<>());
            if (!DerivedRecords.isDerived(p)) {
                sources.add(s);
            }
        }
        for (StoredResource s : store.referencing(sources, "RelatedPerson", "patient")) {
            RelatedPerson rp = (RelatedPerson) codec.decode(s);
            if (DerivedRecords.isDerived(rp) || !rp.hasPatient()) {
                continue;
            }
            List<RelatedPerson> of = carers.get(rp.getPatient().getReferenceElement().getIdPart());
            if (of != null) {
                of.add(rp);
            }
        }
    }

    /** The current Patient, parsed; empty when it is not stored or deleted. */
    Optional<Loaded> patient(String id) {
        load(List.of(id));
        return patients.get(id);
    }

    /** The source carers recorded against a loaded Patient (none for a Patient not loaded). */
    List<RelatedPerson> carersOf(String patientId) {
        return carers.getOrDefault(patientId, List.of());
    }
}
