package org.childrensgateway.mappers;

import java.util.List;
import java.util.Map;

import org.hl7.fhir.r4.model.Resource;

/**
 * What an outbound writer turns into one or more rows / one Patient element.
 *
 * @param receiverChildId the receiving system's own identifier for the child (RiO ClientID, SystmOne
 *                        patient id, centre ChildRef); blank when the receiver does not know the child yet
 * @param resources       the FHIR resources about the child to send (Patient, RelatedPerson, Observation, ...)
 * @param context         writer-specific values that are not in the resources, e.g. for notifications
 *                        {@code CentreCode}, {@code Reason}, {@code SharedUnder}
 */
public record OutboundRecord(String receiverChildId, List<? extends Resource> resources, Map<String, String> context) {

    public OutboundRecord {
        resources = List.copyOf(resources);
        context = context == null ? Map.of() : Map.copyOf(context);
    }

    public OutboundRecord(String receiverChildId, List<? extends Resource> resources) {
        this(receiverChildId, resources, Map.of());
    }

    public <T extends Resource> List<T> ofType(Class<T> type) {
        return resources.stream().filter(type::isInstance).map(type::cast).toList();
    }
}
