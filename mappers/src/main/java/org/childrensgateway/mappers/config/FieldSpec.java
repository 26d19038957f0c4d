package org.childrensgateway.mappers.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One logical field of a mapping file: where it comes from in the source and how its text is
 * turned into a value. See docs/mappings.md and mapping-schema.json for the meaning of each key.
 */
public final class FieldSpec {

    /** Column name(s) for CSV, element/attribute path(s) relative to the record element for XML. */
    @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
    public List<String> source = List.of();
    public boolean required;
    public String transform = "text";
    /** Date pattern (java.time) or {@code iso}. */
    public String format;
    /** Pattern used when writing, when it differs from the (more lenient) reading pattern. */
    public String outputFormat;
    public String zone = "Europe/London";
    /** Inline code table for small enumerations (gender, status): source text to target code. */
    public Map<String, String> values = new LinkedHashMap<>();
    /** Code system put on codes produced from {@link #values}. */
    public String system;
    /** ConceptMap id(s) tried in order to translate the code. */
    @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
    public List<String> conceptMap = List.of();
    public String separator = ";";
    /** Used by value rules: items with this rule are security-labelled as sensitive. */
    public boolean sensitive;
    public String description;

    /** Filled in by the loader: the field's key in the mapping file. */
    @JsonProperty(access = JsonProperty.Access.READ_ONLY)
    public String name;

    /**
     * A value rule (which names no column of its own) applied to another field's column: every
     * transform setting of this rule, the source and name of {@code field}.
     */
    public FieldSpec appliedTo(FieldSpec field) {
        FieldSpec f = new FieldSpec();
        f.source = field.source;
        f.name = field.name;
        f.transform = transform;
        f.format = format;
        f.outputFormat = outputFormat;
        f.zone = zone;
        f.values = values;
        f.system = system;
        f.conceptMap = conceptMap;
        f.separator = separator;
        f.sensitive = sensitive;
        f.description = description;
        return f;
    }

    /** The source names as shown in issues, e.g. {@code NHSNumber}. */
    public String sourceLabel() {
        return String.join("+", source);
    }

    public boolean translates() {
        return !conceptMap.isEmpty() || !values.isEmpty();
    }
}
