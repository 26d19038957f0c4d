package org.childrensgateway.identity;

import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.annotation.OperationParam;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.childrensgateway.access.AccessGate;
import org.childrensgateway.access.GatedRepository;
import org.childrensgateway.fhir.FhirOperationProvider;
import org.childrensgateway.fhir.PageLoader;
import org.childrensgateway.fhir.StoredBundleProvider;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.EpisodeOfCare;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * {@code Patient/{id}/$everything} and {@code Patient/{id}/$services}. For a child record both cover
 * every linked source record; for a source record, that record alone (the source's truth).
 */
@Component
public class PatientIdentityOperations implements FhirOperationProvider {

    private static final Set<String> CONTACT_TYPES = Set.of("Observation", "CarePlan", "EpisodeOfCare");

    private final IdentityService identity;
    private final ChildDataQuery query;
    private final PageLoader pages;
    private final AccessGate gate;
    private final org.childrensgateway.consent.SharingPolicyProperties policy;

    PatientIdentityOperations(IdentityService identity, ChildDataQuery query, PageLoader pages, AccessGate gate,
                              org.childrensgateway.consent.SharingPolicyProperties policy) {
        this.gate = gate;
        this.policy = policy;
        this.identity = identity;
        this.query = query;
        this.pages = pages;
    }

    /** Everything from every linked source, paged like a search; {@code _type} and {@code _since} narrow it. */
    // A searchset (R4 bdl-1 allows a total only there): the paged results of a search by patient.
    @Operation(name = "$everything", type = Patient.class, idempotent = true, bundleType = ca.uhn.fhir.model.valueset.BundleTypeEnum.SEARCHSET)
    @Transactional(readOnly = true)
    public IBundleProvider everything(@IdParam IdType id,
                                      @OperationParam(name = "_since") InstantType since,
                                      @OperationParam(name = "_type", max = OperationParam.MAX_UNLIMITED) List<StringType> types) {
        List<String> patients = patientsOf(id.getIdPart());
        Set<String> typeFilter = new LinkedHashSet<>();
        if (types != null) {
            types.forEach(t -> {
                for (String part : t.getValue().split(",")) {
                    if (!part.isBlank()) {
                        typeFilter.add(part.trim());
                    }
                }
            });
        }
        Instant from = since == null || since.getValue() == null ? null : since.getValue().toInstant();
        // Only what the caller may see is listed or counted (the consent decision, as for any search).
        var permitted = gate.forRequest().permitted(query.keys(patients, typeFilter, from), null);
        return StoredBundleProvider.forSearch(pages, "Patient", permitted, List.of()).forResponse();
    }

    /**
     * Which organisations and teams are involved with the child: per organisation (and team where
     * the source names one), the number of contact days and the last contact date. Contacts are
     * observations, care plans and registrations; no codes, values or titles are returned.
     */
    @Operation(name = "$services", type = Patient.class, idempotent = true)
    @Transactional(readOnly = true)
    public Parameters services(@IdParam IdType id) {
        List<String> patients = patientsOf(id.getIdPart());
        GatedRepository repo = gate.forRequest();
        // Which source system each source Patient came from, as far as the caller may see it.
        Map<String, SourceSystem> sourceOf = new HashMap<>();
        for (IBaseResource r : repo.page(query.keys(patients, Set.of("Patient"), null), List.of(), Map.of())) {
            Patient p = (Patient) r;
            p.getIdentifier().stream().map(i -> SourceSystem.of(i.getSystem())).filter(java.util.Objects::nonNull)
                    .filter(ss -> !"child-record".equals(ss.feed())).findFirst().ifPresent(ss -> sourceOf.put(p.getIdElement().getIdPart(), ss));
        }
        // One entry per organisation (a centre is its own organisation here), its teams within it.
        Map<String, Service> services = new TreeMap<>();
        // Only contacts the caller may know of are counted (the page holds only what the gate released).
        for (IBaseResource r : repo.page(query.keys(patients, CONTACT_TYPES, null), List.of(), Map.of())) {
            String subject = subjectOf(r);
            SourceSystem source = subject == null ? null : sourceOf.get(subject);
            LocalDate date = contactDate(r);
            if (source == null || date == null) {
                continue;
            }
            // A count is still a disclosure of the contact: named with its child for the disclosure report.
            org.childrensgateway.audit.AuditTrail.current().ifPresent(a -> a.returned("Patient/" + subject, r.fhirType() + "/" + r.getIdElement().getIdPart()));
            Identifier org = organisationOf(r, source);
            Service service = services.computeIfAbsent(org.getValue(), k -> new Service(org, source.feed()));
            service.days.add(date);
            Identifier team = teamOf(r);
            if (team != null) {
                service.teams.putIfAbsent(team.getSystem() + "|" + team.getValue(), team);
            }
        }
        Parameters out = new Parameters();
        for (Service s : services.values()) {
            Parameters.ParametersParameterComponent p = out.addParameter().setName("service");
            p.addPart().setName("organisation").setValue(s.organisation);
            p.addPart().setName("name").setValue(new StringType(nameOf(s.organisation.getValue())));
            p.addPart().setName("serviceType").setValue(new StringType(SERVICE_TYPES.getOrDefault(s.feed, s.feed)));
            p.addPart().setName("source").setValue(new StringType(s.feed));
            s.teams.values().forEach(team -> p.addPart().setName("team").setValue(team));
            p.addPart().setName("contactCount").setValue(new IntegerType(s.days.size()));
            LocalDate last = s.days.stream().max(LocalDate::compareTo).orElseThrow();
            p.addPart().setName("lastContact").setValue(new DateType(last.toString()));
        }
        return out;
    }

    /** What each source system's service is, for a family or practitioner reading the summary. */
    private static final Map<String, String> SERVICE_TYPES = Map.of("rio", "health visiting", "systmone", "general practice",
            "childrens-centre", "children's centre");

    /** The organisation's (or centre's) name in the sharing policy, else its code. */
    private String nameOf(String code) {
        var centre = policy.centres().get(code);
        if (centre != null && centre.name() != null) {
            return centre.name();
        }
        var org = policy.organisations().get(code);
        return org != null && org.name() != null ? org.name() : code;
    }

    private static final class Service {
        final Identifier organisation;
        final String feed;
        final Map<String, Identifier> teams = new java.util.LinkedHashMap<>();
        final Set<LocalDate> days = new java.util.TreeSet<>();

        Service(Identifier organisation, String feed) {
            this.organisation = organisation;
            this.feed = feed;
        }
    }

    private List<String> patientsOf(String id) {
        // A child the caller may not see answers as one that does not exist.
        if (gate.forRequest().read("Patient", id).status() != GatedRepository.Lookup.Status.FOUND) {
            throw new ResourceNotFoundException(new IdType("Patient", id));
        }
        List<String> patients = new ArrayList<>();
        patients.add(id);
        List<String> sources = identity.sourceRecordsOf(id);
        patients.addAll(sources);
        if (!sources.isEmpty()) {
            org.childrensgateway.audit.AuditTrail.current().ifPresent(a -> a.followed("Patient/" + id, sources));
        }
        return patients;
    }

    private static String subjectOf(IBaseResource r) {
        Reference ref = null;
        if (r instanceof Observation o) {
            ref = o.getSubject();
        } else if (r instanceof CarePlan c) {
            ref = c.getSubject();
        } else if (r instanceof EpisodeOfCare e) {
            ref = e.getPatient();
        }
        return ref == null || !ref.hasReference() ? null : ref.getReferenceElement().getIdPart();
    }

    private static LocalDate contactDate(IBaseResource r) {
        Date d = null;
        if (r instanceof Observation o) {
            d = o.hasEffectiveDateTimeType() ? o.getEffectiveDateTimeType().getValue()
                    : o.hasEffectivePeriod() ? o.getEffectivePeriod().getStart() : null;
        } else if (r instanceof CarePlan c) {
            d = c.getPeriod().hasStart() ? c.getPeriod().getStart() : c.getCreated();
        } else if (r instanceof EpisodeOfCare e) {
            d = e.getPeriod().getStart();
        }
        return d == null ? null : d.toInstant().atZone(ZoneOffset.UTC).toLocalDate();
    }

    /** A performing or managing organisation the source names (a centre), else the source system's organisation. */
    private static Identifier organisationOf(IBaseResource r, SourceSystem source) {
        List<Reference> refs = r instanceof Observation o ? o.getPerformer()
                : r instanceof EpisodeOfCare e ? List.of(e.getManagingOrganization()) : List.of();
        for (Reference ref : refs) {
            if ("Organization".equals(ref.getType()) && ref.hasIdentifier()) {
                return new Identifier().setSystem(ref.getIdentifier().getSystem()).setValue(ref.getIdentifier().getValue());
            }
        }
        return new Identifier().setSystem("https://fhir.childrens-gateway.uk/Id/" + source.feed()).setValue(source.organisation());
    }

    private static Identifier teamOf(IBaseResource r) {
        List<Reference> refs = r instanceof Observation o ? o.getPerformer() : r instanceof CarePlan c ? c.getCareTeam() : List.of();
        for (Reference ref : refs) {
            if ("CareTeam".equals(ref.getType()) && ref.hasIdentifier()) {
                return new Identifier().setSystem(ref.getIdentifier().getSystem()).setValue(ref.getIdentifier().getValue());
            }
        }
        return null;
    }
}
