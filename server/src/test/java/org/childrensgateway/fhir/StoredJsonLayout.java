package org.childrensgateway.fhir;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** How the tests of responses written from stored JSON read and compare it. */
final class StoredJsonLayout {

    /** Reads decimals exactly, so 11.20 and 11.2 stay different, as they are in FHIR. */
    static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .setNodeFactory(JsonNodeFactory.withExactBigDecimals(true));

    private StoredJsonLayout() {
    }

    /** The stored text as the gateway lays it out: compact, resourceType first, the rest in stored order. */
    static String laidOut(String stored) throws Exception {
        ObjectNode in = (ObjectNode) JSON.readTree(stored);
        ObjectNode out = JSON.createObjectNode();
        out.set("resourceType", in.get("resourceType"));
        in.fields().forEachRemaining(f -> {
            if (!f.getKey().equals("resourceType")) {
                out.set(f.getKey(), f.getValue());
            }
        });
        return JSON.writeValueAsString(out);
    }
}
