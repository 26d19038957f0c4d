package org.childrensgateway.mappers.rio;

import static org.childrensgateway.mappers.build.Kind.*;

import java.math.BigDecimal;
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
import org.childrensgateway.mappers.build.Resources;
import org.childrensgateway.mappers.build.Schema;
import org.childrensgateway.mappers.build.VitalSigns;
import org.childrensgateway.mappers.config.FieldSpec;
import org.childrensgateway.mappers.transform.FieldValues;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;

/**
 * One assessment item row to an Observation and back. How the Value column is read depends on the
 * translated item code ({@code valueRules} in the mapping); without a rule a number becomes a
 * Quantity (with the unit translated by the unit field) and anything else a string.
 */
public final class RioAssessmentLayout implements Layout {

    @Override
    public String name() {
        return "rio-assessments";
    }

    @Override
    public Schema schema() {
        return new Schema().mandatory("clientId", TEXT).mandatory("assessmentId", TEXT).mandatory("assessmentDate", DATETIME)
                .optional("team", TEXT).optional("clinician", TEXT).mandatory("itemCode", CODE).mandatory("value", TEXT)
                .optional("unit", CODE).optional("sensitive", BOOLEAN);
    }

    @Override
    public void build(RecordContext ctx, BuildOutput out) {
        String id = ctx.text("assessmentId");
        out.sourceId(id);
        Observation o = new Observation().setStatus(Observation.ObservationStatus.FINAL);
        String system = ctx.system("assessment");
        o.addIdentifier().setSystem(system).setValue(id);
        Coding item = ctx.coding("itemCode");
        if (item != null) {
            o.getCode().addCoding(item);
            ctx.translator().sourceCoding(ctx.spec("itemCode").conceptMap, ctx.rawText("itemCode")).ifPresent(o.getCode()::addCoding);
        }
        o.setSubject(Refs.conditional("Patient", ctx.system("client"), ctx.text("clientId")));
        o.setEffective(ctx.dateTime("assessmentDate"));
        if (ctx.present("clinician")) {
            o.addPerformer(Refs.logical("Practitioner", ctx.system("clinician"), ctx.text("clinician"), null));
        }
        if (ctx.present("team")) {
            o.addPerformer(Refs.logical("CareTeam", ctx.system("team"), ctx.text("team"), ctx.text("team")));
        }
        FieldSpec rule = item == null ? null : ctx.mapping().valueRules.get(item.getCode());
        Object v = rule == null ? defaultValue(ctx) : ctx.valueWith(rule, "value");
        if (v instanceof Boolean b) {
            o.setValue(new BooleanType(b));
        } else if (v instanceof Coding c) {
            o.setValue(new CodeableConcept(c));
        } else if (v instanceof Quantity q) {
            o.setValue(q);
        } else if (v instanceof BigDecimal d) {
            o.setValue(new Quantity().setValue(d));
        } else if (v != null) {
            o.setValue(new StringType(v.toString()));
        }
        if (Boolean.TRUE.equals(ctx.bool("sensitive")) || (rule != null && rule.sensitive)) {
            Fhir.markSensitive(o);
        }
        VitalSigns.complete(o);
        if (id != null) {
            out.put(o, system, id);
        }
    }

    private static Object defaultValue(RecordContext ctx) {
        String text = ctx.text("value");
        if (text == null) {
            return null;
        }
        try {
            Quantity q = new Quantity().setValue(new BigDecimal(text));
            if (ctx.present("unit")) {
                Coding unit = ctx.coding("unit");
                q.setUnit(ctx.rawText("unit"));
                if (unit != null) {
                    q.setSystem(unit.getSystem()).setCode(unit.getCode());
                }
            }
            return q;
        } catch (NumberFormatException e) {
            return text;
        }
    }

    @Override
    public List<OutRow> extract(OutboundRecord record, OutContext ctx) {
        List<OutRow> rows = new ArrayList<>();
        FieldSpec itemSpec = ctx.spec("itemCode");
        for (Observation o : record.ofType(Observation.class)) {
            Optional<String> item = ctx.translator().reverse(itemSpec.conceptMap, o.getCode().getCoding());
            if (item.isEmpty()) {
                ctx.issues().add(Issue.warning(Issue.NOT_WRITTEN, itemSpec.sourceLabel(),
                        "Observation code has no reverse translation in " + itemSpec.conceptMap + "; not written"));
                continue;
            }
            OutRow r = new OutRow().put("clientId", record.receiverChildId())
                    .put("assessmentId", Resources.identifierValue(o.getIdentifier(), "assessment"))
                    .put("assessmentDate", o.hasEffectiveDateTimeType() ? o.getEffectiveDateTimeType() : null)
                    .put("itemCode", item.get())
                    .put("sensitive", Fhir.isSensitive(o));
            for (Reference perf : o.getPerformer()) {
                if ("CareTeam".equals(perf.getType())) {
                    r.put("team", perf.getIdentifier().getValue());
                } else if ("Practitioner".equals(perf.getType())) {
                    r.put("clinician", perf.getIdentifier().getValue());
                }
            }
            Coding target = o.getCode().getCodingFirstRep();
            FieldSpec rule = ctx.mapping().valueRules.get(target.getCode());
            if (o.hasValueQuantity()) {
                Quantity q = o.getValueQuantity();
                r.put("value", q.getValue().toPlainString());
                if (q.hasCode()) {
                    r.put("unit", new Coding(q.getSystem(), q.getCode(), null));
                } else if (q.hasUnit()) {
                    r.put("unit", q.getUnit());
                }
            } else if (rule != null && (o.hasValueBooleanType() || o.hasValueCodeableConcept())) {
                FieldSpec withSource = rule.appliedTo(ctx.spec("value"));
                Object v = o.hasValueBooleanType() ? o.getValueBooleanType().getValue() : o.getValueCodeableConcept().getCodingFirstRep();
                r.put("value", FieldValues.format(withSource, v, ctx.translator(), ctx.issues()).get(0));
            } else if (o.hasValueStringType()) {
                r.put("value", o.getValueStringType().getValue());
            } else if (o.hasValueBooleanType()) {
                r.put("value", o.getValueBooleanType().getValue() ? "Y" : "N");
            }
            rows.add(r);
        }
        return rows;
    }
}
