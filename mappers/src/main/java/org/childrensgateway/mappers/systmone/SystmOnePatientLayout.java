package org.childrensgateway.mappers.systmone;

import static org.childrensgateway.mappers.build.Kind.*;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.childrensgateway.mappers.Issue;
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
import org.childrensgateway.mappers.build.VitalSigns;
import org.childrensgateway.mappers.config.FieldSpec;
import org.childrensgateway.mappers.config.GroupSpec;
import org.childrensgateway.mappers.transform.NhsNumber;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.RelatedPerson;

/**
 * One SystmOne Patient element to Patient, RelatedPerson (carers), Observation (events), Consent and
 * CarePlan, and back. Absent elements leave stored data unchanged, so resources are only produced
 * for what is present; a Patient element with no demographic element gives an identity-only
 * Patient (conditional create, tagged {@code identity-only}) that never overwrites a stored one.
 */
public final class SystmOnePatientLayout implements Layout {

    private static final List<String> DEMOGRAPHICS = List.of("forenames", "surname", "birthDate", "sex", "addressLines", "postcode", "practice");

    @Override
    public String name() {
        return "systmone-patient";
    }

    @Override
    public Schema schema() {
        Schema activity = new Schema().optional("status", CODE).optional("date", DATE).optional("text", TEXT);
        return new Schema().mandatory("patientId", TEXT).optional("nhsNumber", NHS_NUMBER).optional("nhsVerified", CODE)
                .optional("forenames", NAMES).optional("surname", TEXT).optional("birthDate", DATE).optional("sex", CODE)
                .optional("addressLines", LIST).optional("postcode", POSTCODE).optional("practice", TEXT)
                .group("carers", new Schema().mandatory("id", TEXT).optional("relationship", CODE)
                        .optional("parentalResponsibility", BOOLEAN).optional("forenames", NAMES).optional("surname", TEXT)
                        .optional("telephone", TEXT))
                .group("events", new Schema().mandatory("id", TEXT).mandatory("date", DATETIME).optional("author", TEXT)
                        .mandatory("scheme", TEXT).mandatory("code", TEXT).mandatory("localCode", CODE).optional("display", TEXT)
                        .optional("value", NUMBER).optional("unit", CODE))
                .group("consents", new Schema().mandatory("id", TEXT).optional("date", DATE).mandatory("type", CODE)
                        .mandatory("status", CODE).optional("givenBy", TEXT).optional("expires", DATE).optional("recordedBy", TEXT))
                .group("carePlans", new Schema().mandatory("id", TEXT).optional("status", CODE).optional("start", DATE)
                        .optional("end", DATE).optional("title", TEXT).optional("goals", LIST)
                        .group("activities", activity));
    }

    @Override
    public void build(RecordContext ctx, BuildOutput out) {
        String id = ctx.text("patientId");
        out.sourceId(id);
        String patientSystem = ctx.system("patient");
        Patient p = new Patient();
        p.addIdentifier().setSystem(patientSystem).setValue(id);
        String nhs = ctx.text("nhsNumber");
        if (nhs != null) {
            p.addIdentifier(Fhir.nhsNumber(nhs, ctx.coding("nhsVerified")));
        }
        long present = DEMOGRAPHICS.stream().filter(ctx::elementPresent).count();
        if (ctx.elementPresent("forenames") || ctx.elementPresent("surname")) {
            p.addName(Resources.officialName(ctx.list("forenames"), ctx.text("surname")));
        }
        p.setBirthDateElement(ctx.date("birthDate"));
        Coding sex = ctx.coding("sex");
        if (sex != null) {
            p.setGender(AdministrativeGender.fromCode(sex.getCode()));
        }
        var address = Resources.address(ctx.list("addressLines"), null, ctx.text("postcode"));
        if (address != null) {
            p.addAddress(address);
        }
        if (ctx.present("practice")) {
            p.addGeneralPractitioner(Refs.logical("Organization", Fhir.ODS, ctx.text("practice"), null));
        }
        String patientUrl;
        if (id == null) {
            return;
        }
        if (present == 0) {
            Fhir.tag(p, Fhir.IDENTITY_ONLY);
            patientUrl = out.createIfAbsent(p, patientSystem, id);
        } else {
            if (present < DEMOGRAPHICS.size()) {
                Fhir.tag(p, Fhir.PARTIAL);
                ctx.issues().add(Issue.warning(Issue.PARTIAL_UPDATE, "Patient",
                        "some demographic elements are absent; the server must merge, not replace, the stored Patient"));
            }
            patientUrl = out.put(p, patientSystem, id);
        }
        Reference subject = Refs.local(patientUrl, "Patient", patientSystem, id);
        Map<String, String> carerUrls = carers(ctx, out, subject);
        events(ctx, out, subject);
        consents(ctx, out, subject, carerUrls);
        carePlans(ctx, out, subject);
    }

