package org.childrensgateway.mappers.rio;

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
import org.childrensgateway.mappers.build.RecordMapper;
import org.childrensgateway.mappers.build.Refs;
import org.childrensgateway.mappers.build.Resources;
import org.childrensgateway.mappers.build.Schema;
import org.childrensgateway.mappers.config.FieldSpec;
import org.childrensgateway.mappers.transform.NhsNumber;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Provenance;

/** A person row (RiO clients.csv) to a Patient and back. */
public final class RioClientLayout implements Layout {

    /** The tag the sharing rules read (consent's ChildFacts): never notify a recently bereaved family of a birth. */
    public static final String FAMILY_CIRCUMSTANCE = "https://fhir.childrens-gateway.uk/CodeSystem/family-circumstance";
    public static final String ETHNIC_EXT = "https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-EthnicCategory";

    @Override
    public String name() {
        return "rio-clients";
    }

    @Override
    public Schema schema() {
        return new Schema().mandatory("clientId", TEXT).optional("nhsNumber", NHS_NUMBER).optional("nhsNumberStatus", CODE)
                .mandatory("surname", TEXT).mandatory("forenames", NAMES).optional("preferredName", TEXT)
                .mandatory("birthDate", DATE).optional("gender", CODE).optional("addressLines", LIST)
                .optional("postcode", POSTCODE).optional("gpPractice", TEXT).optional("ethnicCategory", CODE)
                .optional("deathDate", DATE).optional("lastUpdated", DATETIME)
                // Not in the reference layout: a site whose trust records a recent neonatal death or stillbirth
                // in the family maps its column here, so no "new baby" letter reaches that family.
                .optional("familyBereaved", BOOLEAN);
    }

    @Override
    public void build(RecordContext ctx, BuildOutput out) {
        String id = ctx.text("clientId");
        out.sourceId(id);
        String system = ctx.system("client");
        Patient p = new Patient();
        p.addIdentifier().setSystem(system).setValue(id);
        String nhs = ctx.text("nhsNumber");
        if (nhs != null) {
            p.addIdentifier(Fhir.nhsNumber(nhs, ctx.coding("nhsNumberStatus")));
        }
        p.addName(Resources.officialName(ctx.list("forenames"), ctx.text("surname")));
        if (ctx.present("preferredName")) {
            p.addName(new HumanName().setUse(HumanName.NameUse.USUAL).addGiven(ctx.text("preferredName")));
        }
        p.setBirthDateElement(ctx.date("birthDate"));
        Coding g = ctx.coding("gender");
        if (g != null) {
            p.setGender(AdministrativeGender.fromCode(g.getCode()));
        }
        var address = Resources.address(ctx.list("addressLines"), null, ctx.text("postcode"));
        if (address != null) {
            p.addAddress(address);
        }
        if (ctx.present("gpPractice")) {
            p.addGeneralPractitioner(Refs.logical("Organization", Fhir.ODS, ctx.text("gpPractice"), null));
        }
        Coding ethnic = ctx.coding("ethnicCategory");
        if (ethnic != null) {
            p.addExtension(new Extension(ETHNIC_EXT, new CodeableConcept(ethnic)));
        }
        DateType death = ctx.date("deathDate");
        if (death != null) {
            p.setDeceased(new DateTimeType(death.getValueAsString()));
        }
        if (Boolean.TRUE.equals(ctx.bool("familyBereaved"))) {
            p.getMeta().addTag(FAMILY_CIRCUMSTANCE, "bereaved", "Family recently bereaved (neonatal death or stillbirth)");
        }
        out.lastUpdated(RecordMapper.instant(ctx.dateTime("lastUpdated")));
        if (id != null) {
            out.put(p, system, id);
        }
    }

    @Override
    public List<OutRow> extract(OutboundRecord record, OutContext ctx) {
        List<OutRow> rows = new ArrayList<>();
        for (Patient p : record.ofType(Patient.class)) {
            OutRow r = new OutRow().put("clientId", record.receiverChildId());
            for (Identifier i : p.getIdentifier()) {
                if (NhsNumber.SYSTEM.equals(i.getSystem())) {
                    r.put("nhsNumber", i.getValue());
                    Extension st = i.getExtensionByUrl(Fhir.NHS_STATUS_EXT);
                    if (st != null) {
                        r.put("nhsNumberStatus", ((CodeableConcept) st.getValue()).getCodingFirstRep());
                    }
                }
            }
            HumanName official = Resources.findName(p.getName(), HumanName.NameUse.OFFICIAL);
            if (official != null) {
                r.put("surname", official.getFamily()).put("forenames", Resources.given(official));
            }
            HumanName usual = Resources.findName(p.getName(), HumanName.NameUse.USUAL);
            if (usual != null) {
                r.put("preferredName", usual.getGivenAsSingleString());
            }
            r.put("birthDate", p.getBirthDateElement().isEmpty() ? null : p.getBirthDateElement());
            if (p.hasGender()) {
                r.put("gender", new Coding(spec(ctx, "gender"), p.getGender().toCode(), null));
            }
            if (p.hasAddress()) {
                r.put("addressLines", Resources.lines(p.getAddressFirstRep())).put("postcode", p.getAddressFirstRep().getPostalCode());
            }
            if (p.hasGeneralPractitioner()) {
                r.put("gpPractice", p.getGeneralPractitionerFirstRep().getIdentifier().getValue());
            }
            Extension ethnic = p.getExtensionByUrl(ETHNIC_EXT);
            if (ethnic != null) {
                r.put("ethnicCategory", ((CodeableConcept) ethnic.getValue()).getCodingFirstRep());
            }
            if (p.hasDeceasedDateTimeType()) {
                r.put("deathDate", new DateType(p.getDeceasedDateTimeType().getValueAsString().substring(0, 10)));
            }
            record.ofType(Provenance.class).stream().filter(Provenance::hasOccurredDateTimeType).findFirst()
                    .ifPresent(pr -> r.put("lastUpdated", pr.getOccurredDateTimeType()));
            rows.add(r);
        }
        return rows;
    }

    private static String spec(OutContext ctx, String field) {
        FieldSpec f = ctx.spec(field);
        return f == null ? null : f.system;
    }
}
