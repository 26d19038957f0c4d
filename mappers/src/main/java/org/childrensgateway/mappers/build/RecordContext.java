package org.childrensgateway.mappers.build;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.childrensgateway.mappers.Issue;
import org.childrensgateway.mappers.codes.CodeTranslator;
import org.childrensgateway.mappers.config.FeedMapping;
import org.childrensgateway.mappers.config.FieldSpec;
import org.childrensgateway.mappers.config.GroupSpec;
import org.childrensgateway.mappers.transform.FieldValues;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DateType;

/**
 * A layout's typed view of one source record through the mapping file: layouts ask for logical
 * fields ({@code ctx.date("birthDate")}) and never see column names, formats or code tables.
 * A field the mapping does not configure reads as absent. Values are parsed once, lazily, so a
 * code is only reported unmapped when the layout actually needs it.
 */
public final class RecordContext {

    private final FeedMapping mapping;
    private final Map<String, FieldSpec> specs;
    private final Map<String, GroupSpec> groups;
    private final SourceRecord source;
    private final CodeTranslator translator;
    private final List<Issue> issues;
    private final String organisation;
    private final Map<String, Object> cache = new HashMap<>();

    public RecordContext(FeedMapping mapping, Map<String, FieldSpec> specs, Map<String, GroupSpec> groups,
                         SourceRecord source, CodeTranslator translator, List<Issue> issues, String organisation) {
        this.mapping = mapping;
        this.specs = specs;
        this.groups = groups;
        this.source = source;
        this.translator = translator;
        this.issues = issues;
        this.organisation = organisation;
    }

    /** Reports every required field that is blank or missing. */
    public void checkRequired() {
        for (FieldSpec spec : specs.values()) {
            if (spec.required && !present(spec.name)) {
                issues.add(Issue.error(Issue.REQUIRED, spec.sourceLabel(), "required field '" + spec.name + "' is blank or missing"));
            }
        }
    }

    public FeedMapping mapping() {
        return mapping;
    }

    public CodeTranslator translator() {
        return translator;
    }

    public List<Issue> issues() {
        return issues;
    }

    public String organisation() {
        return organisation;
    }

    /** Identifier system for a kind of record, e.g. {@code client} gives .../Id/rio/RX9/client. */
    public String system(String kind) {
        return mapping.identifierSystem(kind, organisation);
    }

    public boolean configured(String field) {
        return specs.containsKey(field);
    }

    /** True when the source has non-blank text for the field. */
    public boolean present(String field) {
        return raw(field).stream().anyMatch(s -> s != null && !s.isBlank());
    }

    /** True when the field's element or column exists at all, even if empty (SystmOne partial updates). */
    public boolean elementPresent(String field) {
        FieldSpec spec = specs.get(field);
        return spec != null && spec.source.stream().anyMatch(source::has);
    }

    public List<String> raw(String field) {
        FieldSpec spec = specs.get(field);
        if (spec == null) {
            return List.of();
        }
        List<String> all = new ArrayList<>();
        spec.source.forEach(s -> all.addAll(source.values(s)));
        return all;
    }

    /** The first non-blank raw text, trimmed; for messages and keys only. */
    public String rawText(String field) {
        return raw(field).stream().filter(s -> s != null && !s.isBlank()).map(String::trim).findFirst().orElse(null);
    }

    public Object value(String field) {
        if (cache.containsKey(field)) {
            return cache.get(field);
        }
        FieldSpec spec = specs.get(field);
        Object v = spec == null ? null : FieldValues.parse(spec, raw(field), translator, issues);
        cache.put(field, v);
        return v;
    }

    /** Applies a rule (e.g. a value rule chosen by item code) to a field's raw text. */
    public Object valueWith(FieldSpec rule, String field) {
        FieldSpec spec = specs.get(field);
        FieldSpec effective = rule;
        if (spec != null && rule.source.isEmpty()) {
            effective = rule.appliedTo(spec);
        }
        return FieldValues.parse(effective, raw(field), translator, issues);
    }

    public String text(String field) {
        Object v = value(field);
        return v == null ? null : v.toString();
    }

    public DateType date(String field) {
        return (DateType) value(field);
    }

    public DateTimeType dateTime(String field) {
        Object v = value(field);
        if (v instanceof DateType d) {
            return new DateTimeType(d.getValueAsString());
        }
        return (DateTimeType) v;
    }

    public Boolean bool(String field) {
        return (Boolean) value(field);
    }

    public BigDecimal number(String field) {
        return (BigDecimal) value(field);
    }

    public Coding coding(String field) {
        return (Coding) value(field);
    }

    @SuppressWarnings("unchecked")
    public List<String> list(String field) {
        Object v = value(field);
        return v == null ? List.of() : (List<String>) v;
    }

    @SuppressWarnings("unchecked")
    public List<Coding> codings(String field) {
        Object v = value(field);
        return v == null ? List.of() : (List<Coding>) v;
    }

    /** The repeating child records of a group, each with the group's own fields; empty when not configured. */
    public List<RecordContext> group(String name) {
        GroupSpec g = groups.get(name);
        if (g == null) {
            return List.of();
        }
        List<RecordContext> out = new ArrayList<>();
        for (SourceRecord child : source.children(g.source)) {
            RecordContext c = new RecordContext(mapping, g.fields, g.groups, child, translator, issues, organisation);
            c.checkRequired();
            out.add(c);
        }
        return out;
    }

    /** True when the group's element path is present (even with no children) in the source. */
    public boolean groupPresent(String name) {
        GroupSpec g = groups.get(name);
        if (g == null) {
            return false;
        }
        String parent = g.source.contains("/") ? g.source.substring(0, g.source.lastIndexOf('/')) : g.source;
        return source.has(parent);
    }

    public FieldSpec spec(String field) {
        return specs.get(field);
    }
}
