package org.childrensgateway.mappers.centre;

import static org.childrensgateway.mappers.build.Kind.*;

import java.util.ArrayList;
import java.util.List;
import org.childrensgateway.mappers.OutboundRecord;
import org.childrensgateway.mappers.build.BuildOutput;
import org.childrensgateway.mappers.build.Layout;
import org.childrensgateway.mappers.build.OutContext;
import org.childrensgateway.mappers.build.OutRow;
import org.childrensgateway.mappers.build.RecordContext;
import org.childrensgateway.mappers.build.Resources;
import org.childrensgateway.mappers.build.Schema;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;

/**
 * Outbound only: the health information a children's centre may see because the family consented
 * to it (what the gateway lets the centre see, as it may see it), one row per item, in words a
 * centre worker reads: the item's name, its value and unit, when and by which organisation.
 * Notes never cross from health to the local authority, so there is no notes column.
 */
public final class CentreHealthLayout implements Layout {

    /** The gateway stamps the recording organisation's code on every stored resource under this tag. */
    static final String RECORDED_BY = org.childrensgateway.mappers.build.Fhir.GW + "/CodeSystem/recording-organisation";

    @Override
    public String name() {
        return "centre-health";
    }

    @Override
    public Schema schema() {
        return new Schema().optional("childRef", TEXT).mandatory("childForename", NAMES).mandatory("childSurname", TEXT)
                .mandatory("childDob", DATE).mandatory("itemDate", DATE).optional("fromOrganisation", TEXT)
                .mandatory("itemName", TEXT).optional("value", TEXT).optional("unit", TEXT).mandatory("sharedUnder", TEXT);
    }

    @Override
    public void build(RecordContext ctx, BuildOutput out) {
        throw new UnsupportedOperationException("health summaries are outbound only");
    }

    @Override
    public List<OutRow> extract(OutboundRecord record, OutContext ctx) {
        List<OutRow> rows = new ArrayList<>();
        Patient child = record.ofType(Patient.class).stream().findFirst().orElse(null);
        if (child == null) {
            return rows;
        }
        HumanName name = Resources.findName(child.getName(), HumanName.NameUse.OFFICIAL);
        for (Observation o : record.ofType(Observation.class)) {
            OutRow r = new OutRow().put("childRef", record.receiverChildId())
                    .put("childDob", child.hasBirthDate() ? child.getBirthDateElement() : null)
                    .put("itemDate", o.hasEffectiveDateTimeType() ? new org.hl7.fhir.r4.model.DateType(
                            o.getEffectiveDateTimeType().getValueAsString().substring(0, 10)) : null)
                    .put("fromOrganisation", o.getMeta().getTag().stream().filter(t -> RECORDED_BY.equals(t.getSystem()))
                            .map(Coding::getCode).findFirst().orElse(null))
                    .put("itemName", displayOf(o.getCode()))
                    .put("sharedUnder", "CONSENT");
            if (name != null) {
                r.put("childForename", Resources.given(name)).put("childSurname", name.getFamily());
            }
            if (o.hasValueQuantity()) {
                r.put("value", o.getValueQuantity().getValue().toPlainString()).put("unit", o.getValueQuantity().getUnit());
            } else if (o.hasValueCodeableConcept()) {
                r.put("value", displayOf(o.getValueCodeableConcept()));
            } else if (o.hasValueStringType()) {
                r.put("value", o.getValueStringType().getValue());
            } else if (o.hasValueBooleanType()) {
                r.put("value", o.getValueBooleanType().getValue() ? "Yes" : "No");
            }
            rows.add(r);
        }
        return rows;
    }

    private static String displayOf(CodeableConcept concept) {
        if (concept.hasText()) {
            return concept.getText();
        }
        return concept.getCoding().stream().filter(Coding::hasDisplay).map(Coding::getDisplay).findFirst()
                .orElse(concept.getCodingFirstRep().getCode());
    }
}
