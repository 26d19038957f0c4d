package org.childrensgateway.mappers.build;

import java.util.List;

/** A source record as seen by field specs: a CSV row (sources are column names) or an XML element (sources are paths). */
public interface SourceRecord {

    /** All values found at {@code source} (a CSV column has at most one); blank values included as-is. */
    List<String> values(String source);

    /** Repeating child records at {@code path} (XML only; CSV rows have none). */
    List<SourceRecord> children(String path);

    /** True when the element / column exists at all (used for SystmOne partial updates). */
    boolean has(String source);
}
