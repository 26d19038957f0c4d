package org.childrensgateway.consent;

import java.util.List;
import org.childrensgateway.fhir.DerivedRecords;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Resource;

/**
 * Everything {@link ConsentDecisionPoint} reads of the resource it decides, and nothing else: so a
 * stored resource can be decided from facts read off its stored JSON without parsing it
 * ({@code org.childrensgateway.access.StoredFacts}), by exactly the rules that decide a parsed one
 * ({@link #of(Resource)}).
 *
 * @param type           the resource type
 * @param id             its id
 * @param recorder       the recording organisation (its meta.tag), or null
 * @param patient        the child it is about as {@code Patient/id} ({@link PatientOf}), or null
 * @param securityCodes  the codes of its meta.security labels
 * @param notes          whether it has detailed notes ({@code note})
 * @param derived        whether it is a derived record (person index), which is composed, never decided whole
 */
public record DecisionFacts(String type, String id, String recorder, String patient, List<String> securityCodes,
                            boolean notes, boolean derived) {

    public static DecisionFacts of(Resource resource) {
        var note = resource.getNamedProperty("note");
        return new DecisionFacts(resource.fhirType(), resource.getIdElement().getIdPart(), RecordingOrganisation.of(resource).orElse(null),
                PatientOf.reference(resource), resource.getMeta().getSecurity().stream().map(Coding::getCode).toList(),
                note != null && note.hasValues(), DerivedRecords.isDerived(resource));
    }

    /** Whether the type is one whose address a restricted record withholds. */
    boolean located() {
        return type.equals("Patient") || type.equals("RelatedPerson");
    }
}
