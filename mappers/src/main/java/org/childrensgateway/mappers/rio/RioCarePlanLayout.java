package org.childrensgateway.mappers.rio;

import static org.childrensgateway.mappers.build.Kind.*;

import java.util.ArrayList;
import java.util.List;

import org.childrensgateway.mappers.OutboundRecord;
import org.childrensgateway.mappers.build.BuildOutput;
import org.childrensgateway.mappers.build.CarePlans;
import org.childrensgateway.mappers.build.Fhir;
import org.childrensgateway.mappers.build.Layout;
import org.childrensgateway.mappers.build.OutContext;
import org.childrensgateway.mappers.build.OutRow;
import org.childrensgateway.mappers.build.RecordContext;
import org.childrensgateway.mappers.build.Refs;
import org.childrensgateway.mappers.build.Resources;
import org.childrensgateway.mappers.build.Schema;
import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Reference;

/**
 * A care plan row to a CarePlan: goals as contained Goals, lead professional as author (display
 * only: RiO gives a name and role, not a staff identifier), team as a CareTeam reference by
 * identifier, service level as a category coding in the hv-service-level code system.
 */
public final class RioCarePlanLayout implements Layout {

    @Override
    public String name() {
        return "rio-careplans";
    }

    @Override
    public Schema schema() {
        return new Schema().mandatory("clientId", TEXT).mandatory("carePlanId", TEXT).mandatory("title", TEXT)
                .mandatory("status", CODE).mandatory("startDate", DATE).optional("endDate", DATE)
                .optional("leadProfessional", TEXT).optional("team", TEXT).optional("goals", LIST)
                .optional("serviceLevel", CODE);
    }

    @Override
    public void build(RecordContext ctx, BuildOutput out) {
        String id = ctx.text("carePlanId");
        out.sourceId(id);
        String system = ctx.system("careplan");
        CarePlan plan = new CarePlan().setIntent(CarePlan.CarePlanIntent.PLAN);
        plan.addIdentifier().setSystem(system).setValue(id);
        Coding status = ctx.coding("status");
        if (status != null) {
            plan.setStatus(CarePlan.CarePlanStatus.fromCode(status.getCode()));
        }
        plan.setTitle(ctx.text("title"));
        Reference subject = Refs.conditional("Patient", ctx.system("client"), ctx.text("clientId"));
        plan.setSubject(subject);
        DateType start = ctx.date("startDate");
        DateType end = ctx.date("endDate");
        if (start != null) {
            plan.getPeriod().setStartElement(new org.hl7.fhir.r4.model.DateTimeType(start.getValueAsString()));
        }
        if (end != null) {
            plan.getPeriod().setEndElement(new org.hl7.fhir.r4.model.DateTimeType(end.getValueAsString()));
        }
        if (ctx.present("leadProfessional")) {
            plan.setAuthor(new Reference().setDisplay(ctx.text("leadProfessional")));
        }
        if (ctx.present("team")) {
            plan.addCareTeam(Refs.logical("CareTeam", ctx.system("team"), ctx.text("team"), ctx.text("team")));
        }
        CarePlans.addGoals(plan, ctx.list("goals"), subject);
        Coding level = ctx.coding("serviceLevel");
        if (level != null) {
            plan.addCategory(new CodeableConcept(level));
        }
        if (id != null) {
            out.put(plan, system, id);
        }
    }

    @Override
    public List<OutRow> extract(OutboundRecord record, OutContext ctx) {
        List<OutRow> rows = new ArrayList<>();
        for (CarePlan p : record.ofType(CarePlan.class)) {
            OutRow r = new OutRow().put("clientId", record.receiverChildId())
                    .put("carePlanId", Resources.identifierValue(p.getIdentifier(), "careplan"))
                    .put("title", p.getTitle())
                    .put("status", p.hasStatus() ? new Coding(null, p.getStatus().toCode(), null) : null)
                    .put("leadProfessional", p.hasAuthor() ? p.getAuthor().getDisplay() : null);
            if (p.getPeriod().hasStart()) {
                r.put("startDate", new DateType(p.getPeriod().getStartElement().getValueAsString().substring(0, 10)));
            }
            if (p.getPeriod().hasEnd()) {
                r.put("endDate", new DateType(p.getPeriod().getEndElement().getValueAsString().substring(0, 10)));
            }
            if (p.hasCareTeam()) {
                Reference t = p.getCareTeamFirstRep();
                r.put("team", t.getIdentifier().hasValue() ? t.getIdentifier().getValue() : t.getDisplay());
            }
            List<String> goals = CarePlans.goalTexts(p);
            r.put("goals", goals.isEmpty() ? null : goals);
            for (CodeableConcept c : p.getCategory()) {
                OutContext.coding(c, Fhir.HV_SERVICE_LEVEL).ifPresent(level -> r.put("serviceLevel", level));
            }
            rows.add(r);
        }
        return rows;
    }
}
