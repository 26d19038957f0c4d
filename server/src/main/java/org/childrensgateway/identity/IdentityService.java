package org.childrensgateway.identity;

import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.childrensgateway.fhir.DerivedRecords;
import org.childrensgateway.fhir.ResourceCodec;
import org.childrensgateway.store.StoredResource;
import org.childrensgateway.operations.GatewayMetrics;
import org.childrensgateway.access.SystemRepository;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The person index's entry points: matching written records, the data-quality operations, and the
 * questions other capabilities ask (which child is this, which source records and identifiers does
 * it have). Export calls {@link #identifiersOf} and {@link #sourceRecordsOf} to write a linked
 * source's data under the receiving system's own identifier for the child.
 */
@Service
public class IdentityService {

    private static final String POOL = ChildRecordWriter.POOL;

    private final PersonIndexStore index;
    private final PersonLinker linker;
    private final ChildRecordWriter writer;
    private final SystemRepository store;
    private final ResourceCodec codec;

    private final GatewayMetrics metrics;

    IdentityService(PersonIndexStore index, PersonLinker linker, ChildRecordWriter writer, SystemRepository store, ResourceCodec codec,
                    GatewayMetrics metrics) {
        this.metrics = metrics;
        this.index = index;
        this.linker = linker;
        this.writer = writer;
        this.store = store;
        this.codec = codec;
    }

    /** Matches the source Patients written (or whose carers were written) in a transaction, then rewrites the child records concerned. */
    @Transactional
    public void process(Set<String> touched, Set<String> deleted) {
        long start = System.nanoTime();
        Set<String> affected = new LinkedHashSet<>();
        for (String id : deleted) {
            affected.addAll(linker.remove(POOL, id));
        }
        // The transaction's source records and their carers, read and parsed once for matching and
        // for rewriting the child records (two statements, not two per record).
        SourceRecords sources = sources();
        sources.load(touched);
        List<PersonFeatures> records = new ArrayList<>();
        for (String id : touched) {
            Optional<SourceRecords.Loaded> loaded = sources.patient(id);
            if (loaded.isEmpty()) {
                affected.addAll(linker.remove(POOL, id));
                continue;
            }
            Patient p = loaded.get().patient();
            if (DerivedRecords.isDerived(p)) {
                continue;
            }
            records.add(FeatureExtractor.ofPatient(id, p, sources.carersOf(id)));
        }
        // Every blocking key of the transaction is locked first, in one sorted statement. Locked record
        // by record, two concurrent bundles whose children share keys took them in opposite orders and
        // deadlocked (found by the benchmark at 10,000 children).
        Set<String> keys = new TreeSet<>();
        records.forEach(f -> keys.addAll(BlockingKeys.of(f)));
        if (!records.isEmpty() || !deleted.isEmpty()) {
            index.lockPool(POOL, false); // never beside a batch re-match
        }
        index.lockKeys(POOL, keys);
        for (PersonFeatures f : records) {
            affected.addAll(linker.match(POOL, f));
        }
        // Child records are rewritten in one order everywhere, so their row locks cannot deadlock either.
        writer.refreshAll(new TreeSet<>(affected), sources);
        metrics.linkageTime(System.nanoTime() - start, touched.size() + deleted.size());
    }

    private SourceRecords sources() {
        return new SourceRecords(store, codec);
    }

    // ---- data-quality operations (the place for the data-quality role check, see IdentityController) ----

    @Transactional
    public void link(String sourceId, String childId, String by) {
        index.lockPool(POOL, false); // never beside a batch re-match
        writer.refreshAll(linker.link(POOL, sourceId, childId, by, "manual"), sources());
    }

    @Transactional
    public void unlink(String sourceId, String childId, String by) {
        index.lockPool(POOL, false); // never beside a batch re-match
        writer.refreshAll(linker.unlink(POOL, sourceId, childId, by), sources());
    }

    /**
     * Batch re-match of the whole index (see {@link PersonLinker#settle}): afterwards the child
     * records are those the records give in a canonical order, whatever order they arrived in.
     * Returns the child records whose membership changed.
     */
    @Transactional
    public Set<String> rematch() {
        index.lockPool(POOL, true);
        java.util.Map<String, Set<String>> membersBefore = new java.util.HashMap<>();
        index.currentLinks(POOL).values().forEach(l -> membersBefore.computeIfAbsent(l.childId(), k -> new TreeSet<>()).add(l.sourceId()));
        Set<String> affected = new TreeSet<>(linker.settle(POOL));
        // Only child records whose members changed are rewritten (the others are as they were).
        Set<String> changed = new TreeSet<>();
        for (String child : affected) {
            if (!new TreeSet<>(index.members(POOL, child)).equals(membersBefore.getOrDefault(child, Set.of()))) {
                changed.add(child);
            }
        }
        writer.refreshAll(changed, sources());
        return changed;
    }

    @Transactional
    public void acceptReview(long reviewId, String by) {
        index.lockPool(POOL, false); // never beside a batch re-match
        writer.refreshAll(linker.acceptReview(reviewId, by), sources());
    }

    @Transactional
    public void rejectReview(long reviewId, String by) {
        index.lockPool(POOL, false); // never beside a batch re-match
        linker.rejectReview(reviewId, by);
    }

    // ---- questions ----

    /** The child record a Patient id stands for: itself when it is a child record, else the child its source record is linked to. */
    @Transactional(readOnly = true)
    public Optional<String> childOf(String patientId) {
        if (!index.membersOf(POOL, List.of(patientId)).isEmpty()) {
            return Optional.of(patientId);
        }
        return Optional.ofNullable(index.childrenOf(POOL, List.of(patientId)).get(patientId));
    }

    /** Ids of the source Patients linked to a child record (empty when the id is not a child record). */
    @Transactional(readOnly = true)
    public List<String> sourceRecordsOf(String childId) {
        return index.members(POOL, childId);
    }

    /**
     * Every identifier of the child a Patient id (child record or source record) stands for: the NHS
     * number, each source system's own id and the child record's id. For a source that is in no child
     * record yet, its own identifiers. Export picks the receiving system's identifier from these.
     */
    @Transactional(readOnly = true)
    public List<Identifier> identifiersOf(String childOrSourcePatientId) {
        String id = childOf(childOrSourcePatientId).orElse(childOrSourcePatientId);
        StoredResource stored = store.current("Patient", id)
                .or(() -> store.current("Patient", childOrSourcePatientId))
                .orElseThrow(() -> new ResourceNotFoundException("Patient/" + childOrSourcePatientId));
        return new ArrayList<>(((Patient) codec.decode(stored)).getIdentifier());
    }

    /** Link rows (current and ended) naming a child record, oldest first: the audit trail of the child's linkage. */
    @Transactional(readOnly = true)
    public List<PersonIndexStore.Link> history(String childId) {
        return index.historyOfChild(POOL, childId);
    }
}
