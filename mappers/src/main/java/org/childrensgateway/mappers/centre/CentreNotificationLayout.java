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
import org.childrensgateway.mappers.build.Resources;
import org.childrensgateway.mappers.build.Schema;
import org.childrensgateway.mappers.transform.NhsNumber;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.RelatedPerson;

/**
 * Outbound only: a new-birth / new-family notification for a children's centre. Context values
 * {@code CentreCode}, {@code Reason} (BIRTH, MOVE-IN) and {@code SharedUnder} (LIVE-BIRTH-ISP,
 * CONSENT) come from the server. Under LIVE-BIRTH-ISP only name, date of birth and address are
 * lawful to share, so the NHS number is left blank whatever the resources hold.
 */
public final class CentreNotificationLayout implements Layout {

    public static final String LIVE_BIRTH_ISP = "LIVE-BIRTH-ISP";

    @Override
    public String name() {
        return "centre-notifications";
    }

    @Override
    public Schema schema() {
        return new Schema().mandatory("centreCode", TEXT).optional("childRef", TEXT).optional("nhsNumber", NHS_NUMBER)
                .mandatory("childForename", NAMES).mandatory("childSurname", TEXT).mandatory("childDob", DATE)
                .optional("carerForename", NAMES).optional("carerSurname", TEXT).optional("addressLines", LIST)
                .optional("town", TEXT).optional("postcode", POSTCODE).mandatory("reason", TEXT).mandatory("sharedUnder", TEXT);
    }

    @Override
    public void build(RecordContext ctx, BuildOutput out) {
        throw new UnsupportedOperationException("notifications are outbound only");
    }

    @Override
    public List<OutRow> extract(OutboundRecord record, OutContext ctx) {
        List<OutRow> rows = new ArrayList<>();
        String sharedUnder = record.context().get("SharedUnder");
        if (!LIVE_BIRTH_ISP.equals(sharedUnder) && !"CONSENT".equals(sharedUnder)) {
            ctx.issues().add(Issue.warning(Issue.NOT_WRITTEN, "SharedUnder", "SharedUnder must be LIVE-BIRTH-ISP or CONSENT; not written"));
            return rows;
        }
        for (Patient p : record.ofType(Patient.class)) {
            OutRow r = new OutRow().put("centreCode", record.context().get("CentreCode"))
                    .put("childRef", record.receiverChildId())
                    .put("reason", record.context().get("Reason"))
                    .put("sharedUnder", sharedUnder);
            if (!LIVE_BIRTH_ISP.equals(sharedUnder)) {
                p.getIdentifier().stream().filter(i -> NhsNumber.SYSTEM.equals(i.getSystem())).findFirst()
                        .ifPresent(i -> r.put("nhsNumber", i.getValue()));
            }
            HumanName n = Resources.findName(p.getName(), HumanName.NameUse.OFFICIAL);
            if (n != null) {
                r.put("childForename", Resources.given(n)).put("childSurname", n.getFamily());
            }
            r.put("childDob", p.hasBirthDate() ? p.getBirthDateElement() : null);
            if (p.hasAddress()) {
                r.put("addressLines", Resources.lines(p.getAddressFirstRep())).put("town", p.getAddressFirstRep().getCity())
                        .put("postcode", p.getAddressFirstRep().getPostalCode());
            }
            record.ofType(RelatedPerson.class).stream().findFirst().ifPresent(rp -> {
                HumanName cn = Resources.findName(rp.getName(), HumanName.NameUse.OFFICIAL);
                if (cn != null) {
                    r.put("carerForename", Resources.given(cn)).put("carerSurname", cn.getFamily());
                }
            });
            rows.add(r);
        }
        return rows;
    }
}
