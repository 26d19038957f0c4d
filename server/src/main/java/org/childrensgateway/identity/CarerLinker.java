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
import org.hl7.fhir.r4.model.IdType;
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

    /** Regroups the child's carers; {@code sourceCarers} are the source carers of its source records (not changed here). */
    void refresh(String childId, List<RelatedPerson> sourceCarers) {
        List<RelatedPerson> carers = new ArrayList<>(sourceCarers);
        carers.sort(Comparator.comparingInt((RelatedPerson r) -> settings.rank(FeatureExtractor.feedOf(r.getIdentifier())))
                .thenComparing(r -> r.getIdElement().getIdPart()));
        List<List<RelatedPerson>> groups = group(carers);
        Map<String, String> current = index.childrenOf(POOL, carers.stream().map(r -> r.getIdElement().getIdPart()).toList());
        Set<String> kept = new TreeSet<>();
        for (List<RelatedPerson> g : groups) {
            String recordId = recordId(g);
            kept.add(recordId);
            for (RelatedPerson member : g) {
                String id = member.getIdElement().getIdPart();
                if (!recordId.equals(current.get(id))) {
                    index.currentLink(POOL, id).ifPresent(l -> index.endLink(l.id(), PersonLinker.SYSTEM_USER, "carer regrouped"));
                    MatchResult evidence = new MatchResult(g.size() > 1 ? MatchScorer.CARER_AGREE : 0,
                            List.of(new Evidence("carers", g.size() > 1 ? "agree" : "single", g.size() > 1 ? MatchScorer.CARER_AGREE : 0)));
                    index.insertLink(POOL, id, recordId, "linked", "auto", evidence, PersonLinker.SYSTEM_USER);
                }
            }
            RelatedPerson record = carerRecord(childId, recordId, g);
            if (record != null) {
                fhir.update(record, new IdType("RelatedPerson", recordId), null);
            }
        }
        // Carer records of this child whose group has gone (moved with a source record, or merged).
        store.latest("Patient", childId).ifPresent(child -> {
            for (StoredResource s : store.referencing(List.of(child), "RelatedPerson", "patient")) {
                if (!kept.contains(s.id()) && DerivedRecords.isDerived(codec.decode(s))) {
                    fhir.deleteDerived("RelatedPerson", s.id());
                }
            }
        });
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
