package org.childrensgateway.export;

import java.time.Instant;
import java.util.Map;

/**
 * One pull of an outbound file.
 *
 * @param feed     the receiving system's feed, e.g. {@code rio}
 * @param file     the layout, e.g. {@code assessments}
 * @param since    only resources changed after this instant (null: everything)
 * @param caller   who is pulling (filled in by the security layer; null until then)
 * @param context  layout values not held in FHIR, e.g. {@code CentreCode}
 */
public record ExportRequest(String feed, String file, Instant since, String caller, Map<String, String> context) {
}
