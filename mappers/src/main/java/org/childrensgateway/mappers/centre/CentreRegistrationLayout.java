package org.childrensgateway.mappers.centre;

import static org.childrensgateway.mappers.build.Kind.*;

import java.util.ArrayList;
import java.util.List;

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
import org.childrensgateway.mappers.transform.NhsNumber;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.EpisodeOfCare;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.RelatedPerson;

/**
 * A registration row to Patient (child), RelatedPerson (registering carer, identified as
 * {@code <FamilyRef>/carer1}), EpisodeOfCare (the registration with the centre) and, when the
 * carer was asked, a Consent to share with health partners.
 */
public final class CentreRegistrationLayout implements Layout {

    /** How a consent names a local recipient organisation (the gateway's consent rule reads this system). */
    static final String ORGANISATION_SYSTEM = org.childrensgateway.mappers.build.Fhir.GW + "/Id/organisation";

    public static final String REGISTRATION_TYPE = Fhir.GW + "/CodeSystem/episode-type";

    @Override
    public String name() {
        return "centre-registrations";
    }

    @Override
    public Schema schema() {
        return new Schema().mandatory("centreCode", TEXT).mandatory("familyRef", TEXT).mandatory("childRef", TEXT)
                .mandatory("childForename", NAMES).mandatory("childSurname", TEXT).mandatory("childDob", DATE)
                .optional("childGender", CODE).optional("childNhsNumber", NHS_NUMBER)
                .optional("carerForename", NAMES).optional("carerSurname", TEXT).optional("carerRelationship", CODE)
                .optional("carerPhone", TEXT).optional("carerEmail", TEXT).optional("addressLines", LIST)
                .optional("town", TEXT).optional("postcode", POSTCODE).optional("registrationDate", DATE)
                .optional("consentShareHealth", BOOLEAN).optional("consentScope", CODES).optional("consentDate", DATE)
                .optional("consentReviewDue", DATE).optional("consentWithdrawn", DATE);
    }

    @Override
    public void build(RecordContext ctx, BuildOutput out) {
        String childRef = ctx.text("childRef");
        String familyRef = ctx.text("familyRef");
        out.sourceId(childRef);
        if (childRef == null || familyRef == null) {
            return;
        }
        String childSystem = ctx.system("child");
        Patient p = new Patient();
        p.addIdentifier().setSystem(childSystem).setValue(childRef);
        String nhs = ctx.text("childNhsNumber");
        if (nhs != null) {
            p.addIdentifier(Fhir.nhsNumber(nhs, null)); // the centre cannot say how the number was verified
        }
        p.addName(Resources.officialName(ctx.list("childForename"), ctx.text("childSurname")));
        p.setBirthDateElement(ctx.date("childDob"));
        Coding g = ctx.coding("childGender");
        if (g != null) {
            p.setGender(AdministrativeGender.fromCode(g.getCode()));
        }
        var address = Resources.address(ctx.list("addressLines"), ctx.text("town"), ctx.text("postcode"));
        if (address != null) {
            p.addAddress(address);
        }
        String patientUrl = out.put(p, childSystem, childRef);
        Reference subject = Refs.local(patientUrl, "Patient", childSystem, childRef);
        Reference centre = Refs.logical("Organization", ctx.system("centre"), ctx.text("centreCode"), null);

        Reference carer = null;
        if (ctx.present("carerForename") || ctx.present("carerSurname")) {
            String carerSystem = ctx.system("carer");
            String carerId = familyRef + "/carer1";
            RelatedPerson rp = new RelatedPerson().setPatient(subject.copy());
            rp.addIdentifier().setSystem(carerSystem).setValue(carerId);
            rp.addName(Resources.officialName(ctx.list("carerForename"), ctx.text("carerSurname")));
            Coding rel = ctx.coding("carerRelationship");
            if (rel != null) {
                rp.addRelationship(new CodeableConcept(rel));
            }
            if (ctx.present("carerPhone")) {
                rp.addTelecom().setSystem(ContactPoint.ContactPointSystem.PHONE).setValue(ctx.text("carerPhone"));
            }
            if (ctx.present("carerEmail")) {
                rp.addTelecom().setSystem(ContactPoint.ContactPointSystem.EMAIL).setValue(ctx.text("carerEmail"));
            }
            if (address != null) {
                rp.addAddress(address.copy());
            }
            carer = Refs.local(out.put(rp, carerSystem, carerId), "RelatedPerson", carerSystem, carerId);
        }

        EpisodeOfCare reg = new EpisodeOfCare().setStatus(EpisodeOfCare.EpisodeOfCareStatus.ACTIVE);
        String regSystem = ctx.system("registration");
        reg.addIdentifier().setSystem(regSystem).setValue(childRef);
        reg.addType(new CodeableConcept(new Coding(REGISTRATION_TYPE, "childrens-centre-registration", "Children's centre registration")));
        reg.setPatient(subject.copy()).setManagingOrganization(centre.copy());
        reg.addIdentifier().setSystem(ctx.system("family")).setValue(familyRef);
        DateType regDate = ctx.date("registrationDate");
        if (regDate != null) {
            reg.getPeriod().setStartElement(new DateTimeType(regDate.getValueAsString()));
        }
        out.put(reg, regSystem, childRef);

        Boolean share = ctx.bool("consentShareHealth");
        if (share != null) {
            DateType decided = ctx.date("consentDate");
            Consent c = Resources.consent(share ? "granted" : "refused",
                    decided == null ? null : new DateTimeType(decided.getValueAsString()), ctx.date("consentReviewDue"),
                    ctx.date("consentWithdrawn"), ctx.codings("consentScope"), subject.copy(), carer, centre.copy());
            // The local team members of each kind of team named, when the site's feed configures them for
            // every kind the consent names (a consent naming organisations covers only those).
            List<Coding> named = ctx.codings("consentScope");
            boolean allConfigured = !named.isEmpty() && named.stream().allMatch(sc -> ctx.mapping().consentRecipients.containsKey(sc.getCode()));
            for (Coding scope : allConfigured ? named : List.<Coding>of()) {
                for (String org : ctx.mapping().consentRecipients.getOrDefault(scope.getCode(), java.util.List.of())) {
                    c.getProvision().addActor().setRole(new org.hl7.fhir.r4.model.CodeableConcept(
                                    new Coding(Resources.CONSENT_ACTOR_ROLE, "IRCP", "information recipient")))
                            .setReference(new org.hl7.fhir.r4.model.Reference().setType("Organization")
                                    .setIdentifier(new org.hl7.fhir.r4.model.Identifier().setSystem(ORGANISATION_SYSTEM).setValue(org)));
                }
            }
            String consentSystem = ctx.system("consent");
            c.addIdentifier().setSystem(consentSystem).setValue(childRef + "/share-health");
            out.put(c, consentSystem, childRef + "/share-health");
        }
    }

