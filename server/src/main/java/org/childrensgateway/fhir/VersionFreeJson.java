package org.childrensgateway.fhir;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Comparator;

/**
 * Whether a new version's JSON says the same as the stored version's, apart from what every
 * version changes (meta.versionId and meta.lastUpdated), without parsing the stored version into a
 * HAPI resource: both texts are read as plain JSON trees and compared. The stored text is
 * PostgreSQL's jsonb rendering of what the codec wrote (members reordered, spacing changed), so
 * members compare by name and numbers by their exact decimal value (scale included: {@code 12.40}
 * is not {@code 12.4}, as HAPI tells them apart). A text that is not one JSON object answers null,
 * and the caller compares parsed resources instead.
 */
final class VersionFreeJson {

    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY).setNodeFactory(JsonNodeFactory.withExactBigDecimals(true));
    /** Leaves equal as Jackson has it, but numbers only of the same kind and exact value, scale included (Jackson ignores scale). */
    private static final Comparator<JsonNode> EXACT = (x, y) -> {
        if (x.isNumber() || y.isNumber()) {
            return x.getClass() == y.getClass() && x.decimalValue().equals(y.decimalValue()) ? 0 : 1;
        }
        return x.equals(y) ? 0 : 1;
    };

    private VersionFreeJson() {
    }

    /** True: the same but for versionId and lastUpdated; false: they differ; null: not both JSON objects. */
    static Boolean same(String stored, String fresh) {
        ObjectNode a = withoutVersion(stored);
        ObjectNode b = withoutVersion(fresh);
        return a == null || b == null ? null : a.equals(EXACT, b);
    }

    private static ObjectNode withoutVersion(String json) {
        if (json == null) {
            return null;
        }
        JsonNode tree;
        try {
            tree = JSON.readTree(json);
        } catch (java.io.IOException | RuntimeException e) {
            return null;
        }
        if (!(tree instanceof ObjectNode object)) {
            return null;
        }
        if (object.get("meta") instanceof ObjectNode meta) {
            meta.remove("versionId");
            meta.remove("lastUpdated");
        }
        return object;
    }
}
