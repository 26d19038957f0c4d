package org.childrensgateway.identity;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.childrensgateway.fhir.DerivedRecords;
import org.childrensgateway.fhir.FhirResourceService;
import org.childrensgateway.fhir.ResourceCodec;
import org.childrensgateway.mappers.build.Fhir;
import org.childrensgateway.access.SystemRepository;
import org.childrensgateway.store.StoredResource;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.RelatedPerson;
import org.springframework.stereotype.Component;

/**
 * Links a child's carers across systems: the carers of the child's source records are grouped when
 * their names agree (nicknames and Welsh/English forms allowed) or they share a telephone number,
 * never two carers of the same source record. Each group is a carer record: a RelatedPerson of the
 * child record holding every source carer's identifiers, so a family view is one search
 * ({@code RelatedPerson?patient=<child>}). A group's id is derived from its members, so splitting
 * and rejoining records gives back the same carer records.
 */
@Component
class CarerLinker {

    static final String POOL = "RelatedPerson";

    private final SystemRepository store;
    private final ResourceCodec codec;
    private final FhirResourceService fhir;
    private final PersonIndexStore index;
    private final LinkageSettings settings;

    CarerLinker(SystemRepository store, ResourceCodec codec, FhirResourceService fhir, PersonIndexStore index, LinkageSettings settings) {
        this.store = store;
        this.codec = codec;
        this.fhir = fhir;
        this.index = index;
        this.settings = settings;
    }

    /** A carer record to be: its id, its source carers (in rank order) and the record (null: none can be made). */
    private record Group(String recordId, List<RelatedPerson> members, RelatedPerson record) {
    }

    /**
     * Prepares the carer work of one run of the person index: the carers of each child record
     * ({@code sourceCarers}: the source carers of its source records, in the order the run rewrites
     * the children; not changed here) grouped and their carer records composed, the carers' current
     * links read and the carer records locked, each in one statement for the whole run.
     */
    Run prepare(Map<String, List<RelatedPerson>> sourceCarers) {
        Map<String, List<Group>> groups = new LinkedHashMap<>();
        List<String> carerIds = new ArrayList<>();
        Set<String> recordIds = new TreeSet<>();
        sourceCarers.forEach((childId, of) -> {
            List<Group> g = groups(childId, of);
            groups.put(childId, g);
            for (Group group : g) {
                group.members().forEach(m -> carerIds.add(m.getIdElement().getIdPart()));
                if (group.record() != null) {
                    recordIds.add(group.recordId());
                }
            }
        });
        return new Run(groups, index.currentLinksOf(POOL, carerIds), fhir.lockDerived(POOL, recordIds));
    }

    private List<Group> groups(String childId, List<RelatedPerson> sourceCarers) {
        List<RelatedPerson> carers = new ArrayList<>(sourceCarers);
        carers.sort(Comparator.comparingInt((RelatedPerson r) -> settings.rank(FeatureExtractor.feedOf(r.getIdentifier())))
                .thenComparing(r -> r.getIdElement().getIdPart()));
        List<Group> out = new ArrayList<>();
        for (List<RelatedPerson> g : group(carers)) {
            String recordId = recordId(g);
            out.add(new Group(recordId, g, carerRecord(childId, recordId, g)));
        }
        return out;
    }

    /** The carer work of one run, written child by child ({@link #refresh}) and finished once ({@link #finish}). */
    final class Run {

        private final Map<String, List<Group>> groups;
        private final Map<String, PersonIndexStore.Link> links;
        private final Map<String, StoredResource> locked;
        private final List<PersonIndexStore.NewLink> newLinks = new ArrayList<>();
        /** The carer record ids each refreshed child keeps. */
        private final Map<String, Set<String>> kept = new LinkedHashMap<>();

        private Run(Map<String, List<Group>> groups, Map<String, PersonIndexStore.Link> links, Map<String, StoredResource> locked) {
            this.groups = groups;
            this.links = links;
            this.locked = locked;
        }

        /** Regroups the child's carers: links each source carer to its group's record and writes the record. */
        void refresh(String childId) {
            Set<String> keep = kept.computeIfAbsent(childId, k -> new TreeSet<>());
            for (Group g : groups.getOrDefault(childId, List.of())) {
                keep.add(g.recordId());
                for (RelatedPerson member : g.members()) {
                    String id = member.getIdElement().getIdPart();
                    PersonIndexStore.Link current = links.get(id);
                    if (current == null || !g.recordId().equals(current.childId())) {
                        if (current != null) {
                            index.endLink(current.id(), PersonLinker.SYSTEM_USER, "carer regrouped");
                        }
                        int size = g.members().size();
                        MatchResult evidence = new MatchResult(size > 1 ? MatchScorer.CARER_AGREE : 0,
                                List.of(new Evidence("carers", size > 1 ? "agree" : "single", size > 1 ? MatchScorer.CARER_AGREE : 0)));
                        newLinks.add(new PersonIndexStore.NewLink(id, g.recordId(), "auto", evidence));
                    }
                }
                if (g.record() != null) {
                    fhir.writeDerived(g.record(), g.recordId(), locked.get(g.recordId()));
                }
            }
        }