    private Map<String, String> carers(RecordContext ctx, BuildOutput out, Reference subject) {
        Map<String, String> urls = new HashMap<>();
        String system = ctx.system("carer");
        for (RecordContext c : ctx.group("carers")) {
            String id = c.text("id");
            RelatedPerson rp = new RelatedPerson().setPatient(subject.copy());
            rp.addIdentifier().setSystem(system).setValue(id);
            Coding rel = c.coding("relationship");
            if (rel != null) {
                rp.addRelationship(new CodeableConcept(rel));
            }
            Boolean pr = c.bool("parentalResponsibility");
            if (pr != null) {
                rp.addExtension(Fhir.parentalResponsibility(pr));
            }
            if (c.present("forenames") || c.present("surname")) {
                rp.addName(Resources.officialName(c.list("forenames"), c.text("surname")));
            }
            if (c.present("telephone")) {
                rp.addTelecom().setSystem(ContactPoint.ContactPointSystem.PHONE).setValue(c.text("telephone"));
            }
            if (id != null) {
                urls.put(id, out.put(rp, system, id));
            }
        }
        return urls;
    }

    private void events(RecordContext ctx, BuildOutput out, Reference subject) {
        String system = ctx.system("event");
        for (RecordContext e : ctx.group("events")) {
            int issuesBefore = ctx.issues().size();
            String id = e.text("id");
            Observation o = new Observation().setStatus(Observation.ObservationStatus.FINAL);
            o.addIdentifier().setSystem(system).setValue(id);
            String scheme = e.text("scheme");
            if ("SNOMED".equals(scheme)) {
                o.getCode().addCoding(new Coding(Fhir.SNOMED, e.text("code"), e.text("display")));
            } else if ("LOCAL".equals(scheme)) {
                Coding c = e.coding("localCode");
                if (c != null) {
                    o.getCode().addCoding(c);
                    e.translator().sourceCoding(e.spec("localCode").conceptMap, e.text("code"))
                            .ifPresent(src -> o.getCode().addCoding(src.setDisplay(e.text("display"))));
                    // A finding code ("communication: expected") carries the value itself.
                    e.translator().product(e.spec("localCode").conceptMap, e.text("code")).ifPresent(o::setValue);
                }
            } else {
                ctx.issues().add(Issue.error(Issue.UNMAPPED_CODE, "Event/Code/@scheme", "code scheme '" + scheme + "' is not SNOMED or LOCAL"));
            }
            o.setSubject(subject.copy());
            o.setEffective(e.dateTime("date"));
            if (e.present("author")) {
                o.addPerformer(new Reference().setDisplay(e.text("author")));
            }
            BigDecimal v = e.number("value");
            if (v != null) {
                Quantity q = new Quantity().setValue(v);
                if (e.present("unit")) {
                    q.setUnit(e.rawText("unit"));
                    Coding unit = e.coding("unit");
                    if (unit != null) {
                        q.setSystem(unit.getSystem()).setCode(unit.getCode());
                    }
                }
                o.setValue(q);
            }
            VitalSigns.complete(o);
            // An event that cannot be mapped (an unmapped code) is quarantined by itself: the patient's
            // identity, consents and other events are stored (a withdrawal is never lost to an event's code).
            List<Issue> own = new java.util.ArrayList<>(ctx.issues().subList(issuesBefore, ctx.issues().size()));
            if (id != null && own.stream().anyMatch(Issue::isError)) {
                ctx.issues().subList(issuesBefore, ctx.issues().size()).clear();
                ctx.issues().addAll(own.stream().filter(i -> !i.isError()).toList());
                out.quarantinePart("Event[@id='" + id + "']", own.stream().filter(Issue::isError).map(Issue::toString)
                        .collect(java.util.stream.Collectors.joining("; ")));
                continue;
            }
            if (id != null) {
                out.put(o, system, id);
            }
        }
    }

