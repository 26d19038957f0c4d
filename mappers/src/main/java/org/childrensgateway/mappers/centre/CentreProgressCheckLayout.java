package org.childrensgateway.mappers.centre;

import static org.childrensgateway.mappers.build.Kind.*;

import java.util.ArrayList;
import java.util.List;

import org.childrensgateway.mappers.Issue;
import org.childrensgateway.mappers.OutboundRecord;
import org.childrensgateway.mappers.build.BuildOutput;
import org.childrensgateway.mappers.build.Layout;
import org.childrensgateway.mappers.build.OutContext;
import org.childrensgateway.mappers.build.OutRow;
import org.childrensgateway.mappers.build.RecordContext;
import org.childrensgateway.mappers.build.Refs;
import org.childrensgateway.mappers.build.Schema;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Reference;

/** One EYFS prime-area row to an Observation: code = prime area, value = outcome, note = free text. */
public final class CentreProgressCheckLayout implements Layout {

    @Override
    public String name() {
        return "centre-progress-checks";
    }

    @Override
    public Schema schema() {
        return new Schema().mandatory("childRef", TEXT).mandatory("checkDate", DATE).optional("practitioner", TEXT)
                .mandatory("primeArea", CODE).mandatory("outcome", CODE).optional("notes", TEXT);
    }

    @Override
    public void build(RecordContext ctx, BuildOutput out) {
        String child = ctx.text("childRef");
        DateType date = ctx.date("checkDate");
        Coding area = ctx.coding("primeArea");
        Coding outcome = ctx.coding("outcome");
        out.sourceId(child);
        if (child == null || date == null || area == null || outcome == null) {
            return;
        }
        String key = child + "/" + date.getValueAsString() + "/" + area.getCode();
        String system = ctx.system("progress-check");
        Observation o = new Observation().setStatus(Observation.ObservationStatus.FINAL);
        o.addIdentifier().setSystem(system).setValue(key);
        o.setCode(new CodeableConcept(area));
        o.setValue(new CodeableConcept(outcome));
        o.setSubject(Refs.conditional("Patient", ctx.system("child"), child));
        o.setEffective(new DateTimeType(date.getValueAsString()));
        if (ctx.present("practitioner")) {
            o.addPerformer(new Reference().setType("Practitioner").setDisplay(ctx.text("practitioner")));
        }
        if (ctx.present("notes")) {
            o.addNote().setText(ctx.text("notes"));
        }
        out.put(o, system, key);
    }

    @Override
    public List<OutRow> extract(OutboundRecord record, OutContext ctx) {
        List<OutRow> rows = new ArrayList<>();
        for (Observation o : record.ofType(Observation.class)) {
            if (!o.hasValueCodeableConcept()) {
                ctx.issues().add(Issue.warning(Issue.NOT_WRITTEN, "Outcome", "Observation has no coded outcome; not written"));
                continue;
            }
            rows.add(new OutRow().put("childRef", record.receiverChildId())
                    .put("checkDate", new DateType(o.getEffectiveDateTimeType().getValueAsString().substring(0, 10)))
                    .put("practitioner", o.hasPerformer() ? o.getPerformerFirstRep().getDisplay() : null)
                    .put("primeArea", o.getCode().getCodingFirstRep())
                    .put("outcome", o.getValueCodeableConcept().getCodingFirstRep())
                    .put("notes", o.hasNote() ? o.getNoteFirstRep().getText() : null));
        }
        return rows;
    }
}
