package org.childrensgateway.mappers.config;

import java.util.LinkedHashMap;
import java.util.Map;

/** A repeating child element of an XML record (e.g. {@code Carers/Carer}) with its own fields. */
public final class GroupSpec {
    /** Path of the repeating element relative to the record element. */
    public String source;
    public Map<String, FieldSpec> fields = new LinkedHashMap<>();
    /** Nested repeating elements, e.g. a care plan's Activity elements. */
    public Map<String, GroupSpec> groups = new LinkedHashMap<>();
}