    private void consents(RecordContext ctx, BuildOutput out, Reference subject, Map<String, String> carerUrls) {
        String system = ctx.system("consent");
        for (RecordContext c : ctx.group("consents")) {
            String id = c.text("id");
            Coding decision = c.coding("status");
            Coding scope = c.coding("type");
            DateType date = c.date("date");
            String givenBy = c.text("givenBy");
            Reference grantor = null;
            if (givenBy != null) {
                grantor = carerUrls.containsKey(givenBy) ? Refs.local(carerUrls.get(givenBy), "RelatedPerson", ctx.system("carer"), givenBy)
                        : Refs.conditional("RelatedPerson", ctx.system("carer"), givenBy);
            }
            Consent consent = Resources.consent(decision == null ? null : decision.getCode(),
                    date == null ? null : new DateTimeType(date.getValueAsString()), c.date("expires"), null,
                    scope == null ? List.of() : List.of(scope), subject.copy(), grantor,
                    Refs.logical("Organization", Fhir.ODS, ctx.organisation(), null));
            consent.addIdentifier().setSystem(system).setValue(id);
            if (c.present("recordedBy")) {
                consent.addExtension(Fhir.recordedBy(c.text("recordedBy")));
            }
            if (id != null && decision != null) {
                out.put(consent, system, id);
            }
        }
    }

    private void carePlans(RecordContext ctx, BuildOutput out, Reference subject) {
        String system = ctx.system("careplan");
        for (RecordContext c : ctx.group("carePlans")) {
            String id = c.text("id");
            CarePlan plan = new CarePlan().setIntent(CarePlan.CarePlanIntent.PLAN);
            plan.addIdentifier().setSystem(system).setValue(id);
            Coding status = c.coding("status");
            if (status != null) {
                plan.setStatus(CarePlan.CarePlanStatus.fromCode(status.getCode()));
            }
            plan.setTitle(c.text("title"));
            plan.setSubject(subject.copy());
            if (c.date("start") != null) {
                plan.getPeriod().setStartElement(new DateTimeType(c.date("start").getValueAsString()));
            }
            if (c.date("end") != null) {
                plan.getPeriod().setEndElement(new DateTimeType(c.date("end").getValueAsString()));
            }
            CarePlans.addGoals(plan, c.list("goals"), subject);
            for (RecordContext a : c.group("activities")) {
                CarePlan.CarePlanActivityDetailComponent d = plan.addActivity().getDetail();
                Coding st = a.coding("status");
                d.setStatus(st == null ? CarePlan.CarePlanActivityStatus.UNKNOWN : CarePlan.CarePlanActivityStatus.fromCode(st.getCode()));
                d.setDescription(a.text("text"));
                if (a.date("date") != null) {
                    d.setScheduled(new org.hl7.fhir.r4.model.Period().setStartElement(new DateTimeType(a.date("date").getValueAsString())));
                }
            }
            if (id != null) {
                out.put(plan, system, id);
            }
        }
    }

    // ---------------- outbound ----------------

