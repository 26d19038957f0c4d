package org.childrensgateway.fhir;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.Writer;

/**
 * Writes a stored resource's JSON (PostgreSQL's jsonb text: members reordered, a space after every
 * colon and comma) as HAPI would lay it out at the top: compact, {@code resourceType} first. One
 * streaming pass over the tokens, far cheaper than a parse into the model and an encode; every
 * member and value is copied as stored, numbers by their text (a decimal keeps its precision).
 */
final class StoredJsonWriter {

    static final JsonFactory JSON = new JsonFactory();

    private StoredJsonWriter() {
    }

    static void write(String stored, String resourceType, Writer out) throws IOException {
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            writeResource(stored, resourceType, g);
        }
    }

    /** Writes the stored resource as one JSON object into a generator (also for a Bundle entry's resource). */
    static void writeResource(String stored, String resourceType, JsonGenerator g) throws IOException {
        try (JsonParser in = JSON.createParser(stored)) {
            if (in.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("stored JSON is not an object");
            }
            g.writeStartObject();
            g.writeStringField("resourceType", resourceType);
            while (in.nextToken() == JsonToken.FIELD_NAME) {
                String name = in.currentName();
                in.nextToken();
                if (name.equals("resourceType")) {
                    continue; // written first
                }
                g.writeFieldName(name);
                copy(in, g);
            }
            g.writeEndObject();
        }
    }

    /** Copies the value at the parser's current token (and all it contains). */
    static void copy(JsonParser in, JsonGenerator g) throws IOException {
        int depth = 0;
        do {
            JsonToken t = in.currentToken();
            switch (t) {
                case START_OBJECT -> {
                    g.writeStartObject();
                    depth++;
                }
                case START_ARRAY -> {
                    g.writeStartArray();
                    depth++;
                }
                case END_OBJECT -> {
                    g.writeEndObject();
                    depth--;
                }
                case END_ARRAY -> {
                    g.writeEndArray();
                    depth--;
                }
                case FIELD_NAME -> g.writeFieldName(in.currentName());
                case VALUE_STRING -> g.writeString(in.getTextCharacters(), in.getTextOffset(), in.getTextLength());
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> g.writeNumber(in.getText());
                case VALUE_TRUE -> g.writeBoolean(true);
                case VALUE_FALSE -> g.writeBoolean(false);
                case VALUE_NULL -> g.writeNull();
                default -> throw new IOException("unexpected token " + t);
            }
        } while (depth > 0 && in.nextToken() != null);
    }
}
