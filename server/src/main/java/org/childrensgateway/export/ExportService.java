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
    public record Result(int records, int written, int withheld, Instant until, boolean more, List<String> issues, int held) {
        public Result(int records, int written, int withheld, Instant until, boolean more, List<String> issues) {
            this(records, written, withheld, until, more, issues, 0);
        }
    }

    private final FhirResourceService fhir;
    private final MappingRegistry mappings;
    private final int maxPerPull;
    private final org.childrensgateway.identity.IdentityService identity;
    private final CentreNotifications notifications;
    private final HeldChildren held;

    public ExportService(FhirResourceService fhir, MappingRegistry mappings,
                         @org.springframework.beans.factory.annotation.Value("${gateway.export.max-per-pull:10000}") int maxPerPull,
                         org.childrensgateway.identity.IdentityService identity, CentreNotifications notifications, HeldChildren held) {
        this.notifications = notifications;
        this.held = held;
        this.identity = identity;
        this.fhir = fhir;
        this.mappings = mappings;
        this.maxPerPull = maxPerPull;
    }

    @org.springframework.transaction.annotation.Transactional
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
        boolean byReceiverId = ExportCatalogue.namesChildrenByReceiverId(request.feed());
        String organisation = org.childrensgateway.security.CallerContext.require().organisation();
        if (byReceiverId) {
            // Children held by earlier pulls whose receiver's record has linked since: all of their data goes now.
            for (String child : held.dueOrRecentlyReleased(organisation, request.feed(), request.file(), request.since())) {
                if (receiverId(idPart(child), request.feed()).isEmpty()) {
                    continue;
                }
                List<Resource> resources = byPatient.computeIfAbsent(child, p -> new ArrayList<>());
                for (String type : types) {
                    Map<String, String[]> ofChild = new LinkedHashMap<>();
                    ofChild.put("patient", new String[] {child});
                    StoredBundleProvider found = fhir.search(type, ofChild, false);
                    for (IBaseResource r : found.getResources(0, found.size())) {
                        Resource resource = (Resource) r;
                        boolean already = resources.stream().anyMatch(x -> x.getIdElement().toUnqualifiedVersionless()
                                .equals(resource.getIdElement().toUnqualifiedVersionless()));
                        if (!already && !fromReceiver(resource, request.feed())) {
                            resources.add(resource);
                            records++;
                        }
                    }
                }
                Instant released = held.release(organisation, request.feed(), request.file(), child);
                until = until == null || released.isAfter(until) ? released : until;
                if (resources.isEmpty()) {
                    byPatient.remove(child);
                }
            }
        }
        List<OutboundRecord> outbound = new ArrayList<>();
        int withheld = 0;
        int heldNow = 0;
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
            String receiverId = receiverId(patient.getIdElement().getIdPart(), request.feed());
            if (byReceiverId && receiverId.isEmpty()) {
                // The receiver cannot take a child without its own id (a blank one is a broken row): held, not lost.
                held.hold(organisation, request.feed(), request.file(), child.getKey());
                heldNow++;
                continue;
            }
            reportLink(patient, resources, request.feed(), receiverId);
            outbound.add(new OutboundRecord(receiverId, resources, request.context()));
        }
        FeedWriter.WriteResult result = writer.write(outbound, out);
        List<String> issues = new ArrayList<>(result.issues().stream().map(Object::toString).toList());
        if (heldNow > 0) {
            issues.add("held: " + heldNow + " child(ren) not yet known to " + request.feed()
                    + "; their data goes in the first pull after a " + request.feed() + " record links to them");
        }
        return new Result(records, result.written(), withheld, until, more, issues,
                byReceiverId ? held.open(organisation, request.feed(), request.file()) : 0);
    }

    private static String idPart(String reference) {
        return reference.substring(reference.indexOf('/') + 1);
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
