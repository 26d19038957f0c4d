package org.childrensgateway.identity;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;
import org.childrensgateway.fhir.DerivedRecords;
import org.childrensgateway.mappers.transform.NhsNumber;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;

/**
 * Builds the child record from its source Patients. Rules, element by element:
 * <ul>
 *   <li>NHS number: a verified one (status 01) wins; then source priority, then recency.</li>
 *   <li>Every other element (official name, birth date, gender, address, GP, date of death): taken
 *       whole from the first source that has it, in source priority order
 *       ({@code gateway.identity.source-priority}), most recently updated first within a feed.</li>
 *   <li>Names the survivor does not use (nicknames, other spellings) are kept as {@code usual} names.</li>
 *   <li>Identifiers: the child record's own, the NHS number, and every source identifier.</li>
 *   <li>{@code link} (seealso) to every source Patient.</li>
 * </ul>
 * The result depends only on the sources, never on the order links were made, so unlinking and
 * relinking gives back the same record.
 */
final class Survivorship {

    /** A source Patient with what survivorship ranks it by. */
    record Source(String id, Patient patient, String feed, java.util.Date lastUpdated) {
    }

    private final LinkageSettings settings;

    Survivorship(LinkageSettings settings) {
        this.settings = settings;
    }

    Patient childRecord(String childId, List<Source> sources) {
        List<Source> ranked = new ArrayList<>(sources);
        ranked.sort(Comparator.comparingInt((Source s) -> settings.rank(s.feed()))
                .thenComparing(Source::lastUpdated, Comparator.nullsLast(Comparator.reverseOrder()))
                .thenComparing(Source::id));
        Patient child = new Patient();
        child.getMeta().addTag(DerivedRecords.TAG_SYSTEM, DerivedRecords.CHILD_RECORD, "Child record (person index)");
        child.setActive(true);
        child.addIdentifier().setSystem(SourceSystem.CHILD_RECORD_SYSTEM).setValue(childId);
        nhsNumber(ranked).ifPresent(child::addIdentifier);
        Map<String, Identifier> others = new LinkedHashMap<>();
        for (Source s : ranked) {
            for (Identifier i : s.patient().getIdentifier()) {
                if (!NhsNumber.SYSTEM.equals(i.getSystem()) && i.hasValue()) {
                    others.putIfAbsent(i.getSystem() + "|" + i.getValue(), i.copy());
                }
            }
        }
        others.values().forEach(child::addIdentifier);

        // A placeholder forename ("Baby of Jones") gives way to a source that has the real name.
        HumanName official = officialName(ranked, true).or(() -> officialName(ranked, false)).orElse(null);
        if (official != null) {
            child.addName(official.copy().setUse(HumanName.NameUse.OFFICIAL));
        }
        Map<String, HumanName> usual = new LinkedHashMap<>();
        for (Source s : ranked) {
            for (HumanName n : s.patient().getName()) {
                String key = nameKey(n);
                if (official == null || !key.equals(nameKey(official))) {
                    usual.putIfAbsent(key, n.copy().setUse(HumanName.NameUse.USUAL));
                }
            }
        }
        usual.values().forEach(child::addName);
        first(ranked, Patient::hasBirthDate).ifPresent(p -> child.setBirthDateElement(p.getBirthDateElement().copy()));
        first(ranked, Patient::hasGender).ifPresent(p -> child.setGender(p.getGender()));
        first(ranked, Patient::hasAddress).ifPresent(p -> p.getAddress().forEach(a -> child.addAddress(a.copy())));
        first(ranked, Patient::hasGeneralPractitioner).ifPresent(p -> p.getGeneralPractitioner().forEach(g -> child.addGeneralPractitioner(g.copy())));
        first(ranked, Patient::hasDeceased).ifPresent(p -> child.setDeceased(p.getDeceased().copy()));
        // A restricted source (v3-Confidentiality R or V) makes the child record restricted too.
        ranked.stream().flatMap(s -> s.patient().getMeta().getSecurity().stream()).filter(org.childrensgateway.consent.ChildFacts::isRestrictedLabel)
                .map(c -> c.getCode()).sorted(Comparator.reverseOrder()).findFirst() // V (very restricted) before R
                .ifPresent(code -> child.getMeta().addSecurity(org.childrensgateway.consent.ChildFacts.CONFIDENTIALITY, code, null));
        if (ranked.stream().anyMatch(s -> s.patient().getMeta().getTag(org.childrensgateway.consent.ChildFacts.CIRCUMSTANCE_SYSTEM,
                org.childrensgateway.consent.ChildFacts.BEREAVED) != null)) {
            child.getMeta().addTag(org.childrensgateway.consent.ChildFacts.CIRCUMSTANCE_SYSTEM, org.childrensgateway.consent.ChildFacts.BEREAVED, null);
        }
        sources.stream().map(Source::id).sorted().forEach(id -> child.addLink()
                .setType(Patient.LinkType.SEEALSO).setOther(new Reference("Patient/" + id)));
        return child;
    }

    private java.util.Optional<Identifier> nhsNumber(List<Source> ranked) {
        Identifier best = null;
        for (Source s : ranked) {
            for (Identifier i : s.patient().getIdentifier()) {
                if (NhsNumber.SYSTEM.equals(i.getSystem()) && i.hasValue()) {
                    boolean verified = FeatureExtractor.VERIFIED.equals(FeatureExtractor.nhsStatus(i));
                    if (best == null || (verified && !FeatureExtractor.VERIFIED.equals(FeatureExtractor.nhsStatus(best)))) {
                        best = i;
                    }
                }
            }
        }
        return java.util.Optional.ofNullable(best).map(Identifier::copy);
    }

    private static java.util.Optional<HumanName> officialName(List<Source> ranked, boolean named) {
        Predicate<HumanName> official = n -> (n.getUse() == HumanName.NameUse.OFFICIAL || !n.hasUse())
                && (!named || n.getGiven().stream().noneMatch(g -> PlaceholderNames.current().isPlaceholder(g.getValue())));
        return first(ranked, p -> p.getName().stream().anyMatch(official))
                .map(p -> p.getName().stream().filter(official).findFirst().orElseThrow());
    }

    private static java.util.Optional<Patient> first(List<Source> ranked, Predicate<Patient> has) {
        return ranked.stream().map(Source::patient).filter(has).findFirst();
    }

    private static String nameKey(HumanName n) {
        return Objects.toString(Names.normalise(n.getGivenAsSingleString())) + "|" + Objects.toString(Names.family(n.getFamily()));
    }

    static Coding tag() {
        return new Coding(DerivedRecords.TAG_SYSTEM, DerivedRecords.CHILD_RECORD, null);
    }
}
