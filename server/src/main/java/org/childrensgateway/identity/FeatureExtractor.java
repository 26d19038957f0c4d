package org.childrensgateway.identity;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.childrensgateway.mappers.build.Fhir;
import org.childrensgateway.mappers.transform.NhsNumber;
import org.hl7.fhir.r4.model.Address;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.RelatedPerson;
import org.hl7.fhir.r4.model.StringType;

/** Builds {@link PersonFeatures} from a source Patient (and its carers) or a source RelatedPerson. */
final class FeatureExtractor {

    static final String VERIFIED = "01";

    private FeatureExtractor() {
    }

    static PersonFeatures ofPatient(String id, Patient p, List<RelatedPerson> carers) {
        String nhs = null;
        boolean verified = false;
        for (Identifier i : p.getIdentifier()) {
            if (NhsNumber.SYSTEM.equals(i.getSystem()) && i.hasValue() && NhsNumber.isValid(i.getValue())) {
                nhs = i.getValue();
                verified = VERIFIED.equals(nhsStatus(i));
            }
        }
        List<String> rawGiven = new ArrayList<>();
        String family = null;
        for (HumanName n : ordered(p.getName())) {
            // A placeholder may arrive split into given elements ("Baby", "of", "Jones"): judged whole per name.
            String whole = String.join(" ", n.getGiven().stream().map(StringType::getValue).filter(java.util.Objects::nonNull).toList());
            if (!PlaceholderNames.current().isPlaceholder(whole)) {
                for (StringType g : n.getGiven()) {
                    rawGiven.add(g.getValue());
                }
            }
            if (family == null && n.hasFamily()) {
                family = Names.family(n.getFamily());
            }
        }
        List<String> given = givenNames(rawGiven);
        Address a = p.getAddress().isEmpty() ? null : p.getAddressFirstRep();
        List<String> carerNames = new ArrayList<>();
        List<String> phones = new ArrayList<>();
        for (RelatedPerson rp : carers) {
            String name = carerName(rp);
            if (name != null) {
                carerNames.add(name);
            }
            rp.getTelecom().stream().filter(t -> t.getSystem() == ContactPoint.ContactPointSystem.PHONE)
                    .map(t -> Names.digits(t.getValue())).filter(java.util.Objects::nonNull).forEach(phones::add);
        }
        return new PersonFeatures(id, feedOf(p.getIdentifier()), nhs, verified, given, family,
                p.hasBirthDate() ? p.getBirthDateElement().getValueAsString() : null,
                p.hasGender() ? p.getGender().toCode() : null,
                a == null ? null : Names.postcode(a.getPostalCode()),
                a == null || a.getLine().isEmpty() ? null : Names.normalise(a.getLine().get(0).getValue()),
                carerNames, phones, systemOf(p.getIdentifier()));
    }

    /**
     * Given names as evidence: each element normalised and split into words ("Amelia Rose" may arrive
     * as one element), placeholders ("Baby", "Baby of Jones", "Twin 1") left out whole, before the
     * split, so "Baby of Jones" does not leave "jones" behind as a forename.
     */
    static List<String> givenNames(List<String> elements) {
        Set<String> given = new LinkedHashSet<>();
        PlaceholderNames placeholders = PlaceholderNames.current();
        for (String g : elements) {
            String ng = Names.normalise(g);
            if (ng != null && !placeholders.isPlaceholder(ng)) {
                given.addAll(List.of(ng.split(" ")));
            }
        }
        return List.copyOf(given);
    }

    /** Official names first: the family name comes from the official name when there is one. */
    private static List<HumanName> ordered(List<HumanName> names) {
        List<HumanName> out = new ArrayList<>();
        names.stream().filter(n -> n.getUse() == HumanName.NameUse.OFFICIAL).forEach(out::add);
        names.stream().filter(n -> n.getUse() != HumanName.NameUse.OFFICIAL).forEach(out::add);
        return out;
    }

    static String carerName(RelatedPerson rp) {
        if (rp.getName().isEmpty()) {
            return null;
        }
        HumanName n = rp.getNameFirstRep();
        String given = n.getGiven().isEmpty() ? null : Names.normalise(n.getGiven().get(0).getValue());
        String family = Names.family(n.getFamily());
        if (given == null && family == null) {
            return null;
        }
        return (given == null ? "" : given.split(" ")[0]) + " " + (family == null ? "" : family);
    }

    static String nhsStatus(Identifier i) {
        Extension e = i.getExtensionByUrl(Fhir.NHS_STATUS_EXT);
        if (e != null && e.getValue() instanceof CodeableConcept cc && cc.hasCoding()) {
            return cc.getCodingFirstRep().getCode();
        }
        return null;
    }

    /** The source system ({@code feed/organisation}) named in a source identifier system, or null. */
    static String systemOf(List<Identifier> identifiers) {
        for (Identifier i : identifiers) {
            SourceSystem s = SourceSystem.of(i.getSystem());
            if (s != null) {
                return s.feed() + "/" + s.organisation();
            }
        }
        return null;
    }

    /** The feed named in a source identifier system {@code https://fhir.childrens-gateway.uk/Id/<feed>/<org>/<kind>}. */
    static String feedOf(List<Identifier> identifiers) {
        for (Identifier i : identifiers) {
            SourceSystem s = SourceSystem.of(i.getSystem());
            if (s != null) {
                return s.feed();
            }
        }
        return null;
    }
}
