package org.childrensgateway.mappers.build;

import java.util.List;

import org.childrensgateway.mappers.OutboundRecord;

/**
 * The Java half of a mapping: how one record of a given layout becomes FHIR resources and back.
 * It only speaks logical field names; the mapping file supplies columns, formats, codes and systems.
 */
public interface Layout {

    /** The name mapping files use in {@code layout:}. */
    String name();

    /** The logical fields the mapping may configure. */
    Schema schema();

    /** Inbound: resources for one record. Add issues via ctx; do not throw for bad data. */
    void build(RecordContext ctx, BuildOutput out);

    /** Outbound: the rows (or one XML record) for the resources of one child. */
    List<OutRow> extract(OutboundRecord record, OutContext ctx);
}