    @Override
    public List<OutRow> extract(OutboundRecord record, OutContext ctx) {
        List<OutRow> rows = new ArrayList<>();
        for (Patient p : record.ofType(Patient.class)) {
            OutRow r = new OutRow().put("childRef", record.receiverChildId());
            p.getIdentifier().stream().filter(i -> NhsNumber.SYSTEM.equals(i.getSystem())).findFirst()
                    .ifPresent(i -> r.put("childNhsNumber", i.getValue()));
            HumanName n = Resources.findName(p.getName(), HumanName.NameUse.OFFICIAL);
            if (n != null) {
                r.put("childForename", Resources.given(n)).put("childSurname", n.getFamily());
            }
            r.put("childDob", p.hasBirthDate() ? p.getBirthDateElement() : null);
            if (p.hasGender()) {
                r.put("childGender", new Coding(null, p.getGender().toCode(), null));
            }
            if (p.hasAddress()) {
                r.put("addressLines", Resources.lines(p.getAddressFirstRep())).put("town", p.getAddressFirstRep().getCity())
                        .put("postcode", p.getAddressFirstRep().getPostalCode());
            }
            for (RelatedPerson rp : record.ofType(RelatedPerson.class)) {
                HumanName cn = Resources.findName(rp.getName(), HumanName.NameUse.OFFICIAL);
                if (cn != null) {
                    r.put("carerForename", Resources.given(cn)).put("carerSurname", cn.getFamily());
                }
                if (rp.hasRelationship()) {
                    r.put("carerRelationship", rp.getRelationshipFirstRep().getCodingFirstRep());
                }
                for (ContactPoint t : rp.getTelecom()) {
                    r.put(t.getSystem() == ContactPoint.ContactPointSystem.EMAIL ? "carerEmail" : "carerPhone", t.getValue());
                }
                break; // the layout has one carer
            }
            for (EpisodeOfCare e : record.ofType(EpisodeOfCare.class)) {
                r.put("centreCode", e.getManagingOrganization().getIdentifier().getValue());
                for (Identifier i : e.getIdentifier()) {
                    if (i.getSystem().endsWith("/family")) {
                        r.put("familyRef", i.getValue());
                    }
                }
                if (e.getPeriod().hasStart()) {
                    r.put("registrationDate", new DateType(e.getPeriod().getStartElement().getValueAsString().substring(0, 10)));
                }
            }
            for (Consent c : record.ofType(Consent.class)) {
                r.put("consentShareHealth", c.getProvision().getType() != Consent.ConsentProvisionType.DENY);
                List<Coding> scopes = Resources.scopes(c);
                r.put("consentScope", scopes.isEmpty() ? null : scopes);
                if (c.hasDateTime()) {
                    r.put("consentDate", new DateType(c.getDateTimeElement().getValueAsString().substring(0, 10)));
                }
                if (c.getProvision().getPeriod().hasEnd()) {
                    DateType end = new DateType(c.getProvision().getPeriod().getEndElement().getValueAsString().substring(0, 10));
                    r.put(c.getStatus() == Consent.ConsentState.INACTIVE ? "consentWithdrawn" : "consentReviewDue", end);
                }
                if (r.get("centreCode") == null && c.hasOrganization()) {
                    r.put("centreCode", c.getOrganizationFirstRep().getIdentifier().getValue());
                }
            }
            rows.add(r);
        }
        return rows;
    }
}
