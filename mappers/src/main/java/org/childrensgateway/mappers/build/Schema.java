package org.childrensgateway.mappers.build;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/** The logical fields (and XML groups) a layout understands, so mapping files can be checked on load. */
public final class Schema {
    final Map<String, Kind> fields = new LinkedHashMap<>();
    final Set<String> mandatory = new LinkedHashSet<>();
    final Map<String, Schema> groups = new LinkedHashMap<>();

    /** A field the mapping must configure (identity, or what the layout cannot do without). */
    public Schema mandatory(String name, Kind kind) {
        fields.put(name, kind);
        mandatory.add(name);
        return this;
    }

    public Schema optional(String name, Kind kind) {
        fields.put(name, kind);
        return this;
    }

    public Schema group(String name, Schema schema) {
        groups.put(name, schema);
        return this;
    }

    public Map<String, Kind> fields() {
        return fields;
    }

    public Set<String> mandatory() {
        return mandatory;
    }

    public Map<String, Schema> groups() {
        return groups;
    }
}
