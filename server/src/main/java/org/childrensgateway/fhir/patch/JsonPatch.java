package org.childrensgateway.fhir.patch;

import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * JSON Patch (RFC 6902) on a resource's JSON: add, remove, replace, move, copy and test, with JSON
 * Pointers (RFC 6901). About a hundred lines over Jackson, which the gateway already has, rather
 * than a library for it (none is on the build's class path). A malformed patch document is a 400;
 * one that cannot be applied to this resource (a path that is not there, a failed test) a 422.
 */
public final class JsonPatch {

    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonPatch() {
    }

    /** The patched copy of {@code document} (which is not changed). */
    public static String apply(String document, String patch) {
        JsonNode ops;
        JsonNode doc;
        try {
            ops = JSON.readTree(patch);
            doc = JSON.readTree(document).deepCopy();
        } catch (JsonProcessingException e) {
            throw new InvalidRequestException("The JSON Patch is not JSON: " + e.getOriginalMessage());
        }
        if (ops == null || !ops.isArray()) {
            throw new InvalidRequestException("A JSON Patch is an array of operations (RFC 6902)");
        }
        int n = 0;
        for (JsonNode op : ops) {
            doc = applyOne(doc, op, n++);
        }
        try {
            return JSON.writeValueAsString(doc);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode applyOne(JsonNode doc, JsonNode op, int n) {
        String name = text(op, "op", n);
        List<String> path = pointer(text(op, "path", n), n);
        switch (name) {
            case "add" -> {
                return add(doc, path, value(op, n), n);
            }
            case "remove" -> {
                remove(doc, path, n);
                return doc;
            }
            case "replace" -> {
                remove(doc, path, n);
                return add(doc, path, value(op, n), n);
            }
            case "move" -> {
                List<String> from = pointer(text(op, "from", n), n);
                if (path.size() > from.size() && path.subList(0, from.size()).equals(from)) {
                    throw new InvalidRequestException("JSON Patch operation " + n + ": cannot move a value into itself");
                }
                JsonNode moved = remove(doc, from, n);
                return add(doc, path, moved, n);
            }
            case "copy" -> {
                return add(doc, path, resolve(doc, pointer(text(op, "from", n), n), n).deepCopy(), n);
            }
            case "test" -> {
                if (!resolve(doc, path, n).equals(value(op, n))) {
                    throw new UnprocessableEntityException("JSON Patch operation " + n + " (test " + op.get("path").asText()
                            + ") failed: the resource holds another value; nothing was changed");
                }
                return doc;
            }
            default -> throw new InvalidRequestException("JSON Patch operation " + n + ": unknown op '" + name
                    + "' (add, remove, replace, move, copy, test)");
        }
    }

    private static JsonNode add(JsonNode doc, List<String> path, JsonNode value, int n) {
        if (path.isEmpty()) {
            return value; // the whole document
        }
        JsonNode parent = resolve(doc, path.subList(0, path.size() - 1), n);
        String last = path.get(path.size() - 1);
        if (parent instanceof ObjectNode object) {
            object.set(last, value);
        } else if (parent instanceof ArrayNode array) {
            int index = last.equals("-") ? array.size() : index(last, array.size(), n);
            array.insert(index, value);
        } else {
            throw notThere(path, n);
        }
        return doc;
    }

    private static JsonNode remove(JsonNode doc, List<String> path, int n) {
        if (path.isEmpty()) {
            throw new UnprocessableEntityException("JSON Patch operation " + n + ": cannot remove the whole resource");
        }
        JsonNode parent = resolve(doc, path.subList(0, path.size() - 1), n);
        String last = path.get(path.size() - 1);
        if (parent instanceof ObjectNode object && object.has(last)) {
            return object.remove(last);
        }
        if (parent instanceof ArrayNode array) {
            return array.remove(index(last, array.size() - 1, n));
        }
        throw notThere(path, n);
    }

    private static JsonNode resolve(JsonNode doc, List<String> path, int n) {
        JsonNode node = doc;
        for (int i = 0; i < path.size(); i++) {
            String token = path.get(i);
            JsonNode next = node.isArray() ? node.get(index(token, node.size() - 1, n)) : node.isObject() ? node.get(token) : null;
            if (next == null) {
                throw notThere(path.subList(0, i + 1), n);
            }
            node = next;
        }
        return node;
    }

    private static int index(String token, int max, int n) {
        if (!token.matches("0|[1-9][0-9]{0,8}") || Integer.parseInt(token) > max) {
            throw new UnprocessableEntityException("JSON Patch operation " + n + ": '" + token + "' is not an index of the array");
        }
        return Integer.parseInt(token);
    }

    /** RFC 6901: "" is the whole document, "/a/0/b~1c" is a, 0, b/c. */
    private static List<String> pointer(String pointer, int n) {
        List<String> tokens = new ArrayList<>();
        if (pointer.isEmpty()) {
            return tokens;
        }
        if (!pointer.startsWith("/")) {
            throw new InvalidRequestException("JSON Patch operation " + n + ": '" + pointer + "' is not a JSON Pointer (it starts with /)");
        }
        for (String token : pointer.substring(1).split("/", -1)) {
            tokens.add(token.replace("~1", "/").replace("~0", "~"));
        }
        return tokens;
    }

    private static String text(JsonNode op, String field, int n) {
        JsonNode value = op == null ? null : op.get(field);
        if (value == null || !value.isTextual()) {
            throw new InvalidRequestException("JSON Patch operation " + n + " needs '" + field + "' (a string)");
        }
        return value.asText();
    }

    private static JsonNode value(JsonNode op, int n) {
        if (!op.has("value")) {
            throw new InvalidRequestException("JSON Patch operation " + n + " needs a 'value'");
        }
        return op.get("value").deepCopy();
    }

    private static UnprocessableEntityException notThere(List<String> path, int n) {
        return new UnprocessableEntityException("JSON Patch operation " + n + ": the resource has nothing at /" + String.join("/", path));
    }
}
