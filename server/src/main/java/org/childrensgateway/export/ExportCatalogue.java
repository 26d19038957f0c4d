package org.childrensgateway.export;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which FHIR resources each outbound file carries. The layouts themselves (columns, codes) are the
 * mappers' configuration; this only says what to fetch for them.
 */
final class ExportCatalogue {

    private static final Map<String, List<String>> TYPES = Map.of(
            "rio/assessments", List.of("Observation"),
            "rio/careplans", List.of("CarePlan"),
            "systmone/extract", List.of("Observation", "Consent", "CarePlan"),
            "childrens-centre/notifications", List.of("Patient"),
            // Health information the family consented to share with the centre (the gate decides what that is).
            "childrens-centre/health", List.of("Observation"));

    private ExportCatalogue() {
    }

    static Optional<List<String>> typesFor(String feed, String file) {
        return Optional.ofNullable(TYPES.get(feed + "/" + file));
    }

    /**
     * Formats that name a child only by the receiver's own id (RiO ClientID, SystmOne Patient id, both
     * required): a child the receiver does not know yet cannot be written to them. The centre's files
     * name children by their details when the centre has no ChildRef yet.
     */
    static boolean namesChildrenByReceiverId(String feed) {
        return "rio".equals(feed) || "systmone".equals(feed);
    }

    static List<String> files() {
        return TYPES.keySet().stream().sorted().toList();
    }
}
