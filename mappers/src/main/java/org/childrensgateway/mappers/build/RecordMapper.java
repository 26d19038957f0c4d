package org.childrensgateway.mappers.build;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

import org.childrensgateway.mappers.Issue;
import org.childrensgateway.mappers.MappedRecord;
import org.childrensgateway.mappers.TransactionEntry;
import org.childrensgateway.mappers.codes.CodeTranslator;
import org.childrensgateway.mappers.config.FeedMapping;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Identifier;

/** Runs a layout over one source record and wraps the outcome (entries + Provenance, or a quarantine). */
public final class RecordMapper {

    public static final String SOURCE_RECORD_SYSTEM = Fhir.GW + "/Id/source-record";

    private final FeedMapping mapping;
    private final Layout layout;
    private final CodeTranslator translator;

    public RecordMapper(FeedMapping mapping, Layout layout, CodeTranslator translator) {
        this.mapping = mapping;
        this.layout = layout;
        this.translator = translator;
    }

    public MappedRecord map(SourceRecord source, String location, long line, String rawText, String organisation) {
        List<Issue> issues = new ArrayList<>();
        BuildOutput out = new BuildOutput();
        try {
            RecordContext ctx = new RecordContext(mapping, mapping.fields, mapping.groups, source, translator, issues, organisation);
            ctx.checkRequired();
            layout.build(ctx, out);
        } catch (RuntimeException e) {
            // Exception text can quote data, so only the type is kept.
            issues.add(Issue.error("mapping-failure", null, "layout " + layout.name() + " failed: " + e.getClass().getSimpleName()));
        }
        boolean failed = issues.stream().anyMatch(Issue::isError);
        List<TransactionEntry> entries = failed ? List.of() : withProvenance(out, location, organisation);
        return new MappedRecord(mapping.feed, mapping.file, mapping.version, location, line, out.sourceId(), rawText,
                entries, out.lastUpdated(), issues, failed ? List.of() : out.partFaults());
    }

    private List<TransactionEntry> withProvenance(BuildOutput out, String location, String organisation) {
        if (out.entries().isEmpty()) {
            return List.of();
        }
        Provenance p = new Provenance();
        for (TransactionEntry e : out.entries()) {
            p.addTarget(new Reference(e.fullUrl()).setType(e.resource().fhirType()));
        }
        p.setRecorded(new Date());
        if (out.lastUpdated() != null) {
            p.setOccurred(new DateTimeType(Date.from(out.lastUpdated())));
        }
        p.addPolicy(mapping.policyUri());
        p.setActivity(new org.hl7.fhir.r4.model.CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/v3-DataOperation", "UPDATE", "revise")));
        Provenance.ProvenanceAgentComponent source = p.addAgent();
        source.getType().addCoding(new Coding("http://terminology.hl7.org/CodeSystem/provenance-participant-type", "author", "Author"));
        source.setWho(Refs.logical("Organization", mapping.identifierSystems.containsKey("organisation")
                ? mapping.identifierSystem("organisation", organisation) : Fhir.ODS, organisation,
                (mapping.sourceSystem == null ? mapping.feed : mapping.sourceSystem) + " (" + organisation + ")"));
        Provenance.ProvenanceAgentComponent mapper = p.addAgent();
        mapper.getType().addCoding(new Coding("http://terminology.hl7.org/CodeSystem/provenance-participant-type", "assembler", "Assembler"));
        mapper.setWho(new Reference().setDisplay("children's gateway mapping " + mapping.feed + "/" + mapping.file + " v" + mapping.version));
        String recordKey = mapping.feed + "/" + mapping.file + "/" + organisation + "#" + location;
        p.addEntity().setRole(Provenance.ProvenanceEntityRole.SOURCE).setWhat(new Reference()
                .setIdentifier(new Identifier().setSystem(SOURCE_RECORD_SYSTEM).setValue(recordKey))
                .setDisplay((mapping.sourceSystem == null ? mapping.feed : mapping.sourceSystem) + " " + mapping.file + " " + location));
        out.post(p);
        return out.entries();
    }

    public static Instant instant(DateTimeType t) {
        return t == null ? null : t.getValue().toInstant();
    }
}
