package org.childrensgateway.mappers.centre;

import static org.childrensgateway.mappers.build.Kind.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.childrensgateway.mappers.Issue;
import org.childrensgateway.mappers.OutboundRecord;
import org.childrensgateway.mappers.build.BuildOutput;
import org.childrensgateway.mappers.build.Fhir;
import org.childrensgateway.mappers.build.Layout;
import org.childrensgateway.mappers.build.OutContext;
import org.childrensgateway.mappers.build.OutRow;
import org.childrensgateway.mappers.build.RecordContext;
import org.childrensgateway.mappers.build.Refs;
import org.childrensgateway.mappers.build.Schema;
import org.childrensgateway.mappers.config.FieldSpec;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Observation;

/**
 * A session row to an Observation: category = observation-type#centre-attendance, code = the activity
 * (cc-activity), value = attended (boolean).
 * Rows have no id of their own, so the identifier is {@code <ChildRef>/<date>/<ActivityCode>}.
 */
public final class CentreAttendanceLayout implements Layout {

    @Override
    public String name() {
        return "centre-attendance";
    }

    @Override
    public Schema schema() {
        return new Schema().mandatory("childRef", TEXT).mandatory("centreCode", TEXT).mandatory("sessionDate", DATE)
                .mandatory("activityCode", CODE).optional("activityName", TEXT).mandatory("attended", BOOLEAN);
    }

    @Override
    public void build(RecordContext ctx, BuildOutput out) {
        String child = ctx.text("childRef");
        DateType date = ctx.date("sessionDate");
        Coding activity = ctx.coding("activityCode");
        out.sourceId(child);
        if (child == null || date == null || activity == null) {
            return;
        }
        String key = child + "/" + date.getValueAsString() + "/" + ctx.rawText("activityCode");
        String system = ctx.system("attendance");
        Observation o = new Observation().setStatus(Observation.ObservationStatus.FINAL);
        o.addIdentifier().setSystem(system).setValue(key);
        // category says "this is an attendance" (observation-type#centre-attendance); code says which activity
        o.addCategory().addCoding(new Coding(Fhir.OBSERVATION_TYPE, "centre-attendance", "Children's centre attendance"));
        o.getCode().addCoding(activity).setText(ctx.text("activityName"));
        ctx.translator().sourceCoding(ctx.spec("activityCode").conceptMap, ctx.rawText("activityCode")).ifPresent(o.getCode()::addCoding);
        o.setSubject(Refs.conditional("Patient", ctx.system("child"), child));
        o.setEffective(new DateTimeType(date.getValueAsString()));
        o.addPerformer(Refs.logical("Organization", ctx.system("centre"), ctx.text("centreCode"), null));
        Boolean attended = ctx.bool("attended");
        if (attended != null) {
            o.setValue(new BooleanType(attended));
        }
        out.put(o, system, key);
    }

    @Override
    public List<OutRow> extract(OutboundRecord record, OutContext ctx) {
        List<OutRow> rows = new ArrayList<>();
        FieldSpec spec = ctx.spec("activityCode");
        for (Observation o : record.ofType(Observation.class)) {
            Optional<String> code = ctx.translator().reverse(spec.conceptMap, o.getCode().getCoding());
            if (code.isEmpty() || !o.hasValueBooleanType()) {
                ctx.issues().add(Issue.warning(Issue.NOT_WRITTEN, spec.sourceLabel(), "Observation is not a known centre activity; not written"));
                continue;
            }
            rows.add(new OutRow().put("childRef", record.receiverChildId())
                    .put("centreCode", o.hasPerformer() ? o.getPerformerFirstRep().getIdentifier().getValue() : null)
                    .put("sessionDate", new DateType(o.getEffectiveDateTimeType().getValueAsString().substring(0, 10)))
                    .put("activityCode", code.get())
                    .put("activityName", o.getCode().getText())
                    .put("attended", o.getValueBooleanType().getValue()));
        }
        return rows;
    }
}
