package org.childrensgateway.consent;

import java.util.Optional;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Resource;

/**
 * Which organisation recorded a resource: stamped on create from the writer's token, kept on
 * update. It decides "own data" and whose consent governs the resource.
 */
public final class RecordingOrganisation {

    public static final String SYSTEM = "https://fhir.childrens-gateway.uk/CodeSystem/recording-organisation";

    /** The recorder of records the gateway derives itself (child and carer records of the person index). */
    public static final String GATEWAY = "GATEWAY";

    private RecordingOrganisation() {
    }

    public static Optional<String> of(Resource resource) {
        return resource.getMeta().getTag().stream().filter(t -> SYSTEM.equals(t.getSystem())).map(Coding::getCode).findFirst();
    }

    /** Sets the tag, replacing any a client sent: only the gateway says who recorded what. */
    public static void stamp(Resource resource, String organisation) {
        resource.getMeta().getTag().removeIf(t -> SYSTEM.equals(t.getSystem()));
        if (organisation != null) {
            resource.getMeta().addTag(SYSTEM, organisation, null);
        }
    }
}
