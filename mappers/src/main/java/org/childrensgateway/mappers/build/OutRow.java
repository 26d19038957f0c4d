package org.childrensgateway.mappers.build;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Logical field values for one outbound row / XML record, with child records for XML groups. */
public final class OutRow {
    private final Map<String, Object> values = new LinkedHashMap<>();
    private final Map<String, List<OutRow>> groups = new LinkedHashMap<>();

    public OutRow put(String field, Object value) {
        if (value != null) {
            values.put(field, value);
        }
        return this;
    }

    public OutRow addChild(String group, OutRow child) {
        groups.computeIfAbsent(group, g -> new ArrayList<>()).add(child);
        return this;
    }

    public Object get(String field) {
        return values.get(field);
    }

    public Map<String, List<OutRow>> groups() {
        return groups;
    }
}