        /**
         * The new links, in one statement; then the carer records of the refreshed children whose
         * group has gone (moved with a source record, or merged) are deleted, found in one statement.
         */
        void finish() {
            index.insertLinks(POOL, newLinks, PersonLinker.SYSTEM_USER);
            Map<String, List<StoredResource>> referencing = store.referencing("Patient", kept.keySet(), "RelatedPerson", "patient");
            kept.forEach((childId, keep) -> {
                for (StoredResource s : referencing.getOrDefault(childId, List.of())) {
                    if (!keep.contains(s.id()) && DerivedRecords.isDerived(codec.decode(s))) {
                        fhir.deleteDerived("RelatedPerson", s.id());
                    }
                }
            });
        }
    }

    private static List<List<RelatedPerson>> group(List<RelatedPerson> carers) {
        List<List<RelatedPerson>> groups = new ArrayList<>();
        for (RelatedPerson c : carers) {
            List<RelatedPerson> home = null;
            for (List<RelatedPerson> g : groups) {
                boolean sameSource = g.stream().anyMatch(m -> m.getPatient().getReference().equals(c.getPatient().getReference()));
                if (!sameSource && g.stream().anyMatch(m -> same(m, c))) {
                    home = g;
                    break;
                }
            }
            if (home == null) {
                home = new ArrayList<>();
                groups.add(home);
            }
            home.add(c);
        }
        return groups;
    }

    static boolean same(RelatedPerson a, RelatedPerson b) {
        String na = FeatureExtractor.carerName(a);
        String nb = FeatureExtractor.carerName(b);
        if (na != null && nb != null && MatchScorer.sameCarer(na, nb)) {
            return true;
        }
        Set<String> phones = new TreeSet<>();
        a.getTelecom().stream().filter(t -> t.getSystem() == ContactPoint.ContactPointSystem.PHONE).map(t -> Names.digits(t.getValue()))
                .filter(java.util.Objects::nonNull).forEach(phones::add);
        return b.getTelecom().stream().filter(t -> t.getSystem() == ContactPoint.ContactPointSystem.PHONE)
                .map(t -> Names.digits(t.getValue())).anyMatch(phones::contains);
    }

    /** Derived from the lowest member id: stable while the group is the same, distinct from every source id. */
    private static String recordId(List<RelatedPerson> group) {
        String min = group.stream().map(r -> r.getIdElement().getIdPart()).min(String::compareTo).orElseThrow();
        return UUID.nameUUIDFromBytes(("carer-record:" + min).getBytes(StandardCharsets.UTF_8)).toString();
    }

    /** The carer record; null when no member says how the carer is related (the profile requires it). */
    static RelatedPerson carerRecord(String childId, String recordId, List<RelatedPerson> group) {
        RelatedPerson r = new RelatedPerson();
        r.getMeta().addTag(DerivedRecords.TAG_SYSTEM, DerivedRecords.CARER_RECORD, "Carer record (person index)");
        r.setActive(true);
        r.setPatient(new Reference("Patient/" + childId));
        r.addIdentifier().setSystem(SourceSystem.CARER_RECORD_SYSTEM).setValue(recordId);
        Map<String, Identifier> ids = new LinkedHashMap<>();
        Map<String, CodeableConcept> relationships = new LinkedHashMap<>();
        Map<String, ContactPoint> telecom = new LinkedHashMap<>();
        Boolean parental = null;
        for (RelatedPerson m : group) {
            m.getIdentifier().forEach(i -> ids.putIfAbsent(i.getSystem() + "|" + i.getValue(), i.copy()));
            for (CodeableConcept rel : m.getRelationship()) {
                rel.getCoding().forEach(c -> relationships.putIfAbsent(c.getSystem() + "|" + c.getCode(), new CodeableConcept(c.copy())));
            }
            m.getTelecom().forEach(t -> telecom.putIfAbsent(t.getSystem() + "|" + Names.digits(t.getValue()) + t.getValue(), t.copy()));
            Extension pr = m.getExtensionByUrl(Fhir.PARENTAL_RESPONSIBILITY_EXT);
            if (pr != null && pr.getValue() != null) {
                boolean v = Boolean.parseBoolean(pr.getValue().primitiveValue());
                parental = parental == null ? v : parental || v;
            }
        }
        if (relationships.isEmpty()) {
            return null;
        }
        ids.values().forEach(r::addIdentifier);
        relationships.values().forEach(r::addRelationship);
        group.stream().filter(RelatedPerson::hasName).findFirst().ifPresent(m -> r.addName(m.getNameFirstRep().copy()));
        telecom.values().forEach(r::addTelecom);
        if (parental != null) {
            r.addExtension(Fhir.parentalResponsibility(parental));
        }
        group.stream().filter(RelatedPerson::hasAddress).findFirst().ifPresent(m -> r.addAddress(m.getAddressFirstRep().copy()));
        return r;
    }
}
