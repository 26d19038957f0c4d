package org.childrensgateway.mappers;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

import org.childrensgateway.mappers.build.Layouts;
import org.childrensgateway.mappers.config.FeedMapping;
import org.childrensgateway.mappers.config.FieldSpec;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The published JSON Schema describes exactly the keys the loader accepts. */
class MappingSchemaTest {

    static Set<String> keys(Class<?> type, String... internal) {
        Set<String> s = new HashSet<>();
        for (Field f : type.getFields()) {
            if (!Modifier.isStatic(f.getModifiers())) {
                s.add(f.getName());
            }
        }
        Arrays.asList(internal).forEach(s::remove);
        return s;
    }

    @Test
    void schemaMatchesTheLoader() throws Exception {
        JsonNode schema;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("mapping-schema.json")) {
            schema = new ObjectMapper().readTree(in);
        }
        Set<String> top = new HashSet<>();
        schema.get("properties").fieldNames().forEachRemaining(top::add);
        assertThat(top).isEqualTo(keys(FeedMapping.class, "origin"));
        Set<String> field = new HashSet<>();
        schema.at("/$defs/field/properties").fieldNames().forEachRemaining(field::add);
        assertThat(field).isEqualTo(keys(FieldSpec.class, "name"));
        Set<String> layouts = new HashSet<>();
        schema.at("/properties/layout/enum").forEach(n -> layouts.add(n.asText()));
        assertThat(layouts).isEqualTo(Layouts.all().keySet());
    }
}
