package org.childrensgateway.consent;

import java.time.LocalDate;
import java.util.Set;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Patient;

/**
 * What agreements with limits need to know about the child a resource is about, taken from the
 * child's (source) Patient record: age, where they live, and record states that stop sharing.
 *
 * @param birthDate  null when unknown (then no age-limited agreement applies)
 * @param postcode   the current address's postcode, or null
 * @param deceased   the source records a death
 * @param restricted the record is marked v3-Confidentiality R or V (adoption, refuge): its location is protected
 * @param bereaved   the source marks the family as recently bereaved (a neonatal death or stillbirth)
 */
public record ChildFacts(LocalDate birthDate, String postcode, boolean deceased, boolean restricted, boolean bereaved) {

    public static final String CONFIDENTIALITY = "http://terminology.hl7.org/CodeSystem/v3-Confidentiality";
    /** Tag a source mapping sets on a child's record when the family is recently bereaved. */
    public static final String CIRCUMSTANCE_SYSTEM = "https://fhir.childrens-gateway.uk/CodeSystem/family-circumstance";
    public static final String BEREAVED = "bereaved";
    private static final Set<String> RESTRICTED = Set.of("R", "V");

    public static final ChildFacts UNKNOWN = new ChildFacts(null, null, false, false, false);

    public static ChildFacts of(Patient p) {
        if (p == null) {
            return UNKNOWN;
        }
        String date = p.hasBirthDate() ? p.getBirthDateElement().getValueAsString() : null;
        LocalDate born = date != null && date.length() == 10 ? LocalDate.parse(date) : null; // a partial date gives no age
        String postcode = p.hasAddress() ? p.getAddressFirstRep().getPostalCode() : null;
        boolean deceased = p.hasDeceasedDateTimeType() || (p.hasDeceasedBooleanType() && p.getDeceasedBooleanType().booleanValue());
        return new ChildFacts(born, postcode, deceased, isRestricted(p), p.getMeta().getTag(CIRCUMSTANCE_SYSTEM, BEREAVED) != null);
    }

    /** These facts, with the record states another record of the same child adds (a death, a restriction, a bereavement). */
    public ChildFacts with(ChildFacts other) {
        return new ChildFacts(birthDate, postcode, deceased || other.deceased, restricted || other.restricted, bereaved || other.bereaved);
    }

    public static boolean isRestricted(org.hl7.fhir.r4.model.Resource r) {
        return r.getMeta().getSecurity().stream().anyMatch(c -> CONFIDENTIALITY.equals(c.getSystem()) && RESTRICTED.contains(c.getCode()));
    }

    public static boolean isRestrictedLabel(Coding c) {
        return CONFIDENTIALITY.equals(c.getSystem()) && RESTRICTED.contains(c.getCode());
    }
}
