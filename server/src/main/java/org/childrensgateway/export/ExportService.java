package org.childrensgateway.export;

import java.io.Writer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.childrensgateway.fhir.FhirResourceService;
import org.childrensgateway.fhir.StoredBundleProvider;
import org.childrensgateway.mappers.FeedWriter;
import org.childrensgateway.mappers.MappingRegistry;
import org.childrensgateway.mappers.OutboundRecord;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.IdType;
import org.springframework.stereotype.Service;

/**
 * Writes what changed since a system's last pull in that system's own format. Data the receiving
 * system sent itself is not echoed back; each child is named by the receiver's own identifier when
 * the gateway knows it; and everything is read through the access gate (the same searches and reads
 * as the FHIR API, decided for the pulling system's caller), so nothing leaves that it may not see.
 */
@Service
public class ExportService {

    static final String ID_BASE = "https://fhir.childrens-gateway.uk/Id/";

    /** @param until the newest change included: the {@code since} to use for the next pull */
    public record Result(int records, int written, int withheld, Instant until, boolean more, List<String> issues) {
    }

    private final FhirResourceService fhir;
    private final MappingRegistry mappings;
    private final int maxPerPull;
    private final org.childrensgateway.identity.IdentityService identity;
    private final CentreNotifications notifications;

    public ExportService(FhirResourceService fhir, MappingRegistry mappings,
                         @org.springframework.beans.factory.annotation.Value("${gateway.export.max-per-pull:10000}") int maxPerPull,
                         org.childrensgateway.identity.IdentityService identity, CentreNotifications notifications) {
        this.notifications = notifications;
        this.identity = identity;
        this.fhir = fhir;
        this.mappings = mappings;
        this.maxPerPull = maxPerPull;
    }

    public Result export(ExportRequest request, Writer out) {
        if (CentreNotifications.FEED.equals(request.feed()) && CentreNotifications.FILE.equals(request.file())) {
            // One row per child and event, not per changed resource: its own rules (window, reach, record states).
            return notifications.export(request.since(), request.context().get("CentreCode"), out);
        }
        List<String> types = ExportCatalogue.typesFor(request.feed(), request.file())
                .orElseThrow(() -> new IllegalArgumentException("No outbound file " + request.feed() + "/" + request.file()
                        + "; known: " + ExportCatalogue.files()));
        FeedWriter writer = mappings.writer(request.feed(), request.file());
        Map<String, List<Resource>> byPatient = new LinkedHashMap<>();
        Instant until = request.since();
        boolean more = false;
        int records = 0;
        for (String type : types) {
            StoredBundleProvider changed = fhir.search(type, changedSince(request.since()), false);
            more |= changed.size() > maxPerPull;
            for (IBaseResource r : changed.getResources(0, Math.min(changed.size(), maxPerPull))) {
                Resource resource = (Resource) r;
                if (fromReceiver(resource, request.feed())) {
                    continue;
                }
                records++;
                Instant updated = resource.getMeta().getLastUpdated().toInstant();
                until = until == null || updated.isAfter(until) ? updated : until;
                String patient = patientOf(resource);
                if (patient != null) {
                    byPatient.computeIfAbsent(patient, p -> new ArrayList<>()).add(resource);
                }
            }
        }
        List<OutboundRecord> outbound = new ArrayList<>();
        int withheld = 0;
        for (Map.Entry<String, List<Resource>> child : byPatient.entrySet()) {
            // Already decided by the gate when searched: only what the caller may see, as they may see it.
            List<Resource> allowed = child.getValue();
            Patient patient;
            try {
                patient = (Patient) fhir.read("Patient", new IdType(child.getKey()));
            } catch (ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException | ca.uhn.fhir.rest.server.exceptions.ResourceGoneException e) {
                // The receiver may not see who the child is: nothing about them is sent.
                withheld += allowed.size();
                continue;
            }
            List<Resource> resources = new ArrayList<>(allowed);
            if (!resources.contains(patient) && !"Patient".equals(allowed.get(0).fhirType())) {
                resources.add(0, patient);
            }
            String receiver = receiverId(patient.getIdElement().getIdPart(), request.feed());
            reportLink(patient, resources, request.feed(), receiver);
            outbound.add(new OutboundRecord(receiver, resources, request.context()));
        }
        FeedWriter.WriteResult result = writer.write(outbound, out);
        return new Result(records, result.written(), withheld, until, more,
                result.issues().stream().map(Object::toString).toList());
    }

    private static Map<String, String[]> changedSince(Instant since) {
        Map<String, String[]> params = new LinkedHashMap<>();
        if (since != null) {
            params.put("_lastUpdated", new String[] {"gt" + since});
        }
        params.put("_sort", new String[] {"_lastUpdated"});
        return params;
    }

    /** Data a system sent us carries identifiers under its own feed's systems; it already has it. */
    private static boolean fromReceiver(Resource resource, String feed) {
        String prefix = ID_BASE + feed + "/";
        return fhirIdentifiers(resource).stream().anyMatch(i -> i.hasSystem() && i.getSystem().startsWith(prefix));
    }

    @SuppressWarnings("unchecked")
    private static List<Identifier> fhirIdentifiers(Resource resource) {
        var property = resource.getNamedProperty("identifier");
        if (property == null) {
            return List.of();
        }
        return (List<Identifier>) (List<?>) property.getValues();
    }

    private static String patientOf(Resource resource) {
        if (resource instanceof Patient p) {
            return "Patient/" + p.getIdElement().getIdPart();
        }
        for (String name : List.of("subject", "patient")) {
            var property = resource.getNamedProperty(name);
            if (property != null && property.hasValues() && property.getValues().get(0) instanceof Reference ref
                    && ref.getReference() != null && ref.getReference().startsWith("Patient/")) {
                return ref.getReference();
            }
        }
        return null;
    }

    /**
     * Filed under the receiver's id for the child through a link (the record itself does not carry
     * it): the audit record names the child record, its links and what was sent about the record,
     * so an unlink's disclosure report finds it.
     */
    private void reportLink(Patient patient, List<Resource> resources, String feed, String receiver) {
        String prefix = ID_BASE + feed + "/";
        if (receiver.isEmpty() || patient.getIdentifier().stream().anyMatch(i -> i.hasSystem() && i.getSystem().startsWith(prefix))) {
            return;
        }
        String id = patient.getIdElement().getIdPart();
        identity.childOf(id).filter(child -> !child.equals(id)).ifPresent(child ->
                org.childrensgateway.audit.AuditTrail.current().ifPresent(a -> {
                    a.patient("Patient/" + child).followed("Patient/" + child, identity.sourceRecordsOf(child));
                    resources.forEach(r -> a.returned(patientOf(r), r.fhirType() + "/" + r.getIdElement().getIdPart()));
                }));
    }

    /**
     * The receiver's own id for the child: the person index knows every source record linked to
     * this one, so data from SystmOne reaches RiO under RiO's ClientID. Blank when the receiver does
     * not know the child yet.
     */
    private String receiverId(String patientId, String feed) {
        String prefix = ID_BASE + feed + "/";
        return identity.identifiersOf(patientId).stream().filter(i -> i.hasSystem() && i.getSystem().startsWith(prefix))
                .map(Identifier::getValue).findFirst().orElse("");
    }
}