    @Override
    public List<OutRow> extract(OutboundRecord record, OutContext ctx) {
        OutRow row = new OutRow().put("patientId", record.receiverChildId());
        for (Patient p : record.ofType(Patient.class)) {
            boolean identityOnly = p.getMeta().getTag().stream().anyMatch(t -> Fhir.IDENTITY_ONLY.equals(t.getCode()));
            for (Identifier i : p.getIdentifier()) {
                if (NhsNumber.SYSTEM.equals(i.getSystem())) {
                    row.put("nhsNumber", i.getValue());
                    Extension st = i.getExtensionByUrl(Fhir.NHS_STATUS_EXT);
                    if (st != null) {
                        row.put("nhsVerified", ((CodeableConcept) st.getValue()).getCodingFirstRep());
                    }
                }
            }
            if (identityOnly) {
                continue;
            }
            HumanName n = Resources.findName(p.getName(), HumanName.NameUse.OFFICIAL);
            if (n != null) {
                row.put("forenames", Resources.given(n)).put("surname", n.getFamily());
            }
            row.put("birthDate", p.hasBirthDate() ? p.getBirthDateElement() : null);
            if (p.hasGender()) {
                row.put("sex", new Coding(null, p.getGender().toCode(), null));
            }
            if (p.hasAddress()) {
                row.put("addressLines", Resources.lines(p.getAddressFirstRep())).put("postcode", p.getAddressFirstRep().getPostalCode());
            }
            if (p.hasGeneralPractitioner()) {
                row.put("practice", p.getGeneralPractitionerFirstRep().getIdentifier().getValue());
            }
        }
        for (RelatedPerson rp : record.ofType(RelatedPerson.class)) {
            OutRow c = new OutRow().put("id", Resources.identifierValue(rp.getIdentifier(), "carer"));
            if (rp.hasRelationship()) {
                c.put("relationship", rp.getRelationshipFirstRep().getCodingFirstRep());
            }
            Extension pr = rp.getExtensionByUrl(Fhir.PARENTAL_RESPONSIBILITY_EXT);
            if (pr != null) {
                c.put("parentalResponsibility", ((BooleanType) pr.getValue()).getValue());
            }
            HumanName n = Resources.findName(rp.getName(), HumanName.NameUse.OFFICIAL);
            if (n != null) {
                c.put("forenames", Resources.given(n)).put("surname", n.getFamily());
            }
            rp.getTelecom().stream().filter(t -> t.getSystem() == ContactPoint.ContactPointSystem.PHONE).findFirst()
                    .ifPresent(t -> c.put("telephone", t.getValue()));
            row.addChild("carers", c);
        }
        GroupSpec events = ctx.mapping().groups.get("events");
        for (Observation o : record.ofType(Observation.class)) {
            OutRow e = new OutRow().put("id", Resources.identifierValue(o.getIdentifier(), "event"))
                    .put("date", o.hasEffectiveDateTimeType() ? o.getEffectiveDateTimeType() : null);
            Optional<Coding> sct = OutContext.coding(o.getCode(), Fhir.SNOMED);
            boolean valueInCode = false;
            if (sct.isPresent()) {
                e.put("scheme", "SNOMED").put("code", sct.get().getCode()).put("display", sct.get().getDisplay());
            } else {
                FieldSpec local = events == null ? null : events.fields.get("localCode");
                Optional<String> code = local == null ? Optional.empty()
                        : ctx.translator().reverse(local.conceptMap, o.getCode().getCoding(), o.hasValue() ? o.getValue() : null);
                if (code.isEmpty()) {
                    ctx.issues().add(Issue.warning(Issue.NOT_WRITTEN, "Event/Code", "Observation code is not SNOMED and has no LOCAL reverse translation; not written"));
                    continue;
                }
                valueInCode = ctx.translator().product(local.conceptMap, code.get()).isPresent();
                String display = valueInCode
                        ? ctx.translator().sourceCoding(local.conceptMap, code.get()).map(Coding::getDisplay).orElse(null)
                        : o.getCode().getCoding().stream().filter(Coding::hasDisplay).reduce((a, b) -> b).map(Coding::getDisplay).orElse(null);
                e.put("scheme", "LOCAL").put("code", code.get()).put("display", display);
            }
            if (!o.getPerformer().isEmpty()) {
                e.put("author", o.getPerformerFirstRep().getDisplay());
            }
            if (o.hasValueQuantity()) {
                Quantity q = o.getValueQuantity();
                e.put("value", q.getValue());
                e.put("unit", q.hasCode() ? new Coding(q.getSystem(), q.getCode(), null) : null);
                if (!q.hasCode() && q.hasUnit()) {
                    e.put("unit", q.getUnit());
                }
            } else if (o.hasValue() && !valueInCode) {
                ctx.issues().add(Issue.warning(Issue.NOT_WRITTEN, "Event/Value", "only numeric values can be written to SystmOne; value omitted"));
            }
            row.addChild("events", e);
        }
        GroupSpec consentGroup = ctx.mapping().groups.get("consents");
        FieldSpec typeSpec = consentGroup == null ? null : consentGroup.fields.get("type");
        for (Consent c : record.ofType(Consent.class)) {
            OutRow r = new OutRow().put("id", Resources.identifierValue(c.getIdentifier(), "consent"))
                    .put("status", new Coding(null, Resources.decision(c), null));
            if (c.hasDateTime()) {
                r.put("date", new DateType(c.getDateTimeElement().getValueAsString().substring(0, 10)));
            }
            // SystmOne's consent type is required: the first recipient scope it has a type for (HV has none).
            Optional<Coding> scope = Resources.scopes(c).stream()
                    .filter(sc -> typeSpec == null || ctx.translator().reverse(typeSpec.conceptMap, List.of(sc)).isPresent()).findFirst();
            if (scope.isEmpty()) {
                ctx.issues().add(Issue.warning(Issue.NOT_WRITTEN, "ConsentRecords/Consent/@type",
                        "the consent names no recipient SystmOne has a consent type for; not written"));
                continue;
            }
            r.put("type", scope.get());
            if (c.hasPerformer()) {
                r.put("givenBy", c.getPerformerFirstRep().getIdentifier().getValue());
            }
            if (c.getStatus() != Consent.ConsentState.INACTIVE && c.getProvision().getPeriod().hasEnd()) {
                r.put("expires", new DateType(c.getProvision().getPeriod().getEndElement().getValueAsString().substring(0, 10)));
            }
            r.put("recordedBy", Fhir.extensionString(c.getExtension(), Fhir.RECORDED_BY_EXT));
            row.addChild("consents", r);
        }
        for (CarePlan p : record.ofType(CarePlan.class)) {
            OutRow r = new OutRow().put("id", Resources.identifierValue(p.getIdentifier(), "careplan"))
                    .put("status", p.hasStatus() ? new Coding(null, p.getStatus().toCode(), null) : null)
                    .put("title", p.getTitle());
            if (p.getPeriod().hasStart()) {
                r.put("start", new DateType(p.getPeriod().getStartElement().getValueAsString().substring(0, 10)));
            }
            if (p.getPeriod().hasEnd()) {
                r.put("end", new DateType(p.getPeriod().getEndElement().getValueAsString().substring(0, 10)));
            }
            List<String> goals = CarePlans.goalTexts(p);
            r.put("goals", goals.isEmpty() ? null : goals);
            for (CarePlan.CarePlanActivityComponent a : p.getActivity()) {
                var d = a.getDetail();
                OutRow act = new OutRow().put("status", d.hasStatus() ? new Coding(null, d.getStatus().toCode(), null) : null)
                        .put("text", d.getDescription());
                if (d.hasScheduledPeriod() && d.getScheduledPeriod().hasStart()) {
                    act.put("date", new DateType(d.getScheduledPeriod().getStartElement().getValueAsString().substring(0, 10)));
                }
                r.addChild("activities", act);
            }
            row.addChild("carePlans", r);
        }
        return List.of(row);
    }
}
